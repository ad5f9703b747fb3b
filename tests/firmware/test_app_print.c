/* The receipt, end to end inside the app: the result screen's "print", the
 * simulated printer at the transport under the real driver and device
 * manager, what prints compared with what the screen showed, a printer out
 * of paper (the citizen told what it means, staff called, try again); and the
 * scan step of a lookup by tracking number. */
#include "../support/test_support.h"

#include "drivers/printer/receipt.h"
#include "drivers/sim/printer_sim.h"
#include "drivers/sim/scanner_sim.h"
#include "offline-cache/outbox.h"
#include "offline-cache/seal.h"
#include "ui/image.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static kiosk_app *at_result(void)
{
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_open_typed(app, "tile.certificate-print");
    test_type(app, "310101198005056662");
    test_tap(app, "step.next");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "result");
    return app;
}

/* Writes surface to build/test-output/<name>.png (for people to look at). */
static void save(SDL_Surface *surface, const char *name)
{
    char dir[1100], path[1200];
    snprintf(dir, sizeof dir, "%s/build/test-output", test_source_dir());
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    assert_int_equal(ui_image_save_png(surface, path, NULL), KIOSK_OK);
}

static SDL_Surface *rendered(kiosk_app *app, const receipt *r, const char *name)
{
    SDL_Surface *surface = NULL;
    assert_int_equal(app_render_receipt(app, r, &surface), KIOSK_OK);
    save(surface, name);
    return surface;
}

/* What printed is what the screen showed: the same items, read back from
 * the printer's bytes, drawn the same. */
static void test_the_receipt_prints_as_the_screen_shows_it(void **state)
{
    (void)state;
    kiosk_app *app = at_result();
    test_tap(app, "result.print");
    assert_string_equal(app_screen_name(app), "print");
    assert_non_null(ui_widget_find(app_root(app), "print.receipt"));
    test_wait_text(app, "print.title", "请取走凭条");

    receipt *printed = calloc(1, sizeof *printed);
    assert_true(printer_sim_printed(app_sim_printer(app), printed));
    const receipt *shown = app_print_shown(app);
    size_t texts = 0;
    for (size_t i = 0, j = 0; i < shown->count; i++) {
        if (shown->items[i].kind != RECEIPT_TEXT && shown->items[i].kind != RECEIPT_QR)
            continue;
        while (j < printed->count && printed->items[j].kind != shown->items[i].kind)
            j++;
        assert_true(j < printed->count);
        assert_string_equal(printed->items[j].text, shown->items[i].text);
        texts++;
        j++;
    }
    assert_true(texts >= 10);
    /* Masked on paper as on the screen. */
    for (size_t i = 0; i < printed->count; i++)
        assert_null(strstr(printed->items[i].text, "198005056"));
    /* Drawn the same, pixel for pixel. */
    SDL_Surface *on_screen = rendered(app, shown, "receipt-shown");
    SDL_Surface *on_paper = rendered(app, printed, "receipt-printed");
    assert_int_equal(on_screen->w, on_paper->w);
    assert_int_equal(on_screen->h, on_paper->h);
    assert_int_equal(test_compare_images(on_screen, on_paper, 0, NULL), 0);
    SDL_FreeSurface(on_screen);
    SDL_FreeSurface(on_paper);
    SDL_Surface *step = NULL;
    assert_int_equal(app_capture(app, &step), KIOSK_OK);
    save(step, "print-step");
    SDL_FreeSurface(step);
    free(printed);
    app_destroy(app);
}

static bool printer_says(kiosk_app *app, const void *reason)
{
    return strcmp(app_printer_reason(app), reason) == 0;
}

static void test_paper_out_tells_the_citizen_calls_staff_and_tries_again(void **state)
{
    (void)state;
    kiosk_app *app = at_result();
    usb_model *printer = app_sim_printer(app);
    printer_sim_set_paper_out(printer, true);
    /* The driver sees it at its next look. */
    assert_true(test_run_until(app, printer_says, "paper-out"));
    test_tap(app, "result.print");
    test_wait_text(app, "print.title", "凭条没有打印出来");
    const char *body = test_text_of(app, "print.body");
    assert_non_null(strstr(body, "打印机没有纸了。"));
    assert_non_null(strstr(body, "已通知工作人员"));
    assert_non_null(strstr(body, "不受影响"));
    assert_non_null(ui_widget_find(app_root(app), "print.retry"));
    assert_int_equal(printer_sim_cuts(printer), 0);
    SDL_Surface *step = NULL;
    assert_int_equal(app_capture(app, &step), KIOSK_OK);
    save(step, "print-paper-out");
    SDL_FreeSurface(step);
    /* Staff refill it; the citizen tries again. */
    printer_sim_set_paper_out(printer, false);
    assert_true(test_run_until(app, printer_says, "ready"));
    test_tap(app, "print.retry");
    test_wait_text(app, "print.title", "请取走凭条");
    assert_int_equal(printer_sim_cuts(printer), 1);
    app_destroy(app);
}

static bool citizen_line_says(kiosk_app *app, const void *words)
{
    const ui_widget *line = ui_widget_find(app_root(app), "attract.state");
    return line && line->text && strstr(line->text, words);
}

/* Citizens passing by read what the empty paper means for them; staff's
 * words are not on the public screen. */
static void test_the_attract_screen_says_what_paper_out_means(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create_attract("portrait-1080", LANG_ZH_CN);
    printer_sim_set_paper_out(app_sim_printer(app), true);
    test_run_until(app, citizen_line_says, "暂不能打印凭条");
    assert_string_equal(test_text_of(app, "attract.state"),
                        "打印机缺纸：业务可以办理，暂不能打印凭条");
    assert_null(ui_widget_find(app_root(app), "attract.staff"));
    app_destroy(app);
}

/* 好差评 after the service: a poor rating asks what went wrong, keeps a
 * rating record (nothing personal: the tracking number, the level, the
 * reason) and, when the citizen says yes, calls staff. */
static void test_a_poor_rating_is_kept_and_calls_staff(void **state)
{
    (void)state;
    const char *dir = NULL;
    kiosk_app *app = test_app_create(test_board_in_temp("portrait-1080", &dir), LANG_ZH_CN);
    char data_dir[1100];
    snprintf(data_dir, sizeof data_dir, "%s", dir);
    test_open_typed(app, "tile.certificate-print");
    test_type(app, "310101198005056662");
    test_tap(app, "step.next");
    test_tap(app, "step.next");
    test_tap(app, "result.done");
    assert_string_equal(app_screen_name(app), "rate");
    assert_string_equal(test_text_of(app, "rate.choice.0"), "非常满意");
    assert_string_equal(test_text_of(app, "rate.choice.4"), "非常不满意");
    test_tap(app, "rate.choice.3"); /* 不满意 */
    assert_string_equal(test_text_of(app, "rate.choice.0"), "等候时间长");
    test_tap(app, "rate.choice.0");
    /* Staff come only when asked: yes. */
    assert_string_equal(test_text_of(app, "rate.choice.0"), "是，请工作人员来");
    test_tap(app, "rate.choice.0");
    assert_string_equal(test_text_of(app, "notice.title"), "感谢您的评价");
    assert_string_equal(test_text_of(app, "notice.detail"), "工作人员会来了解情况。");
    test_tap(app, "notice.done");
    assert_string_equal(app_screen_name(app), "finished");
    test_tap(app, "finished.end");
    assert_string_equal(app_screen_name(app), "attract");
    app_destroy(app);

    /* In the outbox: the submission, the rating, the staff call. */
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
    assert_int_equal(test_claim_citizen_records(store, 8, records, &count), KIOSK_OK);
    assert_int_equal(count, 3);
    assert_string_equal(records[1].kind, "rating");
    const char *rating = (const char *)records[1].payload;
    assert_non_null(memmem(rating, records[1].payload_length, "\"level\":2", 9));
    assert_non_null(memmem(rating, records[1].payload_length, "long-wait", 9));
    assert_non_null(memmem(rating, records[1].payload_length, "K0420-000001", 12));
    assert_null(memmem(rating, records[1].payload_length, "310101", 6));
    assert_string_equal(records[2].kind, "staff-call");
    assert_non_null(
        memmem(records[2].payload, records[2].payload_length, "citizen-unsatisfied", 19));
    cache_records_free(records, count);
    cache_close(store);
    seal_key_wipe(&key);
}

/* The lookup by tracking number begins with the scanner; with no platform
 * the citizen is told it cannot be looked up now. A code that is not a
 * tracking number is refused in words. */
static void test_a_lookup_begins_with_the_scanner(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_tap(app, "tile.case-progress");
    assert_string_equal(app_screen_name(app), "scan");
    assert_string_equal(test_text_of(app, "scan.title"), "请出示二维码");
    usb_model *scanner = app_sim_scanner(app);
    /* A code the scanner itself refuses (a control character in it) is
     * named in words too, not left as an empty line. */
    const char *escape = "GD\x1b[2J";
    assert_int_equal(scanner_sim_scan(scanner, "]Q1", (const uint8_t *)escape, strlen(escape)),
                     KIOSK_OK);
    test_wait_text(app, "scan.status", "这个码不能使用，请换一个。");
    const char *junk = "not a number!";
    assert_int_equal(scanner_sim_scan(scanner, "]Q1", (const uint8_t *)junk, strlen(junk)),
                     KIOSK_OK);
    test_wait_text(app, "scan.status", "这个二维码不是受理编号，请换一个，或回上一步。");
    const char *number = "GD20261122000042";
    assert_int_equal(scanner_sim_scan(scanner, "]Q1", (const uint8_t *)number, strlen(number)),
                     KIOSK_OK);
    test_wait_screen(app, "lookup");
    assert_non_null(strstr(test_text_of(app, "notice.body"), "本机也没有"));
    test_tap(app, "notice.again");
    assert_string_equal(app_screen_name(app), "scan");
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_receipt_prints_as_the_screen_shows_it),
        cmocka_unit_test(test_paper_out_tells_the_citizen_calls_staff_and_tries_again),
        cmocka_unit_test(test_the_attract_screen_says_what_paper_out_means),
        cmocka_unit_test(test_a_poor_rating_is_kept_and_calls_staff),
        cmocka_unit_test(test_a_lookup_begins_with_the_scanner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
