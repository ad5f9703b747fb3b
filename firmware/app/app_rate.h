/* 好差评 (app_rate.c): the citizen rates the service. Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_RATE_H
#define KIOSK_FIRMWARE_APP_APP_RATE_H

#include "firmware/app/app_core.h"

bool app_rate_offered(const kiosk_app *app);
bool app_rate_given(const kiosk_app *app);
/* The next service is rated on its own. */
void app_rate_forget(kiosk_app *app);
void app_rate_enter(kiosk_app *app);
void app_rate_choose(kiosk_app *app, int choice);
/* After a poor rating the citizen asked for staff (and they were called). */
bool app_rate_staff_called(const kiosk_app *app);
kiosk_error app_rate_build(kiosk_app *app, const ui_frame_model *frame,
                           ui_widget **out) KIOSK_MUST_CHECK;

#endif
