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
#include <stdint.h>

typedef struct kiosk_app kiosk_app;

/* Every screen: its enum name, and its controller's, app_<name>_controller,
 * defined in the file that owns the screen. A new screen is one line here
 * and its controller (docs/adding-a-screen.md). */
#define APP_SCREENS(X)                                                                             \
    X(ATTRACT, attract)       /* nobody is here (app_start.c) */                                   \
    X(HOME, home)             /* the services, as tiles (app_start.c) */                           \
    X(IDENTIFY, identify)     /* a service's first step: the ID number typed (app_identify.c) */   \
    X(CONFIRM, confirm)       /* a service's last look before it is submitted (app_flow.c) */      \
    X(HELP, help)             /* help, and calling staff (app_help.c) */                           \
    X(ERROR, error)           /* what could not be done, and the ways on (app_help.c) */           \
    X(TIMEOUT, timeout)       /* are you still there? (app_help.c) */                              \
    X(RESULT, result)         /* what became of the service: the receipt's facts (app_print.c) */  \
    X(CARD, card)             /* a service's first step: lay the ID card (app_identify.c) */       \
    X(SCAN, scan)             /* show a code to the scanner (app_scan.c) */                        \
    X(LOOKUP, lookup)         /* the answer to a status lookup (app_scan.c) */                     \
    X(PRINT, print)           /* the receipt printing (app_print.c) */                             \
    X(RATE, rate)             /* 好差评: rate the service (app_rate.c) */                       \
    X(FORM, form)             /* a service's form (app_flow.c) */                                  \
    X(FIELD, field)           /* one of its fields, being filled (app_flow.c) */                   \
    X(MATERIALS, materials)   /* the materials it needs, as a checklist (app_flow.c) */            \
    X(NUMBER, number)         /* a tracking number typed, to look up (app_scan.c) */               \
    X(ANSWER, answer)         /* a citizen's data: the platform's, or kept here (app_query.c) */   \
    X(FINISHED, finished)     /* a service is done: another, or the end? (app_help.c) */           \
    X(TAKE_CARD, take_card)   /* the visit is over and the card is still on the reader */          \
    X(PAUSED, paused)         /* out of service: go to a counter (app_paused.c) */                 \
    X(TYPE, type)             /* a text field typed on the keyboard (app_type.c) */                \
    X(DOCUMENT, document)     /* a certificate: which, its pages, printing (app_document.c) */     \
    X(SIGN, sign)             /* a signature field, signed on a pad (app_sign.c) */                \
    X(STAFF, staff)           /* hall staff's home: status, calls, refused, paper (app_staff.c) */ \
    X(TECHNICIAN, technician) /* a technician's home: self-tests, network (app_technician.c) */    \
    X(TECH_SELFTEST, tech_selftest) /* the devices' self-tests (app_tech_selftest.c) */            \
    X(TECH_PATTERN, tech_pattern)   /* the screen's test pattern (app_tech_selftest.c) */          \
    X(TECH_TOUCH, tech_touch)       /* the touch test's targets (app_tech_selftest.c) */           \
    X(TECH_LOGS, tech_logs)         /* the recent log, and its export (app_tech_logs.c) */         \
    X(TECH_NETWORK, tech_network)   /* the network toward the platform (app_tech_network.c) */     \
    X(STAFF_STATUS, staff_status) /* the terminal's state in staff's words (app_staff_status.c) */ \
    X(STAFF_CALLS, staff_calls)   /* the hall's help calls (app_staff_calls.c) */                  \
    X(STAFF_REFUSED, staff_refused) /* applications the platform refused (app_staff_refused.c) */  \
    X(STAFF_PAPER, staff_paper)     /* paper refilled, test page, reprint (app_staff_paper.c) */   \
    X(STAFF_ASSIST, staff_assist)   /* a service started for a citizen (app_staff_assist.c) */     \
    X(STAFF_PIN, staff_pin)         /* staff or a technician types their PIN (app_signin.c) */     \
    X(STAFF_IDLE, staff_idle)       /* a role session left alone: still there? (app_role.c) */     \
    X(TECH_CERT, tech_cert)         /* the client certificate, and its renewal (app_tech_cert.c) */

typedef enum app_screen {
#define APP_SCREEN_ENUM(upper, lower) APP_SCREEN_##upper,
    APP_SCREENS(APP_SCREEN_ENUM)
#undef APP_SCREEN_ENUM
        APP_SCREEN_COUNT,
    /* What on_action returns when it has done all there is to do (it went
     * somewhere itself, or nothing changes on screen). */
    APP_SCREEN_STAY = -1,
    /* ... and when the action is not its own: the actions every screen
     * shares (language, theme, help, home, ...) are done by navigation. */
    APP_SCREEN_UNHANDLED = -2,
} app_screen;

/* News from the devices that the screen shown may act on: the devices'
 * side (app_devices.c) keeps the statuses and the citizen's identity, and
 * the controller decides what the citizen sees. */
typedef enum app_news {
    APP_NEWS_READER,  /* the ID card reader's status changed (laid, lifted, gone) */
    APP_NEWS_CARD,    /* a card was read: the citizen identified, or a notice why not */
    APP_NEWS_SCANNER, /* the scanner's status changed */
    APP_NEWS_VISIT,   /* a card laid with nobody here started a visit */
    APP_NEWS_A4,      /* an A4 job ended, or the A4 printer's status changed during one */
} app_news;

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
    /* News from the devices while it is shown; NULL: home for a visit a
     * card started, the screen built again for a card, nothing else. */
    void (*on_event)(kiosk_app *app, app_news news);
    /* Wipes what the controller keeps of the citizen: when the session
     * ends, and when the app starts. */
    void (*forget)(kiosk_app *app);
    bool theme_switches; /* the citizen may change theme here */
    /* A card read here identifies nobody (the visit is over, or the
     * citizen is deciding or done): it must be lifted and laid again. */
    bool ignores_cards;
} app_controller;

/* The controllers, each defined in the file that owns its screen. */
#define APP_CONTROLLER_DECLARE(upper, lower) extern const app_controller app_##lower##_controller;
APP_SCREENS(APP_CONTROLLER_DECLARE)
#undef APP_CONTROLLER_DECLARE

/* Shows screen, built afresh (the same screen: rebuilt). On failure the
 * citizen stays where they were. */
kiosk_error app_go(kiosk_app *app, app_screen screen) KIOSK_MUST_CHECK;
/* The first screen (attract) for a new app; the last one's tree freed. */
void app_navigation_start(kiosk_app *app);
void app_navigation_stop(kiosk_app *app);
/* What the widgets of the screen are drawn with: strings, language, theme,
 * the hall's name and the clock's text. */
ui_frame_model app_frame_model(kiosk_app *app, const char *clock_text);
/* The screen's widget tree, and when it was last changed. */
ui_widget *app_root(kiosk_app *app);
uint64_t app_shown_at_ms(const kiosk_app *app);
/* The screen shown now, and its name. */
app_screen app_current_screen(const kiosk_app *app);
const char *app_screen_name(const kiosk_app *app);
const char *app_screen_name_of(app_screen screen);
/* Every controller forgets the citizen (the session's wipe calls it). */
void app_controllers_forget(kiosk_app *app);
/* Tells the screen shown of news from the devices. */
void app_tell(kiosk_app *app, app_news news);
/* A card read now identifies nobody. */
bool app_screen_ignores_cards(const kiosk_app *app);
/* Does what a tap on widget means on the screen shown now. */
void app_perform(kiosk_app *app, ui_action action, int arg);

#endif
