/* The countdown ring. See ui/feedback_widgets.h. */
#include "ui/feedback_widgets.h"

#include "firmware/base/log.h"
#include "ui/test_probes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define RING_THICKNESS_DP 16
/* The seconds are what the citizen must see from a step back: as large as
 * the time-out screen's count, set smaller when the ring is too small. */
#define RING_TEXT_DP 56

/* Enough segments that the ring's edge looks round at 300 px across, and
 * that an arc ends within a pixel of where the time left puts it. */
#define RING_SEGMENTS 128

static const ui_tone_colours *tone_of(const ui_widget *widget, const ui_context *context)
{
    return &context->theme->tones[widget->tone];
}

static lang language_of(const ui_widget *widget, const ui_context *context)
{
    return widget->text_lang >= 0 ? (lang)widget->text_lang : context->language;
}

static int text_px_of(const ui_widget *widget, const ui_context *context, float default_dp)
{
    float dp = widget->text_dp > 0 ? widget->text_dp : default_dp;
    return ui_theme_text_px(context->theme, &context->metrics, dp);
}

static bool has_text(const char *text)
{
    return text && text[0];
}

/* ---- Countdown ring ---- */

typedef struct countdown_state {
    int total, left;
} countdown_state;

typedef struct ring {
    float centre_x, centre_y, outer, inner;
} ring;

static ring ring_of(const ui_widget *widget, const ui_context *context)
{
    SDL_Rect bounds = widget->bounds;
    float side = (float)(bounds.w < bounds.h ? bounds.w : bounds.h);
    float outer = side / 2.0f;
    float thickness = (float)ui_dp(&context->metrics, RING_THICKNESS_DP);
    /* A small ring stays a ring, not a disc. */
    if (thickness > outer / 3.0f)
        thickness = outer / 3.0f;
    return (ring){.centre_x = (float)bounds.x + (float)bounds.w / 2.0f,
                  .centre_y = (float)bounds.y + (float)bounds.h / 2.0f,
                  .outer = outer,
                  .inner = outer - thickness};
}

/* The part of the ring from angle from to angle to (radians, clockwise from
 * twelve o'clock) as a strip of quads. */
static void fill_arc(SDL_Renderer *renderer, ring shape, float from, float to, SDL_Color colour)
{
    SDL_Vertex vertices[2 * (RING_SEGMENTS + 1)];
    int indices[6 * RING_SEGMENTS];
    float full = 2.0f * (float)M_PI;
    int segments = (int)ceilf((to - from) / full * RING_SEGMENTS);
    if (segments <= 0)
        return;
    segments = segments < RING_SEGMENTS ? segments : RING_SEGMENTS;
    for (int i = 0; i <= segments; i++) {
        float angle = from + (to - from) * (float)i / (float)segments;
        float x = sinf(angle), y = -cosf(angle);
        vertices[2 * i] = (SDL_Vertex){
            {shape.centre_x + shape.outer * x, shape.centre_y + shape.outer * y}, colour, {0, 0}};
        vertices[2 * i + 1] = (SDL_Vertex){
            {shape.centre_x + shape.inner * x, shape.centre_y + shape.inner * y}, colour, {0, 0}};
    }
    for (int i = 0; i < segments; i++) {
        int *quad = &indices[6 * i];
        quad[0] = 2 * i;
        quad[1] = 2 * i + 1;
        quad[2] = 2 * i + 2;
        quad[3] = 2 * i + 1;
        quad[4] = 2 * i + 3;
        quad[5] = 2 * i + 2;
    }
    SDL_RenderGeometry(renderer, NULL, vertices, 2 * (segments + 1), indices, 6 * segments);
}

static void draw_countdown(const ui_widget *widget, ui_context *context)
{
    const countdown_state *state = widget->data;
    ring shape = ring_of(widget, context);
    if (shape.inner <= 0)
        return;
    float full = 2.0f * (float)M_PI;
    float split = full * (float)state->left / (float)state->total;
    const ui_tone_colours *tones = context->theme->tones;
    fill_arc(context->renderer, shape, 0, split, tones[UI_TONE_ALERT].border);
    fill_arc(context->renderer, shape, split, full, tones[UI_TONE_FOOTER].border);
}

static size_t countdown_parts(const ui_widget *widget, ui_context *context, ui_text_part *parts)
{
    if (!has_text(widget->text))
        return 0;
    ring shape = ring_of(widget, context);
    /* The largest square inside the ring's hole. */
    int side = (int)(shape.inner * (float)M_SQRT2);
    if (side <= 0)
        return 0;
    SDL_Rect box = {(int)(shape.centre_x - (float)side / 2.0f),
                    (int)(shape.centre_y - (float)side / 2.0f), side, side};
    parts[0] = (ui_text_part){.text = widget->text,
                              .language = language_of(widget, context),
                              .style = {.size_px = text_px_of(widget, context, RING_TEXT_DP),
                                        .color = tone_of(widget, context)->text,
                                        .bold = true},
                              .box = box,
                              .align = UI_ALIGN_CENTER};
    ui_text_part_fit(widget, context, &parts[0]);
    return 1;
}

const ui_widget_class ui_countdown_class = {.name = "countdown",
                                            .role = UI_ROLE_TEXT,
                                            .draw = draw_countdown,
                                            .text_parts = countdown_parts,
                                            .destroy_data = ui_widget_free_data};

ui_widget *ui_countdown_create(ui_widget *parent, const char *id, int total_seconds,
                               SDL_Rect bounds)
{
    ui_widget *widget = ui_widget_create(parent, &ui_countdown_class, id);
    if (!widget)
        return NULL;
    countdown_state *state = calloc(1, sizeof *state);
    char seconds[16];
    int total = total_seconds > 0 ? total_seconds : 1;
    snprintf(seconds, sizeof seconds, "%d", total);
    if (!state || !ui_widget_set_text(widget, seconds)) {
        free(state);
        ui_widget_destroy(widget);
        return NULL;
    }
    *state = (countdown_state){.total = total, .left = total};
    widget->data = state;
    widget->bounds = bounds;
    return widget;
}

void ui_countdown_set(ui_widget *widget, int seconds_left, const char *text)
{
    if (!widget || widget->class_ != &ui_countdown_class)
        return;
    countdown_state *state = widget->data;
    state->left = seconds_left < 0 ? 0 : seconds_left > state->total ? state->total : seconds_left;
    if (text && !ui_widget_set_text(widget, text))
        LOG_WARN("ui", "%s: out of memory, the countdown's text is not updated", widget->id);
}

int ui_countdown_seconds_left(const ui_widget *widget)
{
    if (!widget || widget->class_ != &ui_countdown_class)
        return 0;
    return ((const countdown_state *)widget->data)->left;
}
