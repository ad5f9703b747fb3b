/* What staff and technicians do to the store, through the handle the main
 * thread owns (store_use.c): each change and its audit row commit in one
 * transaction, then the sync thread is woken to deliver both. */
#include "firmware/platform/staff_ops.h"

#include "firmware/base/log.h"
#include "firmware/base/untrusted_text.h"
#include "firmware/platform/store_use_internal.h"
#include "offline-cache/kv.h"
#include "offline-cache/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SETTING_PREFIX "setting:"
#define SETTING_MAX    4096

static kiosk_error no_store(kiosk_diag *diag)
{
    return kiosk_diag_set(diag, KIOSK_ERR_IO, "the offline store is not open");
}

/* The store, opened now if nothing opened it yet: a terminal with no
 * certificates opens it at its first submission, but what staff and
 * technicians do before that (enrolling the certificate, first of all) is
 * audited and listed all the same. */
static bool store_ready(kiosk_platform *platform)
{
    kiosk_diag diag = {{0}};
    return platform->store || platform_store_open(platform, &diag) == KIOSK_OK;
}

static void wake(kiosk_platform *platform)
{
    if (platform->sync)
        sync_wake(platform->sync);
}

/* Appends inside whatever transaction is open (the caller's change). */
static kiosk_error audit_row(kiosk_platform *platform, const char *actor, const char *action,
                             const char *subject, const char *detail, kiosk_diag *diag)
{
    cache_audit_event event = {
        .actor = actor, .action = action, .subject = subject, .detail = detail};
    return cache_audit_append(platform->store, &event, (int64_t)platform_wall(platform), NULL,
                              diag);
}

kiosk_error platform_audit(kiosk_platform *platform, const char *actor, const char *action,
                           const char *subject, const char *detail)
{
    if (!store_ready(platform))
        return KIOSK_ERR_IO;
    kiosk_diag diag = {{0}};
    kiosk_error result = audit_row(platform, actor, action, subject, detail, &diag);
    if (result != KIOSK_OK) {
        LOG_ERROR(PLATFORM_LOG, "an audit row (%s) was not kept: %s", action ? action : "",
                  diag.message);
        if (result != KIOSK_ERR_INVALID_ARGUMENT)
            platform_write_result(platform, &diag);
        return result;
    }
    wake(platform);
    return KIOSK_OK;
}

kiosk_error platform_audit_verify(kiosk_platform *platform, cache_audit_verdict *out,
                                  kiosk_diag *diag)
{
    if (!store_ready(platform))
        return no_store(diag);
    return cache_audit_verify(platform->store, out, diag);
}

kiosk_error platform_audit_head(kiosk_platform *platform, cache_audit_head *out)
{
    if (!store_ready(platform))
        return KIOSK_ERR_IO;
    return cache_audit_head_get(platform->store, out, NULL);
}

kiosk_error platform_outbox_list(kiosk_platform *platform, bool quarantined_only,
                                 platform_outbox_item *out, size_t max, size_t *count)
{
    *count = 0;
    if (!store_ready(platform))
        return KIOSK_ERR_IO;
    cache_outbox_entry *entries = max ? calloc(max, sizeof *entries) : NULL;
    if (max && !entries)
        return KIOSK_ERR_NO_MEMORY;
    size_t found = 0;
    kiosk_error result =
        cache_outbox_list(platform->store, quarantined_only, entries, max, &found, NULL);
    for (size_t i = 0; result == KIOSK_OK && i < found; i++) {
        const cache_outbox_entry *e = &entries[i];
        platform_outbox_item *item = &out[i];
        memset(item, 0, sizeof *item);
        item->id = e->id;
        item->state = e->quarantined ? PLATFORM_OUTBOX_QUARANTINED : PLATFORM_OUTBOX_WAITING;
        snprintf(item->kind, sizeof item->kind, "%s", e->kind);
        snprintf(item->reference, sizeof item->reference, "%s", e->reference);
        snprintf(item->service, sizeof item->service, "%s", e->service);
        snprintf(item->subject, sizeof item->subject, "%s", e->subject);
        snprintf(item->reason, sizeof item->reason, "%s", e->last_error);
        item->attempts = e->attempts;
        item->created_at_s = e->created_at;
    }
    if (result == KIOSK_OK)
        *count = found;
    free(entries);
    return result;
}

/* The record's label for the audit row: its receipt number, or its id. */
static void record_subject(kiosk_platform *platform, int64_t id, char *out, size_t size)
{
    cache_outbox_entry entry;
    if (cache_outbox_entry_get(platform->store, id, &entry, NULL) == KIOSK_OK && entry.reference[0])
        snprintf(out, size, "%.63s", entry.reference);
    else
        snprintf(out, size, "record %lld", (long long)id);
}

/* change inside a transaction with its audit row; both or neither. */
static kiosk_error audited(kiosk_platform *platform,
                           kiosk_error (*change)(kiosk_platform *, void *, kiosk_diag *),
                           void *context, const char *actor, const char *action,
                           const char *subject, const char *detail)
{
    kiosk_diag diag = {{0}};
    kiosk_error result = cache_begin(platform->store);
    if (result != KIOSK_OK)
        return result;
    result = change(platform, context, &diag);
    if (result == KIOSK_OK)
        result = audit_row(platform, actor, action, subject, detail, &diag);
    if (result == KIOSK_OK)
        result = cache_commit(platform->store);
    else
        cache_rollback(platform->store);
    if (result != KIOSK_OK) {
        LOG_WARN(PLATFORM_LOG, "%s by %s not done: %s", action, actor ? actor : "",
                 diag.message[0] ? diag.message : kiosk_error_name(result));
        return result;
    }
    LOG_WARN("audit", "%s by %s: %s %s", action, actor, subject, detail);
    wake(platform);
    platform_emit(platform, &(platform_event){.kind = PLATFORM_STAFF});
    return KIOSK_OK;
}

typedef struct outbox_change {
    int64_t id;
    const char *actor, *reason;
} outbox_change;

static kiosk_error release(kiosk_platform *platform, void *context, kiosk_diag *diag)
{
    const outbox_change *c = context;
    return cache_outbox_release(platform->store, c->id, (int64_t)platform_wall(platform) * 1000,
                                diag);
}

static kiosk_error close_record(kiosk_platform *platform, void *context, kiosk_diag *diag)
{
    const outbox_change *c = context;
    return cache_outbox_close(platform->store, c->id, c->actor, c->reason,
                              (int64_t)platform_wall(platform), diag);
}

kiosk_error platform_outbox_resend(kiosk_platform *platform, int64_t id, const char *actor)
{
    if (!store_ready(platform))
        return KIOSK_ERR_IO;
    if (!actor || !actor[0])
        return KIOSK_ERR_INVALID_ARGUMENT;
    char subject[64];
    record_subject(platform, id, subject, sizeof subject);
    outbox_change change = {.id = id, .actor = actor};
    return audited(platform, release, &change, actor, "outbox.resend", subject, "");
}

kiosk_error platform_outbox_close(kiosk_platform *platform, int64_t id, const char *actor,
                                  const char *reason)
{
    if (!store_ready(platform))
        return KIOSK_ERR_IO;
    if (!actor || !actor[0] || !reason || !reason[0] || strlen(reason) > CACHE_AUDIT_TEXT_MAX)
        return KIOSK_ERR_INVALID_ARGUMENT;
    /* The reason is kept for good: a citizen's ID or mobile number in it
     * is kept masked, as the log keeps it. */
    char masked[CACHE_AUDIT_TEXT_MAX + 1];
    log_mask_personal(reason, masked, sizeof masked);
    char subject[64];
    record_subject(platform, id, subject, sizeof subject);
    outbox_change change = {.id = id, .actor = actor, .reason = masked};
    return audited(platform, close_record, &change, actor, "outbox.close", subject, masked);
}

/* Settings live in the kv table under their own prefix, apart from the
 * answers and receipts kept there. */
static bool setting_key(const char *key, char *out, size_t size)
{
    if (!key || !key[0] || !untrusted_utf8_valid(key, strlen(key)))
        return false;
    return (size_t)snprintf(out, size, SETTING_PREFIX "%s", key) < size;
}

kiosk_error platform_setting_get(kiosk_platform *platform, const char *key, char **value)
{
    *value = NULL;
    char name[128];
    if (!setting_key(key, name, sizeof name))
        return KIOSK_ERR_INVALID_ARGUMENT;
    if (!store_ready(platform))
        return KIOSK_ERR_IO;
    size_t length = 0;
    return cache_kv_get(platform->store, name, value, &length, NULL);
}

kiosk_error platform_setting_set(kiosk_platform *platform, const char *key, const char *value)
{
    char name[128];
    if (!setting_key(key, name, sizeof name) || !value || strlen(value) > SETTING_MAX)
        return KIOSK_ERR_INVALID_ARGUMENT;
    if (!store_ready(platform))
        return KIOSK_ERR_IO;
    kiosk_diag diag = {{0}};
    kiosk_error result = cache_kv_set(platform->store, name, value, strlen(value),
                                      (int64_t)platform_wall(platform), &diag);
    if (result != KIOSK_OK)
        LOG_WARN(PLATFORM_LOG, "setting %s not kept: %s", key, diag.message);
    return result;
}

kiosk_error platform_cached_credentials(kiosk_platform *platform, char **body, size_t *length)
{
    *body = NULL;
    *length = 0;
    if (!store_ready(platform))
        return KIOSK_ERR_IO;
    char etag[128];
    int64_t fetched = 0;
    return cache_content_get(platform->store, "credentials", body, length, etag, sizeof etag,
                             &fetched, NULL);
}

void platform_calls_watch(kiosk_platform *platform, bool watch)
{
    if (platform->sync)
        sync_watch_calls(platform->sync, watch);
}

size_t platform_calls_get(kiosk_platform *platform, platform_call *out, size_t max)
{
    return platform->sync ? sync_calls_get(platform->sync, out, max) : 0;
}

/* A call's id as the platform gave it: printable, within its room. */
static bool call_id_valid(const char *id)
{
    if (!id || !id[0] || strlen(id) >= sizeof((platform_call *)0)->id)
        return false;
    if (!untrusted_utf8_valid(id, strlen(id)))
        return false;
    for (const unsigned char *c = (const unsigned char *)id; *c; c++)
        if (*c < 0x20 || *c == 0x7f || *c == '"' || *c == '\\')
            return false;
    return true;
}

typedef struct call_ack {
    const char *id;
} call_ack;

static kiosk_error put_ack(kiosk_platform *platform, void *context, kiosk_diag *diag)
{
    const call_ack *ack = context;
    char key[CACHE_KEY_MAX], body[256];
    /* One key per call: staff tapping twice, or two terminals' staff, make
     * one acknowledgement at the platform. */
    int n = snprintf(key, sizeof key, "call-ack:%s", ack->id);
    if (n < 0 || (size_t)n >= sizeof key)
        return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT, "the call's id is too long");
    n = snprintf(body, sizeof body, "{\"call\":\"%s\"}", ack->id);
    cache_put put = {.kind = "call-ack",
                     .idempotency_key = key,
                     .payload = (const uint8_t *)body,
                     .payload_length = (size_t)n};
    int64_t id = 0;
    return cache_outbox_put(platform->store, &put, (int64_t)platform_wall(platform) * 1000, &id,
                            diag);
}

kiosk_error platform_call_acknowledge(kiosk_platform *platform, const char *id, const char *actor)
{
    if (!call_id_valid(id) || !actor || !actor[0])
        return KIOSK_ERR_INVALID_ARGUMENT;
    if (!store_ready(platform))
        return KIOSK_ERR_IO;
    call_ack ack = {.id = id};
    return audited(platform, put_ack, &ack, actor, "call.acknowledge", "", id);
}

bool platform_call_acknowledged(const kiosk_platform *platform)
{
    return platform->last_call_key[0] && platform->sync &&
           sync_call_acknowledged(platform->sync, platform->last_call_key);
}
