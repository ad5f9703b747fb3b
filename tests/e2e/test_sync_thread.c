/* The sync thread as the kiosk runs it, against the platform stand-in: the
 * heartbeat, the platform's catalog (cached only when it checks out) and
 * clock, finding the link again after an outage, and a citizen's tracking
 * number looked up. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include "firmware/base/file.h"
#include "firmware/platform/sync.h"
#include "offline-cache/kv.h"
#include "offline-cache/outbox.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct seen {
    pthread_mutex_t lock;
    int notified;
    int delivered;
    char tracking[64];
} seen;

static void on_progress(const sync_progress *progress, void *context)
{
    (void)progress;
    seen *s = context;
    pthread_mutex_lock(&s->lock);
    s->notified++;
    pthread_mutex_unlock(&s->lock);
}

static void on_delivered(int64_t id, const char *kind, const char *tracking, void *context)
{
    (void)id;
    seen *s = context;
    pthread_mutex_lock(&s->lock);
    s->delivered++;
    if (strcmp(kind, "submission") == 0)
        snprintf(s->tracking, sizeof s->tracking, "%s", tracking);
    pthread_mutex_unlock(&s->lock);
}

/* Waits (up to seconds) until ready says so; false if it never did. */
static bool wait_for(sync_client *client, bool (*ready)(const sync_progress *), int seconds)
{
    for (int i = 0; i < seconds * 100; i++) {
        sync_progress progress = sync_progress_get(client);
        if (ready(&progress))
            return true;
        struct timespec tick = {0, 10 * 1000000L};
        nanosleep(&tick, NULL);
    }
    return false;
}

static bool online(const sync_progress *p)
{
    return p->link == SYNC_LINK_ONLINE;
}

static bool offline(const sync_progress *p)
{
    return p->link == SYNC_LINK_OFFLINE;
}

static bool catalog_cached(const sync_progress *p)
{
    return p->catalog_updates > 0;
}

static bool outbox_empty(const sync_progress *p)
{
    return p->link == SYNC_LINK_ONLINE && p->queued == 0;
}

static char *cached_catalog(const char *db, size_t *length)
{
    seal_key key;
    memset(key.bytes, 7, sizeof key.bytes);
    cache_options options = {.path = db, .key = &key};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    char *body = NULL, etag[80];
    int64_t fetched = 0;
    kiosk_error got =
        cache_content_get(store, "catalog", &body, length, etag, sizeof etag, &fetched, NULL);
    cache_close(store);
    return got == KIOSK_OK ? body : NULL;
}

static void test_the_heartbeat_brings_the_catalog_and_the_platform_s_clock(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-heartbeat"));
    seen s = {.lock = PTHREAD_MUTEX_INITIALIZER};
    sync_client *client = client_for(&p, db, "client", NULL);
    assert_int_equal(sync_set_devices(client, "{\"id-reader\":\"online\"}"), KIOSK_OK);
    assert_int_equal(sync_set_devices(client, "[1,2]"), KIOSK_ERR_MALFORMED);
    assert_int_equal(sync_start(client, on_progress, &s), KIOSK_OK);
    assert_true(wait_for(client, catalog_cached, 10));
    sync_progress progress = sync_progress_get(client);
    assert_string_equal(progress.catalog_version, "sample-2026.12");
    int64_t server_now = 0;
    assert_true(sync_server_now_ms(&progress, &server_now));
    int64_t skew = server_now / 1000 - (int64_t)time(NULL);
    assert_true(skew > -60 && skew < 60);
    sync_destroy(client);

    /* What the terminal cached is the platform's catalog, byte for byte. */
    size_t cached_length = 0, sample_length = 0;
    char *cached = cached_catalog(db, &cached_length);
    char *sample = NULL;
    assert_int_equal(file_read_all(default_catalog(), 1 << 22, &sample, &sample_length, NULL),
                     KIOSK_OK);
    assert_non_null(cached);
    assert_int_equal(cached_length, sample_length);
    assert_memory_equal(cached, sample, sample_length);
    free(cached);
    free(sample);

    /* Started again, it knows that version: nothing new is cached. */
    client = client_for(&p, db, "client", NULL);
    assert_string_equal(sync_progress_get(client).catalog_version, "sample-2026.12");
    assert_int_equal(sync_start(client, on_progress, &s), KIOSK_OK);
    assert_true(wait_for(client, online, 10));
    assert_int_equal(sync_progress_get(client).catalog_updates, 0);
    sync_destroy(client);
    stop_platform(&p);
}

static void test_a_bad_catalog_from_the_platform_is_not_cached(void **state)
{
    (void)state;
    char bad[1100];
    snprintf(bad, sizeof bad, "%s/catalog.json", test_make_temp_dir("sync-bad-catalog"));
    FILE *file = fopen(bad, "w");
    assert_non_null(file);
    fputs("{\"version\": \"broken-1\", \"hall\": {\"name\": {\"zh-CN\": \"x\"}}, \"services\": []}",
          file);
    fclose(file);
    platform p;
    start_platform_serving(&p, NULL, bad);
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-bad-catalog-db"));
    seen s = {.lock = PTHREAD_MUTEX_INITIALIZER};
    sync_client *client = client_for(&p, db, "client", NULL);
    assert_int_equal(sync_start(client, on_progress, &s), KIOSK_OK);
    assert_true(wait_for(client, online, 10));
    struct timespec settle = {0, 300 * 1000000L};
    nanosleep(&settle, NULL);
    sync_progress progress = sync_progress_get(client);
    assert_int_equal(progress.catalog_updates, 0);
    assert_string_equal(progress.catalog_version, "");
    sync_destroy(client);
    size_t length = 0;
    assert_null(cached_catalog(db, &length));
    stop_platform(&p);
}

/* Records that have waited out an hour's back-off leave as soon as the link
 * is back, not an hour later: while it is away the terminal looks for it. */
static void test_records_leave_when_the_link_returns_not_when_back_off_ends(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-return"));
    put_records(db, "return", 20);
    seal_key key;
    memset(key.bytes, 7, sizeof key.bytes);
    cache_options options = {.path = db, .key = &key};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    int64_t an_hour_on = (int64_t)time(NULL) * 1000 + 3600 * 1000;
    for (int64_t id = 1; id <= 20; id++)
        assert_int_equal(cache_outbox_fail(store, id, "no answer", an_hour_on, NULL), KIOSK_OK);
    cache_close(store);

    set_fault(&p, "refuse");
    seen s = {.lock = PTHREAD_MUTEX_INITIALIZER};
    sync_client *client = client_for(&p, db, "client", NULL);
    sync_on_delivered(client, on_delivered);
    assert_int_equal(sync_start(client, on_progress, &s), KIOSK_OK);
    assert_true(wait_for(client, offline, 10));
    set_fault(&p, "none");
    assert_true(wait_for(client, outbox_empty, 10));
    sync_destroy(client);
    pthread_mutex_lock(&s.lock);
    assert_int_equal(s.delivered, 20);
    assert_true(s.tracking[0] != '\0'); /* the platform's tracking number came back */
    pthread_mutex_unlock(&s.lock);
    assert_int_equal(stat_of(&p, "stored"), 20);
    stop_platform(&p);
}

/* A citizen's tracking number, asked about: found, not found, or no
 * answer when the link is gone. */
typedef struct looked {
    pthread_mutex_t lock;
    int answers;
    sync_lookup_result last;
} looked;

static void on_lookup(const sync_reply *reply, void *context)
{
    looked *l = context;
    assert_int_equal(reply->kind, SYNC_ASK_LOOKUP);
    pthread_mutex_lock(&l->lock);
    l->last = reply->lookup;
    l->answers++;
    pthread_mutex_unlock(&l->lock);
}

static sync_lookup_result lookup_of(sync_client *client, looked *l, const char *tracking)
{
    pthread_mutex_lock(&l->lock);
    int before = l->answers;
    pthread_mutex_unlock(&l->lock);
    assert_int_equal(sync_lookup(client, tracking), KIOSK_OK);
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&l->lock);
        bool answered = l->answers > before;
        sync_lookup_result result = l->last;
        pthread_mutex_unlock(&l->lock);
        if (answered)
            return result;
        usleep(10 * 1000);
    }
    fail_msg("no answer to the lookup of %s", tracking);
    return (sync_lookup_result){0};
}

static void test_a_tracking_number_is_looked_up(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-lookup"));
    put_records(db, "lookup", 1);
    seen s = {.lock = PTHREAD_MUTEX_INITIALIZER};
    looked l = {.lock = PTHREAD_MUTEX_INITIALIZER};
    sync_client *client = client_for(&p, db, "client", NULL);
    sync_on_delivered(client, on_delivered);
    assert_int_equal(sync_start(client, on_progress, &s), KIOSK_OK);
    assert_true(wait_for(client, outbox_empty, 10));
    /* on_delivered and on_lookup share the context: s first, then l. */
    char tracking[64];
    pthread_mutex_lock(&s.lock);
    snprintf(tracking, sizeof tracking, "%s", s.tracking);
    pthread_mutex_unlock(&s.lock);
    sync_destroy(client);

    client = client_for(&p, db, "client", NULL);
    sync_on_answer(client, on_lookup);
    assert_int_equal(sync_start(client, NULL, &l), KIOSK_OK);
    sync_lookup_result found = lookup_of(client, &l, tracking);
    assert_int_equal(found.outcome, SYNC_LOOKUP_FOUND);
    assert_string_equal(found.tracking, tracking);
    assert_string_equal(found.status, "accepted");
    assert_int_equal(lookup_of(client, &l, "GD20261122999999").outcome, SYNC_LOOKUP_NOT_FOUND);
    assert_int_equal(sync_lookup(client, "GD 1; DROP"), KIOSK_ERR_INVALID_ARGUMENT);
    set_fault(&p, "refuse");
    assert_int_equal(lookup_of(client, &l, tracking).outcome, SYNC_LOOKUP_NO_ANSWER);
    sync_destroy(client);
    stop_platform(&p);
}

/* A by_kind counter of /_sim/stats ("submission", "received"). */
static long kind_stat(const platform *p, const char *kind, const char *name)
{
    cJSON *stats = platform_control(p, "/_sim/stats", NULL);
    const cJSON *by_kind = cJSON_GetObjectItemCaseSensitive(stats, "by_kind");
    const cJSON *value =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(by_kind, kind), name);
    long n = cJSON_IsNumber(value) ? (long)value->valuedouble : 0;
    cJSON_Delete(stats);
    return n;
}

/* The sync thread against a platform whose heartbeat passes while every
 * record call fails (the connection closed as the request arrives): how
 * many record requests reach it in a minute. The client's clock-driven
 * intervals (back-off base and cap, probe) are scale times shorter than a
 * terminal's, so a minute takes 60/scale s. */
static double record_requests_per_minute(int records, int scale)
{
    platform p;
    start_platform(&p, NULL);
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-storm"));
    put_records(db, "storm", records);
    char url[128], ca[1100], cert[1100], key[1100];
    snprintf(url, sizeof url, "https://127.0.0.1:%d", p.port);
    cert_path(ca, sizeof ca, "platform-ca.crt");
    cert_path(cert, sizeof cert, "client.crt");
    cert_path(key, sizeof key, "client.key");
    sync_config config = {.platform_url = url,
                          .ca_file = ca,
                          .client_cert = cert,
                          .client_key = key,
                          .terminal_id = "K0420",
                          .firmware_version = "test",
                          .backoff_base_ms = 1000 / (unsigned)scale,
                          .backoff_cap_ms = 300000 / (unsigned)scale,
                          .probe_ms = 1000 / (unsigned)scale,
                          .batch_items = 1};
    seal_key key_bytes;
    memset(key_bytes.bytes, 7, sizeof key_bytes.bytes);
    cache_options store = {.path = db, .key = &key_bytes};
    sync_client *client = NULL;
    assert_int_equal(sync_create(&config, &store, &client, NULL), KIOSK_OK);
    cJSON_Delete(platform_control(
        &p, "/_sim/fault", "{\"fault\":\"refuse\",\"count\":-1,\"path\":\"/v1/submissions\"}"));
    seen s = {.lock = PTHREAD_MUTEX_INITIALIZER};
    assert_int_equal(sync_start(client, on_progress, &s), KIOSK_OK);
    struct timespec minute = {60 / scale, (long)(60000 / scale % 1000) * 1000000L};
    nanosleep(&minute, NULL);
    sync_progress progress = sync_progress_get(client);
    sync_destroy(client);
    long received = kind_stat(&p, "submission", "received");
    long beats = kind_stat(&p, "heartbeat", "received");
    printf("/v1/submissions refused, heartbeat answered (%ld heartbeats): %ld record requests "
           "for %d records in a minute (at 1/%d scale): %.1f a record; link %s\n",
           beats, received, records, scale, (double)received / records,
           sync_link_name(progress.link));
    /* Heartbeat fine, records failing: degraded, and everything still kept. */
    assert_int_equal(progress.link, SYNC_LINK_DEGRADED);
    assert_int_equal(progress.queued, records);
    assert_true(beats >= 1);
    stop_platform(&p);
    return (double)received / records;
}

static int storm_scale(void)
{
    /* KIOSK_STORM_SCALE=1 measures a real minute. */
    const char *text = getenv("KIOSK_STORM_SCALE");
    long scale = text ? strtol(text, NULL, 10) : 10;
    return scale >= 1 && scale <= 100 ? (int)scale : 10;
}

/* A failing platform whose heartbeat passes sees at most a handful of
 * requests per record per minute: each record keeps its own back-off (full
 * jitter, doubling from 1 s); the link is not "back" every second. */
static void test_a_platform_failing_every_record_sees_a_handful_a_minute(void **state)
{
    (void)state;
    /* Attempts at about 0, 0.5, 1.5, 3.5, 7.5, 15.5 and 31.5 s (full jitter
     * under 1, 2, 4... s): about 7 in the first minute, fewer each minute
     * after; each on a new connection, so libcurl does not send it twice. */
    double per_record = record_requests_per_minute(3, storm_scale());
    assert_true(per_record >= 2);  /* it is tried... */
    assert_true(per_record <= 12); /* ...a handful of times, not once a second */
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_heartbeat_brings_the_catalog_and_the_platform_s_clock),
        cmocka_unit_test(test_a_bad_catalog_from_the_platform_is_not_cached),
        cmocka_unit_test(test_records_leave_when_the_link_returns_not_when_back_off_ends),
        cmocka_unit_test(test_a_tracking_number_is_looked_up),
        cmocka_unit_test(test_a_platform_failing_every_record_sees_a_handful_a_minute),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    platform_stop_leftovers();
    curl_global_cleanup();
    return failed;
}
