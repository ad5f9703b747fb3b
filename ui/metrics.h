/* Density-independent units.
 *
 * Screens lay out in dp. One dp is 1/160 inch seen from 300 mm, scaled by the
 * board's viewing distance, so a size in dp looks the same to a citizen on a
 * 10-inch tablet terminal and on a 27-inch floor-standing one: it subtends the
 * same angle at the eye. px_per_dp comes from the board's physical size. */
#ifndef KIOSK_UI_METRICS_H
#define KIOSK_UI_METRICS_H

typedef struct ui_metrics {
    float px_per_dp;
    float px_per_mm;         /* on the glass, for sizes the law states in mm */
    int width_px, height_px; /* the logical frame */
} ui_metrics;

ui_metrics ui_metrics_for_screen(int width_px, int height_px, int width_mm, int height_mm,
                                 int viewing_distance_mm);

/* dp to whole pixels (rounded; never 0 for a positive size). */
int ui_dp(const ui_metrics *metrics, float dp);

/* Pixels to dp, for layout decisions such as how many columns fit. */
float ui_px_to_dp(const ui_metrics *metrics, int px);

#endif
