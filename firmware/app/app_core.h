/* What every part of the app reads of its frame (app.c): what was
 * loaded, the display, the clocks, and redrawing. Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_CORE_H
#define KIOSK_FIRMWARE_APP_APP_CORE_H

#include "firmware/app/app.h"
#include "firmware/app/navigation.h"
#include "firmware/services/catalog.h"
#include "ui/live.h"
#include "ui/screens.h"
#include "ui/strings.h"
#include "ui/text.h"
#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

const kiosk_args *app_args(const kiosk_app *app);
const catalog *app_catalog(const kiosk_app *app);
/* A new catalog in place of the one in use (between sessions only: nothing
 * may point into the old one); returns the old one, the caller's to free. */
catalog *app_replace_catalog(kiosk_app *app, catalog *fresh);
const board_profile *app_board(const kiosk_app *app);
ui_strings *app_strings(const kiosk_app *app);
const ui_metrics *app_metrics(const kiosk_app *app);
ui_display *app_display(kiosk_app *app);
ui_text *app_text(kiosk_app *app);
ui_context app_ui_context(kiosk_app *app);
/* The screen is built again at the loop's next turn, when no finger is
 * down. */
void app_show_again_soon(kiosk_app *app);
uint64_t app_now_ms(const kiosk_app *app);
time_t app_wall_time(const kiosk_app *app);

/* Marks area (frame pixels) to be drawn again; nothing else need be. */
void app_mark_dirty(kiosk_app *app, SDL_Rect area);
void app_mark_all_dirty(kiosk_app *app);

/* Rebuilds the current screen for news from elsewhere (the link, a device),
 * but never under a finger: a screen rebuilt mid-touch loses the touch. */
void app_show_again(kiosk_app *app);

#endif
