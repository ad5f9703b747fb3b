/* The technician's certificate screen (APP_SCREEN_TECH_CERT): the
 * terminal's client certificate (expiry and days left, serial, issuer), and
 * 更新证书: the one-time enrolment code the platform issued, typed on a
 * keypad of digits and capital letters, then 提交. The enrolment runs on a
 * worker (app_cert.c); while it runs the keypad and 提交 take no touches,
 * and its outcome shows in the technician's words. The code typed is wiped
 * once sent, when the screen is left, and at the session's end. */
#include "firmware/app/app_role.h"
#include "firmware/app/app_tech.h"
#include "firmware/app/app_technician.h"
#include "firmware/app/navigation.h"

#include "firmware/base/log.h"
#include "firmware/platform/enrol.h"
#include "ui/input_widgets.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

enum cert_item { CERT_SEND = 1 };

#define CODE_MAX    32
#define KEYS        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define KEY_COLUMNS 8

static struct {
    char typed[CODE_MAX + 1];
} code;

static void forget(void)
{
    explicit_bzero(code.typed, sizeof code.typed);
}

static void cert_done(bool enrolled, const char *explanation, void *context)
{
    (void)context;
    LOG_INFO("cert", "the technician's enrolment: %s%s%s", enrolled ? "enrolled" : "not enrolled",
             explanation[0] ? ": " : "", explanation);
}

/* The certificate's lines: status, serial, issuer. */
static void certificate_lines(kiosk_app *app, const ui_frame_model *frame, char lines[3][300])
{
    lines[1][0] = lines[2][0] = '\0';
    app_cert_status status;
    if (app_cert_status_get(app, &status) != KIOSK_OK || !status.present) {
        snprintf(lines[0], 300, "%s", ui_frame_text(frame, "tech.cert.none"));
        return;
    }
    char date[16], days[16];
    struct tm utc;
    time_t at = (time_t)status.not_after_s;
    gmtime_r(&at, &utc);
    strftime(date, sizeof date, "%Y-%m-%d", &utc);
    snprintf(days, sizeof days, "%d", status.days_left);
    const char *names[] = {"date", "days"};
    const char *values[] = {date, days};
    ui_strings_fill(ui_frame_text(frame, status.days_left < 0 ? "tech.cert.expired"
                                         : status.renew_soon  ? "tech.cert.renew_soon"
                                                              : "tech.cert.valid"),
                    names, values, 2, lines[0], 300);
    const char *serial_name[] = {"serial"}, *serial_value[] = {status.serial};
    ui_strings_fill(ui_frame_text(frame, "tech.cert.serial"), serial_name, serial_value, 1,
                    lines[1], 300);
    const char *issuer_name[] = {"issuer"}, *issuer_value[] = {status.issuer};
    ui_strings_fill(ui_frame_text(frame, "tech.cert.issuer"), issuer_name, issuer_value, 1,
                    lines[2], 300);
}

/* How the last enrolment went, or that one runs; its tone. */
static const char *outcome_line(kiosk_app *app, const ui_frame_model *frame, char *out, size_t size,
                                ui_tone *tone)
{
    *tone = UI_TONE_PLAIN;
    const char *name = NULL, *message = NULL;
    if (app_cert_enrolling(app))
        return ui_frame_text(frame, "tech.cert.enrolling");
    if (!app_cert_last_outcome(app, &name, &message))
        return NULL;
    char key[64];
    snprintf(key, sizeof key, "tech.cert.outcome.%s", name);
    *tone = strcmp(name, "installed") == 0 ? UI_TONE_PLAIN : UI_TONE_ALERT;
    snprintf(out, size, "%s", ui_frame_text(frame, key));
    return out;
}

static bool keypad(ui_screen *screen, bool enabled)
{
    static const char keys[] = KEYS;
    int count = (int)sizeof keys - 1 + 2; /* and delete, clear */
    int rows = (count + KEY_COLUMNS - 1) / KEY_COLUMNS;
    int key_h = ui_screen_large_button_h(screen, APP_TECH_TEXT_DP);
    bool ok = true;
    for (int row = 0; ok && row < rows; row++) {
        SDL_Rect line = ui_screen_take(screen, key_h);
        screen->y += screen->gap / 3;
        for (int column = 0; ok && column < KEY_COLUMNS; column++) {
            int i = row * KEY_COLUMNS + column;
            if (i >= count)
                break;
            char id[40], text[8];
            int arg;
            const char *label = text;
            if (i < (int)sizeof keys - 1) {
                snprintf(text, sizeof text, "%c", keys[i]);
                snprintf(id, sizeof id, "tech.cert.key.%c", keys[i]);
                arg = keys[i];
            } else if (i == (int)sizeof keys - 1) {
                snprintf(id, sizeof id, "tech.cert.key.delete");
                label = ui_frame_text(screen->frame, "keypad.delete");
                arg = UI_KEY_DELETE;
            } else {
                snprintf(id, sizeof id, "tech.cert.key.clear");
                label = ui_frame_text(screen->frame, "keypad.clear");
                arg = UI_KEY_CLEAR;
            }
            ui_widget *key = ui_screen_button(
                screen, id, label, ui_column(line, KEY_COLUMNS, screen->gap / 3, column),
                UI_ACTION_KEY, arg, UI_TONE_SECONDARY, APP_TECH_TEXT_DP);
            ok = key != NULL;
            if (ok && !enabled)
                key->flags &= ~UI_FLAG_TAPPABLE;
        }
    }
    return ok;
}

static kiosk_error build_cert(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, APP_TECH_MARGIN_DP, APP_TECH_GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    bool running = app_cert_enrolling(app);
    bool ok = ui_screen_title(&screen, "tech.cert.title", ui_frame_text(frame, "tech.cert.title"),
                              APP_TECH_TITLE_DP) &&
              app_tech_foot(&screen, true);
    int button_h = ui_screen_large_button_h(&screen, APP_TECH_BUTTON_DP);
    ui_widget *send =
        ok ? ui_screen_button(&screen, "tech.cert.send", ui_frame_text(frame, "tech.cert.send"),
                              ui_screen_foot(&screen, button_h), UI_ACTION_STAFF, CERT_SEND,
                              UI_TONE_PRIMARY, APP_TECH_BUTTON_DP)
           : NULL;
    ok = send != NULL;
    if (ok && (running || !enrol_code_valid(code.typed)))
        send->flags &= ~UI_FLAG_TAPPABLE;
    char lines[3][300];
    certificate_lines(app, frame, lines);
    static const char *const ids[] = {"tech.cert.status", "tech.cert.serial", "tech.cert.issuer"};
    int line_h = ui_frame_line_px(frame, APP_TECH_TEXT_DP);
    for (int i = 0; ok && i < 3; i++)
        if (lines[i][0])
            ok = ui_wrapped_text_create(screen.root, &ui_label_class, ids[i], lines[i],
                                        ui_screen_take(&screen, i == 2 ? 2 * line_h : line_h),
                                        APP_TECH_TEXT_DP, UI_TONE_PLAIN) != NULL;
    char said[300];
    ui_tone tone;
    const char *outcome = outcome_line(app, frame, said, sizeof said, &tone);
    if (ok && outcome)
        ok = ui_wrapped_text_create(screen.root, &ui_label_class, "tech.cert.outcome", outcome,
                                    ui_screen_take(&screen, 2 * line_h), APP_TECH_TEXT_DP,
                                    tone) != NULL;
    screen.y += screen.gap / 2;
    if (ok)
        ok = ui_wrapped_text_create(screen.root, &ui_heading_class, "tech.cert.renew",
                                    ui_frame_text(frame, "tech.cert.renew"),
                                    ui_screen_take(&screen, line_h), APP_TECH_TEXT_DP,
                                    UI_TONE_PLAIN) != NULL;
    if (ok)
        ok = ui_wrapped_text_create(screen.root, &ui_note_class, "tech.cert.code_prompt",
                                    ui_frame_text(frame, "tech.cert.code_prompt"),
                                    ui_screen_take(&screen, line_h), 24, UI_TONE_PLAIN) != NULL;
    bool empty = !code.typed[0];
    if (ok)
        ok = ui_wrapped_text_create(
                 screen.root, empty ? &ui_note_class : &ui_heading_class, "tech.cert.code",
                 empty ? ui_frame_text(frame, "tech.cert.code_empty") : code.typed,
                 ui_screen_take(&screen, 3 * line_h / 2), APP_TECH_TITLE_DP, UI_TONE_PLAIN) != NULL;
    screen.y += screen.gap / 2;
    ok = ok && keypad(&screen, !running);
    return ui_screen_end(&screen, ok, out);
}

static void type(int key)
{
    size_t length = strlen(code.typed);
    if (key == UI_KEY_CLEAR)
        forget();
    else if (key == UI_KEY_DELETE && length > 0)
        code.typed[length - 1] = '\0';
    else if (((key >= '0' && key <= '9') || (key >= 'A' && key <= 'Z')) && length < CODE_MAX)
        code.typed[length] = (char)key;
}

static app_screen on_cert(kiosk_app *app, ui_action action, int arg)
{
    if (action == UI_ACTION_KEY) {
        app_role_touch(app);
        if (!app_cert_enrolling(app))
            type(arg);
        return APP_SCREEN_TECH_CERT;
    }
    if (action != UI_ACTION_STAFF || arg != CERT_SEND)
        return app_tech_common(app, action);
    app_role_touch(app);
    kiosk_error started = app_cert_enrol(app, code.typed, NULL, cert_done, NULL);
    if (started != KIOSK_OK)
        LOG_WARN("cert", "the enrolment did not start: %s", kiosk_error_name(started));
    else
        forget(); /* sent: not kept here */
    return APP_SCREEN_TECH_CERT;
}

static void leave_cert(kiosk_app *app)
{
    (void)app;
    forget();
}

static void forget_cert(kiosk_app *app)
{
    (void)app;
    forget();
}

const app_controller app_tech_cert_controller = {.name = "tech_cert",
                                                 .build = build_cert,
                                                 .leave = leave_cert,
                                                 .on_action = on_cert,
                                                 .forget = forget_cert,
                                                 .ignores_cards = true};
