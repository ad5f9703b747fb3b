#include "ui/metrics.h"

#define DP_PER_INCH           160.0f
#define MM_PER_INCH           25.4f
#define REFERENCE_DISTANCE_MM 300.0f

ui_metrics ui_metrics_for_screen(int width_px, int height_px, int width_mm, int height_mm,
                                 int viewing_distance_mm)
{
    /* Average the two axes: panels are close to square-pixelled, and a profile
     * with a slightly wrong millimetre figure should not skew one axis. */
    float px_per_mm = ((float)width_px / (float)width_mm + (float)height_px / (float)height_mm) / 2;
    float distance_scale = (float)viewing_distance_mm / REFERENCE_DISTANCE_MM;
    ui_metrics metrics = {
        .px_per_dp = px_per_mm * (MM_PER_INCH / DP_PER_INCH) * distance_scale,
        .px_per_mm = px_per_mm,
        .width_px = width_px,
        .height_px = height_px,
    };
    return metrics;
}

int ui_dp(const ui_metrics *metrics, float dp)
{
    float px = dp * metrics->px_per_dp;
    int rounded = (int)(px + (px >= 0 ? 0.5f : -0.5f));
    return dp > 0 && rounded < 1 ? 1 : rounded;
}

float ui_px_to_dp(const ui_metrics *metrics, int px)
{
    return (float)px / metrics->px_per_dp;
}
