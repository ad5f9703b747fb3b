/* The recent log sent to the platform (firmware/platform/log_upload.c)
 * against the real stand-in over mutual TLS: what arrives is masked (a
 * synthetic ID number and mobile number logged, and the same put in the
 * text raw), a log over the ceiling leaves its oldest lines out, a retry
 * after a lost answer is kept once, and hostile answers (a gateway's 502
 * page, a WAF's 409 page, a typed 409, an answer cut short, a platform
 * that fails every time, a port nobody listens on) each end in a clear
 * outcome after exactly one request. Then the technician's log page: 发送到
 * 平台 on a real app, its outcome in words, audited. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include "firmware/app/app_logs.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/navigation.h"
#include "firmware/base/log.h"
#include "firmware/platform/log_upload.h"
#include "firmware/platform/staff_ops.h"
#include "firmware/platform/store_use_internal.h"
#include "offline-cache/audit.h"
#include "ui/image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ID_NUMBER     "11010519491231002X"
#define ID_MASKED     "110105********002X"
#define MOBILE        "13912345678"
#define MOBILE_MASKED "139****5678"

static char url[128], ca[1100], cert[1100], key[1100];

static log_upload_config config_for(int port)
{
    snprintf(url, sizeof url, "https://127.0.0.1:%d/", port);
    cert_path(ca, sizeof ca, "platform-ca.crt");
    cert_path(cert, sizeof cert, "client.crt");
    cert_path(key, sizeof key, "client.key");
    return (log_upload_config){.url = url,
                               .ca_file = ca,
                               .client_cert = cert,
                               .client_key = key,
                               .terminal_id = "K0420",
                               .firmware_version = "1.2.0",
                               .timeout_ms = 4000};
}

static void prepare(const char *text, log_upload_request *out)
{
    log_upload_meta meta = {.terminal_id = "K0420",
                            .board = "portrait-1080",
                            .firmware_version = "1.2.0",
                            .actor = "technician:T001",
                            .now_s = (int64_t)time(NULL)};
    kiosk_diag diag = {{0}};
    assert_int_equal(log_upload_prepare(&meta, text, out, &diag), KIOSK_OK);
}

/* What the stand-in kept of K0420's uploads: {"count", "uploads"}. */
static cJSON *kept_logs(const platform *p)
{
    cJSON *answer = platform_control(p, "/_sim/logs", "{\"terminal\":\"K0420\"}");
    assert_non_null(answer);
    return answer;
}

static int kept_count(const platform *p)
{
    cJSON *answer = kept_logs(p);
    int count = cJSON_GetObjectItem(answer, "count")->valueint;
    cJSON_Delete(answer);
    return count;
}

/* The ring's own lines: a synthetic ID number and mobile number logged
 * as a mistake would log them reach the platform masked only. */
static void test_the_log_arrives_masked(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    log_set_level(LOG_LEVEL_INFO);
    LOG_INFO("test", "a card read for " ID_NUMBER ", phone " MOBILE);
    log_set_level(LOG_LEVEL_ERROR);
    char *recent = malloc(400 * 1024);
    assert_non_null(recent);
    size_t lines = log_recent(recent, 400 * 1024, LOG_RECENT_LINES);
    log_upload_request request;
    prepare(recent, &request);
    free(recent);
    assert_int_equal(request.lines, lines);
    assert_int_equal(request.masked, 0); /* the ring was masked already */
    assert_int_equal(strncmp(request.key, "logs:", 5), 0);
    assert_int_equal(strlen(request.key), 37);

    log_upload_config config = config_for(p.port);
    log_upload_result result;
    log_upload_send(&config, &request, &result);
    printf("%s: %zu lines, %zu bytes, at %s\n", log_upload_outcome_name(result.outcome),
           result.lines, request.length, result.received_at);
    assert_int_equal(result.outcome, LOG_UPLOAD_SENT);
    assert_int_equal(result.status, 201);
    assert_false(result.replay);
    assert_int_equal(result.lines, lines);
    assert_true(result.received_at[0]);

    cJSON *kept = kept_logs(&p);
    char *text = cJSON_PrintUnformatted(kept);
    assert_int_equal(cJSON_GetObjectItem(kept, "count")->valueint, 1);
    const cJSON *upload = cJSON_GetArrayItem(cJSON_GetObjectItem(kept, "uploads"), 0);
    assert_string_equal(cJSON_GetObjectItem(upload, "key")->valuestring, request.key);
    assert_string_equal(cJSON_GetObjectItem(upload, "by")->valuestring, "technician:T001");
    assert_string_equal(cJSON_GetObjectItem(upload, "board")->valuestring, "portrait-1080");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(upload, "lines")), (int)lines);
    assert_non_null(strstr(text, "a card read for " ID_MASKED ", phone " MOBILE_MASKED));
    assert_null(strstr(text, "19491231"));
    assert_null(strstr(text, "12345678"));
    free(text);
    cJSON_Delete(kept);
    assert_int_equal(kind_stat_of(&p, "logs", "stored"), 1);
    /* A log is not a citizen's record: the totals do not count it. */
    assert_int_equal(stat_of(&p, "stored"), 0);
    log_upload_request_free(&request);
    stop_platform(&p);
}

/* Numbers that reached the text some other way than the logger are masked
 * here before they leave, and counted; control characters and broken
 * UTF-8 are replaced. The stand-in would refuse them otherwise. */
static void test_numbers_missed_by_the_ring_are_masked_before_they_leave(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    log_upload_request request;
    prepare("kiosk 1.000 I x: " ID_NUMBER "\nkiosk 2.000 I x: call 86" MOBILE
            "\nkiosk 3.000 I x: bell\a and \xff\xfe bytes\n",
            &request);
    assert_int_equal(request.masked, 2);
    assert_int_equal(request.lines, 3);
    assert_null(strstr(request.body, "19491231"));
    assert_null(strstr(request.body, "12345678"));
    assert_non_null(strstr(request.body, ID_MASKED));
    assert_non_null(strstr(request.body, "bell? and ?? bytes"));
    log_upload_config config = config_for(p.port);
    log_upload_result result;
    log_upload_send(&config, &request, &result);
    assert_int_equal(result.outcome, LOG_UPLOAD_SENT);
    log_upload_request_free(&request);

    /* What the stand-in does with a body that was not masked. */
    platform_reply reply;
    platform_request(&p, "POST", "/v1/logs", "logs:raw",
                     "{\"terminal\":\"K0420\",\"board\":\"b\",\"firmware\":\"1\",\"sent_at\":"
                     "\"2026-12-07T20:00:00Z\",\"by\":\"t\",\"line_count\":1,\"dropped\":0,"
                     "\"lines\":[\"id " ID_NUMBER "\"]}",
                     &reply);
    assert_int_equal(reply.status, 400);
    assert_non_null(strstr(reply.body, "line 1 holds an unmasked ID or mobile number"));
    free(reply.body);
    assert_int_equal(kept_count(&p), 1);
    stop_platform(&p);
}

/* 400 lines of 1,100 bytes are over the ceiling: the oldest go. */
static void test_a_log_over_the_ceiling_leaves_its_oldest_lines_out(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    size_t size = 400 * 1110 + 1;
    char *text = malloc(size);
    size_t used = 0;
    for (int i = 0; i < 400; i++) {
        used += (size_t)snprintf(text + used, size - used, "kiosk %4d.000 I x: ", i);
        while (used % 1100 != 1099) {
            text[used] = (char)('a' + used % 26);
            used++;
        }
        text[used++] = '\n';
    }
    text[used] = '\0';
    log_upload_request request;
    prepare(text, &request);
    free(text);
    printf("%zu lines kept, %zu dropped, %zu bytes\n", request.lines, request.dropped,
           request.length);
    assert_true(request.length <= LOG_UPLOAD_MAX_BYTES);
    assert_true(request.dropped > 0);
    assert_int_equal(request.lines + request.dropped, 400);
    /* The newest line is there, the oldest not. */
    assert_non_null(strstr(request.body, "kiosk  399.000"));
    assert_null(strstr(request.body, "kiosk    0.000"));
    log_upload_config config = config_for(p.port);
    log_upload_result result;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    log_upload_send(&config, &request, &result);
    clock_gettime(CLOCK_MONOTONIC, &end);
    printf("sent in %.1f ms (a new mutually authenticated connection included)\n",
           (double)(end.tv_sec - start.tv_sec) * 1e3 + (double)(end.tv_nsec - start.tv_nsec) / 1e6);
    assert_int_equal(result.outcome, LOG_UPLOAD_SENT);
    assert_int_equal(result.lines, request.lines);
    log_upload_request_free(&request);

    /* Over the ceiling, as another client might send it: 413 too-large. */
    char *huge = malloc(300 * 1024);
    int n = snprintf(huge, 300 * 1024,
                     "{\"terminal\":\"K0420\",\"board\":\"b\",\"firmware\":\"1\",\"sent_at\":"
                     "\"x\",\"by\":\"t\",\"line_count\":1,\"dropped\":0,\"lines\":[\"");
    memset(huge + n, 'a', 270 * 1024);
    strcpy(huge + n + 270 * 1024, "\"]}");
    platform_reply reply;
    platform_request(&p, "POST", "/v1/logs", "logs:huge", huge, &reply);
    free(huge);
    assert_int_equal(reply.status, 413);
    free(reply.body);
    stop_platform(&p);
}

/* The platform keeps the log, and the connection drops before its answer:
 * the same request again is answered with the first answer, and the
 * platform holds one copy. */
static void test_a_retry_after_a_lost_answer_is_kept_once(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    log_upload_request request;
    prepare("kiosk 1.000 I x: one\nkiosk 2.000 I x: two\n", &request);
    log_upload_config config = config_for(p.port);
    log_upload_result result;
    set_fault_on(&p, "reset-after-commit", "/v1/logs", 1);
    log_upload_send(&config, &request, &result);
    printf("%s: %s\n", log_upload_outcome_name(result.outcome), result.message);
    assert_int_equal(result.outcome, LOG_UPLOAD_NO_ANSWER);
    assert_true(log_upload_worth_retrying(result.outcome));
    assert_non_null(strstr(result.message, "no answer from the platform"));
    assert_int_equal(kept_count(&p), 1); /* it did arrive */

    log_upload_send(&config, &request, &result);
    assert_int_equal(result.outcome, LOG_UPLOAD_SENT);
    assert_true(result.replay);
    assert_int_equal(result.lines, 2);
    assert_int_equal(kept_count(&p), 1);
    assert_int_equal(kind_stat_of(&p, "logs", "stored"), 1);
    assert_int_equal(kind_stat_of(&p, "logs", "duplicates"), 1);

    /* An answer cut short: the same, once more. */
    set_fault_on(&p, "truncated-json", "/v1/logs", 1);
    log_upload_send(&config, &request, &result);
    assert_int_equal(result.outcome, LOG_UPLOAD_NO_ANSWER);
    log_upload_send(&config, &request, &result);
    assert_int_equal(result.outcome, LOG_UPLOAD_SENT);
    assert_int_equal(kept_count(&p), 1);

    /* Another body under the same key: the typed 409, not to be retried. */
    log_upload_request other;
    prepare("kiosk 3.000 I x: three\n", &other);
    memcpy(other.key, request.key, sizeof other.key);
    log_upload_send(&config, &other, &result);
    assert_int_equal(result.status, 409);
    assert_int_equal(result.outcome, LOG_UPLOAD_REJECTED);
    assert_false(log_upload_worth_retrying(result.outcome));
    assert_non_null(strstr(result.message, "another log under this upload's key"));
    log_upload_request_free(&other);
    log_upload_request_free(&request);
    stop_platform(&p);
}

typedef struct hostile_case {
    const char *fault;
    log_upload_outcome outcome;
    const char *says;
} hostile_case;

/* Each hostile answer: one request, a clear outcome, nothing kept. */
static void test_hostile_answers_end_in_words_after_one_request(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    log_upload_request request;
    prepare("kiosk 1.000 I x: one\n", &request);
    log_upload_config config = config_for(p.port);
    static const hostile_case cases[] = {
        {"502-html", LOG_UPLOAD_BAD_ANSWER,
         "the platform answered 502 (not JSON: a gateway's or proxy's page?)"},
        {"409-html", LOG_UPLOAD_BAD_ANSWER, "the platform answered 409 (not JSON"},
        {"409-untyped-json", LOG_UPLOAD_BAD_ANSWER, "the platform answered 409"},
        {"413-html", LOG_UPLOAD_BAD_ANSWER, "the platform answered 413 (not JSON"},
        {"captive-portal", LOG_UPLOAD_BAD_ANSWER, "the platform answered 200 (not JSON"},
        {"invalid-json", LOG_UPLOAD_BAD_ANSWER, "the platform answered 201 (not JSON"},
        {"trailing-garbage", LOG_UPLOAD_BAD_ANSWER, "the platform answered 201 (not JSON"},
        {"huge-body", LOG_UPLOAD_BAD_ANSWER, "over 16 KiB: not read"},
        {"503", LOG_UPLOAD_BAD_ANSWER, "the platform answered 503: injected fault"},
        {"refuse", LOG_UPLOAD_NO_ANSWER, "no answer from the platform"},
    };
    long before = requests_of(&p, "logs");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        set_fault_on(&p, cases[i].fault, "/v1/logs", 1);
        log_upload_result result;
        log_upload_send(&config, &request, &result);
        printf("%-18s %-10s %s\n", cases[i].fault, log_upload_outcome_name(result.outcome),
               result.message);
        assert_int_equal(result.outcome, cases[i].outcome);
        if (!strstr(result.message, cases[i].says))
            fail_msg("%s: \"%s\" is not in \"%s\"", cases[i].fault, cases[i].says, result.message);
        assert_int_equal(requests_of(&p, "logs"), before + (long)i + 1);
    }
    /* trailing-garbage stores the call before it spoils the answer. */
    assert_true(kept_count(&p) <= 1);
    log_upload_request_free(&request);
    stop_platform(&p);
}

/* A platform that fails every time: each send is one request and one
 * clear answer, and nothing is sent between them. */
static void test_a_platform_that_always_fails_is_asked_once_per_send(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    set_fault_on(&p, "500", "/v1/logs", -1);
    log_upload_request request;
    prepare("kiosk 1.000 I x: one\n", &request);
    log_upload_config config = config_for(p.port);
    for (int i = 1; i <= 5; i++) {
        log_upload_result result;
        log_upload_send(&config, &request, &result);
        assert_int_equal(result.outcome, LOG_UPLOAD_BAD_ANSWER);
        assert_non_null(strstr(result.message, "the platform answered 500"));
        assert_int_equal(requests_of(&p, "logs"), i);
    }
    sleep(1);
    assert_int_equal(requests_of(&p, "logs"), 5);
    assert_int_equal(kept_count(&p), 0);
    log_upload_request_free(&request);
    stop_platform(&p);

    /* Nobody listening: no answer, at once. */
    log_upload_config nobody = config_for(1);
    log_upload_request one;
    prepare("kiosk 1.000 I x: one\n", &one);
    log_upload_result result;
    log_upload_send(&nobody, &one, &result);
    assert_int_equal(result.outcome, LOG_UPLOAD_NO_ANSWER);
    assert_non_null(strstr(result.message, "no answer from the platform"));
    /* No platform at all on the board. */
    nobody.url = "";
    log_upload_send(&nobody, &one, &result);
    assert_int_equal(result.outcome, LOG_UPLOAD_LOCAL);
    log_upload_request_free(&one);
}

/* ---- the technician's log page ---------------------------------------------- */

static bool settled(kiosk_app *app, const void *context)
{
    (void)context;
    return !app_logs_sending(app);
}

static const char *board_for(const platform *p, const char *dir_name)
{
    char tls[4000];
    char pca[1100], pcert[1100], pkey[1100];
    cert_path(pca, sizeof pca, "platform-ca.crt");
    cert_path(pcert, sizeof pcert, "client.crt");
    cert_path(pkey, sizeof pkey, "client.key");
    snprintf(tls, sizeof tls,
             "\"platform_url\": \"https://127.0.0.1:%d/\",\n  \"platform_tls\": {\"ca_file\": "
             "\"%s\", \"client_cert\": \"%s\", \"client_key\": \"%s\"},",
             p->port, pca, pcert, pkey);
    const char *profile = test_read_file(test_board_in_temp("portrait-1080", NULL));
    return test_write_file(
        test_make_temp_dir(dir_name), "board.json",
        test_replace(profile, "\"platform_url\": \"https://127.0.0.1:8443/\",", tls));
}

static void save_screen(kiosk_app *app, const char *name)
{
    SDL_Surface *shot = NULL;
    assert_int_equal(app_capture(app, &shot), KIOSK_OK);
    char path[1200];
    snprintf(path, sizeof path, "%s/build/test-output", test_source_dir());
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/build/test-output/%s.png", test_source_dir(), name);
    kiosk_diag diag = {{0}};
    assert_int_equal(ui_image_save_png(shot, path, &diag), KIOSK_OK);
    SDL_FreeSurface(shot);
}

/* The audit rows of action, from the app's own store. */
static int audited(kiosk_app *app, const char *action, char *detail, size_t size)
{
    cache_store *store = app_platform_core(app)->store;
    assert_non_null(store);
    static cache_audit_row rows[64];
    size_t count = 0;
    assert_int_equal(cache_audit_list(store, 0, rows, 64, &count, NULL), KIOSK_OK);
    int found = 0;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(rows[i].action, action) == 0) {
            found++;
            snprintf(detail, size, "%s | %s", rows[i].actor, rows[i].detail);
        }
    }
    return found;
}

static void test_the_technician_sends_the_log_from_its_page(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_app *app = test_app_create(board_for(&p, "logs-page"), LANG_ZH_CN);
    assert_int_equal(app_go(app, APP_SCREEN_TECHNICIAN), KIOSK_OK);
    test_tap(app, "tech.menu.logs");
    assert_string_equal(app_screen_name(app), "tech_logs");
    test_tap(app, "tech.logs.send");
    /* The page is not held while it goes. */
    assert_string_equal(app_screen_name(app), "tech_logs");
    assert_true(test_run_until(app, settled, NULL));
    const char *said = test_text_of(app, "tech.logs.sent");
    printf("%s\n", said);
    assert_non_null(strstr(said, "已发送到平台："));
    assert_non_null(strstr(said, " 行"));
    save_screen(app, "tech-logs-sent");
    assert_int_equal(kept_count(&p), 1);
    char detail[400] = "";
    assert_int_equal(audited(app, "logs.send", detail, sizeof detail), 1);
    assert_non_null(strstr(detail, "sent: "));

    /* A gateway with nothing behind it: what failed and what to check. */
    set_fault_on(&p, "502-html", "/v1/logs", -1);
    test_tap(app, "tech.logs.send");
    assert_true(test_run_until(app, settled, NULL));
    said = test_text_of(app, "tech.logs.sent");
    printf("%s\n", said);
    assert_non_null(strstr(said, "没有发送：平台的应答不对（the platform answered 502"));
    assert_non_null(strstr(said, "稍后再按一次发送"));
    save_screen(app, "tech-logs-not-sent");
    assert_int_equal(audited(app, "logs.send", detail, sizeof detail), 2);
    assert_non_null(strstr(detail, "bad-answer: the platform answered 502"));

    /* The gateway recovers: the same copy goes again, kept once. */
    set_fault_on(&p, "none", "/v1/logs", 0);
    test_tap(app, "tech.logs.send");
    assert_true(test_run_until(app, settled, NULL));
    assert_non_null(strstr(test_text_of(app, "tech.logs.sent"), "已发送到平台："));
    assert_int_equal(kept_count(&p), 2);
    app_destroy(app);
    stop_platform(&p);
}

/* A platform that holds the connection: the page says it is sending, a
 * second press starts nothing, and after the time-out the technician reads
 * that no answer came. */
static void test_a_press_while_sending_starts_nothing(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    set_fault_on(&p, "hang", "/v1/logs", 1);
    kiosk_app *app = test_app_create(board_for(&p, "logs-hang"), LANG_ZH_CN);
    assert_int_equal(app_go(app, APP_SCREEN_TECH_LOGS), KIOSK_OK);
    test_tap(app, "tech.logs.send");
    assert_true(app_logs_sending(app));
    assert_string_equal(test_text_of(app, "tech.logs.sent"), "正在发送到平台，请稍候……");
    test_tap(app, "tech.logs.send");
    assert_string_equal(test_text_of(app, "tech.logs.sent"), "正在发送到平台，请稍候……");
    /* The upload gives up after 8 s; each wait here is 8 s at most. */
    bool ended = false;
    for (int i = 0; i < 3 && !ended; i++)
        ended = test_run_until(app, settled, NULL);
    assert_true(ended);
    const char *said = test_text_of(app, "tech.logs.sent");
    printf("%s\n", said);
    assert_non_null(strstr(said, "没有发送：平台没有应答（no answer from the platform: "));
    assert_non_null(strstr(said, "请到“网络诊断”检查到平台的连接"));
    assert_int_equal(requests_of(&p, "logs"), 1);
    app_destroy(app);
    stop_platform(&p);
}

/* A terminal without its platform link: said at once, nothing sent. */
static void test_a_terminal_without_a_platform_link_says_so(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    assert_int_equal(app_go(app, APP_SCREEN_TECH_LOGS), KIOSK_OK);
    test_tap(app, "tech.logs.send");
    assert_false(app_logs_sending(app));
    assert_string_equal(test_text_of(app, "tech.logs.sent"),
                        "没有发送：本机没有配置平台，或缺少证书");
    char detail[400] = "";
    assert_int_equal(audited(app, "logs.send", detail, sizeof detail), 1);
    assert_non_null(strstr(detail, "local: no platform link"));
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_log_arrives_masked),
        cmocka_unit_test(test_numbers_missed_by_the_ring_are_masked_before_they_leave),
        cmocka_unit_test(test_a_log_over_the_ceiling_leaves_its_oldest_lines_out),
        cmocka_unit_test(test_a_retry_after_a_lost_answer_is_kept_once),
        cmocka_unit_test(test_hostile_answers_end_in_words_after_one_request),
        cmocka_unit_test(test_a_platform_that_always_fails_is_asked_once_per_send),
        cmocka_unit_test(test_the_technician_sends_the_log_from_its_page),
        cmocka_unit_test(test_a_press_while_sending_starts_nothing),
        cmocka_unit_test(test_a_terminal_without_a_platform_link_says_so),
    };
    return PLATFORM_RUN_TESTS(tests);
}
