/* An answer to the citizen's question, and the ways on. See ui_notice_build. */
#include "ui/icons.h"
#include "ui/layout.h"
#include "ui/screens.h"

#define MARGIN_DP 32
#define GAP_DP    24

kiosk_error ui_notice_build(const ui_frame_model *frame, const ui_notice_model *model,
                            ui_widget **out)
{
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, MARGIN_DP, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    ui_widget *root = screen.root;
    int margin = screen.margin, gap = screen.gap;
    int width = screen.area.w, inner = width - 2 * gap;
    int title_h = ui_frame_line_px(frame, 44), body_h = 5 * ui_frame_line_px(frame, 34);
    int detail_h = 2 * ui_frame_line_px(frame, 28);
    int button_h = ui_screen_button_h(&screen, 34);
    int card_h = gap + title_h + body_h + detail_h + gap;
    int y = screen.area.y;
    ui_tone tone = model->problem ? UI_TONE_ALERT : UI_TONE_TILE;
    ui_widget *card =
        ui_card_create(root, UI_ID_NOTICE_CARD, (SDL_Rect){margin, y, width, card_h}, tone);
    y += gap;
    ui_widget *title = ui_heading_create(root, UI_ID_NOTICE_TITLE, model->title,
                                         (SDL_Rect){margin + gap, y, inner, title_h});
    y += title_h;
    ui_widget *body = ui_label_create(root, UI_ID_NOTICE_BODY, model->body,
                                      (SDL_Rect){margin + gap, y, inner, body_h});
    y += body_h;
    ui_widget *detail =
        ui_label_create(root, UI_ID_NOTICE_DETAIL, model->detail ? model->detail : "",
                        (SDL_Rect){margin + gap, y, inner, detail_h});
    /* Ask another and done side by side at the foot; done alone across it. */
    SDL_Rect buttons = ui_screen_foot(&screen, button_h);
    int columns = model->again ? 2 : 1;
    ui_widget *again = model->again ? ui_screen_button(&screen, UI_ID_NOTICE_AGAIN, model->again,
                                                       ui_column(buttons, columns, gap, 0),
                                                       UI_ACTION_BACK, 0, UI_TONE_SECONDARY, 34)
                                    : NULL;
    ui_widget *done =
        ui_screen_button(&screen, UI_ID_NOTICE_DONE, ui_frame_text(frame, "print.finish"),
                         ui_column(buttons, columns, gap, columns - 1), UI_ACTION_END_SESSION, 0,
                         UI_TONE_PRIMARY, 34);
    /* Ask another goes back to the step before (step.back's words). */
    if (!card || !title || !body || !detail || (model->again && !again) || !done ||
        (again && !ui_button_set_icon_for(again, "step.back")) ||
        !ui_button_set_icon_for(done, "print.finish"))
        return ui_screen_end(&screen, false, out);
    title->tone = body->tone = detail->tone = tone;
    title->text_dp = 44;
    body->text_dp = 34;
    detail->text_dp = 28;
    body->wrap = detail->wrap = true;
    return ui_screen_end(&screen, true, out);
}
