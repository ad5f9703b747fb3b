/* The scan step, the lookup it starts and a number typed instead, and an
 * e-ID code shown on the card step (app_scan.c). Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_SCAN_H
#define KIOSK_FIRMWARE_APP_APP_SCAN_H

#include "firmware/app/app_core.h"
#include "firmware/base/event_channel.h"
#include "firmware/platform/sync.h"

void app_scan_forget_typed(kiosk_app *app);
kiosk_error app_scan_build(kiosk_app *app, const ui_frame_model *frame,
                           ui_widget **out) KIOSK_MUST_CHECK;
kiosk_error app_lookup_build(kiosk_app *app, const ui_frame_model *frame,
                             ui_widget **out) KIOSK_MUST_CHECK;
void app_scan_event(kiosk_app *app, const app_event *event);
/* The service under way takes an e-ID code as identification. */
bool app_scan_eid_allowed(const kiosk_app *app);
void app_scan_eid_answer(kiosk_app *app, const sync_eid_result *result);
void app_scan_enter(kiosk_app *app);
kiosk_error app_number_build(kiosk_app *app, const ui_frame_model *frame,
                             ui_widget **out) KIOSK_MUST_CHECK;
void app_number_key(kiosk_app *app, int key);
/* The typed number is done: look it up. */
void app_number_ask(kiosk_app *app);

#endif
