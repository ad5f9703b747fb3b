/* The display's schedule. See app_display_schedule.h. */
#include "firmware/app/app_display_schedule.h"
#include "firmware/app/app_core.h"
#include "firmware/app/app_session.h"
#include "firmware/app/navigation.h"

#include "firmware/base/local_time.h"
#include "firmware/base/log.h"

#include <SDL2/SDL.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MIN 1440

/* "HH:MM" to minutes after midnight. */
static bool clock_minutes(const char *text, int *out)
{
    if (!text || strlen(text) != 5 || text[2] != ':')
        return false;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (text[i] < '0' || text[i] > '9'))
            return false;
    int hour = (text[0] - '0') * 10 + (text[1] - '0');
    int minute = (text[3] - '0') * 10 + (text[4] - '0');
    if (hour > 23 || minute > 59)
        return false;
    *out = hour * 60 + minute;
    return true;
}

static kiosk_error load_span(const char *file, const cJSON *item, int index, display_span *out,
                             kiosk_diag *diag)
{
    char where[48];
    snprintf(where, sizeof where, "display.schedule[%d]", index);
    json_place place = {file, where};
    if (!cJSON_IsObject(item))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s: expected an object", file, where);
    const char *from = NULL, *to = NULL, *mode = NULL;
    kiosk_error result = json_field_string(place, item, "from", 6, &from, diag);
    if (result == KIOSK_OK)
        result = json_field_string(place, item, "to", 6, &to, diag);
    if (result == KIOSK_OK)
        result = json_field_string(place, item, "mode", 8, &mode, diag);
    if (result != KIOSK_OK)
        return result;
    if (!clock_minutes(from, &out->from_min) || !clock_minutes(to, &out->to_min) ||
        out->from_min == out->to_min)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "%s: %s: expected \"from\" and \"to\" as different \"HH:MM\"", file,
                              where);
    if (strcmp(mode, "off") == 0) {
        out->mode = DISPLAY_OFF;
        out->level = 0;
        return KIOSK_OK;
    }
    if (strcmp(mode, "dim") != 0)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s.mode: expected \"dim\" or \"off\"",
                              file, where);
    out->mode = DISPLAY_DIM;
    long level = 20;
    if (cJSON_GetObjectItemCaseSensitive(item, "level"))
        result = json_field_int(place, item, "level", 1, 99, &level, diag);
    out->level = (int)level;
    return result;
}

kiosk_error board_display_load(const char *file, const cJSON *root, board_display *out,
                               kiosk_diag *diag)
{
    memset(out, 0, sizeof *out);
    const cJSON *display = cJSON_GetObjectItemCaseSensitive(root, "display");
    if (!display)
        return KIOSK_OK;
    if (!cJSON_IsObject(display))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: display: expected an object", file);
    json_place place = {file, "display"};
    kiosk_error result = KIOSK_OK;
    if (cJSON_GetObjectItemCaseSensitive(display, "backlight")) {
        const char *path = NULL;
        result = json_field_string(place, display, "backlight", DISPLAY_PATH_MAX, &path, diag);
        if (result == KIOSK_OK && path[0] != '/')
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "%s: display.backlight: expected an absolute path", file);
        if (result == KIOSK_OK)
            snprintf(out->backlight, sizeof out->backlight, "%s", path);
    }
    if (result != KIOSK_OK || !cJSON_GetObjectItemCaseSensitive(display, "schedule"))
        return result;
    const cJSON *schedule = NULL;
    result = json_field_array(place, display, "schedule", &schedule, diag);
    if (result != KIOSK_OK)
        return result;
    if (cJSON_GetArraySize(schedule) > DISPLAY_SCHEDULE_MAX)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: display.schedule: at most %d spans",
                              file, DISPLAY_SCHEDULE_MAX);
    const cJSON *item = NULL;
    cJSON_ArrayForEach(item, schedule)
    {
        result = load_span(file, item, out->count, &out->schedule[out->count], diag);
        if (result != KIOSK_OK)
            return result;
        out->count++;
    }
    return KIOSK_OK;
}

static bool covers(const display_span *span, int minute)
{
    return span->from_min < span->to_min ? minute >= span->from_min && minute < span->to_min
                                         : minute >= span->from_min || minute < span->to_min;
}

display_mode display_schedule_at(const board_display *display, int minute_of_day, int *level)
{
    for (int i = 0; i < display->count; i++)
        if (covers(&display->schedule[i], minute_of_day)) {
            if (level)
                *level = display->schedule[i].level;
            return display->schedule[i].mode;
        }
    if (level)
        *level = 100;
    return DISPLAY_ON;
}

int display_schedule_next_edge(const board_display *display, int minute_of_day)
{
    int next = DAY_MIN;
    for (int i = 0; i < display->count; i++) {
        int edges[] = {display->schedule[i].from_min, display->schedule[i].to_min};
        for (int e = 0; e < 2; e++) {
            int ahead = ((edges[e] - minute_of_day) % DAY_MIN + DAY_MIN) % DAY_MIN;
            if (ahead == 0)
                ahead = DAY_MIN;
            if (ahead < next)
                next = ahead;
        }
    }
    return next;
}

/* ---- in the app ----------------------------------------------------------- */

static struct {
    const kiosk_app *app;
    int written_level; /* the backlight's last level written, -1 none yet */
    display_mode mode;
    int level;
    int drift;               /* the step round the square, 0: in place */
    uint64_t drift_since_ms; /* when it last moved */
} shown = {.written_level = -1};

/* The square the content goes round: in place, then its corners and sides. */
static const SDL_Point drift_steps[] = {
    {0, 0},
    {DISPLAY_DRIFT_PX, 0},
    {DISPLAY_DRIFT_PX, DISPLAY_DRIFT_PX},
    {0, DISPLAY_DRIFT_PX},
    {-DISPLAY_DRIFT_PX, DISPLAY_DRIFT_PX},
    {-DISPLAY_DRIFT_PX, 0},
    {-DISPLAY_DRIFT_PX, -DISPLAY_DRIFT_PX},
    {0, -DISPLAY_DRIFT_PX},
    {DISPLAY_DRIFT_PX, -DISPLAY_DRIFT_PX},
};
#define DRIFT_STEPS ((int)(sizeof drift_steps / sizeof drift_steps[0]))

static bool nobody_here(kiosk_app *app)
{
    return !app_in_session(app) && app_current_screen(app) == APP_SCREEN_ATTRACT;
}

/* Moves the attract screen's content on when its time has come. */
static void drift_tick(kiosk_app *app)
{
    uint64_t now = app_now_ms(app);
    if (!nobody_here(app)) {
        if (shown.drift)
            app_mark_all_dirty(app);
        shown.drift = 0;
        shown.drift_since_ms = now;
        return;
    }
    if (now - shown.drift_since_ms < DISPLAY_DRIFT_PERIOD_MS)
        return;
    shown.drift = (shown.drift + 1) % DRIFT_STEPS;
    shown.drift_since_ms = now;
    app_mark_all_dirty(app);
}

void app_display_drift(const kiosk_app *app, int *dx, int *dy)
{
    bool ours = shown.app == app;
    *dx = ours ? drift_steps[shown.drift].x : 0;
    *dy = ours ? drift_steps[shown.drift].y : 0;
}

void app_display_schedule_viewport(kiosk_app *app, SDL_Renderer *renderer)
{
    if (shown.app != app || shown.drift == 0)
        return;
    const ui_metrics *metrics = app_metrics(app);
    SDL_Rect moved = {drift_steps[shown.drift].x, drift_steps[shown.drift].y, metrics->width_px,
                      metrics->height_px};
    SDL_RenderSetViewport(renderer, &moved);
}

static const board_display *display_of(kiosk_app *app)
{
    return &app_board(app)->display;
}

/* The hall's local time, to the minute and the millisecond within it. */
static int local_minute(kiosk_app *app, long *ms_into)
{
    time_t now = app_wall_time(app);
    struct tm local;
    if (!local_time_broken_down(&app_board(app)->zone, (int64_t)now, &local))
        localtime_r(&now, &local);
    if (ms_into)
        *ms_into = (long)local.tm_sec * 1000;
    return local.tm_hour * 60 + local.tm_min;
}

/* Writes level (0-100) to the backlight, scaled to its max_brightness
 * beside it when there is one (sysfs), else as a percentage. */
static void write_backlight(const char *path, int level)
{
    long max = 100;
    char max_path[DISPLAY_PATH_MAX + 32];
    snprintf(max_path, sizeof max_path, "%s", path);
    char *slash = strrchr(max_path, '/');
    if (slash) {
        snprintf(slash + 1, sizeof max_path - (size_t)(slash + 1 - max_path), "max_brightness");
        FILE *file = fopen(max_path, "r");
        if (file) {
            if (fscanf(file, "%ld", &max) != 1 || max <= 0)
                max = 100;
            fclose(file);
        }
    }
    FILE *file = fopen(path, "w");
    if (!file) {
        LOG_WARN("display", "cannot write the backlight %s: %s", path, strerror(errno));
        return;
    }
    fprintf(file, "%ld\n", max * level / 100);
    if (fclose(file) != 0)
        LOG_WARN("display", "cannot write the backlight %s: %s", path, strerror(errno));
}

void app_display_schedule_tick(kiosk_app *app)
{
    if (shown.app != app) {
        shown.app = app;
        shown.written_level = -1;
        shown.drift = 0;
        shown.drift_since_ms = app_now_ms(app);
    }
    drift_tick(app);
    const board_display *display = display_of(app);
    if (display->count == 0)
        return;
    int level = 100;
    display_mode mode = display_schedule_at(display, local_minute(app, NULL), &level);
    /* Someone is here (a touch or a card started a visit, or staff work):
     * the screen is theirs, at full light. */
    if (!nobody_here(app))
        mode = DISPLAY_ON, level = 100;
    if (mode != shown.mode || level != shown.level)
        LOG_INFO("display", "display %s (%d%%)",
                 mode == DISPLAY_ON    ? "on"
                 : mode == DISPLAY_DIM ? "dim"
                                       : "off",
                 level);
    /* Without a backlight the frame itself is darkened: drawn again. */
    if (!display->backlight[0] && (mode != shown.mode || level != shown.level))
        app_mark_all_dirty(app);
    shown.mode = mode;
    shown.level = level;
    if (display->backlight[0] && level != shown.written_level) {
        write_backlight(display->backlight, level);
        shown.written_level = level;
    }
}

void app_display_schedule_shade(kiosk_app *app, SDL_Renderer *renderer)
{
    if (shown.app != app)
        return;
    if (shown.mode != DISPLAY_ON && !display_of(app)->backlight[0]) {
        SDL_BlendMode before;
        SDL_GetRenderDrawBlendMode(renderer, &before);
        SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_BLEND);
        SDL_SetRenderDrawColor(renderer, 0, 0, 0, (Uint8)(255 * (100 - shown.level) / 100));
        /* The whole screen, the strip the drift uncovered too. */
        const ui_metrics *metrics = app_metrics(app);
        SDL_Rect all = {-2 * DISPLAY_DRIFT_PX, -2 * DISPLAY_DRIFT_PX,
                        metrics->width_px + 4 * DISPLAY_DRIFT_PX,
                        metrics->height_px + 4 * DISPLAY_DRIFT_PX};
        SDL_RenderFillRect(renderer, &all);
        SDL_SetRenderDrawBlendMode(renderer, before);
    }
    if (shown.drift)
        SDL_RenderSetViewport(renderer, NULL);
}

long long app_display_schedule_next_ms(kiosk_app *app)
{
    long long drift = -1;
    if (shown.app == app && nobody_here(app)) {
        uint64_t since = app_now_ms(app) - shown.drift_since_ms;
        drift = since >= DISPLAY_DRIFT_PERIOD_MS ? 0 : (long long)(DISPLAY_DRIFT_PERIOD_MS - since);
    }
    const board_display *display = display_of(app);
    if (display->count == 0)
        return drift;
    long into = 0;
    int minute = local_minute(app, &into);
    int ahead = display_schedule_next_edge(display, minute);
    long long ms = (long long)ahead * 60000 - into;
    if (ms < 0)
        ms = 0;
    return drift >= 0 && drift < ms ? drift : ms;
}

display_mode app_display_mode(const kiosk_app *app, int *level)
{
    if (level)
        *level = shown.app == app ? shown.level : 100;
    return shown.app == app ? shown.mode : DISPLAY_ON;
}
