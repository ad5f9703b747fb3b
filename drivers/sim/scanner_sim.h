/* A simulated QR / barcode scanner: a USB device model with one HID
 * interface and an interrupt IN endpoint that "scans" what it is given, in
 * HID POS mode (Scanned Data Reports) or as a keyboard (boot keyboard
 * reports, Alt+numpad for characters outside ASCII). It answers the report
 * descriptor request that tells the driver its mode. It sits under the real
 * driver, at the transport; raw reports can be injected for tests.
 *
 * Controls come from any thread. On the simulated bus a waiting read only
 * sees a new scan once woken: set a waker (scanner_sim_set_waker with
 * usb_sim_wake), or wake the bus after queuing. Behind umockdev, queue from
 * usb_umockdev_with_model. */
#ifndef KIOSK_DRIVERS_SIM_SCANNER_SIM_H
#define KIOSK_DRIVERS_SIM_SCANNER_SIM_H

#include "drivers/scanner/scanner.h"
#include "drivers/usb_model.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The USB identities the simulated scanner presents (pid.codes test ids),
 * one per mode, and its endpoint. */
#define SCANNER_SIM_VENDOR          0x1209
#define SCANNER_SIM_PRODUCT_HID_POS 0x000a
#define SCANNER_SIM_PRODUCT_WEDGE   0x000b
#define SCANNER_SIM_ENDPOINT_IN     0x81

/* What the simulated scanner answers when asked for its report descriptor. */
typedef enum scanner_sim_descriptor {
    SCANNER_SIM_DESCRIPTOR_MODE = 0, /* its mode's: HID POS or boot keyboard */
    SCANNER_SIM_DESCRIPTOR_NONE,     /* a stall: the driver goes by the USB id */
    SCANNER_SIM_DESCRIPTOR_VENDOR,   /* a vendor page: neither mode */
} scanner_sim_descriptor;

typedef struct scanner_sim_options {
    scan_mode mode;  /* HID_POS (also for UNKNOWN) or WEDGE */
    bool gbk;        /* wedge: characters outside ASCII as Alt + the decimal of their GBK
                        code (中 is Alt+54992); else Alt + 0nnn for each UTF-8 byte */
    bool aim_prefix; /* wedge: types the AIM id before the data */
    scanner_sim_descriptor descriptor;
} scanner_sim_options;

/* At most this many report bytes wait to be read; more is BUSY. */
#define SCANNER_SIM_QUEUE_MAX (4u << 20)

/* A new simulated scanner; options NULL: HID POS. NULL when out of memory. */
usb_model *scanner_sim_create(const scanner_sim_options *options);

/* Queues one scan of data (any bytes), as the scanner sends it. HID POS:
 * the bytes in reports of 56 with the AIM id ("]Q1"; NULL or "" sends
 * zeros). Wedge: each printable ASCII byte as its key (with Shift where the
 * US layout needs it), Tab, CR, Backspace and ESC as their keys, DEL as
 * Delete, other control bytes as Ctrl with a letter (as scanners' "Ctrl +
 * ASCII" mode does), the rest with Alt+numpad, then Enter; the AIM id first
 * when aim_prefix. Errors: BUSY (the queue is full), NO_MEMORY, MALFORMED
 * (gbk: text that is not UTF-8 or has no GBK form). */
kiosk_error scanner_sim_scan(usb_model *scanner, const char *aim, const uint8_t *data,
                             size_t length) KIOSK_MUST_CHECK;

/* Queues one raw input report (1 to 64 bytes), sent as it is. Errors:
 * BUSY, NO_MEMORY, INVALID_ARGUMENT (length). */
kiosk_error scanner_sim_inject(usb_model *scanner, const uint8_t *report,
                               size_t length) KIOSK_MUST_CHECK;

/* Called (outside the model's lock) each time something is queued. */
void scanner_sim_set_waker(usb_model *scanner, void (*wake)(void *context), void *context);

/* Reports queued and not yet read. */
size_t scanner_sim_queued(usb_model *scanner);

#endif
