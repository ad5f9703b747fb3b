/* 好差评: the service rated in five levels, or what went wrong after a poor
 * rating. Large buttons, one under the other; skipping is always there. See
 * ui_rate_build. */
#include "ui/icons.h"
#include "ui/layout.h"
#include "ui/screens.h"
#include "ui/scroll_view.h"

#include <stdio.h>

#define MARGIN_DP 32
#define GAP_DP    20

kiosk_error ui_rate_build(const ui_frame_model *frame, const ui_rate_model *model, ui_widget **out)
{
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, MARGIN_DP, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    ui_widget *root = screen.root;
    int margin = screen.margin, gap = screen.gap, width = screen.area.w;
    int prompt_h = (ui_frame_is_narrow(frame) ? 3 : 2) * ui_frame_line_px(frame, 30);
    ui_widget *title = ui_screen_title(&screen, UI_ID_RATE_TITLE, model->title, 44);
    int y = screen.y;
    ui_widget *prompt = ui_label_create(root, UI_ID_RATE_PROMPT, model->prompt,
                                        (SDL_Rect){margin, y, width, prompt_h});
    y += prompt_h + gap;
    if (!title || !prompt)
        goto fail;
    prompt->text_dp = 30;
    prompt->wrap = true;

    int min_h = ui_screen_target_h(&screen);
    SDL_Rect foot = ui_screen_foot(&screen, ui_screen_button_h(&screen, 34));
    ui_widget *skip = ui_screen_button(&screen, UI_ID_RATE_SKIP, model->skip, foot,
                                       UI_ACTION_END_SESSION, 0, UI_TONE_SECONDARY, 30);
    if (!skip || !ui_button_set_icon_for(skip, "rate.skip"))
        goto fail;

    /* The choices share what is left, each at least a target's height: in
     * one column, else two, else (a short screen in large type) scrolling. */
    size_t count = model->choice_count;
    screen.y = y;
    SDL_Rect room = ui_screen_rest(&screen);
    int columns = 1;
    int rows = (int)count;
    int each = rows ? (room.h - (rows - 1) * gap) / rows : 0;
    /* Two columns for the short level names; reasons stay whole lines. */
    if (each < min_h && count > 1 && model->levels) {
        columns = 2;
        rows = ((int)count + 1) / 2;
        each = (room.h - (rows - 1) * gap) / rows;
    }
    int most = ui_frame_line_px(frame, 40) + 2 * gap;
    each = each > most ? most : each;
    each = each < min_h ? min_h : each;
    bool scrolls = rows * (each + gap) - gap > room.h;
    ui_widget *parent = scrolls ? ui_scroll_view_create(root, UI_ID_RATE_CHOICES, room) : root;
    if (!parent)
        goto fail;
    for (size_t i = 0; i < count; i++) {
        char id[48];
        snprintf(id, sizeof id, UI_ID_RATE_CHOICE_FMT, i);
        int row = (int)i / columns;
        SDL_Rect bounds = ui_column((SDL_Rect){margin, y + row * (each + gap), width, each},
                                    columns, gap, (int)i % columns);
        ui_widget *choice =
            ui_button_create(parent, id, model->choices[i], bounds, UI_ACTION_CHOOSE, (int)i);
        if (!choice)
            goto fail;
        /* Every level alike, in one neutral tone and one size: no colour
         * ramp leads the citizen to 满意, and none is chosen for them. */
        choice->tone = UI_TONE_SECONDARY;
        choice->text_dp = 36;
        choice->wrap = true;
        /* The faces are drawn in the same neutral colour: they name the
         * levels for whoever does not read, and lead to none. */
        if (model->icons[i] && !ui_icon_before_text(choice, frame, model->icons[i], 36))
            goto fail;
    }
    if (scrolls)
        ui_scroll_view_update_extent(parent);
    return ui_screen_end(&screen, true, out);
fail:
    return ui_screen_end(&screen, false, out);
}
