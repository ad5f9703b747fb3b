/* What staff and technicians do to the terminal's store, through the
 * platform layer that owns it (firmware/platform/staff_ops.c): the audit
 * trail, the records the platform refused, small settings (a credential's
 * lock-out, a board's touch calibration), and the staff credentials the
 * platform delivers. Main thread only. Every call fails with IO while the
 * store is not open. */
#ifndef KIOSK_FIRMWARE_PLATFORM_STAFF_OPS_H
#define KIOSK_FIRMWARE_PLATFORM_STAFF_OPS_H

#include "firmware/base/error.h"
#include "offline-cache/audit.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct kiosk_platform kiosk_platform;

/* Appends to the audit trail (and its outbox record), and wakes the sync
 * thread. actor, action: required; subject masked; nothing personal. */
kiosk_error platform_audit(kiosk_platform *platform, const char *actor, const char *action,
                           const char *subject, const char *detail) KIOSK_MUST_CHECK;
kiosk_error platform_audit_verify(kiosk_platform *platform, cache_audit_verdict *out,
                                  kiosk_diag *diag) KIOSK_MUST_CHECK;
kiosk_error platform_audit_head(kiosk_platform *platform, cache_audit_head *out) KIOSK_MUST_CHECK;

/* An outbox record as staff see it: never its payload, only what tells
 * one from another (the receipt's number, masked subject, service). */
typedef enum platform_outbox_state {
    PLATFORM_OUTBOX_WAITING,     /* to be sent */
    PLATFORM_OUTBOX_QUARANTINED, /* the platform refused it: staff must resend or close */
} platform_outbox_state;

typedef struct platform_outbox_item {
    int64_t id;
    platform_outbox_state state;
    char kind[32];      /* submission, rating, staff-call, audit */
    char reference[64]; /* the terminal's number (K0420-000042), or "" */
    char service[96];   /* the service's name for a submission, or "" */
    char subject[32];   /* masked (110105********1234), or "" */
    char reason[160];   /* the platform's reason (quarantined) or the last error */
    int attempts;
    int64_t created_at_s;
} platform_outbox_item;

/* Up to max records (quarantined first, then the oldest waiting); *count
 * says how many. Errors: IO. */
kiosk_error platform_outbox_list(kiosk_platform *platform, bool quarantined_only,
                                 platform_outbox_item *out, size_t max,
                                 size_t *count) KIOSK_MUST_CHECK;
/* Sends a quarantined record again (after a fix): due now, attempts
 * cleared; audited with actor. Errors: NOT_FOUND (no such quarantined
 * record), IO. */
kiosk_error platform_outbox_resend(kiosk_platform *platform, int64_t id,
                                   const char *actor) KIOSK_MUST_CHECK;
/* Closes a quarantined record for good with reason (required, nothing
 * personal): its payload is deleted, a tombstone and the audit row keep
 * what it was and why. Errors: NOT_FOUND, INVALID_ARGUMENT (no reason),
 * IO. */
kiosk_error platform_outbox_close(kiosk_platform *platform, int64_t id, const char *actor,
                                  const char *reason) KIOSK_MUST_CHECK;

/* Small settings kept in the store (nothing personal): *value malloc'd,
 * the caller frees. Errors: NOT_FOUND, IO. */
kiosk_error platform_setting_get(kiosk_platform *platform, const char *key,
                                 char **value) KIOSK_MUST_CHECK;
kiosk_error platform_setting_set(kiosk_platform *platform, const char *key,
                                 const char *value) KIOSK_MUST_CHECK;

/* The staff credentials last delivered by the platform (JSON, see
 * docs/staff.md), cached like the catalog; *body malloc'd. Errors:
 * NOT_FOUND (none delivered yet), IO. */
kiosk_error platform_cached_credentials(kiosk_platform *platform, char **body,
                                        size_t *length) KIOSK_MUST_CHECK;

/* Citizens' help calls across the hall, for staff. While watched, the sync
 * thread fetches the hall's waiting calls from the platform at every
 * heartbeat and reports a change as PLATFORM_STAFF. */
typedef struct platform_call {
    char id[96];       /* the call's idempotency key */
    char terminal[64]; /* where the citizen is */
    char reason[48];   /* citizen-asked, paper-out, ... */
    char screen[32];   /* the screen the citizen was on */
    int64_t at_s;      /* when it was made (the platform's clock) */
} platform_call;
void platform_calls_watch(kiosk_platform *platform, bool watch);
/* The latest list fetched (up to max into out); how many. */
size_t platform_calls_get(kiosk_platform *platform, platform_call *out, size_t max);
/* Staff acknowledge call id: a "call-ack" record in the outbox (delivered
 * exactly once like any record); audited with actor. Errors: INVALID_ARGUMENT,
 * NO_SPACE, IO. */
kiosk_error platform_call_acknowledge(kiosk_platform *platform, const char *id,
                                      const char *actor) KIOSK_MUST_CHECK;
/* This terminal's last call (platform_call_staff) was acknowledged by staff,
 * as the heartbeat told (reported as PLATFORM_STAFF when it becomes true);
 * false again after platform_session_end. */
bool platform_call_acknowledged(const kiosk_platform *platform);

#endif
