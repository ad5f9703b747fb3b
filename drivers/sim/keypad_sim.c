/* The simulated accessibility keypad: a USB HID device with one interface
 * and an interrupt IN endpoint that sends the boot keyboard reports of the
 * layout in drivers/keypad/keypad.h, one per read. It answers the report
 * descriptor request, SET_PROTOCOL and SET_IDLE, and stalls the rest.
 *
 * A key pressed on it is three reports: the key down, the same state once
 * more (as a keypad that repeats its report while a key is held, whatever
 * SET_IDLE asked), and every key up; so the driver's "a held key is one
 * press" is exercised on every press. It sits under the real driver, at the
 * transport: on the simulated bus, or behind umockdev for the libusb test.
 *
 * Its developer keys (`make run` with Ctrl held, `key K` on the test
 * control channel):
 * i, k, j, l the arrows up, down, left, right; o enter; b back; h help;
 * r repeat; = and - volume up and down; c clear. The digits 0-7 are the ID
 * card reader's keys, so the keypad's digits have none. */
#include "drivers/sim/keypad_sim.h"
#include "drivers/keypad/keypad.h"
#include "drivers/sim/simulation.h"
#include "drivers/usb_sim.h"
#include "firmware/base/log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define VENDOR              0x1209
#define PRODUCT             0x000c /* pid.codes test id; the driver's table names it */
#define ENDPOINT_IN         0x81
#define INTERFACE_CLASS_HID 0x03
#define QUEUE_MAX           64 /* reports waiting to be read; a key press is three */

/* HID requests (HID 1.11, 7.1 and 7.2). */
#define TYPE_STANDARD_IN_IFACE 0x81
#define TYPE_CLASS_OUT_IFACE   0x21
#define REQUEST_GET_DESCRIPTOR 0x06
#define REQUEST_SET_IDLE       0x0A
#define REQUEST_SET_PROTOCOL   0x0B
#define DESCRIPTOR_REPORT      0x2200

typedef struct keypad_sim {
    usb_model base;
    pthread_mutex_t lock; /* keys come from the main thread, reads from the bus */
    uint8_t queue[QUEUE_MAX][KEYPAD_REPORT_LENGTH];
    size_t head, count; /* queue[head .. head + count), wrapping */
    usb_bus *bus;       /* woken when something is queued; NULL behind umockdev */
} keypad_sim;

/* A keypad's report descriptor: the boot keyboard's input report (HID 1.11,
 * appendix B.1) with key usages up to 0xFF (Help, Again, the volume keys and
 * keypad Clear lie above the boot keyboard's 0x65), no LEDs. */
static const uint8_t report_descriptor[] = {
    0x05, 0x01,       /* Usage Page (Generic Desktop) */
    0x09, 0x07,       /* Usage (Keypad) */
    0xA1, 0x01,       /* Collection (Application) */
    0x05, 0x07,       /*   Usage Page (Keyboard/Keypad) */
    0x19, 0xE0,       /*   Usage Minimum (Left Control) */
    0x29, 0xE7,       /*   Usage Maximum (Right GUI) */
    0x15, 0x00,       /*   Logical Minimum (0) */
    0x25, 0x01,       /*   Logical Maximum (1) */
    0x75, 0x01,       /*   Report Size (1) */
    0x95, 0x08,       /*   Report Count (8) */
    0x81, 0x02,       /*   Input (Data, Variable, Absolute): modifiers */
    0x95, 0x01,       /*   Report Count (1) */
    0x75, 0x08,       /*   Report Size (8) */
    0x81, 0x01,       /*   Input (Constant): reserved */
    0x95, 0x06,       /*   Report Count (6) */
    0x75, 0x08,       /*   Report Size (8) */
    0x15, 0x00,       /*   Logical Minimum (0) */
    0x26, 0xFF, 0x00, /*   Logical Maximum (255) */
    0x19, 0x00,       /*   Usage Minimum (0) */
    0x2A, 0xFF, 0x00, /*   Usage Maximum (255) */
    0x81, 0x00,       /*   Input (Data, Array): the keys held */
    0xC0,             /* End Collection */
};

static keypad_sim *sim_of(usb_model *model)
{
    return (keypad_sim *)model;
}

/* Queues the reports of one key press (under the lock); false when there is
 * no room for all three. */
static bool queue_press(keypad_sim *sim, uint8_t usage)
{
    if (sim->count + 3 > QUEUE_MAX)
        return false;
    const uint8_t down[KEYPAD_REPORT_LENGTH] = {0, 0, usage};
    const uint8_t *reports[3] = {down, down, (const uint8_t[KEYPAD_REPORT_LENGTH]){0}};
    for (size_t i = 0; i < 3; i++) {
        memcpy(sim->queue[(sim->head + sim->count) % QUEUE_MAX], reports[i], KEYPAD_REPORT_LENGTH);
        sim->count++;
    }
    return true;
}

static kiosk_error sim_send(usb_model *model, uint8_t endpoint, uint8_t *data, size_t capacity,
                            size_t *length)
{
    keypad_sim *sim = sim_of(model);
    *length = 0;
    if (endpoint != ENDPOINT_IN)
        return KIOSK_ERR_IO;
    pthread_mutex_lock(&sim->lock);
    if (sim->count > 0) {
        uint8_t *report = sim->queue[sim->head];
        size_t n = KEYPAD_REPORT_LENGTH < capacity ? KEYPAD_REPORT_LENGTH : capacity;
        memcpy(data, report, n);
        explicit_bzero(report, KEYPAD_REPORT_LENGTH);
        sim->head = (sim->head + 1) % QUEUE_MAX;
        sim->count--;
        *length = n;
    }
    pthread_mutex_unlock(&sim->lock);
    return KIOSK_OK;
}

static kiosk_error sim_control(usb_model *model, uint8_t request_type, uint8_t request,
                               uint16_t value, uint16_t index, uint8_t *data, uint16_t length,
                               size_t *transferred)
{
    (void)model;
    *transferred = 0;
    if (index != 0)
        return KIOSK_ERR_IO;
    if (request_type == TYPE_STANDARD_IN_IFACE && request == REQUEST_GET_DESCRIPTOR &&
        value == DESCRIPTOR_REPORT) {
        size_t n = sizeof report_descriptor < length ? sizeof report_descriptor : length;
        memcpy(data, report_descriptor, n);
        *transferred = n;
        return KIOSK_OK;
    }
    if (request_type == TYPE_CLASS_OUT_IFACE &&
        (request == REQUEST_SET_IDLE || request == REQUEST_SET_PROTOCOL))
        return KIOSK_OK;
    return KIOSK_ERR_IO;
}

static void sim_destroy(usb_model *model)
{
    keypad_sim *sim = sim_of(model);
    pthread_mutex_destroy(&sim->lock);
    explicit_bzero(sim, sizeof *sim);
    free(sim);
}

static const usb_model_ops keypad_sim_ops = {
    .send = sim_send, .control = sim_control, .destroy = sim_destroy};

/* A new simulated keypad; bus (NULL: none) is woken when a key is pressed. */
static usb_model *simulator_create(usb_bus *bus)
{
    keypad_sim *sim = calloc(1, sizeof *sim);
    if (!sim)
        return NULL;
    sim->base = (usb_model){.ops = &keypad_sim_ops,
                            .id = {VENDOR, PRODUCT},
                            .interface = 0,
                            .interface_class = INTERFACE_CLASS_HID,
                            .endpoint_interrupt_in = ENDPOINT_IN};
    sim->bus = bus;
    pthread_mutex_init(&sim->lock, NULL);
    return &sim->base;
}

/* The keypad key of a developer's key, or KEYPAD_KEY_NONE. */
static keypad_key key_of(int key)
{
    static const struct {
        char key;
        keypad_key keypad;
    } keys[] = {
        {'i', KEYPAD_KEY_UP},          {'k', KEYPAD_KEY_DOWN},   {'j', KEYPAD_KEY_LEFT},
        {'l', KEYPAD_KEY_RIGHT},       {'o', KEYPAD_KEY_ENTER},  {'b', KEYPAD_KEY_BACK},
        {'h', KEYPAD_KEY_HELP},        {'r', KEYPAD_KEY_REPEAT}, {'=', KEYPAD_KEY_VOLUME_UP},
        {'-', KEYPAD_KEY_VOLUME_DOWN}, {'c', KEYPAD_KEY_CLEAR},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (keys[i].key == key)
            return keys[i].keypad;
    }
    return KEYPAD_KEY_NONE;
}

bool keypad_sim_press(usb_model *model, keypad_key key)
{
    uint8_t usage = keypad_usage_of_key(key);
    if (!model || usage == 0)
        return false;
    keypad_sim *sim = sim_of(model);
    pthread_mutex_lock(&sim->lock);
    bool queued = queue_press(sim, usage);
    usb_bus *bus = sim->bus;
    pthread_mutex_unlock(&sim->lock);
    if (!queued)
        LOG_WARN("sim", "simulated keypad: too many keys waiting, this one is lost");
    else if (bus)
        usb_sim_wake(bus);
    return queued;
}

/* A developer's key: its keypad key pressed and let go. */
static bool simulator_key(const simulation_keys *keys, int key)
{
    keypad_key pressed = key_of(key);
    if (pressed == KEYPAD_KEY_NONE)
        return false;
    keypad_sim_press(keys->model, pressed);
    return true;
}

const device_simulator keypad_simulator = {.create = simulator_create, .key = simulator_key};
