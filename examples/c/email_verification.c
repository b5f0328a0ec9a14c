/* zignsec email verification in C: start one, let the user type the emailed code
 * on the hosted page, wait until it is final; then a one-time code sent by SMS
 * and checked by your server, and a number normalized to E.164. Also shows a
 * client with a secondary key for rotation.
 *
 *   cc email_verification.c $(pkg-config --cflags --libs zignsec) -o email_verification
 *   ZIGNSEC_API_KEY=... ./email_verification          (the test gateway)
 *   scripts/with-mock.sh ./email_verification         (the offline gateway)
 *
 * Against the offline gateway (ZIGNSEC_MOCK_URL set) the example plays the user
 * on the hosted page (the code is read from the gateway's control API, as an
 * inbox would show it). */
#define _POSIX_C_SOURCE 200809L
#include <zignsec.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Print the error, free it, and exit. */
static void die(const char *what, ZsErrorCode code, ZsError *err) {
    fprintf(stderr, "%s failed: %s: %s\n", what, zs_error_code_name(code),
            err ? zs_error_message(err) : "(no details)");
    if (zs_error_field(err)) fprintf(stderr, "  field: %s\n", zs_error_field(err));
    if (zs_error_status(err)) fprintf(stderr, "  HTTP status: %d\n", zs_error_status(err));
    if (zs_error_maybe_sent(err) == ZS_MAYBE_SENT_YES) fprintf(stderr, "  the SMS may already be on its way\n");
    zs_error_free(err);
    exit(1);
}

/* ---- a minimal HTTP/1.1 client for the offline gateway (loopback, no TLS) ---- */

/* POST a form to `url` ("http://127.0.0.1:PORT/path"), or GET when form is NULL.
 * Returns the status; copies the body (truncated) into `body` when not NULL. */
static int http(const char *url, const char *form, char *body, size_t body_size) {
    char host[64];
    int port;
    char path[512];
    if (sscanf(url, "http://%63[^:]:%d%511s", host, &port, path) != 3) return 0;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    if (fd < 0 || inet_pton(AF_INET, host, &addr.sin_addr) != 1 ||
        connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        if (fd >= 0) close(fd);
        return 0;
    }
    char req[1024];
    int n = snprintf(req, sizeof req,
                     "%s %s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n%s",
                     form ? "POST" : "GET", path, host, port, form ? strlen(form) : 0, form ? form : "");
    if (n < 0 || write(fd, req, (size_t)n) != n) { close(fd); return 0; }
    static char resp[65536];
    size_t got = 0;
    ssize_t r;
    while (got < sizeof resp - 1 && (r = read(fd, resp + got, sizeof resp - 1 - got)) > 0) got += (size_t)r;
    close(fd);
    resp[got] = 0;
    int status = 0;
    if (sscanf(resp, "HTTP/1.%*d %d", &status) != 1) return 0;
    const char *b = strstr(resp, "\r\n\r\n");
    if (body && body_size) snprintf(body, body_size, "%s", b ? b + 4 : "");
    return status;
}

/* The offline gateway shows the code it "texted" on its control API. */
static int read_last_code(const char *mock_url, const char *id, char code[6]) {
    char url[512], body[8192];
    snprintf(url, sizeof url, "%s/_mock/sessions/%s", mock_url, id);
    if (http(url, NULL, body, sizeof body) != 200) return 0;
    const char *p = strstr(body, "\"last_code\":\"");
    if (!p) return 0;
    memcpy(code, p + 13, 5);
    code[5] = 0;
    return 1;
}

int main(void) {
    ZsError *err = NULL;
    ZsErrorCode rc;
    printf("libzignsec %s (header %s)\n", zs_version(), ZIGNSEC_VERSION);

    /* Options start "unset" (environment, then defaults); set only what you need.
     * ZIGNSEC_SECONDARY_API_KEY (or opts.secondary_api_key) adds a second key: a
     * 401 is retried once with it, and the client keeps the key that works. */
    ZsClientOptions opts = ZS_CLIENT_OPTIONS_INIT;
    opts.auth_scheme = getenv("ZIGNSEC_AUTH_SCHEME"); /* NULL: "authorization" */
    ZsClient *client = NULL;
    if ((rc = zs_client_new(&opts, &client, &err)) != ZS_OK) die("zs_client_new", rc, err);

    /* 1. An email verification: locale and both redirects are required. */
    ZsStartEmailVerificationParams email = ZS_START_EMAIL_VERIFICATION_PARAMS_INIT;
    email.email_address = "jane.doe@example.com";
    email.locale = "En";
    email.redirect_success = "https://example.com/verified";
    email.redirect_failure = "https://example.com/failed";
    email.relay_state = "signup-42";
    ZsEmailSession *session = NULL;
    rc = zs_start_email_verification(client, &email, &session, &err);
    if (rc != ZS_OK) die("zs_start_email_verification", rc, err);
    printf("email verification %s: send the user to %s\n", session->id, session->redirect_url);

    const char *mock_url = getenv("ZIGNSEC_MOCK_URL");
    if (mock_url && *mock_url) {
        char url[512], code[6], form[32];
        snprintf(url, sizeof url, "%s/send", session->redirect_url);
        if (http(url, "", NULL, 0) != 303) { fprintf(stderr, "could not ask for a code\n"); return 1; }
        if (!read_last_code(mock_url, session->id, code)) { fprintf(stderr, "no code\n"); return 1; }
        snprintf(url, sizeof url, "%s/verify", session->redirect_url);
        snprintf(form, sizeof form, "code=%s", code);
        if (http(url, form, NULL, 0) != 303) { fprintf(stderr, "could not type the code\n"); return 1; }
        printf("the user typed the emailed code on the hosted page\n");
    } else {
        printf("open the page and type the emailed code (waiting up to 5 minutes)\n");
    }
    ZsEmailSessionDetails *done = NULL;
    rc = zs_wait_email_session(client, session->id, 0, 500, &done, &err);
    if (rc == ZS_ERR_WAIT_TIMEOUT) {
        const ZsEmailSessionDetails *last = zs_error_email_details(err);
        printf("still %s: the user did not finish (raw: %s)\n", zs_error_last_status(err), last ? last->raw : "");
        zs_error_free(err);
        err = NULL;
    } else if (rc != ZS_OK) {
        die("zs_wait_email_session", rc, err);
    } else {
        printf("email verification %s is %s (%zu error(s) reported)\n", done->id, done->status, done->errors_count);
        for (size_t i = 0; i < done->errors_count; i++)
            printf("  %s: %s\n", done->errors[i].code, done->errors[i].description);
    }
    zs_email_session_details_free(done);
    zs_email_session_free(session);

    /* 2. A number typed in national format, normalized before sending. */
    char *to = NULL;
    if ((rc = zs_normalize_phone("070-123 45 67", "SE", &to, &err)) != ZS_OK) die("zs_normalize_phone", rc, err);
    printf("normalized: %s\n", to);

    /* 3. A one-time code: the SDK makes it, sends it, and checks what the user types. */
    const char *secret = "an-app-secret-of-at-least-16-bytes";
    ZsOtpOptions otp_opts = ZS_OTP_OPTIONS_INIT; /* 6 digits, 5 minutes, 5 attempts */
    ZsOtp *otp = NULL;
    if ((rc = zs_otp_new(secret, strlen(secret), &otp_opts, &otp, &err)) != ZS_OK) die("zs_otp_new", rc, err);
    ZsSendOtpParams send = ZS_SEND_OTP_PARAMS_INIT;
    send.otp = otp;
    send.to = to;
    send.from = "ZignSec";
    send.message_template = "Your ZignSec code is {code}";
    ZsOtpSend *sent = NULL;
    if ((rc = zs_send_otp(client, &send, &sent, &err)) != ZS_OK) die("zs_send_otp", rc, err);
    printf("code sent in sms %s; store the challenge server-side\n", sent->session.id);
    /* Your server later checks what the user typed; a wrong code is not an error. */
    ZsOtpCheck *check = NULL;
    if ((rc = zs_otp_check(otp, sent->challenge, "000000", to, &check, &err)) != ZS_OK) die("zs_otp_check", rc, err);
    printf("a guess: ok=%d reason=%s attempts_left=%u\n", check->ok, zs_otp_reason_name(check->reason),
           check->attempts_left);
    zs_otp_check_free(check); /* store check->challenge back before freeing in a real app */
    zs_otp_send_free(sent);
    zs_otp_free(otp);
    zs_string_free(to);

    zs_client_free(client);
    return 0;
}
