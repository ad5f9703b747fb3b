/* The keyboard wedge: boot keyboard reports read as a US keyboard, with the
 * Alt+numpad entry of bytes outside ASCII. Only key-down edges count; what a
 * scanner types is collected as data and never goes anywhere as a key. */
#include "drivers/scanner/scan_decode.h"
#include "drivers/scanner/scan_internal.h"

#include <string.h>

/* Modifier bits of a boot keyboard report (left and right). */
#define MOD_CTRL  0x11u
#define MOD_SHIFT 0x22u
#define MOD_ALT   0x44u
#define MOD_GUI   0x88u

/* Usages of the Keyboard/Keypad page (HID Usage Tables, 10). */
#define KEY_ROLLOVER     0x01
#define KEY_UNDEFINED    0x03
#define KEY_ENTER        0x28
#define KEY_ESCAPE       0x29
#define KEY_BACKSPACE    0x2A
#define KEY_TAB          0x2B
#define KEY_DELETE       0x4C
#define KEY_PAD_ENTER    0x58
#define KEY_PAD_1        0x59
#define KEY_PAD_0        0x62
#define KEY_MODIFIER_LOW 0xE0
#define ALT_DIGITS_MAX   5 /* 65535 */

/* A US keyboard: the character of keys 0x04..0x67, unshifted and shifted; 0
 * for keys that type none. */
#define KEYMAP_FIRST 0x04
static const char keymap[][2] = {
    [0x04 - KEYMAP_FIRST] = {'a', 'A'},
    {'b', 'B'},
    {'c', 'C'},
    {'d', 'D'},
    {'e', 'E'},
    {'f', 'F'},
    {'g', 'G'},
    {'h', 'H'},
    {'i', 'I'},
    {'j', 'J'},
    {'k', 'K'},
    {'l', 'L'},
    {'m', 'M'},
    {'n', 'N'},
    {'o', 'O'},
    {'p', 'P'},
    {'q', 'Q'},
    {'r', 'R'},
    {'s', 'S'},
    {'t', 'T'},
    {'u', 'U'},
    {'v', 'V'},
    {'w', 'W'},
    {'x', 'X'},
    {'y', 'Y'},
    {'z', 'Z'},
    [0x1E - KEYMAP_FIRST] = {'1', '!'},
    {'2', '@'},
    {'3', '#'},
    {'4', '$'},
    {'5', '%'},
    {'6', '^'},
    {'7', '&'},
    {'8', '*'},
    {'9', '('},
    {'0', ')'},
    [0x2C - KEYMAP_FIRST] = {' ', ' '},
    {'-', '_'},
    {'=', '+'},
    {'[', '{'},
    {']', '}'},
    {'\\', '|'},
    {'\\', '|'}, /* 0x32, "Non-US #", is the backslash key on US boards */
    {';', ':'},
    {'\'', '"'},
    {'`', '~'},
    {',', '<'},
    {'.', '>'},
    {'/', '?'},
    [0x54 - KEYMAP_FIRST] = {'/', '/'},
    {'*', '*'},
    {'-', '-'},
    {'+', '+'},
    [0x59 - KEYMAP_FIRST] = {'1', '1'},
    {'2', '2'},
    {'3', '3'},
    {'4', '4'},
    {'5', '5'},
    {'6', '6'},
    {'7', '7'},
    {'8', '8'},
    {'9', '9'},
    {'0', '0'},
    {'.', '.'},
    [0x67 - KEYMAP_FIRST] = {'=', '='},
};

static char key_char(uint8_t key, bool shift)
{
    if (key < KEYMAP_FIRST || key - KEYMAP_FIRST >= (int)(sizeof keymap / sizeof keymap[0]))
        return 0;
    return keymap[key - KEYMAP_FIRST][shift ? 1 : 0];
}

/* Alt let go: the decimal code typed on the keypad becomes one byte (1 to
 * 255) or a GBK double byte (256 to 65535, high byte first). */
static void alt_released(scan_decoder *decoder)
{
    bool typed = decoder->alt_entry && decoder->alt_digits > 0;
    unsigned value = decoder->alt_value, digits = decoder->alt_digits;
    decoder->alt_entry = false;
    decoder->alt_value = decoder->alt_digits = 0;
    if (!typed || decoder->swallowing)
        return; /* a bare Alt tap types nothing */
    if (digits > ALT_DIGITS_MAX || value > 0xFFFF)
        scan_refuse(decoder, SCAN_REJECT_ENCODING, decoder->length, true);
    else if (value == 0x1B)
        scan_refuse(decoder, SCAN_REJECT_ESCAPE, decoder->length, true);
    else if (value < 0x20 || value == 0x7F)
        scan_refuse(decoder, SCAN_REJECT_CONTROL, decoder->length, true);
    else if (value < 0x100)
        scan_append(decoder, (uint8_t)value);
    else {
        scan_append(decoder, (uint8_t)(value >> 8));
        if (!decoder->refused)
            scan_append(decoder, (uint8_t)(value & 0xFF));
    }
}

void scan_wedge_push(scan_decoder *decoder, const uint8_t *report, size_t length)
{
    decoder->pending_count = decoder->pending_at = 0;
    if (length != SCAN_WEDGE_REPORT_LENGTH) {
        if (!decoder->swallowing)
            scan_refuse(decoder, SCAN_REJECT_REPORT, decoder->length, true);
        return;
    }
    const uint8_t *keys = report + 2;
    for (size_t i = 0; i < 6; i++) {
        if (keys[i] >= KEY_ROLLOVER && keys[i] <= KEY_UNDEFINED)
            return; /* rollover or a phantom state: nothing in it can be trusted */
    }
    uint8_t modifiers = report[0];
    bool alt_was = decoder->modifiers & MOD_ALT, alt_now = modifiers & MOD_ALT;
    if (alt_was && !alt_now)
        alt_released(decoder);
    else if (!alt_was && alt_now) {
        decoder->alt_entry = true;
        decoder->alt_value = decoder->alt_digits = 0;
    }
    for (size_t i = 0; i < 6; i++) {
        uint8_t key = keys[i];
        if (key == 0 || key >= KEY_MODIFIER_LOW)
            continue;
        bool held = memchr(decoder->keys, key, sizeof decoder->keys) != NULL;
        bool seen = memchr(decoder->pending, key, decoder->pending_count) != NULL;
        if (!held && !seen)
            decoder->pending[decoder->pending_count++] = key;
    }
    memcpy(decoder->keys, keys, sizeof decoder->keys);
    decoder->modifiers = modifiers;
    decoder->pending_modifiers = modifiers;
}

/* The scanner's AIM id typed before the data ("]Q1"), when it is set to. */
static void take_aim_prefix(scan_decoder *decoder)
{
    if (!decoder->config.aim_prefix || decoder->length < 3 || decoder->data[0] != ']')
        return;
    memcpy(decoder->aim, decoder->data, 3);
    decoder->aim[3] = '\0';
    memmove(decoder->data, decoder->data + 3, decoder->length - 3);
    explicit_bzero(decoder->data + decoder->length - 3, 3);
    decoder->length -= 3;
}

/* One key that went down. */
static scan_status key_down(scan_decoder *decoder, uint8_t key, scan_event *event,
                            scan_refusal *refusal)
{
    if (decoder->swallowing)
        return SCAN_NONE;
    uint8_t modifiers = decoder->pending_modifiers;
    bool chord = modifiers & (MOD_CTRL | MOD_GUI);
    bool alt = modifiers & MOD_ALT;
    unsigned ends = decoder->config.terminators;
    bool enter = key == KEY_ENTER || key == KEY_PAD_ENTER;
    if ((enter && (ends & SCAN_END_ENTER)) || (key == KEY_TAB && (ends & SCAN_END_TAB))) {
        if (chord || alt) {
            scan_refuse(decoder, SCAN_REJECT_KEY_COMBINATION, decoder->length, true);
            return SCAN_NONE;
        }
        if (!decoder->active)
            return SCAN_NONE; /* an end with nothing before it */
        take_aim_prefix(decoder);
        return scan_finish(decoder, event, refusal);
    }
    if (chord) {
        scan_refuse(decoder, SCAN_REJECT_KEY_COMBINATION, decoder->length, true);
        return SCAN_NONE;
    }
    if (alt) {
        if (key < KEY_PAD_1 || key > KEY_PAD_0) {
            scan_refuse(decoder, SCAN_REJECT_KEY_COMBINATION, decoder->length, true);
            return SCAN_NONE;
        }
        if (!decoder->alt_entry) {
            decoder->alt_entry = true;
            decoder->alt_value = decoder->alt_digits = 0;
        }
        unsigned digit = key == KEY_PAD_0 ? 0 : (unsigned)(key - KEY_PAD_1 + 1);
        if (decoder->alt_digits < ALT_DIGITS_MAX)
            decoder->alt_value = decoder->alt_value * 10 + digit;
        decoder->alt_digits++;
        return SCAN_NONE;
    }
    if (key == KEY_ESCAPE) {
        scan_refuse(decoder, SCAN_REJECT_ESCAPE, decoder->length, true);
        return SCAN_NONE;
    }
    char c = key_char(key, modifiers & MOD_SHIFT);
    if (c == 0) {
        bool control = key == KEY_ENTER || key == KEY_PAD_ENTER || key == KEY_TAB ||
                       key == KEY_BACKSPACE || key == KEY_DELETE;
        scan_refuse(decoder, control ? SCAN_REJECT_CONTROL : SCAN_REJECT_KEY, decoder->length,
                    true);
        return SCAN_NONE;
    }
    scan_append(decoder, (uint8_t)c);
    return SCAN_NONE;
}

scan_status scan_wedge_next(scan_decoder *decoder, scan_event *event, scan_refusal *refusal)
{
    for (;;) {
        if (decoder->refused) {
            *refusal = decoder->refusal;
            explicit_bzero(&decoder->refusal, sizeof decoder->refusal);
            decoder->refused = false;
            return SCAN_REJECTED;
        }
        if (decoder->pending_at >= decoder->pending_count)
            return SCAN_NONE;
        uint8_t key = decoder->pending[decoder->pending_at++];
        scan_status status = key_down(decoder, key, event, refusal);
        if (status != SCAN_NONE)
            return status;
    }
}
