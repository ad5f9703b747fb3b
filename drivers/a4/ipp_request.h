/* The few IPP exchanges an A4 printer needs, through libcups: the
 * printer's state, a PDF sent as a job, the job's progress, and cancelling
 * it. Each call is one request and its answer, bounded by answer_ms; none
 * keeps anything of the document. */
#ifndef KIOSK_DRIVERS_A4_IPP_REQUEST_H
#define KIOSK_DRIVERS_A4_IPP_REQUEST_H

#include "firmware/base/error.h"

#include <stdbool.h>
#include <stddef.h>

#define IPP_REASONS_MAX 8
#define IPP_REASON_MAX  48

/* A printer's address, parsed once, and its connection (opened on first
 * use, reopened after a failure). */
typedef struct ipp_endpoint {
    char uri[256];
    char host[256];
    char resource[256];
    int port;
    bool tls;   /* ipps:// */
    void *http; /* libcups' http_t, or NULL */
} ipp_endpoint;

/* printer-state (3 idle, 4 processing, 5 stopped), printer-is-accepting-jobs
 * and printer-state-reasons (at most IPP_REASONS_MAX, each as sent, with
 * its -report/-warning/-error suffix). */
typedef struct ipp_printer_facts {
    int state;
    bool accepting;
    char reasons[IPP_REASONS_MAX][IPP_REASON_MAX];
    size_t reason_count;
} ipp_printer_facts;

/* job-state (3 pending .. 9 completed), job-impressions-completed (-1 when
 * the printer does not say) and job-state-reasons. */
typedef struct ipp_job_facts {
    int state;
    int impressions_completed;
    char reasons[IPP_REASONS_MAX][IPP_REASON_MAX];
    size_t reason_count;
} ipp_job_facts;

enum {
    IPP_PRINTER_IDLE = 3,
    IPP_PRINTER_PROCESSING = 4,
    IPP_PRINTER_STOPPED = 5,
    IPP_JOB_PENDING = 3,
    IPP_JOB_HELD = 4,
    IPP_JOB_PROCESSING = 5,
    IPP_JOB_STOPPED = 6,
    IPP_JOB_CANCELED = 7,
    IPP_JOB_ABORTED = 8,
    IPP_JOB_COMPLETED = 9,
};

/* Parses uri (ipp:// or ipps://, with a host). Errors: INVALID_ARGUMENT. */
kiosk_error ipp_endpoint_parse(const char *uri, ipp_endpoint *out) KIOSK_MUST_CHECK;
/* Closes the endpoints' connections. */
void ipp_endpoints_close(ipp_endpoint *endpoints, size_t count);

/* Get-Printer-Attributes. Errors: NO_DEVICE (no answer), MALFORMED (an
 * answer without printer-state), IO (an IPP error). */
kiosk_error ipp_printer_query(ipp_endpoint *endpoint, int answer_ms,
                              ipp_printer_facts *out) KIOSK_MUST_CHECK;
/* Print-Job of a PDF on A4 named title; *job_id the printer's. Errors:
 * NO_DEVICE (nothing could be sent), TIMEOUT (the document went, at least
 * in part, and no answer came: the printer may print it), IO (refused:
 * *refusal says why, an IPP status name). */
kiosk_error ipp_print_pdf(ipp_endpoint *endpoint, int answer_ms, const char *title, const void *pdf,
                          size_t length, int *job_id, char *refusal,
                          size_t refusal_size) KIOSK_MUST_CHECK;
/* Get-Job-Attributes of job_id. Errors: NO_DEVICE, IO, MALFORMED. */
kiosk_error ipp_job_query(ipp_endpoint *endpoint, int answer_ms, int job_id,
                          ipp_job_facts *out) KIOSK_MUST_CHECK;
/* Cancel-Job of job_id. Errors: NO_DEVICE, IO. */
kiosk_error ipp_job_cancel(ipp_endpoint *endpoint, int answer_ms, int job_id) KIOSK_MUST_CHECK;

/* Whether reason (as sent, suffix or not) is keyword. */
bool ipp_reason_is(const char *reason, const char *keyword);

#endif
