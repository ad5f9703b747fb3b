/* The board's touch calibration applied (firmware/app/input.c): kept in the
 * store, loaded when the app starts, every touch moved back by it, kept on
 * the screen; an absurd one refused and logged; and the technician's touch
 * test, run again after calibrating, measures next to nothing. And a press
 * outlives the screen rebuilt under the finger. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include "firmware/app/app_input.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_technician.h"
#include "firmware/app/navigation.h"
#include "firmware/base/log.h"
#include "firmware/platform/staff_ops.h"
#include "firmware/platform/store_use.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void push_finger(kiosk_app *app, Uint32 type, int x, int y)
{
    ui_display *display = app_display(app);
    SDL_Event event;
    SDL_zero(event);
    event.type = type;
    event.tfinger.touchId = 1;
    event.tfinger.fingerId = 1;
    event.tfinger.x = ((float)x + 0.5f) / (float)display->window_width;
    event.tfinger.y = ((float)y + 0.5f) / (float)display->window_height;
    assert_int_equal(SDL_PushEvent(&event), 1);
}

/* A finger down and up at screen point (x, y), as the glass reports it. */
static void touch_at(kiosk_app *app, int x, int y)
{
    test_monotonic_now_ms += 400;
    push_finger(app, SDL_FINGERDOWN, x, y);
    app_process_pending(app);
    push_finger(app, SDL_FINGERUP, x, y);
    app_process_pending(app);
}

/* A board whose platform link is configured (the development certificates;
 * nobody listens at its port): the platform opens the store at start, as
 * on a terminal in service. */
static const char *configured_board(void)
{
    make_certs();
    const char *path = test_board_in_temp("portrait-1080", NULL);
    char tls[4000], pca[1100], pcert[1100], pkey[1100];
    cert_path(pca, sizeof pca, "platform-ca.crt");
    cert_path(pcert, sizeof pcert, "client.crt");
    cert_path(pkey, sizeof pkey, "client.key");
    snprintf(tls, sizeof tls,
             "\"platform_url\": \"https://127.0.0.1:9/\",\n  \"platform_tls\": {\"ca_file\": "
             "\"%s\", \"client_cert\": \"%s\", \"client_key\": \"%s\"},",
             pca, pcert, pkey);
    char dir[1100];
    snprintf(dir, sizeof dir, "%s", path);
    *strrchr(dir, '/') = '\0';
    char *text = strdup(test_read_file(path));
    const char *board =
        test_write_file(dir, "board.json",
                        test_replace(text, "\"platform_url\": \"https://127.0.0.1:8443/\",", tls));
    free(text);
    return board;
}

/* The left button down and up at screen point (x, y): the mouse a
 * simulated board, or the emulated board's absolute pointer, touches with. */
static void click_at(kiosk_app *app, int x, int y)
{
    float wx = 0, wy = 0;
    ui_display_unmap_point(app_display(app), x, y, &wx, &wy);
    test_monotonic_now_ms += 400;
    for (int i = 0; i < 2; i++) {
        SDL_Event event;
        SDL_zero(event);
        event.type = i == 0 ? SDL_MOUSEBUTTONDOWN : SDL_MOUSEBUTTONUP;
        event.button.button = SDL_BUTTON_LEFT;
        event.button.x = (int)wx;
        event.button.y = (int)wy;
        assert_int_equal(SDL_PushEvent(&event), 1);
        app_process_pending(app);
    }
}

static void keep_calibration(kiosk_app *app, const char *value)
{
    assert_int_equal(platform_setting_set(app_platform_core(app), "touch.calibration", value),
                     KIOSK_OK);
}

/* The log page: 导出到U盘 and 发送到平台 side by side, a gap between. A
 * touch 4 px right of 导出到U盘 on glass that reads 8 px to the right is a
 * touch on it. */
static void test_a_touch_lands_where_the_calibration_says(void **state)
{
    (void)state;
    const char *board = configured_board();
    kiosk_app *app = test_app_create(board, LANG_ZH_CN);
    int dx = 99, dy = 99;
    app_input_calibration_get(app, &dx, &dy);
    assert_int_equal(dx, 0);
    assert_int_equal(dy, 0);
    assert_int_equal(app_go(app, APP_SCREEN_TECH_LOGS), KIOSK_OK);
    ui_widget *export = ui_widget_find(app_root(app), "tech.logs.export");
    assert_non_null(export);
    SDL_Rect b = export->bounds;
    int x = b.x + b.w + 4, y = b.y + b.h / 2;
    assert_null(ui_widget_hit(app_root(app), x, y)); /* the gap */
    touch_at(app, x, y);
    assert_null(ui_widget_find(app_root(app), "tech.logs.exported"));
    keep_calibration(app, "8,0");
    app_destroy(app);

    /* The next start reads it: the same touch is now on 导出到U盘. */
    app = test_app_create(board, LANG_ZH_CN);
    app_input_calibration_get(app, &dx, &dy);
    assert_int_equal(dx, 8);
    assert_int_equal(dy, 0);
    assert_int_equal(app_go(app, APP_SCREEN_TECH_LOGS), KIOSK_OK);
    touch_at(app, x, y);
    assert_string_equal(test_text_of(app, "tech.logs.exported"), "没有找到U盘：请插上U盘再试");
    /* The mouse is corrected alike. */
    assert_int_equal(app_go(app, APP_SCREEN_TECHNICIAN), KIOSK_OK);
    assert_int_equal(app_go(app, APP_SCREEN_TECH_LOGS), KIOSK_OK);
    assert_null(ui_widget_find(app_root(app), "tech.logs.exported"));
    click_at(app, x, y);
    assert_string_equal(test_text_of(app, "tech.logs.exported"), "没有找到U盘：请插上U盘再试");
    /* Set while the app runs (as the touch test does), it holds from the
     * next touch: 8 px the other way, the same touch is in the gap again. */
    assert_true(app_input_calibration_set(app, -8, 0));
    assert_int_equal(app_go(app, APP_SCREEN_TECHNICIAN), KIOSK_OK);
    assert_int_equal(app_go(app, APP_SCREEN_TECH_LOGS), KIOSK_OK);
    touch_at(app, x, y);
    assert_null(ui_widget_find(app_root(app), "tech.logs.exported"));
    app_destroy(app);
}

/* With no platform link the store opens when something is first kept: the
 * calibration is read at the first touch after that, not sooner. */
static void test_without_a_platform_link_it_is_read_once_the_store_is_open(void **state)
{
    (void)state;
    const char *board = test_board_in_temp("portrait-1080", NULL);
    kiosk_app *app = test_app_create(board, LANG_ZH_CN);
    keep_calibration(app, "5,-3");
    app_destroy(app);
    app = test_app_create(board, LANG_ZH_CN);
    int dx = 99, dy = 99;
    app_input_calibration_get(app, &dx, &dy);
    assert_int_equal(dx, 0);
    assert_false(platform_has_store(app_platform_core(app)));
    char *value = NULL;
    assert_int_equal(platform_setting_get(app_platform_core(app), "touch.calibration", &value),
                     KIOSK_OK);
    free(value);
    touch_at(app, 10, 10);
    app_input_calibration_get(app, &dx, &dy);
    assert_int_equal(dx, 5);
    assert_int_equal(dy, -3);
    app_destroy(app);
}

static void stored_start(void *context)
{
    kiosk_app *app = test_app_create(context, LANG_ZH_CN);
    int dx = 99, dy = 99;
    app_input_calibration_get(app, &dx, &dy);
    assert_int_equal(dx, 0);
    assert_int_equal(dy, 0);
    app_destroy(app);
}

/* An offset of a third of a fingertip is a fault, not a calibration; a
 * value that is not "dx,dy" is not one either. */
static void test_an_absurd_calibration_is_refused_with_a_log_line(void **state)
{
    (void)state;
    const char *board = configured_board();
    kiosk_app *app = test_app_create(board, LANG_ZH_CN);
    int bound = ui_dp(app_metrics(app), APP_TOUCH_CALIBRATION_MAX_DP);
    printf("the bound: %d dp = %d px\n", APP_TOUCH_CALIBRATION_MAX_DP, bound);
    assert_true(bound >= 8 && bound <= 40);
    assert_true(app_input_calibration_set(app, bound, -bound));
    assert_false(app_input_calibration_set(app, bound + 1, 0));
    assert_false(app_input_calibration_set(app, 0, -300));
    int dx = 0, dy = 0;
    app_input_calibration_get(app, &dx, &dy);
    assert_int_equal(dx, bound);
    assert_int_equal(dy, -bound);
    keep_calibration(app, "300,0");
    app_destroy(app);
    const char *said = test_stderr_of(stored_start, (void *)board);
    assert_non_null(strstr(said, "a touch calibration of +300, +0 px is refused"));

    app = test_app_create(board, LANG_ZH_CN);
    keep_calibration(app, "1 0 0 0 1 0");
    app_destroy(app);
    said = test_stderr_of(stored_start, (void *)board);
    assert_non_null(strstr(said, "the stored touch calibration is not \"dx,dy\""));
}

static const int spots[][2] = {{130, 130}, {880, 130}, {130, 880}, {880, 880}, {505, 505}};

/* The touch test's five targets touched at the same spots; its measured
 * mean offset, read off its detail. */
static void run_touch_test(kiosk_app *app, int *mx, int *my)
{
    assert_int_equal(app_go(app, APP_SCREEN_TECH_SELFTEST), KIOSK_OK);
    test_tap(app, "tech.selftest.touch");
    assert_string_equal(app_screen_name(app), "tech_touch");
    for (size_t i = 0; i < 5; i++)
        test_draw(app, "tech.touch", &spots[i], 1);
    assert_string_equal(app_screen_name(app), "tech_selftest");
    app_selftest_result last;
    assert_true(app_selftest_last(app, APP_SELFTEST_TOUCH, &last));
    printf("%s\n", last.detail);
    assert_int_equal(last.outcome, APP_SELFTEST_PASSED);
    const char *offset = strstr(last.detail, "平均偏移 ");
    assert_non_null(offset);
    assert_int_equal(sscanf(offset + strlen("平均偏移 "), "%d, %d", mx, my), 2);
}

/* Targets touched 5 px off: that is the calibration. The test run again
 * the same way, now corrected, measures about nothing, and what is kept
 * is still the first calibration. */
static void test_after_calibrating_the_touch_test_measures_about_nothing(void **state)
{
    (void)state;
    const char *board = configured_board();
    kiosk_app *app = test_app_create(board, LANG_ZH_CN);
    int mx = 0, my = 0;
    run_touch_test(app, &mx, &my);
    assert_int_equal(mx, 5);
    int dx = 0, dy = 0;
    app_input_calibration_get(app, &dx, &dy);
    assert_int_equal(dx, mx);
    assert_int_equal(dy, my);

    int again_x = 99, again_y = 99;
    run_touch_test(app, &again_x, &again_y);
    assert_true(abs(again_x) <= 1 && abs(again_y) <= 1);
    int now_x = 0, now_y = 0;
    app_input_calibration_get(app, &now_x, &now_y);
    assert_true(abs(now_x - dx) <= 1 && abs(now_y - dy) <= 1);
    char *kept = NULL;
    assert_int_equal(platform_setting_get(app_platform_core(app), "touch.calibration", &kept),
                     KIOSK_OK);
    char expected[32];
    snprintf(expected, sizeof expected, "%d,%d", now_x, now_y);
    assert_string_equal(kept, expected);
    free(kept);
    app_destroy(app);

    /* Kept across a restart. */
    app = test_app_create(board, LANG_ZH_CN);
    int after_x = 0, after_y = 0;
    app_input_calibration_get(app, &after_x, &after_y);
    assert_int_equal(after_x, now_x);
    assert_int_equal(after_y, now_y);
    app_destroy(app);
}

/* The screen is rebuilt while a finger is on a button (the clock's minute,
 * the link's state, speech: on a slow board it happens within a press):
 * lifting the finger still presses it, by a finger or the mouse. */
static void test_a_press_survives_the_screen_rebuilt_under_the_finger(void **state)
{
    (void)state;
    /* The 10.1-inch board: its services take three pages. */
    kiosk_app *app = test_app_create(test_board_in_temp("portrait-800", NULL), LANG_ZH_CN);
    for (int way = 0; way < 2; way++) {
        assert_int_equal(app_go(app, APP_SCREEN_HOME), KIOSK_OK);
        ui_widget *next = ui_widget_find(app_root(app), "home.next");
        assert_non_null(next);
        int x = next->bounds.x + next->bounds.w / 2, y = next->bounds.y + next->bounds.h / 2;
        test_monotonic_now_ms += 400;
        SDL_Event event;
        SDL_zero(event);
        if (way == 0) {
            push_finger(app, SDL_FINGERDOWN, x, y);
        } else {
            event.type = SDL_MOUSEBUTTONDOWN;
            event.button.button = SDL_BUTTON_LEFT;
            event.button.x = x;
            event.button.y = y;
            assert_int_equal(SDL_PushEvent(&event), 1);
        }
        app_process_pending(app);
        assert_int_equal(app_go(app, APP_SCREEN_HOME), KIOSK_OK); /* rebuilt */
        assert_true(ui_widget_find(app_root(app), "home.next")->flags & UI_FLAG_PRESSED);
        if (way == 0) {
            push_finger(app, SDL_FINGERUP, x, y);
        } else {
            event.type = SDL_MOUSEBUTTONUP;
            assert_int_equal(SDL_PushEvent(&event), 1);
        }
        app_process_pending(app);
        assert_string_equal(test_text_of(app, "home.page"), way == 0 ? "2 / 3" : "3 / 3");
    }
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_press_survives_the_screen_rebuilt_under_the_finger),
        cmocka_unit_test(test_a_touch_lands_where_the_calibration_says),
        cmocka_unit_test(test_without_a_platform_link_it_is_read_once_the_store_is_open),
        cmocka_unit_test(test_an_absurd_calibration_is_refused_with_a_log_line),
        cmocka_unit_test(test_after_calibrating_the_touch_test_measures_about_nothing),
    };
    return PLATFORM_RUN_TESTS(tests);
}
