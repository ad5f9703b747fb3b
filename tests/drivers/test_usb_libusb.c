/* The libusb transport against emulated devices: libusb's real code, down to
 * its usbfs ioctls, talking to an echo model through umockdev (see
 * usb_umockdev.h). Run under tools/with-umockdev. */
#include "../support/test_support.h"
#include "drivers/driver_probes.h"

#include "drivers/usb.h"
#include "drivers/usb_libusb.h"
#include "drivers/usb_model.h"
#include "usb_umockdev.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* pid.codes' test identifiers: no real device answers to them. */
static const usb_id ECHO_ID = {.vendor = 0x1209, .product = 0x0001};
static const usb_id MISSING_ID = {.vendor = 0x1209, .product = 0x0002};
static const usb_id OTHER_ID = {.vendor = 0x1209, .product = 0x0003};

#define EP_BULK_IN       0x81
#define EP_BULK_OUT      0x02
#define EP_INTERRUPT_IN  0x83
#define ECHO_INTERFACE   0
#define STALL_ME         0xEE /* an OUT transfer starting with this stalls */
#define REQUEST_GET      0x01 /* vendor IN: the setting, two bytes */
#define REQUEST_SET      0x02 /* vendor OUT: wValue becomes the setting */
#define VENDOR_IN        0xC0
#define VENDOR_OUT       0x40
#define WAIT_MS          5000 /* generous bound for anything that should be quick */
#define LOCATION_SIZE    40
#define MAX_RECORDS      32
#define CONCURRENT_ROUND 100

/* ------------------------------------------------------------------------ */
/* The echo model: answers each bulk OUT with its bytes reversed on bulk IN;
 * reports on interrupt IN what the test gives it; keeps a 16-bit setting
 * that vendor control requests read and write. */

typedef struct echo_model {
    usb_model base;
    uint8_t reply[512];
    size_t reply_length;
    uint8_t event[64];
    size_t event_length;
    uint16_t setting;
} echo_model;

static kiosk_error echo_receive(usb_model *model, uint8_t endpoint, const uint8_t *data,
                                size_t length)
{
    echo_model *echo = (echo_model *)model;
    if (endpoint != EP_BULK_OUT || length > sizeof echo->reply ||
        (length > 0 && data[0] == STALL_ME))
        return KIOSK_ERR_IO;
    for (size_t i = 0; i < length; i++)
        echo->reply[i] = data[length - 1 - i];
    echo->reply_length = length;
    return KIOSK_OK;
}

static void take(uint8_t *queue, size_t *queued, uint8_t *out, size_t capacity, size_t *length)
{
    size_t n = *queued < capacity ? *queued : capacity;
    memcpy(out, queue, n);
    memmove(queue, queue + n, *queued - n);
    *queued -= n;
    *length = n;
}

static kiosk_error echo_send(usb_model *model, uint8_t endpoint, uint8_t *data, size_t capacity,
                             size_t *length)
{
    echo_model *echo = (echo_model *)model;
    *length = 0;
    if (endpoint == EP_BULK_IN)
        take(echo->reply, &echo->reply_length, data, capacity, length);
    else if (endpoint == EP_INTERRUPT_IN)
        take(echo->event, &echo->event_length, data, capacity, length);
    else
        return KIOSK_ERR_IO;
    return KIOSK_OK;
}

static kiosk_error echo_control(usb_model *model, uint8_t request_type, uint8_t request,
                                uint16_t value, uint16_t index, uint8_t *data, uint16_t length,
                                size_t *transferred)
{
    echo_model *echo = (echo_model *)model;
    (void)index;
    *transferred = 0;
    if (request_type == VENDOR_IN && request == REQUEST_GET && length >= 2) {
        data[0] = (uint8_t)(echo->setting & 0xff);
        data[1] = (uint8_t)(echo->setting >> 8);
        *transferred = 2;
        return KIOSK_OK;
    }
    if (request_type == VENDOR_OUT && request == REQUEST_SET) {
        echo->setting = value;
        return KIOSK_OK;
    }
    return KIOSK_ERR_UNSUPPORTED; /* stalls */
}

static void echo_destroy(usb_model *model)
{
    free(model);
}

static const usb_model_ops echo_ops = {
    .receive = echo_receive,
    .send = echo_send,
    .control = echo_control,
    .destroy = echo_destroy,
};

static usb_model *echo_new_with(usb_id id)
{
    echo_model *echo = calloc(1, sizeof *echo);
    echo->base = (usb_model){.ops = &echo_ops,
                             .id = id,
                             .interface = ECHO_INTERFACE,
                             .interface_class = 0xff,
                             .endpoint_in = EP_BULK_IN,
                             .endpoint_out = EP_BULK_OUT,
                             .endpoint_interrupt_in = EP_INTERRUPT_IN};
    return &echo->base;
}

static usb_model *echo_new(void)
{
    return echo_new_with(ECHO_ID);
}

typedef struct bytes {
    const uint8_t *data;
    size_t length;
} bytes;

static void give_event(usb_model *model, void *context)
{
    echo_model *echo = (echo_model *)model;
    const bytes *event = context;
    memcpy(echo->event, event->data, event->length);
    echo->event_length = event->length;
}

static void read_setting(usb_model *model, void *context)
{
    *(uint16_t *)context = ((echo_model *)model)->setting;
}

/* ------------------------------------------------------------------------ */
/* Hotplug reports, as a watcher records them                               */

typedef struct record {
    usb_hotplug_event event;
    usb_id id;
    char location[LOCATION_SIZE];
} record;

typedef struct recorder {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    record records[MAX_RECORDS];
    size_t count;
} recorder;

static void on_hotplug(void *context, usb_hotplug_event event, usb_id id, const char *location)
{
    recorder *r = context;
    pthread_mutex_lock(&r->lock);
    if (r->count < MAX_RECORDS) {
        record *at = &r->records[r->count++];
        at->event = event;
        at->id = id;
        snprintf(at->location, sizeof at->location, "%s", location);
    }
    pthread_cond_broadcast(&r->changed);
    pthread_mutex_unlock(&r->lock);
}

static struct timespec deadline_in(unsigned ms)
{
    struct timespec when;
    clock_gettime(CLOCK_MONOTONIC, &when);
    when.tv_sec += (time_t)(ms / 1000u);
    when.tv_nsec += (long)(ms % 1000u) * 1000000L;
    if (when.tv_nsec >= 1000000000L) {
        when.tv_sec++;
        when.tv_nsec -= 1000000000L;
    }
    return when;
}

static double now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1e3 + (double)now.tv_nsec / 1e6;
}

/* Waits for the report at index (0 is the first) and checks it; a NULL
 * location is not checked. */
static void expect_record(recorder *r, size_t index, usb_hotplug_event event, usb_id id,
                          const char *location)
{
    struct timespec deadline = deadline_in(WAIT_MS);
    pthread_mutex_lock(&r->lock);
    while (r->count <= index &&
           pthread_cond_timedwait(&r->changed, &r->lock, &deadline) != ETIMEDOUT)
        ;
    bool arrived = r->count > index;
    record got = arrived ? r->records[index] : (record){0};
    pthread_mutex_unlock(&r->lock);
    if (!arrived)
        fail_msg("no hotplug report #%zu within %d ms", index, WAIT_MS);
    assert_int_equal(got.event, event);
    assert_int_equal(got.id.vendor, id.vendor);
    assert_int_equal(got.id.product, id.product);
    if (location)
        assert_string_equal(got.location, location);
}

static size_t record_count(recorder *r)
{
    pthread_mutex_lock(&r->lock);
    size_t count = r->count;
    pthread_mutex_unlock(&r->lock);
    return count;
}

/* ------------------------------------------------------------------------ */
/* Fixture: a testbed with one echo device at port 1, and a libusb bus      */

typedef struct fixture {
    UMockdevTestbed *testbed;
    usb_umockdev *devices[3];
    usb_bus *bus;
    recorder hotplug;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    pthread_mutex_init(&f->hotplug.lock, NULL);
    pthread_condattr_t attributes;
    pthread_condattr_init(&attributes);
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
    pthread_cond_init(&f->hotplug.changed, &attributes);
    pthread_condattr_destroy(&attributes);
    /* The testbed comes first: libusb must find its /sys and /dev. */
    f->testbed = umockdev_testbed_new();
    /* Only true under umockdev-wrapper, and only once a testbed exists. */
    if (!umockdev_in_mock_environment()) {
        fprintf(stderr, "these tests need umockdev: run them with tools/with-umockdev\n");
        return -1;
    }
    f->devices[0] = usb_umockdev_add(f->testbed, echo_new(), 1);
    if (!f->devices[0] || usb_libusb_create(&f->bus) != KIOSK_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    usb_bus_destroy(f->bus);
    for (size_t i = 0; i < sizeof f->devices / sizeof f->devices[0]; i++)
        usb_umockdev_remove(f->devices[i]);
    g_object_unref(f->testbed);
    pthread_cond_destroy(&f->hotplug.changed);
    pthread_mutex_destroy(&f->hotplug.lock);
    free(f);
    return 0;
}

static usb_device *open_echo(usb_bus *bus)
{
    usb_device *device = NULL;
    assert_int_equal(usb_open(bus, ECHO_ID, ECHO_INTERFACE, &device), KIOSK_OK);
    assert_non_null(device);
    return device;
}

/* Sends message on bulk OUT and expects it back reversed on bulk IN. */
static void expect_echo(usb_device *device, const uint8_t *message, size_t length)
{
    uint8_t buffer[512];
    size_t moved = 0;
    memcpy(buffer, message, length);
    assert_int_equal(usb_transfer(device, EP_BULK_OUT, buffer, length, &moved, 1000), KIOSK_OK);
    assert_int_equal(moved, length);
    memset(buffer, 0, sizeof buffer);
    assert_int_equal(usb_transfer(device, EP_BULK_IN, buffer, sizeof buffer, &moved, 1000),
                     KIOSK_OK);
    assert_int_equal(moved, length);
    for (size_t i = 0; i < length; i++)
        assert_int_equal(buffer[i], message[length - 1 - i]);
}

/* A transfer run on a thread of its own, as a device worker would. */
typedef struct pending_transfer {
    usb_device *device;
    uint8_t endpoint;
    unsigned timeout_ms;
    uint8_t buffer[64];
    size_t moved;
    kiosk_error result;
    bool done;
    pthread_mutex_t lock;
    pthread_cond_t finished;
    pthread_t thread;
} pending_transfer;

static void *run_pending(void *arg)
{
    pending_transfer *p = arg;
    kiosk_error result =
        usb_transfer(p->device, p->endpoint, p->buffer, sizeof p->buffer, &p->moved, p->timeout_ms);
    pthread_mutex_lock(&p->lock);
    p->result = result;
    p->done = true;
    pthread_cond_broadcast(&p->finished);
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static void start_pending(pending_transfer *p, usb_device *device, uint8_t endpoint,
                          unsigned timeout_ms)
{
    memset(p, 0, sizeof *p);
    p->device = device;
    p->endpoint = endpoint;
    p->timeout_ms = timeout_ms;
    pthread_mutex_init(&p->lock, NULL);
    pthread_condattr_t attributes;
    pthread_condattr_init(&attributes);
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
    pthread_cond_init(&p->finished, &attributes);
    pthread_condattr_destroy(&attributes);
    assert_int_equal(pthread_create(&p->thread, NULL, run_pending, p), 0);
}

/* Waits up to timeout_ms for the transfer to end; its result, or
 * KIOSK_ERR_TIMEOUT reported as a test failure. */
static kiosk_error finish_pending(pending_transfer *p, unsigned timeout_ms)
{
    struct timespec deadline = deadline_in(timeout_ms);
    pthread_mutex_lock(&p->lock);
    while (!p->done && pthread_cond_timedwait(&p->finished, &p->lock, &deadline) != ETIMEDOUT)
        ;
    bool done = p->done;
    pthread_mutex_unlock(&p->lock);
    if (!done)
        fail_msg("the transfer did not end within %u ms", timeout_ms);
    pthread_join(p->thread, NULL);
    pthread_cond_destroy(&p->finished);
    pthread_mutex_destroy(&p->lock);
    return p->result;
}

/* ------------------------------------------------------------------------ */
/* Opening                                                                  */

static void test_opens_a_device_by_id_and_finds_no_missing_one(void **state)
{
    fixture *f = *state;
    usb_device *device = open_echo(f->bus);
    assert_ptr_equal(device->bus, f->bus);
    assert_int_equal(device->id.vendor, ECHO_ID.vendor);
    assert_int_equal(device->id.product, ECHO_ID.product);
    assert_string_equal(f->bus->ops->name, "libusb");

    usb_device *missing = NULL;
    assert_int_equal(usb_open(f->bus, MISSING_ID, ECHO_INTERFACE, &missing), KIOSK_ERR_NOT_FOUND);
    assert_null(missing);
    usb_close(device);
}

static void test_an_open_device_is_busy_to_this_bus_and_to_others(void **state)
{
    fixture *f = *state;
    usb_device *device = open_echo(f->bus);
    usb_device *again = NULL;
    /* The only echo device is open here already. */
    assert_int_equal(usb_open(f->bus, ECHO_ID, ECHO_INTERFACE, &again), KIOSK_ERR_BUSY);
    assert_null(again);

    /* Another bus (another process, in effect) finds its interface claimed. */
    usb_bus *other = NULL;
    assert_int_equal(usb_libusb_create(&other), KIOSK_OK);
    assert_int_equal(usb_open(other, ECHO_ID, ECHO_INTERFACE, &again), KIOSK_ERR_BUSY);

    /* Closed here, it can be had there. */
    usb_close(device);
    assert_int_equal(usb_open(other, ECHO_ID, ECHO_INTERFACE, &again), KIOSK_OK);
    expect_echo(again, (const uint8_t *)"other", 5);
    usb_close(again);
    usb_bus_destroy(other);
}

/* ------------------------------------------------------------------------ */
/* Transfers                                                                */

static void test_bulk_out_is_echoed_on_bulk_in(void **state)
{
    fixture *f = *state;
    usb_device *device = open_echo(f->bus);
    expect_echo(device, (const uint8_t *)"hello", 5);
    uint8_t large[300];
    for (size_t i = 0; i < sizeof large; i++)
        large[i] = (uint8_t)i;
    expect_echo(device, large, sizeof large);

    /* Asking for fewer bytes than the device has takes what fits, then the rest. */
    uint8_t buffer[8];
    size_t moved = 0;
    memcpy(buffer, "abcdef", 6);
    assert_int_equal(usb_transfer(device, EP_BULK_OUT, buffer, 6, &moved, 1000), KIOSK_OK);
    assert_int_equal(usb_transfer(device, EP_BULK_IN, buffer, 4, &moved, 1000), KIOSK_OK);
    assert_int_equal(moved, 4);
    assert_memory_equal(buffer, "fedc", 4);
    assert_int_equal(usb_transfer(device, EP_BULK_IN, buffer, sizeof buffer, &moved, 1000),
                     KIOSK_OK);
    assert_int_equal(moved, 2);
    assert_memory_equal(buffer, "ba", 2);
    usb_close(device);
}

static void test_a_stall_and_an_unknown_endpoint_are_errors(void **state)
{
    fixture *f = *state;
    usb_device *device = open_echo(f->bus);
    uint8_t buffer[4] = {STALL_ME, 1, 2, 3};
    size_t moved = 99;
    assert_int_equal(usb_transfer(device, EP_BULK_OUT, buffer, sizeof buffer, &moved, 1000),
                     KIOSK_ERR_IO);
    assert_int_equal(moved, 0);
    assert_int_equal(usb_transfer(device, 0x85, buffer, sizeof buffer, &moved, 1000),
                     KIOSK_ERR_INVALID_ARGUMENT);
    /* A stall is not the end of the device. */
    expect_echo(device, (const uint8_t *)"still here", 10);
    usb_close(device);
}

static void test_interrupt_in_waits_for_what_the_device_reports(void **state)
{
    fixture *f = *state;
    usb_device *device = open_echo(f->bus);
    pending_transfer p;
    start_pending(&p, device, EP_INTERRUPT_IN, WAIT_MS);
    /* In flight, with nothing to say yet... */
    assert_true(usb_umockdev_wait_pending_in(f->devices[0], 1, WAIT_MS));
    static const uint8_t report[] = {0x01, 0x02, 0x03};
    bytes event = {report, sizeof report};
    usb_umockdev_with_model(f->devices[0], give_event, &event);
    /* ...until the device has something. */
    assert_int_equal(finish_pending(&p, WAIT_MS), KIOSK_OK);
    assert_int_equal(p.moved, sizeof report);
    assert_memory_equal(p.buffer, report, sizeof report);
    usb_close(device);
}

static void test_control_transfers_read_write_and_stall(void **state)
{
    fixture *f = *state;
    usb_device *device = open_echo(f->bus);
    size_t moved = 0;
    assert_int_equal(usb_control(device, VENDOR_OUT, REQUEST_SET, 0x1234, 0, NULL, 0, &moved, 1000),
                     KIOSK_OK);
    assert_int_equal(moved, 0);
    uint16_t setting = 0;
    usb_umockdev_with_model(f->devices[0], read_setting, &setting);
    assert_int_equal(setting, 0x1234);

    uint8_t data[8] = {0};
    assert_int_equal(
        usb_control(device, VENDOR_IN, REQUEST_GET, 0, 0, data, sizeof data, &moved, 1000),
        KIOSK_OK);
    assert_int_equal(moved, 2);
    assert_int_equal(data[0], 0x34);
    assert_int_equal(data[1], 0x12);

    assert_int_equal(usb_control(device, VENDOR_IN, 0x7f, 0, 0, data, sizeof data, &moved, 1000),
                     KIOSK_ERR_IO);
    usb_close(device);
}

static void test_an_in_transfer_with_nothing_to_read_times_out(void **state)
{
    fixture *f = *state;
    usb_device *device = open_echo(f->bus);
    uint8_t buffer[16];
    size_t moved = 99;
    double start = now_ms();
    assert_int_equal(usb_transfer(device, EP_BULK_IN, buffer, sizeof buffer, &moved, 200),
                     KIOSK_ERR_TIMEOUT);
    double elapsed = now_ms() - start;
    assert_int_equal(moved, 0);
    assert_true(elapsed >= 190);
    assert_true(elapsed < 1500);
    /* The cancelled URB is gone: the next exchange is not disturbed. */
    expect_echo(device, (const uint8_t *)"after", 5);
    usb_close(device);
}

/* ------------------------------------------------------------------------ */
/* Hotplug                                                                  */

static void test_watch_reports_attached_devices_first_then_arrivals(void **state)
{
    fixture *f = *state;
    assert_int_equal(usb_watch(f->bus, on_hotplug, &f->hotplug), KIOSK_OK);
    expect_record(&f->hotplug, 0, USB_ARRIVED, ECHO_ID, "1-1");
    assert_int_equal(usb_watch(f->bus, on_hotplug, &f->hotplug), KIOSK_ERR_INVALID_ARGUMENT);

    f->devices[1] = usb_umockdev_add(f->testbed, echo_new(), 4);
    assert_non_null(f->devices[1]);
    expect_record(&f->hotplug, 1, USB_ARRIVED, ECHO_ID, "1-4");
    assert_int_equal(record_count(&f->hotplug), 2);

    /* Stopped: what happens next is not reported (the device manager frees
     * what the callback points at). Absence needs a while to show. */
    assert_int_equal(usb_watch(f->bus, NULL, NULL), KIOSK_OK);
    usb_umockdev_unplug(f->devices[1]);
    struct timespec settle = {0, 300 * 1000000L};
    nanosleep(&settle, NULL);
    assert_int_equal(record_count(&f->hotplug), 2);
    assert_int_equal(usb_watch(f->bus, on_hotplug, &f->hotplug), KIOSK_ERR_UNSUPPORTED);
}

static void test_unplugging_fails_a_pending_transfer_at_once(void **state)
{
    fixture *f = *state;
    assert_int_equal(usb_watch(f->bus, on_hotplug, &f->hotplug), KIOSK_OK);
    expect_record(&f->hotplug, 0, USB_ARRIVED, ECHO_ID, "1-1");
    usb_device *device = open_echo(f->bus);

    pending_transfer p;
    start_pending(&p, device, EP_BULK_IN, 30000);
    assert_true(usb_umockdev_wait_pending_in(f->devices[0], 1, WAIT_MS));
    double start = now_ms();
    usb_umockdev_unplug(f->devices[0]);
    assert_int_equal(finish_pending(&p, WAIT_MS), KIOSK_ERR_NO_DEVICE);
    assert_true(now_ms() - start < 2000); /* not its 30 s time-out */
    expect_record(&f->hotplug, 1, USB_LEFT, ECHO_ID, "1-1");

    /* Every later transfer fails the same way, without waiting. */
    uint8_t buffer[4] = {1, 2, 3, 4};
    size_t moved = 0;
    start = now_ms();
    assert_int_equal(usb_transfer(device, EP_BULK_OUT, buffer, sizeof buffer, &moved, 5000),
                     KIOSK_ERR_NO_DEVICE);
    assert_int_equal(usb_control(device, VENDOR_OUT, REQUEST_SET, 1, 0, NULL, 0, &moved, 5000),
                     KIOSK_ERR_NO_DEVICE);
    assert_true(now_ms() - start < 1000);
    usb_close(device);
    assert_int_equal(usb_open(f->bus, ECHO_ID, ECHO_INTERFACE, &device), KIOSK_ERR_NOT_FOUND);
}

static void test_a_replugged_device_arrives_again_and_reopens(void **state)
{
    fixture *f = *state;
    assert_int_equal(usb_watch(f->bus, on_hotplug, &f->hotplug), KIOSK_OK);
    expect_record(&f->hotplug, 0, USB_ARRIVED, ECHO_ID, "1-1");
    usb_device *device = open_echo(f->bus);
    expect_echo(device, (const uint8_t *)"before", 6);

    usb_umockdev_unplug(f->devices[0]);
    expect_record(&f->hotplug, 1, USB_LEFT, ECHO_ID, "1-1");
    usb_umockdev_replug(f->devices[0]);
    expect_record(&f->hotplug, 2, USB_ARRIVED, ECHO_ID, "1-1");

    /* The old handle stays dead; the driver closes it and opens afresh. */
    uint8_t buffer[4];
    size_t moved = 0;
    assert_int_equal(usb_transfer(device, EP_BULK_IN, buffer, sizeof buffer, &moved, 1000),
                     KIOSK_ERR_NO_DEVICE);
    usb_close(device);
    device = open_echo(f->bus);
    expect_echo(device, (const uint8_t *)"after", 5);
    usb_close(device);
}

static void test_polling_reports_arrivals_and_departures(void **state)
{
    fixture *f = *state;
    usb_bus *polling = NULL;
    assert_int_equal(usb_libusb_create_polling(5, &polling), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(usb_libusb_create_polling(20, &polling), KIOSK_OK);
    assert_int_equal(usb_watch(polling, on_hotplug, &f->hotplug), KIOSK_OK);
    /* Reported before watch returns, on the bus's thread. */
    assert_int_equal(record_count(&f->hotplug), 1);
    expect_record(&f->hotplug, 0, USB_ARRIVED, ECHO_ID, "1-1");

    f->devices[1] = usb_umockdev_add(f->testbed, echo_new_with(OTHER_ID), 2);
    expect_record(&f->hotplug, 1, USB_ARRIVED, OTHER_ID, "1-2");
    usb_device *device = open_echo(polling);
    usb_umockdev_unplug(f->devices[0]);
    expect_record(&f->hotplug, 2, USB_LEFT, ECHO_ID, "1-1");
    uint8_t buffer[4] = {'p', 'o', 'l', 'l'};
    size_t moved = 0;
    assert_int_equal(usb_transfer(device, EP_BULK_OUT, buffer, sizeof buffer, &moved, 1000),
                     KIOSK_ERR_NO_DEVICE);
    assert_int_equal(record_count(&f->hotplug), 3);
    usb_close(device);
    usb_bus_destroy(polling);
}

/* ------------------------------------------------------------------------ */
/* Two workers at once                                                      */

typedef struct worker {
    usb_device *device;
    uint8_t tag;
    int failures;
    pthread_t thread;
} worker;

static void *run_worker(void *arg)
{
    worker *w = arg;
    for (unsigned round = 0; round < CONCURRENT_ROUND; round++) {
        uint8_t message[24];
        for (size_t i = 0; i < sizeof message; i++)
            message[i] = (uint8_t)(w->tag + round + i);
        uint8_t buffer[64];
        size_t moved = 0;
        memcpy(buffer, message, sizeof message);
        if (usb_transfer(w->device, EP_BULK_OUT, buffer, sizeof message, &moved, 2000) !=
                KIOSK_OK ||
            usb_transfer(w->device, EP_BULK_IN, buffer, sizeof buffer, &moved, 2000) != KIOSK_OK ||
            moved != sizeof message) {
            w->failures++;
            continue;
        }
        for (size_t i = 0; i < sizeof message; i++) {
            if (buffer[i] != message[sizeof message - 1 - i]) {
                w->failures++;
                break;
            }
        }
    }
    return NULL;
}

static void test_two_workers_use_two_identical_devices_at_once(void **state)
{
    fixture *f = *state;
    f->devices[1] = usb_umockdev_add(f->testbed, echo_new(), 2);
    assert_int_equal(usb_watch(f->bus, on_hotplug, &f->hotplug), KIOSK_OK);
    /* Both reported, told apart by their ports, in no set order. */
    expect_record(&f->hotplug, 1, USB_ARRIVED, ECHO_ID, NULL);
    pthread_mutex_lock(&f->hotplug.lock);
    bool first_is_port_1 = strcmp(f->hotplug.records[0].location, "1-1") == 0;
    pthread_mutex_unlock(&f->hotplug.lock);
    expect_record(&f->hotplug, 0, USB_ARRIVED, ECHO_ID, first_is_port_1 ? "1-1" : "1-2");
    expect_record(&f->hotplug, 1, USB_ARRIVED, ECHO_ID, first_is_port_1 ? "1-2" : "1-1");

    /* Two devices with one id: each open takes the next one. */
    worker workers[2] = {{.tag = 0x10}, {.tag = 0x80}};
    workers[0].device = open_echo(f->bus);
    workers[1].device = open_echo(f->bus);
    assert_ptr_not_equal(workers[0].device, workers[1].device);
    usb_device *third = NULL;
    assert_int_equal(usb_open(f->bus, ECHO_ID, ECHO_INTERFACE, &third), KIOSK_ERR_BUSY);

    for (size_t i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&workers[i].thread, NULL, run_worker, &workers[i]), 0);
    for (size_t i = 0; i < 2; i++) {
        pthread_join(workers[i].thread, NULL);
        assert_int_equal(workers[i].failures, 0);
        usb_close(workers[i].device);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_opens_a_device_by_id_and_finds_no_missing_one, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_an_open_device_is_busy_to_this_bus_and_to_others,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_out_is_echoed_on_bulk_in, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_stall_and_an_unknown_endpoint_are_errors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_interrupt_in_waits_for_what_the_device_reports, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_control_transfers_read_write_and_stall, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_an_in_transfer_with_nothing_to_read_times_out, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_watch_reports_attached_devices_first_then_arrivals,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_unplugging_fails_a_pending_transfer_at_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_replugged_device_arrives_again_and_reopens, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_polling_reports_arrivals_and_departures, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_two_workers_use_two_identical_devices_at_once, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
