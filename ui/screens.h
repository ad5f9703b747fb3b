/* The screens: each builds a widget tree for the current language, theme,
 * layout and data. The app owns navigation, the session and data; a screen
 * only turns a model into widgets whose actions tell the app what the citizen
 * asked for.
 *
 * Every screen in a session shares the frame: a title bar (the hall, the time)
 * and a footer (help, the language switch, and on the home screen the theme
 * switches), so a citizen can always get help or change language without
 * losing their place. */
#ifndef KIOSK_UI_SCREENS_H
#define KIOSK_UI_SCREENS_H

#include "firmware/error.h"
#include "firmware/lang.h"
#include "ui/metrics.h"
#include "ui/strings.h"
#include "ui/theme.h"
#include "ui/widget.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* What every screen's frame shows. */
typedef struct ui_frame_model {
    const ui_strings *strings;
    lang language;
    ui_metrics metrics;
    const ui_theme *theme;
    ui_theme_id theme_id;
    bool theme_switches; /* show elder mode and high contrast (the home screen) */
    const char *hall_name;
    const char *clock_text;
    /* The terminal's state for staff (the link, the outbox), shown small at
     * the foot of the attract screen; NULL or "" for none. */
    const char *staff_note;
} ui_frame_model;

typedef struct ui_tile_model {
    const char *id;
    const char *name;
    const char *summary;
    bool bundle; /* an "一件事" bundle: shown wide, after the single services */
} ui_tile_model;

/* Widget ids the app and tests rely on. */
#define UI_ID_CLOCK     "title.clock"
#define UI_ID_COUNTDOWN "timeout.countdown"

/* The frame's text for key: the ".simple" variant when the theme asks for
 * simple words and the language has one, else the text itself. */
const char *ui_frame_text(const ui_frame_model *frame, const char *key);

/* A size that grows with the theme's text (button heights and the like). */
int ui_frame_text_dp(const ui_frame_model *frame, float dp);

/* The height of one line of text set at dp under the frame's theme, in px
 * (the legal minimum size included). */
int ui_frame_line_px(const ui_frame_model *frame, float dp);

/* Whether the screen is narrow for the theme's text (a 10-inch portrait
 * panel): screens show less at a time there. */
bool ui_frame_is_narrow(const ui_frame_model *frame);

/* Creates the page root (the whole frame) with the title bar and footer, and
 * returns in *content the rectangle left between them. NULL when out of memory. */
ui_widget *ui_frame_build(const ui_frame_model *frame, SDL_Rect *content);

/* Attract: shown when nobody is using the terminal. The whole screen is one
 * target (UI_ACTION_START). `offers` are service names to show. */
kiosk_error ui_attract_build(const ui_frame_model *frame, const char *const *offers,
                             size_t offer_count, ui_widget **out) KIOSK_MUST_CHECK;

/* Home: a prompt and a grid of service tiles (tap: UI_ACTION_OPEN_SERVICE with
 * the tile's index in tiles). When the tiles need pages (a small screen, or
 * elder mode's fewer at a time), *page is the page shown, clamped to those
 * there are. */
kiosk_error ui_home_build(const ui_frame_model *frame, const ui_tile_model *tiles, size_t count,
                          int *page, ui_widget **out) KIOSK_MUST_CHECK;

/* A screen for what is not built yet: a title, an explanation, how long until
 * the time-out warning, and a large button home. */
kiosk_error ui_placeholder_build(const ui_frame_model *frame, const char *title, const char *body,
                                 int idle_seconds, ui_widget **out) KIOSK_MUST_CHECK;

/* A service's steps: the title, where the citizen is (step of steps), and
 * back (UI_ACTION_BACK; on the first step, cancel: UI_ACTION_HOME) and next
 * (UI_ACTION_NEXT, when next is set). */
typedef struct ui_step_model {
    const char *title;
    int step, steps; /* 1-based */
    bool next;
    const char *next_key; /* the string key of the next button; NULL: "step.next" */
} ui_step_model;

/* The step frame: the page frame plus the step header and buttons; *content
 * is the room left for the step. NULL when out of memory. */
ui_widget *ui_step_frame_build(const ui_frame_model *frame, const ui_step_model *step,
                               SDL_Rect *content);

/* Identification by typed ID number: a field showing typed, a problem line
 * (problem NULL: none), and a keypad with X. */
kiosk_error ui_identify_build(const ui_frame_model *frame, const ui_step_model *step,
                              const char *typed, const char *problem,
                              ui_widget **out) KIOSK_MUST_CHECK;

/* Identification by ID card: where to lay it (words and a drawing) and the
 * reader's status (status_is_problem: shown as a problem, with what to do).
 * The step's next button offers the other way (typing the number) or, once
 * the card was read, goes on. */
kiosk_error ui_card_step_build(const ui_frame_model *frame, const ui_step_model *step,
                               const char *status, bool status_is_problem,
                               ui_widget **out) KIOSK_MUST_CHECK;

/* A service's own step: an explanation, a hint, and a large button home. */
kiosk_error ui_service_step_build(const ui_frame_model *frame, const ui_step_model *step,
                                  const char *body, const char *hint,
                                  ui_widget **out) KIOSK_MUST_CHECK;

/* What cannot be done: a title, what happened (and whether anything was
 * kept), what to do next, a large way home; help is in the footer. */
kiosk_error ui_error_build(const ui_frame_model *frame, const char *title, const char *what,
                           const char *next, ui_widget **out) KIOSK_MUST_CHECK;

/* Printing the receipt: under way, done (take it), or failed (why, what it
 * means, and that staff were called), with the receipt shown as it prints.
 * The preview scrolls when it is taller than the room. Buttons: done
 * (UI_ACTION_END_SESSION), and after a failure, try again (UI_ACTION_NEXT). */
typedef enum ui_print_state {
    UI_PRINT_PRINTING,
    UI_PRINT_DONE,
    UI_PRINT_FAILED,
} ui_print_state;

struct receipt;
typedef struct ui_print_model {
    ui_print_state state;
    const char *title, *body; /* the state's words (the app fills the failure's reason) */
    const struct receipt *receipt;
    bool can_retry;
} ui_print_model;

kiosk_error ui_print_build(const ui_frame_model *frame, const ui_print_model *model,
                           ui_widget **out) KIOSK_MUST_CHECK;

/* Show a code: a phone held out to the scanner, where the scanner is, what
 * to show, and the way back (UI_ACTION_BACK) or home. status: the scanner's
 * state in words, alert when it is a problem. */
typedef struct ui_scan_model {
    const char *title;   /* the step: "请出示二维码" */
    const char *prompt;  /* what code, from where */
    const char *where;   /* where the scanner is: "扫码窗口在屏幕下方" */
    const char *status;  /* the scanner's state, or NULL */
    bool status_problem; /* say it as a problem */
    bool scanner_below;  /* draw the arrow down (else right) */
} ui_scan_model;

kiosk_error ui_scan_build(const ui_frame_model *frame, const ui_scan_model *model,
                          ui_widget **out) KIOSK_MUST_CHECK;

/* An answer to a question the citizen asked (a status looked up): a title,
 * the answer, a smaller line, and the ways on: ask another (UI_ACTION_BACK)
 * and done (UI_ACTION_END_SESSION). problem: the answer is that there is
 * none (said in the alert tone). */
typedef struct ui_notice_model {
    const char *title, *body, *detail;
    const char *again; /* the "ask another" button's words; NULL: none */
    bool problem;
} ui_notice_model;

kiosk_error ui_notice_build(const ui_frame_model *frame, const ui_notice_model *model,
                            ui_widget **out) KIOSK_MUST_CHECK;

/* 好差评: how the service was, in five levels from the best (choices[0])
 * to the worst, each a large button (UI_ACTION_CHOOSE with its index); or,
 * after a poor rating, what went wrong (the same action). "Skip"
 * (UI_ACTION_END_SESSION) is always there: rating is never a condition. */
#define UI_RATE_CHOICES_MAX 6
typedef struct ui_rate_model {
    const char *title, *prompt;
    const char *choices[UI_RATE_CHOICES_MAX];
    size_t choice_count;
    bool levels; /* the five levels (coloured from good to poor), else reasons */
    const char *skip;
} ui_rate_model;

kiosk_error ui_rate_build(const ui_frame_model *frame, const ui_rate_model *model,
                          ui_widget **out) KIOSK_MUST_CHECK;

/* Help: what help there is, a large "call staff" (UI_ACTION_CHOOSE 0) that
 * says when staff have been called, and the way back to where the citizen
 * was (UI_ACTION_BACK). */
typedef struct ui_help_model {
    const char *title, *body;
    const char *call;   /* the call button's words */
    const char *status; /* "staff are coming", or NULL before a call */
    bool status_problem;
} ui_help_model;

kiosk_error ui_help_build(const ui_frame_model *frame, const ui_help_model *model,
                          ui_widget **out) KIOSK_MUST_CHECK;

/* The end of a service: accepted by the platform, or kept on the terminal
 * to be sent when the link is back (the citizen need not come again). */
typedef enum ui_result_outcome {
    UI_RESULT_ACCEPTED,
    UI_RESULT_QUEUED,
} ui_result_outcome;

typedef struct ui_result_model {
    ui_result_outcome outcome;
    const char *service_name;
    const char *tracking_number; /* the platform's, or the terminal's own when queued */
    const char *masked_id;       /* 110105********1234 */
    const char *time_text;
    const char *qr_data; /* where to follow progress; NULL or "": no code */
    bool can_print;      /* offer the receipt on paper (UI_ACTION_NEXT) */
} ui_result_model;

/* The result and receipt: the outcome, the receipt's facts, a QR code to
 * follow progress, "print the receipt" when there is a printer, and "done"
 * (UI_ACTION_END_SESSION). */
kiosk_error ui_result_build(const ui_frame_model *frame, const ui_result_model *result,
                            ui_widget **out) KIOSK_MUST_CHECK;

/* The time-out warning: why, a countdown of seconds_left, a large "continue"
 * (UI_ACTION_CONTINUE) and "end" (UI_ACTION_END_SESSION). */
kiosk_error ui_timeout_build(const ui_frame_model *frame, int seconds_left, int total_seconds,
                             ui_widget **out) KIOSK_MUST_CHECK;

/* The countdown's text for seconds_left, in the frame's language. */
void ui_timeout_countdown_text(const ui_frame_model *frame, int seconds_left, char *out,
                               size_t out_size);

/* The clock line in language, from the string table's clock.format, or the
 * shorter clock.format.brief where a narrow screen has large text. */
void ui_clock_format(const ui_frame_model *frame, const struct tm *when, char *out,
                     size_t out_size);

#endif
