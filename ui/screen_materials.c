/* The materials a service needs, as a checklist the citizen ticks: each
 * row a box, the material and a note on where it comes from; what the
 * platform fetches itself is ticked and locked. See ui_materials_build. */
#include "ui/input_widgets.h"
#include "ui/layout.h"
#include "ui/screens.h"
#include "ui/widget_ids.h"

#include <stdio.h>

#define GAP_DP      16
#define PAD_DP      20 /* before the box, between it and the words, after them */
#define PAD_Y_DP    12 /* above and below the words; when all fit so, EASY_PAD_DP */
#define EASY_PAD_DP 20
#define COLUMN_DP   480 /* two columns where each is at least this wide */
#define INTRO_DP    26
#define NAME_DP     30
#define NOTE_DP     22
#define PROBLEM_DP  24

static bool has(const char *text)
{
    return text && text[0];
}

/* How a material's row is divided, for a row width wide: the box, then the
 * name and the note under it. */
typedef struct row_layout {
    int pad, box, text_x, text_w, name_h, note_h, height;
} row_layout;

static row_layout measure(const ui_frame_model *frame, const ui_material_row *row, int wide,
                          float pad_dp)
{
    const ui_metrics *m = &frame->metrics;
    row_layout l = {.pad = ui_dp(m, PAD_DP)};
    l.box = ui_frame_line_px(frame, NAME_DP) * 3 / 4;
    l.text_x = 2 * l.pad + l.box;
    /* Room at the end for the lock of what cannot be changed. */
    l.text_w = wide - l.text_x - l.pad - (row->locked ? l.box + l.pad / 2 : 0);
    l.name_h = ui_lines_h(frame, row->name ? row->name : "", NAME_DP, l.text_w, 4);
    if (has(row->note))
        l.note_h = ui_lines_h(frame, row->note, NOTE_DP, l.text_w, 4);
    l.height = 2 * ui_dp(m, pad_dp) + l.name_h + l.note_h;
    int least = ui_dp(m, frame->theme->min_target_dp + 8);
    l.height = l.height > least ? l.height : least;
    return l;
}

/* A row's height, for ui_fit_list. */
typedef struct rows_of {
    const ui_frame_model *frame;
    const ui_material_row *rows;
} rows_of;

static int row_height(const void *user, size_t index, int wide, float pad_dp)
{
    const rows_of *of = user;
    return measure(of->frame, &of->rows[index], wide, pad_dp).height;
}

static ui_widget *add_row(ui_widget *parent, const ui_frame_model *frame,
                          const ui_material_row *row, size_t index, SDL_Rect box,
                          const row_layout *l)
{
    char id[UI_ID_MAX];
    snprintf(id, sizeof id, UI_ID_MATERIALS_ITEM_FMT, index);
    /* Locked: flat on the page with a lock, as on the form. */
    ui_tone tone = row->locked ? UI_TONE_PLAIN : UI_TONE_TILE;
    const char *name = row->name ? row->name : "";
    ui_widget *item = ui_row_create(parent, id, name, box, tone,
                                    row->locked ? UI_ACTION_NONE : UI_ACTION_TOGGLE, (int)index);
    if (!item)
        return NULL;
    bool checked = row->checked || row->locked;
    if (checked)
        item->flags |= UI_FLAG_CHECKED;
    int text_h = l->name_h + l->note_h;
    int top = box.y + (box.h - text_h) / 2;
    /* The box beside the name's first line. */
    int line = ui_frame_line_px(frame, NAME_DP);
    snprintf(id, sizeof id, "materials.item.%zu.check", index);
    if (!ui_check_box_create(item, id, checked,
                             (SDL_Rect){box.x + l->pad, top + (line - l->box) / 2, l->box, l->box}))
        return NULL;
    snprintf(id, sizeof id, "materials.item.%zu.name", index);
    ui_widget *label =
        ui_label_create(item, id, name, (SDL_Rect){box.x + l->text_x, top, l->text_w, l->name_h});
    if (!label)
        return NULL;
    label->tone = tone;
    label->align = UI_ALIGN_START;
    label->wrap = true;
    label->text_dp = NAME_DP;
    if (has(row->note)) {
        snprintf(id, sizeof id, "materials.item.%zu.note", index);
        ui_widget *note =
            ui_note_create(item, id, row->note,
                           (SDL_Rect){box.x + l->text_x, top + l->name_h, l->text_w, l->note_h});
        if (!note)
            return NULL;
        note->tone = tone;
        note->align = UI_ALIGN_START;
        note->wrap = true;
        note->text_dp = NOTE_DP;
    }
    if (row->locked) {
        snprintf(id, sizeof id, "materials.item.%zu.lock", index);
        if (!ui_lock_create(item, id,
                            (SDL_Rect){box.x + box.w - l->pad - l->box, top + (line - l->box) / 2,
                                       l->box, l->box},
                            tone))
            return NULL;
    }
    return item;
}

kiosk_error ui_materials_build(const ui_frame_model *frame, const ui_step_model *step,
                               const ui_materials_model *model, ui_widget **out)
{
    ui_screen screen;
    if (!ui_step_begin(&screen, frame, step, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    ui_widget *root = screen.root;
    SDL_Rect content = screen.area;
    int gap = screen.gap;
    size_t count =
        model->row_count < UI_MATERIALS_ROWS_MAX ? model->row_count : UI_MATERIALS_ROWS_MAX;
    int y = content.y, bottom = content.y + content.h;
    if (has(model->intro)) {
        int h = ui_lines_h(frame, model->intro, INTRO_DP, content.w, 4);
        ui_widget *intro = ui_label_create(root, UI_ID_MATERIALS_INTRO, model->intro,
                                           (SDL_Rect){content.x, y, content.w, h});
        if (!intro)
            goto fail;
        intro->wrap = true;
        intro->align = UI_ALIGN_START;
        intro->text_dp = INTRO_DP;
        y += h + gap / 2;
    }
    /* What is missing stands just above next, where the citizen tapped, in
     * a card of the alert tone. */
    int pad = ui_dp(&frame->metrics, PAD_DP);
    int problem_h = has(model->problem)
                        ? ui_lines_h(frame, model->problem, PROBLEM_DP, content.w - 2 * pad, 4)
                        : 0;
    SDL_Rect card = {content.x, bottom - problem_h - gap, content.w, problem_h + gap};
    ui_widget *notice = ui_card_create(root, "materials.problem.card", card, UI_TONE_ALERT);
    ui_widget *problem =
        ui_label_create(root, UI_ID_MATERIALS_PROBLEM, model->problem ? model->problem : "",
                        (SDL_Rect){card.x + pad, card.y + gap / 2, card.w - 2 * pad, problem_h});
    if (!notice || !problem)
        goto fail;
    problem->wrap = true;
    problem->align = UI_ALIGN_START;
    problem->tone = UI_TONE_ALERT;
    problem->text_dp = PROBLEM_DP;
    if (problem_h) {
        bottom = card.y - gap;
    } else {
        notice->flags |= UI_FLAG_HIDDEN;
        problem->flags |= UI_FLAG_HIDDEN;
    }

    /* One under the other (two abreast on a wide screen, each pair as high
     * as the taller), roomy when they all fit so; scrolling, narrower by the
     * bar's room, when they do not fit at all. */
    SDL_Rect room = {content.x, y, content.w, bottom - y};
    ui_fit_list list;
    rows_of of = {frame, model->rows};
    if (!ui_fit_list_begin(&list, root, UI_ID_MATERIALS_ITEMS, room,
                           ui_frame_columns(frame, room.w, COLUMN_DP), gap, count, EASY_PAD_DP,
                           PAD_Y_DP, row_height, &of))
        goto fail;
    ui_widget *first_unchecked = NULL;
    for (size_t i = 0; i < count; i++) {
        row_layout l = measure(frame, &model->rows[i], list.row_w, list.pad_dp);
        ui_widget *row =
            add_row(list.parent, frame, &model->rows[i], i, ui_fit_list_box(&list, i), &l);
        if (!row)
            goto fail;
        if (!first_unchecked && !(row->flags & UI_FLAG_CHECKED))
            first_unchecked = row;
    }
    /* With a problem, the first material not yet ticked comes into view. */
    ui_fit_list_end(&list, problem_h ? first_unchecked : NULL);
    return ui_screen_end(&screen, true, out);
fail:
    return ui_screen_end(&screen, false, out);
}
