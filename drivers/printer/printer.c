/* The ESC/POS receipt printer driver: an explicit state machine the device
 * manager steps.
 *
 *   IDLE    asks the printer's status every POLL_MS (one small exchange)
 *           and takes a job the moment one is submitted;
 *   CHECK   asks before sending anything: a printer out of paper or open
 *           fails the job at once, with nothing sent;
 *   SEND    sends the rendered receipt in pieces cut at command boundaries,
 *           asking the status after each: paper out or cover open on the
 *           way fails the job;
 *   FINISH  sends GS r 1, which the printer answers only once everything
 *           before it has printed, and keeps asking the real-time status
 *           until it does. Only that answer makes a job "printed".
 *
 * Every job ends in exactly one printer_result, delivered. */
#include "drivers/printer/printer.h"
#include "drivers/devices.h"
#include "drivers/printer/escpos.h"
#include "drivers/printer/escpos_status.h"

#include "firmware/base/log.h"
#include "firmware/base/monotonic.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MODULE "printer"

/* An idle printer is asked every two seconds: paper refilled or a cover
 * closed shows within that, and the kiosk stays asleep in between. */
#define POLL_MS         2000
#define ANSWER_MS       1000 /* real-time status comes back within milliseconds */
#define DRAIN_MS        1    /* what is already waiting, if anything */
#define LINK_RETRIES    3
#define CHUNK           4096 /* bytes per write, between status checks */
#define SEND_MS         5000 /* a write the printer does not take (its buffer full) */
#define FINISH_POLL_MS  200  /* between status checks while the last lines print */
#define RESUME_WAIT_MS  10000
#define JOB_BASE_MS     30000
#define JOB_MS_PER_10KB 1000

typedef enum printer_state {
    PRINTER_IDLE = 0,
    PRINTER_CHECK,
    PRINTER_SEND,
    PRINTER_FINISH,
} printer_state;

typedef struct printer_type {
    const char *name;
    escpos_model model;
    uint8_t endpoint_out, endpoint_in; /* tried first; others are probed */
} printer_type;

/* In the same order as printer_types. */
static const usb_id printer_ids[] = {
    {0x04b8, 0x0202}, /* Epson TM-T88 series */
    {0x0416, 0x5011}, /* Winbond-bridge 58 mm printers ("POS58", Zjiang, GOOJPRT) */
    {0x0fe6, 0x811e}, /* ICS-bridge 80 mm printers (Xprinter and others) */
    {0x1209, 0x5250}, /* the simulated printer, 80 mm (drivers/sim/printer_sim.h) */
    {0x1209, 0x5251}, /* the simulated printer, 58 mm without QR */
};

static const printer_type printer_types[] = {
    {"epson-tm-t88", {.paper_mm = 80, .native_qr = true}, 0x01, 0x82},
    {"pos58", {.paper_mm = 58}, 0x03, 0x81},
    {"pos80", {.paper_mm = 80}, 0x02, 0x81},
    {"sim-80", {.paper_mm = 80, .native_qr = true}, 0x01, 0x82},
    {"sim-58", {.paper_mm = 58}, 0x01, 0x82},
};

_Static_assert(sizeof printer_ids / sizeof printer_ids[0] ==
                   sizeof printer_types / sizeof printer_types[0],
               "one type per USB id");

typedef struct printer {
    const printer_type *type;
    uint8_t endpoint_out, endpoint_in;
    printer_state state;
    uint64_t next_poll_ms;
    int link_failures;
    /* What came in: the latest real-time status bytes, and the answer to
     * GS r once it came. */
    uint8_t answers[4];
    size_t answer_count;
    bool finished;
    uint8_t finish_answer;
    escpos_status status; /* the last one parsed */
    /* The job in hand. */
    printer_job *job;
    void (*job_release)(void *job);
    escpos_output output;
    size_t sent;
    bool check_due; /* a write ended on a boundary: ask before the next */
    uint64_t started_ms, deadline_ms, resume_deadline_ms;
} printer;

static const printer_type *type_of(usb_id id)
{
    for (size_t i = 0; i < sizeof printer_ids / sizeof printer_ids[0]; i++)
        if (printer_ids[i].vendor == id.vendor && printer_ids[i].product == id.product)
            return &printer_types[i];
    return &printer_types[0];
}

/* Sorts what came in: real-time status bytes (the latest four kept), the
 * answer to GS r, and noise (dropped). */
static void absorb(printer *p, const uint8_t *bytes, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        if (escpos_status_byte(bytes[i])) {
            if (p->answer_count == sizeof p->answers) {
                memmove(p->answers, p->answers + 1, sizeof p->answers - 1);
                p->answer_count--;
            }
            p->answers[p->answer_count++] = bytes[i];
        } else if (escpos_paper_byte(bytes[i]) && p->state == PRINTER_FINISH) {
            p->finished = true;
            p->finish_answer = bytes[i];
        }
    }
}

static kiosk_error read_in(device_handle *handle, unsigned timeout_ms)
{
    printer *p = device_context(handle);
    uint8_t buffer[64];
    size_t got = 0;
    kiosk_error result =
        usb_transfer(device_usb(handle), p->endpoint_in, buffer, sizeof buffer, &got, timeout_ms);
    absorb(p, buffer, got);
    return result;
}

/* Reads what already waits (a late answer, or one a byte inside an image
 * asked for on printers that read DLE EOT there too), so the next answers
 * are ours. */
static kiosk_error drain(device_handle *handle)
{
    for (int i = 0; i < 8; i++) {
        kiosk_error result = read_in(handle, DRAIN_MS);
        if (result == KIOSK_ERR_TIMEOUT)
            return KIOSK_OK;
        if (result != KIOSK_OK)
            return result;
    }
    return KIOSK_OK;
}

/* DLE EOT 1..4 and their four answers. Errors: NO_DEVICE, TIMEOUT,
 * MALFORMED, IO. */
static kiosk_error query_status(device_handle *handle)
{
    printer *p = device_context(handle);
    kiosk_error result = drain(handle);
    if (result != KIOSK_OK)
        return result;
    p->answer_count = 0;
    uint8_t query[ESCPOS_STATUS_QUERY_LENGTH];
    memcpy(query, escpos_status_query, sizeof query);
    size_t moved = 0;
    result =
        usb_transfer(device_usb(handle), p->endpoint_out, query, sizeof query, &moved, ANSWER_MS);
    uint64_t deadline = monotonic_now_ms() + ANSWER_MS;
    while (result == KIOSK_OK && p->answer_count < 4) {
        uint64_t now = monotonic_now_ms();
        if (now >= deadline)
            return KIOSK_ERR_TIMEOUT;
        result = read_in(handle, (unsigned)(deadline - now));
    }
    if (result != KIOSK_OK)
        return result;
    return escpos_status_parse(p->answers, &p->status);
}

static void report(device_handle *handle, escpos_condition condition)
{
    device_report(handle, condition.state, condition.supply, condition.reason);
}

/* The job ends: its result to the main thread, then the status. */
static void finish_job(device_handle *handle, bool ok, const char *reason)
{
    printer *p = device_context(handle);
    uint64_t now = monotonic_now_ms();
    printer_result *result = calloc(1, sizeof *result);
    if (result) {
        result->job_id = p->job->id;
        result->ok = ok;
        snprintf(result->reason, sizeof result->reason, "%s", reason);
        result->bytes_sent = p->sent;
        result->ms = (unsigned long)(now - p->started_ms);
        result->stand_ins = p->output.stand_ins;
    }
    if (ok)
        LOG_INFO(MODULE, "job %" PRIu64 " printed: %zu bytes in %lu ms", p->job->id, p->sent,
                 (unsigned long)(now - p->started_ms));
    else
        LOG_WARN(MODULE, "job %" PRIu64 " failed (%s) after %zu of %zu bytes", p->job->id, reason,
                 p->sent, p->output.length);
    if (!result)
        LOG_ERROR(MODULE, "job %" PRIu64 ": no memory for its result", p->job->id);
    else if (device_deliver(handle, result, printer_result_release) != KIOSK_OK)
        LOG_WARN(MODULE, "job %" PRIu64 ": result not delivered, the event queue is full",
                 p->job->id);
    if (p->job_release)
        p->job_release(p->job);
    p->job = NULL;
    escpos_output_free(&p->output);
    p->sent = 0;
    p->finished = false;
    p->check_due = false;
    p->state = PRINTER_IDLE;
    p->next_poll_ms = now + POLL_MS;
}

/* A status exchange failed. NO_DEVICE ends the attachment (after failing
 * the job in hand, so its caller hears); otherwise a few in a row are a
 * fault for staff. Returns the step's result. */
static int link_failed(device_handle *handle, kiosk_error error)
{
    printer *p = device_context(handle);
    if (error == KIOSK_ERR_NO_DEVICE) {
        if (p->job)
            finish_job(handle, false, "unplugged");
        return -KIOSK_ERR_NO_DEVICE;
    }
    p->link_failures++;
    LOG_WARN(MODULE, "status exchange failed: %s (%d in a row)", kiosk_error_name(error),
             p->link_failures);
    if (p->link_failures < LINK_RETRIES)
        return 0;
    p->link_failures = 0;
    if (p->job)
        finish_job(handle, false, "not-answering");
    device_report(handle, DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_NONE, "not-answering");
    return POLL_MS;
}

/* Waits up to ms for anything the printer says: a pause that also catches
 * the answer to GS r the moment it comes. */
static kiosk_error linger(device_handle *handle, unsigned ms)
{
    kiosk_error result = read_in(handle, ms);
    return result == KIOSK_ERR_TIMEOUT ? KIOSK_OK : result;
}

static int start_job(device_handle *handle)
{
    printer *p = device_context(handle);
    p->started_ms = monotonic_now_ms();
    p->sent = 0;
    p->finished = false;
    kiosk_diag diag = {{0}};
    kiosk_error rendered = escpos_render(&p->job->receipt, &p->type->model, &p->output, &diag);
    if (rendered != KIOSK_OK) {
        LOG_WARN(MODULE, "job %" PRIu64 " cannot print: %s", p->job->id, diag.message);
        finish_job(handle, false, "receipt-invalid");
        return 0;
    }
    if (p->output.stand_ins > 0)
        LOG_INFO(MODULE, "job %" PRIu64 ": %zu characters the printer cannot print, as stand-ins",
                 p->job->id, p->output.stand_ins);
    p->deadline_ms = p->started_ms + JOB_BASE_MS + p->output.length / 10240 * JOB_MS_PER_10KB;
    p->resume_deadline_ms = p->started_ms + RESUME_WAIT_MS;
    p->state = PRINTER_CHECK;
    return 0;
}

static int step_idle(device_handle *handle)
{
    printer *p = device_context(handle);
    p->job = device_take_job(handle, &p->job_release);
    if (p->job)
        return start_job(handle);
    uint64_t now = monotonic_now_ms();
    if (now < p->next_poll_ms)
        return (int)(p->next_poll_ms - now);
    kiosk_error result = query_status(handle);
    p->next_poll_ms = monotonic_now_ms() + POLL_MS;
    if (result != KIOSK_OK)
        return link_failed(handle, result);
    p->link_failures = 0;
    report(handle, escpos_status_condition(&p->status));
    return POLL_MS;
}

static int step_check(device_handle *handle)
{
    printer *p = device_context(handle);
    kiosk_error result = query_status(handle);
    if (result != KIOSK_OK)
        return link_failed(handle, result);
    p->link_failures = 0;
    escpos_condition condition = escpos_status_condition(&p->status);
    if (condition.can_print) {
        device_report(handle, DEVICE_BUSY, condition.supply, "printing");
        p->state = PRINTER_SEND;
        return 0;
    }
    if (condition.will_resume && monotonic_now_ms() < p->resume_deadline_ms) {
        report(handle, condition);
        result = linger(handle, FINISH_POLL_MS);
        return result == KIOSK_OK ? 0 : link_failed(handle, result);
    }
    finish_job(handle, false, condition.reason); /* nothing was sent */
    report(handle, condition);
    return 0;
}

/* Where the next write ends: the furthest command boundary within CHUNK,
 * or the next one when a single item (an image) is larger. */
static size_t next_end(const printer *p)
{
    size_t best = 0;
    for (size_t i = 0; i < p->output.break_count; i++) {
        size_t at = p->output.breaks[i];
        if (at <= p->sent)
            continue;
        if (at - p->sent > CHUNK)
            return best ? best : at;
        best = at;
    }
    return best ? best : p->output.length;
}

static bool at_break(const printer *p)
{
    for (size_t i = 0; i < p->output.break_count; i++)
        if (p->output.breaks[i] == p->sent)
            return true;
    return false;
}

/* After a write, or while the last lines print: may the job go on? */
static int check_on_the_way(device_handle *handle, bool *go_on)
{
    printer *p = device_context(handle);
    *go_on = false;
    kiosk_error result = query_status(handle);
    if (result != KIOSK_OK)
        return link_failed(handle, result);
    p->link_failures = 0;
    escpos_condition condition = escpos_status_condition(&p->status);
    if (!condition.can_print && !condition.will_resume) {
        finish_job(handle, false, condition.reason);
        report(handle, condition);
        return 0;
    }
    if (monotonic_now_ms() > p->deadline_ms) {
        finish_job(handle, false, "not-answering");
        return 0;
    }
    device_report(handle, DEVICE_BUSY, condition.supply,
                  condition.will_resume ? condition.reason : "printing");
    *go_on = true;
    return 0;
}

/* The status is asked only between commands (a request inside an image's
 * data would be printed as dots); a write cut short by a time-out goes on
 * where it stopped until the job's deadline. */
static int step_send(device_handle *handle)
{
    printer *p = device_context(handle);
    if (p->check_due) {
        bool go_on = false;
        int wait = check_on_the_way(handle, &go_on);
        if (!go_on)
            return wait;
        p->check_due = false;
        if (p->sent == p->output.length) {
            uint8_t mark[ESCPOS_PAPER_QUERY_LENGTH];
            memcpy(mark, escpos_paper_query, sizeof mark);
            size_t moved = 0;
            p->finished = false;
            p->state = PRINTER_FINISH;
            kiosk_error result = usb_transfer(device_usb(handle), p->endpoint_out, mark,
                                              sizeof mark, &moved, ANSWER_MS);
            return result == KIOSK_OK ? 0 : link_failed(handle, result);
        }
    }
    size_t end = next_end(p);
    size_t moved = 0;
    kiosk_error result = usb_transfer(device_usb(handle), p->endpoint_out,
                                      p->output.bytes + p->sent, end - p->sent, &moved, SEND_MS);
    p->sent += moved;
    if (result == KIOSK_ERR_NO_DEVICE)
        return link_failed(handle, result);
    if (result != KIOSK_OK && result != KIOSK_ERR_TIMEOUT) {
        LOG_WARN(MODULE, "write failed: %s", kiosk_error_name(result));
        finish_job(handle, false, "not-answering");
        return 0;
    }
    if (at_break(p))
        p->check_due = true;
    else if (monotonic_now_ms() > p->deadline_ms)
        finish_job(handle, false, "not-answering");
    return 0;
}

static int step_finish(device_handle *handle)
{
    printer *p = device_context(handle);
    if (!p->finished) {
        kiosk_error waited = linger(handle, FINISH_POLL_MS);
        if (waited != KIOSK_OK)
            return link_failed(handle, waited);
    }
    if (p->finished) {
        bool near_end = false, out = false;
        escpos_paper_parse(p->finish_answer, &near_end, &out);
        finish_job(handle, !out, out ? "paper-out" : "printed");
        kiosk_error result = query_status(handle);
        if (result != KIOSK_OK)
            return link_failed(handle, result);
        report(handle, escpos_status_condition(&p->status));
        return 0;
    }
    bool go_on = false;
    return check_on_the_way(handle, &go_on);
}

static int printer_step(device_handle *handle)
{
    printer *p = device_context(handle);
    switch (p->state) {
    case PRINTER_IDLE:
        return step_idle(handle);
    case PRINTER_CHECK:
        return step_check(handle);
    case PRINTER_SEND:
        return step_send(handle);
    case PRINTER_FINISH:
        return step_finish(handle);
    }
    return POLL_MS;
}

/* Which endpoints answer: the type's first, then the usual others (the
 * same printer model ships with different numbering). A transport refuses
 * an endpoint the interface lacks at once. */
static kiosk_error find_endpoints(device_handle *handle)
{
    printer *p = device_context(handle);
    const uint8_t outs[] = {p->type->endpoint_out, 0x01, 0x02, 0x03};
    const uint8_t ins[] = {p->type->endpoint_in, 0x81, 0x82, 0x83};
    kiosk_error result = KIOSK_ERR_IO;
    for (size_t i = 0; i < sizeof outs; i++) {
        uint8_t query[ESCPOS_STATUS_QUERY_LENGTH];
        memcpy(query, escpos_status_query, sizeof query);
        size_t moved = 0;
        result = usb_transfer(device_usb(handle), outs[i], query, sizeof query, &moved, ANSWER_MS);
        if (result == KIOSK_OK) {
            p->endpoint_out = outs[i];
            break;
        }
        if (result != KIOSK_ERR_INVALID_ARGUMENT && result != KIOSK_ERR_IO)
            return result;
    }
    if (result != KIOSK_OK)
        return result;
    for (size_t i = 0; i < sizeof ins; i++) {
        p->endpoint_in = ins[i];
        result = read_in(handle, ANSWER_MS);
        if (result != KIOSK_ERR_INVALID_ARGUMENT && result != KIOSK_ERR_IO)
            return result;
    }
    return result;
}

static kiosk_error printer_open(device_handle *handle)
{
    printer *p = device_context(handle);
    p->type = type_of(device_usb(handle)->id);
    kiosk_error result = find_endpoints(handle);
    bool found = result == KIOSK_OK || result == KIOSK_ERR_TIMEOUT || result == KIOSK_ERR_MALFORMED;
    /* Endpoints found (one may only have been slow to answer): ask properly. */
    for (int attempt = 0; found && attempt < LINK_RETRIES; attempt++) {
        result = query_status(handle);
        if (result == KIOSK_OK || result == KIOSK_ERR_NO_DEVICE)
            break;
    }
    if (result != KIOSK_OK) {
        device_report(handle, DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_NONE, "not-answering");
        return result;
    }
    LOG_INFO(MODULE, "%s, %d mm paper, %s QR, endpoints 0x%02x/0x%02x", p->type->name,
             p->type->model.paper_mm, p->type->model.native_qr ? "native" : "raster",
             p->endpoint_out, p->endpoint_in);
    report(handle, escpos_status_condition(&p->status));
    p->next_poll_ms = monotonic_now_ms() + POLL_MS;
    return KIOSK_OK;
}

/* The manager stops stepping a device the moment the bus says it left, so
 * a job still in hand here ends now, as unplugged (or as the kiosk stops). */
static void printer_close(device_handle *handle)
{
    printer *p = device_context(handle);
    if (p->job)
        finish_job(handle, false, "unplugged");
    escpos_output_free(&p->output);
}

const device_driver printer_driver = {
    .name = "printer-escpos",
    .kind = DEVICE_PRINTER,
    .match = {.transport = DEVICE_TRANSPORT_USB,
              .usb = {.ids = printer_ids,
                      .id_count = sizeof printer_ids / sizeof printer_ids[0],
                      .interface = 0}},
    .context_size = sizeof(printer),
    .open = printer_open,
    .step = printer_step,
    .close = printer_close};
