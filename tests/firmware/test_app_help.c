/* Help that helps: what happens next (staff come, or nobody is on duty and
 * the hotline from the board profile), help for the step the citizen came
 * from, and no help button on help itself. */
#include "../support/test_support.h"

#include "ui/image.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static void save(kiosk_app *app, const char *name)
{
    SDL_Surface *shot = NULL;
    assert_int_equal(app_capture(app, &shot), KIOSK_OK);
    char path[1200];
    snprintf(path, sizeof path, "%s/build/test-output", test_source_dir());
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/build/test-output/%s.png", test_source_dir(), name);
    assert_int_equal(ui_image_save_png(shot, path, NULL), KIOSK_OK);
    SDL_FreeSurface(shot);
}

static void test_help_has_no_help_button_of_its_own(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    assert_non_null(ui_widget_find(app_root(app), "footer.help"));
    test_tap(app, "footer.help");
    assert_string_equal(app_screen_name(app), "help");
    assert_null(ui_widget_find(app_root(app), "footer.help"));
    /* The languages stay, and the way back. */
    assert_non_null(ui_widget_find(app_root(app), "footer.lang.en"));
    test_tap(app, "footer.lang.en");
    assert_null(ui_widget_find(app_root(app), "footer.help"));
    test_tap(app, "help.back");
    assert_string_equal(app_screen_name(app), "home");
    assert_non_null(ui_widget_find(app_root(app), "footer.help"));
    app_destroy(app);
}

/* Staff on duty (the profile names no hours: always): staff come here; the
 * help is the step's the citizen came from. */
static void test_on_duty_staff_come_and_the_step_is_explained(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_tap(app, "footer.help");
    assert_non_null(strstr(test_text_of(app, "help.body"), "工作人员会到这台机器旁边来"));
    assert_non_null(strstr(test_text_of(app, "help.step"), "点一个方块"));
    assert_non_null(ui_widget_find(app_root(app), "help.call"));
    assert_string_equal(test_text_of(app, "help.hotline"), "政务服务便民热线：12345");
    /* The call's pictogram stands inside it, before its centred words. */
    ui_widget *call = ui_widget_find(app_root(app), "help.call");
    ui_widget *icon = ui_widget_find(app_root(app), "help.call.icon");
    assert_non_null(icon);
    SDL_Rect both;
    assert_true(SDL_IntersectRect(&call->bounds, &icon->bounds, &both));
    assert_true(both.w == icon->bounds.w && both.h == icon->bounds.h);
    assert_true(icon->bounds.x + icon->bounds.w <= call->bounds.x + call->bounds.w / 2);
    save(app, "help-home-on-duty");
    test_tap(app, "help.back");
    /* From the card step: how to lay the card. */
    test_tap_tile(app, "tile.certificate-print");
    assert_string_equal(app_screen_name(app), "card");
    test_tap(app, "footer.help");
    assert_non_null(strstr(test_text_of(app, "help.step"), "身份证平放在读卡区上"));
    test_tap(app, "help.call");
    assert_true(strlen(test_text_of(app, "help.status")) > 0);
    save(app, "help-card-called");
    test_tap(app, "help.back");
    assert_string_equal(app_screen_name(app), "card");
    app_destroy(app);
}

/* Outside staff's hours nobody is offered who would not come: the hotline
 * from the profile instead. */
static void test_off_duty_the_hotline_from_the_profile(void **state)
{
    (void)state;
    const char *dir = NULL;
    const char *copy = test_board_in_temp("portrait-1080", &dir);
    char path[1200];
    snprintf(path, sizeof path, "%s", copy);
    static char text[64 * 1024], step[64 * 1024];
    const char *read = test_read_file(path);
    assert_non_null(read);
    snprintf(step, sizeof step, "%s",
             test_replace(read, "\"hotline\": \"12345\"", "\"hotline\": \"0755-12345\""));
    snprintf(text, sizeof text, "%s",
             test_replace(step, "\"hotline\": \"0755-12345\"",
                          "\"hotline\": \"0755-12345\", \"staff_hours\": \"18:00-08:00\""));
    char folder[1200];
    snprintf(folder, sizeof folder, "%s", dir);
    const char *night = test_write_file(folder, "night.json", text);
    for (int l = 0; l < LANG_COUNT; l++) {
        kiosk_app *app = test_app_create(night, (lang)l);
        test_tap(app, "footer.help");
        assert_null(ui_widget_find(app_root(app), "help.call"));
        assert_null(ui_widget_find(app_root(app), "footer.help"));
        assert_non_null(strstr(test_text_of(app, "help.body"), "0755-12345"));
        assert_non_null(strstr(test_text_of(app, "help.body"), "18:00–08:00"));
        assert_non_null(strstr(test_text_of(app, "help.hotline"), "0755-12345"));
        char name[64];
        snprintf(name, sizeof name, "help-off-duty-%s", lang_code((lang)l));
        save(app, name);
        app_destroy(app);
    }
}

/* A call made while the link is down waits in the outbox: said so, with
 * the hotline for what cannot wait. */
static void test_a_call_with_the_link_down_says_it_waits(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    sync_progress down = {.link = SYNC_LINK_OFFLINE};
    app_probe_link(app, true, &down);
    test_tap(app, "footer.help");
    test_tap(app, "help.call");
    const char *status = test_text_of(app, "help.status");
    assert_non_null(strstr(status, "网络中断"));
    assert_non_null(strstr(status, "12345"));
    save(app, "help-called-link-down");
    app_probe_link(app, false, &(sync_progress){0});
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_has_no_help_button_of_its_own),
        cmocka_unit_test(test_on_duty_staff_come_and_the_step_is_explained),
        cmocka_unit_test(test_off_duty_the_hotline_from_the_profile),
        cmocka_unit_test(test_a_call_with_the_link_down_says_it_waits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
