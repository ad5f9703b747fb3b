/* The citizen's session: it starts at the first touch and ends on completion,
 * cancel or time-out. Before a time-out the citizen is warned, with a visible
 * countdown and a large "continue"; at the end everything they chose, typed or
 * were shown is wiped and the attract screen returns. */
#include "firmware/app_internal.h"

#include "firmware/log.h"
#include "ui/feedback_widgets.h"
#include "ui/qr_view.h"

#include <string.h>

uint64_t app_idle_limit_ms(const kiosk_app *app)
{
    return (uint64_t)((float)app->board.idle_timeout_s * 1000.0f * app->theme->timeout_scale);
}

uint64_t app_warning_ms(const kiosk_app *app)
{
    return (uint64_t)((float)APP_WARNING_SECONDS * 1000.0f * app->theme->timeout_scale);
}

void app_session_forget_typed(kiosk_app *app)
{
    /* explicit_bzero: a plain memset before reuse may be optimised away. */
    explicit_bzero(&app->typed, sizeof app->typed);
    explicit_bzero(&app->result, sizeof app->result);
    explicit_bzero(app->scan.typed, sizeof app->scan.typed);
}

void app_session_start(kiosk_app *app)
{
    app->in_session = true;
    app->sessions++;
    app->extensions = 0;
    app->last_input_ms = app_now_ms(app);
    LOG_INFO("session", "started (%lu since boot)", app->sessions);
}

void app_session_set_theme(kiosk_app *app, ui_theme_id theme)
{
    app->theme_id = theme;
    app->theme = ui_theme_get(theme);
    app->home_page = 0;
}

void app_session_end(kiosk_app *app, const char *why)
{
    LOG_INFO("session", "ended: %s, after %d extensions", why, app->extensions);
    app->in_session = false;
    app->pressed = NULL;
    app->finger_down = false;
    /* Nothing of this citizen may reach the next: the choices go back to the
     * hall's defaults, and every texture that showed their text is destroyed
     * (the cache zeroes what it remembered). */
    app->language = app->board.default_lang;
    app_session_set_theme(app, UI_THEME_STANDARD);
    app->service_index = 0;
    app->extensions = 0;
    flow_wipe(&app->flow);
    explicit_bzero(&app->query, sizeof app->query);
    app_session_forget_typed(app);
    explicit_bzero(&app->identity, sizeof app->identity);
    app->eid_waiting = false;
    app->card_notice = NULL;
    app_platform_session_end(app);
    app->rate.given = false;
    app->rate.level = 0;
    app->rate.stage = APP_RATE_LEVELS;
    ui_text_clear(app->text);
    ui_qr_view_forget_all();
    if (app_show(app, APP_SCREEN_ATTRACT) != KIOSK_OK)
        LOG_ERROR("session", "cannot show the attract screen");
}

void app_session_continue(kiosk_app *app)
{
    app->extensions++;
    app->last_input_ms = app_now_ms(app);
    LOG_INFO("session", "continued (%d)", app->extensions);
    if (app_show(app, app->resume_screen) != KIOSK_OK)
        app_session_end(app, "cannot resume");
}

static int seconds_left(const kiosk_app *app)
{
    uint64_t now = app_now_ms(app);
    if (now >= app->warning_deadline_ms)
        return 0;
    return (int)((app->warning_deadline_ms - now + 999) / 1000);
}

static void warn(kiosk_app *app)
{
    app->resume_screen = app->screen;
    app->warning_deadline_ms = app_now_ms(app) + app_warning_ms(app);
    app->warning_seconds_shown = seconds_left(app);
    LOG_INFO("session", "idle on %s: warning for %d s", app_screen_name(app),
             app->warning_seconds_shown);
    if (app_show(app, APP_SCREEN_TIMEOUT) != KIOSK_OK)
        app_session_end(app, "cannot warn");
}

void app_session_tick(kiosk_app *app)
{
    if (!app->in_session)
        return;
    if (app->screen == APP_SCREEN_TIMEOUT) {
        int left = seconds_left(app);
        if (left <= 0) {
            app_session_end(app, "time-out");
            return;
        }
        if (left != app->warning_seconds_shown) {
            app->warning_seconds_shown = left;
            char text[32];
            ui_frame_model frame = app_frame_model(app, "");
            ui_timeout_countdown_text(&frame, left, text, sizeof text);
            ui_widget *countdown = ui_widget_find(app->root, UI_ID_COUNTDOWN);
            if (countdown) {
                ui_countdown_set(countdown, left, text);
                app_mark_dirty(app, countdown->bounds);
            }
        }
        return;
    }
    uint64_t idle = app_now_ms(app) - app->last_input_ms;
    if (!app->finger_down && idle >= app_idle_limit_ms(app))
        warn(app);
}

long long app_session_next_ms(const kiosk_app *app)
{
    if (!app->in_session)
        return -1;
    long long now = (long long)app_now_ms(app);
    if (app->screen == APP_SCREEN_TIMEOUT) {
        /* The next whole second of the countdown. */
        long long left = (long long)app->warning_deadline_ms - now;
        long long next = left % 1000;
        return left <= 0 ? 0 : next == 0 ? 1000 : next;
    }
    long long due = (long long)app->last_input_ms + (long long)app_idle_limit_ms(app) - now;
    return due < 0 ? 0 : due;
}
