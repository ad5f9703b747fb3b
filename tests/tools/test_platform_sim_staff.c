/* The stand-in's staff calls from outside, over mutual TLS: audit rows and
 * heads are checked before they are kept, and the stand-in says whether a
 * terminal's rows explain its head; help calls are listed across the hall
 * and acknowledged once; a key can be refused on request; staff
 * credentials are published only when given. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"
#define ONES  "1111111111111111111111111111111111111111111111111111111111111111"
#define TWOS  "2222222222222222222222222222222222222222222222222222222222222222"

static long post(const platform *p, const char *path, const char *key, const char *body)
{
    platform_reply reply;
    platform_request(p, "POST", path, key, body, &reply);
    free(reply.body);
    return reply.status;
}

static char *row(long long sequence, const char *prev, const char *hash)
{
    static char body[512];
    snprintf(body, sizeof body,
             "{\"sequence\":%lld,\"at\":1795339800,\"actor\":\"staff:S001\",\"action\":\"a\","
             "\"subject\":\"\",\"detail\":\"\",\"algorithm\":\"sha256\",\"prev_hash\":\"%s\","
             "\"hash\":\"%s\"}",
             sequence, prev, hash);
    return body;
}

static cJSON *audit_of(const platform *p)
{
    return platform_control(p, "/_sim/audit", "{\"terminal\":\"K0420\"}");
}

static void test_audit_rows_and_heads(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    /* Rows that are not rows. */
    const char *bad[] = {
        "{}",
        "{\"sequence\":0,\"at\":1,\"actor\":\"a\",\"action\":\"a\",\"subject\":\"\",\"detail\":"
        "\"\",\"algorithm\":\"sha256\",\"prev_hash\":\"" ZEROS "\",\"hash\":\"" ONES "\"}",
        "{\"sequence\":1.5,\"at\":1,\"actor\":\"a\",\"action\":\"a\",\"subject\":\"\",\"detail\":"
        "\"\",\"algorithm\":\"sha256\",\"prev_hash\":\"" ZEROS "\",\"hash\":\"" ONES "\"}",
        "{\"sequence\":1,\"at\":1,\"actor\":\"a\",\"action\":\"a\",\"subject\":\"\",\"detail\":"
        "\"\",\"algorithm\":\"md5\",\"prev_hash\":\"" ZEROS "\",\"hash\":\"" ONES "\"}",
        "{\"sequence\":1,\"at\":1,\"actor\":\"a\",\"action\":\"a\",\"subject\":\"\",\"detail\":"
        "\"\",\"algorithm\":\"sha256\",\"prev_hash\":\"" ZEROS "\",\"hash\":\"ABC\"}",
        "{\"sequence\":1,\"at\":1,\"actor\":\"\",\"action\":\"a\",\"subject\":\"\",\"detail\":"
        "\"\",\"algorithm\":\"sha256\",\"prev_hash\":\"" ZEROS "\",\"hash\":\"" ONES "\"}",
        "{\"sequence\":1,\"at\":1,\"actor\":\"a\",\"action\":\"a\",\"detail\":"
        "\"\",\"algorithm\":\"sha256\",\"prev_hash\":\"" ZEROS "\",\"hash\":\"" ONES "\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(post(&p, "/v1/audit", "audit:bad", bad[i]), 400);
    assert_int_equal(kind_stat_of(&p, "audit", "stored"), 0);

    cJSON *check = audit_of(&p);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(check, "head")));
    assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(check, "matches")));
    cJSON_Delete(check);

    assert_int_equal(post(&p, "/v1/audit", "audit:1:1111", row(1, ZEROS, ONES)), 201);
    assert_int_equal(post(&p, "/v1/audit", "audit:1:1111", row(1, ZEROS, ONES)), 201);
    /* A heartbeat whose head is not one is refused; a good one noted. */
    assert_int_equal(post(&p, "/v1/heartbeat", NULL,
                          "{\"devices\":{},\"outbox_depth\":0,\"firmware\":\"t\","
                          "\"audit_head\":{\"sequence\":1,\"hash\":\"nothex\","
                          "\"algorithm\":\"sha256\"}}"),
                     400);
    assert_int_equal(post(&p, "/v1/heartbeat", NULL,
                          "{\"devices\":{},\"outbox_depth\":0,\"firmware\":\"t\","
                          "\"audit_head\":{\"sequence\":2,\"hash\":\"" TWOS
                          "\",\"algorithm\":\"sha256\"}}"),
                     200);
    check = audit_of(&p);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(check, "rows")->valueint, 1);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(check, "matches")));
    cJSON_Delete(check);
    /* Row 2 arrives (in a batch): the rows now explain the head. */
    char batch[1200];
    cJSON *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "path", "/v1/audit");
    cJSON_AddStringToObject(item, "idempotency_key", "audit:2:2222");
    cJSON_AddStringToObject(item, "body", row(2, ONES, TWOS));
    char *text = cJSON_PrintUnformatted(item);
    snprintf(batch, sizeof batch, "{\"items\":[%s]}", text);
    free(text);
    cJSON_Delete(item);
    assert_int_equal(post(&p, "/v1/batch", NULL, batch), 200);
    check = audit_of(&p);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(check, "rows")->valueint, 2);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(check, "linked")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(check, "matches")));
    cJSON_Delete(check);
    /* A row that does not link (a gap, or another chain): not linked. */
    assert_int_equal(post(&p, "/v1/audit", "audit:4:1111", row(4, TWOS, ONES)), 201);
    check = audit_of(&p);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(check, "linked")));
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(check, "first_gap")->valueint, 3);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(check, "matches")));
    cJSON_Delete(check);
    /* Audit rows are not counted among records. */
    assert_int_equal(stat_of(&p, "stored"), 0);
    assert_int_equal(kind_stat_of(&p, "audit", "stored"), 3);
    stop_platform(&p);
}

static void test_help_calls_and_refused_keys(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    assert_int_equal(post(&p, "/v1/staff-calls", "K0420:s:1", "{\"reason\":\"citizen-asked\"}"),
                     400);
    assert_int_equal(post(&p, "/v1/staff-calls", "K0420:s:1",
                          "{\"reason\":\"citizen-asked\",\"screen\":\"form\"}"),
                     201);
    platform_reply reply;
    platform_request(&p, "GET", "/v1/calls", NULL, NULL, &reply);
    assert_int_equal(reply.status, 200);
    cJSON *calls = cJSON_Parse(reply.body);
    free(reply.body);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(calls, "calls");
    assert_int_equal(cJSON_GetArraySize(list), 1);
    const cJSON *first = cJSON_GetArrayItem(list, 0);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(first, "id")->valuestring,
                        "K0420:K0420:s:1");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(first, "screen")->valuestring, "form");
    cJSON_Delete(calls);

    assert_int_equal(post(&p, "/v1/call-acks", "call-ack:x", "{}"), 400);
    /* Refused on request: 422, nothing stored, until lifted. */
    cJSON_Delete(
        platform_control(&p, "/_sim/refuse-key", "{\"key\":\"call-ack:K0420:K0420:s:1\"}"));
    assert_int_equal(
        post(&p, "/v1/call-acks", "call-ack:K0420:K0420:s:1", "{\"call\":\"K0420:K0420:s:1\"}"),
        422);
    cJSON_Delete(platform_control(&p, "/_sim/refuse-key", "{\"key\":\"\"}"));
    cJSON *bad = platform_control(&p, "/_sim/refuse-key", "{\"key\":7}");
    assert_non_null(cJSON_GetObjectItemCaseSensitive(bad, "error"));
    cJSON_Delete(bad);
    assert_int_equal(
        post(&p, "/v1/call-acks", "call-ack:K0420:K0420:s:1", "{\"call\":\"K0420:K0420:s:1\"}"),
        201);
    /* Another acknowledgement of the same call changes nothing. */
    assert_int_equal(post(&p, "/v1/call-acks", "call-ack:2", "{\"call\":\"K0420:K0420:s:1\"}"),
                     201);
    platform_request(&p, "GET", "/v1/calls", NULL, NULL, &reply);
    assert_non_null(strstr(reply.body, "{\"calls\":[]}"));
    free(reply.body);
    platform_request(&p, "POST", "/v1/heartbeat", NULL,
                     "{\"devices\":{},\"outbox_depth\":0,\"firmware\":\"t\"}", &reply);
    assert_int_equal(reply.status, 200);
    assert_non_null(strstr(reply.body, "\"calls_acknowledged\":[\"K0420:s:1\"]"));
    assert_null(strstr(reply.body, "credentials_version"));
    free(reply.body);
    platform_request(&p, "GET", "/v1/staff-credentials", NULL, NULL, &reply);
    assert_int_equal(reply.status, 404);
    free(reply.body);
    stop_platform(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_audit_rows_and_heads),
        cmocka_unit_test(test_help_calls_and_refused_keys),
    };
    return PLATFORM_RUN_TESTS(tests);
}
