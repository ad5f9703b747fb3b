/* The parts of the kiosk's side of the platform shared by store_use.c (the
 * store, the thread, retention, what staff are told) and submission.c
 * (what is kept and sent). Not for other modules. */
#ifndef KIOSK_FIRMWARE_PLATFORM_STORE_USE_INTERNAL_H
#define KIOSK_FIRMWARE_PLATFORM_STORE_USE_INTERNAL_H

#include "firmware/platform/store_use.h"
#include "offline-cache/seal.h"
#include "offline-cache/store.h"

#define PLATFORM_LOG "platform"

struct kiosk_platform {
    platform_config config;
    bool configured; /* the certificates are there */
    cache_store *store;
    sync_client *sync;
    seal_key key;
    sync_progress progress; /* the thread's latest report */
    char session_id[17];    /* this session's, for idempotency keys */
    unsigned long staff_calls;
    char last_call_key[96]; /* this session's last staff call (CACHE_KEY_MAX), or "" */

    bool broken;
    char problem[320];      /* why the store cannot be opened, for staff */
    char write_failed[320]; /* the last write that failed, until one succeeds */
    uint64_t retry_at_ms;   /* monotonic */
    uint64_t backoff_ms;
    int64_t purge_at_s; /* wall clock */
    bool sync_failed;   /* the store opened but the sync thread did not start */
    uint64_t sync_retry_at_ms, sync_backoff_ms;
    int64_t stranded; /* records left in files moved aside, not recovered */
    char stranded_file[128];
};

/* Reports event to the listener. */
void platform_emit(kiosk_platform *platform, const platform_event *event);
time_t platform_wall(const kiosk_platform *platform);
uint64_t platform_mono(const kiosk_platform *platform);

/* Opens the store unless it is open. On success the sync thread starts too
 * (when configured); on failure the store counts as broken and is tried
 * again by platform_tick, with back-off. */
kiosk_error platform_store_open(kiosk_platform *platform, kiosk_diag *diag) KIOSK_MUST_CHECK;
/* A write to the store failed (diag: why, for staff) or, with NULL, one
 * succeeded again. */
void platform_write_result(kiosk_platform *platform, const kiosk_diag *failed);

#endif
