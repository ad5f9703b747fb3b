/* Before submitting: what will be sent, as a list of label and value to
 * read down, the services a bundle does together, and a note (what happens
 * without the link) above the buttons. See ui_confirm_build. */
#include "ui/layout.h"
#include "ui/screens.h"
#include "ui/scroll_view.h"

#include "ui/draw.h"

#include <stdio.h>

#define GAP_DP     16
#define PAD_DP     20
#define INTRO_DP   26
#define LABEL_DP   24
#define VALUE_DP   28
#define HEADING_DP 28
#define ITEM_DP    26
#define NOTE_DP    24
#define COLUMN_DP  560 /* lines two abreast where each column is at least this wide */

static bool has(const char *text)
{
    return text && text[0];
}

/* A hairline between lines, in the tone's border colour. */
static void draw_rule(const ui_widget *widget, ui_context *context)
{
    ui_draw_fill(context->renderer, widget->bounds, context->theme->tones[widget->tone].border);
}

static const ui_widget_class rule_class = {
    .name = "rule", .role = UI_ROLE_GROUP, .draw = draw_rule};

/* A dot before each of the bundle's services. */
static void draw_dot(const ui_widget *widget, ui_context *context)
{
    ui_draw_fill_rounded(context->renderer, widget->bounds, widget->bounds.w / 2,
                         context->theme->tones[UI_TONE_PRIMARY].border);
}

static const ui_widget_class dot_class = {.name = "dot", .role = UI_ROLE_GROUP, .draw = draw_dot};

/* Where the summary's parts go, for a card of width wide. */
typedef struct summary_layout {
    int pad, inner_w, columns, column_w, column_gap, label_w, value_x, value_w;
    bool stacked; /* the label over its value, on a narrow screen */
} summary_layout;

static summary_layout plan(const ui_frame_model *frame, const ui_confirm_model *model, size_t lines,
                           int wide)
{
    const ui_metrics *m = &frame->metrics;
    int gap = ui_dp(m, GAP_DP);
    summary_layout l = {.pad = ui_dp(m, PAD_DP), .column_gap = 2 * gap};
    l.inner_w = wide - 2 * l.pad;
    /* On a wide screen the lines go two abreast, so that none is a long
     * way from label to value. */
    l.columns = ui_frame_columns(frame, l.inner_w, COLUMN_DP);
    l.column_w = (l.inner_w - (l.columns - 1) * l.column_gap) / l.columns;
    /* Label and value side by side: the labels as wide as the widest
     * wants, at most two fifths; on a narrow screen the value needs the
     * whole width (an ID number does not break), so the label goes over it. */
    l.stacked = ui_frame_is_narrow(frame);
    int px = ui_theme_text_px(frame->theme, m, LABEL_DP), widest = 0;
    for (size_t i = 0; i < lines; i++) {
        int w = ui_frame_estimate_width(model->lines[i].label, px);
        widest = w > widest ? w : widest;
    }
    l.label_w = l.stacked ? l.column_w : widest + gap;
    int most = l.column_w * 2 / 5;
    l.label_w = l.label_w < most || l.stacked ? l.label_w : most;
    l.value_x = l.stacked ? 0 : l.label_w + gap;
    l.value_w = l.column_w - l.value_x;
    return l;
}

static int line_height(const ui_frame_model *frame, const ui_summary_line *line,
                       const summary_layout *l, int *label_h, int *value_h)
{
    *label_h = ui_lines_h(frame, line->label ? line->label : "", LABEL_DP, l->label_w, 4);
    *value_h = ui_lines_h(frame, line->value ? line->value : "", VALUE_DP, l->value_w, 6);
    if (l->stacked)
        return *label_h + *value_h;
    int lift = (ui_frame_line_px(frame, VALUE_DP) - ui_frame_line_px(frame, LABEL_DP)) / 2;
    return *label_h + lift > *value_h ? *label_h + lift : *value_h;
}

/* The height of the lines from first that stand abreast: the tallest's. */
static int row_height(const ui_frame_model *frame, const ui_confirm_model *model, size_t first,
                      size_t lines, const summary_layout *l)
{
    int tallest = 0;
    for (size_t i = first; i < lines && i < first + (size_t)l->columns; i++) {
        int label_h, value_h;
        int h = line_height(frame, &model->lines[i], l, &label_h, &value_h);
        tallest = h > tallest ? h : tallest;
    }
    return tallest;
}

/* The card of lines, then the bundle's services, from y in parent; returns
 * the y under them, or -1 when out of memory. Measures only when parent is
 * NULL. */
static int add_summary(ui_widget *parent, const ui_frame_model *frame,
                       const ui_confirm_model *model, int x, int y, int wide)
{
    const ui_metrics *m = &frame->metrics;
    int gap = ui_dp(m, GAP_DP), rule_h = ui_dp(m, 1);
    size_t lines =
        model->line_count < UI_CONFIRM_LINES_MAX ? model->line_count : UI_CONFIRM_LINES_MAX;
    summary_layout l = plan(frame, model, lines, wide);
    size_t step = (size_t)l.columns;
    if (lines) {
        int card_h = gap - rule_h;
        for (size_t first = 0; first < lines; first += step)
            card_h += row_height(frame, model, first, lines, &l) + gap + rule_h;
        if (parent &&
            !ui_card_create(parent, "confirm.card", (SDL_Rect){x, y, wide, card_h}, UI_TONE_TILE))
            return -1;
        int line_y = y + gap / 2;
        for (size_t first = 0; first < lines && parent; first += step) {
            int h = row_height(frame, model, first, lines, &l);
            for (size_t i = first; i < lines && i < first + step; i++) {
                const ui_summary_line *line = &model->lines[i];
                int label_h, value_h;
                line_height(frame, line, &l, &label_h, &value_h);
                char id[UI_ID_MAX], label_id[UI_ID_MAX];
                snprintf(id, sizeof id, UI_ID_CONFIRM_LINE_FMT, i);
                snprintf(label_id, sizeof label_id, "confirm.line.%zu.label", i);
                int left = x + l.pad + (int)(i - first) * (l.column_w + l.column_gap);
                int value_y = l.stacked ? line_y + gap / 2 + label_h : line_y + gap / 2;
                /* Beside its value, the smaller label sits on the value's
                 * first line. */
                int label_y =
                    line_y + gap / 2 +
                    (l.stacked
                         ? 0
                         : (ui_frame_line_px(frame, VALUE_DP) - ui_frame_line_px(frame, LABEL_DP)) /
                               2);
                ui_widget *value = NULL;
                if (!ui_wrapped_text_create(parent, &ui_note_class, label_id, line->label,
                                            (SDL_Rect){left, label_y, l.label_w, label_h}, LABEL_DP,
                                            UI_TONE_TILE) ||
                    !(value = ui_wrapped_text_create(
                          parent, &ui_label_class, id, line->value,
                          (SDL_Rect){left + l.value_x, value_y, l.value_w, value_h}, VALUE_DP,
                          UI_TONE_TILE)))
                    return -1;
                if (line->personal)
                    value->flags |= UI_FLAG_PERSONAL;
            }
            line_y += h + gap;
            if (first + step < lines) {
                char id[UI_ID_MAX];
                snprintf(id, sizeof id, "confirm.rule.%zu", first / step);
                ui_widget *rule = ui_widget_create(parent, &rule_class, id);
                if (!rule)
                    return -1;
                rule->bounds = (SDL_Rect){x + l.pad, line_y, l.inner_w, rule_h};
                rule->tone = UI_TONE_FOOTER;
                line_y += rule_h;
            }
        }
        y += card_h + gap;
    }

    size_t items =
        model->item_count < UI_CONFIRM_ITEMS_MAX ? model->item_count : UI_CONFIRM_ITEMS_MAX;
    if (items && has(model->items_heading)) {
        int h = ui_lines_h(frame, model->items_heading, HEADING_DP, wide, 4);
        if (parent && !ui_wrapped_text_create(parent, &ui_heading_class, UI_ID_CONFIRM_ITEMS,
                                              model->items_heading, (SDL_Rect){x, y, wide, h},
                                              HEADING_DP, UI_TONE_PLAIN))
            return -1;
        y += h;
    }
    int line = ui_frame_line_px(frame, ITEM_DP), dot = ui_dp(m, 10);
    int text_x = x + dot + gap;
    for (size_t i = 0; i < items; i++) {
        const char *item = model->items[i] ? model->items[i] : "";
        int h = ui_frame_lines_for(frame, item, ITEM_DP, x + wide - text_x, 4) * line;
        if (parent) {
            char id[UI_ID_MAX];
            snprintf(id, sizeof id, UI_ID_CONFIRM_ITEM_FMT, i);
            if (!ui_wrapped_text_create(parent, &ui_label_class, id, item,
                                        (SDL_Rect){text_x, y, x + wide - text_x, h}, ITEM_DP,
                                        UI_TONE_PLAIN))
                return -1;
            snprintf(id, sizeof id, "confirm.item.%zu.dot", i);
            ui_widget *mark = ui_widget_create(parent, &dot_class, id);
            if (!mark)
                return -1;
            mark->bounds = (SDL_Rect){x + dot / 2, y + (line - dot) / 2, dot, dot};
        }
        y += h;
    }
    return y;
}

/* The intro from y in parent (NULL: measure only); returns the y under it. */
static int add_intro(ui_widget *parent, const ui_frame_model *frame, const ui_confirm_model *model,
                     int x, int y, int wide, bool *ok)
{
    if (!has(model->intro))
        return y;
    int h = ui_lines_h(frame, model->intro, INTRO_DP, wide, 4);
    if (parent &&
        !ui_wrapped_text_create(parent, &ui_label_class, UI_ID_CONFIRM_INTRO, model->intro,
                                (SDL_Rect){x, y, wide, h}, INTRO_DP, UI_TONE_PLAIN))
        *ok = false;
    return y + h + ui_dp(&frame->metrics, GAP_DP) / 2;
}

/* The note in a card of its tone from y in parent (NULL: measure only);
 * returns the y under it. */
static int add_note(ui_widget *parent, const ui_frame_model *frame, const ui_confirm_model *model,
                    int x, int y, int wide, bool *ok)
{
    if (!has(model->note))
        return y;
    int pad = ui_dp(&frame->metrics, PAD_DP), gap = ui_dp(&frame->metrics, GAP_DP);
    ui_tone tone = model->note_problem ? UI_TONE_ALERT : UI_TONE_TILE;
    int h = ui_lines_h(frame, model->note, NOTE_DP, wide - 2 * pad, 5);
    SDL_Rect card = {x, y, wide, h + gap};
    if (parent &&
        (!ui_card_create(parent, "confirm.note.card", card, tone) ||
         !ui_wrapped_text_create(parent, &ui_label_class, UI_ID_CONFIRM_NOTE, model->note,
                                 (SDL_Rect){card.x + pad, card.y + gap / 2, card.w - 2 * pad, h},
                                 NOTE_DP, tone)))
        *ok = false;
    return y + card.h + gap;
}

kiosk_error ui_confirm_build(const ui_frame_model *frame, const ui_step_model *step,
                             const ui_confirm_model *model, ui_widget **out)
{
    ui_screen screen;
    if (!ui_step_begin(&screen, frame, step, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    ui_widget *root = screen.root;
    SDL_Rect content = screen.area;
    int gap = screen.gap, bottom = screen.bottom;
    bool ok = true;
    /* The intro at the top and the note above the buttons, where they are
     * read before submitting, and what will be sent between them, scrolling
     * if it must. When they would leave it less than half the room (large
     * text on a small panel), all three scroll together, the note after the
     * intro. */
    int fixed_h = add_intro(NULL, frame, model, 0, 0, content.w, &ok) +
                  add_note(NULL, frame, model, 0, 0, content.w, &ok);
    if (fixed_h <= content.h / 2) {
        int y = add_intro(root, frame, model, content.x, content.y, content.w, &ok);
        int note_h = add_note(NULL, frame, model, 0, 0, content.w, &ok);
        add_note(root, frame, model, content.x, bottom - note_h + gap, content.w, &ok);
        if (!ok)
            goto fail;
        SDL_Rect room = {content.x, y, content.w, bottom - note_h - y};
        bool scrolls = add_summary(NULL, frame, model, room.x, room.y, room.w) > room.y + room.h;
        ui_widget *parent =
            scrolls ? ui_scroll_view_create(root, UI_ID_CONFIRM_SUMMARY, room) : root;
        if (!parent ||
            add_summary(parent, frame, model, room.x, room.y, scrolls ? room.w - gap : room.w) < 0)
            goto fail;
        if (scrolls)
            ui_scroll_view_update_extent(parent);
    } else {
        int wide = content.w - gap;
        ui_widget *view = ui_scroll_view_create(root, UI_ID_CONFIRM_SUMMARY, content);
        if (!view)
            goto fail;
        int y = add_intro(view, frame, model, content.x, content.y, wide, &ok);
        y = add_note(view, frame, model, content.x, y, wide, &ok);
        if (!ok || add_summary(view, frame, model, content.x, y, wide) < 0)
            goto fail;
        ui_scroll_view_update_extent(view);
    }
    return ui_screen_end(&screen, true, out);
fail:
    return ui_screen_end(&screen, false, out);
}
