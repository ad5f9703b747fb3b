/* A service that answers a question from the platform's data (the catalog's
 * `offline: cache`, e.g. 公积金查询): asked when the link is up and kept
 * sealed on the terminal; while the link is down the last answer kept for
 * this citizen is shown, with its date and a plain word that it may not be
 * the latest. Nothing is submitted. */
#include "firmware/app/app_query.h"
#include "firmware/app/app_flow.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_rate.h"
#include "firmware/app/app_session.h"
#include "firmware/app/navigation.h"

#include "firmware/base/amount.h"
#include "firmware/base/local_time.h"
#include "firmware/base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The answer shown, and where it came from. Wiped when the citizen leaves
 * the service and when the session ends. */
static struct {
    enum { QUERY_WAITING, QUERY_FRESH, QUERY_KEPT, QUERY_NONE } state;
    bool link_down; /* NONE: because the platform could not be asked */
    sync_query_result answer;
} query;

/* Whose answer to ask for: the card's or e-ID's number; a number typed only
 * for a service that shows nothing of the citizen's records. */
static const char *citizen_number(const kiosk_app *app)
{
    if (app_session_identified(app))
        return app_session_citizen_id(app);
    return app_session_flow(app)->service && !app_session_flow(app)->service->personal_data
               ? app_session_citizen_id(app)
               : "";
}

static void show(kiosk_app *app)
{
    if (app_go(app, APP_SCREEN_ANSWER) != KIOSK_OK)
        LOG_WARN("query", "the answer could not be shown");
}

static char *answer_json(const sync_query_result *a)
{
    cJSON *json = cJSON_CreateObject();
    cJSON_AddStringToObject(json, "service", a->service);
    cJSON_AddStringToObject(json, "as_of", a->as_of);
    cJSON *lines = cJSON_AddArrayToObject(json, "lines");
    for (size_t i = 0; lines && i < a->line_count; i++) {
        cJSON *line = cJSON_CreateObject();
        cJSON_AddStringToObject(line, "label", a->labels[i]);
        cJSON_AddStringToObject(line, "value", a->values[i]);
        cJSON_AddItemToArray(lines, line);
    }
    char *text = cJSON_PrintUnformatted(json);
    cJSON_Delete(json);
    return text;
}

static bool parse_kept(const char *text, sync_query_result *out)
{
    cJSON *json = cJSON_Parse(text);
    const cJSON *service = cJSON_GetObjectItemCaseSensitive(json, "service");
    const cJSON *as_of = cJSON_GetObjectItemCaseSensitive(json, "as_of");
    const cJSON *lines = cJSON_GetObjectItemCaseSensitive(json, "lines");
    bool ok = cJSON_IsString(service) && cJSON_IsString(as_of) && cJSON_IsArray(lines);
    memset(out, 0, sizeof *out);
    if (ok) {
        snprintf(out->service, sizeof out->service, "%s", service->valuestring);
        snprintf(out->as_of, sizeof out->as_of, "%s", as_of->valuestring);
    }
    const cJSON *line = NULL;
    const cJSON *checked = ok ? lines : NULL;
    cJSON_ArrayForEach(line, checked)
    {
        const cJSON *label = cJSON_GetObjectItemCaseSensitive(line, "label");
        const cJSON *value = cJSON_GetObjectItemCaseSensitive(line, "value");
        if (out->line_count >= SYNC_QUERY_LINES_MAX || !cJSON_IsString(label) ||
            !cJSON_IsString(value)) {
            ok = false;
            break;
        }
        snprintf(out->labels[out->line_count], sizeof out->labels[0], "%s", label->valuestring);
        snprintf(out->values[out->line_count], sizeof out->values[0], "%s", value->valuestring);
        out->line_count++;
    }
    cJSON_Delete(json);
    return ok;
}

/* The platform cannot answer: the answer kept from the last time, if any. */
static void from_kept(kiosk_app *app)
{
    const catalog_service *service = app_session_flow(app)->service;
    char *kept = app_platform_kept_answer(app, service->id, citizen_number(app));
    bool found = kept && parse_kept(kept, &query.answer);
    if (kept) {
        explicit_bzero(kept, strlen(kept));
        free(kept);
    }
    query.state = found ? QUERY_KEPT : QUERY_NONE;
    query.link_down = true;
    LOG_INFO("query", "%s: the platform cannot answer; %s", service->id,
             found ? "the answer kept here is shown" : "none is kept here");
    show(app);
}

void app_query_start(kiosk_app *app)
{
    const catalog_service *service = app_session_flow(app)->service;
    explicit_bzero(&query, sizeof query);
    if (!citizen_number(app)[0]) {
        /* Never asked for nobody, or for a number typed. */
        LOG_WARN("query", "no proven identity: nothing asked");
        query.state = QUERY_NONE;
        show(app);
        return;
    }
    if (service && app_platform_query(app, service->id, citizen_number(app))) {
        query.state = QUERY_WAITING;
        show(app);
        return;
    }
    if (service)
        from_kept(app);
}

void app_query_event(kiosk_app *app, const sync_query_result *result)
{
    const catalog_service *service = app_session_flow(app)->service;
    if (app_current_screen(app) != APP_SCREEN_ANSWER || query.state != QUERY_WAITING || !service ||
        strcmp(result->service, service->id) != 0)
        return; /* the citizen has left */
    if (result->outcome == SYNC_QUERY_NO_ANSWER) {
        from_kept(app);
        return;
    }
    if (result->outcome == SYNC_QUERY_NOT_FOUND) {
        query.state = QUERY_NONE;
        query.link_down = false;
        show(app);
        return;
    }
    query.answer = *result;
    query.state = QUERY_FRESH;
    char *json = answer_json(result);
    if (json) {
        app_platform_keep_answer(app, citizen_number(app), json);
        explicit_bzero(json, strlen(json));
        cJSON_free(json);
    }
    show(app);
}

kiosk_error app_query_build(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    const catalog_service *service = app_session_flow(app)->service;
    if (!service)
        return KIOSK_ERR_INVALID_ARGUMENT;
    const char *name = service->name[app_language(app)];
    if (query.state == QUERY_WAITING || query.state == QUERY_NONE) {
        const char *names[] = {"service"};
        const char *values[] = {name};
        char body[320];
        const char *key = query.state == QUERY_WAITING ? "query.waiting"
                          : query.link_down            ? "query.none_offline"
                                                       : "query.none";
        ui_strings_fill(ui_frame_text(frame, key), names, values, 1, body, sizeof body);
        ui_notice_model model = {
            .title = name, .body = body, .detail = "", .problem = query.state == QUERY_NONE};
        return ui_notice_build(frame, &model, out);
    }
    const sync_query_result *a = &query.answer;
    ui_summary_line lines[SYNC_QUERY_LINES_MAX];
    /* Money in groups ("54,321.09 元"); other values as the platform said. */
    char values_shown[SYNC_QUERY_LINES_MAX][sizeof a->values[0] + 8];
    for (size_t i = 0; i < a->line_count; i++) {
        amount_regroup(a->values[i], app_language(app), values_shown[i], sizeof values_shown[i]);
        lines[i] = (ui_summary_line){a->labels[i], values_shown[i], true}; /* their own data */
    }
    char when[LOCAL_TIME_TEXT_MAX], note[320], intro[192];
    (void)local_time_format_utc(&app_board(app)->zone, app_language(app), LOCAL_TIME_DATE_TIME,
                                a->as_of, when, sizeof when);
    const char *names[] = {"time", "service"};
    const char *values[] = {when, name};
    bool kept = query.state == QUERY_KEPT;
    ui_strings_fill(ui_frame_text(frame, kept ? "query.kept" : "query.as_of"), names, values, 2,
                    note, sizeof note);
    ui_strings_fill(ui_frame_text(frame, "query.intro"), names, values, 2, intro, sizeof intro);
    ui_step_model step = app_flow_step_model(app);
    step.step = step.steps; /* the answer is the service's last step */
    step.next_key = "result.done";
    ui_confirm_model model = {.intro = intro,
                              .lines = lines,
                              .line_count = a->line_count,
                              .note = note,
                              .note_problem = kept};
    return ui_confirm_build(frame, &step, &model, out);
}

static app_screen answer_action(kiosk_app *app, ui_action action, int arg)
{
    (void)arg;
    switch (action) {
    case UI_ACTION_NEXT:
        /* Done with the answer: the rating is offered. */
        app_rate_enter(app);
        return APP_SCREEN_RATE;
    case UI_ACTION_END_SESSION:
        if (app_rate_given(app))
            return APP_SCREEN_FINISHED;
        app_rate_enter(app);
        return APP_SCREEN_RATE;
    default:
        return APP_SCREEN_UNHANDLED;
    }
}

const app_controller app_answer_controller = {.name = "answer",
                                              .build = app_query_build,
                                              .on_action = answer_action,
                                              .forget = app_query_forget};

void app_query_forget(kiosk_app *app)
{
    (void)app;
    explicit_bzero(&query, sizeof query);
}
