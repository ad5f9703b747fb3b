/* A technician at the real kiosk binary, against the platform stand-in:
 * signed in by laying the sample technician's card (key 9) and typing the
 * PIN on the screen's keypad, the device self-tests on the simulated
 * devices (the card reader reads a card, the receipt printer prints its
 * test page, which is read back, and FAILS with its own words on the
 * screen once its paper runs out, the scanner reads a code), the network
 * diagnosis toward the stand-in, and what was audited read back from the
 * terminal's store, kioskctl's `audit verify` and the platform's copy. */
#include "../support/platform_fixture.h"
#include "../support/role_signin.h"
#include "../support/test_support.h"

#include "offline-cache/audit.h"
#include "offline-cache/store.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ROWS_MAX ROLE_AUDIT_ROWS_MAX

/* The sample board's technician (board/staff-sample.txt): demo PIN. */
#define TECHNICIAN_PIN "135790"
/* The made-up citizen's card behind key 1 (drivers/sim/idcard_sim.c). */
#define CARD_ONE "440304199001011233"

/* The card laid, the PIN typed on the keypad, 登录: the technician's home. */
static void technician_signs_in(kiosk_proc *k)
{
    role_signs_in_by_card(k, "9", TECHNICIAN_PIN, "technician");
    kiosk_expect_shown(k, "技术维护 · 陈志强");
    kiosk_expect_shown(k, "K0420");
    /* The technician's card lifted; the reader polls and sees it gone. */
    role_lifts_card(k, "technician");
}

/* Waits until the self-tests' screen shows what (a test's line with its
 * outcome), failing with the screen when it never does. */
static void selftest_shows(kiosk_proc *k, const char *what)
{
    if (!kiosk_shows(k, what, 600))
        fail_msg("the self-tests never showed \"%s\": %s", what, kiosk_tree(k));
}

/* The receipt printer's cuts so far (0 when nothing has printed). */
static long receipts_cut(kiosk_proc *k, char *lines, size_t size)
{
    const char *answer = kiosk_ask(k, "receipt");
    if (strncmp(answer, "ok ", 3) != 0)
        return 0;
    cJSON *reply = cJSON_Parse(answer + 3);
    assert_non_null(reply);
    long cuts = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(reply, "cuts"));
    if (lines) {
        lines[0] = '\0';
        const cJSON *line = NULL;
        cJSON_ArrayForEach(line, cJSON_GetObjectItem(reply, "lines"))
        {
            size_t used = strlen(lines);
            snprintf(lines + used, size - used, "%s\n", cJSON_GetStringValue(line));
        }
    }
    cJSON_Delete(reply);
    return cuts;
}

/* Rows by actor, action and subject; detail, when not NULL, begins the
 * row's detail. */
static int rows_of(const cache_audit_row *rows, size_t count, const char *actor, const char *action,
                   const char *subject, const char *detail)
{
    int found = 0;
    for (size_t i = 0; i < count; i++)
        found += strcmp(rows[i].actor, actor) == 0 && strcmp(rows[i].action, action) == 0 &&
                 strcmp(rows[i].subject, subject) == 0 &&
                 (!detail || strncmp(rows[i].detail, detail, strlen(detail)) == 0);
    return found;
}

static void screenshot(kiosk_proc *k, const char *name)
{
    char command[1200];
    snprintf(command, sizeof command, "screenshot %s/build/test-output/%s", test_source_dir(),
             name);
    assert_int_equal(strncmp(kiosk_ask(k, command), "ok", 2), 0);
}

static void test_a_technician_tests_the_devices_and_the_network(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    role_kiosk_up(&p, &k);
    technician_signs_in(&k);
    kiosk_expect(&k, "tap tech.menu.selftest", "ok tech_selftest");

    /* The card reader: a card laid is read, its number shown masked, and
     * it starts nobody's visit. */
    kiosk_expect(&k, "tap tech.selftest.card", "ok tech_selftest");
    kiosk_expect_shown(&k, "请把测试卡放在读卡器上");
    kiosk_expect(&k, "key 1", "ok tech_selftest");
    selftest_shows(&k, "读卡器：读一张测试卡 · 通过");
    kiosk_expect_shown(&k, "校验位正确");
    kiosk_expect_shown(&k, "440304********1233");
    assert_null(strstr(kiosk_tree(&k), CARD_ONE));
    kiosk_expect(&k, "screen", "ok tech_selftest");
    kiosk_expect(&k, "key 0", "ok tech_selftest");

    /* The receipt printer: its test page comes out whole and cut. */
    long cuts = receipts_cut(&k, NULL, 0);
    kiosk_expect(&k, "tap tech.selftest.printer", "ok tech_selftest");
    selftest_shows(&k, "凭条打印机：打印测试页 · 通过");
    kiosk_expect_shown(&k, "测试页已打印并切纸");
    static char page[8192];
    assert_int_equal(receipts_cut(&k, page, sizeof page), cuts + 1);
    if (!strstr(page, "打印自检") || !strstr(page, "K0420"))
        fail_msg("the test page printed: %s", page);

    /* Out of paper: the test fails, and says so in the printer's words
     * with what to do. */
    kiosk_expect(&k, "key p", "ok tech_selftest");
    bool failed = false;
    for (int attempt = 0; attempt < 20 && !failed; attempt++) {
        usleep(200 * 1000);
        kiosk_expect(&k, "tap tech.selftest.printer", "ok tech_selftest");
        failed = kiosk_shows(&k, "凭条打印机：打印测试页 · 未通过", 300);
    }
    if (!failed)
        fail_msg("the printer out of paper passed its test: %s", kiosk_tree(&k));
    kiosk_expect_shown(&k, "未通过：打印机没有纸了。");
    kiosk_expect_shown(&k, "打印机缺纸：请换纸卷。");
    screenshot(&k, "tech-e2e-printer-paper-out.png");
    assert_int_equal(receipts_cut(&k, NULL, 0), cuts + 1);
    kiosk_expect(&k, "key p", "ok tech_selftest");

    /* The scanner: a code shown is read; its kind and length are shown,
     * never what it says. */
    kiosk_expect(&k, "tap tech.selftest.scanner", "ok tech_selftest");
    kiosk_expect_shown(&k, "请把测试码对准扫码窗口");
    kiosk_expect(&k, "key s", "ok tech_selftest");
    selftest_shows(&k, "扫码器：扫一个测试码 · 通过");
    kiosk_expect_shown(&k, "扫到 ");
    assert_null(strstr(kiosk_tree(&k), "GD20261122000001"));
    screenshot(&k, "tech-e2e-selftests.png");

    /* The network toward the stand-in: every step passes, timed, and the
     * platform's certificate is named. */
    kiosk_expect(&k, "tap tech.back", "ok technician");
    kiosk_expect(&k, "tap tech.menu.network", "ok tech_network");
    if (!kiosk_shows(&k, "平台应答 · 通过", 600))
        fail_msg("the diagnosis never answered: %s", kiosk_tree(&k));
    static const char *const steps[] = {"DNS 解析 · 通过", "TCP 连接 · 通过", "TLS 握手 · 通过",
                                        "时间 · 通过"};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        kiosk_expect_shown(&k, steps[i]);
    char port[32];
    snprintf(port, sizeof port, "端口 %d", p.port);
    kiosk_expect_shown(&k, port);
    kiosk_expect_shown(&k, "平台证书：");
    assert_null(strstr(kiosk_tree(&k), "未通过"));
    screenshot(&k, "tech-e2e-network.png");
    kiosk_expect(&k, "tap tech.sign_out", "ok attract");
    assert_null(strstr(kiosk_tree(&k), "陈志强"));
    long verified = role_kioskctl_audit_rows(&k);
    kiosk_stop(&k, false);

    /* The trail: the sign-in, each test with its outcome, the diagnosis,
     * the sign-out, all under the technician's id; no citizen's number. */
    static cache_audit_row rows[ROWS_MAX];
    size_t count = role_audit_rows(&k, rows);
    assert_int_equal((long)count, verified);
    const char *who = "technician:T001";
    assert_int_equal(rows_of(rows, count, who, "staff.sign_in", "T001", NULL), 1);
    assert_int_equal(rows_of(rows, count, who, "selftest", "card", "passed"), 1);
    assert_int_equal(rows_of(rows, count, who, "selftest", "printer", "passed"), 1);
    assert_true(rows_of(rows, count, who, "selftest", "printer", "failed: 打印机没有纸了") >= 1);
    assert_int_equal(rows_of(rows, count, who, "selftest", "scanner", "passed"), 1);
    assert_true(rows_of(rows, count, who, "netdiag", "127.0.0.1", NULL) >= 1);
    assert_int_equal(rows_of(rows, count, who, "staff.sign_out", "T001", NULL), 1);
    for (size_t i = 0; i < count; i++) {
        assert_null(strstr(rows[i].detail, CARD_ONE));
        assert_null(strstr(rows[i].subject, CARD_ONE));
        assert_null(strstr(rows[i].detail, TECHNICIAN_PIN));
    }

    /* Started again, the first heartbeat reports the trail's head: the
     * platform's copy holds every row and explains it. */
    kiosk_start(&k);
    kiosk_expect(&k, "wait attract 8000", "ok attract");
    role_platform_trail_matches(&p, count);
    kiosk_stop(&k, false);
    stop_platform(&p);
}

/* A network step that fails is said in the technician's words: the
 * stand-in stopped, the platform's port refuses the connection. */
static void test_the_diagnosis_names_a_platform_that_is_not_running(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    role_kiosk_up(&p, &k);
    int port = p.port;
    stop_platform(&p);
    technician_signs_in(&k);
    kiosk_expect(&k, "tap tech.menu.network", "ok tech_network");
    if (!kiosk_shows(&k, "TCP 连接 · 未通过", 600))
        fail_msg("the diagnosis never failed: %s", kiosk_tree(&k));
    char refused[96];
    snprintf(refused, sizeof refused, "127.0.0.1 的 %d 端口拒绝连接", port);
    kiosk_expect_shown(&k, refused);
    kiosk_expect_shown(&k, "DNS 解析 · 通过");
    kiosk_expect_shown(&k, "TLS 握手 · 未进行（前一步未通过）");
    kiosk_expect(&k, "tap tech.sign_out", "ok attract");
    kiosk_stop(&k, false);
    static cache_audit_row rows[ROWS_MAX];
    size_t count = role_audit_rows(&k, rows);
    assert_true(rows_of(rows, count, "technician:T001", "netdiag", "127.0.0.1", NULL) >= 1);
}

int main(void)
{
    char output[1100];
    snprintf(output, sizeof output, "%s/build/test-output", test_source_dir());
    mkdir(output, 0755);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_technician_tests_the_devices_and_the_network),
        cmocka_unit_test(test_the_diagnosis_names_a_platform_that_is_not_running),
    };
    return PLATFORM_RUN_TESTS(tests);
}
