/* ESC/POS status bytes: every bit of DLE EOT 1..4 and of GS r 1, and what
 * each status means for the kiosk. */
#include "../support/test_support.h"

#include "drivers/printer/escpos_status.h"

#include <string.h>

/* A printer with nothing to say: bits 1 and 4 on in every answer. */
static const uint8_t all_well[4] = {0x12, 0x12, 0x12, 0x12};

static escpos_status parsed(uint8_t n1, uint8_t n2, uint8_t n3, uint8_t n4)
{
    const uint8_t answers[4] = {n1, n2, n3, n4};
    escpos_status status;
    assert_int_equal(escpos_status_parse(answers, &status), KIOSK_OK);
    return status;
}

_Static_assert(sizeof(escpos_status) == 14 * sizeof(bool), "a struct of 14 flags");

static int flags_set(const escpos_status *s)
{
    const bool *flags = (const bool *)s; /* a struct of bools only */
    int n = 0;
    for (size_t i = 0; i < sizeof *s / sizeof(bool); i++)
        n += flags[i];
    return n;
}

static void test_the_queries_are_byte_exact(void **state)
{
    (void)state;
    static const uint8_t dle_eot[] = {0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4};
    assert_memory_equal(escpos_status_query, dle_eot, sizeof dle_eot);
    static const uint8_t gs_r[] = {0x1D, 0x72, 1};
    assert_memory_equal(escpos_paper_query, gs_r, sizeof gs_r);
}

static void test_all_well_sets_nothing(void **state)
{
    (void)state;
    escpos_status s = parsed(0x12, 0x12, 0x12, 0x12);
    assert_int_equal(flags_set(&s), 0);
    escpos_condition c = escpos_status_condition(&s);
    assert_int_equal(c.state, DEVICE_ONLINE);
    assert_int_equal(c.supply, DEVICE_SUPPLY_OK);
    assert_string_equal(c.reason, "ready");
    assert_true(c.can_print);
}

static void test_every_bit_of_the_printer_status(void **state)
{
    (void)state;
    escpos_status s = parsed(0x12 | 0x04, 0x12, 0x12, 0x12);
    assert_true(s.drawer_high);
    assert_int_equal(flags_set(&s), 1);
    s = parsed(0x12 | 0x08, 0x12, 0x12, 0x12);
    assert_true(s.offline);
    assert_int_equal(flags_set(&s), 1);
    s = parsed(0x12 | 0x20, 0x12, 0x12, 0x12);
    assert_true(s.waiting_recovery);
    assert_int_equal(flags_set(&s), 1);
    s = parsed(0x12 | 0x40, 0x12, 0x12, 0x12);
    assert_true(s.feed_button);
    assert_int_equal(flags_set(&s), 1);
}

static void test_every_bit_of_the_offline_cause(void **state)
{
    (void)state;
    escpos_status s = parsed(0x12, 0x12 | 0x04, 0x12, 0x12);
    assert_true(s.cover_open);
    assert_int_equal(flags_set(&s), 1);
    s = parsed(0x12, 0x12 | 0x08, 0x12, 0x12);
    assert_true(s.feeding);
    assert_int_equal(flags_set(&s), 1);
    s = parsed(0x12, 0x12 | 0x20, 0x12, 0x12);
    assert_true(s.paper_end_stop);
    assert_int_equal(flags_set(&s), 1);
    s = parsed(0x12, 0x12 | 0x40, 0x12, 0x12);
    assert_true(s.error);
    assert_int_equal(flags_set(&s), 1);
}

static void test_every_bit_of_the_error_cause(void **state)
{
    (void)state;
    escpos_status s = parsed(0x12, 0x12, 0x12 | 0x04, 0x12);
    assert_true(s.recoverable_error);
    assert_int_equal(flags_set(&s), 1);
    s = parsed(0x12, 0x12, 0x12 | 0x08, 0x12);
    assert_true(s.cutter_error);
    assert_int_equal(flags_set(&s), 1);
    s = parsed(0x12, 0x12, 0x12 | 0x20, 0x12);
    assert_true(s.unrecoverable_error);
    assert_int_equal(flags_set(&s), 1);
    s = parsed(0x12, 0x12, 0x12 | 0x40, 0x12);
    assert_true(s.auto_recoverable_error);
    assert_int_equal(flags_set(&s), 1);
}

static void test_every_bit_of_the_paper_sensors(void **state)
{
    (void)state;
    /* Two bits per sensor (two sensors on some models): either counts. */
    const uint8_t near_end[] = {0x04, 0x08, 0x0C}, out[] = {0x20, 0x40, 0x60};
    for (size_t i = 0; i < 3; i++) {
        escpos_status s = parsed(0x12, 0x12, 0x12, (uint8_t)(0x12 | near_end[i]));
        assert_true(s.paper_near_end);
        assert_int_equal(flags_set(&s), 1);
        s = parsed(0x12, 0x12, 0x12, (uint8_t)(0x12 | out[i]));
        assert_true(s.paper_out);
        assert_int_equal(flags_set(&s), 1);
    }
    /* What a printer out of paper answers (Epson's example): 1E 32 12 7E. */
    escpos_status s = parsed(0x1E, 0x32, 0x12, 0x7E);
    assert_true(s.offline && s.paper_end_stop && s.paper_near_end && s.paper_out);
    assert_true(s.drawer_high);
}

static void test_bytes_with_wrong_fixed_bits_are_refused(void **state)
{
    (void)state;
    escpos_status s;
    for (int bad = 0; bad < 256; bad++) {
        for (int position = 0; position < 4; position++) {
            uint8_t answers[4];
            memcpy(answers, all_well, sizeof answers);
            answers[position] = (uint8_t)bad;
            bool fixed_ok = (bad & 0x93) == 0x12;
            memset(&s, 1, sizeof s); /* every flag set, as a stale answer would leave */
            assert_int_equal(escpos_status_parse(answers, &s) == KIOSK_OK, fixed_ok);
            assert_int_equal(escpos_status_byte((uint8_t)bad), fixed_ok);
            /* A refused answer says nothing: no flag is left from before. */
            if (!fixed_ok)
                assert_int_equal(flags_set(&s), 0);
        }
    }
    /* Bit 4 tells the two kinds of answer apart. */
    assert_false(escpos_paper_byte(0x12));
    assert_true(escpos_paper_byte(0x00));
    assert_true(escpos_paper_byte(0x0F));
}

static void test_building_and_parsing_agree_on_every_status(void **state)
{
    (void)state;
    /* Every combination of the 14 flags. */
    for (unsigned bits = 0; bits < (1u << 14); bits++) {
        escpos_status in;
        bool *flags = (bool *)&in;
        for (unsigned i = 0; i < 14; i++)
            flags[i] = (bits >> i) & 1;
        uint8_t answers[4];
        escpos_status_build(&in, answers);
        escpos_status out;
        assert_int_equal(escpos_status_parse(answers, &out), KIOSK_OK);
        assert_memory_equal(&in, &out, sizeof in);
    }
}

static void test_the_transmit_status_answer(void **state)
{
    (void)state;
    bool near_end, out;
    escpos_paper_parse(0x00, &near_end, &out);
    assert_false(near_end || out);
    escpos_paper_parse(0x03, &near_end, &out);
    assert_true(near_end && !out);
    escpos_paper_parse(0x0C, &near_end, &out);
    assert_true(!near_end && out);
    assert_int_equal(escpos_paper_build(true, true), 0x0F);
    assert_int_equal(escpos_paper_build(false, false), 0x00);
}

typedef struct mapping {
    uint8_t answers[4];
    device_state state;
    device_supply supply;
    const char *reason;
    bool can_print, will_resume;
} mapping;

static void test_what_each_status_means_for_the_kiosk(void **state)
{
    (void)state;
    static const mapping table[] = {
        {{0x12, 0x12, 0x12, 0x12}, DEVICE_ONLINE, DEVICE_SUPPLY_OK, "ready", true, false},
        {{0x12, 0x12, 0x12, 0x1E}, DEVICE_ONLINE, DEVICE_SUPPLY_LOW, "paper-low", true, false},
        {{0x1A, 0x32, 0x12, 0x7E},
         DEVICE_HARDWARE_ERROR,
         DEVICE_SUPPLY_OUT,
         "paper-out",
         false,
         false},
        /* paper end seen only as the reason printing stopped */
        {{0x1A, 0x32, 0x12, 0x12},
         DEVICE_HARDWARE_ERROR,
         DEVICE_SUPPLY_OUT,
         "paper-out",
         false,
         false},
        {{0x1A, 0x16, 0x12, 0x12},
         DEVICE_HARDWARE_ERROR,
         DEVICE_SUPPLY_OK,
         "cover-open",
         false,
         false},
        /* an open cover wins over the paper behind it */
        {{0x1A, 0x36, 0x12, 0x7E},
         DEVICE_HARDWARE_ERROR,
         DEVICE_SUPPLY_OUT,
         "cover-open",
         false,
         false},
        {{0x1A, 0x52, 0x1A, 0x12},
         DEVICE_HARDWARE_ERROR,
         DEVICE_SUPPLY_OK,
         "cutter-error",
         false,
         false},
        {{0x1A, 0x52, 0x32, 0x1E},
         DEVICE_HARDWARE_ERROR,
         DEVICE_SUPPLY_LOW,
         "printer-fault",
         false,
         false},
        {{0x1A, 0x52, 0x16, 0x12},
         DEVICE_HARDWARE_ERROR,
         DEVICE_SUPPLY_OK,
         "printer-fault",
         false,
         false},
        {{0x1A, 0x52, 0x52, 0x12}, DEVICE_BUSY, DEVICE_SUPPLY_OK, "recovering", false, true},
        {{0x1A, 0x1A, 0x12, 0x12}, DEVICE_BUSY, DEVICE_SUPPLY_OK, "feeding", false, true},
        {{0x52, 0x12, 0x12, 0x12}, DEVICE_BUSY, DEVICE_SUPPLY_OK, "feeding", false, true},
        {{0x1A, 0x12, 0x12, 0x12}, DEVICE_OFFLINE, DEVICE_SUPPLY_OK, "offline", false, false},
        {{0x32, 0x12, 0x12, 0x12}, DEVICE_OFFLINE, DEVICE_SUPPLY_OK, "offline", false, false},
        {{0x12, 0x52, 0x12, 0x12}, DEVICE_OFFLINE, DEVICE_SUPPLY_OK, "offline", false, false},
        /* the drawer connector is nothing to a kiosk */
        {{0x16, 0x12, 0x12, 0x12}, DEVICE_ONLINE, DEVICE_SUPPLY_OK, "ready", true, false},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        escpos_status s;
        assert_int_equal(escpos_status_parse(table[i].answers, &s), KIOSK_OK);
        escpos_condition c = escpos_status_condition(&s);
        if (c.state != table[i].state || c.supply != table[i].supply ||
            strcmp(c.reason, table[i].reason) != 0 || c.can_print != table[i].can_print ||
            c.will_resume != table[i].will_resume)
            fail_msg("row %zu: %s/%d/%s, expected %s/%d/%s", i, device_state_name(c.state),
                     (int)c.supply, c.reason, device_state_name(table[i].state),
                     (int)table[i].supply, table[i].reason);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_queries_are_byte_exact),
        cmocka_unit_test(test_all_well_sets_nothing),
        cmocka_unit_test(test_every_bit_of_the_printer_status),
        cmocka_unit_test(test_every_bit_of_the_offline_cause),
        cmocka_unit_test(test_every_bit_of_the_error_cause),
        cmocka_unit_test(test_every_bit_of_the_paper_sensors),
        cmocka_unit_test(test_bytes_with_wrong_fixed_bits_are_refused),
        cmocka_unit_test(test_building_and_parsing_agree_on_every_status),
        cmocka_unit_test(test_the_transmit_status_answer),
        cmocka_unit_test(test_what_each_status_means_for_the_kiosk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
