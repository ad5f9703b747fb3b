/* Small tables beside the outbox: settings (key-value), cached content from
 * the platform with its ETag (the catalog), and counters (for staff and the
 * heartbeat). Nothing personal belongs here. */
#ifndef KIOSK_OFFLINE_CACHE_KV_H
#define KIOSK_OFFLINE_CACHE_KV_H

#include "offline-cache/store.h"

#include <stddef.h>
#include <stdint.h>

/* Sets key to value (replacing it). Errors: INVALID_ARGUMENT, NO_SPACE, IO. */
kiosk_error cache_kv_set(cache_store *store, const char *key, const void *value, size_t length,
                         int64_t now_s, kiosk_diag *diag) KIOSK_MUST_CHECK;
/* *value (malloc'd, NUL-terminated after length bytes; the caller frees).
 * Errors: NOT_FOUND, NO_MEMORY, IO. */
kiosk_error cache_kv_get(cache_store *store, const char *key, char **value, size_t *length,
                         kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Deletes key (no error when it is not there). Errors: IO. */
kiosk_error cache_kv_delete(cache_store *store, const char *key, kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Deletes the keys that start with prefix and were last set before
 * before_s (all of them when before_s is INT64_MAX); *deleted (may be
 * NULL) says how many. Errors: INVALID_ARGUMENT, IO. */
kiosk_error cache_kv_purge(cache_store *store, const char *prefix, int64_t before_s,
                           int64_t *deleted, kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Stores content fetched from the platform (name: "catalog") with its ETag
 * and when it was fetched; replaces what was there. */
kiosk_error cache_content_put(cache_store *store, const char *name, const char *etag,
                              const void *body, size_t length, int64_t fetched_at_s,
                              kiosk_diag *diag) KIOSK_MUST_CHECK;
/* The content, its ETag (etag_size bytes, "" when none) and its date.
 * Errors: NOT_FOUND, NO_MEMORY, IO. */
kiosk_error cache_content_get(cache_store *store, const char *name, char **body, size_t *length,
                              char *etag, size_t etag_size, int64_t *fetched_at_s,
                              kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Adds delta to the counter (created at 0) and returns its new value in
 * *value (may be NULL). Errors: IO, NO_SPACE. */
kiosk_error cache_counter_add(cache_store *store, const char *name, int64_t delta, int64_t *value,
                              kiosk_diag *diag) KIOSK_MUST_CHECK;

#endif
