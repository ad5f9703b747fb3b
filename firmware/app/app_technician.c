/* Placeholder: the technician's home screen, a title and sign-out. */
#include "firmware/app/app_role.h"
#include "firmware/app/navigation.h"

#include "ui/layout.h"

#define MARGIN_DP 48
#define GAP_DP    32
#define TITLE_DP  48
#define BUTTON_DP 96

static kiosk_error build_technician(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    ui_screen screen;
    if (!ui_screen_begin(&screen, frame, MARGIN_DP, GAP_DP))
        return KIOSK_ERR_NO_MEMORY;
    int title_h = ui_frame_line_px(frame, TITLE_DP);
    SDL_Rect title = ui_screen_take(&screen, title_h);
    SDL_Rect out_button = ui_screen_take(&screen, ui_frame_line_px(frame, BUTTON_DP));
    ui_widget *sign_out = ui_button_create(screen.root, "technician.sign_out", "退出", out_button,
                                           UI_ACTION_SIGN_OUT, 0);
    bool ok = ui_wrapped_text_create(screen.root, &ui_heading_class, "technician.title",
                                     app_role_name(app), title, TITLE_DP, UI_TONE_PLAIN) &&
              sign_out;
    return ui_screen_end(&screen, ok, out);
}

static app_screen on_technician(kiosk_app *app, ui_action action, int arg)
{
    (void)arg;
    if (action != UI_ACTION_SIGN_OUT)
        return APP_SCREEN_UNHANDLED;
    app_role_end(app, "signed-out");
    return APP_SCREEN_STAY;
}

const app_controller app_technician_controller = {.name = "technician",
                                                  .build = build_technician,
                                                  .on_action = on_technician,
                                                  .ignores_cards = true};
