/* What tests look at; the product never calls these.
 *
 * Each reads a driver's or the device core's state that the app has no use
 * for (a kind's latest status, the counts of presses and scans handed on or
 * dropped), or starts a transport in a mode the kiosk never chooses (the
 * libusb bus that polls, which it falls back to by itself when libusb has no
 * hotplug). They live in the modules they read (which include this header
 * so that their definitions match); only tests call them. */
#ifndef KIOSK_DRIVERS_DRIVER_PROBES_H
#define KIOSK_DRIVERS_DRIVER_PROBES_H

#include "drivers/devices.h"
#include "drivers/usb.h"
#include "firmware/base/error.h"

/* The latest status of a kind (any thread). */
device_status device_manager_status(device_manager *manager, device_kind kind);

/* How many presses were dropped because KEYPAD_MAX_IN_FLIGHT were waiting
 * (or the event queue was full), and how many were handed on, since the
 * program started (any thread; for tests and benchmarks). */
unsigned long keypad_presses_dropped(void);
unsigned long keypad_presses_delivered(void);

/* How many scans were dropped because SCANNER_MAX_IN_FLIGHT were waiting,
 * since the program started (any thread; for tests and benchmarks). */
unsigned long scanner_scans_dropped(void);

/* A libusb bus whose watch() polls the device list every interval_ms (at
 * least 10) on the bus's thread and reports the differences. Errors: IO,
 * NO_MEMORY, INVALID_ARGUMENT (interval too short). */
kiosk_error usb_libusb_create_polling(unsigned interval_ms, usb_bus **out) KIOSK_MUST_CHECK;

#endif
