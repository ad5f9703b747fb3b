/* The kiosk's side of the platform, without a screen: the offline store
 * that keeps what citizens submit (opened when first needed, tried again
 * with back-off while it cannot be, kept within the retention), the sync
 * thread that delivers it, a submission committed in one transaction with
 * its receipt, and the answers kept for when the link is down
 * (firmware/platform/store_use.c, submission.c).
 *
 * It takes plain data (no UI, no app) and reports what happens as events
 * (kept, delivered, refused, the link) to one listener, on the main
 * thread: the app decides what the citizen sees. Main thread only, except
 * where said. */
#ifndef KIOSK_FIRMWARE_PLATFORM_STORE_USE_H
#define KIOSK_FIRMWARE_PLATFORM_STORE_USE_H

#include "firmware/base/error.h"
#include "firmware/base/event_channel.h"
#include "firmware/platform/receipt_index.h"
#include "firmware/platform/sync.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define PLATFORM_PATH_MAX 256
/* How long a citizen's answer is kept, sealed, for when the link is down. */
#define PLATFORM_ANSWER_DAYS 30

typedef enum platform_event_kind {
    PLATFORM_KEPT,      /* a submission is kept, sealed: id, reference; sent when it can be */
    PLATFORM_REFUSED,   /* a submission could not be kept (why): nothing of it remains */
    PLATFORM_DELIVERED, /* the platform acknowledged a record: id, tracking ("" when none) */
    PLATFORM_LINK,      /* the link or the outbox changed: progress */
    PLATFORM_SYNC,      /* the sync thread's client, about to start (sync), or gone (NULL) */
    PLATFORM_STARTED,   /* the sync thread runs; the store may hold a newer catalog */
    PLATFORM_STORE,     /* the store broke, or opened after all: what citizens see changes */
    PLATFORM_STAFF,     /* what staff are told may have changed (platform_staff_facts) */
} platform_event_kind;

typedef struct platform_event {
    platform_event_kind kind;
    int64_t id;                    /* KEPT, DELIVERED: the outbox record */
    const char *reference;         /* KEPT: the terminal's number for it (K0420-000042) */
    const char *tracking;          /* DELIVERED: the platform's number, or "" */
    const char *why;               /* REFUSED: for the log and staff, never personal */
    const sync_progress *progress; /* LINK */
    sync_client *sync;             /* SYNC */
} platform_event;

typedef struct platform_config {
    char data_dir[PLATFORM_PATH_MAX]; /* the database, the receipt counter's mark */
    char terminal_id[64];
    /* The store. */
    char cipher[16];                  /* "aes-256-gcm" or "sm4-gcm" */
    char key_file[PLATFORM_PATH_MAX]; /* the sealing key */
    bool make_key;                    /* a development board makes its own key at first start */
    int retention_days, outbox_max_records, outbox_max_mb, min_free_mb;
    /* The link: without all three certificate files readable, none. */
    char platform_url[PLATFORM_PATH_MAX];
    char ca_file[PLATFORM_PATH_MAX], client_cert[PLATFORM_PATH_MAX], client_key[PLATFORM_PATH_MAX];
    char pinned_key[128]; /* "" or "sha256//…" */
    const char *firmware_version;
    /* The event channel's kinds the sync thread posts its news under; the
     * main thread hands such events to platform_handle. */
    app_event_kind link_event, delivered_event, answer_events[SYNC_ASK_KINDS];
    /* The caller's clocks (wall: seconds; monotonic: ms). */
    time_t (*wall_time)(void *context);
    uint64_t (*now_ms)(void *context);
    /* Where events go (main thread). */
    void (*on_event)(const platform_event *event, void *context);
    void *context;
} platform_config;

typedef struct kiosk_platform kiosk_platform;

/* Nothing is opened yet: the store opens when first needed. Errors:
 * NO_MEMORY. */
kiosk_error platform_create(const platform_config *config, kiosk_platform **out) KIOSK_MUST_CHECK;
/* Stops the thread, closes the store, wipes the key (NULL is fine). */
void platform_destroy(kiosk_platform *platform);

/* Whether the certificates are there: without them the terminal works
 * offline, and still keeps submissions. Then platform_start opens the
 * store, which starts the sync thread (or staff are told why not, and it is
 * tried again). */
bool platform_configure(kiosk_platform *platform);
void platform_start(kiosk_platform *platform);
/* The store is open; it could not be opened (and is being tried again). */
bool platform_has_store(const kiosk_platform *platform);
bool platform_store_broken(const kiosk_platform *platform);

/* An event the sync thread posted (link_event, delivered_event): true when
 * it was one, now reported to the listener. */
bool platform_handle(kiosk_platform *platform, const app_event *event);
/* A broken store's or a stopped thread's next try; the daily retention. */
void platform_tick(kiosk_platform *platform);
/* Milliseconds until platform_tick has work, or -1. */
long long platform_next_ms(const kiosk_platform *platform);
/* The session's records are made: the next session's keys are new. */
void platform_session_end(kiosk_platform *platform);

/* The platform's time now when a heartbeat told it, else the caller's. */
time_t platform_now(const kiosk_platform *platform, bool *from_platform);

/* A signature the citizen drew for a signature field: a PNG (the caller's,
 * read while the submission is kept) and its size in pixels. */
typedef struct platform_signature {
    const char *field; /* the field's id: the payload's fields carry it under this */
    const uint8_t *png;
    size_t png_length;
    int width, height;
    /* Confirmed by the keypad's enter key instead (a citizen who cannot see
     * the pad): no image; the payload's field says
     * {"confirmed_by": "keypad"}. */
    bool confirmed_by_keypad;
} platform_signature;

/* What a citizen submits. */
typedef struct platform_submission {
    const char *service_id;
    const char *id_number;     /* "" when nobody is identified */
    const char *name;          /* from the card or e-ID, or NULL */
    const char *identified_by; /* "id-card", "e-id", "typed", "none" */
    bool anonymous;            /* the service asks nobody's identity */
    const char *language;      /* a code: "zh-CN" */
    /* What the citizen gave (the form's fields, the materials): taken,
     * wiped and freed whatever happens. */
    cJSON *payload;
    /* Signatures, each added to the payload's fields under its field's id
     * as {"png": base64, "width", "height"} and sealed with the rest. */
    const platform_signature *signatures;
    size_t signature_count;
    /* The staff member's id when staff did it with the citizen (帮办), or
     * NULL: the submission carries "assisted_by" and its audit row is
     * "staff:<id>"'s, not "citizen"'s. Letters, digits, '-' and '_'. */
    const char *assisted_by;
} platform_submission;

/* Keeps a submission: its number, its sealed record under
 * <terminal>:<session>:<service> (a second one in the session is the same
 * record) and its receipt, in one transaction, then wakes the thread.
 * Reports KEPT, or REFUSED (and returns why: INVALID_ARGUMENT when nobody
 * is identified, the store's errors). */
kiosk_error platform_submit(kiosk_platform *platform,
                            const platform_submission *submission) KIOSK_MUST_CHECK;
/* Keeps a record of kind (body: nothing personal) under this session's key
 * for step, and wakes the thread. */
kiosk_error platform_put(kiosk_platform *platform, const char *kind, const char *step,
                         const cJSON *body) KIOSK_MUST_CHECK;
/* A staff-call record (reason, the screen it happened on). */
kiosk_error platform_call_staff(kiosk_platform *platform, const char *reason, const char *screen);

/* The devices' states for the heartbeat (a JSON object's text). */
void platform_set_devices(kiosk_platform *platform, const char *json_object);

/* Keeps an answer (its JSON: service, as_of, lines) for id_number, sealed
 * under a name only this terminal's key makes from the number. */
void platform_keep_answer(kiosk_platform *platform, const char *id_number, const char *json);
/* The answer kept for id_number and service (malloc'd JSON), or NULL. */
char *platform_kept_answer(kiosk_platform *platform, const char *service, const char *id_number);
/* This terminal's record of a receipt it issued (by any of its numbers). */
bool platform_find_receipt(kiosk_platform *platform, const char *number, receipt_entry *out);
/* The catalog the thread cached (malloc'd text), or an error (NOT_FOUND). */
kiosk_error platform_cached_catalog(kiosk_platform *platform, char **body,
                                    size_t *length) KIOSK_MUST_CHECK;

/* What staff are told about the store and the outbox. */
typedef struct platform_staff_facts {
    bool broken; /* the store cannot be opened: problem says why */
    char problem[320];
    bool counted; /* queued and quarantined are the store's own */
    int64_t queued, quarantined;
    int64_t stranded; /* records left in files moved aside, in stranded_file */
    char stranded_file[128];
    char write_failed[320]; /* the last write that failed, until one succeeds */
} platform_staff_facts;
void platform_staff_facts_get(const kiosk_platform *platform, platform_staff_facts *out);

#endif
