/* The ID card reader through the real libusb transport: the simulated
 * reader's model sits behind a umockdev-emulated USB device, and the real
 * driver under the device manager talks to it through libusb's usbfs path.
 * Runs under umockdev-wrapper (tools/with-umockdev). */
#include "../support/test_support.h"

#include "drivers/devices.h"
#include "drivers/sim/idcard_sim.h"
#include "drivers/usb_libusb.h"
#include "usb_umockdev.h"

#include "device_catch.h"

static void test_a_card_is_read_through_libusb_and_survives_an_unplug(void **state)
{
    (void)state;
    catch_start();
    UMockdevTestbed *testbed = umockdev_testbed_new();
    usb_model *reader = idcard_sim_create();
    assert_non_null(reader);
    usb_umockdev *device = usb_umockdev_add(testbed, reader, 3);
    assert_non_null(device);
    usb_bus *bus = NULL;
    assert_int_equal(usb_libusb_create(&bus), KIOSK_OK);
    const device_driver *drivers[] = {&idcard_driver};
    device_sink sink = {.status = on_status, .deliver = on_deliver};
    device_manager *manager = NULL;
    assert_int_equal(device_manager_start(bus, drivers, 1, &sink, &manager), KIOSK_OK);

    int at = wait_status(0, DEVICE_ONLINE, "ready");
    idcard_sim_lay_card(reader, IDCARD_SIM_RARE_CHARACTER);
    at = wait_status(at, DEVICE_ONLINE, "card-read");
    assert_int_equal(card_count(), 1);
    assert_non_null(strstr(caught.cards[0]->name, "\xF0\xAA\x9A\xA5"));

    /* The next card's read stops half-way, and the cable is pulled while
     * the driver waits for the rest: nothing is kept, and it says so. */
    idcard_sim_lift_card(reader);
    at = wait_status(at, DEVICE_ONLINE, "ready");
    idcard_sim_set_fault(reader, IDCARD_SIM_FAULT_TRUNCATED_READ);
    idcard_sim_lay_card(reader, IDCARD_SIM_ORDINARY);
    at = wait_status(at, DEVICE_BUSY, "reading");
    assert_true(usb_umockdev_wait_pending_in(device, 1, WAIT_MS));
    usb_umockdev_unplug(device);
    at = wait_status(at, DEVICE_NO_DEVICE, "unplugged");
    assert_int_equal(card_count(), 1);

    /* Plugged back in, with the card still on it: read, no restart. */
    usb_umockdev_replug(device);
    wait_status(at, DEVICE_ONLINE, "card-read");
    assert_int_equal(card_count(), 2);
    assert_string_equal(caught.cards[1]->id_number, "440304199001011233");

    device_manager_stop(manager);
    usb_bus_destroy(bus);
    usb_umockdev_remove(device);
    g_object_unref(testbed);
    catch_stop();
}

static void test_reads_damaged_for_good_through_libusb_are_a_fault_not_a_loop(void **state)
{
    (void)state;
    catch_start();
    UMockdevTestbed *testbed = umockdev_testbed_new();
    usb_model *reader = idcard_sim_create();
    assert_non_null(reader);
    usb_umockdev *device = usb_umockdev_add(testbed, reader, 3);
    assert_non_null(device);
    usb_bus *bus = NULL;
    assert_int_equal(usb_libusb_create(&bus), KIOSK_OK);
    const device_driver *drivers[] = {&idcard_driver};
    device_sink sink = {.status = on_status, .deliver = on_deliver};
    device_manager *manager = NULL;
    assert_int_equal(device_manager_start(bus, drivers, 1, &sink, &manager), KIOSK_OK);

    /* The read answer's length is absurd, every time: the citizen sees
     * "reading", then staff see "not answering", and the reader is asked a
     * few times in 3 s, not thousands. */
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    idcard_sim_set_fault_target(reader, IDCARD_SIM_TARGET_READ);
    idcard_sim_set_fault(reader, IDCARD_SIM_FAULT_BAD_LENGTH_ALWAYS);
    idcard_sim_lay_card(reader, IDCARD_SIM_ORDINARY);
    at = wait_status(at, DEVICE_BUSY, "reading");
    at = wait_status(at, DEVICE_HARDWARE_ERROR, "not-answering");
    unsigned long frames = idcard_sim_frames_answered(reader);
    int statuses = status_count();
    struct timespec window = {3, 0};
    nanosleep(&window, NULL);
    frames = idcard_sim_frames_answered(reader) - frames;
    printf("  through libusb, over 3 s of damaged reads: %lu frames\n", frames);
    assert_true(frames >= 1 && frames <= 6);
    assert_int_equal(status_count(), statuses);

    /* Repaired: the card on it is read. */
    idcard_sim_set_fault(reader, IDCARD_SIM_FAULT_NONE);
    wait_status(at, DEVICE_ONLINE, "card-read");
    assert_int_equal(card_count(), 1);

    device_manager_stop(manager);
    usb_bus_destroy(bus);
    usb_umockdev_remove(device);
    g_object_unref(testbed);
    catch_stop();
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_card_is_read_through_libusb_and_survives_an_unplug),
        cmocka_unit_test(test_reads_damaged_for_good_through_libusb_are_a_fault_not_a_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
