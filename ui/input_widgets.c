#include "ui/input_widgets.h"

#include "ui/draw.h"

#include <stdio.h>

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

static size_t field_parts(const ui_widget *widget, ui_context *context, ui_text_part *parts)
{
    const ui_tone_colours *tone = &context->theme->tones[UI_TONE_FOOTER];
    bool empty = !widget->text || !widget->text[0];
    const char *shown = empty ? widget->detail : widget->text;
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

const ui_widget_class ui_text_field_class = {
    .name = "text-field", .role = UI_ROLE_FIELD, .draw = draw_field, .text_parts = field_parts};

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
