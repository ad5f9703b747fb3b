/* Signing a signature field: the field's label, what to do, a large pad to
 * sign on, and the way to clear it. See ui_sign_build. */
#include "ui/icons.h"
#include "ui/layout.h"
#include "ui/screens.h"
#include "ui/signature_pad.h"

#define GAP_DP     16
#define LABEL_DP   34
#define HINT_DP    24
#define CLEAR_DP   28
#define CLEAR_W_DP 220
/* The pad keeps at least this share of the room: short of it (large text
 * on a small panel) the hint is set smaller, then left out (the pad's own
 * prompt still says where to sign). */
#define PAD_SHARE 0.55f

static bool build_sign(ui_screen *screen, const ui_sign_model *model)
{
    const ui_frame_model *frame = screen->frame;
    ui_widget *root = screen->root;
    SDL_Rect area = screen->area;
    int gap = screen->gap;
    /* The label, and clear (or sign again) at its right: the row is as
     * high whether clear is there or not, so the pad never moves when it
     * comes. */
    int clear_w = ui_frame_text_dp(frame, CLEAR_W_DP);
    clear_w = clear_w < area.w / 2 ? clear_w : area.w / 2;
    int label_w = area.w - clear_w - gap;
    const char *label = model->label ? model->label : "";
    int label_h = ui_lines_h(frame, label, LABEL_DP, label_w, 2);
    int button_h = ui_screen_button_h(screen, CLEAR_DP);
    int row_h = label_h > button_h ? label_h : button_h;
    SDL_Rect row = ui_screen_take(screen, row_h);
    ui_widget *heading =
        ui_wrapped_text_create(root, &ui_heading_class, UI_ID_SIGN_LABEL, label,
                               (SDL_Rect){row.x, row.y + (row_h - label_h) / 2, label_w, label_h},
                               LABEL_DP, UI_TONE_PLAIN);
    if (!heading)
        return false;
    /* 清除 while signing; 重签 once a signature is accepted. */
    ui_widget *clear =
        model->clear
            ? ui_screen_button(screen, UI_ID_SIGN_CLEAR, model->clear,
                               (SDL_Rect){row.x + row.w - clear_w, row.y + (row_h - button_h) / 2,
                                          clear_w, button_h},
                               UI_ACTION_KEY, UI_KEY_CLEAR, UI_TONE_SECONDARY, CLEAR_DP)
            : NULL;
    if (model->clear &&
        (!clear || !ui_button_set_icon_for(clear, model->locked ? "sign.redo" : "sign.clear")))
        return false;
    screen->y += gap / 2;
    /* What to do, as large as the pad's room allows. */
    const char *hint = model->hint ? model->hint : "";
    int least_pad = (int)((float)area.h * PAD_SHARE);
    int hint_h = ui_lines_h(frame, hint, HINT_DP, area.w, 3);
    bool small = screen->bottom - screen->y - hint_h - gap < least_pad;
    if (small) {
        int px = ui_theme_chrome_text_px(frame->theme, &frame->metrics, HINT_DP);
        hint_h = ui_frame_lines_at(hint, px, area.w, 2) * px * 3 / 2;
    }
    bool hidden = screen->bottom - screen->y - hint_h - gap < least_pad;
    ui_widget *note =
        ui_wrapped_text_create(root, model->hint_problem ? &ui_label_class : &ui_note_class,
                               UI_ID_SIGN_HINT, hint, ui_screen_take(screen, hidden ? 0 : hint_h),
                               HINT_DP, model->hint_problem ? UI_TONE_ALERT : UI_TONE_PLAIN);
    if (!note)
        return false;
    note->chrome = small;
    if (hidden)
        note->flags |= UI_FLAG_HIDDEN;
    else
        screen->y += gap / 2;
    /* Without sight the pad cannot be used: from the keypad, a key
     * confirms instead. */
    if (model->by_key) {
        SDL_Rect keyed = ui_screen_take(screen, button_h);
        ui_widget *by_key = ui_screen_button(screen, UI_ID_SIGN_KEYED, model->by_key, keyed,
                                             UI_ACTION_SIGN_BY_KEY, 0, UI_TONE_PRIMARY, CLEAR_DP);
        if (!by_key || !ui_button_set_icon_for(by_key, "sign.by_key"))
            return false;
        screen->y += gap / 2;
    }
    /* The pad: all the room left. */
    float pen_dp = model->pen_dp > 0 ? model->pen_dp : 8;
    return ui_signature_pad_create(root, UI_ID_SIGN_PAD, model->prompt, ui_screen_rest(screen),
                                   model->ink, (float)ui_dp(&frame->metrics, pen_dp),
                                   UI_ACTION_DRAWN, model->locked) != NULL;
}

kiosk_error ui_sign_build(const ui_frame_model *frame, const ui_step_model *step,
                          const ui_sign_model *model, ui_widget **out)
{
    ui_screen screen;
    if (!ui_step_begin(&screen, frame, step, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    bool ok = build_sign(&screen, model);
    ui_widget *back = ok && model->back ? ui_widget_find(screen.root, UI_ID_STEP_BACK) : NULL;
    if (back)
        ok = ui_widget_set_text(back, model->back);
    return ui_screen_end(&screen, ok, out);
}
