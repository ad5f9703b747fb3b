/* The end of a service, and the end of a visit with the card left behind.
 * After a service the citizen chooses: another service, or the end (which
 * wipes who they are). A card still on the reader is asked back first,
 * above everything, because the next person would otherwise find it. */
#include "ui/screens.h"

#include <stdio.h>

#define MARGIN_DP 32
#define GAP_DP    24

/* The alert card asking for the ID card back: a large title and a line. */
static bool card_back_create(ui_widget *root, const ui_frame_model *frame, const char *prefix,
                             SDL_Rect box, const char *title, const char *body)
{
    int gap = ui_dp(&frame->metrics, GAP_DP);
    int title_h = ui_frame_line_px(frame, 48);
    char id[UI_ID_MAX];
    snprintf(id, sizeof id, "%s.card", prefix);
    ui_widget *card = ui_card_create(root, id, box, UI_TONE_ALERT);
    snprintf(id, sizeof id, "%s.title", prefix);
    ui_widget *heading = ui_heading_create(
        root, id, title, (SDL_Rect){box.x + gap, box.y + gap, box.w - 2 * gap, title_h});
    snprintf(id, sizeof id, "%s.body", prefix);
    ui_widget *line = ui_label_create(
        root, id, body,
        (SDL_Rect){box.x + gap, box.y + gap + title_h, box.w - 2 * gap, box.h - 2 * gap - title_h});
    if (!card || !heading || !line)
        return false;
    heading->tone = line->tone = UI_TONE_ALERT;
    heading->text_dp = 48;
    heading->wrap = line->wrap = true;
    line->text_dp = 32;
    return true;
}

kiosk_error ui_finished_build(const ui_frame_model *frame, const ui_finished_model *model,
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
    if (model->card_back) {
        int lines = ui_frame_lines_for(frame, model->card_back_body, 32, width - 2 * gap, 3);
        int box_h = 2 * gap + ui_frame_line_px(frame, 48) + lines * ui_frame_line_px(frame, 32);
        if (!card_back_create(root, frame, "finished.card_back",
                              (SDL_Rect){margin, y, width, box_h}, model->card_back,
                              model->card_back_body))
            goto fail;
        y += box_h + gap;
    }
    int title_h = ui_frame_line_px(frame, 44);
    int prompt_h =
        ui_frame_lines_for(frame, model->prompt, 36, width, 2) * ui_frame_line_px(frame, 36);
    ui_widget *title = ui_heading_create(root, "finished.title", model->title,
                                         (SDL_Rect){margin, y, width, title_h});
    y += title_h;
    ui_widget *prompt = ui_label_create(root, "finished.prompt", model->prompt,
                                        (SDL_Rect){margin, y, width, prompt_h});
    y += prompt_h + gap;
    if (!title || !prompt)
        goto fail;
    title->text_dp = 44;
    prompt->text_dp = 36;
    prompt->wrap = true;

    /* Two large choices sharing what is left, the first the likelier. */
    int min_h = ui_dp(m, frame->theme->min_target_dp + 8);
    int button_h = ui_frame_line_px(frame, 40) + 2 * gap;
    int room = content.y + content.h - margin - y;
    if (2 * button_h + gap > room)
        button_h = (room - gap) / 2;
    button_h = button_h < min_h ? min_h : button_h;
    ui_widget *more = ui_button_create(root, "finished.more", model->more,
                                       (SDL_Rect){margin, y, width, button_h}, UI_ACTION_HOME, 0);
    y += button_h + gap;
    ui_widget *end =
        ui_button_create(root, "finished.end", model->end, (SDL_Rect){margin, y, width, button_h},
                         UI_ACTION_END_SESSION, 0);
    if (!more || !end)
        goto fail;
    more->tone = UI_TONE_PRIMARY;
    end->tone = UI_TONE_SECONDARY;
    more->text_dp = end->text_dp = 40;
    more->wrap = end->wrap = true;
    *out = root;
    return KIOSK_OK;
fail:
    ui_widget_destroy(root);
    return KIOSK_ERR_NO_MEMORY;
}

kiosk_error ui_take_card_build(const ui_frame_model *frame, ui_widget **out)
{
    const ui_metrics *m = &frame->metrics;
    SDL_Rect content;
    ui_widget *root = ui_frame_build(frame, &content);
    if (!root)
        return KIOSK_ERR_NO_MEMORY;
    int margin = ui_dp(m, MARGIN_DP), gap = ui_dp(m, GAP_DP);
    int width = content.w - 2 * margin;
    /* The hall's language large; the visit is over, so the citizen's own
     * choice is gone: the other two languages follow, smaller. */
    const char *title = ui_frame_text(frame, "card.take_back");
    const char *body = ui_frame_text(frame, "card.take_back.body");
    int lines = ui_frame_lines_for(frame, body, 32, width - 2 * gap, 3);
    int box_h = 2 * gap + 2 * ui_frame_line_px(frame, 48) + lines * ui_frame_line_px(frame, 32);
    int others_h = 2 * (2 * ui_frame_line_px(frame, 28));
    int room = content.h - 2 * margin - box_h - others_h - 2 * gap;
    int reader_w = width * 2 / 3, max_w = (int)(150 * m->px_per_mm);
    reader_w = reader_w < max_w ? reader_w : max_w;
    int reader_h = reader_w * 2 / 3;
    if (reader_h > room) {
        reader_h = room > 0 ? room : 0;
        reader_w = reader_h * 3 / 2;
    }
    int block = box_h + gap + (reader_h > 0 ? reader_h + gap : 0) + others_h;
    int y = content.y + (content.h - block) / 2;
    y = y > content.y + margin ? y : content.y + margin;
    if (!card_back_create(root, frame, "take_card", (SDL_Rect){margin, y, width, box_h}, title,
                          body))
        goto fail;
    y += box_h + gap;
    if (reader_h > 0) {
        if (!ui_card_reader_create(
                root, "take_card",
                (SDL_Rect){margin + (width - reader_w) / 2, y, reader_w, reader_h}))
            goto fail;
        y += reader_h + gap;
    }
    for (int i = 0, shown = 0; i < LANG_COUNT; i++) {
        if (i == (int)frame->language)
            continue;
        char id[UI_ID_MAX], text[320];
        snprintf(id, sizeof id, "take_card.%s", lang_code((lang)i));
        snprintf(text, sizeof text, "%s  %s",
                 ui_strings_get(frame->strings, (lang)i, "card.take_back"),
                 ui_strings_get(frame->strings, (lang)i, "card.take_back.body"));
        int each = others_h / 2;
        ui_widget *other =
            ui_label_create(root, id, text, (SDL_Rect){margin, y + shown * each, width, each});
        if (!other)
            goto fail;
        other->text_lang = i;
        other->text_dp = 28;
        other->wrap = true;
        shown++;
    }
    *out = root;
    return KIOSK_OK;
fail:
    ui_widget_destroy(root);
    return KIOSK_ERR_NO_MEMORY;
}
