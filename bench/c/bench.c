/*
 * The C side of the benchmarks (driven by bench/run.py).
 *
 * Measures the zignsec C binding (built with -DHAVE_ZIGNSEC when libzignsec is
 * there) against libcurl with one reused easy handle plus cJSON (what a C user
 * would pick instead). Every mode prints one JSON object. The gateway comes from
 * BENCH_URL, the key from BENCH_KEY, the session read from BENCH_SESSION.
 *
 *   bench seq <zignsec|curl> <calls> <batches> <warmup>
 *   bench concurrent <zignsec|curl> <n> <reps> <delay_ms>
 *   bench conns <zignsec|curl> <calls>
 *   bench mem <zignsec|curl> <calls_a> <calls_b>
 *   bench construct <reps>
 *   bench bulk <zignsec|curl> <sends> <in_flight> <warmup>
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#ifdef HAVE_ZIGNSEC
#include "zignsec.h"
#endif

static const char *URL, *KEY, *SESSION;
static char SESSION_URL[512];
static char AUTH_HEADER[512];

static double now_s(clockid_t clk) {
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* VmRSS and its anonymous part, RssAnon (memory the process allocated, without the
 * file-backed pages of its executable and libraries), in bytes, from one read of
 * /proc/self/status. */
static void rss_and_anon(long *rss, long *anon) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    *rss = *anon = 0;
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmRSS:", 6) == 0) *rss = strtol(line + 6, NULL, 10) * 1024;
        else if (strncmp(line, "RssAnon:", 8) == 0) *anon = strtol(line + 8, NULL, 10) * 1024;
    }
    fclose(f);
}

static void die(const char *what) {
    fprintf(stderr, "bench: %s\n", what);
    exit(1);
}

/* ---- a growable buffer for response bodies ---- */
typedef struct {
    char *data;
    size_t len, cap;
} Buf;

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata) {
    Buf *b = userdata;
    size_t n = size * nmemb;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->len + n + 1) cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) return 0;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = 0;
    return n;
}

/* ---- the mock's control API, on a handle of its own ---- */
static cJSON *control(const char *method, const char *path, const char *body) {
    char url[512];
    Buf b = {0};
    snprintf(url, sizeof url, "%s%s", URL, path);
    CURL *h = curl_easy_init();
    struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
    if (body) curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    if (curl_easy_perform(h) != CURLE_OK) die("control request failed");
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status / 100 != 2) die("control request: not 2xx");
    curl_slist_free_all(hd);
    curl_easy_cleanup(h);
    cJSON *j = b.data ? cJSON_Parse(b.data) : NULL;
    free(b.data);
    return j;
}

static long api_connections(void) {
    cJSON *j = control("GET", "/_mock/stats", NULL);
    cJSON *n = cJSON_GetObjectItemCaseSensitive(j, "api_connections");
    long v = cJSON_IsNumber(n) ? (long)n->valuedouble : -1;
    cJSON_Delete(j);
    return v;
}

static void delay_fault(int n, int delay_ms) {
    char body[256];
    cJSON_Delete(control("DELETE", "/_mock/faults", NULL));
    snprintf(body, sizeof body,
             "{\"method\":\"GET\",\"path\":\"/core/api/sessions/\",\"count\":%d,\"delay_ms\":%d}", n,
             delay_ms);
    cJSON_Delete(control("POST", "/_mock/faults", body));
}

/* ---- the peer: libcurl, one reused easy handle, cJSON ---- */
typedef struct {
    CURL *h;
    struct curl_slist *headers;
    Buf body;
} Curl;

static void curl_open(Curl *c) {
    memset(c, 0, sizeof *c);
    c->h = curl_easy_init();
    if (!c->h) die("curl_easy_init");
    c->headers = curl_slist_append(NULL, AUTH_HEADER);
    c->headers = curl_slist_append(c->headers, "Accept: application/json");
    curl_easy_setopt(c->h, CURLOPT_URL, SESSION_URL);
    curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->headers);
    curl_easy_setopt(c->h, CURLOPT_USERAGENT, "bench-libcurl");
    curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c->h, CURLOPT_WRITEDATA, &c->body);
    curl_easy_setopt(c->h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
}

static int curl_call(Curl *c) {
    c->body.len = 0;
    if (curl_easy_perform(c->h) != CURLE_OK) return -1;
    long status = 0;
    curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200 || !c->body.data) return -1;
    cJSON *j = cJSON_ParseWithLength(c->body.data, c->body.len);
    if (!j) return -1;
    cJSON *data = cJSON_GetObjectItemCaseSensitive(j, "data");
    cJSON *id = cJSON_GetObjectItemCaseSensitive(data, "id");
    int ok = cJSON_IsString(id) && id->valuestring[0] ? 0 : -1;
    cJSON_Delete(j);
    return ok;
}

static void curl_close(Curl *c) {
    curl_slist_free_all(c->headers);
    curl_easy_cleanup(c->h);
    free(c->body.data);
}

/* ---- the binding ---- */
#ifdef HAVE_ZIGNSEC
static ZsClient *zs_open(void) {
    ZsClientOptions opts = ZS_CLIENT_OPTIONS_INIT;
    opts.api_key = KEY;
    opts.base_url = URL;
    ZsClient *client = NULL;
    ZsError *err = NULL;
    if (zs_client_new(&opts, &client, &err) != ZS_OK) {
        fprintf(stderr, "bench: zs_client_new: %s\n", zs_error_message(err));
        exit(1);
    }
    return client;
}

static int zs_call(ZsClient *client) {
    ZsSmsSessionDetails *d = NULL;
    ZsError *err = NULL;
    if (zs_get_sms_session(client, SESSION, &d, &err) != ZS_OK) {
        fprintf(stderr, "bench: zs_get_sms_session: %s\n", zs_error_message(err));
        zs_error_free(err);
        return -1;
    }
    int ok = d->id && d->id[0] ? 0 : -1;
    zs_sms_session_details_free(d);
    return ok;
}
#endif

/* One implementation, behind one shape. */
typedef struct {
    int is_zs;
    Curl curl;
#ifdef HAVE_ZIGNSEC
    ZsClient *zs;
#endif
} Impl;

static void impl_open(Impl *im, const char *which) {
    memset(im, 0, sizeof *im);
    if (strcmp(which, "curl") == 0) {
        curl_open(&im->curl);
        return;
    }
#ifdef HAVE_ZIGNSEC
    if (strcmp(which, "zignsec") == 0) {
        im->is_zs = 1;
        im->zs = zs_open();
        return;
    }
#endif
    die("unknown implementation (or built without the zignsec binding)");
}

static void impl_call(Impl *im) {
    int rc;
#ifdef HAVE_ZIGNSEC
    if (im->is_zs)
        rc = zs_call(im->zs);
    else
#endif
        rc = curl_call(&im->curl);
    if (rc != 0) die("call failed");
}

static void impl_close(Impl *im) {
#ifdef HAVE_ZIGNSEC
    if (im->is_zs) {
        zs_client_free(im->zs);
        return;
    }
#endif
    curl_close(&im->curl);
}

static void seq(const char *which, long calls, long batches, long warmup) {
    Impl im;
    impl_open(&im, which);
    for (long i = 0; i < warmup; i++) impl_call(&im);
    if (batches < 1) batches = 1;
    long per = calls / batches;
    if (per < 1) per = 1;
    printf("{\"impl\":\"%s\",\"batches\":[", which);
    for (long b = 0; b < batches; b++) {
        double w0 = now_s(CLOCK_MONOTONIC), c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
        for (long i = 0; i < per; i++) impl_call(&im);
        double wall = now_s(CLOCK_MONOTONIC) - w0, cpu = now_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        printf("%s{\"calls\":%ld,\"wall_us\":%.4f,\"cpu_us\":%.4f}", b ? "," : "", per,
               wall * 1e6 / (double)per, cpu * 1e6 / (double)per);
    }
    printf("]}\n");
    impl_close(&im);
}

typedef struct {
    const char *which;
    Impl *shared; /* the binding: one client shared by every thread */
    int ok;
} Job;

/* Threads start first and wait here; the clock starts when all are released. */
static pthread_barrier_t gate;

static void *worker(void *arg) {
    Job *job = arg;
    pthread_barrier_wait(&gate);
#ifdef HAVE_ZIGNSEC
    if (job->shared) {
        job->ok = zs_call(job->shared->zs) == 0;
        return NULL;
    }
#endif
    /* libcurl: an easy handle is not shareable between threads; one each. */
    Curl c;
    curl_open(&c);
    job->ok = curl_call(&c) == 0;
    curl_close(&c);
    return NULL;
}

static void concurrent(const char *which, int n, int reps, int delay_ms) {
    Impl im;
    Impl *shared = NULL;
    if (strcmp(which, "zignsec") == 0) {
        impl_open(&im, which);
        shared = &im;
    } else if (strcmp(which, "curl") != 0) {
        die("unknown implementation");
    }
    pthread_t *th = calloc((size_t)n, sizeof *th);
    Job *jobs = calloc((size_t)n, sizeof *jobs);
    printf("{\"impl\":\"%s\",\"n\":%d,\"delay_ms\":%d,\"runs\":[", which, n, delay_ms);
    for (int r = 0; r < reps; r++) {
        delay_fault(n, delay_ms);
        pthread_barrier_init(&gate, NULL, (unsigned)n + 1);
        for (int i = 0; i < n; i++) {
            jobs[i] = (Job){which, shared, 0};
            if (pthread_create(&th[i], NULL, worker, &jobs[i]) != 0) die("pthread_create");
        }
        pthread_barrier_wait(&gate);
        double t0 = now_s(CLOCK_MONOTONIC);
        int ok = 0;
        for (int i = 0; i < n; i++) {
            pthread_join(th[i], NULL);
            ok += jobs[i].ok;
        }
        double wall = (now_s(CLOCK_MONOTONIC) - t0) * 1e3;
        pthread_barrier_destroy(&gate);
        printf("%s{\"wall_ms\":%.3f,\"ok\":%d}", r ? "," : "", wall, ok);
    }
    printf("]}\n");
    cJSON_Delete(control("DELETE", "/_mock/faults", NULL));
    if (shared) impl_close(shared);
    free(th);
    free(jobs);
}

static void conns(const char *which, long calls) {
    cJSON_Delete(control("POST", "/_mock/stats/reset", NULL));
    long before = api_connections();
    Impl im;
    impl_open(&im, which);
    for (long i = 0; i < calls; i++) impl_call(&im);
    long after = api_connections();
    impl_close(&im);
    printf("{\"impl\":\"%s\",\"calls\":%ld,\"connections\":%ld}\n", which, calls, after - before);
}

static void mem(const char *which, long a, long b) {
    long rss0, anon0;
    rss_and_anon(&rss0, &anon0);
    Impl im;
    impl_open(&im, which);
    double t0 = now_s(CLOCK_MONOTONIC);
    for (long i = 0; i < a; i++) impl_call(&im);
    long rss_a, anon_a;
    rss_and_anon(&rss_a, &anon_a);
    long mid = a + (b - a) / 2;
    for (long i = a; i < mid; i++) impl_call(&im);
    long rss_mid, anon_mid;
    rss_and_anon(&rss_mid, &anon_mid);
    for (long i = mid; i < b; i++) impl_call(&im);
    long rss_b, anon_b;
    rss_and_anon(&rss_b, &anon_b);
    printf("{\"impl\":\"%s\",\"calls_a\":%ld,\"calls_mid\":%ld,\"calls_b\":%ld,\"rss_start\":%ld,"
           "\"rss_a\":%ld,\"rss_mid\":%ld,\"rss_b\":%ld,\"anon_a\":%ld,\"anon_mid\":%ld,\"anon_b\":%ld,"
           "\"seconds\":%.3f}\n",
           which, a, mid, b, rss0, rss_a, rss_mid, rss_b, anon_a, anon_mid, anon_b, now_s(CLOCK_MONOTONIC) - t0);
    impl_close(&im);
}

static void construct(int reps) {
    printf("{\"impl\":\"c\",\"construct_us\":{\"curl\":[");
    for (int i = 0; i < reps; i++) {
        double t0 = now_s(CLOCK_MONOTONIC);
        Curl c;
        curl_open(&c);
        printf("%s%.3f", i ? "," : "", (now_s(CLOCK_MONOTONIC) - t0) * 1e6);
        curl_close(&c);
    }
    printf("]");
#ifdef HAVE_ZIGNSEC
    printf(",\"zignsec\":[");
    for (int i = 0; i < reps; i++) {
        double t0 = now_s(CLOCK_MONOTONIC);
        ZsClient *c = zs_open();
        printf("%s%.3f", i ? "," : "", (now_s(CLOCK_MONOTONIC) - t0) * 1e6);
        zs_client_free(c);
    }
    printf("]");
#endif
    printf("}}\n");
}

/* ---- bulk: many sends, a fixed number in flight ---- */
static long hwm_bytes(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = 0;
    if (!f) return 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmHWM:", 6) == 0) {
            kb = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kb * 1024;
}

static char SMS_URL[512];
static const char *SMS_BODY =
    "{\"metadata\":{\"from\":\"ZignSec\",\"to\":\"+46701234567\",\"message\":\"Your code: 12345\","
    "\"max_message_parts\":1}}";

static int created_ok(const Buf *b) {
    if (!b->data) return 0;
    cJSON *j = cJSON_ParseWithLength(b->data, b->len);
    if (!j) return 0;
    cJSON *id = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "data"), "id");
    int ok = cJSON_IsString(id) && id->valuestring[0];
    cJSON_Delete(j);
    return ok;
}

/* libcurl multi: `in_flight` easy handles (each keeps its connection), re-added
 * as they finish until `total` sends are done. */
static long curl_multi_round(long total, int in_flight, CURLM *m, CURL **hs, Buf *bodies) {
    long started = 0, ok = 0;
    for (int i = 0; i < in_flight && started < total; i++, started++) {
        bodies[i].len = 0;
        curl_multi_add_handle(m, hs[i]);
    }
    int running = 1;
    while (running) {
        curl_multi_perform(m, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(m, &left))) {
            if (msg->msg != CURLMSG_DONE) continue;
            CURL *h = msg->easy_handle;
            Buf *b = NULL;
            curl_easy_getinfo(h, CURLINFO_PRIVATE, (char **)&b);
            long status = 0;
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
            if (msg->data.result == CURLE_OK && status / 100 == 2 && created_ok(b)) ok++;
            curl_multi_remove_handle(m, h);
            if (started < total) {
                started++;
                b->len = 0;
                curl_multi_add_handle(m, h);
                running = 1;
            }
        }
        if (running) curl_multi_poll(m, NULL, 0, 100, NULL);
    }
    return ok;
}

#ifdef HAVE_ZIGNSEC
typedef struct {
    ZsClient *client;
    long total;
    long *next; /* shared counter */
    long ok;
} BulkJob;

static void *bulk_worker(void *arg) {
    BulkJob *job = arg;
    ZsSendSmsParams p = ZS_SEND_SMS_PARAMS_INIT;
    p.to = "+46701234567";
    p.message = "Your code: 12345";
    p.from = "ZignSec";
    while (__atomic_fetch_add(job->next, 1, __ATOMIC_RELAXED) < job->total) {
        ZsSmsSession *s = NULL;
        ZsError *err = NULL;
        if (zs_send_sms(job->client, &p, &s, &err) == ZS_OK) {
            if (s->id && s->id[0]) job->ok++;
            zs_sms_session_free(s);
        } else {
            fprintf(stderr, "bench: zs_send_sms: %s\n", zs_error_message(err));
            zs_error_free(err);
        }
    }
    return NULL;
}

static long zs_bulk_round(ZsClient *client, long total, int in_flight) {
    long next = 0, ok = 0;
    pthread_t *th = calloc((size_t)in_flight, sizeof *th);
    BulkJob *jobs = calloc((size_t)in_flight, sizeof *jobs);
    for (int i = 0; i < in_flight; i++) {
        jobs[i] = (BulkJob){client, total, &next, 0};
        if (pthread_create(&th[i], NULL, bulk_worker, &jobs[i]) != 0) die("pthread_create");
    }
    for (int i = 0; i < in_flight; i++) {
        pthread_join(th[i], NULL);
        ok += jobs[i].ok;
    }
    free(th);
    free(jobs);
    return ok;
}
#endif

static void bulk(const char *which, long sends, int in_flight, long warmup) {
    double w0, c0;
    long ok;
    snprintf(SMS_URL, sizeof SMS_URL, "%s/core/api/sessions/two_factor_auth/sms", URL);
    if (strcmp(which, "curl") == 0) {
        CURLM *m = curl_multi_init();
        CURL **hs = calloc((size_t)in_flight, sizeof *hs);
        Buf *bodies = calloc((size_t)in_flight, sizeof *bodies);
        struct curl_slist *hd = curl_slist_append(NULL, AUTH_HEADER);
        hd = curl_slist_append(hd, "Accept: application/json");
        hd = curl_slist_append(hd, "Content-Type: application/json");
        for (int i = 0; i < in_flight; i++) {
            hs[i] = curl_easy_init();
            curl_easy_setopt(hs[i], CURLOPT_URL, SMS_URL);
            curl_easy_setopt(hs[i], CURLOPT_HTTPHEADER, hd);
            curl_easy_setopt(hs[i], CURLOPT_POSTFIELDS, SMS_BODY);
            curl_easy_setopt(hs[i], CURLOPT_USERAGENT, "bench-libcurl");
            curl_easy_setopt(hs[i], CURLOPT_WRITEFUNCTION, on_body);
            curl_easy_setopt(hs[i], CURLOPT_WRITEDATA, &bodies[i]);
            curl_easy_setopt(hs[i], CURLOPT_PRIVATE, (char *)&bodies[i]);
            curl_easy_setopt(hs[i], CURLOPT_TCP_NODELAY, 1L);
            curl_easy_setopt(hs[i], CURLOPT_NOSIGNAL, 1L);
        }
        curl_multi_round(warmup, in_flight, m, hs, bodies);
        w0 = now_s(CLOCK_MONOTONIC);
        c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
        ok = curl_multi_round(sends, in_flight, m, hs, bodies);
    }
#ifdef HAVE_ZIGNSEC
    else if (strcmp(which, "zignsec") == 0) {
        ZsClient *client = zs_open();
        zs_bulk_round(client, warmup, in_flight);
        w0 = now_s(CLOCK_MONOTONIC);
        c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
        ok = zs_bulk_round(client, sends, in_flight);
    }
#endif
    else {
        die("unknown implementation (or built without the zignsec binding)");
        return;
    }
    double wall = now_s(CLOCK_MONOTONIC) - w0, cpu = now_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    printf("{\"impl\":\"%s\",\"sends\":%ld,\"in_flight\":%d,\"ok\":%ld,\"wall_s\":%.6f,\"cpu_s\":%.6f,"
           "\"hwm_bytes\":%ld}\n",
           which, sends, in_flight, ok, wall, cpu, hwm_bytes());
}

static long arg(int argc, char **argv, int i, long dflt) {
    return argc > i ? strtol(argv[i], NULL, 10) : dflt;
}

int main(int argc, char **argv) {
    URL = getenv("BENCH_URL");
    KEY = getenv("BENCH_KEY");
    SESSION = getenv("BENCH_SESSION");
    if (!URL || !KEY || !SESSION || argc < 2) die("usage: BENCH_URL/KEY/SESSION and a mode");
    snprintf(SESSION_URL, sizeof SESSION_URL, "%s/core/api/sessions/%s", URL, SESSION);
    snprintf(AUTH_HEADER, sizeof AUTH_HEADER, "Authorization: %s", KEY);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const char *mode = argv[1];
    const char *which = argc > 2 ? argv[2] : "curl";
    if (strcmp(mode, "seq") == 0)
        seq(which, arg(argc, argv, 3, 10000), arg(argc, argv, 4, 20), arg(argc, argv, 5, 500));
    else if (strcmp(mode, "concurrent") == 0)
        concurrent(which, (int)arg(argc, argv, 3, 64), (int)arg(argc, argv, 4, 5),
                   (int)arg(argc, argv, 5, 100));
    else if (strcmp(mode, "conns") == 0)
        conns(which, arg(argc, argv, 3, 1000));
    else if (strcmp(mode, "mem") == 0)
        mem(which, arg(argc, argv, 3, 1000), arg(argc, argv, 4, 100000));
    else if (strcmp(mode, "construct") == 0)
        construct((int)arg(argc, argv, 2, 100));
    else if (strcmp(mode, "bulk") == 0)
        bulk(which, arg(argc, argv, 3, 10000), (int)arg(argc, argv, 4, 64), arg(argc, argv, 5, 256));
    else
        die("unknown mode");
    curl_global_cleanup();
    return 0;
}
