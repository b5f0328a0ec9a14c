/* Negative control for scripts/reliability/c_asan.sh: reads an error's message
 * after zs_error_free(). Built with -fsanitize=address against the instrumented
 * library, this MUST be reported (heap-use-after-free); if it is not, the ASan run
 * proves nothing. Never part of a normal build. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zignsec.h"

int main(void) {
    ZsClientOptions opts;
    zs_client_options_init(&opts);
    opts.api_key = "k";
    opts.base_url = "http://example.com"; /* refused: a config error */
    opts.max_retries = -1;
    ZsClient *client = NULL;
    ZsError *err = NULL;
    if (zs_client_new(&opts, &client, &err) == ZS_OK) {
        fprintf(stderr, "selftest: expected a config error\n");
        return 2;
    }
    const char *message = zs_error_message(err);
    zs_error_free(err);
    printf("selftest: %c\n", message[0]); /* use after free */
    return 0;
}
