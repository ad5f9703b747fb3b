/* Long numbers are read in groups: a mobile number typed shows as
 * 138 0013 8000, an ID number as 440304 19900101 1233; what is kept is as
 * typed. */
#include "../support/test_support.h"

#include "ui/input_widgets.h"

#include <string.h>

static void grouped(const char *text, const char *pattern, const char *want)
{
    char out[64];
    ui_group_digits(text, pattern, out, sizeof out);
    assert_string_equal(out, want);
}

static void test_digits_are_grouped_by_the_pattern(void **state)
{
    (void)state;
    grouped("13800138000", "3-4-4", "138 0013 8000");
    grouped("1380013", "3-4-4", "138 0013");
    grouped("138", "3-4-4", "138");
    grouped("1", "3-4-4", "1");
    grouped("44030419900101123X", "6-8-4", "440304 19900101 123X");
    /* Past the pattern the last size repeats. */
    grouped("GD20261122000042", "4", "GD20261122000042"); /* not all digits: as it is */
    grouped("20261122000042", "4", "2026 1122 0000 42");
    grouped("", "4", "");
    grouped("12345", "", "12345");
    grouped("12345", NULL, "12345");
    /* A small buffer is cut, never overrun. */
    char small[6];
    ui_group_digits("13800138000", "3-4-4", small, sizeof small);
    assert_true(strlen(small) < sizeof small);
}

/* The phone field of 预约取号: typed digit by digit, shown in groups, kept
 * as typed. */
static void test_a_typed_phone_number_is_shown_in_groups(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_open_typed(app, "tile.appointment-ticket");
    test_type(app, "440304199001011233");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "form");
    ui_widget *phone = NULL;
    for (int i = 0; i < 16 && !phone; i++) {
        char id[32];
        snprintf(id, sizeof id, "form.field.%d", i);
        ui_widget *row = ui_widget_find(app_root(app), id);
        if (row && row->text && strstr(row->text, "联系电话"))
            phone = row;
    }
    assert_non_null(phone);
    char id[UI_ID_MAX];
    snprintf(id, sizeof id, "%s", phone->id);
    test_tap(app, id);
    assert_string_equal(app_screen_name(app), "field");
    test_type(app, "13800138000");
    ui_widget *value = ui_widget_find(app_root(app), "edit.value");
    assert_non_null(value);
    assert_string_equal(value->text, "13800138000");
    ui_context context = app_ui_context(app);
    ui_text_part parts[UI_TEXT_PARTS_MAX];
    assert_int_equal(ui_widget_text_parts(value, &context, parts), 1);
    assert_string_equal(parts[0].text, "138 0013 8000");
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digits_are_grouped_by_the_pattern),
        cmocka_unit_test(test_a_typed_phone_number_is_shown_in_groups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
