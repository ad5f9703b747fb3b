/* The app as its service manager sees it (docs/supervision.md): READY=1
 * once the first frame is on the glass; WATCHDOG=1 only from a turn of the
 * main loop, and only while every device worker turns too (so a loop stuck
 * in a handler, a draw or a wait, or a worker stuck behind a device that
 * never answers, stops the pings and the manager restarts the kiosk);
 * STOPPING=1 when it stops. Without a service manager the notifications do
 * nothing.
 *
 * And the memory ceiling: past the board's memory_limit_mb the kiosk asks
 * for a clean restart (APP_EXIT_RESTART), but only at rest, on the attract
 * screen with no citizen or staff session: a session that grows past it
 * finishes first. Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_SUPERVISOR_H
#define KIOSK_FIRMWARE_APP_APP_SUPERVISOR_H

#include "firmware/app/app_core.h"

/* The first frame is shown: opens the manager's socket and says READY=1;
 * the board's memory ceiling applies from here. */
void app_supervisor_ready(kiosk_app *app);
/* A turn of the main loop: WATCHDOG=1 when one is due and no device worker
 * is stuck; at rest, the memory ceiling is checked (which may ask the app
 * to stop for a restart: app_restart_requested). */
void app_supervisor_tick(kiosk_app *app);
/* Milliseconds until the next WATCHDOG=1 is due; -1 when none is. */
long long app_supervisor_next_ms(const kiosk_app *app);
/* The loop has ended: STOPPING=1, and the socket is closed. */
void app_supervisor_stopping(kiosk_app *app);

/* The memory ceiling for the rest of this run, in MB of 2^20 bytes (0:
 * none), in place of the board's; checked at the next turn at rest. For
 * the test control channel's "memory-limit". */
void app_supervisor_set_memory_limit(kiosk_app *app, int limit_mb);

#endif
