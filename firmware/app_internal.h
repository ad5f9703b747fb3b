/* The app's state, shared by app.c (lifecycle, loop, timers) and
 * app_screens.c (screens, navigation, input). Not for other modules. */
#ifndef KIOSK_FIRMWARE_APP_INTERNAL_H
#define KIOSK_FIRMWARE_APP_INTERNAL_H

#include "firmware/app.h"
#include "firmware/catalog.h"
#include "firmware/idle_wait.h"
#include "ui/screens.h"
#include "ui/strings.h"
#include "ui/text.h"

#include <stdbool.h>

typedef enum app_screen {
    APP_SCREEN_HOME,
    APP_SCREEN_SERVICE, /* a catalog service (a placeholder for now) */
    APP_SCREEN_HELP,
    APP_SCREEN_ELDER,
    APP_SCREEN_COUNT,
} app_screen;

struct kiosk_app {
    kiosk_args args;
    app_clocks clocks;
    board_profile board;
    catalog catalog;
    ui_strings *strings;
    ui_display *display;
    ui_text *text;
    ui_metrics metrics;
    const ui_theme *theme;
    idle_wait *wait; /* NULL when SDL itself sleeps */

    /* The citizen's place. */
    app_screen screen;
    size_t service_index; /* for APP_SCREEN_SERVICE */
    lang language;

    ui_widget *root;    /* the screen's widget tree */
    ui_widget *pressed; /* under a finger now, or NULL */
    bool dirty;         /* the frame must be drawn again */
    long shown_minute;  /* the minute the clock shows */
    uint64_t last_input_ms;
    unsigned long frames;
    bool quit;
};

/* app_screens.c */
kiosk_error app_show(kiosk_app *app, app_screen screen) KIOSK_MUST_CHECK;
void app_handle_input(kiosk_app *app, const SDL_Event *event);
void app_clock_text(kiosk_app *app, char *out, size_t out_size);

/* app.c */
uint64_t app_now_ms(const kiosk_app *app);
time_t app_wall_time(const kiosk_app *app);

#endif
