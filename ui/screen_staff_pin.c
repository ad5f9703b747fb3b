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
    const ui_metrics *m = &frame->metrics;
    SDL_Rect whole = ui_screen_rest(&screen);
    bool side_by_side = m->width_px > m->height_px && !model->locked;
    int words_w = side_by_side ? ui_column(whole, 2, gap, 0).w : whole.w;
    const char *said = model->message ? model->message : "";
    const char *title_text = model->title;
    float title_dp = 40;
    int button_h = ui_screen_button_h(&screen, 36);
    int title_h = ui_lines_h(frame, title_text, title_dp, words_w, 2);
    int field_h = ui_frame_line_px(frame, 44) + gap / 2;
    int message_h = ui_lines_h(frame, said, 28, words_w, 3);
    /* The keypad's keys at least the theme's target. Short of room (a small
     * screen in large type): the name alone as the title, a smaller field,
     * the buttons at the least target, the keys closer, and no prompt (the
     * field's hint and the keys say enough); a wrong PIN's or a lock's
     * words always stay. */
    int key_gap = gap / 2;
    int pad_least = model->locked || side_by_side
                        ? 0
                        : 4 * ui_dp(m, frame->theme->min_target_dp + 4) + 3 * key_gap + gap;
    if (button_h + gap + title_h + field_h + message_h + 2 * gap + pad_least > whole.h) {
        title_text = model->short_title ? model->short_title : model->title;
        title_dp = 32;
        title_h = ui_lines_h(frame, title_text, title_dp, words_w, 1);
        field_h = ui_frame_line_px(frame, 36) + gap / 4;
        button_h = ui_screen_target_h(&screen);
        key_gap = gap / 4;
        /* What went wrong says it all: the title goes instead, and the
         * empty field too until a digit is typed (which clears the words). */
        if (model->problem) {
            title_h = 0;
            if (!model->digits)
                field_h = 0;
        } else
            message_h = 0;
    }
    float field_dp = title_dp == 40 ? 44 : 36;
    /* Cancel and sign in side by side at the foot; cancel alone when locked. */
    SDL_Rect buttons = ui_screen_foot(&screen, button_h);
    int columns = model->locked ? 1 : 2;
    ui_widget *cancel = ui_screen_button(
        &screen, UI_ID_PIN_CANCEL, ui_frame_text(frame, "staff.pin.cancel"),
        ui_column(buttons, columns, gap, 0), UI_ACTION_CANCEL, 0, UI_TONE_SECONDARY, 36);
    ui_widget *ok = model->locked ? NULL
                                  : ui_screen_button(&screen, UI_ID_PIN_OK,
                                                     ui_frame_text(frame, "staff.pin.sign_in"),
                                                     ui_column(buttons, 2, gap, 1), UI_ACTION_NEXT,
                                                     0, UI_TONE_PRIMARY, 36);
    /* Who, the dots and what the last try said above the keypad, or beside
     * it on a landscape screen. */
    SDL_Rect room = ui_screen_rest(&screen);
    SDL_Rect words = side_by_side ? ui_column(room, 2, gap, 0) : room;
    ui_widget *title = ui_wrapped_text_create(root, &ui_heading_class, UI_ID_PIN_TITLE, title_text,
                                              (SDL_Rect){words.x, words.y, words.w, title_h},
                                              title_dp, UI_TONE_PLAIN);
    int y = words.y + title_h + (title_h ? gap / 2 : 0);
    /* The PIN is never shown: a dot for each digit, for the eye only. */
    char dots[4 * 8 + 1] = "";
    for (int i = 0; i < model->digits && i < 8; i++)
        memcpy(dots + 4 * i, "\xE2\x97\x8F ", 5); /* "● ": apart, to be counted */
    ui_widget *field =
        ui_text_field_create(root, UI_ID_PIN_FIELD, dots, ui_frame_text(frame, "staff.pin.hint"),
                             (SDL_Rect){words.x, y, words.w, field_h});
    y += field_h ? field_h + gap / 2 : 0;
    ui_widget *message = ui_label_create(root, UI_ID_PIN_MESSAGE, message_h ? said : "",
                                         (SDL_Rect){words.x, y, words.w, message_h});
    y += message_h + gap / 2;
    ui_widget *pad = NULL;
    if (!model->locked) {
        /* Large keys, at most a comfortable width, centred in the room left. */
        SDL_Rect keys = side_by_side ? ui_column(room, 2, gap, 1)
                                     : (SDL_Rect){room.x, y, room.w, room.y + room.h - y};
        int pad_w = ui_frame_text_dp(frame, 720);
        pad_w = pad_w < keys.w ? pad_w : keys.w;
        int pad_h = 4 * ui_frame_text_dp(frame, 130) + 3 * key_gap;
        pad_h = pad_h < keys.h ? pad_h : keys.h;
        pad = ui_keypad_create(
            root, UI_ID_PIN_KEYPAD,
            (SDL_Rect){keys.x + (keys.w - pad_w) / 2, keys.y + (keys.h - pad_h) / 2, pad_w, pad_h},
            false, ui_frame_text(frame, "keypad.delete"), ui_frame_text(frame, "keypad.clear"),
            key_gap);
    }
    bool ok_built = title && field && message && cancel && (model->locked || (ok && pad));
    if (!ok_built)
        return ui_screen_end(&screen, false, out);
    field->text_dp = field_dp;
    /* How many digits were typed is nobody's business: never said aloud. */
    field->flags |= UI_FLAG_PERSONAL;
    if (!title_h)
        title->flags |= UI_FLAG_HIDDEN;
    if (!field_h)
        field->flags |= UI_FLAG_HIDDEN;
    if (!message_h)
        message->flags |= UI_FLAG_HIDDEN;
    message->wrap = true;
    message->align = UI_ALIGN_START;
    message->text_dp = 28;
    message->tone = model->problem ? UI_TONE_ALERT : UI_TONE_PLAIN;
    return ui_screen_end(&screen, true, out);
}
