/* The offline store as citizens and staff are told of it: a note beside
 * the clock while nothing can be kept, and staff's line with the link, the
 * outbox, what could not be written or recovered, and the paper. */
#include "firmware/app/app_store.h"
#include "firmware/app/app_core.h"
#include "firmware/app/app_devices.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_print.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_technician.h"

#include "firmware/platform/store_use.h"

#include <stdio.h>
#include <string.h>

bool app_store_broken(const kiosk_app *app)
{
    return app_platform_core(app) && platform_store_broken(app_platform_core(app));
}

const char *app_store_citizen_note_key(const kiosk_app *app)
{
    return app_store_broken(app) ? "store.unavailable_note" : NULL;
}

/* ---- what staff read at the foot of the attract screen ------------------- */

static void append(char *out, size_t size, const char *text)
{
    size_t used = strlen(out);
    if (used < size)
        snprintf(out + used, size - used, " · %s", text);
}

static void fill_one(const ui_frame_model *frame, const char *key, const char *problem, char *out,
                     size_t size)
{
    const char *names[] = {"problem"};
    char cut[160];
    snprintf(cut, sizeof cut, "%.150s", problem);
    const char *values[] = {cut};
    ui_strings_fill(ui_frame_text(frame, key), names, values, 1, out, size);
}

void app_platform_staff_note(const kiosk_app *app, const ui_frame_model *frame, char *out,
                             size_t size)
{
    platform_staff_facts facts = {0};
    if (app_platform_core(app))
        platform_staff_facts_get(app_platform_core(app), &facts);
    if (facts.broken) {
        /* Nothing is kept or sent: the link and the counts are beside the
         * point until the store opens. */
        fill_one(frame, "staff.store.broken", facts.problem, out, size);
        return;
    }
    sync_progress counted = app_platform_link_state(app);
    /* The store's counts, not the sync thread's last report: they are
     * right from the start, whether or not the link ever came up. */
    if (facts.counted) {
        counted.queued = facts.queued;
        counted.quarantined = facts.quarantined;
    }
    const sync_progress *p = &counted;
    char queued[24], quarantined[24], error[sizeof counted.last_error + 8] = "";
    snprintf(queued, sizeof queued, "%lld", (long long)p->queued);
    snprintf(quarantined, sizeof quarantined, "%lld", (long long)p->quarantined);
    /* Online yet not well is staff's too: acknowledgements that cannot be
     * written, a platform clock not believed. */
    bool trouble = p->link != SYNC_LINK_ONLINE || p->outbox_unwritable || p->clock_disagrees;
    if (app_platform_configured(app) && trouble && p->last_error[0])
        snprintf(error, sizeof error, " · %.150s", p->last_error);
    const char *names[] = {"link", "queued", "quarantined", "error"};
    const char *values[] = {ui_frame_text(frame, app_platform_link_key(app)), queued, quarantined,
                            error};
    ui_strings_fill(ui_frame_text(frame, "staff.status"), names, values, 4, out, size);
    if (facts.stranded_file[0]) {
        char count[24], left[256];
        snprintf(count, sizeof count, "%lld", (long long)facts.stranded);
        const char *left_names[] = {"count", "file"};
        const char *left_values[] = {count, facts.stranded_file};
        ui_strings_fill(ui_frame_text(frame, "staff.store.stranded"), left_names, left_values, 2,
                        left, sizeof left);
        append(out, size, left);
    }
    if (facts.write_failed[0]) {
        char failed[256];
        fill_one(frame, "staff.store.write_failed", facts.write_failed, failed, sizeof failed);
        append(out, size, failed);
    }
    /* Paper is staff's to refill: the printer's state when it needs them. */
    bool printer_needs_staff = app_print_available(app) && app_devices_started(app) &&
                               (app_device(app, DEVICE_PRINTER)->supply == DEVICE_SUPPLY_LOW ||
                                (app_device(app, DEVICE_PRINTER)->state != DEVICE_ONLINE &&
                                 app_device(app, DEVICE_PRINTER)->state != DEVICE_BUSY));
    if (printer_needs_staff) {
        char key[64];
        snprintf(key, sizeof key, "device.printer.%s.staff",
                 app_device(app, DEVICE_PRINTER)->reason[0]
                     ? app_device(app, DEVICE_PRINTER)->reason
                     : "not-found");
        const char *words = ui_strings_lookup(app_strings(app), app_language(app), key);
        if (words)
            append(out, size, words);
    }
    /* The terminal's certificate near its end (30 days): staff call the
     * technician before the link fails. */
    app_cert_status cert;
    if (app_cert_status_get((kiosk_app *)app, &cert) == KIOSK_OK && cert.present &&
        cert.renew_soon) {
        char days[16], words[160];
        snprintf(days, sizeof days, "%d", cert.days_left);
        const char *day_names[] = {"days"};
        const char *day_values[] = {days};
        ui_strings_fill(ui_frame_text(frame, cert.days_left < 0 ? "staff.cert.expired"
                                                                : "staff.cert.renew_soon"),
                        day_names, day_values, 1, words, sizeof words);
        append(out, size, words);
    }
}
