/* The ESC/POS renderer: receipts to bytes, checked byte for byte against
 * sequences worked out by hand from the ESC/POS command reference and the
 * GB 18030 code tables. */
#include "../support/test_support.h"

#include "drivers/printer/escpos.h"
#include "drivers/sim/printer_sim.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

static const escpos_model printer_80 = {.paper_mm = 80, .native_qr = true};
static const escpos_model printer_58 = {.paper_mm = 58};
static const escpos_model printer_full_font = {.paper_mm = 80, .supplementary = true};

/* Commands, as the reference spells them. */
#define INIT         0x1B, 0x40      /* ESC @ */
#define CHINESE      0x1C, 0x26      /* FS & */
#define ALIGN(n)     0x1B, 0x61, (n) /* ESC a n: 0 left, 1 centre, 2 right */
#define SIZE(n)      0x1D, 0x21, (n) /* GS ! n: 0x11 double width and height */
#define BOLD(n)      0x1B, 0x45, (n) /* ESC E n */
#define LF           0x0A
#define QR_FN(l, fn) 0x1D, 0x28, 0x6B, (l), 0x00, 0x31, (fn) /* GS ( k pL pH cn=49 fn */
#define DASHES_8     '-', '-', '-', '-', '-', '-', '-', '-'
#define DASHES_48    DASHES_8, DASHES_8, DASHES_8, DASHES_8, DASHES_8, DASHES_8

/* The reference receipt (printer_sim_sample_receipt) on 80 mm paper with a
 * printer that draws QR codes itself. */
static const uint8_t reference_80[] = {
    INIT, CHINESE,
    /* 政务服务中心, centred, double size, bold: 12 of 24 columns */
    ALIGN(1), SIZE(0x11), BOLD(1), 0xD5, 0xFE, 0xCE, 0xF1, 0xB7, 0xFE, 0xCE, 0xF1, 0xD6, 0xD0, 0xD0,
    0xC4, LF,
    /* 24小时自助服务区: "24" is ASCII, one byte each */
    ALIGN(1), SIZE(0x00), BOLD(0), 0x32, 0x34, 0xD0, 0xA1, 0xCA, 0xB1, 0xD7, 0xD4, 0xD6, 0xFA, 0xB7,
    0xFE, 0xCE, 0xF1, 0xC7, 0xF8, LF,
    /* the rule: 48 dashes, size and weight already normal */
    ALIGN(0), DASHES_48, LF,
    /* 事项：居住证签注 (the full-width colon is A3 BA) */
    ALIGN(0), 0xCA, 0xC2, 0xCF, 0xEE, 0xA3, 0xBA, 0xBE, 0xD3, 0xD7, 0xA1, 0xD6, 0xA4, 0xC7, 0xA9,
    0xD7, 0xA2, LF,
    /* 办件编号：SZ2026112200017 */
    ALIGN(0), 0xB0, 0xEC, 0xBC, 0xFE, 0xB1, 0xE0, 0xBA, 0xC5, 0xA3, 0xBA, 'S', 'Z', '2', '0', '2',
    '6', '1', '1', '2', '2', '0', '0', '0', '1', '7', LF,
    /* 申请人：王*明 */
    ALIGN(0), 0xC9, 0xEA, 0xC7, 0xEB, 0xC8, 0xCB, 0xA3, 0xBA, 0xCD, 0xF5, '*', 0xC3, 0xF7, LF,
    /* 受理时间：2026-11-22 09:30 */
    ALIGN(0), 0xCA, 0xDC, 0xC0, 0xED, 0xCA, 0xB1, 0xBC, 0xE4, 0xA3, 0xBA, '2', '0', '2', '6', '-',
    '1', '1', '-', '2', '2', ' ', '0', '9', ':', '3', '0', LF, ALIGN(0), DASHES_48, LF,
    /* The QR code, centred: model 2 (fn 65, n1 = 50), module 6 dots (fn
     * 67), error correction M (fn 69, 49), store 45 bytes (fn 80, m = 48,
     * pL = 45 + 3), print (fn 81, m = 48). */
    ALIGN(1), QR_FN(4, 0x41), 0x32, 0x00, QR_FN(3, 0x43), 6, QR_FN(3, 0x45), 0x31, QR_FN(48, 0x50),
    0x30, 'h', 't', 't', 'p', 's', ':', '/', '/', 'z', 'w', 'f', 'w', '.', 'e', 'x', 'a', 'm', 'p',
    'l', 'e', '.', 'g', 'o', 'v', '.', 'c', 'n', '/', 't', '/', 'S', 'Z', '2', '0', '2', '6', '1',
    '1', '2', '2', '0', '0', '0', '1', '7', QR_FN(3, 0x51), 0x30,
    /* 扫码查询办理进度 */
    ALIGN(1), 0xC9, 0xA8, 0xC2, 0xEB, 0xB2, 0xE9, 0xD1, 0xAF, 0xB0, 0xEC, 0xC0, 0xED, 0xBD, 0xF8,
    0xB6, 0xC8, LF,
    /* The notice, 33 characters: 24 fill the first line, 9 the second. */
    ALIGN(0), 0xC7, 0xEB, 0xCD, 0xD7, 0xC9, 0xC6, 0xB1, 0xA3, 0xB9, 0xDC, 0xB1, 0xBE, 0xC6, 0xBE,
    0xCC, 0xF5, 0xA3, 0xAC, 0xC6, 0xBE, 0xB0, 0xEC, 0xBC, 0xFE, 0xB1, 0xE0, 0xBA, 0xC5, 0xBF, 0xC9,
    0xD4, 0xDA, 0xD5, 0xFE, 0xCE, 0xF1, 0xB7, 0xFE, 0xCE, 0xF1, 0xCD, 0xF8, 0xBB, 0xF2, 0xD7, 0xD4,
    0xD6, 0xFA, LF, 0xD6, 0xD5, 0xB6, 0xCB, 0xB2, 0xE9, 0xD1, 0xAF, 0xB0, 0xEC, 0xC0, 0xED, 0xBD,
    0xF8, 0xB6, 0xC8, 0xA1, 0xA3, LF,
    /* ESC d 3: print and feed three lines; GS V 66 0: feed to the cutter
     * and cut, leaving one point. */
    0x1B, 0x64, 3, 0x1D, 0x56, 66, 0};

static escpos_output render(const receipt *r, const escpos_model *model)
{
    escpos_output out;
    kiosk_diag diag = {{0}};
    kiosk_error result = escpos_render(r, model, &out, &diag);
    if (result != KIOSK_OK)
        fail_msg("render: %s (%s)", kiosk_error_name(result), diag.message);
    return out;
}

static void assert_bytes(const escpos_output *out, const uint8_t *expected, size_t length)
{
    if (out->length != length || memcmp(out->bytes, expected, length) != 0) {
        for (size_t i = 0; i < out->length || i < length; i++) {
            int got = i < out->length ? out->bytes[i] : -1;
            int want = i < length ? expected[i] : -1;
            if (got != want) {
                fail_msg("byte %zu: got %02x, expected %02x (lengths %zu, %zu)", i, got, want,
                         out->length, length);
            }
        }
    }
}

static void test_the_reference_receipt_is_byte_exact(void **state)
{
    (void)state;
    receipt r;
    printer_sim_sample_receipt(&r, 80);
    escpos_output out = render(&r, &printer_80);
    assert_bytes(&out, reference_80, sizeof reference_80);
    assert_int_equal(out.stand_ins, 0);
    /* Breaks after the set-up and after every item, the last at the end. */
    assert_int_equal(out.break_count, 1 + r.count);
    assert_int_equal(out.breaks[0], 4);
    assert_int_equal(out.breaks[out.break_count - 1], out.length);
    for (size_t i = 1; i < out.break_count; i++)
        assert_true(out.breaks[i] > out.breaks[i - 1]);
    escpos_output_free(&out);
}

static void test_the_printer_paper_decides_the_width(void **state)
{
    (void)state;
    /* The same receipt on 58 mm: 16 full-width characters a line at scale
     * 1, 8 at scale 2; the rule is 32 dashes. */
    receipt r;
    receipt_init(&r, 80);
    receipt_text(&r, RECEIPT_ALIGN_LEFT, 1, false, "一二三四五六七八九十一二三四五六七");
    receipt_text(&r, RECEIPT_ALIGN_RIGHT, 2, false, "一二三四五六七八九");
    receipt_rule(&r);
    escpos_output out = render(&r, &printer_58);
    static const uint8_t one = 0xD2, one_2 = 0xBB; /* 一 */
    const uint8_t *b = out.bytes;
    assert_memory_equal(b, ((const uint8_t[]){INIT, CHINESE, ALIGN(0), one, one_2}), 9);
    /* 16 characters (32 bytes) and LF, then the 17th. */
    size_t first = 4 + 3;
    assert_int_equal(b[first + 32], LF);
    assert_memory_equal(b + first + 33, ((const uint8_t[]){0xC6, 0xDF, LF}), 3); /* 七 */
    size_t second = first + 36;
    assert_memory_equal(b + second, ((const uint8_t[]){ALIGN(2), SIZE(0x11)}), 6);
    assert_int_equal(b[second + 6 + 16], LF); /* 8 characters at double width */
    assert_memory_equal(b + second + 6 + 17, ((const uint8_t[]){0xBE, 0xC5, LF}), 3); /* 九 */
    size_t rule = second + 6 + 20;
    assert_memory_equal(b + rule, ((const uint8_t[]){ALIGN(0), SIZE(0x00), '-', '-'}), 8);
    assert_int_equal(out.length, rule + 6 + 32 + 1);
    assert_int_equal(b[out.length - 1], LF);
    escpos_output_free(&out);
}

static void test_latin_words_wrap_at_spaces_and_nothing_is_lost(void **state)
{
    (void)state;
    receipt r;
    receipt_init(&r, 58);
    /* 32 columns: "Your tracking number is " is 24, the number 15 more. */
    receipt_text(&r, RECEIPT_ALIGN_LEFT, 1, false, "Your tracking number is SZ2026112200017.");
    escpos_output out = render(&r, &printer_58);
    static const char expected[] = "\x1B@\x1C&\x1B"
                                   "a\x00Your tracking number is \nSZ2026112200017.\n";
    assert_bytes(&out, (const uint8_t *)expected, sizeof expected - 1);
    escpos_output_free(&out);
}

static void test_a_newline_in_text_breaks_the_line(void **state)
{
    (void)state;
    receipt r;
    receipt_init(&r, 58);
    receipt_text(&r, RECEIPT_ALIGN_LEFT, 1, false, "A\nB\n");
    receipt_text(&r, RECEIPT_ALIGN_LEFT, 1, false, "");
    escpos_output out = render(&r, &printer_58);
    /* A, B, then the blank line the final newline leaves; an empty
     * paragraph is a blank line too. */
    static const char expected[] = "\x1B@\x1C&\x1B"
                                   "a\x00"
                                   "A\nB\n\n\x1B"
                                   "a\x00\n";
    assert_bytes(&out, (const uint8_t *)expected, sizeof expected - 1);
    escpos_output_free(&out);
}

/* The GB 18030 bytes of one character as the renderer prints it. */
static size_t encoded(const escpos_model *model, const char *text, uint8_t *bytes,
                      size_t *stand_ins)
{
    receipt r;
    receipt_init(&r, 80);
    receipt_text(&r, RECEIPT_ALIGN_LEFT, 1, false, text);
    escpos_output out = render(&r, model);
    /* INIT CHINESE ALIGN(0) ... LF */
    size_t length = out.length - 7 - 1;
    memcpy(bytes, out.bytes + 7, length);
    *stand_ins = out.stand_ins;
    escpos_output_free(&out);
    return length;
}

static void assert_encoded(const escpos_model *model, const char *text, const uint8_t *expected,
                           size_t length, size_t expected_stand_ins)
{
    uint8_t bytes[64];
    size_t stand_ins = 0;
    size_t got = encoded(model, text, bytes, &stand_ins);
    assert_int_equal(got, length);
    assert_memory_equal(bytes, expected, length);
    assert_int_equal(stand_ins, expected_stand_ins);
}

static void test_rare_characters_encode_in_gb18030(void **state)
{
    (void)state;
    /* GBK's two bytes: 龥 (U+9FA5) FD 9B, € (U+20AC) A2 E3. */
    assert_encoded(&printer_80, "龥€", (const uint8_t[]){0xFD, 0x9B, 0xA2, 0xE3}, 4, 0);
    /* CJK extension A takes four bytes (GB 18030's mapping table): 㐀
     * U+3400 is 81 39 EE 39, 䶵 U+4DB5 is 82 35 87 38. */
    assert_encoded(&printer_80, "㐀䶵",
                   (const uint8_t[]){0x81, 0x39, 0xEE, 0x39, 0x82, 0x35, 0x87, 0x38}, 8, 0);
    /* Past the BMP the code is computed: U+10000 is 90 30 81 30, and 𠀀
     * U+20000 is 65536 further; in steps of 12600, 1260, 10 and 1 that is
     * 5, 2, 1, 6: 95 32 82 36. */
    assert_encoded(&printer_full_font, "𠀀", (const uint8_t[]){0x95, 0x32, 0x82, 0x36}, 4, 0);
    /* The simulated citizen's rare name character, 𪚥 U+2A6A5. */
    assert_encoded(&printer_full_font, "\xF0\xAA\x9A\xA5",
                   (const uint8_t[]){0x98, 0x35, 0xEE, 0x37}, 4, 0);
}

static void test_what_cannot_print_becomes_a_stand_in(void **state)
{
    (void)state;
    static const uint8_t box[] = {0xA1, 0xF5}; /* □ */
    /* A font without CJK extension B: 𠀀 is a box, as wide as the layout
     * counted it. */
    assert_encoded(&printer_80, "王𠀀明", (const uint8_t[]){0xCD, 0xF5, 0xA1, 0xF5, 0xC3, 0xF7}, 6,
                   1);
    /* A byte that starts no character, and one cut short, count one
     * column each: "?" each. */
    assert_encoded(&printer_80,
                   "a\xFF"
                   "b",
                   (const uint8_t[]){'a', '?', 'b'}, 3, 1);
    assert_encoded(&printer_80, "a\xE4\xB8", (const uint8_t[]){'a', '?', '?'}, 3, 2);
    /* Controls never reach the printer: ESC in text would be a command. */
    assert_encoded(&printer_80, "x\x1B@y", (const uint8_t[]){'x', '?', '@', 'y'}, 4, 1);
    assert_encoded(&printer_80, "\t", (const uint8_t[]){'?'}, 1, 1);
    /* A surrogate written as UTF-8, private use, a noncharacter, a C1
     * control: boxes. U+E78D is also one GB 18030-2005 has no code for. */
    assert_encoded(&printer_80, "\xED\xA0\x80", box, 2, 1);
    assert_encoded(&printer_80, "\xEE\x80\x80", box, 2, 1);
    assert_encoded(&printer_80, "\xEE\x9E\x8D", box, 2, 1);
    assert_encoded(&printer_80, "\xEF\xBF\xBE", box, 2, 1);
    assert_encoded(&printer_80, "\xC2\x85", box, 2, 1);
    /* Half-width katakana (ｱ, one column) would print full width: "?". */
    assert_encoded(&printer_80, "\xEF\xBD\xB1", (const uint8_t[]){'?'}, 1, 1);
    /* An overlong "/" (C0 AF) is one two-column character to the layout. */
    assert_encoded(&printer_80, "\xC0\xAF", box, 2, 1);
}

static void test_the_qr_fallback_is_a_raster_of_the_symbol(void **state)
{
    (void)state;
    static const char data[] = "https://zwfw.example.gov.cn/t/SZ2026112200017";
    receipt r;
    receipt_init(&r, 58);
    receipt_qr(&r, RECEIPT_ALIGN_CENTER, 4, data);
    escpos_output out = render(&r, &printer_58);
    QRcode *code =
        QRcode_encodeData((int)strlen(data), (const unsigned char *)data, 0, QR_ECLEVEL_M);
    assert_non_null(code);
    int dots = code->width * 4, width_bytes = (dots + 7) / 8;
    /* ESC a 1, then GS v 0 m=0 xL xH yL yH: width in bytes, height in dots. */
    const uint8_t header[] = {
        INIT, CHINESE, ALIGN(1), 0x1D, 0x76, 0x30, 0, (uint8_t)width_bytes, 0, (uint8_t)dots, 0};
    assert_memory_equal(out.bytes, header, sizeof header);
    assert_int_equal(out.length, sizeof header + (size_t)width_bytes * (size_t)dots);
    for (int y = 0; y < dots; y++) {
        for (int x = 0; x < width_bytes * 8; x++) {
            bool dark = x < dots && (code->data[(y / 4) * code->width + x / 4] & 1);
            uint8_t byte = out.bytes[sizeof header + (size_t)y * (size_t)width_bytes + x / 8];
            assert_int_equal((byte >> (7 - x % 8)) & 1, dark);
        }
    }
    QRcode_free(code);
    escpos_output_free(&out);
}

static void test_a_qr_too_wide_for_the_paper_gets_smaller_modules(void **state)
{
    (void)state;
    char data[200];
    memset(data, 'A', sizeof data - 1);
    data[sizeof data - 1] = '\0';
    receipt r;
    receipt_init(&r, 58);
    receipt_qr(&r, RECEIPT_ALIGN_LEFT, 8, data);
    escpos_output out = render(&r, &printer_58);
    QRcode *code =
        QRcode_encodeData((int)strlen(data), (const unsigned char *)data, 0, QR_ECLEVEL_M);
    assert_non_null(code);
    /* 8 dots a module would not fit 384 dots: the largest that does. */
    int module = 384 / code->width;
    assert_true(module < 8);
    int rows = out.bytes[13] | out.bytes[14] << 8;
    assert_int_equal(rows, code->width * module);
    QRcode_free(code);
    escpos_output_free(&out);
}

static void test_images_print_as_rasters_with_their_padding_white(void **state)
{
    (void)state;
    /* 10 x 2 dots: two bytes a row, the last 6 bits of each row's second
     * byte are not the image and must print white. */
    static const uint8_t bits[] = {0xFF, 0xFF, 0x80, 0x7F};
    receipt r;
    receipt_init(&r, 58);
    receipt_image_add(&r, RECEIPT_ALIGN_RIGHT,
                      (receipt_image){.bits = bits, .width = 10, .height = 2});
    escpos_output out = render(&r, &printer_58);
    static const uint8_t expected[] = {INIT, CHINESE, ALIGN(2), 0x1D, 0x76, 0x30, 0,   2,
                                       0,    2,       0,        0xFF, 0xC0, 0x80, 0x40};
    assert_bytes(&out, expected, sizeof expected);
    escpos_output_free(&out);
}

static void test_receipts_that_cannot_print_are_refused(void **state)
{
    (void)state;
    receipt r;
    escpos_output out;
    kiosk_diag diag = {{0}};
    receipt_init(&r, 58);
    for (int i = 0; i <= RECEIPT_ITEMS_MAX; i++)
        receipt_feed(&r, 1);
    assert_int_equal(escpos_render(&r, &printer_58, &out, &diag), KIOSK_ERR_INVALID_ARGUMENT);
    escpos_output_free(&out);

    static const uint8_t wide[1000] = {0};
    receipt_init(&r, 58);
    receipt_text(&r, RECEIPT_ALIGN_LEFT, 1, false, "logo:");
    receipt_image_add(&r, RECEIPT_ALIGN_LEFT,
                      (receipt_image){.bits = wide, .width = 385, .height = 1});
    assert_int_equal(escpos_render(&r, &printer_58, &out, &diag), KIOSK_ERR_TOO_BIG);
    assert_non_null(strstr(diag.message, "item 2"));
    escpos_output_free(&out);

    receipt_init(&r, 58);
    receipt_image_add(&r, RECEIPT_ALIGN_LEFT,
                      (receipt_image){.bits = NULL, .width = 8, .height = 8});
    assert_int_equal(escpos_render(&r, &printer_58, &out, &diag), KIOSK_ERR_INVALID_ARGUMENT);
    escpos_output_free(&out);

    receipt_init(&r, 58);
    receipt_qr(&r, RECEIPT_ALIGN_LEFT, 4, "");
    assert_int_equal(escpos_render(&r, &printer_58, &out, &diag), KIOSK_ERR_INVALID_ARGUMENT);
    escpos_output_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_reference_receipt_is_byte_exact),
        cmocka_unit_test(test_the_printer_paper_decides_the_width),
        cmocka_unit_test(test_latin_words_wrap_at_spaces_and_nothing_is_lost),
        cmocka_unit_test(test_a_newline_in_text_breaks_the_line),
        cmocka_unit_test(test_rare_characters_encode_in_gb18030),
        cmocka_unit_test(test_what_cannot_print_becomes_a_stand_in),
        cmocka_unit_test(test_the_qr_fallback_is_a_raster_of_the_symbol),
        cmocka_unit_test(test_a_qr_too_wide_for_the_paper_gets_smaller_modules),
        cmocka_unit_test(test_images_print_as_rasters_with_their_padding_white),
        cmocka_unit_test(test_receipts_that_cannot_print_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
