/* The keyboard's own widgets: the field with its caret and the handwriting
 * pad. The keys are buttons; the layout is screen_type.c's. */
#include "ui/keyboard.h"

#include "ui/draw.h"

#include <stdlib.h>
#include <string.h>

const char *ui_keyboard_mode_name(ui_keyboard_mode mode)
{
    static const char *const names[UI_KEYBOARD_MODE_COUNT] = {
        [UI_KEYBOARD_PINYIN] = "pinyin",
        [UI_KEYBOARD_HANDWRITING] = "handwriting",
        [UI_KEYBOARD_LETTERS] = "letters",
        [UI_KEYBOARD_DIGITS] = "digits",
    };
    return mode < UI_KEYBOARD_MODE_COUNT ? names[mode] : "";
}

/* ---- the field and its caret ---- */

#define FIELD_PAD_DP 20
#define CARET_W_DP   3

static void draw_box(const ui_widget *widget, ui_context *context)
{
    const ui_tone_colours *tone = &context->theme->tones[UI_TONE_FOOTER];
    int radius = ui_dp(&context->metrics, context->theme->corner_dp);
    int border = ui_dp(&context->metrics, context->theme->border_dp + 1);
    SDL_Rect face = {widget->bounds.x + border, widget->bounds.y + border,
                     widget->bounds.w - 2 * border, widget->bounds.h - 2 * border};
    ui_draw_fill_rounded(context->renderer, widget->bounds, radius,
                         context->theme->tones[UI_TONE_SECONDARY].border);
    ui_draw_fill_rounded(context->renderer, face, radius - border, tone->background);
}

/* The text as drawn, and how wide it is drawn (0 for the hint: the caret
 * stands before it). */
static size_t caret_parts_measured(const ui_widget *widget, ui_context *context,
                                   ui_text_part *parts, int *text_w)
{
    const ui_tone_colours *tone = &context->theme->tones[UI_TONE_FOOTER];
    bool empty = !widget->text || !widget->text[0];
    const char *shown = empty ? widget->detail : widget->text;
    *text_w = 0;
    if (!shown || !shown[0])
        return 0;
    int padding = ui_dp(&context->metrics, FIELD_PAD_DP);
    int caret_room = empty ? 0 : ui_dp(&context->metrics, 2 * CARET_W_DP);
    float dp = empty ? context->theme->body_dp : (widget->text_dp > 0 ? widget->text_dp : 40);
    parts[0] = (ui_text_part){
        .text = shown,
        .language = widget->text_lang >= 0 ? (lang)widget->text_lang : context->language,
        .style = {.size_px = ui_theme_text_px(context->theme, &context->metrics, dp),
                  .color = empty ? tone->detail : tone->text,
                  .bold = !empty},
        .box = {widget->bounds.x + padding + (empty ? caret_room + padding / 2 : 0),
                widget->bounds.y, widget->bounds.w - 2 * padding - caret_room, widget->bounds.h},
        .align = UI_ALIGN_START};
    if (empty) {
        parts[0].box.w -= padding / 2;
        ui_text_part_fit(widget, context, &parts[0]);
        return 1;
    }
    /* What is typed keeps its size; a long text shows its end, where the
     * caret is. */
    int w = 0, h = 0;
    if (context->text &&
        ui_text_get(context->text, parts[0].language, shown, parts[0].style, &w, &h)) {
        if (w > parts[0].box.w)
            parts[0].align = UI_ALIGN_END;
        *text_w = w < parts[0].box.w ? w : parts[0].box.w;
    }
    return 1;
}

static size_t caret_parts(const ui_widget *widget, ui_context *context, ui_text_part *parts)
{
    int unused;
    return caret_parts_measured(widget, context, parts, &unused);
}

static void draw_caret_field(const ui_widget *widget, ui_context *context)
{
    draw_box(widget, context);
    ui_text_part parts[UI_TEXT_PARTS_MAX];
    int text_w = 0;
    size_t count = caret_parts_measured(widget, context, parts, &text_w);
    int padding = ui_dp(&context->metrics, FIELD_PAD_DP);
    float dp = widget->text_dp > 0 ? widget->text_dp : 40;
    int line = ui_theme_text_px(context->theme, &context->metrics, dp) * 6 / 5;
    int max_h = widget->bounds.h - 2 * ui_dp(&context->metrics, 8);
    line = line < max_h ? line : max_h;
    int x = widget->bounds.x + padding + (count && widget->text && widget->text[0] ? text_w : 0);
    SDL_Rect caret = {x + ui_dp(&context->metrics, 2),
                      widget->bounds.y + (widget->bounds.h - line) / 2,
                      ui_dp(&context->metrics, CARET_W_DP), line};
    ui_draw_fill(context->renderer, caret, context->theme->tones[UI_TONE_FOOTER].text);
}

const ui_widget_class ui_caret_field_class = {.name = "caret-field",
                                              .role = UI_ROLE_FIELD,
                                              .focus = UI_FOCUS_ALWAYS,
                                              .draw = draw_caret_field,
                                              .text_parts = caret_parts};

ui_widget *ui_caret_field_create(ui_widget *parent, const char *id, const char *value,
                                 const char *hint, SDL_Rect bounds)
{
    ui_widget *widget = ui_widget_create(parent, &ui_caret_field_class, id);
    if (!widget)
        return NULL;
    widget->bounds = bounds;
    if (!ui_widget_set_text(widget, value ? value : "") || !ui_widget_set_detail(widget, hint)) {
        ui_widget_destroy(widget);
        return NULL;
    }
    return widget;
}

/* ---- the pad ---- */

#define INK_DP 7

static void draw_pad(const ui_widget *widget, ui_context *context)
{
    draw_box(widget, context);
    const ui_tone_colours *tone = &context->theme->tones[UI_TONE_FOOTER];
    SDL_Rect b = widget->bounds;
    /* A guide cross, as on the squared paper characters are learnt on. */
    float thin = (float)ui_dp(&context->metrics, 1);
    SDL_Color guide = context->theme->tones[UI_TONE_SECONDARY].border;
    ui_draw_stroke(context->renderer, (SDL_FPoint){(float)b.x + 8, (float)(b.y + b.h / 2)},
                   (SDL_FPoint){(float)(b.x + b.w - 8), (float)(b.y + b.h / 2)}, thin, guide);
    ui_draw_stroke(context->renderer, (SDL_FPoint){(float)(b.x + b.w / 2), (float)b.y + 8},
                   (SDL_FPoint){(float)(b.x + b.w / 2), (float)(b.y + b.h - 8)}, thin, guide);
    const ui_strokes *ink = widget->data;
    if (!ink)
        return;
    float width = (float)ui_dp(&context->metrics, INK_DP);
    for (size_t i = 0; i < ink->count; i++) {
        const ui_stroke_point *p = &ink->points[i];
        const ui_stroke_point *q = i + 1 < ink->count ? &ink->points[i + 1] : p;
        if (q->stroke != p->stroke)
            q = p; /* a stroke's last point: a dot where it ends */
        SDL_FPoint a = {(float)(b.x + p->x), (float)(b.y + p->y)};
        SDL_FPoint c = {(float)(b.x + q->x), (float)(b.y + q->y)};
        if (q == p)
            c.x += 0.5f;
        ui_draw_stroke(context->renderer, a, c, width, tone->text);
    }
}

static size_t pad_parts(const ui_widget *widget, ui_context *context, ui_text_part *parts)
{
    const ui_strokes *ink = widget->data;
    /* On a small pad (large text on a small panel) the hint would crowd
     * the room to write in: the mode's name says enough there. */
    bool small = widget->bounds.h < ui_dp(&context->metrics, 300);
    if ((ink && ink->count) || !widget->detail || !widget->detail[0] || small)
        return 0;
    const ui_tone_colours *tone = &context->theme->tones[UI_TONE_FOOTER];
    int padding = ui_dp(&context->metrics, FIELD_PAD_DP);
    /* The hint stands in the pad's top quarter, off the guide's centre. */
    parts[0] =
        (ui_text_part){.text = widget->detail,
                       .language = context->language,
                       .style = {.size_px = ui_theme_text_px(context->theme, &context->metrics,
                                                             context->theme->body_dp),
                                 .color = tone->detail},
                       .box = {widget->bounds.x + padding, widget->bounds.y + padding,
                               widget->bounds.w - 2 * padding, widget->bounds.h / 4},
                       .align = UI_ALIGN_CENTER};
    ui_text_part_fit(widget, context, &parts[0]);
    return 1;
}

static SDL_Rect pad_follow(ui_widget *widget, ui_follow phase, int x, int y)
{
    ui_strokes *ink = widget->data;
    if (!ink)
        return (SDL_Rect){0, 0, 0, 0};
    x -= widget->bounds.x;
    y -= widget->bounds.y;
    /* Where the finger lifted is where it last moved to (and may lie off
     * the glass). */
    if (phase == UI_FOLLOW_DOWN)
        ui_strokes_begin(ink, x, y);
    else if (phase == UI_FOLLOW_MOVE)
        ui_strokes_add(ink, x, y);
    return widget->bounds;
}

static void pad_free(ui_widget *widget)
{
    if (widget->data)
        explicit_bzero(widget->data, sizeof(ui_strokes));
    ui_widget_free_data(widget);
}

const ui_widget_class ui_pad_class = {.name = "pad",
                                      .role = UI_ROLE_FIELD,
                                      .focus = UI_FOCUS_NEVER,
                                      .draw = draw_pad,
                                      .text_parts = pad_parts,
                                      .destroy_data = pad_free,
                                      .follow = pad_follow};

ui_widget *ui_pad_create(ui_widget *parent, const char *id, const ui_strokes *ink, const char *hint,
                         SDL_Rect bounds)
{
    ui_widget *widget = ui_widget_create(parent, &ui_pad_class, id);
    if (!widget)
        return NULL;
    widget->bounds = bounds;
    ui_strokes *own = calloc(1, sizeof *own);
    widget->data = own;
    if (!own || !ui_widget_set_detail(widget, hint)) {
        ui_widget_destroy(widget);
        return NULL;
    }
    /* Ink drawn on a pad of another size (a turn of the theme) is kept
     * only when it still fits. */
    if (ink && ink->width == bounds.w && ink->height == bounds.h)
        memcpy(own, ink, sizeof *own);
    else
        ui_strokes_clear(own);
    own->width = bounds.w;
    own->height = bounds.h;
    widget->flags |= UI_FLAG_TAPPABLE;
    widget->action = UI_ACTION_STROKE;
    if (!ui_widget_set_text(widget, hint)) {
        ui_widget_destroy(widget);
        return NULL;
    }
    return widget;
}

const ui_strokes *ui_pad_ink(const ui_widget *widget)
{
    return widget && widget->class_ == &ui_pad_class ? widget->data : NULL;
}

/* ---- keys ---- */

/* A key is a button whose one letter may use nearly all its width: on a
 * small panel in elder mode a letter at the legal least size is as wide as
 * a button's padding leaves room for. */
static size_t key_parts(const ui_widget *widget, ui_context *context, ui_text_part *parts)
{
    size_t count = ui_button_class.text_parts(widget, context, parts);
    int extra = ui_dp(&context->metrics, 12) - ui_dp(&context->metrics, 1);
    for (size_t i = 0; i < count; i++) {
        parts[i].box.x -= extra;
        parts[i].box.w += 2 * extra;
    }
    return count;
}

static ui_widget_class key_class;

ui_widget *ui_key_create(ui_widget *parent, const char *id, const char *text, SDL_Rect bounds,
                         ui_action action, int action_arg)
{
    if (!key_class.name) {
        key_class = ui_button_class;
        key_class.name = "key";
        key_class.text_parts = key_parts;
    }
    ui_widget *key = ui_button_create(parent, id, text, bounds, action, action_arg);
    if (key)
        key->class_ = &key_class;
    return key;
}
