/* What an IPP printer's state means for the kiosk (a4_condition_of) and
 * the job and result objects passed between the main thread and the
 * printer's worker (a4_printer.h). */
#include "drivers/a4/a4_printer.h"

#include "firmware/base/monotonic.h"
#include "firmware/base/wipe_alloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The reasons the kiosk acts on, worst first: the first one present names
 * the status. Others ending in "-error" are a fault of their own. */
static const struct {
    const char *keyword;
    device_state state;
    device_supply supply;
    const char *reason;
    bool can_print;
} reasons[] = {
    {"offline", DEVICE_OFFLINE, DEVICE_SUPPLY_NONE, "offline", false},
    {"media-jam", DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_OK, "jam", false},
    {"jam", DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_OK, "jam", false},
    {"media-empty", DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_OUT, "paper-out", false},
    {"media-needed", DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_OUT, "paper-out", false},
    {"toner-empty", DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_OUT, "toner-out", false},
    {"marker-supply-empty", DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_OUT, "toner-out", false},
    {"door-open", DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_OK, "cover-open", false},
    {"cover-open", DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_OK, "cover-open", false},
    {"input-tray-missing", DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_OK, "tray-missing", false},
    {"toner-low", DEVICE_ONLINE, DEVICE_SUPPLY_LOW, "toner-low", true},
    {"marker-supply-low", DEVICE_ONLINE, DEVICE_SUPPLY_LOW, "toner-low", true},
    {"media-low", DEVICE_ONLINE, DEVICE_SUPPLY_LOW, "paper-low", true},
};

static bool has(const ipp_printer_facts *facts, const char *keyword)
{
    for (size_t i = 0; i < facts->reason_count; i++)
        if (ipp_reason_is(facts->reasons[i], keyword))
            return true;
    return false;
}

static bool has_error(const ipp_printer_facts *facts)
{
    for (size_t i = 0; i < facts->reason_count; i++) {
        size_t n = strlen(facts->reasons[i]);
        if (n > 6 && strcmp(facts->reasons[i] + n - 6, "-error") == 0)
            return true;
    }
    return false;
}

a4_condition a4_condition_of(const ipp_printer_facts *facts)
{
    size_t count = sizeof reasons / sizeof reasons[0];
    for (size_t i = 0; i < count; i++) {
        if (!reasons[i].can_print && has(facts, reasons[i].keyword))
            return (a4_condition){reasons[i].state, reasons[i].supply, reasons[i].reason, false};
    }
    if (has_error(facts))
        return (a4_condition){DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_OK, "printer-fault", false};
    if (facts->state == IPP_PRINTER_STOPPED || !facts->accepting || has(facts, "paused") ||
        has(facts, "moving-to-paused"))
        return (a4_condition){DEVICE_OFFLINE, DEVICE_SUPPLY_NONE, "stopped", false};
    a4_condition ready = {DEVICE_ONLINE, DEVICE_SUPPLY_OK, "ready", true};
    for (size_t i = 0; i < count; i++) {
        if (reasons[i].can_print && has(facts, reasons[i].keyword)) {
            ready.supply = reasons[i].supply;
            ready.reason = reasons[i].reason;
            break;
        }
    }
    return ready;
}

kiosk_error a4_job_create(uint64_t id, const void *pdf, size_t length, const char *title,
                          a4_job **out)
{
    *out = NULL;
    if (!pdf || !title || length < 5 || memcmp(pdf, "%PDF-", 5) != 0)
        return KIOSK_ERR_INVALID_ARGUMENT;
    if (length > A4_PDF_MAX)
        return KIOSK_ERR_TOO_BIG;
    a4_job *job = calloc(1, sizeof *job);
    if (!job)
        return KIOSK_ERR_NO_MEMORY;
    job->pdf = wipe_malloc(length);
    if (!job->pdf) {
        free(job);
        return KIOSK_ERR_NO_MEMORY;
    }
    memcpy(job->pdf, pdf, length);
    job->length = length;
    job->id = id;
    job->submitted_us = a4_now_us();
    /* The name shown in the printer's queue: printable ASCII only, so a
     * caller's mistake cannot put control bytes into an IPP name. */
    size_t n = 0;
    for (const char *c = title; *c && n < sizeof job->title - 1; c++)
        job->title[n++] = (*c >= ' ' && *c < 0x7f) ? *c : '_';
    if (n == 0)
        memcpy(job->title, "document", sizeof "document");
    *out = job;
    return KIOSK_OK;
}

void a4_job_wipe(a4_job *job)
{
    if (job->pdf)
        explicit_bzero(job->pdf, job->length);
}

void a4_job_release(void *opaque)
{
    a4_job *job = opaque;
    if (!job)
        return;
    a4_job_wipe(job);
    wipe_free(job->pdf);
    explicit_bzero(job, sizeof *job);
    free(job);
}

kiosk_error a4_submit(device_manager *manager, uint64_t id, const void *pdf, size_t length,
                      const char *title)
{
    a4_job *job = NULL;
    kiosk_error result = a4_job_create(id, pdf, length, title, &job);
    if (result != KIOSK_OK)
        return result;
    result = device_manager_submit(manager, DEVICE_A4_PRINTER, job, a4_job_release);
    if (result != KIOSK_OK)
        a4_job_release(job); /* refused: still ours */
    return result;
}

void a4_result_release(void *result)
{
    free(result);
}

uint64_t a4_now_us(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000u + (uint64_t)now.tv_nsec / 1000u;
}
