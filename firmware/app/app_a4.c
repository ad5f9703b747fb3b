/* The A4 printer as the app sees it (app_a4.h): one job at a time, its
 * outcome kept until the next, and news for the screen shown. */
#include "firmware/app/app_a4.h"
#include "firmware/app/app_devices.h"
#include "firmware/app/navigation.h"

#include "drivers/a4/a4_printer.h"
#include "drivers/a4/ipp_transport.h"
#include "firmware/base/log.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define KEY_PREFIX "device.a4-printer."

/* One app to a process, like the devices. */
static struct {
    uint64_t next_job; /* never reused, across apps too: a late result is not the next job's */
    uint64_t job;      /* the job under way, or the last one */
    bool under_way;
    app_a4_outcome last;
    char ready_reason[48];
    bool timing_set;
    ipp_timing timing;
} a4;

/* "device.a4-printer.<reason>": the driver's reasons are short enough for
 * an outcome's 32 bytes (docs/a4-printer.md); one that is not (a bug) reads
 * as a fault rather than as a cut key with no string. */
static void key_of(const char *reason, char *out, size_t size)
{
    size_t prefix = sizeof KEY_PREFIX - 1, length = strlen(reason);
    if (!length)
        reason = "not-found", length = strlen(reason);
    if (prefix + length >= size)
        reason = "printer-fault", length = strlen(reason);
    memcpy(out, KEY_PREFIX, prefix);
    memcpy(out + prefix, reason, length + 1);
}

void app_a4_reset(kiosk_app *app)
{
    (void)app;
    a4.under_way = false;
    a4.job = 0;
    a4.last = (app_a4_outcome){0};
}

bool app_a4_ready(kiosk_app *app, const char **reason)
{
    const device_status *status = app_device(app, DEVICE_A4_PRINTER);
    bool ready = !a4.under_way && status->state == DEVICE_ONLINE;
    if (reason) {
        if (ready)
            *reason = "";
        else {
            key_of(a4.under_way ? "busy" : status->reason, a4.ready_reason, sizeof a4.ready_reason);
            *reason = a4.ready_reason;
        }
    }
    return ready;
}

kiosk_error app_a4_print(kiosk_app *app, const void *pdf, size_t length, const char *title)
{
    if (a4.under_way)
        return KIOSK_ERR_BUSY;
    device_manager *manager = app_devices_manager(app, DEVICE_A4_PRINTER);
    if (!manager)
        return KIOSK_ERR_NO_DEVICE;
    uint64_t id = ++a4.next_job;
    kiosk_error result = a4_submit(manager, id, pdf, length, title);
    if (result != KIOSK_OK) {
        LOG_WARN("a4", "job %" PRIu64 " not submitted: %s", id, kiosk_error_name(result));
        return result;
    }
    LOG_INFO("a4", "job %" PRIu64 " submitted: %zu bytes", id, length);
    a4.job = id;
    a4.under_way = true;
    a4.last = (app_a4_outcome){.done = false};
    return KIOSK_OK;
}

const app_a4_outcome *app_a4_last(kiosk_app *app)
{
    (void)app;
    return &a4.last;
}

void app_a4_status(kiosk_app *app, const device_status *status)
{
    if (!a4.under_way)
        return;
    /* The printer left with the job still waiting for its driver: it is
     * taken back, so it cannot print when the printer returns, perhaps
     * after the citizen has gone. A job the driver had is failed by the
     * driver itself (its result came before this status). */
    device_manager *manager = app_devices_manager(app, DEVICE_A4_PRINTER);
    if (status->state == DEVICE_NO_DEVICE && manager &&
        device_manager_withdraw(manager, DEVICE_A4_PRINTER)) {
        LOG_WARN("a4", "job %" PRIu64 " taken back: the printer left before it began", a4.job);
        a4.under_way = false;
        a4.last = (app_a4_outcome){.done = true};
        key_of(status->reason, a4.last.reason, sizeof a4.last.reason);
    }
    app_tell(app, APP_NEWS_A4);
}

void app_a4_event(kiosk_app *app, const void *payload)
{
    const a4_result *result = payload;
    if (!a4.under_way || result->job_id != a4.job)
        return; /* a job of an app gone, or one refused as a second */
    a4.under_way = false;
    a4.last = (app_a4_outcome){.done = true, .printed = result->printed, .pages = result->pages};
    if (!result->printed)
        key_of(result->reason, a4.last.reason, sizeof a4.last.reason);
    LOG_INFO("a4", "job %" PRIu64 ": %s, %d pages%s, accepted in %lu us", result->job_id,
             result->reason, result->pages,
             !result->printed && result->anything_out ? " (some may have come out)" : "",
             result->accept_us);
    app_tell(app, APP_NEWS_A4);
}

const ipp_timing *app_a4_timing(void)
{
    return a4.timing_set ? &a4.timing : NULL;
}

void app_a4_set_timing(const ipp_timing *timing)
{
    a4.timing_set = timing != NULL;
    if (timing)
        a4.timing = *timing;
}
