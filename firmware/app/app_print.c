/* The app's side of the printer: the receipt for the result on screen, the
 * print step, and what a failure means for the citizen (their application
 * is not affected; staff are called). The receipt is built once, shown on
 * the screen and sent to the printer, so what the citizen sees is what
 * prints. */
#include "firmware/app/app_print.h"
#include "firmware/app/app_core.h"
#include "firmware/app/app_devices.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_probe.h"
#include "firmware/app/app_rate.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_sign.h"
#include "firmware/app/app_staff.h"
#include "firmware/app/navigation.h"

#include "drivers/printer/printer.h"
#include "firmware/base/local_time.h"
#include "firmware/base/log.h"
#include "ui/receipt_view.h"

#include <stdio.h>
#include <string.h>

/* The print step: the receipt shown and sent, the job. */
static struct {
    ui_print_state state;
    uint64_t job; /* the latest job's id */
    char reason[32];
    receipt receipt;
} print;

/* The result screen's facts (copies): wiped with what was typed. */
static struct {
    ui_result_outcome outcome;
    char service_name[256];
    char tracking_number[64];
    char masked_id[32];
    char time_text[64];
    char qr_data[256];
    /* A queue ticket: the platform's number, the window, when to come. */
    char queue_number[16];
    char window[96];
    char slot_text[2 * LOCAL_TIME_TEXT_MAX + 8];
    int64_t at; /* when, for time_text in the language shown; 0: as given */
    char windows[LANG_COUNT][96];
    int64_t slot_start, slot_end;
} facts;

/* Most kiosk printers take 80 mm rolls. */
#define PAPER_MM 80

static void labelled(receipt *r, const ui_frame_model *frame, const char *label_key,
                     const char *value, bool bold)
{
    char line[RECEIPT_TEXT_MAX];
    snprintf(line, sizeof line, "%.60s：%.180s", ui_frame_text(frame, label_key), value);
    receipt_text(r, RECEIPT_ALIGN_LEFT, 1, bold, line);
}

/* What the citizen chose (a phone number masked: paper leaves the hall),
 * and for a 一件事 bundle every department's item it started. The card's
 * facts are there once already, as the masked ID number. */
static void print_service_facts(kiosk_app *app, const ui_frame_model *frame, receipt *r,
                                const catalog_service *service)
{
    char value[FLOW_VALUE_MAX], line[RECEIPT_TEXT_MAX];
    for (unsigned i = 0; i < service->field_count; i++) {
        const catalog_field *field = catalog_field_of(app_catalog(app), service, i);
        if (app_session_flow(app)->prefilled[i] || !app_session_flow(app)->values[i][0])
            continue;
        /* A ticket prints the platform's date and time for the visit, not
         * the "tomorrow morning" asked for, which is wrong the next day. */
        if (facts.queue_number[0] && strcmp(field->id, "slot") == 0)
            continue;
        flow_display_value(app_session_flow(app), i, app_language(app), true, value, sizeof value);
        /* A signature is said to be there, never printed. */
        if (field->type == CATALOG_FIELD_SIGNATURE)
            snprintf(
                value, sizeof value, "%s",
                ui_frame_text(frame, app_sign_by_key(app, i) ? "sign.by_key.done" : "sign.signed"));
        snprintf(line, sizeof line, "%.90s：%.150s", field->label[app_language(app)], value);
        receipt_text(r, RECEIPT_ALIGN_LEFT, 1, false, line);
    }
    explicit_bzero(value, sizeof value);
    explicit_bzero(line, sizeof line);
    if (service->item_count == 0)
        return;
    receipt_text(r, RECEIPT_ALIGN_LEFT, 1, true, ui_frame_text(frame, "confirm.items"));
    for (unsigned i = 0; i < service->item_count; i++) {
        const catalog_item *item = catalog_item_of(app_catalog(app), service, i);
        snprintf(line, sizeof line, "%u. %.90s（%.90s）", i + 1, item->name[app_language(app)],
                 item->department[app_language(app)]);
        receipt_text(r, RECEIPT_ALIGN_LEFT, 1, false, line);
    }
}

void app_local_time(const kiosk_app *app, int64_t at, char *out, size_t size)
{
    /* A moment out of range reads "time unknown": never a made-up date. */
    (void)local_time_format(&app_board(app)->zone, app_language(app), LOCAL_TIME_DATE_TIME, at, out,
                            size);
}

/* The service's name in the language shown now (the session's service),
 * else as it was given. */
static const char *result_service_name(kiosk_app *app)
{
    const catalog_service *service = app_session_flow(app)->service;
    return service ? service->name[app_language(app)] : facts.service_name;
}

/* The result's time in the language shown now. */
static const char *result_time(kiosk_app *app)
{
    if (facts.at)
        app_local_time(app, facts.at, facts.time_text, sizeof facts.time_text);
    return facts.time_text;
}

/* A ticket's counter and slot in the language shown now:
 * "2026年12月8日 09:00–09:30", the day itself, never "tomorrow". */
static void ticket_in_language(kiosk_app *app)
{
    lang language = app_language(app);
    if (facts.windows[language][0])
        snprintf(facts.window, sizeof facts.window, "%s", facts.windows[language]);
    if (!facts.slot_start)
        return;
    char start[LOCAL_TIME_TEXT_MAX], end[LOCAL_TIME_TEXT_MAX];
    const local_zone *zone = &app_board(app)->zone;
    (void)local_time_format(zone, language, LOCAL_TIME_DATE_TIME, facts.slot_start, start,
                            sizeof start);
    (void)local_time_format(zone, language, LOCAL_TIME_CLOCK, facts.slot_end, end, sizeof end);
    snprintf(facts.slot_text, sizeof facts.slot_text, "%s–%s", start, end);
}

const char *app_result_next_steps(kiosk_app *app, const ui_frame_model *frame)
{
    const catalog_service *service = app_session_flow(app)->service;
    if (!service)
        return "";
    if (service->result_sent)
        return ui_frame_text(frame, "result.sent");
    return service->next_steps[app_language(app)];
}

void app_print_receipt(kiosk_app *app, const ui_frame_model *frame, receipt *r)
{
    receipt_init(r, PAPER_MM);
    receipt_text(r, RECEIPT_ALIGN_CENTER, 1, false, app_catalog(app)->hall_name[app_language(app)]);
    const catalog_service *service = app_session_flow(app)->service;
    bool ticket = service && service->prints == CATALOG_PRINTS_TICKET;
    receipt_text(r, RECEIPT_ALIGN_CENTER, 2, true,
                 ui_frame_text(frame, ticket ? "receipt.ticket_title" : "receipt.title"));
    receipt_rule(r);
    if (facts.queue_number[0]) {
        ticket_in_language(app);
        /* What the citizen listens for when numbers are called: large. */
        receipt_text(r, RECEIPT_ALIGN_CENTER, 1, false,
                     ui_frame_text(frame, "result.queue_number"));
        receipt_text(r, RECEIPT_ALIGN_CENTER, 2, true, facts.queue_number);
        labelled(r, frame, "result.window", facts.window, true);
        labelled(r, frame, "result.slot", facts.slot_text, true);
    }
    labelled(r, frame, "result.service", result_service_name(app), false);
    if (!facts.queue_number[0])
        labelled(r, frame, "result.tracking", facts.tracking_number, true);
    labelled(r, frame, "result.id_number", facts.masked_id, false);
    labelled(r, frame, "result.time", result_time(app), false);
    if (service)
        print_service_facts(app, frame, r, service);
    receipt_text(r, RECEIPT_ALIGN_LEFT, 1, false,
                 ui_frame_text(frame, facts.outcome == UI_RESULT_ACCEPTED ? "receipt.accepted"
                                                                          : "receipt.queued"));
    const char *next = app_result_next_steps(app, frame);
    if (next[0]) {
        receipt_text(r, RECEIPT_ALIGN_LEFT, 1, true, ui_frame_text(frame, "result.next"));
        receipt_paragraph(r, RECEIPT_ALIGN_LEFT, 1, false, next);
    }
    if (facts.qr_data[0]) {
        receipt_qr(r, RECEIPT_ALIGN_CENTER, 6, facts.qr_data);
        receipt_text(r, RECEIPT_ALIGN_CENTER, 1, false, ui_frame_text(frame, "result.qr_caption"));
    }
    receipt_rule(r);
    receipt_text(r, RECEIPT_ALIGN_CENTER, 1, false, ui_frame_text(frame, "receipt.keep"));
    char terminal[96];
    const char *names[] = {"terminal"};
    const char *values[] = {app_board(app)->platform_tls.terminal_id};
    ui_strings_fill(ui_frame_text(frame, "receipt.terminal"), names, values, 1, terminal,
                    sizeof terminal);
    receipt_text(r, RECEIPT_ALIGN_CENTER, 1, false, terminal);
    receipt_feed(r, 2);
    receipt_cut(r);
}

bool app_print_available(const kiosk_app *app)
{
    for (size_t i = 0; i < app_board(app)->device_count; i++)
        if (app_board(app)->devices[i].kind == BOARD_DEVICE_PRINTER)
            return true;
    return false;
}

static void failed(kiosk_app *app, const char *reason)
{
    print.state = UI_PRINT_FAILED;
    snprintf(print.reason, sizeof print.reason, "%s", reason);
    LOG_WARN("print", "receipt %llu not printed: %s", (unsigned long long)print.job, reason);
    /* Staff come to the terminal: the citizen is not left to work it out. */
    (void)app_platform_call_staff(app, reason, "print");
}

void app_print_start(kiosk_app *app)
{
    ui_frame_model frame = app_frame_model(app, "");
    app_print_receipt(app, &frame, &print.receipt);
    print.job++;
    print.state = UI_PRINT_PRINTING;
    print.reason[0] = '\0';
    device_manager *manager = app_devices_manager(app, DEVICE_PRINTER);
    kiosk_error submitted =
        manager ? printer_submit(manager, print.job, &print.receipt) : KIOSK_ERR_NO_DEVICE;
    if (submitted == KIOSK_OK) {
        LOG_INFO("print", "receipt %llu sent to the printer", (unsigned long long)print.job);
        return;
    }
    /* No printer, or one that cannot take it: its status says why. */
    const device_status *printer = app_device(app, DEVICE_PRINTER);
    const char *reason =
        printer->state == DEVICE_NO_DEVICE || !printer->reason[0] ? "not-found" : printer->reason;
    failed(app, submitted == KIOSK_ERR_NO_DEVICE ? reason : "busy");
}

kiosk_error app_print_staff_receipt(kiosk_app *app, uint64_t job, const receipt *r)
{
    device_manager *manager = app_devices_manager(app, DEVICE_PRINTER);
    return manager ? printer_submit(manager, job | APP_STAFF_JOB_BIT, r) : KIOSK_ERR_NO_DEVICE;
}

void app_print_event(kiosk_app *app, const printer_result *result)
{
    if (result->job_id & APP_STAFF_JOB_BIT) {
        app_staff_print_done(app, result->job_id, result->ok, result->reason);
        return;
    }
    if (result->job_id != print.job || app_current_screen(app) != APP_SCREEN_PRINT ||
        print.state != UI_PRINT_PRINTING)
        return; /* a job the citizen has left */
    LOG_INFO("print", "receipt %llu: %s, %zu bytes in %lu ms", (unsigned long long)result->job_id,
             result->reason, result->bytes_sent, result->ms);
    if (result->ok)
        print.state = UI_PRINT_DONE;
    else
        failed(app, result->reason);
    if (app_go(app, APP_SCREEN_PRINT) != KIOSK_OK)
        LOG_WARN("print", "the print step could not be shown again");
}

kiosk_error app_print_build(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    static const char *const titles[] = {[UI_PRINT_PRINTING] = "print.printing.title",
                                         [UI_PRINT_DONE] = "print.done.title",
                                         [UI_PRINT_FAILED] = "print.failed.title"};
    static const char *const bodies[] = {[UI_PRINT_PRINTING] = "print.printing.body",
                                         [UI_PRINT_DONE] = "print.done.body",
                                         [UI_PRINT_FAILED] = "print.failed.body"};
    char body[512], why_key[48];
    snprintf(why_key, sizeof why_key, "device.printer.%s", print.reason);
    /* The device's own words for the reason, as a sentence before the rest. */
    const char *why = print.state == UI_PRINT_FAILED
                          ? ui_strings_lookup(app_strings(app), app_language(app), why_key)
                          : NULL;
    char why_sentence[256];
    /* Chinese sentences follow one another with no space; English ones with one. */
    snprintf(why_sentence, sizeof why_sentence, "%s%s", why ? why : "",
             why && app_language(app) == LANG_EN ? " " : "");
    const char *names[] = {"why"};
    const char *values[] = {why_sentence};
    ui_strings_fill(ui_frame_text(frame, bodies[print.state]), names, values, 1, body, sizeof body);
    ui_print_model model = {.state = print.state,
                            .title = ui_frame_text(frame, titles[print.state]),
                            .body = body,
                            .receipt = &print.receipt,
                            .can_retry = print.state == UI_PRINT_FAILED};
    return ui_print_build(frame, &model, out);
}

const receipt *app_print_shown(const kiosk_app *app)
{
    (void)app;
    return &print.receipt;
}

kiosk_error app_render_receipt(kiosk_app *app, const receipt *r, SDL_Surface **out)
{
    *out = NULL;
    ui_widget *root = ui_panel_create(
        NULL, "render", (SDL_Rect){0, 0, app_metrics(app)->width_px, app_metrics(app)->height_px},
        UI_TONE_PAPER);
    ui_widget *view = root ? ui_receipt_view_create(root, "receipt", r, 0, 0, 1.0f) : NULL;
    if (!view) {
        ui_widget_destroy(root);
        return KIOSK_ERR_NO_MEMORY;
    }
    SDL_Rect area = view->bounds;
    if (area.h > app_metrics(app)->height_px)
        area.h = app_metrics(app)->height_px;
    ui_display_begin_frame(app_display(app));
    SDL_SetRenderDrawColor(app_display(app)->renderer, 0xFF, 0xFF, 0xFF, 0xFF);
    SDL_RenderClear(app_display(app)->renderer);
    ui_context context = app_ui_context(app);
    ui_widget_draw_tree(root, &context);
    ui_widget_destroy(root);
    SDL_Surface *frame = NULL;
    kiosk_error result = ui_display_capture(app_display(app), &frame);
    if (result == KIOSK_OK) {
        *out = SDL_CreateRGBSurfaceWithFormat(0, area.w, area.h, 32, frame->format->format);
        if (!*out || SDL_BlitSurface(frame, &area, *out, NULL) != 0)
            result = KIOSK_ERR_NO_MEMORY;
        SDL_FreeSurface(frame);
    }
    /* The screen is drawn again whole at the next frame. */
    app_mark_all_dirty(app);
    if (result != KIOSK_OK && *out) {
        SDL_FreeSurface(*out);
        *out = NULL;
    }
    return result;
}

/* ---- the result: what became of the service ------------------------------ */

static kiosk_error build_result(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    ticket_in_language(app);
    ui_result_model model = {.outcome = facts.outcome,
                             .service_name = result_service_name(app),
                             .tracking_number = facts.tracking_number,
                             .masked_id = facts.masked_id,
                             .time_text = result_time(app),
                             .qr_data = facts.qr_data,
                             .next_steps = app_result_next_steps(app, frame),
                             .queue_number = facts.queue_number,
                             .window = facts.window,
                             .slot_text = facts.slot_text,
                             /* Paper when the service prints and there is a printer. */
                             .can_print =
                                 app_print_available(app) &&
                                 (!app_session_flow(app)->service ||
                                  app_session_flow(app)->service->prints != CATALOG_PRINTS_NONE)};
    return ui_result_build(frame, &model, out);
}

static bool copy_fact(char *out, size_t size, const char *fact)
{
    int n = snprintf(out, size, "%s", fact ? fact : "");
    return n >= 0 && (size_t)n < size;
}

kiosk_error app_show_result(kiosk_app *app, const ui_result_model *result)
{
    bool fits =
        copy_fact(facts.service_name, sizeof facts.service_name, result->service_name) &&
        copy_fact(facts.tracking_number, sizeof facts.tracking_number, result->tracking_number) &&
        copy_fact(facts.masked_id, sizeof facts.masked_id, result->masked_id) &&
        copy_fact(facts.time_text, sizeof facts.time_text, result->time_text) &&
        copy_fact(facts.qr_data, sizeof facts.qr_data, result->qr_data) &&
        copy_fact(facts.queue_number, sizeof facts.queue_number, result->queue_number) &&
        copy_fact(facts.window, sizeof facts.window, result->window) &&
        copy_fact(facts.slot_text, sizeof facts.slot_text, result->slot_text);
    if (!fits) {
        explicit_bzero(&facts, sizeof facts);
        return KIOSK_ERR_TOO_BIG;
    }
    facts.outcome = result->outcome;
    facts.at = result->at;
    facts.slot_start = result->slot_start;
    facts.slot_end = result->slot_end;
    for (int l = 0; l < LANG_COUNT; l++)
        fits = fits && copy_fact(facts.windows[l], sizeof facts.windows[l], result->windows[l]);
    if (!fits) {
        explicit_bzero(&facts, sizeof facts);
        return KIOSK_ERR_TOO_BIG;
    }
    return app_go(app, APP_SCREEN_RESULT);
}

/* The result's facts and the receipt; the job count goes on, so that a late
 * answer about an old job is never taken for a new one's. */
void app_result_forget(kiosk_app *app)
{
    (void)app;
    explicit_bzero(&facts, sizeof facts);
}

static void forget_result(kiosk_app *app)
{
    app_result_forget(app);
    uint64_t job = print.job;
    explicit_bzero(&print, sizeof print);
    print.job = job;
}

/* On the result and the print step alike. */
static app_screen result_action(kiosk_app *app, ui_action action, int arg)
{
    (void)arg;
    switch (action) {
    case UI_ACTION_NEXT:
        /* Print, or print again after a failure. */
        app_print_start(app);
        return APP_SCREEN_PRINT;
    case UI_ACTION_END_SESSION:
        /* Done with a service: the citizen may rate it first (or skip). */
        if (!app_rate_offered(app))
            return APP_SCREEN_FINISHED;
        app_rate_enter(app);
        return APP_SCREEN_RATE;
    default:
        return APP_SCREEN_UNHANDLED;
    }
}

const app_controller app_result_controller = {.name = "result",
                                              .build = build_result,
                                              .on_action = result_action,
                                              .forget = forget_result,
                                              .ignores_cards = true};
const app_controller app_print_controller = {
    .name = "print", .build = app_print_build, .on_action = result_action, .forget = forget_result};

const char *app_result_tracking_number(const kiosk_app *app)
{
    (void)app;
    return facts.tracking_number;
}

const char *app_result_memory(const kiosk_app *app, size_t *size)
{
    (void)app;
    *size = sizeof facts;
    return (const char *)&facts;
}
