/* Text typed on the on-screen keyboard: the field's label, the field with
 * its caret, what is wrong, the pinyin composed, a bar of large candidates
 * with 上一页 / 下一页, the modes offered, and the keys (or the pad) of the
 * mode shown. See ui_type_build. */
#include "ui/keyboard.h"
#include "ui/layout.h"

#include <stdio.h>
#include <string.h>

#define STEP_GAP_DP        16
#define MARGIN_DP          24 /* the step's margin (ui_step_begin) */
#define LABEL_DP           30
#define VALUE_DP           36
#define COMPACT_DP         30 /* the field's text short of room */
#define NOTE_DP            24
#define PROBLEM_DP         24
#define CANDIDATE_DP       38
#define PAGE_DP            26
#define KEY_DP             30
#define TIGHT_KEY_DP       24 /* short of room */
#define TIGHT_CANDIDATE_DP 30
#define BUTTON_PAD         12  /* a button's padding each side (ui_button_class) */
#define KEY_IDEAL_DP       100 /* a letter key's height at ease */
#define PAD_MOST_DP        600 /* the pad's side at most */
#define PAD_LEAST_DP       150 /* ... and at least (not grown with the text) */

static bool has(const char *text)
{
    return text && text[0];
}

/* On a landscape panel the field and the candidates stand left, the keys
 * right; else one under the other. */
static bool side_by_side(const ui_frame_model *frame)
{
    return frame->metrics.width_px > frame->metrics.height_px;
}

/* The candidate bar: as wide as the field's column, its page buttons at the
 * ends as wide as their words, the candidates between, each with room for
 * a two-character word. The same sums for the page size the app asks for
 * and for the bar drawn. */
static int bar_width(const ui_frame_model *frame)
{
    const ui_metrics *m = &frame->metrics;
    int w = m->width_px - 2 * ui_dp(m, MARGIN_DP);
    return side_by_side(frame) ? (w - ui_dp(m, STEP_GAP_DP)) / 2 : w;
}

static int at_least_target(const ui_frame_model *frame, int w)
{
    int least = ui_dp(&frame->metrics, frame->theme->min_target_dp + 2);
    return w > least ? w : least;
}

static int page_words_w(const ui_frame_model *frame, bool short_words)
{
    int px = ui_theme_text_px(frame->theme, &frame->metrics, PAGE_DP);
    const char *earlier = short_words ? "type.page.earlier.short" : "type.page.earlier";
    const char *later = short_words ? "type.page.later.short" : "type.page.later";
    int a = ui_frame_estimate_width(ui_frame_text(frame, earlier), px);
    int b = ui_frame_estimate_width(ui_frame_text(frame, later), px);
    return at_least_target(frame, (a > b ? a : b) + 2 * ui_dp(&frame->metrics, BUTTON_PAD + 4));
}

static int slot_least_w(const ui_frame_model *frame)
{
    int px = ui_theme_text_px(frame->theme, &frame->metrics, CANDIDATE_DP);
    return at_least_target(frame, 2 * px + 2 * ui_dp(&frame->metrics, BUTTON_PAD + 4));
}

static int bar_gap(const ui_frame_model *frame)
{
    return ui_dp(&frame->metrics, STEP_GAP_DP) / 2;
}

static int slots_beside(const ui_frame_model *frame, int page_w)
{
    int gap = bar_gap(frame);
    int room = bar_width(frame) - 2 * page_w - 2 * gap;
    return (room + gap) / (slot_least_w(frame) + gap);
}

/* 上页 / 下页 where 上一页 / 下一页 would leave room for fewer than three
 * candidates (large text on a small panel). */
static bool short_page_words(const ui_frame_model *frame)
{
    return slots_beside(frame, page_words_w(frame, false)) < 3;
}

static int page_button_w(const ui_frame_model *frame)
{
    return page_words_w(frame, short_page_words(frame));
}

size_t ui_type_page_size(const ui_frame_model *frame)
{
    int count = slots_beside(frame, page_button_w(frame));
    return count < 2 ? 2 : count > UI_TYPE_CANDIDATES_MAX ? UI_TYPE_CANDIDATES_MAX : (size_t)count;
}

/* The keys of a mode, row by row: letters as on a phone (QWERTY) where ten
 * keys a target wide fit across, else alphabetical, nine or seven a row,
 * which also suits those who never learnt QWERTY. */
typedef struct key_rows {
    const char *rows[5];
    int count, widest;
} key_rows;

static key_rows rows_for(ui_keyboard_mode mode, int width, int least, int gap)
{
    if (mode == UI_KEYBOARD_DIGITS)
        return (key_rows){{"12345", "67890"}, 2, 5};
    if (10 * least + 9 * gap <= width)
        return (key_rows){{"qwertyuiop", "asdfghjkl", "zxcvbnm"}, 3, 10};
    if (9 * least + 8 * gap <= width)
        return (key_rows){{"abcdefghi", "jklmnopqr", "stuvwxyz"}, 3, 9};
    return (key_rows){{"abcdefg", "hijklmn", "opqrst", "uvwxyz"}, 4, 7};
}

/* How the page is laid out: at ease, or where large text on a small panel
 * leaves too little room, giving way in turn: the label (the step's title
 * says it), the gaps, the field's and the bar's size, and last the keys'
 * height (never under the theme's target). */
typedef struct type_plan {
    bool side_by_side, label_in_title;
    bool modes_in_bar;     /* the modes stand in the candidates' row while there are none */
    bool line_in_progress; /* what is composed stands in the step's progress line */
    int label_h, field_h, field_dp, problem_h, note_h, bar_h, modes_h, key_h, gap, key_gap;
    float key_dp, candidate_dp; /* the keys' and the candidates' words */
    key_rows keys;
    SDL_Rect entry, keys_area; /* the columns: the same rectangle when one under the other */
} type_plan;

/* The entry column's height: label to the modes, with their gaps. */
static int entry_h(const type_plan *plan)
{
    return plan->label_h + (plan->label_h ? plan->gap / 2 : 0) + plan->field_h + plan->gap / 2 +
           (plan->problem_h ? plan->problem_h + plan->gap / 2 : 0) + plan->note_h + plan->gap / 2 +
           plan->bar_h + plan->gap + plan->modes_h;
}

static type_plan plan_type(const ui_screen *screen, const ui_type_model *model)
{
    const ui_frame_model *frame = screen->frame;
    SDL_Rect area = screen->area;
    int least = ui_dp(&frame->metrics, frame->theme->min_target_dp + 2);
    bool drawing = model->mode == UI_KEYBOARD_HANDWRITING;
    type_plan plan = {0};
    for (int level = 0; level <= 6; level++) {
        bool tight = level >= 2, squeezed = level >= 5;
        plan = (type_plan){.side_by_side = side_by_side(frame),
                           .label_in_title = level >= 1,
                           .modes_in_bar = level >= 3,
                           .line_in_progress = level >= 4};
        plan.gap = squeezed ? screen->gap / 4 : tight ? screen->gap / 2 : screen->gap;
        plan.key_gap = squeezed ? screen->gap / 6 : tight ? screen->gap / 4 : screen->gap / 2;
        plan.entry = plan.keys_area = area;
        if (plan.side_by_side) {
            plan.entry = ui_column(area, 2, screen->gap, 0);
            plan.keys_area = ui_column_rest(area, 2, screen->gap);
        }
        /* The keys at most a comfortable width, centred. */
        int most = ui_frame_text_dp(frame, 1000);
        if (plan.keys_area.w > most) {
            plan.keys_area.x += (plan.keys_area.w - most) / 2;
            plan.keys_area.w = most;
        }
        plan.keys = rows_for(model->mode, plan.keys_area.w, least, plan.key_gap);
        const char *label = model->label ? model->label : "";
        plan.label_h =
            plan.label_in_title ? 0 : ui_lines_h(frame, label, LABEL_DP, plan.entry.w, 2);
        plan.field_dp = tight ? COMPACT_DP : VALUE_DP;
        plan.field_h = ui_frame_line_px(frame, plan.field_dp) + (squeezed ? 0
                                                                 : tight  ? plan.gap
                                                                          : screen->gap);
        plan.problem_h = has(model->problem)
                             ? ui_lines_h(frame, model->problem, PROBLEM_DP, plan.entry.w, 2)
                             : 0;
        plan.note_h = plan.line_in_progress ? 0 : ui_frame_line_px(frame, NOTE_DP);
        plan.key_dp = tight ? TIGHT_KEY_DP : KEY_DP;
        plan.candidate_dp = tight ? TIGHT_CANDIDATE_DP : CANDIDATE_DP;
        plan.bar_h = squeezed ? ui_frame_line_px(frame, plan.candidate_dp)
                     : tight  ? ui_screen_button_h(screen, plan.candidate_dp)
                              : ui_screen_large_button_h(screen, plan.candidate_dp);
        plan.bar_h = plan.bar_h > least ? plan.bar_h : least;
        /* A key is never lower than its letter is drawn. */
        int key_least = ui_frame_line_px(frame, plan.key_dp);
        key_least = key_least > least ? key_least : least;
        int modes = ui_screen_button_h(screen, plan.key_dp);
        plan.modes_h = plan.modes_in_bar ? 0 : modes > least ? modes : least;
        int rows = drawing ? 1 : plan.keys.count + 1;
        int keys_room = plan.side_by_side ? plan.keys_area.h : area.h - entry_h(&plan) - plan.gap;
        if (drawing)
            keys_room -= ui_dp(&frame->metrics, PAD_LEAST_DP) + plan.key_gap;
        int fits = (keys_room - (rows - 1) * plan.key_gap) / rows;
        int ideal = ui_frame_text_dp(frame, KEY_IDEAL_DP);
        plan.key_h = fits < ideal ? fits : ideal;
        bool entry_fits = !plan.side_by_side || entry_h(&plan) <= area.h;
        if ((plan.key_h >= key_least && entry_fits) || level == 6) {
            plan.key_h = plan.key_h < key_least ? key_least : plan.key_h;
            break;
        }
    }
    return plan;
}

static ui_widget *add_button(ui_widget *parent, const char *id, const char *text, SDL_Rect box,
                             ui_action action, int arg, ui_tone tone, float dp)
{
    ui_widget *button = ui_button_create(parent, id, text, box, action, arg);
    if (button) {
        button->tone = tone;
        button->text_dp = dp;
    }
    return button;
}

static bool add_bar(ui_screen *screen, const ui_type_model *model, SDL_Rect bar, float dp)
{
    const ui_frame_model *frame = screen->frame;
    int gap = bar_gap(frame);
    int page_w = page_button_w(frame);
    bool short_words = short_page_words(frame);
    SDL_Rect earlier = {bar.x, bar.y, page_w, bar.h};
    SDL_Rect later = {bar.x + bar.w - page_w, bar.y, page_w, bar.h};
    ui_widget *back = add_button(
        screen->root, UI_ID_TYPE_EARLIER,
        ui_frame_text(frame, short_words ? "type.page.earlier.short" : "type.page.earlier"),
        earlier, UI_ACTION_PAGE, -1, UI_TONE_SECONDARY, PAGE_DP);
    ui_widget *on =
        add_button(screen->root, UI_ID_TYPE_LATER,
                   ui_frame_text(frame, short_words ? "type.page.later.short" : "type.page.later"),
                   later, UI_ACTION_PAGE, 1, UI_TONE_SECONDARY, PAGE_DP);
    if (!back || !on)
        return false;
    if (!model->earlier)
        back->flags |= UI_FLAG_HIDDEN;
    if (!model->later)
        on->flags |= UI_FLAG_HIDDEN;
    size_t slots = ui_type_page_size(frame);
    int room = bar.w - 2 * page_w - 2 * gap;
    int slot_w = (room - ((int)slots - 1) * gap) / (int)slots;
    size_t count = model->candidate_count < slots ? model->candidate_count : slots;
    for (size_t i = 0; i < count; i++) {
        char id[UI_ID_MAX];
        snprintf(id, sizeof id, UI_ID_TYPE_CANDIDATE, i);
        SDL_Rect box = {bar.x + page_w + gap + (int)i * (slot_w + gap), bar.y, slot_w, bar.h};
        /* The first is what the engine thinks most likely: it stands out. */
        if (!add_button(screen->root, id, model->candidates[i] ? model->candidates[i] : "", box,
                        UI_ACTION_CHOOSE, (int)i, i == 0 ? UI_TONE_PRIMARY : UI_TONE_TILE, dp))
            return false;
    }
    return true;
}

static bool add_modes(ui_screen *screen, const ui_type_model *model, SDL_Rect row, float dp)
{
    const ui_frame_model *frame = screen->frame;
    static const char *const keys[UI_KEYBOARD_MODE_COUNT] = {
        "type.mode.pinyin", "type.mode.handwriting", "type.mode.letters", "type.mode.digits"};
    int shown = 0;
    for (int i = 0; i < UI_KEYBOARD_MODE_COUNT; i++)
        shown += model->offered[i];
    int gap = screen->gap / 2, at = 0;
    for (int i = 0; i < UI_KEYBOARD_MODE_COUNT && shown > 0; i++) {
        if (!model->offered[i])
            continue;
        char id[UI_ID_MAX];
        snprintf(id, sizeof id, UI_ID_TYPE_MODE, ui_keyboard_mode_name((ui_keyboard_mode)i));
        bool current = (int)model->mode == i;
        ui_widget *button = add_button(
            screen->root, id, ui_frame_text(frame, keys[i]),
            at == shown - 1 ? ui_column_rest(row, shown, gap) : ui_column(row, shown, gap, at),
            UI_ACTION_INPUT_MODE, i, current ? UI_TONE_SELECTED : UI_TONE_SECONDARY, dp);
        if (!button)
            return false;
        if (current)
            button->flags |= UI_FLAG_CHECKED;
        at++;
    }
    return true;
}

static ui_widget *add_key(ui_screen *screen, const char *name, const char *text, SDL_Rect box,
                          int key, ui_tone tone, float dp)
{
    char id[UI_ID_MAX];
    snprintf(id, sizeof id, UI_ID_TYPE_KEY, name);
    ui_widget *button = ui_key_create(screen->root, id, text, box, UI_ACTION_KEY, key);
    if (button) {
        button->tone = tone;
        button->text_dp = dp;
    }
    return button;
}

/* The last row: what every mode has (space, delete, clear), and capitals
 * (ABC) or rewrite (the pad). */
static bool add_edit_row(ui_screen *screen, const ui_type_model *model, SDL_Rect row, int gap,
                         float dp)
{
    const ui_frame_model *frame = screen->frame;
    struct {
        const char *name, *key_text;
        int key;
    } keys[4];
    int count = 0;
    if (model->mode == UI_KEYBOARD_LETTERS)
        keys[count++] = (typeof(keys[0])){"capitals", "type.key.capitals", UI_KEY_CAPITALS};
    if (model->mode == UI_KEYBOARD_HANDWRITING)
        keys[count++] = (typeof(keys[0])){"rewrite", "type.key.rewrite", UI_KEY_REWRITE};
    keys[count++] = (typeof(keys[0])){"space", "type.key.space", ' '};
    keys[count++] = (typeof(keys[0])){"delete", "keypad.delete", UI_KEY_DELETE};
    keys[count++] = (typeof(keys[0])){"clear", "keypad.clear", UI_KEY_CLEAR};
    for (int i = 0; i < count; i++) {
        SDL_Rect box =
            i == count - 1 ? ui_column_rest(row, count, gap) : ui_column(row, count, gap, i);
        ui_widget *key = add_key(screen, keys[i].name, ui_frame_text(frame, keys[i].key_text), box,
                                 keys[i].key, UI_TONE_SECONDARY, dp);
        if (!key)
            return false;
        if (keys[i].key == UI_KEY_CAPITALS && model->capitals)
            key->flags |= UI_FLAG_CHECKED;
    }
    return true;
}

static bool add_keys(ui_screen *screen, const ui_type_model *model, const type_plan *plan,
                     SDL_Rect room)
{
    int gap = plan->key_gap;
    int key_w = (room.w - (plan->keys.widest - 1) * gap) / plan->keys.widest;
    int y = room.y;
    for (int r = 0; r < plan->keys.count; r++) {
        const char *letters = plan->keys.rows[r];
        int n = (int)strlen(letters);
        /* Shorter rows centred under the longest, as on a phone. */
        int x = room.x + (room.w - (n * key_w + (n - 1) * gap)) / 2;
        for (int i = 0; i < n; i++) {
            char name[2] = {letters[i], '\0'};
            int key = letters[i];
            if (model->mode == UI_KEYBOARD_LETTERS && model->capitals && key >= 'a' && key <= 'z')
                key = key - 'a' + 'A';
            char text[2] = {(char)key, '\0'};
            if (!add_key(screen, name, text,
                         (SDL_Rect){x + i * (key_w + gap), y, key_w, plan->key_h}, key,
                         UI_TONE_TILE, plan->key_dp))
                return false;
        }
        y += plan->key_h + gap;
    }
    return add_edit_row(screen, model, (SDL_Rect){room.x, y, room.w, plan->key_h}, gap,
                        plan->key_dp);
}

/* The pad's side: as large as the room under the modes leaves, at most
 * a comfortable size. */
static int pad_side(const ui_frame_model *frame, const type_plan *plan, SDL_Rect room)
{
    int pad_h = room.h - plan->key_h - plan->key_gap;
    int side = pad_h < room.w ? pad_h : room.w;
    int most = ui_frame_text_dp(frame, PAD_MOST_DP);
    return side < most ? side : most;
}

static bool add_pad(ui_screen *screen, const ui_type_model *model, const type_plan *plan,
                    SDL_Rect room)
{
    const ui_frame_model *frame = screen->frame;
    int side = pad_side(frame, plan, room);
    SDL_Rect box = {room.x + (room.w - side) / 2, room.y, side, side};
    if (!ui_pad_create(screen->root, UI_ID_TYPE_PAD, model->ink,
                       ui_frame_text(frame, "type.pad.hint"), box))
        return false;
    return add_edit_row(screen, model,
                        (SDL_Rect){room.x, room.y + side + plan->key_gap, room.w, plan->key_h},
                        plan->key_gap, plan->key_dp);
}

/* The keys' (or the pad's) height as laid out in room. */
static int keys_height(const ui_frame_model *frame, const ui_type_model *model,
                       const type_plan *plan, SDL_Rect room)
{
    if (model->mode == UI_KEYBOARD_HANDWRITING)
        return pad_side(frame, plan, room) + plan->key_gap + plan->key_h;
    int rows = plan->keys.count + 1;
    return rows * plan->key_h + (rows - 1) * plan->key_gap;
}

static bool build_type(ui_screen *screen, const ui_type_model *model)
{
    const ui_frame_model *frame = screen->frame;
    type_plan plan = plan_type(screen, model);
    SDL_Rect entry = plan.entry;
    ui_widget *root = screen->root;
    const char *label_text = model->label ? model->label : "";
    int y = entry.y;
    ui_widget *label = ui_heading_create(root, UI_ID_TYPE_LABEL, label_text,
                                         (SDL_Rect){entry.x, y, entry.w, plan.label_h});
    if (!label)
        return false;
    label->align = UI_ALIGN_START;
    label->wrap = true;
    label->text_dp = LABEL_DP;
    if (plan.label_in_title) {
        label->flags |= UI_FLAG_HIDDEN;
        ui_widget *title = ui_widget_find(root, UI_ID_STEP_TITLE);
        if (!title || !ui_widget_set_text(title, label_text))
            return false;
    } else {
        y += plan.label_h + plan.gap / 2;
    }
    ui_widget *field = ui_caret_field_create(root, UI_ID_TYPE_FIELD, model->typed, model->hint,
                                             (SDL_Rect){entry.x, y, entry.w, plan.field_h});
    if (!field)
        return false;
    field->text_dp = (float)plan.field_dp;
    field->flags |= UI_FLAG_PERSONAL;
    y += plan.field_h + plan.gap / 2;
    ui_widget *problem =
        ui_label_create(root, UI_ID_TYPE_PROBLEM, model->problem ? model->problem : "",
                        (SDL_Rect){entry.x, y, entry.w, plan.problem_h});
    if (!problem)
        return false;
    problem->tone = UI_TONE_ALERT;
    problem->align = UI_ALIGN_START;
    problem->wrap = true;
    problem->text_dp = PROBLEM_DP;
    if (!has(model->problem))
        problem->flags |= UI_FLAG_HIDDEN;
    else
        y += plan.problem_h + plan.gap / 2;

    /* One under the other, the keyboard stands at the foot of the page, by
     * the thumb and by 完成: what is composed, the candidates, the modes,
     * then the keys or the pad. Side by side, the keys fill their column
     * from its foot. */
    int bottom = entry.y + entry.h;
    int above_keys = plan.note_h + (plan.note_h ? plan.gap / 2 : 0) + plan.bar_h +
                     (plan.modes_in_bar ? 0 : plan.gap + plan.modes_h);
    SDL_Rect room = plan.keys_area;
    if (!plan.side_by_side) {
        room.y = y + above_keys + plan.gap;
        room.h = bottom - room.y;
        int top = bottom - keys_height(frame, model, &plan, room) - plan.gap - above_keys;
        y = top > y ? top : y;
    }

    /* The pinyin composed, or a note (pinyin getting ready). */
    const char *line = has(model->composition) ? model->composition : model->note;
    SDL_Rect line_box = {entry.x, y, entry.w, plan.note_h};
    ui_widget *composition =
        has(model->composition)
            ? ui_label_create(root, UI_ID_TYPE_COMPOSITION, model->composition, line_box)
            : ui_note_create(root, UI_ID_TYPE_COMPOSITION, line ? line : "", line_box);
    if (!composition)
        return false;
    composition->align = UI_ALIGN_START;
    composition->text_dp = NOTE_DP;
    if (!has(line) || plan.line_in_progress)
        composition->flags |= UI_FLAG_HIDDEN;
    if (has(line) && plan.line_in_progress) {
        /* Short of room it stands in the progress line, which it outranks
         * while the citizen types (as a field's problem does). */
        ui_widget *progress = ui_widget_find(root, UI_ID_STEP_PROGRESS);
        if (progress && !ui_widget_set_text(progress, line))
            return false;
    }
    y += plan.note_h + (plan.note_h ? plan.gap / 2 : 0);
    SDL_Rect bar = {entry.x, y, entry.w, plan.bar_h};
    if (plan.modes_in_bar) {
        /* Short of room: the modes in the candidates' row while there are
         * none (a word is chosen, or drawn again, before the mode changes). */
        bool candidates = model->candidate_count > 0;
        if (!(candidates ? add_bar(screen, model, bar, plan.candidate_dp)
                         : add_modes(screen, model, bar, plan.key_dp)))
            return false;
        y += plan.bar_h + plan.gap;
    } else {
        if (!add_bar(screen, model, bar, plan.candidate_dp))
            return false;
        y += plan.bar_h + plan.gap;
        if (!add_modes(screen, model, (SDL_Rect){entry.x, y, entry.w, plan.modes_h}, plan.key_dp))
            return false;
        y += plan.modes_h + plan.gap;
    }
    if (plan.side_by_side) {
        int keys_h = keys_height(frame, model, &plan, room);
        room.y = room.y + room.h - keys_h > room.y ? room.y + room.h - keys_h : room.y;
        room.h = keys_h;
    } else {
        room.y = y;
        room.h = bottom - y;
    }
    return model->mode == UI_KEYBOARD_HANDWRITING ? add_pad(screen, model, &plan, room)
                                                  : add_keys(screen, model, &plan, room);
}

kiosk_error ui_type_build(const ui_frame_model *frame, const ui_step_model *step,
                          const ui_type_model *model, ui_widget **out)
{
    ui_screen screen;
    if (!ui_step_begin(&screen, frame, step, STEP_GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    /* Back leaves the field as it was: 返回, not a step back. */
    ui_widget *back = ui_widget_find(screen.root, UI_ID_STEP_BACK);
    bool ok = !back || ui_widget_set_text(back, ui_frame_text(frame, "type.back"));
    ok = ok && build_type(&screen, model);
    return ui_screen_end(&screen, ok, out);
}
