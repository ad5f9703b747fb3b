/* The simulated USB bus: device models (drivers/usb_model.h) plugged in
 * in-process, reached through the same usb_bus_ops as real devices. Used by
 * `make run` on boards whose devices are "sim", and by tests. */
#ifndef KIOSK_DRIVERS_USB_SIM_H
#define KIOSK_DRIVERS_USB_SIM_H

#include "drivers/usb.h"
#include "drivers/usb_model.h"

kiosk_error usb_sim_create(usb_bus **out) KIOSK_MUST_CHECK;

/* Attaches model at location ("sim-1"); the bus takes ownership and reports
 * the arrival. Errors: BUSY (a model is already there), NO_MEMORY. */
kiosk_error usb_sim_plug(usb_bus *bus, usb_model *model, const char *location) KIOSK_MUST_CHECK;

/* Detaches the model at location, as a cable pulled: transfers in flight and
 * later fail with NO_DEVICE, and the departure is reported. The model is
 * returned to the caller (to plug again), or NULL when nothing was there. */
usb_model *usb_sim_unplug(usb_bus *bus, const char *location);

/* A model with something new to say on an IN endpoint calls this (from any
 * thread, without the bus lock) to wake a transfer waiting for it. */
void usb_sim_wake(usb_bus *bus);

/* The device at location stops answering for ms, as a device that hangs
 * behind a transfer with no time-out: every transfer to it that begins
 * before then waits until then, whatever its time-out; pulling the device ends the wait with
 * NO_DEVICE. For the watchdog's tests (docs/supervision.md). Errors: NOT_FOUND. */
kiosk_error usb_sim_stall(usb_bus *bus, const char *location, unsigned ms);

#endif
