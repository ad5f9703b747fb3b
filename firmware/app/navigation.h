/* Navigation: which screen is shown, and the one table that says, for each
 * screen, the controller that builds it and handles what is done on it.
 *
 * Only navigation shows a screen. A controller says where the citizen goes
 * next by returning a screen from on_action, or by app_go() when news comes
 * from elsewhere (a device, the platform, a timer). */
#ifndef KIOSK_FIRMWARE_APP_NAVIGATION_H
#define KIOSK_FIRMWARE_APP_NAVIGATION_H

#include "firmware/base/error.h"
#include "ui/screens.h"
#include "ui/widget.h"

#include <stdbool.h>

typedef struct kiosk_app kiosk_app;

typedef enum app_screen {
    APP_SCREEN_ATTRACT, /* nobody is here */
    APP_SCREEN_HOME,
    APP_SCREEN_IDENTIFY, /* a service's first step: who is the citizen */
    APP_SCREEN_CONFIRM,  /* a service's last look before it is submitted */
    APP_SCREEN_HELP,
    APP_SCREEN_ERROR,     /* what could not be done, and the ways on */
    APP_SCREEN_TIMEOUT,   /* are you still there? */
    APP_SCREEN_RESULT,    /* what became of the service: the receipt's facts */
    APP_SCREEN_CARD,      /* a service's first step: lay the ID card */
    APP_SCREEN_SCAN,      /* show a code to the scanner */
    APP_SCREEN_LOOKUP,    /* the answer to a status lookup */
    APP_SCREEN_PRINT,     /* the receipt printing */
    APP_SCREEN_RATE,      /* 好差评: rate the service */
    APP_SCREEN_FORM,      /* a service's form */
    APP_SCREEN_FIELD,     /* one of its fields, being filled */
    APP_SCREEN_MATERIALS, /* the materials it needs, as a checklist */
    APP_SCREEN_NUMBER,    /* a tracking number typed, to look up */
    APP_SCREEN_ANSWER,    /* a citizen's data: the platform's, or kept here */
    APP_SCREEN_FINISHED,  /* a service is done: another, or the end? */
    APP_SCREEN_TAKE_CARD, /* the visit is over and the card is still on the reader */
    APP_SCREEN_COUNT,
    /* What on_action returns when it has done all there is to do (it went
     * somewhere itself, or nothing changes on screen). */
    APP_SCREEN_STAY = -1,
    /* ... and when the action is not its own: the actions every screen
     * shares (language, theme, help, home, ...) are done by navigation. */
    APP_SCREEN_UNHANDLED = -2,
} app_screen;

/* One screen's controller. Everything but name and build may be NULL. */
typedef struct app_controller {
    const char *name; /* as the test control channel and the logs say it */
    /* Builds the screen's widget tree from the app's state. */
    kiosk_error (*build)(kiosk_app *app, const ui_frame_model *frame, ui_widget **out);
    /* Called after the screen is shown, coming from another one. */
    void (*enter)(kiosk_app *app);
    /* Called before another screen replaces it. */
    void (*leave)(kiosk_app *app);
    /* A tap on one of its widgets: the screen to show next (the same one to
     * build it again), APP_SCREEN_STAY or APP_SCREEN_UNHANDLED. */
    app_screen (*on_action)(kiosk_app *app, ui_action action, int arg);
    /* Wipes what the controller keeps of the citizen: when the session
     * ends, and when the app starts. */
    void (*forget)(kiosk_app *app);
    bool theme_switches; /* the citizen may change theme here */
} app_controller;

/* The controllers, each defined in the file that owns its screen. */
extern const app_controller app_attract_controller, app_home_controller;  /* app_start.c */
extern const app_controller app_identify_controller, app_card_controller; /* app_identify.c */
extern const app_controller app_help_controller, app_error_controller, app_timeout_controller,
    app_finished_controller, app_take_card_controller;                   /* app_help.c */
extern const app_controller app_result_controller, app_print_controller; /* app_print.c */
extern const app_controller app_scan_controller, app_lookup_controller,
    app_number_controller;                         /* app_scan.c */
extern const app_controller app_answer_controller; /* app_query.c */
extern const app_controller app_rate_controller;   /* app_rate.c */
extern const app_controller app_form_controller, app_field_controller, app_materials_controller,
    app_confirm_controller; /* app_flow.c */

/* Shows screen, built afresh (the same screen: rebuilt). On failure the
 * citizen stays where they were. */
kiosk_error app_go(kiosk_app *app, app_screen screen) KIOSK_MUST_CHECK;
/* The screen shown now, and its name. */
app_screen app_current_screen(const kiosk_app *app);
const char *app_screen_name_of(app_screen screen);
/* Every controller forgets the citizen (the session's wipe calls it). */
void app_controllers_forget(kiosk_app *app);
/* Does what a tap on widget means on the screen shown now. */
void app_perform(kiosk_app *app, ui_action action, int arg);

#endif
