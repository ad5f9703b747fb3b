/* The sync client: delivers the outbox to the platform (docs/protocol.md).
 *
 * One thread, one reused libcurl handle (keep-alive; HTTP/2 where the
 * platform offers it), its own handle on the offline store. It claims the
 * oldest due records, sends each with its Idempotency-Key, and acknowledges
 * only on a definite answer; everything else is retried with full-jitter
 * exponential back-off (or the platform's Retry-After). Many records travel
 * in one /v1/batch request. A heartbeat reports the terminal's state, keeps
 * the catalog current, and — while there is no link — looks for it every
 * probe interval, so queued records leave as soon as it returns. It reports the link
 * (online, degraded, offline, refused) and progress to whoever started it;
 * the main thread never waits for it. */
#ifndef KIOSK_FIRMWARE_PLATFORM_SYNC_H
#define KIOSK_FIRMWARE_PLATFORM_SYNC_H

#include "firmware/base/error.h"
#include "firmware/base/lang.h"
#include "offline-cache/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum sync_link {
    SYNC_LINK_UNKNOWN = 0,
    SYNC_LINK_ONLINE,   /* the last exchange was answered */
    SYNC_LINK_DEGRADED, /* answered, but with errors (5xx, 429, bad bodies), records
                           rejected in a row, or the heartbeat answered while record
                           calls fail */
    SYNC_LINK_OFFLINE,  /* no answer: refused, timed out, reset, TLS failed */
    SYNC_LINK_REFUSED,  /* the platform refuses this terminal (401/403): staff must act */
} sync_link;

const char *sync_link_name(sync_link link);

typedef struct sync_config {
    const char *platform_url; /* "https://127.0.0.1:8443" (no trailing path) */
    const char *ca_file;      /* the platform's CA, the only one trusted */
    const char *client_cert;  /* this terminal's certificate and key (PEM) */
    const char *client_key;
    const char *pinned_key;       /* "sha256//…" or NULL */
    const char *terminal_id;      /* the certificate's CN */
    const char *firmware_version; /* sent with every request */
    unsigned connect_timeout_ms;  /* 0: 3,000 */
    unsigned total_timeout_ms;    /* 0: 10,000 */
    size_t max_answer_bytes;      /* 0: 1 MiB */
    unsigned backoff_base_ms;     /* 0: 1,000 */
    unsigned backoff_cap_ms;      /* 0: 300,000 */
    unsigned batch;               /* records claimed at a time; 0: 256 */
    unsigned batch_items;         /* records per /v1/batch request; 0: 256; 1: one a request */
    unsigned probe_ms;            /* how often a terminal with no link looks for it; 0: 1,000 */
} sync_config;

typedef struct sync_progress {
    sync_link link;
    int64_t queued;          /* records waiting */
    int64_t delivered;       /* acknowledged since start */
    int64_t next_attempt_ms; /* wall clock, ms; 0 when nothing waits */
    int64_t quarantined;     /* kept for staff, never to be sent */
    char last_error[160];    /* for staff; never personal data */
    /* The platform's clock at the last heartbeat, and when (monotonic) it was
     * read: see sync_server_now_ms. server_read_at_ms 0: never. */
    char server_time[32];
    int64_t server_ms, server_read_at_ms;
    char catalog_version[64]; /* of the cached catalog; "" when none */
    unsigned catalog_updates; /* new catalogs cached since start */
    /* For staff, each with a line in last_error when it happens: the outbox
     * could not be written (disk full, read-only: deliveries pause and back
     * off until it can); the platform's clock was over a day from the
     * device's, so it is not used (server_time keeps the last believable
     * one). */
    bool outbox_unwritable;
    bool clock_disagrees;
    /* For staff (sync_staff.c): bumped when this terminal's acknowledged
     * calls or the hall's waiting calls change, and when new staff
     * credentials are cached. */
    unsigned staff_news;
    unsigned credentials_updates;
} sync_progress;

/* The platform's time now (ms since the epoch) from the last heartbeat and
 * the monotonic clock since: false when no heartbeat was answered yet. The
 * device's own clock is never used for what the platform sees. */
bool sync_server_now_ms(const sync_progress *progress, int64_t *out);

typedef struct sync_client sync_client;

/* The outcome of sending one record (for tests and the fault matrix). */
typedef enum sync_outcome {
    SYNC_DELIVERED = 1, /* 201, or a replay of the first answer */
    SYNC_CONFLICT,      /* 409: the platform holds another body under the key */
    SYNC_REJECTED,      /* 400/413/422: never acceptable; quarantined for staff */
    SYNC_RETRY,         /* not delivered, or not known to be: kept */
    SYNC_REFUSED,       /* 401/403: kept; the terminal's identity is refused */
} sync_outcome;

/* What an answer means (docs/protocol.md, "How the terminal treats an
 * answer"): status 0 when no answer came. json: the answer said its body is
 * JSON. tracking receives a delivered submission's tracking number. Pure:
 * the fuzz target and the tests call it directly. */
sync_outcome sync_classify(long status, bool json, const char *body, size_t length,
                           const char *kind, char *tracking, size_t tracking_size);

/* Makes a client (no thread yet). The config's strings are copied.
 * Errors: NO_MEMORY, IO (libcurl or the store could not start; diag says). */
kiosk_error sync_create(const sync_config *config, const cache_options *store, sync_client **out,
                        kiosk_diag *diag) KIOSK_MUST_CHECK;
void sync_destroy(sync_client *client);

/* One pass on the calling thread: sends every due record, acknowledging or
 * rescheduling each, until none is due or the link fails. now_ms: wall
 * clock. *delivered counts the acknowledged. */
kiosk_error sync_drain(sync_client *client, int64_t now_ms, int64_t *delivered) KIOSK_MUST_CHECK;

/* The latest progress (any thread). */
sync_progress sync_progress_get(sync_client *client);

/* Starts the sync thread; notify (may be NULL) is called on it after every
 * change of link or progress. Errors: IO. */
kiosk_error sync_start(sync_client *client, void (*notify)(const sync_progress *, void *),
                       void *context) KIOSK_MUST_CHECK;
/* Called on the sync thread for each acknowledged record, with its kind and
 * (for a submission) its tracking number. Set before sync_start. */
void sync_on_delivered(sync_client *client, void (*delivered)(int64_t id, const char *kind,
                                                              const char *tracking, void *context));

/* ---- for staff (sync_staff.c) ---------------------------------------------
 *
 * Help calls across the hall: while watched, the hall's waiting calls are
 * fetched after every heartbeat (GET /v1/calls); a change bumps
 * progress.staff_news. Any thread. */
typedef struct platform_call platform_call;
void sync_watch_calls(sync_client *client, bool watch);
/* The latest list (up to max into out): how many. */
size_t sync_calls_get(sync_client *client, platform_call *out, size_t max);
/* Whether the last heartbeat listed this terminal's call under key as
 * acknowledged by staff. */
bool sync_call_acknowledged(sync_client *client, const char *key);
/* This terminal's citizen waits for staff on the call under key (NULL or
 * "": no longer): the heartbeat comes more often until it is acknowledged. */
void sync_await_call(sync_client *client, const char *key);

/* ---- a citizen's calls: "ask the platform" ------------------------------
 *
 * A status lookup, a query of the citizen's own data and an e-ID check are
 * one pattern: the main thread puts a question (kind and payload) in the
 * client's slot for that kind and goes on; the sync thread asks it before
 * anything else, wipes it, and hands the reply (of the same kind) to the
 * answer callback. One question of each kind at a time. */
typedef enum sync_ask_kind {
    SYNC_ASK_LOOKUP, /* a submission's status: GET /v1/submissions/<tracking number> */
    SYNC_ASK_EID,    /* who an e-ID code stands for: POST /v1/eid */
    SYNC_ASK_QUERY,  /* a citizen's data of a service: POST /v1/queries */
    /* A place in a counter's queue: POST /v1/appointments. */
    SYNC_ASK_APPOINTMENT,
    /* A citizen's certificates of a service: POST /v1/documents. */
    SYNC_ASK_DOCUMENTS,
    /* One of them, as a PDF: POST /v1/documents/fetch. */
    SYNC_ASK_DOCUMENT,
    SYNC_ASK_KINDS,
} sync_ask_kind;

/* A submission's status as the platform tells it. */
typedef enum sync_lookup_outcome {
    SYNC_LOOKUP_FOUND = 1,
    SYNC_LOOKUP_NOT_FOUND, /* 404: no submission has this number */
    SYNC_LOOKUP_NO_ANSWER, /* the link, or an answer that is not one */
} sync_lookup_outcome;

typedef struct sync_lookup_result {
    sync_lookup_outcome outcome;
    char tracking[64];
    char status[32];     /* accepted, in-progress, done, rejected */
    char updated_at[32]; /* the platform's time, UTC */
    char note[256];      /* the platform's words for the citizen, may be "" */
} sync_lookup_result;

/* A citizen's own data from the platform, for a service that answers a
 * question (公积金查询). */
#define SYNC_QUERY_LINES_MAX 12
typedef enum sync_query_outcome {
    SYNC_QUERY_FOUND = 1,
    SYNC_QUERY_NOT_FOUND, /* 404: the platform has nothing for this citizen */
    SYNC_QUERY_NO_ANSWER, /* the link, or an answer that is not one */
} sync_query_outcome;

typedef struct sync_query_result {
    sync_query_outcome outcome;
    char service[48];
    char as_of[32]; /* when the platform's data is from, UTC */
    size_t line_count;
    char labels[SYNC_QUERY_LINES_MAX][96];
    char values[SYNC_QUERY_LINES_MAX][160];
} sync_query_result;

/* Who an e-ID code (电子身份证 / 网证, shown to the scanner) stands for, as
 * the platform verifies it. */
typedef enum sync_eid_outcome {
    SYNC_EID_FOUND = 1,
    SYNC_EID_REFUSED,   /* 404 or 410: not a code, or an old one (expired set) */
    SYNC_EID_NO_ANSWER, /* the link, or an answer that is not one */
} sync_eid_outcome;

typedef struct sync_eid_result {
    sync_eid_outcome outcome;
    bool expired;
    char name[128];
    char id_number[24];
} sync_eid_result;

/* A place in the queue of a counter (预约取号), as the platform books it:
 * its number ("A023"), the counter in each language, and when to come. */
typedef enum sync_appointment_outcome {
    SYNC_APPOINTMENT_BOOKED = 1,
    SYNC_APPOINTMENT_FULL,      /* 409 "full": no place left today for the matter */
    SYNC_APPOINTMENT_NO_ANSWER, /* the link, or an answer that is not one */
} sync_appointment_outcome;

#define SYNC_QUEUE_NUMBER_MAX 12
typedef struct sync_appointment_result {
    sync_appointment_outcome outcome;
    char matter[48];                          /* as asked */
    char reference[64];                       /* the booking's number: letters, digits, '-' */
    char queue_number[SYNC_QUEUE_NUMBER_MAX]; /* 1 to 3 capital letters, then 1 to 4 digits */
    char window[LANG_COUNT][64];              /* "3号窗口" / "3號窗口" / "Counter 3" */
    int64_t slot_start, slot_end;             /* UTC seconds: from now to 30 days on, at most 8 h */
} sync_appointment_result;
/* A citizen's certificates (docs/certificates.md): what a service has for
 * them to choose from, and one fetched as a PDF, checked (sync_document.c)
 * and kept in a block that is wiped when freed. */
#define SYNC_DOCUMENTS_MAX 8
/* A certificate's ceiling: a larger PDF is no answer. */
#define SYNC_DOCUMENT_BYTES_MAX (4 * 1024 * 1024)
/* A certificate is a few pages; more is not one. */
#define SYNC_DOCUMENT_PAGES_MAX 20
typedef enum sync_document_outcome {
    SYNC_DOCUMENT_FOUND = 1,
    SYNC_DOCUMENT_NOT_FOUND, /* 404: the platform has no such document for the citizen */
    SYNC_DOCUMENT_NO_ANSWER, /* the link, or an answer that is not one (not a PDF, ...) */
} sync_document_outcome;

typedef struct sync_document_entry {
    char id[32];      /* what a fetch names */
    char title[96];   /* 营业执照（副本） */
    char detail[160]; /* what tells two of the same title apart: the enterprise */
    int pages;
} sync_document_entry;

typedef struct sync_documents_result {
    sync_document_outcome outcome;
    char service[48];
    size_t count; /* 0: the citizen has none (FOUND) */
    sync_document_entry entries[SYNC_DOCUMENTS_MAX];
} sync_documents_result;

typedef struct sync_document_result {
    sync_document_outcome outcome;
    char service[48];
    char document[32];
    char title[96];
    int pages;
    char verification_code[40];
    char verification_url[256];
    /* The PDF (FOUND): starts with %PDF-, ends with %%EOF, at most
     * SYNC_DOCUMENT_BYTES_MAX bytes. Its block is the receiver's, freed with
     * wipe_free (a reply released by the platform layer frees its own). */
    unsigned char *pdf;
    size_t length;
} sync_document_result;

/* What is asked: the kind and its payload. Personal (an ID number, an e-ID
 * code): the client wipes its copy once asked. */
typedef struct sync_question {
    sync_ask_kind kind;
    union {
        struct {
            char tracking[64]; /* letters, digits and '-' */
        } lookup;
        struct {
            char code[512]; /* printable, not empty */
        } eid;
        struct {
            char service[48]; /* not empty */
            char id_number[24];
            char language[8]; /* a code: "zh-CN" */
        } query;
        struct {
            char service[48]; /* not empty */
            char matter[48];  /* the catalog choice's id: [a-z0-9-] */
            char period[48];  /* when the citizen would come ("tomorrow-am"), or "" */
            char id_number[24];
            char language[8];
        } appointment;
        struct {
            char service[48];   /* not empty */
            char id_number[24]; /* a proven identity's: never a typed number */
            char name[128];     /* as the card or e-ID gave it, or "" */
            char document[32];  /* SYNC_ASK_DOCUMENT: which (not empty) */
        } document;             /* SYNC_ASK_DOCUMENTS and SYNC_ASK_DOCUMENT */
    };
} sync_question;

/* What the platform said, of the question's kind. Personal: whoever keeps
 * a copy wipes it. */
typedef struct sync_reply {
    sync_ask_kind kind;
    union {
        sync_lookup_result lookup;
        sync_eid_result eid;
        sync_query_result query;
        sync_appointment_result appointment;
        sync_documents_result documents;
        sync_document_result document;
    };
} sync_reply;

/* Puts question in its kind's slot and wakes the thread; the reply goes to
 * the answer callback, on the sync thread. Errors: INVALID_ARGUMENT (not a
 * question of its kind: a tracking number that is not one, a code that is
 * not text, a field not terminated), BUSY (one of that kind is under way). */
kiosk_error sync_ask(sync_client *client, const sync_question *question) KIOSK_MUST_CHECK;
/* Set before sync_start. */
void sync_on_answer(sync_client *client, void (*answered)(const sync_reply *reply, void *context));

/* The same from plain strings (sync_ask's errors; INVALID_ARGUMENT too when
 * a string is NULL or does not fit its field). The status of tracking
 * (under 64 bytes); service's data for the citizen id_number in language;
 * who an e-ID code (under 512 bytes) stands for. */
kiosk_error sync_lookup(sync_client *client, const char *tracking) KIOSK_MUST_CHECK;
kiosk_error sync_query(sync_client *client, const char *service, const char *id_number,
                       const char *language) KIOSK_MUST_CHECK;
kiosk_error sync_eid(sync_client *client, const char *code) KIOSK_MUST_CHECK;
/* A place in the queue for matter of service, in period ("" for the
 * first free), for the citizen id_number (sync_appointment.c). */
kiosk_error sync_appointment(sync_client *client, const char *service, const char *matter,
                             const char *period, const char *id_number,
                             const char *language) KIOSK_MUST_CHECK;

/* A citizen's certificates of service (SYNC_ASK_DOCUMENTS), and one of
 * them (SYNC_ASK_DOCUMENT), for id_number whose name is name (NULL: ""):
 * sync_ask's errors. */
kiosk_error sync_documents(sync_client *client, const char *service, const char *id_number,
                           const char *name) KIOSK_MUST_CHECK;
kiosk_error sync_document(sync_client *client, const char *service, const char *id_number,
                          const char *name, const char *document) KIOSK_MUST_CHECK;
/* Frees a document reply's PDF (wiped) and forgets it; other replies are
 * left as they are. For whoever holds a reply it will not pass on. */
void sync_reply_drop_document(sync_reply *reply);
/* Whether pdf is the whole of a PDF: its header, %%EOF near its end, at
 * most SYNC_DOCUMENT_BYTES_MAX bytes, and pages page objects when the file
 * shows its page objects at all. */
bool sync_document_pdf_valid(const unsigned char *pdf, size_t length, int pages);

/* What the heartbeat reports as the devices: a JSON object's text, e.g.
 * {"id-reader":"online"}. Errors: MALFORMED (not an object), TOO_BIG. */
kiosk_error sync_set_devices(sync_client *client, const char *json_object) KIOSK_MUST_CHECK;

/* A record was put: try now rather than at the next scheduled time. */
void sync_wake(sync_client *client);

#endif
