/* The receipts a terminal issued: found by any of their numbers, moved on
 * when the platform has them, forgotten when old, and never confused. */
#include "../support/test_support.h"

#include "../offline-cache/cache_fixture.h"
#include "firmware/platform/receipt_index.h"

#include <string.h>
#include <unistd.h>

#define NOW ((int64_t)TEST_WALL_TIME)

static cache_store *store;
static seal_key key;

static int setup(void **state)
{
    (void)state;
    key = test_key(3);
    store = open_store(fresh_db("receipts"), &key, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cache_close(store);
    return 0;
}

static receipt_entry found(const char *number)
{
    receipt_entry entry;
    kiosk_diag diag = {{0}};
    if (receipt_index_find(store, number, &entry, &diag) != KIOSK_OK)
        fail_msg("%s not found: %s", number, diag.message);
    return entry;
}

static void test_a_receipt_is_found_by_any_of_its_numbers(void **state)
{
    (void)state;
    assert_int_equal(receipt_index_issued(store, "K0420-000001", "newborn-bundle", 1, NOW, NULL),
                     KIOSK_OK);
    assert_int_equal(
        receipt_index_issued(store, "K0420-000012", "certificate-print", 12, NOW + 5, NULL),
        KIOSK_OK);
    receipt_entry first = found("K0420-000001");
    assert_string_equal(first.service, "newborn-bundle");
    assert_false(first.delivered);
    assert_int_equal(first.issued_at_s, NOW);
    /* The digits alone, as typed on a keypad. */
    assert_string_equal(found("0420000012").local, "K0420-000012");

    /* Record 1 reaches the platform: its number leads to the same receipt,
     * and record 12 (whose id starts alike) is untouched. */
    assert_int_equal(receipt_index_delivered(store, 1, "GD20261122000007", NOW + 60, NULL),
                     KIOSK_OK);
    receipt_entry delivered = found("GD20261122000007");
    assert_string_equal(delivered.local, "K0420-000001");
    assert_true(delivered.delivered);
    assert_int_equal(delivered.delivered_at_s, NOW + 60);
    assert_string_equal(found("20261122000007").local, "K0420-000001");
    assert_string_equal(found("K0420-000001").tracking, "GD20261122000007");
    assert_false(found("K0420-000012").delivered);
    assert_int_equal(receipt_index_delivered(store, 12, "GD20261122000008", NOW + 61, NULL),
                     KIOSK_OK);
    assert_string_equal(found("K0420-000012").tracking, "GD20261122000008");

    /* A record that is no receipt's (a rating) is no error. */
    assert_int_equal(receipt_index_delivered(store, 99, "", NOW, NULL), KIOSK_OK);
    receipt_entry none;
    assert_int_equal(receipt_index_find(store, "K0420-000099", &none, NULL), KIOSK_ERR_NOT_FOUND);
}

static void test_old_receipts_are_forgotten(void **state)
{
    (void)state;
    assert_int_equal(receipt_index_issued(store, "K0420-000100", "appointment-ticket", 100,
                                          NOW - 100 * 86400LL, NULL),
                     KIOSK_OK);
    assert_int_equal(
        receipt_index_issued(store, "K0420-000101", "appointment-ticket", 101, NOW, NULL),
        KIOSK_OK);
    assert_int_equal(receipt_index_purge(store, NOW - RECEIPT_INDEX_DAYS * 86400LL, NULL),
                     KIOSK_OK);
    receipt_entry entry;
    assert_int_equal(receipt_index_find(store, "K0420-000100", &entry, NULL), KIOSK_ERR_NOT_FOUND);
    assert_int_equal(receipt_index_find(store, "0420000100", &entry, NULL), KIOSK_ERR_NOT_FOUND);
    assert_string_equal(found("K0420-000101").service, "appointment-ticket");
}

static int64_t next_number(const char *mark)
{
    int64_t number = 0;
    kiosk_diag diag = {{0}};
    assert_int_equal(cache_begin(store), KIOSK_OK);
    if (receipt_index_next_number(store, mark, &number, &diag) != KIOSK_OK)
        fail_msg("%s", diag.message);
    return number;
}

/* Numbers follow the store's counter and the mark beside it, whichever is
 * further on; the mark is written before the number is used, so a
 * transaction rolled back leaves a gap, and a store that lost its counter
 * does not start again at 1. */
static void test_numbers_follow_the_counter_and_the_mark(void **state)
{
    (void)state;
    char mark[1200];
    snprintf(mark, sizeof mark, "%s/receipt-number", test_make_temp_dir("receipt-mark"));
    assert_int_equal(next_number(mark), 1);
    assert_int_equal(cache_commit(store), KIOSK_OK);
    assert_string_equal(test_read_file(mark), "1\n");
    assert_int_equal(next_number(mark), 2);
    cache_rollback(store);
    assert_int_equal(next_number(mark), 3);
    assert_int_equal(cache_commit(store), KIOSK_OK);
    /* The store started afresh (its counter gone); the mark remembers. */
    cache_close(store);
    store = open_store(fresh_db("receipts-fresh"), &key, NULL);
    assert_int_equal(next_number(mark), 4);
    assert_int_equal(cache_commit(store), KIOSK_OK);
    /* The mark lost, the counter remembers. */
    assert_int_equal(unlink(mark), 0);
    assert_int_equal(next_number(mark), 5);
    assert_int_equal(cache_commit(store), KIOSK_OK);
    assert_string_equal(test_read_file(mark), "5\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_receipt_is_found_by_any_of_its_numbers),
        cmocka_unit_test(test_old_receipts_are_forgotten),
        cmocka_unit_test(test_numbers_follow_the_counter_and_the_mark),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
