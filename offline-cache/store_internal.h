/* What the store's modules share: the handle and SQLite helpers. */
#ifndef KIOSK_OFFLINE_CACHE_STORE_INTERNAL_H
#define KIOSK_OFFLINE_CACHE_STORE_INTERNAL_H

#include "offline-cache/store.h"

#include <sqlite3.h>

struct cache_store {
    sqlite3 *db;
    char path[512];
    seal_cipher cipher;
    seal_key key;
    bool has_key;
    int64_t max_outbox_records;
    int64_t max_outbox_bytes;
    int retention_days;
    int64_t min_free_bytes;
    int transaction_depth; /* 1 inside cache_begin */
};

/* A SQLite result code as the project's error: FULL → NO_SPACE, the rest of
 * the failures → IO. Fills diag with what and SQLite's message. */
kiosk_error store_error(cache_store *store, int code, const char *what, kiosk_diag *diag);

/* Rolls back a transaction nobody owns (left by a BEGIN or ROLLBACK that
 * failed, out of memory). Every entry point calls it first, so nothing reads
 * or commits a half-written record. */
void store_settle(cache_store *store);

/* Begins a write transaction unless the caller's is open; *own tells
 * whether this call must commit or roll back. */
kiosk_error store_begin_own(cache_store *store, bool *own, kiosk_diag *diag);
kiosk_error store_end_own(cache_store *store, bool own, kiosk_error result, kiosk_diag *diag);

/* Steps a prepared statement that returns no rows (code: what preparing
 * it returned), finalises it, and gives the outcome as the project's error. */
kiosk_error store_run(cache_store *store, sqlite3_stmt *statement, int code, const char *what,
                      kiosk_diag *diag);

/* The associated data a record's payload is sealed with: "<id>:<kind>"
 * (outbox.c); its length. An id has at most 20 characters with its sign. */
#define OUTBOX_AAD_MAX (20 + 1 + 32 + 1)
size_t outbox_associated_data(int64_t id, const char *kind, uint8_t out[OUTBOX_AAD_MAX]);

/* Prepares sql (one statement, NUL-terminated) on the store's connection:
 * SQLite's result code. */
int store_prepare(cache_store *store, const char *sql, sqlite3_stmt **statement);

/* Whether the disk under the store has less than min_free_bytes free. */
bool store_disk_low(cache_store *store);

#endif
