/* The card's text fields: fixed-width UTF-16LE (the readers' documents say
 * UCS-2, but rare name characters outside the BMP come as surrogate pairs),
 * padded with spaces. Internal to drivers/idcard. */
#ifndef KIOSK_DRIVERS_IDCARD_UCS2_H
#define KIOSK_DRIVERS_IDCARD_UCS2_H

#include "firmware/base/error.h"

#include <stddef.h>
#include <stdint.h>

/* Decodes width bytes (an even number) into NUL-terminated UTF-8 in out,
 * dropping trailing spaces. Errors: MALFORMED for an unpaired surrogate, a NUL
 * or a control character; TOO_BIG when out cannot hold the text. */
kiosk_error idcard_ucs2_decode(const uint8_t *field, size_t width, char *out,
                               size_t capacity) KIOSK_MUST_CHECK;

/* Encodes NUL-terminated UTF-8 into width bytes, padded with spaces.
 * Errors: MALFORMED for bad UTF-8 (overlong, surrogate code points, past
 * U+10FFFF, truncated) or a control character; TOO_BIG when it does not fit. */
kiosk_error idcard_ucs2_encode(const char *text, uint8_t *field, size_t width) KIOSK_MUST_CHECK;

#endif
