/* 预约取号: a place in a counter's queue. The queue is the platform's, so
 * the ticket's number, counter and time are the platform's answer; while
 * the platform cannot be asked the citizen is told so, why, and what to do
 * instead — never given a ticket with a number made up here. */
#include "firmware/app/app_appointment.h"
#include "firmware/app/app_help.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_print.h"
#include "firmware/app/app_session.h"
#include "firmware/app/navigation.h"

#include "firmware/base/local_time.h"
#include "firmware/base/log.h"

#include <stdio.h>
#include <string.h>

/* A booking under way: asked on this screen, answered there or dropped. */
static struct {
    bool waiting;
    app_screen screen;
} booking;

/* The choice the citizen made in the form field named id, or "". */
static const char *choice_of(kiosk_app *app, const char *id)
{
    const flow *f = app_session_flow(app);
    for (unsigned i = 0; f->service && i < f->service->field_count; i++) {
        const catalog_field *field = catalog_field_of(app_catalog(app), f->service, i);
        if (field->type == CATALOG_FIELD_CHOICE && strcmp(field->id, id) == 0)
            return f->values[i];
    }
    return "";
}

static void refuse(kiosk_app *app, const char *kind)
{
    booking.waiting = false;
    app_error_set(app, kind);
    if (app_go(app, APP_SCREEN_ERROR) != KIOSK_OK)
        LOG_WARN("appointment", "the refusal could not be shown");
}

void app_appointment_start(kiosk_app *app)
{
    if (booking.waiting && app_current_screen(app) == booking.screen)
        return; /* already asked: a second tap is not a second ticket */
    const catalog_service *service = app_session_flow(app)->service;
    const char *matter = choice_of(app, "matter");
    if (!app_platform_can_ask(app)) {
        LOG_INFO("appointment", "%s: the platform cannot be asked: no ticket", service->id);
        refuse(app, "appointment.offline");
        return;
    }
    if (!app_platform_book(app, service->id, matter[0] ? matter : "other", choice_of(app, "slot"),
                           app_session_citizen_id(app))) {
        refuse(app, "appointment.failed");
        return;
    }
    booking.waiting = true;
    booking.screen = app_current_screen(app);
    /* Said on the button pressed, should the answer take a moment. */
    ui_frame_model frame = app_frame_model(app, "");
    ui_widget *button = ui_live_update(app_root(app), UI_ID_STEP_NEXT,
                                       ui_frame_text(&frame, "step.sending"), UI_LIVE_KEEP_TONE);
    if (button)
        app_mark_dirty(app, button->bounds);
}

void app_appointment_answer(kiosk_app *app, const sync_appointment_result *result)
{
    if (!booking.waiting || app_current_screen(app) != booking.screen) {
        LOG_INFO("appointment", "an answer for a citizen who has left: dropped");
        return;
    }
    booking.waiting = false;
    if (result->outcome == SYNC_APPOINTMENT_FULL) {
        refuse(app, "appointment.full");
        return;
    }
    if (result->outcome != SYNC_APPOINTMENT_BOOKED) {
        /* The link went as it was asked: that is the reason to give. */
        refuse(app, app_platform_link_down(app) ? "appointment.offline" : "appointment.failed");
        return;
    }
    const catalog_service *service = app_session_flow(app)->service;
    lang language = app_language(app);
    char masked[32], when[LOCAL_TIME_TEXT_MAX], start[LOCAL_TIME_TEXT_MAX],
        end[LOCAL_TIME_TEXT_MAX], slot[2 * LOCAL_TIME_TEXT_MAX + 8];
    log_mask_personal(app_session_citizen_id(app), masked, sizeof masked);
    app_local_time(app, (int64_t)app_wall_time(app), when, sizeof when);
    /* "2026年12月7日 14:00–14:30": the day itself, never "tomorrow". */
    const local_zone *zone = &app_board(app)->zone;
    (void)local_time_format(zone, language, LOCAL_TIME_DATE_TIME, result->slot_start, start,
                            sizeof start);
    (void)local_time_format(zone, language, LOCAL_TIME_CLOCK, result->slot_end, end, sizeof end);
    snprintf(slot, sizeof slot, "%s–%s", start, end);
    ui_result_model model = {.outcome = UI_RESULT_ACCEPTED,
                             .service_name = service ? service->name[language] : "",
                             .tracking_number = result->reference,
                             .masked_id = masked,
                             .time_text = when,
                             .qr_data = "", /* the number is the ticket: no page to follow */
                             .queue_number = result->queue_number,
                             .window = result->window[language],
                             .slot_text = slot,
                             .at = (int64_t)app_wall_time(app),
                             .windows = {result->window[LANG_ZH_CN], result->window[LANG_ZH_TW],
                                         result->window[LANG_EN]},
                             .slot_start = result->slot_start,
                             .slot_end = result->slot_end};
    LOG_INFO("appointment", "booked %s at %s", result->queue_number, result->window[LANG_EN]);
    if (app_show_result(app, &model) != KIOSK_OK)
        LOG_ERROR("appointment", "the ticket could not be shown");
}

void app_appointment_forget(kiosk_app *app)
{
    (void)app;
    booking.waiting = false;
}
