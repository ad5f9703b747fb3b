/* A service that answers a question from the platform's data
 * (app_query.c): asked, kept sealed, shown. Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_QUERY_H
#define KIOSK_FIRMWARE_APP_APP_QUERY_H

#include "firmware/app/app_core.h"
#include "firmware/platform/sync.h"

void app_query_forget(kiosk_app *app);
void app_query_start(kiosk_app *app);
void app_query_event(kiosk_app *app, const sync_query_result *result);
kiosk_error app_query_build(kiosk_app *app, const ui_frame_model *frame,
                            ui_widget **out) KIOSK_MUST_CHECK;

#endif
