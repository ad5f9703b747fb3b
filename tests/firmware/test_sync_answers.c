/* What the platform says that a citizen or staff will see — a lookup's
 * status and note, a query's lines, an e-ID's name, the platform's clock —
 * is made safe to show or refused (tests/firmware/sync_fake.h answers in
 * the test's own process). */
#include "sync_fake.h"

#include <time.h>

static const char *reply_body;
static long reply_status = 200;

static fake_reply respond(const char *path, const char *body, size_t length)
{
    (void)path;
    (void)body;
    (void)length;
    return fake_json(reply_status, reply_body);
}

static sync_client *client_answering(const char *name, const char *body)
{
    sync_client *client = fake_client(fake_db(name), respond);
    reply_body = body;
    reply_status = 200;
    return client;
}

/* U+202E (right-to-left override), U+200B (zero width space), a bell. */
#define RLO  "\xe2\x80\xae"
#define ZWSP "\xe2\x80\x8b"

static void test_a_lookup_s_words_are_made_safe_to_show(void **state)
{
    (void)state;
    sync_client *client = client_answering(
        "lookup-text",
        "{\"tracking_number\":\"GD20261122000042\",\"status\":\"do" ZWSP "ne\","
        "\"updated_at\":\"2026-11-22T09:30:00Z\",\"note\":\"请于" RLO "0301\\u0007前领取\"}");
    sync_lookup_result result;
    fake_lookup_run(client, "GD20261122000042", &result);
    assert_int_equal(result.outcome, SYNC_LOOKUP_FOUND);
    assert_string_equal(result.status, "done");
    assert_string_equal(result.note, "请于0301前领取");
    assert_string_equal(result.updated_at, "2026-11-22T09:30:00Z");

    /* Not UTF-8: no answer, nothing of it kept. */
    reply_body =
        "{\"tracking_number\":\"GD20261122000042\",\"status\":\"done\",\"note\":\"\xff\xfe\"}";
    fake_lookup_run(client, "GD20261122000042", &result);
    assert_int_equal(result.outcome, SYNC_LOOKUP_NO_ANSWER);
    assert_string_equal(result.status, "");
    assert_string_equal(result.tracking, "GD20261122000042");
    reply_body = "{\"tracking_number\":\"GD20261122000042\",\"status\":\"\xc0\xaf\"}";
    fake_lookup_run(client, "GD20261122000042", &result);
    assert_int_equal(result.outcome, SYNC_LOOKUP_NO_ANSWER);
    /* A status of nothing but hidden characters is no status. */
    reply_body = "{\"tracking_number\":\"GD20261122000042\",\"status\":\"" RLO ZWSP "\"}";
    fake_lookup_run(client, "GD20261122000042", &result);
    assert_int_equal(result.outcome, SYNC_LOOKUP_NO_ANSWER);
    /* Trailing bytes after the answer. */
    reply_body = "{\"tracking_number\":\"GD20261122000042\",\"status\":\"done\"}<html>";
    fake_lookup_run(client, "GD20261122000042", &result);
    assert_int_equal(result.outcome, SYNC_LOOKUP_NO_ANSWER);
    sync_destroy(client);
}

static void test_a_lookup_answer_about_another_number_is_not_shown(void **state)
{
    (void)state;
    sync_client *client = client_answering(
        "lookup-other", "{\"tracking_number\":\"GD20261122000043\",\"status\":\"done\"}");
    sync_lookup_result result;
    fake_lookup_run(client, "GD20261122000042", &result);
    assert_int_equal(result.outcome, SYNC_LOOKUP_NO_ANSWER);
    /* Digits alone, or the terminal's own reference, are the same number. */
    reply_body = "{\"tracking_number\":\"GD20261122000042\",\"local_reference\":\"K0420-000042\","
                 "\"status\":\"accepted\"}";
    fake_lookup_run(client, "20261122000042", &result);
    assert_int_equal(result.outcome, SYNC_LOOKUP_FOUND);
    assert_string_equal(result.tracking, "GD20261122000042");
    fake_lookup_run(client, "K0420-000042", &result);
    assert_int_equal(result.outcome, SYNC_LOOKUP_FOUND);
    fake_lookup_run(client, "0420000042", &result);
    assert_int_equal(result.outcome, SYNC_LOOKUP_FOUND);
    /* The number the platform gives back must be one by the grammar. */
    reply_body = "{\"tracking_number\":\"GD2026 1122000042\",\"local_reference\":\"K0420-000042\","
                 "\"status\":\"accepted\"}";
    fake_lookup_run(client, "K0420-000042", &result);
    assert_int_equal(result.outcome, SYNC_LOOKUP_NO_ANSWER);
    reply_status = 404;
    reply_body = "{\"error\":\"not-found\"}";
    fake_lookup_run(client, "GD20261122000042", &result);
    assert_int_equal(result.outcome, SYNC_LOOKUP_NOT_FOUND);
    assert_int_equal(sync_lookup(client, "GD 1"), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_lookup(client, ""), KIOSK_ERR_INVALID_ARGUMENT);
    sync_destroy(client);
}

static void test_a_query_s_lines_are_made_safe_to_show(void **state)
{
    (void)state;
    sync_client *client = client_answering(
        "query-text", "{\"service\":\"housing-fund-query\",\"as_of\":\"2026-11-22\",\"lines\":["
                      "{\"label\":\"账户" RLO "余额\",\"value\":\"12345.67 元\"},"
                      "{\"label\":\"状态\",\"value\":\"正常" ZWSP "\"}]}");
    sync_query_result *result = calloc(1, sizeof *result);
    fake_query_run(client, "housing-fund-query", "11010519491231002X", "zh-CN", result);
    assert_int_equal(result->outcome, SYNC_QUERY_FOUND);
    assert_int_equal(result->line_count, 2);
    assert_string_equal(result->labels[0], "账户余额");
    assert_string_equal(result->labels[1], "状态");
    assert_string_equal(result->values[1], "正常");
    assert_string_equal(result->as_of, "2026-11-22");

    reply_body = "{\"service\":\"housing-fund-query\",\"as_of\":\"2026-11-22\",\"lines\":["
                 "{\"label\":\"\xed\xa0\x80\",\"value\":\"1\"}]}";
    fake_query_run(client, "housing-fund-query", "11010519491231002X", "zh-CN", result);
    assert_int_equal(result->outcome, SYNC_QUERY_NO_ANSWER);
    assert_int_equal(result->line_count, 0);
    /* An escaped NUL would cut a value short without a word (1\u00000000 read
     * as 1): not an answer. */
    reply_body = "{\"service\":\"housing-fund-query\",\"as_of\":\"2026-11-22\",\"lines\":["
                 "{\"label\":\"余额\",\"value\":\"1\\u00000000\"}]}";
    fake_query_run(client, "housing-fund-query", "11010519491231002X", "zh-CN", result);
    assert_int_equal(result->outcome, SYNC_QUERY_NO_ANSWER);
    assert_int_equal(result->line_count, 0);
    reply_body = "{\"service\":\"other-query\",\"as_of\":\"2026-11-22\",\"lines\":[]}";
    fake_query_run(client, "housing-fund-query", "11010519491231002X", "zh-CN", result);
    assert_int_equal(result->outcome, SYNC_QUERY_NO_ANSWER);
    reply_body = "{\"service\":\"housing-fund-query\",\"as_of\":\"2026-11-22\",\"lines\":[]} x";
    fake_query_run(client, "housing-fund-query", "11010519491231002X", "zh-CN", result);
    assert_int_equal(result->outcome, SYNC_QUERY_NO_ANSWER);
    free(result);
    sync_destroy(client);
}

static void test_an_e_id_s_name_is_made_safe_to_show(void **state)
{
    (void)state;
    sync_client *client = client_answering(
        "eid-text", "{\"name\":\"王" RLO "小明\\u001b[2J\",\"id_number\":\"11010519491231002X\"}");
    sync_eid_result result;
    fake_eid_run(client, "CTID:DEMO-0001", &result);
    assert_int_equal(result.outcome, SYNC_EID_FOUND);
    assert_string_equal(result.name, "王小明"); /* the escape sequence goes whole */
    reply_body = "{\"name\":\"\xe7\x8e\",\"id_number\":\"11010519491231002X\"}";
    fake_eid_run(client, "CTID:DEMO-0001", &result);
    assert_int_equal(result.outcome, SYNC_EID_NO_ANSWER);
    assert_string_equal(result.name, "");
    reply_body = "{\"name\":\"" ZWSP "\",\"id_number\":\"11010519491231002X\"}";
    fake_eid_run(client, "CTID:DEMO-0001", &result);
    assert_int_equal(result.outcome, SYNC_EID_NO_ANSWER);
    reply_body = "{\"name\":\"王小明\",\"id_number\":\"11010519491231002X\"}]";
    fake_eid_run(client, "CTID:DEMO-0001", &result);
    assert_int_equal(result.outcome, SYNC_EID_NO_ANSWER);
    sync_destroy(client);
}

static const char *heartbeat_at(char *out, size_t size, int64_t offset_s)
{
    time_t at = time(NULL) + (time_t)offset_s;
    struct tm tm;
    gmtime_r(&at, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(out, size, "{\"server_time\":\"%s\",\"poll_interval_s\":60}", stamp);
    return out;
}

/* A platform clock a day or more from the device's (2199, 1970-ish) is not
 * used, and staff are told; one within a day is. */
static void test_the_platform_s_clock_is_believed_within_a_day(void **state)
{
    (void)state;
    sync_client *client = client_answering(
        "clock", "{\"server_time\":\"2199-01-01T00:00:00Z\",\"poll_interval_s\":60}");
    long retry_after = -1;
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_DELIVERED);
    sync_progress progress = sync_progress_get(client);
    int64_t server_now = 0;
    assert_false(sync_server_now_ms(&progress, &server_now));
    assert_true(progress.clock_disagrees);
    assert_string_equal(progress.server_time, "");
    assert_non_null(strstr(progress.last_error, "2199"));

    char body[160];
    reply_body = heartbeat_at(body, sizeof body, 23 * 3600);
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_DELIVERED);
    progress = sync_progress_get(client);
    assert_false(progress.clock_disagrees);
    assert_true(sync_server_now_ms(&progress, &server_now));
    int64_t skew = server_now / 1000 - (int64_t)time(NULL);
    assert_true(skew > 23 * 3600 - 60 && skew < 23 * 3600 + 60);

    /* A day and a minute behind: not used; the last believable one stands. */
    char believed[32];
    snprintf(believed, sizeof believed, "%s", progress.server_time);
    reply_body = heartbeat_at(body, sizeof body, -(24 * 3600 + 60));
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_DELIVERED);
    progress = sync_progress_get(client);
    assert_true(progress.clock_disagrees);
    assert_string_equal(progress.server_time, believed);
    reply_body = heartbeat_at(body, sizeof body, 24 * 3600 + 60);
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_DELIVERED);
    assert_true(sync_progress_get(client).clock_disagrees);
    reply_body = heartbeat_at(body, sizeof body, -(23 * 3600));
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_DELIVERED);
    assert_false(sync_progress_get(client).clock_disagrees);

    /* Exactly a day either way is still believed (read within one second of
     * the device's clock; tried again if the second turned). */
    for (int side = -1; side <= 1; side += 2) {
        bool exact = false;
        for (int attempt = 0; attempt < 5 && !exact; attempt++) {
            time_t before = time(NULL);
            reply_body = heartbeat_at(body, sizeof body, side * 24 * 3600);
            assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_DELIVERED);
            exact = time(NULL) == before;
            assert_false(sync_progress_get(client).clock_disagrees);
        }
    }

    /* Bytes after the heartbeat's answer: not an answer. */
    char trailing[200];
    snprintf(trailing, sizeof trailing, "%sxyz", heartbeat_at(body, sizeof body, 0));
    reply_body = trailing;
    assert_int_equal(sync_heartbeat(client, &retry_after), SYNC_RETRY);
    sync_destroy(client);
}

static fake_reply respond_personal(const char *path, const char *body, size_t length)
{
    (void)body;
    (void)length;
    if (strcmp(path, "/v1/queries") == 0)
        return fake_json(200, "{\"service\":\"housing-fund-query\",\"as_of\":\"2026-11-22\","
                              "\"lines\":[{\"label\":\"姓名\",\"value\":\"WANG-XIAOMING\"}]}");
    return fake_json(200, "{\"name\":\"WANG-XIAOMING\",\"id_number\":\"11010519491231002X\"}");
}

/* A query's request (the citizen's ID number) and its answer, an e-ID code
 * and its answer: wiped when freed. */
static void test_a_citizen_s_query_and_e_id_are_wiped_when_freed(void **state)
{
    (void)state;
#ifndef __SANITIZE_ADDRESS__
    skip();
#endif
    sync_client *client = fake_client(fake_db("query-wiped"), respond_personal);
    sync_query_result *result = calloc(1, sizeof *result);
    fake_query_run(client, "housing-fund-query", "11010519491231002X", "zh-CN", result);
    assert_int_equal(result->outcome, SYNC_QUERY_FOUND);
    assert_true(fake.buffer_count >= 2);
    assert_false(fake_left_in_freed_buffers("11010519491231002X"));
    assert_false(fake_left_in_freed_buffers("WANG-XIAOMING"));
    explicit_bzero(result, sizeof *result);
    free(result);
    fake.buffer_count = 0;
    sync_eid_result eid;
    fake_eid_run(client, "CTID:SECRET-CODE-0001", &eid);
    assert_int_equal(eid.outcome, SYNC_EID_FOUND);
    explicit_bzero(&eid, sizeof eid);
    assert_true(fake.buffer_count >= 2);
    assert_false(fake_left_in_freed_buffers("CTID:SECRET-CODE-0001"));
    assert_false(fake_left_in_freed_buffers("WANG-XIAOMING"));
    assert_false(fake_left_in_freed_buffers("11010519491231002X"));
    sync_destroy(client);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_lookup_s_words_are_made_safe_to_show),
        cmocka_unit_test(test_a_lookup_answer_about_another_number_is_not_shown),
        cmocka_unit_test(test_a_query_s_lines_are_made_safe_to_show),
        cmocka_unit_test(test_an_e_id_s_name_is_made_safe_to_show),
        cmocka_unit_test(test_the_platform_s_clock_is_believed_within_a_day),
        cmocka_unit_test(test_a_citizen_s_query_and_e_id_are_wiped_when_freed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
