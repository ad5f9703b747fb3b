/* The app driven as a citizen would: synthetic touches on the real renderer,
 * offscreen. */
#include "../support/test_support.h"

#include "firmware/event_channel.h"

#include <string.h>

static void test_home_shows_every_service_and_the_hall(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    assert_string_equal(app_screen_name(app), "home");
    assert_string_equal(test_text_of(app, "title.hall"), "市民中心 24 小时政务服务区");
    assert_string_equal(test_text_of(app, "title.clock"), "2026年11月22日 星期日 09:30");
    assert_string_equal(test_text_of(app, "tile.social-insurance-query"), "社保查询");
    assert_string_equal(test_text_of(app, "tile.newborn-bundle"), "新生儿出生一件事");
    assert_string_equal(test_text_of(app, "footer.help"), "帮助 / 呼叫工作人员");
    assert_string_equal(test_text_of(app, "footer.elder"), "长辈模式");
    assert_true(app_frames_drawn(app) >= 1);
    app_destroy(app);
}

static void test_tapping_a_tile_opens_its_service_and_back_returns_home(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_tap(app, "tile.housing-fund-query");
    assert_string_equal(app_screen_name(app), "service");
    assert_string_equal(test_text_of(app, "placeholder.title"), "公积金查询");
    assert_non_null(strstr(test_text_of(app, "placeholder.idle"), "60"));
    test_tap(app, "placeholder.home");
    assert_string_equal(app_screen_name(app), "home");
    app_destroy(app);
}

static void test_language_switch_changes_labels_and_keeps_the_place(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_tap(app, "footer.lang.en");
    assert_int_equal(app_language(app), LANG_EN);
    assert_string_equal(test_text_of(app, "tile.social-insurance-query"), "Social Insurance");
    assert_string_equal(test_text_of(app, "home.prompt"), "Please choose a service");
    assert_string_equal(test_text_of(app, "title.clock"), "Sun 2026-11-22  09:30");

    test_tap(app, "tile.tax-certificate");
    test_tap(app, "footer.lang.zh-TW");
    /* Still on the same service, now in Traditional Chinese. */
    assert_string_equal(app_screen_name(app), "service");
    assert_string_equal(test_text_of(app, "placeholder.title"), "納稅證明");
    assert_string_equal(test_text_of(app, "placeholder.home"), "返回首頁");
    app_destroy(app);
}

static void test_help_and_elder_mode_are_reachable_and_lead_home(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("landscape-1080", LANG_ZH_CN);
    test_tap(app, "footer.help");
    assert_string_equal(app_screen_name(app), "help");
    test_tap(app, "placeholder.home");
    test_tap(app, "footer.elder");
    assert_string_equal(app_screen_name(app), "elder-mode");
    assert_string_equal(test_text_of(app, "placeholder.title"), "长辈模式");
    test_tap(app, "placeholder.home");
    assert_string_equal(app_screen_name(app), "home");
    app_destroy(app);
}

static void test_an_idle_screen_returns_home_in_the_hall_language(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-800", LANG_ZH_CN);
    test_tap(app, "footer.lang.en");
    test_tap(app, "tile.e-licenses");
    assert_string_equal(app_screen_name(app), "service");

    test_monotonic_now_ms += 59 * 1000;
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "service");

    test_monotonic_now_ms += 1000;
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "home");
    assert_int_equal(app_language(app), LANG_ZH_CN);
    assert_string_equal(test_text_of(app, "tile.e-licenses"), "电子证照");
    app_destroy(app);
}

static void test_a_press_shows_at_once_and_sliding_off_cancels(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    unsigned long frames = app_frames_drawn(app);
    test_finger(app, SDL_FINGERDOWN, "tile.case-progress");
    assert_true(ui_widget_find(app_root(app), "tile.case-progress")->flags & UI_FLAG_PRESSED);
    assert_true(app_frames_drawn(app) > frames);
    /* The finger lifts over another tile: nothing opens. */
    test_finger(app, SDL_FINGERUP, "tile.service-rating");
    assert_string_equal(app_screen_name(app), "home");
    assert_false(ui_widget_find(app_root(app), "tile.case-progress")->flags & UI_FLAG_PRESSED);
    app_destroy(app);
}

static void test_nothing_is_redrawn_when_nothing_changes(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    unsigned long frames = app_frames_drawn(app);
    for (int i = 0; i < 5; i++)
        app_process_pending(app);
    assert_int_equal(app_frames_drawn(app), frames);
    assert_int_equal(event_channel_post(APP_EVENT_REDRAW, NULL, NULL), KIOSK_OK);
    app_process_pending(app);
    assert_int_equal(app_frames_drawn(app), frames + 1);
    app_destroy(app);
}

static void test_a_quit_event_stops_the_loop(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    assert_int_equal(event_channel_post(APP_EVENT_QUIT, NULL, NULL), KIOSK_OK);
    /* app_run returns only because of the event. */
    assert_int_equal(app_run(app), KIOSK_OK);
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_home_shows_every_service_and_the_hall),
        cmocka_unit_test(test_tapping_a_tile_opens_its_service_and_back_returns_home),
        cmocka_unit_test(test_language_switch_changes_labels_and_keeps_the_place),
        cmocka_unit_test(test_help_and_elder_mode_are_reachable_and_lead_home),
        cmocka_unit_test(test_an_idle_screen_returns_home_in_the_hall_language),
        cmocka_unit_test(test_a_press_shows_at_once_and_sliding_off_cancels),
        cmocka_unit_test(test_nothing_is_redrawn_when_nothing_changes),
        cmocka_unit_test(test_a_quit_event_stops_the_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
