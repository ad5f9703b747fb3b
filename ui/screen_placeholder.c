/* A kind dead end that is not one: what this is, that it is coming, and a
 * large way home. */
#include "ui/screens.h"

#include <stdio.h>

#define MARGIN_DP   48
#define TITLE_DP    120
#define BODY_DP     260
#define HINT_DP     60
#define BUTTON_W_DP 420
#define BUTTON_H_DP 112

kiosk_error ui_placeholder_build(const ui_frame_model *frame, const char *title, const char *body,
                                 int idle_seconds, ui_widget **out)
{
    const ui_metrics *m = &frame->metrics;
    SDL_Rect content;
    ui_widget *root = ui_frame_build(frame, &content);
    if (!root)
        return KIOSK_ERR_NO_MEMORY;

    int margin = ui_dp(m, MARGIN_DP);
    int width = content.w - 2 * margin;
    int y = content.y + margin;
    int title_h = ui_frame_text_dp(frame, TITLE_DP), body_h = ui_frame_text_dp(frame, BODY_DP);
    int hint_h = ui_frame_text_dp(frame, HINT_DP);
    ui_widget *heading =
        ui_heading_create(root, "placeholder.title", title, (SDL_Rect){margin, y, width, title_h});
    y += title_h;
    ui_widget *text =
        ui_label_create(root, "placeholder.body", body, (SDL_Rect){margin, y, width, body_h});
    y += body_h;

    char seconds[16], hint[256];
    snprintf(seconds, sizeof seconds, "%d", idle_seconds);
    const char *names[] = {"seconds"};
    const char *values[] = {seconds};
    ui_strings_fill(ui_frame_text(frame, "placeholder.idle_hint"), names, values, 1, hint,
                    sizeof hint);
    ui_widget *idle =
        ui_label_create(root, "placeholder.idle", hint, (SDL_Rect){margin, y, width, hint_h});
    y += hint_h + margin;

    int button_w = ui_frame_text_dp(frame, BUTTON_W_DP);
    if (button_w > width)
        button_w = width;
    ui_widget *home = ui_button_create(
        root, "placeholder.home", ui_frame_text(frame, "common.back_home"),
        (SDL_Rect){(content.w - button_w) / 2, y, button_w, ui_frame_text_dp(frame, BUTTON_H_DP)},
        UI_ACTION_HOME, 0);
    if (!heading || !text || !idle || !home) {
        ui_widget_destroy(root);
        return KIOSK_ERR_NO_MEMORY;
    }
    heading->text_dp = 44;
    text->wrap = true;
    text->text_dp = 30;
    idle->wrap = true;
    idle->text_dp = 22;
    home->tone = UI_TONE_PRIMARY;
    home->text_dp = 34;
    *out = root;
    return KIOSK_OK;
}
