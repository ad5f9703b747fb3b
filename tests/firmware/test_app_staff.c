/* The staff desk (帮办), inside the app with the simulated devices: the home
 * with what needs staff and its menu, each screen reached from it and back,
 * the terminal's state in words, paper refilled, a test page and a reprint
 * read back from the printer, the refused records and the calls as the store
 * gives them, a service started for a citizen (the staff session ends first,
 * the submission says who helped), and a clean restart. Each screen is
 * written to build/test-output/staff-*.png for a person to look at. */
#include "../support/test_support.h"

#include "drivers/printer/receipt.h"
#include "drivers/sim/printer_sim.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_staff.h"
#include "firmware/platform/staff_ops.h"
#include "offline-cache/audit.h"
#include "offline-cache/outbox.h"
#include "offline-cache/seal.h"
#include "ui/image.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void save(kiosk_app *app, const char *name)
{
    SDL_Surface *frame = NULL;
    assert_int_equal(app_capture(app, &frame), KIOSK_OK);
    char dir[1100], path[1200];
    snprintf(dir, sizeof dir, "%s/build/test-output", test_source_dir());
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    assert_int_equal(ui_image_save_png(frame, path, NULL), KIOSK_OK);
    SDL_FreeSurface(frame);
}

/* Staff signed in as S001 (王芳) on the staff home. Where role sessions are
 * not in the build yet (app_role_begin does nothing), a citizen session
 * stands in to keep the terminal from resting on the attract screen. */
static void sign_in(kiosk_app *app)
{
    credential_info info = {.id = "S001", .name = "王芳", .role = STAFF_ROLE_STAFF};
    app_role_begin(app, &info);
    if (app_role_current(app) == STAFF_ROLE_NONE)
        app_session_start(app);
    assert_int_equal(app_go(app, APP_SCREEN_STAFF), KIOSK_OK);
    assert_string_equal(app_screen_name(app), "staff");
}

static kiosk_app *at_staff_home(const char *board, lang language)
{
    kiosk_app *app = test_app_create_attract(board, language);
    sign_in(app);
    return app;
}

static bool printer_says(kiosk_app *app, const void *reason)
{
    return strcmp(app_printer_reason(app), reason) == 0;
}

/* The home: its title, the menu, the way out, in every language; each menu
 * item leads to its screen and 返回 comes back. */
static void test_the_menu_reaches_every_screen_and_back(void **state)
{
    (void)state;
    static const char *const titles[LANG_COUNT] = {"帮办工作台", "幫辦工作台", "Staff desk"};
    static const struct {
        const char *item, *screen;
    } menu[] = {
        {"staff.menu.status", "staff_status"},   {"staff.menu.calls", "staff_calls"},
        {"staff.menu.refused", "staff_refused"}, {"staff.menu.paper", "staff_paper"},
        {"staff.menu.assist", "staff_assist"},
    };
    const char *boards[] = {"portrait-1080", "landscape-1080", "portrait-800"};
    for (size_t b = 0; b < sizeof boards / sizeof boards[0]; b++) {
        for (int l = 0; l < LANG_COUNT; l++) {
            kiosk_app *app = at_staff_home(boards[b], (lang)l);
            test_wait_reader(app, "ready");
            assert_string_equal(test_text_of(app, "staff.title"), titles[l]);
            assert_true(strlen(test_text_of(app, "staff.summary")) > 0);
            assert_non_null(ui_widget_find(app_root(app), "staff.sign_out"));
            assert_non_null(ui_widget_find(app_root(app), "staff.menu.restart"));
            /* The home is where 返回 leads: it has none itself. */
            assert_null(ui_widget_find(app_root(app), "staff.back"));
            char name[96];
            snprintf(name, sizeof name, "staff-home-%s-%s", boards[b], lang_code((lang)l));
            save(app, name);
            for (size_t i = 0; i < sizeof menu / sizeof menu[0]; i++) {
                test_tap(app, menu[i].item);
                assert_string_equal(app_screen_name(app), menu[i].screen);
                assert_non_null(ui_widget_find(app_root(app), "staff.sign_out"));
                snprintf(name, sizeof name, "%s-%s-%s", menu[i].screen, boards[b],
                         lang_code((lang)l));
                for (char *c = name; *c; c++)
                    *c = *c == '_' ? '-' : *c;
                save(app, name);
                test_tap(app, "staff.back");
                assert_string_equal(app_screen_name(app), "staff");
            }
            app_destroy(app);
        }
    }
}

/* In elder mode's large text on the wide, low landscape panel every page
 * still fits: the menu abreast, the status in two columns, the reprint's
 * keypad beside its number. */
static void test_large_text_on_a_wide_panel_still_fits(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create_with("landscape-1080", LANG_ZH_CN, false, UI_THEME_ELDER);
    sign_in(app);
    save(app, "staff-home-landscape-elder");
    test_tap(app, "staff.menu.status");
    save(app, "staff-status-landscape-elder");
    test_tap(app, "staff.back");
    test_tap(app, "staff.menu.paper");
    test_tap(app, "staff.paper.reprint");
    test_type(app, "0420");
    assert_string_equal(test_text_of(app, "staff.reprint.typed"), "0420");
    save(app, "staff-reprint-landscape-elder");
    test_tap(app, "staff.back");
    assert_non_null(ui_widget_find(app_root(app), "staff.paper.reprint"));
    save(app, "staff-paper-landscape-elder");
    test_tap(app, "staff.back");
    assert_string_equal(app_screen_name(app), "staff");
    app_destroy(app);
    /* The smallest board, upright: the keypad under the number. */
    app = at_staff_home("portrait-800", LANG_ZH_CN);
    test_tap(app, "staff.menu.paper");
    test_tap(app, "staff.paper.reprint");
    save(app, "staff-reprint-portrait-800");
    app_destroy(app);
    /* ... and in elder mode's large text. */
    app = test_app_create_with("portrait-800", LANG_ZH_CN, false, UI_THEME_ELDER);
    sign_in(app);
    save(app, "staff-home-portrait-800-elder");
    app_destroy(app);
}

/* The printer out of paper, said as staff act on it: on the home's line,
 * on the status screen in words, never as a code. */
static void test_paper_out_is_said_in_words_staff_act_on(void **state)
{
    (void)state;
    kiosk_app *app = at_staff_home("portrait-1080", LANG_ZH_CN);
    assert_true(test_run_until(app, printer_says, "ready"));
    assert_int_equal(app_go(app, APP_SCREEN_STAFF), KIOSK_OK);
    assert_string_equal(test_text_of(app, "staff.summary"), "一切正常，没有待处理的事。");
    printer_sim_set_paper_out(app_sim_printer(app), true);
    assert_true(test_run_until(app, printer_says, "paper-out"));
    assert_int_equal(app_go(app, APP_SCREEN_STAFF), KIOSK_OK);
    assert_non_null(strstr(test_text_of(app, "staff.summary"), "需要处理："));
    assert_non_null(strstr(test_text_of(app, "staff.summary"), "打印机缺纸"));
    test_tap(app, "staff.menu.status");
    assert_string_equal(test_text_of(app, "staff.status.paper"), "凭条纸：已用完，请补充凭条纸。");
    assert_string_equal(test_text_of(app, "staff.status.printer"),
                        "凭条打印机：打印机缺纸：请换纸卷。");
    assert_string_equal(test_text_of(app, "staff.status.id-reader"), "读卡器：读卡器正常。");
    assert_non_null(strstr(test_text_of(app, "staff.status.outbox"), "待上传 0 条"));
    assert_non_null(strstr(test_text_of(app, "staff.status.disk"), "磁盘剩余："));
    /* No code of the driver's on the page. */
    assert_null(strstr(test_text_of(app, "staff.status.printer"), "paper-out"));
    save(app, "staff-status-paper-out");
    app_destroy(app);
}

/* The audit trail's last row, read from the terminal's own store: who did
 * what. */
static void last_audit_row_is(kiosk_app *app, const char *actor, const char *action)
{
    cache_audit_head head;
    assert_int_equal(platform_audit_head(app_platform_core(app), &head), KIOSK_OK);
    char db[600], key_file[600];
    snprintf(db, sizeof db, "%s/kiosk.db", app_board(app)->data_dir);
    snprintf(key_file, sizeof key_file, "%s/seal.key", app_board(app)->data_dir);
    seal_key key;
    assert_int_equal(seal_key_file_load(key_file, &key, NULL), KIOSK_OK);
    cache_options options = {.path = db, .cipher = SEAL_AES_256_GCM, .key = &key};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    cache_audit_row row;
    size_t count = 0;
    assert_int_equal(cache_audit_list(store, head.sequence - 1, &row, 1, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 1);
    assert_string_equal(row.actor, actor);
    assert_string_equal(row.action, action);
    cache_close(store);
    seal_key_wipe(&key);
}

/* A refill confirmed while the printer still has none says so; once it
 * has paper, the refill is recorded and the note at the top clears. */
static void test_a_refill_is_recorded_and_checked_against_the_printer(void **state)
{
    (void)state;
    kiosk_app *app = at_staff_home("portrait-1080", LANG_ZH_CN);
    printer_sim_set_paper_out(app_sim_printer(app), true);
    assert_true(test_run_until(app, printer_says, "paper-out"));
    test_tap(app, "staff.menu.paper");
    assert_string_equal(test_text_of(app, "staff.paper.state"), "凭条纸：已用完，请补充凭条纸。");
    test_tap(app, "staff.paper.refilled");
    last_audit_row_is(app, "staff:S001", "staff.paper-refilled");
    assert_non_null(strstr(test_text_of(app, "staff.paper.note"), "仍报告缺纸"));
    printer_sim_set_paper_out(app_sim_printer(app), false);
    assert_true(test_run_until(app, printer_says, "ready"));
    test_tap(app, "staff.paper.refilled");
    assert_string_equal(test_text_of(app, "staff.paper.note"), "已记录补纸，打印机报告有纸。");
    assert_string_equal(test_text_of(app, "staff.paper.state"), "凭条纸：充足。");
    save(app, "staff-paper-refilled");
    test_tap(app, "staff.back");
    assert_string_equal(test_text_of(app, "staff.summary"), "一切正常，没有待处理的事。");
    app_destroy(app);
}

static bool note_says(kiosk_app *app, const void *words)
{
    const ui_widget *note = ui_widget_find(app_root(app), "staff.paper.note");
    return note && note->text && strstr(note->text, words);
}

static bool receipt_has(const receipt *r, const char *text)
{
    for (size_t i = 0; i < r->count; i++)
        if (strstr(r->items[i].text, text))
            return true;
    return false;
}

/* The test page goes through the real driver to the simulated printer and
 * is read back: its title and the terminal, cut. */
static void test_a_test_page_prints_on_the_receipt_printer(void **state)
{
    (void)state;
    kiosk_app *app = at_staff_home("portrait-1080", LANG_ZH_CN);
    assert_true(test_run_until(app, printer_says, "ready"));
    usb_model *printer = app_sim_printer(app);
    unsigned long cuts = printer_sim_cuts(printer);
    test_tap(app, "staff.menu.paper");
    test_tap(app, "staff.paper.test");
    assert_true(test_run_until(app, note_says, "已打印"));
    assert_int_equal(printer_sim_cuts(printer), cuts + 1);
    receipt *printed = calloc(1, sizeof *printed);
    assert_true(printer_sim_printed(printer, printed));
    assert_true(receipt_has(printed, "打印测试页"));
    assert_true(receipt_has(printed, "凭条打印机工作正常"));
    free(printed);
    /* A citizen's print step never hears of it. */
    assert_string_equal(app_screen_name(app), "staff_paper");
    app_destroy(app);
}

/* A citizen's receipt printed again from the terminal's record of it, by
 * the digits of its number typed on the keypad: marked 补打, the service
 * and the number on it, nobody's ID number. A number it never issued is
 * said so, and nothing prints. */
static void test_a_receipt_is_reprinted_by_its_number(void **state)
{
    (void)state;
    const char *dir = NULL;
    kiosk_app *app = test_app_create(test_board_in_temp("portrait-1080", &dir), LANG_ZH_CN);
    test_open_typed(app, "tile.certificate-print");
    test_type(app, "310101198005056662");
    test_tap(app, "step.next");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "result");
    test_tap(app, "result.done");
    test_tap(app, "rate.skip");
    test_tap(app, "finished.end");
    assert_true(test_run_until(app, printer_says, "ready"));
    usb_model *printer = app_sim_printer(app);
    unsigned long cuts = printer_sim_cuts(printer);

    sign_in(app);
    test_tap(app, "staff.menu.paper");
    test_tap(app, "staff.paper.reprint");
    assert_string_equal(app_screen_name(app), "staff_paper");
    test_type(app, "123");
    test_tap(app, "staff.reprint.print");
    assert_string_equal(test_text_of(app, "staff.reprint.note"), "编号太短，请输完整。");
    test_tap(app, "keypad.clear");
    test_type(app, "0420999999");
    test_tap(app, "staff.reprint.print");
    assert_non_null(strstr(test_text_of(app, "staff.reprint.note"), "没有这个编号"));
    assert_int_equal(printer_sim_cuts(printer), cuts);
    save(app, "staff-reprint-not-found");
    test_tap(app, "keypad.clear");
    /* K0420-000001: the terminal's own number, its digits alone. */
    test_type(app, "0420000001");
    assert_string_equal(test_text_of(app, "staff.reprint.typed"), "0420000001");
    test_tap(app, "staff.reprint.print");
    assert_true(test_run_until(app, note_says, "已打印"));
    assert_int_equal(printer_sim_cuts(printer), cuts + 1);
    receipt *printed = calloc(1, sizeof *printed);
    assert_true(printer_sim_printed(printer, printed));
    assert_true(receipt_has(printed, "补打"));
    assert_true(receipt_has(printed, "K0420-000001"));
    assert_true(receipt_has(printed, "证明打印"));
    assert_false(receipt_has(printed, "310101"));
    assert_false(receipt_has(printed, "6662"));
    free(printed);
    save(app, "staff-reprint-printed");
    app_destroy(app);
}

/* The refused records and the calls as the store gives them; with nothing
 * to show, each page says so in words. */
static void test_refused_and_calls_say_what_there_is(void **state)
{
    (void)state;
    kiosk_app *app = at_staff_home("portrait-1080", LANG_ZH_CN);
    test_tap(app, "staff.menu.refused");
    const char *refused = test_text_of(app, "staff.refused.none");
    assert_true(strcmp(refused, "没有被平台退回的申请。") == 0 ||
                strcmp(refused, "本机存储不可用") == 0);
    test_tap(app, "staff.back");
    test_tap(app, "staff.menu.calls");
    assert_string_equal(test_text_of(app, "staff.calls.none"), "现在没有市民呼叫。");
    test_tap(app, "staff.back");
    app_destroy(app);
}

/* 帮办: a service started for a citizen present. The staff session is over
 * before the citizen's begins, which opens the service's first step; the
 * citizen identifies as usual. */
static void test_an_assisted_service_starts_a_citizen_session(void **state)
{
    (void)state;
    kiosk_app *app = at_staff_home("portrait-1080", LANG_ZH_CN);
    const char *helper = app_role_current(app) == STAFF_ROLE_STAFF ? "S001" : "";
    test_tap(app, "staff.menu.assist");
    assert_string_equal(test_text_of(app, "staff.assist.certificate-print"), "证明打印");
    save(app, "staff-assist");
    test_tap(app, "staff.assist.certificate-print");
    assert_int_equal(app_role_current(app), STAFF_ROLE_NONE);
    assert_true(app_in_session(app));
    assert_string_equal(app_screen_name(app), "card");
    assert_string_equal(app_session_assisted_by(app), helper);
    app_destroy(app);
}

/* The helper's id goes with the submission into the sealed outbox record,
 * and is forgotten with the session. */
static void test_the_submission_says_who_helped(void **state)
{
    (void)state;
    const char *dir = NULL;
    kiosk_app *app = test_app_create(test_board_in_temp("portrait-1080", &dir), LANG_ZH_CN);
    char data_dir[1100];
    snprintf(data_dir, sizeof data_dir, "%s", dir);
    app_session_set_assisted_by(app, "S001");
    test_open_typed(app, "tile.certificate-print");
    test_type(app, "310101198005056662");
    test_tap(app, "step.next");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "result");
    test_tap(app, "result.done");
    test_tap(app, "rate.skip");
    test_tap(app, "finished.end");
    assert_string_equal(app_session_assisted_by(app), "");
    app_destroy(app);

    char db[1200], key_file[1200];
    snprintf(db, sizeof db, "%s/kiosk.db", data_dir);
    snprintf(key_file, sizeof key_file, "%s/seal.key", data_dir);
    seal_key key;
    assert_int_equal(seal_key_file_load(key_file, &key, NULL), KIOSK_OK);
    cache_options options = {.path = db, .key = &key};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    cache_record records[8];
    size_t count = 0;
    assert_int_equal(cache_outbox_claim(store, INT64_MAX / 2, 8, records, &count, NULL), KIOSK_OK);
    assert_true(count >= 1);
    assert_string_equal(records[0].kind, "submission");
    assert_non_null(
        memmem(records[0].payload, records[0].payload_length, "\"assisted_by\":\"S001\"", 20));
    cache_records_free(records, count);
    cache_close(store);
    seal_key_wipe(&key);
}

/* 重启终端程序: asked once more, then the loop stops with the status the
 * supervisor restarts on; 取消 changes nothing. */
static void test_restart_is_confirmed_then_asked_of_the_supervisor(void **state)
{
    (void)state;
    kiosk_app *app = at_staff_home("portrait-1080", LANG_ZH_CN);
    test_tap(app, "staff.menu.restart");
    assert_non_null(strstr(test_text_of(app, "staff.restart.confirm"), "重启"));
    save(app, "staff-restart-confirm");
    test_tap(app, "staff.restart.no");
    assert_null(ui_widget_find(app_root(app), "staff.restart.confirm"));
    assert_false(app_restart_requested(app));
    test_tap(app, "staff.menu.restart");
    test_tap(app, "staff.restart.yes");
    assert_true(app_restart_requested(app));
    assert_int_equal(APP_EXIT_RESTART, 75);
    app_destroy(app);
}

int main(void)
{
    if (getenv("STAFF_TEST_FILTER"))
        cmocka_set_test_filter(getenv("STAFF_TEST_FILTER"));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_menu_reaches_every_screen_and_back),
        cmocka_unit_test(test_large_text_on_a_wide_panel_still_fits),
        cmocka_unit_test(test_paper_out_is_said_in_words_staff_act_on),
        cmocka_unit_test(test_a_refill_is_recorded_and_checked_against_the_printer),
        cmocka_unit_test(test_a_test_page_prints_on_the_receipt_printer),
        cmocka_unit_test(test_a_receipt_is_reprinted_by_its_number),
        cmocka_unit_test(test_refused_and_calls_say_what_there_is),
        cmocka_unit_test(test_an_assisted_service_starts_a_citizen_session),
        cmocka_unit_test(test_the_submission_says_who_helped),
        cmocka_unit_test(test_restart_is_confirmed_then_asked_of_the_supervisor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
