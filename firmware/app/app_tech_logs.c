/* The technician's view of the recent log (APP_SCREEN_TECH_LOGS): its last
 * lines, already masked by firmware/base/log; 导出到U盘, which writes them
 * to the board's USB export folder, and 发送到平台, which sends them to the
 * platform on a worker and says how that ended (app_logs.h). */
#include "firmware/app/app_logs.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_tech.h"
#include "firmware/app/navigation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_LINES   24
#define LOG_TEXT_DP 18

/* Where a USB stick is mounted when the board profile does not say
 * (usb_export_dir): the boards' automounter's place. */
#define USB_EXPORT_DIR_DEFAULT "/media/usb"

enum logs_item { LOGS_EXPORT, LOGS_SEND };

/* What the last export did, shown under the log. */
static char exported[300];
/* Why the last press of 发送到平台 sent nothing (busy, no platform), until
 * the next. */
static char not_started[300];

/* How sending to the platform stands, in the technician's words: under
 * way, how the last upload ended, or why the last press did nothing. */
static void sent_text(kiosk_app *app, const ui_frame_model *frame, char *out, size_t size)
{
    out[0] = '\0';
    log_upload_result last;
    if (app_logs_sending(app)) {
        snprintf(out, size, "%s", ui_frame_text(frame, "tech.logs.sending"));
    } else if (not_started[0]) {
        snprintf(out, size, "%s", not_started);
    } else if (app_logs_last_sent(app, &last)) {
        char key[64], lines[24];
        snprintf(key, sizeof key, "tech.logs.send.%s%s", log_upload_outcome_name(last.outcome),
                 last.outcome == LOG_UPLOAD_SENT && last.replay ? "_again" : "");
        snprintf(lines, sizeof lines, "%zu", last.lines);
        const char *names[] = {"lines", "why"};
        const char *values[] = {lines, last.message};
        ui_strings_fill(ui_frame_text(frame, key), names, values, 2, out, size);
    }
}

static kiosk_error build_logs(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, APP_TECH_MARGIN_DP, APP_TECH_GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    bool ok = ui_screen_title(&screen, "tech.logs.title", ui_frame_text(frame, "tech.logs.title"),
                              APP_TECH_TITLE_DP) &&
              app_tech_foot(&screen, true);
    /* Side by side where both names fit on one line of half the page;
     * else one above the other (large text on a small panel). */
    const char *export_text = ui_frame_text(frame, "tech.logs.export");
    const char *send_text = ui_frame_text(frame, "tech.logs.send");
    int gap = ui_dp(&frame->metrics, APP_TECH_GAP_DP);
    int half = (screen.area.w - gap) / 2 - 2 * gap;
    bool abreast = ui_frame_lines_for(frame, export_text, APP_TECH_BUTTON_DP, half, 2) == 1 &&
                   ui_frame_lines_for(frame, send_text, APP_TECH_BUTTON_DP, half, 2) == 1;
    int button_h = ui_screen_large_button_h(&screen, APP_TECH_BUTTON_DP);
    SDL_Rect send_at = ui_screen_foot(&screen, button_h);
    SDL_Rect export_at =
        abreast ? ui_column(send_at, 2, gap, 0) : ui_screen_foot(&screen, button_h);
    if (abreast)
        send_at = ui_column(send_at, 2, gap, 1);
    ok = ok &&
         ui_screen_button(&screen, "tech.logs.export", export_text, export_at, UI_ACTION_STAFF,
                          LOGS_EXPORT, UI_TONE_PRIMARY, APP_TECH_BUTTON_DP) &&
         ui_screen_button(&screen, "tech.logs.send", send_text, send_at, UI_ACTION_STAFF, LOGS_SEND,
                          UI_TONE_PRIMARY, APP_TECH_BUTTON_DP);
    char sent[600];
    sent_text(app, frame, sent, sizeof sent);
    if (ok && sent[0])
        ok = ui_wrapped_text_create(screen.root, &ui_label_class, "tech.logs.sent", sent,
                                    ui_screen_foot(&screen, 2 * ui_frame_line_px(frame, 24)), 24,
                                    UI_TONE_PLAIN);
    if (ok && exported[0])
        ok = ui_wrapped_text_create(screen.root, &ui_label_class, "tech.logs.exported", exported,
                                    ui_screen_foot(&screen, 2 * ui_frame_line_px(frame, 24)), 24,
                                    UI_TONE_PLAIN);
    /* The newest lines that fit, wrapped, in the room left (large text
     * shows fewer of them; the whole log is kioskctl's and the export's). */
    SDL_Rect rest = ui_screen_rest(&screen);
    char *recent = NULL;
    for (size_t lines = LOG_LINES; ok && lines > 0; lines--) {
        free(recent);
        recent = app_logs_recent(app, lines);
        if (!recent || ui_lines_h(frame, recent, LOG_TEXT_DP, rest.w, 1000) <= rest.h)
            break;
        if (lines == 1)
            recent[0] = '\0'; /* not even one line: say there is nothing to show here */
    }
    if (ok)
        ok = ui_wrapped_text_create(screen.root, &ui_note_class, "tech.logs.text",
                                    recent && recent[0] ? recent
                                                        : ui_frame_text(frame, "tech.logs.empty"),
                                    rest, LOG_TEXT_DP, UI_TONE_PLAIN);
    free(recent);
    return ui_screen_end(&screen, ok, out);
}

static app_screen on_logs(kiosk_app *app, ui_action action, int arg)
{
    if (action != UI_ACTION_STAFF)
        return app_tech_common(app, action);
    app_role_touch(app);
    if (arg == LOGS_SEND) {
        ui_frame_model frame = app_frame_model(app, "");
        kiosk_error started = app_logs_send(app, app_role_actor(app), NULL, NULL);
        /* Busy: the page says it is sending already, and will say how it
         * ended. */
        if (started == KIOSK_ERR_BUSY)
            return APP_SCREEN_STAY;
        const char *why = started == KIOSK_ERR_UNSUPPORTED ? "tech.logs.send.no_platform"
                                                           : "tech.logs.send.not_started";
        snprintf(not_started, sizeof not_started, "%s",
                 started == KIOSK_OK ? "" : ui_frame_text(&frame, why));
        if (started == KIOSK_ERR_UNSUPPORTED)
            app_audit(app, "logs.send", "",
                      "local: no platform link (no platform_url, or no "
                      "certificates)");
        else if (started != KIOSK_OK)
            app_audit(app, "logs.send", "", kiosk_error_name(started));
        return APP_SCREEN_TECH_LOGS;
    }
    if (arg != LOGS_EXPORT)
        return APP_SCREEN_STAY;
    char written[256] = "";
    kiosk_diag diag = {{0}};
    const char *dir =
        app_board(app)->usb_export_dir[0] ? app_board(app)->usb_export_dir : USB_EXPORT_DIR_DEFAULT;
    kiosk_error result =
        app_logs_export(app, dir, app_role_actor(app), written, sizeof written, &diag);
    ui_frame_model frame = app_frame_model(app, "");
    const char *names[] = {"path", "why"};
    const char *values[] = {written, diag.message[0] ? diag.message : kiosk_error_name(result)};
    ui_strings_fill(ui_frame_text(&frame, result == KIOSK_OK ? "tech.logs.exported"
                                          : result == KIOSK_ERR_NOT_FOUND
                                              ? "tech.logs.no_stick"
                                              : "tech.logs.not_exported"),
                    names, values, 2, exported, sizeof exported);
    return APP_SCREEN_TECH_LOGS;
}

static void leave_logs(kiosk_app *app)
{
    (void)app;
    exported[0] = '\0';
    not_started[0] = '\0';
}

const app_controller app_tech_logs_controller = {.name = "tech_logs",
                                                 .build = build_logs,
                                                 .on_action = on_logs,
                                                 .leave = leave_logs,
                                                 .ignores_cards = true};
