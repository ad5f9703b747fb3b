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
    static const char *const labels[KEYPAD_KEY_COUNT] = {
        "",  "↑", "↓", "←", "→", "OK", "⌫返回", "?", "↻", "+", "−",
        "C", "0", "1", "2", "3", "4",  "5",     "6", "7", "8", "9"};
    return key > 0 && key < KEYPAD_KEY_COUNT ? labels[key] : "";
}

/* The keypad test's keys, each green once pressed. */
static bool keypad_grid(kiosk_app *app, ui_screen *screen)
{
    int cell_h = ui_screen_target_h(screen);
    int columns = 7, rows = (KEYPAD_KEY_COUNT - 1 + columns - 1) / columns;
    SDL_Rect area = ui_screen_take(screen, rows * cell_h + (rows - 1) * screen->gap / 2);
    for (int key = 1; key < KEYPAD_KEY_COUNT; key++) {
        int row = (key - 1) / columns, column = (key - 1) % columns;
        SDL_Rect line = {area.x, area.y + row * (cell_h + screen->gap / 2), area.w, cell_h};
        char id[32];
        snprintf(id, sizeof id, "tech.key.%d", key);
        ui_widget *cell =
            ui_panel_create(screen->root, id, ui_column(line, columns, 8, column),
                            app_selftest_key_seen(app, key) ? UI_TONE_SELECTED : UI_TONE_SECONDARY);
        if (!cell || !ui_label_create(cell, NULL, keypad_key_label(key), cell->bounds))
            return false;
    }
    return true;
}

static kiosk_error build_list(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, APP_TECH_MARGIN_DP, APP_TECH_GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    bool ok = ui_screen_title(&screen, "tech.selftest.title",
                              ui_frame_text(frame, "tech.selftest.title"), APP_TECH_TITLE_DP) &&
              app_tech_foot(&screen, true);
    app_selftest_kind running = APP_SELFTEST_COUNT;
    bool busy = app_selftest_running(app, &running);
    int button_h = ui_screen_large_button_h(&screen, APP_TECH_TEXT_DP);
    /* One column where the tests fit under each other (a portrait panel),
     * two where they do not (landscape, large text). */
    int step = button_h + screen.gap / 2;
    int columns = APP_SELFTEST_COUNT * step <= screen.bottom - screen.y ? 1 : 2;
    SDL_Rect row = {0};
    for (int i = 0; ok && i < APP_SELFTEST_COUNT; i++) {
        char key[64], id[64], line[320];
        snprintf(key, sizeof key, "tech.selftest.%s", app_selftest_name((app_selftest_kind)i));
        snprintf(id, sizeof id, "tech.selftest.%s", app_selftest_name((app_selftest_kind)i));
        app_selftest_result last;
        if (app_selftest_last(app, (app_selftest_kind)i, &last))
            snprintf(line, sizeof line, "%s · %s", ui_frame_text(frame, key),
                     ui_frame_text(frame, outcome_key(last.outcome)));
        else
            snprintf(line, sizeof line, "%s", ui_frame_text(frame, key));
        ui_tone tone = !app_selftest_last(app, (app_selftest_kind)i, &last) ? UI_TONE_SECONDARY
                       : last.outcome == APP_SELFTEST_FAILED                ? UI_TONE_ALERT
                       : last.outcome == APP_SELFTEST_PASSED                ? UI_TONE_SELECTED
                                                                            : UI_TONE_SECONDARY;
        if (i % columns == 0) {
            row = ui_screen_take(&screen, button_h);
            screen.y += screen.gap / 2; /* targets apart, so a finger takes one */
        }
        SDL_Rect place = columns == 1 ? row : ui_column(row, columns, screen.gap, i % columns);
        ui_widget *button =
            ui_screen_button(&screen, id, line, place, UI_ACTION_STAFF, i, tone, APP_TECH_TEXT_DP);
        ok = button != NULL;
        if (ok && busy)
            button->flags &= ~UI_FLAG_TAPPABLE; /* one test at a time */
    }
    /* What the running test waits for, or what the last one found. */
    char status[512] = "";
    if (busy) {
        char key[64];
        snprintf(key, sizeof key, "tech.selftest.%s.doing", app_selftest_name(running));
        snprintf(status, sizeof status, "%s", ui_frame_text(frame, key));
    }
    if (ok && busy)
        ok = ui_wrapped_text_create(
                 screen.root, &ui_label_class, "tech.selftest.status", status,
                 ui_screen_take(&screen, 2 * ui_frame_line_px(frame, APP_TECH_TEXT_DP)),
                 APP_TECH_TEXT_DP, UI_TONE_PLAIN) != NULL;
    if (ok && busy && running == APP_SELFTEST_KEYPAD)
        ok = keypad_grid(app, &screen);
    return ui_screen_end(&screen, ok, out);
}

/* The latest result of a test started here, for the line under the list
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

static kiosk_error build_selftest(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    kiosk_error built = build_list(app, frame, out);
    if (built != KIOSK_OK || !shown_result.have || shown_result.app != app ||
        app_selftest_running(app, NULL))
        return built;
    /* The last result in words: what was seen, and what to do. */
    char text[512];
    snprintf(text, sizeof text, "%s：%s%s%s",
             ui_frame_text(frame, outcome_key(shown_result.result.outcome)),
             shown_result.result.detail, shown_result.result.remedy[0] ? "\n" : "",
             shown_result.result.outcome == APP_SELFTEST_FAILED ? shown_result.result.remedy : "");
    ui_widget *list_first = NULL, *list_last = NULL;
    for (ui_widget *w = (*out)->first_child; w; w = w->next_sibling)
        if (strncmp(w->id, "tech.selftest.", 14) == 0) {
            list_first = list_first ? list_first : w;
            list_last = w;
        }
    /* Under the list, across all its columns. */
    int y = list_last ? list_last->bounds.y + list_last->bounds.h + 24 : 0;
    int x = list_first ? list_first->bounds.x : 0;
    int w = list_last ? list_last->bounds.x + list_last->bounds.w - x : 0;
    SDL_Rect box = {x, y, w, 3 * ui_frame_line_px(frame, APP_TECH_TEXT_DP)};
    if (!ui_wrapped_text_create(
            *out, &ui_label_class, "tech.result", text, box, APP_TECH_TEXT_DP,
            shown_result.result.outcome == APP_SELFTEST_FAILED ? UI_TONE_ALERT : UI_TONE_PLAIN)) {
        ui_widget_destroy(*out);
        *out = NULL;
        return KIOSK_ERR_NO_MEMORY;
    }
    return KIOSK_OK;
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
    char value[32];
    snprintf(value, sizeof value, "%d,%d", dx, dy);
    struct kiosk_platform *platform = app_platform_core(app);
    bool kept = platform && platform_setting_set(platform, "touch.calibration", value) == KIOSK_OK;
    if (!kept)
        LOG_WARN("selftest", "the touch calibration %s could not be kept", value);
    app_selftest_touch_measured(app, dx, dy, worst, kept);
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
