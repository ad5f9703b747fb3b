/* Live updates. See ui/live.h. */
#include "ui/live.h"

#include "ui/feedback_widgets.h"
#include "ui/theme.h"

/* Main thread only, like the widgets it tells of. */
static ui_live_listener listener_fn;
static void *listener_user;

void ui_live_listen(ui_live_listener listener, void *user)
{
    listener_fn = listener;
    listener_user = user;
}

static void tell(const ui_widget *widget)
{
    if (listener_fn)
        listener_fn(widget, listener_user);
}

ui_widget *ui_live_update(ui_widget *root, const char *id, const char *text, int tone)
{
    ui_widget *widget = root && id ? ui_widget_find(root, id) : NULL;
    if (!widget)
        return NULL;
    if (text && !ui_widget_set_text(widget, text))
        return NULL;
    if (tone >= 0 && tone < UI_TONE_COUNT)
        widget->tone = (ui_tone)tone;
    tell(widget);
    return widget;
}

ui_widget *ui_live_countdown(ui_widget *root, const char *id, int seconds_left, const char *text)
{
    ui_widget *widget = root && id ? ui_widget_find(root, id) : NULL;
    if (!widget || widget->class_ != &ui_countdown_class)
        return NULL;
    ui_countdown_set(widget, seconds_left, text);
    tell(widget);
    return widget;
}
