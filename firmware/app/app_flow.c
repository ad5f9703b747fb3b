/* The app's side of the flow engine: which screen shows a service's current
 * step, what the form, a field, the materials and the confirmation show,
 * and what the citizen's taps on them do. The engine (flow.c) holds the
 * citizen's data and the rules; this file turns them into screens. */
#include "firmware/app/app_flow.h"
#include "firmware/app/app_appointment.h"
#include "firmware/app/app_core.h"
#include "firmware/app/app_document.h"
#include "firmware/app/app_help.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_query.h"
#include "firmware/app/app_rate.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_sign.h"
#include "firmware/app/navigation.h"

#include "firmware/base/log.h"

#include <stdio.h>
#include <string.h>

static const catalog_service *current_service(const kiosk_app *app)
{
    return app_session_flow(app)->service;
}

ui_step_model app_flow_step_model(const kiosk_app *app)
{
    const catalog_service *service = current_service(app);
    return (ui_step_model){.title = service ? service->name[app_language(app)] : "",
                           .step = flow_step_number(app_session_flow(app)),
                           .steps = flow_step_total(app_session_flow(app)),
                           .next = true};
}

/* Shows the screen of the flow's current step; a step with no screen of its
 * own (the submission) is done here. */
static void show_step(kiosk_app *app)
{
    app_screen next = app_current_screen(app);
    switch (flow_step(app_session_flow(app))) {
    case CATALOG_STEP_IDENTIFY:
        /* Back to how they identified: the number they typed, or the card. */
        next = !app_session_identified(app) && app_session_citizen_id(app)[0] &&
                       catalog_accepts_typed_number(current_service(app))
                   ? APP_SCREEN_IDENTIFY
                   : APP_SCREEN_CARD;
        break;
    case CATALOG_STEP_FORM:
        next = APP_SCREEN_FORM;
        break;
    case CATALOG_STEP_MATERIALS:
        next = APP_SCREEN_MATERIALS;
        break;
    case CATALOG_STEP_CONFIRM:
        next = APP_SCREEN_CONFIRM;
        break;
    case CATALOG_STEP_SUBMIT:
        /* A certificate is fetched, shown and printed, not submitted. */
        if (current_service(app)->delivers == CATALOG_DELIVERS_CERTIFICATE) {
            app_document_start(app);
            return;
        }
        /* A question is asked, not submitted: its answer is the result. */
        if (current_service(app)->offline == CATALOG_OFFLINE_CACHE) {
            app_query_start(app);
            return;
        }
        /* A queue ticket: the platform books it, or it is said why not. */
        if (current_service(app)->prints == CATALOG_PRINTS_TICKET) {
            app_appointment_start(app);
            return;
        }
        /* Kept, then sent: the platform shows the result itself. */
        if (app_platform_submit(app))
            return;
        app_error_set(app, "error.not_kept");
        next = APP_SCREEN_ERROR;
        break;
    case CATALOG_STEP_PRINT:
    case CATALOG_STEP_RATE:
        app_rate_enter(app);
        next = APP_SCREEN_RATE;
        break;
    }
    if (app_go(app, next) != KIOSK_OK)
        LOG_WARN("flow", "staying on the %s screen", app_screen_name(app));
}

void app_flow_open(kiosk_app *app, size_t index)
{
    const catalog_service *service = &app_catalog(app)->services[index];
    app_session_set_service_index(app, index);
    flow_begin(app_session_flow(app), app_catalog(app), service);
    LOG_INFO("flow", "service %s chosen", service->id);
    if (service->start == CATALOG_START_SCAN) {
        if (app_go(app, APP_SCREEN_SCAN) != KIOSK_OK)
            LOG_WARN("flow", "the scan step could not be shown");
        return;
    }
    /* Identified once, by card, for the whole session. */
    if (flow_step(app_session_flow(app)) == CATALOG_STEP_IDENTIFY && app_session_identified(app)) {
        app_flow_identified(app);
        return;
    }
    show_step(app);
}

void app_flow_identified(kiosk_app *app)
{
    if (!flow_active(app_session_flow(app)))
        return;
    /* The one way into a service for every way of identifying: a number
     * typed is a claim, and never opens a service that shows the
     * citizen's records. */
    if (!app_session_identified(app) &&
        !catalog_accepts_typed_number(app_session_flow(app)->service)) {
        LOG_WARN("flow", "%s needs the card or an e-ID: a typed number refused",
                 app_session_flow(app)->service->id);
        app_session_forget_typed_number(app);
        if (app_go(app, APP_SCREEN_CARD) != KIOSK_OK)
            LOG_WARN("flow", "the card step could not be shown");
        return;
    }
    bool known = app_session_identified(app);
    flow_identity who = {.from_card = known};
    snprintf(who.id_number, sizeof who.id_number, "%s", app_session_citizen_id(app));
    if (known) {
        snprintf(who.name, sizeof who.name, "%s", app_session_citizen_name(app));
        snprintf(who.address, sizeof who.address, "%s", app_session_citizen_address(app));
    }
    flow_prefill(app_session_flow(app), &who);
    explicit_bzero(&who, sizeof who);
    if (flow_step(app_session_flow(app)) == CATALOG_STEP_IDENTIFY)
        (void)flow_next(app_session_flow(app), app_wall_time(app));
    show_step(app);
}

void app_flow_next(kiosk_app *app)
{
    if (app_current_screen(app) == APP_SCREEN_FIELD) {
        if (!flow_edit_finish(app_session_flow(app), app_wall_time(app)))
            LOG_INFO("flow", "field %d: %s", app_session_flow(app)->editing,
                     flow_problem_key(app_session_flow(app)->typed_problem));
        if (app_go(app, app_session_flow(app)->editing >= 0 ? APP_SCREEN_FIELD : APP_SCREEN_FORM) !=
            KIOSK_OK)
            LOG_WARN("flow", "the form could not be shown");
        return;
    }
    catalog_step was = flow_step(app_session_flow(app));
    if (!flow_next(app_session_flow(app), app_wall_time(app))) {
        LOG_INFO("flow", "%s step: %d problems", catalog_step_name(was),
                 was == CATALOG_STEP_FORM ? flow_problem_count(app_session_flow(app))
                                          : (int)app_session_flow(app)->materials_problem);
        if (app_go(app, app_current_screen(app)) != KIOSK_OK)
            LOG_WARN("flow", "the step could not be shown again");
        return;
    }
    show_step(app);
}

void app_flow_back(kiosk_app *app)
{
    if (app_current_screen(app) == APP_SCREEN_FIELD) {
        flow_edit_cancel(app_session_flow(app));
        if (app_go(app, APP_SCREEN_FORM) != KIOSK_OK)
            LOG_WARN("flow", "the form could not be shown");
        return;
    }
    if (!flow_back(app_session_flow(app))) {
        app_flow_cancel(app);
        return;
    }
    show_step(app);
}

void app_flow_cancel(kiosk_app *app)
{
    LOG_INFO("flow", "service %s cancelled on the %s screen",
             current_service(app) ? current_service(app)->id : "-", app_screen_name(app));
    if (app_go(app, APP_SCREEN_HOME) != KIOSK_OK)
        LOG_WARN("flow", "home could not be shown");
}

void app_flow_edit(kiosk_app *app, int field)
{
    const catalog_field *definition =
        flow_active(app_session_flow(app)) && field >= 0
            ? catalog_field_of(app_catalog(app), app_session_flow(app)->service, (unsigned)field)
            : NULL;
    if (!definition)
        return;
    /* A field only the card can fill, for a citizen who typed their number:
     * the way to fill it is to lay the card. */
    if (definition->prefill == CATALOG_PREFILL_NAME ||
        definition->prefill == CATALOG_PREFILL_ADDRESS) {
        flow_go(app_session_flow(app), CATALOG_STEP_IDENTIFY);
        if (app_go(app, APP_SCREEN_CARD) != KIOSK_OK)
            LOG_WARN("flow", "the card step could not be shown");
        return;
    }
    if (definition->type == CATALOG_FIELD_SIGNATURE) {
        app_sign_open(app, (unsigned)field);
        return;
    }
    /* Words are typed on the keyboard; numbers and choices here. */
    bool words =
        definition->type == CATALOG_FIELD_TEXT || definition->type == CATALOG_FIELD_ADDRESS;
    if (flow_edit_begin(app_session_flow(app), (unsigned)field) &&
        app_go(app, words ? APP_SCREEN_TYPE : APP_SCREEN_FIELD) != KIOSK_OK)
        LOG_WARN("flow", "field %d could not be shown", field);
}

void app_flow_choose(kiosk_app *app, int choice)
{
    if (choice < 0 || !flow_edit_choose(app_session_flow(app), (unsigned)choice))
        return;
    if (app_go(app, APP_SCREEN_FORM) != KIOSK_OK)
        LOG_WARN("flow", "the form could not be shown");
}

void app_flow_key(kiosk_app *app, int key)
{
    flow_edit_key(app_session_flow(app), key, UI_KEY_DELETE, UI_KEY_CLEAR);
    if (app_go(app, APP_SCREEN_FIELD) != KIOSK_OK)
        LOG_WARN("flow", "the field could not be shown");
}

void app_flow_toggle(kiosk_app *app, int material)
{
    if (material < 0)
        return;
    flow_toggle_material(app_session_flow(app), (unsigned)material);
    if (app_go(app, APP_SCREEN_MATERIALS) != KIOSK_OK)
        LOG_WARN("flow", "the materials could not be shown");
}

/* ---- the screens --------------------------------------------------------- */

/* What is wrong with field, in words: a length is said with its numbers
 * ("请输入 9 位数字", not "9 到 9 位"). */
static const char *problem_text(const ui_frame_model *frame, const catalog_field *field,
                                flow_problem problem, char *out, size_t size)
{
    if (problem != FLOW_PROBLEM_NUMBER)
        return problem == FLOW_OK ? NULL : ui_frame_text(frame, flow_problem_key(problem));
    char low[8], high[8];
    snprintf(low, sizeof low, "%d", field->min_length);
    snprintf(high, sizeof high, "%d", field->max_length);
    const char *names[] = {"min", "max"};
    const char *values[] = {low, high};
    ui_strings_fill(ui_frame_text(frame, field->min_length == field->max_length
                                             ? "form.problem.number_exact"
                                             : "form.problem.number"),
                    names, values, 2, out, size);
    return out;
}

/* Whether a field's value is the citizen's own (a name, a number, an
 * address, a phone, a date): said aloud only through headphones. A choice
 * from the catalog's list is the service's words, and a signature is shown
 * as the terminal's (已签名), not as the citizen's. */
bool app_flow_field_is_personal(const catalog_field *field)
{
    return field->type != CATALOG_FIELD_CHOICE && field->type != CATALOG_FIELD_SIGNATURE;
}

static const char *placeholder_key(const catalog_field *field)
{
    if (field->type == CATALOG_FIELD_SIGNATURE)
        return "form.placeholder.sign";
    if (!field->required)
        return "form.placeholder.optional";
    return field->type == CATALOG_FIELD_CHOICE ? "form.placeholder.choose"
                                               : "form.placeholder.type";
}

kiosk_error app_flow_build_form(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    const flow *f = app_session_flow(app);
    const catalog_service *service = current_service(app);
    if (!service)
        return KIOSK_ERR_INVALID_ARGUMENT;
    char values[CATALOG_FIELDS_MAX][FLOW_VALUE_MAX];
    ui_form_row rows[CATALOG_FIELDS_MAX];
    char problems[CATALOG_FIELDS_MAX][192];
    for (unsigned i = 0; i < service->field_count; i++) {
        const catalog_field *field = catalog_field_of(app_catalog(app), service, i);
        flow_display_value(f, i, app_language(app), false, values[i], sizeof values[i]);
        if (field->type == CATALOG_FIELD_SIGNATURE && f->values[i][0])
            snprintf(
                values[i], sizeof values[i], "%s",
                ui_frame_text(frame, app_sign_by_key(app, i) ? "sign.by_key.done" : "sign.signed"));
        const char *help =
            field->help[app_language(app)][0] ? field->help[app_language(app)] : NULL;
        rows[i] = (ui_form_row){
            .label = field->label[app_language(app)],
            .value = values[i],
            .placeholder = ui_frame_text(frame, placeholder_key(field)),
            .note = f->prefilled[i] ? ui_frame_text(frame, "form.prefilled") : help,
            .problem = problem_text(frame, field, f->problems[i], problems[i], sizeof problems[i]),
            .locked = f->prefilled[i],
            .required = field->required,
            .personal = app_flow_field_is_personal(field),
            .ink = field->type == CATALOG_FIELD_SIGNATURE && f->values[i][0] ? app_sign_ink(app, i)
                                                                             : NULL,
        };
    }
    ui_step_model step = app_flow_step_model(app);
    ui_form_model model = {.intro = ui_frame_text(frame, "form.intro"),
                           .rows = rows,
                           .row_count = service->field_count,
                           .focus = f->focus};
    char fix[160];
    int wrong = flow_problem_count(f);
    if (f->show_problems && wrong > 0) {
        char count[16];
        snprintf(count, sizeof count, "%d", wrong);
        const char *names[] = {"count"};
        const char *counts[] = {count};
        ui_strings_fill(ui_frame_text(frame, "form.problem.fix"), names, counts, 1, fix,
                        sizeof fix);
        model.intro = fix;
    }
    kiosk_error result = ui_form_build(frame, &step, &model, out);
    /* The widgets keep copies: the shown values are not left behind here. */
    explicit_bzero(values, sizeof values);
    return result;
}

static const char *format_key(catalog_field_type type)
{
    switch (type) {
    case CATALOG_FIELD_DATE:
        return "edit.format.date";
    case CATALOG_FIELD_PHONE:
        return "edit.format.phone";
    case CATALOG_FIELD_ID_NUMBER:
        return "edit.format.id";
    case CATALOG_FIELD_NUMBER:
    case CATALOG_FIELD_TEXT:
    case CATALOG_FIELD_ADDRESS:
    case CATALOG_FIELD_CHOICE:
    case CATALOG_FIELD_SIGNATURE:
        break;
    }
    return "edit.format.number";
}

kiosk_error app_flow_build_field(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    const flow *f = app_session_flow(app);
    const catalog_field *field =
        flow_active(f) && f->editing >= 0
            ? catalog_field_of(app_catalog(app), f->service, (unsigned)f->editing)
            : NULL;
    if (!field)
        return KIOSK_ERR_INVALID_ARGUMENT;
    ui_step_model step = app_flow_step_model(app);
    ui_field_edit_model model = {
        .label = field->label[app_language(app)],
        .help = field->help[app_language(app)][0] ? field->help[app_language(app)] : NULL,
        .choices = field->type == CATALOG_FIELD_CHOICE,
        .typed = f->typed,
        .format = ui_frame_text(frame, format_key(field->type)),
        .with_x = field->type == CATALOG_FIELD_ID_NUMBER,
        /* Long numbers read in groups; what is kept is as typed. */
        .group = field->type == CATALOG_FIELD_PHONE       ? "3-4-4"
                 : field->type == CATALOG_FIELD_ID_NUMBER ? "6-8-4"
                                                          : NULL,
        .chosen = -1,
    };
    char problem[192];
    model.problem = problem_text(frame, field, f->typed_problem, problem, sizeof problem);
    const char *labels[CATALOG_CHOICES_MAX];
    for (unsigned c = 0; c < field->choice_count; c++) {
        const catalog_choice *choice = catalog_choice_of(app_catalog(app), field, c);
        labels[c] = choice->label[app_language(app)];
        if (strcmp(choice->id, f->values[f->editing]) == 0)
            model.chosen = (int)c;
    }
    model.choice_labels = labels;
    model.choice_count = field->choice_count;
    if (!model.choices)
        step.next_key = "edit.done";
    else
        step.next = false; /* a choice is made by tapping it */
    return ui_field_edit_build(frame, &step, &model, out);
}

kiosk_error app_flow_build_materials(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    const flow *f = app_session_flow(app);
    const catalog_service *service = current_service(app);
    if (!service)
        return KIOSK_ERR_INVALID_ARGUMENT;
    ui_material_row rows[CATALOG_MATERIALS_MAX];
    for (unsigned i = 0; i < service->material_count; i++) {
        const catalog_material *material = catalog_material_of(app_catalog(app), service, i);
        rows[i] = (ui_material_row){
            .name = material->name[app_language(app)],
            .note = ui_frame_text(frame, material->e_license ? "materials.elicense"
                                                             : "materials.original"),
            .checked = f->ticked[i],
            .locked = material->e_license,
        };
    }
    ui_step_model step = app_flow_step_model(app);
    ui_materials_model model = {
        .intro = ui_frame_text(frame, "materials.intro"),
        .rows = rows,
        .row_count = service->material_count,
        .problem = f->materials_problem ? ui_frame_text(frame, "materials.problem") : NULL,
    };
    return ui_materials_build(frame, &step, &model, out);
}

kiosk_error app_flow_build_confirm(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    const flow *f = app_session_flow(app);
    const catalog_service *service = current_service(app);
    if (!service)
        return KIOSK_ERR_INVALID_ARGUMENT;
    char values[CATALOG_FIELDS_MAX + 2][FLOW_VALUE_MAX];
    ui_summary_line lines[CATALOG_FIELDS_MAX + 2];
    size_t count = 0;
    /* It always says who it is for, masked, when the form does not. */
    bool form_names = false, form_numbers = false;
    for (unsigned i = 0; i < service->field_count; i++) {
        catalog_prefill prefill = catalog_field_of(app_catalog(app), service, i)->prefill;
        form_names |= prefill == CATALOG_PREFILL_NAME;
        form_numbers |= prefill == CATALOG_PREFILL_ID_NUMBER;
    }
    if (service->identity != CATALOG_IDENTITY_NONE) {
        if (app_session_identified(app) && !form_names) {
            flow_mask_name(app_session_citizen_name(app), values[count], sizeof values[count]);
            lines[count] =
                (ui_summary_line){ui_frame_text(frame, "confirm.applicant"), values[count], true};
            count++;
        }
        const char *id = app_session_citizen_id(app);
        if (!form_numbers) {
            log_mask_personal(id, values[count], sizeof values[count]);
            lines[count] =
                (ui_summary_line){ui_frame_text(frame, "result.id_number"), values[count], true};
            count++;
        }
    }
    for (unsigned i = 0; i < service->field_count; i++) {
        const catalog_field *field = catalog_field_of(app_catalog(app), service, i);
        if (!f->values[i][0])
            continue;
        /* What the citizen typed is shown in full to be checked; the card's
         * facts, which need no checking, masked. */
        flow_display_value(f, i, app_language(app), false, values[count], sizeof values[count]);
        if (field->type == CATALOG_FIELD_SIGNATURE) /* said, not shown: the image stays here */
            snprintf(
                values[count], sizeof values[count], "%s",
                ui_frame_text(frame, app_sign_by_key(app, i) ? "sign.by_key.done" : "sign.signed"));
        lines[count] = (ui_summary_line){field->label[app_language(app)], values[count],
                                         app_flow_field_is_personal(field)};
        count++;
    }
    char items[CATALOG_ITEMS_MAX][2 * CATALOG_LABEL_MAX + 8];
    const char *item_texts[CATALOG_ITEMS_MAX];
    for (unsigned i = 0; i < service->item_count; i++) {
        const catalog_item *item = catalog_item_of(app_catalog(app), service, i);
        snprintf(items[i], sizeof items[i], "%s · %s", item->name[app_language(app)],
                 item->department[app_language(app)]);
        item_texts[i] = items[i];
    }
    bool offline = app_platform_link_down(app);
    ui_step_model step = app_flow_step_model(app);
    step.next_key = "step.submit";
    ui_confirm_model model = {
        .intro = ui_frame_text(frame, "confirm.intro"),
        .lines = lines,
        .line_count = count,
        .items_heading = service->item_count ? ui_frame_text(frame, "confirm.items") : NULL,
        .items = item_texts,
        .item_count = service->item_count,
        .note = offline ? ui_frame_text(frame, "confirm.offline") : NULL,
        .note_problem = false,
    };
    kiosk_error result = ui_confirm_build(frame, &step, &model, out);
    explicit_bzero(values, sizeof values);
    return result;
}

/* The steps of a service's form: back is the flow's previous step. */
static app_screen step_action(kiosk_app *app, ui_action action, int arg)
{
    (void)arg;
    if (action != UI_ACTION_BACK)
        return APP_SCREEN_UNHANDLED;
    app_flow_back(app);
    return APP_SCREEN_STAY;
}

static app_screen field_action(kiosk_app *app, ui_action action, int arg)
{
    switch (action) {
    case UI_ACTION_KEY:
        app_flow_key(app, arg);
        return APP_SCREEN_STAY;
    case UI_ACTION_CHOOSE:
        app_flow_choose(app, arg);
        return APP_SCREEN_STAY;
    default:
        return step_action(app, action, arg);
    }
}

const app_controller app_form_controller = {
    .name = "form", .build = app_flow_build_form, .on_action = step_action};
const app_controller app_field_controller = {
    .name = "field", .build = app_flow_build_field, .on_action = field_action};
const app_controller app_materials_controller = {
    .name = "materials", .build = app_flow_build_materials, .on_action = step_action};
const app_controller app_confirm_controller = {
    .name = "confirm", .build = app_flow_build_confirm, .on_action = step_action};
