/* Text for the printer's Chinese mode: one character at a time between
 * UTF-8 and GB 18030, through iconv (glibc's "GB18030" is the 2005 mapping).
 *
 * GB 18030 encodes every Unicode scalar value: ASCII in one byte, the GBK
 * repertoire in two (lead 81-FE, trail 40-7E or 80-FE), everything else in
 * four (81-FE 30-39 81-FE 30-39), U+10000 and up included. No byte of a
 * multi-byte sequence is below 0x30, so text can never be mistaken for an
 * ESC/POS command. Internal to drivers/printer (the renderer and the
 * decoder). */
#ifndef KIOSK_DRIVERS_PRINTER_GB18030_H
#define KIOSK_DRIVERS_PRINTER_GB18030_H

#include "firmware/base/error.h"

#include <iconv.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GB18030_CHAR_MAX 4 /* bytes of one character */

/* Two iconv descriptors, one per direction. Each user opens its own (iconv
 * keeps shift state), on any thread. */
typedef struct gb18030_codec {
    iconv_t to_gb;
    iconv_t to_unicode;
} gb18030_codec;

/* Errors: UNSUPPORTED (this C library has no GB18030 converter). */
kiosk_error gb18030_open(gb18030_codec *codec) KIOSK_MUST_CHECK;
void gb18030_close(gb18030_codec *codec);

/* The code point of one UTF-8 character of length bytes, or false when the
 * bytes are not exactly one well-formed character (overlong forms,
 * surrogates, past U+10FFFF, truncated). */
bool gb18030_utf8_decode(const char *utf8, size_t length, uint32_t *code_point);

/* Appends code_point as UTF-8 (1 to 4 bytes); returns the length. */
size_t gb18030_utf8_encode(uint32_t code_point, char out[4]);

/* The GB 18030 bytes of code_point in out; returns their length (1, 2 or
 * 4), or 0 when the mapping has none (the 24 private-use code points that
 * GB 18030-2005 moved to standard characters). */
size_t gb18030_encode(gb18030_codec *codec, uint32_t code_point, uint8_t out[GB18030_CHAR_MAX]);

/* How long the GB 18030 sequence starting at bytes is: 1, 2 or 4; 0 when
 * the first bytes cannot start one, or length is too short to tell. */
size_t gb18030_sequence_length(const uint8_t *bytes, size_t length);

/* The code point of one whole sequence (as gb18030_sequence_length
 * measured it), or false when it maps to none. */
bool gb18030_decode(gb18030_codec *codec, const uint8_t *bytes, size_t length,
                    uint32_t *code_point);

#endif
