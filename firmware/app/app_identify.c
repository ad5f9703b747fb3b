/* A service's first step, who the citizen is: the card laid on the reader
 * (or an e-ID code shown), or the ID number typed where the service allows. */
#include "firmware/app/app_identify.h"
#include "firmware/app/app_devices.h"
#include "firmware/app/app_flow.h"
#include "firmware/app/app_session.h"
#include "firmware/app/navigation.h"

#include "firmware/base/log.h"

#include <stdio.h>

/* Why the last card (or e-ID code) was refused, as a string key; NULL when
 * it was not. */
static const char *card_notice;

void app_card_set_notice(kiosk_app *app, const char *key)
{
    (void)app;
    card_notice = key;
}

const char *app_card_notice(const kiosk_app *app)
{
    (void)app;
    return card_notice;
}
#include <string.h>

static const char *problem_key(id_number_problem problem)
{
    switch (problem) {
    case ID_NUMBER_TOO_SHORT:
        return "identify.error.short";
    case ID_NUMBER_BAD_DATE:
        return "identify.error.date";
    case ID_NUMBER_BAD_CHARACTER:
    case ID_NUMBER_BAD_CHECK:
    case ID_NUMBER_OK:
        break;
    }
    return "identify.error.check";
}

static kiosk_error build_identify(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    ui_step_model step = app_flow_step_model(app);
    const char *problem =
        app_session_typed(app)->show_problem
            ? ui_frame_text(frame, problem_key(id_number_check(app_session_typed(app)->id_number)))
            : NULL;
    return ui_identify_build(frame, &step, app_session_typed(app)->id_number, problem, out);
}

/* The number typed will do for the service under way. */
static bool typed_accepted(const kiosk_app *app)
{
    return app_session_flow(app)->service &&
           catalog_accepts_typed_number(app_session_flow(app)->service);
}

/* A key of the keypad on the identification step. */
static void type_key(kiosk_app *app, int key)
{
    char *number = app_session_typed(app)->id_number;
    size_t length = strlen(number);
    app_session_typed(app)->show_problem = false;
    if (key == UI_KEY_CLEAR) {
        explicit_bzero(number, sizeof app_session_typed(app)->id_number);
    } else if (key == UI_KEY_DELETE) {
        if (length > 0)
            number[length - 1] = '\0';
    } else if (length < ID_NUMBER_LENGTH && ((key >= '0' && key <= '9') || key == 'X')) {
        /* X is only ever the last character of an ID number. */
        if (key != 'X' || length == ID_NUMBER_LENGTH - 1)
            number[length] = (char)key;
    }
}

static app_screen identify_action(kiosk_app *app, ui_action action, int arg)
{
    switch (action) {
    case UI_ACTION_KEY:
        type_key(app, arg);
        return APP_SCREEN_IDENTIFY;
    case UI_ACTION_NEXT: {
        if (!typed_accepted(app))
            return APP_SCREEN_CARD; /* a claim cannot open the citizen's records */
        bool valid = id_number_check(app_session_typed(app)->id_number) == ID_NUMBER_OK;
        app_session_typed(app)->show_problem = !valid;
        LOG_INFO("app", "ID number %s", valid ? "accepted" : "refused");
        if (!valid)
            return APP_SCREEN_IDENTIFY;
        app_flow_identified(app);
        return APP_SCREEN_STAY;
    }
    case UI_ACTION_BACK:
        return APP_SCREEN_CARD; /* the card after all */
    default:
        return APP_SCREEN_UNHANDLED;
    }
}

const app_controller app_identify_controller = {
    .name = "identify", .build = build_identify, .on_action = identify_action};

static void identified_text(kiosk_app *app, const ui_frame_model *frame, char *out, size_t size)
{
    char name[160], id[32];
    flow_mask_name(app_session_citizen_name(app), name, sizeof name);
    log_mask_personal(app_session_citizen_id(app), id, sizeof id);
    const char *names[] = {"name", "id"};
    const char *values[] = {name, id};
    ui_strings_fill(ui_frame_text(frame, "card.identified"), names, values, 2, out, size);
}

static kiosk_error build_card(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    ui_step_model step = app_flow_step_model(app);
    bool known = app_session_identified(app);
    step.next_key = known ? NULL : "card.type_instead";
    /* A service that shows the citizen's records offers no typing. */
    if (!known && !typed_accepted(app))
        step.next = false;
    char identified[320];
    bool problem = false;
    const char *status;
    if (known && !card_notice) {
        identified_text(app, frame, identified, sizeof identified);
        status = identified;
    } else {
        char key[48];
        status = ui_frame_text(frame, app_devices_reader_text(app, &problem, key, sizeof key));
    }
    kiosk_error built = ui_card_step_build(frame, &step, status, problem, out);
    /* 已识别：王*明，440304********1233 is the citizen's, even masked. */
    ui_widget *said =
        built == KIOSK_OK && status == identified ? ui_widget_find(*out, UI_ID_CARD_STATUS) : NULL;
    if (said)
        said->flags |= UI_FLAG_PERSONAL;
    return built;
}

static void clear_card_notice(kiosk_app *app)
{
    app_card_set_notice(app, NULL);
}

static app_screen card_action(kiosk_app *app, ui_action action, int arg)
{
    (void)arg;
    if (action != UI_ACTION_NEXT)
        return APP_SCREEN_UNHANDLED;
    /* Read: go on. Not read: type the number instead. */
    if (app_session_identified(app)) {
        app_flow_identified(app);
        return APP_SCREEN_STAY;
    }
    return typed_accepted(app) ? APP_SCREEN_IDENTIFY : APP_SCREEN_STAY;
}

static void card_news(kiosk_app *app, app_news news)
{
    if (news == APP_NEWS_CARD) {
        if (app_session_identified(app) && !card_notice) {
            app_flow_identified(app); /* on to the service's next step */
            return;
        }
        if (app_go(app, APP_SCREEN_CARD) != KIOSK_OK)
            LOG_WARN("app", "cannot show what the card meant");
        return;
    }
    /* The reader's state, said in place: the screen is not rebuilt under
     * the citizen's finger. */
    if (news != APP_NEWS_READER || app_session_identified(app))
        return;
    bool problem = false;
    char buffer[48];
    const char *key = app_devices_reader_text(app, &problem, buffer, sizeof buffer);
    ui_frame_model frame = app_frame_model(app, "");
    ui_widget *line = ui_live_update(app_root(app), UI_ID_CARD_STATUS, ui_frame_text(&frame, key),
                                     problem ? UI_TONE_ALERT : UI_TONE_PLAIN);
    if (line)
        app_mark_dirty(app, line->bounds);
}

const app_controller app_card_controller = {.name = "card",
                                            .build = build_card,
                                            .enter = clear_card_notice,
                                            .on_action = card_action,
                                            .on_event = card_news,
                                            .forget = clear_card_notice};
