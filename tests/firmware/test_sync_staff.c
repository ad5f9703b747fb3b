/* The staff side of the sync client against answers in the test's own
 * process (tests/firmware/sync_fake.h): the heartbeat carries the audit
 * head; acknowledged calls and the hall's calls are read from a hostile
 * platform without trusting it (huge lists, control and bidirectional
 * characters, ids that would break the JSON they go back in); staff
 * credentials are fetched once per version and a bad one is not cached. */
#include "sync_fake.h"

#include "offline-cache/audit.h"
#include "offline-cache/kv.h"

#include <time.h>

static char beat_answer[1 << 20];
static const char *calls_answer;
static const char *credentials_answer;
static long credentials_status = 200;
static int credentials_calls, calls_calls;
static char last_beat[8192];

static fake_reply respond(const char *path, const char *body, size_t length)
{
    if (strcmp(path, "/v1/staff-credentials") == 0) {
        credentials_calls++;
        return (fake_reply){.code = CURLE_OK,
                            .status = credentials_status,
                            .type = "application/json",
                            .header = "ETag: \"c1\"",
                            .body = credentials_status == 304 ? NULL : credentials_answer};
    }
    if (strcmp(path, "/v1/calls") == 0) {
        calls_calls++;
        return fake_json(200, calls_answer);
    }
    snprintf(last_beat, sizeof last_beat, "%.*s", (int)length, body);
    return fake_json(200, beat_answer);
}

static const char *now_utc(void)
{
    static char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return stamp;
}

/* A heartbeat answered with extra (the members after poll_interval_s). */
static sync_outcome beat(sync_client *client, const char *extra)
{
    snprintf(beat_answer, sizeof beat_answer, "{\"server_time\":\"%s\",\"poll_interval_s\":60%s}",
             now_utc(), extra);
    long retry_after = -1;
    return sync_heartbeat(client, &retry_after);
}

static void test_the_heartbeat_reports_the_audit_head(void **state)
{
    (void)state;
    const char *db = fake_db("staff-head");
    sync_client *client = fake_client(db, respond);
    assert_int_equal(beat(client, ""), SYNC_DELIVERED);
    assert_non_null(strstr(last_beat, "\"audit_head\":{\"sequence\":0,\"hash\":\"0000"));
    cache_audit_event event = {.actor = "staff:S001", .action = "staff.sign_in"};
    cache_audit_head head;
    assert_int_equal(cache_audit_append(client->store, &event, 1, &head, NULL), KIOSK_OK);
    assert_int_equal(beat(client, ""), SYNC_DELIVERED);
    char expected[160];
    snprintf(expected, sizeof expected,
             "\"audit_head\":{\"sequence\":1,\"hash\":\"%s\",\"algorithm\":\"sha256\"}", head.hash);
    assert_non_null(strstr(last_beat, expected));
    cJSON *parsed = cJSON_Parse(last_beat);
    assert_non_null(parsed); /* still one JSON object */
    cJSON_Delete(parsed);
    sync_destroy(client);
}

static void test_acknowledged_calls_are_read_without_trusting_them(void **state)
{
    (void)state;
    sync_client *client = fake_client(fake_db("staff-acked"), respond);
    unsigned news = sync_progress_get(client).staff_news;
    assert_int_equal(beat(client, ",\"calls_acknowledged\":[\"K0420:ab:staff-help-1\"]"),
                     SYNC_DELIVERED);
    assert_true(sync_call_acknowledged(client, "K0420:ab:staff-help-1"));
    assert_false(sync_call_acknowledged(client, "K0420:ab:staff-help-2"));
    assert_int_equal(sync_progress_get(client).staff_news, news + 1);
    /* The same list again is no news. */
    assert_int_equal(beat(client, ",\"calls_acknowledged\":[\"K0420:ab:staff-help-1\"]"),
                     SYNC_DELIVERED);
    assert_int_equal(sync_progress_get(client).staff_news, news + 1);

    /* A huge list: the first SYNC_ACKNOWLEDGED_MAX are read, the rest not. */
    static char extra[1 << 19];
    size_t at = (size_t)snprintf(extra, sizeof extra, ",\"calls_acknowledged\":[");
    for (int i = 0; i < 20000; i++)
        at += (size_t)snprintf(extra + at, sizeof extra - at, "%s\"k%d\"", i ? "," : "", i);
    snprintf(extra + at, sizeof extra - at, "]");
    assert_int_equal(beat(client, extra), SYNC_DELIVERED);
    assert_true(sync_call_acknowledged(client, "k0"));
    assert_true(sync_call_acknowledged(client, "k15"));
    assert_false(sync_call_acknowledged(client, "k16"));
    assert_false(sync_call_acknowledged(client, "K0420:ab:staff-help-1"));

    /* Keys with controls, bidirectional marks, too long, not strings: not
     * taken; the good one beside them is. */
    char too_long[200];
    memset(too_long, 'x', sizeof too_long - 1);
    too_long[sizeof too_long - 1] = '\0';
    snprintf(extra, sizeof extra,
             ",\"calls_acknowledged\":[\"a\\u0007b\",\"\\u202eK0420\",\"%s\",42,null,\"\","
             "\"K0420:ok\"]",
             too_long);
    assert_int_equal(beat(client, extra), SYNC_DELIVERED);
    assert_false(sync_call_acknowledged(client, "a\ab"));
    assert_false(sync_call_acknowledged(client, "\xe2\x80\xaeK0420"));
    assert_false(sync_call_acknowledged(client, too_long));
    assert_true(sync_call_acknowledged(client, "K0420:ok"));
    /* Not a list at all: none acknowledged. */
    assert_int_equal(beat(client, ",\"calls_acknowledged\":\"K0420:ok\""), SYNC_DELIVERED);
    assert_false(sync_call_acknowledged(client, "K0420:ok"));
    sync_destroy(client);
}

static void test_the_hall_s_calls_are_fetched_only_while_watched(void **state)
{
    (void)state;
    sync_client *client = fake_client(fake_db("staff-calls"), respond);
    calls_answer = "{\"calls\":[{\"id\":\"K0421:s1:staff-help-1\",\"terminal\":\"K0421\","
                   "\"reason\":\"citizen-asked\",\"screen\":\"form\","
                   "\"at\":\"2026-11-22T09:30:00Z\"}]}";
    calls_calls = 0;
    assert_int_equal(beat(client, ""), SYNC_DELIVERED);
    assert_int_equal(calls_calls, 0);
    platform_call calls[4];
    assert_int_equal(sync_calls_get(client, calls, 4), 0);
    sync_watch_calls(client, true);
    unsigned news = sync_progress_get(client).staff_news;
    assert_int_equal(beat(client, ""), SYNC_DELIVERED);
    assert_int_equal(calls_calls, 1);
    assert_int_equal(sync_calls_get(client, calls, 4), 1);
    assert_string_equal(calls[0].id, "K0421:s1:staff-help-1");
    assert_string_equal(calls[0].terminal, "K0421");
    assert_string_equal(calls[0].reason, "citizen-asked");
    assert_string_equal(calls[0].screen, "form");
    assert_int_equal(calls[0].at_s, 1795339800);
    assert_int_equal(sync_progress_get(client).staff_news, news + 1);

    /* Hostile entries are dropped, the good one kept. */
    calls_answer =
        "{\"calls\":[{\"id\":\"a\\\"b\",\"terminal\":\"K1\",\"reason\":\"r\",\"screen\":\"s\","
        "\"at\":\"2026-11-22T09:30:00Z\"},"
        "{\"id\":\"x\",\"terminal\":\"K\\u001b[2J\",\"reason\":\"r\",\"screen\":\"s\","
        "\"at\":\"2026-11-22T09:30:00Z\"},"
        "{\"id\":\"y\",\"terminal\":\"K2\",\"reason\":\"\\u200b\",\"screen\":\"s\","
        "\"at\":\"2026-11-22T09:30:00Z\"},"
        "{\"id\":\"z\",\"terminal\":\"K3\",\"reason\":\"r\",\"screen\":\"s\",\"at\":\"yesterday\"},"
        "{\"id\":\"good\",\"terminal\":\"K4\",\"reason\":\"paper-out\",\"screen\":\"print\","
        "\"at\":\"2026-11-22T09:31:00Z\"},7]}";
    assert_int_equal(beat(client, ""), SYNC_DELIVERED);
    assert_int_equal(sync_calls_get(client, calls, 4), 1);
    assert_string_equal(calls[0].id, "good");
    assert_string_equal(calls[0].reason, "paper-out");

    /* A list longer than kept: the first SYNC_CALLS_MAX. */
    static char many[1 << 16];
    size_t at = (size_t)snprintf(many, sizeof many, "{\"calls\":[");
    for (int i = 0; i < 100; i++)
        at += (size_t)snprintf(many + at, sizeof many - at,
                               "%s{\"id\":\"c%d\",\"terminal\":\"K\",\"reason\":\"r\","
                               "\"screen\":\"s\",\"at\":\"2026-11-22T09:30:00Z\"}",
                               i ? "," : "", i);
    snprintf(many + at, sizeof many - at, "]}");
    calls_answer = many;
    assert_int_equal(beat(client, ""), SYNC_DELIVERED);
    static platform_call all[128];
    assert_int_equal(sync_calls_get(client, all, 128), SYNC_CALLS_MAX);
    assert_string_equal(all[SYNC_CALLS_MAX - 1].id, "c63");

    sync_watch_calls(client, false);
    assert_int_equal(sync_calls_get(client, calls, 4), 0);
    int before = calls_calls;
    assert_int_equal(beat(client, ""), SYNC_DELIVERED);
    assert_int_equal(calls_calls, before);
    sync_destroy(client);
}

static void test_credentials_are_cached_once_per_version(void **state)
{
    (void)state;
    sync_client *client = fake_client(fake_db("staff-credentials"), respond);
    credentials_calls = 0;
    credentials_status = 200;
    credentials_answer = "{\"version\":\"c1\",\"staff\":[]}";
    assert_int_equal(beat(client, ""), SYNC_DELIVERED);
    assert_int_equal(credentials_calls, 0); /* none published */
    unsigned updates = sync_progress_get(client).credentials_updates;
    assert_int_equal(beat(client, ",\"credentials_version\":\"c1\""), SYNC_DELIVERED);
    assert_int_equal(credentials_calls, 1);
    assert_int_equal(sync_progress_get(client).credentials_updates, updates + 1);
    char *body = NULL, etag[64];
    size_t length = 0;
    int64_t at = 0;
    assert_int_equal(cache_content_get(client->store, "credentials", &body, &length, etag,
                                       sizeof etag, &at, NULL),
                     KIOSK_OK);
    assert_string_equal(body, credentials_answer);
    assert_string_equal(etag, "\"c1\"");
    free(body);
    /* The same version: not fetched again. */
    assert_int_equal(beat(client, ",\"credentials_version\":\"c1\""), SYNC_DELIVERED);
    assert_int_equal(credentials_calls, 1);

    /* A new version that is not JSON: the cached one stays, and it is not
     * asked for again. */
    credentials_answer = "<html>login</html>";
    assert_int_equal(beat(client, ",\"credentials_version\":\"c2\""), SYNC_DELIVERED);
    assert_int_equal(beat(client, ",\"credentials_version\":\"c2\""), SYNC_DELIVERED);
    assert_int_equal(credentials_calls, 2);
    assert_int_equal(cache_content_get(client->store, "credentials", &body, &length, etag,
                                       sizeof etag, &at, NULL),
                     KIOSK_OK);
    assert_string_equal(body, "{\"version\":\"c1\",\"staff\":[]}");
    free(body);
    assert_int_equal(sync_progress_get(client).credentials_updates, updates + 1);

    /* A version with a control character is no version. */
    assert_int_equal(beat(client, ",\"credentials_version\":\"c\\u00073\""), SYNC_DELIVERED);
    assert_int_equal(credentials_calls, 2);
    /* 304: unchanged, noted, not fetched again. */
    credentials_status = 304;
    assert_int_equal(beat(client, ",\"credentials_version\":\"c4\""), SYNC_DELIVERED);
    assert_int_equal(beat(client, ",\"credentials_version\":\"c4\""), SYNC_DELIVERED);
    assert_int_equal(credentials_calls, 3);
    sync_destroy(client);
}

/* While this terminal's citizen waits for staff, the heartbeat comes at
 * least every SYNC_CALL_POLL_S; once acknowledged (or given up), at the
 * platform's interval again. */
static void test_a_waiting_call_brings_the_heartbeat_sooner(void **state)
{
    (void)state;
    sync_client *client = fake_client(fake_db("staff-poll"), respond);
    snprintf(beat_answer, sizeof beat_answer, "{}");
    assert_int_equal(beat(client, ""), SYNC_DELIVERED);
    assert_int_equal(sync_staff_poll_s(client), 60);
    sync_await_call(client, "K0420:s1:staff-form-1");
    assert_int_equal(sync_staff_poll_s(client), SYNC_CALL_POLL_S);
    assert_int_equal(beat(client, ",\"calls_acknowledged\":[\"K0420:s1:other\"]"), SYNC_DELIVERED);
    assert_int_equal(sync_staff_poll_s(client), SYNC_CALL_POLL_S);
    assert_int_equal(beat(client, ",\"calls_acknowledged\":[\"K0420:s1:staff-form-1\"]"),
                     SYNC_DELIVERED);
    assert_int_equal(sync_staff_poll_s(client), 60);
    sync_await_call(client, "K0420:s2:staff-form-1");
    assert_int_equal(sync_staff_poll_s(client), SYNC_CALL_POLL_S);
    sync_await_call(client, NULL);
    assert_int_equal(sync_staff_poll_s(client), 60);
    /* A platform that asks for less than that is not slowed down. */
    sync_await_call(client, "K0420:s3:staff-form-1");
    snprintf(beat_answer, sizeof beat_answer, "{\"server_time\":\"%s\",\"poll_interval_s\":5}",
             now_utc());
    long retry_after = -1;
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_DELIVERED);
    assert_int_equal(sync_staff_poll_s(client), 10); /* the floor of a poll interval */
    sync_destroy(client);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_heartbeat_reports_the_audit_head),
        cmocka_unit_test(test_acknowledged_calls_are_read_without_trusting_them),
        cmocka_unit_test(test_the_hall_s_calls_are_fetched_only_while_watched),
        cmocka_unit_test(test_credentials_are_cached_once_per_version),
        cmocka_unit_test(test_a_waiting_call_brings_the_heartbeat_sooner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
