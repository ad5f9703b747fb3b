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

/* The first service on the page shown. */
static struct {
    size_t first;
} assist;
/* One past the last service the page shown has (where 下一页 begins). */
static size_t assist_shown_up_to;

enum {
    ARG_PREVIOUS = -1000,
    ARG_NEXT = -1001,
};

static kiosk_error build_assist(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    app_staff_page page;
    app_staff_page_begin(&page, app, frame, "staff.assist.title", false);
    app_staff_text(&page, "staff.assist.intro", ui_frame_text(frame, "staff.assist.intro"),
                   UI_TONE_PLAIN);
    const catalog *c = app_catalog(app);
    if (assist.first >= c->service_count)
        assist.first = 0;
    /* Two abreast where both names fit, else one a row; what does not fit
     * on the page is a page on (上一页 / 下一页 at the foot). */
    int row_h = app_staff_button_h(&page) + page.screen.gap;
    bool paged = assist.first > 0;
    size_t i = assist.first;
    while (i < c->service_count && page.ok) {
        /* Keep a row for the paging buttons unless this is the last row. */
        bool room = app_staff_fits(&page, 2 * row_h);
        const char *name = c->services[i].name[frame->language];
        const char *next =
            i + 1 < c->service_count ? c->services[i + 1].name[frame->language] : NULL;
        bool pair = next && app_staff_abreast(&page, name, next);
        bool last_row = i + (pair ? 2 : 1) >= c->service_count;
        if (!room && !(last_row && !paged && app_staff_fits(&page, row_h)))
            break;
        char id_a[96], id_b[96];
        snprintf(id_a, sizeof id_a, "staff.assist.%s", c->services[i].id);
        if (pair) {
            snprintf(id_b, sizeof id_b, "staff.assist.%s", c->services[i + 1].id);
            app_staff_buttons(&page, id_a, name, (int)i, UI_TONE_PRIMARY, id_b, next, (int)i + 1,
                              UI_TONE_PRIMARY);
            i += 2;
        } else {
            app_staff_button(&page, id_a, name, (int)i, UI_TONE_PRIMARY);
            i++;
        }
    }
    if (assist.first > 0 || i < c->service_count) {
        /* Both always there, in their places: a disabled-looking gap would
         * move the other under a hurried finger. */
        app_staff_buttons(&page, "staff.assist.previous",
                          ui_frame_text(frame, "staff.page.previous"), ARG_PREVIOUS,
                          UI_TONE_SECONDARY, "staff.assist.next",
                          ui_frame_text(frame, "staff.page.next"), ARG_NEXT, UI_TONE_SECONDARY);
    }
    assist_shown_up_to = i;
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
    if (arg == ARG_NEXT || arg == ARG_PREVIOUS) {
        app_role_touch(app);
        if (arg == ARG_NEXT && assist_shown_up_to < app_catalog(app)->service_count)
            assist.first = assist_shown_up_to;
        else if (arg == ARG_PREVIOUS)
            assist.first = 0; /* the pages are few: back to the first */
        return APP_SCREEN_STAFF_ASSIST;
    }
    if (arg < 0 || (size_t)arg >= app_catalog(app)->service_count)
        return APP_SCREEN_STAY;
    start_for_citizen(app, (size_t)arg);
    return APP_SCREEN_STAY;
}

static void enter_assist(kiosk_app *app)
{
    app_role_touch(app);
}

static void leave_assist(kiosk_app *app)
{
    (void)app;
    assist.first = 0;
}

const app_controller app_staff_assist_controller = {.name = "staff_assist",
                                                    .build = build_assist,
                                                    .enter = enter_assist,
                                                    .leave = leave_assist,
                                                    .on_action = on_assist,
                                                    .ignores_cards = true};
