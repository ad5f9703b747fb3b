/* What the terminal says, and when. See app_speech.h. */
#include "firmware/app/app_speech.h"

static bool reader;

void app_speech_start(kiosk_app *app)
{
    (void)app;
}

void app_speech_stop(kiosk_app *app)
{
    (void)app;
}

void app_speech_screen_shown(kiosk_app *app)
{
    (void)app;
}

void app_speech_focus_moved(kiosk_app *app, const ui_widget *widget)
{
    (void)app;
    (void)widget;
}

void app_speech_repeat(kiosk_app *app)
{
    (void)app;
}

void app_speech_volume_step(kiosk_app *app, int direction)
{
    (void)app;
    (void)direction;
}

void app_speech_set_reader(kiosk_app *app, bool on)
{
    (void)app;
    reader = on;
}

bool app_speech_reader_on(const kiosk_app *app)
{
    (void)app;
    return reader;
}

void app_speech_session_ended(kiosk_app *app)
{
    (void)app;
}
