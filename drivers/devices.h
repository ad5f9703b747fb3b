/* The device core: which kinds of device exist, which are attached, and one
 * status model for all of them.
 *
 * Each device kind has a slot with its own worker thread. The worker waits
 * for the transport to report a device its driver takes, opens it, lets the
 * driver run its state machine step by step, and when the device goes away
 * closes it and waits for it to come back: unplug and replug need no restart.
 * Every change of status, and everything a device produces (a card, a job's
 * end, a scan), reaches the main thread as one of two generic events naming
 * the device's kind: what it means is the app's to decide. The main thread
 * never waits for a device.
 *
 * The kinds are the rows of the registry (drivers/device_registry.h). */
#ifndef KIOSK_DRIVERS_DEVICES_H
#define KIOSK_DRIVERS_DEVICES_H

#include "drivers/device_registry.h"
#include "drivers/usb.h"
#include "firmware/base/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DEVICE_KIND_ENUM(kind, key, driver, simulator) DEVICE_##kind,
typedef enum device_kind {
    DEVICE_REGISTRY(DEVICE_KIND_ENUM) DEVICE_KIND_COUNT,
} device_kind;
#undef DEVICE_KIND_ENUM

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

/* The kind's key ("id-reader"), as a board profile and the logs name it. */
const char *device_kind_name(device_kind kind);
/* The kind whose key is key: false when none is. */
bool device_kind_from_name(const char *key, device_kind *out);
const char *device_state_name(device_state state);

/* How a device is reached. USB is the one in use (libusb, or the simulated
 * bus); the others have their place so that a driver for a smart card reader,
 * a printer queue or a sound device is written the same way, with a
 * transport of its own beside usb_device_transport. */
typedef enum device_transport_kind {
    DEVICE_TRANSPORT_USB = 0, /* drivers/usb.h */
    DEVICE_TRANSPORT_PCSC,    /* smart cards through pcsc-lite (a 社保卡 reader): not yet */
    DEVICE_TRANSPORT_IPP,     /* printers through libcups (an A4 printer): not yet */
    DEVICE_TRANSPORT_AUDIO,   /* speech out, a microphone: not yet */
} device_transport_kind;

/* Which devices a driver takes, on its transport. */
typedef struct device_match {
    device_transport_kind transport;
    struct {
        const usb_id *ids; /* a static table */
        size_t id_count;
        int interface; /* claimed at open */
    } usb;
} device_match;

/* Where a transport found a device: enough to tell two apart and to open
 * the one reported. */
typedef struct device_address {
    char location[64]; /* USB: the port path ("1-1.4", "sim-1") */
    usb_id usb;        /* USB: the device's id */
} device_address;

typedef struct device_handle device_handle;

/* A driver: one const table, what it matches, a narrow lifecycle. */
typedef struct device_driver {
    const char *name;
    device_kind kind;
    device_match match;
    size_t context_size; /* zeroed for each open */
    /* After the transport opened the device: check it answers. Errors end
     * this attachment (the status says why). */
    kiosk_error (*open)(device_handle *handle);
    /* One step of the driver's state machine. Returns how long to wait
     * before the next step (ms), or a negative kiosk_error when the device
     * must be closed (-KIOSK_ERR_NO_DEVICE when it went away). Every wait
     * in a step is bounded (a transfer's time-out): a step still running
     * after the watchdog's ping interval is taken for a stuck worker
     * (docs/supervision.md). */
    int (*step)(device_handle *handle);
    void (*close)(device_handle *handle);
} device_driver;

/* A transport as the device core uses it: how devices arrive and leave,
 * which driver takes one, how it is opened. Called with bus, the transport's
 * own object (a usb_bus for USB). */
typedef struct device_watch {
    void (*presence)(void *context, bool arrived, const device_address *where);
    void *context;
} device_watch;
typedef struct device_transport {
    device_transport_kind kind;
    /* Starts reporting arrivals and departures (those already there first)
     * to watch, which the caller keeps until the reports stop, from any
     * thread. watch NULL stops them: once it returns, no report is running
     * and none will come. */
    kiosk_error (*watch)(void *bus, device_watch *watch);
    bool (*takes)(const device_driver *driver, const device_address *where);
    /* Opens the device at where for driver: *link is what the driver talks
     * to (device_usb). Errors: NOT_FOUND, BUSY (in use), IO. */
    kiosk_error (*open)(void *bus, const device_driver *driver, const device_address *where,
                        void **link);
    void (*close)(void *link);
} device_transport;

/* The USB transport over a usb_bus (libusb or simulated). */
extern const device_transport usb_device_transport;

/* For drivers: their device, their context, and how to report. */
usb_device *device_usb(device_handle *handle); /* NULL on another transport */
void *device_context(device_handle *handle);
void device_report(device_handle *handle, device_state state, device_supply supply,
                   const char *reason);
/* Hands something the device produced (a card record, a job's end, a scan)
 * to the main thread as the device's own; release frees (and wipes) it. On
 * failure release is called at once. */
kiosk_error device_deliver(device_handle *handle, void *payload, void (*release)(void *payload));

/* Work the main thread gave this device (device_manager_submit), or NULL.
 * The driver owns it from here and calls *release when done with it. */
void *device_take_job(device_handle *handle, void (**release)(void *job));

/* What the main thread receives for a delivery (APP_EVENT_DEVICE_DELIVERY):
 * which kind of device produced it, and the payload its driver documents.
 * Releasing the event releases the payload. */
typedef struct device_delivery {
    device_kind kind;
    void *payload;
    void (*release)(void *payload);
} device_delivery;

/* Posts what a device of kind produced to the main thread, as the default
 * sink does. On failure (BUSY, NO_MEMORY, ...) the payload stays the
 * caller's. */
kiosk_error device_post_delivery(device_kind kind, void *payload,
                                 void (*release)(void *payload)) KIOSK_MUST_CHECK;

typedef struct device_manager device_manager;

/* What the manager tells the main thread. The default posts to the event
 * channel (APP_EVENT_DEVICE_STATUS with a device_status payload,
 * APP_EVENT_DEVICE_DELIVERY with a device_delivery); tests may catch them
 * directly. */
typedef struct device_sink {
    void (*status)(void *context, const device_status *status);
    kiosk_error (*deliver)(void *context, device_kind kind, void *payload,
                           void (*release)(void *payload));
    void *context;
} device_sink;

/* Starts a manager over bus, a bus of transport, with the given drivers
 * (one per kind at most, all of that transport). sink NULL: the event
 * channel. Errors: INVALID_ARGUMENT, NO_MEMORY, IO (threads). */
kiosk_error device_manager_start_on(const device_transport *transport, void *bus,
                                    const device_driver *const *drivers, size_t driver_count,
                                    const device_sink *sink, device_manager **out) KIOSK_MUST_CHECK;
/* The same over a USB bus. */
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

/* The registry's rows (drivers/device_registry.h) as data. */
struct device_simulator; /* drivers/sim/simulation.h */
typedef struct device_registry_row {
    device_kind kind;
    const char *key; /* a board profile's devices[].kind, the logs' name */
    const device_driver *driver;
    const struct device_simulator *simulator;
} device_registry_row;

/* Every kind's row, in the order of device_kind. */
extern const device_registry_row device_registry[DEVICE_KIND_COUNT];

/* The drivers this firmware has, one per row. */
#define DEVICE_DRIVER_EXTERN(kind, key, driver, simulator) extern const device_driver driver;
DEVICE_REGISTRY(DEVICE_DRIVER_EXTERN)
#undef DEVICE_DRIVER_EXTERN

/* Takes back the work given to kind (device_manager_submit) that its driver
 * has not taken yet, and releases it: for work that must not be done late,
 * as a certificate printed for a citizen who has gone. True when there was
 * such work; false when there was none or the driver has it (its result
 * will come). */
bool device_manager_withdraw(device_manager *manager, device_kind kind);

/* What the transport opened for a driver of another transport than USB (an
 * ipp_link for IPP: drivers/a4/ipp_transport.h). */
void *device_link(device_handle *handle);

/* How long the worker of kind has been in its present turn (ms): a step of
 * its driver, or an open or a close. 0 while it waits in the manager for
 * its device, its next step or a job, and for a kind manager does not
 * have. Every wait of a driver is bounded (a transfer's time-out), so a
 * turn ends within the longest of them; one that lasts far longer is a
 * worker stuck (docs/supervision.md). Any thread; never waits for a
 * worker. */
uint64_t device_manager_turn_ms(device_manager *manager, device_kind kind);

#endif
