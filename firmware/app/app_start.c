/* Where a visit starts: the attract screen (nobody is here; staff's line at
 * its foot) and home (the services, as tiles). */
#include "firmware/app/app_start.h"
#include "firmware/app/app_core.h"
#include "firmware/app/app_flow.h"
#include "firmware/app/app_help.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_rate.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_store.h"
#include "firmware/app/navigation.h"

#include "firmware/base/local_time.h"
#include "firmware/base/log.h"

#include <stdio.h>
#include <string.h>

void app_clock_text(kiosk_app *app, char *out, size_t out_size)
{
    time_t now = app_wall_time(app);
    struct tm local;
    /* The hall's zone, whatever the process's TZ. A clock far off (before
     * 2000, after 2099) is shown as it is, in UTC: staff see it is wrong. */
    if (!local_time_broken_down(&app_board(app)->zone, (int64_t)now, &local))
        gmtime_r(&now, &local);
    ui_frame_model frame = app_frame_model(app, "");
    /* Quietly, for citizens: the terminal works without the link, and
     * services that need it say so on their tiles. A store that cannot keep
     * applications is said as such, not as the network. */
    const char *store_note = app_store_citizen_note_key(app);
    bool note = store_note || app_platform_link_down(app);
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
    size_t count = app_catalog(app)->service_count;
    for (size_t i = 0; i < count; i++)
        offers[i] = app_catalog(app)->services[i].name[app_language(app)];
    char note[320];
    app_platform_staff_note(app, frame, note, sizeof note);
    ui_frame_model with_note = *frame;
    with_note.staff_note = note;
    return ui_attract_build(&with_note, offers, count, out);
}

const app_controller app_attract_controller = {.name = "attract", .build = build_attract};

/* The page of tiles shown, when there are more than fit. */
static int home_page;

void app_home_first_page(kiosk_app *app)
{
    (void)app;
    home_page = 0;
}

static kiosk_error build_home(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    ui_tile_model tiles[CATALOG_SERVICES_MAX];
    size_t count = app_catalog(app)->service_count;
    for (size_t i = 0; i < count; i++) {
        const catalog_service *service = &app_catalog(app)->services[i];
        tiles[i] =
            (ui_tile_model){.id = service->id,
                            .name = service->name[app_language(app)],
                            /* Said before the citizen starts, never after. */
                            .summary = catalog_needs_link(service) && app_platform_link_down(app)
                                           ? ui_frame_text(frame, "link.needed")
                                           : service->summary[app_language(app)],
                            .bundle = service->kind == CATALOG_KIND_BUNDLE};
    }
    /* An identified citizen can end the visit here at any time. */
    const char *end = app_session_identified(app) ? ui_frame_text(frame, "session.end") : NULL;
    return ui_home_build(frame, tiles, count, &home_page, end, out);
}

static void enter_home(kiosk_app *app)
{
    /* Home is where a citizen starts over: drop what a service was showing
     * and what they typed for it. */
    app_session_set_service_index(app, 0);
    app_session_forget_service(app);
    /* The next service is rated on its own. */
    app_rate_forget(app);
}

static app_screen open_service(kiosk_app *app, int index)
{
    if (index < 0 || (size_t)index >= app_catalog(app)->service_count)
        return APP_SCREEN_STAY;
    const catalog_service *service = &app_catalog(app)->services[index];
    app_session_forget_typed(app);
    if (catalog_needs_link(service) && app_platform_link_down(app)) {
        /* Said before the citizen enters anything. */
        app_error_set(app, "error.needs_link");
        LOG_INFO("app", "service %s needs the link, which is down", service->id);
        return APP_SCREEN_ERROR;
    }
    app_flow_open(app, (size_t)index);
    return APP_SCREEN_STAY;
}

static app_screen home_action(kiosk_app *app, ui_action action, int arg)
{
    switch (action) {
    case UI_ACTION_OPEN_SERVICE:
        return open_service(app, arg);
    case UI_ACTION_PAGE:
        home_page += arg;
        return APP_SCREEN_HOME;
    case UI_ACTION_END_SESSION:
        app_session_end(app, "ended by the citizen");
        return APP_SCREEN_STAY;
    default:
        return APP_SCREEN_UNHANDLED;
    }
}

const app_controller app_home_controller = {.name = "home",
                                            .build = build_home,
                                            .enter = enter_home,
                                            .on_action = home_action,
                                            .theme_switches = true};
