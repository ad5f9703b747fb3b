/* The A4 printer, as the main thread sees it: a PDF goes in
 * (device_manager_submit with kind DEVICE_A4_PRINTER, or a4_submit), an
 * a4_result comes back as the device's delivery, and the device status
 * says ready, paper-out, jam, toner-low, offline and the rest, from the
 * printer's IPP printer-state and printer-state-reasons (docs/a4-printer.md
 * has the table).
 *
 * A job is checked before anything is sent (a printer that cannot print
 * refuses it with the reason), sent with libcups, and followed until the
 * printer says it completed, aborted or was cancelled. It is "printed" only
 * when the printer completed it: never when the paper ran out, the printer
 * stopped or went away on the way. */
#ifndef KIOSK_DRIVERS_A4_A4_PRINTER_H
#define KIOSK_DRIVERS_A4_A4_PRINTER_H

#include "drivers/a4/ipp_request.h"
#include "drivers/devices.h"
#include "firmware/base/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define A4_TITLE_MAX 64
#define A4_PDF_MAX   (32u * 1024u * 1024u)

typedef struct a4_job {
    uint64_t id;        /* the caller's, handed back in the result */
    unsigned char *pdf; /* a wiped allocation, wiped again when released */
    size_t length;
    char title[A4_TITLE_MAX]; /* the job's name at the printer: never personal */
    uint64_t submitted_us;    /* monotonic microseconds (a4_now_us), when the job was made */
} a4_job;

/* A job printing a copy of the length bytes of pdf (which must start with
 * "%PDF-") named title (printable, cut to A4_TITLE_MAX - 1 bytes). Errors:
 * INVALID_ARGUMENT (not a PDF, empty, NULL), TOO_BIG (over A4_PDF_MAX),
 * NO_MEMORY. */
kiosk_error a4_job_create(uint64_t id, const void *pdf, size_t length, const char *title,
                          a4_job **out) KIOSK_MUST_CHECK;
/* Zeroes the job's document in place: the driver does it the moment the
 * printer has the document, and a4_job_release again. */
void a4_job_wipe(a4_job *job);
/* Wipes and frees a job (a void * for device_manager_submit). NULL is
 * ignored. */
void a4_job_release(void *job);
/* Submits a copy as job id. Errors as a4_job_create and
 * device_manager_submit (NO_DEVICE: no printer answers; BUSY: a job still
 * waits to be taken). */
kiosk_error a4_submit(device_manager *manager, uint64_t id, const void *pdf, size_t length,
                      const char *title) KIOSK_MUST_CHECK;

/* What the driver delivers (device_deliver) when a job ends: exactly one
 * per job taken. */
typedef struct a4_result {
    uint64_t job_id;
    bool printed;            /* the printer completed the job: every page came out */
    bool sent;               /* the document reached the printer */
    bool anything_out;       /* a failed job may have left pages in the tray */
    int pages;               /* job-impressions-completed as the printer last said (0 unknown) */
    char reason[32];         /* "printed", or the failure's reason key */
    unsigned long accept_us; /* from the job's making to the printer's job id (0: none) */
    unsigned long ms;        /* from the job's making to this result */
} a4_result;

void a4_result_release(void *result);

/* The monotonic clock in microseconds (a job's timings). */
uint64_t a4_now_us(void);

/* What a printer's state means for the kiosk: the device status to report,
 * and whether a job may be sent now. */
typedef struct a4_condition {
    device_state state;
    device_supply supply;
    const char *reason; /* a static reason key */
    bool can_print;
} a4_condition;

/* Maps printer-state and printer-state-reasons onto the core's status
 * (docs/a4-printer.md): the worst reason wins. */
a4_condition a4_condition_of(const ipp_printer_facts *facts);

#endif
