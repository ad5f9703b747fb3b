/* Identification by ID card: where to lay the card (a drawing of the
 * reader with a card on it, and the words), what the reader is doing now
 * (ready, reading, what went wrong and what to do); the step's next button is
 * the other way, typing the number. Speech will say the same words (the
 * prompt's text is the hook). */
#include "ui/layout.h"
#include "ui/screens.h"

#include <stdio.h>

#define GAP_DP 24

bool ui_card_reader_create(ui_widget *root, const char *prefix, SDL_Rect pad)
{
    /* The reader (a dark pad) and a card on it in ID-1 proportions (85.6 x
     * 54 mm): lines of text on the left, the photo on the right, as on the
     * card in the citizen's hand. */
    int card_w = pad.w * 3 / 5, card_h = card_w * 54 / 86;
    SDL_Rect card = {pad.x + (pad.w - card_w) / 2, pad.y + (pad.h - card_h) / 2, card_w, card_h};
    SDL_Rect photo = {card.x + card.w * 2 / 3, card.y + card.h / 6, card.w / 4, card.h * 2 / 3};
    char id[UI_ID_MAX];
    snprintf(id, sizeof id, "%s.reader", prefix);
    if (!ui_card_create(root, id, pad, UI_TONE_TITLE_BAR))
        return false;
    snprintf(id, sizeof id, "%s.picture", prefix);
    if (!ui_card_create(root, id, card, UI_TONE_TILE))
        return false;
    snprintf(id, sizeof id, "%s.picture.photo", prefix);
    if (!ui_panel_create(root, id, photo, UI_TONE_TITLE_BAR))
        return false;
    for (int i = 0; i < 4; i++) {
        snprintf(id, sizeof id, "%s.picture.line.%d", prefix, i + 1);
        SDL_Rect line = {card.x + card.w / 12, card.y + card.h / 6 + i * card.h / 6,
                         card.w / 2 - (i == 3 ? 0 : card.w / 8), card.h / 14 + 1};
        if (!ui_panel_create(root, id, line, UI_TONE_TITLE_BAR))
            return false;
    }
    return true;
}

kiosk_error ui_card_step_build(const ui_frame_model *frame, const ui_step_model *step,
                               const char *status, bool status_is_problem, ui_widget **out)
{
    const ui_metrics *m = &frame->metrics;
    ui_screen screen;
    if (!ui_step_begin(&screen, frame, step, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    SDL_Rect content = screen.area;
    int gap = screen.gap;
    const char *prompt_text = ui_frame_text(frame, "card.prompt");
    const char *said_text = status ? status : "";
    int prompt_h = 2 * ui_frame_line_px(frame, 44);
    /* Three lines hold any state's words; the longest (both ways to
     * identify, in large text on a small panel) get what they need. */
    int status_lines = ui_frame_lines_for(frame, said_text, 28, content.w, 5);
    int status_h = (status_lines > 3 ? status_lines : 3) * ui_frame_line_px(frame, 28);
    /* Short of room even for the words (large text on a small panel under a
     * long title), each keeps the lines its words need, not the most any
     * state's words may. */
    if (prompt_h + status_h + gap > content.h) {
        prompt_h = ui_lines_h(frame, prompt_text, 44, content.w, 2);
        status_h = ui_lines_h(frame, said_text, 28, content.w, 3);
    }

    /* The drawing takes what the words leave, at most about the reader's
     * real size, so a citizen sees where the card goes. */
    int room = content.h - prompt_h - status_h - gap;
    int reader_w = content.w * 2 / 3;
    int max_w = (int)(150 * m->px_per_mm);
    reader_w = reader_w < max_w ? reader_w : max_w;
    int reader_h = reader_w * 2 / 3;
    if (reader_h > room) {
        reader_h = room > 0 ? room : 0;
        reader_w = reader_h * 3 / 2;
    }
    /* The words and the drawing together, in the middle of the room. */
    ui_screen_centre(&screen,
                     prompt_h + gap / 2 + (reader_h > 0 ? reader_h + gap / 2 : 0) + status_h);
    ui_stack stack = ui_screen_stack(&screen, gap / 2);
    ui_widget *prompt = ui_heading_create(screen.root, UI_ID_CARD_PROMPT, prompt_text,
                                          ui_stack_take(&stack, prompt_h));
    if (!prompt)
        goto fail;
    prompt->text_dp = 44;
    prompt->wrap = true;
    if (reader_h > 0) {
        SDL_Rect pad = ui_stack_take(&stack, reader_h);
        pad.x += (pad.w - reader_w) / 2;
        pad.w = reader_w;
        if (!ui_card_reader_create(screen.root, "card", pad))
            goto fail;
    }
    ui_widget *said =
        ui_label_create(screen.root, UI_ID_CARD_STATUS, said_text, ui_stack_take(&stack, status_h));
    if (!said)
        goto fail;
    said->wrap = true;
    said->text_dp = 28;
    if (status_is_problem)
        said->tone = UI_TONE_ALERT;
    return ui_screen_end(&screen, true, out);
fail:
    return ui_screen_end(&screen, false, out);
}
