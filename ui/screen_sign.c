/* Signing a signature field: the field's label, what to do, a large pad to
 * sign on, and the way to clear it. See ui_sign_build. */
#include "ui/layout.h"
#include "ui/screens.h"
#include "ui/signature_pad.h"

#define GAP_DP   16
#define LABEL_DP 34
#define HINT_DP  24
#define CLEAR_DP 28

static bool build_sign(ui_screen *screen, const ui_sign_model *model)
{
    const ui_frame_model *frame = screen->frame;
    ui_widget *root = screen->root;
    SDL_Rect area = screen->area;
    const char *label = model->label ? model->label : "";
    ui_widget *heading = ui_wrapped_text_create(
        root, &ui_heading_class, UI_ID_SIGN_LABEL, label,
        ui_screen_take(screen, ui_lines_h(frame, label, LABEL_DP, area.w, 2)), LABEL_DP,
        UI_TONE_PLAIN);
    const char *hint = model->hint ? model->hint : "";
    ui_widget *note = ui_wrapped_text_create(
        root, model->hint_problem ? &ui_label_class : &ui_note_class, UI_ID_SIGN_HINT, hint,
        ui_screen_take(screen, ui_lines_h(frame, hint, HINT_DP, area.w, 3)), HINT_DP,
        model->hint_problem ? UI_TONE_ALERT : UI_TONE_PLAIN);
    if (!heading || !note)
        return false;
    /* Clear (or sign again) at the foot, the pad filling what is left: as
     * wide as the screen, never taller than it is wide. */
    if (model->clear) {
        SDL_Rect row = ui_screen_foot(screen, ui_screen_button_h(screen, CLEAR_DP));
        SDL_Rect box = ui_column(row, 2, screen->gap, 0);
        if (!ui_screen_button(screen, UI_ID_SIGN_CLEAR, model->clear, box, UI_ACTION_KEY,
                              UI_KEY_CLEAR, UI_TONE_SECONDARY, CLEAR_DP))
            return false;
    }
    SDL_Rect pad = ui_screen_rest(screen);
    if (pad.h > pad.w)
        pad.h = pad.w;
    float pen_dp = model->pen_dp > 0 ? model->pen_dp : 6;
    return ui_signature_pad_create(root, UI_ID_SIGN_PAD, model->prompt, pad, model->ink,
                                   (float)ui_dp(&frame->metrics, pen_dp), UI_ACTION_DRAWN,
                                   model->locked) != NULL;
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
