/* A tiny JSON reader for the test suite; see json.h. */
#include "json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *p, *end;
    const char *error;
} parser;

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) { fprintf(stderr, "out of memory\n"); abort(); }
    return p;
}

static void skip_ws(parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

size_t utf8_put(char *d, uint32_t cp) {
    if (cp < 0x80) { d[0] = (char)cp; return 1; }
    if (cp < 0x800) { d[0] = (char)(0xC0 | (cp >> 6)); d[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        d[0] = (char)(0xE0 | (cp >> 12)); d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        d[2] = (char)(0x80 | (cp & 0x3F)); return 3;
    }
    d[0] = (char)(0xF0 | (cp >> 18)); d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    d[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); d[3] = (char)(0x80 | (cp & 0x3F)); return 4;
}

static int hex4(const char *s, uint32_t *out) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (uint32_t)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

static jval *new_val(jtype t, const char *raw) {
    jval *v = xmalloc(sizeof *v);
    memset(v, 0, sizeof *v);
    v->type = t;
    v->raw = raw;
    return v;
}

static char *parse_string_raw(parser *ps, size_t *len_out) {
    /* at the opening quote */
    ps->p++;
    size_t cap = 16, n = 0;
    char *buf = xmalloc(cap);
    while (1) {
        if (ps->p >= ps->end) { ps->error = "unterminated string"; free(buf); return NULL; }
        if (cap - n < 8) { cap *= 2; char *nb = realloc(buf, cap); if (!nb) abort(); buf = nb; }
        char c = *ps->p++;
        if (c == '"') break;
        if (c != '\\') { buf[n++] = c; continue; }
        if (ps->p >= ps->end) { ps->error = "bad escape"; free(buf); return NULL; }
        char e = *ps->p++;
        switch (e) {
        case '"': buf[n++] = '"'; break;
        case '\\': buf[n++] = '\\'; break;
        case '/': buf[n++] = '/'; break;
        case 'b': buf[n++] = '\b'; break;
        case 'f': buf[n++] = '\f'; break;
        case 'n': buf[n++] = '\n'; break;
        case 'r': buf[n++] = '\r'; break;
        case 't': buf[n++] = '\t'; break;
        case 'u': {
            uint32_t cp;
            if (ps->end - ps->p < 4 || !hex4(ps->p, &cp)) { ps->error = "bad \\u escape"; free(buf); return NULL; }
            ps->p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u') {
                uint32_t lo;
                if (hex4(ps->p + 2, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    ps->p += 6;
                }
            }
            n += utf8_put(buf + n, cp);
            break;
        }
        default: ps->error = "bad escape"; free(buf); return NULL;
        }
    }
    buf[n] = 0;
    *len_out = n;
    return buf;
}

static jval *parse_value(parser *ps, int depth);

static jval *parse_value(parser *ps, int depth) {
    skip_ws(ps);
    if (depth > 200) { ps->error = "too deep"; return NULL; }
    if (ps->p >= ps->end) { ps->error = "unexpected end"; return NULL; }
    const char *start = ps->p;
    jval *v = NULL;
    char c = *ps->p;
    if (c == '{' || c == '[') {
        int obj = c == '{';
        v = new_val(obj ? J_OBJ : J_ARR, start);
        ps->p++;
        size_t cap = 0;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == (obj ? '}' : ']')) { ps->p++; goto done; }
        while (1) {
            char *key = NULL;
            skip_ws(ps);
            if (obj) {
                size_t klen;
                if (ps->p >= ps->end || *ps->p != '"') { ps->error = "expected a key"; json_free(v); return NULL; }
                key = parse_string_raw(ps, &klen);
                if (!key) { json_free(v); return NULL; }
                skip_ws(ps);
                if (ps->p >= ps->end || *ps->p != ':') { ps->error = "expected ':'"; free(key); json_free(v); return NULL; }
                ps->p++;
            }
            jval *item = parse_value(ps, depth + 1);
            if (!item) { free(key); json_free(v); return NULL; }
            if (v->n == cap) {
                cap = cap ? cap * 2 : 8;
                jval **ni = realloc(v->items, cap * sizeof *ni);
                if (!ni) abort();
                v->items = ni;
                if (obj) { char **nk = realloc(v->keys, cap * sizeof *nk); if (!nk) abort(); v->keys = nk; }
            }
            v->items[v->n] = item;
            if (obj) v->keys[v->n] = key;
            v->n++;
            skip_ws(ps);
            if (ps->p < ps->end && *ps->p == ',') { ps->p++; continue; }
            if (ps->p < ps->end && *ps->p == (obj ? '}' : ']')) { ps->p++; break; }
            ps->error = "expected ',' or a closing bracket";
            json_free(v);
            return NULL;
        }
    } else if (c == '"') {
        v = new_val(J_STR, start);
        v->str = parse_string_raw(ps, &v->len);
        if (!v->str) { free(v); return NULL; }
    } else if (c == 't' && ps->end - ps->p >= 4 && !memcmp(ps->p, "true", 4)) {
        v = new_val(J_BOOL, start); v->boolean = 1; ps->p += 4;
    } else if (c == 'f' && ps->end - ps->p >= 5 && !memcmp(ps->p, "false", 5)) {
        v = new_val(J_BOOL, start); ps->p += 5;
    } else if (c == 'n' && ps->end - ps->p >= 4 && !memcmp(ps->p, "null", 4)) {
        v = new_val(J_NULL, start); ps->p += 4;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        const char *s = ps->p;
        while (ps->p < ps->end && strchr("+-0123456789.eE", *ps->p)) ps->p++;
        v = new_val(J_NUM, start);
        v->len = (size_t)(ps->p - s);
        v->str = xmalloc(v->len + 1);
        memcpy(v->str, s, v->len);
        v->str[v->len] = 0;
    } else {
        ps->error = "unexpected character";
        return NULL;
    }
done:
    v->raw_len = (size_t)(ps->p - start);
    return v;
}

jval *json_parse(const char *text, size_t len, const char **error) {
    parser ps = {text, text + len, NULL};
    jval *v = parse_value(&ps, 0);
    if (v) {
        skip_ws(&ps);
        if (ps.p != ps.end) { ps.error = "trailing text"; json_free(v); v = NULL; }
    }
    if (error) *error = ps.error;
    return v;
}

void json_free(jval *v) {
    if (!v) return;
    for (size_t i = 0; i < v->n; i++) {
        json_free(v->items[i]);
        if (v->keys) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    free(v);
}

const jval *jget(const jval *obj, const char *key) {
    if (!obj || obj->type != J_OBJ) return NULL;
    for (size_t i = 0; i < obj->n; i++)
        if (!strcmp(obj->keys[i], key)) return obj->items[i];
    return NULL;
}

const char *jstr(const jval *v) { return v && v->type == J_STR ? v->str : NULL; }

int jint(const jval *v, int64_t *out) {
    if (!v || v->type != J_NUM || strpbrk(v->str, ".eE")) return 0;
    errno = 0;
    char *end;
    long long x = strtoll(v->str, &end, 10);
    if (errno || *end) return 0;
    *out = (int64_t)x;
    return 1;
}

int json_equal(const jval *a, const jval *b) {
    if (!a || !b) return a == b;
    if (a->type != b->type) return 0;
    switch (a->type) {
    case J_NULL: return 1;
    case J_BOOL: return a->boolean == b->boolean;
    case J_NUM: return strtod(a->str, NULL) == strtod(b->str, NULL);
    case J_STR: return a->len == b->len && !memcmp(a->str, b->str, a->len);
    case J_ARR:
        if (a->n != b->n) return 0;
        for (size_t i = 0; i < a->n; i++) if (!json_equal(a->items[i], b->items[i])) return 0;
        return 1;
    case J_OBJ:
        if (a->n != b->n) return 0;
        for (size_t i = 0; i < a->n; i++) if (!json_equal(a->items[i], jget(b, a->keys[i]))) return 0;
        return 1;
    }
    return 0;
}

char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = xmalloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2) { cap *= 2; char *nb = realloc(buf, cap); if (!nb) abort(); buf = nb; }
    }
    fclose(f);
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}

char *json_quote(const char *s, size_t len) {
    char *out = xmalloc(len * 6 + 3);
    size_t n = 0;
    out[n++] = '"';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') { out[n++] = '\\'; out[n++] = (char)c; }
        else if (c < 0x20) n += (size_t)sprintf(out + n, "\\u%04x", c);
        else out[n++] = (char)c;
    }
    out[n++] = '"';
    out[n] = 0;
    return out;
}
