/* The A4 printer as the app sees it (firmware/app/app_a4.h), on a board
 * whose a4-printer is a real ippeveprinter (tests/support/ipp_printer.h):
 * ready or why not, a PDF printed and its outcome, a refusal's reason as a
 * string key every language has, and no printer at all. */
#include "../support/ipp_printer.h"
#include "../support/test_support.h"

#include "drivers/a4/ipp_transport.h"
#include "firmware/app/app_a4.h"
#include "firmware/app/app_devices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const ipp_timing fast = {
    .probe_ms = 100,
    .idle_poll_ms = 100,
    .job_poll_ms = 50,
    .answer_ms = 2000,
    .resume_wait_ms = 1500,
    .job_ceiling_ms = 5000,
};

static ipp_printer *printer;

/* The shipped board, with its a4-printer at the test's printer. */
static kiosk_app *app_with_printer(void)
{
    app_a4_set_timing(&fast);
    return test_app_create_with(ipp_printer_board(printer, "portrait-1080"), LANG_ZH_CN, true, 0);
}

static bool ready(kiosk_app *app, const void *context)
{
    (void)context;
    return app_a4_ready(app, NULL);
}

static bool says(kiosk_app *app, const void *key)
{
    const char *reason = NULL;
    return !app_a4_ready(app, &reason) && strcmp(reason, key) == 0;
}

static bool done(kiosk_app *app, const void *context)
{
    (void)context;
    return app_a4_last(app)->done;
}

static int setup(void **state)
{
    (void)state;
    printer = ipp_printer_start("app-a4");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ipp_printer_stop(printer);
    app_a4_set_timing(NULL);
    return 0;
}

static size_t received(void)
{
    char paths[4][IPP_PRINTER_PATH_MAX];
    return ipp_printer_documents(printer, paths, 4);
}

static void test_a_certificate_prints_and_its_outcome_is_told(void **state)
{
    (void)state;
    kiosk_app *app = app_with_printer();
    assert_true(test_run_until(app, ready, NULL));
    char pdf[8192];
    size_t length = ipp_test_pdf(2, "SOCIAL INSURANCE CERTIFICATE", pdf, sizeof pdf);
    assert_int_equal(app_a4_print(app, pdf, length, "certificate"), KIOSK_OK);
    /* One at a time, and the last outcome is not yet known. */
    assert_false(app_a4_last(app)->done);
    assert_int_equal(app_a4_print(app, pdf, length, "certificate"), KIOSK_ERR_BUSY);
    const char *reason = NULL;
    assert_false(app_a4_ready(app, &reason));
    assert_string_equal(reason, "device.a4-printer.busy");
    assert_true(test_run_until(app, done, NULL));
    const app_a4_outcome *outcome = app_a4_last(app);
    assert_true(outcome->printed);
    assert_int_equal(outcome->pages, 2);
    assert_string_equal(outcome->reason, "");

    char paths[4][IPP_PRINTER_PATH_MAX];
    assert_int_equal(ipp_printer_documents(printer, paths, 4), 1);
    assert_int_equal(ipp_document_pages(paths[0]), 2);
    assert_non_null(strstr(ipp_document_text(paths[0]), "SOCIAL INSURANCE CERTIFICATE 2"));
    assert_true(test_run_until(app, ready, NULL));
    app_destroy(app);
}

static void test_paper_out_is_said_before_and_after_and_nothing_prints(void **state)
{
    (void)state;
    kiosk_app *app = app_with_printer();
    assert_true(test_run_until(app, ready, NULL));
    ipp_printer_set_paper(printer, 0);
    assert_true(test_run_until(app, says, "device.a4-printer.paper-out"));
    /* The screen's words, in every language. */
    static const char *const tables[] = {"zh-CN", "zh-TW", "en"};
    for (size_t i = 0; i < 3; i++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/assets/strings/%s.json", test_source_dir(), tables[i]);
        const char *strings = test_read_file(path);
        assert_non_null(strings);
        assert_non_null(strstr(strings, "\"device.a4-printer.paper-out\":"));
        assert_non_null(strstr(strings, "\"device.a4-printer.paper-out.staff\":"));
    }
    /* Sent anyway (a screen that did not ask): refused with the reason. */
    char pdf[4096];
    size_t length = ipp_test_pdf(1, "NOT PRINTED", pdf, sizeof pdf);
    assert_int_equal(app_a4_print(app, pdf, length, "certificate"), KIOSK_OK);
    assert_true(test_run_until(app, done, NULL));
    assert_false(app_a4_last(app)->printed);
    assert_int_equal(app_a4_last(app)->pages, 0);
    assert_string_equal(app_a4_last(app)->reason, "device.a4-printer.paper-out");
    assert_int_equal(received(), 0);
    app_destroy(app);
}

static void test_no_printer_answering_is_no_device(void **state)
{
    (void)state;
    kiosk_app *app = app_with_printer();
    assert_true(test_run_until(app, ready, NULL));
    ipp_printer_kill(printer);
    assert_true(test_run_until(app, says, "device.a4-printer.unplugged"));
    char pdf[4096];
    size_t length = ipp_test_pdf(1, "NOBODY", pdf, sizeof pdf);
    assert_int_equal(app_a4_print(app, pdf, length, "certificate"), KIOSK_ERR_NO_DEVICE);
    assert_false(app_a4_last(app)->done);
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_certificate_prints_and_its_outcome_is_told, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_paper_out_is_said_before_and_after_and_nothing_prints,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_printer_answering_is_no_device, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
