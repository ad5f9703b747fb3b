/* What the staff screens share (app_staff.c): a page with the signed-in
 * person, 返回 and 退出; the actions every staff page takes the same way;
 * what is audited; and the staff's print jobs (a test page, a reprint),
 * whose results app_print.c hands back. Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_STAFF_H
#define KIOSK_FIRMWARE_APP_APP_STAFF_H

#include "firmware/app/app_core.h"
#include "ui/layout.h"

#include <stdbool.h>
#include <stdint.h>

/* A staff page being built: the frame, its title and who is signed in at
 * the top, 返回 (not on the home) and 退出 at the foot. ok turns false when
 * anything could not be made. */
typedef struct app_staff_page {
    ui_screen screen;
    const ui_frame_model *frame;
    bool ok;
    /* The page's root, and the scroll view what follows the title and who
     * is signed in goes into (the screen's root meanwhile). */
    ui_widget *root, *view;
    /* Two columns (app_staff_columns): the whole area, and their top. */
    SDL_Rect whole;
    int columns_top;
} app_staff_page;

/* The words on the staff pages' buttons, in dp. */
#define APP_STAFF_BUTTON_DP 34

/* The staff home's 重启终端程序 (UI_ACTION_STAFF's arg on the home). */
#define APP_STAFF_RESTART 100

bool app_staff_page_begin(app_staff_page *page, kiosk_app *app, const ui_frame_model *frame,
                          const char *title_key, bool home);
/* The same for a page laid out to fit as it is (a keypad's), which does
 * not scroll. */
bool app_staff_page_begin_fixed(app_staff_page *page, kiosk_app *app, const ui_frame_model *frame,
                                const char *title_key);
/* Wrapped text across the page (at most a few lines), in tone. */
void app_staff_text(app_staff_page *page, const char *id, const char *text, ui_tone tone);
/* A large button across the page: UI_ACTION_STAFF with arg. */
void app_staff_button(app_staff_page *page, const char *id, const char *text, int arg,
                      ui_tone tone);
/* Two large buttons side by side, each UI_ACTION_STAFF with its arg, in
 * their tones. */
void app_staff_buttons(app_staff_page *page, const char *id_a, const char *text_a, int arg_a,
                       ui_tone tone_a, const char *id_b, const char *text_b, int arg_b,
                       ui_tone tone_b);
/* Both texts fit on one line of a button half the page wide. */
bool app_staff_abreast(const app_staff_page *page, const char *text_a, const char *text_b);

/* One of a row of large buttons. */
typedef struct app_staff_choice {
    const char *id, *text;
    int arg; /* UI_ACTION_STAFF's */
    ui_tone tone;
} app_staff_choice;
/* count buttons abreast across the page. */
void app_staff_row(app_staff_page *page, const app_staff_choice *choices, size_t count);
/* Up to APP_STAFF_MENU_MAX buttons, one a row, or two or three abreast
 * where one a row would not fit. */
#define APP_STAFF_MENU_MAX 8
void app_staff_menu(app_staff_page *page, const app_staff_choice *choices, size_t count);
/* Each text fits on one line of a button 1/columns of the page wide. */
bool app_staff_row_fits(const app_staff_page *page, const char *const *texts, size_t count,
                        int columns);

/* The rest of the page in two columns side by side: what follows goes down
 * the first; app_staff_next_column moves to the top of the second. */
void app_staff_columns(app_staff_page *page);
void app_staff_next_column(app_staff_page *page);
/* The room left below what was added, in the column in use. */
SDL_Rect app_staff_rest(const app_staff_page *page);
/* There is room left for h more pixels (and a gap). */
bool app_staff_fits(const app_staff_page *page, int h);
/* A large button's height on this page, and a text's at the pages' size. */
int app_staff_button_h(const app_staff_page *page);
int app_staff_text_h(const app_staff_page *page, const char *text);
kiosk_error app_staff_page_end(app_staff_page *page, ui_widget **out) KIOSK_MUST_CHECK;

/* 返回 (to the staff home) and 退出 (sign out), the same on every staff
 * page; APP_SCREEN_UNHANDLED for the rest. */
app_screen app_staff_common_action(kiosk_app *app, ui_action action, int arg);

/* Something staff did: the role's time-out starts again, the audit trail
 * keeps it (subject masked, nothing personal) and the log says it. */
void app_staff_did(kiosk_app *app, const char *action, const char *subject, const char *detail);

/* The staff id of who is signed in ("S001" of "staff:S001"), or "". */
const char *app_staff_id(const kiosk_app *app);

/* Text for a device's status, in staff's words (the string tables'
 * "device.<kind>.<reason>.staff", else the state's). */
const char *app_staff_device_words(kiosk_app *app, const ui_frame_model *frame,
                                   const device_status *status);

/* The summary of what needs staff, "" when nothing does. */
void app_staff_attention(kiosk_app *app, const ui_frame_model *frame, char *out, size_t size);

/* Staff's print jobs carry this bit in their id, so that their results
 * never reach a citizen's print step. */
#define APP_STAFF_JOB_BIT (UINT64_C(1) << 62)
/* A staff print job ended (app_print.c calls it): ok, or why not. */
void app_staff_print_done(kiosk_app *app, uint64_t job, bool ok, const char *reason);
/* A record reached the platform (PLATFORM_DELIVERED): when, for the
 * status screen's "last delivered". */
void app_staff_delivered(kiosk_app *app);
/* "刚刚" / "12 分钟前" for seconds ago, in the frame's language. */
void app_staff_ago(const ui_frame_model *frame, int64_t seconds, char *out, size_t size);
/* The staff help calls' news from the platform (PLATFORM_STAFF). */
void app_staff_platform_news(kiosk_app *app);

#endif
