/* Layout helpers for the screens: a stack, columns, a list that fits or
 * scrolls, and the screen frame every page starts from.
 *
 * They hold no state of their own beyond the structs the caller keeps on its
 * stack, and compute exactly what the screens computed by hand before them,
 * so that a screen built on them draws the same pixels. */
#ifndef KIOSK_UI_LAYOUT_H
#define KIOSK_UI_LAYOUT_H

#include "firmware/base/error.h"
#include "ui/screens.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- Stack and columns ---- */

/* Boxes one under the other down a column x..x+w, gap apart. */
typedef struct ui_stack {
    int x, y, w, gap;
} ui_stack;

/* The next box, h high, at the stack's top; the stack moves down past it and
 * a gap. */
SDL_Rect ui_stack_take(ui_stack *stack, int h);

/* Column i of columns across area, gap between them, each
 * (area.w - (columns - 1) * gap) / columns wide, as high as area. */
SDL_Rect ui_column(SDL_Rect area, int columns, int gap, int i);

/* The last of columns across area, as wide as the others leave it (a pixel
 * or so wider than ui_column's where the width does not divide evenly). */
SDL_Rect ui_column_rest(SDL_Rect area, int columns, int gap);

/* ---- Text ---- */

/* The height of text set at dp in width: the lines it needs, at most most,
 * each a line at dp. */
int ui_lines_h(const ui_frame_model *frame, const char *text, float dp, int width, int most);

/* Text in parent of class_ (a label, a note, a heading) that wraps from the
 * start of its lines, at dp in tone (text NULL: none). NULL when out of
 * memory. */
ui_widget *ui_wrapped_text_create(ui_widget *parent, const ui_widget_class *class_, const char *id,
                                  const char *text, SDL_Rect box, float dp, ui_tone tone);

/* ---- A list that fits, tightens, then scrolls ---- */

#define UI_FIT_ROWS_MAX 16

/* A row's height, for a row width wide whose texts are padded pad_dp above
 * and below (the list passes the easy or the tight padding it was given as it
 * is; a measure may read it in its own unit, such as whole gaps). */
typedef int (*ui_fit_measure)(const void *user, size_t index, int wide, float pad_dp);

/* Rows set in columns in room (two abreast: each pair as high as the taller
 * of the two), roomy (easy_pad_dp) when they all fit so, else tighter
 * (tight_pad_dp), else scrolling in a scroll view scroll_id that fills room,
 * the rows narrower by the bar's room (a gap). */
typedef struct ui_fit_list {
    ui_widget *parent; /* where the rows go: the root, or the scroll view */
    SDL_Rect room;
    int columns, gap;
    int row_w;                   /* each row's width */
    float pad_dp;                /* the padding the rows were measured with */
    bool scrolls;                /* parent is a scroll view */
    size_t count;                /* up to UI_FIT_ROWS_MAX */
    int line_y[UI_FIT_ROWS_MAX]; /* each line's top */
    int line_h[UI_FIT_ROWS_MAX]; /* each line's height (the taller of its rows) */
} ui_fit_list;

/* Lays the list out and, when it scrolls, creates the scroll view in root.
 * False when out of memory. */
bool ui_fit_list_begin(ui_fit_list *list, ui_widget *root, const char *scroll_id, SDL_Rect room,
                       int columns, int gap, size_t count, float easy_pad_dp, float tight_pad_dp,
                       ui_fit_measure measure, const void *user);

/* The box of row index (its line's height). */
SDL_Rect ui_fit_list_box(const ui_fit_list *list, size_t index);

/* Call after adding the rows: a scroll view learns its extent and brings
 * reveal (NULL: nothing) into view. */
void ui_fit_list_end(ui_fit_list *list, const ui_widget *reveal);

/* ---- The screen frame ---- */

/* A page: the frame (title bar, footer) and the room between them, less the
 * screen's margin all round (area). y is where the next thing goes down the
 * area; the screen moves it as it adds. bottom is where the room for it
 * ends: the area's foot, or above what ui_screen_foot took there. */
typedef struct ui_screen {
    const ui_frame_model *frame;
    ui_widget *root;
    SDL_Rect content; /* between the title bar and the footer */
    SDL_Rect area;    /* content less margin on every side */
    int margin, gap;  /* in px */
    int y, bottom;
} ui_screen;

/* Builds the frame. False when out of memory. */
bool ui_screen_begin(ui_screen *screen, const ui_frame_model *frame, float margin_dp, float gap_dp);

/* A page without the frame (attract: nobody has chosen anything yet), the
 * whole screen its content. False when out of memory. */
bool ui_screen_begin_bare(ui_screen *screen, const ui_frame_model *frame, float margin_dp,
                          float gap_dp);

/* A step of a service (ui/screen_step.c): the frame, the step's header
 * (title, where the citizen is in the steps, cancel) and its buttons (back or
 * cancel, next), see ui_step_model; area is the room between them, y at its
 * top, and gap gap_dp. False when out of memory. */
bool ui_step_begin(ui_screen *screen, const ui_frame_model *frame, const ui_step_model *step,
                   float gap_dp);

/* The screen's title: a heading across the area at y, one line at dp; y
 * moves below it. NULL when out of memory. */
ui_widget *ui_screen_title(ui_screen *screen, const char *id, const char *text, float dp);

/* A button's height for words at dp: a line and a gap, at least the theme's
 * target. */
int ui_screen_button_h(const ui_screen *screen, float dp);

/* A large button's (the choices that end a page): a line and two gaps, at
 * least the theme's target. */
int ui_screen_large_button_h(const ui_screen *screen, float dp);

/* The least height of anything to touch: the theme's target. */
int ui_screen_target_h(const ui_screen *screen);

/* A button in the root, in tone with words at dp. NULL when out of memory. */
ui_widget *ui_screen_button(ui_screen *screen, const char *id, const char *text, SDL_Rect box,
                            ui_action action, int action_arg, ui_tone tone, float dp);

/* A row h high across the foot of the room (at bottom); bottom moves above
 * it and a gap. */
SDL_Rect ui_screen_foot(ui_screen *screen, int h);

/* The next box h high across the area at y; y moves below it. */
SDL_Rect ui_screen_take(ui_screen *screen, int h);

/* A stack down the area from y, gap apart (the screen's y does not follow
 * it). */
ui_stack ui_screen_stack(const ui_screen *screen, int gap);

/* The room left: across the area from y down to bottom. */
SDL_Rect ui_screen_rest(const ui_screen *screen);

/* Moves y down so that a block block_h high stands in the middle of the
 * room left; y stays when the block is taller. */
void ui_screen_centre(ui_screen *screen, int block_h);

/* The root as the screen built when ok, else frees it: KIOSK_OK or
 * KIOSK_ERR_NO_MEMORY. */
kiosk_error ui_screen_end(ui_screen *screen, bool ok, ui_widget **out) KIOSK_MUST_CHECK;

#endif
