/* The scan decoder in HID POS mode, and the checks every scan goes
 * through: encoding (UTF-8, GBK), control characters and escape sequences,
 * configuration codes, length, symbologies, and what a report descriptor
 * says a scanner is. */
#include "../support/test_support.h"

#include "drivers/scanner/scan_decode.h"

#include <string.h>
#include <time.h>

static scan_decoder decoder;
static scan_event event;
static scan_refusal refusal;

static void start(scan_code_page code_page)
{
    scan_config config = {.mode = SCAN_MODE_HID_POS, .code_page = code_page};
    scan_decoder_init(&decoder, &config);
    memset(&event, 0, sizeof event);
    memset(&refusal, 0, sizeof refusal);
}

/* One Scanned Data Report (report ID 2, 64 bytes). */
static void pos_report(uint8_t report[SCAN_HIDPOS_REPORT_LENGTH], const char *aim, const void *data,
                       size_t length, bool more)
{
    assert_true(length <= SCAN_HIDPOS_DATA_MAX);
    memset(report, 0, SCAN_HIDPOS_REPORT_LENGTH);
    report[0] = SCAN_HIDPOS_REPORT_ID;
    report[1] = (uint8_t)length;
    if (aim)
        memcpy(report + 2, aim, 3);
    memcpy(report + SCAN_HIDPOS_DATA_OFFSET, data, length);
    report[SCAN_HIDPOS_FLAGS_OFFSET] = more ? SCAN_HIDPOS_MORE : 0;
}

/* Pushes a report and returns the one result it gives (SCAN_NONE if none);
 * fails the test if it gives two. */
static scan_status push(const uint8_t *report, size_t length)
{
    scan_decoder_push(&decoder, report, length);
    scan_status status = scan_decoder_next(&decoder, &event, &refusal);
    if (status != SCAN_NONE)
        assert_int_equal(scan_decoder_next(&decoder, &event, &refusal), SCAN_NONE);
    return status;
}

/* A whole scan of data sent in reports of 56, as a scanner does. Returns
 * the result of its last report. */
static scan_status scan(const char *aim, const void *data, size_t length)
{
    const uint8_t *bytes = data;
    size_t at = 0;
    scan_status status;
    do {
        uint8_t report[SCAN_HIDPOS_REPORT_LENGTH];
        size_t n = length - at < SCAN_HIDPOS_DATA_MAX ? length - at : SCAN_HIDPOS_DATA_MAX;
        pos_report(report, aim, bytes + at, n, at + n < length);
        at += n;
        status = push(report, sizeof report);
        if (at < length)
            assert_int_equal(status, SCAN_NONE);
    } while (at < length);
    return status;
}

static scan_status scan_text(const char *text)
{
    return scan("]Q1", text, strlen(text));
}

static void test_a_qr_code_in_one_report(void **state)
{
    (void)state;
    start(SCAN_CODE_PAGE_UTF8);
    const char *code = "https://zwfw.example.invalid/e-id?c=7Hq2xQ";
    assert_int_equal(scan_text(code), SCAN_COMPLETE);
    assert_string_equal(event.data, code);
    assert_int_equal(event.length, strlen(code));
    assert_string_equal(event.symbology, "qr");
    assert_int_equal(event.mode, SCAN_MODE_HID_POS);
    assert_false(scan_decoder_busy(&decoder));
}

static void test_a_long_code_comes_in_several_reports(void **state)
{
    (void)state;
    start(SCAN_CODE_PAGE_UTF8);
    char code[151];
    for (size_t i = 0; i < 150; i++)
        code[i] = (char)('A' + i % 26);
    code[150] = '\0';
    uint8_t report[SCAN_HIDPOS_REPORT_LENGTH];
    pos_report(report, "]d2", code, 56, true);
    assert_int_equal(push(report, sizeof report), SCAN_NONE);
    assert_true(scan_decoder_busy(&decoder));
    /* Later reports' AIM fields do not change what the first said. */
    pos_report(report, "]C0", code + 56, 56, true);
    assert_int_equal(push(report, sizeof report), SCAN_NONE);
    pos_report(report, NULL, code + 112, 38, false);
    assert_int_equal(push(report, sizeof report), SCAN_COMPLETE);
    assert_string_equal(event.data, code);
    assert_string_equal(event.symbology, "datamatrix");
}

static void test_reports_that_are_not_scanned_data_are_ignored(void **state)
{
    (void)state;
    start(SCAN_CODE_PAGE_UTF8);
    uint8_t trigger[2] = {0x04, 0x01};
    assert_int_equal(push(trigger, sizeof trigger), SCAN_NONE);
    assert_false(scan_decoder_busy(&decoder));
    /* An empty scan is nothing. */
    uint8_t report[SCAN_HIDPOS_REPORT_LENGTH];
    pos_report(report, "]Q1", "", 0, false);
    assert_int_equal(push(report, sizeof report), SCAN_NONE);
    assert_int_equal(scan_text("123"), SCAN_COMPLETE);
    assert_string_equal(event.data, "123");
}

static void test_a_suffix_the_scanner_adds_is_dropped(void **state)
{
    (void)state;
    start(SCAN_CODE_PAGE_UTF8);
    assert_int_equal(scan_text("ABC\r\n"), SCAN_COMPLETE);
    assert_string_equal(event.data, "ABC");
    assert_int_equal(scan_text("ABC\r"), SCAN_COMPLETE);
    assert_string_equal(event.data, "ABC");
    /* Only at the end: a line break inside is a control character. */
    assert_int_equal(scan_text("A\r\nB"), SCAN_REJECTED);
    assert_int_equal(refusal.reason, SCAN_REJECT_CONTROL);
}

static void test_a_malformed_report_refuses_the_whole_scan(void **state)
{
    (void)state;
    start(SCAN_CODE_PAGE_UTF8);
    uint8_t report[SCAN_HIDPOS_REPORT_LENGTH];
    pos_report(report, "]Q1", "first part ", 11, true);
    assert_int_equal(push(report, sizeof report), SCAN_NONE);
    /* A short report, then one claiming more than 56 bytes. */
    pos_report(report, "]Q1", "second", 6, true);
    assert_int_equal(push(report, 40), SCAN_REJECTED);
    assert_int_equal(refusal.reason, SCAN_REJECT_REPORT);
    assert_int_equal(refusal.length, 11);
    /* The rest of that scan is swallowed, whatever it looks like. */
    pos_report(report, "]Q1", "tail", 4, false);
    report[1] = 57;
    assert_int_equal(push(report, sizeof report), SCAN_NONE);
    pos_report(report, "]Q1", "end of it", 9, false);
    assert_int_equal(push(report, sizeof report), SCAN_NONE);
    /* The next scan is taken. */
    assert_int_equal(scan_text("next"), SCAN_COMPLETE);
    assert_string_equal(event.data, "next");
}

static void test_an_over_long_scan_is_refused_in_bounded_memory(void **state)
{
    (void)state;
    start(SCAN_CODE_PAGE_UTF8);
    static char code[SCAN_MAX_LENGTH + 200];
    memset(code, '7', sizeof code);
    /* Exactly the maximum is taken. */
    assert_int_equal(scan("]Q1", code, SCAN_MAX_LENGTH), SCAN_COMPLETE);
    assert_int_equal(event.length, SCAN_MAX_LENGTH);
    assert_int_equal(strlen(event.data), SCAN_MAX_LENGTH);
    /* One more report's worth is refused as soon as it would not fit, and
     * the decoder never holds more than the maximum. */
    size_t at = 0;
    int refused = 0;
    while (at < sizeof code) {
        uint8_t report[SCAN_HIDPOS_REPORT_LENGTH];
        size_t n =
            sizeof code - at < SCAN_HIDPOS_DATA_MAX ? sizeof code - at : SCAN_HIDPOS_DATA_MAX;
        pos_report(report, "]Q1", code + at, n, at + n < sizeof code);
        at += n;
        scan_status status = push(report, sizeof report);
        assert_true(decoder.length <= SCAN_MAX_LENGTH);
        assert_int_not_equal(status, SCAN_COMPLETE);
        if (status == SCAN_REJECTED) {
            refused++;
            assert_int_equal(refusal.reason, SCAN_REJECT_TOO_LONG);
            assert_true(refusal.length > SCAN_MAX_LENGTH);
        }
    }
    assert_int_equal(refused, 1);
    assert_int_equal(scan_text("short"), SCAN_COMPLETE);
    /* A smaller configured maximum is kept too. */
    scan_config config = {.mode = SCAN_MODE_HID_POS, .max_length = 10};
    scan_decoder_init(&decoder, &config);
    assert_int_equal(scan_text("0123456789"), SCAN_COMPLETE);
    assert_int_equal(scan_text("0123456789A"), SCAN_REJECTED);
    assert_int_equal(refusal.reason, SCAN_REJECT_TOO_LONG);
}

static void test_bytes_that_are_not_utf8_are_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\xC3\x28",         /* a lead byte without its continuation */
        "\xC0\xAF",         /* an overlong '/' */
        "\xE0\x80\xAF",     /* an overlong '/' in three bytes */
        "\xED\xA0\x80",     /* a surrogate */
        "\xF4\x90\x80\x80", /* past U+10FFFF */
        "ok\xFF",           /* never in UTF-8 */
        "\xE4\xB8",         /* cut short */
    };
    start(SCAN_CODE_PAGE_UTF8);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(scan_text(bad[i]), SCAN_REJECTED);
        assert_int_equal(refusal.reason, SCAN_REJECT_ENCODING);
        assert_string_equal(event.data, "");
    }
    /* Four-byte UTF-8 (a rare character outside the BMP) passes. */
    assert_int_equal(scan_text("林\xF0\xAA\x9A\xA5华"), SCAN_COMPLETE);
    assert_string_equal(event.data, "林\xF0\xAA\x9A\xA5华");
}

static void test_gbk_is_converted_when_the_code_page_says_gbk(void **state)
{
    (void)state;
    /* 电子证照 in GBK. */
    const char *gbk = "\xB5\xE7\xD7\xD3\xD6\xA4\xD5\xD5:ABC123";
    start(SCAN_CODE_PAGE_UTF8);
    assert_int_equal(scan_text(gbk), SCAN_REJECTED);
    assert_int_equal(refusal.reason, SCAN_REJECT_ENCODING);
    start(SCAN_CODE_PAGE_GBK);
    assert_int_equal(scan_text(gbk), SCAN_COMPLETE);
    assert_string_equal(event.data, "电子证照:ABC123");
    assert_int_equal(event.length, strlen("电子证照:ABC123"));
    /* UTF-8 passes as it is under GBK too. */
    assert_int_equal(scan_text("电子证照"), SCAN_COMPLETE);
    assert_string_equal(event.data, "电子证照");
    /* Neither UTF-8 nor GBK: refused, with the reason. */
    assert_int_equal(scan_text("\x81\x20"), SCAN_REJECTED);
    assert_int_equal(refusal.reason, SCAN_REJECT_ENCODING);
    assert_int_equal(scan_text("\xFF\xFE"), SCAN_REJECTED);
    assert_int_equal(refusal.reason, SCAN_REJECT_ENCODING);
    assert_int_equal(scan_text("\xD6"), SCAN_REJECTED); /* half a character */
    assert_int_equal(refusal.reason, SCAN_REJECT_ENCODING);
}

static void test_gbk_that_grows_past_the_maximum_is_refused(void **state)
{
    (void)state;
    /* 2048 GBK characters are 4096 bytes as sent, 6144 as UTF-8. */
    static char gbk[SCAN_MAX_LENGTH];
    for (size_t i = 0; i < sizeof gbk; i += 2)
        memcpy(gbk + i, "\xD6\xD0", 2);
    start(SCAN_CODE_PAGE_GBK);
    assert_int_equal(scan("]Q1", gbk, sizeof gbk), SCAN_REJECTED);
    assert_int_equal(refusal.reason, SCAN_REJECT_TOO_LONG);
    assert_int_equal(scan("]Q1", gbk, 2730), SCAN_COMPLETE);
    assert_int_equal(event.length, 4095);
}

static void test_control_characters_and_escapes_are_refused(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        scan_reject reason;
    } cases[] = {
        {"\x1B[2J", SCAN_REJECT_ESCAPE}, /* clear the screen */
        {"abc\x1B]0;title\x07", SCAN_REJECT_ESCAPE},
        {"ring\x07", SCAN_REJECT_CONTROL},
        {"tab\there", SCAN_REJECT_CONTROL},
        {"gs1\x1Dxyz", SCAN_REJECT_CONTROL},
        {"del\x7F", SCAN_REJECT_CONTROL},
        {"\xC2\x9B[2J", SCAN_REJECT_CONTROL},        /* CSI as a C1 control */
        {"abc\xE2\x80\xAEtxt", SCAN_REJECT_CONTROL}, /* right-to-left override */
        {"\xE2\x81\xA6x", SCAN_REJECT_CONTROL},      /* left-to-right isolate */
    };
    start(SCAN_CODE_PAGE_GBK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(scan_text(cases[i].code), SCAN_REJECTED);
        assert_int_equal(refusal.reason, cases[i].reason);
        assert_string_equal(event.data, "");
    }
    /* A NUL inside a report's data is a control character too. */
    assert_int_equal(scan("]Q1", "ab\0cd", 5), SCAN_REJECTED);
    assert_int_equal(refusal.reason, SCAN_REJECT_CONTROL);
    /* Ordinary punctuation, spaces and CJK pass. */
    assert_int_equal(scan_text("办事指南 No.3 (2026)"), SCAN_COMPLETE);
}

static void test_configuration_codes_are_refused(void **state)
{
    (void)state;
    static const char *const configuration[] = {
        "NLS0006010",             /* Newland: enter setup */
        "@UPAAD50",               /* Newland command */
        "#KBWCTY0",               /* Newland temporary command */
        "~\0010000@SCNMOD0;\x03", /* Newland serial command frame (SOH in octal) */
        "\x16M\rDEFALT.",         /* Honeywell menu command */
        "nls0302000;",            /* a Newland setup code in lower case */
    };
    start(SCAN_CODE_PAGE_GBK);
    for (size_t i = 0; i < sizeof configuration / sizeof configuration[0]; i++) {
        assert_int_equal(scan_text(configuration[i]), SCAN_REJECTED);
        assert_int_equal(refusal.reason, SCAN_REJECT_CONFIGURATION);
    }
    /* Codes that only look a little like them pass. */
    static const char *const data[] = {"NLS",
                                       "NLSX2",
                                       "@home",
                                       "#1",
                                       "@UPAad50",
                                       "$1.50",
                                       "https://zwfw.example.invalid/#ABCDEFG"};
    for (size_t i = 0; i < sizeof data / sizeof data[0]; i++) {
        assert_int_equal(scan_text(data[i]), SCAN_COMPLETE);
        assert_string_equal(event.data, data[i]);
    }
}

static void test_a_refusal_logs_only_a_short_printable_preview(void **state)
{
    (void)state;
    start(SCAN_CODE_PAGE_UTF8);
    assert_int_equal(scan_text("\033440304199001011233"), SCAN_REJECTED);
    assert_string_equal(refusal.preview, "?440");
    assert_int_equal(refusal.length, 19);
    /* Nothing of the refused scan stays in the decoder. */
    for (size_t i = 0; i < sizeof decoder.data; i++)
        assert_int_equal(decoder.data[i], 0);
}

static void test_symbologies_come_from_the_aim_identifier(void **state)
{
    (void)state;
    static const struct {
        const char *aim, *name;
    } cases[] = {
        {"]Q1", "qr"},     {"]Q3", "qr"},     {"]C0", "code128"}, {"]C1", "gs1-128"},
        {"]E0", "ean13"},  {"]E4", "ean8"},   {"]L2", "pdf417"},  {"]d1", "datamatrix"},
        {"]A0", "code39"}, {"]z0", "aztec"},  {"]h0", "hanxin"},  {"]X0", "unknown"},
        {"", "unknown"},   {"Q1", "unknown"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(scan_symbology_of_aim(cases[i].aim), cases[i].name);
    assert_string_equal(scan_symbology_of_aim(NULL), "unknown");
    /* A report without an AIM id says nothing of its symbology. */
    start(SCAN_CODE_PAGE_UTF8);
    assert_int_equal(scan(NULL, "4006381333931", 13), SCAN_COMPLETE);
    assert_string_equal(event.symbology, "unknown");
    assert_int_equal(scan("]E0", "4006381333931", 13), SCAN_COMPLETE);
    assert_string_equal(event.symbology, "ean13");
}

static void test_a_scan_cut_off_is_refused_when_the_scanner_goes_quiet(void **state)
{
    (void)state;
    start(SCAN_CODE_PAGE_UTF8);
    assert_int_equal(scan_decoder_idle(&decoder, &refusal), SCAN_NONE);
    uint8_t report[SCAN_HIDPOS_REPORT_LENGTH];
    pos_report(report, "]Q1", "half of a code", 14, true);
    assert_int_equal(push(report, sizeof report), SCAN_NONE);
    assert_int_equal(scan_decoder_idle(&decoder, &refusal), SCAN_REJECTED);
    assert_int_equal(refusal.reason, SCAN_REJECT_INCOMPLETE);
    assert_false(scan_decoder_busy(&decoder));
    /* What follows is a new scan, with nothing of the old one. */
    assert_int_equal(scan_text("whole"), SCAN_COMPLETE);
    assert_string_equal(event.data, "whole");
    /* A reset wipes a scan in progress. */
    pos_report(report, "]Q1", "secret", 6, true);
    assert_int_equal(push(report, sizeof report), SCAN_NONE);
    scan_decoder_reset(&decoder);
    assert_false(scan_decoder_busy(&decoder));
    assert_int_equal(decoder.data[0], 0);
}

static void test_events_are_wiped(void **state)
{
    (void)state;
    start(SCAN_CODE_PAGE_UTF8);
    assert_int_equal(scan_text("440304199001011233"), SCAN_COMPLETE);
    scan_event_wipe(&event);
    const uint8_t *bytes = (const uint8_t *)&event;
    for (size_t i = 0; i < sizeof event; i++)
        assert_int_equal(bytes[i], 0);
    assert_string_equal(scan_mode_name(SCAN_MODE_HID_POS), "hid-pos");
    assert_string_equal(scan_mode_name(SCAN_MODE_WEDGE), "wedge");
    assert_string_equal(scan_reject_name(SCAN_REJECT_KEY_COMBINATION), "key-combination");
}

/* Report descriptors: a HID POS scanner (Honeywell's layout), a boot
 * keyboard, a vendor interface, and some broken ones. */
static const uint8_t pos_descriptor[] = {
    0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01, 0x09, 0x12, 0xA1, 0x02, 0x85, 0x02, 0x15, 0x00, 0x26,
    0xFF, 0x00, 0x75, 0x08, 0x95, 0x01, 0x05, 0x01, 0x09, 0x3B, 0x81, 0x02, 0x95, 0x03, 0x05,
    0x8C, 0x09, 0xFB, 0x09, 0xFC, 0x09, 0xFD, 0x81, 0x02, 0x95, 0x38, 0x09, 0xFE, 0x82, 0x02,
    0x01, 0x06, 0x66, 0xFF, 0x95, 0x02, 0x09, 0x04, 0x09, 0x00, 0x81, 0x02, 0x05, 0x8C, 0x25,
    0x01, 0x75, 0x01, 0x95, 0x08, 0x09, 0xFF, 0x81, 0x02, 0xC0, 0xC0,
};
static const uint8_t keyboard_descriptor[] = {
    0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7, 0x15, 0x00, 0x25,
    0x01, 0x75, 0x01, 0x95, 0x08, 0x81, 0x02, 0x95, 0x01, 0x75, 0x08, 0x81, 0x01, 0x95, 0x06,
    0x75, 0x08, 0x15, 0x00, 0x25, 0x65, 0x05, 0x07, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00, 0xC0,
};

static void test_the_report_descriptor_tells_the_mode(void **state)
{
    (void)state;
    assert_int_equal(scan_mode_of_report_descriptor(pos_descriptor, sizeof pos_descriptor),
                     SCAN_MODE_HID_POS);
    assert_int_equal(
        scan_mode_of_report_descriptor(keyboard_descriptor, sizeof keyboard_descriptor),
        SCAN_MODE_WEDGE);
    /* A mouse, a vendor page, nothing, and a descriptor cut mid-item. */
    static const uint8_t mouse[] = {0x05, 0x01, 0x09, 0x02, 0xA1, 0x01, 0xC0};
    static const uint8_t vendor[] = {0x06, 0x00, 0xFF, 0x09, 0x01, 0xA1, 0x01, 0xC0};
    assert_int_equal(scan_mode_of_report_descriptor(mouse, sizeof mouse), SCAN_MODE_UNKNOWN);
    assert_int_equal(scan_mode_of_report_descriptor(vendor, sizeof vendor), SCAN_MODE_UNKNOWN);
    assert_int_equal(scan_mode_of_report_descriptor(NULL, 0), SCAN_MODE_UNKNOWN);
    assert_int_equal(scan_mode_of_report_descriptor(keyboard_descriptor, 3), SCAN_MODE_UNKNOWN);
    /* A keyboard collection inside a logical one is not the application. */
    static const uint8_t logical[] = {0x05, 0x01, 0x09, 0x06, 0xA1, 0x02, 0xC0};
    assert_int_equal(scan_mode_of_report_descriptor(logical, sizeof logical), SCAN_MODE_UNKNOWN);
    /* A composite of both is read as the scanner; a four-byte usage names
     * its own page; a pushed page comes back on pop. */
    uint8_t both[sizeof keyboard_descriptor + sizeof pos_descriptor];
    memcpy(both, keyboard_descriptor, sizeof keyboard_descriptor);
    memcpy(both + sizeof keyboard_descriptor, pos_descriptor, sizeof pos_descriptor);
    assert_int_equal(scan_mode_of_report_descriptor(both, sizeof both), SCAN_MODE_HID_POS);
    static const uint8_t extended[] = {0x05, 0x01, 0x0B, 0x02, 0x00, 0x8C, 0x00, 0xA1, 0x01, 0xC0};
    assert_int_equal(scan_mode_of_report_descriptor(extended, sizeof extended), SCAN_MODE_HID_POS);
    static const uint8_t pushed[] = {0x05, 0x01, 0xA4, 0x05, 0x8C, 0xB4,
                                     0x09, 0x06, 0xA1, 0x01, 0xC0};
    assert_int_equal(scan_mode_of_report_descriptor(pushed, sizeof pushed), SCAN_MODE_WEDGE);
    static const uint8_t popped[] = {0xB4, 0x09, 0x06, 0xA1, 0x01};
    assert_int_equal(scan_mode_of_report_descriptor(popped, sizeof popped), SCAN_MODE_UNKNOWN);
    /* A long item is skipped whole; one running past the end is refused. */
    static const uint8_t long_item[] = {0xFE, 0x02, 0x10, 0xAA, 0xBB, 0x05,
                                        0x8C, 0x09, 0x02, 0xA1, 0x01};
    assert_int_equal(scan_mode_of_report_descriptor(long_item, sizeof long_item),
                     SCAN_MODE_HID_POS);
    assert_int_equal(scan_mode_of_report_descriptor(long_item, 4), SCAN_MODE_UNKNOWN);
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* A figure for the design note: scans decoded per second. A citizen's code
 * comes at most a few times a second; a storm 100 times. */
static void test_decoding_keeps_far_ahead_of_a_storm(void **state)
{
    (void)state;
    start(SCAN_CODE_PAGE_GBK);
    const char *code = "https://zwfw.example.invalid/e-id?c=7Hq2xQ&t=20261122093000&s=0123456789";
    const char *gbk = "\xB5\xE7\xD7\xD3\xD6\xA4\xD5\xD5:ABC123";
    enum { SCANS = 20000 };
    struct timespec begin;
    clock_gettime(CLOCK_MONOTONIC, &begin);
    for (int i = 0; i < SCANS; i++)
        assert_int_equal(scan_text(code), SCAN_COMPLETE);
    double ascii = SCANS / seconds_since(&begin);
    clock_gettime(CLOCK_MONOTONIC, &begin);
    for (int i = 0; i < SCANS / 10; i++)
        assert_int_equal(scan_text(gbk), SCAN_COMPLETE);
    double converted = SCANS / 10 / seconds_since(&begin);
    print_message("decode rate: %.0f scans/s (%zu bytes, UTF-8), %.0f scans/s (GBK converted)\n",
                  ascii, strlen(code), converted);
    assert_true(ascii > 1000);
    assert_true(converted > 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_qr_code_in_one_report),
        cmocka_unit_test(test_a_long_code_comes_in_several_reports),
        cmocka_unit_test(test_reports_that_are_not_scanned_data_are_ignored),
        cmocka_unit_test(test_a_suffix_the_scanner_adds_is_dropped),
        cmocka_unit_test(test_a_malformed_report_refuses_the_whole_scan),
        cmocka_unit_test(test_an_over_long_scan_is_refused_in_bounded_memory),
        cmocka_unit_test(test_bytes_that_are_not_utf8_are_refused),
        cmocka_unit_test(test_gbk_is_converted_when_the_code_page_says_gbk),
        cmocka_unit_test(test_gbk_that_grows_past_the_maximum_is_refused),
        cmocka_unit_test(test_control_characters_and_escapes_are_refused),
        cmocka_unit_test(test_configuration_codes_are_refused),
        cmocka_unit_test(test_a_refusal_logs_only_a_short_printable_preview),
        cmocka_unit_test(test_symbologies_come_from_the_aim_identifier),
        cmocka_unit_test(test_a_scan_cut_off_is_refused_when_the_scanner_goes_quiet),
        cmocka_unit_test(test_events_are_wiped),
        cmocka_unit_test(test_the_report_descriptor_tells_the_mode),
        cmocka_unit_test(test_decoding_keeps_far_ahead_of_a_storm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
