/* What the technician's screens share (firmware/app/app_tech.c): 返回 and
 * 退出 at the foot of each, and what they do. Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_TECH_H
#define KIOSK_FIRMWARE_APP_APP_TECH_H

#include "firmware/app/app_core.h"
#include "ui/layout.h"

#define APP_TECH_MARGIN_DP 40
#define APP_TECH_GAP_DP    24
#define APP_TECH_TITLE_DP  44
#define APP_TECH_TEXT_DP   28
#define APP_TECH_BUTTON_DP 32

/* 返回 (back: to back_to, the technician's home) and 退出 (sign out) across
 * the foot of the room. False when out of memory. */
bool app_tech_foot(ui_screen *screen, bool with_back);
/* What a technician's screen does with the foot's actions; anything else
 * is UNHANDLED. Every action starts the role's time-out again. */
app_screen app_tech_common(kiosk_app *app, ui_action action);

#endif
