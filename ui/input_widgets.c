#include "ui/input_widgets.h"

#include "ui/draw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void draw_field(const ui_widget *widget, ui_context *context)
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

void ui_group_digits(const char *text, const char *pattern, char *out, size_t out_size)
{
    if (!out || out_size == 0)
        return;
    out[0] = '\0';
    if (!text)
        return;
    bool digits = text[0] != '\0';
    for (const char *p = text; digits && *p; p++)
        digits = (*p >= '0' && *p <= '9') || *p == 'X' || *p == 'x';
    if (!digits || !pattern || !pattern[0]) {
        snprintf(out, out_size, "%s", text);
        return;
    }
    size_t used = 0;
    const char *next = pattern;
    int group = 0, in_group = 0;
    for (const char *p = text; *p && used + 2 < out_size; p++) {
        if (in_group == group) {
            /* The next size in the pattern; past its end the last repeats. */
            char *end = NULL;
            long size = strtol(next, &end, 10);
            if (end != next && size > 0 && size < 64) {
                group = (int)size;
                next = *end == '-' ? end + 1 : end;
            }
            group = group > 0 ? group : 4;
            if (p != text)
                out[used++] = ' ';
            in_group = 0;
        }
        out[used++] = *p;
        in_group++;
    }
    out[used] = '\0';
}

/* A field whose digits are shown in groups keeps the pattern and, while it
 * is drawn, what it shows: personal data, wiped when the field goes. */
typedef struct field_groups {
    char pattern[16];
    char shown[96];
} field_groups;

static void forget_groups(ui_widget *widget)
{
    if (widget->data)
        explicit_bzero(widget->data, sizeof(field_groups));
    ui_widget_free_data(widget);
}

bool ui_text_field_group(ui_widget *field, const char *pattern)
{
    field_groups *groups = field->data ? field->data : calloc(1, sizeof *groups);
    if (!groups)
        return false;
    snprintf(groups->pattern, sizeof groups->pattern, "%s", pattern ? pattern : "");
    field->data = groups;
    return true;
}

static size_t field_parts(const ui_widget *widget, ui_context *context, ui_text_part *parts)
{
    const ui_tone_colours *tone = &context->theme->tones[UI_TONE_FOOTER];
    bool empty = !widget->text || !widget->text[0];
    const char *shown = empty ? widget->detail : widget->text;
    field_groups *groups = widget->data;
    if (!empty && groups && groups->pattern[0]) {
        /* For the eye only: what was typed stays as typed. */
        ui_group_digits(widget->text, groups->pattern, groups->shown, sizeof groups->shown);
        shown = groups->shown;
    }
    if (!shown || !shown[0])
        return 0;
    int padding = ui_dp(&context->metrics, 20);
    float dp = empty ? context->theme->body_dp : (widget->text_dp > 0 ? widget->text_dp : 40);
    parts[0] = (ui_text_part){
        .text = shown,
        .language = widget->text_lang >= 0 ? (lang)widget->text_lang : context->language,
        .style = {.size_px = ui_theme_text_px(context->theme, &context->metrics, dp),
                  .color = empty ? tone->detail : tone->text,
                  .bold = !empty},
        .box = {widget->bounds.x + padding, widget->bounds.y, widget->bounds.w - 2 * padding,
                widget->bounds.h},
        .align = UI_ALIGN_START};
    ui_text_part_fit(widget, context, &parts[0]);
    return 1;
}

const ui_widget_class ui_text_field_class = {.name = "text-field",
                                             .role = UI_ROLE_FIELD,
                                             .focus = UI_FOCUS_ALWAYS,
                                             .draw = draw_field,
                                             .text_parts = field_parts,
                                             .destroy_data = forget_groups};

ui_widget *ui_text_field_create(ui_widget *parent, const char *id, const char *value,
                                const char *hint, SDL_Rect bounds)
{
    ui_widget *widget = ui_widget_create(parent, &ui_text_field_class, id);
    if (!widget)
        return NULL;
    widget->bounds = bounds;
    if (!ui_widget_set_text(widget, value ? value : "") || !ui_widget_set_detail(widget, hint)) {
        ui_widget_destroy(widget);
        return NULL;
    }
    return widget;
}

/* Four columns, four rows: the digits as on a phone, delete and clear on the
 * right where the thumb expects them, X beside 9 (it is only ever the last
 * character of an ID number), and a wide 0. */
ui_widget *ui_keypad_create(ui_widget *parent, const char *id, SDL_Rect bounds, bool with_x,
                            const char *delete_label, const char *clear_label, int gap)
{
    static const struct {
        const char *name, *text;
        int key, row, column, span;
    } keys[] = {
        {"1", "1", '1', 0, 0, 1}, {"2", "2", '2', 0, 1, 1},
        {"3", "3", '3', 0, 2, 1}, {"delete", NULL, UI_KEY_DELETE, 0, 3, 1},
        {"4", "4", '4', 1, 0, 1}, {"5", "5", '5', 1, 1, 1},
        {"6", "6", '6', 1, 2, 1}, {"clear", NULL, UI_KEY_CLEAR, 1, 3, 1},
        {"7", "7", '7', 2, 0, 1}, {"8", "8", '8', 2, 1, 1},
        {"9", "9", '9', 2, 2, 1}, {"x", "X", 'X', 2, 3, 1},
        {"0", "0", '0', 3, 0, 4},
    };
    ui_widget *pad = ui_panel_create(parent, id, bounds, UI_TONE_PLAIN);
    if (!pad)
        return NULL;
    int key_w = (bounds.w - 3 * gap) / 4, key_h = (bounds.h - 3 * gap) / 4;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (keys[i].key == 'X' && !with_x)
            continue;
        char key_id[UI_ID_MAX];
        snprintf(key_id, sizeof key_id, "%s.%s", id, keys[i].name);
        const char *text = keys[i].key == UI_KEY_DELETE  ? delete_label
                           : keys[i].key == UI_KEY_CLEAR ? clear_label
                                                         : keys[i].text;
        SDL_Rect key = {bounds.x + keys[i].column * (key_w + gap),
                        bounds.y + keys[i].row * (key_h + gap),
                        keys[i].span * key_w + (keys[i].span - 1) * gap, key_h};
        ui_widget *button = ui_button_create(pad, key_id, text, key, UI_ACTION_KEY, keys[i].key);
        if (!button) {
            ui_widget_destroy(pad);
            return NULL;
        }
        /* Keys are controls: their labels keep to the frame's sizes, so four
         * rows fit where elder mode has the least room. */
        button->chrome = true;
        if (keys[i].text)
            button->text_dp = 40;
    }
    return pad;
}

static void draw_check_box(const ui_widget *widget, ui_context *context)
{
    const ui_tone_colours *tone = &context->theme->tones[widget->tone];
    SDL_Rect b = widget->bounds;
    int side = b.w < b.h ? b.w : b.h;
    SDL_Rect box = {b.x + (b.w - side) / 2, b.y + (b.h - side) / 2, side, side};
    int radius = side / 6;
    int ring = ui_dp(&context->metrics, context->theme->border_dp + 1);
    bool checked = widget->flags & UI_FLAG_CHECKED;
    /* Unticked, the box is empty: the face of what it sits on shows, pressed
     * or not. */
    const ui_widget *under = widget->parent;
    ui_tone around = under ? under->tone : UI_TONE_PLAIN;
    if (under && under->class_ == &ui_row_class && around == UI_TONE_ALERT)
        around = UI_TONE_TILE;
    const ui_tone_colours *face = &context->theme->tones[around];
    bool pressed = under && (under->flags & UI_FLAG_PRESSED);
    SDL_Color inside = checked ? tone->background : pressed ? face->pressed : face->background;
    ui_draw_fill_rounded(context->renderer, box, radius, tone->border);
    ui_draw_fill_rounded(context->renderer,
                         (SDL_Rect){box.x + ring, box.y + ring, side - 2 * ring, side - 2 * ring},
                         radius - ring, inside);
    if (!checked)
        return;
    float s = (float)side, x = (float)box.x, y = (float)box.y;
    SDL_FPoint start = {x + s * 0.24f, y + s * 0.52f}, corner = {x + s * 0.43f, y + s * 0.71f},
               end = {x + s * 0.78f, y + s * 0.31f};
    ui_draw_stroke(context->renderer, start, corner, s * 0.12f, tone->text);
    ui_draw_stroke(context->renderer, corner, end, s * 0.12f, tone->text);
}

const ui_widget_class ui_check_box_class = {
    .name = "check-box", .role = UI_ROLE_GROUP, .draw = draw_check_box};

ui_widget *ui_check_box_create(ui_widget *parent, const char *id, bool checked, SDL_Rect bounds)
{
    ui_widget *box = ui_widget_create(parent, &ui_check_box_class, id);
    if (box) {
        box->bounds = bounds;
        box->tone = UI_TONE_PRIMARY;
        if (checked)
            box->flags |= UI_FLAG_CHECKED;
    }
    return box;
}

/* A radio mark: a ring, and in the one chosen a dot. Round where a check
 * box is square: one of several, not each on its own. Ring and dot are in
 * the tone's background when chosen (light on the chosen row), else the
 * ring in its border colour; between them the face of the row shows. */
static void draw_radio(const ui_widget *widget, ui_context *context)
{
    const ui_tone_colours *tone = &context->theme->tones[widget->tone];
    SDL_Rect b = widget->bounds;
    int side = b.w < b.h ? b.w : b.h;
    SDL_Rect disc = {b.x + (b.w - side) / 2, b.y + (b.h - side) / 2, side, side};
    int ring = ui_dp(&context->metrics, context->theme->border_dp + 1);
    bool chosen = widget->flags & UI_FLAG_CHECKED;
    const ui_widget *under = widget->parent;
    const ui_tone_colours *face = &context->theme->tones[under ? under->tone : UI_TONE_PLAIN];
    bool pressed = under && (under->flags & UI_FLAG_PRESSED);
    SDL_Color mark = chosen ? tone->background : tone->border;
    ui_draw_fill_rounded(context->renderer, disc, side / 2, mark);
    SDL_Rect hole = {disc.x + ring, disc.y + ring, side - 2 * ring, side - 2 * ring};
    ui_draw_fill_rounded(context->renderer, hole, hole.w / 2,
                         pressed ? face->pressed : face->background);
    if (!chosen)
        return;
    int dot = side / 2;
    ui_draw_fill_rounded(context->renderer,
                         (SDL_Rect){disc.x + (side - dot) / 2, disc.y + (side - dot) / 2, dot, dot},
                         dot / 2, mark);
}

const ui_widget_class ui_radio_class = {.name = "radio", .role = UI_ROLE_GROUP, .draw = draw_radio};

ui_widget *ui_radio_create(ui_widget *parent, const char *id, bool chosen, SDL_Rect bounds)
{
    ui_widget *mark = ui_widget_create(parent, &ui_radio_class, id);
    if (mark) {
        mark->bounds = bounds;
        mark->tone = UI_TONE_PRIMARY;
        if (chosen)
            mark->flags |= UI_FLAG_CHECKED;
    }
    return mark;
}

/* A shackle (a half ring on two legs) over a body with a keyhole, in
 * proportions that read as a padlock at any size. */
static void draw_lock(const ui_widget *widget, ui_context *context)
{
    const ui_tone_colours *tone = &context->theme->tones[widget->tone];
    SDL_Rect b = widget->bounds;
    float s = (float)(b.w < b.h ? b.w : b.h);
    float x = (float)b.x + ((float)b.w - s) / 2, y = (float)b.y + ((float)b.h - s) / 2;
    float cx = x + s / 2, top = y + s * 0.3f, r = s * 0.22f, stroke = s * 0.11f;
    SDL_FPoint previous = {cx - r, top};
    for (int i = 1; i <= 8; i++) {
        float angle = (float)M_PI * (1.0f + (float)i / 8);
        SDL_FPoint point = {cx + r * cosf(angle), top + r * sinf(angle)};
        ui_draw_stroke(context->renderer, previous, point, stroke, tone->detail);
        previous = point;
    }
    for (int side = -1; side <= 1; side += 2) {
        SDL_FPoint from = {cx + (float)side * r, top}, to = {cx + (float)side * r, y + s * 0.5f};
        ui_draw_stroke(context->renderer, from, to, stroke, tone->detail);
    }
    SDL_Rect body = {(int)(x + s * 0.15f), (int)(y + s * 0.45f), (int)(s * 0.7f), (int)(s * 0.5f)};
    ui_draw_fill_rounded(context->renderer, body, (int)(s * 0.08f), tone->detail);
    SDL_Rect hole = {(int)(cx - s * 0.06f), body.y + body.h / 4, (int)(s * 0.12f) + 1, body.h / 2};
    ui_draw_fill_rounded(context->renderer, hole, hole.w / 2, tone->background);
}

const ui_widget_class ui_lock_class = {.name = "lock", .role = UI_ROLE_GROUP, .draw = draw_lock};

ui_widget *ui_lock_create(ui_widget *parent, const char *id, SDL_Rect bounds, ui_tone tone)
{
    ui_widget *lock = ui_widget_create(parent, &ui_lock_class, id);
    if (lock) {
        lock->bounds = bounds;
        lock->tone = tone;
    }
    return lock;
}

static void draw_row(const ui_widget *widget, ui_context *context)
{
    const ui_tone_colours *tones = context->theme->tones;
    bool alert = widget->tone == UI_TONE_ALERT;
    const ui_tone_colours *face_tone = &tones[alert ? UI_TONE_TILE : widget->tone];
    int radius = ui_dp(&context->metrics, context->theme->corner_dp);
    int border = ui_dp(&context->metrics, context->theme->border_dp) * (alert ? 2 : 1);
    SDL_Rect face = {widget->bounds.x + border, widget->bounds.y + border,
                     widget->bounds.w - 2 * border, widget->bounds.h - 2 * border};
    bool pressed = widget->flags & UI_FLAG_PRESSED;
    ui_draw_fill_rounded(context->renderer, widget->bounds, radius, tones[widget->tone].border);
    ui_draw_fill_rounded(context->renderer, face, radius - border,
                         pressed ? face_tone->pressed : face_tone->background);
}

const ui_widget_class ui_row_class = {
    .name = "row", .role = UI_ROLE_BUTTON, .focus = UI_FOCUS_WHEN_TAPPABLE, .draw = draw_row};

ui_widget *ui_row_create(ui_widget *parent, const char *id, const char *name, SDL_Rect bounds,
                         ui_tone tone, ui_action action, int action_arg)
{
    ui_widget *row = ui_widget_create(parent, &ui_row_class, id);
    if (!row)
        return NULL;
    if (!ui_widget_set_text(row, name)) {
        ui_widget_destroy(row);
        return NULL;
    }
    row->bounds = bounds;
    row->tone = tone;
    row->action = action;
    row->action_arg = action_arg;
    if (action != UI_ACTION_NONE)
        row->flags |= UI_FLAG_TAPPABLE;
    return row;
}
