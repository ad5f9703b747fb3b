/* Identification by ID card, end to end inside the app: the simulated
 * reader at the transport, the real driver and device manager on their
 * threads, the event channel, the card step and what follows. */
#include "../support/test_support.h"

#include "drivers/sim/idcard_sim.h"
#include "ui/widget.h"

#include <string.h>

static void lay(kiosk_app *app, idcard_sim_citizen citizen)
{
    usb_model *reader = app_sim_reader(app);
    assert_non_null(reader);
    idcard_sim_lay_card(reader, citizen);
}

static void test_a_laid_card_identifies_the_citizen_masked(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_tap(app, "tile.household-registration");
    assert_string_equal(app_screen_name(app), "card");
    test_wait_reader(app, "ready");
    assert_string_equal(test_text_of(app, "card.status"), "放好后请稍等，读取时不要移动身份证。");
    lay(app, IDCARD_SIM_ORDINARY);
    test_wait_screen(app, "confirm");
    /* Shown masked: the name's middle, the number's birth date. */
    assert_string_equal(test_text_of(app, "confirm.line.0"), "王*明");
    assert_string_equal(test_text_of(app, "confirm.line.1"), "440304********1233");
    /* Back to step 1: identified, and "next" goes on. */
    test_tap(app, "step.back");
    assert_string_equal(app_screen_name(app), "card");
    assert_string_equal(test_text_of(app, "card.status"), "已识别：王*明，440304********1233");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "confirm");
    /* Another service in the same session: no need to lay the card again
     * (it is still on the reader and is not read twice). */
    test_tap(app, "step.back");
    test_tap(app, "step.cancel");
    test_tap(app, "tile.medical-insurance");
    assert_string_equal(app_screen_name(app), "confirm");
    /* The session ends: the identity is gone from memory. */
    test_monotonic_now_ms += 60 * 1000;
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "timeout");
    test_monotonic_now_ms += 30 * 1000;
    app_process_pending(app);
    assert_false(app_in_session(app));
    size_t size = 0;
    const char *identity = app_identity_memory(app, &size);
    for (size_t i = 0; i < size; i++)
        assert_int_equal(identity[i], 0);
    app_destroy(app);
}

static void test_a_card_moved_during_the_read_says_what_to_do(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_tap(app, "tile.household-registration");
    test_wait_reader(app, "ready");
    idcard_sim_set_fault(app_sim_reader(app), IDCARD_SIM_FAULT_PULLED_DURING_READ);
    lay(app, IDCARD_SIM_ORDINARY);
    test_wait_reader(app, "card-moved");
    assert_string_equal(app_screen_name(app), "card");
    assert_non_null(strstr(test_text_of(app, "card.status"), "请拿起身份证，重新放好"));
    assert_int_equal(ui_widget_find(app_root(app), "card.status")->tone, UI_TONE_ALERT);
    /* Laid again, it reads. */
    test_wait_reader(app, "ready");
    lay(app, IDCARD_SIM_ORDINARY);
    test_wait_screen(app, "confirm");
    app_destroy(app);
}

static void test_an_expired_card_is_refused_with_the_way_on(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_tap(app, "tile.household-registration");
    test_wait_reader(app, "ready");
    lay(app, IDCARD_SIM_EXPIRED);
    test_wait_reader(app, "card-read");
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "card");
    assert_non_null(strstr(test_text_of(app, "card.status"), "已过有效期"));
    assert_string_equal(test_text_of(app, "step.next"), "输入身份证号码");
    size_t size = 0;
    const char *identity = app_identity_memory(app, &size);
    for (size_t i = 0; i < size; i++)
        assert_int_equal(identity[i], 0);
    app_destroy(app);
}

static void test_a_second_citizens_card_is_never_merged(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_tap(app, "tile.household-registration");
    test_wait_reader(app, "ready");
    lay(app, IDCARD_SIM_ORDINARY);
    test_wait_screen(app, "confirm");
    /* Someone else's card in the same session. */
    idcard_sim_lift_card(app_sim_reader(app));
    test_wait_reader(app, "ready");
    test_tap(app, "step.back");
    lay(app, IDCARD_SIM_LONG_TERM);
    test_wait_reader(app, "card-read");
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "card");
    assert_non_null(strstr(test_text_of(app, "card.status"), "不是本次办理人"));
    /* Still the first citizen. */
    test_tap(app, "step.next");
    assert_string_equal(test_text_of(app, "confirm.line.0"), "王*明");
    assert_string_equal(test_text_of(app, "confirm.line.1"), "440304********1233");
    app_destroy(app);
}

static void test_a_card_on_the_attract_screen_starts_a_session(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create_attract("portrait-1080", LANG_ZH_CN);
    test_wait_reader(app, "ready");
    lay(app, IDCARD_SIM_RARE_CHARACTER);
    test_wait_screen(app, "home");
    assert_true(app_in_session(app));
    test_tap(app, "tile.household-registration");
    assert_string_equal(app_screen_name(app), "confirm");
    /* The character outside the BMP is kept (and masked like any other). */
    assert_string_equal(test_text_of(app, "confirm.line.0"), "林*华");
    assert_string_equal(test_text_of(app, "confirm.line.1"), "350102********4511");
    app_destroy(app);
}

static void test_an_unplugged_reader_offers_typing_and_comes_back(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_EN);
    test_tap(app, "tile.household-registration");
    test_wait_reader(app, "ready");
    assert_true(app_sim_reader_key(app, 'u'));
    test_wait_reader(app, "unplugged");
    assert_string_equal(test_text_of(app, "card.status"),
                        "The card reader is not connected. Please type your ID number, or ask "
                        "the staff.");
    /* Plugged back in: ready again, no restart. */
    assert_true(app_sim_reader_key(app, 'u'));
    test_wait_reader(app, "ready");
    assert_string_equal(test_text_of(app, "card.status"),
                        "Once it is down, please wait and do not move the card.");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "identify");
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_laid_card_identifies_the_citizen_masked),
        cmocka_unit_test(test_a_card_moved_during_the_read_says_what_to_do),
        cmocka_unit_test(test_an_expired_card_is_refused_with_the_way_on),
        cmocka_unit_test(test_a_second_citizens_card_is_never_merged),
        cmocka_unit_test(test_a_card_on_the_attract_screen_starts_a_session),
        cmocka_unit_test(test_an_unplugged_reader_offers_typing_and_comes_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
