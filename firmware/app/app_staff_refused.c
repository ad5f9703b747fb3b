/* Applications the platform refused (quarantined in the outbox): each with
 * its reference, service, the citizen masked, and the platform's reason.
 * Staff resend one after the fix, or close it with a reason chosen from a
 * short list; either is confirmed first and kept in the audit trail by the
 * platform layer (platform_outbox_resend/close). Nothing is deleted
 * silently: a closed record leaves a tombstone and its audit row. */
#include "firmware/app/app_platform.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_staff.h"

#include "firmware/base/log.h"
#include "firmware/platform/staff_ops.h"

#include <stdio.h>
#include <string.h>

#define REFUSED_MAX 6

/* The action's argument: a row's resend or close, or a confirmation's. */
enum {
    ARG_RESEND = 0, /* + 2 × row */
    ARG_CLOSE = 1,  /* + 2 × row */
    ARG_YES = 1000,
    ARG_NO = 1001,
    ARG_REASON = 1100, /* + reason */
};

/* Why staff close a record: stable codes for the audit trail (nothing
 * personal), and their words. */
static const char *const CLOSE_REASONS[] = {"duplicate", "handled-offline", "withdrawn", "other"};
#define CLOSE_REASON_COUNT (sizeof CLOSE_REASONS / sizeof CLOSE_REASONS[0])

typedef enum refused_step {
    STEP_LIST,
    STEP_CONFIRM_RESEND,
    STEP_CHOOSE_REASON,
    STEP_CONFIRM_CLOSE,
} refused_step;

static struct {
    platform_outbox_item items[REFUSED_MAX]; /* as last listed; subjects are masked */
    size_t count;
    bool listed;      /* since the screen was last left */
    bool unavailable; /* the store could not list them */
    refused_step step;
    size_t chosen; /* the row the step is about */
    size_t reason; /* the close reason chosen */
    char note_key[48], note_reference[64], note_why[48];
} refused;

static void forget(void)
{
    explicit_bzero(&refused, sizeof refused);
}

static void list(kiosk_app *app)
{
    struct kiosk_platform *core = app_platform_core(app);
    explicit_bzero(refused.items, sizeof refused.items);
    refused.count = 0;
    kiosk_error listed =
        core ? platform_outbox_list(core, true, refused.items, REFUSED_MAX, &refused.count)
             : KIOSK_ERR_IO;
    refused.listed = true;
    refused.unavailable = listed != KIOSK_OK;
    if (refused.unavailable) {
        refused.count = 0;
        LOG_WARN("staff", "refused records not listed: %s", kiosk_error_name(listed));
    }
    /* Only quarantined ones are this screen's. */
    size_t kept = 0;
    for (size_t i = 0; i < refused.count && i < REFUSED_MAX; i++) {
        if (refused.items[i].state == PLATFORM_OUTBOX_QUARANTINED)
            refused.items[kept++] = refused.items[i];
    }
    refused.count = kept;
}

static void fill(const ui_frame_model *frame, const char *key, const char *reference,
                 const char *reason, char *out, size_t size)
{
    const char *names[] = {"reference", "reason", "why"};
    const char *values[] = {reference, reason,
                            refused.note_why[0] ? ui_frame_text(frame, refused.note_why) : ""};
    ui_strings_fill(ui_frame_text(frame, key), names, values, 3, out, size);
}

static const char *reference_of(const platform_outbox_item *item)
{
    return item->reference[0] ? item->reference : item->kind;
}

static void row_text(const ui_frame_model *frame, const platform_outbox_item *item, char *out,
                     size_t size)
{
    const char *names[] = {"reference", "service", "subject"};
    const char *values[] = {reference_of(item), item->service, item->subject};
    ui_strings_fill(ui_frame_text(frame, "staff.refused.row"), names, values, 3, out, size);
}

static void build_confirm(app_staff_page *page, const ui_frame_model *frame)
{
    const platform_outbox_item *item = &refused.items[refused.chosen];
    char text[512], row[320];
    row_text(frame, item, row, sizeof row);
    app_staff_text(page, "staff.refused.which", row, UI_TONE_PLAIN);
    switch (refused.step) {
    case STEP_CONFIRM_RESEND:
        fill(frame, "staff.refused.confirm_resend", reference_of(item), "", text, sizeof text);
        app_staff_text(page, "staff.refused.question", text, UI_TONE_ALERT);
        app_staff_buttons(page, "staff.refused.yes",
                          ui_frame_text(frame, "staff.refused.yes_resend"), ARG_YES,
                          UI_TONE_PRIMARY, "staff.refused.no", ui_frame_text(frame, "staff.cancel"),
                          ARG_NO, UI_TONE_SECONDARY);
        break;
    case STEP_CHOOSE_REASON:
        fill(frame, "staff.refused.choose_reason", reference_of(item), "", text, sizeof text);
        app_staff_text(page, "staff.refused.question", text, UI_TONE_ALERT);
        /* The reasons, then 取消; abreast where one a row would not fit. */
        static char ids[CLOSE_REASON_COUNT][48], keys[CLOSE_REASON_COUNT][48];
        app_staff_choice choices[CLOSE_REASON_COUNT + 1];
        for (size_t r = 0; r < CLOSE_REASON_COUNT; r++) {
            snprintf(ids[r], sizeof ids[r], "staff.refused.reason.%zu", r);
            snprintf(keys[r], sizeof keys[r], "staff.close.%s", CLOSE_REASONS[r]);
            choices[r] = (app_staff_choice){ids[r], ui_frame_text(frame, keys[r]),
                                            ARG_REASON + (int)r, UI_TONE_PRIMARY};
        }
        choices[CLOSE_REASON_COUNT] = (app_staff_choice){
            "staff.refused.no", ui_frame_text(frame, "staff.cancel"), ARG_NO, UI_TONE_SECONDARY};
        app_staff_menu(page, choices, CLOSE_REASON_COUNT + 1);
        break;
    case STEP_CONFIRM_CLOSE: {
        char key[48];
        snprintf(key, sizeof key, "staff.close.%s", CLOSE_REASONS[refused.reason]);
        fill(frame, "staff.refused.confirm_close", reference_of(item), ui_frame_text(frame, key),
             text, sizeof text);
        app_staff_text(page, "staff.refused.question", text, UI_TONE_ALERT);
        app_staff_buttons(page, "staff.refused.yes",
                          ui_frame_text(frame, "staff.refused.yes_close"), ARG_YES, UI_TONE_ALERT,
                          "staff.refused.no", ui_frame_text(frame, "staff.cancel"), ARG_NO,
                          UI_TONE_SECONDARY);
        break;
    }
    case STEP_LIST:
        break;
    }
}

static kiosk_error build_refused(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    /* Listed when first shown: the store's, not a copy kept from before. */
    if (!refused.listed)
        list(app);
    app_staff_page page;
    app_staff_page_begin(&page, app, frame, "staff.refused.title", false);
    if (refused.step != STEP_LIST && refused.chosen < refused.count) {
        build_confirm(&page, frame);
        return app_staff_page_end(&page, out);
    }
    if (refused.note_key[0]) {
        char note[320];
        fill(frame, refused.note_key, refused.note_reference, "", note, sizeof note);
        app_staff_text(&page, "staff.refused.note", note, UI_TONE_PLAIN);
    }
    if (refused.unavailable)
        app_staff_text(&page, "staff.refused.none", ui_frame_text(frame, "staff.error.store"),
                       UI_TONE_ALERT);
    else if (refused.count == 0)
        app_staff_text(&page, "staff.refused.none", ui_frame_text(frame, "staff.refused.none"),
                       UI_TONE_PLAIN);
    for (size_t i = 0; i < refused.count && page.ok; i++) {
        const platform_outbox_item *item = &refused.items[i];
        char row[320], why[320], id[48];
        row_text(frame, item, row, sizeof row);
        const char *names[] = {"reason"};
        const char *values[] = {item->reason};
        ui_strings_fill(ui_frame_text(frame, "staff.refused.reason"), names, values, 1, why,
                        sizeof why);
        int need = app_staff_text_h(&page, row) + app_staff_text_h(&page, why) +
                   app_staff_button_h(&page) + 3 * page.screen.gap;
        if (!app_staff_fits(&page, need))
            break; /* the next come up as these are dealt with */
        snprintf(id, sizeof id, "staff.refused.%zu", i);
        app_staff_text(&page, id, row, UI_TONE_PLAIN);
        snprintf(id, sizeof id, "staff.refused.%zu.reason", i);
        app_staff_text(&page, id, why, UI_TONE_ALERT);
        char resend_id[48], close_id[48];
        snprintf(resend_id, sizeof resend_id, "staff.refused.%zu.resend", i);
        snprintf(close_id, sizeof close_id, "staff.refused.%zu.close", i);
        app_staff_buttons(&page, resend_id, ui_frame_text(frame, "staff.refused.resend"),
                          ARG_RESEND + 2 * (int)i, UI_TONE_PRIMARY, close_id,
                          ui_frame_text(frame, "staff.refused.close"), ARG_CLOSE + 2 * (int)i,
                          UI_TONE_SECONDARY);
    }
    return app_staff_page_end(&page, out);
}

static void note(const char *key, const char *reference, kiosk_error error)
{
    snprintf(refused.note_key, sizeof refused.note_key, "%s", key);
    snprintf(refused.note_reference, sizeof refused.note_reference, "%s", reference);
    snprintf(refused.note_why, sizeof refused.note_why, "%s",
             error == KIOSK_OK              ? ""
             : error == KIOSK_ERR_NOT_FOUND ? "staff.error.not_found"
                                            : "staff.error.store");
}

/* Does what was confirmed: the platform layer audits it with the actor. */
static void carry_out(kiosk_app *app)
{
    const platform_outbox_item *item = &refused.items[refused.chosen];
    struct kiosk_platform *core = app_platform_core(app);
    const char *actor = app_role_actor(app);
    char reference[64];
    snprintf(reference, sizeof reference, "%s", reference_of(item));
    kiosk_error done;
    if (refused.step == STEP_CONFIRM_RESEND) {
        done = core ? platform_outbox_resend(core, item->id, actor) : KIOSK_ERR_IO;
        LOG_INFO("staff", "refused record %s resent by %s: %s", reference, actor,
                 kiosk_error_name(done));
        note(done == KIOSK_OK ? "staff.refused.resent" : "staff.refused.failed", reference, done);
    } else {
        const char *reason = CLOSE_REASONS[refused.reason];
        done = core ? platform_outbox_close(core, item->id, actor, reason) : KIOSK_ERR_IO;
        LOG_INFO("staff", "refused record %s closed by %s (%s): %s", reference, actor, reason,
                 kiosk_error_name(done));
        note(done == KIOSK_OK ? "staff.refused.closed" : "staff.refused.failed", reference, done);
    }
    refused.step = STEP_LIST;
    list(app);
}

static app_screen on_refused(kiosk_app *app, ui_action action, int arg)
{
    if (action != UI_ACTION_STAFF) {
        if (action == UI_ACTION_BACK && refused.step != STEP_LIST) {
            refused.step = STEP_LIST; /* 返回 from a question: the list again */
            return APP_SCREEN_STAFF_REFUSED;
        }
        return app_staff_common_action(app, action, arg);
    }
    app_role_touch(app);
    refused.note_key[0] = '\0';
    if (refused.step == STEP_LIST) {
        if (arg < 0 || arg >= 2 * (int)refused.count)
            return APP_SCREEN_STAY;
        refused.chosen = (size_t)arg / 2;
        refused.step = arg % 2 == ARG_RESEND ? STEP_CONFIRM_RESEND : STEP_CHOOSE_REASON;
        return APP_SCREEN_STAFF_REFUSED;
    }
    if (arg == ARG_NO) {
        refused.step = STEP_LIST;
    } else if (refused.step == STEP_CHOOSE_REASON && arg >= ARG_REASON &&
               arg < ARG_REASON + (int)CLOSE_REASON_COUNT) {
        refused.reason = (size_t)(arg - ARG_REASON);
        refused.step = STEP_CONFIRM_CLOSE;
    } else if (arg == ARG_YES &&
               (refused.step == STEP_CONFIRM_RESEND || refused.step == STEP_CONFIRM_CLOSE)) {
        carry_out(app);
    }
    return APP_SCREEN_STAFF_REFUSED;
}

static void enter_refused(kiosk_app *app)
{
    app_role_touch(app);
}

static void leave_refused(kiosk_app *app)
{
    (void)app;
    forget(); /* the masked subjects too: nothing stays after the screen */
}

static void forget_refused(kiosk_app *app)
{
    (void)app;
    forget();
}

const app_controller app_staff_refused_controller = {.name = "staff_refused",
                                                     .build = build_refused,
                                                     .enter = enter_refused,
                                                     .leave = leave_refused,
                                                     .on_action = on_refused,
                                                     .forget = forget_refused,
                                                     .ignores_cards = true};
