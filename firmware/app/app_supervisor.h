/* The app as its service manager sees it (docs/supervision.md): READY=1
 * once the first frame is on the glass, WATCHDOG=1 only from a turn of the
 * main loop (so a loop stuck in a handler, a draw or a wait stops the
 * pings and the manager restarts the kiosk), STOPPING=1 when it stops.
 * Without a service manager all of it does nothing. Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_SUPERVISOR_H
#define KIOSK_FIRMWARE_APP_APP_SUPERVISOR_H

#include "firmware/app/app_core.h"

/* The first frame is shown: opens the manager's socket and says READY=1. */
void app_supervisor_ready(kiosk_app *app);
/* A turn of the main loop: WATCHDOG=1 when one is due. */
void app_supervisor_tick(kiosk_app *app);
/* Milliseconds until the next WATCHDOG=1 is due; -1 when none is. */
long long app_supervisor_next_ms(const kiosk_app *app);
/* The loop has ended: STOPPING=1, and the socket is closed. */
void app_supervisor_stopping(kiosk_app *app);

#endif
