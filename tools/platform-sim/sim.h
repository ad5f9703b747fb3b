/* The platform stand-in: what its modules share.
 *
 * platform-sim answers protocol v1 (docs/protocol.md) over HTTPS with mutual
 * TLS, stores what it accepts in SQLite, and injects faults on request, so the
 * terminal's HTTPS client can be tested against every way a link fails. It is
 * a development tool: it never ships on a terminal. See docs/platform-sim.md.
 *
 * An answer is built as plain data (sim_answer) by the protocol and control
 * modules; only server.c and faults.c turn answers into libmicrohttpd
 * responses, so the protocol logic can be read without the HTTP library.
 */
#ifndef KIOSK_TOOLS_PLATFORM_SIM_SIM_H
#define KIOSK_TOOLS_PLATFORM_SIM_SIM_H

#include "firmware/base/error.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_MODULE "platform-sim"

/* Request bodies over this are refused with 413 too-large. */
#define SIM_BODY_MAX (1024 * 1024)
/* The catalog cap of the protocol: a catalog file over it is not served. */
#define SIM_CATALOG_MAX (4 * 1024 * 1024)
/* Idempotency-Key, at most 95 bytes (the outbox's CACHE_KEY_MAX less the NUL). */
#define SIM_KEY_MAX 95
/* Terminal ids are certificate CNs: short. */
#define SIM_TERMINAL_MAX 64

/* The protocol calls, each counted on its own in the statistics. */
typedef enum sim_kind {
    SIM_KIND_HEARTBEAT = 0,
    SIM_KIND_CATALOG,
    SIM_KIND_SUBMISSION,
    SIM_KIND_SUBMISSION_STATUS,
    SIM_KIND_RATING,
    SIM_KIND_STAFF_CALL,
    SIM_KIND_QUERY,
    SIM_KIND_EID,
    SIM_KIND_APPOINTMENT,
    SIM_KIND_DOCUMENTS,   /* the citizen's certificates of a service (documents.h) */
    SIM_KIND_DOCUMENT,    /* one certificate, as a PDF */
    SIM_KIND_AUDIT,       /* an audit row (docs/audit.md) */
    SIM_KIND_CALL_ACK,    /* staff acknowledge a citizen's help call */
    SIM_KIND_CALLS,       /* the hall's waiting help calls */
    SIM_KIND_CREDENTIALS, /* the staff credentials file */
    SIM_KIND_ENROL,       /* a terminal's certificate enrolment (enrol.h) */
    SIM_KIND_LOGS,        /* a terminal's recent log, sent by a technician (logs.h) */
    SIM_KIND_COUNT,
} sim_kind;

/* "heartbeat", "catalog", "submission", "submission-status", "rating",
 * "staff-call": the names used in statistics and in the store. */
const char *sim_kind_name(sim_kind kind);

/* One answer before it becomes an HTTP response. */
typedef struct sim_answer {
    unsigned status;
    char *body; /* malloc'd; NULL for no body (304) */
    size_t length;
    const char *content_type; /* static string; NULL with no body */
    char etag[72];            /* quoted, or "" for none */
    unsigned retry_after_s;   /* Retry-After when not 0 */
    bool replay;              /* Idempotent-Replay: true */
} sim_answer;

/* One request as the protocol and control modules see it. */
typedef struct sim_call {
    const char *method;
    const char *path;
    const char *terminal_id;     /* the client certificate's CN */
    const char *idempotency_key; /* NULL when absent */
    const char *if_none_match;   /* NULL when absent */
    const char *body;            /* NUL-terminated; "" when none */
    size_t length;
} sim_call;

typedef struct sim_store sim_store;

/* Counters behind GET /_sim/stats; guarded by sim_context.lock. They count
 * records: a single call is one, each item of a batch is one of its own kind,
 * so a test sees the same numbers whichever way records travelled. */
typedef struct sim_stats {
    unsigned long received[SIM_KIND_COUNT];
    unsigned long duplicates[SIM_KIND_COUNT];
    unsigned long conflicts[SIM_KIND_COUNT];
    unsigned long refused; /* requests refused for their identity */
    unsigned long batches; /* POST /v1/batch requests, whatever became of them */
    /* Single protocol requests by kind, whatever became of them: a rate is
     * requests, not records (a batch's are in batches). */
    unsigned long requests[SIM_KIND_COUNT];
    unsigned long documents_served; /* certificates made (documents.c) */
} sim_stats;

/* The fault to inject; guarded by sim_context.lock. */
typedef enum sim_fault {
    SIM_FAULT_NONE = 0,
    SIM_FAULT_REFUSE,
    SIM_FAULT_HANG,
    SIM_FAULT_RESET_AFTER_COMMIT,
    SIM_FAULT_500,
    SIM_FAULT_503,
    SIM_FAULT_429,
    SIM_FAULT_TRICKLE,
    SIM_FAULT_TRUNCATED_JSON,
    SIM_FAULT_INVALID_JSON,
    SIM_FAULT_CAPTIVE_PORTAL,
    SIM_FAULT_HUGE_BODY,
    /* The hostile platform (hostile.h): untyped answers instead of the call */
    SIM_FAULT_409_HTML,
    SIM_FAULT_400_HTML,
    SIM_FAULT_400_TEXT,
    SIM_FAULT_413_HTML,
    SIM_FAULT_413_TEXT,
    SIM_FAULT_400_UNTYPED_JSON,
    SIM_FAULT_409_UNTYPED_JSON,
    SIM_FAULT_413_UNTYPED_JSON,
    /* ... and the call's own answer, spoiled */
    SIM_FAULT_TRAILING_GARBAGE,
    SIM_FAULT_CLOCK_2199,
    SIM_FAULT_CLOCK_1970,
    SIM_FAULT_CLOCK_NEGATIVE,
    SIM_FAULT_TRACKING_SENTENCE,
    SIM_FAULT_TRACKING_URL,
    SIM_FAULT_TRACKING_HIDDEN,
    SIM_FAULT_TEXT_CONTROLS,
    SIM_FAULT_TEXT_BIDI,
    SIM_FAULT_TEXT_ZERO_WIDTH,
    SIM_FAULT_TEXT_INVALID_UTF8,
    SIM_FAULT_BATCH_STATUS_FLOAT,
    SIM_FAULT_BATCH_STATUS_HUGE,
    SIM_FAULT_BATCH_STATUS_WRAPPED,
    /* A certificate's fetch, spoiled (documents.h) */
    SIM_FAULT_PDF_TRUNCATED,
    SIM_FAULT_PDF_NOT_PDF,
    SIM_FAULT_PDF_WRONG_TYPE,
    SIM_FAULT_PDF_PAGES,
    /* A gateway in front of the platform with nothing behind it (hostile.h) */
    SIM_FAULT_502_HTML,
    SIM_FAULT_COUNT,
} sim_fault;

typedef struct sim_fault_plan {
    sim_fault fault;
    long remaining; /* -1: until cleared */
    /* Applies to protocol paths starting with this, or with any of its
     * comma-separated prefixes ("/v1/submissions,/v1/batch": every way a
     * record travels, and not the heartbeat). */
    char path[128];
    unsigned long applied[SIM_FAULT_COUNT];
} sim_fault_plan;

/* Everything the request threads share. */
/* A certificate the stand-in issued: what its public page says of it. */
#define SIM_ISSUED_MAX 256
typedef struct sim_issued {
    char code[32];   /* the verification code printed on it */
    char title[128]; /* the document's title */
    char at[32];     /* when, UTC, as sim_time_now */
} sim_issued;

typedef struct sim_context {
    sim_store *store;
    char catalog_path[1024];
    char credentials_path[1024]; /* --credentials: "" when none is served */
    /* A record under this Idempotency-Key is answered 422 bad-request until
     * cleared (POST /_sim/refuse-key); guarded by lock. */
    char refused_key[SIM_KEY_MAX + 1];
    pthread_mutex_t lock; /* guards stats and plan */
    sim_stats stats;
    sim_fault_plan plan;
    /* Closing stop_pipe[1] wakes every thread that waits in sim_wait_stop
     * (held and trickled connections) at once when the stand-in stops. */
    int stop_pipe[2];
    /* https://127.0.0.1:<port>/, set before the first request: the base of
     * the public verification URLs printed on certificates. */
    char public_url[128];
    /* The certificates issued, newest over oldest (guarded by lock). */
    sim_issued issued[SIM_ISSUED_MAX];
    unsigned issued_count;
} sim_context;

/* Fills answer with a typed JSON error (docs/protocol.md, "Errors"). */
void sim_answer_error(sim_answer *answer, unsigned status, const char *code, const char *message,
                      unsigned retry_after_s);

/* Takes body (malloc'd JSON text) as the answer's body. */
void sim_answer_json(sim_answer *answer, unsigned status, char *body);

void sim_answer_free(sim_answer *answer);

/* The current UTC time as 2026-11-22T09:30:00Z. */
void sim_time_now(char out[32]);

/* Reads a whole file of at most max bytes into a NUL-terminated malloc'd
 * buffer. Errors: NOT_FOUND, IO, TOO_BIG, NO_MEMORY (diag names the file). */
kiosk_error sim_read_file(const char *path, size_t max, char **out, size_t *length,
                          kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Waits up to ms milliseconds, or until the stand-in stops, or (when fd is
 * not -1) until the peer on fd hangs up. Returns true when stopping or the
 * peer went away, false when the time ran out. */
bool sim_wait_stop(sim_context *sim, int fd, unsigned ms);

#endif
