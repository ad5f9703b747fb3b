/* What staff do with the records the platform refused: list them (never
 * opening a payload), send one again, or close it for good with a
 * tombstone that says what it was and why. */
#include "../support/test_support.h"

#include "cache_fixture.h"

#include <sqlite3.h>

static int64_t put_labelled(cache_store *store, const char *key, const char *payload,
                            const char *reference, const char *service, const char *subject)
{
    cache_put put = {.kind = "submission",
                     .idempotency_key = key,
                     .payload = (const uint8_t *)payload,
                     .payload_length = strlen(payload),
                     .personal = true,
                     .reference = reference,
                     .service = service,
                     .subject = subject};
    int64_t id = 0;
    kiosk_diag diag = {{0}};
    if (cache_outbox_put(store, &put, NOW_MS, &id, &diag) != KIOSK_OK)
        fail_msg("put %s: %s", key, diag.message);
    return id;
}

static void test_staff_see_labels_and_never_payloads(void **state)
{
    (void)state;
    seal_key key = test_key(60);
    cache_store *store = open_store(fresh_db("staff-list"), &key, NULL);
    int64_t waiting = put_labelled(store, "T:S1:a", "{\"id_number\":\"110105194912310021\"}",
                                   "K0420-000041", "户籍证明", "110105********0021");
    int64_t refused = put_labelled(store, "T:S2:a", "{\"id_number\":\"110105194912310039\"}",
                                   "K0420-000042", "居住证", "110105********0039");
    int64_t rating = put_record(store, "T:S3:rating", "{\"stars\":5}", false);
    assert_int_equal(cache_outbox_quarantine(store, refused, "422: the form is incomplete", NULL),
                     KIOSK_OK);
    assert_int_equal(
        cache_outbox_fail(store, waiting, "503 from the platform", NOW_MS + 1000, NULL), KIOSK_OK);

    cache_outbox_entry entries[4];
    size_t count = 0;
    assert_int_equal(cache_outbox_list(store, false, entries, 4, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 3);
    /* Quarantined first, then the oldest waiting. */
    assert_int_equal(entries[0].id, refused);
    assert_true(entries[0].quarantined);
    assert_string_equal(entries[0].reference, "K0420-000042");
    assert_string_equal(entries[0].service, "居住证");
    assert_string_equal(entries[0].subject, "110105********0039");
    assert_string_equal(entries[0].last_error, "422: the form is incomplete");
    assert_int_equal(entries[1].id, waiting);
    assert_false(entries[1].quarantined);
    assert_int_equal(entries[1].attempts, 1);
    assert_string_equal(entries[1].last_error, "503 from the platform");
    assert_int_equal(entries[1].created_at, NOW_MS / 1000);
    assert_int_equal(entries[2].id, rating);
    assert_string_equal(entries[2].kind, "submission");
    assert_string_equal(entries[2].reference, "");
    for (size_t i = 0; i < count; i++)
        assert_null(strstr(entries[i].subject, "19491231"));

    assert_int_equal(cache_outbox_list(store, true, entries, 4, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 1);
    assert_int_equal(entries[0].id, refused);
    cache_outbox_entry one;
    assert_int_equal(cache_outbox_entry_get(store, waiting, &one, NULL), KIOSK_OK);
    assert_int_equal(one.id, waiting);
    assert_string_equal(one.reference, "K0420-000041");
    assert_string_equal(one.subject, "110105********0021");
    assert_int_equal(one.attempts, 1);
    assert_int_equal(cache_outbox_list(store, false, entries, 2, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 2);
    cache_close(store);
}

static void test_labels_longer_than_their_room_are_refused(void **state)
{
    (void)state;
    seal_key key = test_key(61);
    cache_store *store = open_store(fresh_db("staff-labels"), &key, NULL);
    char longest[CACHE_LABEL_MAX], over[CACHE_LABEL_MAX + 1];
    memset(longest, 'r', sizeof longest - 1);
    longest[sizeof longest - 1] = '\0';
    memset(over, 'r', sizeof over - 1);
    over[sizeof over - 1] = '\0';
    const char *fields[3][3] = {{over, NULL, NULL}, {NULL, over, NULL}, {NULL, NULL, over}};
    for (size_t i = 0; i < 3; i++) {
        cache_put put = {.kind = "submission",
                         .idempotency_key = "T:S:x",
                         .payload = (const uint8_t *)"x",
                         .payload_length = 1,
                         .reference = fields[i][0],
                         .service = fields[i][1],
                         .subject = fields[i][2]};
        int64_t id = 0;
        assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, NULL),
                         KIOSK_ERR_INVALID_ARGUMENT);
    }
    (void)put_labelled(store, "T:S:y", "y", longest, longest, longest);
    cache_close(store);
}

/* Resent: due now, attempts cleared, counted again; delivered once. */
static void test_a_released_record_is_sent_again(void **state)
{
    (void)state;
    seal_key key = test_key(62);
    cache_store *store = open_store(fresh_db("staff-release"), &key, NULL);
    int64_t id = put_labelled(store, "T:S1:a", "payload", "K0420-000042", "居住证", "");
    assert_int_equal(cache_outbox_fail(store, id, "503", NOW_MS + 60000, NULL), KIOSK_OK);
    assert_int_equal(cache_outbox_quarantine(store, id, "422", NULL), KIOSK_OK);
    cache_outbox_stats stats;
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.records, 0);
    assert_int_equal(stats.quarantined, 1);

    kiosk_diag diag = {{0}};
    assert_int_equal(cache_outbox_release(store, id + 100, NOW_MS, &diag), KIOSK_ERR_NOT_FOUND);
    assert_non_null(strstr(diag.message, "not quarantined"));
    assert_int_equal(cache_outbox_release(store, id, NOW_MS + 5, NULL), KIOSK_OK);
    /* Only once: it is not quarantined any more. */
    assert_int_equal(cache_outbox_release(store, id, NOW_MS + 5, NULL), KIOSK_ERR_NOT_FOUND);
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.records, 1);
    assert_int_equal(stats.bytes, 7);
    assert_int_equal(stats.quarantined, 0);
    cache_record records[2];
    size_t count = 0;
    assert_int_equal(cache_outbox_claim(store, NOW_MS + 4, 2, records, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 0);
    assert_int_equal(cache_outbox_claim(store, NOW_MS + 5, 2, records, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 1);
    assert_int_equal(records[0].attempts, 0);
    assert_memory_equal(records[0].payload, "payload", 7);
    cache_records_free(records, count);
    cache_close(store);
}

static int64_t count_rows(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *statement = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &statement, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return n;
}

/* Closed: never sent, its payload gone from the files, a tombstone kept. */
static void test_a_closed_record_leaves_a_tombstone_and_nothing_else(void **state)
{
    (void)state;
    seal_key key = test_key(63);
    const char *path = fresh_db("staff-close");
    cache_store *store = open_store(path, &key, NULL);
    const char secret[] = "PLAIN-ANSWER-7f3a";
    cache_put put = {.kind = "rating",
                     .idempotency_key = "T:S1:rate",
                     .payload = (const uint8_t *)secret,
                     .payload_length = sizeof secret - 1,
                     .reference = "K0420-000042",
                     .service = "居住证",
                     .subject = "110105********0039"};
    int64_t id = 0;
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, NULL), KIOSK_OK);
    int64_t other = put_record(store, "T:S2:x", "x", false);

    kiosk_diag diag = {{0}};
    /* Not quarantined: staff cannot close what is still being sent. */
    assert_int_equal(cache_outbox_close(store, id, "staff:S001", "duplicate", NOW_MS / 1000, &diag),
                     KIOSK_ERR_NOT_FOUND);
    assert_int_equal(cache_outbox_quarantine(store, id, "422", NULL), KIOSK_OK);
    assert_int_equal(cache_outbox_close(store, id, "staff:S001", "", NOW_MS / 1000, NULL),
                     KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(cache_outbox_close(store, id, NULL, "why", NOW_MS / 1000, NULL),
                     KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(cache_outbox_close(store, id, "staff:S001", NULL, NOW_MS / 1000, NULL),
                     KIOSK_ERR_INVALID_ARGUMENT);
    char long_reason[162];
    memset(long_reason, 'w', sizeof long_reason - 1);
    long_reason[sizeof long_reason - 1] = '\0';
    assert_int_equal(cache_outbox_close(store, id, "staff:S001", long_reason, NOW_MS / 1000, NULL),
                     KIOSK_ERR_INVALID_ARGUMENT);
    long_reason[160] = '\0';
    assert_int_equal(cache_outbox_close(store, id, "staff:S001", long_reason, 1, NULL), KIOSK_OK);
    assert_int_equal(cache_outbox_tombstone_get(store, id, &(cache_outbox_tombstone){0}, NULL),
                     KIOSK_OK);
    /* Closed once only. */
    assert_int_equal(cache_outbox_close(store, id, "staff:S001", "again", 2, NULL),
                     KIOSK_ERR_NOT_FOUND);
    cache_close(store);

    store = open_store(path, &key, NULL);
    int64_t id2 = 0;
    put.idempotency_key = "T:S3:rate";
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id2, NULL), KIOSK_OK);
    assert_int_equal(cache_outbox_quarantine(store, id2, "422", NULL), KIOSK_OK);
    assert_int_equal(cache_outbox_close(store, id2, "staff:S002", "the citizen withdrew it",
                                        NOW_MS / 1000 + 60, NULL),
                     KIOSK_OK);
    cache_outbox_tombstone tombstone;
    assert_int_equal(cache_outbox_tombstone_get(store, id2, &tombstone, NULL), KIOSK_OK);
    assert_int_equal(tombstone.id, id2);
    assert_string_equal(tombstone.kind, "rating");
    assert_string_equal(tombstone.idempotency_key, "T:S3:rate");
    assert_string_equal(tombstone.reference, "K0420-000042");
    assert_string_equal(tombstone.service, "居住证");
    assert_string_equal(tombstone.subject, "110105********0039");
    assert_string_equal(tombstone.closed_by, "staff:S002");
    assert_string_equal(tombstone.reason, "the citizen withdrew it");
    assert_int_equal(tombstone.created_at, NOW_MS / 1000);
    assert_int_equal(tombstone.closed_at, NOW_MS / 1000 + 60);
    assert_int_equal(cache_outbox_tombstone_get(store, other, &tombstone, &diag),
                     KIOSK_ERR_NOT_FOUND);

    cache_record records[4];
    size_t count = 0;
    assert_int_equal(cache_outbox_claim(store, NOW_MS, 4, records, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 1);
    assert_int_equal(records[0].id, other);
    cache_records_free(records, count);
    cache_outbox_stats stats;
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.quarantined, 0);
    assert_int_equal(stats.records, 1);
    assert_int_equal(cache_scrub(store), KIOSK_OK);
    cache_close(store);
    assert_false(store_files_contain(path, secret, sizeof secret - 1));
    assert_int_equal(count_rows(path, "SELECT count(*) FROM outbox_closed"), 2);
}

/* Inside the caller's transaction, a close is undone with it. */
static void test_a_close_joins_the_callers_transaction(void **state)
{
    (void)state;
    seal_key key = test_key(64);
    cache_store *store = open_store(fresh_db("staff-close-transaction"), &key, NULL);
    int64_t id = put_record(store, "T:S1:a", "x", true);
    assert_int_equal(cache_outbox_quarantine(store, id, "422", NULL), KIOSK_OK);
    assert_int_equal(cache_begin(store), KIOSK_OK);
    assert_int_equal(cache_outbox_close(store, id, "staff:S001", "wrong", 5, NULL), KIOSK_OK);
    cache_rollback(store);
    cache_outbox_entry entries[2];
    size_t count = 0;
    assert_int_equal(cache_outbox_list(store, true, entries, 2, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 1);
    assert_int_equal(cache_outbox_tombstone_get(store, id, &(cache_outbox_tombstone){0}, NULL),
                     KIOSK_ERR_NOT_FOUND);
    assert_int_equal(cache_begin(store), KIOSK_OK);
    assert_int_equal(cache_outbox_release(store, id, NOW_MS, NULL), KIOSK_OK);
    cache_rollback(store);
    assert_int_equal(cache_outbox_list(store, true, entries, 2, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 1);
    cache_close(store);
}

/* Audit rows waiting are counted apart from citizens' records, whatever
 * becomes of them: sent, refused, released. */
static void test_audit_rows_are_counted_apart(void **state)
{
    (void)state;
    seal_key key = test_key(65);
    cache_store *store = open_store(fresh_db("staff-audit-count"), &key, NULL);
    cache_put audit = {.kind = "audit",
                       .idempotency_key = "audit:1:x",
                       .payload = (const uint8_t *)"{}",
                       .payload_length = 2};
    int64_t row = 0;
    assert_int_equal(cache_outbox_put(store, &audit, NOW_MS, &row, NULL), KIOSK_OK);
    int64_t record = put_record(store, "T:S1:a", "abc", false);
    cache_outbox_stats stats;
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.records, 1);
    assert_int_equal(stats.bytes, 3);
    assert_int_equal(stats.audit, 1);
    assert_int_equal(cache_outbox_quarantine(store, row, "422", NULL), KIOSK_OK);
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.audit, 0);
    assert_int_equal(stats.records, 1);
    assert_int_equal(cache_outbox_release(store, row, NOW_MS, NULL), KIOSK_OK);
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.audit, 1);
    assert_int_equal(stats.bytes, 3);
    int64_t ids[] = {row, record};
    assert_int_equal(cache_outbox_ack(store, ids, 2, NULL), KIOSK_OK);
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.audit, 0);
    assert_int_equal(stats.records, 0);
    assert_int_equal(stats.bytes, 0);
    cache_outbox_entry entry;
    kiosk_diag diag = {{0}};
    assert_int_equal(cache_outbox_entry_get(store, row, &entry, &diag), KIOSK_ERR_NOT_FOUND);
    cache_close(store);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_staff_see_labels_and_never_payloads),
        cmocka_unit_test(test_labels_longer_than_their_room_are_refused),
        cmocka_unit_test(test_a_released_record_is_sent_again),
        cmocka_unit_test(test_a_closed_record_leaves_a_tombstone_and_nothing_else),
        cmocka_unit_test(test_a_close_joins_the_callers_transaction),
        cmocka_unit_test(test_audit_rows_are_counted_apart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
