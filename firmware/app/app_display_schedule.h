/* The display's schedule (firmware/app/app_display_schedule.c): a board
 * profile's "display" object says when the screen goes dim or off in the
 * hall's local time (a span may pass midnight), and where its backlight is;
 * the app turns the backlight down at each edge of the schedule and up
 * again for anyone who comes (a touch or a card starts a visit and leaves
 * the attract screen), and wakes only at the schedule's edges: an idle
 * kiosk uses no CPU. Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_DISPLAY_SCHEDULE_H
#define KIOSK_FIRMWARE_APP_APP_DISPLAY_SCHEDULE_H

#include "firmware/base/error.h"
#include "firmware/base/json_fields.h"

#include <stdbool.h>

#define DISPLAY_SCHEDULE_MAX 8
#define DISPLAY_PATH_MAX     256

typedef enum display_mode {
    DISPLAY_ON = 0,
    DISPLAY_DIM, /* the backlight at the entry's level */
    DISPLAY_OFF,
} display_mode;

typedef struct display_span {
    int from_min, to_min; /* minutes after local midnight; to < from: past midnight */
    display_mode mode;
    int level; /* 0-100: the backlight's share while dim (0 while off) */
} display_span;

/* A board's "display": {"schedule": [{"from": "23:00", "to": "06:00",
 * "mode": "dim", "level": 20}], "backlight": "/sys/class/backlight/x/brightness"}.
 * Absent: always on, no backlight file. */
typedef struct board_display {
    display_span schedule[DISPLAY_SCHEDULE_MAX];
    int count;
    char backlight[DISPLAY_PATH_MAX]; /* "" when the board has none to write */
} board_display;

/* Reads root's "display" into out (defaults when absent). Errors: MALFORMED,
 * naming file and the field. */
kiosk_error board_display_load(const char *file, const cJSON *root, board_display *out,
                               kiosk_diag *diag) KIOSK_MUST_CHECK;

/* What the schedule says at minute_of_day: the mode, and in *level the
 * backlight's share (100 when on). The first span that covers it wins. */
display_mode display_schedule_at(const board_display *display, int minute_of_day, int *level);

/* Minutes from minute_of_day to the schedule's next edge (1-1440; 1440:
 * none, the schedule never changes). */
int display_schedule_next_edge(const board_display *display, int minute_of_day);

typedef struct kiosk_app kiosk_app;
struct SDL_Renderer;
/* For app.c's loop: applies the schedule (and the attract screen's drift) now (the backlight
 * written only when its level changes), and the milliseconds until it must look again
 * (-1: never: no schedule). */
void app_display_schedule_tick(kiosk_app *app);
long long app_display_schedule_next_ms(kiosk_app *app);
/* For app.c's drawing, before anything is drawn: while nobody is here the
 * attract screen's content moves a few pixels every few minutes, round a
 * small square, so nothing stays lit in one place (the screen-saver). The
 * frame is drawn again only when it moves. */
#define DISPLAY_DRIFT_PX        4
#define DISPLAY_DRIFT_PERIOD_MS (3 * 60 * 1000)
void app_display_schedule_viewport(kiosk_app *app, struct SDL_Renderer *renderer);
/* How far the content is moved now (0, 0 off the attract screen). */
void app_display_drift(const kiosk_app *app, int *dx, int *dy);

/* For app.c's drawing, after the widgets: on a board with no backlight to
 * write, a dim or off display is the drawn frame darkened to the level
 * (black when off). Nothing when on, or when the backlight does it. */
void app_display_schedule_shade(kiosk_app *app, struct SDL_Renderer *renderer);

/* The mode and level in force now, for tests and the technician. */
display_mode app_display_mode(const kiosk_app *app, int *level);

#endif
