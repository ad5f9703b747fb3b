/* The app's side of the scanner: the scan step, what a scanned code means
 * there (a tracking number to look up), and the answer. A code scanned
 * anywhere else is ignored: scanned data is data, never input to a screen
 * that did not ask for it. */
#include "firmware/app_internal.h"

#include "drivers/scanner/scanner.h"
#include "firmware/log.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* The tracking number in a scanned code: the code itself, or the last part
 * of a URL's path (a receipt's QR may carry a link). false when it is not
 * one. */
static bool tracking_in(const char *data, char *out, size_t size)
{
    const char *start = data;
    const char *slash = strrchr(data, '/');
    if (slash && strstr(data, "://"))
        start = slash + 1;
    size_t length = strlen(start);
    if (length < 4 || length >= size)
        return false;
    for (size_t i = 0; i < length; i++)
        if (!isalnum((unsigned char)start[i]) && start[i] != '-')
            return false;
    memcpy(out, start, length + 1);
    return true;
}

static void show_note(kiosk_app *app, const char *key)
{
    app->scan.note = key;
    if (app_show(app, APP_SCREEN_SCAN) != KIOSK_OK)
        LOG_WARN("scan", "the scan step could not be shown again");
}

static void scanned(kiosk_app *app, const scan_event *scan)
{
    if (app->screen != APP_SCREEN_SCAN) {
        LOG_INFO("scan", "a %s code outside a scan step: ignored", scan->symbology);
        return;
    }
    if (app->scan.waiting)
        return; /* one question at a time */
    char tracking[64];
    if (!tracking_in(scan->data, tracking, sizeof tracking)) {
        LOG_INFO("scan", "a %s code that is not a tracking number (%zu bytes)", scan->symbology,
                 scan->length);
        show_note(app, "scan.not_a_number");
        return;
    }
    app->last_input_ms = app_now_ms(app); /* showing a code is the citizen acting */
    if (!app_platform_lookup(app, tracking)) {
        app->scan.answer = (sync_lookup_result){.outcome = SYNC_LOOKUP_NO_ANSWER};
        snprintf(app->scan.answer.tracking, sizeof app->scan.answer.tracking, "%s", tracking);
        if (app_show(app, APP_SCREEN_LOOKUP) != KIOSK_OK)
            LOG_WARN("scan", "the answer could not be shown");
        return;
    }
    app->scan.waiting = true;
    show_note(app, "scan.looking_up");
}

static void answered(kiosk_app *app, const sync_lookup_result *result)
{
    bool ours = app->scan.waiting && app->screen == APP_SCREEN_SCAN;
    app->scan.waiting = false;
    if (!ours)
        return; /* the citizen went on, or left */
    app->scan.answer = *result;
    if (app_show(app, APP_SCREEN_LOOKUP) != KIOSK_OK)
        LOG_WARN("scan", "the answer could not be shown");
}

void app_scan_event(kiosk_app *app, const app_event *event)
{
    if (event->kind == APP_EVENT_SCAN)
        scanned(app, event->payload);
    else if (event->kind == APP_EVENT_LOOKUP)
        answered(app, event->payload);
}

void app_scan_enter(kiosk_app *app)
{
    app->scan.note = NULL;
    app->scan.waiting = false;
}

kiosk_error app_scan_build(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    bool below = app->metrics.height_px >= app->metrics.width_px;
    const char *status = NULL;
    bool problem = false;
    char key[48];
    if (app->scan.note) {
        status = ui_frame_text(frame, app->scan.note);
        problem = strcmp(app->scan.note, "scan.not_a_number") == 0;
    } else if (app->scanner.state != DEVICE_ONLINE && app->scanner.state != DEVICE_BUSY) {
        snprintf(key, sizeof key, "device.%s",
                 app->scanner.reason[0] ? app->scanner.reason : "not-found");
        status = ui_frame_text(frame, key);
        problem = true;
    }
    ui_scan_model model = {
        .title = ui_frame_text(frame, "scan.title"),
        .prompt = ui_frame_text(frame, "scan.prompt.progress"),
        .where = ui_frame_text(frame, below ? "scan.where.below" : "scan.where.right"),
        .status = status,
        .status_problem = problem,
        .scanner_below = below};
    return ui_scan_build(frame, &model, out);
}

kiosk_error app_lookup_build(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    const sync_lookup_result *a = &app->scan.answer;
    char body[512], detail[160], status_key[48];
    snprintf(status_key, sizeof status_key, "lookup.status.%s", a->status);
    /* A status this terminal has no words for is shown as the platform said it. */
    const char *status = ui_strings_lookup(app->strings, app->language, status_key);
    if (!status)
        status = a->status;
    const char *names[] = {"number", "status", "note", "time"};
    const char *values[] = {a->tracking, status, a->note, a->updated_at};
    const char *key = a->outcome == SYNC_LOOKUP_FOUND       ? "lookup.found"
                      : a->outcome == SYNC_LOOKUP_NOT_FOUND ? "lookup.not_found"
                                                            : "lookup.no_answer";
    ui_strings_fill(ui_frame_text(frame, key), names, values, 4, body, sizeof body);
    detail[0] = '\0';
    if (a->outcome == SYNC_LOOKUP_FOUND && a->updated_at[0])
        ui_strings_fill(ui_frame_text(frame, "lookup.updated"), names, values, 4, detail,
                        sizeof detail);
    ui_notice_model model = {.title = ui_frame_text(frame, "lookup.title"),
                             .body = body,
                             .detail = detail,
                             .again = ui_frame_text(frame, "step.back"),
                             .problem = a->outcome != SYNC_LOOKUP_FOUND};
    return ui_notice_build(frame, &model, out);
}
