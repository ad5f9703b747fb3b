/* The stand-in's queues (POST /v1/appointments): numbers per matter, half-
 * hour slots of a few places in the hall's opening hours, "full" when a
 * period has no place left, bad requests refused; and its public page is
 * the only path open without a terminal certificate. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static cJSON *book(const platform *p, const char *matter, const char *period, long *status)
{
    char body[256];
    snprintf(body, sizeof body,
             "{\"service\":\"appointment-ticket\",\"matter\":\"%s\"%s%s%s,"
             "\"id_number\":\"440304199001011233\",\"language\":\"zh-CN\"}",
             matter, period ? ",\"period\":\"" : "", period ? period : "", period ? "\"" : "");
    platform_reply reply;
    platform_request(p, "POST", "/v1/appointments", NULL, body, &reply);
    *status = reply.status;
    cJSON *json = cJSON_Parse(reply.body ? reply.body : "");
    free(reply.body);
    return json;
}

static const char *string_of(const cJSON *json, const char *name)
{
    const cJSON *field = cJSON_GetObjectItemCaseSensitive(json, name);
    return cJSON_IsString(field) ? field->valuestring : "";
}

static void test_a_morning_fills_up_then_says_full(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    /* Tomorrow 09:00-12:00 in Beijing: six half-hour slots of three places. */
    time_t tomorrow = time(NULL) + 8 * 3600 + 86400;
    struct tm day;
    gmtime_r(&tomorrow, &day);
    char first_slot[32];
    snprintf(first_slot, sizeof first_slot, "%04d-%02d-%02dT01:00:00Z", day.tm_year + 1900,
             day.tm_mon + 1, day.tm_mday);
    long status = 0;
    for (int i = 1; i <= 18; i++) {
        cJSON *answer = book(&p, "housing-fund", "tomorrow-am", &status);
        assert_int_equal(status, 200);
        char number[8];
        snprintf(number, sizeof number, "B%03d", i);
        assert_string_equal(string_of(answer, "queue_number"), number);
        assert_string_equal(string_of(answer, "matter"), "housing-fund");
        const cJSON *window = cJSON_GetObjectItemCaseSensitive(answer, "window");
        assert_string_equal(string_of(window, "zh-CN"), "5号窗口");
        assert_string_equal(string_of(window, "en"), "Counter 5");
        if (i == 1)
            assert_string_equal(string_of(answer, "slot_start"), first_slot);
        cJSON_Delete(answer);
    }
    cJSON *full = book(&p, "housing-fund", "tomorrow-am", &status);
    assert_int_equal(status, 409);
    assert_string_equal(string_of(full, "error"), "full");
    cJSON_Delete(full);
    /* Another matter has its own queue; "other" names its counter by number. */
    cJSON *other = book(&p, "other", "tomorrow-am", &status);
    assert_int_equal(status, 200);
    assert_string_equal(string_of(other, "queue_number"), "F001");
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(other, "window")->valueint, 8);
    cJSON_Delete(other);
    /* Unknown matter or period, a short ID number: 400. */
    cJSON_Delete(book(&p, "tax", NULL, &status));
    assert_int_equal(status, 400);
    cJSON_Delete(book(&p, "other", "yesterday", &status));
    assert_int_equal(status, 400);
    stop_platform(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_morning_fills_up_then_says_full),
    };
    return PLATFORM_RUN_TESTS(tests);
}
