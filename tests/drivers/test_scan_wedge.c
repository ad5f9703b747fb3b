/* The scan decoder as a keyboard wedge: boot keyboard reports, key-down
 * edges, rollover, Alt+numpad for GBK and for UTF-8 bytes, and what it
 * refuses: Ctrl-, Alt- and GUI- combinations, ESC, keys that type nothing,
 * over-long scans. The simulated scanner types the ordinary scans; the
 * hostile ones are written out report by report. */
#include "../support/test_support.h"

#include "drivers/scanner/scan_decode.h"
#include "drivers/sim/scanner_sim.h"

#include <string.h>

#define CTRL  0x01
#define SHIFT 0x02
#define ALT   0x04
#define GUI   0x08
#define ENTER 0x28

static scan_decoder decoder;
static scan_event event;
static scan_refusal refusal;

/* What a run of reports gave. */
typedef struct results {
    int complete, rejected;
    scan_reject last_reason;
} results;

static results got;

static void start(const scan_config *config)
{
    scan_config wedge = config ? *config : (scan_config){.code_page = SCAN_CODE_PAGE_GBK};
    wedge.mode = SCAN_MODE_WEDGE;
    scan_decoder_init(&decoder, &wedge);
    memset(&event, 0, sizeof event);
    memset(&got, 0, sizeof got);
}

static void push(const uint8_t *report, size_t length)
{
    scan_decoder_push(&decoder, report, length);
    assert_true(decoder.length <= SCAN_MAX_LENGTH);
    for (;;) {
        scan_status status = scan_decoder_next(&decoder, &event, &refusal);
        if (status == SCAN_NONE)
            return;
        if (status == SCAN_COMPLETE)
            got.complete++;
        else {
            got.rejected++;
            got.last_reason = refusal.reason;
        }
    }
}

/* One boot keyboard report: modifiers and up to two keys. */
static void keys(uint8_t modifiers, uint8_t key, uint8_t key2)
{
    const uint8_t report[8] = {modifiers, 0, key, key2, 0, 0, 0, 0};
    push(report, sizeof report);
}

static void tap(uint8_t modifiers, uint8_t key)
{
    keys(modifiers, key, 0);
    keys(0, 0, 0);
}

/* Types text (lower-case letters, digits) key by key. */
static void type(const char *text)
{
    for (const char *c = text; *c; c++) {
        if (*c >= 'a' && *c <= 'z')
            tap(0, (uint8_t)(0x04 + *c - 'a'));
        else if (*c >= '1' && *c <= '9')
            tap(0, (uint8_t)(0x1E + *c - '1'));
        else if (*c == '0')
            tap(0, 0x27);
        else
            fail_msg("type() has no key for '%c'", *c);
    }
}

/* Everything the simulated scanner sends for one scan, into the decoder. */
static void sim_scan(const scanner_sim_options *options, const char *aim, const void *data,
                     size_t length)
{
    scanner_sim_options wedge = *options;
    wedge.mode = SCAN_MODE_WEDGE;
    usb_model *scanner = scanner_sim_create(&wedge);
    assert_non_null(scanner);
    assert_int_equal(scanner_sim_scan(scanner, aim, data, length), KIOSK_OK);
    for (;;) {
        uint8_t report[SCAN_REPORT_MAX];
        size_t n = 0;
        assert_int_equal(
            scanner->ops->send(scanner, SCANNER_SIM_ENDPOINT_IN, report, sizeof report, &n),
            KIOSK_OK);
        if (n == 0)
            break;
        assert_int_equal(n, SCAN_WEDGE_REPORT_LENGTH);
        push(report, n);
    }
    scanner->ops->destroy(scanner);
}

static void sim_text(const scanner_sim_options *options, const char *text)
{
    sim_scan(options, NULL, text, strlen(text));
}

static void test_a_typed_code_is_one_scan(void **state)
{
    (void)state;
    start(NULL);
    scanner_sim_options options = {0};
    const char *code = "https://zwfw.example.invalid/e-id?c=7Hq2_xQ&n={1,2}|~`\"'<>";
    sim_text(&options, code);
    assert_int_equal(got.complete, 1);
    assert_int_equal(got.rejected, 0);
    assert_string_equal(event.data, code);
    assert_int_equal(event.mode, SCAN_MODE_WEDGE);
    assert_string_equal(event.symbology, "unknown");
    assert_false(scan_decoder_busy(&decoder));
}

static void test_only_keys_going_down_count(void **state)
{
    (void)state;
    start(NULL);
    keys(0, 0x04, 0);    /* a */
    keys(0, 0x04, 0);    /* still held: not typed again */
    keys(0, 0x04, 0x05); /* b goes down while a is held */
    keys(0, 0x05, 0);    /* a let go */
    keys(0, 0x05, 0x04); /* a again */
    const uint8_t rollover[8] = {0, 0, 1, 1, 1, 1, 1, 1};
    push(rollover, sizeof rollover); /* too many keys: ignored */
    keys(0, 0, 0);
    keys(SHIFT, 0x06, 0); /* C */
    keys(0, 0, 0);
    keys(0, 0x59, 0); /* keypad 1, without Alt: a digit */
    keys(0, 0, 0);
    tap(0, ENTER);
    assert_int_equal(got.complete, 1);
    assert_string_equal(event.data, "abaC1");
    /* Enter with nothing before it is no scan. */
    tap(0, ENTER);
    tap(0, 0x58); /* keypad Enter */
    assert_int_equal(got.complete, 1);
    assert_int_equal(got.rejected, 0);
}

/* A scan with a hostile sequence in the middle, then its tail and Enter:
 * one refusal, and no event at all. */
static void expect_refused(scan_reject reason)
{
    type("tail");
    tap(0, ENTER);
    type("more");
    tap(0, ENTER);
    assert_int_equal(got.rejected, 1);
    assert_int_equal(got.last_reason, reason);
    assert_int_equal(got.complete, 0);
    assert_string_equal(event.data, "");
    /* Once the scanner has been quiet, the next scan is taken. */
    assert_int_equal(scan_decoder_idle(&decoder, &refusal), SCAN_NONE);
    type("ok");
    tap(0, ENTER);
    assert_int_equal(got.complete, 1);
    assert_string_equal(event.data, "ok");
}

static void test_ctrl_alt_and_escape_sequences_are_refused(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        uint8_t modifiers, key;
        scan_reject reason;
    } hostile[] = {
        {"Ctrl+C", CTRL, 0x06, SCAN_REJECT_KEY_COMBINATION},
        {"right Ctrl+V", 0x10, 0x19, SCAN_REJECT_KEY_COMBINATION},
        {"Alt+F4", ALT, 0x3D, SCAN_REJECT_KEY_COMBINATION},
        {"AltGr+Tab", 0x40, 0x2B, SCAN_REJECT_KEY_COMBINATION},
        {"GUI+R", GUI, 0x15, SCAN_REJECT_KEY_COMBINATION},
        {"Ctrl+Alt+Delete", CTRL | ALT, 0x4C, SCAN_REJECT_KEY_COMBINATION},
        {"Ctrl+Enter", CTRL, ENTER, SCAN_REJECT_KEY_COMBINATION},
        {"Alt+Enter", ALT, ENTER, SCAN_REJECT_KEY_COMBINATION},
        {"Escape", 0, 0x29, SCAN_REJECT_ESCAPE},
        {"F1", 0, 0x3A, SCAN_REJECT_KEY},
        {"an arrow", 0, 0x50, SCAN_REJECT_KEY},
        {"Caps Lock", 0, 0x39, SCAN_REJECT_KEY},
        {"Backspace", 0, 0x2A, SCAN_REJECT_CONTROL},
        {"Tab, when Enter ends a scan", 0, 0x2B, SCAN_REJECT_CONTROL},
    };
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        print_message("  %s\n", hostile[i].name);
        start(NULL);
        type("abc");
        tap(hostile[i].modifiers, hostile[i].key);
        expect_refused(hostile[i].reason);
    }
}

static void test_alt_codes_that_make_control_characters_are_refused(void **state)
{
    (void)state;
    static const struct {
        const char *digits;
        scan_reject reason;
    } hostile[] = {
        {"27", SCAN_REJECT_ESCAPE},      /* ESC */
        {"0027", SCAN_REJECT_ESCAPE},    /* ESC, the Alt+0nnn way */
        {"13", SCAN_REJECT_CONTROL},     /* CR */
        {"0", SCAN_REJECT_CONTROL},      /* NUL */
        {"127", SCAN_REJECT_CONTROL},    /* DEL */
        {"65536", SCAN_REJECT_ENCODING}, /* no such code */
        {"123456", SCAN_REJECT_ENCODING},
    };
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        print_message("  Alt+%s\n", hostile[i].digits);
        start(NULL);
        type("abc");
        keys(ALT, 0, 0);
        for (const char *d = hostile[i].digits; *d; d++) {
            keys(ALT, *d == '0' ? 0x62 : (uint8_t)(0x59 + *d - '1'), 0);
            keys(ALT, 0, 0);
        }
        keys(0, 0, 0);
        expect_refused(hostile[i].reason);
    }
    /* Alt with a key that is not on the keypad, and a bare Alt tap. */
    start(NULL);
    type("abc");
    tap(ALT, 0x1E);
    expect_refused(SCAN_REJECT_KEY_COMBINATION);
    start(NULL);
    type("ab");
    keys(ALT, 0, 0);
    keys(0, 0, 0);
    type("c");
    tap(0, ENTER);
    assert_int_equal(got.complete, 1);
    assert_string_equal(event.data, "abc");
}

static void test_an_escape_sequence_with_its_own_enter_leaves_no_scan(void **state)
{
    (void)state;
    /* A code made to type ESC, Enter, then a payload and Enter: the payload
     * must not pass as a scan of its own. */
    start(NULL);
    scanner_sim_options options = {0};
    sim_text(&options, "\x1B\rPAYLOAD");
    assert_int_equal(got.rejected, 1);
    assert_int_equal(got.last_reason, SCAN_REJECT_ESCAPE);
    assert_int_equal(got.complete, 0);
    /* Ctrl + ASCII (a line feed as Ctrl+J) the same. */
    start(NULL);
    sim_text(&options, "line one\nline two");
    assert_int_equal(got.rejected, 1);
    assert_int_equal(got.last_reason, SCAN_REJECT_KEY_COMBINATION);
    assert_int_equal(got.complete, 0);
}

static void test_gbk_comes_as_alt_and_its_decimal_code(void **state)
{
    (void)state;
    start(NULL);
    scanner_sim_options options = {.gbk = true};
    sim_text(&options, "电子证照:ABC-123");
    assert_int_equal(got.complete, 1);
    assert_string_equal(event.data, "电子证照:ABC-123");
    /* 中 is Alt+54992 (0xD6D0), typed here by hand. */
    start(NULL);
    keys(ALT, 0, 0);
    for (const char *d = "54992"; *d; d++) {
        keys(ALT, *d == '0' ? 0x62 : (uint8_t)(0x59 + *d - '1'), 0);
        keys(ALT, 0, 0);
    }
    keys(0, 0, 0);
    tap(0, ENTER);
    assert_int_equal(got.complete, 1);
    assert_string_equal(event.data, "中");
    /* Under the UTF-8 code page the same bytes are refused, with why. */
    scan_config utf8 = {.code_page = SCAN_CODE_PAGE_UTF8};
    start(&utf8);
    sim_text(&options, "电子证照");
    assert_int_equal(got.complete, 0);
    assert_int_equal(got.rejected, 1);
    assert_int_equal(got.last_reason, SCAN_REJECT_ENCODING);
}

static void test_utf8_comes_as_one_alt_code_a_byte(void **state)
{
    (void)state;
    scanner_sim_options options = {.gbk = false};
    const char *name = "林\xF0\xAA\x9A\xA5华 e-ID";
    scan_config utf8 = {.code_page = SCAN_CODE_PAGE_UTF8};
    start(&utf8);
    sim_text(&options, name);
    assert_int_equal(got.complete, 1);
    assert_string_equal(event.data, name);
    /* Bytes that are not UTF-8 are refused. */
    start(&utf8);
    sim_scan(&options, NULL, "ab\xC3(", 4);
    assert_int_equal(got.rejected, 1);
    assert_int_equal(got.last_reason, SCAN_REJECT_ENCODING);
}

static void test_tab_ends_a_scan_when_configured(void **state)
{
    (void)state;
    scan_config tab = {.code_page = SCAN_CODE_PAGE_GBK, .terminators = SCAN_END_TAB};
    start(&tab);
    type("abc");
    tap(0, 0x2B);
    assert_int_equal(got.complete, 1);
    assert_string_equal(event.data, "abc");
    /* Enter is then a control character in the data. */
    type("abc");
    tap(0, ENTER);
    assert_int_equal(got.rejected, 1);
    assert_int_equal(got.last_reason, SCAN_REJECT_CONTROL);
    /* Both, when both are set. */
    tab.terminators = SCAN_END_TAB | SCAN_END_ENTER;
    start(&tab);
    type("ab");
    tap(0, ENTER);
    type("cd");
    tap(0, 0x2B);
    assert_int_equal(got.complete, 2);
    assert_string_equal(event.data, "cd");
}

static void test_an_aim_prefix_names_the_symbology(void **state)
{
    (void)state;
    scan_config config = {.code_page = SCAN_CODE_PAGE_GBK, .aim_prefix = true};
    start(&config);
    scanner_sim_options options = {.aim_prefix = true};
    sim_scan(&options, "]Q1", "E-ID:0042", 9);
    assert_int_equal(got.complete, 1);
    assert_string_equal(event.data, "E-ID:0042");
    assert_string_equal(event.symbology, "qr");
    /* Without a prefix the data is left whole. */
    options.aim_prefix = false;
    sim_scan(&options, NULL, "E-ID:0043", 9);
    assert_int_equal(got.complete, 2);
    assert_string_equal(event.data, "E-ID:0043");
    assert_string_equal(event.symbology, "unknown");
}

static void test_configuration_codes_typed_are_refused(void **state)
{
    (void)state;
    start(NULL);
    scanner_sim_options options = {0};
    sim_text(&options, "NLS0006010");
    assert_int_equal(got.rejected, 1);
    assert_int_equal(got.last_reason, SCAN_REJECT_CONFIGURATION);
    sim_text(&options, "@KBWCTY0");
    assert_int_equal(got.rejected, 2);
    assert_int_equal(got.complete, 0);
}

static void test_an_over_long_typed_scan_is_refused_in_bounded_memory(void **state)
{
    (void)state;
    start(NULL);
    static char code[SCAN_MAX_LENGTH + 50];
    memset(code, 'x', sizeof code);
    scanner_sim_options options = {0};
    sim_scan(&options, NULL, code, sizeof code); /* push() checks the bound on every report */
    assert_int_equal(got.rejected, 1);
    assert_int_equal(got.last_reason, SCAN_REJECT_TOO_LONG);
    assert_int_equal(got.complete, 0);
    assert_int_equal(scan_decoder_idle(&decoder, &refusal), SCAN_NONE);
    sim_scan(&options, NULL, code, SCAN_MAX_LENGTH);
    assert_int_equal(got.complete, 1);
    assert_int_equal(event.length, SCAN_MAX_LENGTH);
}

static void test_a_scan_cut_off_is_refused_when_the_scanner_goes_quiet(void **state)
{
    (void)state;
    start(NULL);
    type("half");
    assert_true(scan_decoder_busy(&decoder));
    assert_int_equal(scan_decoder_idle(&decoder, &refusal), SCAN_REJECTED);
    assert_int_equal(refusal.reason, SCAN_REJECT_INCOMPLETE);
    assert_string_equal(refusal.preview, "half");
    /* So is an Alt code cut off. */
    keys(ALT, 0x5D, 0);
    assert_int_equal(scan_decoder_idle(&decoder, &refusal), SCAN_REJECTED);
    assert_int_equal(refusal.reason, SCAN_REJECT_INCOMPLETE);
    keys(0, 0, 0);
    type("whole");
    tap(0, ENTER);
    assert_int_equal(got.complete, 1);
    assert_string_equal(event.data, "whole");
}

static void test_reports_of_the_wrong_size_are_refused(void **state)
{
    (void)state;
    start(NULL);
    type("abc");
    const uint8_t short_report[7] = {0};
    push(short_report, sizeof short_report);
    assert_int_equal(got.rejected, 1);
    assert_int_equal(got.last_reason, SCAN_REJECT_REPORT);
    tap(0, ENTER);
    assert_int_equal(got.complete, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_typed_code_is_one_scan),
        cmocka_unit_test(test_only_keys_going_down_count),
        cmocka_unit_test(test_ctrl_alt_and_escape_sequences_are_refused),
        cmocka_unit_test(test_alt_codes_that_make_control_characters_are_refused),
        cmocka_unit_test(test_an_escape_sequence_with_its_own_enter_leaves_no_scan),
        cmocka_unit_test(test_gbk_comes_as_alt_and_its_decimal_code),
        cmocka_unit_test(test_utf8_comes_as_one_alt_code_a_byte),
        cmocka_unit_test(test_tab_ends_a_scan_when_configured),
        cmocka_unit_test(test_an_aim_prefix_names_the_symbology),
        cmocka_unit_test(test_configuration_codes_typed_are_refused),
        cmocka_unit_test(test_an_over_long_typed_scan_is_refused_in_bounded_memory),
        cmocka_unit_test(test_a_scan_cut_off_is_refused_when_the_scanner_goes_quiet),
        cmocka_unit_test(test_reports_of_the_wrong_size_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
