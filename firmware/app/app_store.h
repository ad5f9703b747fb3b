/* The offline store as citizens and staff are told of it
 * (firmware/app/app_store.c): the note beside the clock while nothing can
 * be kept, and staff's line at the foot of the attract screen
 * (app_platform_staff_note). Opening, keeping and retention are the
 * platform layer's (firmware/platform/store_use.h). Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_STORE_H
#define KIOSK_FIRMWARE_APP_APP_STORE_H

#include "firmware/app/app_core.h"

/* The store could not be opened (it is being tried again). */
bool app_store_broken(const kiosk_app *app);

/* The strings key of the note citizens should see beside the clock while
 * the terminal cannot keep applications ("store.unavailable_note"), else
 * NULL: the store is not why anything is unavailable. */
const char *app_store_citizen_note_key(const kiosk_app *app);

#endif
