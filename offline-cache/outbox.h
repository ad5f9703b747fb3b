/* The outbox: what must reach the platform, kept until the platform says it
 * has it. Nothing is lost (a put that returned is on disk), nothing is sent
 * twice (each record carries an idempotency key the platform deduplicates
 * by), and a record is deleted only when acknowledged.
 *
 * The main thread puts (in the same transaction as any local record it
 * belongs to: see cache_begin); the sync thread claims the oldest due
 * records, sends them, and acknowledges or fails each. */
#ifndef KIOSK_OFFLINE_CACHE_OUTBOX_H
#define KIOSK_OFFLINE_CACHE_OUTBOX_H

#include "offline-cache/store.h"

#include <stddef.h>
#include <stdint.h>

#define CACHE_KIND_MAX    32
#define CACHE_KEY_MAX     96
#define CACHE_PAYLOAD_MAX (4 * 1024 * 1024)

/* terminal id + session id + step: the same submission always gets the same
 * key, so a retry after a crash is recognised by the platform. Returns false
 * when it does not fit (out holds CACHE_KEY_MAX). */
bool cache_idempotency_key(const char *terminal_id, const char *session_id, const char *step,
                           char out[CACHE_KEY_MAX]);

typedef struct cache_put {
    const char *kind;            /* "submission", "rating", "staff-call" */
    const char *idempotency_key; /* see cache_idempotency_key */
    const uint8_t *payload;
    size_t payload_length;
    bool personal; /* sealed at rest (the store's cipher and key) */
    /* What staff see of the record without its payload being opened
     * (cache_outbox_list): nothing personal, a subject only masked. Each
     * may be NULL; longer than CACHE_LABEL_MAX is refused. */
    const char *reference; /* the receipt's number: "K0420-000042" */
    const char *service;   /* the service's name */
    const char *subject;   /* masked: "110105********1234" */
} cache_put;

#define CACHE_LABEL_MAX 96

/* Commits the record (or joins the caller's transaction). *id is its id.
 * A put with a key already in the outbox keeps the first record and returns
 * its id (a retried put is not a second submission). Errors: INVALID_ARGUMENT
 * (no kind or key, too long, payload over CACHE_PAYLOAD_MAX, personal without
 * a key), NO_SPACE (the outbox is at its limit, or the disk is full or nearly:
 * what is queued stays intact), IO. */
kiosk_error cache_outbox_put(cache_store *store, const cache_put *put, int64_t now_ms, int64_t *id,
                             kiosk_diag *diag) KIOSK_MUST_CHECK;

typedef struct cache_record {
    int64_t id;
    char kind[CACHE_KIND_MAX];
    char idempotency_key[CACHE_KEY_MAX];
    uint8_t *payload; /* opened; wiped and freed by cache_records_free */
    size_t payload_length;
    int attempts;
    int64_t created_at; /* wall clock, seconds */
} cache_record;

/* Up to max of the oldest records due at now_ms, oldest first, into out
 * (*count of them). A sealed record that fails to open (a wrong key, a
 * flipped bit) is quarantined — kept, never sent — logged and counted in
 * the counter "outbox.quarantined", and skipped. Errors: IO, NO_MEMORY. */
kiosk_error cache_outbox_claim(cache_store *store, int64_t now_ms, size_t max, cache_record *out,
                               size_t *count, kiosk_diag *diag) KIOSK_MUST_CHECK;
void cache_records_free(cache_record *records, size_t count);

/* The platform has these: delete them (in one transaction). Ids no longer
 * there are fine (acknowledged before a crash). Errors: IO. */
kiosk_error cache_outbox_ack(cache_store *store, const int64_t *ids, size_t count,
                             kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Sending failed: remember why (no personal data in error) and when to try
 * again. Errors: IO. */
kiosk_error cache_outbox_fail(cache_store *store, int64_t id, const char *error,
                              int64_t next_attempt_ms, kiosk_diag *diag) KIOSK_MUST_CHECK;

/* The link is back: every record waiting out a back-off becomes due now
 * and its back-off starts afresh (its attempt count is cleared: failures
 * while the link was gone were the link's); quarantined ones stay put.
 * *count says how many changed. Errors: IO. */
kiosk_error cache_outbox_retry_now(cache_store *store, int64_t now_ms, int64_t *count,
                                   kiosk_diag *diag) KIOSK_MUST_CHECK;

/* The platform will never accept this record (it said so: 400, 413, 422):
 * keep it for staff, never send it again. reason has no personal data.
 * Errors: IO. */
kiosk_error cache_outbox_quarantine(cache_store *store, int64_t id, const char *reason,
                                    kiosk_diag *diag) KIOSK_MUST_CHECK;

typedef struct cache_outbox_stats {
    int64_t records;     /* waiting to be sent (audit rows apart: see audit) */
    int64_t bytes;       /* their payloads */
    int64_t quarantined; /* kept but never to be sent */
    int64_t oldest_created_at;
    int64_t audit; /* audit rows (kind "audit") waiting to be sent */
} cache_outbox_stats;

kiosk_error cache_outbox_stats_get(cache_store *store, cache_outbox_stats *out,
                                   kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Deletes unsent records older than the retention limit (now_s: wall
 * clock, seconds), logging an audit line for each (id, kind, age; never the
 * payload), then scrubs. *purged says how many. Quarantined records are
 * kept whatever their age: each is an application the platform never had,
 * counted on staff's line until a technician deals with it, and it must
 * not disappear before someone has. Errors: IO. */
kiosk_error cache_outbox_purge(cache_store *store, int64_t now_s, int64_t *purged,
                               kiosk_diag *diag) KIOSK_MUST_CHECK;

/* ---- for staff: the records the platform refused ---------------------- */

typedef struct cache_outbox_entry {
    int64_t id;
    bool quarantined;
    char kind[CACHE_KIND_MAX];
    char reference[CACHE_LABEL_MAX], service[CACHE_LABEL_MAX], subject[CACHE_LABEL_MAX];
    char last_error[160]; /* the platform's reason (quarantined) or the last failure */
    int attempts;
    int64_t created_at; /* wall clock, seconds */
} cache_outbox_entry;

/* Up to max records, quarantined first then the oldest waiting (only the
 * quarantined with quarantined_only), into out; *count of them. Payloads
 * are never read: what tells records apart was kept beside them at put.
 * Errors: IO. */
kiosk_error cache_outbox_list(cache_store *store, bool quarantined_only, cache_outbox_entry *out,
                              size_t max, size_t *count, kiosk_diag *diag) KIOSK_MUST_CHECK;
/* Sends quarantined record id again (after a fix): due at now_ms, its
 * attempts cleared, counted in the outbox again. Joins the caller's
 * transaction. Errors: NOT_FOUND (no such quarantined record), IO. */
kiosk_error cache_outbox_release(cache_store *store, int64_t id, int64_t now_ms,
                                 kiosk_diag *diag) KIOSK_MUST_CHECK;
/* Closes quarantined record id for good: its payload is deleted (and
 * overwritten: secure_delete), a tombstone keeps what it was (kind, key,
 * the labels), when, by whom and why. Joins the caller's transaction.
 * Errors: INVALID_ARGUMENT (no closed_by or reason, or longer than 160
 * bytes), NOT_FOUND, IO. */
kiosk_error cache_outbox_close(cache_store *store, int64_t id, const char *closed_by,
                               const char *reason, int64_t now_s,
                               kiosk_diag *diag) KIOSK_MUST_CHECK;

typedef struct cache_outbox_tombstone {
    int64_t id;
    char kind[CACHE_KIND_MAX];
    char idempotency_key[CACHE_KEY_MAX];
    char reference[CACHE_LABEL_MAX], service[CACHE_LABEL_MAX], subject[CACHE_LABEL_MAX];
    char closed_by[64], reason[161];
    int64_t created_at, closed_at;
} cache_outbox_tombstone;

/* Record id as cache_outbox_list gives it. Errors: NOT_FOUND, IO. */
kiosk_error cache_outbox_entry_get(cache_store *store, int64_t id, cache_outbox_entry *out,
                                   kiosk_diag *diag) KIOSK_MUST_CHECK;

/* The tombstone of closed record id. Errors: NOT_FOUND, IO. */
kiosk_error cache_outbox_tombstone_get(cache_store *store, int64_t id, cache_outbox_tombstone *out,
                                       kiosk_diag *diag) KIOSK_MUST_CHECK;

#endif
