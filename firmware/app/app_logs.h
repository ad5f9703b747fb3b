/* The kiosk's recent log, for technicians (firmware/app/app_logs.c): the
 * last lines kept in memory (already masked by firmware/base/log), shown
 * (kioskctl logs) and exported to a USB stick (kioskctl logs --export).
 * Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_LOGS_H
#define KIOSK_FIRMWARE_APP_APP_LOGS_H

#include "firmware/app/app_core.h"

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

#endif
