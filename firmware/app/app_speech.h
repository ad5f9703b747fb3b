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
#include <stddef.h>
#include <stdint.h>

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

/* Headphones plugged in (the board tells, or the test control channel):
 * screen-reader mode comes on, and personal data may be said, masked. */
void app_speech_set_headphones(kiosk_app *app, bool plugged);
bool app_speech_headphones(const kiosk_app *app);
int app_speech_volume(const kiosk_app *app);
/* The voice the citizen's language is said in ("" when silent). */
const char *app_speech_voice(const kiosk_app *app);
/* Monotonic ms when the last utterance's first samples went to the audio
 * output (0: never): the bench's screen change to sound. */
uint64_t app_speech_first_sample_ms(const kiosk_app *app);

/* Says text now in the app's language, cutting off what is being said (a
 * technician's speaker test): false when there is no voice or it was not
 * taken. */
bool app_speech_say_now(kiosk_app *app, const char *text);

/* The current screen's spoken prompt, as it may be said now (personal data
 * left out unless headphones are in). Empty when the screen has no words. */
void app_speech_prompt(kiosk_app *app, char *out, size_t size);

/* What was said this session, oldest first, after seq since (0: all kept):
 * for tests and the transcript of a journey. Wiped when a session ends. */
typedef struct app_speech_said {
    unsigned long seq;
    lang language;
    bool headphones; /* said while headphones were in */
    bool interrupt;  /* it cut off what was being said */
    const char *voice;
    const char *screen;
    const char *text;
} app_speech_said;
size_t app_speech_transcript(const kiosk_app *app, unsigned long since,
                             void (*each)(const app_speech_said *said, void *user), void *user);

#endif
