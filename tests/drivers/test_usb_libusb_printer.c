/* The receipt printer through the real libusb transport: the simulated
 * printer's model sits behind a umockdev-emulated USB printer (class 7,
 * bulk OUT 0x01, bulk IN 0x82), and the real driver under the device
 * manager talks to it through libusb's usbfs path. Runs under
 * umockdev-wrapper (tools/with-umockdev). */
#include "../support/test_support.h"

#include "drivers/devices.h"
#include "drivers/printer/printer.h"
#include "drivers/sim/printer_sim.h"
#include "drivers/usb_libusb.h"
#include "firmware/base/event_channel.h"
#include "usb_umockdev.h"

#include "device_catch.h"

static printer_result *results[8];
static int result_count;

static kiosk_error on_printed(void *context, device_kind kind, void *payload,
                              void (*release)(void *))
{
    (void)context;
    (void)release;
    if (kind != DEVICE_PRINTER)
        return KIOSK_ERR_INVALID_ARGUMENT;
    pthread_mutex_lock(&caught.lock);
    kiosk_error result = KIOSK_ERR_BUSY;
    if (result_count < 8) {
        results[result_count++] = payload;
        result = KIOSK_OK;
    }
    pthread_cond_broadcast(&caught.changed);
    pthread_mutex_unlock(&caught.lock);
    return result;
}

static printer_result *wait_result(int n)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += WAIT_MS / 1000;
    pthread_mutex_lock(&caught.lock);
    while (result_count < n &&
           pthread_cond_timedwait(&caught.changed, &caught.lock, &deadline) == 0) {
    }
    printer_result *result = result_count >= n ? results[n - 1] : NULL;
    pthread_mutex_unlock(&caught.lock);
    if (!result)
        fail_msg("no result for job %d", n);
    return result;
}

static void wait_cuts(usb_model *printer, unsigned long cuts)
{
    for (int i = 0; i < WAIT_MS / 10 && printer_sim_cuts(printer) < cuts; i++)
        nanosleep(&(struct timespec){0, 10 * 1000000L}, NULL);
    assert_int_equal(printer_sim_cuts(printer), cuts);
}

static void test_a_receipt_prints_through_libusb_and_survives_an_unplug(void **state)
{
    (void)state;
    catch_start();
    result_count = 0;
    UMockdevTestbed *testbed = umockdev_testbed_new();
    usb_model *printer = printer_sim_create(PRINTER_SIM_80MM);
    assert_non_null(printer);
    usb_umockdev *device = usb_umockdev_add(testbed, printer, 4);
    assert_non_null(device);
    usb_bus *bus = NULL;
    assert_int_equal(usb_libusb_create(&bus), KIOSK_OK);
    const device_driver *drivers[] = {&printer_driver};
    device_sink sink = {.status = on_status, .deliver = on_printed};
    device_manager *manager = NULL;
    assert_int_equal(device_manager_start(bus, drivers, 1, &sink, &manager), KIOSK_OK);

    /* The reference receipt, whole, read back by the printer. */
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    receipt sample;
    printer_sim_sample_receipt(&sample, 80);
    assert_int_equal(printer_submit(manager, 1, &sample), KIOSK_OK);
    printer_result *result = wait_result(1);
    assert_true(result->ok);
    assert_string_equal(result->reason, "printed");
    printf("  reference receipt through libusb: %zu bytes in %lu ms\n", result->bytes_sent,
           result->ms);
    receipt printed;
    assert_true(printer_sim_printed(printer, &printed));
    assert_int_equal(printed.count, sample.count);
    assert_string_equal(printed.items[0].text, "政务服务中心");
    assert_string_equal(printed.items[8].text, sample.items[8].text); /* the QR data */

    /* The paper runs out half-way through the next: failed, not printed. */
    printer_sim_paper_out_after(printer, 200);
    assert_int_equal(printer_submit(manager, 2, &sample), KIOSK_OK);
    result = wait_result(2);
    assert_false(result->ok);
    assert_string_equal(result->reason, "paper-out");
    at = wait_status(at, DEVICE_HARDWARE_ERROR, "paper-out");
    printer_sim_set_paper_out(printer, false);
    at = wait_status(at, DEVICE_ONLINE, "ready");

    /* The third is still printing when the cable is pulled. */
    printer_sim_hold_printing(printer, true);
    assert_int_equal(printer_submit(manager, 3, &sample), KIOSK_OK);
    wait_cuts(printer, 2);
    assert_true(usb_umockdev_wait_pending_in(device, 1, WAIT_MS));
    usb_umockdev_unplug(device);
    result = wait_result(3);
    assert_false(result->ok);
    assert_string_equal(result->reason, "unplugged");
    at = wait_status(at, DEVICE_NO_DEVICE, "unplugged");

    /* Plugged back in: ready, no restart, and it prints. */
    printer_sim_hold_printing(printer, false);
    usb_umockdev_replug(device);
    wait_status(at, DEVICE_ONLINE, "ready");
    assert_int_equal(printer_submit(manager, 4, &sample), KIOSK_OK);
    assert_true(wait_result(4)->ok);
    wait_cuts(printer, 3);

    device_manager_stop(manager);
    usb_bus_destroy(bus);
    usb_umockdev_remove(device);
    g_object_unref(testbed);
    for (int i = 0; i < result_count; i++)
        printer_result_release(results[i]);
    catch_stop();
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_receipt_prints_through_libusb_and_survives_an_unplug),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
