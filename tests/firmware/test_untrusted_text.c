#include "../support/test_support.h"

#include "firmware/base/untrusted_text.h"

#include <string.h>

static void clean_ok(const char *in, const char *want, size_t want_removed)
{
    char text[256];
    snprintf(text, sizeof text, "%s", in);
    size_t removed = 99;
    assert_int_equal(untrusted_text_clean(text, &removed), KIOSK_OK);
    assert_string_equal(text, want);
    assert_int_equal(removed, want_removed);
}

static void test_plain_text_is_kept_as_is(void **state)
{
    (void)state;
    clean_ok("王小明", "王小明", 0);
    clean_ok("GD20261207000001", "GD20261207000001", 0);
    clean_ok("广东省深圳市南山区 1 号", "广东省深圳市南山区 1 号", 0);
    clean_ok("", "", 0);
    clean_ok("Ünïcödé ½ — “quoted”", "Ünïcödé ½ — “quoted”", 0);
}

static void test_bidi_overrides_and_marks_are_removed(void **state)
{
    (void)state;
    /* U+202E RIGHT-TO-LEFT OVERRIDE would show "2026-01-30" backwards. */
    clean_ok("\xE2\x80\xAE"
             "2026-01-30",
             "2026-01-30", 1);
    clean_ok("a\xE2\x80\xAA"
             "b\xE2\x80\xAC"
             "c",
             "abc", 2);                            /* LRE, PDF */
    clean_ok("\xE2\x81\xA6x\xE2\x81\xA9", "x", 2); /* LRI, PDI */
    clean_ok("\xE2\x80\x8F\xE2\x80\x8Ey", "y", 2); /* RLM, LRM */
    clean_ok("\xD8\x9C"
             "z",
             "z", 1); /* ALM */
}

static void test_invisible_format_characters_are_removed(void **state)
{
    (void)state;
    clean_ok("王\xE2\x80\x8B小\xE2\x80\x8D明", "王小明", 2); /* ZWSP, ZWJ */
    clean_ok("\xEF\xBB\xBF"
             "abc",
             "abc", 1); /* BOM */
    clean_ok("a\xC2\xAD"
             "b",
             "ab", 1); /* soft hyphen */
    clean_ok("a\xEF\xBF\xB9"
             "b\xEF\xBF\xBB",
             "ab", 2);                       /* interlinear annotation */
    clean_ok("x\xF3\xA0\x80\x81y", "xy", 1); /* tag character */
    clean_ok("x\xE2\x81\xA0y", "xy", 1);     /* word joiner */
}

static void test_controls_are_removed_and_line_breaks_become_spaces(void **state)
{
    (void)state;
    /* An escape sequence goes whole: nothing of it is left to show. */
    clean_ok("a\x1b[2Jb", "ab", 1);
    clean_ok("\xE2\x80\xAE王五\x1b[2J\xE2\x80\x8B", "王五", 3);
    clean_ok("x\x1b[1;31mred\x1b[0m", "xred", 2);
    clean_ok("x\x1b]0;title\x07y", "xy", 1);
    clean_ok("x\x1b]0;title\x1b\\y", "xy", 1);
    clean_ok("x\x1b[12", "x", 1); /* cut short: all of it goes */
    clean_ok("x\x1b"
             "Ay",
             "xAy", 1); /* a lone ESC: only the ESC */
    clean_ok("a\x7f"
             "b\xC2\x85"
             "c",
             "abc", 2); /* DEL, NEL */
    clean_ok("line\none\tand\rtwo", "line one and two", 3);
    clean_ok("x\xE2\x80\xA8y", "xy", 1); /* line separator */
}

static void test_invalid_utf8_is_refused_and_left_alone(void **state)
{
    (void)state;
    const char *bad[] = {
        "\xC0\xAF",         /* overlong slash */
        "abc\xFF",          /* never valid */
        "\xED\xA0\x80",     /* a surrogate */
        "\xF4\x90\x80\x80", /* past U+10FFFF */
        "\xE4\xB8",         /* cut short */
        "\xE0\x80\xAF",     /* overlong */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[32];
        snprintf(text, sizeof text, "%s", bad[i]);
        size_t removed = 7;
        assert_int_equal(untrusted_text_clean(text, &removed), KIOSK_ERR_MALFORMED);
        assert_string_equal(text, bad[i]);
        assert_int_equal(removed, 0);
        assert_false(untrusted_utf8_valid(bad[i], strlen(bad[i])));
    }
    assert_int_equal(untrusted_text_clean(NULL, NULL), KIOSK_ERR_INVALID_ARGUMENT);
}

static void test_what_was_shifted_leaves_no_copy_behind(void **state)
{
    (void)state;
    char text[32] = "\xE2\x80\xAE"
                    "440304";
    assert_int_equal(untrusted_text_clean(text, NULL), KIOSK_OK);
    assert_string_equal(text, "440304");
    for (size_t i = strlen(text); i < sizeof text; i++)
        assert_int_equal(text[i], 0);
}

static void test_hidden_code_points_are_exactly_the_listed_ones(void **state)
{
    (void)state;
    assert_true(untrusted_code_point_hidden(0x00));
    assert_true(untrusted_code_point_hidden(0x1F));
    assert_false(untrusted_code_point_hidden(0x20));
    assert_false(untrusted_code_point_hidden(0x7E));
    assert_true(untrusted_code_point_hidden(0x7F));
    assert_true(untrusted_code_point_hidden(0x9F));
    assert_false(untrusted_code_point_hidden(0xA0));
    assert_false(untrusted_code_point_hidden(0x200A));
    assert_true(untrusted_code_point_hidden(0x200B));
    assert_true(untrusted_code_point_hidden(0x202E));
    assert_false(untrusted_code_point_hidden(0x202F));
    assert_false(untrusted_code_point_hidden(0x205F));
    assert_true(untrusted_code_point_hidden(0x2060));
    assert_true(untrusted_code_point_hidden(0x206F));
    assert_false(untrusted_code_point_hidden(0x2070));
    assert_false(untrusted_code_point_hidden(0x3000)); /* ideographic space is shown */
    assert_false(untrusted_code_point_hidden(0x4E2D));
    assert_false(untrusted_code_point_hidden(0xFFF8));
    assert_true(untrusted_code_point_hidden(0xFFF9));
    assert_true(untrusted_code_point_hidden(0xFFFB));
    assert_false(untrusted_code_point_hidden(0xFFFC));
    assert_true(untrusted_code_point_hidden(0xE0000));
    assert_true(untrusted_code_point_hidden(0xE007F));
    assert_false(untrusted_code_point_hidden(0xE0100)); /* variation selectors are shown */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text_is_kept_as_is),
        cmocka_unit_test(test_bidi_overrides_and_marks_are_removed),
        cmocka_unit_test(test_invisible_format_characters_are_removed),
        cmocka_unit_test(test_controls_are_removed_and_line_breaks_become_spaces),
        cmocka_unit_test(test_invalid_utf8_is_refused_and_left_alone),
        cmocka_unit_test(test_what_was_shifted_leaves_no_copy_behind),
        cmocka_unit_test(test_hidden_code_points_are_exactly_the_listed_ones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
