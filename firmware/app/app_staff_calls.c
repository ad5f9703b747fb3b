/* The hall's waiting help calls, for staff: where, why, how long ago; each
 * acknowledged with one tap (我去处理), which tells the citizen's terminal
 * that someone is coming. While this screen is shown the platform layer
 * fetches the calls at every heartbeat and reports a change
 * (PLATFORM_STAFF), which builds the list again. */
#include "firmware/app/app_platform.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_staff.h"

#include "firmware/base/log.h"
#include "firmware/base/untrusted_text.h"
#include "firmware/platform/staff_ops.h"
#include "firmware/platform/store_use.h"

#include <stdio.h>
#include <string.h>

/* As many as fit on the smallest board under the page's header. */
#define CALLS_MAX 8

static struct {
    platform_call shown[CALLS_MAX]; /* the list as last built: what a tap acknowledges */
    size_t count;
    char note_key[48]; /* what the last tap did ("" none) */
    char note_why[48]; /* the string key of why it failed */
} calls;

static const char *reason_key(const char *reason)
{
    if (strcmp(reason, "citizen-asked") == 0)
        return "staff.call.reason.citizen-asked";
    if (strcmp(reason, "paper-out") == 0)
        return "staff.call.reason.paper-out";
    return "staff.call.reason.other";
}

static void ago(kiosk_app *app, const ui_frame_model *frame, int64_t at_s, char *out, size_t size)
{
    /* The platform's clock stamped the call: measured against it. */
    bool from_platform = false;
    struct kiosk_platform *core = app_platform_core(app);
    int64_t now = core ? (int64_t)platform_now(core, &from_platform) : (int64_t)app_wall_time(app);
    app_staff_ago(frame, at_s > 0 && now > at_s ? now - at_s : 0, out, size);
}

static kiosk_error build_calls(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    app_staff_page page;
    app_staff_page_begin(&page, app, frame, "staff.calls.title", false);
    struct kiosk_platform *core = app_platform_core(app);
    calls.count = core ? platform_calls_get(core, calls.shown, CALLS_MAX) : 0;
    if (calls.note_key[0]) {
        char note[256];
        const char *names[] = {"why"};
        const char *values[] = {calls.note_why[0] ? ui_frame_text(frame, calls.note_why) : ""};
        ui_strings_fill(ui_frame_text(frame, calls.note_key), names, values, 1, note, sizeof note);
        app_staff_text(&page, "staff.calls.note", note, UI_TONE_PLAIN);
    }
    if (calls.count == 0) {
        bool blind = app_platform_configured(app) && !app_platform_link_usable(app);
        app_staff_text(&page, "staff.calls.none",
                       ui_frame_text(frame, blind ? "staff.calls.offline" : "staff.calls.none"),
                       blind ? UI_TONE_ALERT : UI_TONE_PLAIN);
    }
    for (size_t i = 0; i < calls.count && page.ok; i++) {
        const platform_call *call = &calls.shown[i];
        char when[64], row[320], id[48], terminal[64];
        ago(app, frame, call->at_s, when, sizeof when);
        /* The platform's text, shown only when it is text. */
        snprintf(terminal, sizeof terminal, "%s",
                 untrusted_utf8_valid(call->terminal, strlen(call->terminal)) ? call->terminal
                                                                              : "?");
        const char *names[] = {"terminal", "reason", "ago"};
        const char *values[] = {terminal, ui_frame_text(frame, reason_key(call->reason)), when};
        ui_strings_fill(ui_frame_text(frame, "staff.calls.row"), names, values, 3, row, sizeof row);
        int need = app_staff_text_h(&page, row) + app_staff_button_h(&page) + 2 * page.screen.gap;
        if (!app_staff_fits(&page, need))
            break; /* the rest come up as these are answered */
        snprintf(id, sizeof id, "staff.calls.%zu", i);
        app_staff_text(&page, id, row, UI_TONE_ALERT);
        snprintf(id, sizeof id, "staff.calls.%zu.ack", i);
        app_staff_button(&page, id, ui_frame_text(frame, "staff.calls.ack"), (int)i,
                         UI_TONE_PRIMARY);
    }
    return app_staff_page_end(&page, out);
}

static void enter_calls(kiosk_app *app)
{
    app_role_touch(app);
    if (app_platform_core(app))
        platform_calls_watch(app_platform_core(app), true);
}

static void leave_calls(kiosk_app *app)
{
    if (app_platform_core(app))
        platform_calls_watch(app_platform_core(app), false);
    explicit_bzero(&calls, sizeof calls);
}

static app_screen on_calls(kiosk_app *app, ui_action action, int arg)
{
    if (action != UI_ACTION_STAFF)
        return app_staff_common_action(app, action, arg);
    app_role_touch(app);
    if (arg < 0 || (size_t)arg >= calls.count)
        return APP_SCREEN_STAY;
    const platform_call *call = &calls.shown[arg];
    struct kiosk_platform *core = app_platform_core(app);
    kiosk_error done =
        core ? platform_call_acknowledge(core, call->id, app_role_actor(app)) : KIOSK_ERR_IO;
    if (done == KIOSK_OK) {
        /* platform_call_acknowledge keeps it in the audit trail itself. */
        LOG_INFO("staff", "call at %s acknowledged by %s", call->terminal, app_role_actor(app));
        snprintf(calls.note_key, sizeof calls.note_key, "staff.calls.acked");
        calls.note_why[0] = '\0';
    } else {
        LOG_WARN("staff", "call at %s not acknowledged: %s", call->terminal,
                 kiosk_error_name(done));
        snprintf(calls.note_key, sizeof calls.note_key, "staff.calls.ack_failed");
        snprintf(calls.note_why, sizeof calls.note_why, "%s",
                 done == KIOSK_ERR_NOT_FOUND ? "staff.error.not_found" : "staff.error.store");
    }
    return APP_SCREEN_STAFF_CALLS;
}

const app_controller app_staff_calls_controller = {.name = "staff_calls",
                                                   .build = build_calls,
                                                   .enter = enter_calls,
                                                   .leave = leave_calls,
                                                   .on_action = on_calls,
                                                   .ignores_cards = true};
