/* The app's side of the devices: starting the buses and the device manager
 * the board asks for, and what a reader's status or a card means for the
 * citizen at the screen. */
#include "firmware/app_internal.h"

#include "drivers/sim/idcard_sim.h"
#include "drivers/usb_sim.h"
#include "firmware/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIM_READER_LOCATION "sim-1"

static const device_driver *const reader_drivers[] = {&idcard_driver};

kiosk_error app_devices_start(kiosk_app *app, kiosk_diag *diag)
{
    app->reader = (device_status){.kind = DEVICE_ID_READER, .state = DEVICE_NO_DEVICE};
    snprintf(app->reader.reason, sizeof app->reader.reason, "not-found");
    for (size_t i = 0; i < app->board.device_count; i++) {
        const board_device *device = &app->board.devices[i];
        /* Printers and scanners have no driver yet: they are not looked for. */
        if (device->kind != BOARD_DEVICE_ID_READER)
            continue;
        kiosk_error result;
        if (device->transport == BOARD_TRANSPORT_SIM) {
            result = usb_sim_create(&app->sim_bus);
            if (result == KIOSK_OK) {
                app->sim_reader = idcard_sim_create();
                result = app->sim_reader
                             ? usb_sim_plug(app->sim_bus, app->sim_reader, SIM_READER_LOCATION)
                             : KIOSK_ERR_NO_MEMORY;
            }
            if (result == KIOSK_OK)
                result =
                    device_manager_start(app->sim_bus, reader_drivers, 1, NULL, &app->sim_devices);
        } else {
            result = usb_libusb_create(&app->libusb_bus);
            if (result == KIOSK_OK)
                result = device_manager_start(app->libusb_bus, reader_drivers, 1, NULL,
                                              &app->usb_devices);
        }
        if (result != KIOSK_OK)
            return kiosk_diag_set(diag, result, "cannot start the ID card reader's %s bus: %s",
                                  device->transport == BOARD_TRANSPORT_SIM ? "simulated" : "USB",
                                  kiosk_error_name(result));
    }
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
    app->sim_reader = NULL;
}

const char *app_devices_reader_text(const kiosk_app *app, bool *problem, char *key, size_t key_size)
{
    *problem = app->reader.state != DEVICE_ONLINE && app->reader.state != DEVICE_BUSY;
    if (app->card_notice) {
        *problem = true;
        return app->card_notice;
    }
    snprintf(key, key_size, "device.%s", app->reader.reason);
    return key;
}

void app_devices_status(kiosk_app *app, const device_status *status)
{
    if (status->kind != DEVICE_ID_READER)
        return;
    app->reader = *status;
    app_platform_devices_changed(app);
    /* A new attempt replaces the last card's notice. */
    if (status->state == DEVICE_BUSY)
        app->card_notice = NULL;
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
    if (app->screen == APP_SCREEN_TIMEOUT || app->screen == APP_SCREEN_RESULT)
        return; /* not now: the citizen is deciding, or done */
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
    } else if (app->identity.known && strcmp(app->identity.id_number, card->id_number) != 0) {
        /* Never two citizens in one session. */
        LOG_WARN("app", "a second citizen's card was refused in this session");
        app->card_notice = "card.other_citizen";
    } else {
        app->card_notice = NULL;
        app->identity.known = true;
        snprintf(app->identity.name, sizeof app->identity.name, "%s", card->name);
        snprintf(app->identity.id_number, sizeof app->identity.id_number, "%s", card->id_number);
        LOG_INFO("app", "citizen identified by ID card");
    }
    app_screen next = app->screen;
    if (app->screen == APP_SCREEN_CARD && app->identity.known && !app->card_notice)
        next = APP_SCREEN_SERVICE;
    if (app_show(app, next) != KIOSK_OK)
        LOG_WARN("app", "cannot show what the card meant");
}

static usb_model *plugged_reader(kiosk_app *app)
{
    return app->sim_reader && !app->sim_reader_unplugged ? app->sim_reader : NULL;
}

bool app_devices_key(kiosk_app *app, SDL_Keycode key)
{
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
