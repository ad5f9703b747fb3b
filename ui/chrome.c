/* The frame shared by every screen: title bar and footer. */
#include "ui/screens.h"

#include <stdio.h>

#define TITLE_BAR_DP  96
#define FOOTER_ROW_DP 112
#define MARGIN_DP     24
#define GAP_DP        16
/* Below this width the language buttons get a footer row of their own. */
#define ONE_ROW_FOOTER_MIN_DP 900

void ui_clock_format(const ui_strings *strings, lang language, const struct tm *when, char *out,
                     size_t out_size)
{
    char year[16], month[16], day[16], hour[16], minute[16], weekday_key[32];
    snprintf(year, sizeof year, "%d", when->tm_year + 1900);
    snprintf(month, sizeof month, "%d", when->tm_mon + 1);
    snprintf(day, sizeof day, "%d", when->tm_mday);
    snprintf(hour, sizeof hour, "%02d", when->tm_hour);
    snprintf(minute, sizeof minute, "%02d", when->tm_min);
    snprintf(weekday_key, sizeof weekday_key, "clock.weekday.%d", when->tm_wday % 7);
    const char *names[] = {"year", "month", "day", "hour", "minute", "weekday"};
    const char *values[] = {year, month,  day,
                            hour, minute, ui_strings_get(strings, language, weekday_key)};
    ui_strings_fill(ui_strings_get(strings, language, "clock.format"), names, values, 6, out,
                    out_size);
}

/* Narrow screens put the clock under the hall's name. */
#define TWO_ROW_TITLE_MAX_DP 720

static int title_bar_height(const ui_metrics *m)
{
    bool two_rows = ui_px_to_dp(m, m->width_px) < TWO_ROW_TITLE_MAX_DP;
    return ui_dp(m, two_rows ? TITLE_BAR_DP + 16 : TITLE_BAR_DP);
}

static bool build_title_bar(ui_widget *root, const ui_frame_model *frame)
{
    const ui_metrics *m = &frame->metrics;
    int height = title_bar_height(m), margin = ui_dp(m, MARGIN_DP);
    int width = m->width_px;
    bool two_rows = ui_px_to_dp(m, width) < TWO_ROW_TITLE_MAX_DP;
    ui_widget *bar =
        ui_panel_create(root, "title", (SDL_Rect){0, 0, width, height}, UI_TONE_TITLE_BAR);
    if (!bar)
        return false;
    SDL_Rect hall_box, clock_box;
    if (two_rows) {
        int row = (height - margin / 2) / 2;
        hall_box = (SDL_Rect){margin, margin / 4, width - 2 * margin, row};
        clock_box = (SDL_Rect){margin, margin / 4 + row, width - 2 * margin, row};
    } else {
        int clock_width = width * 2 / 5;
        hall_box = (SDL_Rect){margin, 0, width - clock_width - 3 * margin, height};
        clock_box = (SDL_Rect){width - clock_width - margin, 0, clock_width, height};
    }
    ui_widget *hall = ui_heading_create(bar, "title.hall", frame->hall_name, hall_box);
    ui_widget *clock = ui_label_create(bar, UI_ID_CLOCK, frame->clock_text, clock_box);
    if (!hall || !clock)
        return false;
    hall->tone = clock->tone = UI_TONE_TITLE_BAR;
    hall->align = UI_ALIGN_START;
    clock->align = two_rows ? UI_ALIGN_START : UI_ALIGN_END;
    hall->text_dp = two_rows ? 28 : 32;
    clock->text_dp = two_rows ? 22 : 26;
    return true;
}

static bool build_footer(ui_widget *root, const ui_frame_model *frame, SDL_Rect footer)
{
    const ui_metrics *m = &frame->metrics;
    int margin = ui_dp(m, MARGIN_DP), gap = ui_dp(m, GAP_DP);
    int row = ui_dp(m, FOOTER_ROW_DP);
    bool one_row = ui_px_to_dp(m, footer.w) >= ONE_ROW_FOOTER_MIN_DP;
    ui_widget *panel = ui_panel_create(root, "footer", footer, UI_TONE_FOOTER);
    if (!panel)
        return false;

    /* Help on the left, elder mode on the right; the languages between them,
     * or in a row of their own above when the screen is narrow. */
    int button_h = row - 2 * gap;
    int side_w = one_row ? footer.w / 4 : (footer.w - 2 * margin - gap) / 2;
    int actions_y = footer.y + footer.h - row + gap;
    ui_widget *help = ui_button_create(
        panel, "footer.help", ui_strings_get(frame->strings, frame->language, "footer.help"),
        (SDL_Rect){footer.x + margin, actions_y, side_w, button_h}, UI_ACTION_HELP, 0);
    ui_widget *elder = ui_button_create(
        panel, "footer.elder", ui_strings_get(frame->strings, frame->language, "footer.elder_mode"),
        (SDL_Rect){footer.x + footer.w - margin - side_w, actions_y, side_w, button_h},
        UI_ACTION_ELDER_MODE, 0);
    if (!help || !elder)
        return false;

    int langs_x = one_row ? footer.x + margin + side_w + gap : footer.x + margin;
    int langs_w = one_row ? footer.w - 2 * (margin + side_w + gap) : footer.w - 2 * margin;
    int langs_y = one_row ? actions_y : footer.y + gap;
    int each = (langs_w - (LANG_COUNT - 1) * gap / 2) / LANG_COUNT;
    for (int i = 0; i < LANG_COUNT; i++) {
        char id[32];
        snprintf(id, sizeof id, "footer.lang.%s", lang_code((lang)i));
        /* Each language names itself, in its own font. */
        SDL_Rect bounds = {langs_x + i * (each + gap / 2), langs_y, each, button_h};
        ui_widget *button =
            ui_button_create(panel, id, ui_strings_get(frame->strings, (lang)i, "lang.autonym"),
                             bounds, UI_ACTION_SET_LANG, i);
        if (!button)
            return false;
        button->text_lang = i;
        button->tone = i == (int)frame->language ? UI_TONE_SELECTED : UI_TONE_SECONDARY;
    }
    return true;
}

ui_widget *ui_frame_build(const ui_frame_model *frame, SDL_Rect *content)
{
    const ui_metrics *m = &frame->metrics;
    SDL_Rect whole = {0, 0, m->width_px, m->height_px};
    ui_widget *root = ui_panel_create(NULL, "page", whole, UI_TONE_PLAIN);
    if (!root)
        return NULL;
    bool one_row = ui_px_to_dp(m, whole.w) >= ONE_ROW_FOOTER_MIN_DP;
    int footer_h = ui_dp(m, FOOTER_ROW_DP) * (one_row ? 1 : 2);
    SDL_Rect footer = {0, whole.h - footer_h, whole.w, footer_h};
    if (!build_title_bar(root, frame) || !build_footer(root, frame, footer)) {
        ui_widget_destroy(root);
        return NULL;
    }
    int top = title_bar_height(m);
    *content = (SDL_Rect){0, top, whole.w, footer.y - top};
    return root;
}
