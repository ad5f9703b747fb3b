/* The kiosk's command line. */
#ifndef KIOSK_FIRMWARE_APP_ARGS_H
#define KIOSK_FIRMWARE_APP_ARGS_H

#include "firmware/base/error.h"
#include "firmware/base/lang.h"
#include "firmware/base/log.h"

#include <stdbool.h>

#define ARGS_PATH_MAX 512

typedef struct kiosk_args {
    char share_dir[ARGS_PATH_MAX]; /* where assets/ and board/ are; "" = find it */
    char board[ARGS_PATH_MAX];     /* profile name or path */
    char catalog[ARGS_PATH_MAX];   /* "" = the sample catalog */
    char screenshot[ARGS_PATH_MAX];
    lang language;
    bool language_given;
    bool headless;
    bool start_home;         /* begin on home, in a session, rather than on attract */
    bool start_paused;       /* begin, and stay, out of service (暂停服务) */
    int theme;               /* ui_theme_id the first session starts in (previews) */
    bool report_first_frame; /* print a line with timing and memory at the first frame */
    int bench_redraws;       /* > 0: redraw this many frames, report, exit */
    log_level level;
    bool show_help, show_version;
} kiosk_args;

#define KIOSK_DEFAULT_BOARD "portrait-1080"

/* Parses argv. Errors: INVALID_ARGUMENT with diag saying what is wrong. */
kiosk_error args_parse(int argc, char **argv, kiosk_args *out, kiosk_diag *diag) KIOSK_MUST_CHECK;

/* The --help text. */
const char *args_usage(void);

#endif
