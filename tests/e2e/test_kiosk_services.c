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
#include <stdlib.h>
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
    /* The baby's name on the keyboard, in letters (whatever the engines). */
    citizen_names_baby(k, 8, "lele");
    citizen_signs(k, 9);
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

/* Tomorrow's date in the hall (Beijing, UTC+8) as the ticket writes it. */
static void tomorrow_in_the_hall(char *out, size_t size)
{
    time_t at = time(NULL) + 8 * 3600 + 86400;
    struct tm day;
    gmtime_r(&at, &day);
    snprintf(out, size, "%d年%d月%d日", day.tm_year + 1900, day.tm_mon + 1, day.tm_mday);
}

/* 预约取号 (a queue ticket): the platform books it and the ticket carries
 * the number it issued, the counter and the day and time — not "明天上午";
 * the printer runs out of paper at the ticket: the citizen is told, staff
 * are called, and it prints once paper is in. With the link cut as the
 * citizen submits, they are told no number could be had, and no ticket is
 * made up; afterwards the tile says beforehand that it needs the link. And
 * 好差评 on its own. */
static void test_a_queue_ticket_a_rating_and_paper_running_out(void **state)
{
    (void)state;
    platform p;
    kiosk_proc k;
    start(&p, &k);
    char day[64], slot[128];
    tomorrow_in_the_hall(day, sizeof day);
    /* 社保 tomorrow morning: the first place of the day, at 09:00. */
    snprintf(slot, sizeof slot, "%s 09:00–09:30", day);
    citizen_opens(&k, "appointment-ticket", "card");
    citizen_identifies(&k, "2", "form");
    citizen_books_a_ticket(&k, 0, 1, "13912345678");
    double booked_ms = submit(&k);
    kiosk_expect_shown(&k, "办理成功");
    /* The stand-in's first number for 社保, its counter, the real day. */
    kiosk_expect_shown(&k, "排队号");
    kiosk_expect_shown(&k, "A001");
    kiosk_expect_shown(&k, "3号窗口");
    kiosk_expect_shown(&k, slot);
    kiosk_expect_shown(&k, "听到叫号后办理");
    shot(&k, "ticket-01-result");
    assert_int_equal(requests_of(&p, "appointment"), 1);
    printf("预约取号: submit to the ticket on screen: %.0f ms\n", booked_ms);
    kiosk_ask(&k, "key p"); /* the paper runs out */
    kiosk_expect(&k, "tap result.print", "ok print");
    kiosk_shows(&k, "print.retry", 100);
    shot(&k, "ticket-paper-out");
    kiosk_expect_shown(&k, "工作人员");
    kiosk_ask(&k, "key p"); /* staff refill it */
    kiosk_expect(&k, "tap print.retry", "ok print");
    kiosk_shows(&k, "print.done", 100);
    shot(&k, "ticket-receipt");
    /* The paper: the number large, the counter, the day; never the
     * relative "明天上午" the form offered. */
    kiosk_expect_shown(&k, "预约取号凭条");
    kiosk_expect_shown(&k, "A001");
    kiosk_expect_shown(&k, "办理窗口：3号窗口");
    kiosk_expect_shown(&k, slot);
    if (strstr(kiosk_tree(&k), "明天上午"))
        fail_msg("the ticket says 明天上午: %.600s", strstr(kiosk_tree(&k), "明天上午"));
    kiosk_expect(&k, "tap print.done", "ok rate");
    end_visit(&k, "tap rate.skip");
    citizen_takes_card(&k);
    assert_true(stored_reaches(&p, 1, 10)); /* the staff call for the paper */

    /* The link goes as the next citizen submits: no number, said so. */
    citizen_opens(&k, "appointment-ticket", "card");
    citizen_identifies(&k, "2", "form");
    citizen_books_a_ticket(&k, 1, 1, "13912345678");
    set_fault(&p, "refuse");
    kiosk_ask(&k, "tap step.next");
    kiosk_expect(&k, "wait error 15000", "ok error");
    /* Why (the link, or no usable answer), and that nothing is made up. */
    kiosk_expect_shown(&k, "号");
    kiosk_expect_shown(&k, "不会");
    if (strstr(kiosk_tree(&k), "排队号"))
        fail_msg("a ticket was shown with the link cut");
    shot(&k, "ticket-02-no-number");
    kiosk_expect(&k, "tap error.home", "ok home");
    /* Now the terminal knows: the tile says it beforehand. */
    kiosk_shows(&k, "需联网", 100);
    kiosk_expect(&k, "tap tile.appointment-ticket", "ok error");
    shot(&k, "ticket-03-needs-link");
    kiosk_expect(&k, "tap error.home", "ok home");
    set_fault(&p, "none");
    /* Walked away with the card on the reader: asked to take it. */
    kiosk_expect(&k, "advance 200000", "ok take-card");
    kiosk_ask(&k, "key 0");
    kiosk_expect(&k, "wait attract 5000", "ok attract");

    /* 好差评 by itself: no card, five levels, kept like any record. */
    citizen_opens(&k, "service-rating", "rate");
    shot(&k, "rating-01-levels");
    kiosk_expect(&k, "tap rate.choice.0", "ok rate");
    kiosk_expect_shown(&k, "感谢您的评价");
    end_visit(&k, "tap notice.done");
    assert_true(stored_reaches(&p, 2, 10));
    assert_int_equal(stat_of(&p, "duplicates"), 0);
    kiosk_stop(&k, false);
    stop_platform(&p);
}

/* A morning with no place left: the platform says so, the citizen is told
 * to choose another time, and no ticket is made. */
static void test_a_full_morning_gives_no_ticket(void **state)
{
    (void)state;
    platform p;
    kiosk_proc k;
    start(&p, &k);
    /* Others took every place for 公积金 tomorrow morning. */
    for (int i = 0; i < 18; i++) {
        platform_reply reply;
        platform_request(&p, "POST", "/v1/appointments", NULL,
                         "{\"service\":\"appointment-ticket\",\"matter\":\"housing-fund\","
                         "\"period\":\"tomorrow-am\",\"id_number\":\"440304199001011233\","
                         "\"language\":\"zh-CN\"}",
                         &reply);
        assert_int_equal(reply.status, 200);
        free(reply.body);
    }
    citizen_opens(&k, "appointment-ticket", "card");
    citizen_identifies(&k, "2", "form");
    citizen_books_a_ticket(&k, 1, 1, "13912345678");
    kiosk_ask(&k, "tap step.next");
    kiosk_expect(&k, "wait error 8000", "ok error");
    kiosk_expect_shown(&k, "所选时段已约满");
    kiosk_expect_shown(&k, "重新取号并选择其他时段");
    if (strstr(kiosk_tree(&k), "排队号"))
        fail_msg("a ticket was shown for a full morning");
    shot(&k, "ticket-04-full");
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
    /* 公积金, tomorrow morning: a time with places whatever the hour now. */
    citizen_books_a_ticket(&k, 1, 1, "13712345678");
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
    /* One ticket booked: the platform keeps the queue, nothing is stored. */
    assert_int_equal(requests_of(&p, "appointment"), 1);
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
        cmocka_unit_test(test_a_queue_ticket_a_rating_and_paper_running_out),
        cmocka_unit_test(test_a_full_morning_gives_no_ticket),
        cmocka_unit_test(test_a_question_answered_online_then_from_what_was_kept),
        cmocka_unit_test(test_an_e_id_instead_of_the_card),
        cmocka_unit_test(test_an_invalid_catalog_entry_is_hidden_and_the_rest_serve),
    };
    return PLATFORM_RUN_TESTS(tests);
}
