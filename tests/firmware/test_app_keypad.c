/* The keypad on a real app, offscreen: every key pressed on the simulated
 * USB keypad, through its reports, the driver and the event queue, and what
 * the citizen then sees (the focus, its ring, the screen). */
#include "../support/test_support.h"

#include "drivers/driver_probes.h"
#include "drivers/keypad/keypad.h"
#include "drivers/sim/keypad_sim.h"
#include "firmware/app/app_keypad.h"
#include "firmware/app/app_speech.h"
#include "ui/image.h"
#include "ui/widget.h"

#include <string.h>

static bool presses_taken(kiosk_app *app, const void *context)
{
    (void)app;
    return keypad_presses_delivered() >= *(const unsigned long *)context &&
           keypad_presses_in_flight() == 0;
}

/* A key pressed on the keypad, and the app left to do what it means. */
static void press(kiosk_app *app, keypad_key key)
{
    unsigned long want = keypad_presses_delivered() + 1;
    assert_non_null(app_sim_keypad(app));
    test_monotonic_now_ms += 400;
    assert_true(keypad_sim_press(app_sim_keypad(app), key));
    assert_true(test_run_until(app, presses_taken, &want));
    app_process_pending(app);
}

static const char *focused_id(kiosk_app *app)
{
    ui_widget *focused = app_keypad_focused(app);
    return focused ? focused->id : "";
}

/* The screen's controls in the keypad's order. */
static size_t controls(kiosk_app *app, ui_widget **out, size_t max)
{
    size_t count = ui_focus_order(app_root(app), out, max);
    assert_true(count <= max);
    return count;
}

/* A created app sees its devices after its first turn; the keypad must be
 * ready before a key can reach the app. */
static bool keypad_ready(kiosk_app *app, const void *context)
{
    (void)context;
    return app_sim_keypad(app) != NULL;
}

static kiosk_app *app_on(const char *board, bool start_home)
{
    kiosk_app *app = test_app_create_with(board, LANG_ZH_CN, start_home, 0);
    assert_true(test_run_until(app, keypad_ready, NULL));
    app_speech_set_reader(app, false);
    return app;
}

static void test_the_first_key_shows_the_focus_and_turns_the_reader_on(void **state)
{
    (void)state;
    kiosk_app *app = app_on("portrait-1080", true);
    assert_false(app_keypad_mode(app));
    assert_null(app_keypad_focused(app));
    assert_null(ui_focus_find(app_root(app)));
    ui_widget *order[256];
    size_t count = controls(app, order, 256);
    assert_true(count > 3);
    /* The first press of an arrow shows where the focus starts; nothing moves. */
    press(app, KEYPAD_KEY_RIGHT);
    assert_true(app_keypad_mode(app));
    assert_true(app_speech_reader_on(app));
    assert_string_equal(focused_id(app), order[0]->id);
    assert_ptr_equal(ui_focus_find(app_root(app)), app_keypad_focused(app));
    /* Then right is next, left previous, round the ends. */
    press(app, KEYPAD_KEY_RIGHT);
    assert_string_equal(focused_id(app), order[1]->id);
    press(app, KEYPAD_KEY_LEFT);
    press(app, KEYPAD_KEY_LEFT);
    assert_string_equal(focused_id(app), order[count - 1]->id);
    press(app, KEYPAD_KEY_RIGHT);
    assert_string_equal(focused_id(app), order[0]->id);
    /* One widget is focused at a time. */
    size_t flagged = 0;
    for (size_t i = 0; i < count; i++)
        flagged += (order[i]->flags & UI_FLAG_FOCUSED) != 0;
    assert_int_equal(flagged, 1);
    assert_string_equal(app_screen_name(app), "home");
    app_destroy(app);
}

static bool same_colour(SDL_Surface *surface, int x, int y, SDL_Color want)
{
    Uint32 pixel = 0;
    memcpy(&pixel,
           (Uint8 *)surface->pixels + y * surface->pitch + x * surface->format->BytesPerPixel,
           surface->format->BytesPerPixel);
    Uint8 r, g, b;
    SDL_GetRGB(pixel, surface->format, &r, &g, &b);
    return abs(r - want.r) <= 2 && abs(g - want.g) <= 2 && abs(b - want.b) <= 2;
}

/* The ring is seen: on all four sides of the focused tile, the focus colour
 * just outside its bounds and the halo beyond; gone when the focus moves. */
static void test_the_ring_is_drawn_around_the_focused_control(void **state)
{
    (void)state;
    for (int theme = 0; theme < UI_THEME_COUNT; theme++) {
        kiosk_app *app = test_app_create_with("portrait-1080", LANG_ZH_CN, true, theme);
        assert_true(test_run_until(app, keypad_ready, NULL));
        const ui_theme *look = ui_theme_get((ui_theme_id)theme);
        press(app, KEYPAD_KEY_1); /* the first tile */
        ui_widget *tile = app_keypad_focused(app);
        assert_non_null(tile);
        assert_int_equal(tile->action, UI_ACTION_OPEN_SERVICE);
        int ring = ui_dp(app_metrics(app), UI_FOCUS_RING_DP);
        assert_true(ring >= 3);
        SDL_Rect b = tile->bounds;
        const SDL_Point band[4] = {{b.x + b.w / 2, b.y - ring / 2 - 1},
                                   {b.x + b.w / 2, b.y + b.h + ring / 2},
                                   {b.x - ring / 2 - 1, b.y + b.h / 2},
                                   {b.x + b.w + ring / 2, b.y + b.h / 2}};
        const SDL_Point halo[4] = {{b.x + b.w / 2, b.y - ring - 1},
                                   {b.x + b.w / 2, b.y + b.h + ring},
                                   {b.x - ring - 1, b.y + b.h / 2},
                                   {b.x + b.w + ring, b.y + b.h / 2}};
        SDL_Surface *shot = NULL;
        assert_int_equal(app_capture(app, &shot), KIOSK_OK);
        for (int i = 0; i < 4; i++) {
            assert_true(same_colour(shot, band[i].x, band[i].y, look->focus));
            assert_true(same_colour(shot, halo[i].x, halo[i].y, look->focus_halo));
        }
        /* For the eye: build/test-output/keypad-focus-<theme>.png. */
        char png[1200];
        snprintf(png, sizeof png, "%s/build/test-output/keypad-focus-%s.png", test_source_dir(),
                 look->name);
        assert_int_equal(ui_image_save_png(shot, png, NULL), KIOSK_OK);
        SDL_FreeSurface(shot);
        press(app, KEYPAD_KEY_DOWN);
        assert_ptr_not_equal(app_keypad_focused(app), tile);
        assert_int_equal(app_capture(app, &shot), KIOSK_OK);
        for (int i = 0; i < 4; i++)
            assert_false(same_colour(shot, band[i].x, band[i].y, look->focus));
        SDL_FreeSurface(shot);
        app_destroy(app);
    }
}

/* Enter on a tile opens its service, as a tap does; on the ID number's pad
 * it types the key focused. */
static void test_enter_does_what_a_tap_does(void **state)
{
    (void)state;
    kiosk_app *tapped = app_on("portrait-1080", true);
    test_tap(tapped, "tile.household-registration");
    char want[32];
    snprintf(want, sizeof want, "%s", app_screen_name(tapped));
    char title[128];
    snprintf(title, sizeof title, "%s", test_text_of(tapped, "step.title"));
    app_destroy(tapped);

    kiosk_app *app = app_on("portrait-1080", true);
    press(app, KEYPAD_KEY_RIGHT);
    ui_widget *order[256];
    size_t count = controls(app, order, 256);
    while (strcmp(focused_id(app), "tile.household-registration") != 0) {
        press(app, KEYPAD_KEY_RIGHT);
        assert_true(count-- > 0);
    }
    press(app, KEYPAD_KEY_ENTER);
    assert_string_equal(app_screen_name(app), want);
    assert_string_equal(test_text_of(app, "step.title"), title);
    /* A new screen: the focus on its first control. */
    count = controls(app, order, 256);
    assert_string_equal(focused_id(app), order[0]->id);
    app_destroy(app);
}

/* Digits type into the ID number's pad, clear takes the last one back; a
 * screen rebuilt by a key keeps the focus where it was. */
static void test_digits_type_the_id_number(void **state)
{
    (void)state;
    kiosk_app *app = app_on("portrait-1080", true);
    test_open_typed(app, "tile.household-registration");
    press(app, KEYPAD_KEY_DOWN);
    char where[UI_ID_MAX];
    snprintf(where, sizeof where, "%s", focused_id(app));
    static const keypad_key number[] = {KEYPAD_KEY_1, KEYPAD_KEY_1, KEYPAD_KEY_0, KEYPAD_KEY_1,
                                        KEYPAD_KEY_0, KEYPAD_KEY_5, KEYPAD_KEY_9};
    for (size_t i = 0; i < sizeof number / sizeof number[0]; i++)
        press(app, number[i]);
    assert_string_equal(test_text_of(app, "identify.field"), "1101059");
    press(app, KEYPAD_KEY_CLEAR);
    assert_string_equal(test_text_of(app, "identify.field"), "110105");
    assert_string_equal(focused_id(app), where);
    /* The pad's keys are walked as a grid: down from 1 is 4, right is 5. */
    while (strcmp(focused_id(app), "keypad.1") != 0)
        press(app, KEYPAD_KEY_RIGHT);
    press(app, KEYPAD_KEY_DOWN);
    assert_string_equal(focused_id(app), "keypad.4");
    press(app, KEYPAD_KEY_RIGHT);
    assert_string_equal(focused_id(app), "keypad.5");
    press(app, KEYPAD_KEY_UP);
    assert_string_equal(focused_id(app), "keypad.2");
    press(app, KEYPAD_KEY_ENTER);
    assert_string_equal(test_text_of(app, "identify.field"), "1101052");
    assert_string_equal(focused_id(app), "keypad.2");
    app_destroy(app);
}

/* Back is the screen's way back, and never a dead end; help comes from
 * anywhere, the attract screen included. */
static void test_back_and_help(void **state)
{
    (void)state;
    kiosk_app *app = app_on("portrait-1080", true);
    test_open_typed(app, "tile.household-registration");
    press(app, KEYPAD_KEY_BACK);
    assert_string_not_equal(app_screen_name(app), "identify");
    /* Back again and again leads home, and home stays home. */
    for (int i = 0; i < 4 && strcmp(app_screen_name(app), "home") != 0; i++)
        press(app, KEYPAD_KEY_BACK);
    assert_string_equal(app_screen_name(app), "home");
    press(app, KEYPAD_KEY_BACK);
    assert_string_equal(app_screen_name(app), "home");
    press(app, KEYPAD_KEY_HELP);
    assert_string_equal(app_screen_name(app), "help");
    press(app, KEYPAD_KEY_BACK);
    assert_string_equal(app_screen_name(app), "home");
    test_open_typed(app, "tile.household-registration");
    press(app, KEYPAD_KEY_HELP);
    assert_string_equal(app_screen_name(app), "help");
    press(app, KEYPAD_KEY_BACK);
    assert_string_equal(app_screen_name(app), "identify");

    /* On the time-out warning, back is "I am still here". */
    test_monotonic_now_ms += 60 * 1000;
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "timeout");
    press(app, KEYPAD_KEY_BACK);
    assert_string_equal(app_screen_name(app), "identify");
    app_destroy(app);

    app = app_on("portrait-1080", false);
    assert_string_equal(app_screen_name(app), "attract");
    press(app, KEYPAD_KEY_HELP);
    assert_string_equal(app_screen_name(app), "help");
    assert_true(app_in_session(app));
    app_destroy(app);
}

/* The session's end takes keypad mode with it; so does the keypad leaving. */
static void test_keypad_mode_ends_with_the_session_and_the_keypad(void **state)
{
    (void)state;
    kiosk_app *app = app_on("portrait-1080", true);
    press(app, KEYPAD_KEY_DOWN);
    assert_true(app_keypad_mode(app));
    app_session_end(app, "test");
    app_process_pending(app);
    assert_false(app_keypad_mode(app));
    assert_null(app_keypad_focused(app));
    assert_null(ui_focus_find(app_root(app)));
    press(app, KEYPAD_KEY_DOWN);
    assert_true(app_keypad_mode(app));
    device_status gone = {.kind = DEVICE_KEYPAD, .state = DEVICE_NO_DEVICE};
    snprintf(gone.reason, sizeof gone.reason, "unplugged");
    app_keypad_status(app, &gone);
    assert_false(app_keypad_mode(app));
    assert_null(ui_focus_find(app_root(app)));
    app_destroy(app);
}

/* A digit where nothing is typed moves the focus to the n-th choice; enter
 * then takes it. */
static void test_a_digit_picks_the_nth_choice(void **state)
{
    (void)state;
    kiosk_app *app = app_on("portrait-1080", true);
    ui_widget *order[256];
    size_t count = controls(app, order, 256);
    const ui_widget *tiles[3] = {0};
    size_t found = 0;
    for (size_t i = 0; i < count && found < 3; i++) {
        if (order[i]->action == UI_ACTION_OPEN_SERVICE)
            tiles[found++] = order[i];
    }
    assert_int_equal(found, 3);
    char third[UI_ID_MAX];
    snprintf(third, sizeof third, "%s", tiles[2]->id);
    press(app, KEYPAD_KEY_3);
    assert_string_equal(focused_id(app), third);
    assert_string_equal(app_screen_name(app), "home");
    app_destroy(app);
}

static void push_key(SDL_Keycode key, Uint16 modifiers)
{
    SDL_Event event;
    SDL_zero(event);
    event.type = SDL_KEYDOWN;
    event.key.keysym.sym = key;
    event.key.keysym.mod = modifiers;
    assert_int_equal(SDL_PushEvent(&event), 1);
}

static bool keypad_on(kiosk_app *app, const void *context)
{
    (void)context;
    return app_keypad_mode(app);
}

/* A keyboard's keys do nothing without Ctrl (a passer-by's USB keyboard);
 * with it they are the developer's keys for the simulated devices. */
static void test_developer_keys_need_ctrl(void **state)
{
    (void)state;
    kiosk_app *app = app_on("portrait-1080", true);
    unsigned long delivered = keypad_presses_delivered();
    push_key('i', KMOD_NONE);
    push_key('o', KMOD_LSHIFT);
    for (int i = 0; i < 40; i++) {
        app_process_pending(app);
        SDL_Delay(5);
    }
    assert_int_equal(keypad_presses_delivered(), delivered);
    assert_false(app_keypad_mode(app));
    push_key('i', KMOD_LCTRL);
    assert_true(test_run_until(app, keypad_on, NULL));
    assert_int_equal(keypad_presses_delivered(), delivered + 1);
    app_destroy(app);
}

/* The reading-aloud button, on every screen and the attract screen: a tap
 * turns screen-reading on and off, and the button shows which. */
static void test_the_reading_aloud_button(void **state)
{
    (void)state;
    kiosk_app *app = app_on("portrait-1080", false);
    assert_string_equal(test_text_of(app, "attract.reader"), "语音朗读");
    test_tap(app, "attract.reader");
    assert_true(app_speech_reader_on(app));
    assert_string_equal(app_screen_name(app), "attract");
    assert_false(app_in_session(app)); /* the button is not the screen's touch */
    assert_true(ui_widget_find(app_root(app), "attract.reader")->flags & UI_FLAG_CHECKED);
    test_tap(app, "attract.start");
    ui_widget *button = ui_widget_find(app_root(app), "footer.reader");
    assert_non_null(button);
    assert_true(button->flags & UI_FLAG_CHECKED);
    test_tap(app, "tile.household-registration");
    test_tap(app, "footer.reader");
    assert_false(app_speech_reader_on(app));
    assert_string_equal(app_screen_name(app), "card");
    assert_false(ui_widget_find(app_root(app), "footer.reader")->flags & UI_FLAG_CHECKED);
    test_tap(app, "footer.lang.en");
    assert_string_equal(test_text_of(app, "footer.reader"), "Read aloud");
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_first_key_shows_the_focus_and_turns_the_reader_on),
        cmocka_unit_test(test_the_ring_is_drawn_around_the_focused_control),
        cmocka_unit_test(test_enter_does_what_a_tap_does),
        cmocka_unit_test(test_digits_type_the_id_number),
        cmocka_unit_test(test_back_and_help),
        cmocka_unit_test(test_keypad_mode_ends_with_the_session_and_the_keypad),
        cmocka_unit_test(test_a_digit_picks_the_nth_choice),
        cmocka_unit_test(test_developer_keys_need_ctrl),
        cmocka_unit_test(test_the_reading_aloud_button),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
