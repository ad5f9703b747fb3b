/* What the technician's screens share: the foot, its actions, the page.
 * See app_tech.h. */
#include "firmware/app/app_tech.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_technician.h"

#include "ui/scroll_view.h"

bool app_tech_foot(ui_screen *screen, bool with_back)
{
    int h = ui_screen_large_button_h(screen, APP_TECH_BUTTON_DP);
    SDL_Rect row = ui_screen_foot(screen, h);
    int gap = screen->gap;
    SDL_Rect out = with_back ? ui_column(row, 2, gap, 1) : row;
    bool ok =
        ui_screen_button(screen, "tech.sign_out", ui_frame_text(screen->frame, "tech.sign_out"),
                         out, UI_ACTION_SIGN_OUT, 0, UI_TONE_SECONDARY, APP_TECH_BUTTON_DP) != NULL;
    if (with_back)
        ok = ok && ui_screen_button(screen, "tech.back", ui_frame_text(screen->frame, "tech.back"),
                                    ui_column(row, 2, gap, 0), UI_ACTION_BACK, 0, UI_TONE_SECONDARY,
                                    APP_TECH_BUTTON_DP) != NULL;
    return ok;
}

app_screen app_tech_common(kiosk_app *app, ui_action action)
{
    app_role_touch(app);
    switch (action) {
    case UI_ACTION_BACK:
        app_selftest_cancel(app);
        return APP_SCREEN_TECHNICIAN;
    case UI_ACTION_SIGN_OUT:
        app_selftest_cancel(app);
        app_role_end(app, "signed-out");
        return APP_SCREEN_STAY;
    default:
        return APP_SCREEN_UNHANDLED;
    }
}

/* ---- the page ------------------------------------------------------------ */

/* A text's most lines on a technician's page (a platform's long reason). */
#define TEXT_LINES_MOST 12

bool app_tech_page_begin(app_tech_page *page, const ui_frame_model *frame, const char *title_id,
                         const char *title, bool with_back)
{
    page->frame = frame;
    page->title_id = title_id;
    page->root = page->view = NULL;
    page->ok = ui_screen_begin(&page->screen, frame, APP_TECH_MARGIN_DP, APP_TECH_GAP_DP);
    if (!page->ok)
        return false;
    page->root = page->screen.root;
    page->ok = ui_screen_title(&page->screen, title_id, title, APP_TECH_TITLE_DP) &&
               app_tech_foot(&page->screen, with_back);
    return page->ok;
}

void app_tech_page_foot_button(app_tech_page *page, const char *id, const char *text, int arg,
                               bool enabled)
{
    if (!page->ok)
        return;
    ui_screen *screen = &page->screen;
    int h = ui_screen_large_button_h(screen, APP_TECH_BUTTON_DP);
    ui_widget *button = ui_screen_button(screen, id, text, ui_screen_foot(screen, h),
                                         UI_ACTION_STAFF, arg, UI_TONE_PRIMARY, APP_TECH_BUTTON_DP);
    page->ok = button != NULL;
    if (button && !enabled)
        button->flags &= ~UI_FLAG_TAPPABLE;
}

void app_tech_page_foot_text(app_tech_page *page, const char *id, const char *text, float dp,
                             ui_tone tone)
{
    if (!page->ok)
        return;
    ui_screen *screen = &page->screen;
    int h = ui_lines_h(page->frame, text, dp, screen->area.w, TEXT_LINES_MOST);
    page->ok = ui_wrapped_text_create(screen->root, &ui_label_class, id, text,
                                      ui_screen_foot(screen, h), dp, tone) != NULL;
}

void app_tech_page_scroll(app_tech_page *page)
{
    if (!page->ok || page->view)
        return;
    ui_screen *screen = &page->screen;
    /* Into the margins on either side, so that the bar and a focus ring
     * have room beside what is laid across the area. */
    SDL_Rect room = ui_screen_rest(screen);
    room.x -= screen->margin / 2;
    room.w += screen->margin;
    page->view = ui_scroll_view_create(page->root, APP_TECH_CONTENT, room);
    page->ok = page->view != NULL;
    if (page->view)
        screen->root = page->view;
}

void app_tech_page_text(app_tech_page *page, const ui_widget_class *class_, const char *id,
                        const char *text, float dp, ui_tone tone)
{
    if (!page->ok)
        return;
    ui_screen *screen = &page->screen;
    int h = ui_lines_h(page->frame, text, dp, screen->area.w, TEXT_LINES_MOST);
    page->ok = ui_wrapped_text_create(screen->root, class_, id, text, ui_screen_take(screen, h), dp,
                                      tone) != NULL;
}

bool app_tech_page_fits(const app_tech_page *page, int h)
{
    return page->screen.y + h <= page->screen.bottom;
}

/* The most lines a button's words may take before they would be cut. */
#define BUTTON_LINES_MOST 3

/* How many lines text at dp takes in a button width wide (BUTTON_LINES_MOST
 * and one more: too many). */
static int button_lines(const app_tech_page *page, const char *text, int width, float dp)
{
    const ui_frame_model *frame = page->frame;
    /* Less the button's own padding (ui/widget_classes.c), and a little for
     * the estimate's sake. */
    int inside = width - 2 * ui_dp(&frame->metrics, 12) - ui_dp(&frame->metrics, 8);
    return ui_frame_lines_for(frame, text, dp, inside, BUTTON_LINES_MOST + 1);
}

/* The rows' heights, columns abreast (a large button's: a line and two
 * gaps, and a line more for each more the row's longest words wrap to),
 * and the height of them all; 0 when any words would be cut. */
static int rows_h(const app_tech_page *page, const app_tech_choice *choices, size_t count,
                  int columns, float dp, int *heights)
{
    const ui_screen *screen = &page->screen;
    int width = ui_column(screen->area, columns, screen->gap, 0).w;
    int one_line = ui_screen_large_button_h(screen, dp), line = ui_frame_line_px(page->frame, dp);
    int total = 0;
    bool cut = false;
    for (size_t i = 0; i < count; i++) {
        int lines = button_lines(page, choices[i].text, width, dp);
        cut = cut || lines > BUTTON_LINES_MOST;
        int h = one_line + (lines - 1) * line;
        size_t row = i / (size_t)columns;
        heights[row] = i % (size_t)columns == 0 || h > heights[row] ? h : heights[row];
    }
    for (size_t row = 0; row * (size_t)columns < count; row++)
        total += heights[row] + screen->gap / 2;
    return cut ? 0 : total;
}

#define BUTTONS_MAX 16

void app_tech_page_buttons(app_tech_page *page, const app_tech_choice *choices, size_t count,
                           float dp)
{
    ui_screen *screen = &page->screen;
    count = count < BUTTONS_MAX ? count : BUTTONS_MAX;
    /* One a row where that fits; else two abreast where that is shorter
     * (their words wrapping to two lines at most), so less scrolls. */
    int heights[BUTTONS_MAX];
    int one = rows_h(page, choices, count, 1, dp, heights);
    int two =
        one && app_tech_page_fits(page, one) ? 0 : rows_h(page, choices, count, 2, dp, heights);
    bool abreast = two > 0 && (one == 0 || two < one);
    for (size_t i = 0; abreast && i < count; i++)
        abreast = button_lines(page, choices[i].text, ui_column(screen->area, 2, screen->gap, 0).w,
                               dp) <= 2;
    int columns = abreast ? 2 : 1;
    rows_h(page, choices, count, columns, dp, heights);
    SDL_Rect row = {0};
    for (size_t i = 0; page->ok && i < count; i++) {
        if (i % (size_t)columns == 0) {
            row = ui_screen_take(screen, heights[i / (size_t)columns]);
            screen->y += screen->gap / 2; /* targets apart, so a finger takes one */
        }
        SDL_Rect place =
            columns == 1 ? row : ui_column(row, columns, screen->gap, (int)i % columns);
        ui_widget *button = ui_screen_button(screen, choices[i].id, choices[i].text, place,
                                             UI_ACTION_STAFF, choices[i].arg, choices[i].tone, dp);
        page->ok = button != NULL;
        if (button && !choices[i].enabled)
            button->flags &= ~UI_FLAG_TAPPABLE;
    }
}

/* The new view scrolled as far as the old one was, when the old tree is the
 * same page's (its title): by where the old view's first widget stood,
 * found again by its id in the new one. */
static void keep_place(const app_tech_page *page, ui_widget *old_root)
{
    ui_widget *view = page->view;
    if (!old_root || !ui_widget_find(old_root, page->title_id))
        return;
    ui_widget *old_view = ui_widget_find(old_root, APP_TECH_CONTENT);
    ui_widget *old_first = old_view ? old_view->first_child : NULL;
    if (!old_first || !old_first->id[0])
        return;
    ui_widget *new_first = ui_widget_find(view, old_first->id);
    if (!new_first)
        return;
    int scrolled =
        (new_first->bounds.y - view->bounds.y) - (old_first->bounds.y - old_view->bounds.y);
    if (scrolled > 0)
        ui_scroll_view_scroll_by(view, scrolled);
}

kiosk_error app_tech_page_end(app_tech_page *page, ui_widget *keep_place_of, ui_widget **out)
{
    if (page->view) {
        ui_scroll_view_update_extent(page->view);
        if (page->ok)
            keep_place(page, keep_place_of);
        page->screen.root = page->root;
    }
    return ui_screen_end(&page->screen, page->ok, out);
}
