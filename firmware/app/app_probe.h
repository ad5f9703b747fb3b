/* What tests, benchmarks and the test control channel look at: the screen
 * shown, the session's memory (for tests of the wipe), the simulated devices
 * to act on, the frames drawn. The kiosk's own modules never call these. */
#ifndef KIOSK_FIRMWARE_APP_APP_PROBE_H
#define KIOSK_FIRMWARE_APP_APP_PROBE_H

#include "firmware/app/app.h"
#include "firmware/app/navigation.h"
#include "firmware/platform/sync.h"

/* Handles every queued event and due timer, then redraws if anything
 * changed; never sleeps. For tests that push events and look. */
void app_process_pending(kiosk_app *app);

/* What is on screen now, for tests and (later) the accessibility tree. */

const char *app_theme_name(const kiosk_app *app);
ui_text *app_text(kiosk_app *app);

/* The session's buffer of what the citizen typed (the ID number), for tests
 * of the wipe: size bytes at *out. */
const char *app_typed_memory(const kiosk_app *app, size_t *size);
/* The same for the result screen's facts, and the identity a card gave. The
 * service under way is the session's (app_session_flow). */
const char *app_result_memory(const kiosk_app *app, size_t *size);
const char *app_identity_memory(const kiosk_app *app, size_t *size);

/* The simulated ID card reader, when the board has one plugged in (NULL
 * otherwise), for tests to lay cards on; and the developer's keys
 * (drivers/sim/simulation.h: 1-7 lay a card, 0 lifts it, u pulls or plugs
 * the reader, p the paper, s and e a code shown to the scanner). */
struct usb_model *app_sim_reader(kiosk_app *app);
/* The ID card reader's latest status as the app knows it: "ready",
 * "unplugged", ... */
const char *app_reader_reason(const kiosk_app *app);
/* The same for the scanner and the printer. */
const char *app_scanner_reason(const kiosk_app *app);
const char *app_printer_reason(const kiosk_app *app);
bool app_sim_reader_key(kiosk_app *app, int key);

/* The simulated printer and scanner, when the board has them (NULL
 * otherwise), for tests; the receipt the print step shows and sends; and a
 * receipt drawn dot for dot (one pixel a printer dot), as the screen draws
 * it, into a new surface (the caller frees it). */
struct usb_model *app_sim_printer(kiosk_app *app);
struct usb_model *app_sim_scanner(kiosk_app *app);
struct receipt;
const struct receipt *app_print_shown(const kiosk_app *app);
kiosk_error app_render_receipt(kiosk_app *app, const struct receipt *r,
                               SDL_Surface **out) KIOSK_MUST_CHECK;

/* What the widgets of the current screen are drawn with. */
ui_context app_ui_context(kiosk_app *app);
const board_profile *app_board(const kiosk_app *app);
ui_display *app_display(kiosk_app *app);
unsigned long app_frames_drawn(const kiosk_app *app);

/* The frame as last shown (partial redraws included), without drawing: a
 * new ARGB8888 surface the caller frees. Errors: DISPLAY, NO_MEMORY. */
kiosk_error app_frame_shown(kiosk_app *app, SDL_Surface **out) KIOSK_MUST_CHECK;

/* Draws the current screen afresh and returns it as a new ARGB8888 surface
 * (caller frees). Errors: DISPLAY, NO_MEMORY. */
kiosk_error app_capture(kiosk_app *app, SDL_Surface **out) KIOSK_MUST_CHECK;

/* As if the platform layer had said this of the link (configured: the
 * board has its certificates), for tests of what staff are told. */
void app_probe_link(kiosk_app *app, bool configured, const sync_progress *progress);

/* The simulated device of kind stops answering for ms, its worker stuck in
 * one turn (simulation_stall): for the watchdog's tests. False when the
 * board has no such simulated device. */
bool app_sim_stall(kiosk_app *app, device_kind kind, unsigned ms);

#endif
