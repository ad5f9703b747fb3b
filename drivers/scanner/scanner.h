/* The QR / barcode scanner: what a scan gives the app.
 *
 * The driver (scanner.c, `scanner_driver` in drivers/devices.h) reads the
 * scanner in HID POS mode or as a keyboard (wedge), checks each scan
 * (scan_decode.h) and hands every accepted one to the main thread as one
 * delivery with a scan_event payload. Scanned data is data: it never
 * reaches the UI as keystrokes. A scan may hold personal data (an e-ID code,
 * an ID number), so the event is wiped when it is released. */
#ifndef KIOSK_DRIVERS_SCANNER_SCANNER_H
#define KIOSK_DRIVERS_SCANNER_SCANNER_H

#include <stddef.h>

/* The longest scan taken, in bytes, both as the scanner sent it and as
 * UTF-8; longer ones are refused. The longest QR code holds 2953 bytes. */
#define SCAN_MAX_LENGTH 4096

/* At most this many scans wait for the main thread at once; a scan read
 * while they do is dropped (and counted), so a storm of scans cannot grow
 * memory. A citizen shows one code at a time. */
#define SCANNER_MAX_IN_FLIGHT 4

typedef enum scan_mode {
    SCAN_MODE_UNKNOWN = 0,
    SCAN_MODE_HID_POS, /* HID Point of Sale, usage page 0x8C: one report per 56 bytes */
    SCAN_MODE_WEDGE,   /* a boot keyboard typing the code, ended by Enter */
} scan_mode;

/* One accepted scan: the main thread owns it and releases it with the
 * event's release function (which wipes it). */
typedef struct scan_event {
    scan_mode mode;
    char symbology[16];             /* "qr", "code128", "ean13", "pdf417", "datamatrix",
                                       ...; "unknown" when the scanner did not say */
    size_t length;                  /* bytes of data, without the NUL */
    char data[SCAN_MAX_LENGTH + 1]; /* UTF-8, NUL-terminated; no control characters */
} scan_event;

/* Wipes an event's contents (explicit_bzero). */
void scan_event_wipe(scan_event *event);

/* "hid-pos", "wedge", "unknown". */
const char *scan_mode_name(scan_mode mode);

/* How many delivered scans the main thread has not released yet (any
 * thread); never more than SCANNER_MAX_IN_FLIGHT. */
unsigned scanner_scans_in_flight(void);

#endif
