/* Records stranded in a database moved aside come home: opened under their
 * old id and sealed under their new one, once each, quarantined ones still
 * quarantined, receipts and counters carried over; what cannot be opened
 * stays in the file, which is then kept for a technician. */
#include "../support/test_support.h"

#include "cache_fixture.h"
#include "offline-cache/recover.h"

#include <unistd.h>

static const char *const prefixes[] = {"receipt:", NULL};

static char aside[1200];

/* A store with two records (one sealed), one quarantined, a receipt and a
 * counter, closed and moved aside; returns the fresh store's path. */
static const char *stranded_store(const char *name, const seal_key *key)
{
    const char *path = fresh_db(name);
    cache_store *old = open_store(path, key, NULL);
    put_record(old, "K0420:a:certificate-print", "{\"id_number\":\"440304199001011233\"}", true);
    put_record(old, "K0420:a:rating", "{\"score\":5}", false);
    int64_t refused = put_record(old, "K0420:b:certificate-print", "{\"n\":2}", true);
    assert_int_equal(cache_outbox_quarantine(old, refused, "422 from the platform", NULL),
                     KIOSK_OK);
    assert_int_equal(cache_kv_set(old, "receipt:K0420-000007", "{}", 2, TEST_WALL_TIME, NULL),
                     KIOSK_OK);
    assert_int_equal(cache_kv_set(old, "other:setting", "x", 1, TEST_WALL_TIME, NULL), KIOSK_OK);
    assert_int_equal(cache_counter_add(old, "receipt-number", 7, NULL, NULL), KIOSK_OK);
    cache_close(old);
    snprintf(aside, sizeof aside, "%s.corrupt-20261122T093000Z", path);
    assert_int_equal(rename(path, aside), 0);
    return path;
}

static void test_stranded_records_are_recovered_once(void **state)
{
    (void)state;
    seal_key key = test_key(6);
    const char *path = stranded_store("recover", &key);
    cache_store *store = open_store(path, &key, NULL);
    /* The new store has records of its own, whose ids the old ones had. */
    put_record(store, "K0420:c:certificate-print", "{\"n\":3}", true);
    cache_recover_report report;
    kiosk_diag diag = {{0}};
    assert_int_equal(cache_recover_from(store, aside, prefixes, NOW_MS, &report, &diag), KIOSK_OK);
    assert_int_equal(report.adopted, 3);
    assert_int_equal(report.stranded, 0);
    assert_int_equal(report.known, 0);
    assert_int_equal(report.settings, 1);
    assert_false(report.unreadable);
    assert_non_null(strstr(report.moved_to, ".recovered-"));
    assert_int_not_equal(access(aside, F_OK), 0);
    assert_int_equal(access(report.moved_to, F_OK), 0);

    cache_record records[8];
    size_t count = 0;
    assert_int_equal(cache_outbox_claim(store, NOW_MS, 8, records, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 3);
    bool found_sealed = false;
    for (size_t i = 0; i < count; i++)
        if (strcmp(records[i].idempotency_key, "K0420:a:certificate-print") == 0)
            found_sealed =
                records[i].payload_length == 34 &&
                memcmp(records[i].payload, "{\"id_number\":\"440304199001011233\"}", 34) == 0;
    assert_true(found_sealed);
    cache_records_free(records, count);
    cache_outbox_stats stats;
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.quarantined, 1);
    char *value = NULL;
    size_t length = 0;
    assert_int_equal(cache_kv_get(store, "receipt:K0420-000007", &value, &length, NULL), KIOSK_OK);
    free(value);
    assert_int_equal(cache_kv_get(store, "other:setting", &value, &length, NULL),
                     KIOSK_ERR_NOT_FOUND);
    int64_t counter = 0;
    assert_int_equal(cache_counter_add(store, "receipt-number", 0, &counter, NULL), KIOSK_OK);
    assert_int_equal(counter, 7);
    /* Brought back twice (a copy of the file): the keys are known. */
    char again[1400];
    snprintf(again, sizeof again, "%s", report.moved_to);
    assert_int_equal(cache_recover_from(store, again, prefixes, NOW_MS, &report, &diag), KIOSK_OK);
    assert_int_equal(report.adopted, 0);
    assert_int_equal(report.known, 3);
    cache_close(store);
}

/* Under another key nothing opens: the records stay where they are, the
 * file too, and this store is untouched. */
static void test_what_does_not_open_stays_in_the_file(void **state)
{
    (void)state;
    seal_key key = test_key(6), other = test_key(9);
    const char *path = stranded_store("recover-other-key", &key);
    cache_store *store = open_store(path, &other, NULL);
    cache_recover_report report;
    assert_int_equal(cache_recover_from(store, aside, prefixes, NOW_MS, &report, NULL), KIOSK_OK);
    assert_int_equal(report.stranded, 2);
    assert_int_equal(report.adopted, 1); /* the rating was not sealed */
    assert_string_equal(report.moved_to, "");
    assert_int_equal(access(aside, F_OK), 0);
    cache_close(store);
}

/* A file that is no database: read as far as it goes (nothing), left as it is. */
static void test_a_file_that_cannot_be_read_is_left_as_it_is(void **state)
{
    (void)state;
    seal_key key = test_key(6);
    const char *path = fresh_db("recover-garbage");
    cache_store *store = open_store(path, &key, NULL);
    char garbage[1200];
    snprintf(garbage, sizeof garbage, "%s.corrupt-x", path);
    FILE *file = fopen(garbage, "w");
    assert_non_null(file);
    for (int i = 0; i < 512; i++)
        fputs("not a database ", file);
    fclose(file);
    cache_recover_report report;
    kiosk_diag diag = {{0}};
    assert_int_equal(cache_recover_from(store, garbage, prefixes, NOW_MS, &report, &diag),
                     KIOSK_OK);
    assert_true(report.unreadable);
    assert_int_equal(report.adopted, 0);
    assert_string_equal(report.moved_to, "");
    cache_close(store);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stranded_records_are_recovered_once),
        cmocka_unit_test(test_what_does_not_open_stays_in_the_file),
        cmocka_unit_test(test_a_file_that_cannot_be_read_is_left_as_it_is),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
