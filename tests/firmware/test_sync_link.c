/* The sync client's passes against answers a real platform, a gateway or a
 * broken link gives: what is acknowledged, quarantined, retried and when,
 * one record a request and batched (tests/firmware/sync_fake.h answers in
 * the test's own process). */
#include "sync_fake.h"

#include <sqlite3.h>

/* What the platform answers next, for every record call. */
static struct {
    long status;
    const char *type;
    const char *body;
    const char *header;
    /* For /v1/batch: each result's status (a JSON value) and body. */
    const char *item_status;
    const char *item_body;
    long batch_status; /* 0: 200 with the results */
} next;

static fake_reply respond(const char *path, const char *body, size_t length)
{
    if (strcmp(path, "/v1/batch") == 0) {
        if (next.batch_status)
            return (fake_reply){.code = CURLE_OK,
                                .status = next.batch_status,
                                .type = next.type,
                                .header = next.header,
                                .body = next.body};
        return fake_json(200, fake_batch_results(body, length, next.item_status, next.item_body));
    }
    return (fake_reply){.code = CURLE_OK,
                        .status = next.status,
                        .type = next.type,
                        .header = next.header,
                        .body = next.body};
}

static void answer_singly(long status, const char *type, const char *body)
{
    memset(&next, 0, sizeof next);
    next.status = status;
    next.type = type;
    next.body = body;
}

static void answer_batch(const char *item_status, const char *item_body)
{
    memset(&next, 0, sizeof next);
    next.item_status = item_status;
    next.item_body = item_body;
}

static sync_client *client_on(const char *name, int records, unsigned items)
{
    const char *db = fake_db(name);
    put_records(db, name, records);
    sync_client *client = fake_client(db, respond);
    client->batch_items = items;
    return client;
}

static const char *const GATEWAY_PAGE = "<html><body><h1>409 Conflict</h1>nginx</body></html>";

/* A 409 that is not the platform's typed conflict (a gateway's or a WAF's
 * page, a JSON body of another kind) proves nothing: the record stays
 * queued and is sent again; only the typed conflict acknowledges it. */
static void test_an_unproven_conflict_deletes_nothing(void **state)
{
    (void)state;
    for (unsigned items = 1; items <= SYNC_BATCH_ITEMS_MAX; items += SYNC_BATCH_ITEMS_MAX - 1) {
        sync_client *client =
            client_on(items == 1 ? "conflict-single" : "conflict-batch", 3, items);
        int64_t delivered = 0, now = NOW_MS;
        const char *untyped[][2] = {{"text/html", GATEWAY_PAGE},
                                    {"application/json", "{\"error\":\"internal\"}"},
                                    {"application/json", "{}"}};
        for (size_t u = 0; u < 3; u++) {
            if (items == 1)
                answer_singly(409, untyped[u][0], untyped[u][1]);
            else
                answer_batch("409", u == 0 ? "\"<html>409</html>\"" : untyped[u][1]);
            now += 3600 * 1000;
            sync_progress progress = fake_drain(client, now, &delivered);
            assert_int_equal(delivered, 0);
            assert_int_equal(progress.queued, 3);
            assert_int_equal(progress.quarantined, 0);
        }
        if (items == 1)
            answer_singly(409, "application/json",
                          "{\"error\":\"idempotency-conflict\",\"message\":\"another body\"}");
        else
            answer_batch("409", "{\"error\":\"idempotency-conflict\"}");
        now += 3600 * 1000;
        sync_progress progress = fake_drain(client, now, &delivered);
        assert_int_equal(delivered, 3);
        assert_int_equal(progress.queued, 0);
        sync_destroy(client);
    }
}

/* An untyped 400 or 413 quarantines nothing; a storm of typed ones stops
 * the pass after three in a row, shows the link degraded, and never empties
 * the outbox into quarantine, however many passes it lasts. */
static void test_a_storm_of_rejections_does_not_empty_the_outbox(void **state)
{
    (void)state;
    for (unsigned items = 1; items <= SYNC_BATCH_ITEMS_MAX; items += SYNC_BATCH_ITEMS_MAX - 1) {
        sync_client *client = client_on(items == 1 ? "storm-single" : "storm-batch", 10, items);
        int64_t delivered = 0, now = NOW_MS;
        if (items == 1)
            answer_singly(413, "text/html", "<html>413 Request Entity Too Large</html>");
        else
            answer_batch("400", "{\"message\":\"no type\"}");
        sync_progress progress = fake_drain(client, now, &delivered);
        assert_int_equal(progress.quarantined, 0);
        assert_int_equal(progress.queued, 10);

        if (items == 1)
            answer_singly(400, "application/json", "{\"error\":\"bad-request\"}");
        else
            answer_batch("413", "{\"error\":\"too-large\"}");
        int calls = fake.record_calls;
        for (int pass = 0; pass < 5; pass++) {
            now += 3600 * 1000;
            progress = fake_drain(client, now, &delivered);
            assert_int_equal(progress.quarantined, SYNC_REJECTIONS_MAX);
            assert_int_equal(progress.queued, 10 - SYNC_REJECTIONS_MAX);
            assert_int_equal(progress.link, SYNC_LINK_DEGRADED);
            assert_non_null(strstr(progress.last_error, "rejected in a row"));
            assert_false(progress.outbox_unwritable); /* held back, and noted */
        }
        /* One record a request: the pass stopped at the third. */
        if (items == 1)
            assert_int_equal(fake.record_calls - calls, SYNC_REJECTIONS_MAX + 4);
        /* The platform well again: the rest is delivered. */
        answer_batch("201", "{\"tracking_number\":\"GD20261122000001\"}");
        next.status = 201;
        next.type = "application/json";
        next.body = "{\"tracking_number\":\"GD20261122000001\"}";
        now += 3600 * 1000;
        progress = fake_drain(client, now, &delivered);
        assert_int_equal(progress.queued, 0);
        assert_int_equal(progress.link, SYNC_LINK_ONLINE);
        assert_int_equal(client->rejected_in_row, 0);
        sync_destroy(client);
    }
}

static fake_reply respond_rejecting_one(const char *path, const char *body, size_t length)
{
    (void)path;
    if (memmem(body, length, "\"n\":1}", 6))
        return fake_json(400, "{\"error\":\"bad-request\",\"message\":\"a field\"}");
    return fake_json(201, "{\"tracking_number\":\"GD20261122000002\"}");
}

/* A typed rejection of one record, between deliveries, is that record's:
 * quarantined (kept for staff, never sent again), and the pass goes on. */
static void test_a_rejected_record_is_quarantined_and_the_pass_goes_on(void **state)
{
    (void)state;
    const char *db = fake_db("one-rejected");
    put_records(db, "one", 4);
    sync_client *client = fake_client(db, respond_rejecting_one);
    client->batch_items = 1;
    int64_t delivered = 0;
    sync_progress progress = fake_drain(client, NOW_MS, &delivered);
    assert_int_equal(delivered, 3);
    assert_int_equal(progress.quarantined, 1);
    assert_int_equal(progress.queued, 0);
    int calls = fake.record_calls;
    assert_int_equal(calls, 4);
    progress = fake_drain(client, NOW_MS + 3600 * 1000, &delivered);
    assert_int_equal(fake.record_calls, calls);
    assert_int_equal(progress.quarantined, 1);
    sync_destroy(client);
}

/* A batch that fails whole (a 503 with Retry-After) backs off every record
 * in it: resending the rest at the next pass would bypass the back-off. A
 * Retry-After is a floor under each record's back-off. */
static void test_a_failed_batch_backs_off_every_record_in_it(void **state)
{
    (void)state;
    sync_client *client = client_on("batch-503", 5, SYNC_BATCH_ITEMS_MAX);
    memset(&next, 0, sizeof next);
    next.batch_status = 503;
    next.type = "application/json";
    next.header = "Retry-After: 2";
    next.body = "{\"error\":\"unavailable\"}";
    int64_t delivered = 0;
    sync_progress progress = fake_drain(client, NOW_MS, &delivered);
    assert_int_equal(fake.record_calls, 1);
    assert_int_equal(progress.link, SYNC_LINK_DEGRADED);
    /* Within the platform's two seconds, nothing is sent again. */
    for (int64_t at = 0; at < 2000; at += 500) {
        progress = fake_drain(client, NOW_MS + at, &delivered);
        assert_int_equal(fake.record_calls, 1);
    }
    assert_int_equal(progress.queued, 5);
    sync_destroy(client);

    /* One record a request: "Retry-After: 0" on every failure does not make
     * the record due at once: its own back-off stands. */
    client = client_on("retry-after-0", 1, 1);
    memset(&next, 0, sizeof next);
    next.status = 503;
    next.type = "application/json";
    next.header = "Retry-After: 0";
    next.body = "{\"error\":\"unavailable\"}";
    int64_t now = NOW_MS;
    for (int i = 0; i < 12; i++)
        (void)fake_drain(client, now += 1000, &delivered);
    /* At 1 s, 2 s, 4 s, 8 s... (full jitter under them): far fewer than one
     * a second. */
    assert_true(fake.record_calls <= 8);
    sync_destroy(client);
}

/* A batch result's status is an integer HTTP status or nothing: 201.9 is not
 * 201, and 1e300 is not a number to cast. */
static void test_a_batch_status_must_be_an_integer(void **state)
{
    (void)state;
    const char *statuses[] = {"201.9", "200.5", "1e300", "-1e300", "\"201\"",
                              "99",    "600",   "true",  "null"};
    for (size_t s = 0; s < sizeof statuses / sizeof statuses[0]; s++) {
        sync_client *client = client_on("batch-status", 3, SYNC_BATCH_ITEMS_MAX);
        answer_batch(statuses[s], "{\"tracking_number\":\"GD20261122000003\"}");
        int64_t delivered = 0;
        fake_log_begin();
        sync_progress progress = fake_drain(client, NOW_MS, &delivered);
        const char *log = fake_log_end();
        /* Technicians read that the platform sent nonsense. */
        assert_non_null(strstr(log, "batch result 2: a status that is not an HTTP status"));
        assert_int_equal(delivered, 0);
        assert_int_equal(progress.queued, 3);
        assert_int_equal(progress.quarantined, 0);
        sync_destroy(client);
    }
    sync_client *client = client_on("batch-status-ok", 3, SYNC_BATCH_ITEMS_MAX);
    answer_batch("201.0", "{\"tracking_number\":\"GD20261122000003\"}");
    int64_t delivered = 0;
    fake_log_begin();
    assert_int_equal(fake_drain(client, NOW_MS, &delivered).queued, 0);
    assert_null(strstr(fake_log_end(), "not an HTTP status"));
    assert_int_equal(delivered, 3);
    sync_destroy(client);
}

static const char *batch_answer;

static fake_reply respond_batch_text(const char *path, const char *body, size_t length)
{
    (void)path;
    (void)body;
    (void)length;
    return fake_json(200, batch_answer);
}

/* A batch answer with bytes after its JSON, or results for other records
 * than those sent (another key, in another order), delivers nothing. */
static void test_a_batch_answer_must_be_whole_and_about_the_records_sent(void **state)
{
    (void)state;
    static char text[4096];
    const char *tails[] = {" trailing", "{}", "\n<html>"};
    for (size_t a = 0; a < 4; a++) {
        const char *db = fake_db("batch-whole");
        put_records(db, "w", 2);
        sync_client *client = fake_client(db, respond_batch_text);
        const char *results =
            "{\"results\":[{\"idempotency_key\":\"K0420:w:0\",\"status\":201,\"body\":{"
            "\"tracking_number\":\"GD1\"}},{\"idempotency_key\":\"K0420:w:1\",\"status\":201,"
            "\"body\":{\"tracking_number\":\"GD2\"}}]}";
        if (a < 3) {
            snprintf(text, sizeof text, "%s%s", results, tails[a]);
        } else {
            /* In the wrong order: neither is its record's answer. */
            snprintf(text, sizeof text,
                     "{\"results\":[{\"idempotency_key\":\"K0420:w:1\",\"status\":201,\"body\":{"
                     "\"tracking_number\":\"GD2\"}},{\"idempotency_key\":\"K0420:w:0\","
                     "\"status\":201,\"body\":{\"tracking_number\":\"GD1\"}}]}");
        }
        batch_answer = text;
        int64_t delivered = 0;
        sync_progress progress = fake_drain(client, NOW_MS, &delivered);
        assert_int_equal(delivered, 0);
        assert_int_equal(progress.queued, 2);
        sync_destroy(client);
    }
}

/* The acknowledgement cannot be written (disk full, read-only): the same
 * records are not sent again every second; passes back off, and staff see
 * it in the progress until a write succeeds. */
static void test_an_acknowledgement_that_cannot_be_written_backs_off(void **state)
{
    (void)state;
    const char *db = fake_db("ack-fails");
    put_records(db, "ack", 2);
    sync_client *client = fake_client(db, respond);
    client->batch_items = 1;
    answer_singly(201, "application/json", "{\"tracking_number\":\"GD20261122000004\"}");
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw,
                                  "CREATE TRIGGER full BEFORE DELETE ON outbox BEGIN "
                                  "SELECT RAISE(ABORT, 'database or disk is full'); END",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    int64_t delivered = 0;
    sync_progress progress = fake_drain(client, NOW_MS, &delivered);
    int sent = fake.record_calls;
    assert_true(sent >= 1);
    assert_int_equal(delivered, 0);
    assert_true(progress.outbox_unwritable);
    assert_non_null(strstr(progress.last_error, "cannot be written"));
    /* Within the first wait (the back-off's base, 1 s): nothing sent again. */
    progress = fake_drain(client, NOW_MS + 999, &delivered);
    assert_int_equal(fake.record_calls, sent);
    /* Then once more; failing again, the wait doubles. */
    progress = fake_drain(client, NOW_MS + 1000, &delivered);
    int again = fake.record_calls;
    assert_int_equal(again, 2 * sent);
    progress = fake_drain(client, NOW_MS + 2999, &delivered);
    assert_int_equal(fake.record_calls, again);
    assert_true(progress.outbox_unwritable);
    /* Writable again: delivered, and staff's line clears. */
    assert_int_equal(sqlite3_exec(raw, "DROP TRIGGER full", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    progress = fake_drain(client, NOW_MS + 60000, &delivered);
    assert_int_equal(delivered, 2);
    assert_false(progress.outbox_unwritable);
    sync_destroy(client);
}

static void put_personal(const char *db, const char *marker)
{
    seal_key key;
    memset(key.bytes, 7, sizeof key.bytes);
    cache_options options = {.path = db, .key = &key};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    for (int i = 0; i < 3; i++) {
        char idempotency[64], payload[256];
        snprintf(idempotency, sizeof idempotency, "K0420:personal:%d", i);
        snprintf(payload, sizeof payload,
                 "{\"kind\":\"submission\",\"service\":\"newborn-bundle\",\"payload\":{\"name\":"
                 "\"%s\",\"id_number\":\"11010519491231002X\"}}",
                 marker);
        cache_put put = {.kind = "submission",
                         .idempotency_key = idempotency,
                         .payload = (const uint8_t *)payload,
                         .payload_length = strlen(payload),
                         .personal = true};
        int64_t id = 0;
        assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, NULL), KIOSK_OK);
    }
    cache_close(store);
}

static fake_reply respond_echoing(const char *path, const char *body, size_t length)
{
    (void)path;
    /* A platform that echoes the records back in its answer, in pieces so
     * the answer's buffer grows. */
    static char answer[256 * 1024];
    const char *results = fake_batch_results(body, length, "201",
                                             "{\"tracking_number\":\"GD20261122000005\","
                                             "\"echo\":\"WANG-XIAOMING-PERSONAL\"}");
    size_t used = (size_t)snprintf(answer, sizeof answer, "%s", results);
    answer[used - 1] = '\0'; /* drop the closing brace, pad, close */
    used--;
    used += (size_t)snprintf(answer + used, sizeof answer - used, ",\"pad\":\"");
    while (used < 20000)
        answer[used++] = 'x';
    snprintf(answer + used, sizeof answer - used, "\"}");
    return (fake_reply){
        .code = CURLE_OK, .status = 200, .type = "application/json", .body = answer, .chunk = 700};
}

/* Once the platform has a submission, the citizen's data is not left in
 * memory the sync client freed: the batch envelope, and the answer's buffer
 * at every size it grew through, are wiped. */
static void test_what_held_a_citizen_s_data_is_wiped_when_freed(void **state)
{
    (void)state;
#ifndef __SANITIZE_ADDRESS__
    skip();
#endif
    const char *db = fake_db("wiped");
    put_personal(db, "WANG-XIAOMING-PERSONAL");
    sync_client *client = fake_client(db, respond_echoing);
    int64_t delivered = 0;
    sync_progress progress = fake_drain(client, NOW_MS, &delivered);
    assert_int_equal(delivered, 3);
    assert_int_equal(progress.queued, 0);
    assert_true(fake.buffer_count >= 3); /* the envelope, the answer as it grew */
    assert_false(fake_left_in_freed_buffers("WANG-XIAOMING-PERSONAL"));
    assert_false(fake_left_in_freed_buffers("11010519491231002X"));
    sync_destroy(client);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_unproven_conflict_deletes_nothing),
        cmocka_unit_test(test_a_storm_of_rejections_does_not_empty_the_outbox),
        cmocka_unit_test(test_a_rejected_record_is_quarantined_and_the_pass_goes_on),
        cmocka_unit_test(test_a_failed_batch_backs_off_every_record_in_it),
        cmocka_unit_test(test_a_batch_status_must_be_an_integer),
        cmocka_unit_test(test_a_batch_answer_must_be_whole_and_about_the_records_sent),
        cmocka_unit_test(test_an_acknowledgement_that_cannot_be_written_backs_off),
        cmocka_unit_test(test_what_held_a_citizen_s_data_is_wiped_when_freed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
