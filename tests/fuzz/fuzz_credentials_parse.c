/* Fuzz target: reading the platform's staff credentials
 * (firmware/services/credentials.c). Parsing only: matching runs the KDF,
 * whose cost would leave no time for the parser. */
#include "firmware/services/credentials.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    credentials *set = (credentials *)&set;
    kiosk_diag diag = {{0}};
    kiosk_error result = credentials_parse((const char *)data, size, &set, &diag);
    if (result != KIOSK_OK) {
        /* Refused: nothing handed out, and a reason to log. */
        if (set || !diag.message[0])
            __builtin_trap();
        return 0;
    }
    /* Taken: never a cheap KDF, never more than a hall's staff. */
    if (!set || credentials_iterations(set) < CREDENTIAL_KDF_MIN_ITERATIONS ||
        credentials_count(set) > 512)
        __builtin_trap();
    /* Every entry is findable by its id, with a role and a bounded name. */
    credential_info who;
    if (credentials_get(set, "", &who) == KIOSK_OK)
        __builtin_trap();
    credentials_free(set);
    return 0;
}
