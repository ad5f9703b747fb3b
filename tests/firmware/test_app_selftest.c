/* A technician's self-tests on a real app, offscreen, through the simulated
 * devices under the real drivers and device manager: a card laid and read
 * (its number never whole), a test page printed and read back from the
 * printer, a printer out of paper that FAILS the test with the device's own
 * words, a scan, every key of the keypad, a device the board lacks
 * (absent, not failed), a test nobody finishes (timed out), and one test at
 * a time. */
#include "../support/test_support.h"

#include "drivers/driver_probes.h"
#include "drivers/keypad/keypad.h"
#include "drivers/printer/receipt.h"
#include "drivers/sim/idcard_sim.h"
#include "drivers/sim/keypad_sim.h"
#include "drivers/sim/printer_sim.h"
#include "drivers/sim/scanner_sim.h"
#include "firmware/app/app_keypad.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_technician.h"

#include "firmware/app/navigation.h"
#include "ui/image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct outcome {
    int calls;
    app_selftest_result result;
} outcome;

static void done(const app_selftest_result *result, void *context)
{
    outcome *seen = context;
    seen->calls++;
    seen->result = *result;
}

static bool finished(kiosk_app *app, const void *context)
{
    (void)app;
    return ((const outcome *)context)->calls > 0;
}

static void run(kiosk_app *app, app_selftest_kind kind, outcome *seen)
{
    memset(seen, 0, sizeof *seen);
    assert_int_equal(app_selftest_start(app, kind, "technician:T001", done, seen), KIOSK_OK);
}

static void wait_done(kiosk_app *app, outcome *seen)
{
    if (!test_run_until(app, finished, seen))
        fail_msg("the self-test never ended");
    assert_int_equal(seen->calls, 1);
}

static bool printer_ready(kiosk_app *app, const void *context)
{
    (void)context;
    return strcmp(app_printer_reason(app), "ready") == 0;
}

static void test_a_test_page_prints_on_the_receipt_printer(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create_attract("portrait-1080", LANG_ZH_CN);
    assert_true(test_run_until(app, printer_ready, NULL));
    outcome seen;
    run(app, APP_SELFTEST_PRINTER, &seen);
    wait_done(app, &seen);
    assert_int_equal(seen.result.kind, APP_SELFTEST_PRINTER);
    assert_int_equal(seen.result.outcome, APP_SELFTEST_PASSED);
    assert_non_null(strstr(seen.result.detail, "测试页已打印并切纸"));
    /* What came out of the printer is the test page. */
    receipt *printed = calloc(1, sizeof *printed);
    assert_true(printer_sim_printed(app_sim_printer(app), printed));
    bool titled = false;
    for (size_t i = 0; i < printed->count; i++)
        titled |= printed->items[i].kind == RECEIPT_TEXT &&
                  strcmp(printed->items[i].text, "打印自检") == 0;
    assert_true(titled);
    free(printed);
    app_selftest_result last;
    assert_true(app_selftest_last(app, APP_SELFTEST_PRINTER, &last));
    assert_int_equal(last.outcome, APP_SELFTEST_PASSED);
    app_destroy(app);
}

static bool printer_out(kiosk_app *app, const void *context)
{
    (void)context;
    return strcmp(app_printer_reason(app), "paper-out") == 0;
}

/* This test is meant to FAIL the self-test: the printer has no paper, and
 * the technician is told so in the printer's own words and what to do. */
static void test_a_printer_out_of_paper_fails_its_self_test(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create_attract("portrait-1080", LANG_ZH_CN);
    test_wait_screen(app, "attract");
    printer_sim_set_paper_out(app_sim_printer(app), true);
    assert_true(test_run_until(app, printer_out, NULL));
    outcome seen;
    run(app, APP_SELFTEST_PRINTER, &seen);
    wait_done(app, &seen);
    assert_int_equal(seen.result.outcome, APP_SELFTEST_FAILED);
    assert_string_equal(seen.result.detail, "打印机没有纸了。");
    assert_string_equal(seen.result.remedy, "打印机缺纸：请换纸卷。");
    receipt *printed = calloc(1, sizeof *printed);
    assert_false(printer_sim_printed(app_sim_printer(app), printed));
    free(printed);
    app_destroy(app);
}

/* Out of paper half-way: the job's own failure is the result. */
static void test_paper_running_out_during_the_page_fails_it(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create_attract("portrait-1080", LANG_ZH_CN);
    assert_true(test_run_until(app, printer_ready, NULL));
    printer_sim_paper_out_after(app_sim_printer(app), 40);
    outcome seen;
    run(app, APP_SELFTEST_PRINTER, &seen);
    wait_done(app, &seen);
    assert_int_equal(seen.result.outcome, APP_SELFTEST_FAILED);
    assert_string_equal(seen.result.detail, "打印机没有纸了。");
    app_destroy(app);
}

static void test_a_test_card_reads_and_its_number_is_masked(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create_attract("portrait-1080", LANG_ZH_CN);
    test_wait_reader(app, "ready");
    outcome seen;
    run(app, APP_SELFTEST_CARD, &seen);
    assert_int_equal(seen.calls, 0); /* it waits for the card */
    idcard_sim_lay_card(app_sim_reader(app), IDCARD_SIM_ORDINARY);
    wait_done(app, &seen);
    assert_int_equal(seen.result.outcome, APP_SELFTEST_PASSED);
    assert_non_null(strstr(seen.result.detail, "校验位正确"));
    /* The number shown is masked: its middle never appears. */
    assert_non_null(strstr(seen.result.detail, "****"));
    assert_null(strstr(seen.result.detail, "19900101"));
    /* The test's card starts no citizen's visit. */
    app_process_pending(app);
    assert_false(app_in_session(app));
    assert_string_equal(app_screen_name(app), "attract");
    app_destroy(app);
}

/* Nobody lays a card: after its bounded wait the test fails and says why. */
static void test_a_card_never_laid_times_out(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create_attract("portrait-1080", LANG_ZH_CN);
    test_wait_reader(app, "ready");
    outcome seen;
    run(app, APP_SELFTEST_CARD, &seen);
    assert_true(app_selftest_next_ms(app) > 0);
    test_monotonic_now_ms += 29000;
    app_process_pending(app);
    assert_int_equal(seen.calls, 0);
    test_monotonic_now_ms += 1500;
    app_process_pending(app);
    assert_int_equal(seen.calls, 1);
    assert_int_equal(seen.result.outcome, APP_SELFTEST_FAILED);
    assert_string_equal(seen.result.detail, "30 秒内没有完成");
    assert_non_null(strstr(seen.result.remedy, "读卡区"));
    assert_false(app_selftest_running(app, NULL));
    assert_int_equal(app_selftest_next_ms(app), -1);
    app_destroy(app);
}

static void test_a_code_shown_to_the_scanner_passes(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create_attract("portrait-1080", LANG_ZH_CN);
    test_wait_scanner(app, "ready");
    outcome seen;
    run(app, APP_SELFTEST_SCANNER, &seen);
    static const char code[] = "KIOSK-SELFTEST-CODE";
    assert_int_equal(
        scanner_sim_scan(app_sim_scanner(app), "]Q1", (const uint8_t *)code, strlen(code)),
        KIOSK_OK);
    wait_done(app, &seen);
    assert_int_equal(seen.result.outcome, APP_SELFTEST_PASSED);
    assert_non_null(strstr(seen.result.detail, "19 个字符"));
    app_destroy(app);
}

static bool presses_taken(kiosk_app *app, const void *context)
{
    (void)app;
    return keypad_presses_delivered() >= *(const unsigned long *)context &&
           keypad_presses_in_flight() == 0;
}

static bool key_seen(kiosk_app *app, const void *context)
{
    return app_selftest_key_seen(app, *(const int *)context);
}

static bool keypad_there(kiosk_app *app, const void *context)
{
    (void)context;
    return app_sim_keypad(app) != NULL;
}

static void test_every_key_of_the_keypad_must_be_pressed(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create_attract("portrait-1080", LANG_ZH_CN);
    assert_true(test_run_until(app, keypad_there, NULL));
    outcome seen;
    run(app, APP_SELFTEST_KEYPAD, &seen);
    for (int key = KEYPAD_KEY_UP; key < KEYPAD_KEY_COUNT; key++) {
        assert_false(app_selftest_key_seen(app, key));
        unsigned long want = keypad_presses_delivered() + 1;
        test_monotonic_now_ms += 400;
        assert_true(keypad_sim_press(app_sim_keypad(app), (keypad_key)key));
        assert_true(test_run_until(app, presses_taken, &want));
        assert_true(test_run_until(app, key_seen, &key));
        if (key < KEYPAD_KEY_COUNT - 1)
            assert_int_equal(seen.calls, 0);
    }
    assert_int_equal(seen.calls, 1);
    assert_int_equal(seen.result.outcome, APP_SELFTEST_PASSED);
    assert_string_equal(seen.result.detail, "全部 21 个键都按到了");
    /* The keys went to the test, not to the screen's focus; and the
     * keypad's test printed nothing. */
    assert_string_equal(app_screen_name(app), "attract");
    assert_int_equal(printer_sim_print_bytes(app_sim_printer(app)), 0);
    app_destroy(app);
}

/* A board with no keypad: its test is ABSENT, which is no failure. */
static void test_a_device_the_board_lacks_is_absent(void **state)
{
    (void)state;
    const char *copy = test_board_in_temp("portrait-1080", NULL);
    const char *without = test_replace(test_read_file(copy),
                                       ",\n    {\n      \"kind\": \"keypad\",\n"
                                       "      \"transport\": \"sim\"\n    }",
                                       "");
    assert_null(strstr(without, "keypad"));
    const char *dir = test_make_temp_dir("selftest-board");
    const char *board = test_write_file(dir, "no-keypad.json", without);
    kiosk_app *app = test_app_create_attract(board, LANG_ZH_CN);
    outcome seen;
    run(app, APP_SELFTEST_KEYPAD, &seen);
    assert_int_equal(seen.calls, 1); /* at once */
    assert_int_equal(seen.result.outcome, APP_SELFTEST_ABSENT);
    assert_string_equal(seen.result.detail, "本机没有这个设备，不需要测试");
    app_destroy(app);
}

static void test_one_self_test_runs_at_a_time(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create_attract("portrait-1080", LANG_EN);
    test_wait_reader(app, "ready");
    outcome seen, other;
    run(app, APP_SELFTEST_CARD, &seen);
    app_selftest_kind running;
    assert_true(app_selftest_running(app, &running));
    assert_int_equal(running, APP_SELFTEST_CARD);
    assert_int_equal(app_selftest_start(app, APP_SELFTEST_SCANNER, NULL, done, &other),
                     KIOSK_ERR_BUSY);
    app_selftest_cancel(app);
    assert_int_equal(seen.calls, 1);
    assert_int_equal(seen.result.outcome, APP_SELFTEST_FAILED);
    assert_string_equal(seen.result.detail, "The test was stopped");
    app_destroy(app);
}

static void test_the_screen_test_is_judged_by_the_technician(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create_attract("portrait-1080", LANG_ZH_CN);
    outcome seen;
    run(app, APP_SELFTEST_SCREEN, &seen);
    assert_int_equal(seen.calls, 0);
    app_selftest_judged(app, false);
    assert_int_equal(seen.result.outcome, APP_SELFTEST_FAILED);
    assert_string_equal(seen.result.detail, "测试图案显示不正常");
    assert_non_null(strstr(seen.result.remedy, "显示线缆"));
    app_destroy(app);
}

static void test_names_parse_back(void **state)
{
    (void)state;
    for (int i = 0; i < APP_SELFTEST_COUNT; i++) {
        app_selftest_kind kind;
        assert_true(app_selftest_parse(app_selftest_name((app_selftest_kind)i), &kind));
        assert_int_equal(kind, i);
    }
    app_selftest_kind kind;
    assert_false(app_selftest_parse("printer ", &kind));
    assert_false(app_selftest_parse(NULL, &kind));
}

/* Writes the screen shown to build/test-output/<name>.png, to look at. */
static void save_screen(kiosk_app *app, const char *name)
{
    SDL_Surface *surface = NULL;
    assert_int_equal(app_capture(app, &surface), KIOSK_OK);
    char dir[1100], path[1200];
    snprintf(dir, sizeof dir, "%s/build/test-output", test_source_dir());
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    assert_int_equal(ui_image_save_png(surface, path, NULL), KIOSK_OK);
    SDL_FreeSurface(surface);
}

static bool result_shown(kiosk_app *app, const void *context)
{
    (void)context;
    return ui_widget_find(app_root(app), "tech.result") != NULL;
}

/* The technician's screens: home, the list, a test run from it (the printer
 * out of paper: FAILED, in red, with what to do), the pattern judged. */
static void test_the_technician_runs_the_tests_from_the_screens(void **state)
{
    (void)state;
    /* Until a technician's card and PIN begin a role session here, the
     * screens are reached in a session as the role's home would be. */
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_wait_reader(app, "ready");
    assert_int_equal(app_go(app, APP_SCREEN_TECHNICIAN), KIOSK_OK);
    app_process_pending(app);
    assert_non_null(strstr(test_text_of(app, "tech.board"), "portrait-1080"));
    assert_non_null(strstr(test_text_of(app, "tech.terminal"), "K0420"));
    assert_non_null(strstr(test_text_of(app, "tech.cert"), "没有证书"));
    save_screen(app, "tech-home");
    test_tap(app, "tech.menu.selftest");
    assert_string_equal(app_screen_name(app), "tech_selftest");

    printer_sim_set_paper_out(app_sim_printer(app), true);
    assert_true(test_run_until(app, printer_out, NULL));
    test_tap(app, "tech.selftest.printer");
    assert_true(test_run_until(app, result_shown, NULL));
    assert_non_null(strstr(test_text_of(app, "tech.result"), "未通过：打印机没有纸了。"));
    assert_non_null(strstr(test_text_of(app, "tech.result"), "请换纸卷"));
    assert_non_null(strstr(test_text_of(app, "tech.selftest.printer"), "未通过"));
    save_screen(app, "tech-selftest-paper-out");

    test_tap(app, "tech.selftest.card");
    assert_non_null(strstr(test_text_of(app, "tech.selftest.status"), "测试卡"));
    idcard_sim_lay_card(app_sim_reader(app), IDCARD_SIM_ORDINARY);
    assert_true(test_run_until(app, result_shown, NULL));
    assert_non_null(strstr(test_text_of(app, "tech.selftest.card"), "通过"));
    assert_null(strstr(test_text_of(app, "tech.result"), "19900101"));

    test_tap(app, "tech.selftest.screen");
    assert_string_equal(app_screen_name(app), "tech_pattern");
    save_screen(app, "tech-pattern");
    test_tap(app, "tech.pattern.right");
    assert_string_equal(app_screen_name(app), "tech_selftest");
    assert_non_null(strstr(test_text_of(app, "tech.result"), "测试图案显示正常"));
    test_tap(app, "tech.back");
    assert_string_equal(app_screen_name(app), "technician");
    app_destroy(app);
}

/* Touching the five targets a few pixels off measures that offset; it is
 * small, so the test passes. */
static void test_the_touch_targets_measure_the_offset(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    assert_int_equal(app_go(app, APP_SCREEN_TECH_SELFTEST), KIOSK_OK);
    app_process_pending(app);
    test_tap(app, "tech.selftest.touch");
    assert_string_equal(app_screen_name(app), "tech_touch");
    static const int spots[][2] = {{130, 130}, {880, 130}, {130, 880}, {880, 880}, {505, 505}};
    for (size_t i = 0; i < 5; i++) {
        if (i == 2)
            save_screen(app, "tech-touch");
        test_draw(app, "tech.touch", &spots[i], 1);
    }
    assert_string_equal(app_screen_name(app), "tech_selftest");
    app_selftest_result last;
    assert_true(app_selftest_last(app, APP_SELFTEST_TOUCH, &last));
    assert_int_equal(last.outcome, APP_SELFTEST_PASSED);
    /* 5 thousandths of 1080 x 1920 px, less the title bar's share. */
    assert_non_null(strstr(last.detail, "平均偏移 +5, +"));
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_test_page_prints_on_the_receipt_printer),
        cmocka_unit_test(test_a_printer_out_of_paper_fails_its_self_test),
        cmocka_unit_test(test_paper_running_out_during_the_page_fails_it),
        cmocka_unit_test(test_a_test_card_reads_and_its_number_is_masked),
        cmocka_unit_test(test_a_card_never_laid_times_out),
        cmocka_unit_test(test_a_code_shown_to_the_scanner_passes),
        cmocka_unit_test(test_every_key_of_the_keypad_must_be_pressed),
        cmocka_unit_test(test_a_device_the_board_lacks_is_absent),
        cmocka_unit_test(test_one_self_test_runs_at_a_time),
        cmocka_unit_test(test_the_screen_test_is_judged_by_the_technician),
        cmocka_unit_test(test_names_parse_back),
        cmocka_unit_test(test_the_technician_runs_the_tests_from_the_screens),
        cmocka_unit_test(test_the_touch_targets_measure_the_offset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
