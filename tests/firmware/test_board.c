#include "../support/test_support.h"

#include "firmware/app/board.h"

#include <stdio.h>
#include <string.h>

static const char *profile_path(const char *name)
{
    static char path[1024];
    assert_int_equal(board_path_for(test_source_dir(), name, path, sizeof path), KIOSK_OK);
    return path;
}

static void test_shipped_profiles_load(void **state)
{
    (void)state;
    const char *names[] = {"portrait-1080", "landscape-1080", "portrait-800"};
    const int widths[] = {1080, 1920, 800};
    for (size_t i = 0; i < 3; i++) {
        board_profile board;
        kiosk_diag diag = {{0}};
        assert_int_equal(board_load(profile_path(names[i]), &board, &diag), KIOSK_OK);
        assert_string_equal(board.name, names[i]);
        assert_int_equal(board.width_px, widths[i]);
        assert_int_equal(board.device_count, 5);
        assert_int_equal(board.devices[0].kind, BOARD_DEVICE_ID_READER);
        assert_int_equal(board.devices[0].transport, BOARD_TRANSPORT_SIM);
        /* The A4 printer: ippeveprinter at the URI make run starts it on. */
        assert_int_equal(board.devices[3].kind, DEVICE_A4_PRINTER);
        assert_int_equal(board.devices[3].transport, BOARD_TRANSPORT_IPP);
        assert_string_equal(board.devices[3].uri, "ipp://127.0.0.1:8631/ipp/print");
        /* The accessibility keypad, simulated like the reader. */
        assert_int_equal(board.devices[4].kind, DEVICE_KEYPAD);
        assert_int_equal(board.devices[4].transport, BOARD_TRANSPORT_SIM);
        assert_int_equal(board.fonts[LANG_ZH_TW].face, 3);
        assert_int_equal(board.fonts[LANG_ZH_CN].face, 2);
        assert_int_equal(board.default_lang, LANG_ZH_CN);
    }
}

static void test_name_or_path(void **state)
{
    (void)state;
    char path[64];
    assert_int_equal(board_path_for("/share", "x", path, sizeof path), KIOSK_OK);
    assert_string_equal(path, "/share/board/profiles/x.json");
    assert_int_equal(board_path_for("/share", "./mine.json", path, sizeof path), KIOSK_OK);
    assert_string_equal(path, "./mine.json");
}

/* Loads the shipped profile with one replacement and expects an error whose
 * message names the file and contains `expected`. */
static void expect_rejected(const char *from, const char *to, const char *expected)
{
    const char *good = test_read_file(profile_path("portrait-1080"));
    assert_non_null(good);
    const char *dir = test_make_temp_dir("board");
    const char *path = test_write_file(dir, "bad.json", test_replace(good, from, to));
    board_profile board;
    kiosk_diag diag = {{0}};
    kiosk_error result = board_load(path, &board, &diag);
    assert_int_equal(result, KIOSK_ERR_MALFORMED);
    if (!strstr(diag.message, path) || !strstr(diag.message, expected))
        fail_msg("message \"%s\" should name %s and say \"%s\"", diag.message, path, expected);
}

static void test_bad_fields_are_named(void **state)
{
    (void)state;
    expect_rejected("\"width_px\": 1080", "\"width_px\": 10", "screen.width_px");
    expect_rejected("\"width_px\": 1080", "\"width_px\": 1080.5", "whole number");
    expect_rejected("\"height_px\": 1920,", "", "screen.height_px: missing");
    expect_rejected("\"rotation\": 0", "\"rotation\": 45", "screen.rotation");
    expect_rejected("\"face\": 3", "\"face\": \"3\"", "fonts.zh-TW.face");
    expect_rejected("\"kind\": \"printer\"", "\"kind\": \"fax\"", "devices[1].kind");
    expect_rejected("\"transport\": \"sim\"", "\"transport\": \"serial\"", "devices[0].transport");
    expect_rejected("\"/var/lib/kiosk\"", "\"var/lib/kiosk\"", "data_dir");
    expect_rejected("https://127.0.0.1", "http://127.0.0.1", "https://");
    expect_rejected("\"default_lang\": \"zh-CN\"", "\"default_lang\": \"fr\"", "default_lang");
    expect_rejected("\"idle_timeout_s\": 60", "\"idle_timeout_s\": 1", "idle_timeout_s");
    expect_rejected("\"idle_timeout_s\": 60",
                    "\"idle_timeout_s\": 60, \"test_control\": \"k.sock\"",
                    "test_control: expected an absolute socket path");
    expect_rejected("\"idle_timeout_s\": 60", "\"idle_timeout_s\": 60, \"storage\": 3", "storage");
    expect_rejected("\"idle_timeout_s\": 60",
                    "\"idle_timeout_s\": 60, \"storage\": {\"cipher\": \"des\"}",
                    "storage.cipher: \"des\" is not aes-256-gcm or sm4-gcm");
    expect_rejected("\"idle_timeout_s\": 60",
                    "\"idle_timeout_s\": 60, \"storage\": {\"key_file\": \"seal.key\"}",
                    "storage.key_file: expected an absolute path");
    expect_rejected("\"idle_timeout_s\": 60",
                    "\"idle_timeout_s\": 60, \"storage\": {\"retention_days\": 0}",
                    "storage.retention_days");
    /* The A4 printer is reached over IPP at a URI it needs, and only it is. */
    expect_rejected("\"transport\": \"ipp\"", "\"transport\": \"sim\"",
                    "devices[3].transport: \"sim\" is not ipp");
    expect_rejected("\"kind\": \"a4-printer\"", "\"kind\": \"scanner\"",
                    "is only for the a4-printer");
    expect_rejected("\"uri\": \"ipp://127.0.0.1:8631/ipp/print\"", "\"url\": \"x\"",
                    "devices[3].uri: missing");
    expect_rejected("ipp://127.0.0.1:8631/ipp/print", "http://127.0.0.1:8631/ipp/print",
                    "devices[3].uri: expected ipp:// or ipps://");
    expect_rejected("ipp://127.0.0.1:8631/ipp/print", "ipp://user:pw@127.0.0.1:8631/ipp/print",
                    "devices[3].uri");
    expect_rejected("ipp://127.0.0.1:8631/ipp/print", "ipp://127.0.0.1:8631/ipp print",
                    "devices[3].uri");
}

static void test_storage_defaults_and_choices(void **state)
{
    (void)state;
    board_profile board;
    assert_int_equal(board_load(profile_path("portrait-1080"), &board, NULL), KIOSK_OK);
    assert_string_equal(board.storage.cipher, "aes-256-gcm");
    assert_string_equal(board.storage.key_file, "/var/lib/kiosk/seal.key");
    assert_int_equal(board.storage.retention_days, 30);
    assert_int_equal(board.storage.outbox_max_mb, 256);
    /* A hall that must use 国密 says so in its profile. */
    assert_int_equal(board_load(profile_path("landscape-1080"), &board, NULL), KIOSK_OK);
    assert_string_equal(board.storage.cipher, "sm4-gcm");
    assert_int_equal(board.storage.retention_days, 15);
    /* The terminal's identity towards the platform, by default in data_dir. */
    assert_string_equal(board.platform_tls.terminal_id, "K0420");
    assert_string_equal(board.platform_tls.client_key, "/var/lib/kiosk/tls/terminal.key");
    assert_string_equal(board.platform_tls.pinned_key, "");
    expect_rejected("\"idle_timeout_s\": 60",
                    "\"idle_timeout_s\": 60, \"platform_tls\": {\"pinned_key\": \"abc\"}",
                    "platform_tls.pinned_key");
    expect_rejected("\"idle_timeout_s\": 60",
                    "\"idle_timeout_s\": 60, \"platform_tls\": {\"ca_file\": \"ca.pem\"}",
                    "platform_tls.ca_file: expected an absolute path");
}

static void test_the_hall_zone_defaults_to_china_and_is_checked(void **state)
{
    (void)state;
    board_profile board;
    assert_int_equal(board_load(profile_path("portrait-1080"), &board, NULL), KIOSK_OK);
    assert_string_equal(board.zone.name, "Asia/Shanghai");
    char text[LOCAL_TIME_TEXT_MAX];
    assert_int_equal(local_time_format(&board.zone, LANG_ZH_CN, LOCAL_TIME_DATE_TIME, 1796617180,
                                       text, sizeof text),
                     KIOSK_OK);
    assert_string_equal(text, "2026年12月7日 12:19");
    expect_rejected("\"idle_timeout_s\": 60",
                    "\"idle_timeout_s\": 60, \"timezone\": \"../../etc/passwd\"",
                    "is not a zone name");
    expect_rejected("\"idle_timeout_s\": 60",
                    "\"idle_timeout_s\": 60, \"timezone\": \"Mars/Olympus_Mons\"",
                    "no zone \"Mars/Olympus_Mons\"");
    expect_rejected("\"idle_timeout_s\": 60", "\"idle_timeout_s\": 60, \"timezone\": 8",
                    "timezone");
}

/* Where a citizen gets help: the hotline and staff's hours, checked. */
static void test_hotline_and_staff_hours(void **state)
{
    (void)state;
    board_profile board;
    assert_int_equal(board_load(profile_path("portrait-1080"), &board, NULL), KIOSK_OK);
    assert_string_equal(board.hotline, "12345");
    /* No hours given: staff are always there to call. */
    assert_true(board_staff_on_duty(&board, 3 * 60));
    const char *good = test_read_file(profile_path("portrait-1080"));
    const char *path = test_write_file(
        test_make_temp_dir("board"), "day.json",
        test_replace(good, "\"hotline\": \"12345\"",
                     "\"hotline\": \"0755 12345\", \"staff_hours\": \"08:30-17:30\""));
    assert_int_equal(board_load(path, &board, NULL), KIOSK_OK);
    assert_string_equal(board.hotline, "0755 12345");
    assert_true(board_staff_on_duty(&board, 8 * 60 + 30));
    assert_true(board_staff_on_duty(&board, 17 * 60 + 29));
    assert_false(board_staff_on_duty(&board, 17 * 60 + 30));
    assert_false(board_staff_on_duty(&board, 3 * 60));
    /* A night shift runs past midnight. */
    board.staff_from_min = 20 * 60;
    board.staff_to_min = 8 * 60;
    assert_true(board_staff_on_duty(&board, 23 * 60));
    assert_true(board_staff_on_duty(&board, 7 * 60));
    assert_false(board_staff_on_duty(&board, 12 * 60));
    expect_rejected("\"hotline\": \"12345\"", "\"hotline\": \"call us\"", "hotline");
    expect_rejected("\"hotline\": \"12345\"", "\"staff_hours\": \"8:30-17:30\"", "staff_hours");
    expect_rejected("\"hotline\": \"12345\"", "\"staff_hours\": \"08:30-24:00\"", "staff_hours");
}

static void test_broken_json_names_line(void **state)
{
    (void)state;
    const char *dir = test_make_temp_dir("board-json");
    const char *path = test_write_file(dir, "broken.json", "{\n  \"name\": \"x\",\n  oops\n}\n");
    board_profile board;
    kiosk_diag diag = {{0}};
    assert_int_equal(board_load(path, &board, &diag), KIOSK_ERR_MALFORMED);
    assert_non_null(strstr(diag.message, "not valid JSON (line 3"));
    assert_non_null(strstr(diag.message, path));

    path = test_write_file(dir, "array.json", "[1, 2]");
    assert_int_equal(board_load(path, &board, &diag), KIOSK_ERR_MALFORMED);
    assert_non_null(strstr(diag.message, "expected a JSON object"));
}

static void test_missing_file(void **state)
{
    (void)state;
    board_profile board;
    kiosk_diag diag = {{0}};
    assert_int_equal(board_load("/nonexistent/board.json", &board, &diag), KIOSK_ERR_NOT_FOUND);
    assert_string_equal(diag.message, "/nonexistent/board.json: file not found");
}

/* The memory ceiling: none unless the board gives one, and then a whole
 * number of MB the kiosk could live within. */
static void test_the_memory_ceiling_is_optional_and_checked(void **state)
{
    (void)state;
    board_profile board;
    assert_int_equal(board_load(profile_path("portrait-1080"), &board, NULL), KIOSK_OK);
    assert_int_equal(board.memory_limit_mb, 0);
    const char *good = test_read_file(profile_path("portrait-1080"));
    const char *path =
        test_write_file(test_make_temp_dir("board"), "ceiling.json",
                        test_replace(good, "\"idle_timeout_s\": 60",
                                     "\"idle_timeout_s\": 60, \"memory_limit_mb\": 384"));
    assert_int_equal(board_load(path, &board, NULL), KIOSK_OK);
    assert_int_equal(board.memory_limit_mb, 384);
    const char *bad[] = {"0", "31", "65537", "384.5", "\"384\"", "-1", "true", "null"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char with[96];
        snprintf(with, sizeof with, "\"idle_timeout_s\": 60, \"memory_limit_mb\": %s", bad[i]);
        expect_rejected("\"idle_timeout_s\": 60", with, "memory_limit_mb");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_profiles_load),
        cmocka_unit_test(test_name_or_path),
        cmocka_unit_test(test_bad_fields_are_named),
        cmocka_unit_test(test_broken_json_names_line),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_storage_defaults_and_choices),
        cmocka_unit_test(test_hotline_and_staff_hours),
        cmocka_unit_test(test_the_hall_zone_defaults_to_china_and_is_checked),
        cmocka_unit_test(test_the_memory_ceiling_is_optional_and_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
