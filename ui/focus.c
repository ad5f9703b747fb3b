/* The order a keypad moves through a screen, and the ring that shows
 * where it is. See ui_focus_order and ui_focus_ring_draw in ui/widget.h. */
#include "ui/draw.h"
#include "ui/widget.h"

#include <stdlib.h>

/* One widget to order: where it stands for the order (its own bounds, or its
 * scroll view's), and the scroll view it is in (NULL: none). */
typedef struct entry {
    ui_widget *widget;
    const ui_widget *block;
    SDL_Rect at;
} entry;

/* Out of memory, what was collected so far. */
typedef struct collected {
    entry *entries;
    size_t count, capacity;
} collected;

static void collect(ui_widget *widget, const ui_widget *block, collected *into)
{
    if (widget->flags & UI_FLAG_HIDDEN)
        return;
    if (ui_widget_is_focusable(widget)) {
        if (into->count == into->capacity) {
            size_t capacity = into->capacity ? 2 * into->capacity : 32;
            entry *grown = realloc(into->entries, capacity * sizeof *grown);
            if (!grown)
                return;
            into->entries = grown;
            into->capacity = capacity;
        }
        into->entries[into->count++] =
            (entry){widget, block, block ? block->bounds : widget->bounds};
    }
    /* The outermost clipping container is the block its widgets move with. */
    const ui_widget *inner = block ? block : widget->class_->clips_children ? widget : NULL;
    for (ui_widget *child = widget->first_child; child; child = child->next_sibling)
        collect(child, inner, into);
}

/* Stable insertion sort: the lists are a screen's worth. */
static void sort(entry *entries, size_t count, int (*before)(const entry *, const entry *))
{
    for (size_t i = 1; i < count; i++) {
        entry moving = entries[i];
        size_t j = i;
        while (j > 0 && before(&moving, &entries[j - 1])) {
            entries[j] = entries[j - 1];
            j--;
        }
        entries[j] = moving;
    }
}

static int higher(const entry *a, const entry *b)
{
    return a->at.y < b->at.y || (a->at.y == b->at.y && a->at.x < b->at.x);
}

static int lefter(const entry *a, const entry *b)
{
    return a->at.x < b->at.x;
}

/* Reading order of entries by their `at`: lines from the top, each from the
 * left. */
static void reading_order(entry *entries, size_t count)
{
    sort(entries, count, higher);
    size_t first = 0;
    while (first < count) {
        int bottom = entries[first].at.y + entries[first].at.h;
        size_t end = first + 1;
        while (end < count && entries[end].at.y + entries[end].at.h / 2 < bottom) {
            int edge = entries[end].at.y + entries[end].at.h;
            bottom = edge > bottom ? edge : bottom;
            end++;
        }
        sort(entries + first, end - first, lefter);
        first = end;
    }
}

size_t ui_focus_order(ui_widget *root, ui_widget **out, size_t max)
{
    collected all = {0};
    if (root)
        collect(root, NULL, &all);
    /* The blocks in their places; then what each holds in its own order. */
    reading_order(all.entries, all.count);
    for (size_t first = 0; first < all.count;) {
        size_t end = first + 1;
        const ui_widget *block = all.entries[first].block;
        while (end < all.count && block && all.entries[end].block == block)
            end++;
        if (block) {
            for (size_t i = first; i < end; i++)
                all.entries[i].at = all.entries[i].widget->bounds;
            reading_order(all.entries + first, end - first);
        }
        first = end;
    }
    for (size_t i = 0; i < all.count && i < max; i++)
        out[i] = all.entries[i].widget;
    size_t count = all.count;
    free(all.entries);
    return count;
}

/* The focus ring. */

ui_widget *ui_focus_find(ui_widget *root)
{
    if (!root || (root->flags & UI_FLAG_HIDDEN))
        return NULL;
    if (root->flags & UI_FLAG_FOCUSED)
        return root;
    for (ui_widget *child = root->first_child; child; child = child->next_sibling) {
        ui_widget *found = ui_focus_find(child);
        if (found)
            return found;
    }
    return NULL;
}

static int ring_width(const ui_metrics *metrics)
{
    int width = ui_dp(metrics, UI_FOCUS_RING_DP);
    return width < 3 ? 3 : width;
}

static int halo_width(const ui_metrics *metrics)
{
    int width = ui_dp(metrics, UI_FOCUS_HALO_DP);
    return width < 1 ? 1 : width;
}

static SDL_Rect grown(SDL_Rect rect, int by)
{
    return (SDL_Rect){rect.x - by, rect.y - by, rect.w + 2 * by, rect.h + 2 * by};
}

SDL_Rect ui_focus_ring_area(const ui_widget *widget, const ui_metrics *metrics)
{
    return grown(widget->bounds, ring_width(metrics) + halo_width(metrics));
}

/* Where widget can be seen: the screen, narrowed by every scroll view (a
 * clipping ancestor) it is in. */
static SDL_Rect visible_area(const ui_widget *widget, SDL_Renderer *renderer)
{
    SDL_Rect area = {0, 0, 0, 0};
    SDL_Texture *target = SDL_GetRenderTarget(renderer);
    if (!target || SDL_QueryTexture(target, NULL, NULL, &area.w, &area.h) != 0)
        SDL_GetRendererOutputSize(renderer, &area.w, &area.h);
    for (const ui_widget *up = widget->parent; up; up = up->parent) {
        if (up->class_->clips_children && !SDL_IntersectRect(&area, &up->bounds, &area))
            return (SDL_Rect){0, 0, 0, 0};
    }
    return area;
}

/* outer, with each side that lies beyond area moved in to area's edge. */
static SDL_Rect pulled_in(SDL_Rect outer, SDL_Rect area)
{
    int left = outer.x < area.x ? area.x : outer.x;
    int top = outer.y < area.y ? area.y : outer.y;
    int right = outer.x + outer.w > area.x + area.w ? area.x + area.w : outer.x + outer.w;
    int bottom = outer.y + outer.h > area.y + area.h ? area.y + area.h : outer.y + outer.h;
    return (SDL_Rect){left, top, right - left, bottom - top};
}

/* A band: outer filled with its rounded corners, all but the hole. */
static void band(SDL_Renderer *renderer, SDL_Rect outer, SDL_Rect hole, int radius,
                 SDL_Color colour)
{
    const SDL_Rect strips[4] = {
        {outer.x, outer.y, outer.w, hole.y - outer.y},
        {outer.x, hole.y + hole.h, outer.w, outer.y + outer.h - hole.y - hole.h},
        {outer.x, hole.y, hole.x - outer.x, hole.h},
        {hole.x + hole.w, hole.y, outer.x + outer.w - hole.x - hole.w, hole.h},
    };
    for (size_t i = 0; i < 4; i++) {
        ui_clip saved;
        if (strips[i].w <= 0 || strips[i].h <= 0 ||
            !ui_draw_clip_begin(renderer, strips[i], &saved))
            continue;
        ui_draw_fill_rounded(renderer, outer, radius, colour);
        ui_draw_clip_end(renderer, &saved);
    }
}

void ui_focus_ring_draw(const ui_widget *widget, ui_context *context)
{
    const ui_metrics *metrics = &context->metrics;
    int ring = ring_width(metrics), halo = halo_width(metrics);
    SDL_Rect area = visible_area(widget, context->renderer);
    if (SDL_RectEmpty(&area))
        return;
    /* Outside the bounds where there is room; on a side without, inside. */
    SDL_Rect outer = pulled_in(grown(widget->bounds, ring + halo), area);
    SDL_Rect focus = grown(outer, -halo);
    SDL_Rect hole = grown(outer, -(ring + halo));
    if (hole.w <= 0 || hole.h <= 0)
        return; /* a widget too small to ring: none is */
    ui_clip saved;
    if (!ui_draw_clip_begin(context->renderer, area, &saved))
        return;
    int radius = ui_dp(metrics, context->theme->corner_dp) + ring + halo;
    band(context->renderer, outer, focus, radius, context->theme->focus_halo);
    band(context->renderer, focus, hole, radius - halo, context->theme->focus);
    ui_draw_clip_end(context->renderer, &saved);
}
