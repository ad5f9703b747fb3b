/* The step screens of a service: one frame (title, where the citizen is in
 * the steps, back, cancel, next; help is in the footer) and the steps built
 * on it: identification by typed ID number, and the service's own page. */
#include "ui/input_widgets.h"
#include "ui/screens.h"

#include <stdio.h>

#define MARGIN_DP 24
#define GAP_DP    16

ui_widget *ui_step_frame_build(const ui_frame_model *frame, const ui_step_model *step,
                               SDL_Rect *content)
{
    const ui_metrics *m = &frame->metrics;
    SDL_Rect area;
    ui_widget *root = ui_frame_build(frame, &area);
    if (!root)
        return NULL;
    int margin = ui_dp(m, MARGIN_DP), gap = ui_dp(m, GAP_DP);
    int width = area.w - 2 * margin;
    int y = area.y + margin;

    /* Where am I: the title, "step 1 of 2", and the steps as a bar. */
    char number[16], total[16], progress[96];
    snprintf(number, sizeof number, "%d", step->step);
    snprintf(total, sizeof total, "%d", step->steps);
    const char *names[] = {"step", "steps"};
    const char *values[] = {number, total};
    ui_strings_fill(ui_frame_text(frame, "step.progress"), names, values, 2, progress,
                    sizeof progress);
    /* On a narrow screen the title is smaller and the progress and the step
     * buttons are sized as controls, to leave the step its room. */
    bool narrow = ui_frame_is_narrow(frame);
    float title_dp = narrow ? 32 : 40;
    int title_h = ui_frame_line_px(frame, title_dp);
    int progress_h =
        narrow ? ui_theme_chrome_text_px(frame->theme, m, 24) * 3 / 2 : ui_frame_line_px(frame, 24);
    ui_widget *title =
        ui_heading_create(root, "step.title", step->title, (SDL_Rect){margin, y, width, title_h});
    ui_widget *where = ui_label_create(root, "step.progress", progress,
                                       (SDL_Rect){margin, y + title_h, width, progress_h});
    if (!title || !where)
        goto fail;
    title->align = where->align = UI_ALIGN_START;
    title->text_dp = title_dp;
    where->text_dp = 24;
    where->chrome = narrow;
    y += title_h + progress_h;
    int bar_h = ui_dp(m, 8), segment = (width - (step->steps - 1) * gap) / step->steps;
    for (int i = 0; i < step->steps; i++) {
        char id[32];
        snprintf(id, sizeof id, "step.bar.%d", i + 1);
        ui_widget *piece =
            ui_panel_create(root, id, (SDL_Rect){margin + i * (segment + gap), y, segment, bar_h},
                            i < step->step ? UI_TONE_PRIMARY : UI_TONE_FOOTER);
        if (!piece)
            goto fail;
    }
    y += bar_h + margin;

    /* Back (or cancel, on the first step) and next, at the bottom. */
    int nav_h = (narrow ? ui_theme_chrome_text_px(frame->theme, m, 32) * 3 / 2
                        : ui_frame_line_px(frame, 32)) +
                gap;
    int min_h = ui_dp(m, frame->theme->min_target_dp + 8);
    nav_h = nav_h > min_h ? nav_h : min_h;
    int nav_y = area.y + area.h - margin - nav_h;
    int half = (width - gap) / 2;
    ui_widget *back =
        step->step > 1
            ? ui_button_create(root, "step.back", ui_frame_text(frame, "step.back"),
                               (SDL_Rect){margin, nav_y, half, nav_h}, UI_ACTION_BACK, 0)
            : ui_button_create(root, "step.cancel", ui_frame_text(frame, "step.cancel"),
                               (SDL_Rect){margin, nav_y, half, nav_h}, UI_ACTION_HOME, 0);
    if (!back)
        goto fail;
    back->chrome = narrow;
    if (step->next) {
        ui_widget *next = ui_button_create(
            root, "step.next", ui_frame_text(frame, step->next_key ? step->next_key : "step.next"),
            (SDL_Rect){margin + half + gap, nav_y, half, nav_h}, UI_ACTION_NEXT, 0);
        if (!next)
            goto fail;
        next->tone = UI_TONE_PRIMARY;
        next->chrome = narrow;
    }
    *content = (SDL_Rect){margin, y, width, nav_y - margin - y};
    return root;
fail:
    ui_widget_destroy(root);
    return NULL;
}

kiosk_error ui_identify_build(const ui_frame_model *frame, const ui_step_model *step,
                              const char *typed, const char *problem, ui_widget **out)
{
    const ui_metrics *m = &frame->metrics;
    SDL_Rect content;
    ui_widget *root = ui_step_frame_build(frame, step, &content);
    if (!root)
        return KIOSK_ERR_NO_MEMORY;
    int gap = ui_dp(m, GAP_DP);
    /* The field and what is wrong with it; the keypad below them, or beside
     * them on a landscape screen. */
    bool side_by_side = m->width_px > m->height_px;
    SDL_Rect entry = content, keys = content;
    if (side_by_side) {
        entry.w = keys.w = (content.w - gap) / 2;
        keys.x = entry.x + entry.w + gap;
    }
    int field_h = ui_frame_line_px(frame, 40) + 2 * gap;
    /* What is wrong takes two lines when there is room beside a keypad of
     * keys the theme's least target high; otherwise it stands in the step's
     * progress line, which it outranks. */
    int min_pad = 4 * ui_dp(m, frame->theme->min_target_dp + 4) + 3 * gap;
    int problem_h = 2 * ui_frame_line_px(frame, 24);
    bool problem_row = side_by_side || content.h - field_h - gap / 2 - problem_h >= min_pad;
    if (!problem_row)
        problem_h = 0;
    int y = entry.y;
    ui_widget *field =
        ui_text_field_create(root, "identify.field", typed, ui_frame_text(frame, "identify.title"),
                             (SDL_Rect){entry.x, y, entry.w, field_h});
    y += field_h + gap / 2;
    ui_widget *error = ui_label_create(root, "identify.problem", problem ? problem : "",
                                       (SDL_Rect){entry.x, y, entry.w, problem_h});
    y += problem_h;
    if (!side_by_side) {
        keys.y = y;
        keys.h = content.y + content.h - y;
    }
    /* At most a comfortable width, centred. */
    int pad_w = ui_frame_text_dp(frame, 640);
    pad_w = pad_w < keys.w ? pad_w : keys.w;
    int pad_h = 4 * ui_frame_text_dp(frame, 110) + 3 * gap;
    pad_h = pad_h < keys.h ? pad_h : keys.h;
    /* Centred in the room it has. */
    int pad_y = keys.y + (keys.h - pad_h) / 2;
    ui_widget *pad = ui_keypad_create(
        root, "keypad", (SDL_Rect){keys.x + (keys.w - pad_w) / 2, pad_y, pad_w, pad_h}, true,
        ui_frame_text(frame, "keypad.delete"), ui_frame_text(frame, "keypad.clear"), gap);
    if (!field || !error || !pad) {
        ui_widget_destroy(root);
        return KIOSK_ERR_NO_MEMORY;
    }
    error->align = UI_ALIGN_START;
    error->wrap = true;
    error->tone = UI_TONE_ALERT;
    error->text_dp = 24;
    if (!problem || !problem_row)
        error->flags |= UI_FLAG_HIDDEN;
    ui_widget *where = ui_widget_find(root, "step.progress");
    if (problem && !problem_row && where && ui_widget_set_text(where, problem))
        where->tone = UI_TONE_ALERT;
    *out = root;
    return KIOSK_OK;
}

kiosk_error ui_service_step_build(const ui_frame_model *frame, const ui_step_model *step,
                                  const char *body, const char *hint, ui_widget **out)
{
    const ui_metrics *m = &frame->metrics;
    SDL_Rect content;
    ui_widget *root = ui_step_frame_build(frame, step, &content);
    if (!root)
        return KIOSK_ERR_NO_MEMORY;
    int gap = ui_dp(m, GAP_DP);
    int hint_h = 2 * ui_frame_line_px(frame, 22);
    int body_h = content.h - hint_h - gap;
    /* The hint about the time-out gives way first when space is short. */
    bool show_hint = body_h >= 3 * ui_frame_line_px(frame, 30);
    if (!show_hint)
        body_h += hint_h + gap;
    int body_max = 6 * ui_frame_line_px(frame, 30);
    body_h = body_h < body_max ? body_h : body_max;
    ui_widget *text = ui_label_create(root, "placeholder.body", body,
                                      (SDL_Rect){content.x, content.y, content.w, body_h});
    ui_widget *idle = ui_label_create(
        root, "placeholder.idle", hint,
        (SDL_Rect){content.x, content.y + body_h + gap, content.w, show_hint ? hint_h : 0});
    if (!text || !idle) {
        ui_widget_destroy(root);
        return KIOSK_ERR_NO_MEMORY;
    }
    text->wrap = idle->wrap = true;
    if (!show_hint)
        idle->flags |= UI_FLAG_HIDDEN;
    text->text_dp = 30;
    idle->text_dp = 22;
    *out = root;
    return KIOSK_OK;
}
