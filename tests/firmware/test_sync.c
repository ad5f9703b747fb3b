/* What the sync client makes of each kind of answer (docs/protocol.md). The
 * exchanges themselves are tested against the platform stand-in in
 * tests/e2e/test_sync_faults.c. */
#include "../support/test_support.h"

#include "firmware/sync.h"

#include <string.h>

static sync_outcome classify(long status, bool json, const char *body, const char *kind)
{
    char tracking[64];
    return sync_classify(status, json, body, body ? strlen(body) : 0, kind, tracking,
                         sizeof tracking);
}

static void test_a_definite_answer_is_delivered(void **state)
{
    (void)state;
    char tracking[64];
    const char *body = "{\"tracking_number\":\"GD20261122000042\",\"status\":\"accepted\"}";
    assert_int_equal(
        sync_classify(201, true, body, strlen(body), "submission", tracking, sizeof tracking),
        SYNC_DELIVERED);
    assert_string_equal(tracking, "GD20261122000042");
    /* A rating's answer has no tracking number. */
    assert_int_equal(classify(201, true, "{\"received_at\":\"x\"}", "rating"), SYNC_DELIVERED);
}

static void test_what_is_not_an_answer_is_retried(void **state)
{
    (void)state;
    /* Truncated, invalid, not JSON at all (a captive portal's page), no
     * tracking number, an empty one, a number instead of a string. */
    assert_int_equal(classify(201, true, "{\"tracking_number\":\"GD2026", "submission"),
                     SYNC_RETRY);
    assert_int_equal(classify(201, true, "not json", "submission"), SYNC_RETRY);
    assert_int_equal(classify(201, false, "{\"tracking_number\":\"GD1\"}", "submission"),
                     SYNC_RETRY);
    assert_int_equal(classify(200, false, "<html>Welcome to the free Wi-Fi</html>", "submission"),
                     SYNC_RETRY);
    assert_int_equal(classify(201, true, "{}", "submission"), SYNC_RETRY);
    assert_int_equal(classify(201, true, "{\"tracking_number\":\"\"}", "submission"), SYNC_RETRY);
    assert_int_equal(classify(201, true, "{\"tracking_number\":42}", "submission"), SYNC_RETRY);
    assert_int_equal(classify(201, true, "[]", "rating"), SYNC_RETRY);
    assert_int_equal(classify(201, true, NULL, "rating"), SYNC_RETRY);
    /* No answer, and the platform's passing troubles. */
    long retried[] = {0, 200, 204, 301, 302, 404, 408, 429, 500, 502, 503, 504};
    for (size_t i = 0; i < sizeof retried / sizeof retried[0]; i++)
        assert_int_equal(classify(retried[i], true, "{}", "submission"), SYNC_RETRY);
}

static void test_the_platform_s_refusals(void **state)
{
    (void)state;
    assert_int_equal(classify(409, true, "{\"error\":\"idempotency-conflict\"}", "submission"),
                     SYNC_CONFLICT);
    assert_int_equal(classify(400, true, "{\"error\":\"bad-request\"}", "submission"),
                     SYNC_REJECTED);
    assert_int_equal(classify(413, true, "{\"error\":\"too-large\"}", "submission"), SYNC_REJECTED);
    assert_int_equal(classify(422, true, "{}", "submission"), SYNC_REJECTED);
    assert_int_equal(classify(401, true, "{\"error\":\"unauthorised\"}", "submission"),
                     SYNC_REFUSED);
    assert_int_equal(classify(403, false, "", "submission"), SYNC_REFUSED);
}

static void test_an_over_long_tracking_number_is_not_taken(void **state)
{
    (void)state;
    char tracking[8];
    const char *body = "{\"tracking_number\":\"GD20261122000042\"}";
    assert_int_equal(
        sync_classify(201, true, body, strlen(body), "submission", tracking, sizeof tracking),
        SYNC_RETRY);
    assert_string_equal(tracking, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_definite_answer_is_delivered),
        cmocka_unit_test(test_what_is_not_an_answer_is_retried),
        cmocka_unit_test(test_the_platform_s_refusals),
        cmocka_unit_test(test_an_over_long_tracking_number_is_not_taken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
