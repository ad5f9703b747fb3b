/* Printing the receipt: what is happening, in the citizen's words, and the
 * receipt itself as it will come out of the printer. See ui_print_build. */
#include "ui/icons.h"
#include "ui/layout.h"
#include "ui/receipt_view.h"
#include "ui/screens.h"
#include "ui/scroll_view.h"

#define MARGIN_DP 32
#define GAP_DP    24

static ui_tone tone_of(ui_print_state state)
{
    return state == UI_PRINT_FAILED ? UI_TONE_ALERT : UI_TONE_PLAIN;
}

/* The buttons at the foot: done, and after a failure try again before it.
 * False when out of memory. */
static bool add_buttons(ui_screen *screen, const ui_print_model *model)
{
    const ui_frame_model *frame = screen->frame;
    SDL_Rect row = ui_screen_foot(screen, ui_screen_button_h(screen, 36));
    bool retry = model->state == UI_PRINT_FAILED && model->can_retry;
    int columns = retry ? 2 : 1;
    ui_widget *done = ui_screen_button(
        screen, UI_ID_PRINT_DONE, ui_frame_text(frame, "print.finish"),
        ui_column(row, columns, screen->gap, columns - 1), UI_ACTION_END_SESSION, 0,
        model->state == UI_PRINT_PRINTING ? UI_TONE_SECONDARY : UI_TONE_PRIMARY, 34);
    ui_widget *again =
        retry ? ui_screen_button(screen, UI_ID_PRINT_RETRY, ui_frame_text(frame, "print.retry"),
                                 ui_column(row, columns, screen->gap, 0), UI_ACTION_NEXT, 0,
                                 UI_TONE_SECONDARY, 34)
              : NULL;
    return done && (!retry || again) && ui_button_set_icon_for(done, "print.finish") &&
           (!again || ui_button_set_icon_for(again, "print.retry"));
}

kiosk_error ui_print_build(const ui_frame_model *frame, const ui_print_model *model,
                           ui_widget **out)
{
    const ui_metrics *m = &frame->metrics;
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, MARGIN_DP, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    ui_widget *title = ui_screen_title(&screen, UI_ID_PRINT_TITLE, model->title, 44);
    ui_widget *body = ui_label_create(screen.root, UI_ID_PRINT_BODY, model->body,
                                      ui_screen_take(&screen, 3 * ui_frame_line_px(frame, 30)));
    if (!title || !body || !add_buttons(&screen, model))
        goto fail;
    body->text_dp = 30;
    body->wrap = true;
    title->tone = body->tone = tone_of(model->state);
    screen.y += screen.gap;

    /* The receipt, legible under the theme, scrolling when taller than the
     * room between the words and the buttons. Too wide to be legible here
     * (elder mode's large type on a narrow screen): the words say it all,
     * the picture is left out. */
    if (model->receipt) {
        float scale = ui_receipt_view_scale(frame->theme, m);
        SDL_Rect size = ui_receipt_view_size(model->receipt, scale);
        SDL_Rect room = ui_screen_rest(&screen);
        if (size.w > room.w)
            return ui_screen_end(&screen, true, out);
        int view_h = size.h < room.h ? size.h : room.h;
        ui_widget *view = ui_scroll_view_create(screen.root, "print.preview",
                                                (SDL_Rect){room.x, room.y, room.w, view_h});
        if (!view || !ui_receipt_view_create(view, UI_ID_PRINT_RECEIPT, model->receipt,
                                             room.x + (room.w - size.w) / 2, room.y, scale))
            goto fail;
        ui_scroll_view_update_extent(view);
        view->flags |= UI_FLAG_PERSONAL; /* the receipt holds the citizen's facts */
    }
    return ui_screen_end(&screen, true, out);
fail:
    return ui_screen_end(&screen, false, out);
}
