/* The terminal's durable store: one SQLite database under the board's data
 * directory, in WAL mode with synchronous=FULL (a commit that returned
 * survives a power cut), secure_delete on (deleted rows are overwritten, not
 * left in free pages), its schema versioned and migrated at open.
 *
 * Each thread opens its own handle on the same file (the main thread puts,
 * the sync thread claims and acknowledges); WAL lets them read while the
 * other writes, and a write waits at most for the other's short commit.
 *
 * At open, PRAGMA quick_check runs. A database that fails it (or is not a
 * database at all) is moved aside as <path>.corrupt-<time> with its -wal and
 * -shm files — never silently overwritten — reported, and a fresh one
 * started. */
#ifndef KIOSK_OFFLINE_CACHE_STORE_H
#define KIOSK_OFFLINE_CACHE_STORE_H

#include "firmware/base/error.h"
#include "offline-cache/seal.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct cache_store cache_store;

typedef struct cache_options {
    const char *path;           /* the database file */
    seal_cipher cipher;         /* for records that hold personal data */
    const seal_key *key;        /* copied at open; NULL: personal records are refused */
    int64_t max_outbox_records; /* 0: the default (100,000) */
    int64_t max_outbox_bytes;   /* 0: the default (256 MiB) */
    int retention_days;         /* unacknowledged records older are purged; 0: 30 */
    int64_t min_free_bytes;     /* refuse new work below this much free disk; 0: 16 MiB */
} cache_options;

/* What happened at open that someone should know. */
typedef struct cache_open_report {
    bool moved_aside;   /* the database was corrupt and was moved aside */
    char moved_to[600]; /* where */
    int schema_from;    /* the schema version found (0: a new database) */
    int schema_to;      /* the version now */
} cache_open_report;

/* Opens (creating, migrating, checking) the store at options->path.
 * report may be NULL. Errors: IO (cannot open or create; diag says which file
 * and why), NO_SPACE (the disk is full), UNSUPPORTED (a schema newer than
 * this firmware knows: never downgraded). */
kiosk_error cache_open(const cache_options *options, cache_store **out, cache_open_report *report,
                       kiosk_diag *diag) KIOSK_MUST_CHECK;
void cache_close(cache_store *store);

/* A transaction spanning several calls (a local record and its outbox
 * record commit together). Calls made inside it join it; without one, each
 * call is its own transaction. Errors of commit: IO, NO_SPACE (then nothing
 * of the transaction was kept). */
kiosk_error cache_begin(cache_store *store) KIOSK_MUST_CHECK;
kiosk_error cache_commit(cache_store *store) KIOSK_MUST_CHECK;
void cache_rollback(cache_store *store);

/* Writes the WAL back into the database and truncates it, so rows deleted
 * (and overwritten: secure_delete) leave no copy in the -wal file. The sync
 * thread calls it when the outbox drains and after a purge. */
kiosk_error cache_scrub(cache_store *store) KIOSK_MUST_CHECK;

/* How many days an unsent record is kept (the options' retention_days, or
 * the default); callers bound what they keep beside the outbox by it too. */
int cache_retention_days(const cache_store *store);

#endif
