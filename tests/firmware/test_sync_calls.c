/* A citizen's calls to the platform — a status lookup, a query of their
 * data, an e-ID check — with every kind of answer: what the citizen is
 * shown, what the link becomes, what technicians read in the log, and which
 * requests are refused before anything is sent (tests/firmware/sync_fake.h
 * answers in the test's own process). */
#include "sync_fake.h"

static fake_reply reply;

static fake_reply respond(const char *path, const char *body, size_t length)
{
    (void)path;
    (void)body;
    (void)length;
    return reply;
}

static void answer(long status, const char *type, const char *body)
{
    reply = (fake_reply){.code = CURLE_OK, .status = status, .type = type, .body = body};
}

static void no_answer(void)
{
    reply = (fake_reply){.code = CURLE_COULDNT_CONNECT};
}

static const char *const JSON = "application/json";

static sync_lookup_result look(sync_client *client, const char *tracking)
{
    sync_lookup_result result;
    memset(&result, 0x5a, sizeof result);
    fake_lookup_run(client, tracking, &result);
    return result;
}

static void test_a_lookup_by_every_kind_of_answer(void **state)
{
    (void)state;
    sync_client *client = fake_client(fake_db("lookup-answers"), respond);
    answer(200, JSON,
           "{\"tracking_number\":\"GD20261129000090\",\"local_reference\":\"K0420-000042\","
           "\"status\":\"accepted\",\"updated_at\":\"2026-11-29T09:30:00Z\",\"note\":\"ok\"}");
    const char *asked[] = {"GD20261129000090", "20261129000090", "K0420-000042", "0420000042"};
    for (size_t i = 0; i < 4; i++) {
        sync_lookup_result found = look(client, asked[i]);
        assert_int_equal(found.outcome, SYNC_LOOKUP_FOUND);
        assert_string_equal(found.tracking, "GD20261129000090");
        assert_string_equal(found.status, "accepted");
        assert_string_equal(found.note, "ok");
        assert_int_equal(sync_progress_get(client).link, SYNC_LINK_ONLINE);
    }
    /* About another number: never shown. */
    assert_int_equal(look(client, "GD20261129000099").outcome, SYNC_LOOKUP_NO_ANSWER);
    assert_int_equal(look(client, "K0420-000043").outcome, SYNC_LOOKUP_NO_ANSWER);
    answer(200, JSON, "{\"tracking_number\":\"GD20261129000090\",\"status\":\"accepted\"}");
    assert_int_equal(look(client, "GD20261129000099").outcome, SYNC_LOOKUP_NO_ANSWER);
    /* A one-digit reference typed, a one-letter status: still answers. */
    answer(200, JSON,
           "{\"tracking_number\":\"GD20261129000090\",\"local_reference\":\"K-5\","
           "\"status\":\"x\"}");
    sync_lookup_result short_one = look(client, "5");
    assert_int_equal(short_one.outcome, SYNC_LOOKUP_FOUND);
    assert_string_equal(short_one.status, "x");
    /* Optional fields of the wrong kind, a number over 63 bytes. */
    answer(200, JSON,
           "{\"tracking_number\":\"GD20261129000090\",\"local_reference\":5,\"status\":\"done\"}");
    assert_int_equal(look(client, "GD20261129000090").outcome, SYNC_LOOKUP_NO_ANSWER);
    answer(200, JSON,
           "{\"tracking_number\":\"A1234567890123456789012345678901234567890123456789012345678901"
           "2X\",\"status\":\"done\"}");
    assert_int_equal(
        look(client, "A12345678901234567890123456789012345678901234567890123456789012").outcome,
        SYNC_LOOKUP_NO_ANSWER);
    answer(200, JSON, "{\"tracking_number\":\"GD20261129000090\"}");
    assert_int_equal(look(client, "GD20261129000090").outcome, SYNC_LOOKUP_NO_ANSWER);

    answer(404, JSON, "{\"error\":\"not-found\"}");
    sync_lookup_result missing = look(client, "GD20261129000090");
    assert_int_equal(missing.outcome, SYNC_LOOKUP_NOT_FOUND);
    assert_string_equal(missing.status, "");
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_ONLINE);
    /* A 404 page from something else is no answer. */
    answer(404, "text/html", "<html>not found</html>");
    assert_int_equal(look(client, "GD20261129000090").outcome, SYNC_LOOKUP_NO_ANSWER);
    answer(200, "text/html", "<html>portal</html>");
    assert_int_equal(look(client, "GD20261129000090").outcome, SYNC_LOOKUP_NO_ANSWER);
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_DEGRADED);

    answer(401, JSON, "{\"error\":\"unauthorised\"}");
    assert_int_equal(look(client, "GD20261129000090").outcome, SYNC_LOOKUP_NO_ANSWER);
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_REFUSED);
    answer(200, JSON, "{\"tracking_number\":\"GD20261129000090\",\"status\":\"accepted\"}");
    (void)look(client, "GD20261129000090");
    answer(403, JSON, "{\"error\":\"forbidden\"}");
    assert_int_equal(look(client, "GD20261129000090").outcome, SYNC_LOOKUP_NO_ANSWER);
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_REFUSED);

    /* Technicians read why there was no answer; a found one logs nothing. */
    answer(500, JSON, "{\"error\":\"internal\"}");
    fake_log_begin();
    sync_lookup_result failed = look(client, "GD20261129000090");
    const char *log = fake_log_end();
    assert_int_equal(failed.outcome, SYNC_LOOKUP_NO_ANSWER);
    assert_string_equal(failed.status, "");
    assert_string_equal(failed.note, "");
    assert_string_equal(failed.tracking, "GD20261129000090");
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_DEGRADED);
    assert_non_null(strstr(log, "status lookup: no answer (answer 500)"));
    no_answer();
    fake_log_begin();
    assert_int_equal(look(client, "GD20261129000090").outcome, SYNC_LOOKUP_NO_ANSWER);
    log = fake_log_end();
    assert_non_null(strstr(log, "status lookup: no answer (Couldn"));
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_OFFLINE);
    answer(200, JSON, "{\"tracking_number\":\"GD20261129000090\",\"status\":\"accepted\"}");
    fake_log_begin();
    assert_int_equal(look(client, "GD20261129000090").outcome, SYNC_LOOKUP_FOUND);
    log = fake_log_end();
    assert_null(strstr(log, "no answer"));
    assert_string_equal(fake.last_path, "/v1/submissions/GD20261129000090");
    sync_destroy(client);
}

static void test_a_lookup_is_asked_one_at_a_time_and_only_of_a_number(void **state)
{
    (void)state;
    sync_client *client = fake_client(fake_db("lookup-asked"), respond);
    assert_int_equal(sync_lookup(client, NULL), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_lookup(client, ""), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_lookup(client, "GD 1"), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_lookup(client, "../../v1/eid"), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(
        sync_lookup(client, "A123456789012345678901234567890123456789012345678901234567890123"),
        KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_lookup(client, "7"), KIOSK_OK);
    assert_string_equal(FAKE_ASKED(client, LOOKUP).lookup.tracking, "7");
    assert_int_equal(sync_lookup(client, "8"), KIOSK_ERR_BUSY);
    assert_string_equal(FAKE_ASKED(client, LOOKUP).lookup.tracking, "7");
    sync_destroy(client);
}

static sync_query_result *query(sync_client *client, sync_query_result *result)
{
    memset(result, 0x5a, sizeof *result);
    fake_query_run(client, "housing-fund-query", "11010519491231002X", "zh-CN", result);
    return result;
}

static void test_a_query_by_every_kind_of_answer(void **state)
{
    (void)state;
    sync_client *client = fake_client(fake_db("query-answers"), respond);
    sync_query_result *result = calloc(1, sizeof *result);
    answer(200, JSON,
           "{\"service\":\"housing-fund-query\",\"as_of\":\"2026-11-22\",\"lines\":["
           "{\"label\":\"账户余额\",\"value\":\"12345.67 元\"},{\"label\":\"状态\",\"value\":"
           "\"正常\"}]}");
    query(client, result);
    assert_int_equal(result->outcome, SYNC_QUERY_FOUND);
    assert_int_equal(result->line_count, 2);
    assert_string_equal(result->labels[0], "账户余额");
    assert_string_equal(result->values[0], "12345.67 元");
    assert_string_equal(result->service, "housing-fund-query");
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_ONLINE);
    assert_string_equal(fake.last_path, "/v1/queries");
    assert_non_null(
        memmem(fake.last_body, fake.last_body_length, "\"id_number\":\"11010519491231002X\"", 32));

    const char *not_answers[] = {
        "{\"service\":\"housing-fund-query\",\"lines\":[]}",
        "{\"service\":\"housing-fund-query\",\"as_of\":\"2026\",\"lines\":{}}",
        "{\"service\":\"housing-fund-query\",\"as_of\":\"2026\",\"lines\":[{\"label\":\"a\"}]}",
        "{\"service\":\"housing-fund-query\",\"as_of\":\"2026\",\"lines\":[{\"value\":\"a\"}]}",
        "{\"service\":\"housing-fund-query\",\"as_of\":\"2026\",\"lines\":[{\"label\":5,"
        "\"value\":\"a\"}]}",
        "{\"service\":\"housing-fund-query\",\"as_of\":\"2026\",\"lines\":[{\"label\":\"a\","
        "\"value\":\"12345678901234567890123456789012345678901234567890123456789012345678901234"
        "567890123456789012345678901234567890123456789012345678901234567890123456789012345678901"
        "\"}]}",
        "{\"as_of\":\"2026\",\"lines\":[]}",
        "[]",
        "{\"service\":\"housing-fund-query\",\"as_of\":\"2026\",\"lines\":[1,2,3,4,5,6,7,8,9,10,"
        "11,12,13]}",
    };
    for (size_t i = 0; i < sizeof not_answers / sizeof not_answers[0]; i++) {
        answer(200, JSON, not_answers[i]);
        query(client, result);
        assert_int_equal(result->outcome, SYNC_QUERY_NO_ANSWER);
        assert_int_equal(result->line_count, 0);
        assert_string_equal(result->labels[0], "");
        assert_string_equal(result->as_of, "");
        assert_string_equal(result->service, "housing-fund-query");
    }
    answer(200, "text/html", "<html></html>");
    assert_int_equal(query(client, result)->outcome, SYNC_QUERY_NO_ANSWER);

    answer(404, JSON, "{\"error\":\"not-found\"}");
    query(client, result);
    assert_int_equal(result->outcome, SYNC_QUERY_NOT_FOUND);
    assert_int_equal(result->line_count, 0);
    assert_string_equal(result->labels[0], "");
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_ONLINE);
    answer(404, "text/html", "<html></html>");
    assert_int_equal(query(client, result)->outcome, SYNC_QUERY_NO_ANSWER);
    answer(405, JSON, "{\"error\":\"bad-request\"}");
    assert_int_equal(query(client, result)->outcome, SYNC_QUERY_NO_ANSWER);

    answer(401, JSON, "{\"error\":\"unauthorised\"}");
    assert_int_equal(query(client, result)->outcome, SYNC_QUERY_NO_ANSWER);
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_REFUSED);
    answer(404, JSON, "{\"error\":\"not-found\"}");
    (void)query(client, result);
    answer(403, JSON, "{\"error\":\"forbidden\"}");
    assert_int_equal(query(client, result)->outcome, SYNC_QUERY_NO_ANSWER);
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_REFUSED);

    answer(503, JSON, "{\"error\":\"unavailable\"}");
    fake_log_begin();
    query(client, result);
    const char *log = fake_log_end();
    assert_int_equal(result->outcome, SYNC_QUERY_NO_ANSWER);
    assert_non_null(strstr(log, "housing-fund-query query: no answer (answer 503)"));
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_DEGRADED);
    assert_null(strstr(log, "11010519491231002X"));
    no_answer();
    fake_log_begin();
    query(client, result);
    log = fake_log_end();
    assert_non_null(strstr(log, "query: no answer (Couldn"));
    answer(404, JSON, "{\"error\":\"not-found\"}");
    fake_log_begin();
    query(client, result);
    log = fake_log_end();
    assert_null(strstr(log, "no answer"));
    free(result);
    sync_destroy(client);
}

static void test_a_query_is_asked_one_at_a_time_and_within_its_sizes(void **state)
{
    (void)state;
    sync_client *client = fake_client(fake_db("query-asked"), respond);
    const char *service48 = "s23456789012345678901234567890123456789012345678";
    const char *service47 = "s2345678901234567890123456789012345678901234567";
    assert_int_equal(sync_query(client, NULL, "1", "zh-CN"), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_query(client, "", "1", "zh-CN"), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_query(client, service48, "1", "zh-CN"), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_query(client, "q", NULL, "zh-CN"), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_query(client, "q", "110105194912310021234", NULL),
                     KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_query(client, "q", "123456789012345678901234", "zh-CN"),
                     KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_query(client, "q", "1", "zh-Hant-TW"), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_query(client, "q", "1", "zh-Han-T"), KIOSK_ERR_INVALID_ARGUMENT);
    assert_string_equal(FAKE_ASKED(client, QUERY).query.service, "");
    sync_destroy(client);
    client = fake_client(fake_db("query-asked-2"), respond);
    assert_int_equal(sync_query(client, service47, "12345678901234567890123", "zh-Hant"), KIOSK_OK);
    assert_string_equal(FAKE_ASKED(client, QUERY).query.service, service47);
    assert_string_equal(FAKE_ASKED(client, QUERY).query.id_number, "12345678901234567890123");
    assert_string_equal(FAKE_ASKED(client, QUERY).query.language, "zh-Hant");
    assert_int_equal(sync_query(client, "r", "1", "en"), KIOSK_ERR_BUSY);
    sync_destroy(client);
    client = fake_client(fake_db("query-asked-3"), respond);
    assert_int_equal(sync_query(client, "q", "1", "en"), KIOSK_OK);
    assert_int_equal(sync_query(client, "r", "1", "en"), KIOSK_ERR_BUSY);
    assert_string_equal(FAKE_ASKED(client, QUERY).query.service, "q");
    sync_destroy(client);
}

static sync_eid_result check(sync_client *client)
{
    sync_eid_result result;
    memset(&result, 0x5a, sizeof result);
    fake_eid_run(client, "CTID:DEMO-0001", &result);
    return result;
}

static void test_an_e_id_by_every_kind_of_answer(void **state)
{
    (void)state;
    sync_client *client = fake_client(fake_db("eid-answers"), respond);
    answer(200, JSON, "{\"name\":\"王小明\",\"id_number\":\"11010519491231002X\"}");
    sync_eid_result found = check(client);
    assert_int_equal(found.outcome, SYNC_EID_FOUND);
    assert_string_equal(found.name, "王小明");
    assert_string_equal(found.id_number, "11010519491231002X");
    assert_false(found.expired);
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_ONLINE);
    assert_string_equal(fake.last_path, "/v1/eid");
    assert_non_null(
        memmem(fake.last_body, fake.last_body_length, "{\"code\":\"CTID:DEMO-0001\"}", 25));

    const char *not_answers[] = {
        "{\"name\":\"王小明\",\"id_number\":\"110105194912310021\"}", /* check digit */
        "{\"name\":\"\",\"id_number\":\"11010519491231002X\"}",
        "{\"id_number\":\"11010519491231002X\"}",
        "{\"name\":\"王小明\"}",
        "{\"name\":\"王小明\",\"id_number\":11010519491231002}",
        "[\"王小明\"]",
    };
    for (size_t i = 0; i < sizeof not_answers / sizeof not_answers[0]; i++) {
        answer(200, JSON, not_answers[i]);
        sync_eid_result refused = check(client);
        assert_int_equal(refused.outcome, SYNC_EID_NO_ANSWER);
        assert_string_equal(refused.name, "");
        assert_string_equal(refused.id_number, "");
    }
    answer(201, JSON, "{\"name\":\"王小明\",\"id_number\":\"11010519491231002X\"}");
    assert_int_equal(check(client).outcome, SYNC_EID_NO_ANSWER);
    answer(200, "text/plain", "{\"name\":\"王小明\",\"id_number\":\"11010519491231002X\"}");
    assert_int_equal(check(client).outcome, SYNC_EID_NO_ANSWER);

    answer(410, JSON, "{\"error\":\"not-found\",\"message\":\"expired\"}");
    sync_eid_result expired = check(client);
    assert_int_equal(expired.outcome, SYNC_EID_REFUSED);
    assert_true(expired.expired);
    assert_string_equal(expired.name, "");
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_ONLINE);
    answer(404, JSON, "{\"error\":\"not-found\"}");
    sync_eid_result unknown = check(client);
    assert_int_equal(unknown.outcome, SYNC_EID_REFUSED);
    assert_false(unknown.expired);
    assert_string_equal(unknown.id_number, "");
    answer(404, "text/html", "<html></html>");
    assert_int_equal(check(client).outcome, SYNC_EID_NO_ANSWER);
    answer(410, "text/html", "<html></html>");
    assert_int_equal(check(client).outcome, SYNC_EID_NO_ANSWER);
    answer(405, JSON, "{\"error\":\"bad-request\"}");
    assert_int_equal(check(client).outcome, SYNC_EID_NO_ANSWER);
    answer(411, JSON, "{\"error\":\"bad-request\"}");
    assert_int_equal(check(client).outcome, SYNC_EID_NO_ANSWER);

    answer(401, JSON, "{\"error\":\"unauthorised\"}");
    assert_int_equal(check(client).outcome, SYNC_EID_NO_ANSWER);
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_REFUSED);
    answer(404, JSON, "{\"error\":\"not-found\"}");
    (void)check(client);
    answer(403, JSON, "{\"error\":\"forbidden\"}");
    assert_int_equal(check(client).outcome, SYNC_EID_NO_ANSWER);
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_REFUSED);

    answer(502, JSON, "{\"error\":\"internal\"}");
    fake_log_begin();
    (void)check(client);
    const char *log = fake_log_end();
    assert_non_null(strstr(log, "e-ID: no answer (answer 502)"));
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_DEGRADED);
    assert_null(strstr(log, "CTID"));
    no_answer();
    fake_log_begin();
    (void)check(client);
    log = fake_log_end();
    assert_non_null(strstr(log, "e-ID: no answer (Couldn"));
    answer(404, JSON, "{\"error\":\"not-found\"}");
    fake_log_begin();
    (void)check(client);
    log = fake_log_end();
    assert_null(strstr(log, "no answer"));
    sync_destroy(client);
}

static void test_an_e_id_code_is_asked_one_at_a_time_and_must_be_text(void **state)
{
    (void)state;
    sync_client *client = fake_client(fake_db("eid-asked"), respond);
    char long_code[513];
    memset(long_code, 'C', 512);
    long_code[512] = '\0';
    assert_int_equal(sync_eid(client, NULL), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_eid(client, ""), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_eid(client, long_code), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_eid(client, "\x01"
                                      "CTID:1"),
                     KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_eid(client, "CTID:\x1f"), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_eid(client, "CTID:\x7f"), KIOSK_ERR_INVALID_ARGUMENT);
    long_code[511] = '\0';
    assert_int_equal(sync_eid(client, long_code), KIOSK_OK);
    assert_int_equal(sync_eid(client, "x"), KIOSK_ERR_BUSY);
    sync_destroy(client);
    client = fake_client(fake_db("eid-asked-2"), respond);
    assert_int_equal(sync_eid(client, "x"), KIOSK_OK);
    assert_string_equal(FAKE_ASKED(client, EID).eid.code, "x");
    assert_int_equal(sync_eid(client, "y"), KIOSK_ERR_BUSY);
    assert_string_equal(FAKE_ASKED(client, EID).eid.code, "x");
    sync_destroy(client);
}

/* An answer is read into a buffer that grows with it up to its cap (16 KiB
 * for a lookup) and no further; past the cap it is abandoned. */
static void test_an_answer_is_kept_within_its_cap(void **state)
{
    (void)state;
    sync_client *client = fake_client(fake_db("answer-cap"), respond);
    static char big[16 * 1024 + 2];
    memset(big, ' ', sizeof big - 1);
    big[0] = '{';
    big[16 * 1024 - 1] = '}';
    big[16 * 1024] = '\0';
    answer(200, JSON, big);
    reply.chunk = 1000;
    assert_int_equal(look(client, "GD20261129000090").outcome, SYNC_LOOKUP_NO_ANSWER);
    size_t largest = 0;
    for (size_t i = 0; i < fake.buffer_count; i++)
        if (fake.buffer_sizes[i] > largest)
            largest = fake.buffer_sizes[i];
    assert_int_equal(largest, 16 * 1024 + 1);
    assert_int_equal(sync_progress_get(client).link, SYNC_LINK_DEGRADED);
    /* One byte more: abandoned as it arrives. */
    big[16 * 1024] = ' ';
    answer(200, JSON, big);
    assert_int_equal(look(client, "GD20261129000090").outcome, SYNC_LOOKUP_NO_ANSWER);
    sync_progress progress = sync_progress_get(client);
    assert_int_equal(progress.link, SYNC_LINK_OFFLINE);
    assert_non_null(strstr(progress.last_error, "over the size cap"));
    sync_destroy(client);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_lookup_by_every_kind_of_answer),
        cmocka_unit_test(test_a_lookup_is_asked_one_at_a_time_and_only_of_a_number),
        cmocka_unit_test(test_a_query_by_every_kind_of_answer),
        cmocka_unit_test(test_a_query_is_asked_one_at_a_time_and_within_its_sizes),
        cmocka_unit_test(test_an_e_id_by_every_kind_of_answer),
        cmocka_unit_test(test_an_e_id_code_is_asked_one_at_a_time_and_must_be_text),
        cmocka_unit_test(test_an_answer_is_kept_within_its_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
