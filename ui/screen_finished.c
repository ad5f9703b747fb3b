/* The end of a service, and the end of a visit with the card left behind.
 * After a service the citizen chooses: another service, or the end (which
 * wipes who they are). A card still on the reader is asked back first,
 * above everything, because the next person would otherwise find it. */
#include "ui/icons.h"
#include "ui/layout.h"
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
    plan.title_h = ui_lines_h(frame, title, title_dp, width - 2 * gap, 2);
    plan.body_h = body ? ui_lines_h(frame, body, BODY_DP, width - 2 * gap, 3) : 0;
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
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, MARGIN_DP, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    int gap = screen.gap, width = screen.area.w, room = screen.area.h;
    int title_h = ui_frame_line_px(frame, 44);
    int prompt_h = ui_lines_h(frame, model->prompt, 36, width, 2);
    int button_h = ui_screen_large_button_h(&screen, 40);
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
            button_h = ui_screen_target_h(&screen);
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
    /* One block, in the middle of the room: the card, the words, then two
     * large choices, the likelier first. */
    ui_screen_centre(&screen, asked + card_h);
    ui_stack stack = ui_screen_stack(&screen, 0);
    if (model->card_back) {
        SDL_Rect slot = ui_stack_take(&stack, card_h);
        plan.box.x = slot.x;
        plan.box.y = slot.y;
        if (!card_back_create(screen.root, frame, "finished.card_back", &plan, model->card_back,
                              card_body))
            goto fail;
    }
    ui_widget *title = ui_heading_create(screen.root, UI_ID_FINISHED_TITLE, model->title,
                                         ui_stack_take(&stack, title_h));
    ui_widget *prompt = ui_label_create(screen.root, UI_ID_FINISHED_PROMPT, model->prompt,
                                        ui_stack_take(&stack, prompt_h));
    stack.gap = gap;
    stack.y += gap;
    ui_widget *more =
        ui_screen_button(&screen, UI_ID_FINISHED_MORE, model->more, ui_stack_take(&stack, button_h),
                         UI_ACTION_HOME, 0, UI_TONE_PRIMARY, 40);
    ui_widget *end =
        ui_screen_button(&screen, UI_ID_FINISHED_END, model->end, ui_stack_take(&stack, button_h),
                         UI_ACTION_END_SESSION, 0, UI_TONE_SECONDARY, 40);
    if (!title || !prompt || !more || !end || !ui_button_set_icon_for(more, "finished.more") ||
        !ui_button_set_icon_for(end, "session.end"))
        goto fail;
    title->text_dp = 44;
    if (title_h == 0)
        title->flags |= UI_FLAG_HIDDEN;
    prompt->text_dp = 36;
    prompt->wrap = true;
    if (prompt_h == 0)
        prompt->flags |= UI_FLAG_HIDDEN;
    more->wrap = end->wrap = true;
    return ui_screen_end(&screen, true, out);
fail:
    return ui_screen_end(&screen, false, out);
}

kiosk_error ui_take_card_build(const ui_frame_model *frame, ui_widget **out)
{
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, MARGIN_DP, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    int gap = screen.gap, width = screen.area.w, room = screen.area.h;
    /* The citizen's language large; the other two follow, smaller, for
     * whoever reads them. */
    const char *title = ui_frame_text(frame, "card.take_back");
    const char *body = ui_frame_text(frame, "card.take_back.body");
    /* The same in the other two languages, each as many lines as it needs;
     * short of room (large text on a small panel), in turn: the others say
     * only the title, the title is set smaller, the body goes. */
    char others[LANG_COUNT][320];
    int other_h[LANG_COUNT] = {0}, others_h = 0;
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
            other_h[i] = ui_lines_h(frame, others[i], 28, width, 4);
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
    ui_screen_centre(&screen, plan.box.h + others_h);
    ui_stack stack = ui_screen_stack(&screen, gap);
    SDL_Rect slot = ui_stack_take(&stack, plan.box.h);
    plan.box.x = slot.x;
    plan.box.y = slot.y;
    if (!card_back_create(screen.root, frame, "take_card", &plan, title, body))
        goto fail;
    for (int i = 0; i < LANG_COUNT; i++) {
        if (i == (int)frame->language)
            continue;
        char id[UI_ID_MAX];
        snprintf(id, sizeof id, "take_card.%s", lang_code((lang)i));
        ui_widget *other =
            ui_label_create(screen.root, id, others[i], ui_stack_take(&stack, other_h[i]));
        if (!other)
            goto fail;
        other->text_lang = i;
        other->text_dp = 28;
        other->wrap = true;
    }
    return ui_screen_end(&screen, true, out);
fail:
    return ui_screen_end(&screen, false, out);
}
