/* The admin socket's requests and answers, with what a hostile or broken
 * peer may send: oversized lines, control characters, escapes, not JSON. */
#include "../support/test_support.h"

#include "firmware/admin/admin_protocol.h"

#include <stdlib.h>
#include <string.h>

static kiosk_error parse(const char *line, admin_request *out, kiosk_diag *diag)
{
    return admin_request_parse(line, strlen(line), out, diag);
}

static void test_a_request_is_read_with_its_arguments(void **state)
{
    (void)state;
    admin_request request;
    kiosk_diag diag = {{0}};
    assert_int_equal(parse("{\"command\":\"outbox\",\"args\":[\"close\",\"42\",\"duplicate "
                           "of K0420-000041\"]}",
                           &request, &diag),
                     KIOSK_OK);
    assert_string_equal(request.command, "outbox");
    assert_int_equal(request.arg_count, 3);
    assert_string_equal(request.args[0], "close");
    assert_string_equal(request.args[1], "42");
    assert_string_equal(request.args[2], "duplicate of K0420-000041");
    /* No args is none; Chinese text is fine. */
    assert_int_equal(parse("{\"command\":\"status\"}", &request, &diag), KIOSK_OK);
    assert_int_equal(request.arg_count, 0);
    assert_int_equal(
        parse("{\"command\":\"outbox\",\"args\":[\"close\",\"7\",\"重复提交\"]}", &request, &diag),
        KIOSK_OK);
    assert_string_equal(request.args[2], "重复提交");
}

static void test_a_request_formatted_reads_back_the_same(void **state)
{
    (void)state;
    admin_request sent = {.command = "logs", .arg_count = 2};
    snprintf(sent.args[0], ADMIN_ARG_MAX, "export");
    snprintf(sent.args[1], ADMIN_ARG_MAX, "/media/usb \"stick\"");
    char *line = admin_request_format(&sent);
    assert_non_null(line);
    size_t length = strlen(line);
    assert_int_equal(line[length - 1], '\n');
    assert_null(memchr(line, '\n', length - 1));
    admin_request got;
    kiosk_diag diag = {{0}};
    assert_int_equal(admin_request_parse(line, length - 1, &got, &diag), KIOSK_OK);
    assert_string_equal(got.command, "logs");
    assert_int_equal(got.arg_count, 2);
    assert_string_equal(got.args[1], "/media/usb \"stick\"");
    free(line);
}

static void expect_refused(const char *line, size_t length, kiosk_error error, const char *says)
{
    admin_request request;
    kiosk_diag diag = {{0}};
    assert_int_equal(admin_request_parse(line, length, &request, &diag), error);
    if (!strstr(diag.message, says))
        fail_msg("\"%s\" does not say \"%s\"", diag.message, says);
    /* Nothing of a refused request is left for a caller to run. */
    assert_string_equal(request.command, "");
    assert_int_equal(request.arg_count, 0);
}

static void test_hostile_requests_are_refused_saying_why(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        kiosk_error error;
        const char *says;
    } cases[] = {
        {"status", KIOSK_ERR_MALFORMED, "not JSON"},
        {"{\"command\":", KIOSK_ERR_MALFORMED, "not JSON"},
        {"[\"status\"]", KIOSK_ERR_MALFORMED, "one JSON object"},
        {"{\"command\":\"status\"} {\"command\":\"devices\"}", KIOSK_ERR_MALFORMED,
         "one JSON object"},
        {"{\"args\":[]}", KIOSK_ERR_MALFORMED, "no \"command\""},
        {"{\"command\":42}", KIOSK_ERR_MALFORMED, "no \"command\""},
        {"{\"command\":\"\"}", KIOSK_ERR_MALFORMED, "command"},
        {"{\"command\":\"rm -rf /\"}", KIOSK_ERR_MALFORMED, "a-z"},
        {"{\"command\":\"STATUS\"}", KIOSK_ERR_MALFORMED, "a-z"},
        {"{\"command\":\"averyveryverylongcommand\"}", KIOSK_ERR_MALFORMED, "letters"},
        {"{\"command\":\"outbox\",\"args\":\"list\"}", KIOSK_ERR_MALFORMED, "array"},
        {"{\"command\":\"outbox\",\"args\":[42]}", KIOSK_ERR_MALFORMED, "args[0]"},
        {"{\"command\":\"outbox\",\"args\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\"]}",
         KIOSK_ERR_TOO_BIG, "more than"},
        /* A control character raw, or escaped so the raw check cannot see it. */
        {"{\"command\":\"status\"}\x1b[2J", KIOSK_ERR_MALFORMED, "control character"},
        {"{\"command\":\"logs\",\"args\":[\"export\",\"/tmp/a\\u001b[2Jb\"]}", KIOSK_ERR_MALFORMED,
         "args[1]: a control character"},
        {"{\"command\":\"logs\",\"args\":[\"export\",\"/tmp/a\\nb\"]}", KIOSK_ERR_MALFORMED,
         "control character"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_refused(cases[i].line, strlen(cases[i].line), cases[i].error, cases[i].says);

    /* A NUL inside the line: the length says where it ends, not the NUL. */
    static const char with_nul[] = "{\"command\":\"status\"}\0garbage";
    expect_refused(with_nul, sizeof with_nul - 1, KIOSK_ERR_MALFORMED, "control character");

    /* Over the line's limit, and an argument over its own. */
    size_t big = ADMIN_REQUEST_MAX + 1;
    char *line = malloc(big + 1);
    memset(line, ' ', big);
    memcpy(line, "{\"command\":\"status\"}", 20);
    line[big] = '\0';
    expect_refused(line, big, KIOSK_ERR_TOO_BIG, "over 4096 bytes");
    free(line);
    char arg_line[ADMIN_ARG_MAX + 100];
    int n = snprintf(arg_line, sizeof arg_line, "{\"command\":\"logs\",\"args\":[\"");
    memset(arg_line + n, 'a', ADMIN_ARG_MAX);
    snprintf(arg_line + n + ADMIN_ARG_MAX, sizeof arg_line - (size_t)n - ADMIN_ARG_MAX, "\"]}");
    expect_refused(arg_line, strlen(arg_line), KIOSK_ERR_TOO_BIG, "args[0]: over");
}

static void test_an_answer_round_trips_with_its_data(void **state)
{
    (void)state;
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "text", "kiosk 1.000 I app: line one\nline two\n");
    char *line = admin_answer_format(ADMIN_FAILED, "printer: failed: no paper", data);
    assert_non_null(line);
    size_t length = strlen(line);
    assert_null(memchr(line, '\n', length - 1)); /* one line, whatever the data holds */
    admin_answer answer;
    kiosk_diag diag = {{0}};
    assert_int_equal(admin_answer_parse(line, length - 1, &answer, &diag), KIOSK_OK);
    assert_int_equal(answer.status, ADMIN_FAILED);
    assert_string_equal(answer.message, "printer: failed: no paper");
    assert_string_equal(cJSON_GetObjectItem(answer.data, "text")->valuestring,
                        "kiosk 1.000 I app: line one\nline two\n");
    admin_answer_free(&answer);
    free(line);
}

static void test_hostile_answers_are_refused(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "ok",
        "{\"message\":\"done\"}",
        "{\"status\":\"fine\"}",
        "{\"status\":\"ok\",\"message\":7}",
        "{\"status\":\"ok\",\"message\":\"\\u001b]0;owned\\u0007\"}",
        "{\"status\":\"ok\"}\x07",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        admin_answer answer;
        kiosk_diag diag = {{0}};
        assert_int_equal(admin_answer_parse(lines[i], strlen(lines[i]), &answer, &diag),
                         KIOSK_ERR_MALFORMED);
        assert_null(answer.data);
    }
}

static void test_each_status_has_its_documented_exit_code(void **state)
{
    (void)state;
    assert_int_equal(admin_exit_code(ADMIN_OK), 0);
    assert_int_equal(admin_exit_code(ADMIN_FAILED), 1);
    assert_int_equal(admin_exit_code(ADMIN_USAGE), 2);
    assert_int_equal(admin_exit_code(ADMIN_REFUSED), 3);
    assert_int_equal(admin_exit_code(ADMIN_UNAVAILABLE), 4);
    assert_int_equal(admin_exit_code(ADMIN_TIMEOUT), 5);
    admin_status status;
    assert_true(admin_status_parse("refused", &status));
    assert_int_equal(status, ADMIN_REFUSED);
    assert_false(admin_status_parse("OK", &status));
}

static void test_an_answer_too_long_to_send_says_so(void **state)
{
    (void)state;
    cJSON *data = cJSON_CreateObject();
    char *huge = malloc(ADMIN_ANSWER_MAX + 10);
    memset(huge, 'x', ADMIN_ANSWER_MAX + 9);
    huge[ADMIN_ANSWER_MAX + 9] = '\0';
    cJSON_AddStringToObject(data, "text", huge);
    free(huge);
    char *line = admin_answer_format(ADMIN_OK, "", data);
    admin_answer answer;
    kiosk_diag diag = {{0}};
    assert_int_equal(admin_answer_parse(line, strlen(line) - 1, &answer, &diag), KIOSK_OK);
    assert_int_equal(answer.status, ADMIN_FAILED);
    assert_string_equal(answer.message, "the answer was too long to send");
    assert_null(answer.data);
    free(line);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_request_is_read_with_its_arguments),
        cmocka_unit_test(test_a_request_formatted_reads_back_the_same),
        cmocka_unit_test(test_hostile_requests_are_refused_saying_why),
        cmocka_unit_test(test_an_answer_round_trips_with_its_data),
        cmocka_unit_test(test_hostile_answers_are_refused),
        cmocka_unit_test(test_each_status_has_its_documented_exit_code),
        cmocka_unit_test(test_an_answer_too_long_to_send_says_so),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
