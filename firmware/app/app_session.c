/* The citizen's session: it starts at the first touch (or a card) and ends
 * when the citizen ends it, or on time-out — sooner for an identified
 * citizen left on home. Before a time-out the citizen is warned, with a visible
 * countdown and a large "continue"; at the end everything they chose, typed or
 * were shown is wiped and the attract screen returns. */
#include "firmware/app/app_session.h"
#include "firmware/app/app_core.h"
#include "firmware/app/app_devices.h"
#include "firmware/app/app_identify.h"
#include "firmware/app/app_input.h"
#include "firmware/app/app_keypad.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_print.h"
#include "firmware/app/app_probe.h"
#include "firmware/app/app_query.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_scan.h"
#include "firmware/app/app_sign.h"
#include "firmware/app/app_speech.h"
#include "firmware/app/app_start.h"
#include "firmware/app/navigation.h"

#include "firmware/base/log.h"
#include "ui/feedback_widgets.h"
#include "ui/qr_view.h"

#include <stdio.h>
#include <string.h>

/* The citizen's record and the session's clock: one app to a process. */
static struct {
    /* The citizen's place and choices; all reset when a session ends. */
    size_t service_index; /* the service chosen (its tile) */
    /* The service under way and all the citizen gave for it (flow.c):
     * wiped when they leave it, and when the session ends. */
    flow flow;
    lang language;
    ui_theme_id theme_id;
    const ui_theme *theme;
    /* What the citizen typed: zeroed when they go home and when the session
     * ends. */
    app_typed typed;
    /* Who the citizen is, from their ID card or an e-ID: kept for the
     * session (a card left on the reader is not read again), wiped when it
     * ends. */
    struct {
        bool known;
        char name[128];
        char id_number[ID_NUMBER_LENGTH + 1];
        char address[FLOW_VALUE_MAX];
        bool by_eid; /* an e-ID code verified by the platform, not the card */
    } identity;
    bool in_session;
    unsigned long sessions;       /* started since boot */
    app_screen resume_screen;     /* where "continue" returns to */
    uint64_t warning_deadline_ms; /* when the warning ends the session */
    int warning_seconds_shown;
    int extensions;                 /* times the citizen said "continue" this session */
    uint64_t take_card_deadline_ms; /* when the take-card screen gives up */
    uint64_t last_input_ms;
    /* The staff member who started this session for the citizen (帮办), or "". */
    char assisted_by[32];
} session;

void app_session_init(kiosk_app *app, lang language, ui_theme_id theme)
{
    explicit_bzero(&session, sizeof session);
    flow_wipe(&session.flow);
    session.language = language;
    app_session_set_theme(app, theme);
    session.last_input_ms = app_now_ms(app);
}

lang app_language(const kiosk_app *app)
{
    (void)app;
    return session.language;
}

void app_session_set_language(kiosk_app *app, lang language)
{
    (void)app;
    session.language = language;
}

const ui_theme *app_theme(const kiosk_app *app)
{
    (void)app;
    return session.theme;
}

ui_theme_id app_theme_id(const kiosk_app *app)
{
    (void)app;
    return session.theme_id;
}

const char *app_theme_name(const kiosk_app *app)
{
    (void)app;
    return session.theme->name;
}

flow *app_session_flow(const kiosk_app *app)
{
    (void)app;
    return &session.flow;
}

size_t app_session_service_index(const kiosk_app *app)
{
    (void)app;
    return session.service_index;
}

void app_session_set_service_index(kiosk_app *app, size_t index)
{
    (void)app;
    session.service_index = index;
}

app_typed *app_session_typed(const kiosk_app *app)
{
    (void)app;
    return &session.typed;
}

bool app_in_session(const kiosk_app *app)
{
    (void)app;
    return session.in_session;
}

int app_session_warning_seconds(const kiosk_app *app)
{
    (void)app;
    return session.warning_seconds_shown;
}

const char *app_typed_memory(const kiosk_app *app, size_t *size)
{
    (void)app;
    *size = sizeof session.typed;
    return (const char *)&session.typed;
}

const char *app_identity_memory(const kiosk_app *app, size_t *size)
{
    (void)app;
    *size = sizeof session.identity;
    return (const char *)&session.identity;
}

bool app_session_identify(kiosk_app *app, const char *name, const char *id_number,
                          const char *address, bool by_eid)
{
    (void)app;
    /* Never two citizens in one session. */
    if (session.identity.known && !id_number_same(session.identity.id_number, id_number))
        return false;
    session.identity.known = true;
    if (by_eid)
        session.identity.by_eid = true;
    snprintf(session.identity.name, sizeof session.identity.name, "%s", name);
    snprintf(session.identity.id_number, sizeof session.identity.id_number, "%.18s", id_number);
    /* One spelling of the check character, as the card has it. */
    size_t length = strlen(session.identity.id_number);
    if (length && session.identity.id_number[length - 1] == 'x')
        session.identity.id_number[length - 1] = 'X';
    snprintf(session.identity.address, sizeof session.identity.address, "%s", address);
    return true;
}

uint64_t app_idle_limit_ms(const kiosk_app *app)
{
    return (uint64_t)((float)app_board(app)->idle_timeout_s * 1000.0f *
                      session.theme->timeout_scale);
}

/* Home with a citizen identified: they have finished or walked away; the
 * shorter limit, and then the end with no warning. */
static bool identified_on_home(const kiosk_app *app)
{
    return app_current_screen(app) == APP_SCREEN_HOME && app_session_identified(app);
}

static uint64_t identified_idle_ms(const kiosk_app *app)
{
    (void)app;
    return (uint64_t)((float)APP_IDENTIFIED_HOME_IDLE_SECONDS * 1000.0f *
                      session.theme->timeout_scale);
}

uint64_t app_warning_ms(const kiosk_app *app)
{
    (void)app;
    return (uint64_t)((float)APP_WARNING_SECONDS * 1000.0f * session.theme->timeout_scale);
}

void app_session_forget_typed(kiosk_app *app)
{
    /* explicit_bzero: a plain memset before reuse may be optimised away. */
    explicit_bzero(&session.typed, sizeof session.typed);
    app_result_forget(app);
    app_scan_forget_typed(app);
}

void app_session_forget_service(kiosk_app *app)
{
    flow_wipe(&session.flow);
    app_query_forget(app);
    app_session_forget_typed(app);
    app_sign_forget(app);
}

bool app_session_identified(const kiosk_app *app)
{
    (void)app;
    return session.identity.known;
}

/* Who the citizen is: the one answer every service, record and screen
 * uses. */
const char *app_session_citizen_id(const kiosk_app *app)
{
    (void)app;
    return session.identity.known ? session.identity.id_number : session.typed.id_number;
}

const char *app_session_citizen_name(const kiosk_app *app)
{
    (void)app;
    return session.identity.known ? session.identity.name : NULL;
}

const char *app_session_citizen_address(const kiosk_app *app)
{
    (void)app;
    return session.identity.known ? session.identity.address : "";
}

void app_session_forget_typed_number(kiosk_app *app)
{
    (void)app;
    explicit_bzero(&session.typed, sizeof session.typed);
}

const char *app_session_identified_by(const kiosk_app *app)
{
    (void)app;
    if (session.identity.known)
        return session.identity.by_eid ? "e-id" : "id-card";
    return session.typed.id_number[0] ? "typed" : "none";
}

void app_session_touched(kiosk_app *app)
{
    session.last_input_ms = app_now_ms(app);
    app_role_touch(app);
}

void app_session_start(kiosk_app *app)
{
    session.in_session = true;
    session.sessions++;
    session.extensions = 0;
    session.last_input_ms = app_now_ms(app);
    LOG_INFO("session", "started (%lu since boot)", session.sessions);
}

void app_session_set_theme(kiosk_app *app, ui_theme_id theme)
{
    session.theme_id = theme;
    session.theme = ui_theme_get(theme);
    app_home_first_page(app);
}

void app_session_end(kiosk_app *app, const char *why)
{
    LOG_INFO("session", "ended: %s, after %d extensions", why, session.extensions);
    session.in_session = false;
    app_keypad_session_ended(app);
    app_input_tree_replaced(app, true);
    app_speech_session_ended(app);
    /* Nothing of this citizen may reach the next: what they gave is wiped,
     * and every texture that showed their text is destroyed (the cache
     * zeroes what it remembered). Their language and theme stay only while
     * their card is asked back. */
    session.service_index = 0;
    session.extensions = 0;
    explicit_bzero(session.assisted_by, sizeof session.assisted_by);
    app_session_forget_service(app);
    explicit_bzero(&session.identity, sizeof session.identity);
    app_card_set_notice(app, NULL);
    app_platform_session_end(app);
    app_controllers_forget(app);
    ui_text_clear(app_text(app));
    ui_qr_view_forget_all();
    /* A card still on the reader is asked back, and is nobody's identity
     * for the next citizen until it has been lifted. */
    bool card_left = app_devices_card_on_reader(app);
    if (card_left) {
        app_devices_card_left(app);
        session.take_card_deadline_ms = app_now_ms(app) + APP_TAKE_CARD_SECONDS * 1000ULL;
        LOG_INFO("session", "the card is still on the reader: asked back");
    }
    if (!card_left) {
        app_session_rest(app);
        return;
    }
    /* Asked in the citizen's language and theme, which go with the card. */
    if (app_go(app, APP_SCREEN_TAKE_CARD) != KIOSK_OK)
        app_session_rest(app);
}

void app_session_rest(kiosk_app *app)
{
    session.language = app_board(app)->default_lang;
    app_session_set_theme(app, UI_THEME_STANDARD);
    if (app_go(app, APP_SCREEN_ATTRACT) != KIOSK_OK)
        LOG_ERROR("session", "cannot show the attract screen");
}

/* Out of a session, off the attract screen (the take-card screen, or help
 * asked for from it): when its time is up, staff are told of a card still
 * left, and the terminal rests. */
static void take_card_tick(kiosk_app *app)
{
    /* Staff or a technician at the terminal: their session times out on
     * its own clock (app_role.c), not as a citizen's visit does. */
    if (app_role_current(app) != STAFF_ROLE_NONE)
        return;
    /* Out of service (暂停服务) stays so: only a restart ends it. */
    if (app_current_screen(app) == APP_SCREEN_ATTRACT ||
        app_current_screen(app) == APP_SCREEN_PAUSED ||
        app_now_ms(app) < session.take_card_deadline_ms)
        return;
    if (app_devices_card_on_reader(app)) {
        LOG_WARN("session", "a card was left on the reader: staff called");
        (void)app_platform_call_staff(app, "card-left", "take-card");
        app_platform_session_end(app); /* the call's key is not the next visit's */
    }
    app_session_rest(app);
}

void app_session_continue(kiosk_app *app)
{
    session.extensions++;
    session.last_input_ms = app_now_ms(app);
    LOG_INFO("session", "continued (%d)", session.extensions);
    if (app_go(app, session.resume_screen) != KIOSK_OK)
        app_session_end(app, "cannot resume");
}

static int seconds_left(const kiosk_app *app)
{
    uint64_t now = app_now_ms(app);
    if (now >= session.warning_deadline_ms)
        return 0;
    return (int)((session.warning_deadline_ms - now + 999) / 1000);
}

static void warn(kiosk_app *app)
{
    session.resume_screen = app_current_screen(app);
    session.warning_deadline_ms = app_now_ms(app) + app_warning_ms(app);
    session.warning_seconds_shown = seconds_left(app);
    LOG_INFO("session", "idle on %s: warning for %d s", app_screen_name(app),
             session.warning_seconds_shown);
    if (app_go(app, APP_SCREEN_TIMEOUT) != KIOSK_OK)
        app_session_end(app, "cannot warn");
}

void app_session_tick(kiosk_app *app)
{
    if (!session.in_session && app_role_busy(app)) {
        app_role_tick(app); /* staff's own time-out */
        return;
    }
    if (!session.in_session) {
        take_card_tick(app);
        return;
    }
    if (app_current_screen(app) == APP_SCREEN_TIMEOUT) {
        int left = seconds_left(app);
        if (left <= 0) {
            app_session_end(app, "time-out");
            return;
        }
        if (left != session.warning_seconds_shown) {
            session.warning_seconds_shown = left;
            char text[32];
            ui_frame_model frame = app_frame_model(app, "");
            ui_timeout_countdown_text(&frame, left, text, sizeof text);
            ui_widget *countdown = ui_live_countdown(app_root(app), UI_ID_COUNTDOWN, left, text);
            if (countdown)
                app_mark_dirty(app, countdown->bounds);
        }
        return;
    }
    uint64_t idle = app_now_ms(app) - session.last_input_ms;
    if (!app_input_finger_down(app) && identified_on_home(app) && idle >= identified_idle_ms(app)) {
        app_session_end(app, "an identified citizen idle on home");
        return;
    }
    if (!app_input_finger_down(app) && idle >= app_idle_limit_ms(app))
        warn(app);
}

long long app_session_next_ms(const kiosk_app *app)
{
    long long now = (long long)app_now_ms(app);
    if (!session.in_session && app_role_busy(app))
        return app_role_next_ms(app);
    if (!session.in_session) {
        if (app_current_screen(app) == APP_SCREEN_ATTRACT ||
            app_current_screen(app) == APP_SCREEN_PAUSED)
            return -1;
        long long left = (long long)session.take_card_deadline_ms - now;
        return left < 0 ? 0 : left;
    }
    if (app_current_screen(app) == APP_SCREEN_TIMEOUT) {
        /* The next whole second of the countdown. */
        long long left = (long long)session.warning_deadline_ms - now;
        long long next = left % 1000;
        return left <= 0 ? 0 : next == 0 ? 1000 : next;
    }
    uint64_t limit = app_idle_limit_ms(app);
    if (identified_on_home(app) && identified_idle_ms(app) < limit)
        limit = identified_idle_ms(app);
    long long due = (long long)session.last_input_ms + (long long)limit - now;
    return due < 0 ? 0 : due;
}

void app_session_set_assisted_by(kiosk_app *app, const char *staff_id)
{
    (void)app;
    snprintf(session.assisted_by, sizeof session.assisted_by, "%s", staff_id ? staff_id : "");
}

const char *app_session_assisted_by(const kiosk_app *app)
{
    (void)app;
    return session.assisted_by;
}
