/* The order a keypad moves through a screen. See ui_focus_order in
 * ui/widget.h. */
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
