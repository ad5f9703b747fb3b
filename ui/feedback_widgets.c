/* Progress bar, spinner, countdown ring, image view and dialog. See
 * ui/feedback_widgets.h. */
#include "ui/feedback_widgets.h"

#include "firmware/base/log.h"
#include "ui/draw.h"
#include "ui/image.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROGRESS_TRACK_DP 20
#define PROGRESS_GAP_DP   16
#define SPINNER_SIZE_DP   96
#define SPINNER_GAP_DP    16
#define RING_THICKNESS_DP 16
/* The seconds are what the citizen must see from a step back: as large as
 * the time-out screen's count, set smaller when the ring is too small. */
#define RING_TEXT_DP      56
#define DIALOG_MARGIN_DP  24
#define DIALOG_PADDING_DP 32
#define DIALOG_GAP_DP     24
#define BUTTON_PADDING_DP 16

/* Enough segments that the ring's edge looks round at 300 px across, and
 * that an arc ends within a pixel of where the time left puts it. */
#define RING_SEGMENTS 128
#define DOT_SEGMENTS  16

/* The dimming over what a dialog covers: dark enough that the card stands
 * out, light enough that the citizen sees where they were. */
#define BACKDROP_ALPHA 160

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

/* The size of text in style: measured when the context has fonts, else
 * estimated generously, so that a box laid out before the fonts are at hand
 * is not too small: every character full width, a character less on each
 * line for the line-breaking rules (no comma starts a line), and lines of
 * 1.5 em (Noto Sans CJK's line is 1.448 em). */
static void text_size(ui_context *context, lang language, const char *text, ui_text_style style,
                      int *width, int *height)
{
    int w = 0, h = 0;
    if (context->text && ui_text_get(context->text, language, text, style, &w, &h)) {
        *width = w;
        *height = h;
        return;
    }
    size_t characters = 0;
    for (const char *at = text; *at; at++)
        characters += ((unsigned char)*at & 0xC0) != 0x80; /* not a UTF-8 continuation */
    size_t per_line = characters ? characters : 1;
    if (style.wrap_px > 0 && style.size_px > 0) {
        per_line = (size_t)(style.wrap_px / style.size_px);
        per_line = per_line > 1 ? per_line - 1 : 1;
    }
    size_t lines = characters ? (characters + per_line - 1) / per_line : 1;
    size_t longest = characters < per_line ? characters : per_line;
    *width = (int)longest * style.size_px;
    *height = (int)lines * style.size_px * 3 / 2;
}

/* ---- Progress bar ---- */

typedef struct progress_state {
    int per_mille;
} progress_state;

typedef struct progress_layout {
    SDL_Rect track, label;
    bool has_label;
    ui_align align;
    ui_text_style style;
} progress_layout;

static progress_layout progress_layout_of(const ui_widget *widget, ui_context *context)
{
    const ui_metrics *metrics = &context->metrics;
    SDL_Rect bounds = widget->bounds;
    progress_layout layout = {
        .style = {.size_px = text_px_of(widget, context, context->theme->body_dp),
                  .color = tone_of(widget, context)->text}};
    int track_h = ui_dp(metrics, PROGRESS_TRACK_DP);
    track_h = track_h < bounds.h ? track_h : bounds.h;
    int gap = ui_dp(metrics, PROGRESS_GAP_DP);
    /* Room for the widest label, so the track keeps its length as the
     * percentage grows. */
    int label_w = 0, label_h = 0;
    text_size(context, language_of(widget, context), "100%", layout.style, &label_w, &label_h);

    if (bounds.w - label_w - gap >= bounds.w / 2) {
        layout.track = (SDL_Rect){bounds.x, bounds.y + (bounds.h - track_h) / 2,
                                  bounds.w - label_w - gap, track_h};
        layout.label =
            (SDL_Rect){layout.track.x + layout.track.w + gap, bounds.y, label_w, bounds.h};
        layout.align = UI_ALIGN_START;
        layout.has_label = true;
    } else if (bounds.h >= track_h + gap + label_h) {
        int top = bounds.y + (bounds.h - (track_h + gap + label_h)) / 2;
        layout.track = (SDL_Rect){bounds.x, top, bounds.w, track_h};
        layout.label = (SDL_Rect){bounds.x, top + track_h + gap, bounds.w, label_h};
        layout.align = UI_ALIGN_CENTER;
        layout.has_label = true;
    } else {
        layout.track = (SDL_Rect){bounds.x, bounds.y + (bounds.h - track_h) / 2, bounds.w, track_h};
    }
    return layout;
}

static void draw_progress(const ui_widget *widget, ui_context *context)
{
    const progress_state *state = widget->data;
    SDL_Renderer *renderer = context->renderer;
    progress_layout layout = progress_layout_of(widget, context);
    SDL_Rect track = layout.track;
    if (track.w <= 0 || track.h <= 0)
        return;
    int radius = track.h / 2;
    ui_draw_fill_rounded(renderer, track, radius, context->theme->tones[UI_TONE_FOOTER].border);
    int filled = (int)((int64_t)track.w * state->per_mille / 1000);
    if (filled <= 0)
        return;
    /* The filled part is the track's own shape cut where the progress is,
     * so a little progress does not poke square corners out of the track's
     * rounded end. */
    SDL_Color fill = context->theme->tones[UI_TONE_PRIMARY].background;
    ui_clip saved;
    if (ui_draw_clip_begin(renderer, (SDL_Rect){track.x, track.y, filled, track.h}, &saved)) {
        ui_draw_fill_rounded(renderer, track, radius, fill);
        ui_draw_clip_end(renderer, &saved);
    }
}

static size_t progress_parts(const ui_widget *widget, ui_context *context, ui_text_part *parts)
{
    if (!has_text(widget->text))
        return 0;
    progress_layout layout = progress_layout_of(widget, context);
    if (!layout.has_label)
        return 0;
    parts[0] = (ui_text_part){.text = widget->text,
                              .language = language_of(widget, context),
                              .style = layout.style,
                              .box = layout.label,
                              .align = layout.align};
    ui_text_part_fit(widget, context, &parts[0]);
    return 1;
}

const ui_widget_class ui_progress_class = {.name = "progress",
                                           .role = UI_ROLE_TEXT,
                                           .draw = draw_progress,
                                           .text_parts = progress_parts,
                                           .destroy_data = ui_widget_free_data};

ui_widget *ui_progress_create(ui_widget *parent, const char *id, SDL_Rect bounds)
{
    ui_widget *widget = ui_widget_create(parent, &ui_progress_class, id);
    if (!widget)
        return NULL;
    progress_state *state = calloc(1, sizeof *state);
    if (!state || !ui_widget_set_text(widget, "0%")) {
        free(state);
        ui_widget_destroy(widget);
        return NULL;
    }
    widget->data = state;
    widget->bounds = bounds;
    return widget;
}

void ui_progress_set(ui_widget *widget, int per_mille)
{
    if (!widget || widget->class_ != &ui_progress_class)
        return;
    progress_state *state = widget->data;
    state->per_mille = per_mille < 0 ? 0 : per_mille > 1000 ? 1000 : per_mille;
    /* Whole percent reached, rounded down: the bar never reads done early. */
    char text[16]; /* "100%"; room for any int keeps the compiler's check quiet */
    snprintf(text, sizeof text, "%d%%", state->per_mille / 10);
    if (!ui_widget_set_text(widget, text))
        LOG_WARN("ui", "%s: out of memory, the progress's text is not updated", widget->id);
}

int ui_progress_get(const ui_widget *widget)
{
    if (!widget || widget->class_ != &ui_progress_class)
        return 0;
    return ((const progress_state *)widget->data)->per_mille;
}

/* ---- Spinner ---- */

typedef struct spinner_layout {
    float centre_x, centre_y;
    int diameter;
    SDL_Rect label;
    bool has_label;
    ui_text_style style;
} spinner_layout;

/* The dots and the label as one block, centred in the bounds; the label
 * keeps at least the height it needs, the dots take what is left up to
 * their size. */
static spinner_layout spinner_layout_of(const ui_widget *widget, ui_context *context)
{
    const ui_metrics *metrics = &context->metrics;
    SDL_Rect bounds = widget->bounds;
    spinner_layout layout = {
        .style = {.size_px = text_px_of(widget, context, context->theme->body_dp),
                  .color = tone_of(widget, context)->text,
                  .wrap_px = bounds.w,
                  .wrap_align = widget->align}};
    int gap = ui_dp(metrics, SPINNER_GAP_DP);
    int label_w = 0, label_h = 0;
    layout.has_label = has_text(widget->text);
    if (layout.has_label)
        text_size(context, language_of(widget, context), widget->text, layout.style, &label_w,
                  &label_h);
    int below = layout.has_label ? gap + label_h : 0;
    int diameter = ui_dp(metrics, SPINNER_SIZE_DP);
    diameter = diameter < bounds.w ? diameter : bounds.w;
    diameter = diameter < bounds.h - below ? diameter : bounds.h - below;
    layout.diameter = diameter > 0 ? diameter : 0;
    int block = layout.diameter + below;
    int top = bounds.y + (block < bounds.h ? (bounds.h - block) / 2 : 0);
    layout.centre_x = (float)bounds.x + (float)bounds.w / 2.0f;
    layout.centre_y = (float)top + (float)layout.diameter / 2.0f;
    int label_top = top + layout.diameter + gap;
    int room = bounds.y + bounds.h - label_top;
    layout.label =
        (SDL_Rect){bounds.x, label_top, bounds.w, label_h < room ? label_h : (room > 0 ? room : 0)};
    return layout;
}

static void fill_disc(SDL_Renderer *renderer, float cx, float cy, float radius, SDL_Color colour)
{
    SDL_Vertex vertices[DOT_SEGMENTS + 2];
    int indices[DOT_SEGMENTS * 3];
    vertices[0] = (SDL_Vertex){{cx, cy}, colour, {0, 0}};
    for (int i = 0; i <= DOT_SEGMENTS; i++) {
        float angle = 2.0f * (float)M_PI * (float)i / DOT_SEGMENTS;
        vertices[i + 1] =
            (SDL_Vertex){{cx + radius * cosf(angle), cy + radius * sinf(angle)}, colour, {0, 0}};
    }
    for (int i = 0; i < DOT_SEGMENTS; i++) {
        indices[i * 3] = 0;
        indices[i * 3 + 1] = i + 1;
        indices[i * 3 + 2] = i + 2;
    }
    SDL_RenderGeometry(renderer, NULL, vertices, DOT_SEGMENTS + 2, indices, DOT_SEGMENTS * 3);
}

static void draw_spinner(const ui_widget *widget, ui_context *context)
{
    spinner_layout layout = spinner_layout_of(widget, context);
    if (layout.diameter < 4)
        return;
    SDL_Renderer *renderer = context->renderer;
    SDL_Color colour = context->theme->tones[UI_TONE_PRIMARY].background;
    float dot_r = (float)layout.diameter / 10.0f;
    float ring_r = (float)layout.diameter / 2.0f - dot_r;
    /* The brightest dot steps clockwise; those behind it fade, so the eye
     * reads the direction. Fading is by alpha, not a mix with the page, so
     * the dots sit as well on a card as on the page. */
    unsigned step = (unsigned)(SDL_GetTicks64() / UI_SPINNER_STEP_MS % UI_SPINNER_DOTS);
    SDL_BlendMode previous;
    SDL_GetRenderDrawBlendMode(renderer, &previous);
    SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_BLEND);
    for (unsigned i = 0; i < UI_SPINNER_DOTS; i++) {
        unsigned behind = (step + UI_SPINNER_DOTS - i) % UI_SPINNER_DOTS;
        SDL_Color dot = colour;
        dot.a = (Uint8)(255 - behind * (255 - 48) / (UI_SPINNER_DOTS - 1));
        float angle = 2.0f * (float)M_PI * (float)i / UI_SPINNER_DOTS;
        fill_disc(renderer, layout.centre_x + ring_r * sinf(angle),
                  layout.centre_y - ring_r * cosf(angle), dot_r, dot);
    }
    SDL_SetRenderDrawBlendMode(renderer, previous);
}

static size_t spinner_parts(const ui_widget *widget, ui_context *context, ui_text_part *parts)
{
    spinner_layout layout = spinner_layout_of(widget, context);
    if (!layout.has_label || layout.label.h <= 0)
        return 0;
    parts[0] = (ui_text_part){.text = widget->text,
                              .language = language_of(widget, context),
                              .style = layout.style,
                              .box = layout.label,
                              .align = widget->align};
    ui_text_part_fit(widget, context, &parts[0]);
    return 1;
}

const ui_widget_class ui_spinner_class = {
    .name = "spinner", .role = UI_ROLE_TEXT, .draw = draw_spinner, .text_parts = spinner_parts};

ui_widget *ui_spinner_create(ui_widget *parent, const char *id, const char *label, SDL_Rect bounds)
{
    ui_widget *widget = ui_widget_create(parent, &ui_spinner_class, id);
    if (!widget)
        return NULL;
    if (label && !ui_widget_set_text(widget, label)) {
        ui_widget_destroy(widget);
        return NULL;
    }
    widget->bounds = bounds;
    widget->flags |= UI_FLAG_ANIMATED;
    return widget;
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

/* ---- Image view ---- */

typedef struct image_state {
    SDL_Texture *texture;
    int width, height;
    bool tried; /* read once: a missing file stays missing, and is logged once */
    char path[];
} image_state;

/* Reads the picture into a texture of the context's renderer, once. */
static void load_image(const ui_widget *widget, ui_context *context, image_state *state)
{
    state->tried = true;
    SDL_Surface *surface = NULL;
    kiosk_diag diag = {{0}};
    if (ui_image_load_png(state->path, &surface, &diag) != KIOSK_OK) {
        LOG_WARN("image", "%s: %s", widget->id, diag.message);
        return;
    }
    SDL_Texture *texture = SDL_CreateTextureFromSurface(context->renderer, surface);
    if (!texture) {
        LOG_WARN("image", "%s: %s: cannot make a texture (%s)", widget->id, state->path,
                 SDL_GetError());
        SDL_FreeSurface(surface);
        return;
    }
    state->texture = texture;
    state->width = surface->w;
    state->height = surface->h;
    SDL_FreeSurface(surface);
}

static void draw_image_view(const ui_widget *widget, ui_context *context)
{
    image_state *state = widget->data;
    SDL_Rect bounds = widget->bounds;
    if (!context->renderer || bounds.w <= 0 || bounds.h <= 0)
        return;
    if (!state->tried)
        load_image(widget, context, state);
    if (!state->texture || state->width <= 0 || state->height <= 0) {
        /* Where the picture should be, so the layout still reads, without
         * drawing the eye to a failure the citizen cannot fix. */
        SDL_Color outline = context->theme->tones[UI_TONE_FOOTER].border;
        SDL_SetRenderDrawColor(context->renderer, outline.r, outline.g, outline.b, outline.a);
        SDL_RenderDrawRect(context->renderer, &bounds);
        return;
    }
    /* The largest size with the picture's shape that fits: compare the two
     * aspect ratios by cross-multiplying, in 64 bits. */
    int64_t w = bounds.w, h = bounds.h;
    if (w * state->height > h * state->width)
        w = h * state->width / state->height;
    else
        h = w * state->height / state->width;
    SDL_Rect target = {bounds.x + (bounds.w - (int)w) / 2, bounds.y + (bounds.h - (int)h) / 2,
                       (int)w, (int)h};
    SDL_RenderCopy(context->renderer, state->texture, NULL, &target);
}

static void destroy_image_view(ui_widget *widget)
{
    image_state *state = widget->data;
    if (state->texture)
        SDL_DestroyTexture(state->texture);
    free(state);
    widget->data = NULL;
}

const ui_widget_class ui_image_view_class = {.name = "image-view",
                                             .role = UI_ROLE_TEXT,
                                             .draw = draw_image_view,
                                             .destroy_data = destroy_image_view};

ui_widget *ui_image_view_create(ui_widget *parent, const char *id, const char *png_path,
                                const char *alt_text, SDL_Rect bounds)
{
    ui_widget *widget = ui_widget_create(parent, &ui_image_view_class, id);
    if (!widget)
        return NULL;
    size_t length = png_path ? strlen(png_path) : 0;
    image_state *state = calloc(1, sizeof *state + length + 1);
    if (!state || !ui_widget_set_text(widget, alt_text)) {
        free(state);
        ui_widget_destroy(widget);
        return NULL;
    }
    if (length)
        memcpy(state->path, png_path, length);
    widget->data = state;
    widget->bounds = bounds;
    return widget;
}

bool ui_image_view_loaded(const ui_widget *widget)
{
    if (!widget || widget->class_ != &ui_image_view_class)
        return false;
    return ((const image_state *)widget->data)->texture != NULL;
}

/* ---- Dialog ---- */

static void draw_dialog_backdrop(const ui_widget *widget, ui_context *context)
{
    SDL_Renderer *renderer = context->renderer;
    SDL_BlendMode previous;
    SDL_GetRenderDrawBlendMode(renderer, &previous);
    if (SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_BLEND) == 0) {
        SDL_SetRenderDrawColor(renderer, 0, 0, 0, BACKDROP_ALPHA);
        SDL_RenderFillRect(renderer, &widget->bounds);
    } else {
        /* Without blending, hide what is under the dialog rather than let
         * it compete with the dialog for attention. */
        ui_draw_fill(renderer, widget->bounds, context->theme->page);
    }
    SDL_SetRenderDrawBlendMode(renderer, previous);
}

const ui_widget_class ui_dialog_backdrop_class = {
    .name = "dialog-backdrop", .role = UI_ROLE_GROUP, .draw = draw_dialog_backdrop};

ui_widget *ui_dialog_create(ui_widget *parent, const char *id, const char *title, const char *body,
                            SDL_Rect screen, ui_context *context, SDL_Rect *buttons_area)
{
    const ui_metrics *metrics = &context->metrics;
    const ui_theme *theme = context->theme;
    int margin = ui_dp(metrics, DIALOG_MARGIN_DP), padding = ui_dp(metrics, DIALOG_PADDING_DP);
    int gap = ui_dp(metrics, DIALOG_GAP_DP);
    int card_w = screen.w * 80 / 100, inner_w = card_w - 2 * padding;

    /* Measured as the labels will draw them (ui_label_class: heading_dp or
     * body_dp, wrapped at their width), so neither is shrunk to fit. */
    int unused = 0, title_h = 0, body_h = 0;
    ui_text_style title_style = {.size_px = ui_theme_text_px(theme, metrics, theme->heading_dp),
                                 .wrap_px = inner_w,
                                 .wrap_align = UI_ALIGN_CENTER};
    ui_text_style body_style = {.size_px = ui_theme_text_px(theme, metrics, theme->body_dp),
                                .wrap_px = inner_w,
                                .wrap_align = UI_ALIGN_START};
    if (has_text(title))
        text_size(context, context->language, title, title_style, &unused, &title_h);
    if (has_text(body))
        text_size(context, context->language, body, body_style, &unused, &body_h);
    int button_px = ui_theme_text_px(theme, metrics, theme->button_dp);
    int row_h = button_px + 2 * ui_dp(metrics, BUTTON_PADDING_DP);
    int target = ui_dp(metrics, theme->min_target_dp);
    row_h = row_h > target ? row_h : target;

    int between = title_h > 0 && body_h > 0 ? gap : 0;
    int card_h = padding + title_h + between + body_h + gap + row_h + padding;
    int most = screen.h - 2 * margin;
    if (card_h > most) {
        /* The body gives way (its label sets it smaller, then the audit
         * reports what still does not fit); the title and buttons stay. */
        body_h -= card_h - most;
        body_h = body_h > 0 ? body_h : 0;
        card_h = most;
    }
    SDL_Rect card_bounds = {screen.x + (screen.w - card_w) / 2, screen.y + (screen.h - card_h) / 2,
                            card_w, card_h};
    int left = card_bounds.x + padding, top = card_bounds.y + padding;

    char child_id[UI_ID_MAX];
    ui_widget *backdrop = ui_widget_create(parent, &ui_dialog_backdrop_class, id);
    if (!backdrop)
        return NULL;
    backdrop->bounds = screen;
    /* Tappable with no action: a touch beside the dialog lands here, not on
     * the screen under it. */
    backdrop->flags |= UI_FLAG_TAPPABLE;
    backdrop->action = UI_ACTION_NONE;
    snprintf(child_id, sizeof child_id, "%s.card", id);
    ui_widget *card = ui_card_create(backdrop, child_id, card_bounds, UI_TONE_PLAIN);
    ui_widget *heading = NULL, *text = NULL;
    if (card) {
        snprintf(child_id, sizeof child_id, "%s.title", id);
        heading = ui_heading_create(card, child_id, title, (SDL_Rect){left, top, inner_w, title_h});
        snprintf(child_id, sizeof child_id, "%s.body", id);
        text = ui_label_create(card, child_id, body,
                               (SDL_Rect){left, top + title_h + between, inner_w, body_h});
    }
    if (!card || !heading || !text) {
        ui_widget_destroy(backdrop);
        return NULL;
    }
    heading->wrap = true;
    text->wrap = true;
    text->align = UI_ALIGN_START; /* lines of a paragraph read best from one edge */
    if (buttons_area)
        *buttons_area = (SDL_Rect){left, card_bounds.y + card_h - padding - row_h, inner_w, row_h};
    return card;
}
