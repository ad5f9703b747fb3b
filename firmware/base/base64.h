/* Base64 (RFC 4648, standard alphabet, '=' padding) both ways, into wiped
 * allocations: what passes through it is personal (a signature's PNG, a
 * citizen's certificate). */
#ifndef KIOSK_FIRMWARE_BASE_BASE64_H
#define KIOSK_FIRMWARE_BASE_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* bytes as base64 text, NUL-terminated, in a wiped block (wipe_free), or
 * NULL when out of memory. */
char *base64_encode(const uint8_t *bytes, size_t length);

/* Strict base64 (no white space; '=' padding only at the very end) decoded
 * into a wiped block (wipe_free) of at most max bytes; NULL when the text
 * is not that, or decodes to more. */
unsigned char *base64_decode(const char *text, size_t max, size_t *length);

#endif
