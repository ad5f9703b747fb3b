/* What an ESC/POS printer says about itself, and what that means for the
 * kiosk. Pure functions on bytes (the driver, the simulator and the fuzz
 * target share them).
 *
 * Real-time status: DLE EOT n (10 04 n, n = 1 to 4) is answered at once,
 * even while the printer is stopped, with one byte each. Bits 1 and 4 are
 * always on and bits 0 and 7 always off, which tells these bytes apart from
 * anything else a printer sends (Epson, "identification of send status"):
 *   n=1 printer:  bit 2 drawer pin 3 high, 3 offline, 5 waiting for online
 *                 recovery, 6 feed button pressed
 *   n=2 offline cause: bit 2 cover open, 3 paper being fed by the button,
 *                 5 printing stopped at paper end, 6 an error occurred
 *   n=3 error cause: bit 2 recoverable error (black mark on some models),
 *                 3 autocutter error, 5 unrecoverable error, 6 automatically
 *                 recoverable error (head too hot, cover opened while printing)
 *   n=4 roll paper: bits 2-3 near end, bits 5-6 paper end
 * Transmit status: GS r 1 (1D 72 01) is answered only once everything sent
 * before it has printed, which makes it the "job done" mark. Its byte has
 * bits 4 and 7 off: bits 0-1 near end, bits 2-3 paper end. */
#ifndef KIOSK_DRIVERS_PRINTER_ESCPOS_STATUS_H
#define KIOSK_DRIVERS_PRINTER_ESCPOS_STATUS_H

#include "drivers/devices.h"
#include "firmware/base/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* DLE EOT 1, 2, 3, 4 in one write: four bytes come back, in that order. */
#define ESCPOS_STATUS_QUERY_LENGTH 12
extern const uint8_t escpos_status_query[ESCPOS_STATUS_QUERY_LENGTH];
/* GS r 1. */
#define ESCPOS_PAPER_QUERY_LENGTH 3
extern const uint8_t escpos_paper_query[ESCPOS_PAPER_QUERY_LENGTH];

typedef struct escpos_status {
    /* n=1 */
    bool drawer_high;
    bool offline;
    bool waiting_recovery;
    bool feed_button;
    /* n=2 */
    bool cover_open;
    bool feeding;
    bool paper_end_stop;
    bool error;
    /* n=3 */
    bool recoverable_error;
    bool cutter_error;
    bool unrecoverable_error;
    bool auto_recoverable_error;
    /* n=4 */
    bool paper_near_end;
    bool paper_out;
} escpos_status;

/* Is byte a real-time status byte (its fixed bits right)? */
bool escpos_status_byte(uint8_t byte);
/* Is byte an answer to GS r (bits 4 and 7 off)? */
bool escpos_paper_byte(uint8_t byte);

/* The answers to DLE EOT 1..4, in order. Errors: MALFORMED when a byte's
 * fixed bits are wrong (noise, or not an answer to these). */
kiosk_error escpos_status_parse(const uint8_t answers[4], escpos_status *out) KIOSK_MUST_CHECK;
/* The four bytes that say status (the simulator's side). */
void escpos_status_build(const escpos_status *status, uint8_t answers[4]);

/* The answer to GS r 1: is the paper out? near its end? */
void escpos_paper_parse(uint8_t answer, bool *near_end, bool *out);
uint8_t escpos_paper_build(bool near_end, bool out);

/* What a status means for the kiosk: the device state, the paper, and the
 * reason key (the string tables' "device.<reason>"). */
typedef struct escpos_condition {
    device_state state;
    device_supply supply;
    const char *reason;
    bool can_print;   /* a job may start (or go on) now */
    bool will_resume; /* not printing now, but it recovers by itself */
} escpos_condition;

/* The first that applies wins:
 *   cover open            hardware error  "cover-open"
 *   paper out             hardware error  "paper-out"    (supply out)
 *   autocutter error      hardware error  "cutter-error"
 *   unrecoverable error   hardware error  "printer-fault"
 *   auto-recoverable      busy            "recovering"   (resumes by itself)
 *   feeding by the button busy            "feeding"      (resumes by itself)
 *   other error, offline  offline         "offline"
 *   paper near its end    online          "paper-low"    (supply low)
 *   otherwise             online          "ready" */
escpos_condition escpos_status_condition(const escpos_status *status);

#endif
