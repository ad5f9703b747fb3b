/* One field of a form at a time: its label, a line of help, what is wrong
 * with it, and a keypad typing into it, or its choices as large buttons.
 * See ui_field_edit_build. */
#include "ui/input_widgets.h"
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
    int label_h = in_title ? 0
                           : ui_frame_lines_for(frame, text, LABEL_DP, area.w, 3) *
                                 ui_frame_line_px(frame, LABEL_DP);
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
        int help_h = ui_frame_lines_for(frame, model->help, HELP_DP, area.w, 4) *
                     ui_frame_line_px(frame, HELP_DP);
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
        plan.label_h = plan.label_in_title
                           ? 0
                           : ui_frame_lines_for(frame, label, LABEL_DP, entry.w, 3) *
                                 ui_frame_line_px(frame, LABEL_DP);
        plan.help_h = plan.help && has(model->help)
                          ? ui_frame_lines_for(frame, model->help, HELP_DP, entry.w, 4) *
                                ui_frame_line_px(frame, HELP_DP)
                          : 0;
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

static kiosk_error build_keypad(ui_widget *root, const ui_frame_model *frame,
                                const ui_field_edit_model *model, SDL_Rect content)
{
    const ui_metrics *m = &frame->metrics;
    int gap = ui_dp(m, GAP_DP);
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
        return KIOSK_ERR_NO_MEMORY;
    y += plan.top_gap;
    ui_widget *field = ui_text_field_create(root, UI_ID_EDIT_VALUE, model->typed, model->format,
                                            (SDL_Rect){entry.x, y, entry.w, plan.field_h});
    if (!field)
        return KIOSK_ERR_NO_MEMORY;
    field->text_dp = plan.field_dp;
    y += plan.field_h + plan.problem_gap;
    if (!add_problem(root, model->problem, (SDL_Rect){entry.x, y, entry.w, plan.problem_h},
                     plan.small_problem))
        return KIOSK_ERR_NO_MEMORY;
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
    return pad ? KIOSK_OK : KIOSK_ERR_NO_MEMORY;
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
    /* A box at the start of every choice, ticked on the one chosen: which
     * it is shows by more than its colour. */
    int pad = ui_dp(m, 20);
    int side = ui_frame_line_px(frame, CHOICE_DP) * 2 / 3;
    snprintf(id, sizeof id, "edit.choice.%zu.check", index);
    ui_widget *check = ui_check_box_create(
        choice, id, chosen, (SDL_Rect){box.x + pad, box.y + (box.h - side) / 2, side, side});
    snprintf(id, sizeof id, "edit.choice.%zu.label", index);
    int text_x = box.x + 2 * pad + side, text_w = box.x + box.w - pad - text_x;
    int text_h =
        ui_frame_lines_for(frame, text, CHOICE_DP, text_w, 4) * ui_frame_line_px(frame, CHOICE_DP);
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

static kiosk_error build_choices(ui_widget *root, const ui_frame_model *frame,
                                 const ui_field_edit_model *model, SDL_Rect content)
{
    const ui_metrics *m = &frame->metrics;
    int gap = ui_dp(m, GAP_DP);
    size_t count =
        model->choice_count < UI_FIELD_CHOICES_MAX ? model->choice_count : UI_FIELD_CHOICES_MAX;
    int least = ui_dp(m, frame->theme->min_target_dp + 8);
    /* Room for three choices at the least, or all of them if fewer: short
     * of it (large text on a small panel), the help gives way, then the
     * label (the step's title says it), then the problem's size (to the
     * legal least). */
    int shown = count < 3 ? (int)count : 3;
    int row_least = ui_frame_line_px(frame, CHOICE_DP) + gap;
    row_least = row_least > least ? row_least : least;
    const char *label = model->label ? model->label : "";
    bool in_title = false, show_help = true, small = false;
    int problem_h = 0;
    for (int level = 0; level <= 3; level++) {
        show_help = level < 1;
        in_title = level >= 2;
        small = level >= 3;
        int top = in_title ? 0
                           : ui_frame_lines_for(frame, label, LABEL_DP, content.w, 3) *
                                 ui_frame_line_px(frame, LABEL_DP);
        if (show_help && has(model->help))
            top += ui_frame_lines_for(frame, model->help, HELP_DP, content.w, 4) *
                   ui_frame_line_px(frame, HELP_DP);
        int px = small ? ui_theme_chrome_text_px(frame->theme, m, PROBLEM_DP)
                       : ui_theme_text_px(frame->theme, m, PROBLEM_DP);
        problem_h = has(model->problem)
                        ? ui_frame_lines_at(model->problem, px, content.w, 4) * px * 3 / 2
                        : 0;
        if (content.h - top - problem_h - gap / 2 >= shown * (row_least + gap) - gap)
            break;
    }
    bool ok = true;
    int y = add_heading(root, frame, model, content, in_title, show_help, &ok);
    if (!ok)
        return KIOSK_ERR_NO_MEMORY;
    if (!add_problem(root, model->problem, (SDL_Rect){content.x, y, content.w, problem_h}, small))
        return KIOSK_ERR_NO_MEMORY;
    y += problem_h + gap / 2;

    /* One choice under another (two abreast on a wide screen), each at
     * least a target high and as tall as its words, roomier when they all
     * fit so; they scroll when they do not fit at all. */
    SDL_Rect room = {content.x, y, content.w, content.y + content.h - y};
    int columns = count > 2 ? ui_frame_columns(frame, room.w, COLUMN_DP) : 1;
    int line = ui_frame_line_px(frame, CHOICE_DP);
    int heights[UI_FIELD_CHOICES_MAX];
    int list_w = room.w;
    bool scrolls = false;
    for (int attempt = 0; attempt < 3; attempt++) {
        scrolls = attempt == 2;
        list_w = scrolls ? room.w - gap : room.w;
        int row_w = (list_w - (columns - 1) * gap) / columns;
        int text_w = row_w - 3 * ui_dp(m, 20) - line * 2 / 3;
        int one_line = line + (attempt == 0 ? 2 * gap : gap);
        one_line = one_line > least ? one_line : least;
        int total = -gap;
        for (size_t first = 0; first < count; first += (size_t)columns) {
            int tallest = 0;
            for (size_t i = first; i < count && i < first + (size_t)columns; i++) {
                int lines = ui_frame_lines_for(frame, choice_text(model, i), CHOICE_DP, text_w, 4);
                int h = one_line + (lines - 1) * line;
                tallest = h > tallest ? h : tallest;
            }
            heights[first / (size_t)columns] = tallest;
            total += tallest + gap;
        }
        if (total <= room.h)
            break;
    }
    ui_widget *parent = scrolls ? ui_scroll_view_create(root, UI_ID_EDIT_CHOICES, room) : root;
    if (!parent)
        return KIOSK_ERR_NO_MEMORY;
    int row_w = (list_w - (columns - 1) * gap) / columns;
    ui_widget *chosen = NULL;
    for (size_t i = 0; i < count; i++) {
        int column = (int)i % columns;
        SDL_Rect box = {room.x + column * (row_w + gap), y, row_w, heights[i / columns]};
        ui_widget *choice =
            add_choice(parent, frame, choice_text(model, i), i, (int)i == model->chosen, box);
        if (!choice)
            return KIOSK_ERR_NO_MEMORY;
        if ((int)i == model->chosen)
            chosen = choice;
        if (column == columns - 1 || i + 1 == count)
            y += heights[i / columns] + gap;
    }
    if (scrolls) {
        ui_scroll_view_update_extent(parent);
        if (chosen)
            ui_scroll_view_reveal(parent, chosen);
    }
    return KIOSK_OK;
}

kiosk_error ui_field_edit_build(const ui_frame_model *frame, const ui_step_model *step,
                                const ui_field_edit_model *model, ui_widget **out)
{
    SDL_Rect content;
    ui_widget *root = ui_step_frame_build(frame, step, &content);
    if (!root)
        return KIOSK_ERR_NO_MEMORY;
    kiosk_error result = model->choices ? build_choices(root, frame, model, content)
                                        : build_keypad(root, frame, model, content);
    if (result != KIOSK_OK) {
        ui_widget_destroy(root);
        return result;
    }
    *out = root;
    return KIOSK_OK;
}
