/* The sync thread's decisions, against answers in the test's own process
 * (tests/firmware/sync_fake.h): when the link counts as found again (only
 * when the heartbeat finds it), when the kiosk is told, how soon a record
 * that failed is tried again, and a pass that claims as many records as it
 * has room for. */
#include "sync_fake.h"

#include <pthread.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int record_failures_left; /* record calls answered 500 before 201s */
static int notified, delivered_calls;
static sync_link last_link;
static char beat[256];

static fake_reply respond(const char *path, const char *body, size_t length)
{
    (void)body;
    (void)length;
    if (strcmp(path, "/v1/heartbeat") == 0)
        return fake_json(200, beat);
    pthread_mutex_lock(&lock);
    bool fail = record_failures_left > 0;
    if (fail)
        record_failures_left--;
    pthread_mutex_unlock(&lock);
    if (fail)
        return fake_json(500, "{\"error\":\"internal\"}");
    return fake_json(201, "{\"tracking_number\":\"GD20261122000007\"}");
}

static void on_progress(const sync_progress *progress, void *context)
{
    (void)context;
    pthread_mutex_lock(&lock);
    notified++;
    last_link = progress->link;
    pthread_mutex_unlock(&lock);
}

static void on_delivered(int64_t id, const char *kind, const char *tracking, void *context)
{
    (void)id;
    (void)kind;
    (void)tracking;
    (void)context;
    pthread_mutex_lock(&lock);
    delivered_calls++;
    pthread_mutex_unlock(&lock);
}

static int64_t wall_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static void set_beat(void)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(beat, sizeof beat, "{\"server_time\":\"%s\",\"poll_interval_s\":60}", stamp);
}

static bool wait_until(bool (*ready)(void), int ms)
{
    for (int i = 0; i < ms / 10; i++) {
        pthread_mutex_lock(&lock);
        bool done = ready();
        pthread_mutex_unlock(&lock);
        if (done)
            return true;
        struct timespec tick = {0, 10 * 1000000L};
        nanosleep(&tick, NULL);
    }
    return false;
}

static sync_progress last_progress;

static bool told_online(void)
{
    return notified > 0 &&
           (last_link == SYNC_LINK_ONLINE || last_progress.link == SYNC_LINK_ONLINE);
}

static bool one_delivered(void)
{
    return delivered_calls >= 1;
}

/* The kiosk is told when something changed (the link found), and not on a
 * pass that changed nothing. */
static void test_the_kiosk_is_told_of_changes_only(void **state)
{
    (void)state;
    set_beat();
    notified = 0;
    sync_client *client = fake_client(fake_db("loop-notify"), respond);
    assert_int_equal(sync_start(client, on_progress, NULL), KIOSK_OK);
    assert_true(wait_until(told_online, 3000));
    struct timespec settle = {0, 200 * 1000000L};
    nanosleep(&settle, NULL);
    pthread_mutex_lock(&lock);
    int before = notified;
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < 3; i++) {
        sync_wake(client);
        nanosleep(&settle, NULL);
    }
    pthread_mutex_lock(&lock);
    assert_int_equal(notified, before);
    pthread_mutex_unlock(&lock);
    sync_destroy(client);
}

/* A record that failed on a link that answers is tried again once its own
 * back-off is over (the thread looks every base interval), not at the next
 * heartbeat a minute later. */
static void test_a_failed_record_is_tried_again_after_its_back_off(void **state)
{
    (void)state;
    set_beat();
    const char *db = fake_db("loop-retry");
    put_records(db, "retry", 1);
    sync_client *client = fake_client(db, respond);
    client->base_ms = 50;
    client->cap_ms = 100;
    client->probe_ms = 60000;
    record_failures_left = 1;
    delivered_calls = 0;
    sync_on_delivered(client, on_delivered);
    assert_int_equal(sync_start(client, on_progress, NULL), KIOSK_OK);
    assert_true(wait_until(one_delivered, 3000));
    assert_int_equal(fake.record_calls, 2);
    sync_destroy(client);
}

/* A record waiting out a back-off of an hour (claimable now or not). */
static bool due(sync_client *client)
{
    cache_record records[4];
    size_t count = 0;
    assert_int_equal(cache_outbox_claim(client->store, wall_ms(), 4, records, &count, NULL),
                     KIOSK_OK);
    cache_records_free(records, count);
    return count > 0;
}

static void wait_an_hour(sync_client *client)
{
    cache_record records[4];
    size_t count = 0;
    assert_int_equal(cache_outbox_claim(client->store, INT64_MAX, 4, records, &count, NULL),
                     KIOSK_OK);
    for (size_t i = 0; i < count; i++)
        assert_int_equal(
            cache_outbox_fail(client->store, records[i].id, "test", wall_ms() + 3600 * 1000, NULL),
            KIOSK_OK);
    cache_records_free(records, count);
    assert_false(due(client));
}

/* Only the heartbeat finds the link again: answered at start, or after it
 * had no answer, every record waiting out a back-off is due at once.
 * Answered after a 503, after a refusal, or while record calls fail, it
 * makes no record due (that was the back-off's bypass: a link "back" every
 * second). */
static void test_only_the_heartbeat_finds_the_link_again(void **state)
{
    (void)state;
    const char *db = fake_db("loop-found");
    put_records(db, "found", 2);
    sync_client *client = fake_client(db, respond);
    /* No heartbeat answered yet: no platform time. */
    sync_progress fresh = sync_progress_get(client);
    int64_t server_now = 0;
    assert_false(sync_server_now_ms(&fresh, &server_now));

    wait_an_hour(client);
    sync_after_heartbeat(client, SYNC_DELIVERED, SYNC_LINK_UNKNOWN);
    assert_true(due(client));

    wait_an_hour(client);
    sync_set_progress(client, SYNC_LINK_ONLINE, NULL);
    sync_after_heartbeat(client, SYNC_DELIVERED, SYNC_LINK_ONLINE);
    assert_false(due(client));
    /* Answered with an error (degraded), then answered. */
    sync_set_progress(client, SYNC_LINK_DEGRADED, "answer 503");
    sync_after_heartbeat(client, SYNC_RETRY, SYNC_LINK_ONLINE);
    assert_false(client->beat_lost);
    sync_set_progress(client, SYNC_LINK_ONLINE, NULL);
    sync_after_heartbeat(client, SYNC_DELIVERED, SYNC_LINK_DEGRADED);
    assert_false(due(client));
    /* Refused, then answered. */
    sync_set_progress(client, SYNC_LINK_REFUSED, "403");
    sync_after_heartbeat(client, SYNC_REFUSED, SYNC_LINK_ONLINE);
    assert_false(client->beat_lost);
    sync_set_progress(client, SYNC_LINK_ONLINE, NULL);
    sync_after_heartbeat(client, SYNC_DELIVERED, SYNC_LINK_REFUSED);
    assert_false(due(client));
    /* Record calls failing (a reset: offline), the heartbeat answered:
     * degraded, and the records keep their back-off. */
    client->records_failing = true;
    sync_set_progress(client, SYNC_LINK_ONLINE, NULL);
    sync_after_heartbeat(client, SYNC_DELIVERED, SYNC_LINK_OFFLINE);
    assert_false(due(client));
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_DEGRADED);
    /* The heartbeat without an answer, then answered: the link is back. */
    sync_set_progress(client, SYNC_LINK_OFFLINE, "no answer");
    sync_after_heartbeat(client, SYNC_RETRY, SYNC_LINK_DEGRADED);
    assert_true(client->beat_lost);
    assert_false(due(client));
    sync_set_progress(client, SYNC_LINK_ONLINE, NULL);
    client->records_failing = false;
    sync_after_heartbeat(client, SYNC_DELIVERED, SYNC_LINK_OFFLINE);
    assert_true(due(client));
    assert_false(client->beat_lost);
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_ONLINE);
    sync_destroy(client);
}

static fake_reply respond_no_retry_after(const char *path, const char *body, size_t length)
{
    (void)path;
    (void)body;
    (void)length;
    return fake_json(503, "{\"error\":\"unavailable\"}");
}

/* A failure without Retry-After waits its full-jitter time from now: it is
 * never due before the failure. */
static void test_a_failed_record_is_never_due_before_it_failed(void **state)
{
    (void)state;
    const char *db = fake_db("loop-no-retry-after");
    put_records(db, "nra", 1);
    sync_client *client = fake_client(db, respond_no_retry_after);
    int64_t delivered = 0;
    (void)fake_drain(client, NOW_MS, &delivered);
    assert_int_equal(fake.record_calls, 1);
    (void)fake_drain(client, NOW_MS - 500, &delivered);
    assert_int_equal(fake.record_calls, 1);
    sync_destroy(client);
}

static fake_reply respond_delivered(const char *path, const char *body, size_t length)
{
    if (strcmp(path, "/v1/batch") == 0)
        return fake_json(200, fake_batch_results(body, length, "201",
                                                 "{\"tracking_number\":\"GD20261122000008\"}"));
    return fake_json(201, "{\"tracking_number\":\"GD20261122000008\"}");
}

/* A pass claims as many records as it has room for, each told delivered
 * once, singly and batched. */
static void test_a_full_claim_is_sent_and_told_once_each(void **state)
{
    (void)state;
    for (unsigned items = 1; items <= 2; items++) {
        const char *db = fake_db("loop-claim");
        put_records(db, "claim", 4);
        sync_client *client = fake_client(db, respond_delivered);
        client->claim = 2;
        client->batch_items = items;
        delivered_calls = 0;
        sync_on_delivered(client, on_delivered);
        int64_t delivered = 0;
        sync_progress progress = fake_drain(client, NOW_MS, &delivered);
        assert_int_equal(delivered, 4);
        assert_int_equal(progress.queued, 0);
        assert_int_equal(progress.delivered, 4);
        assert_int_equal(delivered_calls, 4);
        assert_int_equal(fake.record_calls, items == 1 ? 4 : 2);
        sync_destroy(client);
    }
}

static int eid_answers, eid_calls;

static fake_reply respond_offline(const char *path, const char *body, size_t length)
{
    (void)body;
    (void)length;
    if (strcmp(path, "/v1/eid") == 0) {
        pthread_mutex_lock(&lock);
        eid_calls++;
        pthread_mutex_unlock(&lock);
        return fake_json(200, "{\"name\":\"王小明\",\"id_number\":\"11010519491231002X\"}");
    }
    return (fake_reply){.code = CURLE_COULDNT_CONNECT};
}

static void on_eid(const sync_reply *reply, void *context)
{
    (void)context;
    pthread_mutex_lock(&lock);
    eid_answers += reply->kind == SYNC_ASK_EID;
    pthread_mutex_unlock(&lock);
}

static bool told_offline(void)
{
    return notified > 0 && last_link == SYNC_LINK_OFFLINE;
}

static bool eid_answered(void)
{
    return eid_answers > 0;
}

/* With no link the thread looks for it often, and tells the kiosk once
 * that it is offline, not at every look; an e-ID code is asked once and
 * wiped from the client. */
static void test_an_offline_terminal_looks_often_and_tells_once(void **state)
{
    (void)state;
    notified = 0;
    eid_answers = eid_calls = 0;
    sync_client *client = fake_client(fake_db("loop-offline"), respond_offline);
    client->probe_ms = 20;
    sync_on_answer(client, on_eid);
    assert_int_equal(sync_start(client, on_progress, NULL), KIOSK_OK);
    assert_true(wait_until(told_offline, 3000));
    struct timespec settle = {0, 400 * 1000000L};
    nanosleep(&settle, NULL);
    pthread_mutex_lock(&lock);
    assert_int_equal(notified, 1);
    pthread_mutex_unlock(&lock);
    assert_int_equal(sync_eid(client, "CTID:DEMO-0001"), KIOSK_OK);
    assert_true(wait_until(eid_answered, 3000));
    nanosleep(&settle, NULL);
    int heartbeats = fake.requests - eid_calls;
    pthread_mutex_lock(&lock);
    assert_int_equal(eid_answers, 1);
    assert_int_equal(eid_calls, 1);
    pthread_mutex_unlock(&lock);
    char zeros[sizeof FAKE_ASKED(client, EID).eid.code] = {0};
    pthread_mutex_lock(&client->lock);
    assert_memory_equal(FAKE_ASKED(client, EID).eid.code, zeros, sizeof zeros);
    pthread_mutex_unlock(&client->lock);
    sync_destroy(client);
    /* Looked for every 10-20 ms for most of a second. */
    assert_true(heartbeats >= 10);
}

/* Technicians read how many records the link's return made due. */
static void test_the_link_s_return_is_logged_with_what_it_made_due(void **state)
{
    (void)state;
    const char *db = fake_db("loop-return-log");
    put_records(db, "log", 1);
    sync_client *client = fake_client(db, respond);
    fake_log_begin();
    sync_after_heartbeat(client, SYNC_DELIVERED, SYNC_LINK_UNKNOWN);
    const char *log = fake_log_end();
    assert_null(strstr(log, "the link is back"));
    wait_an_hour(client);
    fake_log_begin();
    sync_after_heartbeat(client, SYNC_DELIVERED, SYNC_LINK_UNKNOWN);
    log = fake_log_end();
    assert_non_null(strstr(log, "the link is back: 1 records due now"));
    sync_destroy(client);
}

static kiosk_error create_with_key(const char *name, mode_t mode, kiosk_diag *diag)
{
    const char *dir = test_make_temp_dir(name);
    const char *key = test_write_file(dir, "client.key", "not a key, but a file");
    assert_int_equal(chmod(key, mode), 0);
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
    kiosk_error result = sync_create(&config, &store, &client, diag);
    if (result == KIOSK_OK)
        sync_destroy(client);
    return result;
}

/* The terminal's key is its own: a key file others may read, or no file
 * there, is refused before anything starts. */
static void test_a_client_key_file_must_be_the_terminal_s_own(void **state)
{
    (void)state;
    kiosk_diag diag = {{0}};
    assert_int_equal(create_with_key("key-0600", 0600, &diag), KIOSK_OK);
    assert_int_equal(create_with_key("key-0644", 0644, &diag), KIOSK_ERR_IO);
    assert_non_null(strstr(diag.message, "mode 0644"));
    assert_int_equal(create_with_key("key-0620", 0620, &diag), KIOSK_ERR_IO);
    sync_config config = {.platform_url = "https://platform.test",
                          .client_key = "/nonexistent/client.key",
                          .terminal_id = "K0420"};
    sync_client *client = NULL;
    assert_int_equal(
        sync_create(&config, &(cache_options){.path = fake_db("key-none")}, &client, &diag),
        KIOSK_ERR_IO);
    assert_non_null(strstr(diag.message, "/nonexistent/client.key"));
    /* A directory is not a key file. */
    config.client_key = test_make_temp_dir("key-dir");
    chmod(config.client_key, 0700);
    assert_int_equal(
        sync_create(&config, &(cache_options){.path = fake_db("key-dir-db")}, &client, &diag),
        KIOSK_ERR_IO);
}

static int lookups, queries;

static fake_reply respond_asked(const char *path, const char *body, size_t length)
{
    (void)body;
    (void)length;
    if (strcmp(path, "/v1/heartbeat") == 0)
        return fake_json(200, beat);
    if (strcmp(path, "/v1/queries") == 0)
        return fake_json(200, "{\"service\":\"q\",\"as_of\":\"2026-11-22\",\"lines\":[]}");
    if (strncmp(path, "/v1/submissions/", 16) == 0)
        return fake_json(200, "{\"tracking_number\":\"7\",\"status\":\"accepted\"}");
    return fake_json(201, "{\"tracking_number\":\"GD20261122000011\"}");
}

static void on_answer(const sync_reply *reply, void *context)
{
    (void)context;
    pthread_mutex_lock(&lock);
    lookups += reply->kind == SYNC_ASK_LOOKUP && reply->lookup.outcome == SYNC_LOOKUP_FOUND;
    queries += reply->kind == SYNC_ASK_QUERY && reply->query.outcome == SYNC_QUERY_FOUND;
    pthread_mutex_unlock(&lock);
}

static bool both_answered(void)
{
    return lookups > 0 && queries > 0;
}

/* A citizen's lookup and query go on the thread, each once, whatever
 * their length. */
static void test_a_citizen_s_questions_are_asked_once_each(void **state)
{
    (void)state;
    set_beat();
    lookups = queries = 0;
    sync_client *client = fake_client(fake_db("loop-asked"), respond_asked);
    sync_on_answer(client, on_answer);
    assert_int_equal(sync_start(client, NULL, NULL), KIOSK_OK);
    assert_int_equal(sync_lookup(client, "7"), KIOSK_OK);
    assert_int_equal(sync_query(client, "q", "11010519491231002X", "zh-CN"), KIOSK_OK);
    assert_true(wait_until(both_answered, 3000));
    struct timespec settle = {0, 300 * 1000000L};
    nanosleep(&settle, NULL);
    pthread_mutex_lock(&lock);
    assert_int_equal(lookups, 1);
    assert_int_equal(queries, 1);
    pthread_mutex_unlock(&lock);
    pthread_mutex_lock(&client->lock);
    assert_string_equal(FAKE_ASKED(client, LOOKUP).lookup.tracking, "");
    assert_string_equal(FAKE_ASKED(client, QUERY).query.service, "");
    assert_string_equal(FAKE_ASKED(client, QUERY).query.id_number, "");
    pthread_mutex_unlock(&client->lock);
    sync_destroy(client);
}

static void on_progress_kept(const sync_progress *progress, void *context)
{
    (void)context;
    pthread_mutex_lock(&lock);
    notified++;
    last_progress = *progress;
    pthread_mutex_unlock(&lock);
}

static bool told_unwritable(void)
{
    return last_progress.outbox_unwritable;
}

static bool told_queued(void)
{
    return last_progress.queued == 1;
}

/* Staff are told when the outbox cannot be written, though nothing else
 * changed (the record was already counted, the link stays up). */
static void test_staff_are_told_when_the_outbox_cannot_be_written(void **state)
{
    (void)state;
    set_beat();
    const char *db = fake_db("loop-unwritable");
    memset(&last_progress, 0, sizeof last_progress);
    sync_client *client = fake_client(db, respond_asked);
    client->base_ms = 50;
    assert_int_equal(sync_start(client, on_progress_kept, NULL), KIOSK_OK);
    assert_true(wait_until(told_online, 3000));
    /* Another handle: the outbox cannot delete, and a record waits 300 ms. */
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw,
                                  "CREATE TRIGGER full BEFORE DELETE ON outbox BEGIN "
                                  "SELECT RAISE(ABORT, 'database or disk is full'); END",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);
    put_records(db, "unwritable", 1);
    seal_key key;
    memset(key.bytes, 7, sizeof key.bytes);
    cache_options options = {.path = db, .key = &key};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    assert_int_equal(cache_outbox_fail(store, 1, "test", wall_ms() + 300, NULL), KIOSK_OK);
    cache_close(store);
    sync_wake(client);
    assert_true(wait_until(told_queued, 3000));
    pthread_mutex_lock(&lock);
    assert_false(last_progress.outbox_unwritable);
    pthread_mutex_unlock(&lock);
    assert_true(wait_until(told_unwritable, 3000));
    pthread_mutex_lock(&lock);
    assert_int_equal(last_progress.queued, 1);
    assert_int_equal(last_progress.link, SYNC_LINK_ONLINE);
    pthread_mutex_unlock(&lock);
    sync_destroy(client);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_kiosk_is_told_of_changes_only),
        cmocka_unit_test(test_a_failed_record_is_tried_again_after_its_back_off),
        cmocka_unit_test(test_only_the_heartbeat_finds_the_link_again),
        cmocka_unit_test(test_a_failed_record_is_never_due_before_it_failed),
        cmocka_unit_test(test_a_full_claim_is_sent_and_told_once_each),
        cmocka_unit_test(test_an_offline_terminal_looks_often_and_tells_once),
        cmocka_unit_test(test_the_link_s_return_is_logged_with_what_it_made_due),
        cmocka_unit_test(test_a_client_key_file_must_be_the_terminal_s_own),
        cmocka_unit_test(test_a_citizen_s_questions_are_asked_once_each),
        cmocka_unit_test(test_staff_are_told_when_the_outbox_cannot_be_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
