/* A scrolling area.
 *
 * Children are laid out in content coordinates as if nothing were scrolled
 * (the content starts at the view's top); scrolling moves them, and the view
 * clips them to its bounds, where they can also be touched. A thin bar on the
 * right shows where the citizen is in the content. A drag that starts on a
 * row scrolls instead of pressing it (the app decides; see app_screens.c). */
#ifndef KIOSK_UI_SCROLL_VIEW_H
#define KIOSK_UI_SCROLL_VIEW_H

#include "ui/widget.h"

extern const ui_widget_class ui_scroll_view_class;

ui_widget *ui_scroll_view_create(ui_widget *parent, const char *id, SDL_Rect bounds);

/* Call after adding children: how tall the content is. */
void ui_scroll_view_update_extent(ui_widget *view);

/* Scrolls by dy pixels (positive: the content moves up, showing what is
 * below), clamped to the content. Returns how far it really moved. */
int ui_scroll_view_scroll_by(ui_widget *view, int dy);

/* The most its offset can be (0: the content fits). */
int ui_scroll_view_max_offset(const ui_widget *view);

/* Brings child (one of view's widgets, at any depth) into view: nothing moves
 * when all of it shows already; otherwise it goes to the middle of the view,
 * so that what is around it shows too (its top to the view's top when it is
 * taller than the view), as far as the content allows. Returns how far the
 * view moved. */
int ui_scroll_view_reveal(ui_widget *view, const ui_widget *child);

/* The scroll view widget is in, or NULL. */
ui_widget *ui_scroll_view_of(ui_widget *widget);

/* The innermost shown scroll view under the point (x, y) of root, or NULL:
 * a finger on what cannot be tapped (a receipt's lines) still scrolls it. */
ui_widget *ui_scroll_view_at(ui_widget *root, int x, int y);

#endif
