/* 预约取号 (app_appointment.c): a place in a counter's queue, booked by the
 * platform when the citizen submits, shown and printed as a ticket with its
 * number, counter and time; or, when the platform cannot be asked or has
 * no place, said plainly with what to do instead. Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_APPOINTMENT_H
#define KIOSK_FIRMWARE_APP_APP_APPOINTMENT_H

#include "firmware/app/app_core.h"
#include "firmware/platform/sync.h"

/* The submit step of a service that prints a ticket: asks the platform. */
void app_appointment_start(kiosk_app *app);
/* The platform's answer (APP_EVENT_APPOINTMENT). */
void app_appointment_answer(kiosk_app *app, const sync_appointment_result *result);
/* Forgets a booking under way (the session ended, the citizen left). */
void app_appointment_forget(kiosk_app *app);

#endif
