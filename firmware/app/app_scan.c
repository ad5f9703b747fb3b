/* The app's side of the scanner: the scan step, what a scanned code means
 * there (a tracking number to look up), and the answer. A code scanned
 * anywhere else is ignored: scanned data is data, never input to a screen
 * that did not ask for it. */
#include "firmware/app/app_scan.h"
#include "firmware/app/app_core.h"
#include "firmware/app/app_devices.h"
#include "firmware/app/app_flow.h"
#include "firmware/app/app_identify.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_print.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_signin.h"
#include "firmware/app/navigation.h"

#include "drivers/scanner/scanner.h"
#include "firmware/base/amount.h"
#include "firmware/base/local_time.h"
#include "firmware/base/log.h"
#include "ui/strings.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* The scan step and the lookup it starts. */
static struct {
    const char *note;          /* a string key the step shows now, or NULL */
    bool waiting;              /* a lookup is under way */
    sync_lookup_result answer; /* what the platform said */
    /* This terminal's own record of the number: shown when the platform
     * cannot be asked, or does not know it yet. */
    bool local_found, local_answer;
    receipt_entry local;
    char typed[24];   /* the digits of a number typed instead */
    bool typed_short; /* too few to be a number */
    bool eid_waiting; /* an e-ID code is being verified */
} lookup;

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
    lookup.note = key;
    if (app_go(app, APP_SCREEN_SCAN) != KIOSK_OK)
        LOG_WARN("scan", "the scan step could not be shown again");
}

static void show_answer(kiosk_app *app)
{
    if (app_go(app, APP_SCREEN_LOOKUP) != KIOSK_OK)
        LOG_WARN("scan", "the answer could not be shown");
}

/* Asks the platform about number; when it cannot be asked, answers from
 * this terminal's own record of it (or says there is none). */
static void ask(kiosk_app *app, const char *number)
{
    lookup.local_found = app_platform_find_receipt(app, number, &lookup.local);
    lookup.local_answer = false;
    if (app_platform_link_usable(app) && app_platform_lookup(app, number)) {
        lookup.waiting = true;
        if (app_current_screen(app) == APP_SCREEN_SCAN)
            show_note(app, "scan.looking_up");
        else if (app_go(app, app_current_screen(app)) != KIOSK_OK)
            LOG_WARN("scan", "the number could not be shown");
        return;
    }
    LOG_INFO("scan", "the platform cannot be asked: answered from this terminal (%s)",
             lookup.local_found ? "found" : "no record");
    lookup.answer = (sync_lookup_result){.outcome = SYNC_LOOKUP_NO_ANSWER};
    snprintf(lookup.answer.tracking, sizeof lookup.answer.tracking, "%s", number);
    lookup.local_answer = true;
    show_answer(app);
}

/* ---- an e-ID code as identification -------------------------------------- */

bool app_scan_eid_allowed(const kiosk_app *app)
{
    return app_session_flow(app)->service &&
           app_session_flow(app)->service->identity == CATALOG_IDENTITY_ID_CARD_OR_EID;
}

static void card_says(kiosk_app *app, const char *key)
{
    app_card_set_notice(app, key);
    if (app_go(app, APP_SCREEN_CARD) != KIOSK_OK)
        LOG_WARN("scan", "the card step could not be shown again");
}

/* A code shown on the card step of a service that takes an e-ID: the
 * platform says who it is. Without the link it cannot be checked, and the
 * citizen is told to use the card. */
static void eid_scanned(kiosk_app *app, const scan_event *scan)
{
    if (app_session_identified(app) || lookup.eid_waiting)
        return;
    app_session_touched(app);
    if (!app_platform_can_ask(app)) {
        LOG_INFO("scan", "an e-ID code, with no link to verify it");
        card_says(app, "card.eid_offline");
        return;
    }
    if (!app_platform_verify_eid(app, scan->data)) {
        card_says(app, "card.eid_no_answer");
        return;
    }
    lookup.eid_waiting = true;
    card_says(app, "card.eid_checking");
}

void app_scan_eid_answer(kiosk_app *app, const sync_eid_result *result)
{
    bool ours = lookup.eid_waiting && app_current_screen(app) == APP_SCREEN_CARD;
    lookup.eid_waiting = false;
    if (!ours)
        return; /* the citizen left the card step */
    if (result->outcome == SYNC_EID_REFUSED) {
        LOG_INFO("scan", "an e-ID code refused (%s)", result->expired ? "expired" : "not one");
        card_says(app, result->expired ? "card.eid_expired" : "card.eid_invalid");
        return;
    }
    if (result->outcome != SYNC_EID_FOUND) {
        card_says(app, "card.eid_no_answer");
        return;
    }
    if (!app_session_identify(app, result->name, result->id_number, "", true)) {
        LOG_WARN("scan", "a second citizen's e-ID was refused in this session");
        card_says(app, "card.other_citizen");
        return;
    }
    app_card_set_notice(app, NULL);
    LOG_INFO("scan", "citizen identified by e-ID");
    app_flow_identified(app);
}

static void scanned(kiosk_app *app, const scan_event *scan)
{
    /* Nobody here: a staff QR code shown signs its holder in. */
    if (app_current_screen(app) == APP_SCREEN_ATTRACT && !app_in_session(app) &&
        app_role_current(app) == STAFF_ROLE_NONE && app_signin_token(app, scan->data))
        return;
    if (app_current_screen(app) == APP_SCREEN_CARD && app_scan_eid_allowed(app)) {
        eid_scanned(app, scan);
        return;
    }
    if (app_current_screen(app) != APP_SCREEN_SCAN) {
        LOG_INFO("scan", "a %s code outside a scan step: ignored", scan->symbology);
        return;
    }
    if (lookup.waiting)
        return; /* one question at a time */
    char tracking[64];
    if (!tracking_in(scan->data, tracking, sizeof tracking)) {
        LOG_INFO("scan", "a %s code that is not a tracking number (%zu bytes)", scan->symbology,
                 scan->length);
        show_note(app, "scan.not_a_number");
        return;
    }
    app_session_touched(app); /* showing a code is the citizen acting */
    ask(app, tracking);
}

static void answered(kiosk_app *app, const sync_lookup_result *result)
{
    bool ours = lookup.waiting && (app_current_screen(app) == APP_SCREEN_SCAN ||
                                   app_current_screen(app) == APP_SCREEN_NUMBER);
    lookup.waiting = false;
    if (!ours)
        return; /* the citizen went on, or left */
    lookup.answer = *result;
    /* Not there yet, or no answer: what this terminal knows is better than
     * nothing. */
    lookup.local_answer = result->outcome != SYNC_LOOKUP_FOUND && lookup.local_found;
    show_answer(app);
}

/* ---- a number typed instead ---------------------------------------------- */

#define TYPED_MIN_DIGITS 6

void app_number_key(kiosk_app *app, int key)
{
    char *typed = lookup.typed;
    size_t length = strlen(typed);
    lookup.typed_short = false;
    if (key == UI_KEY_CLEAR)
        explicit_bzero(typed, sizeof lookup.typed);
    else if (key == UI_KEY_DELETE && length > 0)
        typed[length - 1] = '\0';
    else if (key >= '0' && key <= '9' && length + 1 < sizeof lookup.typed)
        typed[length] = (char)key;
    if (app_go(app, APP_SCREEN_NUMBER) != KIOSK_OK)
        LOG_WARN("scan", "the number could not be shown");
}

void app_number_ask(kiosk_app *app)
{
    if (lookup.waiting)
        return;
    if (strlen(lookup.typed) < TYPED_MIN_DIGITS) {
        lookup.typed_short = true;
        if (app_go(app, APP_SCREEN_NUMBER) != KIOSK_OK)
            LOG_WARN("scan", "the number could not be shown");
        return;
    }
    ask(app, lookup.typed);
}

kiosk_error app_number_build(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    const catalog_service *service = app_session_flow(app)->service;
    ui_step_model step = {.title = service ? service->name[app_language(app)] : "",
                          .step = 1,
                          .steps = 1,
                          .next = true,
                          .next_key = lookup.waiting ? "scan.looking_up" : "lookup.ask"};
    ui_field_edit_model model = {
        .label = ui_frame_text(frame, "lookup.type.label"),
        .help = ui_frame_text(frame, "lookup.type.help"),
        .problem = lookup.typed_short ? ui_frame_text(frame, "lookup.type.short") : NULL,
        .typed = lookup.typed,
        .format = ui_frame_text(frame, "edit.format.number"),
        .chosen = -1,
    };
    return ui_field_edit_build(frame, &step, &model, out);
}

void app_scan_event(kiosk_app *app, const app_event *event)
{
    if (event->kind == APP_EVENT_DEVICE_DELIVERY) /* the scanner's */
        scanned(app, ((const device_delivery *)event->payload)->payload);
    else if (event->kind == APP_EVENT_LOOKUP)
        answered(app, event->payload);
}

void app_scan_enter(kiosk_app *app)
{
    (void)app;
    lookup.note = NULL;
    lookup.waiting = false;
    lookup.typed_short = false;
}

kiosk_error app_scan_build(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    bool below = app_metrics(app)->height_px >= app_metrics(app)->width_px;
    const char *status = NULL;
    bool problem = false;
    char key[48];
    if (lookup.note) {
        status = ui_frame_text(frame, lookup.note);
        problem = strcmp(lookup.note, "scan.not_a_number") == 0;
    } else if (app_device(app, DEVICE_SCANNER)->state != DEVICE_ONLINE &&
               app_device(app, DEVICE_SCANNER)->state != DEVICE_BUSY) {
        const char *reason = app_device(app, DEVICE_SCANNER)->reason[0]
                                 ? app_device(app, DEVICE_SCANNER)->reason
                                 : "not-found";
        /* The scanner's own words first (a refused code, the wrong mode);
         * the words all devices share for the rest (unplugged, ...). */
        snprintf(key, sizeof key, "device.scanner.%s", reason);
        if (!ui_strings_lookup(frame->strings, frame->language, key))
            snprintf(key, sizeof key, "device.%s", reason);
        status = ui_frame_text(frame, key);
        problem = true;
    }
    ui_scan_model model = {
        .title = ui_frame_text(frame, "scan.title"),
        .prompt = ui_frame_text(frame, "scan.prompt.progress"),
        .where = ui_frame_text(frame, below ? "scan.where.below" : "scan.where.right"),
        .status = status,
        .status_problem = problem,
        .scanner_below = below,
        .type_instead = ui_frame_text(frame, "scan.type")};
    return ui_scan_build(frame, &model, out);
}

/* The answer from this terminal's own record, with its date: the link is
 * down, or the platform does not know the number yet. */
static kiosk_error local_answer_build(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    const receipt_entry *r = &lookup.local;
    char body[512], detail[256], when[LOCAL_TIME_TEXT_MAX];
    /* The receipt's own number, whichever way it was asked. */
    const char *number = lookup.local_found ? r->local : lookup.answer.tracking;
    app_local_time(app, (int64_t)(r->delivered ? r->delivered_at_s : r->issued_at_s), when,
                   sizeof when);
    const catalog_service *service = catalog_find(app_catalog(app), r->service);
    const char *names[] = {"number", "tracking", "service", "time"};
    const char *values[] = {number, r->tracking, service ? service->name[app_language(app)] : "",
                            when};
    const char *key = !lookup.local_found ? "lookup.local.none"
                      : r->delivered      ? "lookup.local.delivered"
                                          : "lookup.local.queued";
    ui_strings_fill(ui_frame_text(frame, key), names, values, 4, body, sizeof body);
    detail[0] = '\0';
    if (lookup.local_found)
        ui_strings_fill(ui_frame_text(frame, "lookup.local.detail"), names, values, 4, detail,
                        sizeof detail);
    ui_notice_model model = {.title = ui_frame_text(frame, "lookup.title"),
                             .body = body,
                             .detail = detail,
                             .again = ui_frame_text(frame, "step.back"),
                             .problem = !lookup.local_found};
    return ui_notice_build(frame, &model, out);
}

kiosk_error app_lookup_build(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    if (lookup.local_answer)
        return local_answer_build(app, frame, out);
    const sync_lookup_result *a = &lookup.answer;
    char body[512], detail[160], status_key[48];
    snprintf(status_key, sizeof status_key, "lookup.status.%s", a->status);
    /* A status this terminal has no words for is shown as the platform said it. */
    const char *status = ui_strings_lookup(app_strings(app), app_language(app), status_key);
    if (!status)
        status = a->status;
    /* The platform's UTC, strictly read, as the hall's local time. */
    char updated[LOCAL_TIME_TEXT_MAX];
    (void)local_time_format_utc(&app_board(app)->zone, app_language(app), LOCAL_TIME_DATE_TIME,
                                a->updated_at, updated, sizeof updated);
    char number[96]; /* in groups of four when one long run, for the eye */
    if (amount_group_code(a->tracking, number, sizeof number) != KIOSK_OK)
        snprintf(number, sizeof number, "%s", a->tracking);
    const char *names[] = {"number", "status", "note", "time"};
    const char *values[] = {number, status, a->note, updated};
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

static app_screen scan_action(kiosk_app *app, ui_action action, int arg)
{
    (void)app;
    (void)arg;
    switch (action) {
    case UI_ACTION_NEXT:
        /* No code to show: type the number from the receipt instead. */
        explicit_bzero(lookup.typed, sizeof lookup.typed);
        return APP_SCREEN_NUMBER;
    case UI_ACTION_BACK:
        return APP_SCREEN_HOME;
    default:
        return APP_SCREEN_UNHANDLED;
    }
}

static void forget_lookup(kiosk_app *app)
{
    (void)app;
    explicit_bzero(&lookup, sizeof lookup);
}

/* The scan step says the scanner's state when it has nothing else to say. */
static void scan_news(kiosk_app *app, app_news news)
{
    if (news == APP_NEWS_SCANNER && !lookup.note)
        app_show_again(app);
    else if (news == APP_NEWS_CARD && app_go(app, APP_SCREEN_SCAN) != KIOSK_OK)
        LOG_WARN("scan", "cannot show what the card meant");
}

const app_controller app_scan_controller = {.name = "scan",
                                            .on_event = scan_news,
                                            .build = app_scan_build,
                                            .enter = app_scan_enter,
                                            .on_action = scan_action,
                                            .forget = forget_lookup};

static app_screen lookup_action(kiosk_app *app, ui_action action, int arg)
{
    (void)app;
    (void)arg;
    return action == UI_ACTION_BACK ? APP_SCREEN_SCAN /* another number */ : APP_SCREEN_UNHANDLED;
}

const app_controller app_lookup_controller = {.name = "lookup",
                                              .build = app_lookup_build,
                                              .on_action = lookup_action,
                                              .forget = forget_lookup};

static app_screen number_action(kiosk_app *app, ui_action action, int arg)
{
    switch (action) {
    case UI_ACTION_KEY:
        app_number_key(app, arg);
        return APP_SCREEN_STAY;
    case UI_ACTION_NEXT:
        app_number_ask(app);
        return APP_SCREEN_STAY;
    case UI_ACTION_BACK:
        return APP_SCREEN_SCAN;
    default:
        return APP_SCREEN_UNHANDLED;
    }
}

const app_controller app_number_controller = {.name = "number",
                                              .build = app_number_build,
                                              .on_action = number_action,
                                              .forget = forget_lookup};

void app_scan_forget_typed(kiosk_app *app)
{
    (void)app;
    explicit_bzero(lookup.typed, sizeof lookup.typed);
}
