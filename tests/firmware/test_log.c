#include "../support/test_support.h"
#include "firmware/base/base_probes.h"

#include "firmware/base/log.h"

#include <stdio.h>
#include <string.h>

static const char *masked(const char *text)
{
    static char out[256];
    log_mask_personal(text, out, sizeof out);
    return out;
}

static void test_id_numbers_keep_region_and_last_four(void **state)
{
    (void)state;
    assert_string_equal(masked("card 110105199001011234 read"), "card 110105********1234 read");
    assert_string_equal(masked("id=11010519900101123X;"), "id=110105********123X;");
    assert_string_equal(masked("id=11010519900101123x"), "id=110105********123x");
    /* the first-generation 15-digit form */
    assert_string_equal(masked("old 110105900101123"), "old 110105*****1123");
}

static void test_foreign_permit_numbers_are_masked_like_id_numbers(void **state)
{
    (void)state;
    /* The 15-character permit (3 letters, 12 digits) of before 2023. */
    assert_string_equal(masked("card read: FRA310088041200"), "card read: FRA310*****1200");
    assert_string_equal(masked("FRA310088041200"), "FRA310*****1200");
    assert_string_equal(masked("id=usa110088041200;"), "id=usa110*****1200;");
    /* The 2023 permit is 18 digits starting with 9, masked as an ID number. */
    assert_string_equal(masked("permit 93125019880412002X"), "permit 931250********002X");
    /* Not a permit: a longer word, or more digits, stay as they were. */
    assert_string_equal(masked("XFRA310088041200"), "XFRA310088041200");
    assert_string_equal(masked("FRA3100880412001"), "FRA3100880412001");
    assert_string_equal(masked("FRA31008804120X"), "FRA31008804120X");
    assert_string_equal(masked("F1A310088041200"), "F1A310088041200");
    assert_int_equal(log_mask_personal("FRA310088041200 and 13812345678", (char[64]){0}, 64), 2);
}

static void test_mobile_numbers_keep_prefix_and_last_four(void **state)
{
    (void)state;
    assert_string_equal(masked("tel 13812345678."), "tel 138****5678.");
    assert_string_equal(masked("+8613912345678"), "+86139****5678");
}

static void test_other_numbers_are_left_alone(void **state)
{
    (void)state;
    /* times, counts, tracking numbers of other lengths, and 11 digits that are no mobile */
    const char *texts[] = {"took 1234 ms", "2026-11-22 09:30", "order 123456789012",
                           "10000000000 bytes", "seq 1234567890123456789012"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        assert_string_equal(masked(texts[i]), texts[i]);
}

static void test_masking_counts_and_truncates_safely(void **state)
{
    (void)state;
    char small[12];
    size_t count = log_mask_personal("110105199001011234 and 13812345678", small, sizeof small);
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_string_equal(small, "110105*****");
    assert_true(count >= 1);
    char out[128];
    assert_int_equal(log_mask_personal("110105199001011234 and 13812345678", out, sizeof out), 2);
    assert_null(strstr(out, "19900101"));
}

typedef struct lines {
    int count;
    char last[256];
} lines;

static void catch_line(void *context, const char *line, size_t length)
{
    lines *caught = context;
    caught->count++;
    snprintf(caught->last, sizeof caught->last, "%.*s", (int)length, line);
}

static void test_a_writer_catches_whole_masked_lines(void **state)
{
    (void)state;
    lines caught = {0};
    log_set_writer(catch_line, &caught);
    log_set_level(LOG_LEVEL_INFO);
    LOG_WARN("idcard", "card read: %s", "FRA310088041200");
    LOG_DEBUG("idcard", "below the threshold");
    log_set_writer(NULL, NULL);
    log_set_level(LOG_LEVEL_INFO); /* the default */
    assert_int_equal(caught.count, 1);
    assert_non_null(strstr(caught.last, " W idcard: card read: FRA310*****1200\n"));
}

static void test_text_from_outside_cannot_forge_or_reorder_a_line(void **state)
{
    (void)state;
    lines caught = {0};
    log_set_writer(catch_line, &caught);
    /* A forged second line, a terminal escape, and a right-to-left override
     * that would show "txt.exe" as "exe.txt". */
    LOG_WARN("scanner", "code: %s",
             "ok\nkiosk 1.000 I sync: record stored\x1b[2J\xe2\x80\xaetxt.exe");
    log_set_writer(NULL, NULL);
    assert_int_equal(caught.count, 1);
    assert_string_equal(strchr(caught.last, 'W'),
                        "W scanner: code: ok\\x0Akiosk 1.000 I sync: record stored\\x1B[2J"
                        "\\u202Etxt.exe\n");
    assert_null(strchr(caught.last, '\x1b'));
}

static void test_escaping_keeps_chinese_and_stops_before_a_split_escape(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(log_escape_controls("社保\t证明", out, sizeof out), 1);
    assert_string_equal(out, "社保\\x09证明");
    /* A C1 control (NEL) and a left-to-right mark; a plain dash stays. */
    assert_int_equal(log_escape_controls("a\xc2\x85\xe2\x80\x8e\xe2\x80\x94", out, sizeof out), 2);
    assert_string_equal(out, "a\\u0085\\u200E\xe2\x80\x94");
    char small[6];
    assert_int_equal(log_escape_controls("ab\ncd", small, sizeof small), 0);
    assert_string_equal(small, "ab");
}

static void test_levels_parse(void **state)
{
    (void)state;
    log_level level;
    assert_true(log_level_parse("debug", &level));
    assert_int_equal(level, LOG_LEVEL_DEBUG);
    assert_true(log_level_parse("error", &level));
    assert_int_equal(level, LOG_LEVEL_ERROR);
    assert_false(log_level_parse("loud", &level));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_numbers_keep_region_and_last_four),
        cmocka_unit_test(test_foreign_permit_numbers_are_masked_like_id_numbers),
        cmocka_unit_test(test_mobile_numbers_keep_prefix_and_last_four),
        cmocka_unit_test(test_other_numbers_are_left_alone),
        cmocka_unit_test(test_masking_counts_and_truncates_safely),
        cmocka_unit_test(test_a_writer_catches_whole_masked_lines),
        cmocka_unit_test(test_text_from_outside_cannot_forge_or_reorder_a_line),
        cmocka_unit_test(test_escaping_keeps_chinese_and_stops_before_a_split_escape),
        cmocka_unit_test(test_levels_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
