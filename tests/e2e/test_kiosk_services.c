/* The sample catalog's services, done as a citizen does them: the real
 * kiosk binary on a simulated reader, printer and scanner, against the
 * platform stand-in, driven through the test control channel. Each service
 * with the link up, and again with it cut: what the citizen is told, what
 * the receipt says, what reaches the platform (once), and what a status
 * query answers afterwards. Every step is written to
 * build/test-output/journey/ in zh-CN, to look at. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char shots[1100];

static void shot(kiosk_proc *k, const char *name)
{
    char command[1400];
    snprintf(command, sizeof command, "screenshot %s/%s.png", shots, name);
    const char *answer = kiosk_ask(k, command);
    if (strncmp(answer, "ok", 2) != 0)
        fail_msg("%s: %s", command, answer);
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static void start(platform *p, kiosk_proc *k)
{
    start_platform(p, NULL);
    kiosk_up(p, k);
    /* The link is up before the citizen comes: the first heartbeat. */
    kiosk_shows(k, "平台已连接", 100);
    kiosk_expect_shown(k, "平台已连接");
}

/* Submits from the confirmation and waits for the result: the time from
 * the tap to the receipt's facts on screen, in ms. */
static double submit(kiosk_proc *k)
{
    double tapped = now_ms();
    citizen_taps_submit(k);
    return now_ms() - tapped;
}

/* 新生儿出生一件事, from the attract screen to the result: card, form,
 * materials, confirmation. prefix names the screenshots (NULL: none). */
static double newborn_bundle(kiosk_proc *k, const char *prefix)
{
    char name[64];
    kiosk_expect(k, "tap attract.start", "ok home");
    if (prefix) {
        snprintf(name, sizeof name, "%s-01-home", prefix);
        shot(k, name);
    }
    kiosk_expect(k, "tap tile.newborn-bundle", "ok card");
    citizen_identifies(k, "1", "form");
    if (prefix) {
        snprintf(name, sizeof name, "%s-02-form", prefix);
        shot(k, name);
    }
    citizen_chooses(k, 2, 1);
    citizen_chooses(k, 3, 0);
    citizen_types(k, 4, "20261120");
    citizen_types(k, 5, "123456789");
    citizen_chooses(k, 6, 0);
    citizen_types(k, 7, "13812345678");
    if (prefix) {
        snprintf(name, sizeof name, "%s-03-form-filled", prefix);
        shot(k, name);
    }
    kiosk_expect(k, "tap step.next", "ok materials");
    kiosk_expect(k, "tap materials.item.2", "ok materials");
    kiosk_expect(k, "tap materials.item.3", "ok materials");
    if (prefix) {
        snprintf(name, sizeof name, "%s-04-materials", prefix);
        shot(k, name);
    }
    kiosk_expect(k, "tap step.next", "ok confirm");
    if (prefix) {
        snprintf(name, sizeof name, "%s-05-confirm", prefix);
        shot(k, name);
    }
    return submit(k);
}

static void print_and_rate(kiosk_proc *k, const char *prefix, const char *rating)
{
    char name[64];
    if (prefix) {
        snprintf(name, sizeof name, "%s-06-result", prefix);
        shot(k, name);
    }
    citizen_prints(k);
    if (prefix) {
        snprintf(name, sizeof name, "%s-07-receipt", prefix);
        shot(k, name);
    }
    kiosk_expect(k, "tap print.done", "ok rate");
    if (prefix) {
        snprintf(name, sizeof name, "%s-08-rate", prefix);
        shot(k, name);
    }
    kiosk_expect(k, rating, "ok rate");
}

/* The citizen is done: asked whether they want another service, they end
 * the visit, and take the card back when it is still on the reader. */
static void end_visit(kiosk_proc *k, const char *tap)
{
    kiosk_expect(k, tap, "ok finished");
    char reply[256];
    snprintf(reply, sizeof reply, "%s", kiosk_ask(k, "tap finished.end"));
    if (strstr(reply, "take-card")) {
        kiosk_ask(k, "key 0"); /* the card is taken */
        kiosk_expect(k, "wait attract 5000", "ok attract");
    } else if (strcmp(reply, "ok attract") != 0) {
        fail_msg("the visit did not end: %s", reply);
    }
}

/* From the attract screen to a case's status, its number typed on the
 * keypad instead of the receipt's code shown to the scanner. */
static void citizen_looks_up(kiosk_proc *k, const char *typed)
{
    citizen_opens(k, "case-progress", "scan");
    kiosk_expect(k, "tap scan.type", "ok number");
    char command[64];
    for (const char *d = typed; *d; d++) {
        snprintf(command, sizeof command, "tap keypad.%c", *d);
        kiosk_expect(k, command, "ok number");
    }
    kiosk_ask(k, "tap step.next");
    kiosk_expect(k, "wait lookup 8000", "ok lookup");
}

static void test_the_newborn_bundle_online_and_with_the_link_cut(void **state)
{
    (void)state;
    platform p;
    kiosk_proc k;
    start(&p, &k);

    /* Online: the platform's number, one record for three departments. */
    double online_ms = newborn_bundle(&k, "newborn-online");
    kiosk_expect_shown(&k, "办理成功");
    kiosk_expect_shown(&k, "\"text\":\"GD");
    print_and_rate(&k, "newborn-online", "tap rate.choice.0");
    end_visit(&k, "tap notice.done");
    citizen_takes_card(&k);
    assert_true(stored_reaches(&p, 2, 10)); /* the submission and its rating */

    /* The link is cut: kept, the citizen's own number, "待上传" on screen
     * and on paper, and nothing at the platform. */
    set_fault(&p, "refuse");
    double offline_ms = newborn_bundle(&k, "newborn-offline");
    kiosk_expect_shown(&k, "已受理，待上传");
    kiosk_expect_shown(&k, "\"text\":\"K0420-");
    print_and_rate(&k, "newborn-offline", "tap rate.choice.1");
    kiosk_expect_shown(&k, "感谢您的评价");
    end_visit(&k, "tap notice.done");
    citizen_takes_card(&k);
    assert_int_equal(stat_of(&p, "stored"), 2);

    /* The citizen asks about it while the link is still down, typing the
     * number: the terminal's own record, with its date. */
    citizen_looks_up(&k, "0420000002");
    shot(&k, "newborn-offline-09-lookup-local");
    kiosk_expect_shown(&k, "待上传");
    kiosk_expect_shown(&k, "本机记录");
    end_visit(&k, "tap notice.done");

    /* The link returns: delivered once (with its rating), and the status
     * query now shows the platform's answer for the citizen's own number. */
    set_fault(&p, "none");
    assert_true(stored_reaches(&p, 4, 10));
    citizen_looks_up(&k, "0420000002");
    shot(&k, "newborn-offline-10-lookup-platform");
    kiosk_expect_shown(&k, "已受理");
    assert_null(strstr(kiosk_tree(&k), "本机记录"));
    end_visit(&k, "tap notice.done");
    assert_int_equal(stat_of(&p, "stored"), 4);
    assert_int_equal(stat_of(&p, "duplicates"), 0);
    printf("新生儿出生一件事: submit to result on screen: online %.0f ms, link cut %.0f ms\n",
           online_ms, offline_ms);
    kiosk_stop(&k, false);
    stop_platform(&p);
}

static double certificate(kiosk_proc *k)
{
    citizen_opens(k, "social-insurance-certificate", "card");
    shot(k, "certificate-01-card");
    citizen_identifies(k, "1", "form");
    shot(k, "certificate-02-form");
    citizen_chooses(k, 2, 0);
    citizen_chooses(k, 3, 0);
    kiosk_expect(k, "tap step.next", "ok confirm");
    shot(k, "certificate-03-confirm");
    return submit(k);
}

/* 社保参保证明打印 works only online: with the link cut its tile says so,
 * and tapping it explains before the citizen lays a card. */
static void test_the_social_insurance_certificate_online_and_not_without_the_link(void **state)
{
    (void)state;
    platform p;
    kiosk_proc k;
    start(&p, &k);
    double ms = certificate(&k);
    kiosk_expect_shown(&k, "办理成功");
    shot(&k, "certificate-04-result");
    citizen_prints(&k);
    /* The receipt says what was asked for. */
    kiosk_expect_shown(&k, "参保证明（个人）");
    shot(&k, "certificate-05-receipt");
    kiosk_expect(&k, "tap print.done", "ok rate");
    /* 不满意: the rating, and a staff call asked for. */
    kiosk_expect(&k, "tap rate.choice.3", "ok rate");
    shot(&k, "certificate-06-rate-reasons");
    kiosk_expect(&k, "tap rate.choice.0", "ok rate");
    /* Staff come when the citizen says yes. */
    kiosk_expect(&k, "tap rate.choice.0", "ok rate");
    end_visit(&k, "tap notice.done");
    citizen_takes_card(&k);
    assert_true(stored_reaches(&p, 3, 10));

    /* The link is cut. The terminal learns it the next time it sends
     * something: here a citizen asking for staff. */
    set_fault(&p, "refuse");
    kiosk_expect(&k, "tap attract.start", "ok home");
    kiosk_expect(&k, "tap footer.help", "ok help");
    kiosk_expect(&k, "tap help.call", "ok help");
    kiosk_expect(&k, "tap help.back", "ok home");
    kiosk_shows(&k, "网络中断，暂不能办理", 100);
    kiosk_expect_shown(&k, "网络中断，暂不能办理");
    kiosk_expect(&k, "tap tile.social-insurance-certificate", "ok error");
    shot(&k, "certificate-07-needs-link");
    kiosk_expect(&k, "tap error.home", "ok home");
    set_fault(&p, "none");
    /* The staff call follows once the link is back; nothing else was sent. */
    assert_true(stored_reaches(&p, 4, 10));
    usleep(300 * 1000);
    assert_int_equal(stat_of(&p, "stored"), 4);
    printf("社保参保证明打印: submit to result on screen: %.0f ms\n", ms);
    kiosk_stop(&k, false);
    stop_platform(&p);
}

/* 预约取号 (a queue ticket), online and kept while the link is cut; and
 * 好差评 on its own. The printer runs out of paper at the ticket: the
 * citizen is told, staff are called, and it prints once paper is in. */
static void test_a_queue_ticket_a_rating_and_paper_running_out(void **state)
{
    (void)state;
    platform p;
    kiosk_proc k;
    start(&p, &k);
    for (int round = 0; round < 2; round++) {
        if (round == 1)
            set_fault(&p, "refuse");
        citizen_opens(&k, "appointment-ticket", "card");
        citizen_identifies(&k, "2", "form");
        citizen_books_a_ticket(&k, 0, 1, "13912345678");
        submit(&k);
        kiosk_expect_shown(&k, round == 0 ? "办理成功" : "已受理，待上传");
        if (round == 1) {
            kiosk_ask(&k, "key p"); /* the paper runs out */
            kiosk_expect(&k, "tap result.print", "ok print");
            kiosk_shows(&k, "print.retry", 100);
            shot(&k, "ticket-paper-out");
            kiosk_expect_shown(&k, "工作人员");
            kiosk_ask(&k, "key p"); /* staff refill it */
            kiosk_expect(&k, "tap print.retry", "ok print");
            kiosk_shows(&k, "print.done", 100);
            shot(&k, "ticket-receipt");
            kiosk_expect(&k, "tap print.done", "ok rate");
        } else {
            kiosk_expect(&k, "tap result.done", "ok rate");
        }
        end_visit(&k, "tap rate.skip");
        citizen_takes_card(&k);
    }
    set_fault(&p, "none");
    /* Two tickets and the staff call for the paper. */
    assert_true(stored_reaches(&p, 3, 10));

    /* 好差评 by itself: no card, five levels, kept like any record. */
    citizen_opens(&k, "service-rating", "rate");
    shot(&k, "rating-01-levels");
    kiosk_expect(&k, "tap rate.choice.0", "ok rate");
    kiosk_expect_shown(&k, "感谢您的评价");
    end_visit(&k, "tap notice.done");
    assert_true(stored_reaches(&p, 4, 10));
    assert_int_equal(stat_of(&p, "duplicates"), 0);
    kiosk_stop(&k, false);
    stop_platform(&p);
}

/* 公积金查询 answers from the platform's data; with the link cut, the same
 * citizen sees what was kept from their last look-up, with its date, and
 * another citizen is told plainly there is nothing here for them. */
static void test_a_question_answered_online_then_from_what_was_kept(void **state)
{
    (void)state;
    platform p;
    kiosk_proc k;
    start(&p, &k);
    citizen_opens(&k, "housing-fund-query", "card");
    /* A balance is the citizen's own: no typing a number instead. */
    assert_null(strstr(kiosk_tree(&k), "step.next"));
    citizen_identifies(&k, "1", "answer");
    kiosk_shows(&k, "账户余额", 100);
    kiosk_expect_shown(&k, "账户余额");
    kiosk_expect_shown(&k, "数据时间");
    shot(&k, "housing-fund-01-online");
    kiosk_expect(&k, "tap step.next", "ok rate");
    end_visit(&k, "tap rate.skip");
    citizen_takes_card(&k);

    set_fault(&p, "refuse");
    citizen_opens(&k, "housing-fund-query", "card");
    citizen_identifies(&k, "1", "answer");
    kiosk_shows(&k, "可能不是最新", 200);
    kiosk_expect_shown(&k, "账户余额");
    kiosk_expect_shown(&k, "可能不是最新");
    shot(&k, "housing-fund-02-kept");
    kiosk_expect(&k, "tap step.cancel", "ok home");
    citizen_takes_card(&k);
    /* Identified and idle on home: the visit ends at once, no warning. */
    kiosk_expect(&k, "advance 31000", "ok attract");

    citizen_opens(&k, "housing-fund-query", "card");
    citizen_identifies(&k, "2", "answer");
    kiosk_shows(&k, "本机也没有", 200);
    kiosk_expect_shown(&k, "本机也没有");
    assert_null(strstr(kiosk_tree(&k), "账户余额"));
    shot(&k, "housing-fund-03-nothing-kept");
    set_fault(&p, "none");
    kiosk_stop(&k, false);
    stop_platform(&p);
}

/* 预约取号 takes an e-ID code instead of the card: the platform says who
 * it is. With the link cut it cannot be checked, and the citizen is told
 * to lay the card, which still works. */
static void test_an_e_id_instead_of_the_card(void **state)
{
    (void)state;
    platform p;
    kiosk_proc k;
    start(&p, &k);
    citizen_opens(&k, "appointment-ticket", "card");
    kiosk_expect_shown(&k, "电子身份证");
    shot(&k, "eid-01-card-or-eid");
    citizen_identifies(&k, "e", "form");
    citizen_books_a_ticket(&k, 1, 0, "13712345678");
    kiosk_expect_shown(&k, "\"text\":\"赵*\"");
    kiosk_expect_shown(&k, "110105********002X");
    shot(&k, "eid-02-confirm");
    submit(&k);
    kiosk_expect_shown(&k, "办理成功");
    kiosk_expect(&k, "tap result.done", "ok rate");
    end_visit(&k, "tap rate.skip");

    set_fault(&p, "refuse");
    usleep(1100 * 1000); /* the scanner takes the same code within a second as one showing */
    citizen_opens(&k, "appointment-ticket", "card");
    kiosk_ask(&k, "key e");
    kiosk_shows(&k, "实体身份证", 200);
    kiosk_expect_shown(&k, "实体身份证");
    shot(&k, "eid-03-cannot-check");
    citizen_identifies(&k, "1", "form");
    kiosk_expect(&k, "tap step.cancel", "ok home");
    set_fault(&p, "none");
    assert_true(stored_reaches(&p, 1, 10));
    kiosk_stop(&k, false);
    stop_platform(&p);
}

/* A catalog from the platform with a broken service: that one is hidden,
 * the others serve. */
static void test_an_invalid_catalog_entry_is_hidden_and_the_rest_serve(void **state)
{
    (void)state;
    const char *catalog = changed_catalog("services-bad-catalog", "\"platform-8\"",
                                          "\"type\": \"date\"", "\"type\": \"colour\"");
    platform p;
    start_platform_serving(&p, NULL, catalog);
    kiosk_proc k;
    kiosk_up(&p, &k);
    bool adopted = false;
    for (int i = 0; i < 100 && !adopted; i++) {
        kiosk_expect(&k, "tap attract.start", "ok home");
        adopted = !strstr(kiosk_tree(&k), "tile.newborn-bundle");
        /* Walked away: back to attract, where a catalog is adopted. */
        kiosk_expect(&k, "advance 200000", "ok timeout");
        kiosk_expect(&k, "advance 200000", "ok attract");
        if (!adopted)
            usleep(50 * 1000);
    }
    assert_true(adopted);
    kiosk_expect(&k, "tap attract.start", "ok home");
    kiosk_expect_shown(&k, "tile.social-insurance-certificate");
    kiosk_stop(&k, false);
    stop_platform(&p);
}

int main(void)
{
    snprintf(shots, sizeof shots, "%s/build/test-output", test_source_dir());
    mkdir(shots, 0755);
    snprintf(shots, sizeof shots, "%s/build/test-output/journey", test_source_dir());
    mkdir(shots, 0755);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_newborn_bundle_online_and_with_the_link_cut),
        cmocka_unit_test(test_the_social_insurance_certificate_online_and_not_without_the_link),
        cmocka_unit_test(test_a_queue_ticket_a_rating_and_paper_running_out),
        cmocka_unit_test(test_a_question_answered_online_then_from_what_was_kept),
        cmocka_unit_test(test_an_e_id_instead_of_the_card),
        cmocka_unit_test(test_an_invalid_catalog_entry_is_hidden_and_the_rest_serve),
    };
    return PLATFORM_RUN_TESTS(tests);
}
