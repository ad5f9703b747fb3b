/* Staff and technicians signing in (app_signin.c): a card laid, or a staff
 * QR code shown, at the attract screen is matched against the credentials
 * (the platform's, or a simulated board's development file), and the PIN
 * screen asks for the PIN, with its lock-out. docs/staff.md. Main thread
 * only. */
#ifndef KIOSK_FIRMWARE_APP_APP_SIGNIN_H
#define KIOSK_FIRMWARE_APP_APP_SIGNIN_H

#include "firmware/app/app_core.h"

#include <stdbool.h>

/* A card read with no citizen session and no role signed in: true when its
 * holder is staff or a technician (the PIN screen shows; no visit starts),
 * false for anyone else (a citizen: the visit starts as before). Runs the
 * KDF once. */
bool app_signin_card(kiosk_app *app, const char *id_number);
/* The same for a code shown to the scanner at the attract screen. */
bool app_signin_token(kiosk_app *app, const char *token);

/* Forgets who was signing in and the lock-outs kept in memory (the app
 * stops). */
void app_signin_stop(kiosk_app *app);

/* Where the credentials came from at the last look: "platform", "file",
 * or "none". */
const char *app_signin_source(const kiosk_app *app);

#endif
