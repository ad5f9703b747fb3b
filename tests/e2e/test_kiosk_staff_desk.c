/* The staff desk (帮办) on the real kiosk binary against the platform
 * stand-in, driven through the test control channel and signed in with its
 * `role` command: paper refilled and a citizen's receipt reprinted (read
 * back from the simulated receipt printer), a service started for a citizen
 * whose record at the platform names its helper, and a record the platform
 * refused, resent by staff and delivered exactly once.
 *
 * Where role sessions are not in the build (app_role_begin does nothing),
 * the staff screens cannot be reached without a card and PIN: each test
 * says so and is skipped after what it could check without them. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Staff S001 signs in; false when role sessions are not in this build. */
static bool staff_signs_in(kiosk_proc *k)
{
    const char *answer = kiosk_ask(k, "role S001 staff 王芳");
    if (strcmp(answer, "ok staff") == 0)
        return true;
    print_message("role sessions are not in this build (role answered \"%s\"): the staff "
                  "screens' steps are skipped\n",
                  answer);
    return false;
}

#define SIGN_IN_OR_SKIP(k, p)                                                                      \
    do {                                                                                           \
        if (!staff_signs_in(k)) {                                                                  \
            kiosk_stop(k, false);                                                                  \
            stop_platform(p);                                                                      \
            skip();                                                                                \
        }                                                                                          \
    } while (0)

/* The last receipt printed, read back: its lines joined by newlines, and
 * how many cuts the printer has made (a static buffer). */
static const char *printed(kiosk_proc *k, long *cuts)
{
    static char text[8192];
    const char *answer = kiosk_ask(k, "receipt");
    if (strncmp(answer, "ok ", 3) != 0)
        fail_msg("receipt: %s", answer);
    cJSON *reply = cJSON_Parse(answer + 3);
    assert_non_null(reply);
    text[0] = '\0';
    const cJSON *line = NULL;
    cJSON_ArrayForEach(line, cJSON_GetObjectItem(reply, "lines"))
    {
        size_t used = strlen(text);
        snprintf(text + used, sizeof text - used, "%s\n", cJSON_GetStringValue(line));
    }
    if (cuts)
        *cuts = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(reply, "cuts"));
    cJSON_Delete(reply);
    return text;
}

/* The citizen after the result: no rating, the visit ended, the card taken. */
static void citizen_leaves(kiosk_proc *k)
{
    kiosk_expect(k, "tap result.done", "ok rate");
    kiosk_expect(k, "tap rate.skip", "ok finished");
    kiosk_ask(k, "tap finished.end");
    citizen_takes_card(k);
    kiosk_expect(k, "wait attract 5000", "ok attract");
}

/* The platform's tracking number on the result screen (GD...). */
static void tracking_of(kiosk_proc *k, char *out, size_t size)
{
    const char *tree = kiosk_tree(k);
    const char *at = strstr(tree, "\"text\":\"GD");
    assert_non_null(at);
    at += strlen("\"text\":\"");
    /* Shown in groups of four for the eye: the number without the spaces. */
    size_t used = 0;
    for (; *at && *at != '"' && used + 1 < size; at++) {
        if (*at != ' ')
            out[used++] = *at;
    }
    out[used] = '\0';
}

/* The stand-in refuses the next submission with the protocol's typed 400
 * ("bad-request"), which the terminal quarantines for staff, then accepts
 * again; false when the stand-in has no such refusal to plan. */
static bool platform_refuses_next(const platform *p)
{
    cJSON *answer = platform_control(
        p, "/_sim/fault",
        "{\"fault\":\"400-bad-request\",\"count\":1,\"path\":\"" RECORD_PATHS "\"}");
    const cJSON *planned = cJSON_GetObjectItemCaseSensitive(answer, "fault");
    bool ok = cJSON_IsString(planned) && strcmp(planned->valuestring, "400-bad-request") == 0;
    cJSON_Delete(answer);
    if (!ok)
        print_message("the stand-in cannot refuse a record with a typed 400 yet: skipped\n");
    return ok;
}

static void test_paper_is_refilled_and_a_receipt_reprinted(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    kiosk_up(&p, &k);
    /* A citizen's service, and its receipt printed. */
    citizen_reaches_confirm(&k, "1");
    citizen_taps_submit(&k);
    char tracking[64];
    tracking_of(&k, tracking, sizeof tracking);
    citizen_prints(&k);
    long cuts = 0;
    const char *first = printed(&k, &cuts);
    if (!strstr(first, tracking))
        fail_msg("the receipt printed has no %s:\n%s", tracking, first);
    assert_int_equal(cuts, 1);
    kiosk_expect(&k, "tap print.done", "ok rate");
    kiosk_expect(&k, "tap rate.skip", "ok finished");
    kiosk_ask(&k, "tap finished.end");
    citizen_takes_card(&k);
    kiosk_expect(&k, "wait attract 5000", "ok attract");

    /* The paper runs out. */
    kiosk_ask(&k, "key p");
    assert_true(kiosk_shows(&k, "缺纸", 100));
    SIGN_IN_OR_SKIP(&k, &p);
    kiosk_expect_shown(&k, "打印机缺纸");
    /* The status in words: the paper, the link, the citizen's record delivered. */
    kiosk_expect(&k, "tap staff.menu.status", "ok staff_status");
    kiosk_expect_shown(&k, "凭条打印机：打印机缺纸：请换纸卷。");
    kiosk_expect_shown(&k, "平台连接：平台已连接");
    kiosk_expect_shown(&k, "上次有记录送达平台：刚刚");
    kiosk_expect(&k, "tap staff.back", "ok staff");
    kiosk_expect(&k, "tap staff.menu.paper", "ok staff_paper");
    kiosk_expect_shown(&k, "凭条纸：已用完，请补充凭条纸。");
    /* Refilled said before the roll is in: the printer still has none. */
    kiosk_expect(&k, "tap staff.paper.refilled", "ok staff_paper");
    kiosk_expect_shown(&k, "仍报告缺纸");
    kiosk_ask(&k, "key p");
    bool has_paper = false;
    for (int i = 0; i < 40 && !has_paper; i++) {
        kiosk_expect(&k, "tap staff.paper.refilled", "ok staff_paper");
        has_paper = kiosk_shows(&k, "打印机报告有纸", 1);
        if (!has_paper)
            usleep(100 * 1000);
    }
    assert_true(has_paper);

    /* The citizen's receipt again, by the digits of its number. */
    kiosk_expect(&k, "tap staff.paper.reprint", "ok staff_paper");
    for (const char *c = tracking; *c; c++) {
        if (*c < '0' || *c > '9')
            continue;
        char command[32];
        snprintf(command, sizeof command, "tap keypad.%c", *c);
        kiosk_expect(&k, command, "ok staff_paper");
    }
    kiosk_expect(&k, "tap staff.reprint.print", "ok staff_paper");
    assert_true(kiosk_shows(&k, "已打印", 100));
    const char *again = printed(&k, &cuts);
    assert_int_equal(cuts, 2);
    assert_non_null(strstr(again, "补打"));
    assert_non_null(strstr(again, tracking));
    assert_non_null(strstr(again, "K0420-"));
    /* Nobody's ID number on the reprint (card 1: 440304199001011233). */
    assert_null(strstr(again, "440304"));
    assert_null(strstr(again, "1233"));
    kiosk_expect(&k, "tap staff.sign_out", "ok attract");
    kiosk_stop(&k, false);
    stop_platform(&p);
}

static void test_an_assisted_service_names_its_helper(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    kiosk_up(&p, &k);
    SIGN_IN_OR_SKIP(&k, &p);
    kiosk_expect(&k, "tap staff.menu.assist", "ok staff_assist");
    /* The staff session ends; the citizen's begins on the service's card step. */
    kiosk_expect(&k, "tap staff.assist.certificate-print", "ok card");
    assert_null(strstr(kiosk_tree(&k), "staff.sign_out"));
    citizen_identifies(&k, "1", "confirm");
    citizen_taps_submit(&k);
    char tracking[64];
    tracking_of(&k, tracking, sizeof tracking);
    assert_true(stored_reaches(&p, 1, 10));
    /* The stand-in keeps what the submission carried. */
    char body[128];
    snprintf(body, sizeof body, "{\"tracking_number\":\"%s\"}", tracking);
    cJSON *record = platform_control(&p, "/_sim/submission", body);
    assert_non_null(record);
    char *text = cJSON_PrintUnformatted(record);
    assert_non_null(strstr(text, "\"assisted_by\":\"S001\""));
    free(text);
    cJSON_Delete(record);
    citizen_leaves(&k);
    kiosk_stop(&k, false);
    stop_platform(&p);
}

static void test_refused_records_are_resent_once_or_closed_with_a_reason(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    kiosk_up(&p, &k);
    if (!platform_refuses_next(&p)) {
        kiosk_stop(&k, false);
        stop_platform(&p);
        skip();
    }
    citizen_reaches_confirm(&k, "2");
    kiosk_ask(&k, "tap step.next");
    kiosk_expect(&k, "wait result 8000", "ok result");
    citizen_leaves(&k);
    if (!kiosk_shows(&k, "待核查 1 条", 200))
        fail_msg("never held for checking: %s", kiosk_tree(&k));
    assert_int_equal(stat_of(&p, "stored"), 0);
    SIGN_IN_OR_SKIP(&k, &p);
    kiosk_expect_shown(&k, "1 件申请被退回");
    kiosk_expect(&k, "tap staff.menu.refused", "ok staff_refused");
    const char *tree = kiosk_tree(&k);
    assert_non_null(strstr(tree, "K0420-"));
    assert_non_null(strstr(tree, "********"));
    assert_null(strstr(tree, "440304199001011233"));
    kiosk_expect(&k, "tap staff.refused.0.resend", "ok staff_refused");
    kiosk_expect_shown(&k, "请先确认问题已改正");
    kiosk_expect(&k, "tap staff.refused.yes", "ok staff_refused");
    kiosk_expect_shown(&k, "已重新排队上传");
    assert_true(stored_reaches(&p, 1, 10));
    usleep(1500 * 1000);
    assert_int_equal(stat_of(&p, "stored"), 1);
    assert_int_equal(stat_of(&p, "duplicates"), 0);
    kiosk_expect(&k, "tap staff.back", "ok staff");
    kiosk_expect(&k, "tap staff.menu.refused", "ok staff_refused");
    kiosk_expect_shown(&k, "没有被平台退回的申请。");
    kiosk_expect(&k, "tap staff.sign_out", "ok attract");

    /* Another is refused; the citizen withdrew it: staff close it with that
     * reason, confirmed, and it is never sent. */
    assert_true(platform_refuses_next(&p));
    citizen_reaches_confirm(&k, "3");
    kiosk_ask(&k, "tap step.next");
    kiosk_expect(&k, "wait result 8000", "ok result");
    citizen_leaves(&k);
    assert_true(kiosk_shows(&k, "待核查 1 条", 200));
    assert_true(staff_signs_in(&k));
    kiosk_expect(&k, "tap staff.menu.refused", "ok staff_refused");
    kiosk_expect(&k, "tap staff.refused.0.close", "ok staff_refused");
    kiosk_expect_shown(&k, "不会被悄悄删除");
    kiosk_expect(&k, "tap staff.refused.reason.2", "ok staff_refused"); /* 市民撤回 */
    kiosk_expect_shown(&k, "确认以“市民撤回”关闭");
    kiosk_expect(&k, "tap staff.refused.yes", "ok staff_refused");
    kiosk_expect_shown(&k, "已关闭，原因已记录");
    kiosk_expect_shown(&k, "没有被平台退回的申请。");
    usleep(1500 * 1000);
    assert_int_equal(stat_of(&p, "stored"), 1);
    kiosk_expect(&k, "tap staff.sign_out", "ok attract");
    assert_true(kiosk_shows(&k, "待核查 0 条", 100));
    kiosk_stop(&k, false);
    stop_platform(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paper_is_refilled_and_a_receipt_reprinted),
        cmocka_unit_test(test_an_assisted_service_names_its_helper),
        cmocka_unit_test(test_refused_records_are_resent_once_or_closed_with_a_reason),
    };
    return PLATFORM_RUN_TESTS(tests);
}
