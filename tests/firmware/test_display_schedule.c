/* The display's schedule: which span covers a minute (one past midnight
 * too), the next edge, a board profile's "display" read and refused when
 * wrong, and in a real app at the test clock's 17:30 in the hall's zone a
 * backlight file written dim, then full for a citizen who touches, with the
 * loop told to wake only at the next edge. */
#include "../support/test_support.h"

#include "firmware/app/app_display_schedule.h"
#include "firmware/app/app_probe.h"
#include "firmware/app/board.h"
#include "ui/widget_ids.h"

#include <stdio.h>
#include <string.h>

static board_display night(void)
{
    board_display d = {0};
    d.schedule[0] =
        (display_span){.from_min = 23 * 60, .to_min = 6 * 60, .mode = DISPLAY_DIM, .level = 20};
    d.schedule[1] = (display_span){.from_min = 2 * 60, .to_min = 5 * 60, .mode = DISPLAY_OFF};
    d.count = 2;
    return d;
}

static void test_spans_cover_their_minutes(void **state)
{
    (void)state;
    board_display d = night();
    int level = -1;
    assert_int_equal(display_schedule_at(&d, 22 * 60 + 59, &level), DISPLAY_ON);
    assert_int_equal(level, 100);
    assert_int_equal(display_schedule_at(&d, 23 * 60, &level), DISPLAY_DIM);
    assert_int_equal(level, 20);
    /* Past midnight, the first span that covers it wins. */
    assert_int_equal(display_schedule_at(&d, 3 * 60, &level), DISPLAY_DIM);
    assert_int_equal(display_schedule_at(&d, 5 * 60 + 59, NULL), DISPLAY_DIM);
    assert_int_equal(display_schedule_at(&d, 6 * 60, NULL), DISPLAY_ON);
    board_display off = {.count = 1};
    off.schedule[0] = (display_span){.from_min = 60, .to_min = 120, .mode = DISPLAY_OFF};
    assert_int_equal(display_schedule_at(&off, 90, &level), DISPLAY_OFF);
    assert_int_equal(level, 0);
}

static void test_the_next_edge(void **state)
{
    (void)state;
    board_display d = night();
    assert_int_equal(display_schedule_next_edge(&d, 22 * 60), 60);
    assert_int_equal(display_schedule_next_edge(&d, 23 * 60), 3 * 60); /* 02:00 */
    assert_int_equal(display_schedule_next_edge(&d, 5 * 60 + 30), 30);
    board_display none = {0};
    assert_int_equal(display_schedule_next_edge(&none, 700), 1440);
}

static kiosk_error load(const char *json, board_display *out, kiosk_diag *diag)
{
    cJSON *root = cJSON_Parse(json);
    assert_non_null(root);
    kiosk_error result = board_display_load("board.json", root, out, diag);
    cJSON_Delete(root);
    return result;
}

static void test_a_profile_display_is_read_and_checked(void **state)
{
    (void)state;
    board_display d;
    kiosk_diag diag = {{0}};
    assert_int_equal(load("{\"display\": {\"schedule\": [{\"from\": \"23:00\", \"to\": \"06:00\", "
                          "\"mode\": \"dim\", \"level\": 20}], \"backlight\": "
                          "\"/sys/class/backlight/panel/brightness\"}}",
                          &d, &diag),
                     KIOSK_OK);
    assert_int_equal(d.count, 1);
    assert_int_equal(d.schedule[0].from_min, 1380);
    assert_int_equal(d.schedule[0].to_min, 360);
    assert_int_equal(d.schedule[0].level, 20);
    assert_string_equal(d.backlight, "/sys/class/backlight/panel/brightness");
    assert_int_equal(load("{}", &d, &diag), KIOSK_OK);
    assert_int_equal(d.count, 0);
    static const struct {
        const char *json, *says;
    } wrong[] = {
        {"{\"display\": {\"schedule\": [{\"from\": \"24:00\", \"to\": \"06:00\", \"mode\": "
         "\"off\"}]}}",
         "display.schedule[0]"},
        {"{\"display\": {\"schedule\": [{\"from\": \"23:00\", \"to\": \"06:00\", \"mode\": "
         "\"blink\"}]}}",
         "display.schedule[0].mode"},
        {"{\"display\": {\"schedule\": [{\"from\": \"23:00\", \"to\": \"23:00\", \"mode\": "
         "\"off\"}]}}",
         "different"},
        {"{\"display\": {\"schedule\": [{\"from\": \"23:00\", \"to\": \"06:00\", \"mode\": "
         "\"dim\", "
         "\"level\": 100}]}}",
         "level"},
        {"{\"display\": {\"backlight\": \"brightness\"}}", "absolute path"},
        {"{\"display\": 3}", "expected an object"},
    };
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        memset(&diag, 0, sizeof diag);
        assert_int_equal(load(wrong[i].json, &d, &diag), KIOSK_ERR_MALFORMED);
        if (!strstr(diag.message, wrong[i].says))
            fail_msg("\"%s\" does not say \"%s\"", diag.message, wrong[i].says);
    }
}

static bool written_is(const char *path, const char *value)
{
    const char *text = test_read_file(path);
    return text && strcmp(text, value) == 0;
}

/* The test clock stands at 09:30 UTC, 17:30 in Asia/Shanghai. */
static void test_the_backlight_dims_and_wakes_for_a_citizen(void **state)
{
    (void)state;
    char dir[1100];
    snprintf(dir, sizeof dir, "%s", test_make_temp_dir("display-schedule"));
    test_write_file(dir, "max_brightness", "255\n");
    const char *backlight = test_write_file(dir, "brightness", "255\n");
    char display[1600];
    snprintf(display, sizeof display,
             "\"display\": {\"schedule\": [{\"from\": \"17:00\", \"to\": \"18:00\", \"mode\": "
             "\"dim\", \"level\": 20}], \"backlight\": \"%s\"},\n  \"devices\":",
             backlight);
    const char *profile = test_read_file(test_board_in_temp("portrait-1080", NULL));
    const char *board = test_write_file(test_make_temp_dir("display-board"), "board.json",
                                        test_replace(profile, "\"devices\":", display));
    kiosk_app *app = test_app_create_attract(board, LANG_ZH_CN);
    int level = 0;
    assert_int_equal(app_display_mode(app, &level), DISPLAY_DIM);
    assert_int_equal(level, 20);
    assert_true(written_is(backlight, "51\n")); /* 20 % of 255 */
    /* Nothing to do until the attract screen's content moves (3 minutes),
     * well before the schedule's next edge at 18:00. */
    assert_int_equal(app_display_schedule_next_ms(app), DISPLAY_DRIFT_PERIOD_MS);
    test_tap(app, UI_ID_ATTRACT_START);
    assert_int_equal(app_display_mode(app, &level), DISPLAY_ON);
    assert_true(written_is(backlight, "255\n"));
    app_destroy(app);
}

static Uint8 red_at(SDL_Surface *surface, int x, int y)
{
    Uint32 pixel = ((const Uint32 *)surface->pixels)[y * surface->pitch / 4 + x];
    Uint8 r, g, b;
    SDL_GetRGB(pixel, surface->format, &r, &g, &b);
    return r;
}

/* A board with no backlight file: the drawn frame itself is dimmed. */
static void test_without_a_backlight_the_frame_is_dimmed(void **state)
{
    (void)state;
    const char *profile = test_read_file(test_board_in_temp("portrait-1080", NULL));
    const char *board = test_write_file(
        test_make_temp_dir("display-shade"), "board.json",
        test_replace(profile, "\"devices\":",
                     "\"display\": {\"schedule\": [{\"from\": \"17:00\", \"to\": \"18:00\", "
                     "\"mode\": \"dim\", \"level\": 20}]},\n  \"devices\":"));
    kiosk_app *app = test_app_create_attract(board, LANG_ZH_CN);
    SDL_Surface *dim = NULL, *lit = NULL;
    assert_int_equal(app_capture(app, &dim), KIOSK_OK);
    test_tap(app, UI_ID_ATTRACT_START);
    assert_int_equal(app_capture(app, &lit), KIOSK_OK);
    /* A corner of the page: a fifth of its light while dim. */
    Uint8 dim_r = red_at(dim, 2, dim->h / 2), lit_r = red_at(lit, 2, lit->h / 2);
    assert_true(lit_r > 100);
    assert_in_range(dim_r, lit_r * 20 / 100 - 3, lit_r * 20 / 100 + 3);
    SDL_FreeSurface(dim);
    SDL_FreeSurface(lit);
    app_destroy(app);
}

/* While nobody is here, the attract screen's content moves a few pixels
 * every few minutes, and is drawn only then. */
static void test_the_attract_screen_moves_against_burn_in(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create_attract("portrait-1080", LANG_ZH_CN);
    int dx = -1, dy = -1;
    app_display_drift(app, &dx, &dy);
    assert_int_equal(dx, 0);
    assert_int_equal(dy, 0);
    SDL_Surface *before = NULL, *after = NULL;
    assert_int_equal(app_capture(app, &before), KIOSK_OK);
    unsigned long frames = app_frames_drawn(app);
    test_monotonic_now_ms += DISPLAY_DRIFT_PERIOD_MS - 1000;
    app_process_pending(app);
    assert_int_equal(app_frames_drawn(app), frames); /* nothing drawn in between */
    test_monotonic_now_ms += 1000;
    app_process_pending(app);
    assert_int_equal(app_frames_drawn(app), frames + 1);
    app_display_drift(app, &dx, &dy);
    assert_int_equal(dx, DISPLAY_DRIFT_PX);
    assert_int_equal(dy, 0);
    assert_int_equal(app_capture(app, &after), KIOSK_OK);
    /* What stood at x now stands at x + 4: the middle row compared. */
    int y = before->h / 2, same = 0, total = 0;
    for (int x = 0; x + DISPLAY_DRIFT_PX < before->w; x++, total++)
        same += red_at(before, x, y) == red_at(after, x + DISPLAY_DRIFT_PX, y);
    assert_true(same > total * 95 / 100);
    SDL_FreeSurface(before);
    SDL_FreeSurface(after);
    /* Someone comes: the screen is theirs, in place. */
    test_tap(app, UI_ID_ATTRACT_START);
    app_display_drift(app, &dx, &dy);
    assert_int_equal(dx, 0);
    assert_int_equal(app_display_schedule_next_ms(app), -1); /* no schedule, nobody to guard */
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spans_cover_their_minutes),
        cmocka_unit_test(test_the_next_edge),
        cmocka_unit_test(test_a_profile_display_is_read_and_checked),
        cmocka_unit_test(test_the_backlight_dims_and_wakes_for_a_citizen),
        cmocka_unit_test(test_without_a_backlight_the_frame_is_dimmed),
        cmocka_unit_test(test_the_attract_screen_moves_against_burn_in),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
