/* Navigation: the table of controllers, showing a screen, and what a tap
 * means — first the screen's own controller, then the actions every screen
 * shares. */
#include "firmware/app/navigation.h"
#include "firmware/app/app_core.h"
#include "firmware/app/app_flow.h"
#include "firmware/app/app_help.h"
#include "firmware/app/app_input.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_speech.h"
#include "firmware/app/app_start.h"
#include "firmware/app/navigation.h"

#include "firmware/base/log.h"

#include <string.h>

/* The screen shown and its widget tree: one app to a process. */
static struct {
    app_screen screen;
    ui_widget *root;      /* the screen's widget tree */
    uint64_t shown_at_ms; /* when the screen was last changed */
} nav;

ui_widget *app_root(kiosk_app *app)
{
    (void)app;
    return nav.root;
}

void app_navigation_start(kiosk_app *app)
{
    (void)app;
    nav.screen = APP_SCREEN_ATTRACT;
}

void app_navigation_stop(kiosk_app *app)
{
    app_role_stop(app);
    ui_widget_destroy(nav.root);
    memset(&nav, 0, sizeof nav);
}

static const app_controller *const controllers[APP_SCREEN_COUNT] = {
#define APP_CONTROLLER_ROW(upper, lower) [APP_SCREEN_##upper] = &app_##lower##_controller,
    APP_SCREENS(APP_CONTROLLER_ROW)
#undef APP_CONTROLLER_ROW
};

const char *app_screen_name_of(app_screen screen)
{
    return controllers[screen]->name;
}

const char *app_screen_name(const kiosk_app *app)
{
    (void)app;
    return controllers[nav.screen]->name;
}

uint64_t app_shown_at_ms(const kiosk_app *app)
{
    (void)app;
    return nav.shown_at_ms;
}

app_screen app_current_screen(const kiosk_app *app)
{
    (void)app;
    return nav.screen;
}

ui_frame_model app_frame_model(kiosk_app *app, const char *clock_text)
{
    return (ui_frame_model){.strings = app_strings(app),
                            .language = app_language(app),
                            .metrics = *app_metrics(app),
                            .theme = app_theme(app),
                            .theme_id = app_theme_id(app),
                            .theme_switches = controllers[nav.screen]->theme_switches,
                            .hall_name = app_catalog(app)->hall_name[app_language(app)],
                            .clock_text = clock_text,
                            .reader_on = app_speech_reader_on(app),
                            /* Staff and technicians are the help: citizens'
                             * help and its call for staff are not theirs. */
                            .no_help = app_role_current(app) != STAFF_ROLE_NONE};
}

kiosk_error app_go(kiosk_app *app, app_screen screen)
{
    char clock[128];
    app_clock_text(app, clock, sizeof clock);
    app_screen previous = nav.screen;
    bool changing = previous != screen;
    nav.screen = screen; /* the frame model reads it */
    ui_frame_model frame = app_frame_model(app, clock);
    ui_widget *root = NULL;
    const app_controller *next = controllers[screen];
    kiosk_error result = next->build(app, &frame, &root);
    if (result != KIOSK_OK) {
        nav.screen = previous;
        LOG_ERROR("app", "cannot build the %s screen: %s", next->name, kiosk_error_name(result));
        return result;
    }
    if (changing && nav.root && controllers[previous]->leave)
        controllers[previous]->leave(app);
    ui_widget_destroy(nav.root);
    nav.root = root;
    app_input_tree_replaced(app, changing);
    app_mark_all_dirty(app);
    if (changing) {
        /* Touches queued for the old screen must not land on the new one. */
        SDL_FlushEvents(SDL_FINGERDOWN, SDL_FINGERMOTION);
        SDL_FlushEvents(SDL_MOUSEBUTTONDOWN, SDL_MOUSEBUTTONUP);
        nav.shown_at_ms = app_now_ms(app);
        if (next->enter)
            next->enter(app);
    }
    LOG_DEBUG("app", "screen %s (%s, %s)", next->name, lang_code(app_language(app)),
              app_theme(app)->name);
    app_speech_screen_shown(app);
    return KIOSK_OK;
}

void app_controllers_forget(kiosk_app *app)
{
    for (size_t i = 0; i < APP_SCREEN_COUNT; i++)
        if (controllers[i]->forget)
            controllers[i]->forget(app);
}

void app_tell(kiosk_app *app, app_news news)
{
    const app_controller *current = controllers[nav.screen];
    if (current->on_event) {
        current->on_event(app, news);
        return;
    }
    /* A card on the attract screen starts a visit as a touch does. */
    if (news == APP_NEWS_VISIT && app_go(app, APP_SCREEN_HOME) != KIOSK_OK)
        LOG_WARN("app", "cannot show home for the visit a card started");
    /* A card refused, or one that identified the citizen: the screen shows
     * it (home's "end the visit", say). */
    if (news == APP_NEWS_CARD && app_go(app, nav.screen) != KIOSK_OK)
        LOG_WARN("app", "cannot show what the card meant");
}

bool app_screen_ignores_cards(const kiosk_app *app)
{
    (void)app;
    return controllers[nav.screen]->ignores_cards;
}

/* The actions every screen shares. */
static app_screen shared_action(kiosk_app *app, ui_action action, int arg)
{
    switch (action) {
    case UI_ACTION_SET_LANG:
        if (arg < 0 || arg >= LANG_COUNT)
            return APP_SCREEN_STAY;
        /* The citizen keeps their place; only the words change. */
        app_session_set_language(app, (lang)arg);
        return nav.screen;
    case UI_ACTION_SET_THEME:
        if (arg < 0 || arg >= UI_THEME_COUNT)
            return APP_SCREEN_STAY;
        app_session_set_theme(app, (ui_theme_id)arg);
        LOG_INFO("app", "theme %s", app_theme(app)->name);
        return nav.screen;
    case UI_ACTION_HELP:
        app_help_open(app);
        return APP_SCREEN_HELP;
    case UI_ACTION_HOME:
        return APP_SCREEN_HOME;
    case UI_ACTION_START:
        app_session_start(app);
        return APP_SCREEN_HOME;
    case UI_ACTION_CONTINUE:
        app_session_continue(app);
        return APP_SCREEN_STAY;
    case UI_ACTION_END_SESSION:
        /* Then: another service, or the end? Never the end by itself: the
         * citizen says whether they are done, and is asked for the card. */
        return APP_SCREEN_FINISHED;
    case UI_ACTION_CANCEL:
        app_flow_cancel(app);
        return APP_SCREEN_STAY;
    case UI_ACTION_NEXT:
        app_flow_next(app);
        return APP_SCREEN_STAY;
    case UI_ACTION_EDIT_FIELD:
        app_flow_edit(app, arg);
        return APP_SCREEN_STAY;
    case UI_ACTION_TOGGLE:
        app_flow_toggle(app, arg);
        return APP_SCREEN_STAY;
    case UI_ACTION_CHOOSE:
        return APP_SCREEN_STAY;
    case UI_ACTION_ACCESSIBILITY:
        /* The button shows the new state: the screen is built again. */
        app_speech_set_reader(app, !app_speech_reader_on(app));
        return nav.screen;
    case UI_ACTION_VOLUME:
        app_speech_volume_step(app, arg);
        return APP_SCREEN_STAY;
    case UI_ACTION_OPEN_SERVICE:
    case UI_ACTION_PAGE:
    case UI_ACTION_KEY:
    case UI_ACTION_BACK:
    case UI_ACTION_INPUT_MODE:
    case UI_ACTION_STROKE:
    case UI_ACTION_DRAWN:
    case UI_ACTION_SIGN_BY_KEY:
    case UI_ACTION_STAFF:
        /* Another screen's: here it changes nothing, but the screen is
         * drawn again as after any tap. */
        return nav.screen;
    case UI_ACTION_SIGN_OUT:
        app_role_end(app, "signed-out");
        return APP_SCREEN_STAY;
    case UI_ACTION_NONE:
        break;
    }
    return APP_SCREEN_STAY;
}

void app_perform(kiosk_app *app, ui_action action, int arg)
{
    if (action == UI_ACTION_NONE)
        return;
    const app_controller *current = controllers[nav.screen];
    app_screen next =
        current->on_action ? current->on_action(app, action, arg) : APP_SCREEN_UNHANDLED;
    if (next == APP_SCREEN_UNHANDLED)
        next = shared_action(app, action, arg);
    if (next == APP_SCREEN_STAY)
        return;
    if (app_go(app, next) != KIOSK_OK)
        LOG_WARN("app", "staying on the %s screen", app_screen_name(app));
}
