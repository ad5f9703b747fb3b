/* Text from outside — the platform's answers, a catalog, an ID card — made
 * safe to show, print and speak.
 *
 * A string that reaches a screen, a receipt, a QR code or a voice must not
 * carry characters that change how other text is seen: C0 and C1 controls,
 * the bidirectional embeddings, overrides, isolates and marks (which can make
 * "2026-01-30" read as "03-10-6202"), and invisible format characters
 * (zero-width spaces and joiners, soft hyphens, the BOM, interlinear
 * annotation marks). A base module: every folder may use it.
 */
#ifndef KIOSK_FIRMWARE_BASE_UNTRUSTED_TEXT_H
#define KIOSK_FIRMWARE_BASE_UNTRUSTED_TEXT_H

#include "firmware/base/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The length in bytes (1-4) of the well-formed UTF-8 sequence at data, or 0 if
 * it is not one (overlong, a surrogate, past U+10FFFF, cut short). */
size_t untrusted_utf8_sequence(const uint8_t *data, size_t length);

/* Whether data[0..length) is well-formed UTF-8 throughout. */
bool untrusted_utf8_valid(const char *data, size_t length);

/* Whether code_point is one that must not be shown: a control (C0, DEL, C1),
 * a bidirectional control or mark, or an invisible format character. */
bool untrusted_code_point_hidden(uint32_t code_point);

/* Removes, in place, every hidden code point from the NUL-terminated text;
 * tab, carriage return and line feed become one space each so words do not
 * run together. *removed (when not NULL) counts what was removed or replaced.
 * Invalid UTF-8 is KIOSK_ERR_MALFORMED and the text is left as it was: a
 * caller refuses it rather than guessing. */
KIOSK_MUST_CHECK kiosk_error untrusted_text_clean(char *text, size_t *removed);

#endif
