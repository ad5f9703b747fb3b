/* The app's side of the devices: starting the buses and the device manager
 * the board asks for, and what a reader's status or a card means for the
 * citizen at the screen. */
#include "firmware/app/app_internal.h"
#include "firmware/base/id_number.h"

#include "drivers/sim/idcard_sim.h"
#include "drivers/sim/printer_sim.h"
#include "drivers/sim/scanner_sim.h"
#include "drivers/usb_sim.h"
#include "firmware/base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIM_READER_LOCATION "sim-1"

#define SIM_PRINTER_LOCATION "sim-2"
#define SIM_SCANNER_LOCATION "sim-3"

static const device_driver *driver_for(board_device_kind kind)
{
    switch (kind) {
    case BOARD_DEVICE_ID_READER:
        return &idcard_driver;
    case BOARD_DEVICE_PRINTER:
        return &printer_driver;
    case BOARD_DEVICE_SCANNER:
        return &scanner_driver;
    }
    return NULL;
}

static void wake_sim_bus(void *bus)
{
    usb_sim_wake(bus);
}

/* The simulated device of kind, plugged into the simulated bus. */
static kiosk_error plug_sim(kiosk_app *app, board_device_kind kind)
{
    usb_model *model = NULL;
    const char *location = SIM_READER_LOCATION;
    if (kind == BOARD_DEVICE_ID_READER) {
        model = app->sim_reader = idcard_sim_create();
    } else if (kind == BOARD_DEVICE_PRINTER) {
        model = app->sim_printer = printer_sim_create(PRINTER_SIM_80MM);
        location = SIM_PRINTER_LOCATION;
    } else {
        model = app->sim_scanner = scanner_sim_create(NULL);
        location = SIM_SCANNER_LOCATION;
        if (model)
            scanner_sim_set_waker(model, wake_sim_bus, app->sim_bus);
    }
    return model ? usb_sim_plug(app->sim_bus, model, location) : KIOSK_ERR_NO_MEMORY;
}

kiosk_error app_devices_start(kiosk_app *app, kiosk_diag *diag)
{
    app->reader = (device_status){.kind = DEVICE_ID_READER, .state = DEVICE_NO_DEVICE};
    app->printer = (device_status){.kind = DEVICE_PRINTER, .state = DEVICE_NO_DEVICE};
    app->scanner = (device_status){.kind = DEVICE_SCANNER, .state = DEVICE_NO_DEVICE};
    snprintf(app->reader.reason, sizeof app->reader.reason, "not-found");
    snprintf(app->printer.reason, sizeof app->printer.reason, "not-found");
    snprintf(app->scanner.reason, sizeof app->scanner.reason, "not-found");
    /* One bus and one manager per transport, each with the drivers of the
     * devices the board has on it. */
    const device_driver *sim_drivers[BOARD_DEVICES_MAX], *usb_drivers[BOARD_DEVICES_MAX];
    size_t sim_count = 0, usb_count = 0;
    kiosk_error result = KIOSK_OK;
    for (size_t i = 0; i < app->board.device_count && result == KIOSK_OK; i++) {
        const board_device *device = &app->board.devices[i];
        const device_driver *driver = driver_for(device->kind);
        if (!driver)
            continue;
        if (device->transport == BOARD_TRANSPORT_SIM) {
            if (!app->sim_bus)
                result = usb_sim_create(&app->sim_bus);
            if (result == KIOSK_OK)
                result = plug_sim(app, device->kind);
            sim_drivers[sim_count++] = driver;
        } else {
            usb_drivers[usb_count++] = driver;
        }
    }
    if (result == KIOSK_OK && sim_count)
        result =
            device_manager_start(app->sim_bus, sim_drivers, sim_count, NULL, &app->sim_devices);
    if (result == KIOSK_OK && usb_count) {
        result = usb_libusb_create(&app->libusb_bus);
        if (result == KIOSK_OK)
            result = device_manager_start(app->libusb_bus, usb_drivers, usb_count, NULL,
                                          &app->usb_devices);
    }
    if (result != KIOSK_OK)
        return kiosk_diag_set(diag, result, "cannot start the devices: %s",
                              kiosk_error_name(result));
    return KIOSK_OK;
}

void app_devices_stop(kiosk_app *app)
{
    device_manager_stop(app->sim_devices);
    device_manager_stop(app->usb_devices);
    app->sim_devices = app->usb_devices = NULL;
    if (app->sim_reader_unplugged && app->sim_reader)
        app->sim_reader->ops->destroy(app->sim_reader);
    usb_bus_destroy(app->sim_bus); /* destroys the models plugged in */
    usb_bus_destroy(app->libusb_bus);
    app->sim_bus = app->libusb_bus = NULL;
    app->sim_reader = app->sim_printer = app->sim_scanner = NULL;
}

bool app_devices_card_on_reader(const kiosk_app *app)
{
    static const char *const lying[] = {"card-read", "card-unreadable", "card-moved"};
    if (app->reader.state == DEVICE_BUSY)
        return true;
    for (size_t i = 0; i < sizeof lying / sizeof lying[0]; i++) {
        if (strcmp(app->reader.reason, lying[i]) == 0)
            return true;
    }
    return false;
}

bool app_same_id_number(const char *a, const char *b)
{
    /* One normalised form everywhere (an e-ID's x is the card's X). */
    return id_number_same(a, b);
}

const char *app_devices_reader_text(const kiosk_app *app, bool *problem, char *key, size_t key_size)
{
    *problem = app->reader.state != DEVICE_ONLINE && app->reader.state != DEVICE_BUSY;
    if (app->card_stale && !app->identity.known) {
        *problem = true;
        return "card.lay_again";
    }
    if (app->card_notice) {
        /* Checking an e-ID code is news, not a problem. */
        *problem = strcmp(app->card_notice, "card.eid_checking") != 0;
        return app->card_notice;
    }
    /* Ready, on a service that also takes an e-ID: say both ways. */
    if (!*problem && app_scan_eid_allowed(app))
        return "card.ready_or_eid";
    /* The reader's own words offer typing the number; a service that shows
     * the citizen's records does not take it. */
    bool unreadable = strcmp(app->reader.reason, "card-unreadable") == 0;
    if ((*problem || unreadable) && strcmp(app->reader.reason, "card-moved") != 0 &&
        app->flow.service && !catalog_accepts_typed_number(app->flow.service)) {
        *problem = true;
        return app_scan_eid_allowed(app) ? "card.need_card_or_eid" : "card.need_card";
    }
    snprintf(key, key_size, "device.%s", app->reader.reason);
    return key;
}

void app_devices_status(kiosk_app *app, const device_status *status)
{
    if (status->kind == DEVICE_PRINTER || status->kind == DEVICE_SCANNER) {
        *(status->kind == DEVICE_PRINTER ? &app->printer : &app->scanner) = *status;
        app_platform_devices_changed(app);
        /* Staff read the printer's state at the foot of the attract screen. */
        app_platform_refresh_staff_note(app);
        /* The scan step says the scanner's state when it has nothing else to say. */
        if (status->kind == DEVICE_SCANNER && app->screen == APP_SCREEN_SCAN &&
            !app_scan_has_note(app))
            app_show_again(app);
        return;
    }
    if (status->kind != DEVICE_ID_READER)
        return;
    app->reader = *status;
    app_platform_devices_changed(app);
    /* A new attempt replaces the last card's notice. */
    if (status->state == DEVICE_BUSY)
        app->card_notice = NULL;
    if (!app_devices_card_on_reader(app)) {
        /* Lifted (or the reader is gone): the next card laid is read as new. */
        app->card_stale = false;
        if (app->screen == APP_SCREEN_TAKE_CARD) {
            LOG_INFO("app", "the card left on the reader was taken");
            app_session_rest(app);
            return;
        }
    }
    /* The question after a service asks for the card back while it lies there. */
    if (app->screen == APP_SCREEN_FINISHED)
        app_show_again(app);
    /* The card step says it in place: the screen is not rebuilt under the
     * citizen's finger. */
    ui_widget *line = app->screen == APP_SCREEN_CARD && !app->identity.known
                          ? ui_widget_find(app->root, "card.status")
                          : NULL;
    if (!line)
        return;
    bool problem = false;
    char buffer[48];
    const char *key = app_devices_reader_text(app, &problem, buffer, sizeof buffer);
    ui_frame_model frame = app_frame_model(app, "");
    if (!ui_widget_set_text(line, ui_frame_text(&frame, key)))
        return;
    line->tone = problem ? UI_TONE_ALERT : UI_TONE_PLAIN;
    app_mark_dirty(app, line->bounds);
}

static void today(kiosk_app *app, char out[9])
{
    time_t now = app_wall_time(app);
    struct tm local;
    localtime_r(&now, &local);
    strftime(out, 9, "%Y%m%d", &local);
}

void app_devices_card(kiosk_app *app, idcard_record *card)
{
    char date[9];
    today(app, date);
    if (app->card_stale || app->screen == APP_SCREEN_TAKE_CARD ||
        app->screen == APP_SCREEN_TIMEOUT || app->screen == APP_SCREEN_RESULT ||
        app->screen == APP_SCREEN_FINISHED) {
        /* Not now (the visit is over, the citizen is deciding or done), and
         * not later either: a card read and not used identifies nobody, or a
         * card left from one visit would be the next citizen's. The reader
         * reads a card once, so it must be lifted and laid again. */
        app->card_stale = true;
        LOG_INFO("app", "a card read on the %s screen identifies nobody", app_screen_name(app));
        return;
    }
    if (!app->in_session) {
        /* A card on the attract screen starts a session, as a touch does. */
        app_session_start(app);
        if (app_show(app, APP_SCREEN_HOME) != KIOSK_OK)
            return;
    }
    app->last_input_ms = app_now_ms(app);
    if (idcard_expired(card, date)) {
        LOG_INFO("app", "an expired card was refused");
        app->card_notice = "card.expired";
    } else if (app->identity.known &&
               !app_same_id_number(app->identity.id_number, card->id_number)) {
        /* Never two citizens in one session. */
        LOG_WARN("app", "a second citizen's card was refused in this session");
        app->card_notice = "card.other_citizen";
    } else {
        app->card_notice = NULL;
        app->identity.known = true;
        snprintf(app->identity.name, sizeof app->identity.name, "%s", card->name);
        snprintf(app->identity.id_number, sizeof app->identity.id_number, "%s", card->id_number);
        snprintf(app->identity.address, sizeof app->identity.address, "%s", card->address);
        LOG_INFO("app", "citizen identified by ID card");
    }
    if (app->screen == APP_SCREEN_CARD && app->identity.known && !app->card_notice) {
        app_flow_identified(app); /* on to the service's next step */
        return;
    }
    if (app_show(app, app->screen) != KIOSK_OK)
        LOG_WARN("app", "cannot show what the card meant");
}

static usb_model *plugged_reader(kiosk_app *app)
{
    return app->sim_reader && !app->sim_reader_unplugged ? app->sim_reader : NULL;
}

/* The developer's keys for the simulated printer and scanner: p runs the
 * paper out (and refills it), s shows the scanner the last tracking number
 * this terminal printed or showed (or a made-up one). */
static bool printer_or_scanner_key(kiosk_app *app, SDL_Keycode key)
{
    if (key == SDLK_p && app->sim_printer) {
        app->sim_paper_out = !app->sim_paper_out;
        printer_sim_set_paper_out(app->sim_printer, app->sim_paper_out);
        LOG_INFO("app", "simulated printer: paper %s", app->sim_paper_out ? "out" : "refilled");
        return true;
    }
    if ((key == SDLK_s || key == SDLK_e) && app->sim_scanner) {
        /* s: a receipt's code; e: a made-up citizen's e-ID code, which
         * the platform stand-in knows. */
        const char *code = key == SDLK_e               ? "CTID:DEMO-0001"
                           : app->sim_last_tracking[0] ? app->sim_last_tracking
                                                       : "GD20261122000001";
        if (scanner_sim_scan(app->sim_scanner, "]Q1", (const uint8_t *)code, strlen(code)) !=
            KIOSK_OK)
            LOG_WARN("app", "simulated scanner: the scan was not queued");
        else
            LOG_INFO("app", "simulated scanner: a code shown");
        return true;
    }
    return false;
}

bool app_devices_key(kiosk_app *app, SDL_Keycode key)
{
    if (printer_or_scanner_key(app, key))
        return true;
    if (!app->sim_reader)
        return false;
    if (key >= SDLK_1 && key < SDLK_1 + IDCARD_SIM_CITIZEN_COUNT) {
        idcard_sim_lay_card(app->sim_reader, (idcard_sim_citizen)(key - SDLK_1));
        LOG_INFO("app", "simulated reader: card %d laid", (int)(key - SDLK_1) + 1);
        return true;
    }
    if (key == SDLK_0) {
        idcard_sim_lift_card(app->sim_reader);
        LOG_INFO("app", "simulated reader: card lifted");
        return true;
    }
    if (key == SDLK_u) {
        if (plugged_reader(app)) {
            app->sim_reader_unplugged = usb_sim_unplug(app->sim_bus, SIM_READER_LOCATION) != NULL;
        } else if (usb_sim_plug(app->sim_bus, app->sim_reader, SIM_READER_LOCATION) == KIOSK_OK) {
            app->sim_reader_unplugged = false;
        }
        return true;
    }
    return false;
}
