#include "../support/test_support.h"

#include "firmware/base/amount.h"
#include "firmware/base/file.h"
#include "firmware/base/local_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 2026-12-07T04:19:40Z: the moment in the issue. */
#define ISSUE_MOMENT ((int64_t)1796617180)

static bool zone_or_skip(const char *name, local_zone *zone)
{
    kiosk_diag diag = {{0}};
    kiosk_error loaded = local_zone_load(name, zone, &diag);
    if (loaded == KIOSK_ERR_NOT_FOUND) {
        printf("skipped: no tz database entry for %s (%s)\n", name, diag.message);
        return false;
    }
    assert_int_equal(loaded, KIOSK_OK);
    return true;
}

static void expect(const local_zone *zone, lang language, local_time_form form, int64_t at,
                   const char *wanted)
{
    char text[LOCAL_TIME_TEXT_MAX];
    assert_int_equal(local_time_format(zone, language, form, at, text, sizeof text), KIOSK_OK);
    assert_string_equal(text, wanted);
}

static void test_the_hall_in_china_reads_its_own_clock_in_each_language(void **state)
{
    (void)state;
    local_zone zone;
    kiosk_diag diag = {{0}};
    assert_int_equal(local_zone_load(LOCAL_ZONE_DEFAULT, &zone, &diag), KIOSK_OK);
    expect(&zone, LANG_ZH_CN, LOCAL_TIME_DATE_TIME, ISSUE_MOMENT, "2026年12月7日 12:19");
    expect(&zone, LANG_ZH_TW, LOCAL_TIME_DATE_TIME, ISSUE_MOMENT, "2026年12月7日 12:19");
    expect(&zone, LANG_EN, LOCAL_TIME_DATE_TIME, ISSUE_MOMENT, "7 Dec 2026, 12:19");
    expect(&zone, LANG_EN, LOCAL_TIME_DATE, ISSUE_MOMENT, "7 Dec 2026");
    expect(&zone, LANG_ZH_CN, LOCAL_TIME_DATE, ISSUE_MOMENT, "2026年12月7日");
    expect(&zone, LANG_EN, LOCAL_TIME_CLOCK, ISSUE_MOMENT, "12:19");
    /* Half past four in the afternoon UTC is past midnight in Beijing. */
    expect(&zone, LANG_EN, LOCAL_TIME_DATE, ISSUE_MOMENT + 12 * 3600, "8 Dec 2026");
}

static void test_the_platform_utc_text_becomes_local(void **state)
{
    (void)state;
    local_zone zone;
    local_zone_fixed(&zone, "Asia/Shanghai", 8 * 3600);
    char text[LOCAL_TIME_TEXT_MAX];
    assert_int_equal(local_time_format_utc(&zone, LANG_ZH_CN, LOCAL_TIME_DATE_TIME,
                                           "2026-12-07T04:19:40Z", text, sizeof text),
                     KIOSK_OK);
    assert_string_equal(text, "2026年12月7日 12:19");
    /* Anything but the exact form is refused and shown as unknown, never raw. */
    static const char *const bad[] = {
        "2026-12-07T04:19:40",      "2026-12-07 04:19:40Z", "2026-12-07T04:19:40Z ",
        "2026-02-29T00:00:00Z",     "2026-13-01T00:00:00Z", "2026-12-07T24:00:00Z",
        "2026-12-7T04:19:40Z",      "+026-12-07T04:19:40Z", "",
        "2026-12-07T04:19:40+08:00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t at;
        assert_int_equal(local_time_parse_utc(bad[i], &at), KIOSK_ERR_MALFORMED);
        assert_int_equal(local_time_format_utc(&zone, LANG_ZH_TW, LOCAL_TIME_DATE_TIME, bad[i],
                                               text, sizeof text),
                         KIOSK_ERR_MALFORMED);
        assert_string_equal(text, "時間不詳");
    }
    int64_t at = 0;
    assert_int_equal(local_time_parse_utc("2028-02-29T23:59:59Z", &at), KIOSK_OK);
    assert_int_equal(at, (int64_t)1835481599);
}

static void test_absurd_moments_are_shown_as_unknown(void **state)
{
    (void)state;
    local_zone zone;
    local_zone_fixed(&zone, "UTC", 0);
    char text[LOCAL_TIME_TEXT_MAX];
    assert_int_equal(
        local_time_format(&zone, LANG_ZH_CN, LOCAL_TIME_DATE_TIME, 0, text, sizeof text),
        KIOSK_ERR_MALFORMED);
    assert_string_equal(text, "时间不详");
    assert_int_equal(local_time_format(&zone, LANG_EN, LOCAL_TIME_DATE_TIME, LOCAL_TIME_LAST + 1,
                                       text, sizeof text),
                     KIOSK_ERR_MALFORMED);
    assert_string_equal(text, "time unknown");
    assert_int_equal(
        local_time_format(&zone, LANG_EN, LOCAL_TIME_DATE_TIME, -86400, text, sizeof text),
        KIOSK_ERR_MALFORMED);
    expect(&zone, LANG_EN, LOCAL_TIME_DATE_TIME, LOCAL_TIME_FIRST, "1 Jan 2000, 00:00");
    /* A short buffer is an error with nothing half-written. */
    assert_int_equal(local_time_format(&zone, LANG_EN, LOCAL_TIME_DATE_TIME, ISSUE_MOMENT, text, 8),
                     KIOSK_ERR_TOO_BIG);
    assert_string_equal(text, "");
}

static void test_daylight_saving_and_zones_west_and_half_hours(void **state)
{
    (void)state;
    local_zone london, new_york, kolkata;
    if (!zone_or_skip("Europe/London", &london) || !zone_or_skip("America/New_York", &new_york) ||
        !zone_or_skip("Asia/Kolkata", &kolkata))
        return;
    /* 2026-03-29 01:00 UTC: London moves to BST. */
    expect(&london, LANG_EN, LOCAL_TIME_DATE_TIME, 1774745999, "29 Mar 2026, 00:59");
    expect(&london, LANG_EN, LOCAL_TIME_DATE_TIME, 1774746000, "29 Mar 2026, 02:00");
    expect(&london, LANG_EN, LOCAL_TIME_CLOCK, ISSUE_MOMENT, "04:19");
    /* West of UTC, the date is still the 6th. */
    expect(&new_york, LANG_ZH_CN, LOCAL_TIME_DATE_TIME, ISSUE_MOMENT, "2026年12月6日 23:19");
    expect(&kolkata, LANG_EN, LOCAL_TIME_CLOCK, ISSUE_MOMENT, "09:49");
}

static void test_a_zone_that_changed_its_offset_keeps_each_era(void **state)
{
    (void)state;
    local_zone moscow;
    if (!zone_or_skip("Europe/Moscow", &moscow))
        return;
    /* Moscow kept +04:00 from 2011 to October 2014, then +03:00, no DST. */
    expect(&moscow, LANG_EN, LOCAL_TIME_CLOCK, 1370044800, "04:00");
    expect(&moscow, LANG_EN, LOCAL_TIME_CLOCK, 1433116800, "03:00");
    expect(&moscow, LANG_EN, LOCAL_TIME_CLOCK, 1433116800 + 180 * 86400, "03:00");
}

static void test_zones_are_values_not_the_process_environment(void **state)
{
    (void)state;
    local_zone shanghai, utc;
    kiosk_diag diag = {{0}};
    assert_int_equal(local_zone_load("Asia/Shanghai", &shanghai, &diag), KIOSK_OK);
    assert_int_equal(local_zone_load("UTC", &utc, &diag), KIOSK_OK);
    /* Changing TZ changes nothing: no tzset, no localtime. */
    const char *before = getenv("TZ");
    char *saved = before ? strdup(before) : NULL;
    setenv("TZ", "America/New_York", 1);
    expect(&shanghai, LANG_EN, LOCAL_TIME_CLOCK, ISSUE_MOMENT, "12:19");
    expect(&utc, LANG_EN, LOCAL_TIME_CLOCK, ISSUE_MOMENT, "04:19");
    if (saved) {
        setenv("TZ", saved, 1);
        free(saved);
    } else {
        unsetenv("TZ");
    }
    /* Without the tz database the hall's default still holds. */
    assert_int_equal(
        local_zone_load_from("/nonexistent-zoneinfo", "Asia/Shanghai", &shanghai, &diag), KIOSK_OK);
    expect(&shanghai, LANG_ZH_CN, LOCAL_TIME_DATE_TIME, ISSUE_MOMENT, "2026年12月7日 12:19");
    assert_int_equal(
        local_zone_load_from("/nonexistent-zoneinfo", "Europe/London", &shanghai, &diag),
        KIOSK_ERR_NOT_FOUND);
    assert_non_null(strstr(diag.message, "Europe/London"));
}

static void test_bad_zone_names_and_files_are_refused(void **state)
{
    (void)state;
    local_zone zone;
    kiosk_diag diag = {{0}};
    static const char *const names[] = {"../../etc/passwd", "/etc/localtime", "Asia/../x",     "",
                                        "Asia//Shanghai",   "Asia/Shang hai", "Asia/Shanghai/"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_int_equal(local_zone_load(names[i], &zone, &diag), KIOSK_ERR_MALFORMED);
    /* A file that is not a zone, or one cut short. */
    const char *dir = test_make_temp_dir("zoneinfo");
    char path[512];
    snprintf(path, sizeof path, "%s/Not_A_Zone", dir);
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs("<html>not a zone</html>", file);
    fclose(file);
    assert_int_equal(local_zone_load_from(dir, "Not_A_Zone", &zone, &diag), KIOSK_ERR_MALFORMED);
    snprintf(path, sizeof path, "%s/Cut_Short", dir);
    char *data = NULL;
    size_t size = 0;
    if (file_read_all("/usr/share/zoneinfo/Europe/London", 1 << 20, &data, &size, &diag) ==
        KIOSK_OK) {
        file = fopen(path, "w");
        assert_non_null(file);
        fwrite(data, 1, size / 2, file);
        fclose(file);
        free(data);
        assert_int_equal(local_zone_load_from(dir, "Cut_Short", &zone, &diag), KIOSK_ERR_MALFORMED);
    }
}

static void test_amounts_are_grouped_in_each_language(void **state)
{
    (void)state;
    char text[48];
    assert_int_equal(amount_format(1234567, LANG_ZH_CN, text, sizeof text), KIOSK_OK);
    assert_string_equal(text, "12,345.67 元");
    assert_int_equal(amount_format(1234567, LANG_EN, text, sizeof text), KIOSK_OK);
    assert_string_equal(text, "¥12,345.67");
    assert_int_equal(amount_format(-5, LANG_ZH_TW, text, sizeof text), KIOSK_OK);
    assert_string_equal(text, "-0.05 元");
    assert_int_equal(amount_format(100000000, LANG_ZH_CN, text, sizeof text), KIOSK_OK);
    assert_string_equal(text, "1,000,000.00 元");
    assert_int_equal(amount_format(AMOUNT_FEN_MAX + 1, LANG_ZH_CN, text, sizeof text),
                     KIOSK_ERR_MALFORMED);
    assert_int_equal(amount_format(1234567, LANG_ZH_CN, text, 6), KIOSK_ERR_TOO_BIG);
    assert_string_equal(text, "");

    int64_t fen = 0;
    assert_int_equal(amount_parse("54321.09 元", &fen), KIOSK_OK);
    assert_int_equal(fen, 5432109);
    assert_int_equal(amount_parse("1,234.5元", &fen), KIOSK_OK);
    assert_int_equal(fen, 123450);
    assert_int_equal(amount_parse("¥800", &fen), KIOSK_OK);
    assert_int_equal(fen, 80000);
    static const char *const bad[] = {"",
                                      "元",
                                      "12,34.00 元",
                                      "1.234 元",
                                      "12.3.4 元",
                                      "12 元 ",
                                      "¥12 元",
                                      "1e5 元",
                                      "99999999999999999 元",
                                      "12,,345 元",
                                      "\xe2\x80\xae"
                                      "12 元"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(amount_parse(bad[i], &fen), KIOSK_ERR_MALFORMED);

    /* A platform's line: money regrouped, other values untouched. */
    assert_true(amount_regroup("54321.09 元", LANG_EN, text, sizeof text));
    assert_string_equal(text, "¥54,321.09");
    assert_false(amount_regroup("2026 年 10 月", LANG_EN, text, sizeof text));
    assert_string_equal(text, "2026 年 10 月");
    assert_false(amount_regroup("12345", LANG_ZH_CN, text, sizeof text));
    assert_string_equal(text, "12345");
}

static void test_long_codes_are_grouped_for_the_eye(void **state)
{
    (void)state;
    char text[64];
    assert_int_equal(amount_group_code("GD20261207000123", text, sizeof text), KIOSK_OK);
    assert_string_equal(text, "GD20 2612 0700 0123");
    assert_int_equal(amount_group_code("A023", text, sizeof text), KIOSK_OK);
    assert_string_equal(text, "A023");
    assert_int_equal(amount_group_code("K04-20261207-0001", text, sizeof text), KIOSK_OK);
    assert_string_equal(text, "K04-20261207-0001");
    assert_int_equal(amount_group_code("K0420-000001", text, sizeof text), KIOSK_OK);
    assert_string_equal(text, "K0420-000001");
    assert_int_equal(amount_group_code("12345678", text, sizeof text), KIOSK_OK);
    assert_string_equal(text, "12345678");
    assert_int_equal(amount_group_code("123456789", text, sizeof text), KIOSK_OK);
    assert_string_equal(text, "1234 5678 9");
    assert_int_equal(amount_group_code("GD20261207000123", text, 10), KIOSK_ERR_TOO_BIG);
    assert_string_equal(text, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_hall_in_china_reads_its_own_clock_in_each_language),
        cmocka_unit_test(test_the_platform_utc_text_becomes_local),
        cmocka_unit_test(test_absurd_moments_are_shown_as_unknown),
        cmocka_unit_test(test_daylight_saving_and_zones_west_and_half_hours),
        cmocka_unit_test(test_a_zone_that_changed_its_offset_keeps_each_era),
        cmocka_unit_test(test_zones_are_values_not_the_process_environment),
        cmocka_unit_test(test_bad_zone_names_and_files_are_refused),
        cmocka_unit_test(test_amounts_are_grouped_in_each_language),
        cmocka_unit_test(test_long_codes_are_grouped_for_the_eye),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
