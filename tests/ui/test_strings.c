#include "../support/test_support.h"

#include "ui/strings.h"
#include "ui/test_probes.h"

#include <stdio.h>
#include <string.h>

static ui_strings *load_shipped(void)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/assets/strings", test_source_dir());
    ui_strings *strings = NULL;
    kiosk_diag diag = {{0}};
    kiosk_error result = ui_strings_load(dir, &strings, &diag);
    if (result != KIOSK_OK)
        fail_msg("%s", diag.message);
    return strings;
}

/* A missing translation would show zh-CN to a reader of another language:
 * name it here, before a citizen meets it. */
static void test_every_text_is_translated(void **state)
{
    (void)state;
    ui_strings *strings = load_shipped();
    for (int i = 0; i < LANG_COUNT; i++) {
        const char *first = NULL;
        size_t missing = ui_strings_missing(strings, (lang)i, &first);
        if (missing)
            fail_msg("%s lacks %zu texts, the first \"%s\"", lang_code((lang)i), missing, first);
    }
    ui_strings_free(strings);
}

static void test_texts_are_per_language_and_fall_back(void **state)
{
    (void)state;
    const char *dir = test_make_temp_dir("strings");
    test_write_file(dir, "zh-CN.json", "{\"a\": \"首页\", \"b\": \"只有简体\"}");
    test_write_file(dir, "zh-TW.json", "{\"a\": \"首頁\"}");
    test_write_file(dir, "en.json", "{\"a\": \"Home\"}");
    ui_strings *strings = NULL;
    kiosk_diag diag = {{0}};
    assert_int_equal(ui_strings_load(dir, &strings, &diag), KIOSK_OK);
    log_set_level(LOG_LEVEL_ERROR);
    assert_string_equal(ui_strings_get(strings, LANG_ZH_TW, "a"), "首頁");
    assert_string_equal(ui_strings_get(strings, LANG_EN, "a"), "Home");
    assert_string_equal(ui_strings_get(strings, LANG_EN, "b"), "只有简体");
    /* Never the key itself on screen. */
    assert_string_equal(ui_strings_get(strings, LANG_EN, "no.such.key"), "");
    const char *first = NULL;
    assert_int_equal(ui_strings_missing(strings, LANG_EN, &first), 1);
    assert_string_equal(first, "b");
    ui_strings_free(strings);
}

static void test_a_bad_table_is_refused_with_its_name(void **state)
{
    (void)state;
    const char *dir = test_make_temp_dir("strings-bad");
    test_write_file(dir, "zh-CN.json", "{\"a\": \"首页\"}");
    test_write_file(dir, "zh-TW.json", "{\"a\": 3}");
    test_write_file(dir, "en.json", "{\"a\": \"Home\"}");
    ui_strings *strings = NULL;
    kiosk_diag diag = {{0}};
    assert_int_equal(ui_strings_load(dir, &strings, &diag), KIOSK_ERR_MALFORMED);
    assert_non_null(strstr(diag.message, "zh-TW.json: a: expected a string"));
}

static void test_templates_fill_named_places(void **state)
{
    (void)state;
    const char *names[] = {"year", "month"};
    const char *values[] = {"2026", "11"};
    char out[64];
    ui_strings_fill("{year}年{month}月{unknown}", names, values, 2, out, sizeof out);
    assert_string_equal(out, "2026年11月{unknown}");
    ui_strings_fill("{year}{year}{year}", names, values, 2, out, 7);
    assert_string_equal(out, "202620");
    /* Cut short, a Chinese character is dropped whole, never halved. */
    ui_strings_fill("{year}年{month}月", names, values, 2, out, 6);
    assert_string_equal(out, "2026");
    ui_strings_fill("{year}年{month}月", names, values, 2, out, 8);
    assert_string_equal(out, "2026年");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_text_is_translated),
        cmocka_unit_test(test_texts_are_per_language_and_fall_back),
        cmocka_unit_test(test_a_bad_table_is_refused_with_its_name),
        cmocka_unit_test(test_templates_fill_named_places),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
