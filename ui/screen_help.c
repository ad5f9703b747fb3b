/* Help: what happens next, help for the step the citizen came from, staff a
 * tap away when someone is on duty, the hotline, and coming back leaves the
 * citizen where they were. See ui_help_build. */
#include "ui/icons.h"
#include "ui/layout.h"
#include "ui/screens.h"
#include "ui/scroll_view.h"

#define MARGIN_DP 32
#define GAP_DP    24
#define BODY_DP   30
#define STEP_DP   28

kiosk_error ui_help_build(const ui_frame_model *frame, const ui_help_model *model, ui_widget **out)
{
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, MARGIN_DP, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    ui_widget *root = screen.root;
    int margin = screen.margin, gap = screen.gap, width = screen.area.w;
    int line = ui_frame_line_px(frame, BODY_DP), step_line = ui_frame_line_px(frame, STEP_DP);
    int body_h = ui_frame_lines_for(frame, model->body, BODY_DP, width, 8) * line;
    bool step = model->step_help && model->step_help[0];
    int step_heading_h = step ? ui_frame_line_px(frame, 32) : 0;
    int step_h =
        step ? ui_frame_lines_for(frame, model->step_help, STEP_DP, width, 8) * step_line : 0;
    bool call = model->call && model->call[0];
    int status_h = call ? (ui_frame_is_narrow(frame) ? 3 : 2) * line : 0;
    int button_h = call ? ui_screen_large_button_h(&screen, 40) : 0;
    int hotline_h =
        model->hotline ? ui_frame_lines_for(frame, model->hotline, BODY_DP, width, 3) * line : 0;

    /* Back at the foot; above it the hotline, the call and what became of
     * it; the explanation and the step's help between the title and the
     * call, scrolling together on a short screen. */
    ui_widget *title = ui_screen_title(&screen, UI_ID_HELP_TITLE, model->title, 44);
    int y = screen.y;
    SDL_Rect foot = ui_screen_foot(&screen, ui_screen_button_h(&screen, 34));
    ui_widget *back = ui_screen_button(&screen, UI_ID_HELP_BACK, ui_frame_text(frame, "step.back"),
                                       foot, UI_ACTION_BACK, 0, UI_TONE_SECONDARY, 34);
    int below =
        (call ? button_h + gap / 2 + status_h + gap : 0) + (hotline_h ? hotline_h + gap : 0);
    int text_h = body_h + (step ? gap + step_heading_h + step_h : 0);
    SDL_Rect room = {margin, y, width, foot.y - gap - below - y};
    bool scrolls = room.h < text_h;
    ui_widget *parent = scrolls ? ui_scroll_view_create(root, UI_ID_HELP_MORE, room) : root;
    if (!title || !back || !parent || !ui_button_set_icon_for(back, "step.back"))
        goto fail;
    ui_widget *body =
        ui_label_create(parent, UI_ID_HELP_BODY, model->body, (SDL_Rect){margin, y, width, body_h});
    if (!body)
        goto fail;
    body->text_dp = BODY_DP;
    body->wrap = true;
    body->align = UI_ALIGN_START;
    if (step) {
        int step_y = y + body_h + gap;
        ui_widget *heading = ui_heading_create(parent, "help.step.heading", model->step_heading,
                                               (SDL_Rect){margin, step_y, width, step_heading_h});
        ui_widget *help =
            ui_note_create(parent, "help.step", model->step_help,
                           (SDL_Rect){margin, step_y + step_heading_h, width, step_h});
        if (!heading || !help)
            goto fail;
        heading->text_dp = 32;
        heading->align = UI_ALIGN_START;
        help->text_dp = STEP_DP;
        help->wrap = true;
        help->align = UI_ALIGN_START;
    }
    if (scrolls)
        ui_scroll_view_update_extent(parent);
    y = room.y + (scrolls ? room.h : text_h) + gap;
    if (call) {
        ui_widget *button =
            ui_button_create(root, UI_ID_HELP_CALL, model->call,
                             (SDL_Rect){margin, y, width, button_h}, UI_ACTION_CHOOSE, 0);
        y += button_h + gap / 2;
        ui_widget *status =
            ui_label_create(root, UI_ID_HELP_STATUS, model->status ? model->status : "",
                            (SDL_Rect){margin, y, width, status_h});
        if (!button || !status)
            goto fail;
        y += status_h + gap;
        button->tone = UI_TONE_PRIMARY;
        button->text_dp = 40;
        if (!ui_icon_before_text(button, frame, "support_agent", 40))
            goto fail;
        status->text_dp = BODY_DP;
        status->wrap = true;
        status->align = UI_ALIGN_CENTER;
        status->tone = model->status_problem ? UI_TONE_ALERT : UI_TONE_PLAIN;
    }
    if (model->hotline) {
        ui_widget *hotline = ui_label_create(root, "help.hotline", model->hotline,
                                             (SDL_Rect){margin, y, width, hotline_h});
        if (!hotline)
            goto fail;
        hotline->text_dp = BODY_DP;
        hotline->wrap = true;
        hotline->align = UI_ALIGN_CENTER;
        if (hotline_h == line && !ui_icon_before_text(hotline, frame, "phone_in_talk", BODY_DP))
            goto fail;
    }
    return ui_screen_end(&screen, true, out);
fail:
    return ui_screen_end(&screen, false, out);
}
