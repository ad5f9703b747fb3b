/* The IPP transport: printers reached through libcups at the URIs a board
 * profile names (ipp:// or ipps://), as the device core sees them
 * (device_transport).
 *
 * A printer "arrives" when it answers Get-Printer-Attributes and "leaves"
 * when it stops answering (after IPP_BUS_MISSES probes in a row). One thread
 * asks every URI once per probe interval and sleeps in between: an idle
 * kiosk spends no CPU on its printers. What the driver talks to is an
 * ipp_link (device_link): the printer's URI and the bus's timing. */
#ifndef KIOSK_DRIVERS_A4_IPP_TRANSPORT_H
#define KIOSK_DRIVERS_A4_IPP_TRANSPORT_H

#include "drivers/devices.h"
#include "firmware/base/error.h"

#include <stddef.h>

#define IPP_BUS_URIS   4
#define IPP_URI_MAX    256
#define IPP_BUS_MISSES 2 /* unanswered probes in a row before a printer leaves */

/* How often things are asked, and how long an answer or a job may take. The
 * defaults (ipp_bus_create with NULL) suit a printer in a service hall;
 * tests shorten them. */
typedef struct ipp_timing {
    int probe_ms;       /* the transport asks each URI: 5000 */
    int idle_poll_ms;   /* the driver asks an attached printer's state: 5000 */
    int job_poll_ms;    /* ... and a job's, while one is under way: 1000 */
    int answer_ms;      /* one request and its answer: 5000 */
    int resume_wait_ms; /* a job stopped by paper out or a jam is cancelled after: 30000 */
    int job_ceiling_ms; /* a job not done by then is cancelled: 180000 */
} ipp_timing;

typedef struct ipp_bus ipp_bus;

/* A bus over count printer URIs (1..IPP_BUS_URIS), each checked: ipp:// or
 * ipps://, a host, no spaces or control characters, shorter than
 * IPP_URI_MAX. timing NULL: the defaults. Errors: INVALID_ARGUMENT (with the
 * URI's index in *bad when bad is not NULL), NO_MEMORY. */
kiosk_error ipp_bus_create(const char *const *uris, size_t count, const ipp_timing *timing,
                           ipp_bus **out) KIOSK_MUST_CHECK;
/* Frees the bus; its watch must have been stopped (device_manager_stop).
 * NULL is ignored. */
void ipp_bus_destroy(ipp_bus *bus);
/* Whether uri is one ipp_bus_create takes. */
bool ipp_uri_valid(const char *uri);

/* The device core's transport over an ipp_bus. */
extern const device_transport ipp_device_transport;

/* What an IPP driver talks to (device_link). */
typedef struct ipp_link {
    char uri[IPP_URI_MAX];
    ipp_timing timing;
} ipp_link;

#endif
