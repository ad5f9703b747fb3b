/* The result of a service and the print step (app_print.c): the facts
 * shown, the receipt built once and shown as it prints, a failure told to
 * staff. Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_PRINT_H
#define KIOSK_FIRMWARE_APP_APP_PRINT_H

#include "drivers/printer/receipt.h"
#include "firmware/app/app_core.h"

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

/* Sends a receipt of staff's own (a test page, a reprint) to the printer as
 * job, whose id carries APP_STAFF_JOB_BIT (app_staff.h): its end goes to
 * app_staff_print_done, never to a citizen's print step. Errors:
 * NO_DEVICE (no printer attached), BUSY, NO_MEMORY. */
kiosk_error app_print_staff_receipt(kiosk_app *app, uint64_t job,
                                    const receipt *r) KIOSK_MUST_CHECK;

/* Shows the end of a service (the platform's answer, or kept here). The
 * facts are copied and wiped when the citizen goes home or the session
 * ends. Errors: TOO_BIG when a fact is longer than the receipt holds,
 * NO_MEMORY. */
kiosk_error app_show_result(kiosk_app *app, const ui_result_model *result) KIOSK_MUST_CHECK;

/* What the citizen does after this service, in the frame's language: the
 * catalog's next steps, "nothing more: the result is sent to you", or "". */
const char *app_result_next_steps(kiosk_app *app, const ui_frame_model *frame);

/* The moment at (UTC seconds) in the hall's zone and the citizen's
 * language, "2026年12月7日 12:19" / "7 Dec 2026, 12:19". */
void app_local_time(const kiosk_app *app, int64_t at, char *out, size_t size);

#endif
