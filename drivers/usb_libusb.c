/* The libusb bus: the USB transport on the board.
 *
 * Each bus has its own libusb context and one thread of its own that runs
 * libusb's event handling, so every transfer completion, time-out and hotplug
 * callback happens on that thread. Transfers use the asynchronous API:
 * usb_transfer() and usb_control() submit one and block the calling thread (a
 * device worker) on a condition variable until the transfer's callback has
 * run. With a single event handler per bus, workers of different devices never
 * take turns at handling each other's events, and a transfer can always be
 * cancelled and then waited for: it is never freed while libusb still holds
 * it. */
#include "drivers/usb.h"
#include "drivers/driver_probes.h"
#include "drivers/usb_libusb.h"
#include "firmware/base/log.h"
#include "firmware/base/monotonic.h"

#include <libusb.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MODULE "usb"

/* "bus-port.port...": a bus number and up to 7 ports (USB's hub depth), each
 * at most three digits. */
#define LOCATION_SIZE 40
#define MAX_PORTS     7

#define DEFAULT_POLL_MS 1000u
#define MIN_POLL_MS     10u

/* libusb's own time-out ends a transfer; this much later the waiting worker
 * cancels it itself, which only matters if the event thread has stalled. */
#define BACKSTOP_MS 2000u

typedef struct libusb_bus libusb_bus;

/* A transfer in flight, on the stack of the worker waiting for it. */
typedef struct waiter {
    struct libusb_transfer *transfer;
    pthread_mutex_t *lock; /* the device's */
    pthread_cond_t done_cond;
    bool done;
    struct waiter *next;
} waiter;

typedef struct lu_device {
    usb_device base;
    libusb_bus *owner;
    libusb_device *dev;           /* referenced while the device is open */
    libusb_device_handle *handle; /* NULL while being opened */
    int interface;
    char location[LOCATION_SIZE];
    /* LIBUSB_TRANSFER_TYPE_* + 1 for each endpoint of the interface, 0 for
     * none; indexed by endpoint number, IN endpoints from 16. */
    uint8_t endpoint_types[32];
    pthread_mutex_t lock; /* guards gone and in_flight */
    bool gone;
    waiter *in_flight;
    struct lu_device *next;
} lu_device;

/* A device as the polling fallback last saw it. */
typedef struct seen_device {
    uint8_t bus_number;
    uint8_t address;
    usb_id id;
    char location[LOCATION_SIZE];
} seen_device;

struct libusb_bus {
    usb_bus base;
    libusb_context *ctx;
    pthread_t thread;

    pthread_mutex_t lock; /* guards the fields up to the event thread's own */
    pthread_cond_t changed;
    bool stopping;
    lu_device *devices; /* open, or being opened */
    usb_hotplug_fn callback;
    void *context;
    bool watch_requested;
    bool watch_done;
    kiosk_error watch_result;

    /* The event thread's own (read by destroy after joining it). */
    bool use_hotplug;
    unsigned poll_interval_ms;
    bool polling;
    uint64_t next_poll_ms;
    seen_device *seen;
    size_t seen_count;
    bool hotplug_registered;
    int reporting; /* hotplug callbacks running now */
    libusb_hotplug_callback_handle hotplug_handle;
};

static unsigned endpoint_index(uint8_t endpoint)
{
    return (endpoint & 0x0fu) | ((endpoint & USB_ENDPOINT_IN) ? 16u : 0u);
}

/* "1-1.4": the bus, then the port on each hub from the root down; "usb1" for
 * a root hub, which has no port. */
static void describe_location(libusb_device *dev, char *out, size_t size)
{
    uint8_t ports[MAX_PORTS];
    int count = libusb_get_port_numbers(dev, ports, MAX_PORTS);
    unsigned bus_number = libusb_get_bus_number(dev);
    if (count <= 0) {
        snprintf(out, size, "usb%u", bus_number);
        return;
    }
    int used = snprintf(out, size, "%u-%u", bus_number, ports[0]);
    for (int i = 1; i < count && used > 0 && (size_t)used < size; i++)
        used += snprintf(out + used, size - (size_t)used, ".%u", ports[i]);
}

static bool same_device(libusb_device *a, libusb_device *b)
{
    return libusb_get_bus_number(a) == libusb_get_bus_number(b) &&
           libusb_get_device_address(a) == libusb_get_device_address(b);
}

/* ------------------------------------------------------------------------ */
/* Transfers                                                                */

static void LIBUSB_CALL on_transfer_done(struct libusb_transfer *transfer)
{
    waiter *w = transfer->user_data;
    pthread_mutex_lock(w->lock);
    w->done = true;
    pthread_cond_signal(&w->done_cond);
    pthread_mutex_unlock(w->lock);
    /* The worker may free the transfer from here on: nothing touches it. */
}

static void unlink_waiter(lu_device *d, waiter *w)
{
    for (waiter **at = &d->in_flight; *at; at = &(*at)->next) {
        if (*at == w) {
            *at = w->next;
            return;
        }
    }
}

/* With the device's lock held. Cancelling only asks libusb to end the
 * transfers; each still completes through its callback (as CANCELLED), and
 * its worker, finding the device gone, reports NO_DEVICE. */
static void cancel_in_flight_locked(lu_device *d)
{
    for (waiter *w = d->in_flight; w; w = w->next) {
        if (!w->done)
            libusb_cancel_transfer(w->transfer);
    }
}

static void mark_gone_locked(lu_device *d)
{
    if (d->gone)
        return;
    d->gone = true;
    LOG_INFO(MODULE, "%04x:%04x at %s went away", d->base.id.vendor, d->base.id.product,
             d->location);
}

static kiosk_error from_submit_error(int r)
{
    switch (r) {
    case LIBUSB_ERROR_NO_DEVICE:
        return KIOSK_ERR_NO_DEVICE;
    case LIBUSB_ERROR_NO_MEM:
        return KIOSK_ERR_NO_MEMORY;
    case LIBUSB_ERROR_INVALID_PARAM:
        return KIOSK_ERR_INVALID_ARGUMENT;
    case LIBUSB_ERROR_BUSY: /* the same transfer submitted twice: ours to fix */
        return KIOSK_ERR_INTERNAL;
    default:
        return KIOSK_ERR_IO;
    }
}

/* Submits the filled transfer and waits for its callback. KIOSK_OK means it
 * completed in some way: its status says how. *cancelled tells whether this
 * side cancelled it (a stalled event thread, or the device leaving). */
static kiosk_error run_transfer(lu_device *d, struct libusb_transfer *transfer, unsigned timeout_ms,
                                bool *cancelled)
{
    waiter w = {.transfer = transfer, .lock = &d->lock, .done = false};
    monotonic_cond_init(&w.done_cond);
    transfer->user_data = &w;
    transfer->callback = on_transfer_done;
    transfer->timeout = timeout_ms;
    *cancelled = false;

    /* Registered before submitting, so that a departure noticed meanwhile
     * finds it; checked again after, for a departure noticed in between. */
    pthread_mutex_lock(&d->lock);
    if (d->gone) {
        pthread_mutex_unlock(&d->lock);
        pthread_cond_destroy(&w.done_cond);
        return KIOSK_ERR_NO_DEVICE;
    }
    w.next = d->in_flight;
    d->in_flight = &w;
    pthread_mutex_unlock(&d->lock);

    int r = libusb_submit_transfer(transfer);

    pthread_mutex_lock(&d->lock);
    if (r != 0) {
        unlink_waiter(d, &w);
        if (r == LIBUSB_ERROR_NO_DEVICE)
            mark_gone_locked(d);
        pthread_mutex_unlock(&d->lock);
        pthread_cond_destroy(&w.done_cond);
        if (r != LIBUSB_ERROR_NO_DEVICE)
            LOG_WARN(MODULE, "%04x:%04x: submitting a transfer failed: %s", d->base.id.vendor,
                     d->base.id.product, libusb_error_name(r));
        return from_submit_error(r);
    }
    if (d->gone) {
        libusb_cancel_transfer(transfer);
        *cancelled = true;
    }
    struct timespec backstop = monotonic_deadline_ms((uint64_t)timeout_ms + BACKSTOP_MS);
    while (!w.done) {
        if (timeout_ms == 0 || *cancelled) {
            pthread_cond_wait(&w.done_cond, &d->lock);
            continue;
        }
        if (pthread_cond_timedwait(&w.done_cond, &d->lock, &backstop) == ETIMEDOUT && !w.done) {
            LOG_WARN(MODULE, "%04x:%04x: transfer outlived its %u ms time-out; cancelling",
                     d->base.id.vendor, d->base.id.product, timeout_ms);
            libusb_cancel_transfer(transfer);
            *cancelled = true;
        }
    }
    unlink_waiter(d, &w);
    pthread_mutex_unlock(&d->lock);
    pthread_cond_destroy(&w.done_cond);
    return KIOSK_OK;
}

/* What a completed transfer's status means to the driver. */
static kiosk_error transfer_result(lu_device *d, const struct libusb_transfer *transfer,
                                   bool cancelled)
{
    switch (transfer->status) {
    case LIBUSB_TRANSFER_COMPLETED:
        return KIOSK_OK;
    case LIBUSB_TRANSFER_TIMED_OUT:
        return KIOSK_ERR_TIMEOUT;
    case LIBUSB_TRANSFER_NO_DEVICE:
        pthread_mutex_lock(&d->lock);
        mark_gone_locked(d);
        pthread_mutex_unlock(&d->lock);
        return KIOSK_ERR_NO_DEVICE;
    case LIBUSB_TRANSFER_CANCELLED: {
        pthread_mutex_lock(&d->lock);
        bool gone = d->gone;
        pthread_mutex_unlock(&d->lock);
        if (gone)
            return KIOSK_ERR_NO_DEVICE;
        if (cancelled)
            return KIOSK_ERR_TIMEOUT;
        break;
    }
    case LIBUSB_TRANSFER_STALL:
        LOG_WARN(MODULE, "%04x:%04x: endpoint 0x%02x stalled", d->base.id.vendor,
                 d->base.id.product, transfer->endpoint);
        return KIOSK_ERR_IO;
    case LIBUSB_TRANSFER_OVERFLOW:
        LOG_WARN(MODULE, "%04x:%04x: endpoint 0x%02x sent more than asked for", d->base.id.vendor,
                 d->base.id.product, transfer->endpoint);
        return KIOSK_ERR_IO;
    default:
        break;
    }
    LOG_WARN(MODULE, "%04x:%04x: transfer on endpoint 0x%02x failed (status %d)", d->base.id.vendor,
             d->base.id.product, transfer->endpoint, (int)transfer->status);
    return KIOSK_ERR_IO;
}

static kiosk_error device_transfer(usb_device *base, uint8_t endpoint, uint8_t *data, size_t length,
                                   size_t *transferred, unsigned timeout_ms)
{
    lu_device *d = (lu_device *)base;
    if (transferred)
        *transferred = 0;
    if ((!data && length > 0) || length > INT_MAX)
        return length > INT_MAX ? KIOSK_ERR_TOO_BIG : KIOSK_ERR_INVALID_ARGUMENT;
    uint8_t type = d->endpoint_types[endpoint_index(endpoint)];
    if (type != LIBUSB_TRANSFER_TYPE_BULK + 1 && type != LIBUSB_TRANSFER_TYPE_INTERRUPT + 1) {
        LOG_WARN(MODULE, "%04x:%04x: interface %d has no bulk or interrupt endpoint 0x%02x",
                 d->base.id.vendor, d->base.id.product, d->interface, endpoint);
        return KIOSK_ERR_INVALID_ARGUMENT;
    }

    struct libusb_transfer *transfer = libusb_alloc_transfer(0);
    if (!transfer)
        return KIOSK_ERR_NO_MEMORY;
    if (type == LIBUSB_TRANSFER_TYPE_INTERRUPT + 1)
        libusb_fill_interrupt_transfer(transfer, d->handle, endpoint, data, (int)length, NULL, NULL,
                                       timeout_ms);
    else
        libusb_fill_bulk_transfer(transfer, d->handle, endpoint, data, (int)length, NULL, NULL,
                                  timeout_ms);
    bool cancelled;
    kiosk_error result = run_transfer(d, transfer, timeout_ms, &cancelled);
    if (result == KIOSK_OK) {
        if (transferred)
            *transferred = (size_t)transfer->actual_length;
        result = transfer_result(d, transfer, cancelled);
    }
    libusb_free_transfer(transfer);
    return result;
}

static kiosk_error device_control(usb_device *base, uint8_t request_type, uint8_t request,
                                  uint16_t value, uint16_t index, uint8_t *data, uint16_t length,
                                  size_t *transferred, unsigned timeout_ms)
{
    lu_device *d = (lu_device *)base;
    if (transferred)
        *transferred = 0;
    if (!data && length > 0)
        return KIOSK_ERR_INVALID_ARGUMENT;
    bool in = (request_type & LIBUSB_ENDPOINT_IN) != 0;

    /* libusb wants the setup packet and the data stage in one buffer. */
    unsigned char *buffer = malloc(LIBUSB_CONTROL_SETUP_SIZE + (size_t)length);
    struct libusb_transfer *transfer = buffer ? libusb_alloc_transfer(0) : NULL;
    if (!transfer) {
        free(buffer);
        return KIOSK_ERR_NO_MEMORY;
    }
    libusb_fill_control_setup(buffer, request_type, request, value, index, length);
    if (!in && length > 0)
        memcpy(buffer + LIBUSB_CONTROL_SETUP_SIZE, data, length);
    libusb_fill_control_transfer(transfer, d->handle, buffer, NULL, NULL, timeout_ms);

    bool cancelled;
    kiosk_error result = run_transfer(d, transfer, timeout_ms, &cancelled);
    if (result == KIOSK_OK) {
        size_t moved = (size_t)transfer->actual_length;
        if (moved > length)
            moved = length;
        if (in && moved > 0)
            memcpy(data, libusb_control_transfer_get_data(transfer), moved);
        if (transferred)
            *transferred = moved;
        result = transfer_result(d, transfer, cancelled);
    }
    libusb_free_transfer(transfer);
    free(buffer);
    return result;
}

/* ------------------------------------------------------------------------ */
/* Opening and closing                                                      */

static void free_device(lu_device *d)
{
    libusb_unref_device(d->dev);
    pthread_mutex_destroy(&d->lock);
    free(d);
}

/* Claims dev for an open by this bus: NULL (and *already_open) when the bus
 * already has it open. */
static lu_device *reserve(libusb_bus *bus, libusb_device *dev, usb_id id, int interface,
                          bool *already_open)
{
    *already_open = false;
    pthread_mutex_lock(&bus->lock);
    for (lu_device *d = bus->devices; d; d = d->next) {
        if (same_device(d->dev, dev)) {
            pthread_mutex_unlock(&bus->lock);
            *already_open = true;
            return NULL;
        }
    }
    lu_device *d = calloc(1, sizeof *d);
    if (d) {
        d->base.bus = &bus->base;
        d->base.id = id;
        d->owner = bus;
        d->dev = libusb_ref_device(dev);
        d->interface = interface;
        pthread_mutex_init(&d->lock, NULL);
        describe_location(dev, d->location, sizeof d->location);
        d->next = bus->devices;
        bus->devices = d;
    }
    pthread_mutex_unlock(&bus->lock);
    return d;
}

static void unlink_device(libusb_bus *bus, lu_device *d)
{
    pthread_mutex_lock(&bus->lock);
    for (lu_device **at = &bus->devices; *at; at = &(*at)->next) {
        if (*at == d) {
            *at = d->next;
            break;
        }
    }
    pthread_mutex_unlock(&bus->lock);
}

static void learn_endpoints(lu_device *d)
{
    struct libusb_config_descriptor *config = NULL;
    if (libusb_get_active_config_descriptor(d->dev, &config) != 0)
        return;
    for (int i = 0; i < config->bNumInterfaces; i++) {
        const struct libusb_interface *interface = &config->interface[i];
        for (int a = 0; a < interface->num_altsetting; a++) {
            const struct libusb_interface_descriptor *setting = &interface->altsetting[a];
            if (setting->bInterfaceNumber != d->interface)
                continue;
            for (int e = 0; e < setting->bNumEndpoints; e++) {
                const struct libusb_endpoint_descriptor *ep = &setting->endpoint[e];
                d->endpoint_types[endpoint_index(ep->bEndpointAddress)] =
                    (uint8_t)((ep->bmAttributes & 0x03u) + 1u);
            }
        }
    }
    libusb_free_config_descriptor(config);
}

static kiosk_error try_open(lu_device *d)
{
    int r = libusb_open(d->dev, &d->handle);
    if (r != 0) {
        d->handle = NULL;
        if (r == LIBUSB_ERROR_NO_DEVICE)
            return KIOSK_ERR_NOT_FOUND; /* it left while we looked */
        LOG_WARN(MODULE, "%04x:%04x at %s: cannot open: %s%s", d->base.id.vendor,
                 d->base.id.product, d->location, libusb_error_name(r),
                 r == LIBUSB_ERROR_ACCESS ? " (no permission on the device node)" : "");
        return KIOSK_ERR_IO;
    }
    /* A kernel driver bound to the interface (usbhid for a scanner, usblp
     * for a printer) is detached on claim and attached again on release. */
    libusb_set_auto_detach_kernel_driver(d->handle, 1);
    r = libusb_claim_interface(d->handle, d->interface);
    if (r != 0) {
        libusb_close(d->handle);
        d->handle = NULL;
        if (r == LIBUSB_ERROR_BUSY) {
            LOG_INFO(MODULE, "%04x:%04x at %s: interface %d is claimed elsewhere",
                     d->base.id.vendor, d->base.id.product, d->location, d->interface);
            return KIOSK_ERR_BUSY;
        }
        if (r == LIBUSB_ERROR_NO_DEVICE)
            return KIOSK_ERR_NOT_FOUND;
        LOG_WARN(MODULE, "%04x:%04x at %s: cannot claim interface %d: %s", d->base.id.vendor,
                 d->base.id.product, d->location, d->interface, libusb_error_name(r));
        return r == LIBUSB_ERROR_NOT_FOUND ? KIOSK_ERR_NOT_FOUND : KIOSK_ERR_IO;
    }
    learn_endpoints(d);
    return KIOSK_OK;
}

static kiosk_error bus_open(usb_bus *base, usb_id id, int interface, usb_device **out)
{
    libusb_bus *bus = (libusb_bus *)base;
    *out = NULL;
    if (interface < 0 || interface > UINT8_MAX)
        return KIOSK_ERR_INVALID_ARGUMENT;
    libusb_device **list = NULL;
    ssize_t count = libusb_get_device_list(bus->ctx, &list);
    if (count < 0) {
        LOG_ERROR(MODULE, "cannot list devices: %s", libusb_error_name((int)count));
        return KIOSK_ERR_IO;
    }

    kiosk_error result = KIOSK_ERR_NOT_FOUND;
    lu_device *opened = NULL;
    for (ssize_t i = 0; i < count && !opened; i++) {
        struct libusb_device_descriptor descriptor;
        if (libusb_get_device_descriptor(list[i], &descriptor) != 0 ||
            descriptor.idVendor != id.vendor || descriptor.idProduct != id.product)
            continue;
        bool already_open;
        lu_device *d = reserve(bus, list[i], id, interface, &already_open);
        if (!d) {
            /* Every device with this id being open here is BUSY, not absent. */
            if (!already_open)
                result = KIOSK_ERR_NO_MEMORY;
            else if (result == KIOSK_ERR_NOT_FOUND)
                result = KIOSK_ERR_BUSY;
            continue;
        }
        kiosk_error attempt = try_open(d);
        if (attempt == KIOSK_OK) {
            opened = d;
        } else {
            unlink_device(bus, d);
            free_device(d);
            if (attempt != KIOSK_ERR_NOT_FOUND)
                result = attempt;
        }
    }
    libusb_free_device_list(list, 1);
    if (!opened)
        return result;
    LOG_INFO(MODULE, "opened %04x:%04x at %s, interface %d", id.vendor, id.product,
             opened->location, interface);
    *out = &opened->base;
    return KIOSK_OK;
}

static void device_close(usb_device *base)
{
    lu_device *d = (lu_device *)base;
    unlink_device(d->owner, d);
    int r = libusb_release_interface(d->handle, d->interface);
    if (r != 0 && r != LIBUSB_ERROR_NO_DEVICE && r != LIBUSB_ERROR_NOT_FOUND)
        LOG_WARN(MODULE, "%04x:%04x at %s: releasing interface %d: %s", d->base.id.vendor,
                 d->base.id.product, d->location, d->interface, libusb_error_name(r));
    libusb_close(d->handle);
    LOG_INFO(MODULE, "closed %04x:%04x at %s", d->base.id.vendor, d->base.id.product, d->location);
    free_device(d);
}

/* ------------------------------------------------------------------------ */
/* Arrivals and departures, on the event thread                             */

/* A device left: transfers on it fail from now on, and those in flight are
 * cancelled rather than left to their time-outs. */
static void mark_left(libusb_bus *bus, libusb_device *dev)
{
    pthread_mutex_lock(&bus->lock);
    for (lu_device *d = bus->devices; d; d = d->next) {
        if (!same_device(d->dev, dev))
            continue;
        pthread_mutex_lock(&d->lock);
        mark_gone_locked(d);
        cancel_in_flight_locked(d);
        pthread_mutex_unlock(&d->lock);
    }
    pthread_mutex_unlock(&bus->lock);
}

static void report(libusb_bus *bus, usb_hotplug_event event, usb_id id, const char *location)
{
    LOG_INFO(MODULE, "%04x:%04x %s %s", id.vendor, id.product,
             event == USB_ARRIVED ? "arrived at" : "left", location);
    pthread_mutex_lock(&bus->lock);
    usb_hotplug_fn callback = bus->callback;
    void *context = bus->context;
    bus->reporting += callback != NULL;
    pthread_mutex_unlock(&bus->lock);
    if (!callback)
        return;
    callback(context, event, id, location);
    pthread_mutex_lock(&bus->lock);
    bus->reporting--;
    pthread_cond_broadcast(&bus->changed);
    pthread_mutex_unlock(&bus->lock);
}

static int LIBUSB_CALL on_hotplug(libusb_context *ctx, libusb_device *dev,
                                  libusb_hotplug_event event, void *user_data)
{
    (void)ctx;
    libusb_bus *bus = user_data;
    struct libusb_device_descriptor descriptor;
    if (libusb_get_device_descriptor(dev, &descriptor) != 0)
        return 0;
    char location[LOCATION_SIZE];
    describe_location(dev, location, sizeof location);
    usb_id id = {.vendor = descriptor.idVendor, .product = descriptor.idProduct};
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT) {
        mark_left(bus, dev);
        report(bus, USB_LEFT, id, location);
    } else {
        report(bus, USB_ARRIVED, id, location);
    }
    return 0; /* stay registered */
}

static bool seen_contains(const seen_device *list, size_t count, const seen_device *wanted)
{
    for (size_t i = 0; i < count; i++) {
        if (list[i].bus_number == wanted->bus_number && list[i].address == wanted->address &&
            list[i].id.vendor == wanted->id.vendor && list[i].id.product == wanted->id.product)
            return true;
    }
    return false;
}

/* The fallback where libusb has no hotplug: list the devices and report the
 * difference from the last list. A device's address changes whenever it is
 * plugged in again, so a quick unplug and replug still shows. */
static void poll_devices(libusb_bus *bus)
{
    libusb_device **list = NULL;
    ssize_t count = libusb_get_device_list(bus->ctx, &list);
    if (count < 0) {
        LOG_WARN(MODULE, "cannot list devices: %s", libusb_error_name((int)count));
        return;
    }
    seen_device *now = calloc((size_t)count + 1, sizeof *now);
    if (!now) {
        libusb_free_device_list(list, 1);
        return;
    }
    size_t n = 0;
    for (ssize_t i = 0; i < count; i++) {
        struct libusb_device_descriptor descriptor;
        if (libusb_get_device_descriptor(list[i], &descriptor) != 0)
            continue;
        now[n].bus_number = libusb_get_bus_number(list[i]);
        now[n].address = libusb_get_device_address(list[i]);
        now[n].id = (usb_id){.vendor = descriptor.idVendor, .product = descriptor.idProduct};
        describe_location(list[i], now[n].location, sizeof now[n].location);
        n++;
    }
    libusb_free_device_list(list, 1);

    for (size_t i = 0; i < bus->seen_count; i++) {
        const seen_device *old = &bus->seen[i];
        if (seen_contains(now, n, old))
            continue;
        pthread_mutex_lock(&bus->lock);
        for (lu_device *d = bus->devices; d; d = d->next) {
            if (libusb_get_bus_number(d->dev) != old->bus_number ||
                libusb_get_device_address(d->dev) != old->address)
                continue;
            pthread_mutex_lock(&d->lock);
            mark_gone_locked(d);
            cancel_in_flight_locked(d);
            pthread_mutex_unlock(&d->lock);
        }
        pthread_mutex_unlock(&bus->lock);
        report(bus, USB_LEFT, old->id, old->location);
    }
    for (size_t i = 0; i < n; i++) {
        if (!seen_contains(bus->seen, bus->seen_count, &now[i]))
            report(bus, USB_ARRIVED, now[i].id, now[i].location);
    }
    free(bus->seen);
    bus->seen = now;
    bus->seen_count = n;
}

/* Registration happens here, on the event thread, so that the devices
 * already attached are reported from the bus's own thread too. */
static void start_watching(libusb_bus *bus)
{
    kiosk_error result = KIOSK_OK;
    if (bus->use_hotplug) {
        int r = libusb_hotplug_register_callback(
            bus->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
            LIBUSB_HOTPLUG_ENUMERATE, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
            LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, bus, &bus->hotplug_handle);
        if (r == 0) {
            bus->hotplug_registered = true;
        } else {
            LOG_ERROR(MODULE, "cannot watch for devices: %s", libusb_error_name(r));
            result = KIOSK_ERR_IO;
        }
    } else {
        bus->polling = true;
        poll_devices(bus);
        bus->next_poll_ms = monotonic_now_ms() + bus->poll_interval_ms;
    }
    pthread_mutex_lock(&bus->lock);
    if (result != KIOSK_OK)
        bus->callback = NULL;
    bus->watch_requested = false;
    bus->watch_done = true;
    bus->watch_result = result;
    pthread_cond_broadcast(&bus->changed);
    pthread_mutex_unlock(&bus->lock);
}

static void *event_main(void *arg)
{
    libusb_bus *bus = arg;
    bool failing = false;
    for (;;) {
        pthread_mutex_lock(&bus->lock);
        bool stopping = bus->stopping;
        bool watch_requested = bus->watch_requested;
        pthread_mutex_unlock(&bus->lock);
        if (stopping)
            break;
        if (watch_requested)
            start_watching(bus);

        /* Without polling, a long wait: libusb wakes it for every event,
         * and stop and watch requests interrupt it. */
        uint64_t wait_ms = 1000;
        if (bus->polling) {
            uint64_t now = monotonic_now_ms();
            if (now >= bus->next_poll_ms) {
                poll_devices(bus);
                bus->next_poll_ms = now + bus->poll_interval_ms;
            }
            wait_ms = bus->next_poll_ms > now ? bus->next_poll_ms - now : 0;
        }
        struct timeval timeout = {.tv_sec = (time_t)(wait_ms / 1000u),
                                  .tv_usec = (suseconds_t)(wait_ms % 1000u) * 1000};
        int r = libusb_handle_events_timeout_completed(bus->ctx, &timeout, NULL);
        bool failed = r != 0 && r != LIBUSB_ERROR_INTERRUPTED;
        if (failed && !failing)
            LOG_WARN(MODULE, "handling events: %s", libusb_error_name(r));
        failing = failed;
        if (failed) {
            /* An error that returns at once would otherwise keep this
             * thread spinning; back off a little before trying again. */
            const struct timespec pause = {.tv_sec = 0, .tv_nsec = 10 * 1000000L};
            nanosleep(&pause, NULL);
        }
    }
    return NULL;
}

static kiosk_error bus_watch(usb_bus *base, usb_hotplug_fn callback, void *context)
{
    libusb_bus *bus = (libusb_bus *)base;
    if (!callback) {
        /* Stop reporting, and wait out a report in progress (unless this is
         * that report, on the event thread). */
        pthread_mutex_lock(&bus->lock);
        bus->callback = NULL;
        bus->context = NULL;
        while (bus->reporting > 0 && !pthread_equal(pthread_self(), bus->thread))
            pthread_cond_wait(&bus->changed, &bus->lock);
        pthread_mutex_unlock(&bus->lock);
        return KIOSK_OK;
    }
    pthread_mutex_lock(&bus->lock);
    if (bus->callback || bus->watch_requested) {
        pthread_mutex_unlock(&bus->lock);
        return KIOSK_ERR_INVALID_ARGUMENT; /* one callback per bus */
    }
    if (bus->hotplug_registered || bus->polling) {
        pthread_mutex_unlock(&bus->lock);
        return KIOSK_ERR_UNSUPPORTED; /* watched once already: a bus is watched once */
    }
    bus->callback = callback;
    bus->context = context;
    bus->watch_requested = true;
    bus->watch_done = false;
    pthread_mutex_unlock(&bus->lock);

    if (pthread_equal(pthread_self(), bus->thread)) {
        start_watching(bus); /* called from a hotplug callback */
    } else {
        libusb_interrupt_event_handler(bus->ctx);
        pthread_mutex_lock(&bus->lock);
        while (!bus->watch_done)
            pthread_cond_wait(&bus->changed, &bus->lock);
        pthread_mutex_unlock(&bus->lock);
    }
    pthread_mutex_lock(&bus->lock);
    kiosk_error result = bus->watch_result;
    pthread_mutex_unlock(&bus->lock);
    return result;
}

/* ------------------------------------------------------------------------ */
/* The bus                                                                  */

static void bus_destroy(usb_bus *base)
{
    libusb_bus *bus = (libusb_bus *)base;
    pthread_mutex_lock(&bus->lock);
    bus->stopping = true;
    pthread_mutex_unlock(&bus->lock);
    libusb_interrupt_event_handler(bus->ctx);
    pthread_join(bus->thread, NULL);

    if (bus->hotplug_registered)
        libusb_hotplug_deregister_callback(bus->ctx, bus->hotplug_handle);
    /* Handles must go before their context; a device left open is the
     * caller's mistake, but not one worth leaking over. */
    while (bus->devices) {
        lu_device *d = bus->devices;
        LOG_WARN(MODULE, "%04x:%04x at %s still open when the bus stopped", d->base.id.vendor,
                 d->base.id.product, d->location);
        device_close(&d->base);
    }
    libusb_exit(bus->ctx);
    free(bus->seen);
    pthread_cond_destroy(&bus->changed);
    pthread_mutex_destroy(&bus->lock);
    free(bus);
    LOG_DEBUG(MODULE, "libusb bus stopped");
}

static const usb_bus_ops libusb_ops = {
    .name = "libusb",
    .open = bus_open,
    .close = device_close,
    .transfer = device_transfer,
    .control = device_control,
    .watch = bus_watch,
    .destroy = bus_destroy,
};

static kiosk_error create(bool prefer_hotplug, unsigned poll_interval_ms, usb_bus **out)
{
    *out = NULL;
    libusb_bus *bus = calloc(1, sizeof *bus);
    if (!bus)
        return KIOSK_ERR_NO_MEMORY;
    bus->base.ops = &libusb_ops;
    int r = libusb_init(&bus->ctx);
    if (r != 0) {
        LOG_ERROR(MODULE, "libusb could not start: %s", libusb_error_name(r));
        free(bus);
        return KIOSK_ERR_IO;
    }
    bus->use_hotplug = prefer_hotplug && libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG);
    bus->poll_interval_ms = poll_interval_ms;
    if (prefer_hotplug && !bus->use_hotplug)
        LOG_INFO(MODULE, "libusb has no hotplug here: polling the device list every %u ms",
                 poll_interval_ms);
    pthread_mutex_init(&bus->lock, NULL);
    pthread_cond_init(&bus->changed, NULL);
    r = pthread_create(&bus->thread, NULL, event_main, bus);
    if (r != 0) {
        LOG_ERROR(MODULE, "cannot start the USB event thread: %s", strerror(r));
        libusb_exit(bus->ctx);
        pthread_cond_destroy(&bus->changed);
        pthread_mutex_destroy(&bus->lock);
        free(bus);
        return KIOSK_ERR_IO;
    }
    const struct libusb_version *version = libusb_get_version();
    LOG_DEBUG(MODULE, "libusb %u.%u.%u bus started (%s)", version->major, version->minor,
              version->micro, bus->use_hotplug ? "hotplug" : "polling");
    *out = &bus->base;
    return KIOSK_OK;
}

kiosk_error usb_libusb_create(usb_bus **out)
{
    return create(true, DEFAULT_POLL_MS, out);
}

kiosk_error usb_libusb_create_polling(unsigned interval_ms, usb_bus **out)
{
    if (interval_ms < MIN_POLL_MS) {
        *out = NULL;
        return KIOSK_ERR_INVALID_ARGUMENT;
    }
    return create(false, interval_ms, out);
}
