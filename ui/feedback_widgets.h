/* Widgets that tell the citizen what the terminal is doing: a progress bar, a
 * spinner, a countdown ring, a picture, and a dialog over the screen.
 *
 * Each keeps what it shows in its text as well (the progress "40%", the
 * countdown "30 秒", what a picture shows), so speech, tests and the
 * accessibility audit read the same thing a sighted citizen sees. Texts that
 * are drawn are text parts; colours come from the theme's tones. Every create
 * function returns NULL when out of memory, leaving nothing behind. Main
 * thread only, like every widget. */
#ifndef KIOSK_UI_FEEDBACK_WIDGETS_H
#define KIOSK_UI_FEEDBACK_WIDGETS_H

#include "ui/widget.h"

/* A rounded track (the footer's border colour) filled from the leading edge
 * in the primary colour. The percentage goes to the right of the track when
 * that leaves the track half the width or more, else centred below it when
 * there is height for it, else it is only the widget's text. */
extern const ui_widget_class ui_progress_class;

/* A progress bar at 0 % (text "0%"). */
ui_widget *ui_progress_create(ui_widget *parent, const char *id, SDL_Rect bounds);

/* Sets the progress in thousandths, clamped to 0..1000, and the text to the
 * whole percent reached ("40%"; 999 reads "99%", never done before it is).
 * Out of memory, the old text stays and a warning is logged; the bar still
 * moves. */
void ui_progress_set(ui_widget *widget, int per_mille);

/* The progress in thousandths, as clamped by ui_progress_set. */
int ui_progress_get(const ui_widget *widget);

/* Eight dots on a circle in the primary colour, the brightest one stepping
 * clockwise every UI_SPINNER_STEP_MS, with a label below (wrapped). It is
 * UI_FLAG_ANIMATED: the app redraws it while it is visible. */
#define UI_SPINNER_DOTS    8
#define UI_SPINNER_STEP_MS 100

extern const ui_widget_class ui_spinner_class;

/* label: what is being waited for ("正在查询，请稍候"), copied; NULL for none. */
ui_widget *ui_spinner_create(ui_widget *parent, const char *id, const char *label, SDL_Rect bounds);

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

/* The seconds left, as clamped by ui_countdown_set. */
int ui_countdown_seconds_left(const ui_widget *widget);

/* A PNG picture, scaled to fit its bounds with its shape kept, centred. The
 * file is read on the first draw and kept as a texture of the renderer it was
 * drawn with: draw it with one renderer, and destroy the widget before that
 * renderer (SDL frees a renderer's textures with it). A missing or broken
 * file draws a light outline and is logged once, naming the file. The
 * widget's text is alt_text, what the picture shows; it is not drawn. */
extern const ui_widget_class ui_image_view_class;

ui_widget *ui_image_view_create(ui_widget *parent, const char *id, const char *png_path,
                                const char *alt_text, SDL_Rect bounds);

/* Whether the picture was read and can be drawn (false before the first draw). */
bool ui_image_view_loaded(const ui_widget *widget);

/* A dialog: a backdrop over all of screen that dims what is under it and
 * takes every touch outside the dialog's buttons (UI_ACTION_NONE), and a
 * centred card, 80 % of the screen's width and as tall as its title, body
 * and a row of buttons need (at most the screen less margins). Create it as
 * the last child of the screen's root, so that it is drawn and hit on top.
 *
 * context gives the theme and metrics for the sizes, and its text (may be
 * NULL: heights are then estimated, generously) measures the wrapped title
 * and body. Returns the card, with children "<id>.title" and "<id>.body"; the
 * backdrop, with the card as its only child, has the id itself and is the
 * card's parent (destroy it to close the dialog). *buttons_area receives the
 * row at the bottom of the card, inside its padding, where the caller adds
 * the dialog's buttons as children of the card. NULL when out of memory. */
extern const ui_widget_class ui_dialog_backdrop_class;

ui_widget *ui_dialog_create(ui_widget *parent, const char *id, const char *title, const char *body,
                            SDL_Rect screen, ui_context *context, SDL_Rect *buttons_area);

#endif
