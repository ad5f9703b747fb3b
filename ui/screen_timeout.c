/* The time-out warning: the citizen seems to have gone. Say why we will stop,
 * show how long is left, and make staying the biggest thing on the screen. */
#include "ui/feedback_widgets.h"
#include "ui/icons.h"
#include "ui/layout.h"
#include "ui/screens.h"

#include <stdio.h>

#define MARGIN_DP 32
#define GAP_DP    24

void ui_timeout_countdown_text(const ui_frame_model *frame, int seconds_left, char *out,
                               size_t out_size)
{
    char seconds[16];
    snprintf(seconds, sizeof seconds, "%d", seconds_left < 0 ? 0 : seconds_left);
    const char *names[] = {"seconds"};
    const char *values[] = {seconds};
    ui_strings_fill(ui_frame_text(frame, "timeout.seconds"), names, values, 1, out, out_size);
}

kiosk_error ui_timeout_build(const ui_frame_model *frame, int seconds_left, int total_seconds,
                             ui_widget **out)
{
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, MARGIN_DP, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    ui_widget *root = screen.root;
    int gap = screen.gap;
    SDL_Rect card = screen.area;
    ui_widget *panel = ui_card_create(root, "timeout.card", card, UI_TONE_ALERT);

    /* Why, on one side (or above); the countdown and the choices on the
     * other (or below). A landscape screen puts them side by side. */
    bool side_by_side = card.w > card.h * 13 / 10;
    /* Heights from the text they hold. */
    bool narrow = ui_frame_is_narrow(frame);
    float title_dp = narrow ? 32 : 40, count_dp = narrow ? 48 : 64;
    /* The seconds in a ring that empties as they run out: the time left is
     * seen at a glance, even by someone who does not read the number. */
    int title_h = ui_frame_line_px(frame, title_dp),
        count_h = 2 * ui_frame_line_px(frame, count_dp);
    int stay_h = ui_frame_line_px(frame, 36) + gap, end_h = ui_frame_line_px(frame, 26) + gap;
    int actions_h = count_h + gap + stay_h + gap + end_h;
    SDL_Rect why = {card.x + gap, card.y + gap, card.w - 2 * gap, 0};
    SDL_Rect act = why;
    int body_lines = 4 * ui_frame_line_px(frame, 28);
    if (side_by_side) {
        why.w = act.w = (card.w - 3 * gap) / 2;
        act.x = why.x + why.w + gap;
        why.h = card.h - 2 * gap;
        act.y = card.y + (card.h - actions_h) / 2;
    } else {
        /* The question, why, the seconds and the choices as one block,
         * centred in the card. */
        why.h = card.h - 3 * gap - actions_h;
        if (why.h > title_h + body_lines)
            why.h = title_h + body_lines;
        int block = why.h + gap + actions_h;
        why.y = card.y + (card.h - block) / 2;
        act.y = why.y + why.h + gap;
    }
    act.h = actions_h;
    int body_h = why.h - title_h;
    ui_widget *title =
        ui_heading_create(root, UI_ID_TIMEOUT_TITLE, ui_frame_text(frame, "timeout.title"),
                          (SDL_Rect){why.x, why.y, why.w, title_h});
    ui_widget *body =
        ui_label_create(root, "timeout.body", ui_frame_text(frame, "timeout.body"),
                        (SDL_Rect){why.x, why.y + title_h, why.w, body_h > 0 ? body_h : 0});
    char countdown[32];
    ui_timeout_countdown_text(frame, seconds_left, countdown, sizeof countdown);
    ui_widget *count =
        ui_countdown_create(root, UI_ID_COUNTDOWN, total_seconds,
                            (SDL_Rect){act.x + (act.w - count_h) / 2, act.y, count_h, count_h});
    if (count)
        ui_countdown_set(count, seconds_left, countdown);
    ui_widget *stay = ui_button_create(
        root, UI_ID_TIMEOUT_STAY, ui_frame_text(frame, "timeout.continue"),
        (SDL_Rect){act.x, act.y + count_h + gap, act.w, stay_h}, UI_ACTION_CONTINUE, 0);
    /* Half the width, or what its words and pictogram want. */
    int end_w = ui_icon_button_want_px(frame, ui_frame_text(frame, "timeout.end"),
                                       frame->theme->button_dp, false);
    end_w = end_w > act.w / 2 ? end_w : act.w / 2;
    end_w = end_w < act.w ? end_w : act.w;
    ui_widget *end = ui_button_create(
        root, UI_ID_TIMEOUT_END, ui_frame_text(frame, "timeout.end"),
        (SDL_Rect){act.x + (act.w - end_w) / 2, act.y + count_h + 2 * gap + stay_h, end_w, end_h},
        UI_ACTION_END_SESSION, 0);
    if (!panel || !title || !body || !count || !stay || !end ||
        !ui_button_set_icon_for(stay, "timeout.continue") ||
        !ui_button_set_icon_for(end, "timeout.end"))
        return ui_screen_end(&screen, false, out);
    title->tone = body->tone = count->tone = UI_TONE_ALERT;
    /* Where large text leaves no room to explain, the question, the seconds
     * and the buttons say enough. */
    if (narrow && frame->theme->text_scale > 1.0f)
        body->flags |= UI_FLAG_HIDDEN;
    title->text_dp = title_dp;
    body->wrap = true;
    body->text_dp = 28;
    count->text_dp = count_dp * 2 / 3;
    stay->tone = UI_TONE_PRIMARY;
    stay->text_dp = 36;
    return ui_screen_end(&screen, true, out);
}
