/* Assisted service (帮办): staff choose a service for a citizen who is
 * with them and start it. The staff session ends first (wiped, audited),
 * then a citizen session begins that remembers who helped
 * (app_session_assisted_by); the citizen identifies as usual, and the
 * submission carries "assisted_by". The citizen's data is wiped at the
 * end as in any session; staff and citizen never share one session. */
#include "firmware/app/app_role.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_staff.h"

#include "firmware/base/log.h"

#include <stdio.h>
#include <string.h>

static kiosk_error build_assist(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    app_staff_page page;
    app_staff_page_begin(&page, app, frame, "staff.assist.title", false);
    app_staff_text(&page, "staff.assist.intro", ui_frame_text(frame, "staff.assist.intro"),
                   UI_TONE_PLAIN);
    const catalog *c = app_catalog(app);
    /* Two abreast: the catalog's services on one page of large buttons. */
    int row_h = app_staff_button_h(&page) + page.screen.gap;
    for (size_t i = 0; i < c->service_count && page.ok; i += 2) {
        if (!app_staff_fits(&page, row_h))
            break;
        char id_a[96], id_b[96];
        snprintf(id_a, sizeof id_a, "staff.assist.%s", c->services[i].id);
        if (i + 1 < c->service_count) {
            snprintf(id_b, sizeof id_b, "staff.assist.%s", c->services[i + 1].id);
            app_staff_buttons(&page, id_a, c->services[i].name[frame->language], (int)i, id_b,
                              c->services[i + 1].name[frame->language], (int)i + 1);
        } else {
            app_staff_button(&page, id_a, c->services[i].name[frame->language], (int)i,
                             UI_TONE_PRIMARY);
        }
    }
    return app_staff_page_end(&page, out);
}

/* Ends the staff session and opens service index for the citizen. */
static void start_for_citizen(kiosk_app *app, size_t index)
{
    char staff_id[32];
    snprintf(staff_id, sizeof staff_id, "%s", app_staff_id(app));
    const catalog_service *service = &app_catalog(app)->services[index];
    app_staff_did(app, "staff.assisted-service", "", service->id);
    app_role_end(app, "assisted-service");
    app_session_start(app);
    app_session_set_assisted_by(app, staff_id);
    LOG_INFO("staff", "service %s started for a citizen, assisted by %s", service->id,
             staff_id[0] ? staff_id : "(nobody signed in)");
    explicit_bzero(staff_id, sizeof staff_id);
    /* As if the citizen had tapped its tile: the link's check, the first step. */
    if (app_go(app, APP_SCREEN_HOME) != KIOSK_OK) {
        app_session_end(app, "cannot show home");
        return;
    }
    app_perform(app, UI_ACTION_OPEN_SERVICE, (int)index);
}

static app_screen on_assist(kiosk_app *app, ui_action action, int arg)
{
    if (action != UI_ACTION_STAFF)
        return app_staff_common_action(app, action, arg);
    if (arg < 0 || (size_t)arg >= app_catalog(app)->service_count)
        return APP_SCREEN_STAY;
    start_for_citizen(app, (size_t)arg);
    return APP_SCREEN_STAY;
}

static void enter_assist(kiosk_app *app)
{
    app_role_touch(app);
}

const app_controller app_staff_assist_controller = {.name = "staff_assist",
                                                    .build = build_assist,
                                                    .enter = enter_assist,
                                                    .on_action = on_assist,
                                                    .ignores_cards = true};
