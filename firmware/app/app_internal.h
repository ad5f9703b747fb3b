/* The app's state, shared by app.c (lifecycle, loop, timers), app_screens.c
 * (the screen table, navigation, input) and app_session.c (the citizen's
 * session). Not for other modules. */
#ifndef KIOSK_FIRMWARE_APP_APP_INTERNAL_H
#define KIOSK_FIRMWARE_APP_APP_INTERNAL_H

#include "drivers/devices.h"
#include "drivers/idcard/protocol.h"
#include "drivers/printer/receipt.h"
#include "drivers/usb.h"
#include "drivers/usb_model.h"
#include "firmware/app/app.h"
#include "firmware/app/app_probe.h"
#include "firmware/app/navigation.h"
#include "firmware/services/catalog.h"

#include <cjson/cJSON.h>

#include "firmware/app/test_control.h"
#include "firmware/base/event_channel.h"
#include "firmware/base/id_number.h"
#include "firmware/base/idle_wait.h"
#include "firmware/platform/receipt_index.h"
#include "firmware/platform/sync.h"
#include "firmware/services/flow.h"
#include "offline-cache/seal.h"
#include "offline-cache/store.h"
#include "ui/live.h"
#include "ui/screens.h"
#include "ui/strings.h"
#include "ui/text.h"

#include <stdbool.h>

/* A new finger on a screen younger than this is a leftover of the tap that
 * changed screens (a double tap), not a choice on the new one. */
#define APP_TRANSITION_GUARD_MS 250
/* How long the time-out warning counts down, before the theme's scale. */
#define APP_WARNING_SECONDS 30
/* An identified citizen idle this long on home has gone (before the theme's
 * scale): the visit ends with no warning, whose "continue" would be the next
 * person's to tap. See docs/session-and-themes.md. */
#define APP_IDENTIFIED_HOME_IDLE_SECONDS 30
/* How long a card left on the reader is asked back before staff are called
 * and the attract screen returns. */
#define APP_TAKE_CARD_SECONDS 60

/* app.c: the app's frame — what it loaded, the display, the loop. */
const kiosk_args *app_args(const kiosk_app *app);
const catalog *app_catalog(const kiosk_app *app);
/* A new catalog in place of the one in use (between sessions only: nothing
 * may point into the old one); returns the old one, the caller's to free. */
catalog *app_replace_catalog(kiosk_app *app, catalog *fresh);
const board_profile *app_board(const kiosk_app *app);
ui_strings *app_strings(const kiosk_app *app);
const ui_metrics *app_metrics(const kiosk_app *app);
ui_display *app_display(kiosk_app *app);
ui_text *app_text(kiosk_app *app);
ui_context app_ui_context(kiosk_app *app);
/* The screen is built again at the loop's next turn, when no finger is
 * down. */
void app_show_again_soon(kiosk_app *app);
uint64_t app_now_ms(const kiosk_app *app);
time_t app_wall_time(const kiosk_app *app);

/* Marks area (frame pixels) to be drawn again; nothing else need be. */
void app_mark_dirty(kiosk_app *app, SDL_Rect area);
void app_mark_all_dirty(kiosk_app *app);

/* navigation.c; app_show is app_go's former name. */
static inline KIOSK_MUST_CHECK kiosk_error app_show(kiosk_app *app, app_screen screen)
{
    return app_go(app, screen);
}
/* Rebuilds the current screen for news from elsewhere (the link, a device),
 * but never under a finger: a screen rebuilt mid-touch loses the touch. */
void app_show_again(kiosk_app *app);
/* input.c: a finger, the mouse, the developer's keys. */
void app_handle_input(kiosk_app *app, const SDL_Event *event);
/* A finger is on the glass now. */
bool app_input_finger_down(const kiosk_app *app);
/* The widget tree was replaced: nothing is pressed or dragged any more; on a
 * new screen, a finger still down is no longer a touch on it. */
void app_input_tree_replaced(kiosk_app *app, bool new_screen);
void app_clock_text(kiosk_app *app, char *out, size_t out_size);
ui_frame_model app_frame_model(kiosk_app *app, const char *clock_text);

/* A deliberate tap on widget (the test control channel): press and release
 * at its centre through the same path as a finger. */
void app_tap_widget(kiosk_app *app, ui_widget *widget);

/* app_control.c: the test control channel, when the board turns it on
 * (address: its socket; "" none). */
kiosk_error app_control_start(kiosk_app *app, const char *address,
                              kiosk_diag *diag) KIOSK_MUST_CHECK;
void app_control_stop(kiosk_app *app);
/* "advance": what the channel added to the session clock. */
uint64_t app_control_clock_offset_ms(const kiosk_app *app);
void app_control_command(kiosk_app *app, control_command *command);
void app_control_check_wait(kiosk_app *app);
/* Milliseconds until a pending wait times out, or -1. */
long long app_control_next_ms(const kiosk_app *app);

/* app_devices.c */
/* app_print.c */
/* The tracking number on the result shown ("" when none). */
const char *app_result_tracking_number(const kiosk_app *app);
void app_result_forget(kiosk_app *app);
struct printer_result;
void app_print_receipt(kiosk_app *app, const ui_frame_model *frame, receipt *r);
bool app_print_available(const kiosk_app *app);
void app_print_start(kiosk_app *app);
void app_print_event(kiosk_app *app, const struct printer_result *result);
kiosk_error app_print_build(kiosk_app *app, const ui_frame_model *frame,
                            ui_widget **out) KIOSK_MUST_CHECK;

/* app_flow.c */
ui_step_model app_flow_step_model(const kiosk_app *app);
/* The citizen chose the service at index: its first step is shown. */
void app_flow_open(kiosk_app *app, size_t index);
/* The citizen is identified (by card, or by the number typed): the form is
 * filled from it and the next step shown. */
void app_flow_identified(kiosk_app *app);
void app_flow_next(kiosk_app *app);
void app_flow_back(kiosk_app *app);
void app_flow_cancel(kiosk_app *app);
void app_flow_edit(kiosk_app *app, int field);
void app_flow_choose(kiosk_app *app, int choice);
void app_flow_key(kiosk_app *app, int key);
void app_flow_toggle(kiosk_app *app, int material);
kiosk_error app_flow_build_form(kiosk_app *app, const ui_frame_model *frame,
                                ui_widget **out) KIOSK_MUST_CHECK;
kiosk_error app_flow_build_field(kiosk_app *app, const ui_frame_model *frame,
                                 ui_widget **out) KIOSK_MUST_CHECK;
kiosk_error app_flow_build_materials(kiosk_app *app, const ui_frame_model *frame,
                                     ui_widget **out) KIOSK_MUST_CHECK;
kiosk_error app_flow_build_confirm(kiosk_app *app, const ui_frame_model *frame,
                                   ui_widget **out) KIOSK_MUST_CHECK;

/* app_query.c */
void app_query_forget(kiosk_app *app);
void app_query_start(kiosk_app *app);
void app_query_event(kiosk_app *app, const sync_query_result *result);
kiosk_error app_query_build(kiosk_app *app, const ui_frame_model *frame,
                            ui_widget **out) KIOSK_MUST_CHECK;

/* app_rate.c */
bool app_rate_offered(const kiosk_app *app);
bool app_rate_given(const kiosk_app *app);
/* The next service is rated on its own. */
void app_rate_forget(kiosk_app *app);
void app_rate_enter(kiosk_app *app);
void app_rate_choose(kiosk_app *app, int choice);
kiosk_error app_rate_build(kiosk_app *app, const ui_frame_model *frame,
                           ui_widget **out) KIOSK_MUST_CHECK;

/* app_scan.c */
void app_scan_forget_typed(kiosk_app *app);
/* The scan step shows a note of its own (the device's state is not said). */
bool app_scan_has_note(const kiosk_app *app);
kiosk_error app_scan_build(kiosk_app *app, const ui_frame_model *frame,
                           ui_widget **out) KIOSK_MUST_CHECK;
kiosk_error app_lookup_build(kiosk_app *app, const ui_frame_model *frame,
                             ui_widget **out) KIOSK_MUST_CHECK;
void app_scan_event(kiosk_app *app, const app_event *event);
/* The service under way takes an e-ID code as identification. */
bool app_scan_eid_allowed(const kiosk_app *app);
void app_scan_eid_answer(kiosk_app *app, const sync_eid_result *result);
void app_scan_enter(kiosk_app *app);
kiosk_error app_number_build(kiosk_app *app, const ui_frame_model *frame,
                             ui_widget **out) KIOSK_MUST_CHECK;
void app_number_key(kiosk_app *app, int key);
/* The typed number is done: look it up. */
void app_number_ask(kiosk_app *app);

/* app_platform.c */
kiosk_error app_platform_start(kiosk_app *app, kiosk_diag *diag) KIOSK_MUST_CHECK;
void app_platform_stop(kiosk_app *app);
void app_platform_event(kiosk_app *app, const app_event *event);
void app_platform_devices_changed(kiosk_app *app);
/* The board has a platform, and its link is down: services that need it
 * say so before the citizen starts. */
bool app_platform_link_down(const kiosk_app *app);
/* The citizen's questions can be asked now (the link is up, the thread runs). */
bool app_platform_can_ask(const kiosk_app *app);
/* The platform layer (NULL until first needed), whether the board has
 * certificates for it, and the link's latest state. */
struct kiosk_platform *app_platform_core(const kiosk_app *app);
bool app_platform_configured(const kiosk_app *app);
sync_progress app_platform_link_state(const kiosk_app *app);
/* The link can serve a service that needs it. */
bool app_platform_link_usable(const kiosk_app *app);
const char *app_platform_link_key(const kiosk_app *app);
/* Keeps the citizen's submission and sends it: false when it could not be
 * kept (the caller shows why). Shows the result itself, now or when the
 * platform answers. */
bool app_platform_submit(kiosk_app *app);
void app_platform_tick(kiosk_app *app);
long long app_platform_next_ms(const kiosk_app *app);
void app_platform_session_end(kiosk_app *app);
/* Keeps a record of kind (body: its JSON, nothing personal) in the outbox
 * under this session's key for step, and wakes the sync thread. */
kiosk_error app_platform_put(kiosk_app *app, const char *kind, const char *step,
                             cJSON *body) KIOSK_MUST_CHECK;
/* Tells staff something needs them at this terminal (a staff-call record
 * in the outbox: reason, the screen it happened on). */
kiosk_error app_platform_call_staff(kiosk_app *app, const char *reason, const char *screen);
/* Asks the platform for tracking's status: false when it cannot be asked
 * (no platform, one under way); the answer comes as APP_EVENT_LOOKUP. */
bool app_platform_lookup(kiosk_app *app, const char *tracking);
/* Asks the platform who an e-ID code is: false when it cannot be asked
 * now; the answer comes as APP_EVENT_EID. */
bool app_platform_verify_eid(kiosk_app *app, const char *code);
/* Asks the platform service's data for the citizen: false when it cannot
 * be asked now; the answer comes as APP_EVENT_QUERY. */
bool app_platform_query(kiosk_app *app, const char *service, const char *id_number);
/* Keeps an answer (its JSON: service, as_of, lines) for id_number, sealed. */
void app_platform_keep_answer(kiosk_app *app, const char *id_number, const char *json);
/* The answer kept for id_number and service (malloc'd JSON), or NULL. */
char *app_platform_kept_answer(kiosk_app *app, const char *service, const char *id_number);
/* This terminal's record of a receipt it issued (by any of its numbers). */
bool app_platform_find_receipt(kiosk_app *app, const char *number, receipt_entry *out);
/* Brings staff's line on the attract screen up to date, in place. */
void app_platform_refresh_staff_note(kiosk_app *app);
/* The link, the outbox and the last error, in one line for staff. */
void app_platform_staff_note(const kiosk_app *app, const ui_frame_model *frame, char *out,
                             size_t size);

kiosk_error app_devices_start(kiosk_app *app, kiosk_diag *diag) KIOSK_MUST_CHECK;
/* The devices were started (after the first frame). */
bool app_devices_started(const kiosk_app *app);
/* A device's latest status as the app knows it. */
const device_status *app_device(const kiosk_app *app, device_kind kind);
/* The card on the reader identifies nobody until it is lifted (the visit
 * it was laid for has ended). */
void app_devices_card_left(kiosk_app *app);
/* A card lies on the reader: being read, read, or refused, and not yet
 * lifted (the driver waits for the lift in each case). */
bool app_devices_card_on_reader(const kiosk_app *app);
void app_devices_stop(kiosk_app *app);
void app_devices_status(kiosk_app *app, const device_status *status);
/* What a device produced (APP_EVENT_DEVICE_DELIVERY): a card, a print job's
 * end, a scan, handed to what uses it. */
void app_devices_delivery(kiosk_app *app, const app_event *event);
/* The manager that has the board's device of kind, or NULL. */
device_manager *app_devices_manager(kiosk_app *app, device_kind kind);
/* The terminal showed a tracking number (the simulated scanner's key). */
void app_devices_shown_tracking(kiosk_app *app, const char *number);
/* A developer's key on a simulated board (drivers/sim/simulation.h): lay a
 * card (1-7), lift it (0), pull or plug the reader (u), the paper (p), a
 * scan (s, e). True when the key was one of those. */
bool app_devices_key(kiosk_app *app, SDL_Keycode key);
/* The string key of what the card step says about the reader now (in key,
 * or a fixed key), and whether it is a problem. */
const char *app_devices_reader_text(const kiosk_app *app, bool *problem, char *key,
                                    size_t key_size);

/* app_help.c: help is asked for (from any screen). */
void app_help_open(kiosk_app *app);
/* What the error screen says: "error.not_kept", "error.needs_link". */
void app_error_set(kiosk_app *app, const char *kind);

/* app_identify.c: why the last card or e-ID code was refused (a string
 * key), said on the card step until another is laid; NULL: none. */
void app_card_set_notice(kiosk_app *app, const char *key);
const char *app_card_notice(const kiosk_app *app);

/* app_start.c: home shows its first page of tiles again. */
void app_home_first_page(kiosk_app *app);

/* app_session.c: the citizen's record and the session's clock. */

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
/* When the screen shown was last changed (navigation.c). */
uint64_t app_shown_at_ms(const kiosk_app *app);
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

/* app.c */
uint64_t app_now_ms(const kiosk_app *app);
time_t app_wall_time(const kiosk_app *app);

#endif
