/* What the sync client makes of each kind of answer (docs/protocol.md). The
 * exchanges themselves are tested against the platform stand-in in
 * tests/e2e/test_sync_faults.c. */
#include "../support/test_support.h"

#include "firmware/platform/sync.h"

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
    assert_int_equal(classify(422, true, "{\"error\":\"bad-request\"}", "submission"),
                     SYNC_REJECTED);
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
    /* One byte short of the room (its terminator): not taken; within it: taken. */
    const char *eight = "{\"tracking_number\":\"GD123456\"}";
    assert_int_equal(
        sync_classify(201, true, eight, strlen(eight), "submission", tracking, sizeof tracking),
        SYNC_RETRY);
    const char *seven = "{\"tracking_number\":\"GD12345\"}";
    assert_int_equal(
        sync_classify(201, true, seven, strlen(seven), "submission", tracking, sizeof tracking),
        SYNC_DELIVERED);
    assert_string_equal(tracking, "GD12345");
}

/* A gateway's or a WAF's page in the place of the platform's typed error
 * says nothing about the record: it is neither acknowledged (a 409 would
 * delete it while the citizen holds a receipt saying it will be sent) nor
 * quarantined. */
static void test_only_the_typed_error_acknowledges_or_quarantines(void **state)
{
    (void)state;
    const char *html = "<html><body>409 Conflict (nginx)</body></html>";
    assert_int_equal(classify(409, false, html, "submission"), SYNC_RETRY);
    assert_int_equal(classify(409, true, html, "submission"), SYNC_RETRY);
    assert_int_equal(classify(409, true, "{}", "submission"), SYNC_RETRY);
    assert_int_equal(classify(409, true, "{\"error\":\"bad-request\"}", "submission"), SYNC_RETRY);
    assert_int_equal(classify(409, true, "{\"error\":7}", "submission"), SYNC_RETRY);
    assert_int_equal(classify(409, false, "{\"error\":\"idempotency-conflict\"}", "submission"),
                     SYNC_RETRY); /* not said to be JSON */
    assert_int_equal(classify(409, true, NULL, "submission"), SYNC_RETRY);
    assert_int_equal(classify(400, false, "<html>Request blocked</html>", "submission"),
                     SYNC_RETRY);
    assert_int_equal(classify(400, true, "{\"error\":\"too-large\"}", "submission"), SYNC_RETRY);
    assert_int_equal(classify(413, true, "{\"error\":\"bad-request\"}", "submission"), SYNC_RETRY);
    assert_int_equal(classify(413, false, "<html>413 Request Entity Too Large</html>", "rating"),
                     SYNC_RETRY);
    assert_int_equal(classify(422, true, "{}", "submission"), SYNC_RETRY);
    assert_int_equal(classify(422, true, "{\"error\":\"idempotency-conflict\"}", "submission"),
                     SYNC_RETRY);
    /* The typed ones. */
    assert_int_equal(
        classify(409, true, "{\"error\":\"idempotency-conflict\",\"message\":\"x\"}", "rating"),
        SYNC_CONFLICT);
    assert_int_equal(classify(400, true, "{\"error\":\"bad-request\"}", "staff-call"),
                     SYNC_REJECTED);
}

/* A tracking number reaches the screen, the receipt and the QR code: only
 * the protocol's grammar (letters, digits, '-', 1-63 bytes) is one. */
static void test_a_tracking_number_must_be_one(void **state)
{
    (void)state;
    const char *not_numbers[] = {
        "{\"tracking_number\":\"您的申请已被驳回，请到窗口办理\"}",
        "{\"tracking_number\":\"https://evil.example/x\"}",
        "{\"tracking_number\":\"GD2026 1122\"}",
        "{\"tracking_number\":\"GD2026\\u202e1122\"}",
        "{\"tracking_number\":\"GD_20261122\"}",
        "{\"tracking_number\":\"GD2026112200004\\n\"}",
    };
    for (size_t i = 0; i < sizeof not_numbers / sizeof not_numbers[0]; i++) {
        char tracking[64] = "x";
        assert_int_equal(sync_classify(201, true, not_numbers[i], strlen(not_numbers[i]),
                                       "submission", tracking, sizeof tracking),
                         SYNC_RETRY);
        assert_string_equal(tracking, "");
    }
    char tracking[64];
    char body[128];
    /* 63 bytes is one; 64 is not. */
    snprintf(body, sizeof body, "{\"tracking_number\":\"%.63s\"}",
             "A-123456789012345678901234567890123456789012345678901234567890123456789");
    assert_int_equal(
        sync_classify(201, true, body, strlen(body), "submission", tracking, sizeof tracking),
        SYNC_DELIVERED);
    assert_int_equal(strlen(tracking), 63);
    snprintf(body, sizeof body, "{\"tracking_number\":\"%.64s\"}",
             "A-123456789012345678901234567890123456789012345678901234567890123456789");
    assert_int_equal(sync_classify(201, true, body, strlen(body), "submission", tracking, 128),
                     SYNC_RETRY);
    assert_int_equal(classify(201, true, "{\"tracking_number\":\"az-09-AZ\"}", "submission"),
                     SYNC_DELIVERED);
}

/* An answer is one JSON object and nothing after it but white space. */
static void test_trailing_bytes_after_an_answer_are_refused(void **state)
{
    (void)state;
    assert_int_equal(classify(201, true, "{\"tracking_number\":\"GD1\"}garbage", "submission"),
                     SYNC_RETRY);
    assert_int_equal(classify(201, true, "{\"tracking_number\":\"GD1\"}{\"x\":1}", "submission"),
                     SYNC_RETRY);
    assert_int_equal(
        classify(409, true, "{\"error\":\"idempotency-conflict\"}<html>", "submission"),
        SYNC_RETRY);
    const char with_nul[] = "{\"tracking_number\":\"GD1\"}\0x";
    char tracking[64];
    assert_int_equal(sync_classify(201, true, with_nul, sizeof with_nul - 1, "submission", tracking,
                                   sizeof tracking),
                     SYNC_RETRY);
    assert_int_equal(classify(201, true, "{\"tracking_number\":\"GD1\"} \r\n\t", "submission"),
                     SYNC_DELIVERED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_definite_answer_is_delivered),
        cmocka_unit_test(test_what_is_not_an_answer_is_retried),
        cmocka_unit_test(test_the_platform_s_refusals),
        cmocka_unit_test(test_an_over_long_tracking_number_is_not_taken),
        cmocka_unit_test(test_only_the_typed_error_acknowledges_or_quarantines),
        cmocka_unit_test(test_a_tracking_number_must_be_one),
        cmocka_unit_test(test_trailing_bytes_after_an_answer_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
