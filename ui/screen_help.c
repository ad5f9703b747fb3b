/* Help: staff are a tap away from every screen, and coming back leaves the
 * citizen where they were. See ui_help_build. */
#include "ui/layout.h"
#include "ui/screens.h"
#include "ui/scroll_view.h"

#define MARGIN_DP 32
#define GAP_DP    24

kiosk_error ui_help_build(const ui_frame_model *frame, const ui_help_model *model, ui_widget **out)
{
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, MARGIN_DP, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    ui_widget *root = screen.root;
    int margin = screen.margin, gap = screen.gap, width = screen.area.w;
    int body_h = (ui_frame_is_narrow(frame) ? 5 : 3) * ui_frame_line_px(frame, 30);
    int status_h = (ui_frame_is_narrow(frame) ? 3 : 2) * ui_frame_line_px(frame, 30);
    int button_h = ui_screen_large_button_h(&screen, 40);

    /* Back at the foot, the call and what became of it above; the
     * explanation between the title and the call, scrolling on a short
     * screen. */
    ui_widget *title = ui_screen_title(&screen, UI_ID_HELP_TITLE, model->title, 44);
    int y = screen.y;
    SDL_Rect foot = ui_screen_foot(&screen, ui_screen_button_h(&screen, 34));
    int back_y = foot.y;
    ui_widget *back = ui_screen_button(&screen, UI_ID_HELP_BACK, ui_frame_text(frame, "step.back"),
                                       foot, UI_ACTION_BACK, 0, UI_TONE_SECONDARY, 34);
    SDL_Rect room = {margin, y, width, back_y - 2 * gap - status_h - button_h - gap - y};
    bool scrolls = room.h < body_h;
    int shown_h = scrolls ? room.h : body_h;
    ui_widget *parent = scrolls ? ui_scroll_view_create(root, UI_ID_HELP_MORE, room) : root;
    ui_widget *body = parent ? ui_label_create(parent, UI_ID_HELP_BODY, model->body,
                                               (SDL_Rect){margin, y, width, body_h})
                             : NULL;
    if (scrolls && parent)
        ui_scroll_view_update_extent(parent);
    y += shown_h + gap;
    ui_widget *call = ui_button_create(root, UI_ID_HELP_CALL, model->call,
                                       (SDL_Rect){margin, y, width, button_h}, UI_ACTION_CHOOSE, 0);
    y += button_h + gap / 2;
    ui_widget *status = ui_label_create(root, UI_ID_HELP_STATUS, model->status ? model->status : "",
                                        (SDL_Rect){margin, y, width, status_h});
    if (!title || !body || !call || !status || !back)
        return ui_screen_end(&screen, false, out);
    body->text_dp = 30;
    body->wrap = status->wrap = true;
    call->tone = UI_TONE_PRIMARY;
    call->text_dp = 40;
    status->text_dp = 30;
    status->align = UI_ALIGN_CENTER;
    status->tone = model->status_problem ? UI_TONE_ALERT : UI_TONE_PLAIN;
    return ui_screen_end(&screen, true, out);
}
