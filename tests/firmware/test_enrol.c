/* The terminal's client certificate as the technician sees it: read from a
 * real PEM made by the openssl command (subject, issuer, expiry), days left
 * by the app's clock and renew_soon at 30 days or fewer, shown on the
 * technician's home; no certificate, and a file that is not one. */
#include "../support/test_support.h"

#include "firmware/app/app_technician.h"
#include "firmware/app/navigation.h"
#include "firmware/platform/enrol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A self-signed EC certificate for CN K0420 valid days from now; its path. */
static const char *make_cert(const char *dir, const char *name, int days)
{
    static char path[1200];
    char command[4000];
    snprintf(path, sizeof path, "%s/%s.pem", dir, name);
    snprintf(command, sizeof command,
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "
             "%s/%s.key -out %s -days %d -subj '/O=kiosk test/CN=K0420' 2>/dev/null",
             dir, name, path, days);
    assert_int_equal(system(command), 0);
    return path;
}

static void test_a_certificate_is_read(void **state)
{
    (void)state;
    const char *dir = test_make_temp_dir("enrol-read");
    time_t before = time(NULL);
    const char *path = make_cert(dir, "terminal", 90);
    enrol_cert_info info;
    kiosk_diag diag = {{0}};
    assert_int_equal(enrol_cert_read(path, &info, &diag), KIOSK_OK);
    assert_string_equal(info.subject, "/O=kiosk test/CN=K0420");
    assert_string_equal(info.issuer, "/O=kiosk test/CN=K0420");
    int64_t expected = (int64_t)before + 90 * 86400;
    assert_true(info.not_after_s >= expected - 5 && info.not_after_s <= expected + 60);
    assert_true(info.not_before_s >= before - 5 && info.not_before_s <= before + 60);
}

static void test_no_file_and_no_certificate_are_told_apart(void **state)
{
    (void)state;
    const char *dir = test_make_temp_dir("enrol-bad");
    enrol_cert_info info;
    kiosk_diag diag = {{0}};
    char missing[1200];
    snprintf(missing, sizeof missing, "%s/none.pem", dir);
    assert_int_equal(enrol_cert_read(missing, &info, &diag), KIOSK_ERR_NOT_FOUND);
    const char *junk = test_write_file(dir, "junk.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n");
    assert_int_equal(enrol_cert_read(junk, &info, &diag), KIOSK_ERR_MALFORMED);
    assert_non_null(strstr(diag.message, "no PEM certificate"));
}

/* A board whose client certificate is path. */
static const char *board_with(const char *path)
{
    char tls[1600];
    snprintf(tls, sizeof tls,
             "\"platform_url\": \"https://127.0.0.1:8443/\",\n  \"platform_tls\": "
             "{\"client_cert\": \"%s\"},",
             path);
    const char *profile = test_read_file(test_board_in_temp("portrait-1080", NULL));
    const char *replaced =
        test_replace(profile, "\"platform_url\": \"https://127.0.0.1:8443/\",", tls);
    static int made;
    char name[32];
    snprintf(name, sizeof name, "enrol-board-%d", made++);
    return test_write_file(test_make_temp_dir(name), "board.json", replaced);
}

/* Days from the app's (fixed) clock to a certificate made now for days. */
static int days_from_test_clock(int days)
{
    return (int)(((int64_t)time(NULL) + (int64_t)days * 86400 - (int64_t)TEST_WALL_TIME) / 86400);
}

static void test_days_left_and_renew_soon(void **state)
{
    (void)state;
    char dir[1100]; /* test_make_temp_dir's buffer is its next call's */
    snprintf(dir, sizeof dir, "%s", test_make_temp_dir("enrol-days"));
    /* The test clock stands before today: choose lengths that fall clearly
     * on either side of 30 days from it. */
    int soon_days = 30 - days_from_test_clock(0) - 5;
    if (soon_days < 1)
        skip(); /* the machine's clock is too far past the test clock */
    kiosk_app *app = test_app_create(board_with(make_cert(dir, "soon", soon_days)), LANG_ZH_CN);
    app_cert_status status;
    assert_int_equal(app_cert_status_get(app, &status), KIOSK_OK);
    assert_true(status.present);
    assert_string_equal(status.subject, "/O=kiosk test/CN=K0420");
    int expected = days_from_test_clock(soon_days);
    assert_true(status.days_left == expected || status.days_left == expected - 1);
    assert_true(status.renew_soon);
    assert_int_equal(app_go(app, APP_SCREEN_TECHNICIAN), KIOSK_OK);
    assert_non_null(strstr(test_text_of(app, "tech.cert"), "请尽快更新"));
    app_destroy(app);

    app = test_app_create(board_with(make_cert(dir, "long", 400)), LANG_ZH_CN);
    assert_int_equal(app_cert_status_get(app, &status), KIOSK_OK);
    assert_false(status.renew_soon);
    assert_true(status.days_left > 400);
    assert_int_equal(app_go(app, APP_SCREEN_TECHNICIAN), KIOSK_OK);
    assert_non_null(strstr(test_text_of(app, "tech.cert"), "到期（还有"));
    app_destroy(app);
}

static void test_a_terminal_without_a_certificate_says_so(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    app_cert_status status;
    assert_int_equal(app_cert_status_get(app, &status), KIOSK_OK);
    assert_false(status.present);
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_certificate_is_read),
        cmocka_unit_test(test_no_file_and_no_certificate_are_told_apart),
        cmocka_unit_test(test_days_left_and_renew_soon),
        cmocka_unit_test(test_a_terminal_without_a_certificate_says_so),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
