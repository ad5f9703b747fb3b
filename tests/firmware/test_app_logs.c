/* The recent log as a technician gets it (firmware/app/app_logs.c): shown,
 * and exported to a USB stick with only masked personal numbers. */
#include "../support/test_support.h"

#include "firmware/app/app.h"
#include "firmware/app/app_logs.h"
#include "firmware/base/log.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void test_the_export_has_the_board_the_version_and_only_masked_numbers(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    /* A synthetic citizen: ID number and mobile number through the logger
     * (at the level a terminal logs in the hall). */
    log_set_level(LOG_LEVEL_INFO);
    LOG_INFO("test", "card read for 11010519491231002X, phone 13912345678");
    char *recent = app_logs_recent(app, 5);
    assert_non_null(strstr(recent, "110105********002X"));
    assert_null(strstr(recent, "11010519491231002X"));
    free(recent);

    const char *stick = test_make_temp_dir("usb-stick");
    char written[512];
    kiosk_diag diag = {{0}};
    assert_int_equal(app_logs_export(app, stick, "kioskctl:root", written, sizeof written, &diag),
                     KIOSK_OK);
    assert_non_null(strstr(written, "/kiosk-log-K0420-"));
    assert_non_null(strstr(written, ".txt"));
    char *text = strdup(test_read_file(written));
    assert_non_null(strstr(text, "terminal: K0420\n"));
    assert_non_null(strstr(text, "board: portrait-1080 ("));
    /* The version the kiosk was built as (each object is stamped when it
     * is compiled, so only its presence is checked here). */
    const char *version = strstr(text, "\nfirmware: ");
    assert_non_null(version);
    assert_true(version[strlen("\nfirmware: ")] > ' ');
    assert_non_null(strstr(text, "by kioskctl:root\n"));
    assert_non_null(strstr(text, "card read for 110105********002X, phone 139****5678\n"));
    assert_null(strstr(text, "19491231"));
    assert_null(strstr(text, "12345678"));
    free(text);

    /* A second export within the second is a file of its own. */
    char again[512];
    assert_int_equal(app_logs_export(app, stick, "kioskctl:root", again, sizeof again, &diag),
                     KIOSK_OK);
    assert_string_not_equal(again, written);
    log_set_level(LOG_LEVEL_ERROR);
    app_destroy(app);
}

static void test_a_missing_folder_is_refused_in_plain_words(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    kiosk_diag diag = {{0}};
    char written[512] = "";
    assert_int_equal(
        app_logs_export(app, "/nonexistent/usb", "kioskctl:root", written, sizeof written, &diag),
        KIOSK_ERR_NOT_FOUND);
    assert_string_equal(diag.message,
                        "no folder /nonexistent/usb: is the USB stick plugged in and mounted?");
    assert_string_equal(written, "");
    /* A file where the folder should be is no folder either. */
    const char *dir = test_make_temp_dir("not-a-stick");
    const char *file = test_write_file(dir, "usb", "x");
    assert_int_equal(app_logs_export(app, file, "kioskctl:root", written, sizeof written, &diag),
                     KIOSK_ERR_NOT_FOUND);
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_export_has_the_board_the_version_and_only_masked_numbers),
        cmocka_unit_test(test_a_missing_folder_is_refused_in_plain_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
