/* The fault matrix (tests/vectors/faults.json) against the C binding.
 *
 * Each cell: one call against the offline gateway misbehaving as the cell says
 * (POST /_mock/faults); checks the error code, attempts, the requests the gateway
 * saw (sends: the POSTs, i.e. possible SMS), maybe_sent, and that no call outlives
 * its timeout. Writes the results as JSON for scripts/reliability/report.py.
 *
 * Run under scripts/with-mock.sh (ZIGNSEC_MOCK_URL, ZIGNSEC_API_KEY):
 *   reliability_faults tests/vectors/faults.json target/reliability/c.json
 * Exit status 0 only when every cell passes. Uses the C suite's own helpers
 * (json.c, mockhttp.c).
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "mockhttp.h"
#include "zignsec.h"

static const char *g_url;
static const char *g_key;

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A growing string buffer. */
typedef struct {
    char *p;
    size_t n, cap;
} buf;

static void put(buf *b, const char *s, size_t len) {
    if (b->n + len + 1 > b->cap) {
        b->cap = (b->n + len + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p) abort();
    }
    memcpy(b->p + b->n, s, len);
    b->n += len;
    b->p[b->n] = 0;
}
static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }
static void putq(buf *b, const char *s) {
    if (!s) {
        puts_(b, "null");
        return;
    }
    char *q = json_quote(s, strlen(s));
    puts_(b, q);
    free(q);
}
static void putf(buf *b, const char *fmt, long long v) {
    char tmp[64];
    snprintf(tmp, sizeof tmp, fmt, v);
    puts_(b, tmp);
}

static char *closed_port_url(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        perror("closed_port_url");
        exit(2);
    }
    close(fd);
    char *url = malloc(64);
    snprintf(url, 64, "http://127.0.0.1:%d", ntohs(a.sin_port));
    return url;
}

static int control(const char *method, const char *path, const char *json) {
    http_resp r;
    int rc = http_call(method, path, "application/json", json, json ? strlen(json) : 0, &r);
    int status = r.status;
    http_resp_free(&r);
    return rc == 0 && status >= 200 && status < 300;
}

static int64_t requests_seen(const char *key) {
    http_resp r;
    int64_t n = -1;
    if (http_call("GET", "/_mock/stats", NULL, NULL, 0, &r) == 0 && r.status == 200) {
        const char *e = NULL;
        jval *v = json_parse(r.body, r.body_len, &e);
        if (v) {
            const jval *c = jget(jget(v, "requests"), key);
            n = 0;
            if (c) jint(c, &n);
            json_free(v);
        }
    }
    http_resp_free(&r);
    return n;
}

/* The fault body: the cell's fault with $http_date_in_s resolved, plus method, path, count. */
static char *fault_spec(const jval *paths, const jval *cell) {
    buf b = {0};
    puts_(&b, "{");
    const jval *fault = jget(cell, "fault");
    for (size_t i = 0; fault && i < fault->n; i++) {
        puts_(&b, i ? "," : "");
        putq(&b, fault->keys[i]);
        puts_(&b, ":");
        const jval *v = fault->items[i];
        const jval *in = v->type == J_OBJ ? jget(v, "$http_date_in_s") : NULL;
        int64_t secs;
        if (in && jint(in, &secs)) {
            time_t t = time(NULL) + (time_t)secs;
            struct tm tm;
            char date[64];
            gmtime_r(&t, &tm);
            strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
            putq(&b, date);
        } else {
            put(&b, v->raw, v->raw_len);
        }
    }
    const jval *p = jget(paths, jstr(jget(cell, "op")));
    puts_(&b, fault && fault->n ? "," : "");
    puts_(&b, "\"method\":");
    putq(&b, jstr(jget(p, "method")));
    puts_(&b, ",\"path\":");
    putq(&b, jstr(jget(p, "path")));
    int64_t count = 1;
    jint(jget(cell, "count"), &count);
    putf(&b, ",\"count\":%lld}", (long long)count);
    return b.p;
}

static const ZsSendSmsParams SMS = {ZS_SEND_SMS_PARAMS_VERSION, "+46701234567", "Your code is 12345", "ZignSec", 1, NULL, NULL};

static char *kind_of(ZsErrorCode code) {
    const char *name = zs_error_code_name(code);
    const char *k = strncmp(name, "ZS_ERR_", 7) == 0 ? name + 7 : name;
    char *out = strdup(k);
    for (char *c = out; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    return out;
}

/* Play one cell; append its record to `out`; 1 when it passed. */
static int run_cell(const jval *m, const jval *cell, buf *out) {
    const char *name = jstr(jget(cell, "name"));
    const char *op = jstr(jget(cell, "op"));
    const jval *expect = jget(cell, "expect");
    int64_t timeout_ms, max_retries, tolerance, want_attempts = -1, want_requests = -1;
    if (!jint(jget(cell, "timeout_ms"), &timeout_ms)) jint(jget(jget(m, "client"), "timeout_ms"), &timeout_ms);
    jint(jget(jget(m, "client"), "max_retries"), &max_retries);
    jint(jget(m, "tolerance_ms"), &tolerance);
    jint(jget(expect, "attempts"), &want_attempts);
    jint(jget(expect, "requests"), &want_requests);
    const char *target = jstr(jget(cell, "target"));
    int closed = target && strcmp(target, "closed_port") == 0;
    char *base = closed ? closed_port_url() : strdup(g_url);

    /* A real session to read, made before the stats are reset. */
    ZsClientOptions so = ZS_CLIENT_OPTIONS_INIT;
    so.api_key = g_key;
    so.base_url = g_url;
    so.timeout_ms = 10000;
    so.max_retries = 0;
    ZsClient *setup = NULL;
    ZsSmsSession *made = NULL;
    ZsError *err = NULL;
    if (zs_client_new(&so, &setup, &err) != ZS_OK || zs_send_sms(setup, &SMS, &made, &err) != ZS_OK) {
        fprintf(stderr, "%s: setup failed: %s\n", name, err ? zs_error_message(err) : "?");
        exit(2);
    }
    char *session_id = strdup(made->id);
    zs_sms_session_free(made);
    zs_client_free(setup);

    ZsClientOptions o = ZS_CLIENT_OPTIONS_INIT;
    o.api_key = g_key;
    o.base_url = base;
    o.timeout_ms = (uint64_t)timeout_ms;
    o.max_retries = (int32_t)max_retries;
    ZsClient *client = NULL;
    if (zs_client_new(&o, &client, &err) != ZS_OK) {
        fprintf(stderr, "%s: client: %s\n", name, zs_error_message(err));
        exit(2);
    }
    control("DELETE", "/_mock/faults", NULL);
    control("POST", "/_mock/stats/reset", NULL);
    if (!closed) {
        char *spec = fault_spec(jget(m, "paths"), cell);
        if (!control("POST", "/_mock/faults", spec)) {
            fprintf(stderr, "%s: queue fault failed: %s\n", name, spec);
            exit(2);
        }
        free(spec);
    }

    double t0 = now_ms();
    ZsErrorCode code;
    if (strcmp(op, "read") == 0) {
        ZsSmsSessionDetails *d = NULL;
        code = zs_get_sms_session(client, session_id, &d, &err);
        zs_sms_session_details_free(d);
    } else {
        ZsSmsSession *s = NULL;
        code = zs_send_sms(client, &SMS, &s, &err);
        zs_sms_session_free(s);
    }
    long long elapsed = (long long)(now_ms() - t0 + 0.5);
    sleep_ms(50); /* a late retry would show up in the stats */

    const jval *p = jget(jget(m, "paths"), op);
    char key[256];
    if (strcmp(op, "read") == 0)
        snprintf(key, sizeof key, "%s /core/api/sessions/%s", jstr(jget(p, "method")), session_id);
    else
        snprintf(key, sizeof key, "%s %s", jstr(jget(p, "method")), jstr(jget(p, "path")));
    int64_t requests = closed ? 0 : requests_seen(key);
    control("DELETE", "/_mock/faults", NULL);

    char *kind = code == ZS_OK ? strdup("ok") : kind_of(code);
    int64_t attempts = code == ZS_OK ? requests : (int64_t)zs_error_attempts(err);
    ZsMaybeSent ms = code == ZS_OK ? ZS_MAYBE_SENT_UNKNOWN : zs_error_maybe_sent(err);
    const char *message = code == ZS_OK ? NULL : zs_error_message(err);

    buf fails = {0};
    puts_(&fails, "[");
    char line[256];
#define FAIL(...)                                         \
    do {                                                  \
        snprintf(line, sizeof line, __VA_ARGS__);         \
        if (fails.n > 1) puts_(&fails, ",");              \
        putq(&fails, line);                               \
    } while (0)
    const char *want_kind = jstr(jget(expect, "kind"));
    if (strcmp(kind, want_kind) != 0) FAIL("kind %s, want %s", kind, want_kind);
    if (attempts != want_attempts) FAIL("attempts %lld, want %lld", (long long)attempts, (long long)want_attempts);
    if (requests != want_requests)
        FAIL("gateway saw %lld request(s), want %lld", (long long)requests, (long long)want_requests);
    const jval *want_ms = jget(expect, "maybe_sent");
    if (want_ms && want_ms->type == J_BOOL && ms != (want_ms->boolean ? ZS_MAYBE_SENT_YES : ZS_MAYBE_SENT_NO))
        FAIL("maybe_sent %d, want %s", (int)ms, want_ms->boolean ? "true" : "false");
    if (elapsed > timeout_ms + tolerance)
        FAIL("took %lld ms, over %lld + %lld ms", elapsed, (long long)timeout_ms, (long long)tolerance);
    if (message && g_key[0] && strstr(message, g_key)) FAIL("the API key is in the error");
    puts_(&fails, "]");
    int pass = fails.n == 2;

    puts_(out, "{\"name\":");
    putq(out, name);
    puts_(out, ",\"op\":");
    putq(out, op);
    puts_(out, ",\"kind\":");
    putq(out, kind);
    putf(out, ",\"attempts\":%lld", (long long)attempts);
    putf(out, ",\"requests\":%lld", (long long)requests);
    puts_(out, ",\"maybe_sent\":");
    puts_(out, ms == ZS_MAYBE_SENT_YES ? "true" : ms == ZS_MAYBE_SENT_NO ? "false" : "null");
    putf(out, ",\"elapsed_ms\":%lld", elapsed);
    putf(out, ",\"timeout_ms\":%lld", (long long)timeout_ms);
    puts_(out, ",\"expect\":");
    put(out, expect->raw, expect->raw_len);
    puts_(out, ",\"message\":");
    putq(out, message);
    puts_(out, pass ? ",\"pass\":true" : ",\"pass\":false");
    puts_(out, ",\"failures\":");
    puts_(out, fails.p);
    puts_(out, "}");
    if (!pass) fprintf(stderr, "FAIL %s: %s\n", name, fails.p);
    printf("%-36s %-13s attempts=%lld requests=%lld %5lld ms\n", name, kind, (long long)attempts,
           (long long)requests, elapsed);

    free(fails.p);
    free(kind);
    zs_error_free(err);
    zs_client_free(client);
    free(session_id);
    free(base);
    return pass;
}

int main(int argc, char **argv) {
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: %s faults.json out.json [SHARD/SHARDS]\n", argv[0]);
        return 2;
    }
    /* Shard i of n plays cells i, i+n, ... (run_matrix.sh runs shards side by side,
     * each under its own mock, and merges their files). */
    unsigned shard = 0, shards = 1;
    if (argc == 4 && (sscanf(argv[3], "%u/%u", &shard, &shards) != 2 || shards == 0 || shard >= shards)) {
        fprintf(stderr, "bad shard %s\n", argv[3]);
        return 2;
    }
    g_url = getenv("ZIGNSEC_MOCK_URL");
    g_key = getenv("ZIGNSEC_API_KEY");
    if (!g_url || !g_key || mock_init(g_url) != 0) {
        fprintf(stderr, "run under scripts/with-mock.sh (ZIGNSEC_MOCK_URL, ZIGNSEC_API_KEY)\n");
        return 2;
    }
    size_t len;
    char *text = read_file(argv[1], &len);
    const char *e = NULL;
    jval *m = text ? json_parse(text, len, &e) : NULL;
    if (!m) {
        fprintf(stderr, "%s: %s\n", argv[1], e ? e : "unreadable");
        return 2;
    }
    const jval *cells = jget(m, "cells");
    buf out = {0};
    puts_(&out, "{\"language\":\"c\",\"sdk\":");
    {
        char sdk[64];
        snprintf(sdk, sizeof sdk, "zignsec-c/%s", zs_version());
        putq(&out, sdk);
    }
    puts_(&out, ",\"runner\":\"bindings-c/tests/reliability_faults.c\",\"cells\":[");
    int failed = 0, played = 0;
    for (size_t i = shard; i < cells->n; i += shards) {
        if (played++) puts_(&out, ",");
        failed += !run_cell(m, cells->items[i], &out);
    }
    puts_(&out, "]}\n");
    FILE *f = fopen(argv[2], "w");
    if (!f || fwrite(out.p, 1, out.n, f) != out.n || fclose(f) != 0) {
        perror(argv[2]);
        return 2;
    }
    printf("C fault matrix: %d cells, %d failed\n", played, failed);
    free(out.p);
    json_free(m);
    free(text);
    return failed ? 1 : 0;
}
