/* The countdown ring: how long is left, at a glance.
 *
 * It keeps what it shows in its text as well ("30 秒"), so speech, tests and
 * the accessibility audit read the same thing a sighted citizen sees. Colours
 * come from the theme's tones. The create function returns NULL when out of
 * memory, leaving nothing behind. Main thread only, like every widget. */
#ifndef KIOSK_UI_FEEDBACK_WIDGETS_H
#define KIOSK_UI_FEEDBACK_WIDGETS_H

#include "ui/widget.h"

/* A ring whose arc, from twelve o'clock clockwise, is the share of time left
 * (the alert tone's border colour; the rest the footer's border colour), with
 * a text centred inside it in the widget's tone. */
extern const ui_widget_class ui_countdown_class;

/* A full ring of total_seconds (less than 1 counts as 1), its text the number
 * of seconds ("30") until ui_countdown_set says it in words. */
ui_widget *ui_countdown_create(ui_widget *parent, const char *id, int total_seconds,
                               SDL_Rect bounds);

/* Sets the time left (clamped to 0..total) and the text shown ("30 秒",
 * copied; NULL keeps the current one). Out of memory, the old text stays and
 * a warning is logged; the arc still moves. */
void ui_countdown_set(ui_widget *widget, int seconds_left, const char *text);

#endif
