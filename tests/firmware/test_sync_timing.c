/* When the sync client calls again, against answers in the test's own
 * process (tests/firmware/sync_fake.h): a terminal with no link looks again
 * between half and the whole probe interval, a platform that asks to be
 * called again at once is, a record that failed is due again no later than
 * its back-off bound, and a terminal started with no standard input still
 * reads its own key. */
#include "sync_fake.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int64_t mono_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec tick = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&tick, NULL);
}

#define LOOKS 26
static int64_t looked_at[LOOKS];
static int looks;

static fake_reply respond_no_link(const char *path, const char *body, size_t length)
{
    (void)body;
    (void)length;
    if (strcmp(path, "/v1/heartbeat") == 0) {
        pthread_mutex_lock(&lock);
        if (looks < LOOKS)
            looked_at[looks] = mono_ms();
        looks++;
        pthread_mutex_unlock(&lock);
    }
    return (fake_reply){.code = CURLE_COULDNT_CONNECT};
}

/* Terminals that lost the link together look for it again between half the
 * probe interval and the whole of it: never sooner than half, whatever the
 * draw. */
static void test_a_terminal_with_no_link_waits_at_least_half_the_probe_interval(void **state)
{
    (void)state;
    looks = 0;
    sync_client *client = fake_client(fake_db("timing-offline"), respond_no_link);
    client->probe_ms = 200;
    assert_int_equal(sync_start(client, NULL, NULL), KIOSK_OK);
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&lock);
        bool done = looks >= LOOKS;
        pthread_mutex_unlock(&lock);
        if (done)
            break;
        sleep_ms(10);
    }
    sync_destroy(client);
    assert_true(looks >= LOOKS);
    int64_t shortest = INT64_MAX;
    for (int i = 1; i < LOOKS; i++) {
        int64_t gap = looked_at[i] - looked_at[i - 1];
        if (gap < shortest)
            shortest = gap;
    }
    /* 100 ms, less a few for the clock read before the call. */
    assert_true(shortest >= 95);
}

static int beats;

static fake_reply respond_wait_zero(const char *path, const char *body, size_t length)
{
    (void)body;
    (void)length;
    static char beat[256];
    if (strcmp(path, "/v1/heartbeat") != 0)
        return fake_json(201, "{\"tracking_number\":\"GD20261122000007\"}");
    pthread_mutex_lock(&lock);
    int n = beats++;
    pthread_mutex_unlock(&lock);
    if (n == 0)
        return (fake_reply){.code = CURLE_OK,
                            .status = 503,
                            .type = "application/json",
                            .header = "Retry-After: 0",
                            .body = "{\"error\":\"unavailable\"}"};
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(beat, sizeof beat, "{\"server_time\":\"%s\",\"poll_interval_s\":60}", stamp);
    return fake_json(200, beat);
}

/* A platform that answers "unavailable, try again in 0 s" is called again at
 * once, not after the probe interval (a minute here): the link is found as
 * soon as it is back. */
static void test_a_platform_asking_for_no_wait_is_called_again_at_once(void **state)
{
    (void)state;
    beats = 0;
    sync_client *client = fake_client(fake_db("timing-retry-zero"), respond_wait_zero);
    client->probe_ms = 60000;
    assert_int_equal(sync_start(client, NULL, NULL), KIOSK_OK);
    bool online = false;
    for (int i = 0; i < 300 && !online; i++) {
        online = sync_progress_get(client).link == SYNC_LINK_ONLINE;
        if (!online)
            sleep_ms(10);
    }
    sync_destroy(client);
    assert_true(online);
    assert_int_equal(beats, 2);
}

static int lookup_beats;
static bool lookup_failed;

static fake_reply respond_lookup_lost(const char *path, const char *body, size_t length)
{
    (void)body;
    (void)length;
    static char beat[256];
    if (strncmp(path, "/v1/submissions/", 16) == 0) {
        pthread_mutex_lock(&lock);
        lookup_failed = true;
        pthread_mutex_unlock(&lock);
        return (fake_reply){.code = CURLE_COULDNT_CONNECT};
    }
    pthread_mutex_lock(&lock);
    lookup_beats++;
    pthread_mutex_unlock(&lock);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(beat, sizeof beat, "{\"server_time\":\"%s\",\"poll_interval_s\":300}", stamp);
    return fake_json(200, beat);
}

/* A citizen's lookup that gets no answer does not leave the terminal
 * without a link until the platform's next poll (five minutes here): the
 * heartbeat is asked at once, finds the platform well, and the link is up
 * again, so the next citizen's submission is sent. */
static void test_a_lookup_without_an_answer_asks_the_heartbeat_at_once(void **state)
{
    (void)state;
    lookup_beats = 0;
    lookup_failed = false;
    sync_client *client = fake_client(fake_db("timing-lookup-lost"), respond_lookup_lost);
    assert_int_equal(sync_start(client, NULL, NULL), KIOSK_OK);
    bool online = false;
    for (int i = 0; i < 300 && !online; i++) {
        online = sync_progress_get(client).link == SYNC_LINK_ONLINE;
        if (!online)
            sleep_ms(10);
    }
    assert_true(online);
    assert_int_equal(sync_lookup(client, "GD20261122000007"), KIOSK_OK);
    bool again = false;
    for (int i = 0; i < 300 && !again; i++) {
        pthread_mutex_lock(&lock);
        again = lookup_failed && lookup_beats >= 2;
        pthread_mutex_unlock(&lock);
        if (!again)
            sleep_ms(10);
    }
    sleep_ms(50);
    sync_link link = sync_progress_get(client).link;
    sync_destroy(client);
    assert_true(again);
    assert_int_equal(link, SYNC_LINK_ONLINE);
}

static fake_reply respond_unavailable(const char *path, const char *body, size_t length)
{
    (void)path;
    (void)body;
    (void)length;
    return fake_json(503, "{\"error\":\"unavailable\"}");
}

static bool due_at(sync_client *client, int64_t now_ms)
{
    cache_record records[2];
    size_t count = 0;
    assert_int_equal(cache_outbox_claim(client->store, now_ms, 2, records, &count, NULL), KIOSK_OK);
    cache_records_free(records, count);
    return count > 0;
}

/* A record that failed is due again no later than its back-off bound after
 * the failure (here a bound of 1 ms), whatever the random draw. */
static void test_a_failed_record_is_due_by_its_back_off_bound(void **state)
{
    (void)state;
    const char *db = fake_db("timing-bound");
    put_records(db, "bound", 1);
    sync_client *client = fake_client(db, respond_unavailable);
    client->base_ms = 1;
    client->cap_ms = 1;
    int64_t now = NOW_MS;
    for (int i = 0; i < 40; i++) {
        int calls = fake.record_calls;
        int64_t delivered = 0;
        (void)fake_drain(client, now, &delivered);
        assert_int_equal(fake.record_calls, calls + 1);
        now += 1;
        assert_true(due_at(client, now));
    }
    sync_destroy(client);
}

/* A terminal started with standard input closed (as a service may be) opens
 * its key as descriptor 0: that is a key, not a failure. */
static void test_a_key_opened_as_descriptor_0_is_read(void **state)
{
    (void)state;
    const char *dir = test_make_temp_dir("timing-key-fd0");
    const char *key = test_write_file(dir, "client.key", "not a key, but a file");
    assert_int_equal(chmod(key, 0400), 0);
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", dir);
    sync_config config = {.platform_url = "https://platform.test",
                          .ca_file = "/nonexistent/ca.crt",
                          .client_key = key,
                          .terminal_id = "K0420",
                          .firmware_version = "test"};
    seal_key seal;
    memset(seal.bytes, 7, sizeof seal.bytes);
    cache_options store = {.path = db, .key = &seal};
    sync_client *client = NULL;
    kiosk_diag diag = {{0}};
    int saved = dup(0);
    assert_true(saved > 0);
    close(0);
    kiosk_error result = sync_create(&config, &store, &client, &diag);
    if (result == KIOSK_OK)
        sync_destroy(client);
    dup2(saved, 0);
    close(saved);
    assert_int_equal(result, KIOSK_OK);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_terminal_with_no_link_waits_at_least_half_the_probe_interval),
        cmocka_unit_test(test_a_platform_asking_for_no_wait_is_called_again_at_once),
        cmocka_unit_test(test_a_lookup_without_an_answer_asks_the_heartbeat_at_once),
        cmocka_unit_test(test_a_failed_record_is_due_by_its_back_off_bound),
        cmocka_unit_test(test_a_key_opened_as_descriptor_0_is_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
