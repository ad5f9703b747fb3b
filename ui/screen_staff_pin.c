/* Staff or a technician types their PIN. See ui_staff_pin_build. */
#include "ui/input_widgets.h"
#include "ui/layout.h"
#include "ui/screens.h"
#include "ui/widget_ids.h"

#include <string.h>

#define MARGIN_DP 48
#define GAP_DP    32

kiosk_error ui_staff_pin_build(const ui_frame_model *frame, const ui_staff_pin_model *model,
                               ui_widget **out)
{
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, MARGIN_DP, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    ui_widget *root = screen.root;
    int gap = screen.gap;
    ui_widget *title = ui_screen_title(&screen, UI_ID_PIN_TITLE, model->title, 44);
    /* The PIN is never shown: a dot for each digit, for the eye only. */
    char dots[4 * 8 + 1] = "";
    for (int i = 0; i < model->digits && i < 8; i++)
        memcpy(dots + 4 * i, "\xE2\x97\x8F ", 5); /* "● ": apart, to be counted */
    SDL_Rect field_box = ui_screen_take(&screen, ui_frame_line_px(frame, 48) + 2 * gap);
    ui_widget *field = ui_text_field_create(root, UI_ID_PIN_FIELD, dots,
                                            ui_frame_text(frame, "staff.pin.hint"), field_box);
    SDL_Rect message_box = ui_screen_take(&screen, 3 * ui_frame_line_px(frame, 30));
    ui_widget *message =
        ui_label_create(root, UI_ID_PIN_MESSAGE, model->message ? model->message : "", message_box);
    /* Cancel and sign in side by side at the foot; cancel alone when locked. */
    int button_h = ui_screen_large_button_h(&screen, 40);
    SDL_Rect buttons = ui_screen_foot(&screen, button_h);
    int columns = model->locked ? 1 : 2;
    ui_widget *cancel = ui_screen_button(
        &screen, UI_ID_PIN_CANCEL, ui_frame_text(frame, "staff.pin.cancel"),
        ui_column(buttons, columns, gap, 0), UI_ACTION_CANCEL, 0, UI_TONE_SECONDARY, 40);
    ui_widget *ok = model->locked ? NULL
                                  : ui_screen_button(&screen, UI_ID_PIN_OK,
                                                     ui_frame_text(frame, "staff.pin.sign_in"),
                                                     ui_column(buttons, 2, gap, 1), UI_ACTION_NEXT,
                                                     0, UI_TONE_PRIMARY, 40);
    ui_widget *pad = NULL;
    if (!model->locked) {
        /* Large keys, at most a comfortable width, centred in the room left. */
        SDL_Rect keys = ui_screen_rest(&screen);
        int pad_w = ui_frame_text_dp(frame, 720);
        pad_w = pad_w < keys.w ? pad_w : keys.w;
        int pad_h = 4 * ui_frame_text_dp(frame, 130) + 3 * gap;
        pad_h = pad_h < keys.h ? pad_h : keys.h;
        pad = ui_keypad_create(
            root, UI_ID_PIN_KEYPAD,
            (SDL_Rect){keys.x + (keys.w - pad_w) / 2, keys.y + (keys.h - pad_h) / 2, pad_w, pad_h},
            false, ui_frame_text(frame, "keypad.delete"), ui_frame_text(frame, "keypad.clear"),
            gap);
    }
    bool ok_built = title && field && message && cancel && (model->locked || (ok && pad));
    if (!ok_built)
        return ui_screen_end(&screen, false, out);
    field->text_dp = 48;
    message->wrap = true;
    message->align = UI_ALIGN_START;
    message->text_dp = 30;
    message->tone = model->problem ? UI_TONE_ALERT : UI_TONE_PLAIN;
    return ui_screen_end(&screen, true, out);
}
