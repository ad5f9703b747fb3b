/* The test control channel as the app serves it (app_control.c): tap,
 * wait, advance, screenshot, key, quit. Only when the board turns it on. */
#ifndef KIOSK_FIRMWARE_APP_APP_CONTROL_H
#define KIOSK_FIRMWARE_APP_APP_CONTROL_H

#include "firmware/app/app_core.h"
#include "firmware/app/test_control.h"

/* The channel, when the board turns it on (address: its socket; ""
 * none). */
kiosk_error app_control_start(kiosk_app *app, const char *address,
                              kiosk_diag *diag) KIOSK_MUST_CHECK;
void app_control_stop(kiosk_app *app);
/* "advance": what the channel added to the session clock. */
uint64_t app_control_clock_offset_ms(const kiosk_app *app);
void app_control_command(kiosk_app *app, control_command *command);
void app_control_check_wait(kiosk_app *app);
/* Milliseconds until a pending wait times out, or -1. */
long long app_control_next_ms(const kiosk_app *app);

#endif
