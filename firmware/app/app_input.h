/* The finger on the glass (input.c): touches, drags, the mouse and the
 * developer's keys, turned into a screen's actions. Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_INPUT_H
#define KIOSK_FIRMWARE_APP_APP_INPUT_H

#include "firmware/app/app_core.h"

/* A new finger on a screen younger than this is a leftover of the tap that
 * changed screens (a double tap), not a choice on the new one. */
#define APP_TRANSITION_GUARD_MS 250

void app_handle_input(kiosk_app *app, const SDL_Event *event);
/* A finger is on the glass now. */
bool app_input_finger_down(const kiosk_app *app);
/* The widget tree was replaced: nothing is pressed or dragged any more; on a
 * new screen, a finger still down is no longer a touch on it. */
void app_input_tree_replaced(kiosk_app *app, bool new_screen);

/* A deliberate tap on widget (the test control channel): press and release
 * at its centre through the same path as a finger. */
void app_tap_widget(kiosk_app *app, ui_widget *widget);

/* A deliberate drag (the test control channel): a finger down at the first
 * of count screen points, moved through the others, lifted at the last,
 * through the same path as a finger. */
void app_drag_widget(kiosk_app *app, const SDL_Point *points, size_t count);

/* The board's touch calibration: where touches land off their mark on
 * this glass, (dx, dy) in screen pixels (the technician's touch test
 * measures it: the mean of touch - target). Every touch, a finger or the
 * mouse, is moved back by it once mapped to the screen, and kept on the
 * screen. An offset beyond APP_TOUCH_CALIBRATION_MAX_DP on either axis is
 * not a calibration but a fault of the glass or its mounting: refused,
 * with a log line, and the one in use stays. */
#define APP_TOUCH_CALIBRATION_MAX_DP 12
#define APP_TOUCH_CALIBRATION_KEY    "touch.calibration"

/* Reads the store's "touch.calibration" ("dx,dy"); none, or one refused,
 * is (0, 0). At start, once the platform has opened the store; when it
 * has not (no platform link), at the first touch after it has. */
void app_input_calibration_load(kiosk_app *app);
/* Uses (dx, dy) from the next touch on; false when it is beyond the bound. */
bool app_input_calibration_set(kiosk_app *app, int dx, int dy);
void app_input_calibration_get(const kiosk_app *app, int *dx, int *dy);
/* The touch test measured (dx, dy) with the calibration in use, so what it
 * measured is what is left: the new calibration is the old one and that,
 * used from the next touch and kept in the store (the only place that
 * writes it). False when the sum is beyond the bound (the old one stays,
 * in use and in the store) or the store would not keep it. */
bool app_input_calibration_measured(kiosk_app *app, int dx, int dy);

#endif
