/* A scrolling area. See ui/scroll_view.h. */
#include "ui/scroll_view.h"

#include "ui/draw.h"
#include "ui/test_probes.h"

#include <stdlib.h>

typedef struct scroll_state {
    int offset;         /* pixels scrolled from the top */
    int content_height; /* pixels */
} scroll_state;

static scroll_state *state_of(const ui_widget *view)
{
    return view->data;
}

static void draw_view(const ui_widget *view, ui_context *context)
{
    ui_draw_fill(context->renderer, view->bounds, context->theme->tones[view->tone].background);
    const scroll_state *state = state_of(view);
    if (state->content_height <= view->bounds.h)
        return;
    /* The bar: the track's length is the content, the thumb's the view. */
    int width = ui_dp(&context->metrics, 6);
    SDL_Rect track = {view->bounds.x + view->bounds.w - width, view->bounds.y, width,
                      view->bounds.h};
    int thumb_h = view->bounds.h * view->bounds.h / state->content_height;
    int thumb_y = view->bounds.y + state->offset * view->bounds.h / state->content_height;
    SDL_Rect thumb = {track.x, thumb_y, width, thumb_h};
    ui_draw_fill(context->renderer, track, context->theme->tones[UI_TONE_FOOTER].border);
    ui_draw_fill(context->renderer, thumb, context->theme->tones[UI_TONE_PRIMARY].background);
}

const ui_widget_class ui_scroll_view_class = {.name = "scroll-view",
                                              .role = UI_ROLE_GROUP,
                                              .draw = draw_view,
                                              .clips_children = true,
                                              .destroy_data = ui_widget_free_data};

ui_widget *ui_scroll_view_create(ui_widget *parent, const char *id, SDL_Rect bounds)
{
    ui_widget *view = ui_widget_create(parent, &ui_scroll_view_class, id);
    if (!view)
        return NULL;
    view->data = calloc(1, sizeof(scroll_state));
    if (!view->data) {
        ui_widget_destroy(view);
        return NULL;
    }
    view->bounds = bounds;
    view->tone = UI_TONE_PLAIN;
    return view;
}

static void lowest(ui_widget *widget, int *bottom)
{
    for (ui_widget *child = widget->first_child; child; child = child->next_sibling) {
        int edge = child->bounds.y + child->bounds.h;
        *bottom = edge > *bottom ? edge : *bottom;
        lowest(child, bottom);
    }
}

void ui_scroll_view_update_extent(ui_widget *view)
{
    scroll_state *state = state_of(view);
    int bottom = view->bounds.y - state->offset;
    lowest(view, &bottom);
    state->content_height = bottom - (view->bounds.y - state->offset);
}

static void move_subtree(ui_widget *widget, int dy)
{
    for (ui_widget *child = widget->first_child; child; child = child->next_sibling) {
        child->bounds.y += dy;
        move_subtree(child, dy);
    }
}

int ui_scroll_view_max_offset(const ui_widget *view)
{
    const scroll_state *state = state_of(view);
    int most = state->content_height - view->bounds.h;
    return most > 0 ? most : 0;
}

int ui_scroll_view_offset(const ui_widget *view)
{
    return state_of(view)->offset;
}

int ui_scroll_view_scroll_by(ui_widget *view, int dy)
{
    scroll_state *state = state_of(view);
    int target = state->offset + dy;
    int most = ui_scroll_view_max_offset(view);
    target = target < 0 ? 0 : target > most ? most : target;
    int moved = target - state->offset;
    state->offset = target;
    move_subtree(view, -moved);
    return moved;
}

int ui_scroll_view_reveal(ui_widget *view, const ui_widget *child)
{
    int top = child->bounds.y, bottom = child->bounds.y + child->bounds.h;
    int view_bottom = view->bounds.y + view->bounds.h;
    if (top >= view->bounds.y && bottom <= view_bottom)
        return 0;
    int middle = child->bounds.h < view->bounds.h
                     ? (top + bottom) / 2 - (view->bounds.y + view_bottom) / 2
                     : top - view->bounds.y;
    return ui_scroll_view_scroll_by(view, middle);
}

ui_widget *ui_scroll_view_at(ui_widget *root, int x, int y)
{
    if (!root || (root->flags & UI_FLAG_HIDDEN))
        return NULL;
    SDL_Point point = {x, y};
    bool here = SDL_PointInRect(&point, &root->bounds);
    if (root->class_->clips_children && !here)
        return NULL; /* what is scrolled out of view is not under the finger */
    ui_widget *found = NULL;
    /* Later siblings draw on top, so the last one under the point wins. */
    for (ui_widget *child = root->first_child; child; child = child->next_sibling) {
        ui_widget *inner = ui_scroll_view_at(child, x, y);
        if (inner)
            found = inner;
    }
    if (!found && here && root->class_ == &ui_scroll_view_class)
        found = root;
    return found;
}

ui_widget *ui_scroll_view_of(ui_widget *widget)
{
    for (ui_widget *w = widget ? widget->parent : NULL; w; w = w->parent) {
        if (w->class_ == &ui_scroll_view_class)
            return w;
    }
    return NULL;
}
