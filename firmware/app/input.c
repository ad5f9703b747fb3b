/* Touch and the keys: a finger (or the mouse) pressing, sliding, scrolling
 * and releasing over the screen's widgets; a tap becomes the widget's
 * action, which navigation carries out. A widget that follows the finger
 * (a pad to draw on) gets its way across instead: down, moves, up. */
#include "firmware/app/app_core.h"
#include "firmware/app/app_devices.h"
#include "firmware/app/app_input.h"
#include "firmware/app/app_keypad.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_probe.h"
#include "firmware/app/app_session.h"
#include "firmware/app/navigation.h"

#include "firmware/base/log.h"
#include "firmware/platform/staff_ops.h"
#include "firmware/platform/store_use.h"
#include "ui/scroll_view.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* The finger on the glass: one at a time. */
static struct {
    ui_widget *pressed; /* under the finger now, or NULL */
    /* Its id, to find it again when the screen is rebuilt under the finger
     * (a clock tick, the link's state): the press is the citizen's, not
     * the tree's. */
    char pressed_id[UI_ID_MAX];
    SDL_FingerID finger;
    bool finger_down;
    ui_widget *drag_view; /* the scroll view the finger went down in, or NULL */
    int drag_start_y, drag_last_y;
    bool dragging;       /* the finger moved far enough: it scrolls, it does not press */
    ui_widget *follower; /* a widget that follows the finger (its class's follow), or NULL */
} glass;

/* The glass's calibration (app_input.h): screen pixels to take off each
 * touch. */
static struct {
    int dx, dy;
    bool pending; /* not read yet: the store was not open at start */
} calibration;

static bool within_bound(kiosk_app *app, int dx, int dy)
{
    int max = ui_dp(app_metrics(app), APP_TOUCH_CALIBRATION_MAX_DP);
    return abs(dx) <= max && abs(dy) <= max;
}

bool app_input_calibration_set(kiosk_app *app, int dx, int dy)
{
    if (!within_bound(app, dx, dy)) {
        LOG_WARN("touch",
                 "a touch calibration of %+d, %+d px is refused: over %d dp (%d px) is a fault of "
                 "the glass or its mounting, not a calibration; %+d, %+d stays in use",
                 dx, dy, APP_TOUCH_CALIBRATION_MAX_DP,
                 ui_dp(app_metrics(app), APP_TOUCH_CALIBRATION_MAX_DP), calibration.dx,
                 calibration.dy);
        return false;
    }
    calibration.dx = dx;
    calibration.dy = dy;
    return true;
}

void app_input_calibration_get(const kiosk_app *app, int *dx, int *dy)
{
    (void)app;
    *dx = calibration.dx;
    *dy = calibration.dy;
}

/* "dx,dy": two whole numbers, nothing else. */
static bool parse_offset(const char *text, int *dx, int *dy)
{
    char *end = NULL;
    errno = 0;
    long x = strtol(text, &end, 10);
    if (end == text || *end != ',' || errno)
        return false;
    const char *second = end + 1;
    long y = strtol(second, &end, 10);
    if (end == second || *end || errno || x < -10000 || x > 10000 || y < -10000 || y > 10000)
        return false;
    *dx = (int)x;
    *dy = (int)y;
    return true;
}

void app_input_calibration_load(kiosk_app *app)
{
    calibration.dx = calibration.dy = 0;
    struct kiosk_platform *platform = app_platform_core(app);
    /* Only from a store that is open: a terminal with no platform link
     * opens its store when it first keeps something, and a calibration is
     * no reason to open it sooner (nor to tell citizens it cannot be). */
    calibration.pending = !platform || !platform_has_store(platform);
    char *value = NULL;
    if (calibration.pending ||
        platform_setting_get(platform, APP_TOUCH_CALIBRATION_KEY, &value) != KIOSK_OK || !value) {
        free(value);
        return;
    }
    int dx = 0, dy = 0;
    if (!parse_offset(value, &dx, &dy))
        LOG_WARN("touch", "the stored touch calibration is not \"dx,dy\": not used");
    else if (app_input_calibration_set(app, dx, dy) && (dx || dy))
        LOG_INFO("touch", "touch calibration %+d, %+d px in use", dx, dy);
    free(value);
}

bool app_input_calibration_measured(kiosk_app *app, int dx, int dy)
{
    calibration.pending = false;
    int old_x = calibration.dx, old_y = calibration.dy;
    bool taken = app_input_calibration_set(app, old_x + dx, old_y + dy);
    /* What is in use is what the store keeps, whatever the test wrote. */
    char value[32];
    snprintf(value, sizeof value, "%d,%d", calibration.dx, calibration.dy);
    struct kiosk_platform *platform = app_platform_core(app);
    bool kept =
        platform && platform_setting_set(platform, APP_TOUCH_CALIBRATION_KEY, value) == KIOSK_OK;
    if (!kept)
        LOG_WARN("touch", "the touch calibration %s could not be kept: it is lost at restart",
                 value);
    if (taken)
        LOG_INFO("touch", "touch calibration %+d, %+d px in use (was %+d, %+d)", calibration.dx,
                 calibration.dy, old_x, old_y);
    return taken && kept;
}

/* A touch mapped to the screen, moved back by the calibration and kept on
 * the screen. */
static void calibrate(kiosk_app *app, int *x, int *y)
{
    struct kiosk_platform *platform = app_platform_core(app);
    if (calibration.pending && platform && platform_has_store(platform))
        app_input_calibration_load(app);
    const ui_display *display = app_display(app);
    int cx = *x - calibration.dx, cy = *y - calibration.dy;
    *x = cx < 0 ? 0 : cx >= display->width ? display->width - 1 : cx;
    *y = cy < 0 ? 0 : cy >= display->height ? display->height - 1 : cy;
}

bool app_input_finger_down(const kiosk_app *app)
{
    (void)app;
    return glass.finger_down;
}

void app_input_tree_replaced(kiosk_app *app, bool new_screen)
{
    glass.pressed = NULL;
    if (!new_screen && glass.finger_down && glass.pressed_id[0]) {
        glass.pressed = ui_widget_find(app_root(app), glass.pressed_id);
        if (glass.pressed)
            glass.pressed->flags |= UI_FLAG_PRESSED;
    }
    if (!glass.pressed)
        glass.pressed_id[0] = '\0';
    glass.drag_view = NULL;
    glass.dragging = false;
    glass.follower = NULL;
    if (new_screen)
        glass.finger_down = false;
    app_keypad_tree_replaced(app, new_screen);
}

/* The finger's way across a widget that follows it: what it draws is
 * drawn again at once, while the finger is still moving. */
static void follow(kiosk_app *app, ui_follow phase, int x, int y)
{
    SDL_Rect changed = glass.follower->class_->follow(glass.follower, phase, x, y);
    if (!SDL_RectEmpty(&changed))
        app_mark_dirty(app, changed);
}

/* A touch or click at window coordinates: press on down, act on release over
 * the same widget (sliding off cancels, as citizens expect from buttons). One
 * finger at a time: a second finger while one is down is ignored. */
static void touch(kiosk_app *app, bool down, SDL_FingerID finger, float window_x, float window_y,
                  bool deliberate)
{
    int x = 0, y = 0;
    bool inside = ui_display_map_point(app_display(app), window_x, window_y, &x, &y);
    if (inside)
        calibrate(app, &x, &y);
    ui_widget *hit = inside ? ui_widget_hit(app_root(app), x, y) : NULL;
    uint64_t now = app_now_ms(app);
    app_session_touched(app);
    if (down) {
        if (glass.finger_down ||
            (!deliberate && now - app_shown_at_ms(app) < APP_TRANSITION_GUARD_MS))
            return;
        glass.finger_down = true;
        glass.finger = finger;
        glass.pressed = hit;
        snprintf(glass.pressed_id, sizeof glass.pressed_id, "%s", hit ? hit->id : "");
        glass.drag_view = hit ? ui_scroll_view_of(hit) : ui_scroll_view_at(app_root(app), x, y);
        glass.drag_start_y = glass.drag_last_y = y;
        glass.dragging = false;
        if (hit && hit->class_->follow) {
            glass.follower = hit;
            glass.pressed = NULL;
            glass.pressed_id[0] = '\0';
            follow(app, UI_FOLLOW_DOWN, x, y);
            return;
        }
        if (hit) {
            hit->flags |= UI_FLAG_PRESSED;
            app_mark_dirty(app, hit->bounds);
        }
        return;
    }
    if (!glass.finger_down || finger != glass.finger)
        return;
    glass.finger_down = false;
    if (glass.follower) {
        ui_widget *follower = glass.follower;
        follow(app, UI_FOLLOW_UP, x, y);
        glass.follower = NULL;
        app_perform(app, follower->action, follower->action_arg);
        return;
    }
    ui_widget *pressed = glass.pressed;
    glass.pressed = NULL;
    glass.pressed_id[0] = '\0';
    bool dragged = glass.dragging;
    glass.drag_view = NULL;
    glass.dragging = false;
    if (!pressed || dragged)
        return;
    pressed->flags &= ~(unsigned)UI_FLAG_PRESSED;
    app_mark_dirty(app, pressed->bounds);
    if (pressed == hit)
        app_perform(app, hit->action, hit->action_arg);
}

/* A finger moving: in a scroll view, past a small distance, it scrolls the
 * content with it and stops being a press. */
#define DRAG_START_DP 16

static void move(kiosk_app *app, SDL_FingerID finger, float window_x, float window_y)
{
    if (glass.finger_down && finger == glass.finger && glass.follower) {
        int fx = 0, fy = 0;
        if (ui_display_map_point(app_display(app), window_x, window_y, &fx, &fy))
            calibrate(app, &fx, &fy);
        app_session_touched(app);
        follow(app, UI_FOLLOW_MOVE, fx, fy);
        return;
    }
    if (!glass.finger_down || finger != glass.finger || !glass.drag_view)
        return;
    int x = 0, y = 0;
    if (ui_display_map_point(app_display(app), window_x, window_y, &x, &y))
        calibrate(app, &x, &y);
    app_session_touched(app);
    if (!glass.dragging && abs(y - glass.drag_start_y) >= ui_dp(app_metrics(app), DRAG_START_DP)) {
        glass.dragging = true;
        if (glass.pressed) {
            glass.pressed->flags &= ~(unsigned)UI_FLAG_PRESSED;
            glass.pressed = NULL;
        }
        glass.pressed_id[0] = '\0';
    }
    if (glass.dragging && ui_scroll_view_scroll_by(glass.drag_view, glass.drag_last_y - y) != 0)
        app_mark_dirty(app, glass.drag_view->bounds);
    glass.drag_last_y = y;
}

/* The mouse is one more finger (desktops, and the board's absolute pointer). */
#define MOUSE_FINGER ((SDL_FingerID)-2)

void app_handle_input(kiosk_app *app, const SDL_Event *event)
{
    switch (event->type) {
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
        /* Finger positions are fractions of the window. */
        touch(app, event->type == SDL_FINGERDOWN, event->tfinger.fingerId,
              event->tfinger.x * (float)app_display(app)->window_width,
              event->tfinger.y * (float)app_display(app)->window_height, false);
        break;
    case SDL_FINGERMOTION:
        move(app, event->tfinger.fingerId, event->tfinger.x * (float)app_display(app)->window_width,
             event->tfinger.y * (float)app_display(app)->window_height);
        break;
    case SDL_MOUSEMOTION:
        if ((event->motion.state & SDL_BUTTON_LMASK) && event->motion.which != SDL_TOUCH_MOUSEID)
            move(app, MOUSE_FINGER, (float)event->motion.x, (float)event->motion.y);
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        if (event->button.button == SDL_BUTTON_LEFT && event->button.which != SDL_TOUCH_MOUSEID)
            touch(app, event->type == SDL_MOUSEBUTTONDOWN, MOUSE_FINGER, (float)event->button.x,
                  (float)event->button.y, false);
        break;
    case SDL_KEYDOWN:
        /* Only developers' keys for simulated devices, and only with Ctrl
         * held: a citizen has no keyboard, a passer-by's USB keyboard must
         * do nothing, and scanners are never read as keys. (The keypad's
         * keys never come here: its driver claims it from the kernel.) */
        if (!event->key.repeat && (event->key.keysym.mod & KMOD_CTRL))
            app_devices_key(app, event->key.keysym.sym);
        break;
    default:
        break;
    }
}

void app_tap_widget(kiosk_app *app, ui_widget *widget)
{
    float x, y;
    ui_display_unmap_point(app_display(app), widget->bounds.x + widget->bounds.w / 2,
                           widget->bounds.y + widget->bounds.h / 2, &x, &y);
    touch(app, true, MOUSE_FINGER, x, y, true);
    touch(app, false, MOUSE_FINGER, x, y, true);
}

void app_drag_widget(kiosk_app *app, const SDL_Point *points, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        float x, y;
        ui_display_unmap_point(app_display(app), points[i].x, points[i].y, &x, &y);
        if (i == 0)
            touch(app, true, MOUSE_FINGER, x, y, true);
        else
            move(app, MOUSE_FINGER, x, y);
        if (i + 1 == count)
            touch(app, false, MOUSE_FINGER, x, y, true);
    }
}
