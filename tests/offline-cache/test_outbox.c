/* The outbox: put, claim, ack, fail; idempotent puts; limits; sealing,
 * quarantine; retention; secure deletion; transactions with local records. */
#include "../support/test_support.h"

#include "cache_fixture.h"

#include <sqlite3.h>

static void test_put_claim_ack(void **state)
{
    (void)state;
    seal_key key = test_key(1);
    cache_store *store = open_store(fresh_db("outbox-basic"), &key, NULL);
    int64_t first = put_record(store, "T1:S1:submit", "{\"a\":1}", false);
    int64_t second = put_record(store, "T1:S2:submit", "{\"b\":2}", true);
    assert_true(second > first);

    cache_record records[8];
    size_t count = 0;
    assert_int_equal(cache_outbox_claim(store, NOW_MS, 8, records, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 2);
    /* Oldest first, personal ones opened. */
    assert_int_equal(records[0].id, first);
    assert_memory_equal(records[0].payload, "{\"a\":1}", 7);
    assert_int_equal(records[1].payload_length, 7);
    assert_memory_equal(records[1].payload, "{\"b\":2}", 7);
    assert_string_equal(records[1].idempotency_key, "T1:S2:submit");
    int64_t ids[] = {records[0].id, records[1].id};
    cache_records_free(records, count);

    assert_int_equal(cache_outbox_ack(store, ids, 2, NULL), KIOSK_OK);
    assert_int_equal(cache_outbox_claim(store, NOW_MS, 8, records, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 0);
    /* Acknowledging again (a crash before the ack was noted) is fine. */
    assert_int_equal(cache_outbox_ack(store, ids, 2, NULL), KIOSK_OK);
    cache_close(store);
}

static void test_a_retried_put_is_not_a_second_record(void **state)
{
    (void)state;
    seal_key key = test_key(2);
    cache_store *store = open_store(fresh_db("outbox-idempotent"), &key, NULL);
    int64_t first = put_record(store, "T1:S1:submit", "one", false);
    int64_t again = put_record(store, "T1:S1:submit", "one", false);
    assert_int_equal(first, again);
    cache_outbox_stats stats;
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.records, 1);
    char key_text[CACHE_KEY_MAX];
    assert_true(cache_idempotency_key("K04", "S123", "submit", key_text));
    assert_string_equal(key_text, "K04:S123:submit");
    char long_id[200];
    memset(long_id, 'x', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    assert_false(cache_idempotency_key(long_id, "S", "submit", key_text));
    cache_close(store);
}

static void test_failures_wait_for_their_next_attempt(void **state)
{
    (void)state;
    seal_key key = test_key(3);
    cache_store *store = open_store(fresh_db("outbox-fail"), &key, NULL);
    int64_t id = put_record(store, "T1:S1:submit", "x", false);
    assert_int_equal(cache_outbox_fail(store, id, "503 from the platform", NOW_MS + 5000, NULL),
                     KIOSK_OK);
    cache_record records[2];
    size_t count = 9;
    assert_int_equal(cache_outbox_claim(store, NOW_MS + 4999, 2, records, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 0);
    assert_int_equal(cache_outbox_claim(store, NOW_MS + 5000, 2, records, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 1);
    assert_int_equal(records[0].attempts, 1);
    cache_records_free(records, count);
    cache_close(store);
}

/* The link is back: records waiting out a back-off are due now, and every
 * waiting record's back-off starts afresh; a quarantined one is not touched. */
static void test_when_the_link_returns_waiting_records_are_due_now(void **state)
{
    (void)state;
    seal_key key = test_key(3);
    cache_store *store = open_store(fresh_db("outbox-retry-now"), &key, NULL);
    int64_t waiting = put_record(store, "T1:S1:submit", "x", false);
    int64_t bad = put_record(store, "T1:S2:submit", "y", false);
    assert_int_equal(cache_outbox_fail(store, waiting, "no answer", NOW_MS + 3600000, NULL),
                     KIOSK_OK);
    assert_int_equal(cache_outbox_quarantine(store, bad, "400", NULL), KIOSK_OK);
    /* Failed twice before the link went, and due already. */
    int64_t due = put_record(store, "T1:S3:submit", "z", false);
    for (int i = 0; i < 2; i++)
        assert_int_equal(cache_outbox_fail(store, due, "no answer", NOW_MS - 1000, NULL), KIOSK_OK);
    int64_t moved = 0;
    assert_int_equal(cache_outbox_retry_now(store, NOW_MS, &moved, NULL), KIOSK_OK);
    assert_int_equal(moved, 2);
    cache_record records[3];
    size_t count = 0;
    assert_int_equal(cache_outbox_claim(store, NOW_MS, 3, records, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 2);
    for (size_t i = 0; i < count; i++) {
        assert_true(records[i].id == waiting || records[i].id == due);
        assert_int_equal(records[i].attempts, 0); /* the back-off starts afresh */
    }
    cache_records_free(records, count);
    cache_close(store);
}

static void test_bad_puts_are_refused(void **state)
{
    (void)state;
    cache_store *store = open_store(fresh_db("outbox-bad"), NULL, NULL);
    cache_put put = {.kind = "submission",
                     .idempotency_key = "k",
                     .payload = (const uint8_t *)"x",
                     .payload_length = 1,
                     .personal = true};
    int64_t id = 0;
    kiosk_diag diag = {{0}};
    /* Personal data and no key to seal it: refused, not stored in clear. */
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, &diag), KIOSK_ERR_INVALID_ARGUMENT);
    put.personal = false;
    put.kind = "";
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, &diag), KIOSK_ERR_INVALID_ARGUMENT);
    put.kind = "submission";
    put.idempotency_key = NULL;
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, &diag), KIOSK_ERR_INVALID_ARGUMENT);
    cache_outbox_stats stats;
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.records, 0);
    cache_close(store);
}

static void test_a_full_outbox_refuses_new_work_and_keeps_the_rest(void **state)
{
    (void)state;
    cache_options limits = {.max_outbox_records = 3};
    cache_store *store = open_store(fresh_db("outbox-limit"), NULL, &limits);
    put_record(store, "k1", "1", false);
    put_record(store, "k2", "2", false);
    put_record(store, "k3", "3", false);
    cache_put put = {.kind = "submission",
                     .idempotency_key = "k4",
                     .payload = (const uint8_t *)"4",
                     .payload_length = 1};
    int64_t id = 0;
    kiosk_diag diag = {{0}};
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, &diag), KIOSK_ERR_NO_SPACE);
    assert_non_null(strstr(diag.message, "the outbox is full"));
    cache_record records[4];
    size_t count = 0;
    assert_int_equal(cache_outbox_claim(store, NOW_MS, 4, records, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 3);
    int64_t done = records[0].id;
    cache_records_free(records, count);
    /* One acknowledged: room again. */
    assert_int_equal(cache_outbox_ack(store, &done, 1, NULL), KIOSK_OK);
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, &diag), KIOSK_OK);
    cache_close(store);
}

static cache_store *quarantine_store;
static cache_record *quarantine_records;
static size_t *quarantine_count;

static void claim_four(void *context)
{
    (void)context;
    assert_int_equal(
        cache_outbox_claim(quarantine_store, NOW_MS, 4, quarantine_records, quarantine_count, NULL),
        KIOSK_OK);
}

static void test_a_record_that_does_not_open_is_quarantined_never_sent(void **state)
{
    (void)state;
    const char *path = fresh_db("outbox-quarantine");
    seal_key key = test_key(4), other = test_key(5);
    cache_store *store = open_store(path, &key, NULL);
    put_record(store, "k1", "personal one", true);
    put_record(store, "k2", "plain two", false);
    cache_close(store);

    /* The board's key changed (or the disk flipped a bit). */
    quarantine_store = open_store(path, &other, NULL);
    store = quarantine_store;
    cache_record records[4];
    size_t count = 0;
    quarantine_records = records;
    quarantine_count = &count;
    /* Logged as quarantined, and only that. */
    const char *logged = test_stderr_of(claim_four, NULL);
    assert_non_null(strstr(logged, "quarantined, never to be sent"));
    assert_null(strstr(logged, "cannot quarantine"));
    assert_int_equal(count, 1);
    assert_memory_equal(records[0].payload, "plain two", 9);
    cache_records_free(records, count);
    cache_outbox_stats stats;
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.records, 1);
    assert_int_equal(stats.quarantined, 1);
    int64_t counted = 0;
    assert_int_equal(cache_counter_add(store, "outbox.quarantined", 0, &counted, NULL), KIOSK_OK);
    assert_int_equal(counted, 1);
    cache_close(store);
}

static void test_a_sealed_payload_moved_to_another_record_does_not_open(void **state)
{
    (void)state;
    const char *path = fresh_db("outbox-swap");
    seal_key key = test_key(6);
    cache_store *store = open_store(path, &key, NULL);
    int64_t a = put_record(store, "ka", "citizen A", true);
    int64_t b = put_record(store, "kb", "citizen B", true);
    cache_close(store);
    /* Someone with the file copies A's sealed payload onto B. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char sql[200];
    snprintf(sql, sizeof sql,
             "UPDATE outbox SET payload = (SELECT payload FROM outbox WHERE id = %lld) "
             "WHERE id = %lld",
             (long long)a, (long long)b);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    store = open_store(path, &key, NULL);
    cache_record records[4];
    size_t count = 0;
    assert_int_equal(cache_outbox_claim(store, NOW_MS, 4, records, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 1);
    assert_int_equal(records[0].id, a);
    cache_records_free(records, count);
    cache_close(store);
}

static void test_acknowledged_data_is_gone_from_the_files(void **state)
{
    (void)state;
    const char *path = fresh_db("outbox-secure-delete");
    seal_key key = test_key(7);
    cache_store *store = open_store(path, &key, NULL);
    const char *secret = "NAME=王小明;ID=440304199001011233;PHONE=13812345678";
    const char *plain = "PLAIN-RECORD-THAT-MUST-VANISH-0123456789";
    int64_t ids[2] = {put_record(store, "k1", secret, true), put_record(store, "k2", plain, false)};
    /* What the sealed payload looks like on disk, to look for later. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *statement = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT payload FROM outbox WHERE id = ?", -1, &statement, NULL),
        SQLITE_OK);
    sqlite3_bind_int64(statement, 1, ids[0]);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    uint8_t ciphertext[24];
    assert_true(sqlite3_column_bytes(statement, 0) > 14 + 24);
    memcpy(ciphertext, (const uint8_t *)sqlite3_column_blob(statement, 0) + 14, sizeof ciphertext);
    sqlite3_finalize(statement);
    sqlite3_close(db);
    /* Sealed at rest: the plaintext never reached the files. */
    assert_false(store_files_contain(path, secret, strlen(secret)));
    assert_false(store_files_contain(path, "440304199001011233", 18));
    assert_true(store_files_contain(path, ciphertext, sizeof ciphertext));
    assert_true(store_files_contain(path, plain, strlen(plain)));

    assert_int_equal(cache_outbox_ack(store, ids, 2, NULL), KIOSK_OK);
    assert_int_equal(cache_scrub(store), KIOSK_OK);
    assert_false(store_files_contain(path, ciphertext, sizeof ciphertext));
    assert_false(store_files_contain(path, plain, strlen(plain)));
    cache_close(store);
    assert_false(store_files_contain(path, ciphertext, sizeof ciphertext));
    assert_false(store_files_contain(path, plain, strlen(plain)));
}

static void test_old_unsent_records_are_purged_and_leave_nothing(void **state)
{
    (void)state;
    const char *path = fresh_db("outbox-purge");
    cache_options retention = {.retention_days = 30};
    cache_store *store = open_store(path, NULL, &retention);
    const char *old = "OLD-UNSENT-RECORD-abcdefghijklmnop";
    put_record(store, "old", old, false);
    int64_t purged = -1;
    /* 29 days on: kept. */
    assert_int_equal(cache_outbox_purge(store, TEST_WALL_TIME + 29 * 86400, &purged, NULL),
                     KIOSK_OK);
    assert_int_equal(purged, 0);
    cache_put put = {.kind = "rating",
                     .idempotency_key = "new",
                     .payload = (const uint8_t *)"5",
                     .payload_length = 1};
    int64_t id = 0;
    assert_int_equal(
        cache_outbox_put(store, &put, ((int64_t)TEST_WALL_TIME + 29 * 86400) * 1000, &id, NULL),
        KIOSK_OK);
    /* 31 days: the old one goes, the newer stays. */
    assert_int_equal(cache_outbox_purge(store, TEST_WALL_TIME + 31 * 86400, &purged, NULL),
                     KIOSK_OK);
    assert_int_equal(purged, 1);
    cache_outbox_stats stats;
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.records, 1);
    assert_false(store_files_contain(path, old, strlen(old)));
    cache_close(store);
}

static void test_a_local_record_and_its_outbox_record_commit_together(void **state)
{
    (void)state;
    cache_store *store = open_store(fresh_db("outbox-transaction"), NULL, NULL);
    assert_int_equal(cache_begin(store), KIOSK_OK);
    assert_int_equal(cache_kv_set(store, "last-tracking", "K04-1", 5, TEST_WALL_TIME, NULL),
                     KIOSK_OK);
    put_record(store, "k1", "submission", false);
    cache_rollback(store);
    /* Neither was kept. */
    char *value = NULL;
    size_t length = 0;
    assert_int_equal(cache_kv_get(store, "last-tracking", &value, &length, NULL),
                     KIOSK_ERR_NOT_FOUND);
    cache_outbox_stats stats;
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.records, 0);
    /* Committed: both. */
    assert_int_equal(cache_begin(store), KIOSK_OK);
    assert_int_equal(cache_begin(store), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(cache_kv_set(store, "last-tracking", "K04-1", 5, TEST_WALL_TIME, NULL),
                     KIOSK_OK);
    put_record(store, "k1", "submission", false);
    assert_int_equal(cache_commit(store), KIOSK_OK);
    assert_int_equal(cache_kv_get(store, "last-tracking", &value, &length, NULL), KIOSK_OK);
    assert_string_equal(value, "K04-1");
    free(value);
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.records, 1);
    cache_close(store);
}

/* The byte budget counts the record being put, not only those before it. */
static void test_the_byte_budget_counts_the_new_record(void **state)
{
    (void)state;
    cache_options limits = {.max_outbox_bytes = 100};
    cache_store *store = open_store(fresh_db("outbox-bytes"), NULL, &limits);
    char payload[64];
    memset(payload, 'b', sizeof payload);
    cache_put put = {.kind = "rating", .payload = (const uint8_t *)payload};
    int64_t id = 0;
    put.idempotency_key = "sixty";
    put.payload_length = 60;
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, NULL), KIOSK_OK);
    put.idempotency_key = "forty-one";
    put.payload_length = 41;
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, NULL), KIOSK_ERR_NO_SPACE);
    put.idempotency_key = "forty";
    put.payload_length = 40;
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, NULL), KIOSK_OK);
    cache_outbox_stats stats;
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.records, 2);
    assert_int_equal(stats.bytes, 100);
    assert_int_equal(stats.quarantined, 0);
    assert_int_equal(stats.oldest_created_at, TEST_WALL_TIME);
    cache_close(store);
}

/* A payload one byte over the maximum is refused; one at it is kept. */
static void test_a_payload_over_the_maximum_is_refused(void **state)
{
    (void)state;
    cache_store *store = open_store(fresh_db("outbox-oversized"), NULL, NULL);
    uint8_t *payload = calloc(1, CACHE_PAYLOAD_MAX + 1);
    assert_non_null(payload);
    cache_put put = {.kind = "rating",
                     .idempotency_key = "too-big",
                     .payload = payload,
                     .payload_length = CACHE_PAYLOAD_MAX + 1};
    int64_t id = 0;
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, NULL), KIOSK_ERR_INVALID_ARGUMENT);
    put.payload_length = CACHE_PAYLOAD_MAX;
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, NULL), KIOSK_OK);
    free(payload);
    cache_close(store);
}

static cache_store *purge_store;
static int64_t purge_count;

static void purge_31_days_on(void *context)
{
    (void)context;
    log_set_level(LOG_LEVEL_WARN);
    assert_int_equal(
        cache_outbox_purge(purge_store, TEST_WALL_TIME + 31 * 86400, &purge_count, NULL), KIOSK_OK);
    log_set_level(LOG_LEVEL_ERROR);
}

/* Retention purges an old unsent record with an audit line naming it (id,
 * kind, age), but a quarantined one, however old, stays for staff. */
static void test_retention_spares_quarantined_records_and_audits_the_rest(void **state)
{
    (void)state;
    purge_store = open_store(fresh_db("outbox-purge-quarantine"), NULL, NULL);
    int64_t unsent = 0, kept = 0;
    cache_put put = {.kind = "rating", .payload = (const uint8_t *)"5", .payload_length = 1};
    put.idempotency_key = "old-rating";
    assert_int_equal(cache_outbox_put(purge_store, &put, NOW_MS, &unsent, NULL), KIOSK_OK);
    put.kind = "staff-call";
    put.idempotency_key = "old-refused";
    assert_int_equal(cache_outbox_put(purge_store, &put, NOW_MS, &kept, NULL), KIOSK_OK);
    assert_int_equal(cache_outbox_quarantine(purge_store, kept, "422 from the platform", NULL),
                     KIOSK_OK);
    const char *logged = test_stderr_of(purge_31_days_on, NULL);
    assert_int_equal(purge_count, 1);
    char line[96];
    snprintf(line, sizeof line, "outbox record %lld (rating) purged unsent after 31 days",
             (long long)unsent);
    if (!strstr(logged, line))
        fail_msg("no audit line \"%s\" in: %s", line, logged);
    assert_null(strstr(logged, "staff-call"));
    cache_outbox_stats stats;
    assert_int_equal(cache_outbox_stats_get(purge_store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.records, 0);
    assert_int_equal(stats.quarantined, 1);
    cache_close(purge_store);
}

/* A kind or key as long as its buffer (no room for the end) is refused;
 * one shorter fits and is kept whole. (Empty payloads here: kept as empty,
 * where they used to fail as a NULL the column refuses.) */
static void test_kinds_and_keys_longer_than_their_room_are_refused(void **state)
{
    (void)state;
    cache_store *store = open_store(fresh_db("outbox-lengths"), NULL, NULL);
    char kind[CACHE_KIND_MAX + 1], key[CACHE_KEY_MAX + 1];
    memset(kind, 'k', CACHE_KIND_MAX);
    kind[CACHE_KIND_MAX] = '\0';
    memset(key, 'i', CACHE_KEY_MAX);
    key[CACHE_KEY_MAX] = '\0';
    cache_put put = {.kind = kind, .idempotency_key = "fits", .payload_length = 0};
    int64_t id = 0;
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, NULL), KIOSK_ERR_INVALID_ARGUMENT);
    kind[CACHE_KIND_MAX - 1] = '\0';
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, NULL), KIOSK_OK);
    put.idempotency_key = key;
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, NULL), KIOSK_ERR_INVALID_ARGUMENT);
    key[CACHE_KEY_MAX - 1] = '\0';
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, NULL), KIOSK_OK);
    cache_record records[2];
    size_t count = 0;
    assert_int_equal(cache_outbox_claim(store, NOW_MS, 2, records, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 2);
    assert_string_equal(records[0].kind, kind);
    assert_int_equal(records[0].payload_length, 0);
    assert_string_equal(records[1].idempotency_key, key);
    cache_records_free(records, count);
    cache_close(store);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_claim_ack),
        cmocka_unit_test(test_a_retried_put_is_not_a_second_record),
        cmocka_unit_test(test_failures_wait_for_their_next_attempt),
        cmocka_unit_test(test_when_the_link_returns_waiting_records_are_due_now),
        cmocka_unit_test(test_bad_puts_are_refused),
        cmocka_unit_test(test_a_full_outbox_refuses_new_work_and_keeps_the_rest),
        cmocka_unit_test(test_a_record_that_does_not_open_is_quarantined_never_sent),
        cmocka_unit_test(test_a_sealed_payload_moved_to_another_record_does_not_open),
        cmocka_unit_test(test_acknowledged_data_is_gone_from_the_files),
        cmocka_unit_test(test_old_unsent_records_are_purged_and_leave_nothing),
        cmocka_unit_test(test_a_local_record_and_its_outbox_record_commit_together),
        cmocka_unit_test(test_the_byte_budget_counts_the_new_record),
        cmocka_unit_test(test_kinds_and_keys_longer_than_their_room_are_refused),
        cmocka_unit_test(test_a_payload_over_the_maximum_is_refused),
        cmocka_unit_test(test_retention_spares_quarantined_records_and_audits_the_rest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
