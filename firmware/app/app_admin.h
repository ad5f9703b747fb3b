/* kioskctl's way in (firmware/app/app_admin.c): the admin socket, a Unix
 * socket only root and the board's admin group may use (docs/kioskctl.md).
 *
 * A worker thread accepts connections (up to four served side by side,
 * each on its own thread), checks the peer's
 * credentials (SO_PEERCRED; the actor is "kioskctl:<user>" from the peer's
 * uid, never from the request), reads one request line and hands it to the
 * main thread through the event channel (APP_EVENT_ADMIN), where every
 * command runs (app_admin_commands.c). The worker waits for the answer
 * with a time limit and never blocks the main loop; a refused peer is
 * answered "refused" and audited (admin.refused). */
#ifndef KIOSK_FIRMWARE_APP_APP_ADMIN_H
#define KIOSK_FIRMWARE_APP_APP_ADMIN_H

#include "firmware/app/app_core.h"

typedef struct admin_call admin_call;

/* Listens on the board's admin socket (a stale one replaced; mode 0660,
 * group the admin group when it exists). Errors: IO (cannot listen, or a
 * live kiosk answers there already). */
kiosk_error app_admin_start(kiosk_app *app, kiosk_diag *diag) KIOSK_MUST_CHECK;
void app_admin_stop(kiosk_app *app);

/* Main thread: one request from the socket (APP_EVENT_ADMIN's payload),
 * run and answered, now or when a slow command ends. The event's release
 * lets go of it. */
void app_admin_command(kiosk_app *app, admin_call *call);

#endif
