/* The A4 printer as the app sees it (app_a4.c): whether it can print now,
 * a PDF sent to it, and how the last job ended. A job is never "printed"
 * unless the printer said every page came out. When a job ends, or the
 * printer's status changes while one is under way, the controller of the
 * screen shown gets APP_NEWS_A4 (app_tell). Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_A4_H
#define KIOSK_FIRMWARE_APP_APP_A4_H

#include "drivers/devices.h"
#include "firmware/app/app_core.h"
#include "firmware/base/error.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct app_a4_outcome {
    bool done;       /* the last job ended (printed or failed) */
    bool printed;    /* every page came out */
    int pages;       /* pages the printer says it printed */
    char reason[32]; /* why not, a device.<reason> string key; "" when printed */
} app_a4_outcome;

/* Whether the A4 printer can print now; *reason (a device.<reason> key) when not. */
bool app_a4_ready(kiosk_app *app, const char **reason);
/* Prints a PDF on A4: the bytes are copied (and wiped after). Errors: NO_DEVICE, BUSY, NO_MEMORY.
 */
kiosk_error app_a4_print(kiosk_app *app, const void *pdf, size_t length,
                         const char *title) KIOSK_MUST_CHECK;
/* The last job's outcome (done false while one is under way). */
const app_a4_outcome *app_a4_last(kiosk_app *app);

/* For app_devices.c: a new app starts with no job; the printer's status;
 * a job's end (the delivery's payload, an a4_result); how often the
 * printer is asked (app_a4_set_timing, for tests: before the app starts;
 * NULL: the defaults of drivers/a4/ipp_transport.h). */
struct ipp_timing;
void app_a4_reset(kiosk_app *app);
void app_a4_status(kiosk_app *app, const device_status *status);
void app_a4_event(kiosk_app *app, const void *result);
const struct ipp_timing *app_a4_timing(void);
void app_a4_set_timing(const struct ipp_timing *timing);

#endif
