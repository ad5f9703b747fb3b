/* The time-out warning: the citizen seems to have gone. Say why we will stop,
 * show how long is left, and make staying the biggest thing on the screen. */
#include "ui/screens.h"

#include <stdio.h>

#define MARGIN_DP 48

void ui_timeout_countdown_text(const ui_frame_model *frame, int seconds_left, char *out,
                               size_t out_size)
{
    char seconds[16];
    snprintf(seconds, sizeof seconds, "%d", seconds_left < 0 ? 0 : seconds_left);
    const char *names[] = {"seconds"};
    const char *values[] = {seconds};
    ui_strings_fill(ui_frame_text(frame, "timeout.seconds"), names, values, 1, out, out_size);
}

kiosk_error ui_timeout_build(const ui_frame_model *frame, int seconds_left, ui_widget **out)
{
    const ui_metrics *m = &frame->metrics;
    SDL_Rect content;
    ui_widget *root = ui_frame_build(frame, &content);
    if (!root)
        return KIOSK_ERR_NO_MEMORY;
    int margin = ui_dp(m, MARGIN_DP);
    int width = content.w - 2 * margin;
    int y = content.y + margin;

    int card_h = content.h - 2 * margin;
    ui_widget *card =
        ui_panel_create(root, "timeout.card", (SDL_Rect){margin, y, width, card_h}, UI_TONE_ALERT);
    int title_h = ui_frame_text_dp(frame, 110), body_h = ui_frame_text_dp(frame, 200);
    int count_h = ui_frame_text_dp(frame, 160), button_h = ui_frame_text_dp(frame, 120);
    int inner = width - 2 * margin;
    y += margin;
    ui_widget *title =
        ui_heading_create(root, "timeout.title", ui_frame_text(frame, "timeout.title"),
                          (SDL_Rect){2 * margin, y, inner, title_h});
    y += title_h;
    ui_widget *body = ui_label_create(root, "timeout.body", ui_frame_text(frame, "timeout.body"),
                                      (SDL_Rect){2 * margin, y, inner, body_h});
    y += body_h;
    char countdown[32];
    ui_timeout_countdown_text(frame, seconds_left, countdown, sizeof countdown);
    ui_widget *count = ui_label_create(root, UI_ID_COUNTDOWN, countdown,
                                       (SDL_Rect){2 * margin, y, inner, count_h});
    y += count_h + margin;
    ui_widget *stay =
        ui_button_create(root, "timeout.continue", ui_frame_text(frame, "timeout.continue"),
                         (SDL_Rect){2 * margin, y, inner, button_h}, UI_ACTION_CONTINUE, 0);
    y += button_h + margin;
    int end_w = inner / 2;
    ui_widget *end = ui_button_create(
        root, "timeout.end", ui_frame_text(frame, "timeout.end"),
        (SDL_Rect){2 * margin + (inner - end_w) / 2, y, end_w, ui_frame_text_dp(frame, 88)},
        UI_ACTION_END_SESSION, 0);
    if (!card || !title || !body || !count || !stay || !end) {
        ui_widget_destroy(root);
        return KIOSK_ERR_NO_MEMORY;
    }
    title->tone = body->tone = count->tone = UI_TONE_ALERT;
    title->text_dp = 44;
    body->wrap = true;
    body->text_dp = 30;
    count->text_dp = 72;
    stay->tone = UI_TONE_PRIMARY;
    stay->text_dp = 40;
    *out = root;
    return KIOSK_OK;
}
