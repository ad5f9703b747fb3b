/* The libusb bus, beyond what drivers/usb.h declares for every bus.
 *
 * usb_libusb_create() (in drivers/usb.h) reports arrivals and departures
 * through libusb's hotplug support and falls back to polling the device list
 * once a second where libusb has none. This constructor forces that polling
 * path at a chosen interval, so that it can be exercised where libusb does
 * have hotplug (the tests). */
#ifndef KIOSK_DRIVERS_USB_LIBUSB_H
#define KIOSK_DRIVERS_USB_LIBUSB_H

#include "drivers/usb.h"

#endif
