/* Fuzzes the keypad's report decoder as the driver uses it: reports of any
 * length, one after another, against the state the last accepted one left.
 * Whatever comes in: at most six presses a report, each a real keypad key
 * and none twice; a key is pressed only when no usage of it was held in the
 * last accepted report and one is now; a refused report presses nothing and
 * changes nothing; an accepted one leaves exactly its keys held.
 *
 * Input: reports, each a length byte (the length modulo 66, so 0 to 65:
 * every wrong length around the right one and a full packet) and that many
 * bytes (fewer at the end of the input). */
#include "drivers/keypad/keypad.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool condition)
{
    if (!condition)
        abort();
}

/* Whether key is said by a usage of keys. */
static bool holds(const uint8_t keys[KEYPAD_REPORT_KEYS], keypad_key key)
{
    for (size_t i = 0; i < KEYPAD_REPORT_KEYS; i++) {
        if (keys[i] && keypad_key_of_usage(keys[i]) == key)
            return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    keypad_report_state state = {0};
    size_t at = 0;
    while (at < size) {
        size_t length = data[at++] % 66;
        if (length > size - at)
            length = size - at;
        /* A copy of exactly length bytes, so ASan sees any read past it. */
        uint8_t *report = malloc(length ? length : 1);
        if (!report)
            return 0;
        memcpy(report, data + at, length);
        at += length;

        keypad_report_state before = state;
        keypad_key presses[KEYPAD_REPORT_KEYS];
        size_t count = 99;
        keypad_report_result result = keypad_report_decode(&state, report, length, presses, &count);
        check(result >= KEYPAD_REPORT_OK && result <= KEYPAD_REPORT_REPEATED_KEY);
        check(strcmp(keypad_report_result_name(result), "unknown") != 0);
        check(count <= KEYPAD_REPORT_KEYS);
        if (result != KEYPAD_REPORT_OK) {
            check(count == 0);
            check(memcmp(&state, &before, sizeof state) == 0);
            free(report);
            continue;
        }
        check(length == KEYPAD_REPORT_LENGTH);
        check(memcmp(state.held, report + 2, KEYPAD_REPORT_KEYS) == 0);
        for (size_t i = 0; i < count; i++) {
            check(presses[i] > KEYPAD_KEY_NONE && presses[i] < KEYPAD_KEY_COUNT);
            check(holds(state.held, presses[i]));
            check(!holds(before.held, presses[i]));
            for (size_t j = 0; j < i; j++)
                check(presses[j] != presses[i]);
            check(keypad_key_of_usage(keypad_usage_of_key(presses[i])) == presses[i]);
        }
        /* Every key that went down (without a chord) was pressed. */
        if (!(report[0] & 0xDD)) {
            for (int k = KEYPAD_KEY_NONE + 1; k < KEYPAD_KEY_COUNT; k++) {
                bool down = holds(state.held, (keypad_key)k) && !holds(before.held, (keypad_key)k);
                bool pressed = false;
                for (size_t i = 0; i < count; i++)
                    pressed = pressed || presses[i] == (keypad_key)k;
                check(down == pressed);
            }
        } else {
            check(count == 0);
        }
        free(report);
    }
    return 0;
}
