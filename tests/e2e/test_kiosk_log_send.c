/* The recent log sent to the platform with the real kiosk binary, its admin
 * socket and kioskctl, against the real stand-in over mutual TLS
 * (docs/technician.md, "The log"): kioskctl logs --send with a synthetic ID
 * number and mobile number in the log (the stand-in keeps them masked
 * only), --json, a gateway's 502 page that lasts (exit 1, what failed and
 * what to check, one request per command and none between), an answer lost
 * after the platform kept the log (the next send is the same copy, kept
 * once), the technician's log page with its button, and each send in the
 * audit trail. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

#define ID_NUMBER "11010519491231002X"
#define MOBILE    "13912345678"

static char admin_socket[108];
static char kiosk_log[1200];
static char out[1 << 16], err[1 << 14];

static int ctl(const char *a, const char *b, const char *c)
{
    static char binary[1100];
    snprintf(binary, sizeof binary, "%sctl", test_kiosk_binary());
    const char *argv[] = {binary, "--socket", admin_socket, a, b, c, NULL};
    out[0] = err[0] = '\0';
    return test_run(argv, err, sizeof err, out, sizeof out);
}

static void expect_in(const char *text, const char *what)
{
    if (!strstr(text, what))
        fail_msg("\"%s\" is not in \"%s\"", what, text);
}

/* The kiosk on a development board pointed at p, kioskctl's socket in
 * /tmp, logging at info into kiosk_log, the test control channel on. */
static void start_kiosk(const platform *p, kiosk_proc *k)
{
    kiosk_board(p, k);
    char dir[1100];
    snprintf(dir, sizeof dir, "%s", k->board);
    *strrchr(dir, '/') = '\0';
    static int kiosks;
    snprintf(admin_socket, sizeof admin_socket, "/tmp/kiosk-logsend-%d-%d.sock", (int)getpid(),
             ++kiosks);
    snprintf(kiosk_log, sizeof kiosk_log, "%s/kiosk.log", dir);
    char with[600];
    snprintf(with, sizeof with, "\"idle_timeout_s\": 60,\n  \"admin\": {\"socket\": \"%s\"}",
             admin_socket);
    char *text = strdup(test_read_file(k->board));
    test_write_file(dir, "board.json", test_replace(text, "\"idle_timeout_s\": 60", with));
    free(text);

    kiosk_start_logged(k, kiosk_log);
    kiosk_expect(k, "wait attract 5000", "ok attract");
}

/* The rows of the kiosk's audit trail (kioskctl audit verify), intact. */
static long audit_rows(void)
{
    assert_int_equal(ctl("--json", "audit", "verify"), 0);
    cJSON *answer = cJSON_Parse(out);
    const cJSON *data = cJSON_GetObjectItem(answer, "data");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(data, "intact")));
    long rows = (long)cJSON_GetObjectItem(data, "rows")->valuedouble;
    cJSON_Delete(answer);
    return rows;
}

/* What the stand-in kept of K0420's logs, as text, and how many. */
static char *kept_logs(const platform *p, int *count)
{
    cJSON *answer = platform_control(p, "/_sim/logs", "{\"terminal\":\"K0420\"}");
    assert_non_null(answer);
    *count = cJSON_GetObjectItem(answer, "count")->valueint;
    char *text = cJSON_PrintUnformatted(answer);
    cJSON_Delete(answer);
    return text;
}

static void test_kioskctl_sends_the_log_masked(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    start_kiosk(&p, &k);
    /* A synthetic ID number and mobile number reach the kiosk's log (a
     * mistyped device name is logged). */
    assert_int_equal(ctl("selftest", ID_NUMBER, NULL), 2);
    assert_int_equal(ctl("selftest", MOBILE, NULL), 2);
    long rows = audit_rows();

    assert_int_equal(ctl("logs", "--send", NULL), 0);
    printf("%s", out);
    expect_in(out, "logs --send: sent to the platform: ");
    int count = 0;
    char *kept = kept_logs(&p, &count);
    assert_int_equal(count, 1);
    expect_in(kept, "no device \\\"110105********002X\\\"");
    expect_in(kept, "no device \\\"139****5678\\\"");
    expect_in(kept, "\"by\":\"kioskctl:root\"");
    assert_null(strstr(kept, "19491231"));
    assert_null(strstr(kept, "12345678"));
    free(kept);
    assert_true(audit_rows() > rows);

    assert_int_equal(ctl("--json", "logs", "--send"), 0);
    cJSON *answer = cJSON_Parse(out);
    const cJSON *data = cJSON_GetObjectItem(answer, "data");
    assert_string_equal(cJSON_GetObjectItem(data, "outcome")->valuestring, "sent");
    assert_true(cJSON_GetObjectItem(data, "lines")->valuedouble > 10);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(data, "replay")));
    cJSON_Delete(answer);
    /* --send takes nothing more. */
    assert_int_equal(ctl("logs", "--send", "now"), 2);
    expect_in(err, "logs --send takes nothing more");
    kiosk_stop(&k, false);
    stop_platform(&p);
}

static void test_a_failing_platform_gets_one_request_per_send_and_a_clear_answer(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    start_kiosk(&p, &k);
    long rows = audit_rows();
    /* A gateway in front of a platform that is down, for good. */
    set_fault_on(&p, "502-html", "/v1/logs", -1);
    for (long i = 1; i <= 3; i++) {
        assert_int_equal(ctl("logs", "--send", NULL), 1);
        expect_in(err, "logs --send: not sent (bad-answer): the platform answered 502 (not "
                       "JSON: a gateway's or proxy's page?): a gateway or proxy may be failing; "
                       "send again later: the platform keeps one copy");
        assert_int_equal(requests_of(&p, "logs"), i);
    }
    sleep(2);
    assert_int_equal(requests_of(&p, "logs"), 3);
    int count = 0;
    free(kept_logs(&p, &count));
    assert_int_equal(count, 0);
    assert_true(audit_rows() >= rows + 3);

    /* The platform keeps the log and the answer is lost: the next send is
     * the same copy under the same key, kept once. */
    set_fault_on(&p, "reset-after-commit", "/v1/logs", 1);
    assert_int_equal(ctl("logs", "--send", NULL), 1);
    expect_in(err, "logs --send: not sent (no-answer): no answer from the platform");
    expect_in(err, "check the link");
    free(kept_logs(&p, &count));
    assert_int_equal(count, 1);
    assert_int_equal(ctl("logs", "--send", NULL), 0);
    expect_in(out, "(the last try had arrived: kept once)");
    free(kept_logs(&p, &count));
    assert_int_equal(count, 1);
    assert_int_equal(kind_stat_of(&p, "logs", "stored"), 1);
    expect_in(test_read_file(kiosk_log), "is sent again as it was");
    kiosk_stop(&k, false);
    stop_platform(&p);
}

static void test_the_technician_sends_the_log_from_the_log_page(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    start_kiosk(&p, &k);
    kiosk_expect(&k, "role T001 technician 张工", "ok technician");
    kiosk_expect(&k, "tap tech.menu.logs", "ok tech_logs");
    kiosk_expect(&k, "tap tech.logs.send", "ok tech_logs");
    if (!kiosk_shows(&k, "已发送到平台：", 200))
        kiosk_expect_shown(&k, "已发送到平台：");
    char path[1100], command[1200], answer[1200];
    snprintf(path, sizeof path, "%s/build/test-output/tech-e2e-logs-sent.png", test_source_dir());
    snprintf(command, sizeof command, "screenshot %s", path);
    snprintf(answer, sizeof answer, "ok %s", path);
    kiosk_expect(&k, command, answer);
    int count = 0;
    char *kept = kept_logs(&p, &count);
    assert_int_equal(count, 1);
    expect_in(kept, "\"by\":\"technician:T001\"");
    free(kept);
    kiosk_stop(&k, false);
    const char *log = test_read_file(kiosk_log);
    expect_in(log, "I logs: the log is sent to the platform: ");
    stop_platform(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kioskctl_sends_the_log_masked),
        cmocka_unit_test(test_a_failing_platform_gets_one_request_per_send_and_a_clear_answer),
        cmocka_unit_test(test_the_technician_sends_the_log_from_the_log_page),
    };
    return PLATFORM_RUN_TESTS(tests);
}
