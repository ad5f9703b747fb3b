/* A place in a counter's queue as the platform books it (预约取号): the
 * request the terminal sends, and every way an answer is refused before a
 * ticket could print it — a gateway's HTML page, a number with a control
 * or a bidirectional override, a slot in the past or years ahead, an
 * answer about another matter (tests/firmware/sync_fake.h answers in the
 * test's own process). */
#include "sync_fake.h"

#include "firmware/base/local_time.h"

#include <time.h>

static char reply_body[2048];
static long reply_status = 200;
static const char *reply_type = "application/json";
static char asked_path[64], asked_body[1024];

static fake_reply respond(const char *path, const char *body, size_t length)
{
    snprintf(asked_path, sizeof asked_path, "%s", path);
    snprintf(asked_body, sizeof asked_body, "%.*s", (int)length, body ? body : "");
    return (fake_reply){
        .code = CURLE_OK, .status = reply_status, .type = reply_type, .body = reply_body};
}

static void utc_in(int64_t seconds, char out[32])
{
    time_t at = time(NULL) + seconds;
    struct tm tm;
    gmtime_r(&at, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* An answer as a platform would give it, with fields replaced at will. */
static void answer_with(const char *number, const char *window, int64_t start_in, int64_t end_in,
                        const char *matter)
{
    char start[32], end[32];
    utc_in(start_in, start);
    utc_in(end_in, end);
    snprintf(reply_body, sizeof reply_body,
             "{\"reference\":\"AP20261208-A023\",\"matter\":\"%s\",\"queue_number\":\"%s\","
             "\"window\":%s,\"slot_start\":\"%s\",\"slot_end\":\"%s\"}",
             matter, number, window, start, end);
    reply_status = 200;
    reply_type = "application/json";
}

static void book(sync_client *client, sync_appointment_result *out)
{
    sync_question question = {.kind = SYNC_ASK_APPOINTMENT};
    snprintf(question.appointment.service, sizeof question.appointment.service,
             "appointment-ticket");
    snprintf(question.appointment.matter, sizeof question.appointment.matter, "social-insurance");
    snprintf(question.appointment.period, sizeof question.appointment.period, "tomorrow-am");
    snprintf(question.appointment.id_number, sizeof question.appointment.id_number,
             "440304199001011233");
    snprintf(question.appointment.language, sizeof question.appointment.language, "en");
    sync_reply reply;
    sync_ask_run(client, &question, &reply);
    *out = reply.appointment;
    explicit_bzero(&reply, sizeof reply);
}

#define WINDOW_TEXTS "{\"zh-CN\":\"3号窗口\",\"zh-TW\":\"3號窗口\",\"en\":\"Counter 3\"}"

static void test_a_booking_is_read_with_its_counter_and_slot(void **state)
{
    (void)state;
    sync_client *client = fake_client(fake_db("appointment-ok"), respond);
    answer_with("A023", WINDOW_TEXTS, 3600, 5400, "social-insurance");
    sync_appointment_result result;
    book(client, &result);
    assert_int_equal(result.outcome, SYNC_APPOINTMENT_BOOKED);
    assert_string_equal(result.queue_number, "A023");
    assert_string_equal(result.reference, "AP20261208-A023");
    assert_string_equal(result.window[LANG_ZH_CN], "3号窗口");
    assert_string_equal(result.window[LANG_ZH_TW], "3號窗口");
    assert_string_equal(result.window[LANG_EN], "Counter 3");
    assert_int_equal(result.slot_end - result.slot_start, 1800);
    /* What was asked: the matter, the period chosen, the citizen. */
    assert_string_equal(asked_path, "/v1/appointments");
    assert_non_null(strstr(asked_body, "\"matter\":\"social-insurance\""));
    assert_non_null(strstr(asked_body, "\"period\":\"tomorrow-am\""));
    assert_non_null(strstr(asked_body, "\"language\":\"en\""));

    /* A counter given by its number is said in each language. */
    answer_with("B7", "5", 60, 1800, "social-insurance");
    book(client, &result);
    assert_int_equal(result.outcome, SYNC_APPOINTMENT_BOOKED);
    assert_string_equal(result.window[LANG_ZH_CN], "5号窗口");
    assert_string_equal(result.window[LANG_EN], "Counter 5");
    sync_destroy(client);
}

static void test_no_place_left_is_said_as_such(void **state)
{
    (void)state;
    sync_client *client = fake_client(fake_db("appointment-full"), respond);
    snprintf(reply_body, sizeof reply_body,
             "{\"error\":\"full\",\"message\":\"no place left for this matter today\"}");
    reply_status = 409;
    sync_appointment_result result;
    book(client, &result);
    assert_int_equal(result.outcome, SYNC_APPOINTMENT_FULL);
    assert_string_equal(result.queue_number, "");
    /* A 409 that is not the platform's "full" is no answer. */
    snprintf(reply_body, sizeof reply_body, "{\"error\":\"Conflict\"}");
    book(client, &result);
    assert_int_equal(result.outcome, SYNC_APPOINTMENT_NO_ANSWER);
    sync_destroy(client);
}

/* U+202E (right-to-left override), U+200B (zero width space). */
#define RLO  "\xe2\x80\xae"
#define ZWSP "\xe2\x80\x8b"

static void test_hostile_answers_never_become_a_ticket(void **state)
{
    (void)state;
    sync_client *client = fake_client(fake_db("appointment-hostile"), respond);
    sync_appointment_result result;
    static const struct {
        const char *number, *window;
        int64_t start_in, end_in;
        const char *matter;
    } bad[] = {
        {"A0" RLO "23", WINDOW_TEXTS, 60, 1800, "social-insurance"},
        {"A\\u000723", WINDOW_TEXTS, 60, 1800, "social-insurance"},
        {"A023 ", WINDOW_TEXTS, 60, 1800, "social-insurance"},
        {"", WINDOW_TEXTS, 60, 1800, "social-insurance"},
        {"a023", WINDOW_TEXTS, 60, 1800, "social-insurance"},
        {"ABCD1", WINDOW_TEXTS, 60, 1800, "social-insurance"},
        {"A12345", WINDOW_TEXTS, 60, 1800, "social-insurance"},
        {"A023", "{\"zh-CN\":\"3号" ZWSP "窗口\"}", 60, 1800, "social-insurance"},
        {"A023", "{\"en\":\"Counter 3\"}", 60, 1800, "social-insurance"},
        {"A023", "0", 60, 1800, "social-insurance"},
        {"A023", "3.5", 60, 1800, "social-insurance"},
        /* Ended yesterday; a year ahead; backwards; two days long. */
        {"A023", WINDOW_TEXTS, -86400, -84600, "social-insurance"},
        {"A023", WINDOW_TEXTS, 365 * 86400, 365 * 86400 + 1800, "social-insurance"},
        {"A023", WINDOW_TEXTS, 1800, 60, "social-insurance"},
        {"A023", WINDOW_TEXTS, 60, 2 * 86400, "social-insurance"},
        /* Another matter's booking. */
        {"A023", WINDOW_TEXTS, 60, 1800, "housing-fund"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        answer_with(bad[i].number, bad[i].window, bad[i].start_in, bad[i].end_in, bad[i].matter);
        book(client, &result);
        if (result.outcome != SYNC_APPOINTMENT_NO_ANSWER)
            fail_msg("answer %zu (%s) was taken: %s", i, reply_body, result.queue_number);
        assert_string_equal(result.queue_number, "");
    }
    /* A slot time not in the protocol's form. */
    snprintf(reply_body, sizeof reply_body,
             "{\"reference\":\"AP1\",\"matter\":\"social-insurance\",\"queue_number\":\"A1\","
             "\"window\":3,\"slot_start\":\"明天上午\",\"slot_end\":\"2026-12-08T04:00:00Z\"}");
    book(client, &result);
    assert_int_equal(result.outcome, SYNC_APPOINTMENT_NO_ANSWER);
    /* A gateway's page with a 200. */
    snprintf(reply_body, sizeof reply_body, "<html><body>A023 3号窗口</body></html>");
    reply_type = "text/html";
    book(client, &result);
    assert_int_equal(result.outcome, SYNC_APPOINTMENT_NO_ANSWER);
    sync_destroy(client);
}

static void test_a_question_that_is_not_one_is_not_asked(void **state)
{
    (void)state;
    sync_client *client = fake_client(fake_db("appointment-ask"), respond);
    assert_int_equal(sync_appointment(client, "appointment-ticket", "Social Insurance", "",
                                      "440304199001011233", "en"),
                     KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(
        sync_appointment(client, "appointment-ticket", "other", "../x", "440304199001011233", "en"),
        KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_appointment(client, "appointment-ticket", "other", "", "", "en"),
                     KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(sync_appointment(client, "appointment-ticket", "other", "tomorrow-am",
                                      "440304199001011233", "en"),
                     KIOSK_OK);
    /* One at a time. */
    assert_int_equal(sync_appointment(client, "appointment-ticket", "other", "tomorrow-am",
                                      "440304199001011233", "en"),
                     KIOSK_ERR_BUSY);
    sync_destroy(client);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_booking_is_read_with_its_counter_and_slot),
        cmocka_unit_test(test_no_place_left_is_said_as_such),
        cmocka_unit_test(test_hostile_answers_never_become_a_ticket),
        cmocka_unit_test(test_a_question_that_is_not_one_is_not_asked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
