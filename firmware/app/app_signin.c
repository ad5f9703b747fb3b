/* Staff and technicians signing in: who laid the card (or showed the code),
 * the PIN screen, and each credential's lock-out. See app_signin.h and
 * docs/staff.md. */
#include "firmware/app/app_signin.h"

#include "firmware/app/app_platform.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_session.h"
#include "firmware/app/navigation.h"
#include "firmware/base/file.h"
#include "firmware/base/local_time.h"
#include "firmware/base/log.h"
#include "firmware/platform/staff_ops.h"
#include "firmware/services/credentials.h"

#include "ui/widget_ids.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CREDENTIALS_FILE_MAX (1024 * 1024)
/* Credentials whose lock-out is kept in memory while the store is not
 * open (the oldest is forgotten beyond this). */
#define LOCKS_IN_MEMORY 16

typedef enum signin_said {
    SAID_PROMPT = 0,
    SAID_WRONG,
    SAID_LOCKED,
    SAID_UNAVAILABLE,
} signin_said;

static struct {
    const char *source;
    /* Who is signing in (the PIN screen is theirs), and the PIN so far. */
    credential_info who;
    bool pending;
    char pin[CREDENTIAL_PIN_MAX + 1];
    signin_said said;
    int tries_left;
    int64_t locked_until_s;
    /* Lock-outs while the store cannot keep them (lost at a restart). */
    struct {
        char id[CREDENTIAL_ID_MAX];
        credential_lock lock;
    } memory[LOCKS_IN_MEMORY];
    size_t memory_next;
} signin = {.source = "none"};

const char *app_signin_source(const kiosk_app *app)
{
    (void)app;
    return signin.source;
}

/* The credentials as they are now: the platform's last delivery, else (a
 * simulated board only: board.c refuses it elsewhere) the development
 * file. Read afresh at each sign-in, so a delivery counts at once. NULL:
 * nobody can sign in. */
static credentials *load_credentials(kiosk_app *app)
{
    char *body = NULL;
    size_t length = 0;
    kiosk_diag diag = {{0}};
    struct kiosk_platform *platform = app_platform_core(app);
    kiosk_error found =
        platform ? platform_cached_credentials(platform, &body, &length) : KIOSK_ERR_NOT_FOUND;
    signin.source = "platform";
    if (found != KIOSK_OK) {
        free(body);
        body = NULL;
        const char *path = app_board(app)->staff.credentials_file;
        if (!path[0]) {
            signin.source = "none";
            return NULL;
        }
        signin.source = "file";
        kiosk_error read = file_read_all(path, CREDENTIALS_FILE_MAX, &body, &length, &diag);
        if (read != KIOSK_OK) {
            /* Said once: every card laid would say it again. A development
             * board copied elsewhere without its sample file is no fault. */
            static bool said;
            if (!said && read == KIOSK_ERR_NOT_FOUND)
                LOG_INFO("staff", "no staff can sign in: %s", diag.message);
            else if (!said)
                LOG_WARN("staff", "no staff can sign in: %s", diag.message);
            said = true;
            signin.source = "none";
            return NULL;
        }
    }
    credentials *set = NULL;
    kiosk_error parsed = credentials_parse(body, length, &set, &diag);
    explicit_bzero(body, length);
    free(body);
    if (parsed != KIOSK_OK) {
        LOG_WARN("staff", "the %s's staff credentials are refused: %s", signin.source,
                 diag.message);
        signin.source = "none";
        return NULL;
    }
    return set;
}

static void forget_pin(void)
{
    explicit_bzero(signin.pin, sizeof signin.pin);
}

/* Wipes who was signing in and what they typed. */
static void forget(kiosk_app *app)
{
    (void)app;
    forget_pin();
    explicit_bzero(&signin.who, sizeof signin.who);
    signin.pending = false;
    signin.said = SAID_PROMPT;
}

void app_signin_stop(kiosk_app *app)
{
    forget(app);
    explicit_bzero(signin.memory, sizeof signin.memory);
    signin.memory_next = 0;
    signin.source = "none";
}

/* Someone's card or code matched: the PIN screen. */
static credential_lock read_lock(kiosk_app *app, const char *id);

/* Someone's card or code matched: the PIN screen, or at once, when the
 * credential is locked, until when (the attempt audited). */
static bool begin(kiosk_app *app, const credential_info *who, const char *how)
{
    forget(app);
    signin.who = *who;
    signin.pending = true;
    credential_lock lock = read_lock(app, who->id);
    if (lock.locked_until_s > (int64_t)app_wall_time(app)) {
        char detail[64];
        signin.said = SAID_LOCKED;
        signin.locked_until_s = lock.locked_until_s;
        snprintf(detail, sizeof detail, "locked until %lld", (long long)lock.locked_until_s);
        LOG_WARN("staff", "%s presented a %s while locked (%s)", who->id, how, detail);
        app_audit(app, "staff.sign_in_refused_locked", who->id, detail);
    } else
        LOG_INFO("staff", "%s %s presented a %s: PIN asked", staff_role_name(who->role), who->id,
                 how);
    if (app_go(app, APP_SCREEN_STAFF_PIN) != KIOSK_OK) {
        forget(app);
        LOG_ERROR("staff", "cannot show the PIN screen");
    }
    return true;
}

bool app_signin_card(kiosk_app *app, const char *id_number)
{
    credentials *set = load_credentials(app);
    if (!set)
        return false;
    credential_info who;
    uint64_t started = app_now_ms(app);
    kiosk_error found = credentials_find_by_id_number(set, id_number, &who);
    LOG_DEBUG("staff", "a card matched against %zu credentials in %" PRIu64 " ms",
              credentials_count(set), app_now_ms(app) - started);
    credentials_free(set);
    if (found != KIOSK_OK)
        return false;
    return begin(app, &who, "card");
}

bool app_signin_token(kiosk_app *app, const char *token)
{
    credentials *set = load_credentials(app);
    if (!set)
        return false;
    credential_info who;
    kiosk_error found = credentials_find_by_token(set, token, &who);
    credentials_free(set);
    if (found != KIOSK_OK)
        return false;
    return begin(app, &who, "staff QR code");
}

/* The credential's lock-out: from the store ("staff.lock.<id>": failures
 * and until when), else from memory. */
static void lock_key(const char *id, char *out, size_t size)
{
    snprintf(out, size, "staff.lock.%s", id);
}

static credential_lock *memory_lock(const char *id, bool add)
{
    for (size_t i = 0; i < LOCKS_IN_MEMORY; i++) {
        if (strcmp(signin.memory[i].id, id) == 0)
            return &signin.memory[i].lock;
    }
    if (!add)
        return NULL;
    size_t slot = signin.memory_next++ % LOCKS_IN_MEMORY;
    snprintf(signin.memory[slot].id, sizeof signin.memory[slot].id, "%s", id);
    signin.memory[slot].lock = (credential_lock){0};
    return &signin.memory[slot].lock;
}

static credential_lock read_lock(kiosk_app *app, const char *id)
{
    credential_lock lock = {0};
    const credential_lock *kept = memory_lock(id, false);
    if (kept)
        lock = *kept;
    struct kiosk_platform *platform = app_platform_core(app);
    char key[64], *value = NULL;
    lock_key(id, key, sizeof key);
    if (platform && platform_setting_get(platform, key, &value) == KIOSK_OK && value) {
        int failures = 0;
        long long until = 0;
        if (sscanf(value, "%d %lld", &failures, &until) == 2 && failures >= 0 &&
            failures <= CREDENTIAL_PIN_TRIES && until >= 0) {
            /* The stricter of the two, should memory know of more. */
            if (failures > lock.failures)
                lock.failures = failures;
            if (until > lock.locked_until_s)
                lock.locked_until_s = until;
        } else
            LOG_WARN("staff", "%s: not a lock-out, ignored", key);
    }
    free(value);
    return lock;
}

static void write_lock(kiosk_app *app, const char *id, const credential_lock *lock)
{
    *memory_lock(id, true) = *lock;
    struct kiosk_platform *platform = app_platform_core(app);
    char key[64], value[48];
    lock_key(id, key, sizeof key);
    snprintf(value, sizeof value, "%d %lld", lock->failures, (long long)lock->locked_until_s);
    static bool said; /* once: it holds for every credential */
    if ((!platform || platform_setting_set(platform, key, value) != KIOSK_OK) && !said) {
        said = true;
        LOG_WARN("staff",
                 "lock-outs are kept in memory only (the store cannot keep them, first "
                 "%s's): a restart forgets them",
                 id);
    }
}

/* The PIN typed is checked; what the screen says next. */
static app_screen try_pin(kiosk_app *app)
{
    credentials *set = load_credentials(app);
    credential_info who = signin.who;
    if (!set || credentials_get(set, who.id, &who) != KIOSK_OK) {
        /* Withdrawn since the card was laid, or nothing to check against. */
        credentials_free(set);
        forget_pin();
        signin.said = SAID_UNAVAILABLE;
        app_audit(app, "staff.sign_in_refused", signin.who.id, "no such credential now");
        return APP_SCREEN_STAFF_PIN;
    }
    int64_t now = (int64_t)app_wall_time(app);
    credential_lock lock = read_lock(app, who.id);
    bool was_locked = lock.locked_until_s > now;
    credential_verdict verdict = credentials_check_pin(
        set, who.id, signin.pin, &lock, now, (int64_t)app_board(app)->staff.lockout_minutes * 60);
    credentials_free(set);
    forget_pin();
    write_lock(app, who.id, &lock);
    char detail[64];
    switch (verdict) {
    case CREDENTIAL_ACCEPTED:
        LOG_INFO("staff", "%s signed in", who.id);
        forget(app);
        app_role_begin(app, &who);
        return APP_SCREEN_STAY;
    case CREDENTIAL_WRONG_PIN:
        signin.said = SAID_WRONG;
        signin.tries_left = CREDENTIAL_PIN_TRIES - lock.failures;
        snprintf(detail, sizeof detail, "%d tries left", signin.tries_left);
        LOG_INFO("staff", "%s: wrong PIN, %s", who.id, detail);
        app_audit(app, "staff.pin_wrong", who.id, detail);
        return APP_SCREEN_STAFF_PIN;
    case CREDENTIAL_LOCKED:
        signin.said = SAID_LOCKED;
        signin.locked_until_s = lock.locked_until_s;
        snprintf(detail, sizeof detail, "locked until %lld", (long long)lock.locked_until_s);
        LOG_WARN("staff", "%s: %s (%s)", who.id, was_locked ? "refused while locked" : "locked",
                 detail);
        app_audit(app, was_locked ? "staff.pin_refused_locked" : "staff.locked", who.id, detail);
        return APP_SCREEN_STAFF_PIN;
    }
    return APP_SCREEN_STAFF_PIN;
}

static kiosk_error build_pin(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    char title[160], message[320], number[16], until[64], least[8], most[8];
    const char *name_key[] = {"name"};
    const char *name_value[] = {signin.who.name};
    ui_strings_fill(ui_frame_text(frame, "staff.pin.title"), name_key, name_value, 1, title,
                    sizeof title);
    ui_staff_pin_model model = {.title = title,
                                .short_title = signin.who.name,
                                .digits = (int)strlen(signin.pin),
                                .message = message};
    if (signin.said == SAID_WRONG) {
        snprintf(number, sizeof number, "%d", signin.tries_left);
        const char *names[] = {"tries"};
        const char *values[] = {number};
        ui_strings_fill(ui_frame_text(frame, "staff.pin.wrong"), names, values, 1, message,
                        sizeof message);
        model.problem = true;
    } else if (signin.said == SAID_LOCKED) {
        if (local_time_format(&app_board(app)->zone, app_language(app), LOCAL_TIME_DATE_TIME,
                              signin.locked_until_s, until, sizeof until) != KIOSK_OK)
            snprintf(until, sizeof until, "?");
        const char *names[] = {"until"};
        const char *values[] = {until};
        ui_strings_fill(ui_frame_text(frame, "staff.pin.locked"), names, values, 1, message,
                        sizeof message);
        model.problem = model.locked = true;
    } else if (signin.said == SAID_UNAVAILABLE) {
        snprintf(message, sizeof message, "%s", ui_frame_text(frame, "staff.pin.unavailable"));
        model.problem = model.locked = true;
    } else {
        snprintf(least, sizeof least, "%d", CREDENTIAL_PIN_MIN);
        snprintf(most, sizeof most, "%d", CREDENTIAL_PIN_MAX);
        const char *names[] = {"min", "max"};
        const char *values[] = {least, most};
        ui_strings_fill(ui_frame_text(frame, "staff.pin.prompt"), names, values, 2, message,
                        sizeof message);
    }
    return ui_staff_pin_build(frame, &model, out);
}

static app_screen pin_action(kiosk_app *app, ui_action action, int arg)
{
    size_t length = strlen(signin.pin);
    switch (action) {
    case UI_ACTION_KEY:
        if (signin.said == SAID_LOCKED || signin.said == SAID_UNAVAILABLE)
            return APP_SCREEN_STAY;
        if (signin.said == SAID_WRONG)
            signin.said = SAID_PROMPT; /* a new try: the last one's words go */
        if (arg == UI_KEY_CLEAR)
            forget_pin();
        else if (arg == UI_KEY_DELETE && length > 0)
            signin.pin[length - 1] = '\0';
        else if (arg >= '0' && arg <= '9' && length < CREDENTIAL_PIN_MAX)
            signin.pin[length] = (char)arg;
        return APP_SCREEN_STAFF_PIN;
    case UI_ACTION_NEXT:
        if (signin.said == SAID_LOCKED || signin.said == SAID_UNAVAILABLE)
            return APP_SCREEN_STAY;
        if (length < CREDENTIAL_PIN_MIN)
            return APP_SCREEN_STAY; /* the prompt says how many digits */
        return try_pin(app);
    case UI_ACTION_CANCEL:
    case UI_ACTION_BACK:
    case UI_ACTION_HOME:
        LOG_INFO("staff", "%s: sign-in cancelled", signin.who.id);
        forget(app);
        app_session_rest(app);
        return APP_SCREEN_STAY;
    default:
        return APP_SCREEN_UNHANDLED;
    }
}

/* Leaving the PIN screen by any way wipes what was typed and who. */
static void leave_pin(kiosk_app *app)
{
    forget(app);
}

static void no_news(kiosk_app *app, app_news news)
{
    (void)app, (void)news;
}

const app_controller app_staff_pin_controller = {.name = "staff_pin",
                                                 .build = build_pin,
                                                 .on_action = pin_action,
                                                 .on_event = no_news,
                                                 .leave = leave_pin,
                                                 .forget = forget,
                                                 .ignores_cards = true};
