/* Signing a signature field (app_sign.c): the pad's screen, the strokes
 * and their image beside the flow (a value of the flow is a short string:
 * an image does not fit), and their wipe. Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_SIGN_H
#define KIOSK_FIRMWARE_APP_APP_SIGN_H

#include "firmware/app/app_core.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Shows the pad for field (a signature field of the service under way). */
void app_sign_open(kiosk_app *app, unsigned field);

/* The accepted signature of field: its PNG (held here until it is wiped:
 * copy what must outlive that), its size in bytes and pixels. False when
 * the field has none. */
bool app_sign_image(const kiosk_app *app, unsigned field, const uint8_t **png, size_t *length,
                    int *width, int *height);

/* Whether field was confirmed by the keypad's enter key instead of a
 * signature drawn (a citizen who cannot see the pad): accepted, with no
 * image; the submission says so. */
bool app_sign_by_key(const kiosk_app *app, unsigned field);

/* Once the submission is kept: every signature's strokes and image wiped;
 * which fields were confirmed by key is remembered for the receipt until
 * app_sign_forget. */
void app_sign_forget_kept(kiosk_app *app);

/* Wipes every signature: the strokes and the images. When the citizen
 * leaves the service, once the submission is kept, at the session's end. */
void app_sign_forget(kiosk_app *app);

/* For tests: the strokes of field as held now (NULL: none at all). */
struct ui_ink;
const struct ui_ink *app_sign_ink(const kiosk_app *app, unsigned field);

#endif
