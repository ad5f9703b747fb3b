/* Reading JSON files of outside origin (board profiles, catalogs, string
 * tables) with one clear error per problem: the file, the field's path and what
 * was expected, e.g. "board/x.json: screen.width_px: expected an integer from
 * 240 to 8192". */
#ifndef KIOSK_FIRMWARE_BASE_JSON_FIELDS_H
#define KIOSK_FIRMWARE_BASE_JSON_FIELDS_H

#include "firmware/base/error.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* Parses the file at path (at most max_size bytes). *out is owned by the
 * caller (cJSON_Delete). A syntax error names the line and column. */
kiosk_error json_parse_file(const char *path, size_t max_size, cJSON **out,
                            kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Parses text (length bytes, not necessarily NUL-terminated) that came
 * from origin (a file's path, or "the platform's catalog"). Same rules and
 * errors as json_parse_file. */
kiosk_error json_parse_text(const char *origin, const char *text, size_t length, cJSON **out,
                            kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Where a field lives, for error messages: the file and the dotted path of the
 * enclosing object ("" at the top). */
typedef struct json_place {
    const char *file;
    const char *path;
} json_place;

/* The member `name` of object, which must exist and be of the stated kind.
 * Integers must be whole numbers within [min, max]; strings must be non-empty
 * and shorter than max_length bytes. */
kiosk_error json_field_object(json_place place, const cJSON *object, const char *name,
                              const cJSON **out, kiosk_diag *diag) KIOSK_MUST_CHECK;
kiosk_error json_field_array(json_place place, const cJSON *object, const char *name,
                             const cJSON **out, kiosk_diag *diag) KIOSK_MUST_CHECK;
kiosk_error json_field_int(json_place place, const cJSON *object, const char *name, long min,
                           long max, long *out, kiosk_diag *diag) KIOSK_MUST_CHECK;
kiosk_error json_field_string(json_place place, const cJSON *object, const char *name,
                              size_t max_length, const char **out,
                              kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Copies src into a fixed buffer; false (and dst untouched) when it does not fit. */
bool json_copy_string(char *dst, size_t dst_size, const char *src);

#endif
