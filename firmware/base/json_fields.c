#include "firmware/base/json_fields.h"

#include "firmware/base/file.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

kiosk_error json_parse_file(const char *path, size_t max_size, cJSON **out, kiosk_diag *diag)
{
    char *text = NULL;
    size_t size = 0;
    *out = NULL;
    kiosk_error result = file_read_all(path, max_size, &text, &size, diag);
    if (result != KIOSK_OK)
        return result;
    result = json_parse_text(path, text, size, out, diag);
    free(text);
    return result;
}

/* The first key that an object below node holds twice, or NULL. cJSON keeps
 * both and finds the first: a second "tracking_number" or "id_number" would
 * be read by nobody, and a reader that took the last would disagree. */
static const char *repeated_key(const cJSON *node)
{
    for (const cJSON *child = node ? node->child : NULL; child; child = child->next) {
        if (cJSON_IsObject(node) && child->string) {
            for (const cJSON *later = child->next; later; later = later->next) {
                if (later->string && strcmp(child->string, later->string) == 0)
                    return child->string;
            }
        }
        const char *inside = repeated_key(child);
        if (inside)
            return inside;
    }
    return NULL;
}

/* The first \u escape in text that cJSON would read short, or NULL: \u0000
 * ends the string there, silently dropping what follows
 * ("data\u0000/../../etc" read as "data"), and an escape without four hex
 * digits ends it too ({"error\uc": ...} read as the key "error"). */
static const char *short_escape(const char *text, size_t length)
{
    for (size_t i = 0; i + 1 < length; i++) {
        if (text[i] != '\\')
            continue;
        i++; /* the escaped character: a backslash escaped is no escape */
        if (text[i] != 'u')
            continue;
        if (i + 5 > length)
            return "\\u without four hex digits";
        for (size_t k = 1; k <= 4; k++)
            if (!isxdigit((unsigned char)text[i + k]))
                return "\\u without four hex digits";
        if (memcmp(text + i + 1, "0000", 4) == 0)
            return "\\u0000, which would cut it short";
    }
    return NULL;
}

kiosk_error json_parse_text(const char *origin, const char *text, size_t length, cJSON **out,
                            kiosk_diag *diag)
{
    *out = NULL;
    if (memchr(text, '\0', length))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: contains a NUL byte; not text",
                              origin);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, length, &end, false);
    /* Only white space may follow the value. */
    const char *rest = end;
    while (root && rest && rest < text + length && strchr(" \t\r\n", *rest))
        rest++;
    if (root && rest != text + length) {
        cJSON_Delete(root);
        root = NULL;
    }
    kiosk_error result = KIOSK_OK;
    const char *short_one = root ? short_escape(text, length) : NULL;
    if (!root) {
        /* cJSON points just past where it gave up; count lines up to there. */
        const char *stop = end && end <= text + length ? end : text;
        int line = 1, column = 1;
        for (const char *p = text; p < stop; p++) {
            if (*p == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                "%s: not valid JSON (line %d, column %d)", origin, line, column);
    } else if (!cJSON_IsObject(root)) {
        result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: expected a JSON object at the top",
                                origin);
        cJSON_Delete(root);
        root = NULL;
    } else if (repeated_key(root)) {
        result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                "%s: the key \"%.64s\" appears twice in one object", origin,
                                repeated_key(root));
        cJSON_Delete(root);
        root = NULL;
    } else if (short_one) {
        result =
            kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: a string holds %s", origin, short_one);
        cJSON_Delete(root);
        root = NULL;
    }
    *out = root;
    return result;
}

static kiosk_error field_error(json_place place, const char *name, const char *expected,
                               kiosk_diag *diag)
{
    return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s%s%s: %s", place.file, place.path,
                          place.path[0] ? "." : "", name, expected);
}

static const cJSON *member(const cJSON *object, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(object, name);
}

kiosk_error json_field_object(json_place place, const cJSON *object, const char *name,
                              const cJSON **out, kiosk_diag *diag)
{
    const cJSON *item = member(object, name);
    if (!cJSON_IsObject(item))
        return field_error(place, name, item ? "expected an object" : "missing", diag);
    *out = item;
    return KIOSK_OK;
}

kiosk_error json_field_array(json_place place, const cJSON *object, const char *name,
                             const cJSON **out, kiosk_diag *diag)
{
    const cJSON *item = member(object, name);
    if (!cJSON_IsArray(item))
        return field_error(place, name, item ? "expected an array" : "missing", diag);
    *out = item;
    return KIOSK_OK;
}

kiosk_error json_field_int(json_place place, const cJSON *object, const char *name, long min,
                           long max, long *out, kiosk_diag *diag)
{
    const cJSON *item = member(object, name);
    double value = cJSON_IsNumber(item) ? item->valuedouble : NAN;
    if (!item)
        return field_error(place, name, "missing", diag);
    if (!(value >= (double)min && value <= (double)max) || floor(value) != value) {
        char expected[96];
        snprintf(expected, sizeof expected, "expected a whole number from %ld to %ld", min, max);
        return field_error(place, name, expected, diag);
    }
    *out = (long)value;
    return KIOSK_OK;
}

kiosk_error json_field_string(json_place place, const cJSON *object, const char *name,
                              size_t max_length, const char **out, kiosk_diag *diag)
{
    const cJSON *item = member(object, name);
    if (!item)
        return field_error(place, name, "missing", diag);
    if (!cJSON_IsString(item) || item->valuestring[0] == '\0')
        return field_error(place, name, "expected a non-empty string", diag);
    if (strlen(item->valuestring) >= max_length) {
        char expected[96];
        snprintf(expected, sizeof expected, "longer than the %zu bytes allowed", max_length - 1);
        return field_error(place, name, expected, diag);
    }
    *out = item->valuestring;
    return KIOSK_OK;
}

bool json_copy_string(char *dst, size_t dst_size, const char *src)
{
    size_t length = strlen(src);
    if (length >= dst_size)
        return false;
    memcpy(dst, src, length + 1);
    return true;
}
