/* Touch and the keys: a finger (or the mouse) pressing, sliding, scrolling
 * and releasing over the screen's widgets; a tap becomes the widget's
 * action, which navigation carries out. */
#include "firmware/app/app_internal.h"

#include "ui/scroll_view.h"

#include <stdlib.h>

/* A touch or click at window coordinates: press on down, act on release over
 * the same widget (sliding off cancels, as citizens expect from buttons). One
 * finger at a time: a second finger while one is down is ignored. */
static void touch(kiosk_app *app, bool down, SDL_FingerID finger, float window_x, float window_y,
                  bool deliberate)
{
    int x = 0, y = 0;
    bool inside = ui_display_map_point(app->display, window_x, window_y, &x, &y);
    ui_widget *hit = inside ? ui_widget_hit(app->root, x, y) : NULL;
    uint64_t now = app_now_ms(app);
    app->last_input_ms = now;
    if (down) {
        if (app->finger_down || (!deliberate && now - app->shown_at_ms < APP_TRANSITION_GUARD_MS))
            return;
        app->finger_down = true;
        app->finger = finger;
        app->pressed = hit;
        app->drag_view = ui_scroll_view_of(hit);
        app->drag_start_y = app->drag_last_y = y;
        app->dragging = false;
        if (hit) {
            hit->flags |= UI_FLAG_PRESSED;
            app_mark_dirty(app, hit->bounds);
        }
        return;
    }
    if (!app->finger_down || finger != app->finger)
        return;
    app->finger_down = false;
    ui_widget *pressed = app->pressed;
    app->pressed = NULL;
    bool dragged = app->dragging;
    app->drag_view = NULL;
    app->dragging = false;
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
    if (!app->finger_down || finger != app->finger || !app->drag_view)
        return;
    int x = 0, y = 0;
    ui_display_map_point(app->display, window_x, window_y, &x, &y);
    app->last_input_ms = app_now_ms(app);
    if (!app->dragging && abs(y - app->drag_start_y) >= ui_dp(&app->metrics, DRAG_START_DP)) {
        app->dragging = true;
        if (app->pressed) {
            app->pressed->flags &= ~(unsigned)UI_FLAG_PRESSED;
            app->pressed = NULL;
        }
    }
    if (app->dragging && ui_scroll_view_scroll_by(app->drag_view, app->drag_last_y - y) != 0)
        app_mark_dirty(app, app->drag_view->bounds);
    app->drag_last_y = y;
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
              event->tfinger.x * (float)app->display->window_width,
              event->tfinger.y * (float)app->display->window_height, false);
        break;
    case SDL_FINGERMOTION:
        move(app, event->tfinger.fingerId, event->tfinger.x * (float)app->display->window_width,
             event->tfinger.y * (float)app->display->window_height);
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
        /* Only developers' keys for simulated devices: a citizen has no
         * keyboard, and scanners are never read as keys. */
        if (!event->key.repeat)
            app_devices_key(app, event->key.keysym.sym);
        break;
    default:
        break;
    }
}

void app_tap_widget(kiosk_app *app, ui_widget *widget)
{
    float x, y;
    ui_display_unmap_point(app->display, widget->bounds.x + widget->bounds.w / 2,
                           widget->bounds.y + widget->bounds.h / 2, &x, &y);
    touch(app, true, MOUSE_FINGER, x, y, true);
    touch(app, false, MOUSE_FINGER, x, y, true);
}
