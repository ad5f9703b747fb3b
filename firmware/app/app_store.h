/* The app's offline store (firmware/app/app_store.c): opening it, and opening it
 * again with back-off when it could not be (a full disk, a read-only one, a
 * database from newer firmware, a directory where the file belongs); keeping
 * a submission's number, record and receipt in one transaction; forgetting
 * what is older than the board's retention; and what staff are told about
 * all of it. Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_STORE_H
#define KIOSK_FIRMWARE_APP_APP_STORE_H

#include "firmware/app/app_internal.h"

/* Opens the store unless it is open. On success the sync thread starts too
 * (when the board has certificates); on failure the store counts as broken
 * and is tried again by app_store_tick, with back-off. */
kiosk_error app_store_open(kiosk_app *app, kiosk_diag *diag) KIOSK_MUST_CHECK;

/* The store's options: the board's limits, its cipher and key; path gets
 * the database's path. Makes the data directory, and makes it 0700 when it
 * already exists with more. */
kiosk_error app_store_options(kiosk_app *app, cache_options *out, char *path, size_t size,
                              kiosk_diag *diag) KIOSK_MUST_CHECK;

/* A broken store's next try is due; once a day, what is past retention is
 * forgotten. */
void app_store_tick(kiosk_app *app);
/* Milliseconds until app_store_tick has work, or -1. */
long long app_store_next_ms(const kiosk_app *app);

/* The app is going: what was known of its store is forgotten (another app
 * made later, perhaps at the same address, starts afresh). */
void app_store_forget(const kiosk_app *app);

/* The store could not be opened (it is being tried again). */
bool app_store_broken(const kiosk_app *app);

/* The strings key of the note citizens should see beside the clock while
 * the terminal cannot keep applications ("store.unavailable_note"), else
 * NULL: the store is not why anything is unavailable. */
const char *app_store_citizen_note_key(const kiosk_app *app);

/* A write to the store failed (diag: why, for staff) or, with NULL, one
 * succeeded again. */
void app_store_write_result(kiosk_app *app, const kiosk_diag *failed);

/* Keeps a submission: the next receipt number (into
 * app->platform.local_reference), the outbox record whose body body()
 * builds once the number is known, and the receipt index's entry, in one
 * transaction: all three or none. body returns a malloc'd text the callee
 * wipes and frees, or NULL (no memory). *id: the record's id. */
kiosk_error app_store_keep_submission(kiosk_app *app, const char *service_id,
                                      const char *idempotency_key,
                                      char *(*body)(kiosk_app *app, void *context), void *context,
                                      int64_t *id, kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Forgets what is older than the board's retention: unsent records (never
 * quarantined ones: staff must see them), kept answers and receipt index
 * entries. Runs at open and once a day. */
void app_store_purge(kiosk_app *app);

/* app_platform.c: starts the sync thread once the store is open (nothing
 * when the board has no certificates or it runs already). */
kiosk_error app_platform_start_sync(kiosk_app *app, kiosk_diag *diag) KIOSK_MUST_CHECK;

#endif
