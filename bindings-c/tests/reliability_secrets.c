/* Secrets probe for the C binding (run by scripts/reliability/secrets_check.sh with
 * a canary key in ZIGNSEC_API_KEY and ZIGNSEC_LOG=debug, against a mock started with
 * that key). Prints every string the library hands out, for calls that succeed and
 * for every kind of failure; secrets_check.sh greps all of it for the key. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mockhttp.h"
#include "zignsec.h"

static void show_err(const char *label, ZsErrorCode code, ZsError *err) {
    printf("%s: code=%s\n", label, zs_error_code_name(code));
    if (!err) return;
    const char *s;
    printf("  message=%s\n", (s = zs_error_message(err)) ? s : "(null)");
    printf("  field=%s\n", (s = zs_error_field(err)) ? s : "(null)");
    printf("  gateway_code=%s\n", (s = zs_error_gateway_code(err)) ? s : "(null)");
    printf("  body=%s\n", (s = zs_error_body(err)) ? s : "(null)");
    printf("  request_id=%s\n", (s = zs_error_request_id(err)) ? s : "(null)");
    printf("  status=%d attempts=%u maybe_sent=%d retry_after_ms=%lld\n", zs_error_status(err),
           zs_error_attempts(err), (int)zs_error_maybe_sent(err), (long long)zs_error_retry_after_ms(err));
    zs_error_free(err);
}

int main(void) {
    const char *key = getenv("ZIGNSEC_API_KEY");
    const char *mock = getenv("ZIGNSEC_MOCK_URL");
    if (!key || !mock || mock_init(mock) != 0) {
        fprintf(stderr, "needs ZIGNSEC_API_KEY and ZIGNSEC_MOCK_URL\n");
        return 2;
    }
    ZsClientOptions env_opts = ZS_CLIENT_OPTIONS_INIT; /* key and URL from the env */
    env_opts.timeout_ms = 3000;
    env_opts.max_retries = 1;
    ZsClient *client = NULL;
    ZsError *err = NULL;
    ZsErrorCode code = zs_client_new(&env_opts, &client, &err);
    if (code != ZS_OK) {
        show_err("client_new", code, err);
        return 1;
    }
    ZsSendSmsParams sms = {ZS_SEND_SMS_PARAMS_VERSION, "+46701234567", "Your code is 12345", "ZignSec", 1, NULL, NULL};
    ZsSmsSession *s = NULL;
    code = zs_send_sms(client, &sms, &s, &err);
    if (code != ZS_OK) {
        show_err("send_sms", code, err);
        return 1;
    }
    printf("sms id=%s status=%s\n", s->id, s->status);
    char *id = strdup(s->id);
    zs_sms_session_free(s);

    /* One-time codes: returned, logged or put in an error nowhere (secrets_check.sh reads
     * every code the gateway sent and searches all output for it). 8 digits, so that no
     * other number in the output is taken for one. */
    static const char otp_secret[] = "secrets-probe-otp-secret-0123456789abcdef";
    ZsOtpOptions otp_opts = ZS_OTP_OPTIONS_INIT;
    otp_opts.digits = 8;
    ZsOtp *otp = NULL;
    if ((code = zs_otp_new(otp_secret, sizeof otp_secret - 1, &otp_opts, &otp, &err)) != ZS_OK) {
        show_err("otp_new", code, err);
        return 1;
    }
    ZsSendOtpParams otp_send = ZS_SEND_OTP_PARAMS_INIT;
    otp_send.otp = otp;
    otp_send.to = "+46701234567";
    otp_send.from = "ZignSec";
    otp_send.message_template = "Your sign-in code: {code}";
    ZsOtpSend *sent = NULL;
    if ((code = zs_send_otp(client, &otp_send, &sent, &err)) != ZS_OK) {
        show_err("send_otp", code, err);
        return 1;
    }
    printf("otp_send session=%s status=%s challenge=%s\n", sent->session.id, sent->session.status, sent->challenge);
    ZsOtpCheck *check = NULL;
    if ((code = zs_otp_check(otp, sent->challenge, "11111111", "+46701234567", &check, &err)) == ZS_OK) {
        printf("otp_wrong ok=%d reason=%d attempts_left=%u challenge=%s\n", (int)check->ok, (int)check->reason,
               check->attempts_left, check->challenge);
        zs_otp_check_free(check);
    } else {
        show_err("otp_wrong", code, err);
    }
    zs_otp_send_free(sent);

    const char *faults[] = {
        "{\"method\":\"GET\",\"status\":500,\"count\":5}",
        "{\"method\":\"POST\",\"status\":401,\"body\":\"{\\\"errors\\\":[{\\\"code\\\":\\\"unauthorized\\\",\\\"description\\\":\\\"bad key\\\"}]}\"}",
        "{\"method\":\"POST\",\"status\":429,\"retry_after\":\"0\",\"count\":5}",
        "{\"method\":\"POST\",\"drop\":true}",
        "{\"method\":\"GET\",\"status\":200,\"body\":\"<html>oops</html>\",\"content_type\":\"text/html\",\"count\":5}",
        "{\"method\":\"POST\",\"delay_ms\":4000}",
    };
    for (size_t i = 0; i < sizeof faults / sizeof *faults; i++) {
        http_resp r;
        http_call("DELETE", "/_mock/faults", NULL, NULL, 0, &r);
        http_resp_free(&r);
        mock_post("/_mock/faults", faults[i]);
        ZsSmsSessionDetails *d = NULL;
        char label[32];
        snprintf(label, sizeof label, "fault%zu.read", i);
        code = zs_get_sms_session(client, id, &d, &err);
        if (code != ZS_OK) show_err(label, code, err);
        zs_sms_session_details_free(d);
        snprintf(label, sizeof label, "fault%zu.send", i);
        s = NULL;
        code = zs_send_sms(client, &sms, &s, &err);
        if (code != ZS_OK) show_err(label, code, err);
        zs_sms_session_free(s);
        snprintf(label, sizeof label, "fault%zu.send_otp", i);
        sent = NULL;
        code = zs_send_otp(client, &otp_send, &sent, &err);
        if (code != ZS_OK) show_err(label, code, err);
        zs_otp_send_free(sent);
    }
    zs_otp_free(otp);
    http_resp r;
    http_call("DELETE", "/_mock/faults", NULL, NULL, 0, &r);
    http_resp_free(&r);

    /* A wrong key holding the canary; config errors around the key. */
    size_t n = strlen(key);
    char *wrong = malloc(n + 2);
    memcpy(wrong, key, n);
    memcpy(wrong + n, "x", 2);
    ZsClientOptions o1 = ZS_CLIENT_OPTIONS_INIT;
    o1.api_key = wrong;
    o1.timeout_ms = 3000;
    o1.max_retries = 0;
    ZsClient *c1 = NULL;
    if ((code = zs_client_new(&o1, &c1, &err)) == ZS_OK) {
        ZsSmsSessionDetails *d = NULL;
        code = zs_get_sms_session(c1, id, &d, &err);
        if (code != ZS_OK) show_err("wrong_key", code, err);
        zs_sms_session_details_free(d);
        zs_client_free(c1);
    } else {
        show_err("wrong_key.new", code, err);
    }
    ZsClientOptions o2 = ZS_CLIENT_OPTIONS_INIT;
    o2.api_key = key;
    o2.base_url = "http://example.com";
    c1 = NULL;
    code = zs_client_new(&o2, &c1, &err);
    show_err("http_non_loopback", code, err);
    zs_client_free(c1);
    memcpy(wrong + n, "\n", 2);
    ZsClientOptions o3 = ZS_CLIENT_OPTIONS_INIT;
    o3.api_key = wrong;
    c1 = NULL;
    code = zs_client_new(&o3, &c1, &err);
    show_err("key_with_newline", code, err);
    zs_client_free(c1);
    free(wrong);
    ZsSendSmsParams bad = {ZS_SEND_SMS_PARAMS_VERSION, "bad", "x", "ZignSec", 1, NULL, NULL};
    s = NULL;
    code = zs_send_sms(client, &bad, &s, &err);
    show_err("validation", code, err);
    zs_sms_session_free(s);

    zs_client_free(client);
    free(id);
    printf("c secrets probe: done\n");
    return 0;
}
