/* The real kiosk binary, driven through its test control channel against the
 * platform stand-in: a citizen's submission reaches the platform and its
 * tracking number the screen; a lost link, then a kill, lose nothing and
 * send nothing twice; the platform's catalog reaches the screen. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The screen just after "submit" was pressed. */
static char after_submit[1 << 16];

/* A citizen lays card (a developer key), chooses a service that works
 * offline, submits, and takes the card: the result screen's tree. The
 * screen just after the tap is kept in after_submit. */
static const char *citizen_submits_and_goes(kiosk_proc *k, const char *card)
{
    kiosk_expect(k, "wait attract 5000", "ok attract");
    citizen_reaches_confirm(k, card);
    kiosk_ask(k, "tap step.next");
    snprintf(after_submit, sizeof after_submit, "%s", kiosk_ask(k, "tree"));
    kiosk_expect(k, "wait result 8000", "ok result");
    const char *tree = kiosk_tree(k);
    citizen_takes_card(k);
    return tree;
}

static void test_the_kiosk_delivers_through_a_lost_link_and_a_kill(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    kiosk_launch(&p, &k);

    /* Online: the platform's tracking number is on the citizen's result. */
    const char *tree = citizen_submits_and_goes(&k, "1");
    assert_non_null(strstr(tree, "办理成功"));
    assert_non_null(strstr(tree, "\"id\":\"result.tracking\",\"role\":\"text\""));
    assert_non_null(strstr(tree, "\"text\":\"GD"));
    assert_null(strstr(tree, "440304199001011233"));
    assert_int_equal(stat_of(&p, "stored"), 1);
    /* Done: the citizen rates the service (满意), and it reaches the platform. */
    kiosk_expect(&k, "tap result.done", "ok rate");
    kiosk_expect(&k, "tap rate.choice.1", "ok rate");
    assert_non_null(strstr(kiosk_ask(&k, "tree"), "感谢您的评价"));
    assert_true(stored_reaches(&p, 2, 10));
    kiosk_expect(&k, "tap notice.done", "ok finished");
    kiosk_expect(&k, "tap finished.end", "ok attract");

    /* The citizen comes back and shows the receipt's code: the platform
     * says where their application is. */
    citizen_opens(&k, "case-progress", "scan");
    kiosk_ask(&k, "key s"); /* the developer's key: the last tracking number shown */
    kiosk_expect(&k, "wait lookup 8000", "ok lookup");
    tree = kiosk_ask(&k, "tree");
    assert_non_null(strstr(tree, "已受理"));
    assert_non_null(strstr(tree, "\"text\":\"办理进度\""));
    kiosk_expect(&k, "tap notice.done", "ok finished");
    kiosk_expect(&k, "tap finished.end", "ok attract");

    /* The link goes: the citizen is told it is kept, with the terminal's
     * reference; nothing reaches the platform until it is back. */
    set_fault(&p, "refuse");
    tree = citizen_submits_and_goes(&k, "2");
    assert_non_null(strstr(tree, "已受理，待上传"));
    /* While it waited for an answer that did not come, the button said so. */
    assert_non_null(strstr(after_submit, "\"screen\":\"confirm\""));
    assert_non_null(strstr(after_submit, "正在提交…"));
    assert_non_null(strstr(tree, "\"text\":\"K0420-"));
    kiosk_expect(&k, "tap result.done", "ok rate");
    kiosk_expect(&k, "tap rate.skip", "ok finished");
    kiosk_expect(&k, "tap finished.end", "ok attract");
    assert_non_null(strstr(kiosk_ask(&k, "tree"), "平台未连接 · 待上传 1 条"));
    set_fault(&p, "none");
    assert_true(stored_reaches(&p, 3, 10));

    /* Kept, then the kiosk is killed before the link returns: the next
     * start delivers it, once. */
    set_fault(&p, "refuse");
    tree = citizen_submits_and_goes(&k, "3");
    assert_non_null(strstr(tree, "已受理，待上传"));
    kiosk_stop(&k, true);
    set_fault(&p, "none");
    kiosk_start(&k);
    assert_true(stored_reaches(&p, 4, 10));
    kiosk_expect(&k, "wait attract 5000", "ok attract");
    usleep(500 * 1000);
    /* Three submissions and a rating, each once. */
    assert_int_equal(stat_of(&p, "stored"), 4);
    assert_non_null(strstr(kiosk_ask(&k, "tree"), "平台已连接 · 待上传 0 条"));
    kiosk_stop(&k, false);
    stop_platform(&p);
}

/* The platform's catalog reaches the screen: once checked and cached, the
 * kiosk uses it (here a hall renamed by the platform). */
static void test_the_kiosk_uses_the_platform_s_catalog(void **state)
{
    (void)state;
    const char *catalog = changed_catalog("sync-kiosk-catalog", "\"platform-7\"",
                                          "市民中心 24 小时政务服务区", "平台下发的服务区");
    platform p;
    start_platform_serving(&p, NULL, catalog);
    kiosk_proc k;
    kiosk_up(&p, &k);
    assert_true(kiosk_shows(&k, "平台下发的服务区", 100));
    kiosk_stop(&k, false);
    stop_platform(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_kiosk_delivers_through_a_lost_link_and_a_kill),
        cmocka_unit_test(test_the_kiosk_uses_the_platform_s_catalog),
    };
    return PLATFORM_RUN_TESTS(tests);
}
