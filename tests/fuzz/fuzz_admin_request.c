/* Fuzzes the admin socket's two parsers with any line a peer may send: a
 * request the kiosk reads, an answer kioskctl reads. Neither may crash or
 * leak; a request taken must hold only what the protocol allows, and
 * formatted again it must read back the same. */
#include "firmware/admin/admin_protocol.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool condition)
{
    if (!condition)
        abort();
}

static void check_request(const admin_request *request)
{
    size_t length = strlen(request->command);
    check(length > 0 && length < ADMIN_COMMAND_MAX);
    for (size_t i = 0; i < length; i++)
        check(request->command[i] >= 'a' && request->command[i] <= 'z');
    check(request->arg_count <= ADMIN_ARGS_MAX);
    for (size_t i = 0; i < request->arg_count; i++) {
        for (const char *p = request->args[i]; *p; p++)
            check((unsigned char)*p >= 0x20 && *p != 0x7f);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *line = (const char *)data;
    admin_request request;
    kiosk_diag diag = {{0}};
    if (admin_request_parse(line, size, &request, &diag) == KIOSK_OK) {
        check_request(&request);
        char *again = admin_request_format(&request);
        check(again != NULL);
        admin_request back;
        check(admin_request_parse(again, strlen(again) - 1, &back, &diag) == KIOSK_OK);
        check(memcmp(&back, &request, sizeof back) == 0);
        free(again);
    }
    admin_answer answer;
    if (admin_answer_parse(line, size, &answer, &diag) == KIOSK_OK)
        admin_answer_free(&answer);
    return 0;
}
