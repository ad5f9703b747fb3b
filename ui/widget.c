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

void ui_widget_free_data(ui_widget *widget)
{
    free(widget->data);
    widget->data = NULL;
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
    if (widget->class_->destroy_data && widget->data)
        widget->class_->destroy_data(widget);
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

ui_widget *ui_note_create(ui_widget *parent, const char *id, const char *text, SDL_Rect bounds)
{
    return create_with(parent, &ui_note_class, id, text, bounds);
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

size_t ui_widget_text_parts(const ui_widget *widget, ui_context *context,
                            ui_text_part parts[UI_TEXT_PARTS_MAX])
{
    return widget->class_->text_parts ? widget->class_->text_parts(widget, context, parts) : 0;
}

static void draw_subtree(const ui_widget *root, ui_context *context)
{
    if (!root || (root->flags & UI_FLAG_HIDDEN))
        return;
    if (root->class_->draw)
        root->class_->draw(root, context);
    ui_text_part parts[UI_TEXT_PARTS_MAX];
    size_t count = ui_widget_text_parts(root, context, parts);
    for (size_t i = 0; i < count; i++)
        ui_text_draw(context->text, parts[i].language, parts[i].text, parts[i].style, parts[i].box,
                     parts[i].align);
    /* A clipping container (a scroll view) shows its children only within
     * its bounds, as it lets them be touched only there. */
    ui_clip saved;
    if (root->class_->clips_children &&
        !ui_draw_clip_begin(context->renderer, root->bounds, &saved))
        return;
    for (const ui_widget *child = root->first_child; child; child = child->next_sibling)
        draw_subtree(child, context);
    if (root->class_->clips_children)
        ui_draw_clip_end(context->renderer, &saved);
}

void ui_widget_draw_tree(const ui_widget *root, ui_context *context)
{
    draw_subtree(root, context);
    /* The ring last: nothing drawn after the focused widget may hide it. */
    const ui_widget *focused = root ? ui_focus_find((ui_widget *)root) : NULL;
    if (focused)
        ui_focus_ring_draw(focused, context);
}

bool ui_widget_is_focusable(const ui_widget *widget)
{
    switch (widget->class_->focus) {
    case UI_FOCUS_ALWAYS:
        return true;
    case UI_FOCUS_WHEN_TAPPABLE:
        return (widget->flags & UI_FLAG_TAPPABLE) != 0;
    case UI_FOCUS_NEVER:
        break;
    }
    return false;
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
    if (root->class_->clips_children && !contains(root->bounds, x, y))
        return NULL; /* what is scrolled out of view cannot be touched */
    /* Later siblings draw on top, so the last hit wins. */
    for (ui_widget *child = root->first_child; child; child = child->next_sibling) {
        ui_widget *hit = ui_widget_hit(child, x, y);
        if (hit)
            found = hit;
        else if (child->class_->clips_children && !(child->flags & UI_FLAG_HIDDEN) &&
                 contains(child->bounds, x, y))
            found = NULL; /* a scrolling area covers what lies under it, gaps too */
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
