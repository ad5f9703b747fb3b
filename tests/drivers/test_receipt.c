/* How receipts wrap, on paper and on screen alike: character widths, spaces,
 * newlines, and Chinese punctuation that may not begin or end a line. */
#include "../support/test_support.h"

#include "drivers/printer/receipt.h"

#include <string.h>

static size_t first_line(const char *text, int columns)
{
    return receipt_line_break(text, strlen(text), columns);
}

static void test_widths_and_plain_breaks(void **state)
{
    (void)state;
    size_t bytes = 0;
    assert_int_equal(receipt_char_columns("A", 1, &bytes), 1);
    assert_int_equal(bytes, 1);
    assert_int_equal(receipt_char_columns("中", 3, &bytes), 2);
    assert_int_equal(bytes, 3);
    assert_int_equal(receipt_char_columns("\xff", 1, &bytes), 1); /* not UTF-8: one column */
    assert_int_equal(receipt_columns(58), 32);
    assert_int_equal(receipt_columns(80), 48);
    /* Four Chinese characters fill eight columns; never half a character. */
    assert_int_equal(first_line("一二三四五", 8), strlen("一二三四"));
    assert_int_equal(first_line("一二三四五", 7), strlen("一二三"));
    /* Latin words break at the last space that fits; a newline always. */
    assert_int_equal(first_line("hello world again", 11), strlen("hello "));
    assert_int_equal(first_line("ab\ncd", 10), 2);
    /* At least one character, however narrow the line. */
    assert_int_equal(first_line("中", 1), strlen("中"));
}

static void test_punctuation_never_begins_or_ends_a_line_wrongly(void **state)
{
    (void)state;
    /* "，" may not begin the second line: "四" goes down with it. */
    assert_int_equal(first_line("一二三四，五六", 8), strlen("一二三"));
    assert_int_equal(first_line("一二三四。", 8), strlen("一二三"));
    /* "（" may not end the first line: it goes down. */
    assert_int_equal(first_line("一二三（四五）", 8), strlen("一二三"));
    /* Text that fits is not touched. */
    assert_int_equal(first_line("一二三，", 8), strlen("一二三，"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widths_and_plain_breaks),
        cmocka_unit_test(test_punctuation_never_begins_or_ends_a_line_wrongly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
