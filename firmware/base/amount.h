/* Amounts of money and long numbers as the citizen reads them: digits in
 * groups, so "1234567.8" is not misread by a factor of ten.
 *
 * Money is held in fen (1/100 yuan) as an integer, never in floating point.
 * zh-CN and zh-TW write "12,345.67 元", English "¥12,345.67". A code the
 * citizen copies (a tracking number) is shown in groups of four.
 */
#ifndef KIOSK_FIRMWARE_BASE_AMOUNT_H
#define KIOSK_FIRMWARE_BASE_AMOUNT_H

#include "firmware/base/error.h"
#include "firmware/base/lang.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest amount taken: a trillion yuan, in fen. */
#define AMOUNT_FEN_MAX ((int64_t)100000000000000)

/* fen as the citizen reads it in language. Errors: MALFORMED (beyond
 * AMOUNT_FEN_MAX either way), TOO_BIG (out is short); out is then "". */
kiosk_error amount_format(int64_t fen, lang language, char *out, size_t size);

/* Reads an amount in yuan as a platform writes it: an optional '-', digits
 * (commas between groups of three allowed), an optional '.' and one or two
 * digits, then optionally spaces and "元" or "CNY"; or "¥" before the
 * digits. Nothing else. Errors: MALFORMED. */
kiosk_error amount_parse(const char *text, int64_t *fen) KIOSK_MUST_CHECK;

/* text when it is an amount (amount_parse), as amount_format writes it in
 * language; otherwise text unchanged. True when it was an amount. */
bool amount_regroup(const char *text, lang language, char *out, size_t size);

/* A long code for the eye: a code of more than eight letters and digits
 * and nothing else in groups of four separated by a space
 * ("GD20261207000123" -> "GD20 2612 0700 0123"); a code that has its own
 * separators ("K0420-000001") or is short stays as it is. Only for
 * showing: what a machine reads (a QR code, the platform) keeps the code
 * whole. Errors: TOO_BIG (out is then ""). */
kiosk_error amount_group_code(const char *code, char *out, size_t size);

#endif
