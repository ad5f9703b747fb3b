/* Signatures in submissions. See signatures.h. */
#include "signatures.h"

#include "firmware/base/base64.h"
#include "firmware/base/wipe_alloc.h"

#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
              (bytes = base64_decode(text->valuestring, SIM_SIGNATURE_PNG_MAX, &n)) != NULL &&
              png_size(bytes, n, &decoded_w, &decoded_h) && decoded_w == w->valueint &&
              decoded_h == h->valueint && w->valuedouble == (double)w->valueint &&
              h->valuedouble == (double)h->valueint;
    if (ok && png) {
        *png = bytes;
        *length = n;
        *width = decoded_w;
        *height = decoded_h;
    } else {
        wipe_free(bytes);
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
        wipe_free(png);
        if (result != KIOSK_OK)
            break;
    }
    cJSON_Delete(json);
    return result;
}
