/* Printing the receipt: what is happening, in the citizen's words, and the
 * receipt itself as it will come out of the printer. See ui_print_build. */
#include "ui/receipt_view.h"
#include "ui/screens.h"
#include "ui/scroll_view.h"

#define MARGIN_DP 32
#define GAP_DP    24

static ui_tone tone_of(ui_print_state state)
{
    return state == UI_PRINT_FAILED ? UI_TONE_ALERT : UI_TONE_PLAIN;
}

/* The buttons at the foot: done, and after a failure try again. Returns the
 * top of the row, or -1 when out of memory. */
static int add_buttons(ui_widget *root, const ui_frame_model *frame, const ui_print_model *model,
                       SDL_Rect content, int margin, int gap)
{
    int button_h = ui_frame_line_px(frame, 36) + gap;
    int min_h = ui_dp(&frame->metrics, frame->theme->min_target_dp + 8);
    button_h = button_h > min_h ? button_h : min_h;
    int y = content.y + content.h - margin - button_h;
    int width = content.w - 2 * margin;
    bool retry = model->state == UI_PRINT_FAILED && model->can_retry;
    int done_w = retry ? (width - gap) / 2 : width;
    ui_widget *done =
        ui_button_create(root, UI_ID_PRINT_DONE, ui_frame_text(frame, "print.finish"),
                         (SDL_Rect){margin + (retry ? done_w + gap : 0), y, done_w, button_h},
                         UI_ACTION_END_SESSION, 0);
    if (!done)
        return -1;
    done->tone = model->state == UI_PRINT_PRINTING ? UI_TONE_SECONDARY : UI_TONE_PRIMARY;
    done->text_dp = 34;
    if (retry) {
        ui_widget *again =
            ui_button_create(root, UI_ID_PRINT_RETRY, ui_frame_text(frame, "print.retry"),
                             (SDL_Rect){margin, y, done_w, button_h}, UI_ACTION_NEXT, 0);
        if (!again)
            return -1;
        again->tone = UI_TONE_SECONDARY;
        again->text_dp = 34;
    }
    return y;
}

kiosk_error ui_print_build(const ui_frame_model *frame, const ui_print_model *model,
                           ui_widget **out)
{
    const ui_metrics *m = &frame->metrics;
    SDL_Rect content;
    ui_widget *root = ui_frame_build(frame, &content);
    if (!root)
        return KIOSK_ERR_NO_MEMORY;
    int margin = ui_dp(m, MARGIN_DP), gap = ui_dp(m, GAP_DP);
    int width = content.w - 2 * margin;
    int y = content.y + margin;
    int title_h = ui_frame_line_px(frame, 44);
    int body_h = 3 * ui_frame_line_px(frame, 30);
    ui_widget *title = ui_heading_create(root, UI_ID_PRINT_TITLE, model->title,
                                         (SDL_Rect){margin, y, width, title_h});
    ui_widget *body = ui_label_create(root, UI_ID_PRINT_BODY, model->body,
                                      (SDL_Rect){margin, y + title_h, width, body_h});
    int buttons_y = add_buttons(root, frame, model, content, margin, gap);
    if (!title || !body || buttons_y < 0)
        goto fail;
    title->text_dp = 44;
    body->text_dp = 30;
    body->wrap = true;
    title->tone = body->tone = tone_of(model->state);
    y += title_h + body_h + gap;

    /* The receipt, legible under the theme, scrolling when taller than the
     * room between the words and the buttons. */
    if (model->receipt) {
        float scale = ui_receipt_view_scale(frame->theme, m);
        SDL_Rect size = ui_receipt_view_size(model->receipt, scale);
        SDL_Rect room = {margin, y, width, buttons_y - gap - y};
        /* Too wide to be legible here (elder mode's large type on a narrow
         * screen): the words say it all, the picture is left out. */
        if (size.w > width) {
            *out = root;
            return KIOSK_OK;
        }
        int view_h = size.h < room.h ? size.h : room.h;
        ui_widget *view = ui_scroll_view_create(root, "print.preview",
                                                (SDL_Rect){room.x, room.y, room.w, view_h});
        if (!view || !ui_receipt_view_create(view, UI_ID_PRINT_RECEIPT, model->receipt,
                                             room.x + (room.w - size.w) / 2, room.y, scale))
            goto fail;
        ui_scroll_view_update_extent(view);
    }
    *out = root;
    return KIOSK_OK;
fail:
    ui_widget_destroy(root);
    return KIOSK_ERR_NO_MEMORY;
}
