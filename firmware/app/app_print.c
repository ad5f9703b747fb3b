/* The app's side of the printer: the receipt for the result on screen, the
 * print step, and what a failure means for the citizen (their application
 * is not affected; staff are called). The receipt is built once, shown on
 * the screen and sent to the printer, so what the citizen sees is what
 * prints. */
#include "firmware/app/app_internal.h"

#include "drivers/printer/printer.h"
#include "firmware/base/log.h"
#include "ui/receipt_view.h"

#include <stdio.h>
#include <string.h>

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
        const catalog_field *field = catalog_field_of(app->catalog, service, i);
        if (app->flow.prefilled[i] || !app->flow.values[i][0])
            continue;
        flow_display_value(&app->flow, i, app->language, true, value, sizeof value);
        snprintf(line, sizeof line, "%.90s：%.150s", field->label[app->language], value);
        receipt_text(r, RECEIPT_ALIGN_LEFT, 1, false, line);
    }
    explicit_bzero(value, sizeof value);
    explicit_bzero(line, sizeof line);
    if (service->item_count == 0)
        return;
    receipt_text(r, RECEIPT_ALIGN_LEFT, 1, true, ui_frame_text(frame, "confirm.items"));
    for (unsigned i = 0; i < service->item_count; i++) {
        const catalog_item *item = catalog_item_of(app->catalog, service, i);
        snprintf(line, sizeof line, "%u. %.90s（%.90s）", i + 1, item->name[app->language],
                 item->department[app->language]);
        receipt_text(r, RECEIPT_ALIGN_LEFT, 1, false, line);
    }
}

void app_print_receipt(kiosk_app *app, const ui_frame_model *frame, receipt *r)
{
    receipt_init(r, PAPER_MM);
    receipt_text(r, RECEIPT_ALIGN_CENTER, 1, false, app->catalog->hall_name[app->language]);
    const catalog_service *service = app->flow.service;
    bool ticket = service && service->prints == CATALOG_PRINTS_TICKET;
    receipt_text(r, RECEIPT_ALIGN_CENTER, 2, true,
                 ui_frame_text(frame, ticket ? "receipt.ticket_title" : "receipt.title"));
    receipt_rule(r);
    labelled(r, frame, "result.service", app->result.service_name, false);
    labelled(r, frame, "result.tracking", app->result.tracking_number, true);
    labelled(r, frame, "result.id_number", app->result.masked_id, false);
    labelled(r, frame, "result.time", app->result.time_text, false);
    if (service)
        print_service_facts(app, frame, r, service);
    receipt_text(r, RECEIPT_ALIGN_LEFT, 1, false,
                 ui_frame_text(frame, app->result.outcome == UI_RESULT_ACCEPTED
                                          ? "receipt.accepted"
                                          : "receipt.queued"));
    if (app->result.qr_data[0]) {
        receipt_qr(r, RECEIPT_ALIGN_CENTER, 6, app->result.qr_data);
        receipt_text(r, RECEIPT_ALIGN_CENTER, 1, false, ui_frame_text(frame, "result.qr_caption"));
    }
    receipt_rule(r);
    receipt_text(r, RECEIPT_ALIGN_CENTER, 1, false, ui_frame_text(frame, "receipt.keep"));
    char terminal[96];
    const char *names[] = {"terminal"};
    const char *values[] = {app->board.platform_tls.terminal_id};
    ui_strings_fill(ui_frame_text(frame, "receipt.terminal"), names, values, 1, terminal,
                    sizeof terminal);
    receipt_text(r, RECEIPT_ALIGN_CENTER, 1, false, terminal);
    receipt_feed(r, 2);
    receipt_cut(r);
}

bool app_print_available(const kiosk_app *app)
{
    for (size_t i = 0; i < app->board.device_count; i++)
        if (app->board.devices[i].kind == BOARD_DEVICE_PRINTER)
            return true;
    return false;
}

static void failed(kiosk_app *app, const char *reason)
{
    app->print.state = UI_PRINT_FAILED;
    snprintf(app->print.reason, sizeof app->print.reason, "%s", reason);
    LOG_WARN("print", "receipt %llu not printed: %s", (unsigned long long)app->print.job, reason);
    /* Staff come to the terminal: the citizen is not left to work it out. */
    (void)app_platform_call_staff(app, reason, "print");
}

void app_print_start(kiosk_app *app)
{
    ui_frame_model frame = app_frame_model(app, "");
    app_print_receipt(app, &frame, &app->print.receipt);
    app->print.job++;
    app->print.state = UI_PRINT_PRINTING;
    app->print.reason[0] = '\0';
    device_manager *manager = app_devices_manager(app, DEVICE_PRINTER);
    kiosk_error submitted = manager ? printer_submit(manager, app->print.job, &app->print.receipt)
                                    : KIOSK_ERR_NO_DEVICE;
    if (submitted == KIOSK_OK) {
        LOG_INFO("print", "receipt %llu sent to the printer", (unsigned long long)app->print.job);
        return;
    }
    /* No printer, or one that cannot take it: its status says why. */
    const char *reason = app->printer.state == DEVICE_NO_DEVICE || !app->printer.reason[0]
                             ? "not-found"
                             : app->printer.reason;
    failed(app, submitted == KIOSK_ERR_NO_DEVICE ? reason : "busy");
}

void app_print_event(kiosk_app *app, const printer_result *result)
{
    if (result->job_id != app->print.job || app->screen != APP_SCREEN_PRINT ||
        app->print.state != UI_PRINT_PRINTING)
        return; /* a job the citizen has left */
    LOG_INFO("print", "receipt %llu: %s, %zu bytes in %lu ms", (unsigned long long)result->job_id,
             result->reason, result->bytes_sent, result->ms);
    if (result->ok)
        app->print.state = UI_PRINT_DONE;
    else
        failed(app, result->reason);
    if (app_show(app, APP_SCREEN_PRINT) != KIOSK_OK)
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
    snprintf(why_key, sizeof why_key, "device.printer.%s", app->print.reason);
    /* The device's own words for the reason, as a sentence before the rest. */
    const char *why = app->print.state == UI_PRINT_FAILED
                          ? ui_strings_lookup(app->strings, app->language, why_key)
                          : NULL;
    char why_sentence[256];
    /* Chinese sentences follow one another with no space; English ones with one. */
    snprintf(why_sentence, sizeof why_sentence, "%s%s", why ? why : "",
             why && app->language == LANG_EN ? " " : "");
    const char *names[] = {"why"};
    const char *values[] = {why_sentence};
    ui_strings_fill(ui_frame_text(frame, bodies[app->print.state]), names, values, 1, body,
                    sizeof body);
    ui_print_model model = {.state = app->print.state,
                            .title = ui_frame_text(frame, titles[app->print.state]),
                            .body = body,
                            .receipt = &app->print.receipt,
                            .can_retry = app->print.state == UI_PRINT_FAILED};
    return ui_print_build(frame, &model, out);
}

const receipt *app_print_shown(const kiosk_app *app)
{
    return &app->print.receipt;
}

kiosk_error app_render_receipt(kiosk_app *app, const receipt *r, SDL_Surface **out)
{
    *out = NULL;
    ui_widget *root = ui_panel_create(
        NULL, "render", (SDL_Rect){0, 0, app->metrics.width_px, app->metrics.height_px},
        UI_TONE_PAPER);
    ui_widget *view = root ? ui_receipt_view_create(root, "receipt", r, 0, 0, 1.0f) : NULL;
    if (!view) {
        ui_widget_destroy(root);
        return KIOSK_ERR_NO_MEMORY;
    }
    SDL_Rect area = view->bounds;
    if (area.h > app->metrics.height_px)
        area.h = app->metrics.height_px;
    ui_display_begin_frame(app->display);
    SDL_SetRenderDrawColor(app->display->renderer, 0xFF, 0xFF, 0xFF, 0xFF);
    SDL_RenderClear(app->display->renderer);
    ui_context context = app_ui_context(app);
    ui_widget_draw_tree(root, &context);
    ui_widget_destroy(root);
    SDL_Surface *frame = NULL;
    kiosk_error result = ui_display_capture(app->display, &frame);
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

const char *app_scanner_reason(const kiosk_app *app)
{
    return app->scanner.reason;
}

const char *app_printer_reason(const kiosk_app *app)
{
    return app->printer.reason;
}
