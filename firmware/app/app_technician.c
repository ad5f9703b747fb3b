/* The technician's home (APP_SCREEN_TECHNICIAN): what this terminal is (its
 * board, firmware version, terminal id, certificate's expiry) and the
 * technician's tools. */
#include "firmware/app/app_technician.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_tech.h"
#include "firmware/app/navigation.h"

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

static kiosk_error build_technician(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, APP_TECH_MARGIN_DP, APP_TECH_GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
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
    bool ok = ui_screen_title(&screen, "tech.title", title, APP_TECH_TITLE_DP) != NULL;
    int line_h = ui_frame_line_px(frame, APP_TECH_TEXT_DP);
    for (int i = 0; ok && i < 4; i++)
        ok = ui_wrapped_text_create(screen.root, &ui_label_class, ids[i], lines[i],
                                    ui_screen_take(&screen, line_h), APP_TECH_TEXT_DP,
                                    UI_TONE_PLAIN) != NULL;
    int button_h = ui_screen_large_button_h(&screen, APP_TECH_BUTTON_DP);
    static const struct {
        const char *id, *key;
        enum tech_item item;
    } menu[] = {{"tech.menu.selftest", "tech.menu.selftest", ITEM_SELFTEST},
                {"tech.menu.network", "tech.menu.network", ITEM_NETWORK},
                {"tech.menu.logs", "tech.menu.logs", ITEM_LOGS},
                {"tech.menu.cert", "tech.cert.open", ITEM_CERT}};
    /* The foot first, so the menu takes only the room above it: one column
     * where it fits (a portrait panel), two where it does not. */
    ok = ok && app_tech_foot(&screen, false);
    screen.y += screen.gap;
    size_t items = sizeof menu / sizeof menu[0];
    int step = button_h + screen.gap / 2;
    size_t columns = (int)items * step <= screen.bottom - screen.y ? 1 : 2;
    SDL_Rect row = {0};
    for (size_t i = 0; ok && i < items; i++) {
        if (i % columns == 0) {
            row = ui_screen_take(&screen, button_h);
            screen.y += screen.gap / 2;
        }
        SDL_Rect place =
            columns == 1 ? row : ui_column(row, (int)columns, screen.gap, (int)(i % columns));
        ok = ui_screen_button(&screen, menu[i].id, ui_frame_text(frame, menu[i].key), place,
                              UI_ACTION_STAFF, (int)menu[i].item, UI_TONE_PRIMARY,
                              APP_TECH_BUTTON_DP) != NULL;
    }
    return ui_screen_end(&screen, ok, out);
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
