/* The technician's self-test screens: the list of the devices' tests with
 * each one's last result (APP_SCREEN_TECH_SELFTEST), the screen's test
 * pattern judged by the technician (APP_SCREEN_TECH_PATTERN), and the touch
 * targets whose measured offset becomes the board's touch calibration
 * (APP_SCREEN_TECH_TOUCH). The tests themselves are app_selftest.c's. */
#include "firmware/app/app_platform.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_tech.h"
#include "firmware/app/app_technician.h"
#include "firmware/app/navigation.h"

#include "drivers/keypad/keypad.h"
#include "firmware/base/log.h"
#include "firmware/platform/staff_ops.h"
#include "ui/screen_tech_pattern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The touch test's marks, kept while its screen is built again. */
static struct {
    bool touched[UI_TOUCH_TARGETS];
    SDL_Point at[UI_TOUCH_TARGETS];
} touch;

static void selftest_done(const app_selftest_result *result, void *context)
{
    kiosk_app *app = context;
    (void)result;
    app_screen shown = app_current_screen(app);
    if (shown == APP_SCREEN_TECH_PATTERN || shown == APP_SCREEN_TECH_TOUCH) {
        if (app_go(app, APP_SCREEN_TECH_SELFTEST) != KIOSK_OK)
            LOG_WARN("selftest", "the self-tests could not be shown again");
    } else if (shown == APP_SCREEN_TECH_SELFTEST)
        app_show_again(app);
}

/* ---- the list ------------------------------------------------------------ */

static const char *outcome_key(app_selftest_outcome outcome)
{
    static const char *const keys[] = {"tech.selftest.running", "tech.selftest.passed",
                                       "tech.selftest.failed", "tech.selftest.absent"};
    return keys[outcome];
}

static const char *keypad_key_label(int key)
{
    /* Words and arrows the screen's fonts draw (not ⌫ or ↻). */
    static const char *const labels[KEYPAD_KEY_COUNT] = {
        "",  "↑", "↓", "←", "→", "OK", "返回", "?", "重听", "+", "−",
        "C", "0", "1", "2", "3", "4",  "5",    "6", "7",    "8", "9"};
    return key > 0 && key < KEYPAD_KEY_COUNT ? labels[key] : "";
}

/* The keypad test's keys, each green once pressed: seven abreast, or as
 * many as leave each room for its widest words (large text on a small
 * panel), each a line of words high and never under a finger's target. */
static bool keypad_grid(kiosk_app *app, ui_screen *screen)
{
    const ui_frame_model *frame = screen->frame;
    int gap = ui_dp(&frame->metrics, 6);
    int cell_h = ui_frame_line_px(frame, APP_TECH_TEXT_DP) + gap;
    cell_h = cell_h > ui_screen_target_h(screen) ? cell_h : ui_screen_target_h(screen);
    int widest = 0, px = ui_theme_text_px(frame->theme, &frame->metrics, APP_TECH_TEXT_DP);
    for (int key = 1; key < KEYPAD_KEY_COUNT; key++) {
        int w = ui_frame_estimate_width(keypad_key_label(key), px);
        widest = w > widest ? w : widest;
    }
    static const int choices[] = {7, 4, 3};
    int columns = 3;
    for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++)
        if (ui_column(screen->area, choices[i], gap, 0).w >= widest + 2 * gap) {
            columns = choices[i];
            break;
        }
    int rows = (KEYPAD_KEY_COUNT - 1 + columns - 1) / columns;
    SDL_Rect area = ui_screen_take(screen, rows * cell_h + (rows - 1) * screen->gap / 2);
    for (int key = 1; key < KEYPAD_KEY_COUNT; key++) {
        int row = (key - 1) / columns, column = (key - 1) % columns;
        SDL_Rect line = {area.x, area.y + row * (cell_h + screen->gap / 2), area.w, cell_h};
        char id[32], label_id[40];
        snprintf(id, sizeof id, "tech.key.%d", key);
        snprintf(label_id, sizeof label_id, "tech.key.%d.label", key);
        ui_widget *cell =
            ui_panel_create(screen->root, id, ui_column(line, columns, gap, column),
                            app_selftest_key_seen(app, key) ? UI_TONE_SELECTED : UI_TONE_SECONDARY);
        ui_widget *label =
            cell ? ui_label_create(cell, label_id, keypad_key_label(key), cell->bounds) : NULL;
        if (!label)
            return false;
        label->text_dp = APP_TECH_TEXT_DP;
    }
    return true;
}

/* The latest result of a test started here, for the line over the list
 * (for the app it was started in: tests make several). */
static struct {
    const kiosk_app *app;
    bool have;
    app_selftest_result result;
} shown_result;

static void remember(const app_selftest_result *result, void *context)
{
    shown_result.app = context;
    shown_result.have = true;
    shown_result.result = *result;
    selftest_done(result, context);
}

/* What the running test waits for (and the keypad's keys), or what the last
 * one found in words: what was seen, and what to do. First on the page,
 * where the eye is after a tap, however far the list scrolls. */
static void test_news(kiosk_app *app, app_tech_page *page, const ui_frame_model *frame)
{
    app_selftest_kind running = APP_SELFTEST_COUNT;
    if (app_selftest_running(app, &running)) {
        char key[64];
        snprintf(key, sizeof key, "tech.selftest.%s.doing", app_selftest_name(running));
        app_tech_page_text(page, &ui_label_class, "tech.selftest.status", ui_frame_text(frame, key),
                           APP_TECH_TEXT_DP, UI_TONE_PLAIN);
        page->screen.y += page->screen.gap / 2;
        if (page->ok && running == APP_SELFTEST_KEYPAD) {
            page->ok = keypad_grid(app, &page->screen);
            page->screen.y += page->screen.gap;
        }
        return;
    }
    if (!shown_result.have || shown_result.app != app)
        return;
    const app_selftest_result *last = &shown_result.result;
    char text[512];
    snprintf(text, sizeof text, "%s：%s%s%s", ui_frame_text(frame, outcome_key(last->outcome)),
             last->detail, last->remedy[0] ? "\n" : "",
             last->outcome == APP_SELFTEST_FAILED ? last->remedy : "");
    app_tech_page_text(page, &ui_label_class, "tech.result", text, APP_TECH_TEXT_DP,
                       last->outcome == APP_SELFTEST_FAILED ? UI_TONE_ALERT : UI_TONE_PLAIN);
    page->screen.y += page->screen.gap;
}

static kiosk_error build_selftest(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    app_tech_page page;
    app_tech_page_begin(&page, frame, "tech.selftest.title",
                        ui_frame_text(frame, "tech.selftest.title"), true);
    app_tech_page_scroll(&page);
    test_news(app, &page, frame);
    bool busy = app_selftest_running(app, NULL);
    char lines[APP_SELFTEST_COUNT][320], ids[APP_SELFTEST_COUNT][64];
    app_tech_choice tests[APP_SELFTEST_COUNT];
    for (int i = 0; i < APP_SELFTEST_COUNT; i++) {
        const char *name = app_selftest_name((app_selftest_kind)i);
        char key[64];
        snprintf(key, sizeof key, "tech.selftest.%s", name);
        snprintf(ids[i], sizeof ids[i], "tech.selftest.%s", name);
        app_selftest_result last;
        bool tried = app_selftest_last(app, (app_selftest_kind)i, &last);
        if (tried)
            snprintf(lines[i], sizeof lines[i], "%s · %s", ui_frame_text(frame, key),
                     ui_frame_text(frame, outcome_key(last.outcome)));
        else
            snprintf(lines[i], sizeof lines[i], "%s", ui_frame_text(frame, key));
        ui_tone tone = !tried                                ? UI_TONE_SECONDARY
                       : last.outcome == APP_SELFTEST_FAILED ? UI_TONE_ALERT
                       : last.outcome == APP_SELFTEST_PASSED ? UI_TONE_SELECTED
                                                             : UI_TONE_SECONDARY;
        /* One test at a time: none can be started while one runs. */
        tests[i] = (app_tech_choice){ids[i], lines[i], i, tone, !busy};
    }
    /* One column where the tests fit under each other (a portrait panel),
     * two where they do not and their names still fit half as wide
     * (landscape); else one, and the page scrolls (large text on a small
     * panel). */
    app_tech_page_buttons(&page, tests, APP_SELFTEST_COUNT, APP_TECH_TEXT_DP);
    return app_tech_page_end(&page, NULL, out);
}

static app_screen on_selftest(kiosk_app *app, ui_action action, int arg)
{
    if (action != UI_ACTION_STAFF)
        return app_tech_common(app, action);
    app_role_touch(app);
    if (arg < 0 || arg >= APP_SELFTEST_COUNT)
        return APP_SCREEN_STAY;
    app_selftest_kind kind = (app_selftest_kind)arg;
    if (app_selftest_start(app, kind, NULL, remember, app) != KIOSK_OK)
        return APP_SCREEN_STAY;
    if (!app_selftest_running(app, NULL))
        return APP_SCREEN_TECH_SELFTEST; /* it ended at once: show its result */
    if (kind == APP_SELFTEST_SCREEN)
        return APP_SCREEN_TECH_PATTERN;
    if (kind == APP_SELFTEST_TOUCH) {
        memset(&touch, 0, sizeof touch);
        return APP_SCREEN_TECH_TOUCH;
    }
    return APP_SCREEN_TECH_SELFTEST;
}

const app_controller app_tech_selftest_controller = {.name = "tech_selftest",
                                                     .build = build_selftest,
                                                     .on_action = on_selftest,
                                                     .ignores_cards = true};

/* ---- the screen's test pattern --------------------------------------------- */

enum pattern_item { PATTERN_RIGHT, PATTERN_WRONG };

static kiosk_error build_pattern(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    (void)app;
    ui_screen screen;
    if (!ui_screen_begin_bare(&screen, frame, 0, APP_TECH_GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    int h = ui_screen_large_button_h(&screen, APP_TECH_BUTTON_DP);
    SDL_Rect whole = screen.area;
    SDL_Rect pattern = {whole.x, whole.y, whole.w, whole.h - h};
    SDL_Rect row = {whole.x, whole.y + whole.h - h, whole.w, h};
    bool ok =
        ui_test_pattern_create(screen.root, "tech.pattern", pattern) &&
        ui_screen_button(&screen, "tech.pattern.right", ui_frame_text(frame, "tech.pattern.right"),
                         ui_column(row, 2, 0, 0), UI_ACTION_STAFF, PATTERN_RIGHT, UI_TONE_PRIMARY,
                         APP_TECH_BUTTON_DP) &&
        ui_screen_button(&screen, "tech.pattern.wrong", ui_frame_text(frame, "tech.pattern.wrong"),
                         ui_column(row, 2, 0, 1), UI_ACTION_STAFF, PATTERN_WRONG, UI_TONE_ALERT,
                         APP_TECH_BUTTON_DP);
    return ui_screen_end(&screen, ok, out);
}

static app_screen on_pattern(kiosk_app *app, ui_action action, int arg)
{
    if (action != UI_ACTION_STAFF)
        return app_tech_common(app, action);
    app_role_touch(app);
    app_selftest_judged(app, arg == PATTERN_RIGHT);
    return APP_SCREEN_TECH_SELFTEST;
}

const app_controller app_tech_pattern_controller = {
    .name = "tech_pattern", .build = build_pattern, .on_action = on_pattern, .ignores_cards = true};

/* ---- touch ------------------------------------------------------------------ */

static kiosk_error build_touch(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    (void)app;
    ui_screen screen;
    if (!ui_screen_begin_bare(&screen, frame, 0, 0))
        return KIOSK_ERR_NO_MEMORY;
    ui_widget *pad = ui_touch_pad_create(screen.root, "tech.touch", screen.area, UI_ACTION_STAFF);
    bool ok = pad != NULL;
    for (int i = 0; ok && i < UI_TOUCH_TARGETS; i++)
        if (touch.touched[i])
            ui_touch_pad_set(pad, i, touch.at[i]);
    SDL_Rect hint = {screen.area.x + screen.area.w / 4, screen.area.y + screen.area.h / 3,
                     screen.area.w / 2, 2 * ui_frame_line_px(frame, APP_TECH_TEXT_DP)};
    ok = ok && ui_wrapped_text_create(screen.root, &ui_note_class, "tech.touch.hint",
                                      ui_frame_text(frame, "tech.touch.hint"), hint,
                                      APP_TECH_TEXT_DP, UI_TONE_PLAIN);
    return ui_screen_end(&screen, ok, out);
}

/* Every target touched: the mean offset is the board's calibration (kept in
 * the store as "dx,dy" in screen pixels), and the test passes when each
 * touch, so corrected, lands inside its target. */
static void touch_measured(kiosk_app *app, const ui_widget *pad)
{
    long sx = 0, sy = 0;
    for (int i = 0; i < UI_TOUCH_TARGETS; i++) {
        SDL_Point target = ui_touch_pad_target(pad, i);
        sx += touch.at[i].x - target.x;
        sy += touch.at[i].y - target.y;
    }
    int dx = (int)(sx / UI_TOUCH_TARGETS), dy = (int)(sy / UI_TOUCH_TARGETS);
    int worst = 0;
    for (int i = 0; i < UI_TOUCH_TARGETS; i++) {
        SDL_Point target = ui_touch_pad_target(pad, i);
        int ex = abs(touch.at[i].x - target.x - dx), ey = abs(touch.at[i].y - target.y - dy);
        worst = ex > worst ? ex : worst;
        worst = ey > worst ? ey : worst;
    }
    app_selftest_touch_measured(app, dx, dy, worst);
}

static app_screen on_touch(kiosk_app *app, ui_action action, int arg)
{
    if (action != UI_ACTION_STAFF)
        return app_tech_common(app, action);
    app_role_touch(app);
    ui_widget *pad = ui_widget_find(app_root(app), "tech.touch");
    if (!pad || arg < 0 || arg >= UI_TOUCH_TARGETS)
        return APP_SCREEN_STAY;
    touch.touched[arg] = ui_touch_pad_touched(pad, arg, &touch.at[arg]);
    for (int i = 0; i < UI_TOUCH_TARGETS; i++)
        if (!touch.touched[i])
            return APP_SCREEN_TECH_TOUCH; /* built again: the target green */
    touch_measured(app, pad);
    return APP_SCREEN_TECH_SELFTEST;
}

const app_controller app_tech_touch_controller = {
    .name = "tech_touch", .build = build_touch, .on_action = on_touch, .ignores_cards = true};
