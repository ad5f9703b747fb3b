/* The devices as the app sees them (app_devices.c): started from the
 * board profile (simulated ones through drivers/sim/simulation.h), their
 * statuses, and what a card or a scan means for the citizen. */
#ifndef KIOSK_FIRMWARE_APP_APP_DEVICES_H
#define KIOSK_FIRMWARE_APP_APP_DEVICES_H

#include "drivers/devices.h"
#include "firmware/app/app_core.h"
#include "firmware/base/event_channel.h"

kiosk_error app_devices_start(kiosk_app *app, kiosk_diag *diag) KIOSK_MUST_CHECK;
/* The devices were started (after the first frame). */
bool app_devices_started(const kiosk_app *app);
/* A device's latest status as the app knows it. */
const device_status *app_device(const kiosk_app *app, device_kind kind);
/* The card on the reader identifies nobody until it is lifted (the visit
 * it was laid for has ended). */
void app_devices_card_left(kiosk_app *app);
/* A card lies on the reader: being read, read, or refused, and not yet
 * lifted (the driver waits for the lift in each case). */
bool app_devices_card_on_reader(const kiosk_app *app);
void app_devices_stop(kiosk_app *app);
void app_devices_status(kiosk_app *app, const device_status *status);
/* What a device produced (APP_EVENT_DEVICE_DELIVERY): a card, a print job's
 * end, a scan, handed to what uses it. */
void app_devices_delivery(kiosk_app *app, const app_event *event);
/* The manager that has the board's device of kind, or NULL. */
device_manager *app_devices_manager(kiosk_app *app, device_kind kind);
/* The terminal showed a tracking number (the simulated scanner's key). */
void app_devices_shown_tracking(kiosk_app *app, const char *number);
/* A developer's key on a simulated board (drivers/sim/simulation.h): lay a
 * card (1-7), lift it (0), pull or plug the reader (u), the paper (p), a
 * scan (s, e). True when the key was one of those. */
bool app_devices_key(kiosk_app *app, SDL_Keycode key);
/* The string key of what the card step says about the reader now (in key,
 * or a fixed key), and whether it is a problem. */
const char *app_devices_reader_text(const kiosk_app *app, bool *problem, char *key,
                                    size_t key_size);

#endif
