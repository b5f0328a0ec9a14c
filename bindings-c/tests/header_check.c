/* Compiled as C99 and as C++17 with -Wall -Wextra -Werror (make test-c): the
 * header must stand alone in both languages. */
#include "zignsec.h"
#include "zignsec.h" /* the include guard holds */

int main(void) {
    ZsClientOptions opts = {NULL, NULL, NULL, 0, 0, -1, NULL};
    ZsSendSmsParams sms = {"+46701234567", "hi", "ZignSec", 0, NULL, NULL};
    ZsStartPhoneVerificationParams phone = {"+46701234567", NULL, NULL, NULL, NULL, NULL, NULL};
    ZsSmsParts parts = {ZS_SMS_GSM7, 0, 0, 0};
    ZsErrorCode code = ZS_OK;
    ZsMaybeSent maybe = ZS_MAYBE_SENT_UNKNOWN;
    const ZsSmsSessionDetails *d = zs_error_sms_details(NULL);
    const ZsPhoneSessionDetails *pd = zs_error_phone_details(NULL);
    ZsWebhookEvent *e = NULL;
    (void)opts; (void)sms; (void)phone; (void)parts; (void)d; (void)pd; (void)e;
    return (int)code + (int)maybe + 1 + (zs_version() == NULL);
}
