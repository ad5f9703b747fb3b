/* Help (and calling staff), the error screen, the time-out warning, the
 * end of a service and the card asked back (app_help.c). */
#ifndef KIOSK_FIRMWARE_APP_APP_HELP_H
#define KIOSK_FIRMWARE_APP_APP_HELP_H

#include "firmware/app/app_core.h"

/* Help is asked for (from any screen): back returns to where it was. */
void app_help_open(kiosk_app *app);
/* What the error screen says: "error.not_kept", "error.needs_link". */
void app_error_set(kiosk_app *app, const char *kind);

#endif
