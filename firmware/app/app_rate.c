/* 好差评: after a service the citizen may rate it in five levels; after a
 * poor rating, say what went wrong (optional), and whether staff should
 * come: they are called only when the citizen says yes. The rating travels
 * through the outbox like any record (delivered when the link allows).
 * Skipping is always there. */
#include "firmware/app/app_rate.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_print.h"
#include "firmware/app/app_session.h"
#include "firmware/app/navigation.h"

#include "firmware/base/log.h"

#include <stdio.h>
#include <string.h>

/* Where the citizen is, and what they chose: this session's only. */
static struct {
    enum { RATE_LEVELS, RATE_REASONS, RATE_STAFF, RATE_THANKS } stage;
    int level;         /* 5 非常满意 ... 1 非常不满意; 0 none yet */
    bool given;        /* this session's service is rated */
    bool staff_called; /* the citizen asked for staff after a poor rating */
    bool staff_failed; /* ... and the call could not be kept */
} rate;

#define LEVELS 5

/* The reasons a poor rating may give, as the platform counts them, and the
 * last choice: none. */
static const char *const reasons[] = {"long-wait", "hard-to-use", "wrong-information",
                                      "device-fault", ""};
#define REASONS (sizeof reasons / sizeof reasons[0])

bool app_rate_offered(const kiosk_app *app)
{
    return app_result_tracking_number(app)[0] && !rate.given;
}

/* Called before the step is shown (a screen's enter hook runs after its
 * build, too late to choose what it shows). */
void app_rate_enter(kiosk_app *app)
{
    (void)app;
    rate.stage = RATE_LEVELS;
    rate.level = 0;
    rate.staff_called = rate.staff_failed = false;
}

static void submit(kiosk_app *app, const char *reason)
{
    cJSON *body = cJSON_CreateObject();
    /* What is rated: the application on the receipt, and its service; a
     * rating given on its own (the 好差评 tile) rates the service point. */
    cJSON_AddStringToObject(body, "tracking_number", app_result_tracking_number(app));
    cJSON_AddStringToObject(
        body, "service", app_session_flow(app)->service ? app_session_flow(app)->service->id : "");
    cJSON_AddNumberToObject(body, "level", rate.level);
    cJSON_AddStringToObject(body, "comment", reason);
    kiosk_error kept = app_platform_put(app, "rating", "rating", body);
    cJSON_Delete(body);
    rate.given = true;
    LOG_INFO("rate", "level %d%s%s%s", rate.level, reason[0] ? " (" : "", reason,
             reason[0] ? ")" : "");
    (void)kept;
    /* A poor rating asks whether staff should come; calling them unasked
     * would bring someone the citizen did not want. */
    rate.stage = rate.level <= 2 ? RATE_STAFF : RATE_THANKS;
}

/* The answer to "shall staff come?": 0 yes, 1 no. */
static void answer_staff(kiosk_app *app, int choice)
{
    if (choice == 0) {
        kiosk_error called = app_platform_call_staff(app, "citizen-unsatisfied", "rate");
        rate.staff_called = called == KIOSK_OK;
        rate.staff_failed = called != KIOSK_OK;
    }
    LOG_INFO("rate", "staff %s", choice == 0 ? "asked for" : "not wanted");
    rate.stage = RATE_THANKS;
}

void app_rate_choose(kiosk_app *app, int choice)
{
    if (rate.stage == RATE_LEVELS && choice >= 0 && choice < LEVELS) {
        rate.level = LEVELS - choice; /* the first button is the best */
        if (rate.level <= 2)
            rate.stage = RATE_REASONS;
        else
            submit(app, "");
    } else if (rate.stage == RATE_REASONS && choice >= 0 && (size_t)choice < REASONS) {
        submit(app, reasons[choice]);
    } else if (rate.stage == RATE_STAFF && (choice == 0 || choice == 1)) {
        answer_staff(app, choice);
    } else {
        return;
    }
    if (app_go(app, APP_SCREEN_RATE) != KIOSK_OK)
        LOG_WARN("rate", "the rating step could not be shown again");
}

kiosk_error app_rate_build(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    (void)app;
    if (rate.stage == RATE_THANKS) {
        ui_notice_model thanks = {
            .title = ui_frame_text(frame, "rate.thanks.title"),
            .body = ui_frame_text(frame, "rate.thanks.body"),
            .detail = rate.staff_called   ? ui_frame_text(frame, "rate.thanks.staff")
                      : rate.staff_failed ? ui_frame_text(frame, "help.call_failed")
                                          : "",
        };
        return ui_notice_build(frame, &thanks, out);
    }
    ui_rate_model model = {.title = ui_frame_text(frame, "rate.title"),
                           .skip = ui_frame_text(frame, "rate.skip"),
                           .levels = rate.stage == RATE_LEVELS};
    static const char *const level_keys[LEVELS] = {"rate.level.5", "rate.level.4", "rate.level.3",
                                                   "rate.level.2", "rate.level.1"};
    static const char *const reason_keys[REASONS] = {
        "rate.reason.long-wait", "rate.reason.hard-to-use", "rate.reason.wrong-information",
        "rate.reason.device-fault", "rate.reason.none"};
    if (rate.stage == RATE_STAFF) {
        model.prompt = ui_frame_text(frame, "rate.staff.prompt");
        model.icons[model.choice_count] = "support_agent";
        model.choices[model.choice_count++] = ui_frame_text(frame, "rate.staff.yes");
        model.choices[model.choice_count++] = ui_frame_text(frame, "rate.staff.no");
    } else if (model.levels) {
        model.prompt = ui_frame_text(frame, "rate.prompt");
        static const char *const faces[LEVELS] = {"sentiment_very_satisfied", "sentiment_satisfied",
                                                  "sentiment_neutral", "sentiment_dissatisfied",
                                                  "sentiment_very_dissatisfied"};
        for (size_t i = 0; i < LEVELS; i++) {
            model.icons[model.choice_count] = faces[i];
            model.choices[model.choice_count++] = ui_frame_text(frame, level_keys[i]);
        }
    } else {
        model.prompt = ui_frame_text(frame, "rate.reasons.prompt");
        for (size_t i = 0; i < REASONS; i++)
            model.choices[model.choice_count++] = ui_frame_text(frame, reason_keys[i]);
    }
    return ui_rate_build(frame, &model, out);
}

void app_rate_forget(kiosk_app *app)
{
    (void)app;
    rate.given = false;
    rate.level = 0;
    rate.stage = RATE_LEVELS;
    rate.staff_called = rate.staff_failed = false;
}

bool app_rate_staff_called(const kiosk_app *app)
{
    (void)app;
    return rate.staff_called;
}

bool app_rate_given(const kiosk_app *app)
{
    (void)app;
    return rate.given;
}

static app_screen rate_action(kiosk_app *app, ui_action action, int arg)
{
    if (action != UI_ACTION_CHOOSE)
        return APP_SCREEN_UNHANDLED;
    app_rate_choose(app, arg);
    return APP_SCREEN_STAY;
}

const app_controller app_rate_controller = {
    .name = "rate", .build = app_rate_build, .on_action = rate_action, .forget = app_rate_forget};
