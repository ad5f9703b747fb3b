/* The platform stand-in's POST /_sim/submission: what a stored submission
 * carried besides its payload (the service, the language, the staff member
 * who helped), read back by its tracking number or the terminal's own
 * reference; a number it does not know is 404, a body without one 400, and
 * nothing of the citizen's payload is given back. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static platform sim;

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
    stop_platform(&sim);
    platform_stop_leftovers();
    curl_global_cleanup();
    return 0;
}

/* A submission as a terminal sends it; its tracking number into tracking. */
static void submit(const char *key, const char *reference, const char *assisted_by, char *tracking,
                   size_t size)
{
    char body[1024], helper[64] = "";
    if (assisted_by)
        snprintf(helper, sizeof helper, ",\"assisted_by\":\"%s\"", assisted_by);
    snprintf(body, sizeof body,
             "{\"kind\":\"submission\",\"service\":\"certificate-print\",\"language\":\"zh-CN\","
             "\"created_at\":\"2026-11-22T09:30:00Z\",\"local_reference\":\"%s\"%s,"
             "\"payload\":{\"id_number\":\"440304199001011233\"}}",
             reference, helper);
    platform_reply reply = {0};
    platform_request(&sim, "POST", "/v1/submissions", key, body, &reply);
    assert_int_equal(reply.status, 201);
    cJSON *json = cJSON_Parse(reply.body);
    free(reply.body);
    snprintf(tracking, size, "%s",
             cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(json, "tracking_number")));
    cJSON_Delete(json);
    assert_true(strncmp(tracking, "GD", 2) == 0);
}

/* /_sim/submission for number, as one line of JSON (malloc'd). */
static char *read_back(const char *number)
{
    char body[128];
    snprintf(body, sizeof body, "{\"tracking_number\":\"%s\"}", number);
    cJSON *json = platform_control(&sim, "/_sim/submission", body);
    assert_non_null(json);
    char *text = cJSON_PrintUnformatted(json);
    cJSON_Delete(json);
    return text;
}

#define ASSERT_HAS(text, what)                                                                     \
    do {                                                                                           \
        if (!strstr((text), (what)))                                                               \
            fail_msg("\"%s\" is not in %s", (what), (text));                                       \
    } while (0)

static void test_a_submission_reads_back_with_its_helper(void **state)
{
    (void)state;
    char helped[32], alone[32];
    submit("K0420:s1:certificate-print", "K0420-000007", "S001", helped, sizeof helped);
    submit("K0420:s2:certificate-print", "K0420-000008", NULL, alone, sizeof alone);

    char *text = read_back(helped);
    ASSERT_HAS(text, "\"kept\":true");
    ASSERT_HAS(text, "\"assisted_by\":\"S001\"");
    ASSERT_HAS(text, "\"service\":\"certificate-print\"");
    ASSERT_HAS(text, "\"language\":\"zh-CN\"");
    ASSERT_HAS(text, "\"local_reference\":\"K0420-000007\"");
    ASSERT_HAS(text, "\"status\":\"accepted\"");
    /* Nothing of the citizen's payload. */
    assert_null(strstr(text, "440304"));
    free(text);

    /* By the terminal's own reference: the same submission. */
    text = read_back("K0420-000007");
    char expected[64];
    snprintf(expected, sizeof expected, "\"tracking_number\":\"%s\"", helped);
    ASSERT_HAS(text, expected);
    ASSERT_HAS(text, "\"assisted_by\":\"S001\"");
    free(text);

    text = read_back(alone);
    ASSERT_HAS(text, "\"assisted_by\":null");
    free(text);
}

static void test_unknown_numbers_and_bad_bodies_are_refused(void **state)
{
    (void)state;
    char *text = read_back("GD20261122999999");
    ASSERT_HAS(text, "\"error\":\"not-found\"");
    free(text);
    cJSON *json = platform_control(&sim, "/_sim/submission", "{\"tracking_number\":7}");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(json, "error")),
                        "bad-request");
    cJSON_Delete(json);
    json = platform_control(&sim, "/_sim/submission", "not json");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(json, "error")),
                        "bad-request");
    cJSON_Delete(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_submission_reads_back_with_its_helper),
        cmocka_unit_test(test_unknown_numbers_and_bad_bodies_are_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
