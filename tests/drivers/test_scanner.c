/* The scanner driver under the device manager, on the simulated bus: the
 * real driver and decoder, a simulated scanner at the transport. Scans
 * arrive as scanner deliveries; refused ones never do; a storm of scans
 * keeps within SCANNER_MAX_IN_FLIGHT; unplugged mid-scan, nothing of the
 * scan is kept. */
#include "../support/test_support.h"
#include "drivers/driver_probes.h"

#include "drivers/devices.h"
#include "drivers/scanner/scanner.h"
#include "drivers/sim/scanner_sim.h"
#include "drivers/usb_sim.h"
#include "firmware/base/event_channel.h"
#include "firmware/base/log.h"

#include "device_catch.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOCATION  "sim-1"
#define SCANS_MAX 512

/* The scans the manager handed on, as the main thread would get them. The
 * test releases them (as the app does), or a consumer thread does, slowly. */
typedef struct scan_catch {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    scan_event *events[SCANS_MAX];
    void (*release[SCANS_MAX])(void *);
    int count;    /* delivered */
    int released; /* released so far (in order) */
    unsigned most_in_flight;
    bool hold; /* keep them (a main thread busy elsewhere) */
} scan_catch;

static scan_catch scans;

static kiosk_error on_scan(void *context, device_kind kind, void *payload, void (*release)(void *))
{
    (void)context;
    if (kind != DEVICE_SCANNER)
        return KIOSK_ERR_INVALID_ARGUMENT;
    pthread_mutex_lock(&scans.lock);
    kiosk_error result = KIOSK_ERR_BUSY;
    unsigned now = scanner_scans_in_flight();
    if (now > scans.most_in_flight)
        scans.most_in_flight = now;
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

/* Releases what was caught and not yet released. */
static void release_caught(void)
{
    pthread_mutex_lock(&scans.lock);
    while (scans.released < scans.count) {
        int i = scans.released++;
        scans.release[i](scans.events[i]);
        scans.events[i] = NULL;
    }
    pthread_mutex_unlock(&scans.lock);
}

static int scan_count(void)
{
    pthread_mutex_lock(&scans.lock);
    int n = scans.count;
    pthread_mutex_unlock(&scans.lock);
    return n;
}

/* Waits until at least count scans were delivered; fails on time-out. */
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

/* The data of the i-th scan delivered (the test still holds it). */
static const scan_event *scan_at(int i)
{
    pthread_mutex_lock(&scans.lock);
    const scan_event *event = i < scans.count ? scans.events[i] : NULL;
    pthread_mutex_unlock(&scans.lock);
    assert_non_null(event);
    return event;
}

static void sleep_ms(long ms)
{
    struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

/* Waits until the driver has read everything the scanner queued. */
static void wait_read(usb_model *scanner)
{
    for (int i = 0; i < WAIT_MS / 5 && scanner_sim_queued(scanner) > 0; i++)
        sleep_ms(5);
    assert_int_equal(scanner_sim_queued(scanner), 0);
}

typedef struct rig {
    usb_bus *bus;
    usb_model *scanner;
    device_manager *manager;
} rig;

static void wake_bus(void *context)
{
    usb_sim_wake(context);
}

static rig start(const scanner_sim_options *options, bool plugged)
{
    catch_start();
    memset(&scans, 0, sizeof scans);
    pthread_mutex_init(&scans.lock, NULL);
    pthread_cond_init(&scans.changed, NULL);
    rig r = {0};
    assert_int_equal(usb_sim_create(&r.bus), KIOSK_OK);
    r.scanner = scanner_sim_create(options);
    assert_non_null(r.scanner);
    scanner_sim_set_waker(r.scanner, wake_bus, r.bus);
    if (plugged)
        assert_int_equal(usb_sim_plug(r.bus, r.scanner, LOCATION), KIOSK_OK);
    const device_driver *drivers[] = {&scanner_driver};
    device_sink sink = {.status = on_status, .deliver = on_scan};
    assert_int_equal(device_manager_start(r.bus, drivers, 1, &sink, &r.manager), KIOSK_OK);
    return r;
}

static void stop(rig *r)
{
    device_manager_stop(r->manager);
    usb_bus_destroy(r->bus); /* and the scanner plugged into it */
    release_caught();
    assert_int_equal(scanner_scans_in_flight(), 0);
    pthread_cond_destroy(&scans.changed);
    pthread_mutex_destroy(&scans.lock);
    catch_stop();
}

static void scan_text(usb_model *scanner, const char *aim, const char *text)
{
    assert_int_equal(scanner_sim_scan(scanner, aim, (const uint8_t *)text, strlen(text)), KIOSK_OK);
}

static void test_a_shown_code_arrives_as_one_event(void **state)
{
    (void)state;
    scanner_sim_options options = {.mode = SCAN_MODE_HID_POS};
    rig r = start(&options, true);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    const char *code = "https://zwfw.example.invalid/e-id?c=7Hq2xQ&t=20261122093000&"
                       "s=8f3a9c0d1e2b4a5f6978e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a69788";
    scan_text(r.scanner, "]Q1", code);
    wait_scans(1);
    const scan_event *event = scan_at(0);
    assert_string_equal(event->data, code);
    assert_int_equal(event->length, strlen(code));
    assert_string_equal(event->symbology, "qr");
    assert_int_equal(event->mode, SCAN_MODE_HID_POS);
    assert_int_equal(scanner_scans_in_flight(), 1);
    release_caught();
    assert_int_equal(scanner_scans_in_flight(), 0);
    /* Nothing else was said: the scanner stays ready. */
    assert_int_equal(status_count(), at + 1);
    stop(&r);
}

static void test_a_keyboard_scanner_types_into_the_event_only(void **state)
{
    (void)state;
    scanner_sim_options options = {.mode = SCAN_MODE_WEDGE, .gbk = true};
    rig r = start(&options, true);
    wait_status(0, DEVICE_ONLINE, "ready");
    scan_text(r.scanner, NULL, "电子证照:ABC-123");
    scan_text(r.scanner, NULL, "粤B·12345 No.7");
    wait_scans(2);
    assert_string_equal(scan_at(0)->data, "电子证照:ABC-123");
    assert_string_equal(scan_at(1)->data, "粤B·12345 No.7");
    assert_int_equal(scan_at(1)->mode, SCAN_MODE_WEDGE);
    assert_string_equal(scan_at(1)->symbology, "unknown");
    stop(&r);
}

static void test_the_mode_comes_from_the_descriptor_or_the_id(void **state)
{
    (void)state;
    /* No report descriptor: the USB id says HID POS. */
    scanner_sim_options options = {.mode = SCAN_MODE_HID_POS,
                                   .descriptor = SCANNER_SIM_DESCRIPTOR_NONE};
    rig r = start(&options, true);
    wait_status(0, DEVICE_ONLINE, "ready");
    scan_text(r.scanner, "]C0", "0123456789");
    wait_scans(1);
    assert_string_equal(scan_at(0)->symbology, "code128");
    stop(&r);
    /* A descriptor that is neither: staff must set the scanner's mode. */
    options.descriptor = SCANNER_SIM_DESCRIPTOR_VENDOR;
    r = start(&options, true);
    wait_status(0, DEVICE_HARDWARE_ERROR, "wrong-mode");
    scan_text(r.scanner, "]Q1", "never read");
    sleep_ms(300);
    assert_int_equal(scan_count(), 0);
    stop(&r);
}

static void test_hostile_scans_are_refused_and_never_delivered(void **state)
{
    (void)state;
    scanner_sim_options options = {.mode = SCAN_MODE_WEDGE};
    rig r = start(&options, true);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    /* Shift+A, then Ctrl+Alt+Delete, then Enter; then a code typing ESC [2J
     * (clear the screen), and a scanner's setup code. */
    static const uint8_t hostile[][8] = {
        {0x02, 0, 0x04}, {0}, {0x05, 0, 0x4C}, {0}, {0, 0, 0x28}, {0},
    };
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
        assert_int_equal(scanner_sim_inject(r.scanner, hostile[i], 8), KIOSK_OK);
    at = wait_status(at, DEVICE_USER_ERROR, "code-refused");
    wait_read(r.scanner);
    sleep_ms(500); /* quiet: the refused scan is over */
    scan_text(r.scanner, NULL, "\x1B[2J");
    wait_read(r.scanner);
    sleep_ms(500);
    scan_text(r.scanner, NULL, "NLS0006010");
    wait_read(r.scanner);
    sleep_ms(500);
    assert_int_equal(scan_count(), 0);
    /* The next good code is taken, and the scanner is ready again. */
    scan_text(r.scanner, NULL, "E-ID:0042");
    wait_scans(1);
    assert_string_equal(scan_at(0)->data, "E-ID:0042");
    wait_status(at, DEVICE_ONLINE, "ready");
    stop(&r);
}

typedef struct logged_scans {
    rig *rig;
} logged_scans;

static void scan_personal_codes(void *context)
{
    logged_scans *logged = context;
    usb_model *scanner = logged->rig->scanner;
    int at = status_count();
    scan_text(scanner, "]Q1", "440304199001011233");
    wait_scans(1);
    scan_text(scanner, "]Q1", "\033440304199001011233"); /* ESC, in octal */
    wait_status(at, DEVICE_USER_ERROR, "code-refused");
}

static void test_the_log_never_holds_a_scan(void **state)
{
    (void)state;
    scanner_sim_options options = {.mode = SCAN_MODE_HID_POS};
    rig r = start(&options, true);
    wait_status(0, DEVICE_ONLINE, "ready");
    log_set_level(LOG_LEVEL_INFO);
    logged_scans logged = {.rig = &r};
    const char *log = test_stderr_of(scan_personal_codes, &logged);
    log_set_level(LOG_LEVEL_ERROR);
    assert_non_null(strstr(log, "scan read: qr, 18 bytes"));
    assert_non_null(strstr(log, "refused (escape): 19 bytes"));
    assert_null(strstr(log, "440304199001011233"));
    assert_null(strstr(log, "19900101"));
    stop(&r);
}

static void test_a_code_held_under_the_scanner_is_delivered_once(void **state)
{
    (void)state;
    scanner_sim_options options = {.mode = SCAN_MODE_HID_POS};
    rig r = start(&options, true);
    wait_status(0, DEVICE_ONLINE, "ready");
    /* Read again and again while it is held there, as scanners in
     * continuous mode do. */
    for (int i = 0; i < 20; i++) {
        scan_text(r.scanner, "]Q1", "E-ID:0042");
        sleep_ms(20);
    }
    wait_read(r.scanner);
    sleep_ms(100);
    assert_int_equal(scan_count(), 1);
    /* Shown again after a pause, it is delivered again; another code is
     * another showing at once. */
    sleep_ms(1100);
    scan_text(r.scanner, "]Q1", "E-ID:0042");
    wait_scans(2);
    scan_text(r.scanner, "]Q1", "E-ID:0043");
    wait_scans(3);
    assert_string_equal(scan_at(1)->data, "E-ID:0042");
    assert_string_equal(scan_at(2)->data, "E-ID:0043");
    stop(&r);
}

/* A main thread that takes a scan every 30 ms: slower than the storm. */
static atomic_bool consuming;

static void *slow_main_thread(void *arg)
{
    (void)arg;
    while (atomic_load(&consuming)) {
        pthread_mutex_lock(&scans.lock);
        if (scans.released < scans.count) {
            int i = scans.released++;
            scans.release[i](scans.events[i]);
            scans.events[i] = NULL;
        }
        pthread_mutex_unlock(&scans.lock);
        sleep_ms(30);
    }
    return NULL;
}

static void test_a_storm_of_scans_stays_bounded(void **state)
{
    (void)state;
    scanner_sim_options options = {.mode = SCAN_MODE_HID_POS};
    rig r = start(&options, true);
    wait_status(0, DEVICE_ONLINE, "ready");
    unsigned long dropped_before = scanner_scans_dropped();
    atomic_store(&consuming, true);
    pthread_t consumer;
    assert_int_equal(pthread_create(&consumer, NULL, slow_main_thread, NULL), 0);
    /* 100 different codes a second for three seconds. */
    enum { STORM = 300 };
    size_t most_queued = 0;
    for (int i = 0; i < STORM; i++) {
        char code[64];
        snprintf(code, sizeof code, "https://zwfw.example.invalid/e-id?c=%04d", i);
        scan_text(r.scanner, "]Q1", code);
        size_t queued = scanner_sim_queued(r.scanner);
        most_queued = queued > most_queued ? queued : most_queued;
        sleep_ms(10);
    }
    wait_read(r.scanner);
    sleep_ms(100);
    atomic_store(&consuming, false);
    pthread_join(consumer, NULL);
    int delivered = scan_count();
    unsigned long dropped = scanner_scans_dropped() - dropped_before;
    print_message("storm: %d scans, %d delivered, %lu dropped, at most %u in flight, at most "
                  "%zu reports waiting in the scanner\n",
                  STORM, delivered, dropped, scans.most_in_flight, most_queued);
    assert_true(scans.most_in_flight <= SCANNER_MAX_IN_FLIGHT);
    assert_true(scanner_scans_in_flight() <= SCANNER_MAX_IN_FLIGHT);
    assert_true(dropped > 0);
    assert_int_equal((unsigned long)delivered + dropped, STORM);
    /* The driver kept up with the scanner: nothing piled up there either. */
    assert_true(most_queued < 10);
    /* Once the main thread has caught up, scans flow again. */
    release_caught();
    scan_text(r.scanner, "]Q1", "after the storm");
    wait_scans(delivered + 1);
    assert_string_equal(scan_at(delivered)->data, "after the storm");
    stop(&r);
}

static void test_a_storm_of_one_code_is_one_scan(void **state)
{
    (void)state;
    scanner_sim_options options = {.mode = SCAN_MODE_WEDGE};
    rig r = start(&options, true);
    wait_status(0, DEVICE_ONLINE, "ready");
    for (int i = 0; i < 100; i++) {
        scan_text(r.scanner, NULL, "E-ID:0042");
        sleep_ms(10);
    }
    wait_read(r.scanner);
    sleep_ms(100);
    assert_int_equal(scan_count(), 1);
    stop(&r);
}

static void test_unplugged_mid_scan_keeps_nothing(void **state)
{
    (void)state;
    scanner_sim_options options = {.mode = SCAN_MODE_HID_POS};
    rig r = start(&options, false);
    int at = wait_status(0, DEVICE_NO_DEVICE, "not-found");
    assert_int_equal(usb_sim_plug(r.bus, r.scanner, LOCATION), KIOSK_OK);
    at = wait_status(at, DEVICE_ONLINE, "ready");
    /* The first of a scan's two reports is read, then the cable is pulled. */
    uint8_t report[64] = {2, 10, ']', 'Q', '1', 'F', 'I', 'R', 'S', 'T', '-', 'H', 'A', 'L', 'F'};
    report[63] = 1;
    assert_int_equal(scanner_sim_inject(r.scanner, report, sizeof report), KIOSK_OK);
    wait_read(r.scanner);
    usb_model *scanner = usb_sim_unplug(r.bus, LOCATION);
    assert_ptr_equal(scanner, r.scanner);
    at = wait_status(at, DEVICE_NO_DEVICE, "unplugged");
    /* Back: the next code is read whole, with nothing of the first half. */
    assert_int_equal(usb_sim_plug(r.bus, scanner, LOCATION), KIOSK_OK);
    at = wait_status(at, DEVICE_ONLINE, "ready");
    scan_text(scanner, "]Q1", "E-ID:0042");
    wait_scans(1);
    sleep_ms(100);
    assert_int_equal(scan_count(), 1);
    assert_string_equal(scan_at(0)->data, "E-ID:0042");
    stop(&r);
}

static void test_a_keyboard_scanner_unplugged_mid_scan_keeps_nothing(void **state)
{
    (void)state;
    scanner_sim_options options = {.mode = SCAN_MODE_WEDGE};
    rig r = start(&options, true);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    static const uint8_t typed[][8] = {{0, 0, 0x17}, {0}, {0, 0, 0x08}, {0}}; /* "te" */
    for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++)
        assert_int_equal(scanner_sim_inject(r.scanner, typed[i], 8), KIOSK_OK);
    wait_read(r.scanner);
    usb_model *scanner = usb_sim_unplug(r.bus, LOCATION);
    at = wait_status(at, DEVICE_NO_DEVICE, "unplugged");
    assert_int_equal(usb_sim_plug(r.bus, scanner, LOCATION), KIOSK_OK);
    at = wait_status(at, DEVICE_ONLINE, "ready");
    scan_text(scanner, NULL, "st");
    wait_scans(1);
    assert_string_equal(scan_at(0)->data, "st");
    stop(&r);
}

static double cpu_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static void test_an_idle_scanner_costs_no_cpu(void **state)
{
    (void)state;
    scanner_sim_options options = {.mode = SCAN_MODE_HID_POS};
    rig r = start(&options, true);
    wait_status(0, DEVICE_ONLINE, "ready");
    double before = cpu_seconds();
    sleep_ms(2000);
    double used = cpu_seconds() - before;
    print_message("idle scanner: %.1f ms of CPU in 2 s\n", used * 1000);
    assert_true(used < 0.1);
    /* And it still reads at once. */
    scan_text(r.scanner, "]Q1", "E-ID:0042");
    wait_scans(1);
    stop(&r);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_shown_code_arrives_as_one_event),
        cmocka_unit_test(test_a_keyboard_scanner_types_into_the_event_only),
        cmocka_unit_test(test_the_mode_comes_from_the_descriptor_or_the_id),
        cmocka_unit_test(test_hostile_scans_are_refused_and_never_delivered),
        cmocka_unit_test(test_the_log_never_holds_a_scan),
        cmocka_unit_test(test_a_code_held_under_the_scanner_is_delivered_once),
        cmocka_unit_test(test_a_storm_of_scans_stays_bounded),
        cmocka_unit_test(test_a_storm_of_one_code_is_one_scan),
        cmocka_unit_test(test_unplugged_mid_scan_keeps_nothing),
        cmocka_unit_test(test_a_keyboard_scanner_unplugged_mid_scan_keeps_nothing),
        cmocka_unit_test(test_an_idle_scanner_costs_no_cpu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
