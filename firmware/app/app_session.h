/* The citizen's session (app_session.c): who the citizen is and all they
 * gave (the session is the only owner of that record, and its end the
 * only wipe), their language and theme, and the time-outs. */
#ifndef KIOSK_FIRMWARE_APP_APP_SESSION_H
#define KIOSK_FIRMWARE_APP_APP_SESSION_H

#include "firmware/app/app_core.h"
#include "firmware/base/id_number.h"
#include "firmware/services/flow.h"

/* How long the time-out warning counts down, before the theme's scale. */
#define APP_WARNING_SECONDS 30
/* An identified citizen idle this long on home has gone (before the theme's
 * scale): the visit ends with no warning, whose "continue" would be the next
 * person's to tap. See docs/session-and-themes.md. */
#define APP_IDENTIFIED_HOME_IDLE_SECONDS 30
/* How long a card left on the reader is asked back before staff are called
 * and the attract screen returns. */
#define APP_TAKE_CARD_SECONDS 60

/* What the citizen typed on the identification step. */
typedef struct app_typed {
    char id_number[ID_NUMBER_LENGTH + 1];
    bool show_problem; /* the number was tried and is not one */
} app_typed;

/* A new app's session state: the hall's language and the theme. */
void app_session_init(kiosk_app *app, lang language, ui_theme_id theme);
lang app_language(const kiosk_app *app);
void app_session_set_language(kiosk_app *app, lang language);
const ui_theme *app_theme(const kiosk_app *app);
ui_theme_id app_theme_id(const kiosk_app *app);
/* The service under way and all the citizen gave for it (flow.c). */
flow *app_session_flow(const kiosk_app *app);
/* The service chosen (its tile's index in the catalog). */
size_t app_session_service_index(const kiosk_app *app);
void app_session_set_service_index(kiosk_app *app, size_t index);
app_typed *app_session_typed(const kiosk_app *app);
bool app_in_session(const kiosk_app *app);
/* The citizen identified by their card or an e-ID (an address only from
 * the card): false, and nothing changed, when another citizen is already
 * identified in this session. */
bool app_session_identify(kiosk_app *app, const char *name, const char *id_number,
                          const char *address, bool by_eid);
/* The seconds the time-out warning shows now. */
int app_session_warning_seconds(const kiosk_app *app);
/* The citizen acted (a touch, a card, a code shown): the idle time-out
 * starts again. */
void app_session_touched(kiosk_app *app);
void app_session_forget_typed(kiosk_app *app);
/* The service the citizen was in, and all they gave and were shown for it,
 * forgotten (not who they are). */
void app_session_forget_service(kiosk_app *app);
/* The citizen is identified: by a card, or an e-ID code. */
bool app_session_identified(const kiosk_app *app);
/* Who is the citizen: the ID number of their card or e-ID, else the number
 * they typed ("" when neither). */
const char *app_session_citizen_id(const kiosk_app *app);
/* Their name, from the card or e-ID; NULL when not identified. */
const char *app_session_citizen_name(const kiosk_app *app);
const char *app_session_citizen_address(const kiosk_app *app);
/* The number typed is wiped (the typed claim is refused). */
void app_session_forget_typed_number(kiosk_app *app);
/* How: "id-card", "e-id", "typed" or "none". */
const char *app_session_identified_by(const kiosk_app *app);
void app_session_start(kiosk_app *app);
void app_session_end(kiosk_app *app, const char *why);
/* Nobody is here: the hall's language and theme, and the attract screen. */
void app_session_rest(kiosk_app *app);
void app_session_continue(kiosk_app *app);
void app_session_set_theme(kiosk_app *app, ui_theme_id theme);
/* Time-outs: the warning, its countdown, and the end. */
void app_session_tick(kiosk_app *app);
/* Milliseconds until the session's next timer, or -1 when none. */
long long app_session_next_ms(const kiosk_app *app);
uint64_t app_idle_limit_ms(const kiosk_app *app);
uint64_t app_warning_ms(const kiosk_app *app);

/* The staff member (their id, "S001") who started this session for the
 * citizen present (帮办), carried into the submission; "" when none. Wiped
 * when the session ends. */
void app_session_set_assisted_by(kiosk_app *app, const char *staff_id);
const char *app_session_assisted_by(const kiosk_app *app);

#endif
