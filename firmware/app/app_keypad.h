/* The accessibility keypad as the citizen uses it: keypad mode, the focus
 * and what each key means on the screen shown (docs/keypad-and-focus.md).
 *
 * The first key of a session turns keypad mode on: the focus appears on the
 * screen's first control (ui_focus_order) and screen-reader mode comes on.
 * Left and right move through the screen's controls in reading order, up
 * and down to the nearest control above or below; enter does what a tap on
 * the focused control does; back is the screen's 上一步/返回 (or its way home);
 * help opens help from anywhere; repeat and the volume keys go to speech;
 * the digits type where the screen takes digits, and elsewhere move the
 * focus to the n-th choice. Keypad mode ends with the session, and when the
 * keypad leaves. Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_KEYPAD_H
#define KIOSK_FIRMWARE_APP_APP_KEYPAD_H

#include "firmware/app/app_core.h"

#include "drivers/devices.h"
#include "drivers/keypad/keypad.h"

#include <stdbool.h>

/* A key pressed on the keypad (a DEVICE_KEYPAD delivery's key). */
void app_keypad_press(kiosk_app *app, keypad_key key);
/* The keypad's status changed: when it is gone, keypad mode ends. */
void app_keypad_status(kiosk_app *app, const device_status *status);

/* The widget tree was replaced (input.c): on a new screen the focus goes
 * to its first control; the same screen built again keeps it on the same
 * id where that is still there. */
void app_keypad_tree_replaced(kiosk_app *app, bool new_screen);
/* The session ended: keypad mode off, no focus. */
void app_keypad_session_ended(kiosk_app *app);
/* The app stops: nothing of this app's keypad state is the next one's. */
void app_keypad_forget(kiosk_app *app);

bool app_keypad_mode(const kiosk_app *app);
/* The action being done now comes from the keypad's enter key (a
 * declaration only a key may make: app_sign.c). */
bool app_keypad_activating(const kiosk_app *app);
/* Keypad mode on (as the first key turns it on: the focus on the first
 * control) or off (as when the keypad leaves). */
void app_keypad_set_mode(kiosk_app *app, bool on);
/* In keypad mode, the focus on widget, one of the screen's controls (the
 * audit walks from each); false, and nothing changes, otherwise. */
bool app_keypad_focus(kiosk_app *app, ui_widget *widget);
/* The focused widget of the screen shown, or NULL (not in keypad mode). */
ui_widget *app_keypad_focused(kiosk_app *app);

/* For tests: the simulated keypad's model, or NULL when the board has none
 * (drivers/sim/keypad_sim.h presses its keys). */
struct usb_model *app_sim_keypad(kiosk_app *app);

#endif
