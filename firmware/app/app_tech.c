/* The technician's screens' shared foot. See app_tech.h. */
#include "firmware/app/app_tech.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_technician.h"

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
