/* The app's lifecycle and main loop. */
#include "firmware/app/app_admin.h"
#include "firmware/app/app_appointment.h"
#include "firmware/app/app_control.h"
#include "firmware/app/app_core.h"
#include "firmware/app/app_devices.h"
#include "firmware/app/app_display_schedule.h"
#include "firmware/app/app_document.h"
#include "firmware/app/app_input.h"
#include "firmware/app/app_logs.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_probe.h"
#include "firmware/app/app_query.h"
#include "firmware/app/app_scan.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_speech.h"
#include "firmware/app/app_start.h"
#include "firmware/app/app_supervisor.h"
#include "firmware/app/app_technician.h"
#include "firmware/app/app_type.h"
#include "firmware/app/navigation.h"
#include "firmware/base/idle_wait.h"

#include "firmware/base/event_channel.h"
#include "firmware/base/log.h"
#include "ui/image.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The app's frame: what it loaded, the display, the loop. Every other part
 * of the app keeps its own state in its own file. */
struct kiosk_app {
    kiosk_args args;
    app_clocks clocks;
    board_profile board;
    catalog *catalog; /* replaced whole, between sessions */
    ui_strings *strings;
    ui_display *display;
    ui_text *text;
    ui_metrics metrics;
    idle_wait *wait; /* NULL when SDL itself sleeps */

    bool dirty;      /* the frame must be drawn again */
    bool show_again; /* rebuild the screen once no finger is down */
    /* When only part of it changed (a press), that part; empty: all. */
    SDL_Rect dirty_area;
    long shown_minute; /* the minute the clock shows */
    unsigned long frames;
    bool quit;
    bool restart; /* quit, and exit with APP_EXIT_RESTART */
};

const kiosk_args *app_args(const kiosk_app *app)
{
    return &app->args;
}

const catalog *app_catalog(const kiosk_app *app)
{
    return app->catalog;
}

catalog *app_replace_catalog(kiosk_app *app, catalog *fresh)
{
    catalog *old = app->catalog;
    app->catalog = fresh;
    return old;
}

ui_strings *app_strings(const kiosk_app *app)
{
    return app->strings;
}

const ui_metrics *app_metrics(const kiosk_app *app)
{
    return &app->metrics;
}

void app_show_again_soon(kiosk_app *app)
{
    app->show_again = true;
}

#define KIOSK_INSTALLED_SHARE_DIR "/usr/share/kiosk"

uint64_t app_now_ms(const kiosk_app *app)
{
    uint64_t now = app->clocks.monotonic_ms ? app->clocks.monotonic_ms() : SDL_GetTicks64();
    return now + app_control_clock_offset_ms(app);
}

time_t app_wall_time(const kiosk_app *app)
{
    return app->clocks.wall ? app->clocks.wall() : time(NULL);
}

void app_find_share_dir(const char *exe_path, char *out, size_t out_size)
{
    char resolved[ARGS_PATH_MAX];
    snprintf(out, out_size, "%s", KIOSK_INSTALLED_SHARE_DIR);
    if (!realpath(exe_path, resolved))
        return;
    /* A build tree: build/kiosk or build/asan/kiosk under the source tree. */
    char *folder = dirname(resolved);
    for (int up = 0; up < 3 && strcmp(folder, "/") != 0; up++) {
        folder = dirname(folder);
        char probe[ARGS_PATH_MAX + 32];
        struct stat info;
        snprintf(probe, sizeof probe, "%s/assets/catalog", folder);
        if (stat(probe, &info) == 0 && S_ISDIR(info.st_mode)) {
            snprintf(out, out_size, "%s", folder);
            return;
        }
    }
}

static long minute_of(time_t when)
{
    return (long)(when / 60);
}

static kiosk_error load_data(kiosk_app *app, kiosk_diag *diag)
{
    char path[ARGS_PATH_MAX + 64];
    kiosk_error result = board_path_for(app->args.share_dir, app->args.board, path, sizeof path);
    if (result != KIOSK_OK)
        return kiosk_diag_set(diag, result, "board profile path too long");
    result = board_load(path, &app->board, diag);
    if (result != KIOSK_OK)
        return result;
    LOG_INFO("app", "board %s: %dx%d px, %dx%d mm", app->board.name, app->board.width_px,
             app->board.height_px, app->board.width_mm, app->board.height_mm);

    if (app->args.catalog[0])
        snprintf(path, sizeof path, "%s", app->args.catalog);
    else
        snprintf(path, sizeof path, "%s/assets/catalog/sample.json", app->args.share_dir);
    /* calloc: the pools a catalog does not use are never touched, and cost
     * no memory. */
    app->catalog = calloc(1, sizeof *app->catalog);
    if (!app->catalog)
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "no memory for the catalog");
    result = catalog_load(path, app->catalog, diag);
    if (result != KIOSK_OK)
        return result;

    snprintf(path, sizeof path, "%s/assets/strings", app->args.share_dir);
    return ui_strings_load(path, &app->strings, diag);
}

static kiosk_error open_display(kiosk_app *app, kiosk_diag *diag)
{
    const board_profile *board = &app->board;
    /* Fonts first: they open on a worker while the display comes up. */
    ui_font_source sources[LANG_COUNT];
    for (int i = 0; i < LANG_COUNT; i++)
        sources[i] = (ui_font_source){board->fonts[i].file, board->fonts[i].face};
    ui_font_source fallback = {board->fallback_font.file, board->fallback_font.face};
    kiosk_error result = ui_text_open(NULL, sources, fallback, &app->text, diag);
    if (result != KIOSK_OK)
        return result;

    ui_display_options options = {.width = board->width_px,
                                  .height = board->height_px,
                                  .rotation = board->rotation,
                                  .headless = app->args.headless,
                                  .title = "kiosk"};
    result = ui_display_open(&options, &app->display, diag);
    if (result != KIOSK_OK)
        return result;
    ui_text_set_renderer(app->text, app->display->renderer);

    if (!app->display->sleeps_in_sdl) {
        const char *driver = SDL_GetCurrentVideoDriver();
        bool board_input = ui_display_driver_is_board(driver);
        result = idle_wait_open(event_channel_wake_fd(), board_input, &app->wait);
        if (result != KIOSK_OK)
            return kiosk_diag_set(diag, result, "cannot set up the idle wait");
    }
    return KIOSK_OK;
}

kiosk_error app_create(const kiosk_args *args, const app_clocks *clocks, kiosk_app **out,
                       kiosk_diag *diag)
{
    kiosk_app *app = calloc(1, sizeof *app);
    if (!app)
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "out of memory");
    app->args = *args;
    if (clocks)
        app->clocks = *clocks;
    /* The session and the controllers keep their state in their own
     * files: none of it may be an earlier app's. */
    app_session_init(app, LANG_ZH_CN, UI_THEME_STANDARD);
    app_controllers_forget(app);

    kiosk_error result = load_data(app, diag);
    if (result == KIOSK_OK) {
        result = event_channel_open();
        if (result != KIOSK_OK)
            kiosk_diag_set(diag, result, "cannot open the event channel");
    }
    if (result == KIOSK_OK)
        result = open_display(app, diag);
    if (result == KIOSK_OK) {
        const board_profile *board = &app->board;
        app->metrics = ui_metrics_for_screen(board->width_px, board->height_px, board->width_mm,
                                             board->height_mm, board->viewing_distance_mm);
        app_session_set_language(app, args->language_given ? args->language : board->default_lang);
        app->shown_minute = minute_of(app_wall_time(app));
        app_session_touched(app);
        app_navigation_start(app);
        app_type_start(app);
        app_session_set_theme(app, (ui_theme_id)args->theme);
        /* Starting on home (screenshots, benchmarks, tests) is as if a citizen
         * had just touched the attract screen. */
        if (args->start_home)
            app_session_start(app);
        result = app_go(app, args->start_home     ? APP_SCREEN_HOME
                             : args->start_paused ? APP_SCREEN_PAUSED
                                                  : APP_SCREEN_ATTRACT);
        if (result != KIOSK_OK)
            kiosk_diag_set(diag, result, "cannot build the first screen");
    }
    if (result == KIOSK_OK)
        result = app_control_start(app, app->board.test_control, diag);
    /* Without kioskctl the terminal still serves citizens: a technician
     * reads why in the log. */
    kiosk_diag admin_problem = {{0}};
    if (result == KIOSK_OK && app_admin_start(app, &admin_problem) != KIOSK_OK)
        LOG_ERROR("admin", "%s: kioskctl will not answer", admin_problem.message);
    if (result != KIOSK_OK) {
        app_destroy(app);
        return result;
    }
    *out = app;
    return KIOSK_OK;
}

void app_destroy(kiosk_app *app)
{
    if (!app)
        return;
    app_admin_stop(app);
    app_control_stop(app);
    app_devices_stop(app);
    app_platform_stop(app);
    app_speech_stop(app);
    app_navigation_stop(app);
    app_type_stop(app);
    idle_wait_close(app->wait);
    ui_text_close(app->text);
    event_channel_close();
    ui_display_close(app->display);
    ui_strings_free(app->strings);
    free(app->catalog);
    free(app);
}

void app_request_restart(kiosk_app *app)
{
    app->restart = true;
    app->quit = true;
}

bool app_restart_requested(const kiosk_app *app)
{
    return app->restart;
}

void app_request_quit(kiosk_app *app)
{
    app->quit = true;
}

ui_text *app_text(kiosk_app *app)
{
    return app->text;
}

const board_profile *app_board(const kiosk_app *app)
{
    return &app->board;
}

ui_display *app_display(kiosk_app *app)
{
    return app->display;
}

unsigned long app_frames_drawn(const kiosk_app *app)
{
    return app->frames;
}

ui_context app_ui_context(kiosk_app *app)
{
    return (ui_context){.renderer = app->display->renderer,
                        .text = app->text,
                        .theme = app_theme(app),
                        .metrics = app->metrics,
                        .language = app_language(app)};
}

void app_show_again(kiosk_app *app)
{
    if (app_input_finger_down(app)) {
        app->show_again = true;
        return;
    }
    app->show_again = false;
    if (app_go(app, app_current_screen(app)) != KIOSK_OK)
        LOG_WARN("app", "the %s screen could not be shown again", app_screen_name(app));
}

void app_mark_dirty(kiosk_app *app, SDL_Rect area)
{
    if (!app->dirty)
        app->dirty_area = area;
    else if (!SDL_RectEmpty(&app->dirty_area)) /* empty: all of it is due already */
        SDL_UnionRect(&app->dirty_area, &area, &app->dirty_area);
    app->dirty = true;
}

void app_mark_all_dirty(kiosk_app *app)
{
    app->dirty = true;
    app->dirty_area = (SDL_Rect){0, 0, 0, 0};
}

kiosk_error app_frame_shown(kiosk_app *app, SDL_Surface **out)
{
    return ui_display_capture(app->display, out);
}

/* Draws the frame, or only area of it (not empty) where the display keeps
 * the last frame (the software renderer does; a GPU's back buffer does not). */
static void draw_area(kiosk_app *app, SDL_Rect area)
{
    ui_display_begin_frame(app->display);
    bool partial = !SDL_RectEmpty(&area) && app->display->keeps_frame;
    app_display_schedule_viewport(app, app->display->renderer);
    SDL_RenderSetClipRect(app->display->renderer, partial ? &area : NULL);
    SDL_Color page = app_theme(app)->page;
    SDL_SetRenderDrawColor(app->display->renderer, page.r, page.g, page.b, 255);
    if (partial)
        SDL_RenderFillRect(app->display->renderer, &area);
    else
        SDL_RenderClear(app->display->renderer);
    ui_context context = app_ui_context(app);
    ui_widget_draw_tree(app_root(app), &context);
    app_display_schedule_shade(app, app->display->renderer);
    SDL_RenderSetClipRect(app->display->renderer, NULL);
    app->frames++;
}

static void draw_frame(kiosk_app *app)
{
    draw_area(app, (SDL_Rect){0, 0, 0, 0});
}

kiosk_error app_capture(kiosk_app *app, SDL_Surface **out)
{
    draw_frame(app);
    kiosk_error result = ui_display_capture(app->display, out);
    ui_display_present(app->display);
    return result;
}

/* Timers: the clock turns a minute; the session warns, counts down, ends. */
static void run_timers(kiosk_app *app)
{
    time_t now = app_wall_time(app);
    if (minute_of(now) != app->shown_minute) {
        app->shown_minute = minute_of(now);
        char clock[128];
        app_clock_text(app, clock, sizeof clock);
        if (ui_live_update(app_root(app), UI_ID_CLOCK, clock, UI_LIVE_KEEP_TONE))
            app_mark_all_dirty(app);
    }
    app_session_tick(app);
    app_platform_tick(app);
    app_selftest_tick(app);
    app_tech_network_tick(app);
    app_cert_tick(app);
    app_logs_tick(app);
    app_display_schedule_tick(app);
    if (app->show_again && !app_input_finger_down(app))
        app_show_again(app);
}

/* Milliseconds until a timer is due: the next minute, or the session's. */
static int next_timeout_ms(kiosk_app *app)
{
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    long long timeout =
        app->clocks.wall ? 60000 : (60 - wall.tv_sec % 60) * 1000LL - wall.tv_nsec / 1000000 + 5;
    long long session = app_session_next_ms(app);
    if (session >= 0 && session < timeout)
        timeout = session;
    long long pending = app_platform_next_ms(app);
    if (pending >= 0 && pending < timeout)
        timeout = pending;
    long long display = app_display_schedule_next_ms(app);
    if (display >= 0 && display < timeout)
        timeout = display;
    long long selftest = app_selftest_next_ms(app);
    if (selftest >= 0 && selftest < timeout)
        timeout = selftest;
    long long control = app_control_next_ms(app);
    if (control >= 0 && control < timeout)
        timeout = control;
    long long watchdog = app_supervisor_next_ms(app);
    if (watchdog >= 0 && watchdog < timeout)
        timeout = watchdog;
    return (int)timeout;
}

static void handle_event(kiosk_app *app, const SDL_Event *event)
{
    app_event taken;
    if (event_channel_take(event, &taken)) {
        if (taken.kind == APP_EVENT_QUIT)
            app->quit = true;
        else if (taken.kind == APP_EVENT_REDRAW)
            app_mark_all_dirty(app);
        else if (taken.kind == APP_EVENT_CONTROL)
            app_control_command(app, taken.payload);
        else if (taken.kind == APP_EVENT_DEVICE_STATUS)
            app_devices_status(app, taken.payload);
        else if (taken.kind == APP_EVENT_DEVICE_DELIVERY)
            app_devices_delivery(app, &taken);
        else if (taken.kind == APP_EVENT_LINK || taken.kind == APP_EVENT_DELIVERED)
            app_platform_event(app, &taken);
        else if (taken.kind == APP_EVENT_LOOKUP)
            app_scan_event(app, &taken);
        else if (taken.kind == APP_EVENT_QUERY)
            app_query_event(app, taken.payload);
        else if (taken.kind == APP_EVENT_EID)
            app_scan_eid_answer(app, taken.payload);
        else if (taken.kind == APP_EVENT_APPOINTMENT)
            app_appointment_answer(app, taken.payload);
        else if (taken.kind == APP_EVENT_DOCUMENTS || taken.kind == APP_EVENT_DOCUMENT)
            app_document_event(app, &taken);
        else if (taken.kind == APP_EVENT_ADMIN)
            app_admin_command(app, taken.payload);
        app_event_release(&taken);
        return;
    }
    switch (event->type) {
    case SDL_QUIT:
        app->quit = true;
        break;
    case SDL_WINDOWEVENT:
        if (event->window.event == SDL_WINDOWEVENT_EXPOSED)
            app_mark_all_dirty(app);
        break;
    default:
        app_handle_input(app, event);
        break;
    }
}

void app_process_pending(kiosk_app *app)
{
    SDL_Event event;
    while (SDL_PollEvent(&event))
        handle_event(app, &event);
    run_timers(app);
    if (app->dirty) {
        app->dirty = false;
        draw_area(app, app->dirty_area);
        app->dirty_area = (SDL_Rect){0, 0, 0, 0};
        ui_display_present(app->display);
    }
    app_control_check_wait(app);
    /* Devices start once the first frame is up: a citizen sees the screen
     * sooner, and a reader that cannot be had is a status on the screen
     * (type the number instead), not a kiosk that does not start. */
    if (!app_devices_started(app)) {
        kiosk_diag diag = {{0}};
        if (app_devices_start(app, &diag) != KIOSK_OK)
            LOG_ERROR("devices", "%s", diag.message);
        /* The platform too: a terminal that cannot reach it still serves. */
        kiosk_diag platform = {{0}};
        if (app_platform_start(app, &platform) != KIOSK_OK)
            LOG_ERROR("platform", "%s: working offline", platform.message);
        /* The board's touch calibration, from the store the platform opened. */
        app_input_calibration_load(app);
        /* And the voice: a terminal that cannot speak still serves. */
        app_speech_start(app);
    }
}

static long memory_kib(const char *field)
{
    FILE *status = fopen("/proc/self/status", "r");
    char line[256];
    long value = -1;
    size_t length = strlen(field);
    while (status && fgets(line, sizeof line, status)) {
        if (strncmp(line, field, length) == 0 && line[length] == ':') {
            value = strtol(line + length + 1, NULL, 10);
            break;
        }
    }
    if (status)
        fclose(status);
    return value;
}

static void report(const char *event, double mean_ms, int frames)
{
    printf("{\"event\":\"%s\",\"rss_kib\":%ld,\"peak_rss_kib\":%ld", event, memory_kib("VmRSS"),
           memory_kib("VmHWM"));
    if (frames > 0)
        printf(",\"frames\":%d,\"mean_ms\":%.3f", frames, mean_ms);
    printf("}\n");
    fflush(stdout);
}

static void bench_redraws(kiosk_app *app, int frames)
{
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int i = 0; i < frames; i++) {
        draw_frame(app);
        ui_display_present(app->display);
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double total_ms =
        (double)(end.tv_sec - start.tv_sec) * 1e3 + (double)(end.tv_nsec - start.tv_nsec) / 1e6;
    report("redraw", total_ms / frames, frames);
}

static kiosk_error first_frame(kiosk_app *app, bool *done)
{
    kiosk_error result = KIOSK_OK;
    *done = false;
    if (app->args.screenshot[0]) {
        SDL_Surface *surface = NULL;
        kiosk_diag diag;
        result = app_capture(app, &surface);
        if (result == KIOSK_OK) {
            result = ui_image_save_png(surface, app->args.screenshot, &diag);
            SDL_FreeSurface(surface);
            if (result != KIOSK_OK)
                LOG_ERROR("app", "%s", diag.message);
        }
        *done = true;
    } else {
        draw_frame(app);
        ui_display_present(app->display);
    }
    app->dirty = false;
    if (app->args.report_first_frame)
        report("first-frame", 0, 0);
    if (app->args.bench_redraws > 0) {
        bench_redraws(app, app->args.bench_redraws);
        *done = true;
    }
    return result;
}

kiosk_error app_run(kiosk_app *app)
{
    bool done = false;
    kiosk_error result = first_frame(app, &done);
    if (done)
        return result;
    LOG_INFO("app", "ready: %s screen, %s", app_screen_name(app), lang_code(app_language(app)));
    app_supervisor_ready(app);

    while (!app->quit) {
        app_process_pending(app);
        if (app->quit)
            break;
        /* Fed here only: a turn that never comes back starves it. */
        app_supervisor_tick(app);
        if (app->quit)
            break; /* the memory ceiling asked for a restart */
        int timeout = next_timeout_ms(app);
        if (app->wait) {
            idle_wait_sleep(app->wait, timeout);
            event_channel_drain_wakeups();
        } else {
            SDL_Event event;
            if (SDL_WaitEventTimeout(&event, timeout))
                handle_event(app, &event);
        }
    }
    LOG_INFO("app", "stopping");
    app_supervisor_stopping(app);
    return KIOSK_OK;
}
