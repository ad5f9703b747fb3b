/* The device manager: which drivers exist, which devices are attached, and
 * one status model for all of them.
 *
 * Each device kind has a slot with its own worker thread. The worker waits
 * for the bus to report a device whose USB id is in a driver's table, opens
 * it, lets the driver run its state machine step by step, and when the device
 * goes away closes it and waits for it to come back: unplug and replug need
 * no restart. Every change of status, and everything a device reads (a
 * card), reaches the main thread as an event; the main thread never waits
 * for a device. */
#ifndef KIOSK_DRIVERS_DEVICES_H
#define KIOSK_DRIVERS_DEVICES_H

#include "drivers/usb.h"
#include "firmware/base/error.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum device_kind {
    DEVICE_ID_READER = 0,
    DEVICE_PRINTER,
    DEVICE_SCANNER,
    DEVICE_KIND_COUNT,
} device_kind;

typedef enum device_state {
    DEVICE_NO_DEVICE = 0,  /* nothing of this kind is attached */
    DEVICE_OFFLINE,        /* attached, but it cannot be opened or does not answer */
    DEVICE_ONLINE,         /* ready */
    DEVICE_BUSY,           /* working: reading a card, printing */
    DEVICE_USER_ERROR,     /* the citizen can put it right: card moved too early */
    DEVICE_HARDWARE_ERROR, /* staff must act: a failed security module, a jam */
} device_state;

typedef enum device_supply {
    DEVICE_SUPPLY_NONE = 0, /* the device has no supply (a card reader) */
    DEVICE_SUPPLY_OK,
    DEVICE_SUPPLY_LOW,
    DEVICE_SUPPLY_OUT,
} device_supply;

/* What the app is told. reason is a stable key naming the cause
 * ("unplugged", "card-moved", "sam-failed"); the citizen's and staff's
 * messages are the string-table entries "device.<reason>" and
 * "device.<reason>.staff". */
typedef struct device_status {
    device_kind kind;
    device_state state;
    device_supply supply;
    char reason[32];
} device_status;

const char *device_kind_name(device_kind kind);
const char *device_state_name(device_state state);

typedef struct device_handle device_handle;

/* A driver: one const table, a static USB id table, a narrow lifecycle. */
typedef struct device_driver {
    const char *name;
    device_kind kind;
    const usb_id *ids;
    size_t id_count;
    int interface;
    size_t context_size; /* zeroed for each open */
    /* After the transport opened the device: check it answers. Errors end
     * this attachment (the status says why). */
    kiosk_error (*open)(device_handle *handle);
    /* One step of the driver's state machine. Returns how long to wait
     * before the next step (ms), or a negative kiosk_error when the device
     * must be closed (-KIOSK_ERR_NO_DEVICE when it went away). */
    int (*step)(device_handle *handle);
    void (*close)(device_handle *handle);
} device_driver;

/* For drivers: their device, their context, and how to report. */
usb_device *device_usb(device_handle *handle);
void *device_context(device_handle *handle);
void device_report(device_handle *handle, device_state state, device_supply supply,
                   const char *reason);
/* Hands something the device produced (a card record) to the main thread;
 * release frees (and wipes) it. On failure release is called at once. */
kiosk_error device_deliver(device_handle *handle, int event_kind, void *payload,
                           void (*release)(void *payload));

/* Work the main thread gave this device (device_manager_submit), or NULL.
 * The driver owns it from here and calls *release when done with it. */
void *device_take_job(device_handle *handle, void (**release)(void *job));

typedef struct device_manager device_manager;

/* What the manager tells the main thread. The default posts to the event
 * channel (APP_EVENT_DEVICE_STATUS with a device_status payload; deliveries
 * with their own kind); tests may catch them directly. */
typedef struct device_sink {
    void (*status)(void *context, const device_status *status);
    kiosk_error (*deliver)(void *context, int event_kind, void *payload,
                           void (*release)(void *payload));
    void *context;
} device_sink;

/* Starts a manager over bus with the given drivers (one per kind at most).
 * sink NULL: the event channel. Errors: NO_MEMORY, IO (threads). */
kiosk_error device_manager_start(usb_bus *bus, const device_driver *const *drivers,
                                 size_t driver_count, const device_sink *sink,
                                 device_manager **out) KIOSK_MUST_CHECK;
/* Stops the workers (closing their devices) and frees the manager; the bus
 * stays the caller's. */
void device_manager_stop(device_manager *manager);

/* Gives the driver of kind a piece of work (a print job); its worker is woken
 * and its driver takes it (device_take_job) at its next step. The result
 * comes back as a delivery. Errors: NO_DEVICE (no such device attached; the
 * job stays the caller's), BUSY (a job still waits to be taken). */
kiosk_error device_manager_submit(device_manager *manager, device_kind kind, void *job,
                                  void (*release)(void *job)) KIOSK_MUST_CHECK;
/* Withdraws a job not yet taken (releasing it): true when there was one. */
bool device_manager_cancel(device_manager *manager, device_kind kind);

/* The latest status of a kind (any thread). */
device_status device_manager_status(device_manager *manager, device_kind kind);

/* The drivers this firmware has. */
extern const device_driver idcard_driver;
extern const device_driver printer_driver; /* drivers/printer/ */
extern const device_driver scanner_driver; /* drivers/scanner/ */

#endif
