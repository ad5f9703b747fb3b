/* Where a visit starts: the attract screen (nobody is here; staff's line at
 * its foot) and home (the services, as tiles). */
#include "firmware/app/app_start.h"
#include "firmware/app/app_core.h"
#include "firmware/app/app_devices.h"
#include "firmware/app/app_flow.h"
#include "firmware/app/app_help.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_rate.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_store.h"
#include "firmware/app/board.h"
#include "firmware/app/navigation.h"

#include "firmware/base/local_time.h"
#include "firmware/base/log.h"
#include "ui/icons.h"

#include <stdio.h>
#include <string.h>

void app_clock_text(kiosk_app *app, char *out, size_t out_size)
{
    time_t now = app_wall_time(app);
    struct tm local;
    /* The hall's zone, whatever the process's TZ. A clock far off (before
     * 2000, after 2099) is shown as it is, in UTC: staff see it is wrong. */
    if (!local_time_broken_down(&app_board(app)->zone, (int64_t)now, &local))
        gmtime_r(&now, &local);
    ui_frame_model frame = app_frame_model(app, "");
    /* Quietly, for citizens: the terminal works without the link, and
     * services that need it say so on their tiles. A store that cannot keep
     * applications is said as such, not as the network. */
    const char *store_note = app_store_citizen_note_key(app);
    bool note = store_note || app_platform_link_down(app);
    ui_clock_format(&frame, &local, note, out, out_size);
    if (note) {
        size_t used = strlen(out);
        snprintf(out + used, out_size - used, "  ·  %s",
                 ui_frame_text(&frame, store_note ? store_note : "link.offline_note"));
    }
}

/* What a printer's state means for a citizen: "" when it can print, or
 * the key of the words ("paper_out", "printer_down"). Only a board that has
 * that printer (the receipt printer, or the A4 one for certificates), and
 * only a state the printer reported. */
static const char *printer_trouble(const kiosk_app *app, device_kind kind)
{
    const board_profile *board = app_board(app);
    bool has_printer = false;
    for (size_t i = 0; i < board->device_count; i++)
        has_printer = has_printer || board->devices[i].kind == kind;
    const device_status *printer = app_device(app, kind);
    if (!has_printer || !printer->reason[0])
        return "";
    if (printer->supply == DEVICE_SUPPLY_OUT || strcmp(printer->reason, "paper-out") == 0)
        return "paper_out";
    /* A printer not found while the devices are first looked for is not
     * news for citizens; one that went away, or failed, is. */
    if (printer->state == DEVICE_OFFLINE || printer->state == DEVICE_HARDWARE_ERROR ||
        (printer->state == DEVICE_NO_DEVICE && strcmp(printer->reason, "unplugged") == 0))
        return "printer_down";
    return "";
}

static bool scanner_refused_a_code(const kiosk_app *app)
{
    const device_status *scanner = app_device(app, DEVICE_SCANNER);
    return scanner->state == DEVICE_USER_ERROR && strcmp(scanner->reason, "code-refused") == 0;
}

/* Whether the attract screen last built says a code was refused. */
static bool code_refused_said;

static kiosk_error build_attract(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    const char *offers[CATALOG_SERVICES_MAX];
    size_t count = app_catalog(app)->service_count;
    for (size_t i = 0; i < count; i++)
        offers[i] = app_catalog(app)->services[i].name[app_language(app)];
    /* The public screen says what the terminal's state means for a citizen,
     * in plain words; staff's facts (the outbox, records held for checking)
     * are for staff, not for the hall. */
    char key[64] = "";
    const char *printer = printer_trouble(app, DEVICE_PRINTER);
    const char *a4 = printer_trouble(app, DEVICE_A4_PRINTER);
    /* A code the scanner refused just now (control characters, too long,
     * not text): said while the scanner says so, whoever showed it. */
    code_refused_said = scanner_refused_a_code(app);
    if (code_refused_said)
        snprintf(key, sizeof key, "device.scanner.code-refused");
    else if (app_platform_link_down(app))
        snprintf(key, sizeof key, "attract.state.link_down");
    else if (printer[0])
        snprintf(key, sizeof key, "attract.state.%s", printer);
    else if (a4[0])
        snprintf(key, sizeof key, "attract.state.a4_%s", a4);
    ui_frame_model with_note = *frame;
    with_note.staff_note = key[0] ? ui_frame_text(frame, key) : NULL;
    return ui_attract_build(&with_note, offers, count, out);
}

/* What the tiles and the attract screen last said of the printers (a key
 * of printer_trouble): the screens are built again only when it changes.
 * Reset with every app, whose devices start unknown. */
static struct {
    const char *receipt, *a4;
} printers_said = {"", ""};

static void forget_printers_said(kiosk_app *app)
{
    (void)app;
    printers_said.receipt = "";
    printers_said.a4 = "";
    code_refused_said = false;
}

const app_controller app_attract_controller = {
    .name = "attract", .build = build_attract, .forget = forget_printers_said};

/* The page of tiles shown, when there are more than fit. */
static int home_page;

void app_home_first_page(kiosk_app *app)
{
    (void)app;
    home_page = 0;
}

static kiosk_error build_home(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    ui_tile_model tiles[CATALOG_SERVICES_MAX];
    size_t count = app_catalog(app)->service_count;
    const char *printer = printer_trouble(app, DEVICE_PRINTER);
    const char *a4 = printer_trouble(app, DEVICE_A4_PRINTER);
    char printer_key[64], a4_key[64];
    snprintf(printer_key, sizeof printer_key, "tile.state.%s", printer);
    snprintf(a4_key, sizeof a4_key, "tile.state.a4_%s", a4);
    for (size_t i = 0; i < count; i++) {
        const catalog_service *service = &app_catalog(app)->services[i];
        tiles[i] =
            (ui_tile_model){.id = service->id,
                            .name = service->name[app_language(app)],
                            .summary = service->summary[app_language(app)],
                            .bundle = service->kind == CATALOG_KIND_BUNDLE,
                            .icon = ui_icon_known(service->icon) ? service->icon : UI_ICON_GENERIC};
        if (service->icon[0] && !ui_icon_known(service->icon))
            LOG_WARN("app", "service %s: icon \"%s\" is not one the terminal has: drawn as %s",
                     service->id, service->icon, UI_ICON_GENERIC);
        /* The terminal's state, said on the tile before the citizen starts,
         * never after: what cannot be done now, and what can be done with
         * less (no paper: no receipt). A certificate is the A4 printer's
         * page: without it the service cannot be done. */
        if (catalog_needs_link(service) && app_platform_link_down(app)) {
            tiles[i].state = ui_frame_text(frame, "tile.state.link_down");
            tiles[i].state_icon = "wifi_off";
        } else if (a4[0] && service->delivers != CATALOG_DELIVERS_NOTHING) {
            tiles[i].state = ui_frame_text(frame, a4_key);
            tiles[i].state_icon = "print_disabled";
        } else if (printer[0] && service->prints != CATALOG_PRINTS_NONE) {
            tiles[i].state = ui_frame_text(frame, printer_key);
            tiles[i].state_icon = "print_disabled";
        }
    }
    /* An identified citizen can end the visit here at any time. */
    const char *end = app_session_identified(app) ? ui_frame_text(frame, "session.end") : NULL;
    return ui_home_build(frame, tiles, count, &home_page, end, out);
}

static void enter_home(kiosk_app *app)
{
    /* Home is where a citizen starts over: drop what a service was showing
     * and what they typed for it. */
    app_session_set_service_index(app, 0);
    app_session_forget_service(app);
    /* The next service is rated on its own. */
    app_rate_forget(app);
}

static app_screen open_service(kiosk_app *app, int index)
{
    if (index < 0 || (size_t)index >= app_catalog(app)->service_count)
        return APP_SCREEN_STAY;
    const catalog_service *service = &app_catalog(app)->services[index];
    app_session_forget_typed(app);
    if (catalog_needs_link(service) && app_platform_link_down(app)) {
        /* Said before the citizen enters anything. */
        app_error_set(app, "error.needs_link");
        LOG_INFO("app", "service %s needs the link, which is down", service->id);
        return APP_SCREEN_ERROR;
    }
    app_flow_open(app, (size_t)index);
    return APP_SCREEN_STAY;
}

static app_screen home_action(kiosk_app *app, ui_action action, int arg)
{
    switch (action) {
    case UI_ACTION_OPEN_SERVICE:
        return open_service(app, arg);
    case UI_ACTION_PAGE:
        home_page += arg;
        return APP_SCREEN_HOME;
    case UI_ACTION_END_SESSION:
        app_session_end(app, "ended by the citizen");
        return APP_SCREEN_STAY;
    default:
        return APP_SCREEN_UNHANDLED;
    }
}

const app_controller app_home_controller = {.name = "home",
                                            .build = build_home,
                                            .enter = enter_home,
                                            .on_action = home_action,
                                            .theme_switches = true};

void app_start_devices_changed(kiosk_app *app)
{
    /* The tiles and the attract screen say what a printer's state means:
     * shown again when that changes, not at every status. */
    const char *trouble = printer_trouble(app, DEVICE_PRINTER);
    const char *a4 = printer_trouble(app, DEVICE_A4_PRINTER);
    /* The attract screen says a code the scanner refused, while it does. */
    bool code_news = app_current_screen(app) == APP_SCREEN_ATTRACT &&
                     scanner_refused_a_code(app) != code_refused_said;
    if (strcmp(trouble, printers_said.receipt) == 0 && strcmp(a4, printers_said.a4) == 0 &&
        !code_news)
        return;
    printers_said.receipt = trouble;
    printers_said.a4 = a4;
    app_screen shown = app_current_screen(app);
    if (shown == APP_SCREEN_HOME || shown == APP_SCREEN_ATTRACT)
        app_show_again(app);
}
