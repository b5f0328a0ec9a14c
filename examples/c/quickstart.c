/* zignsec quickstart in C: send an SMS and wait until it is delivered, run a
 * phone verification, and sign + verify a webhook.
 *
 *   cc quickstart.c $(pkg-config --cflags --libs zignsec) -o quickstart
 *   ZIGNSEC_API_KEY=... ./quickstart            (the test gateway)
 *   scripts/with-mock.sh ./quickstart           (the offline gateway)
 *
 * Against the offline gateway (ZIGNSEC_MOCK_URL set) the example also plays the
 * user on the hosted verification page, with plain HTTP form posts. */
#define _POSIX_C_SOURCE 200809L
#include <zignsec.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
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
    printf("libzignsec %s\n", zs_version());

    /* A client from ZIGNSEC_API_KEY / ZIGNSEC_BASE_URL; share it between threads. */
    ZsClientOptions opts = ZS_CLIENT_OPTIONS_INIT; /* every field unset: env, then defaults */
    ZsClient *client = NULL;
    if ((rc = zs_client_new(&opts, &client, &err)) != ZS_OK) die("zs_client_new", rc, err);

    /* 1. An SMS, waited until delivered. */
    ZsSmsParts parts;
    const char *message = "Your ZignSec code is 12345";
    if ((rc = zs_sms_parts(message, &parts, &err)) != ZS_OK) die("zs_sms_parts", rc, err);
    printf("message: %u %s part(s)\n", parts.parts, zs_sms_encoding_name(parts.encoding));

    ZsSendSmsParams sms = ZS_SEND_SMS_PARAMS_INIT;
    sms.to = "+46701234567";
    sms.from = "ZignSec";
    sms.message = message;
    sms.relay_state = "order-1001";
    ZsSmsSession *session = NULL;
    if ((rc = zs_send_sms(client, &sms, &session, &err)) != ZS_OK) die("zs_send_sms", rc, err);
    printf("sms %s is %s\n", session->id, session->status);

    ZsSmsSessionDetails *done = NULL;
    rc = zs_wait_sms_session(client, session->id, 60000, 250, &done, &err);
    if (rc != ZS_OK) die("zs_wait_sms_session", rc, err);
    printf("sms %s is %s (%lld part(s), relay_state %s)\n", done->id, done->status,
           (long long)done->number_of_message_parts, done->request.relay_state);
    zs_sms_session_details_free(done);
    zs_sms_session_free(session);

    /* 2. A phone verification: the user types the code on the hosted page. */
    ZsStartPhoneVerificationParams phone = ZS_START_PHONE_VERIFICATION_PARAMS_INIT;
    phone.phone_number = "+46703339954";
    phone.locale = "En";
    phone.redirect_success = "https://example.com/verified";
    phone.redirect_failure = "https://example.com/failed";
    ZsPhoneSession *verification = NULL;
    rc = zs_start_phone_verification(client, &phone, &verification, &err);
    if (rc != ZS_OK) die("zs_start_phone_verification", rc, err);
    printf("phone verification %s: send the user to %s\n", verification->id, verification->redirect_url);

    const char *mock_url = getenv("ZIGNSEC_MOCK_URL");
    if (mock_url && *mock_url) {
        char url[512], code[6], form[32];
        snprintf(url, sizeof url, "%s/send", verification->redirect_url);
        if (http(url, "", NULL, 0) != 303) { fprintf(stderr, "could not ask for a code\n"); return 1; }
        if (!read_last_code(mock_url, verification->id, code)) { fprintf(stderr, "no code\n"); return 1; }
        snprintf(url, sizeof url, "%s/verify", verification->redirect_url);
        snprintf(form, sizeof form, "code=%s", code);
        if (http(url, form, NULL, 0) != 303) { fprintf(stderr, "could not type the code\n"); return 1; }
        printf("the user typed %s on the hosted page\n", code);
    } else {
        printf("open the page and type the code (waiting up to 5 minutes)\n");
    }
    ZsPhoneSessionDetails *verified = NULL;
    rc = zs_wait_phone_session(client, verification->id, 0, 500, &verified, &err);
    if (rc == ZS_ERR_WAIT_TIMEOUT) {
        printf("still %s: the user did not finish\n", zs_error_last_status(err));
        zs_error_free(err);
    } else if (rc != ZS_OK) {
        die("zs_wait_phone_session", rc, err);
    } else {
        printf("phone verification %s is %s\n", verified->id, verified->status);
    }
    zs_phone_session_details_free(verified);
    zs_phone_session_free(verification);

    /* 3. A webhook: sign it like the gateway does, then verify it like your server should. */
    const char *secret = getenv("ZIGNSEC_WEBHOOK_SECRET");
    if (!secret || !*secret) secret = "whsec_example";
    const char *body = "{\"event\":\"status_changed\",\"id\":\"26f5cc23-dbbb-45bb-a210-2818e70637bd\","
                       "\"relay_state\":\"order-1001\",\"status\":\"delivered\",\"number_of_message_parts\":1}";
    char *header = NULL;
    rc = zs_sign_webhook(body, strlen(body), secret, (int64_t)time(NULL), &header, &err);
    if (rc != ZS_OK) die("zs_sign_webhook", rc, err);
    ZsWebhookEvent *event = NULL;
    rc = zs_verify_webhook(body, strlen(body), header, secret, -1, &event, &err);
    if (rc != ZS_OK) die("zs_verify_webhook", rc, err);
    printf("webhook verified: %s %s is %s\n", event->event, event->id, event->status);
    zs_webhook_event_free(event);

    rc = zs_verify_webhook(body, strlen(body), header, "not-the-secret", -1, &event, &err);
    printf("a forged webhook is rejected: %s\n", zs_error_code_name(rc));
    zs_error_free(err);
    zs_string_free(header);

    zs_client_free(client);
    return rc == ZS_ERR_WEBHOOK_SIGNATURE ? 0 : 1;
}
