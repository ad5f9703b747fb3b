/* The heartbeat and the catalog, against answers in the test's own process
 * (tests/firmware/sync_fake.h): which answers are heartbeats, what the
 * platform's time must look like, how often the platform may ask to be
 * called, and when a catalog is fetched, cached, or refused. */
#include "sync_fake.h"

#include <time.h>

static const char *beat_body;
static long beat_status = 200;
static const char *catalog_body;
static long catalog_status = 200;
static const char *catalog_type = "application/json";
static const char *catalog_etag;

static fake_reply respond(const char *path, const char *body, size_t length)
{
    (void)body;
    (void)length;
    if (strcmp(path, "/v1/catalog") == 0)
        return (fake_reply){.code = CURLE_OK,
                            .status = catalog_status,
                            .type = catalog_type,
                            .header = catalog_etag,
                            .body = catalog_body};
    return fake_json(beat_status, beat_body);
}

static char stamp_now[32];

/* The platform's time now, as it writes it. */
static const char *now_utc(void)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp_now, sizeof stamp_now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return stamp_now;
}

static sync_outcome beat_with_time(sync_client *client, const char *server_time)
{
    static char body[256];
    snprintf(body, sizeof body, "{\"server_time\":\"%s\",\"poll_interval_s\":60}", server_time);
    beat_body = body;
    beat_status = 200;
    long retry_after = -1;
    return sync_heartbeat(client, &retry_after);
}

static void test_what_a_platform_time_must_look_like(void **state)
{
    (void)state;
    sync_client *client = fake_client(fake_db("beat-time"), respond);
    /* Times the parser takes (the far ones are then not believed). */
    const char *taken[] = {"2000-01-01T00:00:00Z", "2200-12-31T23:59:59Z", "2026-01-31T00:00:60Z",
                           "2026-12-01T23:59:00.09Z", "2026-11-22T09:30:00.123456Z"};
    for (size_t i = 0; i < sizeof taken / sizeof taken[0]; i++)
        assert_int_equal(beat_with_time(client, taken[i]), SYNC_DELIVERED);
    const char *refused[] = {"1999-12-31T23:59:59Z",      "2201-01-01T00:00:00Z",
                             "2026-00-22T09:30:00Z",      "2026-13-22T09:30:00Z",
                             "2026-11-00T09:30:00Z",      "2026-11-32T09:30:00Z",
                             "2026-11-22T24:30:00Z",      "2026-11-22T09:60:00Z",
                             "2026-11-22T09:30:61Z",      "2026-11-22T09:30:00",
                             "2026-11-22T09:30:00+08:00", "2026-11-22T09:30:00ZZ",
                             "2026-11-22T09:30:00.1aZ",   "2026-11-22 09:30:00Z",
                             "2026-11-22T09:30Z",         "now"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        assert_int_equal(beat_with_time(client, refused[i]), SYNC_RETRY);
    /* The time is read as UTC, to the second. */
    assert_int_equal(beat_with_time(client, now_utc()), SYNC_DELIVERED);
    sync_progress progress = sync_progress_get(client);
    assert_false(progress.clock_disagrees);
    assert_string_equal(progress.server_time, stamp_now);
    int64_t server_now = 0;
    assert_true(sync_server_now_ms(&progress, &server_now));
    int64_t skew = server_now / 1000 - (int64_t)time(NULL);
    assert_true(skew >= -2 && skew <= 2);
    sync_destroy(client);
}

static void test_which_answers_are_heartbeats(void **state)
{
    (void)state;
    sync_client *client = fake_client(fake_db("beat-answers"), respond);
    static char body[256];
    long retry_after = -1;
    snprintf(body, sizeof body, "{\"server_time\":\"%s\",\"poll_interval_s\":60}", now_utc());
    beat_body = body;
    beat_status = 500;
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_RETRY);
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_DEGRADED);
    beat_status = 201;
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_RETRY);
    beat_status = 401;
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_REFUSED);
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_REFUSED);
    beat_status = 403;
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_REFUSED);
    beat_status = 200;
    beat_body = "{\"server_time\":\"2026-11-22T09:30:00Z\"}"; /* no poll interval */
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_RETRY);
    beat_body = "{\"poll_interval_s\":60}";
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_RETRY);
    beat_body = "{\"server_time\":7,\"poll_interval_s\":60}";
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_RETRY);
    beat_body = "{\"server_time\":\"2026-11-22T09:30:00Z\",\"poll_interval_s\":\"60\"}";
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_RETRY);
    beat_body = body;
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_DELIVERED);
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_ONLINE);
    /* What it reported. */
    assert_string_equal(fake.last_path, "/v1/heartbeat");
    assert_non_null(memmem(fake.last_body, fake.last_body_length,
                           "{\"devices\":{},\"outbox_depth\":0,\"firmware\":\"test\"}", 48));
    assert_int_equal(sync_set_devices(client, "{\"printer\":\"paper-out\"}"), KIOSK_OK);
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_DELIVERED);
    assert_non_null(memmem(fake.last_body, fake.last_body_length,
                           "\"devices\":{\"printer\":\"paper-out\"}", 33));
    sync_destroy(client);
}

static unsigned poll_for(sync_client *client, const char *interval)
{
    static char body[256];
    snprintf(body, sizeof body, "{\"server_time\":\"%s\",\"poll_interval_s\":%s}", now_utc(),
             interval);
    beat_body = body;
    beat_status = 200;
    long retry_after = -1;
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_DELIVERED);
    return client->poll_interval_s;
}

static void test_the_platform_says_how_often_within_bounds(void **state)
{
    (void)state;
    sync_client *client = fake_client(fake_db("beat-poll"), respond);
    assert_int_equal(poll_for(client, "30"), 30);
    assert_int_equal(poll_for(client, "9"), 10);
    assert_int_equal(poll_for(client, "10"), 10);
    assert_int_equal(poll_for(client, "3600"), 3600);
    assert_int_equal(poll_for(client, "3601"), 3600);
    assert_int_equal(poll_for(client, "1e9"), 3600);
    assert_int_equal(poll_for(client, "-5"), 10);
    assert_int_equal(poll_for(client, "11"), 11);
    assert_int_equal(poll_for(client, "3599.9"), 3599);
    sync_destroy(client);
}

/* A clock not believed is logged once when it starts, not at every
 * heartbeat, and never when it is believed. */
static void test_a_clock_not_believed_is_logged_once(void **state)
{
    (void)state;
    sync_client *client = fake_client(fake_db("beat-clock-log"), respond);
    fake_log_begin();
    assert_int_equal(beat_with_time(client, now_utc()), SYNC_DELIVERED);
    const char *log = fake_log_end();
    assert_null(strstr(log, "clock"));
    fake_log_begin();
    assert_int_equal(beat_with_time(client, "2199-01-01T00:00:00Z"), SYNC_DELIVERED);
    log = fake_log_end();
    assert_non_null(strstr(log, "the platform's clock (2199-01-01T00:00:00Z) is"));
    fake_log_begin();
    assert_int_equal(beat_with_time(client, "2199-01-01T00:00:00Z"), SYNC_DELIVERED);
    log = fake_log_end();
    assert_null(strstr(log, "clock"));
    /* How far off, in seconds. */
    assert_int_equal(beat_with_time(client, now_utc()), SYNC_DELIVERED);
    char two_days[32];
    time_t later = time(NULL) + 2 * 86400;
    struct tm tm;
    gmtime_r(&later, &tm);
    strftime(two_days, sizeof two_days, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fake_log_begin();
    assert_int_equal(beat_with_time(client, two_days), SYNC_DELIVERED);
    log = fake_log_end();
    assert_true(strstr(log, "is 172800 s from") || strstr(log, "is 172799 s from"));
    fake_log_begin();
    assert_int_equal(beat_with_time(client, now_utc()), SYNC_DELIVERED);
    log = fake_log_end();
    assert_null(strstr(log, "clock"));
    assert_false(sync_progress_get(client).clock_disagrees);
    sync_destroy(client);
}

static sync_outcome beat_offering(sync_client *client, const char *version)
{
    static char body[512];
    snprintf(body, sizeof body,
             "{\"server_time\":\"%s\",\"poll_interval_s\":60,\"catalog_version\":\"%s\"}",
             now_utc(), version);
    beat_body = body;
    beat_status = 200;
    long retry_after = -1;
    return sync_heartbeat(client, &retry_after);
}

static void test_a_newer_catalog_is_fetched_checked_and_cached(void **state)
{
    (void)state;
    const char *db = fake_db("beat-catalog");
    sync_client *client = fake_client(db, respond);
    char *sample = strdup(test_read_file(default_catalog()));
    catalog_body = sample;
    catalog_status = 200;
    catalog_type = "application/json";
    catalog_etag = "ETag: \"abc123\"  "; /* spaces after it are not the tag's */

    assert_int_equal(beat_offering(client, "v1"), SYNC_DELIVERED);
    assert_int_equal(fake.catalog_calls, 1);
    assert_null(strstr(fake.request_headers, "If-None-Match"));
    sync_progress progress = sync_progress_get(client);
    assert_int_equal(progress.catalog_updates, 1);
    assert_string_equal(progress.catalog_version, "v1");
    /* The same version: not fetched again. */
    assert_int_equal(beat_offering(client, "v1"), SYNC_DELIVERED);
    assert_int_equal(fake.catalog_calls, 1);
    /* A newer one: asked with the cached one's tag; 304 keeps it. */
    catalog_status = 304;
    catalog_body = NULL;
    assert_int_equal(beat_offering(client, "v2"), SYNC_DELIVERED);
    assert_int_equal(fake.catalog_calls, 2);
    assert_non_null(strstr(fake.request_headers, "If-None-Match: \"abc123\"\n"));
    progress = sync_progress_get(client);
    assert_string_equal(progress.catalog_version, "v2");
    assert_int_equal(progress.catalog_updates, 1);

    /* The platform failing: the version is not taken, and asked again. */
    catalog_status = 500;
    catalog_body = "{\"error\":\"internal\"}";
    fake_log_begin();
    assert_int_equal(beat_offering(client, "v3"), SYNC_DELIVERED);
    assert_non_null(strstr(fake_log_end(), "catalog v3: answer 500"));
    assert_string_equal(sync_progress_get(client).catalog_version, "v2");
    assert_int_equal(beat_offering(client, "v3"), SYNC_DELIVERED);
    assert_int_equal(fake.catalog_calls, 4);
    /* A page that is not JSON, or a 200 that is not the catalog's. */
    catalog_status = 200;
    catalog_type = "text/html";
    catalog_body = sample;
    assert_int_equal(beat_offering(client, "v3"), SYNC_DELIVERED);
    assert_string_equal(sync_progress_get(client).catalog_version, "v2");
    catalog_status = 201;
    catalog_type = "application/json";
    assert_int_equal(beat_offering(client, "v3"), SYNC_DELIVERED);
    assert_string_equal(sync_progress_get(client).catalog_version, "v2");
    /* A catalog that does not check out: never cached, never asked again. */
    catalog_status = 200;
    catalog_body = "{\"version\":\"broken\",\"services\":[]}";
    assert_int_equal(beat_offering(client, "v3"), SYNC_DELIVERED);
    int calls = fake.catalog_calls;
    assert_int_equal(beat_offering(client, "v3"), SYNC_DELIVERED);
    assert_int_equal(fake.catalog_calls, calls);
    progress = sync_progress_get(client);
    assert_string_equal(progress.catalog_version, "v2");
    assert_int_equal(progress.catalog_updates, 1);
    /* A version that is not printable, or too long, is not one. */
    char long_version[80];
    memset(long_version, 'v', 64);
    long_version[64] = '\0';
    catalog_body = sample;
    assert_int_equal(beat_offering(client, long_version), SYNC_DELIVERED);
    assert_int_equal(beat_offering(client, "v\\u0007"), SYNC_DELIVERED);
    assert_int_equal(beat_offering(client, "版本"), SYNC_DELIVERED);
    assert_int_equal(beat_offering(client, ""), SYNC_DELIVERED);
    assert_int_equal(fake.catalog_calls, calls);
    static char body[256];
    snprintf(body, sizeof body,
             "{\"server_time\":\"%s\",\"poll_interval_s\":60,\"catalog_version\":7}", now_utc());
    beat_body = body;
    long retry_after = -1;
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_DELIVERED);
    snprintf(body, sizeof body, "{\"server_time\":\"%s\",\"poll_interval_s\":60}", now_utc());
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_DELIVERED);
    assert_int_equal(fake.catalog_calls, calls);
    long_version[63] = '\0';
    assert_int_equal(beat_offering(client, long_version), SYNC_DELIVERED);
    assert_int_equal(fake.catalog_calls, calls + 1);
    assert_string_equal(sync_progress_get(client).catalog_version, long_version);
    sync_destroy(client);

    /* A catalog sent with an empty tag is asked for again without one. */
    client = fake_client(db, respond);
    catalog_status = 200;
    catalog_type = "application/json";
    catalog_body = sample;
    catalog_etag = "ETag:   ";
    assert_int_equal(beat_offering(client, "v4"), SYNC_DELIVERED);
    assert_string_equal(sync_progress_get(client).catalog_version, "v4");
    assert_int_equal(beat_offering(client, "v5"), SYNC_DELIVERED);
    assert_null(strstr(fake.request_headers, "If-None-Match"));
    assert_string_equal(sync_progress_get(client).catalog_version, "v5");
    sync_destroy(client);
    snprintf(long_version, sizeof long_version, "v5");

    /* Started again, it knows its version and asks nothing. */
    client = fake_client(db, respond);
    assert_string_equal(sync_progress_get(client).catalog_version, long_version);
    assert_int_equal(beat_offering(client, long_version), SYNC_DELIVERED);
    assert_int_equal(fake.catalog_calls, 0);
    sync_destroy(client);
    free(sample);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_what_a_platform_time_must_look_like),
        cmocka_unit_test(test_which_answers_are_heartbeats),
        cmocka_unit_test(test_the_platform_says_how_often_within_bounds),
        cmocka_unit_test(test_a_clock_not_believed_is_logged_once),
        cmocka_unit_test(test_a_newer_catalog_is_fetched_checked_and_cached),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
