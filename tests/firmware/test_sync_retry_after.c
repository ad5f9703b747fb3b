/* How long a record waits when the platform says how long (Retry-After),
 * against answers in the test's own process (tests/firmware/sync_fake.h):
 * the number of seconds is read as written, in decimal, up to a day; a
 * longer wish is not taken. */
#include "sync_fake.h"

static const char *retry_after;

static fake_reply respond_busy(const char *path, const char *body, size_t length)
{
    (void)path;
    (void)body;
    (void)length;
    return (fake_reply){.code = CURLE_OK,
                        .status = 503,
                        .type = "application/json",
                        .header = retry_after,
                        .body = "{\"error\":\"unavailable\"}"};
}

static bool due_at(sync_client *client, int64_t now_ms)
{
    cache_record records[2];
    size_t count = 0;
    assert_int_equal(cache_outbox_claim(client->store, now_ms, 2, records, &count, NULL), KIOSK_OK);
    cache_records_free(records, count);
    return count > 0;
}

/* A record answered "503, Retry-After: <header>" at NOW_MS, with a back-off
 * bound of 1 ms: the platform's wish is all of its wait. */
static sync_client *failed_with(const char *name, const char *header)
{
    const char *db = fake_db(name);
    put_records(db, name, 1);
    retry_after = header;
    sync_client *client = fake_client(db, respond_busy);
    client->base_ms = 1;
    client->cap_ms = 1;
    int64_t delivered = 0;
    (void)fake_drain(client, NOW_MS, &delivered);
    assert_int_equal(fake.record_calls, 1);
    return client;
}

/* "Retry-After: 30" is 30 s to the millisecond, read in decimal. */
static void test_a_record_waits_the_seconds_the_platform_asks(void **state)
{
    (void)state;
    sync_client *client = failed_with("retry-after-30", "Retry-After: 30");
    assert_false(due_at(client, NOW_MS + 29999));
    assert_true(due_at(client, NOW_MS + 30000));
    sync_destroy(client);
}

/* A day is the longest wait the platform may ask for; a longer one is not
 * taken (the record keeps its own back-off). */
static void test_a_platform_may_ask_for_a_day_and_no_more(void **state)
{
    (void)state;
    sync_client *client = failed_with("retry-after-day", "Retry-After: 86400");
    assert_false(due_at(client, NOW_MS + 86400000 - 1));
    assert_true(due_at(client, NOW_MS + 86400000));
    sync_destroy(client);
    client = failed_with("retry-after-over", "Retry-After: 86401");
    assert_true(due_at(client, NOW_MS + 1));
    sync_destroy(client);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_record_waits_the_seconds_the_platform_asks),
        cmocka_unit_test(test_a_platform_may_ask_for_a_day_and_no_more),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
