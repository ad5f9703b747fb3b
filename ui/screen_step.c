/* The step screens of a service: one frame (title, where the citizen is in
 * the steps, back, cancel, next; help is in the footer) and the steps built
 * on it: identification by typed ID number. */
#include "ui/icons.h"
#include "ui/input_widgets.h"
#include "ui/layout.h"
#include "ui/screens.h"

#include <stdio.h>

#define MARGIN_DP 24
#define GAP_DP    16

/* Cancel in the step's header: as wide as its words want (a third of the
 * header at most), never under the theme's least target. */
static ui_widget *add_header_cancel(ui_widget *root, const ui_frame_model *frame, bool narrow,
                                    SDL_Rect header)
{
    const ui_metrics *m = &frame->metrics;
    const char *text = ui_frame_text(frame, "step.cancel");
    int text_px = narrow ? ui_theme_chrome_text_px(frame->theme, m, frame->theme->button_dp)
                         : ui_theme_text_px(frame->theme, m, frame->theme->button_dp);
    int min_side = ui_dp(m, frame->theme->min_target_dp + 8);
    int w =
        ui_frame_estimate_width(text, text_px) + ui_icon_room_px(text_px) + ui_dp(m, 2 * 12 + 16);
    w = w > min_side ? w : min_side;
    w = w < header.w / 3 ? w : header.w / 3;
    int h = text_px * 3 / 2 + ui_dp(m, GAP_DP);
    h = h > min_side ? h : min_side;
    h = h < header.h ? h : header.h;
    ui_widget *cancel =
        ui_button_create(root, UI_ID_STEP_CANCEL, text,
                         (SDL_Rect){header.x + header.w - w, header.y + (header.h - h) / 2, w, h},
                         UI_ACTION_CANCEL, 0);
    if (cancel)
        cancel->chrome = narrow;
    if (cancel && !ui_button_set_icon_for(cancel, "step.cancel"))
        return NULL;
    return cancel;
}

/* The step's header and buttons in screen's frame; the step's room
 * between them becomes the area. False when out of memory. */
static bool add_step_frame(ui_screen *screen, const ui_step_model *step)
{
    const ui_frame_model *frame = screen->frame;
    const ui_metrics *m = &frame->metrics;
    ui_widget *root = screen->root;
    int margin = screen->margin, gap = screen->gap;
    int width = screen->area.w;
    int y = screen->area.y;

    /* Where am I: the title, "step 1 of 2", and the steps as a bar. */
    char number[16], total[16], progress[96];
    snprintf(number, sizeof number, "%d", step->step);
    snprintf(total, sizeof total, "%d", step->steps);
    const char *names[] = {"step", "steps"};
    const char *values[] = {number, total};
    ui_strings_fill(ui_frame_text(frame, "step.progress"), names, values, 2, progress,
                    sizeof progress);
    /* On a narrow screen the title, the progress and the step buttons are
     * sized as controls, to leave the step its room. */
    bool narrow = ui_frame_is_narrow(frame);
    float title_dp = narrow ? 32 : 40;
    int title_h = narrow ? ui_theme_chrome_text_px(frame->theme, m, title_dp) * 3 / 2
                         : ui_frame_line_px(frame, title_dp);
    int progress_h =
        narrow ? ui_theme_chrome_text_px(frame->theme, m, 24) * 3 / 2 : ui_frame_line_px(frame, 24);
    /* After the first step, cancel stands at the header's end (on the first
     * it is where back would be). A title too long for what is left beside
     * it takes a second line rather than going under the legal size. */
    int header_w = width;
    if (step->step > 1) {
        ui_widget *cancel = add_header_cancel(root, frame, narrow,
                                              (SDL_Rect){margin, y, width, title_h + progress_h});
        if (!cancel)
            return false;
        header_w = cancel->bounds.x - gap - margin;
    }
    int floor_px =
        narrow ? ui_theme_chrome_text_px(frame->theme, m, 0) : ui_theme_text_px(frame->theme, m, 0);
    bool two_lines = ui_frame_estimate_width(step->title, floor_px) > header_w;
    if (two_lines)
        title_h *= 2;
    ui_widget *title = ui_heading_create(root, UI_ID_STEP_TITLE, step->title,
                                         (SDL_Rect){margin, y, header_w, title_h});
    ui_widget *where = ui_label_create(root, UI_ID_STEP_PROGRESS, progress,
                                       (SDL_Rect){margin, y + title_h, header_w, progress_h});
    if (!title || !where)
        return false;
    title->align = where->align = UI_ALIGN_START;
    title->text_dp = title_dp;
    title->wrap = two_lines;
    title->chrome = narrow;
    where->text_dp = 24;
    where->chrome = narrow;
    y += title_h + progress_h;
    int bar_h = ui_dp(m, 8);
    for (int i = 0; i < step->steps; i++) {
        char id[32];
        snprintf(id, sizeof id, UI_ID_STEP_BAR_FMT, i + 1);
        ui_widget *piece = ui_panel_create(
            root, id, ui_column((SDL_Rect){margin, y, width, bar_h}, step->steps, gap, i),
            i < step->step ? UI_TONE_PRIMARY : UI_TONE_FOOTER);
        if (!piece)
            return false;
    }
    y += bar_h + margin;

    /* Back (or cancel, on the first step) and next, at the bottom. */
    int nav_h = (narrow ? ui_theme_chrome_text_px(frame->theme, m, 32) * 3 / 2
                        : ui_frame_line_px(frame, 32)) +
                gap;
    int min_h = ui_screen_target_h(screen);
    nav_h = nav_h > min_h ? nav_h : min_h;
    SDL_Rect nav = ui_screen_foot(screen, nav_h);
    /* Halves, or, where the words and pictogram of one do not fit in
     * half (输入身份证号码 on a small screen), as each wants. */
    const char *back_key = step->step > 1 ? "step.back" : "step.cancel";
    const char *next_key = step->next_key ? step->next_key : "step.next";
    const char *back_text = ui_frame_text(frame, back_key),
               *next_text = ui_frame_text(frame, next_key);
    SDL_Rect back_box = ui_column(nav, 2, gap, 0), next_box = ui_column(nav, 2, gap, 1);
    if (step->next)
        ui_icon_button_row(
            nav, gap, ui_icon_button_want_px(frame, back_text, frame->theme->button_dp, narrow),
            ui_icon_button_want_px(frame, next_text, frame->theme->button_dp, narrow), &back_box,
            &next_box);
    ui_widget *back =
        ui_button_create(root, step->step > 1 ? UI_ID_STEP_BACK : UI_ID_STEP_CANCEL, back_text,
                         back_box, step->step > 1 ? UI_ACTION_BACK : UI_ACTION_CANCEL, 0);
    if (!back || !ui_button_set_icon_for(back, back_key))
        return false;
    back->chrome = narrow;
    if (step->next) {
        ui_widget *next =
            ui_button_create(root, UI_ID_STEP_NEXT, next_text, next_box, UI_ACTION_NEXT, 0);
        if (!next || !ui_button_set_icon_for(next, next_key))
            return false;
        next->tone = UI_TONE_PRIMARY;
        next->chrome = narrow;
    }
    screen->area = (SDL_Rect){margin, y, width, nav.y - margin - y};
    return true;
}

bool ui_step_begin(ui_screen *screen, const ui_frame_model *frame, const ui_step_model *step,
                   float gap_dp)
{
    ui_widget *unused;
    if (!ui_screen_begin(screen, frame, MARGIN_DP, GAP_DP))
        return false;
    if (!add_step_frame(screen, step))
        return ui_screen_end(screen, false, &unused) == KIOSK_OK;
    screen->gap = ui_dp(&frame->metrics, gap_dp);
    screen->y = screen->area.y;
    screen->bottom = screen->area.y + screen->area.h;
    return true;
}

kiosk_error ui_identify_build(const ui_frame_model *frame, const ui_step_model *step,
                              const char *typed, const char *problem, ui_widget **out)
{
    const ui_metrics *m = &frame->metrics;
    ui_screen screen;
    if (!ui_step_begin(&screen, frame, step, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    ui_widget *root = screen.root;
    SDL_Rect content = screen.area;
    int gap = screen.gap;
    /* The field and what is wrong with it; the keypad below them, or beside
     * them on a landscape screen. */
    bool side_by_side = m->width_px > m->height_px;
    SDL_Rect entry = content, keys = content;
    if (side_by_side) {
        entry = ui_column(content, 2, gap, 0);
        keys = ui_column(content, 2, gap, 1);
    }
    int field_h = ui_frame_line_px(frame, 40) + 2 * gap;
    /* What is wrong takes two lines when there is room beside a keypad of
     * keys the theme's least target high; otherwise it stands in the step's
     * progress line, which it outranks. */
    int min_pad = 4 * ui_dp(m, frame->theme->min_target_dp + 4) + 3 * gap;
    int problem_h = 2 * ui_frame_line_px(frame, 24);
    bool problem_row = side_by_side || content.h - field_h - gap / 2 - problem_h >= min_pad;
    /* Short of that room, before the progress line: the keys at the least
     * target and closer, the field a size smaller and what is wrong at the
     * legal least size (sized as a control), in the lines it needs. */
    int key_gap = gap;
    bool small_problem = false;
    if (!problem_row && problem) {
        int small_px = ui_theme_chrome_text_px(frame->theme, m, 24);
        int small_h = ui_frame_lines_at(problem, small_px, entry.w, 3) * small_px * 3 / 2;
        int tight_field = ui_frame_line_px(frame, 32);
        for (int spacing = 2; spacing <= 4 && !problem_row; spacing += 2) {
            int tight_pad = 4 * ui_dp(m, frame->theme->min_target_dp + 0.5f) + 3 * (gap / spacing);
            if (content.h - tight_field - gap / 4 - small_h >= tight_pad) {
                problem_row = small_problem = true;
                problem_h = small_h;
                field_h = tight_field;
                key_gap = gap / spacing;
            }
        }
    }
    if (!problem_row)
        problem_h = 0;
    int y = entry.y;
    ui_widget *field = ui_text_field_create(root, UI_ID_IDENTIFY_FIELD, typed,
                                            ui_frame_text(frame, "identify.title"),
                                            (SDL_Rect){entry.x, y, entry.w, field_h});
    if (field)
        field->flags |= UI_FLAG_PERSONAL;
    if (field && small_problem)
        field->text_dp = 32;
    y += field_h + (small_problem ? gap / 4 : gap / 2);
    ui_widget *error = ui_label_create(root, UI_ID_IDENTIFY_PROBLEM, problem ? problem : "",
                                       (SDL_Rect){entry.x, y, entry.w, problem_h});
    y += problem_h;
    if (!side_by_side) {
        keys.y = y;
        keys.h = content.y + content.h - y;
    }
    /* At most a comfortable width, centred. */
    int pad_w = ui_frame_text_dp(frame, 640);
    pad_w = pad_w < keys.w ? pad_w : keys.w;
    int pad_h = 4 * ui_frame_text_dp(frame, 110) + 3 * key_gap;
    pad_h = pad_h < keys.h ? pad_h : keys.h;
    /* Centred in the room it has. */
    int pad_y = keys.y + (keys.h - pad_h) / 2;
    ui_widget *pad = ui_keypad_create(
        root, UI_ID_KEYPAD, (SDL_Rect){keys.x + (keys.w - pad_w) / 2, pad_y, pad_w, pad_h}, true,
        ui_frame_text(frame, "keypad.delete"), ui_frame_text(frame, "keypad.clear"), key_gap);
    if (!field || !error || !pad)
        return ui_screen_end(&screen, false, out);
    error->align = UI_ALIGN_START;
    error->wrap = true;
    error->tone = UI_TONE_ALERT;
    error->text_dp = 24;
    error->chrome = small_problem;
    if (!problem || !problem_row)
        error->flags |= UI_FLAG_HIDDEN;
    ui_widget *where = ui_widget_find(root, UI_ID_STEP_PROGRESS);
    if (problem && !problem_row && where && ui_widget_set_text(where, problem))
        where->tone = UI_TONE_ALERT;
    return ui_screen_end(&screen, true, out);
}
