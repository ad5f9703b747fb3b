/* The scanner through the real libusb transport: the simulated scanner's
 * model sits behind a umockdev-emulated USB device (a HID interface with an
 * interrupt IN endpoint), and the real driver under the device manager reads
 * it through libusb's usbfs path: the report descriptor request at open,
 * interrupt transfers with time-outs, a cable pulled in the middle of a scan
 * and plugged back. Runs under umockdev-wrapper (tools/with-umockdev). */
#include "../support/test_support.h"

#include "drivers/devices.h"
#include "drivers/scanner/scanner.h"
#include "drivers/sim/scanner_sim.h"
#include "drivers/usb_libusb.h"
#include "usb_umockdev.h"

#include "device_catch.h"

#define SCANS_MAX 16

/* The scans handed on, held until the end (as a main thread would, briefly). */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    scan_event *events[SCANS_MAX];
    void (*release[SCANS_MAX])(void *);
    int count;
} scans;

static kiosk_error on_scan(void *context, device_kind kind, void *payload, void (*release)(void *))
{
    (void)context;
    if (kind != DEVICE_SCANNER)
        return KIOSK_ERR_INVALID_ARGUMENT;
    pthread_mutex_lock(&scans.lock);
    kiosk_error result = KIOSK_ERR_BUSY;
    if (scans.count < SCANS_MAX) {
        scans.events[scans.count] = payload;
        scans.release[scans.count] = release;
        scans.count++;
        result = KIOSK_OK;
    }
    pthread_cond_broadcast(&scans.changed);
    pthread_mutex_unlock(&scans.lock);
    return result;
}

static void wait_scans(int count)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += WAIT_MS / 1000;
    pthread_mutex_lock(&scans.lock);
    while (scans.count < count &&
           pthread_cond_timedwait(&scans.changed, &scans.lock, &deadline) == 0) {
    }
    int n = scans.count;
    pthread_mutex_unlock(&scans.lock);
    if (n < count)
        fail_msg("%d scans delivered, %d expected", n, count);
}

static int scan_count(void)
{
    pthread_mutex_lock(&scans.lock);
    int n = scans.count;
    pthread_mutex_unlock(&scans.lock);
    return n;
}

/* What a test asks the model to do, under the bridge's lock. */
typedef struct scan_request {
    const char *aim;
    const char *text;
    const uint8_t *report; /* a raw report instead, when set */
    size_t report_length;
} scan_request;

static void queue_scan(usb_model *model, void *context)
{
    const scan_request *request = context;
    kiosk_error result = request->report
                             ? scanner_sim_inject(model, request->report, request->report_length)
                             : scanner_sim_scan(model, request->aim, (const uint8_t *)request->text,
                                                strlen(request->text));
    assert_int_equal(result, KIOSK_OK);
}

static void queued_count(usb_model *model, void *context)
{
    *(size_t *)context = scanner_sim_queued(model);
}

/* Waits until the driver has read everything queued, and is waiting for
 * more with an IN URB. */
static void wait_read(usb_umockdev *device)
{
    size_t queued = 1;
    for (int i = 0; i < WAIT_MS / 5 && queued > 0; i++) {
        usb_umockdev_with_model(device, queued_count, &queued);
        if (queued > 0) {
            struct timespec pause = {0, 5 * 1000000L};
            nanosleep(&pause, NULL);
        }
    }
    assert_int_equal(queued, 0);
    assert_true(usb_umockdev_wait_pending_in(device, 1, WAIT_MS));
}

typedef struct rig {
    UMockdevTestbed *testbed;
    usb_umockdev *device;
    usb_bus *bus;
    device_manager *manager;
} rig;

static rig start(const scanner_sim_options *options)
{
    catch_start();
    memset(&scans, 0, sizeof scans);
    pthread_mutex_init(&scans.lock, NULL);
    pthread_cond_init(&scans.changed, NULL);
    rig r = {0};
    r.testbed = umockdev_testbed_new();
    usb_model *scanner = scanner_sim_create(options);
    assert_non_null(scanner);
    r.device = usb_umockdev_add(r.testbed, scanner, 4);
    assert_non_null(r.device);
    assert_int_equal(usb_libusb_create(&r.bus), KIOSK_OK);
    const device_driver *drivers[] = {&scanner_driver};
    device_sink sink = {.status = on_status, .deliver = on_scan};
    assert_int_equal(device_manager_start(r.bus, drivers, 1, &sink, &r.manager), KIOSK_OK);
    return r;
}

static void stop(rig *r)
{
    device_manager_stop(r->manager);
    usb_bus_destroy(r->bus);
    usb_umockdev_remove(r->device);
    g_object_unref(r->testbed);
    for (int i = 0; i < scans.count; i++)
        scans.release[i](scans.events[i]);
    assert_int_equal(scanner_scans_in_flight(), 0);
    pthread_cond_destroy(&scans.changed);
    pthread_mutex_destroy(&scans.lock);
    catch_stop();
}

static void test_a_hid_pos_scan_survives_an_unplug_mid_scan(void **state)
{
    (void)state;
    scanner_sim_options options = {.mode = SCAN_MODE_HID_POS};
    rig r = start(&options);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    /* A code longer than one report: two interrupt transfers. */
    const char *code = "https://zwfw.example.invalid/e-id?c=7Hq2xQ&t=20261122093000&s=8f3a9c";
    scan_request request = {.aim = "]Q1", .text = code};
    usb_umockdev_with_model(r.device, queue_scan, &request);
    wait_scans(1);
    assert_string_equal(scans.events[0]->data, code);
    assert_string_equal(scans.events[0]->symbology, "qr");

    /* The first report of the next scan is read, and the cable is pulled
     * while the driver waits for the rest. */
    uint8_t report[64] = {2, 10, ']', 'Q', '1', 'F', 'I', 'R', 'S', 'T', '-', 'H', 'A', 'L', 'F'};
    report[63] = 1;
    scan_request half = {.report = report, .report_length = sizeof report};
    usb_umockdev_with_model(r.device, queue_scan, &half);
    wait_read(r.device);
    usb_umockdev_unplug(r.device);
    at = wait_status(at, DEVICE_NO_DEVICE, "unplugged");

    /* Plugged back (a new address): ready again, and the next code is read
     * whole, with nothing of the half before. */
    usb_umockdev_replug(r.device);
    wait_status(at, DEVICE_ONLINE, "ready");
    scan_request again = {.aim = "]d2", .text = "E-ID:0042"};
    usb_umockdev_with_model(r.device, queue_scan, &again);
    wait_scans(2);
    assert_int_equal(scan_count(), 2);
    assert_string_equal(scans.events[1]->data, "E-ID:0042");
    assert_string_equal(scans.events[1]->symbology, "datamatrix");
    stop(&r);
}

static void test_a_keyboard_scanner_through_libusb(void **state)
{
    (void)state;
    scanner_sim_options options = {.mode = SCAN_MODE_WEDGE, .gbk = true};
    rig r = start(&options);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    scan_request request = {.text = "电子证照:ABC-123"};
    usb_umockdev_with_model(r.device, queue_scan, &request);
    wait_scans(1);
    assert_string_equal(scans.events[0]->data, "电子证照:ABC-123");
    assert_int_equal(scans.events[0]->mode, SCAN_MODE_WEDGE);

    /* Alt+F4 in the middle of a code: refused, no event. */
    static const uint8_t hostile[][8] = {{0, 0, 0x04}, {0},          {0x04, 0, 0x3D},
                                         {0},          {0, 0, 0x28}, {0}};
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        scan_request raw = {.report = hostile[i], .report_length = 8};
        usb_umockdev_with_model(r.device, queue_scan, &raw);
    }
    at = wait_status(at, DEVICE_USER_ERROR, "code-refused");
    wait_read(r.device);
    struct timespec quiet = {0, 500 * 1000000L}; /* the refused scan is over */
    nanosleep(&quiet, NULL);

    /* Typed half-way, then unplugged; back, a whole code is read alone. */
    static const uint8_t typed[][8] = {{0, 0, 0x17}, {0}, {0, 0, 0x08}, {0}};
    for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
        scan_request raw = {.report = typed[i], .report_length = 8};
        usb_umockdev_with_model(r.device, queue_scan, &raw);
    }
    wait_read(r.device);
    usb_umockdev_unplug(r.device);
    at = wait_status(at, DEVICE_NO_DEVICE, "unplugged");
    usb_umockdev_replug(r.device);
    wait_status(at, DEVICE_ONLINE, "ready");
    scan_request whole = {.text = "st"};
    usb_umockdev_with_model(r.device, queue_scan, &whole);
    wait_scans(2);
    assert_int_equal(scan_count(), 2);
    assert_string_equal(scans.events[1]->data, "st");
    stop(&r);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_hid_pos_scan_survives_an_unplug_mid_scan),
        cmocka_unit_test(test_a_keyboard_scanner_through_libusb),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
