/* The form of a service: each field a large box to tap, showing what it
 * holds or, when empty, what to do; what came from the ID card shown locked;
 * and what is wrong said in the field itself, right under its value, where
 * the citizen is looking. See ui_form_build. */
#include "ui/draw.h"
#include "ui/input_widgets.h"
#include "ui/layout.h"
#include "ui/screens.h"
#include "ui/signature_pad.h"
#include "ui/widget_ids.h"

#include <stdio.h>

#define GAP_DP      16
#define PAD_X_DP    20
#define PAD_Y_DP    12 /* above and below a field's texts; when all fit so, EASY_PAD_DP */
#define EASY_PAD_DP 20
#define COLUMN_DP   480 /* two columns of fields where each is at least this wide */
#define INTRO_DP    26
#define LABEL_DP    24
#define VALUE_DP    30
#define PROBLEM_DP  24
#define NOTE_DP     22

static bool has(const char *text)
{
    return text && text[0];
}

/* How a field's box is divided, top to bottom, for a box width wide. */
typedef struct row_layout {
    int pad_x, pad_y, inner_w, marker_w, chevron_w, value_w;
    int label_h, value_h, problem_h, note_h, height;
} row_layout;

/* A chevron at the end of a field that opens: it says the box is to tap. */
static void draw_chevron(const ui_widget *widget, ui_context *context)
{
    SDL_FRect b = {(float)widget->bounds.x, (float)widget->bounds.y, (float)widget->bounds.w,
                   (float)widget->bounds.h};
    float stroke = b.w * 0.16f > 2 ? b.w * 0.16f : 2;
    SDL_FPoint top = {b.x + b.w * 0.3f, b.y + b.h * 0.25f}, tip = {b.x + b.w * 0.7f, b.y + b.h / 2},
               bottom = {b.x + b.w * 0.3f, b.y + b.h * 0.75f};
    SDL_Color colour = context->theme->tones[widget->tone].detail;
    ui_draw_stroke(context->renderer, top, tip, stroke, colour);
    ui_draw_stroke(context->renderer, tip, bottom, stroke, colour);
}

static const ui_widget_class chevron_class = {
    .name = "chevron", .role = UI_ROLE_GROUP, .draw = draw_chevron};

/* A disc with "!" before a field's problem: it is told apart from the
 * field's other words by its shape too, where the theme gives them one
 * colour (high contrast). */
static void draw_alert_mark(const ui_widget *widget, ui_context *context)
{
    const ui_tone_colours *tones = context->theme->tones;
    SDL_Rect b = widget->bounds;
    int side = b.w < b.h ? b.w : b.h;
    SDL_Rect disc = {b.x + (b.w - side) / 2, b.y + (b.h - side) / 2, side, side};
    ui_draw_fill_rounded(context->renderer, disc, side / 2, tones[UI_TONE_ALERT].border);
    int stroke = side / 7 + 1;
    SDL_Color mark = tones[UI_TONE_TILE].background;
    ui_draw_fill(context->renderer,
                 (SDL_Rect){disc.x + (side - stroke) / 2, disc.y + side / 5, stroke, side * 2 / 5},
                 mark);
    ui_draw_fill(context->renderer,
                 (SDL_Rect){disc.x + (side - stroke) / 2, disc.y + side * 7 / 10, stroke, stroke},
                 mark);
}

static const ui_widget_class alert_mark_class = {
    .name = "alert-mark", .role = UI_ROLE_GROUP, .draw = draw_alert_mark};

/* What stands at the end of the label's line: a lock, or "必填". */
static int marker_width(const ui_frame_model *frame, const ui_form_row *row)
{
    if (row->locked)
        return ui_frame_line_px(frame, LABEL_DP);
    if (!row->required)
        return 0;
    int px = ui_theme_text_px(frame->theme, &frame->metrics, LABEL_DP);
    return ui_frame_estimate_width(ui_frame_text(frame, "form.required"), px) + px / 2;
}

static row_layout measure(const ui_frame_model *frame, const ui_form_row *row, int wide,
                          float pad_dp)
{
    const ui_metrics *m = &frame->metrics;
    row_layout l = {.pad_x = ui_dp(m, PAD_X_DP), .pad_y = ui_dp(m, pad_dp)};
    l.inner_w = wide - 2 * l.pad_x;
    l.marker_w = marker_width(frame, row);
    l.chevron_w = row->locked ? 0 : ui_frame_line_px(frame, LABEL_DP) * 2 / 3;
    l.value_w = l.inner_w - (l.chevron_w ? l.chevron_w + l.pad_x / 2 : 0);
    int label_w = l.inner_w - (l.marker_w ? l.marker_w + l.pad_x / 2 : 0);
    l.label_h = ui_lines_h(frame, row->label, LABEL_DP, label_w, 4);
    const char *value = has(row->value) ? row->value : row->placeholder;
    l.value_h = ui_lines_h(frame, value ? value : "", VALUE_DP, l.value_w, 6);
    int mark_w = ui_frame_line_px(frame, PROBLEM_DP) * 3 / 5 + l.pad_x / 2;
    if (has(row->problem))
        l.problem_h = ui_lines_h(frame, row->problem, PROBLEM_DP, l.value_w - mark_w, 4);
    if (has(row->note))
        l.note_h = ui_lines_h(frame, row->note, NOTE_DP, l.value_w, 4);
    l.height = 2 * l.pad_y + l.label_h + l.value_h + l.problem_h + l.note_h;
    int least = ui_dp(m, frame->theme->min_target_dp + 8);
    l.height = l.height > least ? l.height : least;
    return l;
}

/* A row's height, for ui_fit_list. */
typedef struct rows_of {
    const ui_frame_model *frame;
    const ui_form_row *rows;
} rows_of;

static int row_height(const void *user, size_t index, int wide, float pad_dp)
{
    const rows_of *of = user;
    return measure(of->frame, &of->rows[index], wide, pad_dp).height;
}

/* A text of the row: wrapped, from the start, in the row's tone. */
static ui_widget *add_row(ui_widget *parent, const ui_frame_model *frame, const ui_form_row *row,
                          size_t index, SDL_Rect box, const row_layout *l)
{
    char id[UI_ID_MAX];
    snprintf(id, sizeof id, UI_ID_FORM_FIELD_FMT, index);
    /* Locked: flat on the page, as printed matter is; with a problem: a
     * thick alert border; else a tile to tap. */
    ui_tone tone = has(row->problem) ? UI_TONE_ALERT : row->locked ? UI_TONE_PLAIN : UI_TONE_TILE;
    ui_tone text_tone = row->locked && !has(row->problem) ? UI_TONE_PLAIN : UI_TONE_TILE;
    ui_widget *field =
        ui_row_create(parent, id, row->label ? row->label : "", box, tone,
                      row->locked ? UI_ACTION_NONE : UI_ACTION_EDIT_FIELD, (int)index);
    if (!field)
        return NULL;
    if (has(row->value) && !ui_widget_set_detail(field, row->value))
        return NULL;
    if (row->personal)
        field->flags |= UI_FLAG_PERSONAL_DETAIL;
    int x = box.x + l->pad_x, y = box.y + l->pad_y;
    int label_w = l->inner_w - (l->marker_w ? l->marker_w + l->pad_x / 2 : 0);

    snprintf(id, sizeof id, "form.label.%zu", index);
    if (!ui_wrapped_text_create(field, &ui_note_class, id, row->label ? row->label : "",
                                (SDL_Rect){x, y, label_w, l->label_h}, LABEL_DP, text_tone))
        return NULL;
    if (row->locked) {
        int side = ui_frame_line_px(frame, LABEL_DP) * 3 / 4;
        snprintf(id, sizeof id, "form.lock.%zu", index);
        if (!ui_lock_create(
                field, id,
                (SDL_Rect){x + l->inner_w - side, y + (l->label_h - side) / 2, side, side},
                text_tone))
            return NULL;
    } else if (row->required) {
        snprintf(id, sizeof id, "form.required.%zu", index);
        ui_widget *marker =
            ui_wrapped_text_create(field, &ui_note_class, id, ui_frame_text(frame, "form.required"),
                                   (SDL_Rect){x + l->inner_w - l->marker_w, y, l->marker_w,
                                              ui_frame_line_px(frame, LABEL_DP)},
                                   LABEL_DP, text_tone);
        if (!marker)
            return NULL;
        marker->align = UI_ALIGN_END;
    }
    y += l->label_h;

    /* The value; or, while there is none, what to do, in the colour of
     * things to tap where that differs from the values' (else the quieter
     * one). */
    bool empty = !has(row->value);
    snprintf(id, sizeof id, UI_ID_FORM_VALUE_FMT, index);
    const char *shown = empty ? (row->placeholder ? row->placeholder : "") : row->value;
    const ui_tone_colours *tones = frame->theme->tones;
    SDL_Color action = tones[UI_TONE_SECONDARY].text, plain = tones[text_tone].text;
    bool action_colour = action.r != plain.r || action.g != plain.g || action.b != plain.b;
    ui_widget *value =
        ui_wrapped_text_create(field, empty && !action_colour ? &ui_note_class : &ui_label_class,
                               id, shown, (SDL_Rect){x, y, l->value_w, l->value_h}, VALUE_DP,
                               empty && action_colour ? UI_TONE_SECONDARY : text_tone);
    if (!value)
        return NULL;
    if (row->personal && !empty)
        value->flags |= UI_FLAG_PERSONAL;
    if (row->ink && !empty) {
        int line = ui_frame_line_px(frame, VALUE_DP);
        snprintf(id, sizeof id, "form.signature.%zu", index);
        ui_widget *picture = ui_signature_thumbnail_create(
            field, id, (SDL_Rect){x + l->value_w - 3 * line, y, 3 * line, line}, row->ink);
        if (!picture)
            return NULL;
        picture->tone = text_tone;
    }
    if (l->chevron_w) {
        snprintf(id, sizeof id, "form.open.%zu", index);
        ui_widget *chevron = ui_widget_create(field, &chevron_class, id);
        if (!chevron)
            return NULL;
        int line = ui_frame_line_px(frame, VALUE_DP);
        chevron->bounds = (SDL_Rect){x + l->inner_w - l->chevron_w, y + (line - l->chevron_w) / 2,
                                     l->chevron_w, l->chevron_w};
        chevron->tone = text_tone;
    }
    y += l->value_h;
    if (has(row->problem)) {
        int line = ui_frame_line_px(frame, PROBLEM_DP), side = line * 3 / 5;
        snprintf(id, sizeof id, "form.problem.%zu.mark", index);
        ui_widget *mark = ui_widget_create(field, &alert_mark_class, id);
        if (!mark)
            return NULL;
        mark->bounds = (SDL_Rect){x, y + (line - side) / 2, side, side};
        snprintf(id, sizeof id, UI_ID_FORM_PROBLEM_FMT, index);
        int text_x = x + side + l->pad_x / 2;
        if (!ui_wrapped_text_create(field, &ui_label_class, id, row->problem,
                                    (SDL_Rect){text_x, y, x + l->value_w - text_x, l->problem_h},
                                    PROBLEM_DP, UI_TONE_ALERT))
            return NULL;
        y += l->problem_h;
    }
    if (has(row->note)) {
        snprintf(id, sizeof id, "form.note.%zu", index);
        if (!ui_wrapped_text_create(field, &ui_note_class, id, row->note,
                                    (SDL_Rect){x, y, l->value_w, l->note_h}, NOTE_DP, text_tone))
            return NULL;
    }
    return field;
}

kiosk_error ui_form_build(const ui_frame_model *frame, const ui_step_model *step,
                          const ui_form_model *model, ui_widget **out)
{
    ui_screen screen;
    if (!ui_step_begin(&screen, frame, step, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    ui_widget *root = screen.root;
    SDL_Rect content = screen.area;
    int gap = screen.gap;
    size_t count = model->row_count < UI_FORM_ROWS_MAX ? model->row_count : UI_FORM_ROWS_MAX;
    bool problems = false;
    for (size_t i = 0; i < count; i++)
        problems = problems || has(model->rows[i].problem);

    int y = content.y;
    if (has(model->intro)) {
        int h = ui_lines_h(frame, model->intro, INTRO_DP, content.w, 4);
        ui_widget *intro = ui_label_create(root, UI_ID_FORM_INTRO, model->intro,
                                           (SDL_Rect){content.x, y, content.w, h});
        if (!intro)
            goto fail;
        intro->wrap = true;
        intro->align = UI_ALIGN_START;
        intro->text_dp = INTRO_DP;
        /* While a field has a problem, the line above them says so (the app
         * puts how many there). */
        if (problems)
            intro->tone = UI_TONE_ALERT;
        y += h + gap / 2;
    }

    /* The fields one under the other (two abreast on a wide screen, each
     * pair as high as the taller), roomy when they all fit so; when they do
     * not fit at all they scroll, narrower by the scroll bar's room. */
    SDL_Rect room = {content.x, y, content.w, content.y + content.h - y};
    ui_fit_list list;
    rows_of of = {frame, model->rows};
    if (!ui_fit_list_begin(&list, root, UI_ID_FORM_FIELDS, room,
                           ui_frame_columns(frame, room.w, COLUMN_DP), gap, count, EASY_PAD_DP,
                           PAD_Y_DP, row_height, &of))
        goto fail;
    ui_widget *focus = NULL;
    for (size_t i = 0; i < count; i++) {
        row_layout l = measure(frame, &model->rows[i], list.row_w, list.pad_dp);
        ui_widget *row =
            add_row(list.parent, frame, &model->rows[i], i, ui_fit_list_box(&list, i), &l);
        if (!row)
            goto fail;
        if ((int)i == model->focus)
            focus = row;
    }
    ui_fit_list_end(&list, focus);
    return ui_screen_end(&screen, true, out);
fail:
    return ui_screen_end(&screen, false, out);
}
