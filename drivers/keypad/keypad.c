/* The accessibility keypad: the report decoder (pure, shared with the
 * simulated keypad and the fuzz target) and the driver.
 *
 * The driver asks for boot reports at open (SET_PROTOCOL) and for reports
 * only when keys change (SET_IDLE 0); a keypad that refuses either, or
 * repeats its report anyway, is read all the same, since a held key is one
 * press whatever it repeats. Then it reads the interrupt IN endpoint with a
 * time-out: an idle keypad costs a wake-up every half second, not a busy
 * loop. The transport claims the interface from the kernel (libusb detaches
 * usbhid), so the keypad's keys never reach the screen as keyboard keys.
 *
 * Each key press is one delivery (a keypad_event). Bounded: at most
 * KEYPAD_MAX_IN_FLIGHT presses wait for the main thread; the excess is
 * dropped, counted and logged once a second. Refused reports are counted and
 * logged the same way, by reason: never a key, which may be a digit of an ID
 * number being typed. */
#include "drivers/keypad/keypad.h"
#include "drivers/devices.h"
#include "drivers/driver_probes.h"

#include "firmware/base/log.h"
#include "firmware/base/monotonic.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define INTERFACE   0
#define ENDPOINT_IN 0x81

#define READ_IDLE_MS   500  /* wait for a report this long, then step again */
#define READ_MAX       64   /* a full-speed interrupt packet: longer is never read */
#define CONTROL_MS     1000 /* SET_PROTOCOL and SET_IDLE at open */
#define LOG_EVERY_MS   1000 /* drops and refusals: at most one line a second */
#define LINK_RETRIES   3
#define LINK_RETRY_MS  100
#define FAULT_RETRY_MS 2000

/* HID class requests (HID 1.11, 7.2). */
#define REQUEST_SET_IDLE     0x0A
#define REQUEST_SET_PROTOCOL 0x0B
#define TYPE_CLASS_OUT_IFACE 0x21
#define PROTOCOL_BOOT        0

/* Usages of the Keyboard/Keypad page (HID Usage Tables, 10). */
#define USAGE_ERROR_ROLLOVER  0x01
#define USAGE_ERROR_UNDEFINED 0x03

/* Modifier bits that make a key a chord: Ctrl, Alt, GUI, left and right. */
#define MODIFIERS_CHORD 0xDDu

/* The usages each keypad key answers to; the first is what a keypad sends. */
static const uint8_t usages_of[KEYPAD_KEY_COUNT][3] = {
    [KEYPAD_KEY_UP] = {0x52},
    [KEYPAD_KEY_DOWN] = {0x51},
    [KEYPAD_KEY_LEFT] = {0x50},
    [KEYPAD_KEY_RIGHT] = {0x4F},
    [KEYPAD_KEY_ENTER] = {0x58, 0x28},
    [KEYPAD_KEY_BACK] = {0x29},
    [KEYPAD_KEY_HELP] = {0x75, 0x3A},
    [KEYPAD_KEY_REPEAT] = {0x79},
    [KEYPAD_KEY_VOLUME_UP] = {0x80},
    [KEYPAD_KEY_VOLUME_DOWN] = {0x81},
    [KEYPAD_KEY_CLEAR] = {0x2A, 0x4C, 0xD8},
    [KEYPAD_KEY_0] = {0x62, 0x27},
    [KEYPAD_KEY_1] = {0x59, 0x1E},
    [KEYPAD_KEY_2] = {0x5A, 0x1F},
    [KEYPAD_KEY_3] = {0x5B, 0x20},
    [KEYPAD_KEY_4] = {0x5C, 0x21},
    [KEYPAD_KEY_5] = {0x5D, 0x22},
    [KEYPAD_KEY_6] = {0x5E, 0x23},
    [KEYPAD_KEY_7] = {0x5F, 0x24},
    [KEYPAD_KEY_8] = {0x60, 0x25},
    [KEYPAD_KEY_9] = {0x61, 0x26},
};

keypad_key keypad_key_of_usage(uint8_t usage)
{
    if (usage == 0)
        return KEYPAD_KEY_NONE;
    for (int k = KEYPAD_KEY_NONE + 1; k < KEYPAD_KEY_COUNT; k++) {
        if (memchr(usages_of[k], usage, sizeof usages_of[k]))
            return (keypad_key)k;
    }
    return KEYPAD_KEY_NONE;
}

uint8_t keypad_usage_of_key(keypad_key key)
{
    return key > KEYPAD_KEY_NONE && key < KEYPAD_KEY_COUNT ? usages_of[key][0] : 0;
}

const char *keypad_report_result_name(keypad_report_result result)
{
    switch (result) {
    case KEYPAD_REPORT_OK:
        return "ok";
    case KEYPAD_REPORT_BAD_LENGTH:
        return "bad-length";
    case KEYPAD_REPORT_ROLLOVER:
        return "rollover";
    case KEYPAD_REPORT_REPEATED_KEY:
        return "repeated-key";
    }
    return "unknown";
}

/* Whether keypad key k is said by one of the usages in keys. */
static bool held_as(const uint8_t keys[KEYPAD_REPORT_KEYS], keypad_key k)
{
    for (size_t i = 0; i < KEYPAD_REPORT_KEYS; i++) {
        if (keys[i] && keypad_key_of_usage(keys[i]) == k)
            return true;
    }
    return false;
}

keypad_report_result keypad_report_decode(keypad_report_state *state, const uint8_t *report,
                                          size_t length, keypad_key presses[KEYPAD_REPORT_KEYS],
                                          size_t *count)
{
    *count = 0;
    if (!report || length != KEYPAD_REPORT_LENGTH)
        return KEYPAD_REPORT_BAD_LENGTH;
    const uint8_t *keys = report + 2;
    for (size_t i = 0; i < KEYPAD_REPORT_KEYS; i++) {
        if (keys[i] >= USAGE_ERROR_ROLLOVER && keys[i] <= USAGE_ERROR_UNDEFINED)
            return KEYPAD_REPORT_ROLLOVER;
    }
    for (size_t i = 0; i < KEYPAD_REPORT_KEYS; i++) {
        if (keys[i] && memchr(keys + i + 1, keys[i], KEYPAD_REPORT_KEYS - i - 1))
            return KEYPAD_REPORT_REPEATED_KEY;
    }
    bool chord = report[0] & MODIFIERS_CHORD;
    for (size_t i = 0; i < KEYPAD_REPORT_KEYS && !chord; i++) {
        keypad_key k = keypad_key_of_usage(keys[i]);
        if (k == KEYPAD_KEY_NONE || held_as(state->held, k))
            continue;
        bool already = false;
        for (size_t p = 0; p < *count; p++)
            already = already || presses[p] == k;
        if (!already)
            presses[(*count)++] = k;
    }
    memcpy(state->held, keys, KEYPAD_REPORT_KEYS);
    return KEYPAD_REPORT_OK;
}

/* The driver. */

/* A log line that may come often: at most one a second, with a count. */
typedef struct log_limit {
    uint64_t logged_at;
    unsigned waiting; /* happened since the last line */
} log_limit;

typedef struct keypad {
    keypad_report_state state;
    uint8_t report[READ_MAX];
    int link_failures;
    log_limit drops, refusals;
    keypad_report_result last_refusal;
} keypad;

/* Presses handed on and not yet released, across every keypad. */
static atomic_uint in_flight;
static atomic_ulong dropped, delivered;

static const usb_id keypad_ids[] = {
    {0x1209, 0x000c}, /* the simulated keypad (drivers/sim/keypad_sim.c) */
};

#define ID_COUNT (sizeof keypad_ids / sizeof keypad_ids[0])

unsigned keypad_presses_in_flight(void)
{
    return atomic_load(&in_flight);
}

unsigned long keypad_presses_dropped(void)
{
    return atomic_load(&dropped);
}

unsigned long keypad_presses_delivered(void)
{
    return atomic_load(&delivered);
}

/* The main thread is done with a press. */
static void press_release(void *payload)
{
    explicit_bzero(payload, sizeof(keypad_event));
    free(payload);
    atomic_fetch_sub(&in_flight, 1);
}

static bool take_flight_slot(void)
{
    unsigned count = atomic_load(&in_flight);
    do {
        if (count >= KEYPAD_MAX_IN_FLIGHT)
            return false;
    } while (!atomic_compare_exchange_weak(&in_flight, &count, count + 1));
    return true;
}

static void flush_logs(keypad *k, uint64_t now, bool force)
{
    if (k->drops.waiting && (force || now - k->drops.logged_at >= LOG_EVERY_MS)) {
        LOG_WARN("keypad", "%u key presses dropped: %u already wait for the app", k->drops.waiting,
                 keypad_presses_in_flight());
        k->drops.waiting = 0;
        k->drops.logged_at = now;
    }
    if (k->refusals.waiting && (force || now - k->refusals.logged_at >= LOG_EVERY_MS)) {
        LOG_WARN("keypad", "%u keypad reports refused (the last: %s)", k->refusals.waiting,
                 keypad_report_result_name(k->last_refusal));
        k->refusals.waiting = 0;
        k->refusals.logged_at = now;
    }
}

static void dropped_one(keypad *k, uint64_t now)
{
    atomic_fetch_add(&dropped, 1);
    k->drops.waiting++;
    flush_logs(k, now, false);
}

static void deliver(device_handle *handle, keypad_key key, uint64_t now)
{
    keypad *k = device_context(handle);
    if (!take_flight_slot()) {
        dropped_one(k, now);
        return;
    }
    keypad_event *event = malloc(sizeof *event);
    if (!event) {
        atomic_fetch_sub(&in_flight, 1);
        dropped_one(k, now);
        return;
    }
    *event = (keypad_event){.key = key, .pressed_at_ms = now};
    /* On failure the release ran already (and gave the slot back). */
    if (device_deliver(handle, event, press_release) != KIOSK_OK)
        dropped_one(k, now);
    else
        atomic_fetch_add(&delivered, 1);
}

/* One input report: every key it pressed is delivered. */
static void take_report(device_handle *handle, size_t length, uint64_t now)
{
    keypad *k = device_context(handle);
    keypad_key presses[KEYPAD_REPORT_KEYS];
    size_t count = 0;
    keypad_report_result result =
        keypad_report_decode(&k->state, k->report, length, presses, &count);
    if (result != KEYPAD_REPORT_OK) {
        k->last_refusal = result;
        k->refusals.waiting++;
        flush_logs(k, now, false);
        return;
    }
    for (size_t i = 0; i < count; i++)
        deliver(handle, presses[i], now);
    explicit_bzero(presses, sizeof presses);
}

static int link_failed(device_handle *handle, kiosk_error error)
{
    keypad *k = device_context(handle);
    LOG_WARN("keypad", "read failed: %s (%d in a row)", kiosk_error_name(error),
             k->link_failures + 1);
    if (++k->link_failures >= LINK_RETRIES) {
        device_report(handle, DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_NONE, "not-answering");
        return FAULT_RETRY_MS;
    }
    return LINK_RETRY_MS;
}

static int keypad_step(device_handle *handle)
{
    keypad *k = device_context(handle);
    flush_logs(k, monotonic_now_ms(), false);
    size_t got = 0;
    kiosk_error result = usb_transfer(device_usb(handle), ENDPOINT_IN, k->report, sizeof k->report,
                                      &got, READ_IDLE_MS);
    if (result == KIOSK_ERR_NO_DEVICE) {
        explicit_bzero(k->report, sizeof k->report);
        return -KIOSK_ERR_NO_DEVICE;
    }
    if (result != KIOSK_OK && result != KIOSK_ERR_TIMEOUT)
        return link_failed(handle, result);
    if (k->link_failures >= LINK_RETRIES)
        device_report(handle, DEVICE_ONLINE, DEVICE_SUPPLY_NONE, "ready");
    k->link_failures = 0;
    if (got > 0) {
        take_report(handle, got, monotonic_now_ms());
        explicit_bzero(k->report, got);
    }
    return 0;
}

static kiosk_error keypad_open(device_handle *handle)
{
    usb_device *usb = device_usb(handle);
    /* Boot reports, sent only when keys change. A keypad that stalls either
     * request is read as it sends. */
    size_t moved = 0;
    kiosk_error result = usb_control(usb, TYPE_CLASS_OUT_IFACE, REQUEST_SET_PROTOCOL, PROTOCOL_BOOT,
                                     INTERFACE, NULL, 0, &moved, CONTROL_MS);
    if (result == KIOSK_OK || result == KIOSK_ERR_IO)
        result = usb_control(usb, TYPE_CLASS_OUT_IFACE, REQUEST_SET_IDLE, 0, INTERFACE, NULL, 0,
                             &moved, CONTROL_MS);
    if (result == KIOSK_ERR_NO_DEVICE)
        return result;
    LOG_INFO("keypad", "%04x:%04x reads keys", usb->id.vendor, usb->id.product);
    device_report(handle, DEVICE_ONLINE, DEVICE_SUPPLY_NONE, "ready");
    return KIOSK_OK;
}

static void keypad_close(device_handle *handle)
{
    keypad *k = device_context(handle);
    flush_logs(k, monotonic_now_ms(), true);
}

const device_driver keypad_driver = {
    .name = "keypad-hid",
    .kind = DEVICE_KEYPAD,
    .match = {.transport = DEVICE_TRANSPORT_USB,
              .usb = {.ids = keypad_ids, .id_count = ID_COUNT, .interface = INTERFACE}},
    .context_size = sizeof(keypad),
    .open = keypad_open,
    .step = keypad_step,
    .close = keypad_close};
