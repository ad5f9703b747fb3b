/* What a citizen takes away from a service, inside the app: the result
 * screen and the receipt say what to do next (from the catalog), when it
 * was done (the hall's local time, in their language), and carry a QR code
 * of the platform's progress page that a phone reads back as that address
 * (the screen's code decoded from a PNG by zbarimg, the paper's from the
 * printer's ESC/POS bytes). A queue ticket prints the number, counter and
 * day the platform gave; without the platform there is no ticket. */
#include "../support/test_support.h"

#include "drivers/printer/receipt.h"
#include "drivers/sim/idcard_sim.h"
#include "drivers/sim/printer_sim.h"
#include "drivers/sim/scanner_sim.h"
#include "ui/image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The fixed test moment, 2026-11-22 09:30 UTC, in Beijing. */
#define WHEN_ZH "2026年11月22日 17:30"
#define WHEN_EN "22 Nov 2026, 17:30"
#define NEXT_ZH                                                                                    \
    "部门出具证明后会短信通知您，凭受理编号到任一自助终端打印或到窗口领取，3 个工作日内办结。"

static kiosk_app *at_result(lang language)
{
    kiosk_app *app = test_app_create("portrait-1080", language);
    test_open_typed(app, "tile.certificate-print");
    test_type(app, "310101198005056662");
    test_tap(app, "step.next");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "result");
    return app;
}

static const char *output_path(const char *name)
{
    static char path[1200];
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/build/test-output", test_source_dir());
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    return path;
}

/* What zbarimg reads from the PNG ("" for nothing), as a phone would. */
static const char *decoded(const char *png)
{
    static char text[512];
    char command[1400];
    snprintf(command, sizeof command, "zbarimg --quiet --raw '%s' 2>/dev/null", png);
    FILE *pipe = popen(command, "r");
    assert_non_null(pipe);
    size_t n = fread(text, 1, sizeof text - 1, pipe);
    pclose(pipe);
    text[n] = '\0';
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
        text[--n] = '\0';
    return text;
}

static void capture(kiosk_app *app, const char *name)
{
    SDL_Surface *screen = NULL;
    assert_int_equal(app_capture(app, &screen), KIOSK_OK);
    assert_int_equal(ui_image_save_png(screen, output_path(name), NULL), KIOSK_OK);
    SDL_FreeSurface(screen);
}

/* The printed receipt's paragraphs joined (lines a paragraph was printed
 * in come back as one), and its QR codes' data. */
static void printed(kiosk_app *app, char *texts, size_t texts_size, char *qr, size_t qr_size)
{
    receipt *r = calloc(1, sizeof *r);
    assert_non_null(r);
    assert_true(printer_sim_printed(app_sim_printer(app), r));
    size_t used = 0;
    qr[0] = texts[0] = '\0';
    for (size_t i = 0; i < r->count; i++) {
        if (r->items[i].kind == RECEIPT_TEXT)
            used += (size_t)snprintf(texts + used, texts_size - used, "%s|", r->items[i].text);
        else if (r->items[i].kind == RECEIPT_QR)
            snprintf(qr, qr_size, "%s", r->items[i].text);
    }
    free(r);
}

static void test_the_result_says_what_next_when_and_where_to_follow_it(void **state)
{
    (void)state;
    kiosk_app *app = at_result(LANG_ZH_CN);
    /* Kept on the terminal (no platform here): its own number, which the
     * platform's page knows once it is sent. */
    const char *number = test_text_of(app, "result.tracking");
    char url[128];
    snprintf(url, sizeof url, "https://127.0.0.1:8443/v/%s", number);
    assert_string_equal(test_text_of(app, "result.time"), WHEN_ZH);
    assert_string_equal(test_text_of(app, "result.next"), NEXT_ZH);
    capture(app, "next-steps-result-zh-CN");
    assert_string_equal(decoded(output_path("next-steps-result-zh-CN")), url);

    /* The citizen switches language: the words and the time follow. */
    test_tap(app, "footer.lang.en");
    assert_string_equal(test_text_of(app, "result.time"), WHEN_EN);
    assert_non_null(strstr(test_text_of(app, "result.next"), "print it at any terminal"));
    capture(app, "next-steps-result-en");
    assert_string_equal(decoded(output_path("next-steps-result-en")), url);
    test_tap(app, "footer.lang.zh-TW");
    assert_non_null(strstr(test_text_of(app, "result.next"), "憑受理編號到任一自助終端列印"));
    capture(app, "next-steps-result-zh-TW");
    test_tap(app, "footer.lang.zh-CN");

    /* On paper, read back from the printer's bytes. */
    test_print_and_wait(app);
    char texts[8192], qr[512];
    printed(app, texts, sizeof texts, qr, sizeof qr);
    assert_string_equal(qr, url);
    assert_non_null(strstr(texts, "|办理时间：" WHEN_ZH "|"));
    assert_non_null(strstr(texts, "|接下来|"));
    /* The next steps wrap over lines, each its own item: joined, the whole. */
    char joined[8192];
    size_t j = 0;
    for (const char *c = strstr(texts, "|接下来|") + strlen("|接下来|");
         *c && j + 1 < sizeof joined; c++)
        if (*c != '|')
            joined[j++] = *c;
    joined[j] = '\0';
    assert_non_null(strstr(joined, NEXT_ZH));
    /* Never the platform's raw form. */
    assert_null(strstr(texts, "T09:30"));
    app_destroy(app);
}

/* 预约取号 up to its confirmation: card, 社保, tomorrow morning, a phone. */
static kiosk_app *at_ticket_confirm(void)
{
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_tap_tile(app, "tile.appointment-ticket");
    test_wait_reader(app, "ready");
    idcard_sim_lay_card(app_sim_reader(app), IDCARD_SIM_ORDINARY);
    test_wait_screen(app, "form");
    test_tap(app, "form.field.0");
    test_tap(app, "edit.choice.0");
    test_tap(app, "form.field.1");
    test_tap(app, "edit.choice.1");
    test_tap(app, "form.field.2");
    test_type(app, "13912345678");
    test_tap(app, "step.next");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "confirm");
    return app;
}

/* Without the platform the queue cannot be joined: said, and why; no
 * ticket, no number. */
static void test_no_platform_no_ticket(void **state)
{
    (void)state;
    kiosk_app *app = at_ticket_confirm();
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "error");
    capture(app, "next-steps-ticket-offline-zh-CN");
    assert_true(strlen(app_result_tracking_number(app)) == 0);
    /* The words on the screen: why, and what to do. */
    assert_string_equal(test_text_of(app, "error.title"), "现在无法预约取号");
    app_destroy(app);
}

/* A booking as the platform answers it (app_appointment.c passes it on
 * this way): the ticket prints the number large, the counter and the day
 * itself, never "明天上午". */
static void test_a_ticket_prints_the_platform_s_number_counter_and_day(void **state)
{
    (void)state;
    kiosk_app *app = at_ticket_confirm();
    char masked[32];
    log_mask_personal("440304199001011233", masked, sizeof masked);
    /* 2026-11-23 01:00-01:30 UTC: 09:00-09:30 the next morning in Beijing. */
    ui_result_model ticket = {.outcome = UI_RESULT_ACCEPTED,
                              .service_name = "预约取号",
                              .tracking_number = "AP20261123-A023",
                              .masked_id = masked,
                              .time_text = "",
                              .qr_data = "",
                              .queue_number = "A023",
                              .window = "3号窗口",
                              .slot_text = "",
                              .at = TEST_WALL_TIME,
                              .windows = {"3号窗口", "3號窗口", "Counter 3"},
                              .slot_start = 1795395600,
                              .slot_end = 1795397400};
    assert_int_equal(app_show_result(app, &ticket), KIOSK_OK);
    assert_string_equal(test_text_of(app, "result.tracking"), "A023");
    assert_string_equal(test_text_of(app, "result.window"), "3号窗口");
    assert_string_equal(test_text_of(app, "result.slot"), "2026年11月23日 09:00–09:30");
    assert_null(ui_widget_find(app_root(app), "result.qr"));
    capture(app, "next-steps-ticket-zh-CN");
    test_tap(app, "footer.lang.en");
    assert_string_equal(test_text_of(app, "result.window"), "Counter 3");
    assert_string_equal(test_text_of(app, "result.slot"), "23 Nov 2026, 09:00–09:30");
    capture(app, "next-steps-ticket-en");
    test_tap(app, "footer.lang.zh-CN");
    test_print_and_wait(app);
    char texts[8192], qr[512];
    printed(app, texts, sizeof texts, qr, sizeof qr);
    assert_non_null(strstr(texts, "|A023|"));
    assert_non_null(strstr(texts, "|办理窗口：3号窗口|"));
    assert_non_null(strstr(texts, "|到窗口时间：2026年11月23日 09:00–09:30|"));
    assert_non_null(strstr(texts, "|预约取号凭条|"));
    assert_null(strstr(texts, "明天上午"));
    assert_string_equal(qr, "");
    app_destroy(app);
}

/* The receipt's code shown back to the terminal's scanner is read as the
 * number it carries: the address is no stranger to the kiosk that made it. */
static void test_the_receipt_s_code_is_read_back_by_the_scanner(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_tap(app, "tile.case-progress");
    assert_string_equal(app_screen_name(app), "scan");
    const char *url = "https://127.0.0.1:8443/v/GD20261122000042";
    assert_int_equal(
        scanner_sim_scan(app_sim_scanner(app), "]Q1", (const uint8_t *)url, strlen(url)), KIOSK_OK);
    test_wait_screen(app, "lookup");
    /* Asked about (here nobody can answer, and this terminal has no record
     * of it), not refused as "not a tracking number". */
    assert_non_null(strstr(test_text_of(app, "notice.body"), "本机也没有"));
    assert_non_null(strstr(test_text_of(app, "notice.body"), "GD20261122000042"));
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_result_says_what_next_when_and_where_to_follow_it),
        cmocka_unit_test(test_no_platform_no_ticket),
        cmocka_unit_test(test_a_ticket_prints_the_platform_s_number_counter_and_day),
        cmocka_unit_test(test_the_receipt_s_code_is_read_back_by_the_scanner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
