/* The technician's home (APP_SCREEN_TECHNICIAN): what this terminal is (its
 * board, firmware version, terminal id, certificate's expiry) and the
 * technician's tools. */
#include "firmware/app/app_technician.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_tech.h"
#include "firmware/app/navigation.h"

#include "ui/scroll_view.h"

#include <stdio.h>
#include <time.h>

enum tech_item {
    ITEM_SELFTEST,
    ITEM_LOGS,
    ITEM_NETWORK,
    ITEM_CERT,
};

/* The certificate's line: expiry and days left, a warning at 30 days or
 * fewer, or that there is none. */
static void certificate_line(kiosk_app *app, const ui_frame_model *frame, char *out, size_t size)
{
    app_cert_status status;
    if (app_cert_status_get(app, &status) != KIOSK_OK || !status.present) {
        snprintf(out, size, "%s", ui_frame_text(frame, "tech.cert.none"));
        return;
    }
    char date[16], days[16];
    struct tm utc;
    time_t at = (time_t)status.not_after_s;
    gmtime_r(&at, &utc);
    strftime(date, sizeof date, "%Y-%m-%d", &utc);
    snprintf(days, sizeof days, "%d", status.days_left);
    const char *names[] = {"date", "days"};
    const char *values[] = {date, days};
    const char *key = status.days_left < 0 ? "tech.cert.expired"
                      : status.renew_soon  ? "tech.cert.renew_soon"
                                           : "tech.cert.valid";
    ui_strings_fill(ui_frame_text(frame, key), names, values, 2, out, size);
}

/* The home, the menu after what this terminal is, or before it. */
static kiosk_error build_home(kiosk_app *app, const ui_frame_model *frame, bool menu_first,
                              ui_widget **out)
{
    const board_profile *board = app_board(app);
    char title[160], lines[4][256];
    const char *names[] = {"name"};
    const char *who[] = {app_role_name(app)};
    ui_strings_fill(ui_frame_text(frame, app_role_name(app)[0] ? "tech.title_named" : "tech.title"),
                    names, who, 1, title, sizeof title);
    snprintf(lines[0], sizeof lines[0], "%s：%s", ui_frame_text(frame, "technician.board"),
             board->name);
    snprintf(lines[1], sizeof lines[1], "%s：%s", ui_frame_text(frame, "tech.version"),
             KIOSK_VERSION);
    snprintf(lines[2], sizeof lines[2], "%s：%s", ui_frame_text(frame, "technician.terminal"),
             board->platform_tls.terminal_id);
    char cert[200];
    certificate_line(app, frame, cert, sizeof cert);
    snprintf(lines[3], sizeof lines[3], "%s：%s", ui_frame_text(frame, "tech.cert"), cert);
    static const char *const ids[] = {"tech.board", "tech.version", "tech.terminal", "tech.cert"};
    /* The foot (退出 only: this is the home) fixed, the rest scrolls where
     * large text on a small panel does not fit. */
    app_tech_page page;
    app_tech_page_begin(&page, frame, "tech.title", title, false);
    app_tech_page_scroll(&page);
    const app_tech_choice menu[] = {
        {"tech.menu.selftest", ui_frame_text(frame, "tech.menu.selftest"), ITEM_SELFTEST,
         UI_TONE_PRIMARY, true},
        {"tech.menu.network", ui_frame_text(frame, "tech.menu.network"), ITEM_NETWORK,
         UI_TONE_PRIMARY, true},
        {"tech.menu.logs", ui_frame_text(frame, "tech.menu.logs"), ITEM_LOGS, UI_TONE_PRIMARY,
         true},
        {"tech.menu.cert", ui_frame_text(frame, "tech.cert.open"), ITEM_CERT, UI_TONE_PRIMARY,
         true},
    };
    for (int part = 0; part < 2; part++) {
        if ((part == 0) == menu_first) {
            app_tech_page_buttons(&page, menu, sizeof menu / sizeof menu[0], APP_TECH_BUTTON_DP);
        } else {
            for (int i = 0; i < 4; i++)
                app_tech_page_text(&page, &ui_label_class, ids[i], lines[i], APP_TECH_TEXT_DP,
                                   UI_TONE_PLAIN);
        }
        page.screen.y += page.screen.gap;
    }
    return app_tech_page_end(&page, NULL, out);
}

static kiosk_error build_technician(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    /* Where the page would scroll (large text on a small panel), the menu
     * comes first: the tools show without scrolling. */
    kiosk_error built = build_home(app, frame, false, out);
    ui_widget *view = built == KIOSK_OK ? ui_widget_find(*out, APP_TECH_CONTENT) : NULL;
    if (!view || ui_scroll_view_max_offset(view) == 0)
        return built;
    ui_widget_destroy(*out);
    *out = NULL;
    return build_home(app, frame, true, out);
}

static app_screen on_technician(kiosk_app *app, ui_action action, int arg)
{
    if (action != UI_ACTION_STAFF)
        return app_tech_common(app, action);
    app_role_touch(app);
    switch ((enum tech_item)arg) {
    case ITEM_SELFTEST:
        return APP_SCREEN_TECH_SELFTEST;
    case ITEM_LOGS:
        return APP_SCREEN_TECH_LOGS;
    case ITEM_NETWORK:
        return APP_SCREEN_TECH_NETWORK;
    case ITEM_CERT:
        return APP_SCREEN_TECH_CERT;
    }
    return APP_SCREEN_STAY;
}

const app_controller app_technician_controller = {.name = "technician",
                                                  .build = build_technician,
                                                  .on_action = on_technician,
                                                  .ignores_cards = true};
