/* The screen table, navigation and touch. */
#include "firmware/app/app_internal.h"
#include "firmware/app/app_store.h"

#include "firmware/base/log.h"
#include "ui/scroll_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef kiosk_error (*screen_build_fn)(kiosk_app *app, const ui_frame_model *frame,
                                       ui_widget **out);

/* One row per screen: how to build it, and what entering it means. */
typedef struct app_screen_entry {
    const char *name;
    screen_build_fn build;
    bool theme_switches; /* the citizen may change theme here */
    void (*enter)(kiosk_app *app);
    void (*leave)(kiosk_app *app);
} app_screen_entry;

void app_clock_text(kiosk_app *app, char *out, size_t out_size)
{
    time_t now = app_wall_time(app);
    struct tm local;
    localtime_r(&now, &local);
    ui_frame_model frame = app_frame_model(app, "");
    /* Quietly, for citizens: the terminal works without the link, and
     * services that need it say so on their tiles. A store that cannot keep
     * applications is said as such, not as the network. */
    const char *store_note = app_store_citizen_note_key(app);
    bool note = store_note || (app->platform.configured && !app_platform_link_usable(app));
    ui_clock_format(&frame, &local, note, out, out_size);
    if (note) {
        size_t used = strlen(out);
        snprintf(out + used, out_size - used, "  ·  %s",
                 ui_frame_text(&frame, store_note ? store_note : "link.offline_note"));
    }
}

static kiosk_error build_attract(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    const char *offers[CATALOG_SERVICES_MAX];
    size_t count = app->catalog->service_count;
    for (size_t i = 0; i < count; i++)
        offers[i] = app->catalog->services[i].name[app->language];
    char note[320];
    app_platform_staff_note(app, frame, note, sizeof note);
    ui_frame_model with_note = *frame;
    with_note.staff_note = note;
    return ui_attract_build(&with_note, offers, count, out);
}

static kiosk_error build_home(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    ui_tile_model tiles[CATALOG_SERVICES_MAX];
    size_t count = app->catalog->service_count;
    for (size_t i = 0; i < count; i++) {
        const catalog_service *service = &app->catalog->services[i];
        tiles[i] =
            (ui_tile_model){.id = service->id,
                            .name = service->name[app->language],
                            /* Said before the citizen starts, never after. */
                            .summary = catalog_needs_link(service) && app->platform.configured &&
                                               !app_platform_link_usable(app)
                                           ? ui_frame_text(frame, "link.needed")
                                           : service->summary[app->language],
                            .bundle = service->kind == CATALOG_KIND_BUNDLE};
    }
    /* An identified citizen can end the visit here at any time. */
    const char *end = app->identity.known ? ui_frame_text(frame, "session.end") : NULL;
    return ui_home_build(frame, tiles, count, &app->home_page, end, out);
}

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
        app->typed.show_problem
            ? ui_frame_text(frame, problem_key(id_number_check(app->typed.id_number)))
            : NULL;
    return ui_identify_build(frame, &step, app->typed.id_number, problem, out);
}

static void identified_text(kiosk_app *app, const ui_frame_model *frame, char *out, size_t size)
{
    char name[160], id[32];
    flow_mask_name(app->identity.name, name, sizeof name);
    log_mask_personal(app->identity.id_number, id, sizeof id);
    const char *names[] = {"name", "id"};
    const char *values[] = {name, id};
    ui_strings_fill(ui_frame_text(frame, "card.identified"), names, values, 2, out, size);
}

/* The number typed will do for the service under way. */
static bool typed_accepted(const kiosk_app *app)
{
    return app->flow.service && catalog_accepts_typed_number(app->flow.service);
}

static kiosk_error build_card(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    ui_step_model step = app_flow_step_model(app);
    step.next_key = app->identity.known ? NULL : "card.type_instead";
    /* A service that shows the citizen's records offers no typing. */
    if (!app->identity.known && !typed_accepted(app))
        step.next = false;
    char identified[320];
    bool problem = false;
    const char *status;
    if (app->identity.known && !app->card_notice) {
        identified_text(app, frame, identified, sizeof identified);
        status = identified;
    } else {
        char key[48];
        status = ui_frame_text(frame, app_devices_reader_text(app, &problem, key, sizeof key));
    }
    return ui_card_step_build(frame, &step, status, problem, out);
}

static const char *screen_name_of(app_screen screen);

static kiosk_error build_help(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    ui_help_model model = {
        .title = ui_frame_text(frame, "help.title"),
        .body = ui_frame_text(frame, "help.body"),
        .call = ui_frame_text(frame, "help.call"),
        .status = app->help.called   ? ui_frame_text(frame, "help.called")
                  : app->help.failed ? ui_frame_text(frame, "help.call_failed")
                                     : NULL,
        .status_problem = app->help.failed,
    };
    return ui_help_build(frame, &model, out);
}

/* "Call staff" on the help screen: a staff-call record for the platform
 * (and, through it, the hall's staff), naming the screen the citizen was
 * on. */
static void call_staff(kiosk_app *app)
{
    kiosk_error called =
        app_platform_call_staff(app, "citizen-asked", screen_name_of(app->help.return_to));
    app->help.called = called == KIOSK_OK;
    app->help.failed = called != KIOSK_OK;
}

/* What could not be done, whether anything was kept, and the way on: a
 * submission that could not be kept ("error.not_kept"), or a service that
 * needs the link while it is down ("error.needs_link", before the citizen
 * has entered anything). */
static kiosk_error build_error(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    const char *kind = app->error_kind ? app->error_kind : "error.not_kept";
    char title[64], what[64], next[64];
    snprintf(title, sizeof title, "%s.title", kind);
    snprintf(what, sizeof what, "%s.body", kind);
    snprintf(next, sizeof next, "%s.next", kind);
    return ui_error_build(frame, ui_frame_text(frame, title), ui_frame_text(frame, what),
                          ui_frame_text(frame, next), out);
}

static kiosk_error build_result(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    ui_result_model model = {
        .outcome = app->result.outcome,
        .service_name = app->result.service_name,
        .tracking_number = app->result.tracking_number,
        .masked_id = app->result.masked_id,
        .time_text = app->result.time_text,
        .qr_data = app->result.qr_data,
        /* Paper when the service prints and there is a printer. */
        .can_print = app_print_available(app) &&
                     (!app->flow.service || app->flow.service->prints != CATALOG_PRINTS_NONE)};
    return ui_result_build(frame, &model, out);
}

static bool copy_fact(char *out, size_t size, const char *fact)
{
    int n = snprintf(out, size, "%s", fact ? fact : "");
    return n >= 0 && (size_t)n < size;
}

kiosk_error app_show_result(kiosk_app *app, const ui_result_model *result)
{
    bool fits = copy_fact(app->result.service_name, sizeof app->result.service_name,
                          result->service_name) &&
                copy_fact(app->result.tracking_number, sizeof app->result.tracking_number,
                          result->tracking_number) &&
                copy_fact(app->result.masked_id, sizeof app->result.masked_id, result->masked_id) &&
                copy_fact(app->result.time_text, sizeof app->result.time_text, result->time_text) &&
                copy_fact(app->result.qr_data, sizeof app->result.qr_data, result->qr_data);
    if (!fits) {
        explicit_bzero(&app->result, sizeof app->result);
        return KIOSK_ERR_TOO_BIG;
    }
    app->result.outcome = result->outcome;
    return app_show(app, APP_SCREEN_RESULT);
}

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

static kiosk_error build_timeout(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    return ui_timeout_build(frame, app->warning_seconds_shown, (int)(app_warning_ms(app) / 1000),
                            out);
}

static void enter_home(kiosk_app *app)
{
    /* Home is where a citizen starts over: drop what a service was showing
     * and what they typed for it. */
    app->service_index = 0;
    flow_wipe(&app->flow);
    explicit_bzero(&app->query, sizeof app->query);
    app_session_forget_typed(app);
    /* The next service is rated on its own. */
    app->rate.given = false;
    app->rate.level = 0;
    app->rate.stage = APP_RATE_LEVELS;
}

static void clear_card_notice(kiosk_app *app)
{
    app->card_notice = NULL;
}

static const app_screen_entry screens[APP_SCREEN_COUNT] = {
    [APP_SCREEN_ATTRACT] = {.name = "attract", .build = build_attract},
    [APP_SCREEN_HOME] = {.name = "home",
                         .build = build_home,
                         .theme_switches = true,
                         .enter = enter_home},
    [APP_SCREEN_IDENTIFY] = {.name = "identify", .build = build_identify},
    [APP_SCREEN_CONFIRM] = {.name = "confirm", .build = app_flow_build_confirm},
    [APP_SCREEN_HELP] = {.name = "help", .build = build_help},
    [APP_SCREEN_ERROR] = {.name = "error", .build = build_error, .enter = app_session_forget_typed},
    [APP_SCREEN_TIMEOUT] = {.name = "timeout", .build = build_timeout},
    [APP_SCREEN_RESULT] = {.name = "result", .build = build_result},
    [APP_SCREEN_CARD] = {.name = "card", .build = build_card, .enter = clear_card_notice},
    [APP_SCREEN_SCAN] = {.name = "scan", .build = app_scan_build, .enter = app_scan_enter},
    [APP_SCREEN_LOOKUP] = {.name = "lookup", .build = app_lookup_build},
    [APP_SCREEN_PRINT] = {.name = "print", .build = app_print_build},
    [APP_SCREEN_RATE] = {.name = "rate", .build = app_rate_build},
    [APP_SCREEN_FORM] = {.name = "form", .build = app_flow_build_form},
    [APP_SCREEN_FIELD] = {.name = "field", .build = app_flow_build_field},
    [APP_SCREEN_MATERIALS] = {.name = "materials", .build = app_flow_build_materials},
    [APP_SCREEN_NUMBER] = {.name = "number", .build = app_number_build},
    [APP_SCREEN_ANSWER] = {.name = "answer", .build = app_query_build},
    [APP_SCREEN_FINISHED] = {.name = "finished", .build = build_finished},
    [APP_SCREEN_TAKE_CARD] = {.name = "take-card",
                              .build = build_take_card,
                              .enter = enter_take_card},
};

static const char *screen_name_of(app_screen screen)
{
    return screens[screen].name;
}

const char *app_screen_name(const kiosk_app *app)
{
    return screens[app->screen].name;
}

ui_frame_model app_frame_model(kiosk_app *app, const char *clock_text)
{
    return (ui_frame_model){.strings = app->strings,
                            .language = app->language,
                            .metrics = app->metrics,
                            .theme = app->theme,
                            .theme_id = app->theme_id,
                            .theme_switches = screens[app->screen].theme_switches,
                            .hall_name = app->catalog->hall_name[app->language],
                            .clock_text = clock_text};
}

kiosk_error app_show(kiosk_app *app, app_screen screen)
{
    char clock[128];
    app_clock_text(app, clock, sizeof clock);
    app_screen previous = app->screen;
    bool changing = previous != screen;
    app->screen = screen; /* the frame model reads it */
    ui_frame_model frame = app_frame_model(app, clock);
    ui_widget *root = NULL;
    kiosk_error result = screens[screen].build(app, &frame, &root);
    if (result != KIOSK_OK) {
        app->screen = previous;
        LOG_ERROR("app", "cannot build the %s screen: %s", screens[screen].name,
                  kiosk_error_name(result));
        return result;
    }
    if (changing && app->root && screens[previous].leave)
        screens[previous].leave(app);
    ui_widget_destroy(app->root);
    app->root = root;
    app->pressed = NULL;
    app->drag_view = NULL;
    app->dragging = false;
    app_mark_all_dirty(app);
    if (changing) {
        /* Touches queued for the old screen must not land on the new one. */
        SDL_FlushEvents(SDL_FINGERDOWN, SDL_FINGERMOTION);
        SDL_FlushEvents(SDL_MOUSEBUTTONDOWN, SDL_MOUSEBUTTONUP);
        app->finger_down = false;
        app->shown_at_ms = app_now_ms(app);
        if (screens[screen].enter)
            screens[screen].enter(app);
    }
    LOG_DEBUG("app", "screen %s (%s, %s)", screens[screen].name, lang_code(app->language),
              app->theme->name);
    return KIOSK_OK;
}

/* A key of the keypad on the identification step. */
static void type_key(kiosk_app *app, int key)
{
    char *number = app->typed.id_number;
    size_t length = strlen(number);
    app->typed.show_problem = false;
    if (key == UI_KEY_CLEAR) {
        explicit_bzero(number, sizeof app->typed.id_number);
    } else if (key == UI_KEY_DELETE) {
        if (length > 0)
            number[length - 1] = '\0';
    } else if (length < ID_NUMBER_LENGTH && ((key >= '0' && key <= '9') || key == 'X')) {
        /* X is only ever the last character of an ID number. */
        if (key != 'X' || length == ID_NUMBER_LENGTH - 1)
            number[length] = (char)key;
    }
}

static void perform(kiosk_app *app, const ui_widget *widget)
{
    app_screen next = app->screen;
    switch (widget->action) {
    case UI_ACTION_OPEN_SERVICE: {
        if ((size_t)widget->action_arg >= app->catalog->service_count)
            return;
        const catalog_service *service = &app->catalog->services[widget->action_arg];
        app_session_forget_typed(app);
        if (catalog_needs_link(service) && app->platform.configured &&
            !app_platform_link_usable(app)) {
            /* Said before the citizen enters anything. */
            app->error_kind = "error.needs_link";
            next = APP_SCREEN_ERROR;
            LOG_INFO("app", "service %s needs the link, which is down", service->id);
            break;
        }
        app_flow_open(app, (size_t)widget->action_arg);
        return;
    }
    case UI_ACTION_SET_LANG:
        if (widget->action_arg < 0 || widget->action_arg >= LANG_COUNT)
            return;
        /* The citizen keeps their place; only the words change. */
        app->language = (lang)widget->action_arg;
        break;
    case UI_ACTION_SET_THEME:
        if (widget->action_arg < 0 || widget->action_arg >= UI_THEME_COUNT)
            return;
        app_session_set_theme(app, (ui_theme_id)widget->action_arg);
        LOG_INFO("app", "theme %s", app->theme->name);
        break;
    case UI_ACTION_PAGE:
        app->home_page += widget->action_arg;
        break;
    case UI_ACTION_HELP:
        /* Help keeps the citizen's place: "back" returns there. */
        if (app->screen != APP_SCREEN_HELP) {
            app->help.return_to = app->screen;
            app->help.called = app->help.failed = false;
        }
        next = APP_SCREEN_HELP;
        break;
    case UI_ACTION_HOME:
        next = APP_SCREEN_HOME;
        break;
    case UI_ACTION_START:
        app_session_start(app);
        next = APP_SCREEN_HOME;
        break;
    case UI_ACTION_CONTINUE:
        app_session_continue(app);
        return;
    case UI_ACTION_END_SESSION:
        /* The visit's end, asked for where it is offered as such. */
        if (app->screen == APP_SCREEN_TIMEOUT || app->screen == APP_SCREEN_HOME ||
            app->screen == APP_SCREEN_FINISHED) {
            app_session_end(app, "ended by the citizen");
            return;
        }
        /* Done with a service: the citizen may rate it first (or skip). */
        if (((app->screen == APP_SCREEN_RESULT || app->screen == APP_SCREEN_PRINT) &&
             app_rate_offered(app)) ||
            (app->screen == APP_SCREEN_ANSWER && !app->rate.given)) {
            app_rate_enter(app);
            next = APP_SCREEN_RATE;
            break;
        }
        /* Then: another service, or the end? Never the end by itself: the
         * citizen says whether they are done, and is asked for the card. */
        next = APP_SCREEN_FINISHED;
        break;
    case UI_ACTION_CANCEL:
        app_flow_cancel(app);
        return;
    case UI_ACTION_EDIT_FIELD:
        app_flow_edit(app, widget->action_arg);
        return;
    case UI_ACTION_TOGGLE:
        app_flow_toggle(app, widget->action_arg);
        return;
    case UI_ACTION_CHOOSE:
        if (app->screen == APP_SCREEN_FIELD) {
            app_flow_choose(app, widget->action_arg);
            return;
        }
        if (app->screen == APP_SCREEN_RATE) {
            app_rate_choose(app, widget->action_arg);
            return;
        }
        if (app->screen != APP_SCREEN_HELP || app->help.called)
            return;
        call_staff(app);
        break;
    case UI_ACTION_KEY:
        if (app->screen == APP_SCREEN_FIELD) {
            app_flow_key(app, widget->action_arg);
            return;
        }
        if (app->screen == APP_SCREEN_NUMBER) {
            app_number_key(app, widget->action_arg);
            return;
        }
        type_key(app, widget->action_arg);
        break;
    case UI_ACTION_NEXT:
        if (app->screen == APP_SCREEN_IDENTIFY) {
            if (!typed_accepted(app)) {
                next = APP_SCREEN_CARD; /* a claim cannot open the citizen's records */
                break;
            }
            bool valid = id_number_check(app->typed.id_number) == ID_NUMBER_OK;
            app->typed.show_problem = !valid;
            LOG_INFO("app", "ID number %s", valid ? "accepted" : "refused");
            if (valid) {
                app_flow_identified(app);
                return;
            }
        } else if (app->screen == APP_SCREEN_CARD) {
            /* Read: go on. Not read: type the number instead. */
            if (app->identity.known) {
                app_flow_identified(app);
                return;
            }
            if (!typed_accepted(app))
                return;
            next = APP_SCREEN_IDENTIFY;
        } else if (app->screen == APP_SCREEN_SCAN) {
            /* No code to show: type the number from the receipt instead. */
            explicit_bzero(app->scan.typed, sizeof app->scan.typed);
            next = APP_SCREEN_NUMBER;
        } else if (app->screen == APP_SCREEN_NUMBER) {
            app_number_ask(app);
            return;
        } else if (app->screen == APP_SCREEN_ANSWER) {
            /* Done with the answer: the rating is offered. */
            app_rate_enter(app);
            next = APP_SCREEN_RATE;
        } else if (app->screen == APP_SCREEN_RESULT || app->screen == APP_SCREEN_PRINT) {
            /* Print, or print again after a failure. */
            app_print_start(app);
            next = APP_SCREEN_PRINT;
        } else {
            app_flow_next(app);
            return;
        }
        break;
    case UI_ACTION_BACK:
        if (app->screen == APP_SCREEN_FORM || app->screen == APP_SCREEN_FIELD ||
            app->screen == APP_SCREEN_MATERIALS || app->screen == APP_SCREEN_CONFIRM) {
            app_flow_back(app);
            return;
        } else if (app->screen == APP_SCREEN_IDENTIFY)
            next = APP_SCREEN_CARD; /* the card after all */
        else if (app->screen == APP_SCREEN_SCAN)
            next = APP_SCREEN_HOME;
        else if (app->screen == APP_SCREEN_NUMBER)
            next = APP_SCREEN_SCAN;
        else if (app->screen == APP_SCREEN_LOOKUP)
            next = APP_SCREEN_SCAN; /* another number */
        else if (app->screen == APP_SCREEN_HELP)
            next = app->help.return_to;
        break;
    case UI_ACTION_NONE:
        return;
    }
    if (app_show(app, next) != KIOSK_OK)
        LOG_WARN("app", "staying on the %s screen", app_screen_name(app));
}

/* A touch or click at window coordinates: press on down, act on release over
 * the same widget (sliding off cancels, as citizens expect from buttons). One
 * finger at a time: a second finger while one is down is ignored. */
static void touch(kiosk_app *app, bool down, SDL_FingerID finger, float window_x, float window_y,
                  bool deliberate)
{
    int x = 0, y = 0;
    bool inside = ui_display_map_point(app->display, window_x, window_y, &x, &y);
    ui_widget *hit = inside ? ui_widget_hit(app->root, x, y) : NULL;
    uint64_t now = app_now_ms(app);
    app->last_input_ms = now;
    if (down) {
        if (app->finger_down || (!deliberate && now - app->shown_at_ms < APP_TRANSITION_GUARD_MS))
            return;
        app->finger_down = true;
        app->finger = finger;
        app->pressed = hit;
        app->drag_view = ui_scroll_view_of(hit);
        app->drag_start_y = app->drag_last_y = y;
        app->dragging = false;
        if (hit) {
            hit->flags |= UI_FLAG_PRESSED;
            app_mark_dirty(app, hit->bounds);
        }
        return;
    }
    if (!app->finger_down || finger != app->finger)
        return;
    app->finger_down = false;
    ui_widget *pressed = app->pressed;
    app->pressed = NULL;
    bool dragged = app->dragging;
    app->drag_view = NULL;
    app->dragging = false;
    if (!pressed || dragged)
        return;
    pressed->flags &= ~(unsigned)UI_FLAG_PRESSED;
    app_mark_dirty(app, pressed->bounds);
    if (pressed == hit)
        perform(app, hit);
}

/* A finger moving: in a scroll view, past a small distance, it scrolls the
 * content with it and stops being a press. */
#define DRAG_START_DP 16

static void move(kiosk_app *app, SDL_FingerID finger, float window_x, float window_y)
{
    if (!app->finger_down || finger != app->finger || !app->drag_view)
        return;
    int x = 0, y = 0;
    ui_display_map_point(app->display, window_x, window_y, &x, &y);
    app->last_input_ms = app_now_ms(app);
    if (!app->dragging && abs(y - app->drag_start_y) >= ui_dp(&app->metrics, DRAG_START_DP)) {
        app->dragging = true;
        if (app->pressed) {
            app->pressed->flags &= ~(unsigned)UI_FLAG_PRESSED;
            app->pressed = NULL;
        }
    }
    if (app->dragging && ui_scroll_view_scroll_by(app->drag_view, app->drag_last_y - y) != 0)
        app_mark_dirty(app, app->drag_view->bounds);
    app->drag_last_y = y;
}

/* The mouse is one more finger (desktops, and the board's absolute pointer). */
#define MOUSE_FINGER ((SDL_FingerID)-2)

void app_handle_input(kiosk_app *app, const SDL_Event *event)
{
    switch (event->type) {
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
        /* Finger positions are fractions of the window. */
        touch(app, event->type == SDL_FINGERDOWN, event->tfinger.fingerId,
              event->tfinger.x * (float)app->display->window_width,
              event->tfinger.y * (float)app->display->window_height, false);
        break;
    case SDL_FINGERMOTION:
        move(app, event->tfinger.fingerId, event->tfinger.x * (float)app->display->window_width,
             event->tfinger.y * (float)app->display->window_height);
        break;
    case SDL_MOUSEMOTION:
        if ((event->motion.state & SDL_BUTTON_LMASK) && event->motion.which != SDL_TOUCH_MOUSEID)
            move(app, MOUSE_FINGER, (float)event->motion.x, (float)event->motion.y);
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        if (event->button.button == SDL_BUTTON_LEFT && event->button.which != SDL_TOUCH_MOUSEID)
            touch(app, event->type == SDL_MOUSEBUTTONDOWN, MOUSE_FINGER, (float)event->button.x,
                  (float)event->button.y, false);
        break;
    case SDL_KEYDOWN:
        /* Only developers' keys for simulated devices: a citizen has no
         * keyboard, and scanners are never read as keys. */
        if (!event->key.repeat)
            app_devices_key(app, event->key.keysym.sym);
        break;
    default:
        break;
    }
}

void app_tap_widget(kiosk_app *app, ui_widget *widget)
{
    float x, y;
    ui_display_unmap_point(app->display, widget->bounds.x + widget->bounds.w / 2,
                           widget->bounds.y + widget->bounds.h / 2, &x, &y);
    touch(app, true, MOUSE_FINGER, x, y, true);
    touch(app, false, MOUSE_FINGER, x, y, true);
}
