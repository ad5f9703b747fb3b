/* What the technician's screens share (firmware/app/app_tech.c): 返回 and
 * 退出 at the foot of each, and what they do; and the page most of them are
 * built on, whose content scrolls where large text on a small panel does
 * not fit. Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_TECH_H
#define KIOSK_FIRMWARE_APP_APP_TECH_H

#include "firmware/app/app_core.h"
#include "ui/layout.h"

#define APP_TECH_MARGIN_DP 40
#define APP_TECH_GAP_DP    24
#define APP_TECH_TITLE_DP  44
#define APP_TECH_TEXT_DP   28
#define APP_TECH_BUTTON_DP 32

/* 返回 (back: to back_to, the technician's home) and 退出 (sign out) across
 * the foot of the room. False when out of memory. */
bool app_tech_foot(ui_screen *screen, bool with_back);
/* What a technician's screen does with the foot's actions; anything else
 * is UNHANDLED. Every action starts the role's time-out again. */
app_screen app_tech_common(kiosk_app *app, ui_action action);

/* A technician's page being built: its title at the top, 返回 (with_back)
 * and 退出 across the foot, what app_tech_page_foot_* add fixed above them,
 * and, once app_tech_page_scroll is called, a scroll view over the room
 * left, which what follows goes into (laid out as if nothing scrolled).
 * ok turns false when anything could not be made. */
typedef struct app_tech_page {
    ui_screen screen;
    const ui_frame_model *frame;
    const char *title_id;
    bool ok;
    ui_widget *root, *view; /* the page's root, and the scroll view (or NULL) */
} app_tech_page;

/* The scroll view's id on every technician page. */
#define APP_TECH_CONTENT "tech.content"

bool app_tech_page_begin(app_tech_page *page, const ui_frame_model *frame, const char *title_id,
                         const char *title, bool with_back);
/* A large button across the foot, above what is there already:
 * UI_ACTION_STAFF with arg; tappable only when enabled. */
void app_tech_page_foot_button(app_tech_page *page, const char *id, const char *text, int arg,
                               bool enabled);
/* Text across the foot, above what is there already, at dp in tone. */
void app_tech_page_foot_text(app_tech_page *page, const char *id, const char *text, float dp,
                             ui_tone tone);
/* What follows scrolls, in the room left between the title and the foot. */
void app_tech_page_scroll(app_tech_page *page);
/* Wrapped text of class_ across the page (as many lines as it needs, up to
 * a dozen), at dp in tone. */
void app_tech_page_text(app_tech_page *page, const ui_widget_class *class_, const char *id,
                        const char *text, float dp, ui_tone tone);
/* There is room left for h more pixels without scrolling. */
bool app_tech_page_fits(const app_tech_page *page, int h);
/* One of a list of large buttons: UI_ACTION_STAFF with arg, in tone,
 * tappable only when enabled. */
typedef struct app_tech_choice {
    const char *id, *text;
    int arg;
    ui_tone tone;
    bool enabled;
} app_tech_choice;
/* Buttons with words at dp down the page: one a row where they fit so;
 * else two abreast where that takes less height (their words wrapped to
 * two lines at most), so that less scrolls. Each row is as high as its
 * words need. */
void app_tech_page_buttons(app_tech_page *page, const app_tech_choice *choices, size_t count,
                           float dp);
/* Ends the page. keep_place_of: the tree the same page was last built in
 * (app_root), whose scrolled place the new one keeps (typing on a keypad
 * in the page must not send it back to its top); NULL: from the top. */
kiosk_error app_tech_page_end(app_tech_page *page, ui_widget *keep_place_of,
                              ui_widget **out) KIOSK_MUST_CHECK;

#endif
