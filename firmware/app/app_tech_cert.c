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
#include "ui/scroll_view.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

enum cert_item { CERT_SEND = 1 };

#define CODE_MAX 32
#define KEYS     "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

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

/* A key, UI_ACTION_KEY with arg. */
static bool key(ui_screen *screen, const char *id, const char *label, SDL_Rect box, int arg,
                bool enabled)
{
    ui_widget *button = ui_screen_button(screen, id, label, box, UI_ACTION_KEY, arg,
                                         UI_TONE_SECONDARY, APP_TECH_TEXT_DP);
    if (button && !enabled)
        button->flags &= ~UI_FLAG_TAPPABLE;
    return button != NULL;
}

/* The digits and capitals, as many abreast as leave each key room for its
 * widest letter and a finger (12 on a wide panel, 9, 6 or 4 on a narrow
 * one in large text), each a line of words high (never under a finger's
 * target); then 删除 and 清除, half the row each, so their words are never
 * cut. */
static bool keypad(ui_screen *screen, bool enabled)
{
    static const char keys[] = KEYS;
    const ui_frame_model *frame = screen->frame;
    int count = (int)sizeof keys - 1;
    /* A line of the key's words and a little, never under a finger. */
    int gap = screen->gap / 3;
    int key_h = ui_frame_line_px(frame, APP_TECH_TEXT_DP) + gap;
    key_h = key_h > ui_screen_target_h(screen) ? key_h : ui_screen_target_h(screen);
    /* The widest letter and the button's padding (ui/widget_classes.c). */
    int letter = ui_frame_estimate_width(
        "W", ui_theme_text_px(frame->theme, &frame->metrics, APP_TECH_TEXT_DP));
    int least = letter + 2 * ui_dp(&frame->metrics, 12) + ui_dp(&frame->metrics, 8);
    least = least > ui_screen_target_h(screen) ? least : ui_screen_target_h(screen);
    static const int choices[] = {12, 9, 6, 4};
    int columns = 4;
    for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++)
        if (ui_column(screen->area, choices[i], gap, 0).w >= least) {
            columns = choices[i];
            break;
        }
    bool ok = true;
    for (int i = 0; ok && i < count; i++) {
        if (i % columns == 0) {
            screen->y += i ? gap : 0;
            ui_screen_take(screen, key_h);
        }
        SDL_Rect line = {screen->area.x, screen->y - key_h, screen->area.w, key_h};
        char id[40], text[8];
        snprintf(text, sizeof text, "%c", keys[i]);
        snprintf(id, sizeof id, "tech.cert.key.%c", keys[i]);
        ok = key(screen, id, text, ui_column(line, columns, gap, i % columns), keys[i], enabled);
    }
    screen->y += gap;
    SDL_Rect line = ui_screen_take(screen, key_h);
    return ok &&
           key(screen, "tech.cert.key.delete", ui_frame_text(frame, "keypad.delete"),
               ui_column(line, 2, gap, 0), UI_KEY_DELETE, enabled) &&
           key(screen, "tech.cert.key.clear", ui_frame_text(frame, "keypad.clear"),
               ui_column_rest(line, 2, gap), UI_KEY_CLEAR, enabled);
}

/* The code as typed (or that none is), in a box of its own, and 提交 beside
 * it: next on the page, or over the foot (at_foot). */
static void code_row(app_tech_page *page, const ui_frame_model *frame, bool running, bool at_foot)
{
    if (!page->ok)
        return;
    ui_screen *screen = &page->screen;
    int button_h = ui_screen_large_button_h(screen, APP_TECH_BUTTON_DP);
    /* 提交 a third of the row, or as wide as its word needs (up to half):
     * the code has the rest. */
    const char *send_text = ui_frame_text(frame, "tech.cert.send");
    int send_w = ui_frame_estimate_width(send_text, ui_theme_text_px(frame->theme, &frame->metrics,
                                                                     APP_TECH_BUTTON_DP)) +
                 2 * ui_dp(&frame->metrics, 12) + ui_dp(&frame->metrics, 16);
    int third = (screen->area.w - 2 * screen->gap) / 3, half = (screen->area.w - screen->gap) / 2;
    send_w = send_w < third ? third : send_w > half ? half : send_w;
    SDL_Rect field = {screen->area.x, 0, screen->area.w - screen->gap - send_w, 0};
    int text_w = field.w - screen->gap; /* a half gap inside the box each side */
    bool empty = !code.typed[0];
    const char *text = empty ? ui_frame_text(frame, "tech.cert.code_empty") : code.typed;
    /* Large while the code fits on a line, smaller and wrapped after. */
    float dp = !empty && ui_frame_lines_for(frame, text, APP_TECH_TITLE_DP, text_w, 2) == 1
                   ? APP_TECH_TITLE_DP
                   : APP_TECH_TEXT_DP;
    int text_h = ui_lines_h(frame, text, dp, text_w, 4);
    /* As high when typed as when empty, so that nothing moves at the first
     * key. */
    int row_h = ui_lines_h(frame, ui_frame_text(frame, "tech.cert.code_empty"), APP_TECH_TEXT_DP,
                           text_w, 4);
    row_h = text_h > row_h ? text_h : row_h;
    row_h += screen->gap;
    row_h = row_h > button_h ? row_h : button_h;
    SDL_Rect row = at_foot ? ui_screen_foot(screen, row_h) : ui_screen_take(screen, row_h);
    field.y = row.y;
    field.h = row.h;
    SDL_Rect inside = {field.x + screen->gap / 2, field.y + (field.h - text_h) / 2, text_w, text_h};
    ui_widget *send = NULL;
    SDL_Rect send_box = {row.x + row.w - send_w, row.y, send_w, row.h};
    page->ok =
        ui_card_create(screen->root, "tech.cert.field", field, UI_TONE_PLAIN) &&
        ui_wrapped_text_create(screen->root, empty ? &ui_note_class : &ui_heading_class,
                               "tech.cert.code", text, inside, dp, UI_TONE_PLAIN) &&
        (send = ui_screen_button(screen, "tech.cert.send", send_text, send_box, UI_ACTION_STAFF,
                                 CERT_SEND, UI_TONE_PRIMARY, APP_TECH_BUTTON_DP)) != NULL;
    if (send && (running || !enrol_code_valid(code.typed)))
        send->flags &= ~UI_FLAG_TAPPABLE;
}

/* How the page is laid out: what fits, tried in this order. */
typedef enum cert_layout {
    /* A wide panel: the certificate, the outcome, the prompt and the code
     * on the left, the keypad beside them. */
    LAYOUT_BESIDE,
    /* The certificate, the outcome, the prompt, the code and 提交, the
     * keypad, down the page. */
    LAYOUT_DOWN,
    /* The same, but the outcome and the code fixed over the foot, so that
     * whatever the keypad scrolls to (large text on a small panel), what
     * was typed and what became of it show. */
    LAYOUT_FIXED,
} cert_layout;

static kiosk_error build_page(kiosk_app *app, const ui_frame_model *frame, cert_layout layout,
                              ui_widget **out)
{
    bool running = app_cert_enrolling(app);
    char said[300];
    ui_tone tone;
    const char *outcome = outcome_line(app, frame, said, sizeof said, &tone);
    app_tech_page page;
    app_tech_page_begin(&page, frame, "tech.cert.title", ui_frame_text(frame, "tech.cert.title"),
                        true);
    if (layout == LAYOUT_FIXED) {
        code_row(&page, frame, running, true);
        if (outcome)
            app_tech_page_foot_text(&page, "tech.cert.outcome", outcome, APP_TECH_TEXT_DP, tone);
    }
    app_tech_page_scroll(&page);
    ui_screen *screen = &page.screen;
    int gap = screen->gap, top = screen->y;
    SDL_Rect whole = screen->area;
    if (layout == LAYOUT_BESIDE)
        screen->area = ui_column(whole, 2, gap, 0);
    char lines[3][300];
    certificate_lines(app, frame, lines);
    static const char *const ids[] = {"tech.cert.status", "tech.cert.serial", "tech.cert.issuer"};
    for (int i = 0; i < 3; i++)
        if (lines[i][0])
            app_tech_page_text(&page, &ui_label_class, ids[i], lines[i], APP_TECH_TEXT_DP,
                               UI_TONE_PLAIN);
    if (layout != LAYOUT_FIXED && outcome) {
        screen->y += gap / 2;
        app_tech_page_text(&page, &ui_label_class, "tech.cert.outcome", outcome, APP_TECH_TEXT_DP,
                           tone);
    }
    screen->y += gap;
    app_tech_page_text(&page, &ui_heading_class, "tech.cert.renew",
                       ui_frame_text(frame, "tech.cert.renew"), APP_TECH_TEXT_DP, UI_TONE_PLAIN);
    app_tech_page_text(&page, &ui_note_class, "tech.cert.code_prompt",
                       ui_frame_text(frame, "tech.cert.code_prompt"), 24, UI_TONE_PLAIN);
    screen->y += gap / 2;
    if (layout != LAYOUT_FIXED) {
        code_row(&page, frame, running, false);
        screen->y += gap / 2;
    }
    if (layout == LAYOUT_BESIDE) {
        screen->area = ui_column_rest(whole, 2, gap);
        screen->y = top;
    }
    page.ok = page.ok && keypad(screen, !running);
    screen->area = whole;
    /* A key typed builds the page again: it stays where it was scrolled. */
    return app_tech_page_end(&page, app_root(app), out);
}

static kiosk_error build_cert(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    bool wide = frame->metrics.width_px > frame->metrics.height_px;
    kiosk_error built = KIOSK_OK;
    for (cert_layout layout = wide ? LAYOUT_BESIDE : LAYOUT_DOWN; layout <= LAYOUT_FIXED;
         layout++) {
        built = build_page(app, frame, layout, out);
        ui_widget *view = built == KIOSK_OK ? ui_widget_find(*out, APP_TECH_CONTENT) : NULL;
        if (!view || ui_scroll_view_max_offset(view) == 0 || layout == LAYOUT_FIXED)
            break;
        ui_widget_destroy(*out);
        *out = NULL;
    }
    return built;
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
