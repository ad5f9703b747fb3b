/* The keypad's keys on the screen shown: keypad mode, the focus and what
 * each key means. See app_keypad.h and docs/keypad-and-focus.md. */
#include "firmware/app/app_keypad.h"
#include "firmware/app/app_input.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_speech.h"
#include "firmware/app/navigation.h"

#include "firmware/base/log.h"
#include "ui/scroll_view.h"

#include <stdlib.h>
#include <string.h>

/* More controls than any screen has; a screen with more is walked through
 * its first ones. */
#define CONTROLS_MAX 512

/* Keypad mode and where the focus is: one app to a process. */
static struct {
    bool mode;
    ui_widget *focused;         /* in the tree shown, or NULL */
    char focused_id[UI_ID_MAX]; /* kept over a rebuild of the same screen */
    bool activating;            /* enter's action is being done */
} keypad;

bool app_keypad_activating(const kiosk_app *app)
{
    (void)app;
    return keypad.activating;
}

bool app_keypad_mode(const kiosk_app *app)
{
    (void)app;
    return keypad.mode;
}

ui_widget *app_keypad_focused(kiosk_app *app)
{
    (void)app;
    return keypad.focused;
}

void app_keypad_forget(kiosk_app *app)
{
    (void)app;
    memset(&keypad, 0, sizeof keypad);
}

/* The screen's controls in reading order; how many (at most CONTROLS_MAX). */
static size_t controls_of(kiosk_app *app, ui_widget **out)
{
    size_t count = ui_focus_order(app_root(app), out, CONTROLS_MAX);
    return count < CONTROLS_MAX ? count : CONTROLS_MAX;
}

static long index_of(ui_widget *const *controls, size_t count, const ui_widget *widget)
{
    for (size_t i = 0; i < count; i++) {
        if (controls[i] == widget)
            return (long)i;
    }
    return -1;
}

/* The ring's area, drawn again: where it was, or where it now is. */
static void mark_ring(kiosk_app *app, const ui_widget *widget)
{
    if (widget)
        app_mark_dirty(app, ui_focus_ring_area(widget, app_metrics(app)));
}

/* The focus on widget (NULL: none). A widget scrolled out of its view is
 * scrolled into it. announce: the citizen moved it, speech says where. */
static void focus_on(kiosk_app *app, ui_widget *widget, bool announce)
{
    if (keypad.focused) {
        keypad.focused->flags &= ~(unsigned)UI_FLAG_FOCUSED;
        mark_ring(app, keypad.focused);
    }
    keypad.focused = widget;
    keypad.focused_id[0] = '\0';
    if (widget) {
        ui_widget *view = ui_scroll_view_of(widget);
        if (view && ui_scroll_view_reveal(view, widget) != 0)
            app_mark_dirty(app, view->bounds);
        widget->flags |= UI_FLAG_FOCUSED;
        snprintf(keypad.focused_id, sizeof keypad.focused_id, "%s", widget->id);
        mark_ring(app, widget);
    }
    if (announce)
        app_speech_focus_moved(app, widget);
}

static void focus_first(kiosk_app *app, bool announce)
{
    ui_widget *controls[CONTROLS_MAX];
    focus_on(app, controls_of(app, controls) ? controls[0] : NULL, announce);
}

/* Previous (-1) or next (+1) in reading order, round from the end to the
 * start. */
static void move_in_order(kiosk_app *app, int direction)
{
    ui_widget *controls[CONTROLS_MAX];
    size_t count = controls_of(app, controls);
    if (count == 0)
        return;
    long at = index_of(controls, count, keypad.focused);
    long next = at < 0 ? (direction > 0 ? 0 : (long)count - 1)
                       : (at + direction + (long)count) % (long)count;
    focus_on(app, controls[next], true);
}

static int centre_y(SDL_Rect r)
{
    return r.y + r.h / 2;
}

/* How far apart two spans are across (0: they overlap). */
static int gap_between(int a, int a_length, int b, int b_length)
{
    if (b >= a + a_length)
        return b - (a + a_length);
    if (a >= b + b_length)
        return a - (b + b_length);
    return 0;
}

/* Up (-1) or down (+1): the nearest control whose middle lies beyond the
 * focused one's edge, nearer across counting double, so that a keyboard
 * or a grid of tiles is walked column by column. None that way: the
 * previous or next in reading order. */
static void move_across_lines(kiosk_app *app, int direction)
{
    ui_widget *controls[CONTROLS_MAX];
    size_t count = controls_of(app, controls);
    ui_widget *from = keypad.focused;
    if (!from || index_of(controls, count, from) < 0) {
        move_in_order(app, direction);
        return;
    }
    SDL_Rect at = from->bounds;
    ui_widget *best = NULL;
    long best_score = 0;
    for (size_t i = 0; i < count; i++) {
        SDL_Rect to = controls[i]->bounds;
        if (controls[i] == from)
            continue;
        bool beyond = direction > 0 ? centre_y(to) >= at.y + at.h : centre_y(to) <= at.y;
        if (!beyond)
            continue;
        /* Ties (a wide control above a row) go to the nearest middle. */
        long score =
            (labs((long)centre_y(to) - centre_y(at)) + 2L * gap_between(at.x, at.w, to.x, to.w)) *
                65536L +
            labs((long)(to.x + to.w / 2) - (at.x + at.w / 2));
        if (!best || score < best_score) {
            best = controls[i];
            best_score = score;
        }
    }
    if (best)
        focus_on(app, best, true);
    else
        move_in_order(app, direction);
}

/* What a tap on widget does, through the same path as a finger (its press
 * shown and let go), when the finger would reach it; otherwise its action. A
 * pad that follows a finger takes no key: it needs a drawing hand. */
static void activate(kiosk_app *app, ui_widget *widget)
{
    if (!widget || widget->class_->follow)
        return;
    ui_widget *view = ui_scroll_view_of(widget);
    if (view && ui_scroll_view_reveal(view, widget) != 0)
        app_mark_dirty(app, view->bounds);
    int x = widget->bounds.x + widget->bounds.w / 2, y = widget->bounds.y + widget->bounds.h / 2;
    keypad.activating = true;
    if (ui_widget_hit(app_root(app), x, y) == widget)
        app_tap_widget(app, widget);
    else
        app_perform(app, widget->action, widget->action_arg);
    keypad.activating = false;
}

/* The first control (in reading order) whose tap asks for action, with arg
 * unless any_arg. */
static ui_widget *control_for(kiosk_app *app, ui_action action, bool any_arg, int arg)
{
    ui_widget *controls[CONTROLS_MAX];
    size_t count = controls_of(app, controls);
    for (size_t i = 0; i < count; i++) {
        if (controls[i]->action == action && (any_arg || controls[i]->action_arg == arg) &&
            (controls[i]->flags & UI_FLAG_TAPPABLE))
            return controls[i];
    }
    return NULL;
}

/* Back: the screen's 上一步/返回, else its cancel or its way home (or, on
 * the time-out warning, "I am still here"); a screen of the session with
 * none of them goes home. Never a dead end. */
static void go_back(kiosk_app *app)
{
    static const ui_action ways[] = {UI_ACTION_BACK, UI_ACTION_CANCEL, UI_ACTION_HOME,
                                     UI_ACTION_CONTINUE};
    for (size_t i = 0; i < sizeof ways / sizeof ways[0]; i++) {
        ui_widget *way = control_for(app, ways[i], true, 0);
        if (way) {
            activate(app, way);
            return;
        }
    }
    if (app_in_session(app) && app_current_screen(app) != APP_SCREEN_HOME &&
        app_current_screen(app) != APP_SCREEN_ATTRACT)
        app_perform(app, UI_ACTION_HOME, 0);
}

/* Help from anywhere; on the attract screen the visit starts first, as a
 * touch would start it. */
static void help(kiosk_app *app)
{
    if (app_current_screen(app) == APP_SCREEN_ATTRACT)
        app_perform(app, UI_ACTION_START, 0);
    app_perform(app, UI_ACTION_HELP, 0);
}

/* The choices a digit picks where digits are not typed: tiles, a step's
 * choices, checklist rows, a form's fields. */
static bool is_choice(const ui_widget *widget)
{
    switch (widget->action) {
    case UI_ACTION_OPEN_SERVICE:
    case UI_ACTION_CHOOSE:
    case UI_ACTION_TOGGLE:
    case UI_ACTION_EDIT_FIELD:
        return true;
    default:
        return false;
    }
}

/* A digit: typed where the screen has a key for it (the ID number's pad,
 * a keyboard); elsewhere the focus goes to the n-th choice (0: the tenth),
 * which enter then takes, so that one key never commits by itself. */
static void digit(kiosk_app *app, int value)
{
    ui_widget *key = control_for(app, UI_ACTION_KEY, false, '0' + value);
    if (key) {
        activate(app, key);
        return;
    }
    ui_widget *controls[CONTROLS_MAX];
    size_t count = controls_of(app, controls);
    int wanted = value == 0 ? 10 : value;
    for (size_t i = 0; i < count; i++) {
        if (is_choice(controls[i]) && --wanted == 0) {
            focus_on(app, controls[i], true);
            return;
        }
    }
}

/* Clear: the last character typed, or what the screen clears as a whole. */
static void clear(kiosk_app *app)
{
    ui_widget *key = control_for(app, UI_ACTION_KEY, false, UI_KEY_DELETE);
    if (!key)
        key = control_for(app, UI_ACTION_KEY, false, UI_KEY_CLEAR);
    activate(app, key);
}

/* Keypad mode on: the focus appears on the first control and speech reads
 * what is focused. */
static void mode_on(kiosk_app *app)
{
    keypad.mode = true;
    LOG_INFO("keypad", "keypad mode on");
    app_speech_set_reader(app, true);
    focus_first(app, true);
}

static void mode_off(kiosk_app *app)
{
    if (!keypad.mode)
        return;
    keypad.mode = false;
    focus_on(app, NULL, false);
    keypad.focused_id[0] = '\0';
    LOG_INFO("keypad", "keypad mode off");
}

void app_keypad_press(kiosk_app *app, keypad_key key)
{
    if (key <= KEYPAD_KEY_NONE || key >= KEYPAD_KEY_COUNT)
        return;
    app_session_touched(app);
    bool first = !keypad.mode;
    if (first)
        mode_on(app);
    switch (key) {
    case KEYPAD_KEY_LEFT:
    case KEYPAD_KEY_RIGHT:
    case KEYPAD_KEY_UP:
    case KEYPAD_KEY_DOWN:
    case KEYPAD_KEY_ENTER:
        /* The first of them shows where the focus starts: the citizen
         * hears it before anything moves or is done. */
        if (first)
            return;
        if (key == KEYPAD_KEY_LEFT || key == KEYPAD_KEY_RIGHT)
            move_in_order(app, key == KEYPAD_KEY_RIGHT ? 1 : -1);
        else if (key == KEYPAD_KEY_UP || key == KEYPAD_KEY_DOWN)
            move_across_lines(app, key == KEYPAD_KEY_DOWN ? 1 : -1);
        else
            activate(app, keypad.focused);
        return;
    case KEYPAD_KEY_BACK:
        go_back(app);
        return;
    case KEYPAD_KEY_HELP:
        help(app);
        return;
    case KEYPAD_KEY_REPEAT:
        app_speech_repeat(app);
        return;
    case KEYPAD_KEY_VOLUME_UP:
    case KEYPAD_KEY_VOLUME_DOWN:
        app_speech_volume_step(app, key == KEYPAD_KEY_VOLUME_UP ? 1 : -1);
        return;
    case KEYPAD_KEY_CLEAR:
        clear(app);
        return;
    default:
        digit(app, (int)(key - KEYPAD_KEY_0));
        return;
    }
}

void app_keypad_tree_replaced(kiosk_app *app, bool new_screen)
{
    /* The old tree is gone, and the widget with it. */
    keypad.focused = NULL;
    if (!keypad.mode)
        return;
    if (!new_screen && keypad.focused_id[0]) {
        ui_widget *same = ui_widget_find(app_root(app), keypad.focused_id);
        ui_widget *controls[CONTROLS_MAX];
        size_t count = controls_of(app, controls);
        if (same && index_of(controls, count, same) >= 0) {
            focus_on(app, same, false);
            return;
        }
    }
    focus_first(app, true);
}

void app_keypad_set_mode(kiosk_app *app, bool on)
{
    if (on && !keypad.mode)
        mode_on(app);
    else if (!on)
        mode_off(app);
}

bool app_keypad_focus(kiosk_app *app, ui_widget *widget)
{
    ui_widget *controls[CONTROLS_MAX];
    size_t count = controls_of(app, controls);
    if (!keypad.mode || index_of(controls, count, widget) < 0)
        return false;
    focus_on(app, widget, true);
    return true;
}

void app_keypad_session_ended(kiosk_app *app)
{
    mode_off(app);
}

void app_keypad_status(kiosk_app *app, const device_status *status)
{
    if (status->state == DEVICE_ONLINE || status->state == DEVICE_BUSY)
        return;
    /* Unplugged, or not answering: nobody can move the focus now, and a
     * ring nobody can move would only puzzle the next hand on the glass. */
    LOG_INFO("keypad", "keypad %s", status->reason);
    mode_off(app);
}
