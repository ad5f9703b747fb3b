/* Emulated USB devices for the tests of the libusb transport.
 *
 * A usb_model (drivers/usb_model.h) is put behind a device that umockdev
 * emulates: sysfs attributes and descriptors built from the model, a device
 * node, and an ioctl handler that answers libusb's usbfs requests (claiming
 * the interface, submitting, reaping and discarding URBs) by calling the
 * model. The real libusb transport, and libusb itself down to its ioctls, then
 * runs against the model as it would against the device.
 *
 * Tests using it run under umockdev-wrapper (tools/with-umockdev) and create
 * the UMockdevTestbed before any libusb bus, so that libusb sees the testbed.
 * All model calls are made with one lock held (the bridge's), one at a time,
 * from umockdev's ioctl thread or from usb_umockdev_with_model(). */
#ifndef KIOSK_TESTS_DRIVERS_USB_UMOCKDEV_H
#define KIOSK_TESTS_DRIVERS_USB_UMOCKDEV_H

#include "drivers/usb_model.h"

#include <stdbool.h>
#include <umockdev.h>

typedef struct usb_umockdev usb_umockdev;

/* Adds a device on bus 1 at port (1 to 31) that answers with model, which
 * the bridge then owns, and announces it with an "add" uevent. Its location
 * (what the libusb bus reports) is "1-<port>". NULL when umockdev refuses
 * the device (the reason is printed). */
usb_umockdev *usb_umockdev_add(UMockdevTestbed *testbed, usb_model *model, unsigned port);

/* Pulls the plug: URBs in flight complete with ENODEV, every further request
 * on a handle opened before fails with ENODEV (reaping what completed still
 * works, as with the kernel), a "remove" uevent goes out and the device
 * leaves sysfs and /dev. Does nothing when already unplugged. */
void usb_umockdev_unplug(usb_umockdev *device);

/* Plugs it back in at the same port with a new device address, as the
 * kernel gives a device that comes back, and sends an "add" uevent. The
 * model keeps its state. Does nothing when plugged in. */
void usb_umockdev_replug(usb_umockdev *device);

/* Runs fn on the model with the bridge's lock held (give it data to send,
 * read what it received), then answers the waiting IN URBs it now can. */
void usb_umockdev_with_model(usb_umockdev *device, void (*fn)(usb_model *model, void *context),
                             void *context);

/* Waits until at least count IN URBs wait on the device for the model to
 * have something to send; false when timeout_ms passes first. */
bool usb_umockdev_wait_pending_in(usb_umockdev *device, unsigned count, unsigned timeout_ms);

/* "1-<port>". */
const char *usb_umockdev_location(const usb_umockdev *device);

/* Unplugs the device if needed and frees it and its model. Only once every
 * handle on it is closed (destroy the libusb bus first). NULL is ignored. */
void usb_umockdev_remove(usb_umockdev *device);

#endif
