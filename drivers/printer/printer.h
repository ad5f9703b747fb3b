/* The receipt printer, as the main thread sees it: a job goes in
 * (device_manager_submit with kind DEVICE_PRINTER), a result comes back
 * (a delivery with a printer_result), and the device
 * status says ready, paper-low, paper-out, cover-open and the rest
 * (docs/printer.md has the table).
 *
 * A job is printed whole or reported failed: never "printed" when the paper
 * ran out, the cover opened or the printer stopped on the way. */
#ifndef KIOSK_DRIVERS_PRINTER_PRINTER_H
#define KIOSK_DRIVERS_PRINTER_PRINTER_H

#include "drivers/devices.h"
#include "drivers/printer/receipt.h"
#include "firmware/base/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct printer_job {
    uint64_t id; /* the caller's, handed back in the result */
    receipt receipt;
} printer_job;

/* A job printing a copy of r. Image bits are not copied: they must stay
 * valid until the job's result arrives (logos are static). NULL when out of
 * memory. Free with printer_job_release. */
printer_job *printer_job_create(uint64_t id, const receipt *r);
/* Frees a job (a void * for device_manager_submit), wiping the receipt:
 * it holds names and numbers. NULL is ignored. */
void printer_job_release(void *job);

/* Submits a copy of r as job id. Errors as device_manager_submit (NO_DEVICE:
 * no printer attached; BUSY: a job still waits to be taken), NO_MEMORY. */
kiosk_error printer_submit(device_manager *manager, uint64_t id, const receipt *r) KIOSK_MUST_CHECK;

/* What the driver delivers (device_deliver) when a job ends. */
typedef struct printer_result {
    uint64_t job_id;
    bool ok;           /* the whole receipt printed and was cut */
    char reason[32];   /* "printed", or the reason key of the failure */
    size_t bytes_sent; /* to the printer, commands and status requests aside */
    unsigned long ms;  /* from the driver taking the job to the result */
    size_t stand_ins;  /* characters printed as "?" or "□" (docs/printer.md) */
} printer_result;

/* Frees a result (the event's release). */
void printer_result_release(void *result);

#endif
