/* Role sessions: a staff member or a technician signed in, their time-out
 * with its warning, and the wipe when they leave. See app_role.h and
 * docs/staff.md. */
#include "firmware/app/app_role.h"

#include "firmware/app/app_platform.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_signin.h"
#include "firmware/base/log.h"
#include "firmware/platform/staff_ops.h"

#include "ui/live.h"
#include "ui/widget_ids.h"

#include <stdio.h>
#include <string.h>

static struct {
    credential_info who; /* who.role STAFF_ROLE_NONE: nobody signed in */
    char actor[16 + CREDENTIAL_ID_MAX];
    uint64_t last_input_ms;
    uint64_t warning_deadline_ms;
    int warning_seconds_shown;
    app_screen resume; /* where the warning goes back to */
} role;

staff_role app_role_current(const kiosk_app *app)
{
    (void)app;
    return role.who.role;
}

const char *app_role_actor(const kiosk_app *app)
{
    if (role.who.role != STAFF_ROLE_NONE)
        return role.actor;
    return app_in_session(app) ? "citizen" : "terminal";
}

const char *app_role_name(const kiosk_app *app)
{
    (void)app;
    return role.who.name;
}

static uint64_t idle_limit_ms(const kiosk_app *app)
{
    return (uint64_t)app_board(app)->staff.idle_timeout_s * 1000ULL;
}

static uint64_t warning_ms(void)
{
    return APP_WARNING_SECONDS * 1000ULL;
}

void app_role_begin(kiosk_app *app, const credential_info *info)
{
    if (!info || info->role == STAFF_ROLE_NONE || !info->id[0])
        return;
    if (app_in_session(app)) {
        /* Never in a citizen's session: their data is not staff's to see. */
        LOG_WARN("staff", "%s not signed in: a citizen's session is under way", info->id);
        return;
    }
    if (role.who.role != STAFF_ROLE_NONE)
        app_role_end(app, "replaced");
    role.who = *info;
    snprintf(role.actor, sizeof role.actor, "%s:%s", staff_role_name(info->role), info->id);
    role.last_input_ms = app_now_ms(app);
    LOG_INFO("staff", "%s signed in", role.actor);
    app_audit(app, "staff.sign_in", info->id, staff_role_name(info->role));
    app_screen home =
        info->role == STAFF_ROLE_TECHNICIAN ? APP_SCREEN_TECHNICIAN : APP_SCREEN_STAFF;
    if (app_go(app, home) != KIOSK_OK)
        app_role_end(app, "cannot show the home screen");
}

void app_role_end(kiosk_app *app, const char *why)
{
    if (role.who.role == STAFF_ROLE_NONE)
        return;
    app_audit(app, "staff.sign_out", role.who.id, why ? why : "");
    LOG_INFO("staff", "%s signed out (%s)", role.actor, why ? why : "");
    /* Nothing of the role is left: who it was, and whatever its screens
     * kept. */
    explicit_bzero(&role, sizeof role);
    app_controllers_forget(app);
    app_session_rest(app);
}

void app_role_stop(kiosk_app *app)
{
    if (role.who.role != STAFF_ROLE_NONE)
        LOG_INFO("staff", "%s signed out: the app stops", role.actor);
    explicit_bzero(&role, sizeof role);
    app_signin_stop(app);
}

void app_role_touch(kiosk_app *app)
{
    if (role.who.role != STAFF_ROLE_NONE)
        role.last_input_ms = app_now_ms(app);
}

bool app_role_busy(const kiosk_app *app)
{
    app_screen shown = app_current_screen(app);
    return role.who.role != STAFF_ROLE_NONE || shown == APP_SCREEN_STAFF_PIN ||
           shown == APP_SCREEN_STAFF_IDLE;
}

static int seconds_left(const kiosk_app *app)
{
    uint64_t now = app_now_ms(app);
    if (now >= role.warning_deadline_ms)
        return 0;
    return (int)((role.warning_deadline_ms - now + 999) / 1000);
}

/* The PIN screen left alone ends like a role: back to the attract screen. */
static uint64_t last_input_or_shown(const kiosk_app *app)
{
    uint64_t shown = app_shown_at_ms(app);
    return role.who.role != STAFF_ROLE_NONE && role.last_input_ms > shown ? role.last_input_ms
                                                                          : shown;
}

void app_role_tick(kiosk_app *app)
{
    if (app_current_screen(app) == APP_SCREEN_STAFF_IDLE) {
        int left = seconds_left(app);
        if (left <= 0) {
            app_role_end(app, "timed-out");
            return;
        }
        if (left != role.warning_seconds_shown) {
            role.warning_seconds_shown = left;
            char text[32];
            ui_frame_model frame = app_frame_model(app, "");
            ui_timeout_countdown_text(&frame, left, text, sizeof text);
            ui_widget *countdown = ui_live_countdown(app_root(app), UI_ID_COUNTDOWN, left, text);
            if (countdown)
                app_mark_dirty(app, countdown->bounds);
        }
        return;
    }
    uint64_t idle = app_now_ms(app) - last_input_or_shown(app);
    if (idle < idle_limit_ms(app))
        return;
    if (role.who.role == STAFF_ROLE_NONE) {
        /* A PIN screen nobody finishes. */
        LOG_INFO("staff", "sign-in left unfinished");
        app_session_rest(app);
        return;
    }
    role.resume = app_current_screen(app);
    role.warning_deadline_ms = app_now_ms(app) + warning_ms();
    role.warning_seconds_shown = seconds_left(app);
    LOG_INFO("staff", "%s idle on %s: warning for %d s", role.actor, app_screen_name(app),
             role.warning_seconds_shown);
    if (app_go(app, APP_SCREEN_STAFF_IDLE) != KIOSK_OK)
        app_role_end(app, "timed-out");
}

long long app_role_next_ms(const kiosk_app *app)
{
    long long now = (long long)app_now_ms(app);
    if (app_current_screen(app) == APP_SCREEN_STAFF_IDLE) {
        long long left = (long long)role.warning_deadline_ms - now;
        long long next = left % 1000;
        return left <= 0 ? 0 : next == 0 ? 1000 : next;
    }
    long long due = (long long)last_input_or_shown(app) + (long long)idle_limit_ms(app) - now;
    return due < 0 ? 0 : due;
}

void app_audit(kiosk_app *app, const char *action, const char *subject, const char *detail)
{
    struct kiosk_platform *platform = app_platform_core(app);
    LOG_INFO("audit", "%s %s %s %s", app_role_actor(app), action, subject ? subject : "",
             detail ? detail : "");
    if (!platform || platform_audit(platform, app_role_actor(app), action, subject ? subject : "",
                                    detail ? detail : "") != KIOSK_OK)
        LOG_WARN("audit", "not kept: %s by %s", action, app_role_actor(app));
}

/* The warning a role left alone gets: the citizen's, with its own ends. */
static kiosk_error build_idle(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    return ui_timeout_build(frame, seconds_left(app), (int)(warning_ms() / 1000), out);
}

static app_screen idle_action(kiosk_app *app, ui_action action, int arg)
{
    (void)arg;
    if (action == UI_ACTION_CONTINUE) {
        role.last_input_ms = app_now_ms(app);
        LOG_INFO("staff", "%s continued", role.actor);
        return role.resume;
    }
    if (action == UI_ACTION_END_SESSION || action == UI_ACTION_SIGN_OUT) {
        app_role_end(app, "signed-out");
        return APP_SCREEN_STAY;
    }
    return APP_SCREEN_UNHANDLED;
}

static void no_news(kiosk_app *app, app_news news)
{
    (void)app, (void)news;
}

const app_controller app_staff_idle_controller = {.name = "staff_idle",
                                                  .build = build_idle,
                                                  .on_action = idle_action,
                                                  .on_event = no_news,
                                                  .ignores_cards = true};
