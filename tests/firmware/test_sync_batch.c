/* Many records in one request, and the headers of an answer
 * (tests/firmware/sync_fake.h answers in the test's own process): a batch is
 * one envelope with every claimed record, byte for byte; a platform without
 * the call, or one that refuses the envelope, gets one record a request or
 * smaller batches; Retry-After is read as the protocol writes it. */
#include "sync_fake.h"

static long batch_status;
static const char *item_status = "201";
static const char *item_body = "{\"tracking_number\":\"GD20261122000009\"}";
static int items_seen; /* in the last batch */
static const char *retry_after;

static fake_reply respond(const char *path, const char *body, size_t length)
{
    if (strcmp(path, "/v1/batch") == 0) {
        cJSON *parsed = NULL;
        /* The envelope must be exactly one JSON object. */
        assert_int_equal(json_parse_text("batch", body, length, &parsed, NULL), KIOSK_OK);
        items_seen = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(parsed, "items"));
        cJSON_Delete(parsed);
        if (batch_status)
            return fake_json(batch_status, "{\"error\":\"bad-request\"}");
        return fake_json(200, fake_batch_results(body, length, item_status, item_body));
    }
    fake_reply reply = fake_json(201, "{\"tracking_number\":\"GD20261122000010\"}");
    if (retry_after) {
        reply = fake_json(503, "{\"error\":\"unavailable\"}");
        reply.header = retry_after;
    }
    return reply;
}

static sync_client *client_with(const char *name, int records)
{
    const char *db = fake_db(name);
    put_records(db, name, records);
    batch_status = 0;
    item_status = "201";
    retry_after = NULL;
    return fake_client(db, respond);
}

/* Payloads with every byte JSON must escape travel in the envelope as
 * they are, each record once. */
static void test_every_claimed_record_travels_in_one_envelope(void **state)
{
    (void)state;
    const char *db = fake_db("batch-envelope");
    seal_key key;
    memset(key.bytes, 7, sizeof key.bytes);
    cache_options options = {.path = db, .key = &key};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    const char *payloads[] = {"{\"a\":\"quote \\\" backslash \\\\ tab \\t\"}",
                              "{\"b\":\"控制\\u0001 \\u001f end\"}", "{\"c\":1}"};
    for (int i = 0; i < 3; i++) {
        char idempotency[64];
        snprintf(idempotency, sizeof idempotency, "K0420:\"esc\\%d", i);
        cache_put put = {.kind = i == 2 ? "rating" : "submission",
                         .idempotency_key = idempotency,
                         .payload = (const uint8_t *)payloads[i],
                         .payload_length = strlen(payloads[i]),
                         .personal = true};
        int64_t id = 0;
        assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, NULL), KIOSK_OK);
    }
    /* A raw control byte in a payload (not JSON, but bytes are bytes). */
    const char raw[] = "{\"d\":\"\x01\x1f\"}";
    cache_put put = {.kind = "staff-call",
                     .idempotency_key = "K0420:raw",
                     .payload = (const uint8_t *)raw,
                     .payload_length = sizeof raw - 1,
                     .personal = false};
    int64_t id = 0;
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, NULL), KIOSK_OK);
    cache_close(store);

    batch_status = 0;
    item_status = "201";
    item_body = "{\"tracking_number\":\"GD20261122000009\"}";
    sync_client *client = fake_client(db, respond);
    int64_t delivered = 0;
    sync_progress progress = fake_drain(client, NOW_MS, &delivered);
    assert_int_equal(fake.record_calls, 1);
    assert_int_equal(items_seen, 4);
    assert_int_equal(delivered, 4);
    assert_int_equal(progress.link, SYNC_LINK_ONLINE);
    /* Each body, as a string, is the payload's exact bytes. */
    /* Only what JSON must escape is escaped: spaces and UTF-8 as they are. */
    assert_non_null(memmem(fake.last_body, fake.last_body_length, " backslash", 10));
    assert_non_null(memmem(fake.last_body, fake.last_body_length, "控制", 6));
    cJSON *envelope = cJSON_ParseWithLength(fake.last_body, fake.last_body_length);
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(envelope, "items");
    const char *paths[] = {"/v1/submissions", "/v1/submissions", "/v1/ratings", "/v1/staff-calls"};
    for (int i = 0; i < 4; i++) {
        const cJSON *item = cJSON_GetArrayItem(items, i);
        const char *expected = i < 3 ? payloads[i] : raw;
        assert_string_equal(cJSON_GetObjectItemCaseSensitive(item, "body")->valuestring, expected);
        assert_string_equal(cJSON_GetObjectItemCaseSensitive(item, "path")->valuestring, paths[i]);
    }
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(items, 0), "idempotency_key")
            ->valuestring,
        "K0420:\"esc\\0");
    cJSON_Delete(envelope);
    sync_destroy(client);
}

/* One result that is not delivered makes the link degraded; all delivered,
 * online. */
static void test_a_batch_s_results_say_how_the_link_is(void **state)
{
    (void)state;
    sync_client *client = client_with("batch-link", 3);
    item_status = "500";
    item_body = "{\"error\":\"internal\"}";
    int64_t delivered = 0;
    sync_progress progress = fake_drain(client, NOW_MS, &delivered);
    assert_int_equal(delivered, 0);
    assert_int_equal(progress.link, SYNC_LINK_DEGRADED);
    item_status = "201";
    item_body = "{\"tracking_number\":\"GD20261122000009\"}";
    progress = fake_drain(client, NOW_MS + 3600 * 1000, &delivered);
    assert_int_equal(delivered, 3);
    assert_int_equal(progress.link, SYNC_LINK_ONLINE);
    sync_destroy(client);
}

/* A platform without the batch call (404, 405): the same pass sends each
 * record on its own, and every pass after. */
static void test_a_platform_without_batches_gets_one_record_a_request(void **state)
{
    (void)state;
    long statuses[] = {404, 405};
    for (size_t s = 0; s < 2; s++) {
        sync_client *client = client_with("batch-none", 3);
        batch_status = statuses[s];
        int64_t delivered = 0;
        sync_progress progress = fake_drain(client, NOW_MS, &delivered);
        assert_true(client->batch_unsupported);
        assert_int_equal(delivered, 3);
        assert_int_equal(progress.queued, 0);
        assert_int_equal(fake.record_calls, 4);
        sync_destroy(client);
    }
    /* 406 is not "no such call". */
    sync_client *client = client_with("batch-406", 3);
    batch_status = 406;
    int64_t delivered = 0;
    (void)fake_drain(client, NOW_MS, &delivered);
    assert_false(client->batch_unsupported);
    assert_int_equal(delivered, 0);
    sync_destroy(client);
}

/* A platform that refuses the envelope (400, 413) gets smaller batches,
 * halving down to one record a request. */
static void test_a_refused_envelope_halves_the_batch(void **state)
{
    (void)state;
    long statuses[] = {400, 413};
    for (size_t s = 0; s < 2; s++) {
        sync_client *client = client_with("batch-halve", 3);
        batch_status = statuses[s];
        int64_t delivered = 0;
        (void)fake_drain(client, NOW_MS, &delivered);
        assert_int_equal(client->batch_items, SYNC_BATCH_ITEMS_MAX / 2);
        assert_false(client->batch_unsupported);
        sync_destroy(client);
    }
    sync_client *client = client_with("batch-halve-4", 3);
    batch_status = 400;
    client->batch_items = 4;
    int64_t none = 0;
    (void)fake_drain(client, NOW_MS, &none);
    assert_int_equal(client->batch_items, 2);
    assert_false(client->batch_unsupported);
    sync_destroy(client);
    client = client_with("batch-halve-3", 3);
    batch_status = 400;
    client->batch_items = 3;
    int64_t delivered = 0;
    (void)fake_drain(client, NOW_MS, &delivered);
    assert_int_equal(client->batch_items, 1);
    assert_true(client->batch_unsupported);
    /* Then one a request, each judged on its own. */
    assert_int_equal(delivered, 3);
    sync_destroy(client);
    long refusals[] = {401, 403};
    for (size_t r = 0; r < 2; r++) {
        client = client_with("batch-refused", 3);
        batch_status = refusals[r];
        (void)fake_drain(client, NOW_MS, &delivered);
        assert_int_equal(client->batch_items, SYNC_BATCH_ITEMS_MAX);
        assert_int_equal(sync_progress_get(client).link, SYNC_LINK_REFUSED);
        sync_destroy(client);
    }
}

/* Retry-After in seconds, as HTTP writes it; a wait over a day is not
 * one. */
static void test_retry_after_is_read_in_seconds_up_to_a_day(void **state)
{
    (void)state;
    sync_client *client = client_with("retry-after-19", 1);
    retry_after = "Retry-After: 19";
    int64_t delivered = 0;
    (void)fake_drain(client, NOW_MS, &delivered);
    assert_int_equal(fake.record_calls, 1);
    (void)fake_drain(client, NOW_MS + 18999, &delivered);
    assert_int_equal(fake.record_calls, 1);
    (void)fake_drain(client, NOW_MS + 19000, &delivered);
    assert_int_equal(fake.record_calls, 2);
    sync_destroy(client);

    const char *ignored[] = {"Retry-After: 86401", "Retry-After: -5", "Retry-After: soon"};
    for (size_t i = 0; i < 3; i++) {
        client = client_with("retry-after-ignored", 1);
        retry_after = ignored[i];
        (void)fake_drain(client, NOW_MS, &delivered);
        (void)fake_drain(client, NOW_MS + 1001, &delivered); /* past the 1 s back-off */
        assert_int_equal(fake.record_calls, 2);
        sync_destroy(client);
    }
    client = client_with("retry-after-day", 1);
    retry_after = "Retry-After:\t86400";
    (void)fake_drain(client, NOW_MS, &delivered);
    (void)fake_drain(client, NOW_MS + 86399 * 1000, &delivered);
    assert_int_equal(fake.record_calls, 1);
    sync_destroy(client);
}

/* Every string of a parsed answer is wiped before it is freed. */
static void test_a_parsed_answer_is_wiped_when_freed(void **state)
{
    (void)state;
#ifndef __SANITIZE_ADDRESS__
    skip();
#endif
    cJSON *parsed =
        cJSON_Parse("{\"name-WANG-XIAOMING-KEY\":{\"inner\":[\"WANG-XIAOMING-VALUE\"]}}");
    const cJSON *inner = cJSON_GetObjectItemCaseSensitive(parsed, "name-WANG-XIAOMING-KEY");
    char *key = parsed->child->string;
    char *value =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(inner, "inner"), 0)->valuestring;
    size_t key_size = strlen(key), value_size = strlen(value);
    sync_json_free(parsed);
    fake.buffer_count = 0;
    fake_remember(key, key_size);
    fake_remember(value, value_size);
    assert_false(fake_left_in_freed_buffers("WANG-XIAOMING"));
}

/* A rating's answer is taken without a tracking number, and a tracking
 * number that is not one is never passed on, whatever the kind. */
static void test_a_tracking_number_by_its_boundaries(void **state)
{
    (void)state;
    const char *outside[] = {"GD/1", "GD:1", "GD@1", "GD[1", "GD`1", "GD{1", "GD.1", "GD+1"};
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        assert_false(sync_tracking_valid(outside[i]));
        char body[64], tracking[64] = "x";
        snprintf(body, sizeof body, "{\"tracking_number\":\"%s\"}", outside[i]);
        assert_int_equal(
            sync_classify(201, true, body, strlen(body), "submission", tracking, sizeof tracking),
            SYNC_RETRY);
        assert_int_equal(
            sync_classify(201, true, body, strlen(body), "rating", tracking, sizeof tracking),
            SYNC_DELIVERED);
        assert_string_equal(tracking, "");
    }
    assert_true(sync_tracking_valid("09AZaz-"));
    assert_false(sync_tracking_valid(NULL));
    char tracking[64];
    const char *body = "{\"tracking_number\":\"GD1\"}";
    assert_int_equal(
        sync_classify(201, true, body, strlen(body), "rating", tracking, sizeof tracking),
        SYNC_DELIVERED);
    assert_string_equal(tracking, "GD1");
    assert_int_equal(sync_classify(201, true, body, strlen(body), NULL, tracking, sizeof tracking),
                     SYNC_DELIVERED);
}

static int reset_calls;

static fake_reply respond_reset_once(const char *path, const char *body, size_t length)
{
    if (reset_calls++ % 2 == 0)
        return (fake_reply){.code = CURLE_RECV_ERROR};
    return respond(path, body, length);
}

/* After a record call got no answer, the next goes on a new connection: a
 * pooled one the platform closes would make libcurl send it twice. After
 * an answer, the pool is used again. */
static void test_after_no_answer_a_record_goes_on_a_new_connection(void **state)
{
    (void)state;
    for (int batched = 0; batched < 2; batched++) {
        const char *db = fake_db("fresh");
        put_records(db, "fresh", batched ? 3 : 1);
        batch_status = 0;
        item_status = "201";
        item_body = "{\"tracking_number\":\"GD20261122000009\"}";
        retry_after = NULL;
        reset_calls = 0;
        sync_client *client = fake_client(db, respond_reset_once);
        int64_t delivered = 0;
        (void)fake_drain(client, NOW_MS, &delivered);
        assert_int_equal(fake.fresh_calls, 0);
        (void)fake_drain(client, NOW_MS + 3600 * 1000, &delivered);
        assert_int_equal(fake.fresh_calls, 1);
        assert_int_equal(delivered, batched ? 3 : 1);
        put_records(db, "fresh-2", 1);
        (void)fake_drain(client, NOW_MS + 7200 * 1000, &delivered);
        assert_int_equal(fake.record_calls, 3);
        assert_int_equal(fake.fresh_calls, 1);
        sync_destroy(client);
    }
}

static fake_reply respond_busy_batches(const char *path, const char *body, size_t length)
{
    (void)body;
    (void)length;
    if (strcmp(path, "/v1/batch") == 0) {
        fake_reply reply = fake_json(503, "{\"error\":\"unavailable\"}");
        reply.header = "Retry-After: 5";
        return reply;
    }
    return fake_json(201, "{\"tracking_number\":\"GD20261122000012\"}");
}

/* A batch that failed backs off the records it carried, and only those: a
 * record that did not fit keeps its turn. */
static void test_a_failed_batch_backs_off_only_what_it_carried(void **state)
{
    (void)state;
    const char *db = fake_db("batch-carried");
    put_records(db, "carried", 3);
    sync_client *client = fake_client(db, respond_busy_batches);
    client->batch_items = 2;
    int64_t delivered = 0;
    (void)fake_drain(client, NOW_MS, &delivered);
    assert_int_equal(fake.record_calls, 1);
    sync_progress progress = fake_drain(client, NOW_MS, &delivered);
    assert_int_equal(fake.record_calls, 2);
    assert_int_equal(delivered, 1);
    assert_int_equal(progress.queued, 2);
    sync_destroy(client);
}

/* A record too big to share the envelope waits for the next one; the
 * records that went are not sent again one by one in the same pass. */
static void test_a_record_that_does_not_fit_waits_for_the_next_envelope(void **state)
{
    (void)state;
    const char *db = fake_db("batch-fit");
    put_records(db, "fit", 1);
    seal_key key;
    memset(key.bytes, 7, sizeof key.bytes);
    cache_options options = {.path = db, .key = &key};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    size_t size = 160 * 1024;
    char *payload = malloc(size + 1);
    memset(payload, 'x', size);
    memcpy(payload, "{\"big\":\"", 8);
    memcpy(payload + size - 2, "\"}", 2);
    payload[size] = '\0';
    cache_put put = {.kind = "submission",
                     .idempotency_key = "K0420:fit:big",
                     .payload = (const uint8_t *)payload,
                     .payload_length = size};
    int64_t id = 0;
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, NULL), KIOSK_OK);
    cache_close(store);
    free(payload);
    batch_status = 0;
    item_status = "201";
    item_body = "{\"tracking_number\":\"GD20261122000009\"}";
    retry_after = NULL;
    sync_client *client = fake_client(db, respond);
    int64_t delivered = 0;
    (void)fake_drain(client, NOW_MS, &delivered);
    /* The envelope with the first, then the big one on its own. */
    assert_int_equal(delivered, 2);
    assert_int_equal(fake.record_calls, 2);
    sync_destroy(client);
}

/* Platform text copied for showing: "" and false when it is not text that
 * can be shown; made safe when it is. */
static void test_platform_text_is_copied_only_when_it_can_be_shown(void **state)
{
    (void)state;
    cJSON *object = cJSON_Parse("{\"bad\":\"ab\xff\",\"number\":5,\"good\":\"a\\u200bb\"}");
    char out[16];
    memset(out, 'x', sizeof out);
    assert_false(sync_copy_text(object, "bad", out, sizeof out, true));
    char zeros[16] = {0};
    assert_memory_equal(out, zeros, sizeof out);
    assert_false(sync_copy_text(object, "number", out, sizeof out, false));
    assert_string_equal(out, "");
    assert_false(sync_copy_text(object, "missing", out, sizeof out, true));
    assert_true(sync_copy_text(object, "missing", out, sizeof out, false));
    assert_true(sync_copy_text(object, "good", out, sizeof out, true));
    assert_string_equal(out, "ab");
    assert_false(sync_copy_text(object, "good", out, 3, true)); /* 5 bytes with the mark */
    cJSON_Delete(object);
}

/* The lowest and highest HTTP statuses are statuses (not logged as
 * nonsense), though neither delivers. */
static void test_a_batch_status_from_100_to_599_is_one(void **state)
{
    (void)state;
    const char *statuses[] = {"100", "599"};
    for (size_t s = 0; s < 2; s++) {
        sync_client *client = client_with("batch-100-599", 2);
        item_status = statuses[s];
        item_body = "{}";
        int64_t delivered = 0;
        fake_log_begin();
        sync_progress progress = fake_drain(client, NOW_MS, &delivered);
        const char *log = fake_log_end();
        assert_null(strstr(log, "not an HTTP status"));
        assert_int_equal(delivered, 0);
        assert_int_equal(progress.queued, 2);
        sync_destroy(client);
    }
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_claimed_record_travels_in_one_envelope),
        cmocka_unit_test(test_a_batch_s_results_say_how_the_link_is),
        cmocka_unit_test(test_a_platform_without_batches_gets_one_record_a_request),
        cmocka_unit_test(test_a_refused_envelope_halves_the_batch),
        cmocka_unit_test(test_retry_after_is_read_in_seconds_up_to_a_day),
        cmocka_unit_test(test_a_parsed_answer_is_wiped_when_freed),
        cmocka_unit_test(test_a_tracking_number_by_its_boundaries),
        cmocka_unit_test(test_after_no_answer_a_record_goes_on_a_new_connection),
        cmocka_unit_test(test_a_failed_batch_backs_off_only_what_it_carried),
        cmocka_unit_test(test_a_record_that_does_not_fit_waits_for_the_next_envelope),
        cmocka_unit_test(test_platform_text_is_copied_only_when_it_can_be_shown),
        cmocka_unit_test(test_a_batch_status_from_100_to_599_is_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
