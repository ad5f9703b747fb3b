#include "../support/test_support.h"

#include "ui/metrics.h"

#include <math.h>

static void test_a_dp_looks_the_same_size_on_every_board(void **state)
{
    (void)state;
    /* 21.5-inch 1080x1920 seen from 500 mm; 10.1-inch 800x1280 from 400 mm. */
    ui_metrics big = ui_metrics_for_screen(1080, 1920, 268, 476, 500);
    ui_metrics small = ui_metrics_for_screen(800, 1280, 136, 217, 400);
    /* The same visual angle: size on glass / distance is equal for one dp. */
    double big_mm_per_dp = big.px_per_dp / (1080.0 / 268.0);
    double small_mm_per_dp = small.px_per_dp / (800.0 / 136.0);
    assert_true(fabs(big_mm_per_dp / 500.0 - small_mm_per_dp / 400.0) < 1e-4);
    /* 60 dp, the minimum touch target for elder mode, is over 15 mm on the big screen. */
    assert_true(ui_dp(&big, 60) / (1080.0 / 268.0) > 15.0);
}

static void test_rounding(void **state)
{
    (void)state;
    ui_metrics metrics = {.px_per_dp = 1.5f, .width_px = 100, .height_px = 100};
    assert_int_equal(ui_dp(&metrics, 10), 15);
    assert_int_equal(ui_dp(&metrics, 1), 2);
    assert_int_equal(ui_dp(&metrics, 0.1f), 1); /* a positive size never vanishes */
    assert_int_equal(ui_dp(&metrics, 0), 0);
    assert_true(fabsf(ui_px_to_dp(&metrics, 150) - 100.0f) < 1e-3f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_dp_looks_the_same_size_on_every_board),
        cmocka_unit_test(test_rounding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
