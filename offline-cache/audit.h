/* The audit trail (留痕): append-only, hash-chained records of what staff,
 * technicians and the terminal did, kept in the store beside the outbox
 * (docs/audit.md).
 *
 * Each row holds its sequence number, time, actor, action, subject (masked)
 * and detail, the previous row's hash and its own: hash = H(prev_hash ||
 * canonical row). H is SHA-256, or SM3 on a 国密 board (the store's cipher
 * is sm4-gcm). The head (last sequence number and hash) is also kept sealed
 * under a key derived from the store's sealing key, so a tail cut off or
 * replaced by someone without the key is detected too. Nothing personal
 * beyond a masked subject belongs in a row. */
#ifndef KIOSK_OFFLINE_CACHE_AUDIT_H
#define KIOSK_OFFLINE_CACHE_AUDIT_H

#include "offline-cache/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CACHE_AUDIT_TEXT_MAX 160
#define CACHE_AUDIT_HASH_HEX 65 /* 32 bytes as hex, and the NUL */

typedef struct cache_audit_event {
    const char *actor; /* "staff:S001", "technician:T001", "kioskctl:root", "citizen", "terminal" */
    const char *action;  /* "staff.sign_in", "staff.pin_wrong", "outbox.resend", ... */
    const char *subject; /* masked: "K0420-000042", "110105********1234", or "" */
    const char *detail;  /* no personal data; may be "" */
} cache_audit_event;

typedef struct cache_audit_head {
    int64_t sequence; /* of the last row; 0: none yet */
    char hash[CACHE_AUDIT_HASH_HEX];
    char algorithm[8]; /* "sha256" or "sm3" */
} cache_audit_head;

/* Appends a row (and, in the same transaction, an outbox record of kind
 * "audit" carrying it, so the platform gets every row). head (may be NULL)
 * receives the new head. Joins the caller's transaction (cache_begin).
 * Errors: INVALID_ARGUMENT (no actor or action, a text over
 * CACHE_AUDIT_TEXT_MAX), NO_SPACE, IO. */
kiosk_error cache_audit_append(cache_store *store, const cache_audit_event *event, int64_t now_s,
                               cache_audit_head *head, kiosk_diag *diag) KIOSK_MUST_CHECK;

kiosk_error cache_audit_head_get(cache_store *store, cache_audit_head *out,
                                 kiosk_diag *diag) KIOSK_MUST_CHECK;

typedef enum cache_audit_break {
    CACHE_AUDIT_INTACT = 0,
    CACHE_AUDIT_EDITED,      /* a row's content no longer matches its hash */
    CACHE_AUDIT_DELETED,     /* a sequence number is missing */
    CACHE_AUDIT_REORDERED,   /* a row's previous hash is another row's */
    CACHE_AUDIT_TRUNCATED,   /* rows after the last one are missing (the sealed head says more) */
    CACHE_AUDIT_REPLACED,    /* the chain's end is not the one the sealed head records */
    CACHE_AUDIT_HEAD_FORGED, /* the sealed head is missing or its seal does not verify */
} cache_audit_break;

typedef struct cache_audit_verdict {
    cache_audit_break found;
    int64_t rows;          /* rows checked */
    int64_t at_sequence;   /* the first row found broken (0 when intact) */
    char explanation[240]; /* one line for a technician */
} cache_audit_verdict;

/* Walks the whole chain. Errors: IO (the verdict then says nothing). */
kiosk_error cache_audit_verify(cache_store *store, cache_audit_verdict *out,
                               kiosk_diag *diag) KIOSK_MUST_CHECK;

const char *cache_audit_break_name(cache_audit_break found);

/* Rows with sequence > after, oldest first, up to max, for kioskctl and the
 * staff screens. Strings are copied. Errors: IO. */
typedef struct cache_audit_row {
    int64_t sequence, at_s;
    char actor[64], action[64], subject[64], detail[CACHE_AUDIT_TEXT_MAX + 1];
    char hash[CACHE_AUDIT_HASH_HEX];
} cache_audit_row;
kiosk_error cache_audit_list(cache_store *store, int64_t after, cache_audit_row *out, size_t max,
                             size_t *count, kiosk_diag *diag) KIOSK_MUST_CHECK;

#endif
