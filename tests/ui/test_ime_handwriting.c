/* Handwriting through the real zinnia and Debian's simplified Chinese model:
 * strokes as a finger draws them on a 300 x 300 pad. */
#include "../support/test_support.h"

#include "ui/ime_handwriting.h"

#include <stdio.h>
#include <string.h>

static ui_handwriting *engine;

static int open_engine(void **state)
{
    (void)state;
    return ui_handwriting_open(UI_HANDWRITING_MODEL_ZH_CN, &engine) == KIOSK_OK ? 0 : -1;
}

static int close_engine(void **state)
{
    (void)state;
    ui_handwriting_close(engine);
    return 0;
}

/* Draws a stroke through the points (x, y pairs, ending with -1), with
 * points every few pixels between them, as a finger reports. */
static void draw(ui_strokes *ink, const int *xy)
{
    assert_true(ui_strokes_begin(ink, xy[0], xy[1]));
    for (int i = 2; xy[i] >= 0; i += 2) {
        for (int step = 1; step <= 8; step++)
            assert_true(ui_strokes_add(ink, xy[i - 2] + (xy[i] - xy[i - 2]) * step / 8,
                                       xy[i - 1] + (xy[i + 1] - xy[i - 1]) * step / 8));
    }
}

/* The best guess for the strokes, and the first few. */
static void recognise(const ui_strokes *ink, const char *expected)
{
    char found[8][UI_HANDWRITING_CHAR_MAX];
    size_t count = ui_handwriting_recognise(engine, ink, found, 8);
    assert_true(count >= 1);
    if (strcmp(found[0], expected) != 0)
        fail_msg("drew %s, recognised %s first", expected, found[0]);
}

static ui_strokes *new_ink(void)
{
    static ui_strokes ink;
    memset(&ink, 0, sizeof ink);
    ink.width = ink.height = 300;
    return &ink;
}

static void test_one_horizontal_stroke_is_yi(void **state)
{
    (void)state;
    ui_strokes *ink = new_ink();
    draw(ink, (const int[]){60, 150, 240, 150, -1});
    recognise(ink, "一");
}

static void test_across_then_down_is_shi(void **state)
{
    (void)state;
    ui_strokes *ink = new_ink();
    draw(ink, (const int[]){60, 140, 240, 140, -1});
    draw(ink, (const int[]){150, 40, 150, 270, -1});
    recognise(ink, "十");
}

static void test_two_falling_strokes_are_ren(void **state)
{
    (void)state;
    ui_strokes *ink = new_ink();
    draw(ink, (const int[]){150, 40, 135, 140, 60, 260, -1});
    draw(ink, (const int[]){145, 140, 240, 260, -1});
    recognise(ink, "人");
}

static void test_a_box_in_three_strokes_is_kou(void **state)
{
    (void)state;
    ui_strokes *ink = new_ink();
    draw(ink, (const int[]){75, 75, 75, 240, -1});
    draw(ink, (const int[]){75, 75, 225, 75, 225, 240, -1});
    draw(ink, (const int[]){75, 240, 225, 240, -1});
    recognise(ink, "口");
}

static void test_nothing_drawn_is_nothing_recognised(void **state)
{
    (void)state;
    char found[4][UI_HANDWRITING_CHAR_MAX];
    assert_int_equal(ui_handwriting_recognise(engine, new_ink(), found, 4), 0);
}

static void test_points_off_the_pad_stay_on_its_edge(void **state)
{
    (void)state;
    ui_strokes *ink = new_ink();
    assert_false(ui_strokes_add(ink, 10, 10)); /* no stroke begun */
    assert_true(ui_strokes_begin(ink, -20, 400));
    assert_int_equal(ink->points[0].x, 0);
    assert_int_equal(ink->points[0].y, 299);
    assert_true(ui_strokes_add(ink, 0, 299)); /* the same point: not kept twice */
    assert_int_equal(ink->count, 1);
    ui_strokes_clear(ink);
    assert_int_equal(ink->count, 0);
    assert_int_equal(ink->strokes, 0);
    assert_int_equal(ink->width, 300);
}

static void test_ink_has_room_for_so_many_strokes(void **state)
{
    (void)state;
    ui_strokes *ink = new_ink();
    for (int i = 0; i < UI_STROKES_MAX; i++)
        assert_true(ui_strokes_begin(ink, i, i));
    assert_false(ui_strokes_begin(ink, 1, 1));
    assert_int_equal(ink->strokes, UI_STROKES_MAX);
}

static void test_a_missing_model_is_said(void **state)
{
    (void)state;
    ui_handwriting *other = NULL;
    assert_int_equal(ui_handwriting_open("/nonexistent/model", &other), KIOSK_ERR_NOT_FOUND);
    assert_null(other);
}

int main(void)
{
#ifndef KIOSK_HAVE_ZINNIA
    printf("SKIP test_ime_handwriting: built without zinnia (KIOSK_HAVE_ZINNIA)\n");
    ui_handwriting *none = NULL;
    return ui_handwriting_open(UI_HANDWRITING_MODEL_ZH_CN, &none) == KIOSK_ERR_UNSUPPORTED ? 0 : 1;
#endif
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_horizontal_stroke_is_yi),
        cmocka_unit_test(test_across_then_down_is_shi),
        cmocka_unit_test(test_two_falling_strokes_are_ren),
        cmocka_unit_test(test_a_box_in_three_strokes_is_kou),
        cmocka_unit_test(test_nothing_drawn_is_nothing_recognised),
        cmocka_unit_test(test_points_off_the_pad_stay_on_its_edge),
        cmocka_unit_test(test_ink_has_room_for_so_many_strokes),
        cmocka_unit_test(test_a_missing_model_is_said),
    };
    return cmocka_run_group_tests(tests, open_engine, close_engine);
}
