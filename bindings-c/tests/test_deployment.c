/* Deployment safety of the C ABI against the offline gateway (zignsec-mock):
 *   fork    a client built before fork() works in the child and keeps its deadline;
 *           the parent's client is untouched; a child may free it without calling;
 *   exit    exit(0) while threads are mid-call (no frees) ends with status 0;
 *   proxy   proxy variables never intercept a loopback base URL; the `proxy`
 *           option reaches the core (a CONNECT for an https base URL).
 *
 * Run it through scripts/with-mock.sh (ZIGNSEC_BASE_URL, ZIGNSEC_API_KEY,
 * ZIGNSEC_MOCK_URL):  scripts/with-mock.sh ./test_deployment
 * `test_deployment exit-child [send|get]` is the subprocess the exit test runs.
 * The last line is "N passed, M failed"; the exit status is 0 only when M is 0. */
#define _POSIX_C_SOURCE 200809L
#include "zignsec.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mockhttp.h"

/* ------------------------------------------------------------------ harness */

static int g_passed, g_failed;
static const char *g_group = "";

static void check_at(int ok, int line, const char *expr, const char *fmt, ...) {
    if (ok) { g_passed++; return; }
    g_failed++;
    fprintf(stderr, "FAIL [%s] (pid %d) test_deployment.c:%d: %s", g_group, (int)getpid(), line, expr);
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        fputs(" -- ", stderr);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
    }
    fputc('\n', stderr);
}
#define CHECK(c) check_at(!!(c), __LINE__, #c, NULL)
#define CHECKF(c, ...) check_at(!!(c), __LINE__, #c, __VA_ARGS__)

static const char *s_or(const char *s) { return s ? s : "(null)"; }

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

static const char *UNKNOWN_ID = "26f5cc23-dbbb-45bb-a210-2818e70637bd";
static const char *g_exe = "/proc/self/exe";

static ZsClient *client_with(const char *base_url, const char *proxy, uint64_t timeout_ms,
                             int32_t max_retries, ZsErrorCode *rc_out) {
    ZsClientOptions o;
    zs_client_options_init(&o);
    o.base_url = base_url;
    o.proxy = proxy;
    o.timeout_ms = timeout_ms;
    o.max_retries = max_retries;
    ZsClient *c = NULL;
    ZsError *err = NULL;
    ZsErrorCode rc = zs_client_new(&o, &c, &err);
    if (rc_out) *rc_out = rc;
    else CHECKF(rc == ZS_OK, "zs_client_new: %s: %s", zs_error_code_name(rc), s_or(zs_error_message(err)));
    zs_error_free(err);
    return c;
}

static ZsClient *new_client(uint64_t timeout_ms, int32_t max_retries) {
    return client_with(NULL, NULL, timeout_ms, max_retries, NULL);
}

static ZsSendSmsParams sms_params(void) {
    ZsSendSmsParams p;
    zs_send_sms_params_init(&p);
    p.to = "+46701234567";
    p.from = "ZignSec";
    p.message = "Your code is 12345";
    return p;
}

/* Send one SMS; returns its code; the new session id goes to `id` (37 bytes). */
static ZsErrorCode send_one(ZsClient *c, char *id) {
    ZsSendSmsParams p = sms_params();
    ZsSmsSession *s = NULL;
    ZsError *err = NULL;
    ZsErrorCode rc = zs_send_sms(c, &p, &s, &err);
    if (rc == ZS_OK && id) snprintf(id, 37, "%s", s->id);
    if (rc != ZS_OK && g_group[0])
        fprintf(stderr, "  send: %s: %s\n", zs_error_code_name(rc), s_or(zs_error_message(err)));
    zs_sms_session_free(s);
    zs_error_free(err);
    return rc;
}

static ZsErrorCode get_one(ZsClient *c, const char *id) {
    ZsSmsSessionDetails *d = NULL;
    ZsError *err = NULL;
    ZsErrorCode rc = zs_get_sms_session(c, id, &d, &err);
    zs_sms_session_details_free(d);
    zs_error_free(err);
    return rc;
}

static void fault(const char *spec) {
    CHECKF(mock_post("/_mock/faults", spec) == 200, "fault %s", spec);
}

static void clear_faults(void) {
    http_resp r;
    http_call("DELETE", "/_mock/faults", NULL, NULL, 0, &r);
    http_resp_free(&r);
}

/* Wait for `pid`, at most `limit_ms`; SIGKILL it after that. Returns the wait status, or -1. */
static int wait_for(pid_t pid, long limit_ms, double *elapsed_ms) {
    double start = now_ms();
    int status = 0;
    for (;;) {
        pid_t got = waitpid(pid, &status, WNOHANG);
        if (got == pid) break;
        if (got < 0 && errno != EINTR) return -1;
        if (now_ms() - start > (double)limit_ms) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            if (elapsed_ms) *elapsed_ms = now_ms() - start;
            return -1;
        }
        sleep_ms(5);
    }
    if (elapsed_ms) *elapsed_ms = now_ms() - start;
    return status;
}

static int exited_ok(int status) { return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0; }

static const char *describe_status(int status, char *buf, size_t n) {
    if (status == -1) snprintf(buf, n, "did not end in time (killed)");
    else if (WIFEXITED(status)) snprintf(buf, n, "exit %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status)) snprintf(buf, n, "signal %d", WTERMSIG(status));
    else snprintf(buf, n, "status %d", status);
    return buf;
}

/* ------------------------------------------------------------------ fork */

/* A slow call in another parent thread, so fork() happens while the runtime is busy. */
static void *slow_get(void *arg) {
    (void)get_one((ZsClient *)arg, UNKNOWN_ID);
    return NULL;
}

/* The child's half of the fork test: everything must end well within alarm(10). */
static void fork_child(ZsClient *c) {
    alarm(10);
    g_passed = g_failed = 0;
    g_group = "fork child";
    char id[37] = "";
    double t0 = now_ms();
    ZsErrorCode rc = send_one(c, id);
    CHECKF(rc == ZS_OK, "send in the child: %s", zs_error_code_name(rc));
    if (rc == ZS_OK) {
        rc = get_one(c, id);
        CHECKF(rc == ZS_OK, "get in the child: %s", zs_error_code_name(rc));
    }
    CHECKF(now_ms() - t0 < 3000, "calls in the child took %.0f ms", now_ms() - t0);
    /* The deadline holds in the child: the mock holds the answer for 8 s, the
     * client's timeout is 3 s. */
    fault("{\"method\":\"GET\",\"path\":\"/core/api/sessions/\",\"delay_ms\":8000}");
    t0 = now_ms();
    rc = get_one(c, id[0] ? id : UNKNOWN_ID);
    double took = now_ms() - t0;
    CHECKF(rc == ZS_ERR_TIMEOUT, "a held read in the child: %s", zs_error_code_name(rc));
    CHECKF(took >= 2500 && took < 5000, "the held read ended after %.0f ms (timeout 3000)", took);
    fflush(stderr);
    _exit(g_failed ? 1 : 0);
}

static void test_fork(void) {
    g_group = "fork";
    clear_faults();
    ZsClient *c = new_client(3000, 0);
    if (!c) return;
    char id[37] = "";
    CHECK(send_one(c, id) == ZS_OK);
    CHECK(get_one(c, id) == ZS_OK); /* the parent's runtime and pool now exist and hold a connection */

    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) fork_child(c);
    CHECKF(pid > 0, "fork: %s", strerror(errno));
    if (pid > 0) {
        char buf[64];
        int status = wait_for(pid, 15000, NULL);
        CHECKF(exited_ok(status), "the child: %s", describe_status(status, buf, sizeof buf));
    }
    CHECKF(get_one(c, id) == ZS_OK, "the parent calls after the child");
    CHECKF(send_one(c, NULL) == ZS_OK, "the parent sends after the child");

    /* fork() while another parent thread is mid-call: the child never touches the
     * parent's busy runtime. */
    fault("{\"method\":\"GET\",\"path\":\"/core/api/sessions/\",\"delay_ms\":1500}");
    pthread_t t;
    int started = pthread_create(&t, NULL, slow_get, c) == 0;
    CHECK(started);
    sleep_ms(200);
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        alarm(10);
        g_group = "fork child (parent busy)";
        int ok = send_one(c, id) == ZS_OK && get_one(c, id) == ZS_OK;
        _exit(ok ? 0 : 1);
    }
    if (pid > 0) {
        char buf[64];
        int status = wait_for(pid, 15000, NULL);
        CHECKF(exited_ok(status), "the child forked mid-call: %s", describe_status(status, buf, sizeof buf));
    }
    if (started) pthread_join(t, NULL);
    CHECK(get_one(c, id) == ZS_OK);
    zs_client_free(c);
    clear_faults();
}

/* A child that only frees the inherited client (a prefork worker that never
 * uses it) ends at once, and so does one that frees it after using it. */
static void test_fork_free(void) {
    g_group = "fork free";
    ZsClient *c = new_client(3000, 0);
    if (!c) return;
    CHECK(get_one(c, UNKNOWN_ID) == ZS_ERR_NOT_FOUND);
    for (int used = 0; used < 2; used++) {
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            alarm(5);
            if (used) (void)get_one(c, UNKNOWN_ID);
            zs_client_free(c);
            zs_client_free(NULL);
            exit(0);
        }
        CHECK(pid > 0);
        if (pid > 0) {
            char buf[64];
            double took = 0;
            int status = wait_for(pid, 8000, &took);
            CHECKF(exited_ok(status), "a child freeing the client (used=%d): %s", used,
                   describe_status(status, buf, sizeof buf));
            CHECKF(took < 2000, "the child took %.0f ms to free and exit", took);
        }
    }
    CHECK(get_one(c, UNKNOWN_ID) == ZS_ERR_NOT_FOUND);
    zs_client_free(c);
}

/* ------------------------------------------------------------------ exit */

#define EXIT_THREADS 6
#define EXIT_RUNS 20

static void *exit_worker(void *arg) {
    ZsClient *c = (ZsClient *)arg;
    for (;;) {
        (void)send_one(c, NULL);
        (void)get_one(c, UNKNOWN_ID);
    }
    return NULL;
}

/* The subprocess: threads mid-call (the mock holds every answer), then exit(0)
 * from the main thread without freeing anything. */
static int exit_child(void) {
    alarm(10);
    g_group = "";
    ZsClient *c = new_client(20000, 0);
    if (!c) return 3;
    for (int i = 0; i < EXIT_THREADS; i++) {
        pthread_t t;
        if (pthread_create(&t, NULL, exit_worker, c) != 0) return 4;
        pthread_detach(t);
    }
    sleep_ms(300 + (long)(getpid() % 7) * 20);
    exit(0);
}

static void test_exit(void) {
    g_group = "exit";
    clear_faults();
    fault("{\"path\":\"/core/api/sessions\",\"delay_ms\":5000,\"count\":100000}");
    pid_t pids[EXIT_RUNS];
    double start = now_ms();
    for (int i = 0; i < EXIT_RUNS; i++) {
        fflush(NULL);
        pids[i] = fork();
        if (pids[i] == 0) {
            char *args[] = {(char *)g_exe, (char *)"exit-child", NULL};
            execv(g_exe, args);
            _exit(127);
        }
        CHECK(pids[i] > 0);
    }
    int ok = 0;
    for (int i = 0; i < EXIT_RUNS; i++) {
        if (pids[i] <= 0) continue;
        char buf[64];
        int status = wait_for(pids[i], 10000, NULL);
        if (exited_ok(status)) ok++;
        else CHECKF(0, "exit run %d: %s", i, describe_status(status, buf, sizeof buf));
    }
    double took = now_ms() - start;
    CHECKF(ok == EXIT_RUNS, "%d of %d exit runs ended with status 0", ok, EXIT_RUNS);
    CHECKF(took < 8000, "the exit runs took %.0f ms", took);
    printf("exit: %d/%d runs exited 0 with %d threads mid-call (%.0f ms)\n", ok, EXIT_RUNS, EXIT_THREADS, took);
    clear_faults();
}

/* ------------------------------------------------------------------ proxy */

static int listen_loopback(int *port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 16) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

/* How many connections are waiting on `fd` (accepted and closed here). */
static int drain_connections(int fd) {
    int n = 0;
    struct pollfd p = {fd, POLLIN, 0};
    while (poll(&p, 1, 0) == 1 && (p.revents & POLLIN)) {
        int c = accept(fd, NULL, NULL);
        if (c < 0) break;
        close(c);
        n++;
    }
    return n;
}

typedef struct {
    int fd;
    char request[1024];
} recorder;

/* Accept one connection (within 3 s), keep what it sends first, close it. */
static void *record_one(void *arg) {
    recorder *r = (recorder *)arg;
    struct pollfd p = {r->fd, POLLIN, 0};
    if (poll(&p, 1, 3000) != 1) return NULL;
    int c = accept(r->fd, NULL, NULL);
    if (c < 0) return NULL;
    size_t got = 0;
    struct pollfd q = {c, POLLIN, 0};
    while (got < sizeof r->request - 1 && poll(&q, 1, 1000) == 1) {
        ssize_t n = read(c, r->request + got, sizeof r->request - 1 - got);
        if (n <= 0) break;
        got += (size_t)n;
        r->request[got] = '\0';
        if (strstr(r->request, "\r\n\r\n")) break;
    }
    close(c);
    return NULL;
}

static const char *PROXY_VARS[] = {"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"};
#define N_PROXY_VARS (sizeof PROXY_VARS / sizeof PROXY_VARS[0])

static void test_proxy(void) {
    g_group = "proxy";
    clear_faults();
    int port = 0;
    int fd = listen_loopback(&port);
    CHECKF(fd >= 0, "listen: %s", strerror(errno));
    if (fd < 0) return;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    for (size_t i = 0; i < N_PROXY_VARS; i++) setenv(PROXY_VARS[i], url, 1);
    unsetenv("NO_PROXY");
    unsetenv("no_proxy");

    /* The environment's proxies, then the same listener given as the option: a
     * loopback base URL goes straight to the gateway either way. */
    const char *options[] = {NULL, url, "none"};
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        ZsClient *c = client_with(NULL, options[i], 5000, 0, NULL);
        if (!c) continue;
        char id[37] = "";
        CHECKF(send_one(c, id) == ZS_OK, "send with proxy option %s", s_or(options[i]));
        CHECKF(get_one(c, id) == ZS_OK, "get with proxy option %s", s_or(options[i]));
        zs_client_free(c);
        CHECKF(drain_connections(fd) == 0, "the proxy listener saw a connection (option %s)", s_or(options[i]));
    }

    /* A bad proxy is a config error; a non-UTF-8 one an invalid argument. */
    ZsErrorCode rc = ZS_OK;
    ZsClient *bad = client_with(NULL, "socks5://127.0.0.1:1", 0, -1, &rc);
    CHECKF(rc == ZS_ERR_CONFIG && bad == NULL, "socks5 proxy: %s", zs_error_code_name(rc));
    zs_client_free(bad);
    bad = client_with(NULL, "\xff\xfe", 0, -1, &rc);
    CHECKF(rc == ZS_ERR_INVALID_ARGUMENT && bad == NULL, "non-UTF-8 proxy: %s", zs_error_code_name(rc));
    zs_client_free(bad);

    /* The option reaches the core: an https base URL goes through it as a CONNECT
     * tunnel, and the proxy never sees the key. */
    for (size_t i = 0; i < N_PROXY_VARS; i++) unsetenv(PROXY_VARS[i]);
    recorder r;
    memset(&r, 0, sizeof r);
    r.fd = fd;
    pthread_t t;
    int started = pthread_create(&t, NULL, record_one, &r) == 0;
    CHECK(started);
    ZsClient *c = client_with("https://gateway.example", url, 3000, 0, NULL);
    if (c) {
        rc = get_one(c, UNKNOWN_ID);
        CHECKF(rc == ZS_ERR_CONNECTION || rc == ZS_ERR_TIMEOUT, "through a closed tunnel: %s", zs_error_code_name(rc));
        zs_client_free(c);
    }
    if (started) pthread_join(t, NULL);
    CHECKF(strncmp(r.request, "CONNECT gateway.example:443 ", 28) == 0, "the proxy saw: %.60s", r.request);
    const char *key = getenv("ZIGNSEC_API_KEY");
    CHECK(key && *key && !strstr(r.request, key));
    close(fd);
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *mock_url = getenv("ZIGNSEC_MOCK_URL");
    if (!mock_url || mock_init(mock_url) != 0) {
        fprintf(stderr, "test_deployment: run it through scripts/with-mock.sh (ZIGNSEC_MOCK_URL)\n");
        return 2;
    }
    if (argc > 1 && !strcmp(argv[1], "exit-child")) return exit_child();
    signal(SIGPIPE, SIG_IGN);
    test_fork();
    test_fork_free();
    test_exit();
    test_proxy();
    printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed ? 1 : 0;
}
