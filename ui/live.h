/* Live updates: the one way a built widget tree changes in place.
 *
 * A screen is rebuilt when what it shows changes as a whole; a few things
 * change under the citizen's finger without a rebuild (the clock, the card
 * reader's state, the time-out's seconds, a button that says "sending", the
 * staff's line). Those go through here, by the id constants of
 * ui/widget_ids.h, so that whoever must know of a change (speech, which says
 * what changed; tests) hears every one from one place. Main thread only. */
#ifndef KIOSK_UI_LIVE_H
#define KIOSK_UI_LIVE_H

#include "ui/widget.h"
#include "ui/widget_ids.h"

/* A tone that leaves the widget's tone as it is. */
#define UI_LIVE_KEEP_TONE (-1)

/* Sets the text (copied; NULL keeps it) and the tone (a ui_tone, or
 * UI_LIVE_KEEP_TONE) of the widget id in root's tree. Returns the widget,
 * whose bounds the caller redraws; NULL when the tree has no such widget
 * (another screen is shown) or out of memory (then nothing changed). */
ui_widget *ui_live_update(ui_widget *root, const char *id, const char *text, int tone);

/* The same for a countdown (ui/feedback_widgets.h): the seconds left and
 * their words. Out of memory, the ring still moves and the old words stay.
 * NULL when the tree has no such countdown. */
ui_widget *ui_live_countdown(ui_widget *root, const char *id, int seconds_left, const char *text);

/* Who hears of every change made here: called after it, with the widget as
 * it now is. One at a time; NULL for none. */
typedef void (*ui_live_listener)(const ui_widget *widget, void *user);
void ui_live_listen(ui_live_listener listener, void *user);

#endif
