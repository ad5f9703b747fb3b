/* Reading ESC/POS back (what the simulated printer shows of what it
 * printed): a rendered receipt reads back as the receipt it came from, and
 * the command scanner finds the same commands however the bytes arrive. */
#include "../support/test_support.h"

#include "drivers/printer/escpos.h"
#include "drivers/sim/printer_sim.h"

#include <stdlib.h>
#include <string.h>

static const escpos_model printer_80 = {.paper_mm = 80, .native_qr = true};
static const escpos_model printer_58 = {.paper_mm = 58};

static escpos_output render(const receipt *r, const escpos_model *model)
{
    escpos_output out;
    kiosk_diag diag = {{0}};
    kiosk_error result = escpos_render(r, model, &out, &diag);
    if (result != KIOSK_OK)
        fail_msg("render: %s (%s)", kiosk_error_name(result), diag.message);
    return out;
}

/* Item by item: kind, and what the kind carries. Images by their bits. */
static void assert_same_receipt(const receipt *expected, const receipt *actual)
{
    assert_false(actual->overflow);
    assert_int_equal(actual->count, expected->count);
    for (size_t i = 0; i < expected->count; i++) {
        const receipt_item *e = &expected->items[i], *a = &actual->items[i];
        if (a->kind != e->kind)
            fail_msg("item %zu: kind %d, expected %d", i, a->kind, e->kind);
        switch (e->kind) {
        case RECEIPT_TEXT:
            assert_string_equal(a->text, e->text);
            assert_int_equal(a->scale, e->scale);
            assert_int_equal(a->bold, e->bold);
            assert_int_equal(a->align, e->align);
            break;
        case RECEIPT_QR:
            assert_string_equal(a->text, e->text);
            assert_int_equal(a->align, e->align);
            assert_int_equal(a->module, e->module);
            break;
        case RECEIPT_FEED:
            assert_int_equal(a->lines, e->lines);
            break;
        case RECEIPT_IMAGE:
            assert_int_equal(a->align, e->align);
            assert_int_equal(a->image.height, e->image.height);
            assert_int_equal(a->image.width, (e->image.width + 7) / 8 * 8);
            assert_memory_equal(a->image.bits, e->image.bits,
                                (size_t)(e->image.width / 8 * e->image.height));
            break;
        default:
            break;
        }
    }
}

static void round_trip(const receipt *r, const escpos_model *model)
{
    escpos_output out = render(r, model);
    receipt back;
    escpos_decode_info info;
    assert_int_equal(escpos_decode(out.bytes, out.length, model, &back, &info), KIOSK_OK);
    assert_int_equal(info.unknown, 0);
    assert_int_equal(info.undecodable, 0);
    assert_same_receipt(r, &back);
    escpos_output_free(&out);
}

static void test_the_reference_receipt_reads_back_as_itself(void **state)
{
    (void)state;
    receipt r;
    printer_sim_sample_receipt(&r, 80);
    round_trip(&r, &printer_80);
    /* On 58 mm the notice wraps at 16 characters instead of 24. */
    static const escpos_model printer_58_qr = {.paper_mm = 58, .native_qr = true};
    printer_sim_sample_receipt(&r, 58);
    round_trip(&r, &printer_58_qr);
}

static void test_wrapped_paragraphs_join_back_and_newlines_survive(void **state)
{
    (void)state;
    receipt r;
    receipt_init(&r, 58);
    receipt_text(&r, RECEIPT_ALIGN_LEFT, 1, false, "Your tracking number is SZ2026112200017.");
    receipt_text(&r, RECEIPT_ALIGN_LEFT, 1, false, "Your tracking number is SZ2026112200017.");
    receipt_text(&r, RECEIPT_ALIGN_RIGHT, 2, true, "广东省深圳市福田区示例路1号院3号楼");
    receipt_text(&r, RECEIPT_ALIGN_LEFT, 1, false, "第一行\n第二行\n\n第四行");
    receipt_text(&r, RECEIPT_ALIGN_LEFT, 1, false, "\n开头是空行");
    receipt_text(&r, RECEIPT_ALIGN_LEFT, 1, false, "结尾是空行\n");
    receipt_text(&r, RECEIPT_ALIGN_LEFT, 1, false, "");
    receipt_text(&r, RECEIPT_ALIGN_CENTER, 1, false,
                 "a very long word: "
                 "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOP");
    receipt_rule(&r);
    receipt_feed(&r, 10);
    receipt_cut(&r);
    round_trip(&r, &printer_58);
}

static void test_a_raster_qr_reads_back_as_an_image(void **state)
{
    (void)state;
    receipt r;
    receipt_init(&r, 58);
    receipt_qr(&r, RECEIPT_ALIGN_CENTER, 4, "https://zwfw.example.gov.cn/t/1");
    receipt_cut(&r);
    escpos_output out = render(&r, &printer_58);
    receipt back;
    assert_int_equal(escpos_decode(out.bytes, out.length, &printer_58, &back, NULL), KIOSK_OK);
    assert_int_equal(back.count, 2);
    assert_int_equal(back.items[0].kind, RECEIPT_IMAGE);
    assert_int_equal(back.items[0].align, RECEIPT_ALIGN_CENTER);
    assert_int_equal(back.items[0].image.height % 4, 0);
    assert_ptr_equal(back.items[0].image.bits, out.bytes + 4 + 3 + 8);
    assert_int_equal(back.items[1].kind, RECEIPT_CUT);
    escpos_output_free(&out);
}

static void test_images_read_back_bit_for_bit(void **state)
{
    (void)state;
    uint8_t bits[16 * 40];
    for (size_t i = 0; i < sizeof bits; i++)
        bits[i] = (uint8_t)(i * 37 + 11);
    receipt r;
    receipt_init(&r, 80);
    receipt_image_add(&r, RECEIPT_ALIGN_CENTER,
                      (receipt_image){.bits = bits, .width = 128, .height = 40});
    receipt_text(&r, RECEIPT_ALIGN_CENTER, 1, true, "Logo");
    round_trip(&r, &printer_80);
}

static void test_stand_ins_read_back_as_printed(void **state)
{
    (void)state;
    receipt r;
    receipt_init(&r, 80);
    receipt_text(&r, RECEIPT_ALIGN_LEFT, 1, false,
                 "林\xF0\xAA\x9A\xA5华 a\x1B"
                 "b");
    escpos_output out = render(&r, &printer_80);
    receipt back;
    assert_int_equal(escpos_decode(out.bytes, out.length, &printer_80, &back, NULL), KIOSK_OK);
    assert_string_equal(back.items[0].text, "林□华 a?b");
    escpos_output_free(&out);
}

static void test_the_scanner_finds_the_same_commands_in_any_pieces(void **state)
{
    (void)state;
    receipt r;
    printer_sim_sample_receipt(&r, 80);
    escpos_output out = render(&r, &printer_80);
    /* Whole: the commands and their lengths. */
    size_t lengths[512], count = 0;
    for (size_t at = 0; at < out.length;) {
        escpos_command c;
        assert_true(escpos_scan(out.bytes + at, out.length - at, &c));
        assert_true(c.kind != ESCPOS_UNKNOWN && c.kind != ESCPOS_OTHER);
        assert_true(count < 512);
        lengths[count++] = c.length;
        at += c.length;
    }
    /* Every command cut short asks for more, never a wrong answer. */
    size_t at = 0;
    for (size_t i = 0; i < count; at += lengths[i++]) {
        escpos_command c;
        for (size_t cut = 1; cut < lengths[i]; cut++) {
            bool whole = escpos_scan(out.bytes + at, cut, &c);
            /* A text run may be taken in part; nothing else may. */
            if (whole)
                assert_true(c.kind == ESCPOS_TEXT && c.length == cut);
        }
    }
    escpos_output_free(&out);
}

static void test_noise_is_skipped_and_counted(void **state)
{
    (void)state;
    static const uint8_t noise[] = {0x00, 0x1B, 0x7F, 0x1D, 0x99, 0x10, 0x99, 0x1C, 0x01,
                                    0x1B, 0x40, 0x1C, 0x26, 'o',  'k',  0x0A, 0x1D, 0x76,
                                    0x30, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0xFF};
    receipt back;
    escpos_decode_info info;
    assert_int_equal(escpos_decode(noise, sizeof noise, &printer_58, &back, &info), KIOSK_OK);
    assert_true(info.unknown > 0);
    assert_true(back.count >= 1);
    bool found = false;
    for (size_t i = 0; i < back.count; i++)
        found |= back.items[i].kind == RECEIPT_TEXT && strcmp(back.items[i].text, "ok") == 0;
    assert_true(found);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_reference_receipt_reads_back_as_itself),
        cmocka_unit_test(test_wrapped_paragraphs_join_back_and_newlines_survive),
        cmocka_unit_test(test_a_raster_qr_reads_back_as_an_image),
        cmocka_unit_test(test_images_read_back_bit_for_bit),
        cmocka_unit_test(test_stand_ins_read_back_as_printed),
        cmocka_unit_test(test_the_scanner_finds_the_same_commands_in_any_pieces),
        cmocka_unit_test(test_noise_is_skipped_and_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
