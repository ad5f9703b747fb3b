/* The keypad through the real libusb transport: the simulated keypad's model
 * sits behind a umockdev-emulated USB device (a HID interface with an
 * interrupt IN endpoint), and the real driver under the device manager reads
 * it through libusb's usbfs path: SET_PROTOCOL and SET_IDLE at open,
 * interrupt transfers with time-outs, a press as one delivery of kind
 * keypad, a cable pulled and plugged back. Runs under umockdev-wrapper
 * (tools/with-umockdev). */
#include "../support/test_support.h"

#include "drivers/devices.h"
#include "drivers/keypad/keypad.h"
#include "drivers/sim/simulation.h"
#include "drivers/usb_libusb.h"
#include "firmware/base/log.h"
#include "usb_umockdev.h"

#include "device_catch.h"

#define PRESS_MAX 16

static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    keypad_event *events[PRESS_MAX];
    void (*release[PRESS_MAX])(void *);
    int count;
} keys;

static kiosk_error on_key(void *context, device_kind kind, void *payload, void (*release)(void *))
{
    (void)context;
    if (kind != DEVICE_KEYPAD)
        return KIOSK_ERR_INVALID_ARGUMENT;
    pthread_mutex_lock(&keys.lock);
    kiosk_error result = KIOSK_ERR_BUSY;
    if (keys.count < PRESS_MAX) {
        keys.events[keys.count] = payload;
        keys.release[keys.count] = release;
        keys.count++;
        result = KIOSK_OK;
    }
    pthread_cond_broadcast(&keys.changed);
    pthread_mutex_unlock(&keys.lock);
    return result;
}

static void wait_keys(int count)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += WAIT_MS / 1000;
    pthread_mutex_lock(&keys.lock);
    while (keys.count < count &&
           pthread_cond_timedwait(&keys.changed, &keys.lock, &deadline) == 0) {
    }
    int n = keys.count;
    pthread_mutex_unlock(&keys.lock);
    if (n < count)
        fail_msg("%d key presses delivered, %d expected", n, count);
}

static int key_count(void)
{
    pthread_mutex_lock(&keys.lock);
    int n = keys.count;
    pthread_mutex_unlock(&keys.lock);
    return n;
}

/* A developer's key pressed on the model, under the bridge's lock. */
static void press_key(usb_model *model, void *context)
{
    simulation_keys simulation = {.model = model};
    assert_true(keypad_simulator.key(&simulation, *(const int *)context));
}

static void press(usb_umockdev *device, int key)
{
    usb_umockdev_with_model(device, press_key, &key);
}

static void sleep_ms(long ms)
{
    struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

static void test_a_keypad_through_libusb(void **state)
{
    (void)state;
    catch_start();
    memset(&keys, 0, sizeof keys);
    pthread_mutex_init(&keys.lock, NULL);
    pthread_cond_init(&keys.changed, NULL);
    UMockdevTestbed *testbed = umockdev_testbed_new();
    usb_model *keypad = keypad_simulator.create(NULL); /* umockdev answers its URBs */
    assert_non_null(keypad);
    usb_umockdev *device = usb_umockdev_add(testbed, keypad, 5);
    assert_non_null(device);
    usb_bus *bus = NULL;
    assert_int_equal(usb_libusb_create(&bus), KIOSK_OK);
    const device_driver *drivers[] = {device_registry[DEVICE_KEYPAD].driver};
    device_sink sink = {.status = on_status, .deliver = on_key};
    device_manager *manager = NULL;
    assert_int_equal(device_manager_start(bus, drivers, 1, &sink, &manager), KIOSK_OK);
    int at = wait_status(0, DEVICE_ONLINE, "ready");

    /* Each press is down, down again, up: one delivery each. */
    press(device, 'i');
    wait_keys(1);
    press(device, 'o');
    wait_keys(2);
    sleep_ms(200);
    assert_int_equal(key_count(), 2);
    assert_int_equal(keys.events[0]->key, KEYPAD_KEY_UP);
    assert_int_equal(keys.events[1]->key, KEYPAD_KEY_ENTER);
    assert_true(usb_umockdev_wait_pending_in(device, 1, WAIT_MS));

    /* The cable pulled: reported; plugged back (a new address): ready, and
     * read at once. */
    usb_umockdev_unplug(device);
    at = wait_status(at, DEVICE_NO_DEVICE, "unplugged");
    usb_umockdev_replug(device);
    wait_status(at, DEVICE_ONLINE, "ready");
    press(device, 'b');
    wait_keys(3);
    assert_int_equal(keys.events[2]->key, KEYPAD_KEY_BACK);
    assert_int_equal(keypad_presses_in_flight(), 3);

    device_manager_stop(manager);
    usb_bus_destroy(bus);
    usb_umockdev_remove(device);
    g_object_unref(testbed);
    for (int i = 0; i < keys.count; i++)
        keys.release[i](keys.events[i]);
    assert_int_equal(keypad_presses_in_flight(), 0);
    pthread_cond_destroy(&keys.changed);
    pthread_mutex_destroy(&keys.lock);
    catch_stop();
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_keypad_through_libusb),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
