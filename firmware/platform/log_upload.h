/* The recent log sent to the platform (firmware/platform/log_upload.c), for
 * a technician who wants the platform's people to read it: POST /v1/logs
 * over the same mutually authenticated link as every call (the terminal's
 * certificate presented, the platform checked against its CA and pin),
 * under an Idempotency-Key so that a retry of an upload whose answer was
 * lost is kept once (docs/protocol.md, "Logs").
 *
 * The lines come from the logger's ring, already masked; they are masked
 * again here before they leave (an ID or mobile number that reached the
 * ring some other way is caught, counted and logged), and anything that is
 * not UTF-8 text is replaced. A body is at most LOG_UPLOAD_MAX_BYTES: the
 * oldest lines are left out first, and the body says how many.
 *
 * log_upload_send blocks for seconds at most (one request, no retry of its
 * own: the technician asks again); run it on a worker (log_upload_start). */
#ifndef KIOSK_FIRMWARE_PLATFORM_LOG_UPLOAD_H
#define KIOSK_FIRMWARE_PLATFORM_LOG_UPLOAD_H

#include "firmware/base/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A request's body, at most: the platform refuses more (413). */
#define LOG_UPLOAD_MAX_BYTES (256 * 1024)
/* The platform's answer, at most: a larger one is not read. */
#define LOG_UPLOAD_ANSWER_MAX (16 * 1024)
/* "logs:" and 32 hex digits. */
#define LOG_UPLOAD_KEY_SIZE 40

/* Who sends, from where: the body's header fields. */
typedef struct log_upload_meta {
    const char *terminal_id;
    const char *board;            /* the board profile's name */
    const char *firmware_version; /* NULL: "unknown" */
    const char *actor;            /* "technician:T001", "kioskctl:root" */
    int64_t now_s;                /* when, UTC seconds */
} log_upload_meta;

/* One upload, ready to go and to go again unchanged. */
typedef struct log_upload_request {
    char key[LOG_UPLOAD_KEY_SIZE]; /* Idempotency-Key: logs:<32 random hex digits> */
    char *body;                    /* the JSON sent, malloc'd */
    size_t length;
    size_t lines;   /* lines in the body */
    size_t dropped; /* the oldest lines left out to stay under LOG_UPLOAD_MAX_BYTES */
    size_t masked;  /* personal numbers found unmasked here, and masked */
} log_upload_request;

/* Makes the body from text (lines, each ending in '\n', as log_recent
 * gives them) and a fresh key. Errors: NO_MEMORY; INVALID_ARGUMENT (no
 * terminal id). */
kiosk_error log_upload_prepare(const log_upload_meta *meta, const char *text,
                               log_upload_request *out, kiosk_diag *diag) KIOSK_MUST_CHECK;
void log_upload_request_free(log_upload_request *request);

typedef struct log_upload_config {
    const char *url; /* the platform's base URL, https://host:port/ */
    const char *ca_file, *client_cert, *client_key;
    const char *pinned_key; /* "sha256//..." or NULL */
    const char *terminal_id;
    const char *firmware_version;
    long timeout_ms; /* the whole request: 0 for 8000 (kioskctl waits 10 s) */
} log_upload_config;

/* How it ended, for the technician. */
typedef enum log_upload_outcome {
    LOG_UPLOAD_SENT = 0,   /* 201: the platform keeps it (or kept it already: replay) */
    LOG_UPLOAD_NO_ANSWER,  /* no connection, a time-out, a TLS failure, an answer cut short */
    LOG_UPLOAD_BAD_ANSWER, /* an answer that is not the protocol's: a gateway's page, a 5xx */
    LOG_UPLOAD_REFUSED,    /* 401/403: the platform refuses this terminal */
    LOG_UPLOAD_REJECTED,   /* a typed 400/413/422, or 409 idempotency-conflict */
    LOG_UPLOAD_LOCAL,      /* nothing was sent: no libcurl, no memory, no platform */
    LOG_UPLOAD_OUTCOME_COUNT,
} log_upload_outcome;

/* "sent", "no-answer", "bad-answer", "refused", "rejected", "local": the
 * string table's "tech.logs.send.<name>". */
const char *log_upload_outcome_name(log_upload_outcome outcome);

/* Whether the platform may hold the upload without the terminal knowing
 * it (no answer, or one that is not the protocol's): then the same
 * request, key and body, is what to send again. */
bool log_upload_worth_retrying(log_upload_outcome outcome);

typedef struct log_upload_result {
    log_upload_outcome outcome;
    long status;          /* the HTTP status; 0: none */
    bool replay;          /* Idempotent-Replay: the platform had it already */
    size_t lines;         /* the platform's count of the lines it keeps (SENT) */
    char received_at[32]; /* the platform's time (SENT) */
    char message[300];    /* what failed, in a technician's words; "" when sent */
} log_upload_result;

/* One POST /v1/logs (blocking). */
void log_upload_send(const log_upload_config *config, const log_upload_request *request,
                     log_upload_result *out);

/* Sends on a new detached worker thread, which calls done(result, context)
 * when it ends (on that thread: copy what you need and wake the main
 * thread). The config's strings and the request are copied. Errors:
 * NO_MEMORY, IO. */
typedef void (*log_upload_done)(const log_upload_result *result, void *context);
kiosk_error log_upload_start(const log_upload_config *config, const log_upload_request *request,
                             log_upload_done done, void *context) KIOSK_MUST_CHECK;

#endif
