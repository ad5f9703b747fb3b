/* The application: owns the board, catalog, strings, display and the
 * citizen's place (screen, language); runs the main loop.
 *
 * Main thread only. Workers reach it through the event channel. */
#ifndef KIOSK_FIRMWARE_APP_APP_H
#define KIOSK_FIRMWARE_APP_APP_H

#include "firmware/app/args.h"
#include "firmware/app/board.h"
#include "firmware/base/error.h"
#include "ui/display.h"
#include "ui/screens.h"
#include "ui/text.h"
#include "ui/widget.h"

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

typedef struct kiosk_app kiosk_app;

/* Clocks the app reads, replaceable by tests. NULL members use the real ones. */
typedef struct app_clocks {
    time_t (*wall)(void);           /* what the title bar shows */
    uint64_t (*monotonic_ms)(void); /* for time-outs */
} app_clocks;

/* Loads everything args names and opens the display, ready to draw the home
 * screen. *out is owned by the caller (app_destroy). diag explains a failure in
 * one line naming the file or device. Errors: those of board_load,
 * catalog_load, ui_strings_load, ui_display_open, ui_text_open. */
kiosk_error app_create(const kiosk_args *args, const app_clocks *clocks, kiosk_app **out,
                       kiosk_diag *diag) KIOSK_MUST_CHECK;
void app_destroy(kiosk_app *app);

/* Runs until asked to stop (signal, SDL_QUIT) or, with --screenshot or
 * --bench-redraws, until that is done. Errors: IO (screenshot not written),
 * DISPLAY. */
kiosk_error app_run(kiosk_app *app) KIOSK_MUST_CHECK;

/* Asks the loop to stop at its next turn. */
void app_request_quit(kiosk_app *app);

/* The exit status that asks the supervisor for a clean restart
 * (EX_TEMPFAIL, sysexits.h): staff's 重启终端程序. */
#define APP_EXIT_RESTART 75
/* Asks the loop to stop at its next turn, and the program to exit with
 * APP_EXIT_RESTART so that the supervisor starts it again. */
void app_request_restart(kiosk_app *app);
bool app_restart_requested(const kiosk_app *app);

/* The folder holding assets/ and board/ for a program at exe_path: its
 * parent's parent when that has assets/ (a build tree), else the installed
 * location. */
void app_find_share_dir(const char *exe_path, char *out, size_t out_size);

#endif
