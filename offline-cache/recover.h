/* Records stranded in another database of this terminal — one moved aside
 * at open because it failed its check, or by a technician — brought back
 * into the store so they are still sent. */
#ifndef KIOSK_OFFLINE_CACHE_RECOVER_H
#define KIOSK_OFFLINE_CACHE_RECOVER_H

#include "offline-cache/store.h"

#include <stdint.h>

typedef struct cache_recover_report {
    int64_t adopted;    /* outbox records now in this store (quarantined ones stay so) */
    int64_t known;      /* records whose key this store already had */
    int64_t stranded;   /* records that could not be read or opened: left in the file */
    int64_t settings;   /* settings carried over (receipts, kept answers) */
    bool unreadable;    /* the file could not be read to its end: more may be stranded */
    char moved_to[700]; /* where the file went once nothing was left in it; else "" */
} cache_recover_report;

/* Copies what from_path holds into store, in one transaction: its outbox
 * records (opened with the store's key under their old id and sealed again
 * under their new one, keeping their idempotency keys, so a record the
 * platform already has is answered as a replay, never stored twice), the
 * settings under the given prefixes (NULL-terminated; a key this store
 * has is kept as it is), and the larger of each counter. When every record
 * came over, the file (with its -wal and -shm) is renamed
 * <from_path>.recovered-<UTC time>; otherwise it stays for a technician
 * and report->stranded says how many are in it. Errors: IO (cannot open it
 * or write here), NO_SPACE. */
kiosk_error cache_recover_from(cache_store *store, const char *from_path,
                               const char *const *setting_prefixes, int64_t now_ms,
                               cache_recover_report *report, kiosk_diag *diag) KIOSK_MUST_CHECK;

#endif
