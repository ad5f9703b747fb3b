/* The USB transport: how every driver talks to its device.
 *
 * A transport is a bus the device manager owns. Two implementations sit behind
 * this one table: libusb (drivers/usb_libusb.c: the async API, with its own
 * event thread, and hotplug) and a simulated bus (drivers/usb_sim.c) where a
 * device model answers in-process. Drivers only ever hold a usb_device and
 * call the functions below, so they cannot tell which bus they are on.
 *
 * Transfers block the calling thread (a device's worker, never the main
 * thread) until they complete, fail or time out. A device that has been
 * unplugged fails every further transfer with KIOSK_ERR_NO_DEVICE; the caller
 * closes it and waits for the bus to report it back. */
#ifndef KIOSK_DRIVERS_USB_H
#define KIOSK_DRIVERS_USB_H

#include "firmware/base/error.h"

#include <stddef.h>
#include <stdint.h>

typedef struct usb_id {
    uint16_t vendor;
    uint16_t product;
} usb_id;

typedef enum usb_hotplug_event {
    USB_ARRIVED = 1,
    USB_LEFT,
} usb_hotplug_event;

/* Called on the bus's own thread; keep it short (note the change, wake a
 * worker). location names the port ("1-1.4") so two identical devices differ. */
typedef void (*usb_hotplug_fn)(void *context, usb_hotplug_event event, usb_id id,
                               const char *location);

typedef struct usb_bus usb_bus;
typedef struct usb_device usb_device;

/* Endpoint addresses carry the direction bit, as in USB: 0x81 is IN 1. */
#define USB_ENDPOINT_IN 0x80u

typedef struct usb_bus_ops {
    const char *name; /* "libusb", "sim" */
    /* Opens the first device with this id that is not already open, claims the
     * interface. Errors: NOT_FOUND (none attached), BUSY (claimed elsewhere,
     * or every device with this id is already open on this bus), IO. */
    kiosk_error (*open)(usb_bus *bus, usb_id id, int interface, usb_device **out);
    void (*close)(usb_device *device);
    /* Bulk or interrupt transfer on endpoint (direction from its bit 7). IN:
     * reads up to length bytes; OUT: writes length bytes. *transferred says how
     * many moved, also on TIMEOUT. A timeout_ms of 0 waits without limit (as
     * in libusb). Errors: TIMEOUT, NO_DEVICE, IO (stall, overflow),
     * INVALID_ARGUMENT (no such bulk or interrupt endpoint). */
    kiosk_error (*transfer)(usb_device *device, uint8_t endpoint, uint8_t *data, size_t length,
                            size_t *transferred, unsigned timeout_ms);
    /* A control transfer; direction from bit 7 of request_type. */
    kiosk_error (*control)(usb_device *device, uint8_t request_type, uint8_t request,
                           uint16_t value, uint16_t index, uint8_t *data, uint16_t length,
                           size_t *transferred, unsigned timeout_ms);
    /* Starts reporting arrivals and departures; every device already attached
     * is reported as arrived first. One callback per bus: a second watch
     * while one is set is INVALID_ARGUMENT. A NULL callback stops the
     * reports: once watch returns, the old callback is not running and will
     * not be called again. */
    kiosk_error (*watch)(usb_bus *bus, usb_hotplug_fn callback, void *context);
    void (*destroy)(usb_bus *bus);
} usb_bus_ops;

struct usb_bus {
    const usb_bus_ops *ops;
};

/* What every usb_device starts with, so the calls below can dispatch. */
struct usb_device {
    usb_bus *bus;
    usb_id id;
};

static inline kiosk_error usb_open(usb_bus *bus, usb_id id, int interface, usb_device **out)
{
    return bus->ops->open(bus, id, interface, out);
}

static inline void usb_close(usb_device *device)
{
    if (device)
        device->bus->ops->close(device);
}

static inline kiosk_error usb_transfer(usb_device *device, uint8_t endpoint, uint8_t *data,
                                       size_t length, size_t *transferred, unsigned timeout_ms)
{
    return device->bus->ops->transfer(device, endpoint, data, length, transferred, timeout_ms);
}

static inline kiosk_error usb_control(usb_device *device, uint8_t request_type, uint8_t request,
                                      uint16_t value, uint16_t index, uint8_t *data,
                                      uint16_t length, size_t *transferred, unsigned timeout_ms)
{
    return device->bus->ops->control(device, request_type, request, value, index, data, length,
                                     transferred, timeout_ms);
}

static inline kiosk_error usb_watch(usb_bus *bus, usb_hotplug_fn callback, void *context)
{
    return bus->ops->watch(bus, callback, context);
}

static inline void usb_bus_destroy(usb_bus *bus)
{
    if (bus)
        bus->ops->destroy(bus);
}

/* The libusb bus (drivers/usb_libusb.c). Starts its event thread. Errors: IO
 * (libusb could not start), NO_MEMORY. */
kiosk_error usb_libusb_create(usb_bus **out) KIOSK_MUST_CHECK;

#endif
