/* Signatures in submissions. See signatures.h. */
#include "signatures.h"

#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *sim_base64(const uint8_t *bytes, size_t length)
{
    char *text = malloc((length + 2) / 3 * 4 + 1);
    if (!text)
        return NULL;
    size_t used = 0;
    for (size_t i = 0; i < length; i += 3) {
        uint32_t group = (uint32_t)bytes[i] << 16;
        if (i + 1 < length)
            group |= (uint32_t)bytes[i + 1] << 8;
        if (i + 2 < length)
            group |= bytes[i + 2];
        text[used++] = digits[(group >> 18) & 63];
        text[used++] = digits[(group >> 12) & 63];
        text[used++] = i + 1 < length ? digits[(group >> 6) & 63] : '=';
        text[used++] = i + 2 < length ? digits[group & 63] : '=';
    }
    text[used] = '\0';
    return text;
}

/* Strict base64: length a multiple of 4, padding only at the end. The bytes
 * into out (malloc'd); false when it is not base64 or too long. */
static bool unbase64(const char *text, uint8_t **out, size_t *length)
{
    size_t n = strlen(text);
    *out = NULL;
    *length = 0;
    if (n == 0 || n % 4 != 0 || n / 4 * 3 > SIM_SIGNATURE_PNG_MAX)
        return false;
    uint8_t *bytes = malloc(n / 4 * 3);
    if (!bytes)
        return false;
    size_t used = 0;
    for (size_t i = 0; i < n; i += 4) {
        uint32_t group = 0;
        int pad = 0;
        for (size_t k = 0; k < 4; k++) {
            const char *at = text[i + k] ? strchr(digits, text[i + k]) : NULL;
            bool padding = text[i + k] == '=' && i + 4 == n && k >= 2;
            if ((!at && !padding) || (pad && !padding)) {
                free(bytes);
                return false;
            }
            pad += padding;
            group = group << 6 | (at ? (uint32_t)(at - digits) : 0);
        }
        bytes[used++] = (uint8_t)(group >> 16);
        if (pad < 2)
            bytes[used++] = (uint8_t)(group >> 8);
        if (pad < 1)
            bytes[used++] = (uint8_t)group;
    }
    *out = bytes;
    *length = used;
    return true;
}

typedef struct png_reader {
    const uint8_t *bytes;
    size_t length, at;
} png_reader;

static cairo_status_t read_png(void *closure, unsigned char *data, unsigned int length)
{
    png_reader *reader = closure;
    if (reader->length - reader->at < length)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, reader->bytes + reader->at, length);
    reader->at += length;
    return CAIRO_STATUS_SUCCESS;
}

/* The PNG's size as decoded, false when it does not decode. */
static bool png_size(const uint8_t *bytes, size_t length, int *width, int *height)
{
    png_reader reader = {bytes, length, 0};
    cairo_surface_t *image = cairo_image_surface_create_from_png_stream(read_png, &reader);
    bool ok = cairo_surface_status(image) == CAIRO_STATUS_SUCCESS;
    if (ok) {
        *width = cairo_image_surface_get_width(image);
        *height = cairo_image_surface_get_height(image);
    }
    cairo_surface_destroy(image);
    return ok;
}

/* A field's value that is an object: a signature, checked; its PNG's bytes
 * into *png when png is not NULL. */
static bool one_signature(const cJSON *value, uint8_t **png, size_t *length, int *width,
                          int *height)
{
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(value, "png");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(value, "width");
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(value, "height");
    uint8_t *bytes = NULL;
    size_t n = 0;
    int decoded_w = 0, decoded_h = 0;
    bool ok = cJSON_IsString(text) && cJSON_IsNumber(w) && cJSON_IsNumber(h) &&
              unbase64(text->valuestring, &bytes, &n) &&
              png_size(bytes, n, &decoded_w, &decoded_h) && decoded_w == w->valueint &&
              decoded_h == h->valueint && w->valuedouble == (double)w->valueint &&
              h->valuedouble == (double)h->valueint;
    if (ok && png) {
        *png = bytes;
        *length = n;
        *width = decoded_w;
        *height = decoded_h;
    } else {
        free(bytes);
    }
    return ok;
}

/* A field confirmed by the keypad's enter key instead of a signature: the
 * object {"confirmed_by": "keypad"} and nothing else. */
static bool keypad_declaration(const cJSON *value)
{
    const cJSON *by = cJSON_GetObjectItemCaseSensitive(value, "confirmed_by");
    return cJSON_GetArraySize(value) == 1 && cJSON_IsString(by) &&
           strcmp(by->valuestring, "keypad") == 0;
}

bool sim_signatures_check(const cJSON *payload, char *why, size_t size)
{
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(payload, "fields");
    const cJSON *value = NULL;
    cJSON_ArrayForEach(value, fields)
    {
        if (cJSON_IsObject(value) && !keypad_declaration(value) &&
            !one_signature(value, NULL, NULL, NULL, NULL)) {
            snprintf(why, size,
                     "the body needs payload.fields.%.64s as a signature: png (base64 of a PNG of"
                     " at most %d bytes), width and height (its size); or {\"confirmed_by\": "
                     "\"keypad\"}",
                     value->string, SIM_SIGNATURE_PNG_MAX);
            return false;
        }
    }
    return true;
}

kiosk_error sim_signatures_keep(sim_store *store, const char *tracking, const char *body,
                                size_t length)
{
    cJSON *json = cJSON_ParseWithLength(body, length);
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(json, "payload"), "fields");
    const cJSON *value = NULL;
    kiosk_error result = KIOSK_OK;
    cJSON_ArrayForEach(value, fields)
    {
        uint8_t *png = NULL;
        size_t n = 0;
        int width = 0, height = 0;
        if (!cJSON_IsObject(value) || !one_signature(value, &png, &n, &width, &height))
            continue;
        result = sim_store_add_signature(store, tracking, value->string, width, height, png, n);
        free(png);
        if (result != KIOSK_OK)
            break;
    }
    cJSON_Delete(json);
    return result;
}
