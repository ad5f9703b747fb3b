#include "ui/widget.h"

#include "ui/draw.h"

#include <stdlib.h>
#include <string.h>

ui_widget *ui_widget_create(ui_widget *parent, const ui_widget_class *class_, const char *id)
{
    ui_widget *widget = calloc(1, sizeof *widget);
    if (!widget)
        return NULL;
    widget->class_ = class_;
    widget->align = UI_ALIGN_CENTER;
    widget->text_lang = -1;
    size_t length = strnlen(id, UI_ID_MAX - 1);
    memcpy(widget->id, id, length);
    if (parent) {
        widget->parent = parent;
        if (parent->last_child)
            parent->last_child->next_sibling = widget;
        else
            parent->first_child = widget;
        parent->last_child = widget;
    }
    return widget;
}

static void free_text(char **text)
{
    if (*text) {
        memset(*text, 0, strlen(*text));
        free(*text);
        *text = NULL;
    }
}

static bool replace_text(char **slot, const char *text)
{
    char *copy = NULL;
    if (text) {
        size_t length = strlen(text);
        copy = malloc(length + 1);
        if (!copy)
            return false;
        memcpy(copy, text, length + 1);
    }
    free_text(slot);
    *slot = copy;
    return true;
}

bool ui_widget_set_text(ui_widget *widget, const char *text)
{
    return replace_text(&widget->text, text);
}

bool ui_widget_set_detail(ui_widget *widget, const char *detail)
{
    return replace_text(&widget->detail, detail);
}

void ui_widget_destroy(ui_widget *widget)
{
    if (!widget)
        return;
    ui_widget *child = widget->first_child;
    while (child) {
        ui_widget *next = child->next_sibling;
        child->parent = NULL; /* already being taken apart: skip unlinking */
        ui_widget_destroy(child);
        child = next;
    }
    ui_widget *parent = widget->parent;
    if (parent) {
        ui_widget **link = &parent->first_child;
        ui_widget *previous = NULL;
        while (*link && *link != widget) {
            previous = *link;
            link = &(*link)->next_sibling;
        }
        if (*link)
            *link = widget->next_sibling;
        if (parent->last_child == widget)
            parent->last_child = previous;
    }
    free_text(&widget->text);
    free_text(&widget->detail);
    free(widget);
}

/* The created widget with text and bounds, or NULL (and nothing left behind). */
static ui_widget *create_with(ui_widget *parent, const ui_widget_class *class_, const char *id,
                              const char *text, SDL_Rect bounds)
{
    ui_widget *widget = ui_widget_create(parent, class_, id);
    if (widget && text && !ui_widget_set_text(widget, text)) {
        ui_widget_destroy(widget);
        return NULL;
    }
    if (widget)
        widget->bounds = bounds;
    return widget;
}

ui_widget *ui_panel_create(ui_widget *parent, const char *id, SDL_Rect bounds, ui_tone tone)
{
    ui_widget *widget = create_with(parent, &ui_panel_class, id, NULL, bounds);
    if (widget)
        widget->tone = tone;
    return widget;
}

ui_widget *ui_label_create(ui_widget *parent, const char *id, const char *text, SDL_Rect bounds)
{
    return create_with(parent, &ui_label_class, id, text, bounds);
}

ui_widget *ui_heading_create(ui_widget *parent, const char *id, const char *text, SDL_Rect bounds)
{
    return create_with(parent, &ui_heading_class, id, text, bounds);
}

ui_widget *ui_button_create(ui_widget *parent, const char *id, const char *text, SDL_Rect bounds,
                            ui_action action, int action_arg)
{
    ui_widget *widget = create_with(parent, &ui_button_class, id, text, bounds);
    if (widget) {
        widget->flags |= UI_FLAG_TAPPABLE;
        widget->action = action;
        widget->action_arg = action_arg;
        widget->tone = UI_TONE_SECONDARY;
    }
    return widget;
}

ui_widget *ui_tile_create(ui_widget *parent, const char *id, const char *name, const char *summary,
                          SDL_Rect bounds, ui_action action, int action_arg)
{
    ui_widget *widget = create_with(parent, &ui_tile_class, id, name, bounds);
    if (widget && summary && !ui_widget_set_detail(widget, summary)) {
        ui_widget_destroy(widget);
        return NULL;
    }
    if (widget) {
        widget->flags |= UI_FLAG_TAPPABLE;
        widget->action = action;
        widget->action_arg = action_arg;
        widget->tone = UI_TONE_TILE;
    }
    return widget;
}

ui_widget *ui_card_create(ui_widget *parent, const char *id, SDL_Rect bounds, ui_tone tone)
{
    ui_widget *widget = create_with(parent, &ui_card_class, id, NULL, bounds);
    if (widget)
        widget->tone = tone;
    return widget;
}

ui_widget *ui_backdrop_create(ui_widget *parent, const char *id, const char *label, SDL_Rect bounds,
                              ui_action action)
{
    ui_widget *widget = create_with(parent, &ui_backdrop_class, id, label, bounds);
    if (widget) {
        widget->flags |= UI_FLAG_TAPPABLE;
        widget->action = action;
        widget->tone = UI_TONE_PLAIN;
    }
    return widget;
}

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
    return (ui_text_style){.size_px = ui_theme_text_px(context->theme, &context->metrics, dp),
                           .color = colour,
                           .wrap_px = wrap_px,
                           .wrap_align = widget->align};
}

static void draw_panel(const ui_widget *widget, ui_context *context)
{
    ui_draw_fill(context->renderer, widget->bounds, tone_of(widget, context)->background);
}

static void draw_label(const ui_widget *widget, ui_context *context)
{
    if (!widget->text)
        return;
    const ui_tone_colours *tone = tone_of(widget, context);
    float default_dp = widget->class_->role == UI_ROLE_HEADING ? context->theme->heading_dp
                                                               : context->theme->body_dp;
    int wrap = widget->wrap ? widget->bounds.w : 0;
    ui_text_draw(context->text, language_of(widget, context), widget->text,
                 style_for(widget, context, default_dp, tone->text, wrap), widget->bounds,
                 widget->align);
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

static void draw_button(const ui_widget *widget, ui_context *context)
{
    draw_box(widget, context);
    if (!widget->text)
        return;
    const ui_tone_colours *tone = tone_of(widget, context);
    int padding = ui_dp(&context->metrics, 12);
    SDL_Rect inside = {widget->bounds.x + padding, widget->bounds.y, widget->bounds.w - 2 * padding,
                       widget->bounds.h};
    int wrap = widget->wrap ? inside.w : 0;
    ui_text_draw(context->text, language_of(widget, context), widget->text,
                 style_for(widget, context, context->theme->button_dp, tone->text, wrap), inside,
                 widget->align);
}

static void draw_tile(const ui_widget *widget, ui_context *context)
{
    const ui_theme *theme = context->theme;
    const ui_tone_colours *tone = tone_of(widget, context);
    const ui_metrics *metrics = &context->metrics;
    draw_box(widget, context);

    /* An accent stripe on the leading edge tells tiles apart at a glance. */
    int stripe = ui_dp(metrics, 8), inset = ui_dp(metrics, 2);
    SDL_Rect accent = {widget->bounds.x + inset, widget->bounds.y + ui_dp(metrics, 16), stripe,
                       widget->bounds.h - ui_dp(metrics, 32)};
    ui_draw_fill(context->renderer, accent,
                 widget->tone == UI_TONE_BUNDLE ? tone->border : theme->accent);

    int padding = ui_dp(metrics, 20);
    int gap = ui_dp(metrics, 10);
    int width = widget->bounds.w - 2 * padding - stripe;
    lang language = language_of(widget, context);
    /* Name and summary wrap within the tile (a long English name takes two
     * lines); the pair is centred, and a tile too short for the summary shows
     * the name alone. */
    ui_text_style name_style = {
        .size_px = ui_theme_text_px(theme, metrics,
                                    widget->text_dp > 0 ? widget->text_dp : theme->tile_name_dp),
        .color = tone->text,
        .bold = true,
        .wrap_px = width,
        .wrap_align = widget->align};
    ui_text_style detail_style = {.size_px =
                                      ui_theme_text_px(theme, metrics, theme->tile_detail_dp),
                                  .color = tone->detail,
                                  .wrap_px = width,
                                  .wrap_align = widget->align};
    int name_w = 0, name_h = 0, detail_w = 0, detail_h = 0;
    SDL_Texture *name = widget->text ? ui_text_get(context->text, language, widget->text,
                                                   name_style, &name_w, &name_h)
                                     : NULL;
    SDL_Texture *detail = widget->detail ? ui_text_get(context->text, language, widget->detail,
                                                       detail_style, &detail_w, &detail_h)
                                         : NULL;
    int room = widget->bounds.h - 2 * gap;
    if (detail && name_h + gap + detail_h > room)
        detail = NULL;
    int block = name_h + (detail ? gap + detail_h : 0);
    int top = widget->bounds.y + (widget->bounds.h - (block < room ? block : room)) / 2;
    int left = widget->bounds.x + padding + stripe;
    if (name) {
        SDL_Rect source = {0, 0, name_w < width ? name_w : width, name_h < room ? name_h : room};
        SDL_Rect place = {left, top, source.w, source.h};
        SDL_RenderCopy(context->renderer, name, &source, &place);
    }
    if (detail) {
        SDL_Rect source = {0, 0, detail_w < width ? detail_w : width, detail_h};
        SDL_Rect place = {left, top + name_h + gap, source.w, source.h};
        SDL_RenderCopy(context->renderer, detail, &source, &place);
    }
}

const ui_widget_class ui_panel_class = {.name = "panel", .role = UI_ROLE_GROUP, .draw = draw_panel};
const ui_widget_class ui_label_class = {.name = "label", .role = UI_ROLE_TEXT, .draw = draw_label};
const ui_widget_class ui_heading_class = {
    .name = "heading", .role = UI_ROLE_HEADING, .draw = draw_label};
const ui_widget_class ui_button_class = {
    .name = "button", .role = UI_ROLE_BUTTON, .draw = draw_button};
const ui_widget_class ui_card_class = {.name = "card", .role = UI_ROLE_GROUP, .draw = draw_box};
const ui_widget_class ui_backdrop_class = {
    .name = "backdrop", .role = UI_ROLE_BUTTON, .draw = draw_panel};
const ui_widget_class ui_tile_class = {.name = "tile", .role = UI_ROLE_BUTTON, .draw = draw_tile};

void ui_widget_draw_tree(const ui_widget *root, ui_context *context)
{
    if (!root || (root->flags & UI_FLAG_HIDDEN))
        return;
    if (root->class_->draw)
        root->class_->draw(root, context);
    for (const ui_widget *child = root->first_child; child; child = child->next_sibling)
        ui_widget_draw_tree(child, context);
}

static bool contains(SDL_Rect rect, int x, int y)
{
    return x >= rect.x && y >= rect.y && x < rect.x + rect.w && y < rect.y + rect.h;
}

ui_widget *ui_widget_hit(ui_widget *root, int x, int y)
{
    if (!root || (root->flags & UI_FLAG_HIDDEN))
        return NULL;
    ui_widget *found = NULL;
    /* Later siblings draw on top, so the last hit wins. */
    for (ui_widget *child = root->first_child; child; child = child->next_sibling) {
        ui_widget *hit = ui_widget_hit(child, x, y);
        if (hit)
            found = hit;
    }
    if (!found && (root->flags & UI_FLAG_TAPPABLE) && contains(root->bounds, x, y))
        found = root;
    return found;
}

ui_widget *ui_widget_find(ui_widget *root, const char *id)
{
    if (!root)
        return NULL;
    if (strcmp(root->id, id) == 0)
        return root;
    for (ui_widget *child = root->first_child; child; child = child->next_sibling) {
        ui_widget *found = ui_widget_find(child, id);
        if (found)
            return found;
    }
    return NULL;
}

void ui_widget_walk(ui_widget *root, void (*visit)(ui_widget *widget, void *user), void *user)
{
    if (!root)
        return;
    visit(root, user);
    for (ui_widget *child = root->first_child; child; child = child->next_sibling)
        ui_widget_walk(child, visit, user);
}
