/* A kind dead end that is not one: what this is, that it is coming, and a
 * large way home. */
#include "ui/screens.h"

#include <stdio.h>

#define MARGIN_DP   32
#define BUTTON_W_DP 420

kiosk_error ui_placeholder_build(const ui_frame_model *frame, const char *title, const char *body,
                                 int idle_seconds, ui_widget **out)
{
    const ui_metrics *m = &frame->metrics;
    SDL_Rect content;
    ui_widget *root = ui_frame_build(frame, &content);
    if (!root)
        return KIOSK_ERR_NO_MEMORY;

    /* Heights from the text they hold; the explanation takes what is left,
     * and the hint about the time-out gives way first when space is short. */
    int margin = ui_dp(m, MARGIN_DP);
    int width = content.w - 2 * margin;
    int title_h = ui_frame_line_px(frame, 44) + margin / 2;
    int hint_h = 2 * ui_frame_line_px(frame, 22);
    int button_h = ui_frame_line_px(frame, 34) + margin;
    int min_button = ui_dp(m, frame->theme->min_target_dp + 8);
    button_h = button_h > min_button ? button_h : min_button;
    int body_line = ui_frame_line_px(frame, 30);
    int body_h = content.h - 4 * margin - title_h - hint_h - button_h;
    bool hint = body_h >= 3 * body_line;
    if (!hint)
        body_h += hint_h;
    if (body_h > 6 * body_line)
        body_h = 6 * body_line;

    int y = content.y + margin;
    ui_widget *heading =
        ui_heading_create(root, "placeholder.title", title, (SDL_Rect){margin, y, width, title_h});
    y += title_h;
    ui_widget *text =
        ui_label_create(root, "placeholder.body", body, (SDL_Rect){margin, y, width, body_h});
    y += body_h + margin;

    char seconds[16], hint_text[256];
    snprintf(seconds, sizeof seconds, "%d", idle_seconds);
    const char *names[] = {"seconds"};
    const char *values[] = {seconds};
    ui_strings_fill(ui_frame_text(frame, "placeholder.idle_hint"), names, values, 1, hint_text,
                    sizeof hint_text);
    ui_widget *idle = ui_label_create(root, "placeholder.idle", hint_text,
                                      (SDL_Rect){margin, y, width, hint ? hint_h : 0});
    y += hint ? hint_h + margin : 0;

    int button_w = ui_frame_text_dp(frame, BUTTON_W_DP);
    if (button_w > width)
        button_w = width;
    ui_widget *home = ui_button_create(
        root, "placeholder.home", ui_frame_text(frame, "common.back_home"),
        (SDL_Rect){(content.w - button_w) / 2, y, button_w, button_h}, UI_ACTION_HOME, 0);
    if (!heading || !text || !idle || !home) {
        ui_widget_destroy(root);
        return KIOSK_ERR_NO_MEMORY;
    }
    heading->text_dp = 44;
    text->wrap = true;
    text->text_dp = 30;
    idle->wrap = true;
    idle->text_dp = 22;
    if (!hint)
        idle->flags |= UI_FLAG_HIDDEN;
    home->tone = UI_TONE_PRIMARY;
    home->text_dp = 34;
    *out = root;
    return KIOSK_OK;
}
