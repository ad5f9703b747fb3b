/* Signatures in submissions: a submission's payload may carry, under a
 * signature field's id in "fields", {"png": base64, "width", "height"}.
 * The stand-in checks each decodes to a PNG of that size (cairo reads it)
 * and keeps it with the submission, for tests to read back through
 * POST /_sim/signatures. */
#ifndef KIOSK_TOOLS_PLATFORM_SIM_SIGNATURES_H
#define KIOSK_TOOLS_PLATFORM_SIM_SIGNATURES_H

#include "store.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A PNG's largest size in a submission. */
#define SIM_SIGNATURE_PNG_MAX (256 * 1024)

/* Whether every signature in payload is a PNG of its stated size; false
 * with why (for the 400 answer) when one is not. */
bool sim_signatures_check(const cJSON *payload, char *why, size_t size);

/* Keeps the signatures of a checked submission body under tracking; inside
 * the caller's transaction (a sim_first_answer). */
kiosk_error sim_signatures_keep(sim_store *store, const char *tracking, const char *body,
                                size_t length) KIOSK_MUST_CHECK;

#endif
