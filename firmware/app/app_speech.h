/* What the terminal says, and when: the app's side of speech.
 *
 * Guidance (on by default, through the speaker): a screen's title and its
 * one instruction when it is shown, cards to lay or take, printing, errors
 * and the time-out warning. Screen-reader mode (from the keypad, the
 * accessibility button, or headphones plugged in): the focused control with
 * its role, name and state, and live changes. Personal data is never said
 * through the speaker. */
#ifndef KIOSK_FIRMWARE_APP_APP_SPEECH_H
#define KIOSK_FIRMWARE_APP_APP_SPEECH_H

#include "firmware/app/app_core.h"

#include <stdbool.h>

/* Creates the app's speech output (silent when no engine can be had). */
void app_speech_start(kiosk_app *app);
void app_speech_stop(kiosk_app *app);

/* A screen was built and shown: say its prompt. */
void app_speech_screen_shown(kiosk_app *app);
/* The keypad moved the focus to widget (NULL: none). */
void app_speech_focus_moved(kiosk_app *app, const ui_widget *widget);
/* The keypad's repeat key: the current prompt (or the focused control) again. */
void app_speech_repeat(kiosk_app *app);
/* The keypad's (or the screen's) volume keys: +1 louder, -1 quieter. */
void app_speech_volume_step(kiosk_app *app, int direction);
/* Screen-reader mode on or off (the keypad, the accessibility button). */
void app_speech_set_reader(kiosk_app *app, bool on);
bool app_speech_reader_on(const kiosk_app *app);
/* The session ended: silence at once, wipe, and the hall's default volume. */
void app_speech_session_ended(kiosk_app *app);

#endif
