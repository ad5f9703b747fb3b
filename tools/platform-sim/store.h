/* The stand-in's state in SQLite: the first answer under each idempotency key,
 * and the submissions it accepted (for the status call).
 *
 * One connection, one mutex: request threads take turns. A check-and-insert
 * under an idempotency key runs inside one transaction under the mutex, so two
 * requests racing with the same key create one record.
 */
#ifndef KIOSK_TOOLS_PLATFORM_SIM_STORE_H
#define KIOSK_TOOLS_PLATFORM_SIM_STORE_H

#include "sim.h"

#define SIM_DIGEST_BYTES 32
#define SIM_TRACKING_MAX 32

/* Opens (creating when missing) the state file. */
kiosk_error sim_store_open(const char *path, sim_store **out, kiosk_diag *diag) KIOSK_MUST_CHECK;
void sim_store_close(sim_store *store);

typedef enum sim_once {
    SIM_ONCE_FIRST,    /* nothing was stored under the key: made and stored now */
    SIM_ONCE_REPLAY,   /* the same body came before: its first answer */
    SIM_ONCE_CONFLICT, /* another body is stored under the key */
} sim_once;

/* Makes the first answer under a key. Called with the store locked, inside
 * its transaction: it may call sim_store_add_submission, and whatever it adds
 * is rolled back when it fails. */
typedef kiosk_error (*sim_first_answer)(sim_store *store, void *context, unsigned *status,
                                        char **body);

/* Looks up (terminal, kind, key). Unknown: calls make and stores its answer
 * with digest. Known with the same digest: the stored answer. Known with
 * another digest: SIM_ONCE_CONFLICT, no answer. *body is malloc'd. */
kiosk_error sim_store_once(sim_store *store, const char *terminal, const char *kind,
                           const char *key, const uint8_t digest[SIM_DIGEST_BYTES],
                           sim_first_answer make, void *context, sim_once *once, unsigned *status,
                           char **body) KIOSK_MUST_CHECK;

/* One key's check-and-insert in sim_store_once_many: what sim_store_once
 * takes, then what it gives. */
typedef struct sim_once_step {
    const char *terminal;
    const char *kind;
    const char *key;
    const uint8_t *digest; /* SIM_DIGEST_BYTES */
    sim_first_answer make;
    void *context;
    sim_once once;   /* out */
    unsigned status; /* out */
    char *body;      /* out: malloc'd; NULL for a conflict */
} sim_once_step;

/* sim_store_once for count keys in ONE transaction, taken in order (a key
 * that comes twice is a replay or a conflict the second time): a batch's
 * first answers are durable together before its answer is sent, and one
 * commit per batch rather than per record is what makes batches fast.
 * Either every step is committed or none is (every body NULL). */
kiosk_error sim_store_once_many(sim_store *store, sim_once_step *steps,
                                size_t count) KIOSK_MUST_CHECK;

/* Records an accepted submission (status "accepted") and gives its tracking
 * number, GD + the date of received_at + a six-digit sequence. Only from a
 * sim_first_answer. */
kiosk_error sim_store_add_submission(sim_store *store, const char *terminal, const char *service,
                                     const char *local_reference, const char *received_at,
                                     char tracking[SIM_TRACKING_MAX]) KIOSK_MUST_CHECK;

typedef struct sim_submission {
    char tracking_number[SIM_TRACKING_MAX];
    char local_reference[SIM_TRACKING_MAX]; /* "" when the terminal gave none */
    char status[16];
    char updated_at[32];
    char note[512];
} sim_submission;

/* NOT_FOUND when the tracking number is unknown. */
kiosk_error sim_store_get_submission(sim_store *store, const char *tracking,
                                     sim_submission *out) KIOSK_MUST_CHECK;

/* Moves a submission on (the control call /_sim/status). NOT_FOUND when unknown. */
kiosk_error sim_store_set_submission(sim_store *store, const char *tracking, const char *status,
                                     const char *note) KIOSK_MUST_CHECK;

/* Keeps a submission's signature (a PNG of width x height) under its
 * tracking number and field. Only from a sim_first_answer. */
kiosk_error sim_store_add_signature(sim_store *store, const char *tracking, const char *field,
                                    int width, int height, const uint8_t *png,
                                    size_t length) KIOSK_MUST_CHECK;

/* Each signature kept under tracking, in the order of their fields. */
typedef void (*sim_signature_visit)(void *context, const char *field, int width, int height,
                                    const void *png, size_t length);
kiosk_error sim_store_signatures(sim_store *store, const char *tracking, sim_signature_visit visit,
                                 void *context) KIOSK_MUST_CHECK;

/* Distinct keys stored for kind (when NULL: all kinds but "audit", whose
 * rows are the terminals' trail, not their records); -1 on a database
 * error. */
long sim_store_count(sim_store *store, const char *kind);

/* ---- the audit trail's copy (docs/audit.md), and help calls ------------ */

/* Keeps an audit row a terminal sent (called inside sim_store_once's make,
 * with the store locked). */
kiosk_error sim_store_add_audit_row(sim_store *store, const char *terminal, long long sequence,
                                    const char *prev_hash, const char *hash) KIOSK_MUST_CHECK;
/* The head a terminal's heartbeat reported (locks). */
kiosk_error sim_store_set_audit_head(sim_store *store, const char *terminal, long long sequence,
                                     const char *hash, const char *algorithm) KIOSK_MUST_CHECK;

typedef struct sim_audit_check {
    bool head_known;
    long long head_sequence;
    char head_hash[80], algorithm[16];
    long long rows;          /* rows received */
    bool linked;             /* they chain from 1 without a gap */
    long long first_gap;     /* the first sequence that does not link (when not linked) */
    long long last_sequence; /* of the last row received */
    char last_hash[80];
    bool matches; /* linked, and the last row is the head */
} sim_audit_check;
kiosk_error sim_store_audit_check(sim_store *store, const char *terminal,
                                  sim_audit_check *out) KIOSK_MUST_CHECK;

/* A staff call received, and its acknowledgement (both inside
 * sim_store_once's make). A call's id is "<terminal>:<key>". */
kiosk_error sim_store_add_staff_call(sim_store *store, const char *terminal, const char *key,
                                     const char *reason, const char *screen,
                                     const char *at) KIOSK_MUST_CHECK;
kiosk_error sim_store_ack_call(sim_store *store, const char *call_id,
                               const char *by) KIOSK_MUST_CHECK;
typedef void (*sim_call_visit)(void *context, const char *terminal, const char *key,
                               const char *reason, const char *screen, const char *at);
/* The waiting calls of every terminal (acknowledged false), or terminal's
 * acknowledged ones (true), oldest first (locks). */
kiosk_error sim_store_calls(sim_store *store, const char *terminal, bool acknowledged,
                            sim_call_visit visit, void *context) KIOSK_MUST_CHECK;

#endif
