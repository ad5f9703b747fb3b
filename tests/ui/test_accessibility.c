/* The accessibility audit (tests/support/a11y_audit.h) of every screen, in
 * every theme, language and board layout, built from made-up models: one
 * line per screen and configuration; and the audit's own test, that it sees
 * what it looks for. The sample services' journeys against the platform
 * stand-in are audited screen by screen by e2e/test_kiosk_every_service. */
#include "../support/a11y_audit.h"
#include "../support/test_support.h"

#include "drivers/keypad/keypad.h"
#include "drivers/sim/idcard_sim.h"
#include "drivers/sim/printer_sim.h"
#include "drivers/sim/scanner_sim.h"
#include "firmware/app/app_keypad.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_speech.h"

#include "ui/icons.h"
#include "ui/image.h"
#include "ui/ime_pinyin.h"
#include "ui/scroll_view.h"
#include "ui/test_probes.h"

#include <sys/stat.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void audit_screen(kiosk_app *app, const char *board, const char *label)
{
    failures += !a11y_audit_screen(app, board, label, NULL, 0);
}

static bool printer_is(kiosk_app *app, const void *reason)
{
    return strcmp(app_printer_reason(app), reason) == 0;
}

static void audit_configuration(const char *board, lang language, int theme)
{
    kiosk_app *app = test_app_create_with(test_board_unkept(board), language, false, theme);
    audit_screen(app, board, "attract");
    test_tap(app, "attract.start");
    for (int page = 1; page <= 20; page++) {
        char label[24];
        snprintf(label, sizeof label, "home %d", page);
        audit_screen(app, board, label);
        ui_widget *next = ui_widget_find(app_root(app), "home.next");
        if (!next || (next->flags & UI_FLAG_HIDDEN))
            break;
        test_tap(app, "home.next");
    }
    /* Reading aloud: the footer adds the volume. */
    test_tap(app, "footer.reader");
    audit_screen(app, board, "home, reading aloud");
    test_tap(app, "footer.reader");
    /* The terminal's state said on the tiles: the printer out of paper. */
    printer_sim_set_paper_out(app_sim_printer(app), true);
    assert_true(test_run_until(app, printer_is, "paper-out"));
    app_process_pending(app);
    audit_screen(app, board, "home, no paper");
    printer_sim_set_paper_out(app_sim_printer(app), false);
    assert_true(test_run_until(app, printer_is, "ready"));
    app_process_pending(app);
    test_tap(app, "footer.help");
    audit_screen(app, board, "help");
    test_tap(app, "help.call");
    audit_screen(app, board, "help, called");
    test_tap(app, "help.back");
    /* A service with a form that takes a typed number (the certificates
     * take only the card or an e-ID). */
    test_tap_tile(app, "tile.newborn-bundle");
    test_wait_reader(app, "ready");
    audit_screen(app, board, "card");
    test_tap(app, "step.next");
    audit_screen(app, board, "identify");
    test_type(app, "4403");
    test_tap(app, "step.next");
    audit_screen(app, board, "identify, wrong");
    test_tap(app, "keypad.clear");
    test_type(app, "440304199001011233");
    test_tap(app, "step.next");
    /* The service's form, then what it says when things are missing
     * (the form's own screens are audited in every layout by
     * test_step_screens). */
    audit_screen(app, board, "form");
    test_tap(app, "step.next");
    audit_screen(app, board, "form, problems");
    test_tap(app, "step.cancel");
    test_tap_tile(app, "tile.certificate-print");
    test_tap(app, "step.next");
    test_type(app, "440304199001011233");
    test_tap(app, "step.next");
    audit_screen(app, board, "confirm");
    test_tap(app, "step.next");
    audit_screen(app, board, "error");
    test_show_result(app, UI_RESULT_QUEUED);
    audit_screen(app, board, "result");
    test_print_and_wait(app);
    audit_screen(app, board, "print");
    test_tap(app, "print.done");
    audit_screen(app, board, "rate");
    test_tap(app, "rate.choice.3");
    audit_screen(app, board, "rate, reasons");
    test_tap(app, "footer.help");
    test_monotonic_now_ms += theme == UI_THEME_ELDER ? 120 * 1000 : 60 * 1000;
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "timeout");
    audit_screen(app, board, "timeout");
    app_destroy(app);

    /* The lookup: the scan step, and the answer with no platform to ask. */
    app = test_app_create_with(board, language, true, theme);
    test_tap_tile(app, "tile.case-progress");
    test_wait_scanner(app, "ready");
    audit_screen(app, board, "scan");
    const char *number = "GD20261122000042";
    assert_int_equal(
        scanner_sim_scan(app_sim_scanner(app), "]Q1", (const uint8_t *)number, strlen(number)),
        KIOSK_OK);
    test_wait_screen(app, "lookup");
    audit_screen(app, board, "lookup");
    /* After a service: another, or the end. */
    test_tap(app, "notice.done");
    audit_screen(app, board, "finished");
    test_tap(app, "finished.more");
    /* A card step that also takes an e-ID says both ways. */
    test_tap_tile(app, "tile.appointment-ticket");
    test_wait_reader(app, "ready");
    audit_screen(app, board, "card, or e-ID");
    /* Identified by the card: home offers the end; after a service the
     * card is asked back, and again when the visit ends with it there. */
    idcard_sim_lay_card(app_sim_reader(app), IDCARD_SIM_ORDINARY);
    test_wait_screen(app, "form");
    /* The keyboard of its text field (the company's name): pinyin with
     * candidates, handwriting with ink and candidates, letters (each where
     * the build has its engine). */
    bool pinyin = ui_pinyin_wait_ready(10000);
    app_perform(app, UI_ACTION_EDIT_FIELD, 3);
    assert_string_equal(app_screen_name(app), "type");
    if (pinyin) {
        const char *keys[] = {"type.key.s", "type.key.h", "type.key.e",
                              "type.key.b", "type.key.a", "type.key.o"};
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            test_tap(app, keys[i]);
        audit_screen(app, board, "type, pinyin");
        test_tap(app, "type.candidate.0");
    }
    if (ui_widget_find(app_root(app), "type.mode.handwriting")) {
        test_tap(app, "type.mode.handwriting");
        app_perform(app, UI_ACTION_KEY, 'x'); /* nothing in this mode */
        ui_widget *pad = ui_widget_find(app_root(app), "type.pad");
        assert_non_null(pad);
        /* A stroke as the pad would have taken it from a finger. */
        int middle = pad->bounds.y + pad->bounds.h / 2;
        pad->class_->follow(pad, UI_FOLLOW_DOWN, pad->bounds.x + pad->bounds.w / 5, middle);
        pad->class_->follow(pad, UI_FOLLOW_MOVE, pad->bounds.x + pad->bounds.w * 4 / 5, middle);
        pad->class_->follow(pad, UI_FOLLOW_UP, pad->bounds.x + pad->bounds.w * 4 / 5, middle);
        app_perform(app, UI_ACTION_STROKE, 0);
        audit_screen(app, board, "type, handwriting");
        test_tap(app, "type.key.rewrite"); /* short of room the modes wait for it */
    }
    test_tap(app, "type.mode.letters");
    audit_screen(app, board, "type, letters");
    test_tap(app, "step.back");
    test_tap(app, "step.cancel");
    audit_screen(app, board, "home, identified");
    /* Signing: the empty pad, and with ink (清除 and 完成 come). */
    test_tap_tile(app, "tile.newborn-bundle");
    test_wait_screen(app, "form");
    app_perform(app, UI_ACTION_EDIT_FIELD, 9); /* the applicant's signature, maybe scrolled away */
    audit_screen(app, board, "sign");
    static const int line[][2] = {{200, 300}, {500, 250}, {800, 300}};
    test_draw(app, "sign.pad", line, 3);
    test_draw(app, "sign.pad", line, 3);
    audit_screen(app, board, "sign, drawn");
    test_tap(app, "step.cancel");
    test_tap_tile(app, "tile.household-registration");
    test_tap(app, "step.next");
    test_wait_screen(app, "result");
    test_tap(app, "result.done");
    test_tap(app, "rate.skip");
    audit_screen(app, board, "finished, card on the reader");
    test_tap(app, "finished.end");
    audit_screen(app, board, "take-card");
    app_destroy(app);
}

/* The staff desk (帮办): each of its screens as staff see them, signed in
 * (where role sessions are not in the build yet, a citizen session keeps
 * the terminal from resting meanwhile). */
static void audit_staff(const char *board, lang language, int theme)
{
    kiosk_app *app = test_app_create_with(test_board_unkept(board), language, false, theme);
    credential_info info = {.id = "S001", .name = "王芳", .role = STAFF_ROLE_STAFF};
    app_role_begin(app, &info);
    if (app_role_current(app) == STAFF_ROLE_NONE)
        app_session_start(app);
    assert_int_equal(app_go(app, APP_SCREEN_STAFF), KIOSK_OK);
    audit_screen(app, board, "staff");
    test_tap(app, "staff.menu.restart");
    audit_screen(app, board, "staff, restart?");
    test_tap(app, "staff.restart.no");
    static const struct {
        const char *item, *label;
    } pages[] = {
        {"staff.menu.status", "staff status"},   {"staff.menu.calls", "staff calls"},
        {"staff.menu.refused", "staff refused"}, {"staff.menu.paper", "staff paper"},
        {"staff.menu.assist", "staff assist"},
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        test_tap(app, pages[i].item);
        audit_screen(app, board, pages[i].label);
        if (strcmp(pages[i].item, "staff.menu.paper") == 0) {
            test_tap(app, "staff.paper.reprint");
            test_type(app, "0420");
            audit_screen(app, board, "staff reprint");
            test_tap(app, "staff.back");
        }
        test_tap(app, "staff.back");
    }
    app_destroy(app);
}

/* A technician's page, and, when scrolled (where it scrolls: large text on
 * a small panel), each part of it in turn, three quarters of the view at a
 * time to its end: what is cut by the view's edge in one is whole in the
 * next. */
static void audit_technician_page(kiosk_app *app, const char *board, const char *label,
                                  bool scrolled_through)
{
    audit_screen(app, board, label);
    ui_widget *view = ui_widget_find(app_root(app), "tech.content");
    if (!scrolled_through || !view || ui_scroll_view_max_offset(view) == 0)
        return;
    char scrolled[160];
    snprintf(scrolled, sizeof scrolled, "%s, scrolled", label);
    int step = view->bounds.h * 3 / 4, max = ui_scroll_view_max_offset(view);
    for (int at = step; at < max + step; at += step) {
        /* The audit leaves the page at its first control: from the top. */
        view = ui_widget_find(app_root(app), "tech.content");
        ui_scroll_view_scroll_by(view, -max);
        ui_scroll_view_scroll_by(view, at < max ? at : max);
        app_mark_all_dirty(app);
        audit_screen(app, board, scrolled);
    }
}

static bool tech_result_shown(kiosk_app *app, const void *context)
{
    (void)context;
    return ui_widget_find(app_root(app), "tech.result") != NULL;
}

/* A technician's screens, signed in: the home, the self-tests (and with a
 * failed test's words), the network, the log and the certificate (and with
 * a code typed); each scrolled through where it scrolls, the last of each.
 * The test pattern and the touch targets are instruments, not pages to
 * read. */
static void audit_technician(const char *board, lang language, int theme)
{
    kiosk_app *app = test_app_create_with(test_board_unkept(board), language, false, theme);
    credential_info info = {.id = "T001", .name = "陈志强", .role = STAFF_ROLE_TECHNICIAN};
    app_role_begin(app, &info);
    assert_string_equal(app_screen_name(app), "technician");
    audit_technician_page(app, board, "technician", true);
    static const struct {
        const char *item, *label;
    } pages[] = {
        {"tech.menu.selftest", "technician self-tests"},
        {"tech.menu.network", "technician network"},
        {"tech.menu.logs", "technician log"},
        {"tech.menu.cert", "technician certificate"},
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        test_tap(app, pages[i].item);
        bool more = strcmp(pages[i].item, "tech.menu.selftest") == 0 ||
                    strcmp(pages[i].item, "tech.menu.cert") == 0;
        audit_technician_page(app, board, pages[i].label, !more);
        if (strcmp(pages[i].item, "tech.menu.selftest") == 0) {
            /* A test that fails: its words and what to do, in red. */
            printer_sim_set_paper_out(app_sim_printer(app), true);
            assert_true(test_run_until(app, printer_is, "paper-out"));
            test_tap(app, "tech.selftest.printer");
            assert_true(test_run_until(app, tech_result_shown, NULL));
            audit_technician_page(app, board, "technician self-test failed", true);
        }
        if (strcmp(pages[i].item, "tech.menu.cert") == 0) {
            test_tap(app, "tech.cert.key.R");
            test_tap(app, "tech.cert.key.8");
            test_tap(app, "tech.cert.key.T");
            test_tap(app, "tech.cert.key.3");
            audit_technician_page(app, board, "technician certificate, typed", true);
        }
        test_tap(app, "tech.back");
    }
    app_destroy(app);
}

/* Staff signing in (they stand, in a hurry): the PIN screen as asked, after
 * a wrong PIN, and locked, on the board with the sample staff (built by
 * make from board/staff-sample.txt; their demo PINs in README). */
static void audit_signin(const char *board, lang language, int theme, bool locked)
{
    char path[1200], credentials[1200], with[1400];
    snprintf(path, sizeof path, "%s", test_board_unkept(board));
    snprintf(credentials, sizeof credentials, "%s/build/staff/sample-credentials.json",
             test_source_dir());
    snprintf(with, sizeof with, "\"credentials_file\": \"%s\"", credentials);
    char *text = strdup(
        test_replace(test_read_file(path),
                     "\"credentials_file\": \"../../build/staff/sample-credentials.json\"", with));
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs(text, file);
    fclose(file);
    free(text);
    kiosk_app *app = test_app_create_with(path, language, false, theme);
    test_wait_reader(app, "ready");
    idcard_sim_lay_card(app_sim_reader(app), IDCARD_SIM_STAFF);
    test_wait_screen(app, "staff_pin");
    audit_screen(app, board, "staff PIN");
    for (int wrong = 0; wrong < (locked ? 5 : 1); wrong++) {
        for (int digit = 0; digit < 4; digit++)
            test_tap(app, "pin.keypad.9");
        test_tap(app, "pin.ok");
        if (wrong == 0)
            audit_screen(app, board, "staff PIN, wrong");
    }
    if (locked)
        audit_screen(app, board, "staff PIN, locked");
    app_destroy(app);
}

static void test_every_screen_passes_the_audit(void **state)
{
    (void)state;
    const char *boards[] = {"portrait-1080", "landscape-1080", "portrait-800"};
    /* Under emulation one board (tools/run-tests sets it for arm64). */
    size_t board_count = getenv("KIOSK_TEST_QUICK") ? 1 : sizeof boards / sizeof boards[0];
    failures = 0;
    for (size_t b = 0; b < board_count; b++) {
        /* Under emulation the standard theme: the native run audits every
         * theme, and the layout code is the same on both architectures. */
        int themes = getenv("KIOSK_TEST_QUICK") ? 1 : UI_THEME_COUNT;
        for (int t = 0; t < themes; t++) {
            for (int l = 0; l < LANG_COUNT; l++) {
                audit_configuration(boards[b], (lang)l, t);
                audit_staff(boards[b], (lang)l, t);
                /* The technician's pages in every language in the standard
                 * and elder themes (the largest text), in zh-CN in high
                 * contrast (the standard's sizes). */
                if (t != UI_THEME_HIGH_CONTRAST || l == LANG_ZH_CN)
                    audit_technician(boards[b], (lang)l, t);
                /* The PIN screen in every language in the standard theme,
                 * in zh-CN in the others; locked (five KDFs) once a board. */
                if (t == UI_THEME_STANDARD || l == LANG_ZH_CN)
                    audit_signin(boards[b], (lang)l, t, t == UI_THEME_STANDARD && l == LANG_ZH_CN);
            }
        }
    }
    printf("accessibility audit: %d screens failed\n", failures);
    assert_int_equal(failures, 0);
}

/* The audit itself must catch what it looks for. */
static void test_the_audit_sees_problems(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    ui_widget *help = ui_widget_find(app_root(app), "footer.help");
    help->bounds.h = 20; /* a target too small */
    ui_widget *prompt = ui_widget_find(app_root(app), "home.prompt");
    prompt->bounds.w = 60; /* text that cannot fit */
    failures = 0;
    audit_screen(app, "portrait-1080", "broken");
    assert_int_equal(failures, 1);
    app_destroy(app);
    /* Something to tap that the keypad cannot reach. */
    app = test_app_create("portrait-1080", LANG_ZH_CN);
    ui_widget *prompt_again = ui_widget_find(app_root(app), "home.prompt");
    assert_false(ui_widget_is_focusable(prompt_again));
    prompt_again->flags |= UI_FLAG_TAPPABLE;
    prompt_again->action = UI_ACTION_HELP;
    failures = 0;
    audit_screen(app, "portrait-1080", "unreachable");
    assert_int_equal(failures, 1);
    app_destroy(app);
}

/* A main action whose pictogram is left out for want of room fails the
 * audit, even with its words whole. */
static void test_the_audit_sees_a_pictogram_left_out(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    ui_widget *help = ui_widget_find(app_root(app), "footer.help");
    assert_non_null(ui_button_icon(help));
    ui_context context = app_ui_context(app);
    ui_text_part parts[UI_TEXT_PARTS_MAX];
    assert_int_equal(ui_widget_text_parts(help, &context, parts), 2);
    /* Words as long as fit the button alone, with no room left beside
     * them. */
    char words[256] = "";
    for (int i = 0; i < 60 && ui_widget_text_parts(help, &context, parts) == 2; i++) {
        strcat(words, "帮");
        assert_true(ui_widget_set_text(help, words));
    }
    assert_int_equal(ui_widget_text_parts(help, &context, parts), 1);
    int w = 0, h = 0;
    assert_non_null(
        ui_text_get(context.text, parts[0].language, parts[0].text, parts[0].style, &w, &h));
    assert_true(w <= parts[0].box.w);
    failures = 0;
    audit_screen(app, "portrait-1080", "no room");
    assert_int_equal(failures, 1);
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_screen_passes_the_audit),
        cmocka_unit_test(test_the_audit_sees_problems),
        cmocka_unit_test(test_the_audit_sees_a_pictogram_left_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
