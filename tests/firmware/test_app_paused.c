/* Out of service (暂停服务), as a citizen meets it: the words in each
 * language, help still there and back again, and a card laid on the reader
 * that opens nothing. */
#include "../support/test_support.h"

#include "drivers/sim/idcard_sim.h"
#include "ui/image.h"
#include "ui/widget_ids.h"

#include <string.h>
#include <sys/stat.h>

static void test_it_says_where_to_go_in_every_language(void **state)
{
    (void)state;
    static const char *const titles[LANG_COUNT] = {"暂停服务", "暫停服務", "Out of service"};
    static const char *const next_words[LANG_COUNT] = {"人工窗口", "人工窗口", "service counter"};
    for (int l = 0; l < LANG_COUNT; l++) {
        kiosk_app *app = test_app_create("portrait-1080", (lang)l);
        assert_int_equal(app_go(app, APP_SCREEN_PAUSED), KIOSK_OK);
        assert_string_equal(app_screen_name(app), "paused");
        assert_string_equal(test_text_of(app, "paused.title"), titles[l]);
        assert_non_null(strstr(test_text_of(app, "paused.next"), next_words[l]));
        assert_true(strlen(test_text_of(app, "paused.body")) > 0);
        /* Nothing on it starts a service. */
        assert_null(ui_widget_find(app_root(app), "tile.household-registration"));
        SDL_Surface *frame = NULL;
        assert_int_equal(app_capture(app, &frame), KIOSK_OK);
        char name[64];
        snprintf(name, sizeof name, "paused-%s.png", lang_code((lang)l));
        kiosk_diag diag = {{0}};
        char path[512];
        /* For a person to look at, beside the other screens' pictures. */
        snprintf(path, sizeof path, "%s/build/test-output", test_source_dir());
        mkdir(path, 0755);
        snprintf(path, sizeof path, "%s/build/test-output/%s", test_source_dir(), name);
        assert_int_equal(ui_image_save_png(frame, path, &diag), KIOSK_OK);
        SDL_FreeSurface(frame);
        app_destroy(app);
    }
}

static void test_help_is_there_and_back_returns(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    assert_int_equal(app_go(app, APP_SCREEN_PAUSED), KIOSK_OK);
    test_tap(app, UI_ID_FOOTER_HELP);
    assert_string_equal(app_screen_name(app), "help");
    test_tap(app, UI_ID_HELP_BACK);
    assert_string_equal(app_screen_name(app), "paused");
    app_destroy(app);
}

static void test_a_card_laid_opens_nothing(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_wait_reader(app, "ready");
    assert_int_equal(app_go(app, APP_SCREEN_PAUSED), KIOSK_OK);
    idcard_sim_lay_card(app_sim_reader(app), IDCARD_SIM_ORDINARY);
    test_wait_reader(app, "card-read");
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "paused");
    size_t size = 0;
    const char *identity = app_identity_memory(app, &size);
    for (size_t i = 0; i < size; i++)
        assert_int_equal(identity[i], 0);
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_it_says_where_to_go_in_every_language),
        cmocka_unit_test(test_help_is_there_and_back_returns),
        cmocka_unit_test(test_a_card_laid_opens_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
