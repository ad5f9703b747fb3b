/* Touch and the keys: a finger (or the mouse) pressing, sliding, scrolling
 * and releasing over the screen's widgets; a tap becomes the widget's
 * action, which navigation carries out. A widget that follows the finger
 * (a pad to draw on) gets its way across instead: down, moves, up. */
#include "firmware/app/app_core.h"
#include "firmware/app/app_devices.h"
#include "firmware/app/app_input.h"
#include "firmware/app/app_keypad.h"
#include "firmware/app/app_probe.h"
#include "firmware/app/app_session.h"
#include "firmware/app/navigation.h"

#include "ui/scroll_view.h"

#include <stdlib.h>

/* The finger on the glass: one at a time. */
static struct {
    ui_widget *pressed; /* under the finger now, or NULL */
    SDL_FingerID finger;
    bool finger_down;
    ui_widget *drag_view; /* the scroll view the finger went down in, or NULL */
    int drag_start_y, drag_last_y;
    bool dragging;       /* the finger moved far enough: it scrolls, it does not press */
    ui_widget *follower; /* a widget that follows the finger (its class's follow), or NULL */
} glass;

bool app_input_finger_down(const kiosk_app *app)
{
    (void)app;
    return glass.finger_down;
}

void app_input_tree_replaced(kiosk_app *app, bool new_screen)
{
    glass.pressed = NULL;
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
        glass.drag_view = hit ? ui_scroll_view_of(hit) : ui_scroll_view_at(app_root(app), x, y);
        glass.drag_start_y = glass.drag_last_y = y;
        glass.dragging = false;
        if (hit && hit->class_->follow) {
            glass.follower = hit;
            glass.pressed = NULL;
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
        ui_display_map_point(app_display(app), window_x, window_y, &fx, &fy);
        app_session_touched(app);
        follow(app, UI_FOLLOW_MOVE, fx, fy);
        return;
    }
    if (!glass.finger_down || finger != glass.finger || !glass.drag_view)
        return;
    int x = 0, y = 0;
    ui_display_map_point(app_display(app), window_x, window_y, &x, &y);
    app_session_touched(app);
    if (!glass.dragging && abs(y - glass.drag_start_y) >= ui_dp(app_metrics(app), DRAG_START_DP)) {
        glass.dragging = true;
        if (glass.pressed) {
            glass.pressed->flags &= ~(unsigned)UI_FLAG_PRESSED;
            glass.pressed = NULL;
        }
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
