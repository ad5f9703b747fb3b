/* The end of a service, and the end of a visit with the card left behind.
 * After a service the citizen chooses: another service, or the end (which
 * wipes who they are). A card still on the reader is asked back first,
 * above everything, because the next person would otherwise find it. */
#include "ui/screens.h"

#include <stdio.h>

#define MARGIN_DP 32
#define GAP_DP    24
#define BODY_DP   32

/* The alert box asking for the ID card back: a large title, a line, and the
 * reader drawn with the card on it (where to look), as tall as it needs for
 * the words and drawing_h for the drawing. */
typedef struct card_back_plan {
    SDL_Rect box;
    int title_h, body_h, drawing_h;
    float title_dp;
} card_back_plan;

static card_back_plan plan_card_back(const ui_frame_model *frame, const char *title,
                                     const char *body, int width, float title_dp, int drawing_room)
{
    int gap = ui_dp(&frame->metrics, GAP_DP);
    card_back_plan plan = {.title_dp = title_dp};
    plan.title_h = ui_frame_lines_for(frame, title, title_dp, width - 2 * gap, 2) *
                   ui_frame_line_px(frame, title_dp);
    plan.body_h = body ? ui_frame_lines_for(frame, body, BODY_DP, width - 2 * gap, 3) *
                             ui_frame_line_px(frame, BODY_DP)
                       : 0;
    /* About the reader's real size at most: a citizen sees where the card is. */
    int most = (int)(110 * frame->metrics.px_per_mm) * 2 / 3;
    plan.drawing_h = drawing_room < most ? drawing_room : most;
    if (plan.drawing_h < ui_dp(&frame->metrics, 60))
        plan.drawing_h = 0; /* too small to say anything */
    plan.box = (SDL_Rect){0, 0, width,
                          2 * gap + plan.title_h + plan.body_h +
                              (plan.drawing_h ? plan.drawing_h + gap : 0)};
    return plan;
}

static bool card_back_create(ui_widget *root, const ui_frame_model *frame, const char *prefix,
                             const card_back_plan *plan, const char *title, const char *body)
{
    int gap = ui_dp(&frame->metrics, GAP_DP);
    SDL_Rect box = plan->box;
    int inner = box.w - 2 * gap, y = box.y + gap;
    char id[UI_ID_MAX];
    snprintf(id, sizeof id, "%s.card", prefix);
    ui_widget *card = ui_card_create(root, id, box, UI_TONE_ALERT);
    snprintf(id, sizeof id, "%s.title", prefix);
    ui_widget *heading =
        ui_heading_create(root, id, title, (SDL_Rect){box.x + gap, y, inner, plan->title_h});
    y += plan->title_h;
    snprintf(id, sizeof id, "%s.body", prefix);
    ui_widget *line =
        !body ? NULL
              : ui_label_create(root, id, body, (SDL_Rect){box.x + gap, y, inner, plan->body_h});
    y += plan->body_h + gap;
    if (!card || !heading || (body && !line))
        return false;
    heading->tone = UI_TONE_ALERT;
    heading->text_dp = plan->title_dp;
    heading->wrap = true;
    if (line) {
        line->tone = UI_TONE_ALERT;
        line->wrap = true;
        line->text_dp = BODY_DP;
    }
    if (plan->drawing_h > 0) {
        int w = plan->drawing_h * 3 / 2;
        snprintf(id, sizeof id, "%s.drawing", prefix);
        if (!ui_card_reader_create(root, id,
                                   (SDL_Rect){box.x + (box.w - w) / 2, y, w, plan->drawing_h}))
            return false;
    }
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
    int title_h = ui_frame_line_px(frame, 44);
    int prompt_h =
        ui_frame_lines_for(frame, model->prompt, 36, width, 2) * ui_frame_line_px(frame, 36);
    int min_h = ui_dp(m, frame->theme->min_target_dp + 8);
    int button_h = ui_frame_line_px(frame, 40) + 2 * gap;
    button_h = button_h < min_h ? min_h : button_h;
    int room = content.h - 2 * margin;
    card_back_plan plan = {0};
    int card_h = 0; /* the card box and the gap under it */
    const char *card_body = model->card_back_body;
    if (model->card_back) {
        plan = plan_card_back(frame, model->card_back, card_body, width, 48, 0);
        card_h = plan.box.h + 2 * gap;
    }
    /* Short of room (large text on a small panel), in turn: the question
     * alone says the service is done; the buttons keep a target's height;
     * the card's title alone asks for it; the two buttons say the choice. */
    for (int step = 0; step < 4 && card_h + title_h + prompt_h + 2 * button_h + 2 * gap > room;
         step++) {
        if (step == 0) {
            title_h = 0;
        } else if (step == 1) {
            button_h = min_h;
        } else if (step == 2 && model->card_back) {
            card_body = NULL;
            plan = plan_card_back(frame, model->card_back, NULL, width, 48, 0);
            card_h = plan.box.h + 2 * gap;
        } else if (step == 3) {
            prompt_h = 0;
        }
    }
    int asked = title_h + prompt_h + 2 * button_h + 2 * gap;
    if (model->card_back) {
        /* The drawing takes what is left, up to a third of the room. */
        int left = room - asked - card_h - gap;
        plan = plan_card_back(frame, model->card_back, card_body, width, 48,
                              left < room / 3 ? left : room / 3);
        card_h = plan.box.h + 2 * gap;
    }
    /* One block, in the middle of the room. */
    int block = asked + card_h;
    int y = content.y + margin + (room > block ? (room - block) / 2 : 0);
    if (model->card_back) {
        plan.box.x = margin;
        plan.box.y = y;
        if (!card_back_create(root, frame, "finished.card_back", &plan, model->card_back,
                              card_body))
            goto fail;
        y += card_h;
    }
    ui_widget *title = ui_heading_create(root, UI_ID_FINISHED_TITLE, model->title,
                                         (SDL_Rect){margin, y, width, title_h});
    y += title_h;
    ui_widget *prompt = ui_label_create(root, UI_ID_FINISHED_PROMPT, model->prompt,
                                        (SDL_Rect){margin, y, width, prompt_h});
    y += prompt_h + gap;
    if (!title || !prompt)
        goto fail;
    title->text_dp = 44;
    if (title_h == 0)
        title->flags |= UI_FLAG_HIDDEN;
    prompt->text_dp = 36;
    prompt->wrap = true;
    if (prompt_h == 0)
        prompt->flags |= UI_FLAG_HIDDEN;

    /* Two large choices, the likelier first. */
    ui_widget *more = ui_button_create(root, UI_ID_FINISHED_MORE, model->more,
                                       (SDL_Rect){margin, y, width, button_h}, UI_ACTION_HOME, 0);
    y += button_h + gap;
    ui_widget *end =
        ui_button_create(root, UI_ID_FINISHED_END, model->end,
                         (SDL_Rect){margin, y, width, button_h}, UI_ACTION_END_SESSION, 0);
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
    /* The citizen's language large; the other two follow, smaller, for
     * whoever reads them. */
    const char *title = ui_frame_text(frame, "card.take_back");
    const char *body = ui_frame_text(frame, "card.take_back.body");
    /* The same in the other two languages, each as many lines as it needs;
     * short of room (large text on a small panel), in turn: the others say
     * only the title, the title is set smaller, the body goes. */
    char others[LANG_COUNT][320];
    int other_h[LANG_COUNT] = {0}, others_h = 0;
    int room = content.h - 2 * margin;
    float title_dp = 60;
    card_back_plan plan = {0};
    for (int step = 0; step < 4; step++) {
        others_h = 0;
        for (int i = 0; i < LANG_COUNT; i++) {
            if (i == (int)frame->language)
                continue;
            const char *other_title = ui_strings_get(frame->strings, (lang)i, "card.take_back");
            if (step == 0)
                snprintf(others[i], sizeof others[i], "%s%s%s", other_title,
                         i == LANG_EN ? ". " : "。",
                         ui_strings_get(frame->strings, (lang)i, "card.take_back.body"));
            else
                snprintf(others[i], sizeof others[i], "%s", other_title);
            other_h[i] =
                ui_frame_lines_for(frame, others[i], 28, width, 4) * ui_frame_line_px(frame, 28);
            others_h += other_h[i] + gap;
        }
        if (step >= 2)
            title_dp = 44;
        if (step >= 3)
            body = NULL;
        plan = plan_card_back(frame, title, body, width, title_dp, 0);
        if (plan.box.h + others_h <= room)
            break;
    }
    int left = room - plan.box.h - others_h;
    plan = plan_card_back(frame, title, body, width, title_dp, left / 2);
    int block = plan.box.h + others_h;
    int y = content.y + margin + (room > block ? (room - block) / 2 : 0);
    plan.box.x = margin;
    plan.box.y = y;
    if (!card_back_create(root, frame, "take_card", &plan, title, body))
        goto fail;
    y += plan.box.h + gap;
    for (int i = 0; i < LANG_COUNT; i++) {
        if (i == (int)frame->language)
            continue;
        char id[UI_ID_MAX];
        snprintf(id, sizeof id, "take_card.%s", lang_code((lang)i));
        ui_widget *other =
            ui_label_create(root, id, others[i], (SDL_Rect){margin, y, width, other_h[i]});
        if (!other)
            goto fail;
        other->text_lang = i;
        other->text_dp = 28;
        other->wrap = true;
        y += other_h[i] + gap;
    }
    *out = root;
    return KIOSK_OK;
fail:
    ui_widget_destroy(root);
    return KIOSK_ERR_NO_MEMORY;
}
