#include "../support/test_support.h"

#include "ui/display.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Where a logical point lands in the window, as the present transform puts it. */
static void forward(const ui_display *d, int x, int y, float *wx, float *wy)
{
    float u = ((float)x + 0.5f - (float)d->width / 2.0f) * d->scale;
    float v = ((float)y + 0.5f - (float)d->height / 2.0f) * d->scale;
    float rx = u, ry = v;
    if (d->rotation == 90) {
        rx = -v;
        ry = u;
    } else if (d->rotation == 180) {
        rx = -u;
        ry = -v;
    } else if (d->rotation == 270) {
        rx = v;
        ry = -u;
    }
    *wx = rx + (float)d->window_width / 2.0f;
    *wy = ry + (float)d->window_height / 2.0f;
}

static void test_touches_map_back_through_rotation_and_scale(void **state)
{
    (void)state;
    const int rotations[] = {0, 90, 180, 270};
    const float scales[] = {1.0f, 0.5f};
    for (size_t r = 0; r < 4; r++) {
        for (size_t s = 0; s < 2; s++) {
            bool quarter = rotations[r] % 180 != 0;
            ui_display d = {
                .width = 1080, .height = 1920, .rotation = rotations[r], .scale = scales[s]};
            d.window_width = (int)((float)(quarter ? 1920 : 1080) * scales[s]);
            d.window_height = (int)((float)(quarter ? 1080 : 1920) * scales[s]);
            const int points[][2] = {{0, 0}, {1079, 0}, {540, 960}, {100, 1800}};
            for (size_t p = 0; p < 4; p++) {
                float wx, wy, ux, uy;
                int x, y;
                forward(&d, points[p][0], points[p][1], &wx, &wy);
                /* The display's own forward transform agrees with this one. */
                ui_display_unmap_point(&d, points[p][0], points[p][1], &ux, &uy);
                assert_true(fabsf(ux - wx) < 0.01f && fabsf(uy - wy) < 0.01f);
                assert_true(ui_display_map_point(&d, wx, wy, &x, &y));
                if (abs(x - points[p][0]) > 2 || abs(y - points[p][1]) > 2)
                    fail_msg("rotation %d scale %.1f: (%d,%d) came back as (%d,%d)", rotations[r],
                             (double)scales[s], points[p][0], points[p][1], x, y);
            }
        }
    }
}

static void test_a_touch_outside_the_frame_is_not_a_touch(void **state)
{
    (void)state;
    /* A window wider than the frame: the side bars are outside. */
    ui_display d = {.width = 1080,
                    .height = 1920,
                    .rotation = 0,
                    .scale = 0.5f,
                    .window_width = 1000,
                    .window_height = 960};
    int x, y;
    assert_false(ui_display_map_point(&d, 5, 480, &x, &y));
    assert_true(ui_display_map_point(&d, 500, 480, &x, &y));
}

/* A panel mounted turned a quarter: the citizen still sees the home screen
 * upright, and taps still land on what they touch. */
static void test_a_rotated_panel_shows_the_same_screen(void **state)
{
    (void)state;
    const char *good =
        test_read_file(test_replace("X/board/profiles/portrait-1080.json", "X", test_source_dir()));
    assert_non_null(good);
    const char *dir = test_make_temp_dir("rotated");
    const char *path = test_write_file(dir, "rotated.json",
                                       test_replace(good, "\"rotation\": 0", "\"rotation\": 90"));
    char board[1024];
    snprintf(board, sizeof board, "%s", path);

    kiosk_app *upright = test_app_create("portrait-1080", LANG_ZH_CN);
    SDL_Surface *expected = NULL;
    assert_int_equal(app_capture(upright, &expected), KIOSK_OK);
    app_destroy(upright);

    kiosk_app *turned = test_app_create(board, LANG_ZH_CN);
    ui_display *display = app_display(turned);
    assert_int_equal(display->window_width, 1920);
    assert_int_equal(display->window_height, 1080);
    SDL_Surface *actual = NULL;
    assert_int_equal(app_capture(turned, &actual), KIOSK_OK);
    assert_int_equal(test_compare_images(expected, actual, 8, NULL), 0);

    ui_widget *tile = ui_widget_find(app_root(turned), "tile.real-estate-query");
    float wx, wy;
    forward(display, tile->bounds.x + tile->bounds.w / 2, tile->bounds.y + tile->bounds.h / 2, &wx,
            &wy);
    test_monotonic_now_ms += 1000;
    SDL_Event event;
    SDL_zero(event);
    event.type = SDL_MOUSEBUTTONDOWN;
    event.button.button = SDL_BUTTON_LEFT;
    event.button.x = (int)wx;
    event.button.y = (int)wy;
    SDL_PushEvent(&event);
    event.type = SDL_MOUSEBUTTONUP;
    SDL_PushEvent(&event);
    app_process_pending(turned);
    assert_string_equal(app_screen_name(turned), "card");
    assert_string_equal(test_text_of(turned, "step.title"), "不动产登记查询");

    SDL_FreeSurface(expected);
    SDL_FreeSurface(actual);
    app_destroy(turned);
}

/* SDL names the board's driver "KMSDRM": a board known only by "kmsdrm" ran
 * windowed, and its touches did not wake the kiosk (docs/main-loop.md). */
static void test_the_board_driver_is_known_whatever_its_case(void **state)
{
    (void)state;
    assert_true(ui_display_driver_is_board("KMSDRM"));
    assert_true(ui_display_driver_is_board("kmsdrm"));
    assert_false(ui_display_driver_is_board("x11"));
    assert_false(ui_display_driver_is_board("offscreen"));
    assert_false(ui_display_driver_is_board("kmsdrm_legacy"));
    assert_false(ui_display_driver_is_board(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_touches_map_back_through_rotation_and_scale),
        cmocka_unit_test(test_a_touch_outside_the_frame_is_not_a_touch),
        cmocka_unit_test(test_a_rotated_panel_shows_the_same_screen),
        cmocka_unit_test(test_the_board_driver_is_known_whatever_its_case),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
