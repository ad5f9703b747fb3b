/* The A4 printer driver (IPP Everywhere through libcups): an explicit state
 * machine the device manager steps.
 *
 *   IDLE    asks the printer's state every idle_poll_ms and takes a job the
 *           moment one is submitted;
 *   CHECK   asks again before sending anything: a printer that cannot
 *           print (paper out, jam, toner out, stopped, gone) fails the job
 *           at once, with nothing sent;
 *   SEND    sends the PDF as one Print-Job (application/pdf, A4) and keeps
 *           the printer's job id; the document is wiped the moment the
 *           printer has it;
 *   FOLLOW  asks the job's state and the printer's every job_poll_ms until
 *           the job is completed, aborted or cancelled. A job held up by
 *           paper out or a jam for resume_wait_ms, not done within
 *           job_ceiling_ms, or whose printer stops answering for
 *           resume_wait_ms, is cancelled and failed: a certificate never
 *           comes out later for nobody. Only "completed" makes a job
 *           printed.
 *
 * Every job taken ends in exactly one a4_result, delivered. */
#include "drivers/a4/a4_printer.h"
#include "drivers/a4/ipp_request.h"
#include "drivers/a4/ipp_transport.h"

#include "firmware/base/log.h"
#include "firmware/base/monotonic.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MODULE "a4"

typedef enum a4_phase {
    A4_IDLE = 0,
    A4_FOLLOW,
} a4_phase;

typedef struct a4_printer {
    const ipp_link *link;
    ipp_endpoint endpoint;
    a4_phase phase;
    a4_condition condition; /* as last reported */
    /* The job in hand. */
    a4_job *job;
    void (*job_release)(void *job);
    int printer_job_id;
    bool sent;
    int pages;
    unsigned long accept_us;
    uint64_t deadline_ms;   /* the ceiling */
    uint64_t stalled_since; /* held up by the printer (0: moving) */
    uint64_t last_answer_ms;
    bool out_unknown; /* the printer went away or forgot the job: nobody can say what came out */
} a4_printer;

static void report(device_handle *handle, a4_condition condition)
{
    a4_printer *p = device_context(handle);
    p->condition = condition;
    device_report(handle, condition.state, condition.supply, condition.reason);
}

static const a4_condition unreachable = {DEVICE_OFFLINE, DEVICE_SUPPLY_NONE, "offline", false};

/* Asks the printer's state and reports it. False when it did not answer
 * (reported offline). */
static bool refresh(device_handle *handle, a4_condition *out)
{
    a4_printer *p = device_context(handle);
    ipp_printer_facts facts;
    kiosk_error asked = ipp_printer_query(&p->endpoint, p->link->timing.answer_ms, &facts);
    a4_condition condition = unreachable;
    if (asked == KIOSK_OK)
        condition = a4_condition_of(&facts);
    else if (asked != KIOSK_ERR_NO_DEVICE)
        condition = (a4_condition){DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_OK, "printer-fault", false};
    /* While a job is under way a printer that can print says so. */
    if (p->job && condition.can_print)
        condition.state = DEVICE_BUSY;
    report(handle, condition);
    if (out)
        *out = condition;
    return asked != KIOSK_ERR_NO_DEVICE;
}

static void deliver(device_handle *handle, uint64_t job_id, bool printed, const char *reason,
                    bool sent, bool anything_out, int pages, unsigned long accept_us,
                    uint64_t submitted_us)
{
    a4_result *result = calloc(1, sizeof *result);
    if (!result) {
        LOG_WARN(MODULE, "job %" PRIu64 ": no memory for its result", job_id);
        return;
    }
    *result = (a4_result){.job_id = job_id,
                          .printed = printed,
                          .sent = sent,
                          .anything_out = anything_out,
                          .pages = pages > 0 ? pages : 0,
                          .accept_us = accept_us,
                          .ms = (unsigned long)((a4_now_us() - submitted_us) / 1000u)};
    snprintf(result->reason, sizeof result->reason, "%s", reason);
    (void)device_deliver(handle, result, a4_result_release);
}

/* The job in hand ends: its one result, then the printer's state. */
static void finish(device_handle *handle, bool printed, const char *reason)
{
    a4_printer *p = device_context(handle);
    a4_job *job = p->job;
    /* A printer that went away with the document, or forgot it, may have
     * printed part of it: the tray is to be looked at. */
    bool anything_out = printed || p->pages > 0 || p->out_unknown;
    if (printed)
        LOG_INFO(MODULE, "job %" PRIu64 " printed, pages: %d", job->id, p->pages);
    else
        LOG_WARN(MODULE, "job %" PRIu64 " failed (%s): %s, %d pages out", job->id, reason,
                 p->sent ? "sent" : "nothing sent", p->pages);
    deliver(handle, job->id, printed, reason, p->sent, anything_out, p->pages, p->accept_us,
            job->submitted_us);
    p->job_release(job);
    p->job = NULL;
    p->job_release = NULL;
    p->phase = A4_IDLE;
    p->printer_job_id = 0;
    p->sent = false;
    p->pages = 0;
    p->accept_us = 0;
    p->stalled_since = 0;
    p->out_unknown = false;
}

/* A second job while one is under way is refused at once: the app sends
 * one at a time, and a waiting job would keep the worker from sleeping. */
static void refuse_waiting(device_handle *handle)
{
    void (*release)(void *job) = NULL;
    a4_job *waiting = device_take_job(handle, &release);
    if (!waiting)
        return;
    LOG_WARN(MODULE, "job %" PRIu64 " refused: another is under way", waiting->id);
    deliver(handle, waiting->id, false, "busy", false, false, 0, 0, waiting->submitted_us);
    release(waiting);
}

/* CHECK and SEND. */
static int start(device_handle *handle)
{
    a4_printer *p = device_context(handle);
    const ipp_timing *timing = &p->link->timing;
    /* A job that waited longer than a stopped job is given (the printer
     * was away) is not started: whoever asked for it may have gone. */
    if (a4_now_us() - p->job->submitted_us > (uint64_t)timing->resume_wait_ms * 1000u) {
        refresh(handle, NULL);
        finish(handle, false, "timeout");
        return timing->idle_poll_ms;
    }
    a4_condition condition;
    if (!refresh(handle, &condition) || !condition.can_print) {
        finish(handle, false, condition.reason);
        return timing->idle_poll_ms;
    }
    int job_id = 0;
    char refusal[64];
    kiosk_error sent = ipp_print_pdf(&p->endpoint, timing->answer_ms, p->job->title, p->job->pdf,
                                     p->job->length, &job_id, refusal, sizeof refusal);
    /* The printer has it, or it never will from this job: either way the
     * kiosk keeps no copy. */
    a4_job_wipe(p->job);
    if (sent != KIOSK_OK) {
        if (sent == KIOSK_ERR_IO)
            LOG_WARN(MODULE, "job %" PRIu64 " refused by the printer: %s", p->job->id, refusal);
        refresh(handle, NULL);
        /* The connection broke while or after the document went (no
         * answer): the printer may have it all and print it. */
        p->sent = p->out_unknown = sent == KIOSK_ERR_TIMEOUT;
        finish(handle, false, sent == KIOSK_ERR_IO ? "refused" : "offline");
        return timing->idle_poll_ms;
    }
    uint64_t now = monotonic_now_ms();
    p->sent = true;
    p->printer_job_id = job_id;
    p->accept_us = (unsigned long)(a4_now_us() - p->job->submitted_us);
    p->deadline_ms = now + (uint64_t)timing->job_ceiling_ms;
    p->last_answer_ms = now;
    p->phase = A4_FOLLOW;
    LOG_INFO(MODULE, "job %" PRIu64 " accepted as the printer's job %d in %lu us", p->job->id,
             job_id, p->accept_us);
    return timing->job_poll_ms;
}

/* Cancels the printer's job (best effort) and fails ours. */
static void give_up(device_handle *handle, const char *reason)
{
    a4_printer *p = device_context(handle);
    if (ipp_job_cancel(&p->endpoint, p->link->timing.answer_ms, p->printer_job_id) != KIOSK_OK)
        LOG_WARN(MODULE, "job %" PRIu64 ": the printer's job %d could not be cancelled", p->job->id,
                 p->printer_job_id);
    finish(handle, false, reason);
}

static const char *job_failure(const ipp_job_facts *job, const a4_condition *printer)
{
    if (!printer->can_print)
        return printer->reason;
    return job->state == IPP_JOB_CANCELED ? "canceled" : "aborted";
}

/* FOLLOW: one look at the job and the printer. */
static int follow(device_handle *handle)
{
    a4_printer *p = device_context(handle);
    const ipp_timing *timing = &p->link->timing;
    refuse_waiting(handle);
    uint64_t now = monotonic_now_ms();
    ipp_job_facts job;
    kiosk_error asked = ipp_job_query(&p->endpoint, timing->answer_ms, p->printer_job_id, &job);
    if (asked == KIOSK_ERR_NO_DEVICE) {
        report(handle, unreachable);
        if (now - p->last_answer_ms >= (uint64_t)timing->resume_wait_ms) {
            p->out_unknown = true;
            finish(handle, false, "offline");
        }
        return timing->job_poll_ms;
    }
    if (asked != KIOSK_OK) {
        /* The printer answers but no longer knows the job (it restarted):
         * whatever came out, the job did not complete. */
        refresh(handle, NULL);
        p->out_unknown = true;
        finish(handle, false, "aborted");
        return timing->idle_poll_ms;
    }
    p->last_answer_ms = now;
    if (job.impressions_completed > p->pages)
        p->pages = job.impressions_completed;
    a4_condition printer;
    refresh(handle, &printer);
    if (job.state == IPP_JOB_COMPLETED) {
        finish(handle, true, "printed");
        refresh(handle, NULL);
        return timing->idle_poll_ms;
    }
    if (job.state == IPP_JOB_ABORTED || job.state == IPP_JOB_CANCELED) {
        finish(handle, false, job_failure(&job, &printer));
        refresh(handle, NULL);
        return timing->idle_poll_ms;
    }
    bool held = !printer.can_print || job.state == IPP_JOB_STOPPED || job.state == IPP_JOB_HELD;
    if (!held)
        p->stalled_since = 0;
    else if (!p->stalled_since)
        p->stalled_since = now;
    if (held && now - p->stalled_since >= (uint64_t)timing->resume_wait_ms) {
        give_up(handle, printer.can_print ? "stopped" : printer.reason);
        refresh(handle, NULL);
        return timing->idle_poll_ms;
    }
    if (now >= p->deadline_ms) {
        give_up(handle, "timeout");
        refresh(handle, NULL);
        return timing->idle_poll_ms;
    }
    return timing->job_poll_ms;
}

static kiosk_error a4_open(device_handle *handle)
{
    a4_printer *p = device_context(handle);
    p->link = device_link(handle);
    if (!p->link || ipp_endpoint_parse(p->link->uri, &p->endpoint) != KIOSK_OK)
        return KIOSK_ERR_INVALID_ARGUMENT;
    if (!refresh(handle, NULL))
        return KIOSK_ERR_NO_DEVICE;
    return KIOSK_OK;
}

static int a4_step(device_handle *handle)
{
    a4_printer *p = device_context(handle);
    if (p->phase == A4_FOLLOW)
        return follow(handle);
    p->job = device_take_job(handle, &p->job_release);
    if (p->job)
        return start(handle);
    refresh(handle, NULL);
    return p->link->timing.idle_poll_ms;
}

static void a4_close(device_handle *handle)
{
    a4_printer *p = device_context(handle);
    /* The printer left (or the kiosk stops) with a job in hand: it is not
     * printed, whatever the printer does with it later. */
    if (p->job) {
        report(handle, unreachable);
        p->out_unknown = true;
        finish(handle, false, "offline");
    }
    ipp_endpoints_close(&p->endpoint, 1);
}

const device_driver a4_printer_driver = {
    .name = "a4-ipp-everywhere",
    .kind = DEVICE_A4_PRINTER,
    .match = {.transport = DEVICE_TRANSPORT_IPP},
    .context_size = sizeof(a4_printer),
    .open = a4_open,
    .step = a4_step,
    .close = a4_close,
};
