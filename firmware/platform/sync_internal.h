/* The sync client's parts, shared by sync.c (the thread and draining),
 * sync_http.c (one request and what its answer means), sync_batch.c (many
 * records in one request) and sync_heartbeat.c (the heartbeat and the
 * catalog). Not for other modules. */
#ifndef KIOSK_FIRMWARE_PLATFORM_SYNC_INTERNAL_H
#define KIOSK_FIRMWARE_PLATFORM_SYNC_INTERNAL_H

#include "firmware/platform/staff_ops.h"
#include "firmware/platform/sync.h"
#include "offline-cache/outbox.h"

#include "firmware/platform/curl_lazy.h"
#include <cjson/cJSON.h>
#include <pthread.h>

#define SYNC_FIELD 512
#define SYNC_LOG   "sync"
/* The heartbeat's answer is small; the catalog may be up to 4 MiB. */
#define SYNC_CATALOG_MAX (4 * 1024 * 1024)
/* A batch request stays under the platform's 1 MiB body cap. */
#define SYNC_BATCH_BYTES_MAX (900 * 1024)
#define SYNC_BATCH_ITEMS_MAX 256
/* An item's bytes besides its key and body: {"path":"/v1/staff-calls",
 * "idempotency_key":"","body":""}, with room to spare. */
#define SYNC_BATCH_ITEM_FRAME 96
/* This terminal's acknowledged calls read from a heartbeat, and the hall's
 * waiting calls kept (sync_staff.c): more are ignored. */
#define SYNC_ACKNOWLEDGED_MAX 16
#define SYNC_CALLS_MAX        64
/* An answer's first allocation; it doubles up to its cap. */
#define SYNC_ANSWER_FIRST_BYTES 4096
/* An answer without Retry-After. */
#define SYNC_NO_RETRY_AFTER (-1)
/* The heartbeat's body besides the devices object. */
#define SYNC_HEARTBEAT_FRAME 512
/* An ETag as the platform sends it, quotes included. */
#define SYNC_ETAG_MAX 80
/* One request header line ("X-Terminal-Id: K0420"). */
#define SYNC_HEADER_MAX 96
/* A batch envelope's first allocation; it doubles as records are added. */
#define SYNC_BATCH_FIRST_BYTES (64 * 1024)
#define SYNC_TRACKING_MAX      64
/* Typed rejections in a row after which a pass stops and the link is shown
 * degraded: a platform that rejects everything must not empty the outbox
 * into quarantine. */
#define SYNC_REJECTIONS_MAX 3
/* How often to call the platform until it says (poll_interval_s). */
#define SYNC_POLL_FIRST_S 60
/* The client's TLS floor, whatever the board's OpenSSL configuration. */
#define SYNC_TLS_CIPHERS "DEFAULT:@SECLEVEL=2"
/* A platform clock further than this from the device's is not believed. */
#define SYNC_CLOCK_SKEW_MAX_MS (24LL * 3600 * 1000)

/* Not sent this pass (the pass stopped, or the batch had no room): the
 * record's schedule stands. Below every sync_outcome. */
#define SYNC_NOT_SENT ((sync_outcome)0)

struct sync_client {
    char url[SYNC_FIELD], ca_file[SYNC_FIELD], cert[SYNC_FIELD], key[SYNC_FIELD], pin[SYNC_FIELD];
    char terminal[64], version[64];
    unsigned connect_ms, total_ms, base_ms, cap_ms, probe_ms, claim, batch_items;
    size_t max_answer;
    const curl_api *api; /* libcurl, loaded when the client is made */
    CURL *curl;
    cache_store *store;
    bool batch_unsupported; /* the platform answered /v1/batch with 404 or 405 */
    /* Typed rejections in a row, across passes: past SYNC_REJECTIONS_MAX a
     * rejection is a sick platform's, not the record's, and it is retried. */
    unsigned rejected_in_row;
    /* The heartbeat got no answer last time: when it is answered again, the
     * link is back. Record calls failing while it is answered is not that. */
    bool beat_lost;
    bool records_failing; /* the last record call got no definite answer */
    /* The outbox could not be written (an acknowledgement, a new schedule):
     * no pass before store_hold_until (wall ms), doubling from base_ms. */
    unsigned store_failures;
    int64_t store_hold_until;
    unsigned poll_interval_s;
    char bad_catalog_version[64]; /* offered, fetched, invalid: not fetched again */
    /* Staff (sync_staff.c), under lock: the credentials' version the last
     * heartbeat offered, one found bad, this terminal's acknowledged calls,
     * and the hall's waiting calls while the staff screens watch them. */
    char credentials_offered[64], bad_credentials_version[64];
    char acknowledged[SYNC_ACKNOWLEDGED_MAX][CACHE_KEY_MAX];
    size_t acknowledged_count;
    bool watch_calls;
    platform_call calls[SYNC_CALLS_MAX];
    size_t calls_count;
    char awaited_call[CACHE_KEY_MAX]; /* this terminal's call not yet acknowledged, or "" */

    pthread_mutex_t lock; /* guards progress, devices and the thread's flags */
    pthread_cond_t wake;
    sync_progress progress;
    char devices[1024]; /* the heartbeat's "devices" object */
    bool woken, stopping, started;
    pthread_t thread;
    void (*notify)(const sync_progress *, void *);
    void (*delivered)(int64_t id, const char *kind, const char *tracking, void *context);
    /* A citizen's calls: one slot per kind (sync_ask.c), asked before
     * anything else and wiped once asked. */
    struct sync_slot {
        bool asked;
        sync_question question;
    } asks[SYNC_ASK_KINDS];
    void (*answered)(const sync_reply *reply, void *context);
    void *context;
    /* The client certificate file the handle's connections were made with
     * (device, inode, change time): another one (enrol.h renames a new
     * one in) and the handle is made afresh, its connections and TLS
     * sessions with it, so the next call presents the new certificate. */
    char cert_seen[96];
};

/* The libcurl handle with the client's TLS and time limits (sync.c): made
 * anew, the old one's connections closed. Errors: IO. */
kiosk_error sync_handle_open(sync_client *client, kiosk_diag *diag) KIOSK_MUST_CHECK;

/* What an answer brought. */
typedef struct sync_answer {
    char *body; /* NUL-terminated after length bytes; sync_answer_free wipes and frees */
    size_t length, cap, allocated;
    bool too_big;
    long retry_after_s; /* -1: none */
    bool json;
    char etag[SYNC_ETAG_MAX];
} sync_answer;

typedef struct sync_request {
    const char *path;            /* "/v1/heartbeat" */
    const char *idempotency_key; /* or NULL */
    const char *if_none_match;   /* a non-empty tag, or NULL */
    const char *body;            /* NULL: GET */
    size_t length;
    size_t max_answer; /* 0: the client's cap */
    /* A new connection, not one from the pool: after record calls got no
     * answer, a pooled connection the platform closes would make libcurl
     * send the same request twice. */
    bool fresh;
} sync_request;

/* One request on the client's reused handle. *status is 0 when no answer
 * came. The caller frees answer->body. */
CURLcode sync_http_perform(sync_client *client, const sync_request *request, sync_answer *answer,
                           long *status);

/* Wipes the answer's whole buffer (it may hold a citizen's data) and frees it. */
void sync_answer_free(sync_answer *answer);
/* Wipes size bytes at data, then frees it (NULL is fine). */
void sync_wipe_free(void *data, size_t size);

/* The answer's body as the protocol has it: a JSON object and nothing after
 * it but white space, and the answer said it is JSON. NULL otherwise. The
 * caller frees it with sync_json_free. */
cJSON *sync_answer_json(const sync_answer *answer);
/* Wipes every string of a parsed answer, then deletes it (NULL is fine). */
void sync_json_free(cJSON *json);

/* json printed (unformatted) into a buffer of *size bytes that the caller
 * releases with sync_wipe_free(buffer, *size); NULL when it does not fit
 * SYNC_PRINT_MAX (the requests printed so are a few hundred bytes) or there
 * is no memory. */
#define SYNC_PRINT_MAX (8 * 1024)
char *sync_print_json(const cJSON *json, size_t *size);

/* Whether text is a tracking number by the protocol's grammar: 1-63
 * letters, digits and '-'. Nothing else reaches a screen, a receipt or a
 * QR code as one. */
bool sync_tracking_valid(const char *text);

/* Copies the string member name of object into out, made safe to show
 * (untrusted_text_clean). False when missing (and required), not a string,
 * too long, or not UTF-8; *out is then "". */
bool sync_copy_text(const cJSON *object, const char *name, char *out, size_t size, bool required);

/* Records what an exchange said about the link (and why, for staff). */
void sync_note_link(sync_client *client, CURLcode code, long status, const sync_answer *answer,
                    sync_outcome outcome);
void sync_set_progress(sync_client *client, sync_link link, const char *error);

/* What a parsed 2xx-or-error answer to one record means (sync_classify's
 * core; body may be NULL). */
sync_outcome sync_classify_parsed(long status, const cJSON *body, const char *kind, char *tracking,
                                  size_t tracking_size);

/* The path a record of kind goes to, or NULL. */
const char *sync_path_for(const char *kind);

/* Sends one record. */
sync_outcome sync_send_record(sync_client *client, const cache_record *record, long *retry_after_s,
                              char *tracking, size_t tracking_size);

/* Sends records[0..count) in one /v1/batch request (as many as fit): fills
 * outcomes[i] (SYNC_NOT_SENT for those left out) and trackings[i]. */
void sync_send_batch(sync_client *client, const cache_record *records, size_t count,
                     sync_outcome *outcomes, char (*trackings)[SYNC_TRACKING_MAX],
                     long *retry_after_s);

/* The heartbeat, and the catalog when the platform offers a newer one.
 * Returns the heartbeat's outcome (SYNC_DELIVERED when answered). */
sync_outcome sync_heartbeat(sync_client *client, long *retry_after_s);

/* Staff's part of a heartbeat's answer (sync_staff.c): the acknowledged
 * calls and the credentials' version, read on the sync thread; then, after
 * the heartbeat, the credentials fetched when new and the hall's calls
 * while watched. */
void sync_staff_heartbeat(sync_client *client, const cJSON *answer);
void sync_staff_after_heartbeat(sync_client *client);
/* How long an online terminal waits between heartbeats: the platform's
 * poll interval, or at most SYNC_CALL_POLL_S while its citizen waits for
 * staff to acknowledge a call (so they hear soon). */
#define SYNC_CALL_POLL_S 10
unsigned sync_staff_poll_s(sync_client *client);
/* "2026-11-22T09:30:00Z" as ms since the epoch (sync_heartbeat.c). */
bool sync_parse_utc(const char *text, int64_t *epoch_ms);

/* What a heartbeat's outcome means for the records (sync.c): answered
 * after none (or at start), every record waiting out a back-off is due now;
 * answered while record calls fail, the link is degraded and the records
 * keep their back-off. before: the link before the heartbeat. */
void sync_after_heartbeat(sync_client *client, sync_outcome beat, sync_link before);

/* A kind of citizen's call (sync_lookup.c, sync_eid.c, sync_query.c): how
 * its question becomes a request, and the answer a reply. What is common —
 * sending, wiping, the link, the log — is sync_ask.c's. */
typedef struct sync_ask_kind_ops {
    size_t max_answer; /* the answer's cap */
    /* Whether the question is one to ask (sync_ask refuses it otherwise). */
    bool (*valid)(const sync_question *question);
    /* The reply before any answer, and after one that is not one: no
     * answer, about what was asked. out is zeroed. */
    void (*unanswered)(const sync_question *question, sync_reply *out);
    /* The request: its path, and *body (NULL for a GET) as JSON that the
     * caller prints, sends, wipes and frees. False: no memory. */
    bool (*request)(const sync_question *question, char *path, size_t path_size, cJSON **body);
    /* Reads an answer with status (neither 401 nor 403): true when it is
     * definite, with out filled; false when it is no answer. */
    bool (*read)(const sync_question *question, long status, const sync_answer *answer,
                 sync_reply *out);
    /* What the log calls the call: "status lookup", "e-ID". */
    void (*describe)(const sync_question *question, char *out, size_t size);
} sync_ask_kind_ops;

extern const sync_ask_kind_ops sync_ask_lookup_ops, sync_ask_eid_ops, sync_ask_query_ops;
extern const sync_ask_kind_ops sync_ask_appointment_ops;
/* "A023": the only shape of queue number a ticket prints (sync_appointment.c). */
bool sync_queue_number_valid(const char *number);
extern const sync_ask_kind_ops sync_ask_documents_ops, sync_ask_document_ops;

/* Asks question now, on the calling thread: out gets the reply. */
void sync_ask_run(sync_client *client, const sync_question *question, sync_reply *out);
/* Asks each question waiting in the slots, in kind order, and hands each
 * reply to the answer callback (the sync thread's loop). */
void sync_ask_serve(sync_client *client);

/* Loads what the store remembers of the catalog into progress. */
void sync_heartbeat_restore(sync_client *client);

#endif
