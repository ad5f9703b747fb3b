#include "ui/ime_handwriting.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool ui_strokes_begin(ui_strokes *ink, int x, int y)
{
    if (ink->strokes >= UI_STROKES_MAX || ink->count >= UI_STROKE_POINTS_MAX)
        return false;
    ink->strokes++;
    return ui_strokes_add(ink, x, y);
}

bool ui_strokes_add(ui_strokes *ink, int x, int y)
{
    if (ink->strokes == 0 || ink->count >= UI_STROKE_POINTS_MAX)
        return false;
    /* A point off the pad is kept on its edge: the stroke goes on. */
    x = x < 0 ? 0 : x >= ink->width ? ink->width - 1 : x;
    y = y < 0 ? 0 : y >= ink->height ? ink->height - 1 : y;
    ui_stroke_point *last = ink->count ? &ink->points[ink->count - 1] : NULL;
    if (last && last->stroke == ink->strokes - 1 && last->x == x && last->y == y)
        return true;
    ink->points[ink->count++] =
        (ui_stroke_point){.x = (int16_t)x, .y = (int16_t)y, .stroke = (uint8_t)(ink->strokes - 1)};
    return true;
}

void ui_strokes_clear(ui_strokes *ink)
{
    int width = ink->width, height = ink->height;
    explicit_bzero(ink, sizeof *ink);
    ink->width = width;
    ink->height = height;
}

#ifdef KIOSK_HAVE_ZINNIA

#include <zinnia.h>

struct ui_handwriting {
    zinnia_recognizer_t *recognizer;
};

kiosk_error ui_handwriting_open(const char *model_path, ui_handwriting **out)
{
    *out = NULL;
    ui_handwriting *handwriting = calloc(1, sizeof *handwriting);
    if (!handwriting)
        return KIOSK_ERR_NO_MEMORY;
    handwriting->recognizer = zinnia_recognizer_new();
    if (!handwriting->recognizer || !zinnia_recognizer_open(handwriting->recognizer, model_path)) {
        ui_handwriting_close(handwriting);
        return KIOSK_ERR_NOT_FOUND;
    }
    *out = handwriting;
    return KIOSK_OK;
}

void ui_handwriting_close(ui_handwriting *handwriting)
{
    if (!handwriting)
        return;
    if (handwriting->recognizer)
        zinnia_recognizer_destroy(handwriting->recognizer);
    free(handwriting);
}

size_t ui_handwriting_recognise(ui_handwriting *handwriting, const ui_strokes *ink,
                                char out[][UI_HANDWRITING_CHAR_MAX], size_t max)
{
    if (!handwriting || ink->count == 0 || max == 0 || ink->width <= 0 || ink->height <= 0)
        return 0;
    zinnia_character_t *character = zinnia_character_new();
    if (!character)
        return 0;
    zinnia_character_set_width(character, (size_t)ink->width);
    zinnia_character_set_height(character, (size_t)ink->height);
    for (size_t i = 0; i < ink->count; i++)
        zinnia_character_add(character, ink->points[i].stroke, ink->points[i].x, ink->points[i].y);
    zinnia_result_t *result = zinnia_recognizer_classify(handwriting->recognizer, character, max);
    size_t count = 0;
    for (size_t i = 0; result && i < zinnia_result_size(result) && count < max; i++) {
        const char *value = zinnia_result_value(result, i);
        if (value && value[0] && strlen(value) < UI_HANDWRITING_CHAR_MAX)
            snprintf(out[count++], UI_HANDWRITING_CHAR_MAX, "%s", value);
    }
    if (result)
        zinnia_result_destroy(result);
    zinnia_character_destroy(character);
    return count;
}

#else /* no zinnia */

struct ui_handwriting {
    int unused;
};

kiosk_error ui_handwriting_open(const char *model_path, ui_handwriting **out)
{
    (void)model_path;
    *out = NULL;
    return KIOSK_ERR_UNSUPPORTED;
}

void ui_handwriting_close(ui_handwriting *handwriting)
{
    (void)handwriting;
}

size_t ui_handwriting_recognise(ui_handwriting *handwriting, const ui_strokes *ink,
                                char out[][UI_HANDWRITING_CHAR_MAX], size_t max)
{
    (void)handwriting;
    (void)ink;
    (void)out;
    (void)max;
    return 0;
}

#endif
