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

#endif
