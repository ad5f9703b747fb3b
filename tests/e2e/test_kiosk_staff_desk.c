/* The staff desk (帮办) on the real kiosk binary against the platform
 * stand-in, driven through the test control channel, staff signed in by
 * laying their card on the simulated reader and typing the PIN: paper
 * refilled and a citizen's receipt reprinted (read back from the simulated
 * receipt printer), a service started for a citizen whose record at the
 * platform names its helper (read back from the stand-in), and a record the
 * platform refused with its typed answer, resent by staff and delivered
 * exactly once, or closed with a reason and never sent. What staff did is
 * read back from the terminal's audit trail (its store, and kioskctl's
 * `audit verify`) and from the platform's copy. */
#include "../support/platform_fixture.h"
#include "../support/role_signin.h"
#include "../support/test_support.h"

#include "offline-cache/audit.h"
#include "offline-cache/outbox.h"
#include "offline-cache/store.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ROWS_MAX ROLE_AUDIT_ROWS_MAX

/* Staff S001 (周晓梅, board/staff-sample.txt) lays her card at the attract
 * screen and types her PIN on the screen's keypad; her card is lifted
 * again once she is in. */
static void staff_signs_in(kiosk_proc *k)
{
    role_signs_in_by_card(k, "8", "246810", "staff");
    kiosk_expect_shown(k, "周晓梅");
    role_lifts_card(k, "staff");
}

/* Rows by actor and action; detail, when not NULL, must be in the row's. */
static int rows_of(const cache_audit_row *rows, size_t count, const char *actor, const char *action,
                   const char *detail)
{
    int found = 0;
    for (size_t i = 0; i < count; i++)
        found += strcmp(rows[i].actor, actor) == 0 && strcmp(rows[i].action, action) == 0 &&
                 (!detail || strstr(rows[i].detail, detail));
    return found;
}

/* The kiosk started again (its first heartbeat reports the audit head at
 * once): waits until the platform's copy of the trail explains that head
 * and holds every row the terminal kept. */
static void platform_trail_matches(const platform *p, kiosk_proc *k, size_t rows)
{
    kiosk_start(k);
    kiosk_expect(k, "wait attract 8000", "ok attract");
    role_platform_trail_matches(p, rows);
}

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

/* The Idempotency-Key and reference of the one citizen's record waiting
 * in the stopped kiosk's outbox. */
static void waiting_record(const kiosk_proc *k, char *key, char *reference)
{
    cache_store *store = role_kiosk_store(k);
    cache_record records[16];
    size_t count = 0;
    /* Every record, however far its next try: claiming reads, changes nothing. */
    assert_int_equal(cache_outbox_claim(store, INT64_MAX / 2, 16, records, &count, NULL), KIOSK_OK);
    int64_t id = -1;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(records[i].kind, "submission") == 0) {
            assert_int_equal(id, -1);
            id = records[i].id;
            snprintf(key, CACHE_KEY_MAX, "%s", records[i].idempotency_key);
        }
    }
    cache_records_free(records, count);
    assert_true(id >= 0);
    cache_outbox_entry entry;
    assert_int_equal(cache_outbox_entry_get(store, id, &entry, NULL), KIOSK_OK);
    snprintf(reference, CACHE_LABEL_MAX, "%s", entry.reference);
    cache_close(store);
}

static void refuse_key(const platform *p, const char *key)
{
    char body[CACHE_KEY_MAX + 32];
    snprintf(body, sizeof body, "{\"key\":\"%s\"}", key);
    cJSON *answer = platform_control(p, "/_sim/refuse-key", body);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(answer, "key")), key);
    cJSON_Delete(answer);
}

/* A citizen's record that the platform refuses with its typed answer (422
 * bad-request): submitted while the platform cannot be reached, its key
 * read from the stopped kiosk's outbox and refused at the platform
 * (POST /_sim/refuse-key), then the kiosk started again sends it and holds
 * it for checking. Its reference into reference. */
static void a_record_is_refused(const platform *p, kiosk_proc *k, const char *card, char *reference)
{
    set_fault_on(p, "refuse", RECORD_PATHS, -1);
    citizen_reaches_confirm(k, card);
    kiosk_ask(k, "tap step.next");
    kiosk_expect(k, "wait result 8000", "ok result");
    citizen_leaves(k);
    kiosk_stop(k, false);
    char key[CACHE_KEY_MAX];
    waiting_record(k, key, reference);
    assert_non_null(strstr(reference, "K0420-"));
    refuse_key(p, key);
    set_fault(p, "none");
    long stored = stat_of(p, "stored");
    kiosk_start(k);
    kiosk_expect(k, "wait attract 8000", "ok attract");
    if (!kiosk_shows(k, "待核查 1 条", 200))
        fail_msg("never held for checking: %s", kiosk_tree(k));
    assert_int_equal(stat_of(p, "stored"), stored);
}

static void test_paper_is_refilled_and_a_receipt_reprinted(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    role_kiosk_up(&p, &k);
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
    staff_signs_in(&k);
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
    long verified = role_kioskctl_audit_rows(&k);
    kiosk_stop(&k, false);

    /* The trail: each refill said too early, the one that found paper, the
     * reprint under the platform's number, and nothing personal. */
    static cache_audit_row rows[ROWS_MAX];
    size_t count = role_audit_rows(&k, rows);
    assert_int_equal((long)count, verified);
    assert_true(rows_of(rows, count, "staff:S001", "staff.paper-refilled",
                        "printer still reports none") >= 1);
    assert_int_equal(
        rows_of(rows, count, "staff:S001", "staff.paper-refilled", "printer has paper"), 1);
    assert_int_equal(rows_of(rows, count, "staff:S001", "staff.reprint", tracking), 1);
    assert_int_equal(rows_of(rows, count, "staff:S001", "staff.sign_in", NULL), 1);
    assert_int_equal(rows_of(rows, count, "staff:S001", "staff.sign_out", NULL), 1);
    for (size_t i = 0; i < count; i++) {
        assert_null(strstr(rows[i].subject, "440304199001011233"));
        assert_null(strstr(rows[i].detail, "440304199001011233"));
    }
    platform_trail_matches(&p, &k, count);
    kiosk_stop(&k, false);
    stop_platform(&p);
}

static void test_an_assisted_service_names_its_helper(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    role_kiosk_up(&p, &k);
    staff_signs_in(&k);
    kiosk_expect(&k, "tap staff.menu.assist", "ok staff_assist");
    /* The staff session ends; the citizen's begins on the service's card step. */
    kiosk_expect(&k, "tap staff.assist.certificate-print", "ok card");
    assert_null(strstr(kiosk_tree(&k), "staff.sign_out"));
    citizen_identifies(&k, "1", "confirm");
    citizen_taps_submit(&k);
    char tracking[64];
    tracking_of(&k, tracking, sizeof tracking);
    assert_true(stored_reaches(&p, 1, 10));
    /* What the platform stored under that number names the helper. */
    char body[128];
    snprintf(body, sizeof body, "{\"tracking_number\":\"%s\"}", tracking);
    cJSON *record = platform_control(&p, "/_sim/submission", body);
    assert_non_null(record);
    char *text = cJSON_PrintUnformatted(record);
    if (!strstr(text, "\"assisted_by\":\"S001\"") ||
        !strstr(text, "\"service\":\"certificate-print\"") || !strstr(text, "\"kept\":true"))
        fail_msg("the platform stored %s", text);
    free(text);
    cJSON_Delete(record);
    citizen_leaves(&k);

    /* Without a helper, the next citizen's record names none. */
    citizen_reaches_confirm(&k, "2");
    citizen_taps_submit(&k);
    char alone[64];
    tracking_of(&k, alone, sizeof alone);
    assert_true(stored_reaches(&p, 2, 10));
    snprintf(body, sizeof body, "{\"tracking_number\":\"%s\"}", alone);
    record = platform_control(&p, "/_sim/submission", body);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(record, "assisted_by")));
    cJSON_Delete(record);
    citizen_leaves(&k);
    kiosk_stop(&k, false);

    /* The trail: the helper started it and is its submission's actor. */
    static cache_audit_row rows[ROWS_MAX];
    size_t count = role_audit_rows(&k, rows);
    assert_int_equal(
        rows_of(rows, count, "staff:S001", "staff.assisted-service", "certificate-print"), 1);
    assert_int_equal(rows_of(rows, count, "staff:S001", "service.submitted", "certificate-print"),
                     1);
    assert_int_equal(rows_of(rows, count, "citizen", "service.submitted", "certificate-print"), 1);
    stop_platform(&p);
}

static void test_refused_records_are_resent_once_or_closed_with_a_reason(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    role_kiosk_up(&p, &k);
    char reference[CACHE_LABEL_MAX];
    a_record_is_refused(&p, &k, "2", reference);
    assert_int_equal(stat_of(&p, "stored"), 0);
    staff_signs_in(&k);
    kiosk_expect_shown(&k, "1 件申请被退回");
    kiosk_expect(&k, "tap staff.menu.refused", "ok staff_refused");
    const char *tree = kiosk_tree(&k);
    assert_non_null(strstr(tree, reference));
    assert_non_null(strstr(tree, "********"));
    assert_null(strstr(tree, "440304199001011233"));
    /* The problem fixed at the platform, staff send it again: stored once. */
    refuse_key(&p, "");
    kiosk_expect(&k, "tap staff.refused.0.resend", "ok staff_refused");
    kiosk_expect_shown(&k, "请先确认问题已改正");
    kiosk_expect(&k, "tap staff.refused.yes", "ok staff_refused");
    kiosk_expect_shown(&k, "已重新排队上传");
    assert_true(stored_reaches(&p, 1, 10));
    usleep(1500 * 1000);
    assert_int_equal(stat_of(&p, "stored"), 1);
    assert_int_equal(stat_of(&p, "duplicates"), 0);
    char body[128];
    snprintf(body, sizeof body, "{\"tracking_number\":\"%s\"}", reference);
    cJSON *record = platform_control(&p, "/_sim/submission", body);
    assert_string_equal(
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(record, "local_reference")),
        reference);
    char *text = NULL;
    cJSON_Delete(record);
    kiosk_expect(&k, "tap staff.back", "ok staff");
    kiosk_expect(&k, "tap staff.menu.refused", "ok staff_refused");
    kiosk_expect_shown(&k, "没有被平台退回的申请。");
    kiosk_expect(&k, "tap staff.sign_out", "ok attract");

    /* Another is refused; the citizen withdrew it: staff close it with that
     * reason, confirmed, and it is never sent, even once the platform would
     * take it. */
    char withdrawn[CACHE_LABEL_MAX];
    a_record_is_refused(&p, &k, "3", withdrawn);
    refuse_key(&p, "");
    staff_signs_in(&k);
    kiosk_expect(&k, "tap staff.menu.refused", "ok staff_refused");
    assert_non_null(strstr(kiosk_tree(&k), withdrawn));
    kiosk_expect(&k, "tap staff.refused.0.close", "ok staff_refused");
    kiosk_expect_shown(&k, "不会被悄悄删除");
    kiosk_expect(&k, "tap staff.refused.reason.2", "ok staff_refused"); /* 市民撤回 */
    kiosk_expect_shown(&k, "确认以“市民撤回”关闭");
    kiosk_expect(&k, "tap staff.refused.yes", "ok staff_refused");
    kiosk_expect_shown(&k, "已关闭，原因已记录");
    kiosk_expect_shown(&k, "没有被平台退回的申请。");
    usleep(1500 * 1000);
    assert_int_equal(stat_of(&p, "stored"), 1);
    snprintf(body, sizeof body, "{\"tracking_number\":\"%s\"}", withdrawn);
    record = platform_control(&p, "/_sim/submission", body);
    /* The platform has nothing under its number. */
    text = cJSON_PrintUnformatted(record);
    if (!strstr(text, "not-found"))
        fail_msg("the platform has the withdrawn record: %s", text);
    free(text);
    cJSON_Delete(record);
    kiosk_expect(&k, "tap staff.sign_out", "ok attract");
    assert_true(kiosk_shows(&k, "待核查 0 条", 100));
    long verified = role_kioskctl_audit_rows(&k);
    kiosk_stop(&k, false);

    /* The trail: each refusal, the resend and the close with its reason. */
    static cache_audit_row rows[ROWS_MAX];
    size_t count = role_audit_rows(&k, rows);
    assert_int_equal((long)count, verified);
    assert_int_equal(rows_of(rows, count, "terminal", "outbox.quarantined", NULL), 2);
    assert_int_equal(rows_of(rows, count, "staff:S001", "outbox.resend", NULL), 1);
    assert_int_equal(rows_of(rows, count, "staff:S001", "outbox.close", NULL), 1);
    platform_trail_matches(&p, &k, count);
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
