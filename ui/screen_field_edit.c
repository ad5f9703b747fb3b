/* One field of a form at a time: its label, a line of help, what is wrong
 * with it, and a keypad typing into it, or its choices as large buttons.
 * See ui_field_edit_build. */
#include "ui/input_widgets.h"
#include "ui/layout.h"
#include "ui/screens.h"
#include "ui/scroll_view.h"

#include <stdio.h>

#define GAP_DP     16
#define LABEL_DP   34
#define HELP_DP    24
#define PROBLEM_DP 24
#define VALUE_DP   40
#define CHOICE_DP  34
#define COLUMN_DP  480 /* two columns of choices where each is at least this wide */

static bool has(const char *text)
{
    return text && text[0];
}

static const char *choice_text(const ui_field_edit_model *model, size_t index)
{
    const char *text = model->choice_labels ? model->choice_labels[index] : NULL;
    return text ? text : "";
}

/* The heading (or, short of room, the step's title says it) and the help
 * over the entry; returns the y under them. */
static int add_heading(ui_widget *root, const ui_frame_model *frame,
                       const ui_field_edit_model *model, SDL_Rect area, bool in_title,
                       bool show_help, bool *ok)
{
    int y = area.y;
    const char *text = model->label ? model->label : "";
    int label_h = in_title ? 0 : ui_lines_h(frame, text, LABEL_DP, area.w, 3);
    ui_widget *label =
        ui_heading_create(root, UI_ID_EDIT_LABEL, text, (SDL_Rect){area.x, y, area.w, label_h});
    *ok = label != NULL;
    if (!label)
        return y;
    label->align = UI_ALIGN_START;
    label->wrap = true;
    label->text_dp = LABEL_DP;
    if (in_title) {
        label->flags |= UI_FLAG_HIDDEN;
        ui_widget *title = ui_widget_find(root, UI_ID_STEP_TITLE);
        *ok = title && ui_widget_set_text(title, text);
    }
    y += label_h;
    if (has(model->help) && show_help) {
        int help_h = ui_lines_h(frame, model->help, HELP_DP, area.w, 4);
        ui_widget *help = ui_note_create(root, UI_ID_EDIT_HELP, model->help,
                                         (SDL_Rect){area.x, y, area.w, help_h});
        *ok = *ok && help != NULL;
        if (!help)
            return y;
        help->align = UI_ALIGN_START;
        help->wrap = true;
        help->text_dp = HELP_DP;
        y += help_h;
    }
    return y;
}

/* What is wrong, in the alert tone, in box (0 high: none, or no room, when
 * it stands in the step's progress line, which it outranks, as on the
 * identify step). small: sized as a control, the legal least. */
static bool add_problem(ui_widget *root, const char *problem, SDL_Rect box, bool small)
{
    ui_widget *error = ui_label_create(root, UI_ID_EDIT_PROBLEM, problem ? problem : "", box);
    if (!error)
        return false;
    error->align = UI_ALIGN_START;
    error->wrap = true;
    error->tone = UI_TONE_ALERT;
    error->text_dp = PROBLEM_DP;
    error->chrome = small;
    if (!has(problem) || box.h == 0) {
        error->flags |= UI_FLAG_HIDDEN;
        ui_widget *where = ui_widget_find(root, UI_ID_STEP_PROGRESS);
        if (has(problem) && where) {
            if (!ui_widget_set_text(where, problem))
                return false;
            where->tone = UI_TONE_ALERT;
        }
    }
    return true;
}

/* How the keypad's step is laid out: everything at its ease, or, where
 * large text on a small panel leaves too little room, giving way in turn:
 * the help (the field's hint says the format), the field's size, the label
 * (the step's title says it instead), the keys' spacing (never their least
 * size), the problem's size (to the legal least), the keys' spacing again,
 * and last the problem's own line (it stands in the progress line). */
typedef struct keypad_plan {
    bool help, label_in_title, small_problem;
    int label_h, help_h, top_gap, field_h, field_dp, problem_gap, problem_h, keys_h, key_gap;
} keypad_plan;

static keypad_plan plan_keypad(const ui_frame_model *frame, const ui_field_edit_model *model,
                               SDL_Rect entry, int room_h, bool side_by_side)
{
    const ui_metrics *m = &frame->metrics;
    int gap = ui_dp(m, GAP_DP);
    const char *label = model->label ? model->label : "";
    const char *problem = has(model->problem) ? model->problem : "";
    keypad_plan plan = {0};
    for (int level = 0; level <= 7; level++) {
        bool compact = level >= 2, tight_keys = level >= 4;
        plan = (keypad_plan){
            .help = level < 1, .label_in_title = level >= 3, .small_problem = level >= 5};
        plan.label_h = plan.label_in_title ? 0 : ui_lines_h(frame, label, LABEL_DP, entry.w, 3);
        plan.help_h =
            plan.help && has(model->help) ? ui_lines_h(frame, model->help, HELP_DP, entry.w, 4) : 0;
        plan.top_gap = plan.label_h + plan.help_h ? gap / 2 : 0;
        plan.field_dp = compact ? HELP_DP + 8 : VALUE_DP;
        plan.field_h = ui_frame_line_px(frame, plan.field_dp) + (compact ? 0 : 2 * gap);
        /* Room for two lines of problem, so that the keys stay put when
         * one appears; when short of room, only what it needs. */
        int problem_px = plan.small_problem ? ui_theme_chrome_text_px(frame->theme, m, PROBLEM_DP)
                                            : ui_theme_text_px(frame->theme, m, PROBLEM_DP);
        int lines = ui_frame_lines_at(problem, problem_px, entry.w, 4);
        if (level < 4 && lines < 2)
            lines = 2;
        plan.problem_h =
            level < 7 && (has(model->problem) || level < 4) ? lines * problem_px * 3 / 2 : 0;
        plan.problem_gap = plan.problem_h ? (tight_keys ? gap / 4 : gap / 2) : 0;
        plan.key_gap = level >= 6 ? gap / 4 : tight_keys ? gap / 2 : gap;
        int key_h = ui_dp(m, frame->theme->min_target_dp + (tight_keys ? 0.5f : 4));
        plan.keys_h = 4 * key_h + 3 * plan.key_gap;
        int need = plan.label_h + plan.help_h + plan.top_gap + plan.field_h + plan.problem_gap +
                   plan.problem_h;
        if (side_by_side || need + plan.keys_h <= room_h)
            break;
    }
    return plan;
}

static bool build_keypad(ui_screen *screen, const ui_field_edit_model *model)
{
    const ui_frame_model *frame = screen->frame;
    const ui_metrics *m = &frame->metrics;
    ui_widget *root = screen->root;
    SDL_Rect content = screen->area;
    int gap = screen->gap;
    /* The field and what is wrong with it; the keypad below them, or beside
     * them on a landscape screen. */
    bool side_by_side = m->width_px > m->height_px;
    SDL_Rect entry = content, keys = content;
    if (side_by_side) {
        entry.w = keys.w = (content.w - gap) / 2;
        keys.x = entry.x + entry.w + gap;
    }
    keypad_plan plan = plan_keypad(frame, model, entry, content.h, side_by_side);
    bool ok = true;
    int y = add_heading(root, frame, model, entry, plan.label_in_title, plan.help, &ok);
    if (!ok)
        return false;
    y += plan.top_gap;
    ui_widget *field = ui_text_field_create(root, UI_ID_EDIT_VALUE, model->typed, model->format,
                                            (SDL_Rect){entry.x, y, entry.w, plan.field_h});
    if (!field || (model->group && !ui_text_field_group(field, model->group)))
        return false;
    field->text_dp = plan.field_dp;
    field->flags |= UI_FLAG_PERSONAL;
    y += plan.field_h + plan.problem_gap;
    if (!add_problem(root, model->problem, (SDL_Rect){entry.x, y, entry.w, plan.problem_h},
                     plan.small_problem))
        return false;
    y += plan.problem_h;
    if (!side_by_side) {
        keys.y = y;
        keys.h = content.y + content.h - y;
    }
    /* At most a comfortable size, centred in the room it has. */
    int pad_w = ui_frame_text_dp(frame, 640);
    pad_w = pad_w < keys.w ? pad_w : keys.w;
    int pad_h = 4 * ui_frame_text_dp(frame, 110) + 3 * plan.key_gap;
    pad_h = pad_h < keys.h ? pad_h : keys.h;
    ui_widget *pad = ui_keypad_create(
        root, UI_ID_KEYPAD,
        (SDL_Rect){keys.x + (keys.w - pad_w) / 2, keys.y + (keys.h - pad_h) / 2, pad_w, pad_h},
        model->with_x, ui_frame_text(frame, "keypad.delete"), ui_frame_text(frame, "keypad.clear"),
        plan.key_gap);
    return pad != NULL;
}

static ui_widget *add_choice(ui_widget *parent, const ui_frame_model *frame, const char *text,
                             size_t index, bool chosen, SDL_Rect box)
{
    const ui_metrics *m = &frame->metrics;
    char id[UI_ID_MAX];
    snprintf(id, sizeof id, UI_ID_EDIT_CHOICE_FMT, index);
    ui_tone tone = chosen ? UI_TONE_PRIMARY : UI_TONE_SECONDARY;
    ui_widget *choice = ui_row_create(parent, id, text, box, tone, UI_ACTION_CHOOSE, (int)index);
    if (!choice)
        return NULL;
    /* A radio mark at the start of every choice, the dot on the one
     * chosen: one of several, and which shows by more than its colour. */
    int pad = ui_dp(m, 20);
    int side = ui_frame_line_px(frame, CHOICE_DP) * 2 / 3;
    snprintf(id, sizeof id, "edit.choice.%zu.check", index);
    ui_widget *check = ui_radio_create(
        choice, id, chosen, (SDL_Rect){box.x + pad, box.y + (box.h - side) / 2, side, side});
    snprintf(id, sizeof id, "edit.choice.%zu.label", index);
    int text_x = box.x + 2 * pad + side, text_w = box.x + box.w - pad - text_x;
    int text_h = ui_lines_h(frame, text, CHOICE_DP, text_w, 4);
    text_h = text_h < box.h ? text_h : box.h;
    ui_widget *label = ui_label_create(
        choice, id, text, (SDL_Rect){text_x, box.y + (box.h - text_h) / 2, text_w, text_h});
    if (!check || !label)
        return NULL;
    /* On the chosen one (the primary colour) the box is the light one. */
    check->tone = chosen ? UI_TONE_SECONDARY : UI_TONE_PRIMARY;
    label->tone = tone;
    label->align = UI_ALIGN_START;
    label->wrap = true;
    label->text_dp = CHOICE_DP;
    if (chosen)
        choice->flags |= UI_FLAG_CHECKED;
    return choice;
}

/* What a choice's height is measured with. */
typedef struct choices_of {
    const ui_screen *screen;
    const ui_field_edit_model *model;
} choices_of;

/* A choice's height in a row wide, padded by pad_dp (in whole gaps) above
 * and below its words; at least a target high. */
static int choice_height(const void *user, size_t index, int wide, float pad_dp)
{
    const choices_of *of = user;
    const ui_frame_model *frame = of->screen->frame;
    int line = ui_frame_line_px(frame, CHOICE_DP);
    int text_w = wide - 3 * ui_dp(&frame->metrics, 20) - line * 2 / 3;
    int one_line = line + (int)(pad_dp / GAP_DP) * of->screen->gap;
    int least = ui_screen_target_h(of->screen);
    one_line = one_line > least ? one_line : least;
    int lines = ui_frame_lines_for(frame, choice_text(of->model, index), CHOICE_DP, text_w, 4);
    return one_line + (lines - 1) * line;
}

static bool build_choices(ui_screen *screen, const ui_field_edit_model *model)
{
    const ui_frame_model *frame = screen->frame;
    const ui_metrics *m = &frame->metrics;
    SDL_Rect content = screen->area;
    int gap = screen->gap;
    size_t count =
        model->choice_count < UI_FIELD_CHOICES_MAX ? model->choice_count : UI_FIELD_CHOICES_MAX;
    /* Room for three choices at the least, or all of them if fewer: short
     * of it (large text on a small panel), the help gives way, then the
     * label (the step's title says it), then the problem's size (to the
     * legal least). */
    int shown = count < 3 ? (int)count : 3;
    int row_least = ui_frame_line_px(frame, CHOICE_DP) + gap;
    int least = ui_screen_target_h(screen);
    row_least = row_least > least ? row_least : least;
    const char *label = model->label ? model->label : "";
    bool in_title = false, show_help = true, small = false;
    int problem_h = 0;
    for (int level = 0; level <= 3; level++) {
        show_help = level < 1;
        in_title = level >= 2;
        small = level >= 3;
        int top = in_title ? 0 : ui_lines_h(frame, label, LABEL_DP, content.w, 3);
        if (show_help && has(model->help))
            top += ui_lines_h(frame, model->help, HELP_DP, content.w, 4);
        int px = small ? ui_theme_chrome_text_px(frame->theme, m, PROBLEM_DP)
                       : ui_theme_text_px(frame->theme, m, PROBLEM_DP);
        problem_h = has(model->problem)
                        ? ui_frame_lines_at(model->problem, px, content.w, 4) * px * 3 / 2
                        : 0;
        if (content.h - top - problem_h - gap / 2 >= shown * (row_least + gap) - gap)
            break;
    }
    bool ok = true;
    int y = add_heading(screen->root, frame, model, content, in_title, show_help, &ok);
    if (!ok)
        return false;
    if (!add_problem(screen->root, model->problem, (SDL_Rect){content.x, y, content.w, problem_h},
                     small))
        return false;
    screen->y = y + problem_h + gap / 2;

    /* One choice under another (two abreast on a wide screen), each at
     * least a target high and as tall as its words, roomier when they all
     * fit so; they scroll when they do not fit at all. */
    SDL_Rect room = ui_screen_rest(screen);
    int columns = count > 2 ? ui_frame_columns(frame, room.w, COLUMN_DP) : 1;
    ui_fit_list list;
    choices_of of = {screen, model};
    if (!ui_fit_list_begin(&list, screen->root, UI_ID_EDIT_CHOICES, room, columns, gap, count,
                           2 * GAP_DP, GAP_DP, choice_height, &of))
        return false;
    ui_widget *chosen = NULL;
    for (size_t i = 0; i < count; i++) {
        ui_widget *choice = add_choice(list.parent, frame, choice_text(model, i), i,
                                       (int)i == model->chosen, ui_fit_list_box(&list, i));
        if (!choice)
            return false;
        if ((int)i == model->chosen)
            chosen = choice;
    }
    ui_fit_list_end(&list, chosen);
    return true;
}

kiosk_error ui_field_edit_build(const ui_frame_model *frame, const ui_step_model *step,
                                const ui_field_edit_model *model, ui_widget **out)
{
    ui_screen screen;
    if (!ui_step_begin(&screen, frame, step, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    bool ok = model->choices ? build_choices(&screen, model) : build_keypad(&screen, model);
    return ui_screen_end(&screen, ok, out);
}
