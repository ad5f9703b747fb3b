/* A service's first step, who the citizen is (app_identify.c): the card
 * laid, an e-ID shown, or the ID number typed. */
#ifndef KIOSK_FIRMWARE_APP_APP_IDENTIFY_H
#define KIOSK_FIRMWARE_APP_APP_IDENTIFY_H

#include "firmware/app/app_core.h"

/* Why the last card or e-ID code was refused (a string key), said on the
 * card step until another is laid; NULL: none. */
void app_card_set_notice(kiosk_app *app, const char *key);
const char *app_card_notice(const kiosk_app *app);

#endif
