/* How receipts wrap, on paper and on screen alike: character widths, spaces,
 * newlines, and Chinese punctuation that may not begin or end a line. */
#include "../support/test_support.h"

#include "drivers/printer/escpos.h"
#include "drivers/printer/receipt.h"

#include <stdlib.h>

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

/* A long paragraph (next steps) prints as lines no item of which is over
 * the model's limit, and the printer's bytes read back to the whole text;
 * with a ticket's number large and the progress address as a QR code. */
static void test_a_long_paragraph_prints_whole_and_reads_back(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "请在 30 日内带出生医学证明原件、父母双方身份证和户口簿到 1 号窗口（户籍）核验，"
        "户口簿当场更新；医保参保结果以短信通知，无需再跑。",
        "Within 30 days bring the original birth certificate, both parents' ID cards and the "
        "household register to counter 1 (household registry) to be checked; the register is "
        "updated on the spot. Medical insurance needs no visit: you get a text.",
    };
    const char *url = "https://127.0.0.1:8443/v/GD20261207000123";
    for (size_t t = 0; t < 2; t++) {
        receipt *r = calloc(1, sizeof *r);
        assert_non_null(r);
        receipt_init(r, 80);
        receipt_text(r, RECEIPT_ALIGN_CENTER, 2, true, "A023");
        receipt_paragraph(r, RECEIPT_ALIGN_LEFT, 1, false, texts[t]);
        receipt_qr(r, RECEIPT_ALIGN_CENTER, 6, url);
        assert_true(receipt_ok(r));
        assert_true(r->count > 3); /* the paragraph took several lines */
        for (size_t i = 1; i + 1 < r->count; i++)
            assert_int_equal(receipt_line_break(r->items[i].text, strlen(r->items[i].text), 48),
                             strlen(r->items[i].text));

        static const escpos_model printer_80 = {.paper_mm = 80, .native_qr = true};
        escpos_output out;
        assert_int_equal(escpos_render(r, &printer_80, &out, NULL), KIOSK_OK);
        receipt *back = calloc(1, sizeof *back);
        assert_non_null(back);
        assert_int_equal(escpos_decode(out.bytes, out.length, &printer_80, back, NULL), KIOSK_OK);
        char joined[1024] = "";
        size_t used = 0;
        bool big_number = false, code = false;
        for (size_t i = 0; i < back->count; i++) {
            const receipt_item *item = &back->items[i];
            if (item->kind == RECEIPT_TEXT && item->scale == 2)
                big_number = strcmp(item->text, "A023") == 0;
            else if (item->kind == RECEIPT_TEXT)
                used += (size_t)snprintf(joined + used, sizeof joined - used, "%s%s",
                                         used && t == 1 ? " " : "", item->text);
            else if (item->kind == RECEIPT_QR)
                code = strcmp(item->text, url) == 0;
        }
        assert_true(big_number);
        assert_true(code);
        /* A line broken at a space loses it at the line's end, as paper does. */
        char wanted[1024], got[1024];
        size_t w = 0, g = 0;
        for (const char *c = texts[t]; *c; c++)
            if (*c != ' ')
                wanted[w++] = *c;
        for (const char *c = joined; *c; c++)
            if (*c != ' ')
                got[g++] = *c;
        wanted[w] = got[g] = '\0';
        assert_string_equal(got, wanted);
        escpos_output_free(&out);
        free(back);
        free(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widths_and_plain_breaks),
        cmocka_unit_test(test_punctuation_never_begins_or_ends_a_line_wrongly),
        cmocka_unit_test(test_a_long_paragraph_prints_whole_and_reads_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
