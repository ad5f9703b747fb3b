/* Text typed on the on-screen keyboard: the field's label, the field with
 * its caret, what is wrong, the pinyin composed, a bar of large candidates
 * with 上一页 / 下一页, the modes offered, and the keys (or the pad) of the
 * mode shown. See ui_type_build. */
#include "ui/keyboard.h"
#include "ui/layout.h"

#include <stdio.h>
#include <string.h>

#define STEP_GAP_DP    16
#define LABEL_DP       30
#define VALUE_DP       36
#define NOTE_DP        24
#define PROBLEM_DP     24
#define CANDIDATE_DP   38
#define KEY_DP         30
#define SLOT_DP        110 /* a candidate's room, grown with the theme's text */
#define PAGE_BUTTON_DP 110
#define KEY_IDEAL_DP   100 /* a letter key's height at ease */
#define PAD_MOST_DP    600 /* the pad's side at most */

static bool has(const char *text)
{
    return text && text[0];
}

/* The candidate bar across the screen's width: its page buttons at the
 * ends, the candidates between. The same sums for the page size the app
 * asks for and for the bar drawn. */
static int bar_width(const ui_frame_model *frame)
{
    return frame->metrics.width_px - 2 * ui_dp(&frame->metrics, 24);
}

size_t ui_type_page_size(const ui_frame_model *frame)
{
    int page_w = ui_frame_text_dp(frame, PAGE_BUTTON_DP);
    int slot_w = ui_frame_text_dp(frame, SLOT_DP);
    int room = bar_width(frame) - 2 * page_w;
    int count = slot_w > 0 ? room / slot_w : 0;
    return count < 3 ? 3 : count > UI_TYPE_CANDIDATES_MAX ? UI_TYPE_CANDIDATES_MAX : (size_t)count;
}

/* The keys of a mode, row by row: letters as on a phone (QWERTY) where ten
 * keys a target wide fit across, else alphabetical, seven a row, which
 * also suits those who never learnt QWERTY. */
typedef struct key_rows {
    const char *rows[5];
    int count, widest;
} key_rows;

static key_rows rows_for(ui_keyboard_mode mode, int width, int least, int gap)
{
    if (mode == UI_KEYBOARD_DIGITS)
        return (key_rows){{"12345", "67890"}, 2, 5};
    if (10 * least + 9 * (gap / 2) <= width)
        return (key_rows){{"qwertyuiop", "asdfghjkl", "zxcvbnm"}, 3, 10};
    return (key_rows){{"abcdefg", "hijklmn", "opqrst", "uvwxyz"}, 4, 7};
}

/* How the page is laid out: at ease, or where large text on a small panel
 * leaves too little room, giving way in turn: the label (the step's title
 * says it), the gaps, the keys' height (never under the theme's target). */
typedef struct type_plan {
    bool label_in_title;
    int label_h, field_h, problem_h, note_h, bar_h, modes_h, key_h, gap;
    key_rows keys;
} type_plan;

static type_plan plan_type(const ui_screen *screen, const ui_type_model *model)
{
    const ui_frame_model *frame = screen->frame;
    const ui_metrics *m = &frame->metrics;
    SDL_Rect area = screen->area;
    int least = ui_dp(m, frame->theme->min_target_dp + 2);
    type_plan plan = {0};
    for (int level = 0; level <= 3; level++) {
        plan = (type_plan){.label_in_title = level >= 1};
        plan.gap = level >= 2 ? screen->gap / 2 : screen->gap;
        plan.keys = rows_for(model->mode, area.w, least, plan.gap);
        plan.label_h = plan.label_in_title ? 0
                                           : ui_lines_h(frame, model->label ? model->label : "",
                                                        LABEL_DP, area.w, 2);
        plan.field_h = ui_frame_line_px(frame, VALUE_DP) + screen->gap;
        plan.problem_h =
            has(model->problem) ? ui_lines_h(frame, model->problem, PROBLEM_DP, area.w, 2) : 0;
        plan.note_h = ui_frame_line_px(frame, NOTE_DP);
        plan.bar_h = ui_screen_large_button_h(screen, CANDIDATE_DP);
        plan.modes_h =
            least > ui_screen_button_h(screen, KEY_DP) ? least : ui_screen_button_h(screen, KEY_DP);
        int rows = (model->mode == UI_KEYBOARD_HANDWRITING ? 0 : plan.keys.count) + 1;
        int fixed = plan.label_h + plan.field_h + plan.problem_h + plan.note_h + plan.bar_h +
                    plan.modes_h + 6 * plan.gap;
        int ideal = ui_frame_text_dp(frame, KEY_IDEAL_DP);
        int key_gap = plan.gap / 2;
        int room = area.h - fixed - (rows - 1) * key_gap;
        if (model->mode == UI_KEYBOARD_HANDWRITING)
            room -= ui_frame_text_dp(frame, 240); /* the pad's least */
        int fits = rows > 0 ? room / rows : least;
        plan.key_h = fits > ideal ? ideal : fits;
        if (plan.key_h >= least || level == 3) {
            plan.key_h = plan.key_h < least ? least : plan.key_h;
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

static bool add_bar(ui_screen *screen, const ui_type_model *model, SDL_Rect bar)
{
    const ui_frame_model *frame = screen->frame;
    int gap = screen->gap / 2;
    int page_w = ui_frame_text_dp(frame, PAGE_BUTTON_DP);
    SDL_Rect earlier = {bar.x, bar.y, page_w, bar.h};
    SDL_Rect later = {bar.x + bar.w - page_w, bar.y, page_w, bar.h};
    ui_widget *back =
        add_button(screen->root, UI_ID_TYPE_EARLIER, ui_frame_text(frame, "type.page.earlier"),
                   earlier, UI_ACTION_PAGE, -1, UI_TONE_SECONDARY, 26);
    ui_widget *on =
        add_button(screen->root, UI_ID_TYPE_LATER, ui_frame_text(frame, "type.page.later"), later,
                   UI_ACTION_PAGE, 1, UI_TONE_SECONDARY, 26);
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
                        UI_ACTION_CHOOSE, (int)i, i == 0 ? UI_TONE_PRIMARY : UI_TONE_TILE,
                        CANDIDATE_DP))
            return false;
    }
    return true;
}

static bool add_modes(ui_screen *screen, const ui_type_model *model, SDL_Rect row)
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
            UI_ACTION_INPUT_MODE, i, current ? UI_TONE_SELECTED : UI_TONE_SECONDARY, KEY_DP);
        if (!button)
            return false;
        if (current)
            button->flags |= UI_FLAG_CHECKED;
        at++;
    }
    return true;
}

static ui_widget *add_key(ui_screen *screen, const char *name, const char *text, SDL_Rect box,
                          int key, ui_tone tone)
{
    char id[UI_ID_MAX];
    snprintf(id, sizeof id, UI_ID_TYPE_KEY, name);
    return add_button(screen->root, id, text, box, UI_ACTION_KEY, key, tone, KEY_DP);
}

/* The last row: what every mode has (space, delete, clear), and capitals
 * (ABC) or rewrite (the pad). */
static bool add_edit_row(ui_screen *screen, const ui_type_model *model, SDL_Rect row, int gap)
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
                                 keys[i].key, UI_TONE_SECONDARY);
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
    int gap = plan->gap / 2;
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
                         UI_TONE_TILE))
                return false;
        }
        y += plan->key_h + gap;
    }
    return add_edit_row(screen, model, (SDL_Rect){room.x, y, room.w, plan->key_h}, gap);
}

/* The pad's side: as large as the room under the modes leaves, at most
 * a comfortable size. */
static int pad_side(const ui_frame_model *frame, const type_plan *plan, SDL_Rect room)
{
    int pad_h = room.h - plan->key_h - plan->gap / 2;
    int side = pad_h < room.w ? pad_h : room.w;
    int most = ui_frame_text_dp(frame, PAD_MOST_DP);
    return side < most ? side : most;
}

static bool add_pad(ui_screen *screen, const ui_type_model *model, const type_plan *plan,
                    SDL_Rect room)
{
    const ui_frame_model *frame = screen->frame;
    int gap = plan->gap / 2;
    int side = pad_side(frame, plan, room);
    SDL_Rect box = {room.x + (room.w - side) / 2, room.y, side, side};
    if (!ui_pad_create(screen->root, UI_ID_TYPE_PAD, model->ink,
                       ui_frame_text(frame, "type.pad.hint"), box))
        return false;
    return add_edit_row(screen, model, (SDL_Rect){room.x, room.y + side + gap, room.w, plan->key_h},
                        gap);
}

static bool build_type(ui_screen *screen, const ui_type_model *model)
{
    const ui_frame_model *frame = screen->frame;
    SDL_Rect area = screen->area;
    type_plan plan = plan_type(screen, model);
    ui_widget *root = screen->root;
    const char *label_text = model->label ? model->label : "";
    int y = area.y;
    ui_widget *label = ui_heading_create(root, UI_ID_TYPE_LABEL, label_text,
                                         (SDL_Rect){area.x, y, area.w, plan.label_h});
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
                                             (SDL_Rect){area.x, y, area.w, plan.field_h});
    if (!field)
        return false;
    field->text_dp = VALUE_DP;
    y += plan.field_h + plan.gap / 2;
    ui_widget *problem =
        ui_label_create(root, UI_ID_TYPE_PROBLEM, model->problem ? model->problem : "",
                        (SDL_Rect){area.x, y, area.w, plan.problem_h});
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

    /* The keyboard stands at the foot of the page, by the thumb and by 完成:
     * what is composed, the candidates, the modes, then the keys or the
     * pad. The keys at most a comfortable width, centred (a landscape
     * panel). */
    int most = ui_frame_text_dp(frame, 1000);
    int keys_w = area.w < most ? area.w : most;
    int bottom = area.y + area.h;
    int above_keys = plan.note_h + plan.gap / 2 + plan.bar_h + plan.gap + plan.modes_h + plan.gap;
    SDL_Rect room = {area.x + (area.w - keys_w) / 2, y + above_keys, keys_w,
                     bottom - y - above_keys};
    int keys_h;
    if (model->mode == UI_KEYBOARD_HANDWRITING) {
        keys_h = pad_side(frame, &plan, room) + plan.gap / 2 + plan.key_h;
    } else {
        int rows = plan.keys.count + 1;
        keys_h = rows * plan.key_h + (rows - 1) * (plan.gap / 2);
    }
    int top = bottom - keys_h - above_keys;
    y = top > y ? top : y;

    /* The pinyin composed, or a note (pinyin getting ready). */
    const char *line = has(model->composition) ? model->composition : model->note;
    SDL_Rect line_box = {area.x, y, area.w, plan.note_h};
    ui_widget *composition =
        has(model->composition)
            ? ui_label_create(root, UI_ID_TYPE_COMPOSITION, model->composition, line_box)
            : ui_note_create(root, UI_ID_TYPE_COMPOSITION, line ? line : "", line_box);
    if (!composition)
        return false;
    composition->align = UI_ALIGN_START;
    composition->text_dp = NOTE_DP;
    if (!has(line))
        composition->flags |= UI_FLAG_HIDDEN;
    y += plan.note_h + plan.gap / 2;
    if (!add_bar(screen, model, (SDL_Rect){area.x, y, area.w, plan.bar_h}))
        return false;
    y += plan.bar_h + plan.gap;
    if (!add_modes(screen, model, (SDL_Rect){area.x, y, area.w, plan.modes_h}))
        return false;
    y += plan.modes_h + plan.gap;
    room.y = y;
    room.h = bottom - y;
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
