/* The kiosk's recent log, for technicians (firmware/app/app_logs.c): the
 * last lines kept in memory (already masked by firmware/base/log), shown
 * (kioskctl logs), exported to a USB stick (kioskctl logs --export) and
 * sent to the platform (kioskctl logs --send, the log page's 发送到平台).
 * Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_LOGS_H
#define KIOSK_FIRMWARE_APP_APP_LOGS_H

#include "firmware/app/app_core.h"

#include "firmware/platform/log_upload.h"

#include <stddef.h>

/* The last lines (oldest first, '\n' after each), up to max_lines, in a
 * malloc'd string the caller frees; NULL when there is no memory. */
char *app_logs_recent(kiosk_app *app, size_t max_lines);

/* Writes the recent log, the terminal, the board profile's name and the
 * firmware version to a new file kiosk-log-<terminal>-<UTC time>.txt under
 * dir (a mounted USB stick); written (may be NULL) gets its path. Audited
 * as "logs.export" with actor. Errors: NOT_FOUND (no such folder: no
 * stick), IO, NO_SPACE, NO_MEMORY. */
kiosk_error app_logs_export(kiosk_app *app, const char *dir, const char *actor, char *written,
                            size_t written_size, kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Sends the recent log to the platform (POST /v1/logs) on a worker: the
 * UI never waits. done (may be NULL) is called on the main thread, from
 * app_logs_tick, with how it ended; the outcome is audited there as
 * "logs.send" with actor, and logged. An upload that got no answer, or one
 * that was not the protocol's, is kept for ten minutes: sending again in
 * that time sends the same body under the same key, so the platform keeps
 * it once even when the first one did arrive. One upload at a time.
 * Errors: BUSY (one is under way), UNSUPPORTED (the board names no
 * platform link, or its certificates are not there), NO_MEMORY, IO (no
 * worker). */
typedef void (*app_logs_sent)(const log_upload_result *result, void *context);
kiosk_error app_logs_send(kiosk_app *app, const char *actor, app_logs_sent done,
                          void *context) KIOSK_MUST_CHECK;
/* An upload is under way. */
bool app_logs_sending(const kiosk_app *app);
/* How the last upload ended, when there was one since the app started. */
bool app_logs_last_sent(const kiosk_app *app, log_upload_result *out);
/* The loop's: takes a finished upload from its worker. */
void app_logs_tick(kiosk_app *app);

#endif
