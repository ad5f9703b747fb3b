/* Screens, navigation and touch. */
#include "firmware/app_internal.h"

#include "firmware/log.h"

#include <stdio.h>

typedef kiosk_error (*screen_build_fn)(kiosk_app *app, const ui_frame_model *frame,
                                       ui_widget **out);

typedef struct app_screen_entry {
    const char *name;
    screen_build_fn build;
} app_screen_entry;

void app_clock_text(kiosk_app *app, char *out, size_t out_size)
{
    time_t now = app_wall_time(app);
    struct tm local;
    localtime_r(&now, &local);
    ui_clock_format(app->strings, app->language, &local, out, out_size);
}

static kiosk_error build_home(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    ui_tile_model tiles[CATALOG_SERVICES_MAX];
    size_t count = app->catalog.service_count;
    for (size_t i = 0; i < count; i++) {
        const catalog_service *service = &app->catalog.services[i];
        tiles[i] = (ui_tile_model){.id = service->id,
                                   .name = service->name[app->language],
                                   .summary = service->summary[app->language],
                                   .bundle = service->kind == CATALOG_KIND_BUNDLE};
    }
    return ui_home_build(frame, tiles, count, out);
}

static kiosk_error build_service(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    const catalog_service *service = &app->catalog.services[app->service_index];
    return ui_placeholder_build(
        frame, service->name[app->language],
        ui_strings_get(app->strings, app->language, "placeholder.service_body"),
        app->board.idle_timeout_s, out);
}

static kiosk_error build_help(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    return ui_placeholder_build(
        frame, ui_strings_get(app->strings, app->language, "placeholder.help_title"),
        ui_strings_get(app->strings, app->language, "placeholder.help_body"),
        app->board.idle_timeout_s, out);
}

static kiosk_error build_elder(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    return ui_placeholder_build(
        frame, ui_strings_get(app->strings, app->language, "placeholder.elder_title"),
        ui_strings_get(app->strings, app->language, "placeholder.elder_body"),
        app->board.idle_timeout_s, out);
}

static const app_screen_entry screens[APP_SCREEN_COUNT] = {
    [APP_SCREEN_HOME] = {.name = "home", .build = build_home},
    [APP_SCREEN_SERVICE] = {.name = "service", .build = build_service},
    [APP_SCREEN_HELP] = {.name = "help", .build = build_help},
    [APP_SCREEN_ELDER] = {.name = "elder-mode", .build = build_elder},
};

const char *app_screen_name(const kiosk_app *app)
{
    return screens[app->screen].name;
}

kiosk_error app_show(kiosk_app *app, app_screen screen)
{
    char clock[128];
    app_clock_text(app, clock, sizeof clock);
    ui_frame_model frame = {.strings = app->strings,
                            .language = app->language,
                            .metrics = app->metrics,
                            .hall_name = app->catalog.hall_name[app->language],
                            .clock_text = clock};
    app_screen previous = app->screen;
    app->screen = screen;
    ui_widget *root = NULL;
    kiosk_error result = screens[screen].build(app, &frame, &root);
    if (result != KIOSK_OK) {
        app->screen = previous;
        LOG_ERROR("app", "cannot build the %s screen: %s", screens[screen].name,
                  kiosk_error_name(result));
        return result;
    }
    ui_widget_destroy(app->root);
    app->root = root;
    app->pressed = NULL;
    app->dirty = true;
    LOG_DEBUG("app", "screen %s (%s)", screens[screen].name, lang_code(app->language));
    return KIOSK_OK;
}

static void perform(kiosk_app *app, const ui_widget *widget)
{
    app_screen next = app->screen;
    switch (widget->action) {
    case UI_ACTION_OPEN_SERVICE:
        if ((size_t)widget->action_arg >= app->catalog.service_count)
            return;
        app->service_index = (size_t)widget->action_arg;
        next = APP_SCREEN_SERVICE;
        LOG_INFO("app", "service %s chosen", app->catalog.services[app->service_index].id);
        break;
    case UI_ACTION_SET_LANG:
        if (widget->action_arg < 0 || widget->action_arg >= LANG_COUNT)
            return;
        /* The citizen keeps their place; only the words change. */
        app->language = (lang)widget->action_arg;
        break;
    case UI_ACTION_HELP:
        next = APP_SCREEN_HELP;
        break;
    case UI_ACTION_ELDER_MODE:
        next = APP_SCREEN_ELDER;
        break;
    case UI_ACTION_HOME:
        next = APP_SCREEN_HOME;
        break;
    case UI_ACTION_NONE:
        return;
    }
    if (app_show(app, next) != KIOSK_OK)
        LOG_WARN("app", "staying on the %s screen", app_screen_name(app));
}

/* A touch or click at window coordinates: press on down, act on release over
 * the same widget (sliding off cancels, as citizens expect from buttons). */
static void touch(kiosk_app *app, bool down, float window_x, float window_y)
{
    int x = 0, y = 0;
    bool inside = ui_display_map_point(app->display, window_x, window_y, &x, &y);
    ui_widget *hit = inside ? ui_widget_hit(app->root, x, y) : NULL;
    app->last_input_ms = app_now_ms(app);
    if (down) {
        if (app->pressed)
            app->pressed->flags &= ~(unsigned)UI_FLAG_PRESSED;
        app->pressed = hit;
        if (hit)
            hit->flags |= UI_FLAG_PRESSED;
        app->dirty = true;
        return;
    }
    ui_widget *pressed = app->pressed;
    app->pressed = NULL;
    if (!pressed)
        return;
    pressed->flags &= ~(unsigned)UI_FLAG_PRESSED;
    app->dirty = true;
    if (pressed == hit)
        perform(app, hit);
}

void app_handle_input(kiosk_app *app, const SDL_Event *event)
{
    switch (event->type) {
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
        /* Finger positions are fractions of the window. */
        touch(app, event->type == SDL_FINGERDOWN,
              event->tfinger.x * (float)app->display->window_width,
              event->tfinger.y * (float)app->display->window_height);
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        if (event->button.button == SDL_BUTTON_LEFT && event->button.which != SDL_TOUCH_MOUSEID)
            touch(app, event->type == SDL_MOUSEBUTTONDOWN, (float)event->button.x,
                  (float)event->button.y);
        break;
    default:
        break;
    }
}
