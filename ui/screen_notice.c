/* An answer to the citizen's question, and the ways on. See ui_notice_build. */
#include "ui/screens.h"

#define MARGIN_DP 32
#define GAP_DP    24

kiosk_error ui_notice_build(const ui_frame_model *frame, const ui_notice_model *model,
                            ui_widget **out)
{
    const ui_metrics *m = &frame->metrics;
    SDL_Rect content;
    ui_widget *root = ui_frame_build(frame, &content);
    if (!root)
        return KIOSK_ERR_NO_MEMORY;
    int margin = ui_dp(m, MARGIN_DP), gap = ui_dp(m, GAP_DP);
    int width = content.w - 2 * margin, inner = width - 2 * gap;
    int title_h = ui_frame_line_px(frame, 44), body_h = 5 * ui_frame_line_px(frame, 34);
    int detail_h = 2 * ui_frame_line_px(frame, 28);
    int button_h = ui_frame_line_px(frame, 34) + gap;
    int min_h = ui_dp(m, frame->theme->min_target_dp + 8);
    button_h = button_h > min_h ? button_h : min_h;
    int card_h = gap + title_h + body_h + detail_h + gap;
    int y = content.y + margin;
    ui_tone tone = model->problem ? UI_TONE_ALERT : UI_TONE_TILE;
    ui_widget *card =
        ui_card_create(root, "notice.card", (SDL_Rect){margin, y, width, card_h}, tone);
    y += gap;
    ui_widget *title = ui_heading_create(root, "notice.title", model->title,
                                         (SDL_Rect){margin + gap, y, inner, title_h});
    y += title_h;
    ui_widget *body = ui_label_create(root, "notice.body", model->body,
                                      (SDL_Rect){margin + gap, y, inner, body_h});
    y += body_h;
    ui_widget *detail = ui_label_create(root, "notice.detail", model->detail ? model->detail : "",
                                        (SDL_Rect){margin + gap, y, inner, detail_h});
    int buttons_y = content.y + content.h - margin - button_h;
    int half = model->again ? (width - gap) / 2 : width;
    ui_widget *again =
        model->again
            ? ui_button_create(root, "notice.again", model->again,
                               (SDL_Rect){margin, buttons_y, half, button_h}, UI_ACTION_BACK, 0)
            : NULL;
    ui_widget *done = ui_button_create(
        root, "notice.done", ui_frame_text(frame, "print.finish"),
        (SDL_Rect){margin + (model->again ? half + gap : 0), buttons_y, half, button_h},
        UI_ACTION_END_SESSION, 0);
    if (!card || !title || !body || !detail || (model->again && !again) || !done) {
        ui_widget_destroy(root);
        return KIOSK_ERR_NO_MEMORY;
    }
    title->tone = body->tone = detail->tone = tone;
    title->text_dp = 44;
    body->text_dp = 34;
    detail->text_dp = 28;
    body->wrap = detail->wrap = true;
    if (again) {
        again->tone = UI_TONE_SECONDARY;
        again->text_dp = 34;
    }
    done->tone = UI_TONE_PRIMARY;
    done->text_dp = 34;
    *out = root;
    return KIOSK_OK;
}
