/* The platform stand-in as a hostile platform (docs/platform-sim.md, "The
 * hostile platform"), from outside, over mutual TLS: each untyped answer is
 * what it says and stores nothing; each spoiled answer runs the call (the
 * record is stored, and its retry finds the true first answer) and is
 * rewritten as it says; a plan may name several paths. The built binary,
 * as tests/tools/test_platform_sim.c drives it (that file is at its size
 * limit). */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static platform sim;

static const char heartbeat[] = "{\"devices\":{},\"outbox_depth\":0,\"firmware\":\"1.2.0\"}";

static const char *submission(const char *service)
{
    static char body[256];
    snprintf(body, sizeof body,
             "{\"kind\":\"submission\",\"service\":\"%s\",\"created_at\":"
             "\"2026-11-22T09:30:00Z\",\"payload\":{\"answer\":42}}",
             service);
    return body;
}

/* A batch of one submission under key, its body as a JSON string. */
static const char *batch_of(const char *key, const char *service)
{
    static char envelope[512];
    cJSON *body = cJSON_CreateString(submission(service));
    char *quoted = cJSON_PrintUnformatted(body);
    snprintf(envelope, sizeof envelope,
             "{\"items\":[{\"path\":\"/v1/submissions\",\"idempotency_key\":\"%s\",\"body\":%s}]}",
             key, quoted);
    free(quoted);
    cJSON_Delete(body);
    return envelope;
}

static platform_reply reply;

static const platform_reply *ask(const char *method, const char *path, const char *key,
                                 const char *body)
{
    free(reply.body);
    platform_request(&sim, method, path, key, body, &reply);
    if (reply.curl_code != CURLE_OK)
        fail_msg("%s %s: curl %d", method, path, reply.curl_code);
    return &reply;
}

static cJSON *json_of(const platform_reply *r)
{
    cJSON *json = cJSON_ParseWithLength(r->body, r->length);
    if (!json)
        fail_msg("not JSON: %s", r->body);
    return json;
}

static const char *string_at(const cJSON *json, const char *name)
{
    const cJSON *field = cJSON_GetObjectItemCaseSensitive(json, name);
    if (!cJSON_IsString(field))
        fail_msg("no string \"%s\"", name);
    return field->valuestring;
}

/* The tracking number a 201 or a batch's first result carries. */
static void tracking_of(const platform_reply *r, char *out, size_t size)
{
    cJSON *json = json_of(r);
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(json, "results"), 0);
    const cJSON *body = first ? cJSON_GetObjectItemCaseSensitive(first, "body") : json;
    snprintf(out, size, "%s", string_at(body, "tracking_number"));
    cJSON_Delete(json);
}

static int setup(void **unused)
{
    (void)unused;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    start_platform(&sim, NULL);
    return 0;
}

static int teardown(void **unused)
{
    (void)unused;
    free(reply.body);
    stop_platform(&sim);
    platform_stop_leftovers();
    curl_global_cleanup();
    return 0;
}

/* Untyped answers: the status, a body that is not the protocol's typed
 * error, and nothing stored — the key is still free afterwards. */
static void test_untyped_answers_store_nothing(void **unused)
{
    (void)unused;
    static const struct {
        const char *fault;
        long status;
        const char *type, *says;
    } cases[] = {
        {"409-html", 409, "text/html", "访问被拦截"},
        {"400-html", 400, "text/html", "400 Bad Request"},
        {"400-text", 400, "text/plain", "Bad Request"},
        {"413-html", 413, "text/html", "413 Request Entity Too Large"},
        {"413-text", 413, "text/plain", "Request Entity Too Large"},
        {"400-untyped-json", 400, "application/json", "\"error\":\"Bad Request\""},
        {"409-untyped-json", 409, "application/json", "\"error\":\"Conflict\""},
        {"413-untyped-json", 413, "application/json", "\"msg\":\"请求体过大\""},
    };
    long stored = stat_of(&sim, "stored");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        set_fault_on(&sim, cases[i].fault, "/v1/submissions", 1);
        const platform_reply *r =
            ask("POST", "/v1/submissions", "K0420:untyped:1", submission("x"));
        if (r->status != cases[i].status ||
            strncmp(r->content_type, cases[i].type, strlen(cases[i].type)) != 0 ||
            !strstr(r->body, cases[i].says))
            fail_msg("%s: %ld %s %s", cases[i].fault, r->status, r->content_type, r->body);
        /* Whatever it is, it is none of the protocol's error codes. */
        assert_null(strstr(r->body, "\"error\":\"bad-request\""));
        assert_null(strstr(r->body, "\"error\":\"idempotency-conflict\""));
        assert_null(strstr(r->body, "\"error\":\"too-large\""));
    }
    assert_int_equal(stat_of(&sim, "stored"), stored);
    const platform_reply *r = ask("POST", "/v1/submissions", "K0420:untyped:1", submission("x"));
    assert_int_equal(r->status, 201);
    assert_null(strstr(r->body, "\"replay\""));
    assert_int_equal(stat_of(&sim, "stored"), stored + 1);

    /* A batch is taken whole, as by any replacing fault. */
    set_fault_on(&sim, "409-html", "/v1/batch", 1);
    r = ask("POST", "/v1/batch", NULL, batch_of("K0420:untyped:2", "y"));
    assert_int_equal(r->status, 409);
    assert_int_equal(stat_of(&sim, "stored"), stored + 1);
}

/* Bytes after the JSON: the call ran, the JSON before them is the first
 * answer, and the retry gets it whole. */
static void test_trailing_garbage_after_a_stored_answer(void **unused)
{
    (void)unused;
    long stored = stat_of(&sim, "stored");
    set_fault_on(&sim, "trailing-garbage", "/v1/submissions", 1);
    const platform_reply *r = ask("POST", "/v1/submissions", "K0420:garbage:1", submission("x"));
    assert_int_equal(r->status, 201);
    assert_true(r->length > 3 && strcmp(r->body + r->length - 3, "xyz") == 0);
    assert_null(cJSON_ParseWithLengthOpts(r->body, r->length, NULL, true));
    const char *end = NULL;
    cJSON *json = cJSON_ParseWithOpts(r->body, &end, false);
    assert_non_null(json);
    assert_string_equal(end, "xyz");
    char first[64];
    snprintf(first, sizeof first, "%s", string_at(json, "tracking_number"));
    cJSON_Delete(json);
    assert_int_equal(stat_of(&sim, "stored"), stored + 1);

    r = ask("POST", "/v1/submissions", "K0420:garbage:1", submission("x"));
    char again[64];
    tracking_of(r, again, sizeof again);
    assert_string_equal(again, first);
}

/* Absurd clocks: only the heartbeat's server_time changes. */
static void test_absurd_clocks_in_the_heartbeat(void **unused)
{
    (void)unused;
    static const char *const clocks[][2] = {
        {"clock-2199", "2199-12-31T23:59:59Z"},
        {"clock-1970", "1970-01-01T00:00:00Z"},
        {"clock-negative", "-0001-12-31T23:59:59Z"},
    };
    char catalog[64];
    snprintf(catalog, sizeof catalog, "%zu", ask("GET", "/v1/catalog", NULL, NULL)->length);
    for (size_t i = 0; i < 3; i++) {
        set_fault_on(&sim, clocks[i][0], "/v1/", 2);
        cJSON *json = json_of(ask("POST", "/v1/heartbeat", NULL, heartbeat));
        assert_string_equal(string_at(json, "server_time"), clocks[i][1]);
        assert_string_equal(string_at(json, "catalog_version"), "sample-2026.12");
        cJSON_Delete(json);
        /* The second request of the plan, a catalog, has no clock. */
        char length[64];
        snprintf(length, sizeof length, "%zu", ask("GET", "/v1/catalog", NULL, NULL)->length);
        assert_string_equal(length, catalog);
    }
}

/* Tracking numbers that are not: the call ran and stored the real number,
 * which the retry gets; batch results are spoiled alike. */
static void test_tracking_numbers_that_are_not(void **unused)
{
    (void)unused;
    static const char *const faults[][2] = {
        {"tracking-sentence", "您的申请已被驳回，请到窗口办理"},
        {"tracking-url", "https://gov-cn.example/verify?id=GD20261122000042"},
        {"tracking-hidden", "GD2026\xe2\x80\x8b"
                            "1122\xe2\x80\xae"
                            "000042"},
    };
    for (size_t i = 0; i < 3; i++) {
        char key[64], number[128];
        snprintf(key, sizeof key, "K0420:tracking:%zu", i);
        long stored = stat_of(&sim, "stored");
        set_fault_on(&sim, faults[i][0], "/v1/submissions,/v1/batch", 2);
        const platform_reply *r = ask("POST", "/v1/submissions", key, submission("x"));
        assert_int_equal(r->status, 201);
        tracking_of(r, number, sizeof number);
        assert_string_equal(number, faults[i][1]);
        assert_int_equal(stat_of(&sim, "stored"), stored + 1);
        r = ask("POST", "/v1/batch", NULL, batch_of(key, "x"));
        assert_int_equal(r->status, 200);
        tracking_of(r, number, sizeof number);
        assert_string_equal(number, faults[i][1]);
        r = ask("POST", "/v1/submissions", key, submission("x"));
        tracking_of(r, number, sizeof number);
        assert_true(strncmp(number, "GD", 2) == 0 && strlen(number) == 16);
    }
}

/* Hidden characters in every shown string: a look-up's status and note, a
 * question's lines, an e-ID's name; the numbers and times are left alone. */
static void test_hidden_characters_in_shown_strings(void **unused)
{
    (void)unused;
    static const char *const faults[][2] = {
        {"text-controls", "\x1b[31m"},
        {"text-bidi", "\xe2\x80\xae"},
        {"text-zero-width", "\xe2\x80\x8b"},
        {"text-invalid-utf8", "\xc0\xaf"},
    };
    const platform_reply *r = ask("POST", "/v1/submissions", "K0420:text:1", submission("x"));
    char number[64], path[128];
    tracking_of(r, number, sizeof number);
    snprintf(path, sizeof path, "/v1/submissions/%s", number);
    for (size_t i = 0; i < 4; i++) {
        set_fault_on(&sim, faults[i][0], "/v1/submissions/,/v1/queries,/v1/eid", 3);
        cJSON *json = json_of(ask("GET", path, NULL, NULL));
        assert_string_equal(string_at(json, "tracking_number"), number);
        assert_int_equal(strlen(string_at(json, "updated_at")), 20);
        const char *status = string_at(json, "status");
        if (!strstr(status, faults[i][1]) || !strstr(string_at(json, "note"), faults[i][1]))
            fail_msg("%s: status \"%s\", note \"%s\"", faults[i][0], status,
                     string_at(json, "note"));
        /* What it was, with the characters added around and inside it. */
        assert_non_null(strstr(status, "acce"));
        assert_non_null(strstr(status, "pted"));
        cJSON_Delete(json);

        json = json_of(ask("POST", "/v1/queries", NULL,
                           "{\"service\":\"housing-fund-query\",\"id_number\":"
                           "\"440304199001011233\",\"language\":\"zh-CN\"}"));
        const cJSON *line = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(json, "lines"), 0);
        assert_non_null(strstr(string_at(line, "label"), faults[i][1]));
        assert_non_null(strstr(string_at(line, "value"), faults[i][1]));
        assert_string_equal(string_at(json, "service"), "housing-fund-query");
        cJSON_Delete(json);

        json = json_of(ask("POST", "/v1/eid", NULL, "{\"code\":\"CTID:DEMO-0001\"}"));
        assert_non_null(strstr(string_at(json, "name"), faults[i][1]));
        assert_string_equal(string_at(json, "id_number"), "11010519491231002X");
        cJSON_Delete(json);
    }
    /* Controls travel as JSON escapes; the rest as their bytes. */
    set_fault_on(&sim, "text-controls", "/v1/submissions/", 1);
    assert_non_null(strstr(ask("GET", path, NULL, NULL)->body, "\\u001b[31m"));
}

/* Batch statuses that are not whole numbers in range: each item is stored
 * all the same, and the retry finds its first answer. */
static void test_batch_statuses_out_of_shape(void **unused)
{
    (void)unused;
    static const char *const faults[][2] = {
        {"batch-status-float", "\"status\":201.9,"},
        {"batch-status-huge", "\"status\":1e+300,"},
        {"batch-status-wrapped", "\"status\":4294967497,"},
    };
    for (size_t i = 0; i < 3; i++) {
        char key[64];
        snprintf(key, sizeof key, "K0420:statuses:%zu", i);
        long stored = stat_of(&sim, "stored");
        set_fault_on(&sim, faults[i][0], "/v1/", 2);
        /* A single call has no results: it goes out as it is. */
        assert_int_equal(ask("POST", "/v1/heartbeat", NULL, heartbeat)->status, 200);
        const platform_reply *r = ask("POST", "/v1/batch", NULL, batch_of(key, "x"));
        assert_int_equal(r->status, 200);
        if (!strstr(r->body, faults[i][1]))
            fail_msg("%s: %s", faults[i][0], r->body);
        assert_int_equal(stat_of(&sim, "stored"), stored + 1);
        r = ask("POST", "/v1/batch", NULL, batch_of(key, "x"));
        assert_non_null(strstr(r->body, "\"status\":201,"));
        assert_non_null(strstr(r->body, "\"replay\":true"));
    }
}

/* A plan on several paths: records fail, the heartbeat passes, and the
 * statistics count requests (a rate), not only records. */
static void test_a_plan_on_record_paths_spares_the_heartbeat(void **unused)
{
    (void)unused;
    long submissions = requests_of(&sim, "submission"), batches = requests_of(&sim, "batch"),
         beats = requests_of(&sim, "heartbeat");
    set_fault_on(&sim, "500", RECORD_PATHS, -1);
    assert_int_equal(ask("POST", "/v1/submissions", "K0420:paths:1", submission("x"))->status, 500);
    assert_int_equal(ask("POST", "/v1/ratings", "K0420:paths:2",
                         "{\"service\":\"x\",\"level\":5,\"comment\":\"\"}")
                         ->status,
                     500);
    assert_int_equal(ask("POST", "/v1/batch", NULL, batch_of("K0420:paths:3", "x"))->status, 500);
    assert_int_equal(ask("POST", "/v1/heartbeat", NULL, heartbeat)->status, 200);
    assert_int_equal(ask("GET", "/v1/catalog", NULL, NULL)->status, 200);
    set_fault(&sim, "none");
    assert_int_equal(requests_of(&sim, "submission"), submissions + 1);
    assert_int_equal(requests_of(&sim, "batch"), batches + 1);
    assert_int_equal(requests_of(&sim, "heartbeat"), beats + 1);

    /* Each prefix must be a protocol path: an empty one would match all. */
    const char *bad[] = {"{\"fault\":\"500\",\"path\":\"/v1/a,/b\"}",
                         "{\"fault\":\"500\",\"path\":\"/v1/a,\"}",
                         "{\"fault\":\"500\",\"path\":\",/v1/a\"}"};
    for (size_t i = 0; i < 3; i++) {
        cJSON *answer = platform_control(&sim, "/_sim/fault", bad[i]);
        assert_string_equal(string_at(answer, "error"), "bad-request");
        cJSON_Delete(answer);
    }
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_untyped_answers_store_nothing),
        cmocka_unit_test(test_trailing_garbage_after_a_stored_answer),
        cmocka_unit_test(test_absurd_clocks_in_the_heartbeat),
        cmocka_unit_test(test_tracking_numbers_that_are_not),
        cmocka_unit_test(test_hidden_characters_in_shown_strings),
        cmocka_unit_test(test_batch_statuses_out_of_shape),
        cmocka_unit_test(test_a_plan_on_record_paths_spares_the_heartbeat),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
