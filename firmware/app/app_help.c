/* The screens around a service: help (and calling staff), what could not be
 * done, the time-out warning, the end of a service (another, or the end?)
 * and the card asked back at the end of a visit. */
#include "firmware/app/app_help.h"
#include "firmware/app/app_devices.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_session.h"
#include "firmware/app/board.h"
#include "firmware/app/navigation.h"

#include "firmware/base/log.h"
#include "firmware/platform/staff_ops.h"

#include <stdio.h>
#include <string.h>

/* Where the citizen came from, and whether staff were called. */
static struct {
    app_screen return_to;
    bool called, failed;
} help;

void app_help_open(kiosk_app *app)
{
    /* Help keeps the citizen's place: "back" returns there. */
    if (app_current_screen(app) != APP_SCREEN_HELP) {
        help.return_to = app_current_screen(app);
        help.called = help.failed = false;
    }
}

/* Whether anyone is on duty in the hall now (the board's staff_hours). */
static bool staff_on_duty(const kiosk_app *app)
{
    time_t now = app_wall_time(app);
    struct tm local;
    localtime_r(&now, &local);
    return board_staff_on_duty(app_board(app), local.tm_hour * 60 + local.tm_min);
}

/* The help for the step the citizen came from ("help.step.<screen>"), in
 * the theme's simple words where there are; a general line for a screen
 * that has none. */
static const char *step_help(const ui_frame_model *frame, const char *screen)
{
    char key[64];
    snprintf(key, sizeof key, "help.step.%s", screen);
    if (!ui_strings_lookup(frame->strings, frame->language, key))
        return ui_frame_text(frame, "help.step.other");
    return ui_frame_text(frame, key);
}

static kiosk_error build_help(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    const board_profile *board = app_board(app);
    char hours[32], body[512], hotline[96], status[320];
    snprintf(hours, sizeof hours, "%02d:%02d–%02d:%02d", board->staff_from_min / 60,
             board->staff_from_min % 60, board->staff_to_min / 60, board->staff_to_min % 60);
    const char *names[] = {"hours", "hotline"};
    const char *values[] = {hours, board->hotline};
    bool on_duty = staff_on_duty(app);
    /* What happens next: staff come here, or nobody is here to come. */
    ui_strings_fill(ui_frame_text(frame, on_duty ? "help.body" : "help.off_duty"), names, values, 2,
                    body, sizeof body);
    ui_strings_fill(ui_frame_text(frame, "help.hotline"), names, values, 2, hotline,
                    sizeof hotline);
    const char *said = NULL;
    struct kiosk_platform *core = app_platform_core(app);
    if (help.called && core && platform_call_acknowledged(core)) {
        /* Staff took the call (the heartbeat said so): someone is coming. */
        said = ui_frame_text(frame, "help.staff_coming");
    } else if (help.called && app_platform_link_down(app)) {
        /* Kept in the outbox: it reaches staff when the link is back. */
        ui_strings_fill(ui_frame_text(frame, "help.called_offline"), names, values, 2, status,
                        sizeof status);
        said = status;
    } else if (help.called) {
        said = ui_frame_text(frame, "help.called");
    } else if (help.failed) {
        said = ui_frame_text(frame, "help.call_failed");
    }
    ui_help_model model = {
        .title = ui_frame_text(frame, "help.title"),
        .body = body,
        .step_heading = ui_frame_text(frame, "help.step.heading"),
        .step_help = step_help(frame, app_screen_name_of(help.return_to)),
        .call = on_duty || help.called ? ui_frame_text(frame, "help.call") : NULL,
        .status = said,
        .status_problem = help.failed || (help.called && app_platform_link_down(app)),
        .hotline = hotline,
    };
    /* No help button on help itself. */
    ui_frame_model own = *frame;
    own.no_help = true;
    return ui_help_build(&own, &model, out);
}

/* "Call staff" on the help screen: a staff-call record for the platform
 * (and, through it, the hall's staff), naming the screen the citizen was
 * on. */
static void call_staff(kiosk_app *app)
{
    kiosk_error called =
        app_platform_call_staff(app, "citizen-asked", app_screen_name_of(help.return_to));
    help.called = called == KIOSK_OK;
    help.failed = called != KIOSK_OK;
}

static app_screen help_action(kiosk_app *app, ui_action action, int arg)
{
    (void)arg;
    switch (action) {
    case UI_ACTION_CHOOSE:
        if (help.called)
            return APP_SCREEN_STAY;
        call_staff(app);
        return APP_SCREEN_HELP;
    case UI_ACTION_BACK:
        return help.return_to;
    default:
        return APP_SCREEN_UNHANDLED;
    }
}

static void forget_help(kiosk_app *app)
{
    (void)app;
    explicit_bzero(&help, sizeof help);
}

const app_controller app_help_controller = {
    .name = "help", .build = build_help, .on_action = help_action, .forget = forget_help};

/* The error screen's strings: "error.<kind>.title", ... */
static const char *error_kind;

void app_error_set(kiosk_app *app, const char *kind)
{
    (void)app;
    error_kind = kind;
}

/* What could not be done, whether anything was kept, and the way on: a
 * submission that could not be kept ("error.not_kept"), or a service that
 * needs the link while it is down ("error.needs_link", before the citizen
 * has entered anything). */
static kiosk_error build_error(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    (void)app;
    const char *kind = error_kind ? error_kind : "error.not_kept";
    char title[64], what[64], next[64];
    snprintf(title, sizeof title, "%s.title", kind);
    snprintf(what, sizeof what, "%s.body", kind);
    snprintf(next, sizeof next, "%s.next", kind);
    return ui_error_build(frame, ui_frame_text(frame, title), ui_frame_text(frame, what),
                          ui_frame_text(frame, next), out);
}

const app_controller app_error_controller = {
    .name = "error", .build = build_error, .enter = app_session_forget_typed};

static kiosk_error build_timeout(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    return ui_timeout_build(frame, app_session_warning_seconds(app),
                            (int)(app_warning_ms(app) / 1000), out);
}

/* The visit's end, asked for where it is offered as such. */
static app_screen end_visit_action(kiosk_app *app, ui_action action, int arg)
{
    (void)arg;
    if (action != UI_ACTION_END_SESSION)
        return APP_SCREEN_UNHANDLED;
    app_session_end(app, "ended by the citizen");
    return APP_SCREEN_STAY;
}

/* News from the reader: nothing to show (a card read here is ignored). */
static void no_news(kiosk_app *app, app_news news)
{
    (void)app;
    (void)news;
}

const app_controller app_timeout_controller = {.name = "timeout",
                                               .build = build_timeout,
                                               .on_action = end_visit_action,
                                               .on_event = no_news,
                                               .ignores_cards = true};

static kiosk_error build_finished(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    bool card = app_devices_card_on_reader(app);
    ui_finished_model model = {
        .title = ui_frame_text(frame, "finished.title"),
        .prompt = ui_frame_text(frame, "finished.prompt"),
        .card_back = card ? ui_frame_text(frame, "card.take_back") : NULL,
        .card_back_body = card ? ui_frame_text(frame, "card.take_back.body") : NULL,
        .more = ui_frame_text(frame, "finished.more"),
        .end = ui_frame_text(frame, "session.end"),
    };
    return ui_finished_build(frame, &model, out);
}

/* The question after a service asks for the card back while it lies there. */
static void finished_news(kiosk_app *app, app_news news)
{
    if (news == APP_NEWS_READER)
        app_show_again(app);
}

const app_controller app_finished_controller = {.name = "finished",
                                                .build = build_finished,
                                                .on_action = end_visit_action,
                                                .on_event = finished_news,
                                                .ignores_cards = true};

static kiosk_error build_take_card(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    (void)app;
    return ui_take_card_build(frame, out);
}

/* Back from help after the card was taken meanwhile: nothing to ask. */
static void enter_take_card(kiosk_app *app)
{
    if (!app_devices_card_on_reader(app))
        app_session_rest(app);
}

static void take_card_news(kiosk_app *app, app_news news)
{
    if (news == APP_NEWS_READER && !app_devices_card_on_reader(app)) {
        LOG_INFO("app", "the card left on the reader was taken");
        app_session_rest(app);
    }
}

const app_controller app_take_card_controller = {.name = "take-card",
                                                 .build = build_take_card,
                                                 .enter = enter_take_card,
                                                 .on_event = take_card_news,
                                                 .ignores_cards = true};
