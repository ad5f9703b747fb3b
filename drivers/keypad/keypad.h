/* The accessibility keypad: what a key press gives the app, and the pure
 * decoder of the keypad's reports.
 *
 * The keypad is a USB HID device with an EZ-Access-style layout: four
 * arrows, enter, back, help, repeat, volume up and down, and a numeric pad
 * with a clear key. It sends boot keyboard reports (HID 1.11, appendix B.1),
 * eight bytes:
 *
 *     byte 0     modifier bits (left Ctrl, Shift, Alt, GUI; then the right ones)
 *     byte 1     reserved
 *     bytes 2-7  up to six keys held, as Keyboard/Keypad usages (page 0x07);
 *                0 in the unused places
 *
 * and a report whenever what is held changes. The usages read as keypad keys
 * (HID Usage Tables, 10):
 *
 *     up, down, left, right   0x52, 0x51, 0x50, 0x4F (the arrows)
 *     enter                   0x58 (keypad Enter), or 0x28 (Enter)
 *     back                    0x29 (Escape)
 *     help                    0x75 (Help), or 0x3A (F1)
 *     repeat                  0x79 (Again)
 *     volume up, down         0x80, 0x81 (Volume Up, Volume Down)
 *     0-9                     0x62, 0x59-0x61 (the keypad's), or 0x27, 0x1E-0x26
 *     clear                   0x2A (Backspace), 0x4C (Delete) or 0xD8 (keypad Clear)
 *
 * Other usages are no keypad key and are ignored.
 *
 * The driver (keypad.c, `keypad_driver` in drivers/devices.h) reads the
 * keypad's interrupt IN endpoint and hands each key press to the main thread
 * as one delivery of kind DEVICE_KEYPAD with a keypad_event payload. A digit
 * may be part of an ID number being typed, so the event is wiped when it is
 * released and no key is ever logged. */
#ifndef KIOSK_DRIVERS_KEYPAD_KEYPAD_H
#define KIOSK_DRIVERS_KEYPAD_KEYPAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum keypad_key {
    KEYPAD_KEY_NONE = 0,
    KEYPAD_KEY_UP,
    KEYPAD_KEY_DOWN,
    KEYPAD_KEY_LEFT,
    KEYPAD_KEY_RIGHT,
    KEYPAD_KEY_ENTER,
    KEYPAD_KEY_BACK,
    KEYPAD_KEY_HELP,
    KEYPAD_KEY_REPEAT,
    KEYPAD_KEY_VOLUME_UP,
    KEYPAD_KEY_VOLUME_DOWN,
    KEYPAD_KEY_CLEAR, /* deletes the last digit typed */
    KEYPAD_KEY_0,
    KEYPAD_KEY_1,
    KEYPAD_KEY_2,
    KEYPAD_KEY_3,
    KEYPAD_KEY_4,
    KEYPAD_KEY_5,
    KEYPAD_KEY_6,
    KEYPAD_KEY_7,
    KEYPAD_KEY_8,
    KEYPAD_KEY_9,
    KEYPAD_KEY_COUNT,
} keypad_key;

/* One key press: the main thread owns it and releases it with the
 * delivery's release function (which wipes it). */
typedef struct keypad_event {
    keypad_key key;
    uint64_t pressed_at_ms; /* monotonic_now_ms() when its report was read */
} keypad_event;

/* At most this many key presses wait for the main thread at once; a press
 * read while they do is dropped (and counted), so a keypad gone mad cannot
 * fill the event queue the card reader and the printer share. */
#define KEYPAD_MAX_IN_FLIGHT 16

/* How many delivered presses the main thread has not released yet (any
 * thread); never more than KEYPAD_MAX_IN_FLIGHT. */
unsigned keypad_presses_in_flight(void);

/* The report decoder. */

#define KEYPAD_REPORT_LENGTH 8 /* a boot keyboard report */
#define KEYPAD_REPORT_KEYS   6 /* keys one report can hold */

/* What the decoder remembers between reports: the usages held in the last
 * report it accepted. Zeroed: nothing held. */
typedef struct keypad_report_state {
    uint8_t held[KEYPAD_REPORT_KEYS];
} keypad_report_state;

typedef enum keypad_report_result {
    KEYPAD_REPORT_OK = 0,
    KEYPAD_REPORT_BAD_LENGTH,   /* not KEYPAD_REPORT_LENGTH bytes */
    KEYPAD_REPORT_ROLLOVER,     /* ErrorRollOver, POSTFail or ErrorUndefined in a key place:
                                   too many keys at once, or a phantom state */
    KEYPAD_REPORT_REPEATED_KEY, /* one usage in two places: no real keyboard says that */
} keypad_report_result;

/* "ok", "bad-length", "rollover", "repeated-key". */
const char *keypad_report_result_name(keypad_report_result result);

/* Reads one report against what was held before: the keypad keys that went
 * down in it (held now, not in the last report accepted) go to presses, in
 * the order of their places in the report, and *count says how many (at
 * most KEYPAD_REPORT_KEYS). A key held over several reports is one press,
 * and so is a keypad key two of whose usages are held at once. A
 * key that goes down while Ctrl, Alt or GUI is held is no press (a keyboard
 * chord, not the keypad); Shift changes nothing. A report that is not OK
 * gives no press and leaves *state as it was, so a key still held when the
 * rollover clears is not pressed again. Pure: the result depends only on
 * *state and the report. */
keypad_report_result keypad_report_decode(keypad_report_state *state, const uint8_t *report,
                                          size_t length, keypad_key presses[KEYPAD_REPORT_KEYS],
                                          size_t *count);

/* The keypad key of a Keyboard/Keypad usage (the table above), or
 * KEYPAD_KEY_NONE. */
keypad_key keypad_key_of_usage(uint8_t usage);

/* The usage a keypad sends for key: the first of the table above; 0 for
 * KEYPAD_KEY_NONE and anything out of range. */
uint8_t keypad_usage_of_key(keypad_key key);

#endif
