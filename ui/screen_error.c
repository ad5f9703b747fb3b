/* When something cannot be done: what happened, what it means for the
 * citizen (was anything kept?), what to do next, and the ways on: home, or
 * staff. Never a dead end, never a code. */
#include "ui/icons.h"
#include "ui/layout.h"
#include "ui/screens.h"

#define MARGIN_DP 32
#define GAP_DP    24

kiosk_error ui_error_build(const ui_frame_model *frame, const char *title, const char *what,
                           const char *next, ui_widget **out)
{
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, MARGIN_DP, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    ui_widget *root = screen.root;
    int gap = screen.gap;
    SDL_Rect card = screen.area;
    int title_h = ui_frame_line_px(frame, 40), button_h = ui_frame_line_px(frame, 34) + gap;
    /* The two texts share what the title and the button leave, up to four
     * lines each. */
    int text_h = (card.h - 2 * gap - title_h - button_h - 2 * gap) / 2;
    int four_lines = 4 * ui_frame_line_px(frame, 30);
    text_h = text_h < four_lines ? text_h : four_lines;
    int block = title_h + 2 * (text_h + gap) + button_h;
    int inner = card.w - 2 * gap;
    if (block + 2 * gap < card.h) {
        card.y += (card.h - block - 2 * gap) / 2;
        card.h = block + 2 * gap;
    }
    int y = card.y + gap;
    ui_widget *panel = ui_card_create(root, "error.card", card, UI_TONE_ALERT);
    ui_widget *heading = ui_heading_create(root, UI_ID_ERROR_TITLE, title,
                                           (SDL_Rect){card.x + gap, y, inner, title_h});
    y += title_h;
    ui_widget *happened =
        ui_label_create(root, UI_ID_ERROR_WHAT, what, (SDL_Rect){card.x + gap, y, inner, text_h});
    y += text_h + gap;
    ui_widget *advice =
        ui_label_create(root, UI_ID_ERROR_NEXT, next, (SDL_Rect){card.x + gap, y, inner, text_h});
    y += text_h + gap;
    ui_widget *home =
        ui_button_create(root, UI_ID_ERROR_HOME, ui_frame_text(frame, "common.back_home"),
                         (SDL_Rect){card.x + gap, y, inner, button_h}, UI_ACTION_HOME, 0);
    if (!panel || !heading || !happened || !advice || !home ||
        !ui_button_set_icon_for(home, "common.back_home"))
        return ui_screen_end(&screen, false, out);
    heading->tone = happened->tone = advice->tone = UI_TONE_ALERT;
    heading->text_dp = 40;
    happened->wrap = advice->wrap = true;
    happened->text_dp = advice->text_dp = 30;
    home->tone = UI_TONE_PRIMARY;
    return ui_screen_end(&screen, true, out);
}
