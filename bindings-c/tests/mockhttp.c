/* A tiny HTTP/1.1 client over a raw socket; see mockhttp.h. */
#define _POSIX_C_SOURCE 200809L
#include "mockhttp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static char g_host[64] = "127.0.0.1";
static int g_port;

int mock_init(const char *base_url) {
    if (!base_url || strncmp(base_url, "http://", 7)) return -1;
    const char *h = base_url + 7;
    const char *colon = strchr(h, ':');
    if (!colon || (size_t)(colon - h) >= sizeof g_host) return -1;
    memcpy(g_host, h, (size_t)(colon - h));
    g_host[colon - h] = 0;
    g_port = atoi(colon + 1);
    return g_port > 0 ? 0 : -1;
}

static const char *path_of(const char *target) {
    if (!strncmp(target, "http://", 7)) {
        const char *slash = strchr(target + 7, '/');
        return slash ? slash : "/";
    }
    return target;
}

static char *header_value(const char *headers, size_t len, const char *name) {
    size_t nlen = strlen(name);
    const char *p = headers, *end = headers + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        if ((size_t)(eol - p) > nlen && !strncasecmp(p, name, nlen) && p[nlen] == ':') {
            const char *v = p + nlen + 1;
            while (v < eol && *v == ' ') v++;
            const char *ve = eol;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ')) ve--;
            char *out = malloc((size_t)(ve - v) + 1);
            if (!out) abort();
            memcpy(out, v, (size_t)(ve - v));
            out[ve - v] = 0;
            return out;
        }
        p = eol + 1;
    }
    return NULL;
}

int http_call(const char *method, const char *target, const char *content_type,
              const char *body, size_t body_len, http_resp *out) {
    memset(out, 0, sizeof *out);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)g_port);
    if (inet_pton(AF_INET, g_host, &addr.sin_addr) != 1 ||
        connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    char head[1024];
    int hn = snprintf(head, sizeof head,
                      "%s %s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n"
                      "Content-Length: %zu\r\n%s%s%s\r\n",
                      method, path_of(target), g_host, g_port, body ? body_len : 0,
                      content_type ? "Content-Type: " : "", content_type ? content_type : "",
                      content_type ? "\r\n" : "");
    if (hn < 0 || (size_t)hn >= sizeof head || write(fd, head, (size_t)hn) != hn) { close(fd); return -1; }
    size_t sent = 0;
    while (body && sent < body_len) {
        ssize_t w = write(fd, body + sent, body_len - sent);
        if (w <= 0) { close(fd); return -1; }
        sent += (size_t)w;
    }
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap);
    if (!buf) abort();
    for (;;) {
        if (cap - n < 4096) { cap *= 2; char *nb = realloc(buf, cap); if (!nb) abort(); buf = nb; }
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r <= 0) break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = 0;
    char *sep = strstr(buf, "\r\n\r\n");
    if (!sep || sscanf(buf, "HTTP/1.%*d %d", &out->status) != 1) { free(buf); out->status = 0; return -1; }
    size_t hlen = (size_t)(sep - buf);
    char *b = sep + 4;
    size_t blen = n - hlen - 4;
    out->location = header_value(buf, hlen, "location");
    char *te = header_value(buf, hlen, "transfer-encoding");
    char *decoded = malloc(blen + 1);
    if (!decoded) abort();
    size_t dn = 0;
    if (te && strstr(te, "chunked")) {
        char *p = b, *end = b + blen;
        while (p < end) {
            size_t sz = strtoul(p, NULL, 16);
            char *line_end = strstr(p, "\r\n");
            if (!line_end || sz == 0) break;
            p = line_end + 2;
            if (sz > (size_t)(end - p)) sz = (size_t)(end - p);
            memcpy(decoded + dn, p, sz);
            dn += sz;
            p += sz + 2;
        }
    } else {
        memcpy(decoded, b, blen);
        dn = blen;
    }
    decoded[dn] = 0;
    free(te);
    free(buf);
    out->body = decoded;
    out->body_len = dn;
    return 0;
}

void http_resp_free(http_resp *r) {
    free(r->body);
    free(r->location);
    r->body = r->location = NULL;
}

int mock_post(const char *path, const char *json) {
    http_resp r;
    if (http_call("POST", path, "application/json", json, strlen(json), &r) != 0) return 0;
    int status = r.status;
    if (status >= 300) fprintf(stderr, "mock_post %s -> %d %s\n", path, status, r.body);
    http_resp_free(&r);
    return status;
}
