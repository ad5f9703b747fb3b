/* Who is at the terminal besides citizens (firmware/app/app_role.c): a
 * staff member or a technician, signed in by their card (or staff QR code)
 * and PIN. A role session never mixes with a citizen's: it starts only
 * with no citizen session, has its own time-out, and leaving it wipes it.
 * Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_ROLE_H
#define KIOSK_FIRMWARE_APP_APP_ROLE_H

#include "firmware/app/app_core.h"
#include "firmware/services/credentials.h"

#include <stdbool.h>

/* The role signed in now: STAFF_ROLE_NONE while citizens use the terminal. */
staff_role app_role_current(const kiosk_app *app);
/* The actor for the audit trail: "staff:S001", "technician:T001", or,
 * when nobody is signed in, "citizen" in a citizen's session and
 * "terminal" outside one (a sign-in attempt is the terminal's record). */
const char *app_role_actor(const kiosk_app *app);
/* The signed-in person's name for the screen ("" when none). */
const char *app_role_name(const kiosk_app *app);

/* Starts a role session for info (after the PIN was accepted) and shows
 * its home screen; audited. */
void app_role_begin(kiosk_app *app, const credential_info *info);
/* Ends it (why: "signed-out", "timed-out", ...), wipes it, audited, and
 * shows the attract screen. Nothing when no role is signed in. */
void app_role_end(kiosk_app *app, const char *why);
/* Something was done: the role's time-out starts again. */
void app_role_touch(kiosk_app *app);

/* A role is signed in, or someone is signing in (the PIN screen) or being
 * warned of the role's time-out: the citizen's session timers stand aside
 * and these run instead (app_session.c calls them). */
bool app_role_busy(const kiosk_app *app);
/* The role's time-out: warned after the board's staff.idle_timeout_s, ended
 * after the warning (a PIN screen left alone returns to attract). */
void app_role_tick(kiosk_app *app);
/* Milliseconds until app_role_tick has something to do. */
long long app_role_next_ms(const kiosk_app *app);

/* The app stops (navigation's stop): a role signed in is wiped without a
 * screen, and the lock-outs kept in memory go, so that the next app (tests
 * make one after another) starts from nothing. */
void app_role_stop(kiosk_app *app);

/* Appends to the audit trail with the current actor (see app_role_actor). */
void app_audit(kiosk_app *app, const char *action, const char *subject, const char *detail);

#endif
