/* Compiled as C99 and as C++17 with -Wall -Wextra -Werror (make test-c): the
 * header must stand alone in both languages, and every _INIT macro must name
 * every field of its struct (-Wmissing-field-initializers). */
#include "zignsec.h"
#include "zignsec.h" /* the include guard holds */

int main(void) {
    ZsClientOptions opts = ZS_CLIENT_OPTIONS_INIT;
    ZsSendSmsParams sms = ZS_SEND_SMS_PARAMS_INIT;
    ZsStartPhoneVerificationParams phone = ZS_START_PHONE_VERIFICATION_PARAMS_INIT;
    ZsStartEmailVerificationParams email = ZS_START_EMAIL_VERIFICATION_PARAMS_INIT;
    ZsOtpOptions otp = ZS_OTP_OPTIONS_INIT;
    ZsSendOtpParams send_otp = ZS_SEND_OTP_PARAMS_INIT;
    ZsSmsParts parts = {ZS_SMS_GSM7, 0, 0, 0};
    ZsErrorCode code = ZS_OK;
    ZsMaybeSent maybe = ZS_MAYBE_SENT_UNKNOWN;
    ZsOtpReason reason = ZS_OTP_OK;
    const ZsSmsSessionDetails *d = zs_error_sms_details(NULL);
    const ZsPhoneSessionDetails *pd = zs_error_phone_details(NULL);
    const ZsEmailSessionDetails *ed = zs_error_email_details(NULL);
    ZsWebhookEvent *e = NULL;
    const char *version = ZIGNSEC_VERSION;
    (void)opts; (void)sms; (void)phone; (void)email; (void)otp; (void)send_otp; (void)parts;
    (void)d; (void)pd; (void)ed; (void)e; (void)version; (void)reason;
    return (int)code + (int)maybe + 1 + (zs_version() == NULL);
}
