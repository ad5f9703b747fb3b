/* The app's side of the devices: starting the devices the board asks for
 * (the simulated ones through drivers/sim/simulation.h), handing what a
 * device produced to what uses it, and what a reader's status or a card
 * means for the citizen at the screen. */
#include "firmware/app/app_devices.h"
#include "firmware/app/app_a4.h"
#include "firmware/app/app_core.h"
#include "firmware/app/app_flow.h"
#include "firmware/app/app_identify.h"
#include "firmware/app/app_keypad.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_print.h"
#include "firmware/app/app_probe.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_scan.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_signin.h"
#include "firmware/app/app_start.h"
#include "firmware/app/app_technician.h"
#include "firmware/app/navigation.h"
#include "firmware/base/id_number.h"

#include "drivers/a4/ipp_transport.h"
#include "drivers/idcard/protocol.h"
#include "drivers/sim/simulation.h"
#include "firmware/base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The devices as the app knows them: one app to a process, like the
 * display and the event channel. */
static struct {
    /* The simulated devices when the board has any (drivers/sim/simulation.h),
     * and a bus and a manager for the real ones. */
    struct simulation *sim;
    usb_bus *libusb_bus;
    device_manager *usb_devices;
    device_status reader; /* the ID card reader's latest status */
    device_status printer, scanner;
    bool started; /* after the first frame */
    /* The card on the reader identifies nobody: it was left from an ended
     * visit, or read when it could not be used. Until it is lifted (the
     * reader says so) the card step asks for it to be laid again. */
    bool card_stale;
    /* The printers reached over IPP (the A4 printer): their bus and
     * manager, and the A4 printer's latest status. */
    ipp_bus *ipp_bus;
    device_manager *ipp_devices;
    device_status a4;
} devices;

bool app_devices_started(const kiosk_app *app)
{
    (void)app;
    return devices.started;
}

const device_status *app_device(const kiosk_app *app, device_kind kind)
{
    (void)app;
    switch (kind) {
    case DEVICE_ID_READER:
        return &devices.reader;
    case DEVICE_PRINTER:
        return &devices.printer;
    case DEVICE_SCANNER:
        return &devices.scanner;
    case DEVICE_A4_PRINTER:
        return &devices.a4;
    default:
        break;
    }
    static const device_status none = {.state = DEVICE_NO_DEVICE, .reason = "not-found"};
    return &none;
}

const char *app_reader_reason(const kiosk_app *app)
{
    return app_device(app, DEVICE_ID_READER)->reason;
}

const char *app_printer_reason(const kiosk_app *app)
{
    return app_device(app, DEVICE_PRINTER)->reason;
}

const char *app_scanner_reason(const kiosk_app *app)
{
    return app_device(app, DEVICE_SCANNER)->reason;
}

void app_devices_card_left(kiosk_app *app)
{
    (void)app;
    devices.card_stale = true;
}

kiosk_error app_devices_start(kiosk_app *app, kiosk_diag *diag)
{
    devices.started = true;
    devices.reader = (device_status){.kind = DEVICE_ID_READER, .state = DEVICE_NO_DEVICE};
    devices.printer = (device_status){.kind = DEVICE_PRINTER, .state = DEVICE_NO_DEVICE};
    devices.scanner = (device_status){.kind = DEVICE_SCANNER, .state = DEVICE_NO_DEVICE};
    snprintf(devices.reader.reason, sizeof devices.reader.reason, "not-found");
    snprintf(devices.printer.reason, sizeof devices.printer.reason, "not-found");
    snprintf(devices.scanner.reason, sizeof devices.scanner.reason, "not-found");
    app_a4_reset(app);
    devices.a4 = (device_status){.kind = DEVICE_A4_PRINTER, .state = DEVICE_NO_DEVICE};
    snprintf(devices.a4.reason, sizeof devices.a4.reason, "not-found");
    /* The simulated devices in one simulation; the real ones on one libusb
     * bus with one manager. */
    device_kind sim_kinds[BOARD_DEVICES_MAX];
    const device_driver *usb_drivers[BOARD_DEVICES_MAX];
    const char *ipp_uris[IPP_BUS_URIS];
    const device_driver *ipp_drivers[IPP_BUS_URIS];
    size_t sim_count = 0, usb_count = 0, ipp_count = 0;
    for (size_t i = 0; i < app_board(app)->device_count; i++) {
        const board_device *device = &app_board(app)->devices[i];
        if (device->transport == BOARD_TRANSPORT_SIM)
            sim_kinds[sim_count++] = device->kind;
        else if (device->transport == BOARD_TRANSPORT_IPP) {
            if (ipp_count == IPP_BUS_URIS)
                return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT,
                                      "cannot start the devices: more than %d IPP printers",
                                      IPP_BUS_URIS);
            ipp_uris[ipp_count] = device->uri;
            ipp_drivers[ipp_count++] = device_registry[device->kind].driver;
        } else
            usb_drivers[usb_count++] = device_registry[device->kind].driver;
    }
    kiosk_error result = KIOSK_OK;
    if (sim_count)
        result = simulation_start(sim_kinds, sim_count, NULL, &devices.sim);
    if (result == KIOSK_OK && usb_count) {
        result = usb_libusb_create(&devices.libusb_bus);
        if (result == KIOSK_OK)
            result = device_manager_start(devices.libusb_bus, usb_drivers, usb_count, NULL,
                                          &devices.usb_devices);
    }
    if (result == KIOSK_OK && ipp_count) {
        result = ipp_bus_create(ipp_uris, ipp_count, app_a4_timing(), &devices.ipp_bus);
        if (result == KIOSK_OK)
            result = device_manager_start_on(&ipp_device_transport, devices.ipp_bus, ipp_drivers,
                                             ipp_count, NULL, &devices.ipp_devices);
    }
    if (result != KIOSK_OK)
        return kiosk_diag_set(diag, result, "cannot start the devices: %s",
                              kiosk_error_name(result));
    return KIOSK_OK;
}

void app_devices_stop(kiosk_app *app)
{
    simulation_stop(devices.sim);
    device_manager_stop(devices.usb_devices);
    usb_bus_destroy(devices.libusb_bus);
    device_manager_stop(devices.ipp_devices);
    ipp_bus_destroy(devices.ipp_bus);
    app_keypad_forget(app);
    /* The next app (tests make one after another) starts from nothing. */
    memset(&devices, 0, sizeof devices);
}

device_manager *app_devices_manager(kiosk_app *app, device_kind kind)
{
    for (size_t i = 0; i < app_board(app)->device_count; i++) {
        if (app_board(app)->devices[i].kind == kind)
            return app_board(app)->devices[i].transport == BOARD_TRANSPORT_SIM
                       ? simulation_devices(devices.sim)
                   : app_board(app)->devices[i].transport == BOARD_TRANSPORT_IPP
                       ? devices.ipp_devices
                       : devices.usb_devices;
    }
    return NULL;
}

bool app_devices_card_on_reader(const kiosk_app *app)
{
    (void)app;
    static const char *const lying[] = {"card-read", "card-unreadable", "card-moved"};
    if (devices.reader.state == DEVICE_BUSY)
        return true;
    for (size_t i = 0; i < sizeof lying / sizeof lying[0]; i++) {
        if (strcmp(devices.reader.reason, lying[i]) == 0)
            return true;
    }
    return false;
}

const char *app_devices_reader_text(const kiosk_app *app, bool *problem, char *key, size_t key_size)
{
    *problem = devices.reader.state != DEVICE_ONLINE && devices.reader.state != DEVICE_BUSY;
    if (devices.card_stale && !app_session_identified(app)) {
        *problem = true;
        return "card.lay_again";
    }
    const char *notice = app_card_notice(app);
    if (notice) {
        /* Checking an e-ID code is news, not a problem. */
        *problem = strcmp(notice, "card.eid_checking") != 0;
        return notice;
    }
    /* Ready, on a service that also takes an e-ID: say both ways. */
    if (!*problem && app_scan_eid_allowed(app))
        return "card.ready_or_eid";
    /* The reader's own words offer typing the number; a service that shows
     * the citizen's records does not take it. */
    bool unreadable = strcmp(devices.reader.reason, "card-unreadable") == 0;
    if ((*problem || unreadable) && strcmp(devices.reader.reason, "card-moved") != 0 &&
        app_session_flow(app)->service &&
        !catalog_accepts_typed_number(app_session_flow(app)->service)) {
        *problem = true;
        return app_scan_eid_allowed(app) ? "card.need_card_or_eid" : "card.need_card";
    }
    snprintf(key, key_size, "device.%s", devices.reader.reason);
    return key;
}

void app_devices_status(kiosk_app *app, const device_status *status)
{
    if (status->kind == DEVICE_A4_PRINTER) {
        devices.a4 = *status;
        app_a4_status(app, status);
        app_platform_devices_changed(app);
        /* The certificate tiles say what its state means for citizens. */
        app_start_devices_changed(app);
        return;
    }
    if (status->kind == DEVICE_PRINTER || status->kind == DEVICE_SCANNER) {
        *(status->kind == DEVICE_PRINTER ? &devices.printer : &devices.scanner) = *status;
        app_platform_devices_changed(app);
        /* Staff read the printer's state at the foot of the attract screen. */
        app_platform_refresh_staff_note(app);
        app_start_devices_changed(app);
        if (status->kind == DEVICE_SCANNER)
            app_tell(app, APP_NEWS_SCANNER);
        return;
    }
    if (status->kind == DEVICE_KEYPAD) {
        app_keypad_status(app, status);
        return;
    }
    if (status->kind != DEVICE_ID_READER)
        return;
    devices.reader = *status;
    app_platform_devices_changed(app);
    /* A new attempt replaces the last card's notice. */
    if (status->state == DEVICE_BUSY)
        app_card_set_notice(app, NULL);
    /* Lifted (or the reader is gone): the next card laid is read as new. */
    if (!app_devices_card_on_reader(app))
        devices.card_stale = false;
    app_tell(app, APP_NEWS_READER);
}

static void today(kiosk_app *app, char out[9])
{
    time_t now = app_wall_time(app);
    struct tm local;
    localtime_r(&now, &local);
    strftime(out, 9, "%Y%m%d", &local);
}

static void card_read(kiosk_app *app, const idcard_record *card)
{
    char date[9];
    today(app, date);
    if (devices.card_stale || app_screen_ignores_cards(app)) {
        /* Not now (the visit is over, the citizen is deciding or done), and
         * not later either: a card read and not used identifies nobody, or a
         * card left from one visit would be the next citizen's. The reader
         * reads a card once, so it must be lifted and laid again. */
        devices.card_stale = true;
        LOG_INFO("app", "a card read on the %s screen identifies nobody", app_screen_name(app));
        return;
    }
    if (app_role_current(app) != STAFF_ROLE_NONE) {
        /* Staff are signed in: a card laid now is nobody's visit. */
        devices.card_stale = true;
        LOG_INFO("app", "a card read while %s is signed in identifies nobody",
                 staff_role_name(app_role_current(app)));
        return;
    }
    if (!app_in_session(app) && app_signin_card(app, card->id_number)) {
        /* Staff's own card: their PIN is asked, and the card is nobody's
         * identity until it has been lifted. */
        devices.card_stale = true;
        return;
    }
    if (!app_in_session(app)) {
        /* A card on the attract screen starts a session, as a touch does. */
        app_session_start(app);
        app_tell(app, APP_NEWS_VISIT);
        if (app_current_screen(app) != APP_SCREEN_HOME)
            return;
    }
    app_session_touched(app);
    if (idcard_expired(card, date)) {
        LOG_INFO("app", "an expired card was refused");
        app_card_set_notice(app, "card.expired");
    } else if (!app_session_identify(app, card->name, card->id_number, card->address, false)) {
        /* Never two citizens in one session. */
        LOG_WARN("app", "a second citizen's card was refused in this session");
        app_card_set_notice(app, "card.other_citizen");
    } else {
        app_card_set_notice(app, NULL);
        LOG_INFO("app", "citizen identified by ID card");
    }
    app_tell(app, APP_NEWS_CARD);
}

void app_devices_delivery(kiosk_app *app, const app_event *event)
{
    const device_delivery *delivery = event->payload;
    if (app_selftest_delivery(app, delivery))
        return;
    switch (delivery->kind) {
    case DEVICE_ID_READER:
        card_read(app, delivery->payload);
        break;
    case DEVICE_PRINTER:
        app_print_event(app, delivery->payload);
        break;
    case DEVICE_SCANNER:
        app_scan_event(app, event);
        break;
    case DEVICE_A4_PRINTER:
        app_a4_event(app, delivery->payload);
        break;
    case DEVICE_KEYPAD: {
        /* The event is wiped when it is released: a digit may be part of an
         * ID number. */
        const keypad_event *press = delivery->payload;
        app_keypad_press(app, press->key);
        break;
    }
    default: /* a kind the app has no use for: released unread */
        break;
    }
}

void app_devices_shown_tracking(kiosk_app *app, const char *number)
{
    (void)app;
    simulation_shown_tracking(devices.sim, number);
}

bool app_devices_key(kiosk_app *app, SDL_Keycode key)
{
    (void)app;
    /* The keys are characters ('1', 'u'), as SDL's key codes for them are. */
    return key > 0 && key < 128 && simulation_key(devices.sim, (int)key);
}

/* For tests: the simulated devices, and the developer's keys. */
struct usb_model *app_sim_reader(kiosk_app *app)
{
    (void)app;
    return simulation_model(devices.sim, DEVICE_ID_READER);
}

struct usb_model *app_sim_printer(kiosk_app *app)
{
    (void)app;
    return simulation_model(devices.sim, DEVICE_PRINTER);
}

struct usb_model *app_sim_scanner(kiosk_app *app)
{
    (void)app;
    return simulation_model(devices.sim, DEVICE_SCANNER);
}

bool app_sim_reader_key(kiosk_app *app, int key)
{
    return app_devices_key(app, (SDL_Keycode)key);
}

struct usb_model *app_sim_keypad(kiosk_app *app)
{
    (void)app;
    return simulation_model(devices.sim, DEVICE_KEYPAD);
}

bool app_sim_stall(kiosk_app *app, device_kind kind, unsigned ms)
{
    (void)app;
    return simulation_stall(devices.sim, kind, ms) == KIOSK_OK;
}
