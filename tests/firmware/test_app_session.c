/* Who may see what, and for how long: a typed number never opens a
 * citizen's records; after a service the citizen says whether they are
 * done; an identified citizen left on home is forgotten sooner; a card left
 * on the reader is asked back and never identifies the next citizen. With
 * the simulated reader at the transport and the real driver, as in
 * test_app_card.c. */
#include "../support/test_support.h"

#include "drivers/sim/idcard_sim.h"
#include "firmware/app/app_probe.h"
#include "firmware/app/app_session.h"
#include "firmware/app/navigation.h"
#include "firmware/base/event_channel.h"
#include "firmware/base/id_number.h"
#include "ui/image.h"
#include "ui/widget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Writes the screen to build/test-output/session-<name>.png, to look at. */
static void snapshot(kiosk_app *app, const char *name)
{
    char dir[1024], path[1200];
    snprintf(dir, sizeof dir, "%s/build/test-output", test_source_dir());
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/session-%s.png", dir, name);
    SDL_Surface *frame = NULL;
    assert_int_equal(app_capture(app, &frame), KIOSK_OK);
    assert_int_equal(ui_image_save_png(frame, path, NULL), KIOSK_OK);
    SDL_FreeSurface(frame);
}

static void lay(kiosk_app *app)
{
    test_wait_reader(app, "ready");
    idcard_sim_lay_card(app_sim_reader(app), IDCARD_SIM_ORDINARY);
}

static bool shown(kiosk_app *app, const char *id)
{
    const ui_widget *widget = ui_widget_find(app_root(app), id);
    return widget && !(widget->flags & UI_FLAG_HIDDEN);
}

static bool all_zero(const void *memory, size_t size)
{
    const unsigned char *bytes = memory;
    for (size_t i = 0; i < size; i++) {
        if (bytes[i])
            return false;
    }
    return true;
}

/* A citizen identified by card on home (a service done and cancelled). */
static kiosk_app *identified_on_home(int theme)
{
    kiosk_app *app = test_app_create_with("portrait-1080", LANG_ZH_CN, true, theme);
    test_tap_tile(app, "tile.household-registration");
    lay(app);
    test_wait_screen(app, "confirm");
    test_tap(app, "step.cancel");
    assert_string_equal(app_screen_name(app), "home");
    return app;
}

/* 公积金查询 shows a balance: the card step offers no typing, and no way
 * round it reaches the answer. */
static void test_typing_an_id_number_never_reaches_the_housing_fund_balance(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_tap_tile(app, "tile.housing-fund-query");
    assert_string_equal(app_screen_name(app), "card");
    test_wait_reader(app, "ready");
    /* Were the way to type there, it would lead to the balance: follow it. */
    if (shown(app, "step.next")) {
        test_tap(app, "step.next");
        if (strcmp(app_screen_name(app), "identify") == 0) {
            test_type(app, "440304199001011233");
            test_tap(app, "step.next");
        }
    }
    assert_string_equal(app_screen_name(app), "card");
    assert_false(shown(app, "step.next"));
    snapshot(app, "card-no-typing");
    /* With the reader down it says so, and that typing will not do. */
    assert_true(app_sim_reader_key(app, 'u'));
    test_wait_reader(app, "unplugged");
    assert_non_null(strstr(test_text_of(app, "card.status"), "不能输入号码"));
    assert_false(shown(app, "step.next"));
    snapshot(app, "card-no-typing-reader-down");
    app_destroy(app);
}

/* A service that takes a typed number still offers it. */
static void test_an_application_still_takes_the_number_typed(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_open_typed(app, "tile.certificate-print");
    test_type(app, "440304199001011233");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "confirm");
    app_destroy(app);
}

/* After a service: another, or the end; the card is asked back while it
 * lies on the reader; home offers the end while the citizen is known. */
static void test_after_a_service_the_citizen_chooses_another_or_the_end(void **state)
{
    (void)state;
    const char *data_dir = NULL;
    kiosk_app *app = test_app_create(test_board_in_temp("portrait-1080", &data_dir), LANG_ZH_CN);
    assert_false(shown(app, "home.end")); /* nobody is identified yet */
    test_tap_tile(app, "tile.household-registration");
    lay(app);
    test_wait_screen(app, "confirm");
    test_tap(app, "step.next");
    test_wait_screen(app, "result");
    test_tap(app, "result.done");
    test_tap(app, "rate.skip");
    assert_string_equal(app_screen_name(app), "finished");
    assert_true(app_in_session(app));
    assert_string_equal(test_text_of(app, "finished.card_back.title"), "请取回您的身份证");
    snapshot(app, "finished-card-on-reader");
    /* Lifted: the screen stops asking. */
    idcard_sim_lift_card(app_sim_reader(app));
    test_wait_reader(app, "ready");
    app_process_pending(app);
    assert_false(shown(app, "finished.card_back.title"));
    snapshot(app, "finished");
    test_tap(app, "finished.more");
    assert_string_equal(app_screen_name(app), "home");
    /* Still identified: 结束办理 on home, and no card asked for again. */
    assert_string_equal(test_text_of(app, "home.end"), "结束办理");
    snapshot(app, "home-identified");
    test_tap_tile(app, "tile.medical-insurance");
    assert_string_equal(app_screen_name(app), "confirm");
    test_tap(app, "step.cancel");
    test_tap(app, "home.end");
    assert_string_equal(app_screen_name(app), "attract");
    assert_false(app_in_session(app));
    size_t size = 0;
    assert_true(all_zero(app_identity_memory(app, &size), size));
    app_destroy(app);
}

/* In elder mode too: the question after a service, the card asked back. */
static void test_the_end_of_a_service_in_elder_mode(void **state)
{
    (void)state;
    kiosk_app *app = identified_on_home(UI_THEME_ELDER);
    test_tap_tile(app, "tile.household-registration");
    assert_string_equal(app_screen_name(app), "confirm");
    test_tap(app, "step.next");
    test_wait_screen(app, "result");
    test_tap(app, "result.done");
    test_tap(app, "rate.skip");
    assert_string_equal(app_screen_name(app), "finished");
    assert_string_equal(test_text_of(app, "finished.card_back.title"), "请取回您的身份证");
    snapshot(app, "finished-card-on-reader-elder");
    test_tap(app, "footer.lang.en");
    snapshot(app, "finished-card-on-reader-elder-en");
    test_tap(app, "finished.end");
    assert_string_equal(app_screen_name(app), "take-card");
    snapshot(app, "take-card-elder-en");
    app_destroy(app);
}

/* Home with a citizen identified ends after 30 s without a touch (60 s in
 * elder mode), with no warning; home with nobody identified waits as long
 * as any screen. */
static void test_an_identified_citizen_idle_on_home_is_forgotten_sooner(void **state)
{
    (void)state;
    for (int theme = UI_THEME_STANDARD; theme <= UI_THEME_ELDER; theme++) {
        kiosk_app *app = identified_on_home(theme);
        if (theme == UI_THEME_ELDER)
            snapshot(app, "home-identified-elder");
        uint64_t limit = theme == UI_THEME_ELDER ? 60 * 1000 : 30 * 1000;
        test_monotonic_now_ms += limit - 1000;
        app_process_pending(app);
        assert_string_equal(app_screen_name(app), "home");
        test_monotonic_now_ms += 1000;
        app_process_pending(app);
        assert_false(app_in_session(app));
        size_t size = 0;
        assert_true(all_zero(app_identity_memory(app, &size), size));
        /* The card still lies there: it is asked back. */
        assert_string_equal(app_screen_name(app), "take-card");
        app_destroy(app);
    }
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_monotonic_now_ms += 59 * 1000;
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "home");
    assert_true(app_in_session(app));
    app_destroy(app);
}

/* The card left after the visit: asked back in large words; a while later
 * staff are called and the terminal rests; the next citizen is asked to
 * lift it and lay it again, and is not taken for the last one. */
static void test_a_card_left_on_the_reader_is_asked_back_and_identifies_nobody(void **state)
{
    (void)state;
    kiosk_app *app = identified_on_home(UI_THEME_STANDARD);
    test_tap(app, "home.end");
    assert_string_equal(app_screen_name(app), "take-card");
    assert_string_equal(test_text_of(app, "take_card.title"), "请取回您的身份证");
    assert_non_null(strstr(test_text_of(app, "take_card.en"), "Please take your ID card"));
    assert_non_null(strstr(test_text_of(app, "take_card.zh-TW"), "請取回您的身份證"));
    snapshot(app, "take-card");
    test_monotonic_now_ms += APP_TAKE_CARD_SECONDS * 1000ULL;
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "attract");
    /* The next citizen. */
    test_tap(app, "attract.start");
    test_tap_tile(app, "tile.household-registration");
    assert_string_equal(app_screen_name(app), "card");
    assert_non_null(strstr(test_text_of(app, "card.status"), "请拿起它，再重新放好"));
    snapshot(app, "card-lay-again");
    size_t size = 0;
    assert_true(all_zero(app_identity_memory(app, &size), size));
    /* Lifted and laid: read afresh. */
    idcard_sim_lift_card(app_sim_reader(app));
    lay(app);
    test_wait_screen(app, "confirm");
    app_destroy(app);
}

/* Taken as soon as it is lifted: the attract screen returns at once. */
static void test_taking_the_card_back_returns_the_attract_screen(void **state)
{
    (void)state;
    kiosk_app *app = identified_on_home(UI_THEME_ELDER);
    test_tap(app, "home.end");
    assert_string_equal(app_screen_name(app), "take-card");
    snapshot(app, "take-card-after-elder");
    idcard_sim_lift_card(app_sim_reader(app));
    test_wait_screen(app, "attract");
    app_destroy(app);
    /* Help asked for on it, the card taken meanwhile: back is the attract
     * screen, not a question with no card to answer it. */
    app = identified_on_home(UI_THEME_STANDARD);
    test_tap(app, "home.end");
    test_tap(app, "footer.help");
    assert_string_equal(app_screen_name(app), "help");
    idcard_sim_lift_card(app_sim_reader(app));
    test_wait_reader(app, "ready");
    test_tap(app, "help.back");
    assert_string_equal(app_screen_name(app), "attract");
    app_destroy(app);
}

/* A card read while the citizen was deciding (the time-out warning) is not
 * used then, nor silently later: the card step asks for it again rather
 * than saying "读取成功" and waiting for ever. */
static void test_a_card_read_when_it_could_not_be_used_is_asked_for_again(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_tap_tile(app, "tile.household-registration");
    test_monotonic_now_ms += 60 * 1000;
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "timeout");
    lay(app);
    test_wait_reader(app, "card-read");
    test_tap(app, "timeout.continue");
    assert_string_equal(app_screen_name(app), "card");
    assert_non_null(strstr(test_text_of(app, "card.status"), "请拿起它，再重新放好"));
    idcard_sim_lift_card(app_sim_reader(app));
    lay(app);
    test_wait_screen(app, "confirm");
    app_destroy(app);
}

static void release_record(void *payload)
{
    idcard_record_wipe(payload);
    free(payload);
}

static void post_card(const char *id_number)
{
    idcard_record *record = calloc(1, sizeof *record);
    assert_non_null(record);
    snprintf(record->name, sizeof record->name, "赵敏");
    snprintf(record->id_number, sizeof record->id_number, "%s", id_number);
    snprintf(record->valid_to, sizeof record->valid_to, "20400101");
    assert_int_equal(device_post_delivery(DEVICE_ID_READER, record, release_record), KIOSK_OK);
}

/* The check character X is one character in two spellings: an e-ID's
 * number with x is the same citizen as the card's with X. */
static void test_a_small_x_is_the_same_citizen(void **state)
{
    (void)state;
    assert_true(id_number_same("11010519491231002X", "11010519491231002x"));
    assert_true(id_number_same("11010519491231002x", "11010519491231002X"));
    assert_true(id_number_same("440304199001011233", "440304199001011233"));
    assert_false(id_number_same("11010519491231002X", "11010519491231003X"));
    assert_false(id_number_same("11010519491231002X", "11010519491231002"));
    assert_false(id_number_same("", "")); /* two unknown people are never one */
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_tap_tile(app, "tile.household-registration");
    post_card("11010519491231002X");
    test_wait_screen(app, "confirm");
    test_tap(app, "step.back");
    assert_string_equal(app_screen_name(app), "card");
    /* Refused as another citizen, it would stay on the card step. */
    post_card("11010519491231002x");
    test_wait_screen(app, "confirm");
    app_destroy(app);
}

/* The session identifies one citizen for the whole visit: the same number
 * again (an e-ID's x for the card's X) is them; another is refused and
 * changes nothing. */
static void test_the_session_identifies_one_citizen(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    assert_true(app_session_identify(app, "张三", "11010519491231002X", "北京", false));
    assert_true(app_session_identify(app, "张三", "11010519491231002x", "", true));
    assert_string_equal(app_session_citizen_id(app), "11010519491231002X");
    assert_string_equal(app_session_identified_by(app), "e-id");
    assert_false(app_session_identify(app, "李四", "11010519491231003X", "上海", false));
    assert_false(app_session_identify(app, "李四", "11010519491231002", "上海", false));
    assert_string_equal(app_session_citizen_name(app), "张三");
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_typing_an_id_number_never_reaches_the_housing_fund_balance),
        cmocka_unit_test(test_an_application_still_takes_the_number_typed),
        cmocka_unit_test(test_after_a_service_the_citizen_chooses_another_or_the_end),
        cmocka_unit_test(test_the_end_of_a_service_in_elder_mode),
        cmocka_unit_test(test_an_identified_citizen_idle_on_home_is_forgotten_sooner),
        cmocka_unit_test(test_a_card_left_on_the_reader_is_asked_back_and_identifies_nobody),
        cmocka_unit_test(test_taking_the_card_back_returns_the_attract_screen),
        cmocka_unit_test(test_a_card_read_when_it_could_not_be_used_is_asked_for_again),
        cmocka_unit_test(test_a_small_x_is_the_same_citizen),
        cmocka_unit_test(test_the_session_identifies_one_citizen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
