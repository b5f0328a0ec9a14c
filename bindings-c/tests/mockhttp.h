/* A tiny HTTP/1.1 client over a raw socket, for the offline gateway's control
 * API and hosted page (loopback only; no TLS). */
#ifndef ZS_TEST_MOCKHTTP_H
#define ZS_TEST_MOCKHTTP_H

#include <stddef.h>

typedef struct {
    int status;        /* 0 when the request failed */
    char *body;        /* NUL-terminated; caller frees with http_resp_free */
    size_t body_len;
    char *location;    /* the Location header, or NULL */
} http_resp;

/* Read host and port from `base_url` ("http://127.0.0.1:PORT"). 0 on success. */
int mock_init(const char *base_url);
/* `target` is a path ("/_mock/stats") or an absolute http:// URL on the same host. */
int http_call(const char *method, const char *target, const char *content_type,
              const char *body, size_t body_len, http_resp *out);
void http_resp_free(http_resp *r);
/* POST JSON to the control API; returns the HTTP status (0 on failure). */
int mock_post(const char *path, const char *json);

#endif
