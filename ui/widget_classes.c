/* The basic widget classes: panel, label, heading, note, button, card,
 * backdrop and service tile. Each draws its background here and names its
 * texts (the text parts), which the tree draws, and the accessibility audit
 * checks. */
#include "ui/widget.h"

#include "ui/draw.h"
#include "ui/icons.h"

#include <stdlib.h>
#include <string.h>

static const ui_tone_colours *tone_of(const ui_widget *widget, const ui_context *context)
{
    return &context->theme->tones[widget->tone];
}

static lang language_of(const ui_widget *widget, const ui_context *context)
{
    return widget->text_lang >= 0 ? (lang)widget->text_lang : context->language;
}

static ui_text_style style_for(const ui_widget *widget, ui_context *context, float default_dp,
                               SDL_Color colour, int wrap_px)
{
    float dp = widget->text_dp > 0 ? widget->text_dp : default_dp;
    int px = widget->chrome ? ui_theme_chrome_text_px(context->theme, &context->metrics, dp)
                            : ui_theme_text_px(context->theme, &context->metrics, dp);
    return (ui_text_style){
        .size_px = px, .color = colour, .wrap_px = wrap_px, .wrap_align = widget->align};
}

/* Text too wide for its box is made smaller, never below the theme's legal
 * minimum; if it still does not fit and there is room for more lines, it
 * wraps. What remains too large is clipped, and the audit reports it. */
void ui_text_part_fit(const ui_widget *widget, ui_context *context, ui_text_part *part)
{
    int floor_px = widget->chrome ? ui_theme_chrome_text_px(context->theme, &context->metrics, 0)
                                  : ui_theme_text_px(context->theme, &context->metrics, 0);
    int w = 0, h = 0;
    while (ui_text_get(context->text, part->language, part->text, part->style, &w, &h) &&
           (w > part->box.w || h > part->box.h) && part->style.size_px > floor_px) {
        int smaller = part->style.size_px * 92 / 100;
        part->style.size_px = smaller > floor_px ? smaller : floor_px;
    }
    if (w > part->box.w && part->style.wrap_px == 0) {
        ui_text_style wrapped = part->style;
        wrapped.wrap_px = part->box.w;
        wrapped.wrap_align = part->align;
        if (ui_text_get(context->text, part->language, part->text, wrapped, &w, &h) &&
            h <= part->box.h)
            part->style = wrapped;
    }
}

static void draw_panel(const ui_widget *widget, ui_context *context)
{
    ui_draw_fill(context->renderer, widget->bounds, tone_of(widget, context)->background);
}

static size_t label_parts(const ui_widget *widget, ui_context *context, ui_text_part *parts)
{
    if (!widget->text || !widget->text[0])
        return 0;
    float default_dp = widget->class_->role == UI_ROLE_HEADING ? context->theme->heading_dp
                                                               : context->theme->body_dp;
    int wrap = widget->wrap ? widget->bounds.w : 0;
    parts[0] = (ui_text_part){
        .text = widget->text,
        .language = language_of(widget, context),
        .style = style_for(widget, context, default_dp, tone_of(widget, context)->text, wrap),
        .box = widget->bounds,
        .align = widget->align};
    /* A heading is a title: its last line is never one character alone. */
    parts[0].style.title = widget->class_->role == UI_ROLE_HEADING;
    ui_text_part_fit(widget, context, &parts[0]);
    return 1;
}

/* A note: a label in the quieter detail colour (a hint, where a value
 * came from). */
static size_t note_parts(const ui_widget *widget, ui_context *context, ui_text_part *parts)
{
    size_t count = label_parts(widget, context, parts);
    if (count)
        parts[0].style.color = tone_of(widget, context)->detail;
    return count;
}

/* The box behind buttons and tiles: a border ring, then the face. */
static void draw_box(const ui_widget *widget, ui_context *context)
{
    const ui_tone_colours *tone = tone_of(widget, context);
    int radius = ui_dp(&context->metrics, context->theme->corner_dp);
    int border = ui_dp(&context->metrics, context->theme->border_dp);
    SDL_Rect face = {widget->bounds.x + border, widget->bounds.y + border,
                     widget->bounds.w - 2 * border, widget->bounds.h - 2 * border};
    bool pressed = widget->flags & UI_FLAG_PRESSED;
    ui_draw_fill_rounded(context->renderer, widget->bounds, radius, tone->border);
    ui_draw_fill_rounded(context->renderer, face, radius - border,
                         pressed ? tone->pressed : tone->background);
}

/* What a button carries besides its words (ui_button_set_icon). */
typedef struct button_marks {
    const char *icon; /* the table's name, NULL none */
    char glyph[8];
    bool after; /* after the words (a way forward), not before them */
} button_marks;

static bool set_icon(ui_widget *button, const char *icon_name, bool after)
{
    if (button->class_ != &ui_button_class)
        return true; /* a key or another kind: its data is its own */
    if (!icon_name || !ui_icon_known(icon_name)) {
        ui_widget_free_data(button);
        return true;
    }
    button_marks *marks = button->data ? button->data : calloc(1, sizeof *marks);
    if (!marks)
        return false;
    /* The table's own copy of the name: it outlives the button. */
    for (size_t i = 0; i < ui_icon_count(); i++) {
        if (strcmp(ui_icon_name_at(i), icon_name) == 0)
            marks->icon = ui_icon_name_at(i);
    }
    ui_icon_utf8(icon_name, marks->glyph);
    marks->after = after;
    button->data = marks;
    return true;
}

bool ui_button_set_icon(ui_widget *button, const char *icon_name)
{
    return set_icon(button, icon_name, false);
}

bool ui_button_set_icon_after(ui_widget *button, const char *icon_name)
{
    return set_icon(button, icon_name, true);
}

const char *ui_button_icon(const ui_widget *button)
{
    const button_marks *marks = button && button->class_ == &ui_button_class ? button->data : NULL;
    return marks ? marks->icon : NULL;
}

int ui_icon_room_px(int text_px)
{
    return text_px * 6 / 5 + text_px / 3;
}

/* The words with the pictogram before them (after them, where after),
 * the pair set as the words alone would be (centred, or at the start or end): the words made
 * smaller for the pictogram's room, never below the legal least size. False where they would not
 * fit beside it even so, or would fit worse than alone (alone_h: their height alone, which a low
 * button may only just hold): the words then go alone. */
static bool place_with_icon(const ui_widget *widget, ui_context *context, const char *glyph,
                            bool after, SDL_Rect inside, int alone_h, ui_text_part *icon,
                            ui_text_part *words)
{
    if (!context->text)
        return false;
    ui_text_part fitted = *words;
    fitted.box.w = inside.w - ui_icon_room_px(words->style.size_px);
    if (fitted.style.wrap_px > 0)
        fitted.style.wrap_px = fitted.box.w;
    if (fitted.box.w <= 0)
        return false;
    ui_text_part_fit(widget, context, &fitted);
    int w = 0, h = 0, icon_w = 0, icon_h = 0;
    int px = fitted.style.size_px, gap = px / 3;
    ui_text_style style = {.size_px = px * 6 / 5, .color = fitted.style.color};
    if (!ui_text_get(context->text, fitted.language, fitted.text, fitted.style, &w, &h) ||
        w > fitted.box.w || h > (alone_h > fitted.box.h ? alone_h : fitted.box.h) ||
        !ui_text_get(context->text, UI_TEXT_ICONS, glyph, style, &icon_w, &icon_h))
        return false;
    /* A low button (words set smaller to fit its height): the pictogram
     * as tall as the button has room for. */
    if (icon_h > inside.h) {
        style.size_px = style.size_px * inside.h / icon_h;
        if (!ui_text_get(context->text, UI_TEXT_ICONS, glyph, style, &icon_w, &icon_h) ||
            icon_h > inside.h)
            return false;
    }
    int group = icon_w + gap + w;
    int x = inside.x + (inside.w - group) / 2;
    if (words->align == UI_ALIGN_START)
        x = inside.x;
    else if (words->align == UI_ALIGN_END)
        x = inside.x + inside.w - group;
    int icon_x = after ? x + w + gap : x;
    *icon = (ui_text_part){.text = glyph,
                           .language = UI_TEXT_ICONS,
                           .style = style,
                           .box = {icon_x, inside.y + (inside.h - icon_h) / 2, icon_w, icon_h},
                           .align = UI_ALIGN_CENTER};
    fitted.box.x = after ? x : x + icon_w + gap;
    fitted.box.w = after ? w : inside.x + inside.w - fitted.box.x;
    fitted.align = UI_ALIGN_START;
    *words = fitted;
    return true;
}

static size_t button_parts(const ui_widget *widget, ui_context *context, ui_text_part *parts)
{
    if (!widget->text || !widget->text[0])
        return 0;
    int padding = ui_dp(&context->metrics, 12);
    SDL_Rect inside = {widget->bounds.x + padding, widget->bounds.y, widget->bounds.w - 2 * padding,
                       widget->bounds.h};
    int wrap = widget->wrap ? inside.w : 0;
    ui_text_part words = {.text = widget->text,
                          .language = language_of(widget, context),
                          .style = style_for(widget, context, context->theme->button_dp,
                                             tone_of(widget, context)->text, wrap),
                          .box = inside,
                          .align = widget->align};
    ui_text_part alone = words;
    ui_text_part_fit(widget, context, &alone);
    /* A pictogram beside the words, in their colour and sized with them. */
    const button_marks *marks = widget->data;
    int alone_w = 0, alone_h = 0;
    if (marks && marks->icon && context->text &&
        ui_text_get(context->text, alone.language, alone.text, alone.style, &alone_w, &alone_h) &&
        place_with_icon(widget, context, marks->glyph, marks->after, inside, alone_h, &parts[0],
                        &words)) {
        parts[1] = words;
        return 2;
    }
    parts[0] = alone;
    return 1;
}

typedef struct tile_layout {
    int stripe, padding, gap;
    int icon_px; /* the pictogram's square, 0: none */
    int foot_px; /* kept free at the foot (the terminal's state, drawn by a child) */
    int end_px;  /* kept free at the trailing edge (the same, on a wide tile) */
    ui_text_style name, detail;
} tile_layout;

/* What a tile carries besides its words (ui_tile_set_marks). */
typedef struct tile_marks {
    char icon[8]; /* the pictogram's UTF-8, "" none */
    int foot_px, end_px;
} tile_marks;

bool ui_tile_set_marks(ui_widget *tile, const char *icon_name, int foot_px, int end_px)
{
    tile_marks *marks = tile->data ? tile->data : calloc(1, sizeof *marks);
    if (!marks)
        return false;
    marks->icon[0] = '\0';
    if (icon_name)
        ui_icon_utf8(icon_name, marks->icon);
    marks->foot_px = foot_px > 0 ? foot_px : 0;
    marks->end_px = end_px > 0 ? end_px : 0;
    tile->data = marks;
    return true;
}

static tile_layout tile_layout_of(const ui_widget *widget, const ui_context *context)
{
    const ui_theme *theme = context->theme;
    const ui_metrics *metrics = &context->metrics;
    const ui_tone_colours *tone = tone_of(widget, context);
    tile_layout layout = {
        .stripe = ui_dp(metrics, 8), .padding = ui_dp(metrics, 20), .gap = ui_dp(metrics, 10)};
    const tile_marks *marks = widget->data;
    int name_px = ui_theme_text_px(theme, metrics,
                                   widget->text_dp > 0 ? widget->text_dp : theme->tile_name_dp);
    layout.foot_px = marks ? marks->foot_px : 0;
    layout.end_px = marks ? marks->end_px : 0;
    if (marks && marks->icon[0]) {
        /* The pictogram beside the name: half again its size, never more
         * than a quarter of the tile's width or its height. */
        int most_w = widget->bounds.w / 4,
            most_h = widget->bounds.h - layout.foot_px - 2 * layout.gap;
        layout.icon_px = name_px * 3 / 2;
        layout.icon_px = layout.icon_px < most_w ? layout.icon_px : most_w;
        layout.icon_px = layout.icon_px < most_h ? layout.icon_px : most_h;
        layout.icon_px = layout.icon_px > 0 ? layout.icon_px : 0;
    }
    int width = widget->bounds.w - 2 * layout.padding - layout.stripe - layout.end_px -
                (layout.icon_px ? layout.icon_px + layout.gap : 0);
    layout.name = (ui_text_style){.size_px = name_px,
                                  .color = tone->text,
                                  .bold = true,
                                  .wrap_px = width,
                                  .wrap_align = widget->align,
                                  .title = true};
    layout.detail =
        (ui_text_style){.size_px = ui_theme_text_px(theme, metrics, theme->tile_detail_dp),
                        .color = tone->detail,
                        .wrap_px = width,
                        .wrap_align = widget->align};
    return layout;
}

static void draw_tile(const ui_widget *widget, ui_context *context)
{
    const ui_tone_colours *tone = tone_of(widget, context);
    const ui_metrics *metrics = &context->metrics;
    draw_box(widget, context);
    /* An accent stripe on the leading edge tells tiles apart at a glance. */
    int stripe = ui_dp(metrics, 8), inset = ui_dp(metrics, 2);
    SDL_Rect accent = {widget->bounds.x + inset, widget->bounds.y + ui_dp(metrics, 16), stripe,
                       widget->bounds.h - ui_dp(metrics, 32)};
    ui_draw_fill(context->renderer, accent,
                 widget->tone == UI_TONE_BUNDLE ? tone->border : context->theme->accent);
}

/* Name and summary wrap within the tile (a long English name takes two
 * lines); the pair is centred. Whether the summary shows depends on the
 * tile's size alone (room for a line of name and two of summary), so tiles of
 * one size look alike. */
static size_t tile_parts(const ui_widget *widget, ui_context *context, ui_text_part *parts)
{
    tile_layout layout = tile_layout_of(widget, context);
    lang language = language_of(widget, context);
    int name_w = 0, name_h = 0, detail_w = 0, detail_h = 0;
    int room = widget->bounds.h - layout.foot_px - 2 * layout.gap;
    bool name = widget->text && widget->text[0] &&
                ui_text_get(context->text, language, widget->text, layout.name, &name_w, &name_h);
    /* A name taller than the tile (a long English name on a small screen)
     * is set smaller, never below the legal minimum. */
    int floor_px = ui_theme_text_px(context->theme, &context->metrics, 0);
    while (name && name_h > room && layout.name.size_px > floor_px) {
        int smaller = layout.name.size_px * 92 / 100;
        layout.name.size_px = smaller > floor_px ? smaller : floor_px;
        name = ui_text_get(context->text, language, widget->text, layout.name, &name_w, &name_h);
    }
    int two_lines = 2 * layout.detail.size_px * 14 / 10;
    bool detail =
        widget->detail && widget->detail[0] &&
        layout.name.size_px * 14 / 10 + layout.gap + two_lines <= room &&
        ui_text_get(context->text, language, widget->detail, layout.detail, &detail_w, &detail_h);
    if (detail && name_h + layout.gap + detail_h > room)
        detail = false;
    int block = (name ? name_h : 0) + (detail ? layout.gap + detail_h : 0);
    int area_h = widget->bounds.h - layout.foot_px;
    int top = widget->bounds.y + (area_h - (block < room ? block : room)) / 2;
    int left = widget->bounds.x + layout.padding + layout.stripe;
    int width = layout.name.wrap_px;
    size_t count = 0;
    if (layout.icon_px) {
        /* In the theme's accent on a service tile, in the bundle's own
         * colour on a bundle: drawn and audited as text is. */
        const tile_marks *marks = widget->data;
        SDL_Color colour =
            widget->tone == UI_TONE_TILE ? context->theme->accent : tone_of(widget, context)->text;
        parts[count++] =
            (ui_text_part){.text = marks->icon,
                           .language = UI_TEXT_ICONS,
                           .style = {.size_px = layout.icon_px, .color = colour},
                           .box = {left, widget->bounds.y + (area_h - layout.icon_px) / 2,
                                   layout.icon_px, layout.icon_px},
                           .align = UI_ALIGN_CENTER};
        left += layout.icon_px + layout.gap;
    }
    if (name)
        parts[count++] = (ui_text_part){.text = widget->text,
                                        .language = language,
                                        .style = layout.name,
                                        .box = {left, top, width, name_h < room ? name_h : room},
                                        .align = widget->align};
    if (detail)
        parts[count++] = (ui_text_part){.text = widget->detail,
                                        .language = language,
                                        .style = layout.detail,
                                        .box = {left, top + name_h + layout.gap, width, detail_h},
                                        .align = widget->align};
    return count;
}

const ui_widget_class ui_panel_class = {.name = "panel", .role = UI_ROLE_GROUP, .draw = draw_panel};
const ui_widget_class ui_label_class = {
    .name = "label", .role = UI_ROLE_TEXT, .text_parts = label_parts};
const ui_widget_class ui_heading_class = {
    .name = "heading", .role = UI_ROLE_HEADING, .text_parts = label_parts};
const ui_widget_class ui_note_class = {
    .name = "note", .role = UI_ROLE_TEXT, .text_parts = note_parts};
const ui_widget_class ui_button_class = {.name = "button",
                                         .role = UI_ROLE_BUTTON,
                                         .focus = UI_FOCUS_WHEN_TAPPABLE,
                                         .draw = draw_box,
                                         .text_parts = button_parts,
                                         .destroy_data = ui_widget_free_data};
const ui_widget_class ui_card_class = {.name = "card", .role = UI_ROLE_GROUP, .draw = draw_box};
const ui_widget_class ui_backdrop_class = {.name = "backdrop",
                                           .role = UI_ROLE_BUTTON,
                                           .focus = UI_FOCUS_WHEN_TAPPABLE,
                                           .draw = draw_panel};
const ui_widget_class ui_tile_class = {.name = "tile",
                                       .role = UI_ROLE_BUTTON,
                                       .focus = UI_FOCUS_WHEN_TAPPABLE,
                                       .draw = draw_tile,
                                       .text_parts = tile_parts,
                                       .destroy_data = ui_widget_free_data};
