/* Fuzz target: the sync client's reading of the platform's answers. The
 * first two bytes choose the status and whether the body claims to be JSON;
 * the rest is the body. */
#include "firmware/platform/sync.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    static const long statuses[] = {201, 200, 409, 400, 401, 403, 429, 500, 503, 0, 413, 422};
    long status = statuses[data[0] % (sizeof statuses / sizeof statuses[0])];
    bool json = data[1] & 1;
    const char *kind = (data[1] & 2) ? "submission" : "rating";
    char tracking[64];
    sync_outcome outcome = sync_classify(status, json, (const char *)data + 2, size - 2, kind,
                                         tracking, sizeof tracking);
    /* A tracking number only with a delivery, and always terminated. */
    if (outcome != SYNC_DELIVERED && tracking[0])
        __builtin_trap();
    if (memchr(tracking, '\0', sizeof tracking) == NULL)
        __builtin_trap();
    /* What reaches a screen, a receipt and a QR code is a tracking number by
     * the grammar: letters, digits and '-'. */
    for (const char *c = tracking; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
              *c == '-'))
            __builtin_trap();
    /* Only a typed conflict acknowledges; only a typed error quarantines. */
    if (outcome == SYNC_CONFLICT && !memmem(data + 2, size - 2, "idempotency-conflict", 20))
        __builtin_trap();
    if (outcome == SYNC_REJECTED && !memmem(data + 2, size - 2, "\"error\"", 7))
        __builtin_trap();
    return 0;
}
