/* Where a visit starts (app_start.c): the attract screen and home. */
#ifndef KIOSK_FIRMWARE_APP_APP_START_H
#define KIOSK_FIRMWARE_APP_APP_START_H

#include "firmware/app/app_core.h"

/* Home shows its first page of tiles again. */
void app_home_first_page(kiosk_app *app);

void app_clock_text(kiosk_app *app, char *out, size_t out_size);

/* A device's status changed: the tiles and the attract screen say what the
 * printer's state means for the citizen, again when that changes. */
void app_start_devices_changed(kiosk_app *app);

#endif
