/* The platform as the citizen sees it (app_platform.c): a submission kept
 * and its result, the link on the screen, the citizen's questions. The
 * platform layer itself (firmware/platform/) has no UI. Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_PLATFORM_H
#define KIOSK_FIRMWARE_APP_APP_PLATFORM_H

#include "firmware/app/app_core.h"
#include "firmware/base/event_channel.h"
#include "firmware/platform/receipt_index.h"
#include "firmware/platform/sync.h"
#include <cjson/cJSON.h>

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
/* Asks the platform for a place in a counter's queue (预约取号) for matter
 * in period; false when it cannot be asked now. The answer comes as
 * APP_EVENT_APPOINTMENT. */
bool app_platform_book(kiosk_app *app, const char *service, const char *matter, const char *period,
                       const char *id_number);
/* Asks the platform for the citizen's certificates of service, and for one
 * of them (name: as the card or e-ID gave it): false when they cannot be
 * asked now; the answers come as APP_EVENT_DOCUMENTS and APP_EVENT_DOCUMENT. */
bool app_platform_documents(kiosk_app *app, const char *service, const char *id_number,
                            const char *name);
bool app_platform_document(kiosk_app *app, const char *service, const char *id_number,
                           const char *name, const char *document);
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

#endif
