/* The outbox table. Payload buffers come from SQLite's allocator, so one
 * allocation-failure test covers the store and this module alike. */
#include "offline-cache/outbox.h"

#include "firmware/base/log.h"
#include "offline-cache/kv.h"
#include "offline-cache/store_internal.h"

#include <stdio.h>
#include <string.h>

bool cache_idempotency_key(const char *terminal_id, const char *session_id, const char *step,
                           char out[CACHE_KEY_MAX])
{
    int n = snprintf(out, CACHE_KEY_MAX, "%s:%s:%s", terminal_id, session_id, step);
    return n > 0 && n < CACHE_KEY_MAX;
}

/* What seals a payload to its record: its id and kind. Callers' buffers
 * hold the longest of both (OUTBOX_AAD_MAX), so it always fits. */
size_t outbox_associated_data(int64_t id, const char *kind, uint8_t out[OUTBOX_AAD_MAX])
{
    return (size_t)snprintf((char *)out, OUTBOX_AAD_MAX, "%lld:%s", (long long)id, kind);
}

static kiosk_error find_existing(cache_store *store, const char *key, int64_t *id, bool *found,
                                 kiosk_diag *diag)
{
    sqlite3_stmt *statement = NULL;
    int code = store_prepare(store, "SELECT id FROM outbox WHERE idempotency_key = ?", &statement);
    if (code == SQLITE_OK)
        code = sqlite3_bind_text(statement, 1, key, -1, SQLITE_STATIC);
    if (code == SQLITE_OK) {
        code = sqlite3_step(statement);
        *found = code == SQLITE_ROW;
        if (*found)
            *id = sqlite3_column_int64(statement, 0);
        code = code == SQLITE_ROW || code == SQLITE_DONE ? SQLITE_OK : code;
    }
    sqlite3_finalize(statement);
    return code == SQLITE_OK ? KIOSK_OK : store_error(store, code, "outbox lookup", diag);
}

static kiosk_error check_room(cache_store *store, size_t length, kiosk_diag *diag)
{
    sqlite3_stmt *statement = NULL;
    /* The limits are citizens' records': the trail's copies are apart. */
    int code = store_prepare(
        store, "SELECT records - audit_records, bytes - audit_bytes FROM outbox_totals",
        &statement);
    kiosk_error result = KIOSK_OK;
    /* The step's own code says what went wrong (v2 statements give it). */
    if (code == SQLITE_OK)
        code = sqlite3_step(statement);
    if (code == SQLITE_ROW) {
        int64_t records = sqlite3_column_int64(statement, 0);
        int64_t bytes = sqlite3_column_int64(statement, 1);
        if (records + 1 > store->max_outbox_records ||
            bytes + (int64_t)length > store->max_outbox_bytes)
            result = kiosk_diag_set(diag, KIOSK_ERR_NO_SPACE,
                                    "%s: the outbox is full (%lld records, %lld bytes)",
                                    store->path, (long long)records, (long long)bytes);
    } else {
        result = store_error(store, code, "outbox size", diag);
    }
    sqlite3_finalize(statement);
    return result;
}

static kiosk_error insert(cache_store *store, const cache_put *put, int64_t now_ms, int64_t *id,
                          kiosk_diag *diag)
{
    sqlite3_stmt *statement = NULL;
    int code = store_prepare(
        store,
        "INSERT INTO outbox (kind, idempotency_key, payload, sealed, size, created_at, "
        "next_attempt_at, reference, service, subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &statement);
    if (code == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, put->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 2, put->idempotency_key, -1, SQLITE_STATIC);
        /* A personal payload is sealed once its id is known; until then the
         * row holds nothing of it. */
        if (put->personal)
            sqlite3_bind_zeroblob(statement, 3, 0);
        else
            /* An empty payload is an empty blob, not NULL (which the
             * column refuses). */
            sqlite3_bind_blob(statement, 3, put->payload_length ? (const void *)put->payload : "",
                              (int)put->payload_length, SQLITE_STATIC);
        sqlite3_bind_int(statement, 4, put->personal);
        sqlite3_bind_int64(statement, 5, (sqlite3_int64)put->payload_length);
        sqlite3_bind_int64(statement, 6, now_ms / 1000);
        sqlite3_bind_int64(statement, 7, now_ms);
        sqlite3_bind_text(statement, 8, put->reference ? put->reference : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 9, put->service ? put->service : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 10, put->subject ? put->subject : "", -1, SQLITE_STATIC);
        code = sqlite3_step(statement);
        code = code == SQLITE_DONE ? SQLITE_OK : code;
    }
    sqlite3_finalize(statement);
    if (code != SQLITE_OK)
        return store_error(store, code, "outbox insert", diag);
    *id = sqlite3_last_insert_rowid(store->db);
    if (!put->personal)
        return KIOSK_OK;

    uint8_t aad[OUTBOX_AAD_MAX];
    size_t aad_length = outbox_associated_data(*id, put->kind, aad);
    size_t capacity = put->payload_length + SEAL_OVERHEAD_BYTES, sealed_length = 0;
    uint8_t *sealed = sqlite3_malloc64(capacity);
    if (!sealed)
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "out of memory");
    kiosk_error result = seal(store->cipher, &store->key, aad, aad_length, put->payload,
                              put->payload_length, sealed, capacity, &sealed_length);
    if (result == KIOSK_OK) {
        code = store_prepare(store, "UPDATE outbox SET payload = ? WHERE id = ?", &statement);
        if (code == SQLITE_OK) {
            sqlite3_bind_blob(statement, 1, sealed, (int)sealed_length, SQLITE_STATIC);
            sqlite3_bind_int64(statement, 2, *id);
        }
        result = store_run(store, statement, code, "outbox seal", diag);
    } else {
        kiosk_diag_set(diag, result, "%s: cannot seal the record", store->path);
    }
    sqlite3_free(sealed);
    return result;
}

kiosk_error cache_outbox_put(cache_store *store, const cache_put *put, int64_t now_ms, int64_t *id,
                             kiosk_diag *diag)
{
    if (!put->kind || !put->kind[0] || strlen(put->kind) >= CACHE_KIND_MAX ||
        !put->idempotency_key || !put->idempotency_key[0] ||
        strlen(put->idempotency_key) >= CACHE_KEY_MAX || put->payload_length > CACHE_PAYLOAD_MAX ||
        (put->payload_length > 0 && !put->payload) ||
        (put->reference && strlen(put->reference) >= CACHE_LABEL_MAX) ||
        (put->service && strlen(put->service) >= CACHE_LABEL_MAX) ||
        (put->subject && strlen(put->subject) >= CACHE_LABEL_MAX))
        return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT, "outbox put: a bad record");
    if (put->personal && !store->has_key)
        return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT,
                              "outbox put: personal data and no key to seal it");
    /* Refuse new work before the disk is full, so what is queued can still
     * be acknowledged (deleting needs a little room too). */
    if (store_disk_low(store))
        return kiosk_diag_set(diag, KIOSK_ERR_NO_SPACE, "%s: the disk is nearly full", store->path);
    bool own = false;
    kiosk_error result = store_begin_own(store, &own, diag);
    if (result != KIOSK_OK)
        return result;
    bool found = false;
    result = find_existing(store, put->idempotency_key, id, &found, diag);
    /* An audit row's copy is not held to the outbox's limits: staff must
     * be able to close a record (and have that audited) in a full outbox,
     * and rows come at a person's pace. The disk's reserve still holds. */
    if (result == KIOSK_OK && !found && strcmp(put->kind, "audit") != 0)
        result = check_room(store, put->payload_length, diag);
    if (result == KIOSK_OK && !found)
        result = insert(store, put, now_ms, id, diag);
    return store_end_own(store, own, result, diag);
}

kiosk_error cache_outbox_quarantine(cache_store *store, int64_t id, const char *reason,
                                    kiosk_diag *diag)
{
    store_settle(store);
    sqlite3_stmt *statement = NULL;
    int code = store_prepare(
        store, "UPDATE outbox SET quarantined = 1, last_error = ? WHERE id = ?", &statement);
    if (code == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, reason ? reason : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(statement, 2, id);
    }
    kiosk_error result = store_run(store, statement, code, "outbox quarantine", diag);
    if (result != KIOSK_OK)
        return result;
    LOG_ERROR("cache", "outbox record %lld quarantined, never to be sent: %s", (long long)id,
              reason ? reason : "");
    if (cache_counter_add(store, "outbox.quarantined", 1, NULL, NULL) != KIOSK_OK)
        LOG_WARN("cache", "cannot count the quarantined record");
    return KIOSK_OK;
}

static void quarantine(cache_store *store, int64_t id, const char *kind)
{
    char reason[96];
    int n = snprintf(reason, sizeof reason, "a %s that does not open: wrong key or damaged", kind);
    if (n < 0 || (size_t)n >= sizeof reason)
        snprintf(reason, sizeof reason, "a record that does not open: wrong key or damaged");
    if (cache_outbox_quarantine(store, id, reason, NULL) != KIOSK_OK)
        LOG_ERROR("cache", "cannot quarantine outbox record %lld", (long long)id);
}

/* Copies (and opens) one row into record. False when it must be
 * quarantined; errors leave it empty. */
static kiosk_error take_row(cache_store *store, sqlite3_stmt *row, cache_record *record,
                            bool *opens)
{
    memset(record, 0, sizeof *record);
    record->id = sqlite3_column_int64(row, 0);
    snprintf(record->kind, sizeof record->kind, "%s", (const char *)sqlite3_column_text(row, 1));
    snprintf(record->idempotency_key, sizeof record->idempotency_key, "%s",
             (const char *)sqlite3_column_text(row, 2));
    const uint8_t *payload = sqlite3_column_blob(row, 3);
    size_t length = (size_t)sqlite3_column_bytes(row, 3);
    bool sealed = sqlite3_column_int(row, 4) != 0;
    record->attempts = sqlite3_column_int(row, 5);
    record->created_at = sqlite3_column_int64(row, 6);
    *opens = true;
    record->payload = sqlite3_malloc64(length ? length : 1);
    if (!record->payload)
        return KIOSK_ERR_NO_MEMORY;
    if (!sealed) {
        if (length)
            memcpy(record->payload, payload, length);
        record->payload_length = length;
        return KIOSK_OK;
    }
    uint8_t aad[OUTBOX_AAD_MAX];
    size_t aad_length = outbox_associated_data(record->id, record->kind, aad);
    kiosk_error opened = store->has_key
                             ? seal_open(&store->key, aad, aad_length, payload, length,
                                         record->payload, length, &record->payload_length)
                             : KIOSK_ERR_MALFORMED;
    if (opened == KIOSK_ERR_MALFORMED) {
        *opens = false;
        return KIOSK_OK;
    }
    return opened;
}

kiosk_error cache_outbox_claim(cache_store *store, int64_t now_ms, size_t max, cache_record *out,
                               size_t *count, kiosk_diag *diag)
{
    store_settle(store);
    *count = 0;
    sqlite3_stmt *statement = NULL;
    int code = store_prepare(
        store,
        "SELECT id, kind, idempotency_key, payload, sealed, attempts, created_at FROM outbox "
        "WHERE quarantined = 0 AND next_attempt_at <= ? ORDER BY id LIMIT ?",
        &statement);
    if (code != SQLITE_OK)
        return store_error(store, code, "outbox claim", diag);
    sqlite3_bind_int64(statement, 1, now_ms);
    sqlite3_bind_int64(statement, 2, (sqlite3_int64)max);
    int64_t refused[64];
    char refused_kind[64][CACHE_KIND_MAX];
    size_t refused_count = 0;
    kiosk_error result = KIOSK_OK;
    while (result == KIOSK_OK && *count < max && (code = sqlite3_step(statement)) == SQLITE_ROW) {
        bool opens = true;
        result = take_row(store, statement, &out[*count], &opens);
        if (result != KIOSK_OK) {
            cache_records_free(&out[*count], 1);
            kiosk_diag_set(diag, result, "%s: outbox claim: out of memory", store->path);
        } else if (!opens) {
            if (refused_count < 64) {
                refused[refused_count] = out[*count].id;
                memcpy(refused_kind[refused_count++], out[*count].kind, CACHE_KIND_MAX);
            }
            cache_records_free(&out[*count], 1);
        } else {
            (*count)++;
        }
    }
    if (result == KIOSK_OK && code != SQLITE_ROW && code != SQLITE_DONE)
        result = store_error(store, code, "outbox claim", diag);
    sqlite3_finalize(statement);
    for (size_t i = 0; i < refused_count; i++)
        quarantine(store, refused[i], refused_kind[i]);
    if (result != KIOSK_OK) {
        cache_records_free(out, *count);
        *count = 0;
    }
    return result;
}

void cache_records_free(cache_record *records, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (records[i].payload) {
            /* The whole block, not only the payload: its slack may hold
             * what an earlier owner of the memory left there. */
            sqlite3_uint64 size = sqlite3_msize(records[i].payload);
            explicit_bzero(records[i].payload,
                           size > records[i].payload_length ? size : records[i].payload_length);
            sqlite3_free(records[i].payload);
        }
        explicit_bzero(&records[i], sizeof records[i]);
    }
}

kiosk_error cache_outbox_ack(cache_store *store, const int64_t *ids, size_t count, kiosk_diag *diag)
{
    bool own = false;
    kiosk_error result = store_begin_own(store, &own, diag);
    if (result != KIOSK_OK)
        return result;
    sqlite3_stmt *statement = NULL;
    int code = store_prepare(store, "DELETE FROM outbox WHERE id = ?", &statement);
    for (size_t i = 0; code == SQLITE_OK && i < count; i++) {
        sqlite3_bind_int64(statement, 1, ids[i]);
        code = sqlite3_step(statement);
        code = code == SQLITE_DONE ? SQLITE_OK : code;
        sqlite3_reset(statement);
    }
    sqlite3_finalize(statement);
    if (code != SQLITE_OK)
        result = store_error(store, code, "outbox ack", diag);
    return store_end_own(store, own, result, diag);
}

kiosk_error cache_outbox_fail(cache_store *store, int64_t id, const char *error,
                              int64_t next_attempt_ms, kiosk_diag *diag)
{
    store_settle(store);
    sqlite3_stmt *statement = NULL;
    int code = store_prepare(store,
                             "UPDATE outbox SET attempts = attempts + 1, last_error = ?, "
                             "next_attempt_at = ? WHERE id = ?",
                             &statement);
    if (code == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, error ? error : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(statement, 2, next_attempt_ms);
        sqlite3_bind_int64(statement, 3, id);
    }
    return store_run(store, statement, code, "outbox fail", diag);
}

kiosk_error cache_outbox_retry_now(cache_store *store, int64_t now_ms, int64_t *count,
                                   kiosk_diag *diag)
{
    store_settle(store);
    *count = 0;
    sqlite3_stmt *statement = NULL;
    int code = store_prepare(store,
                             "UPDATE outbox SET next_attempt_at = min(next_attempt_at, ?), "
                             "attempts = 0 "
                             "WHERE quarantined = 0 AND (next_attempt_at > ? OR attempts > 0)",
                             &statement);
    if (code == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, now_ms);
        sqlite3_bind_int64(statement, 2, now_ms);
    }
    kiosk_error result = store_run(store, statement, code, "outbox retry now", diag);
    if (result == KIOSK_OK)
        *count = sqlite3_changes(store->db);
    return result;
}

kiosk_error cache_outbox_stats_get(cache_store *store, cache_outbox_stats *out, kiosk_diag *diag)
{
    store_settle(store);
    memset(out, 0, sizeof *out);
    sqlite3_stmt *statement = NULL;
    int code = store_prepare(
        store,
        "SELECT records - audit_records, bytes - audit_bytes,"
        " (SELECT count(*) FROM outbox WHERE quarantined = 1),"
        " (SELECT min(created_at) FROM outbox WHERE quarantined = 0 AND kind != 'audit'),"
        " audit_records FROM outbox_totals",
        &statement);
    if (code == SQLITE_OK && (code = sqlite3_step(statement)) == SQLITE_ROW) {
        out->records = sqlite3_column_int64(statement, 0);
        out->bytes = sqlite3_column_int64(statement, 1);
        out->quarantined = sqlite3_column_int64(statement, 2);
        out->oldest_created_at = sqlite3_column_int64(statement, 3);
        out->audit = sqlite3_column_int64(statement, 4);
        code = SQLITE_OK;
    }
    sqlite3_finalize(statement);
    return code == SQLITE_OK ? KIOSK_OK : store_error(store, code, "outbox stats", diag);
}

kiosk_error cache_outbox_purge(cache_store *store, int64_t now_s, int64_t *purged, kiosk_diag *diag)
{
    *purged = 0;
    int64_t limit = now_s - (int64_t)store->retention_days * 86400;
    bool own = false;
    kiosk_error result = store_begin_own(store, &own, diag);
    if (result != KIOSK_OK)
        return result;
    sqlite3_stmt *statement = NULL;
    int code = store_prepare(store,
                             "SELECT id, kind, created_at FROM outbox"
                             " WHERE created_at < ? AND quarantined = 0",
                             &statement);
    if (code == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, limit);
        while ((code = sqlite3_step(statement)) == SQLITE_ROW) {
            /* The audit line: which record, never what it held. */
            LOG_WARN("audit", "outbox record %lld (%s) purged unsent after %lld days",
                     (long long)sqlite3_column_int64(statement, 0),
                     (const char *)sqlite3_column_text(statement, 1),
                     (long long)((now_s - sqlite3_column_int64(statement, 2)) / 86400));
            (*purged)++;
        }
        code = code == SQLITE_DONE ? SQLITE_OK : code;
    }
    sqlite3_finalize(statement);
    if (code == SQLITE_OK) {
        code = store_prepare(store, "DELETE FROM outbox WHERE created_at < ? AND quarantined = 0",
                             &statement);
        if (code == SQLITE_OK) {
            sqlite3_bind_int64(statement, 1, limit);
            code = sqlite3_step(statement);
            code = code == SQLITE_DONE ? SQLITE_OK : code;
        }
        sqlite3_finalize(statement);
    }
    if (code != SQLITE_OK)
        result = store_error(store, code, "outbox purge", diag);
    result = store_end_own(store, own, result, diag);
    if (result == KIOSK_OK && *purged > 0 && store->transaction_depth == 0)
        result = cache_scrub(store);
    if (result != KIOSK_OK)
        *purged = 0;
    return result;
}

/* ---- for staff ------------------------------------------------------------ */

static void copy_column(char *out, size_t size, sqlite3_stmt *row, int column)
{
    const char *text = (const char *)sqlite3_column_text(row, column);
    snprintf(out, size, "%s", text ? text : "");
}

#define ENTRY_COLUMNS                                                                              \
    "id, quarantined, kind, reference, service, subject, coalesce(last_error, ''), attempts,"      \
    " created_at"

static void take_entry(sqlite3_stmt *row, cache_outbox_entry *entry)
{
    memset(entry, 0, sizeof *entry);
    entry->id = sqlite3_column_int64(row, 0);
    entry->quarantined = sqlite3_column_int(row, 1) != 0;
    copy_column(entry->kind, sizeof entry->kind, row, 2);
    copy_column(entry->reference, sizeof entry->reference, row, 3);
    copy_column(entry->service, sizeof entry->service, row, 4);
    copy_column(entry->subject, sizeof entry->subject, row, 5);
    copy_column(entry->last_error, sizeof entry->last_error, row, 6);
    entry->attempts = sqlite3_column_int(row, 7);
    entry->created_at = sqlite3_column_int64(row, 8);
}

kiosk_error cache_outbox_entry_get(cache_store *store, int64_t id, cache_outbox_entry *out,
                                   kiosk_diag *diag)
{
    store_settle(store);
    sqlite3_stmt *statement = NULL;
    int code =
        store_prepare(store, "SELECT " ENTRY_COLUMNS " FROM outbox WHERE id = ?", &statement);
    kiosk_error result = KIOSK_OK;
    if (code == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, id);
        code = sqlite3_step(statement);
    }
    if (code == SQLITE_ROW)
        take_entry(statement, out);
    else if (code == SQLITE_DONE)
        result = kiosk_diag_set(diag, KIOSK_ERR_NOT_FOUND, "no outbox record %lld", (long long)id);
    else
        result = store_error(store, code, "outbox entry", diag);
    sqlite3_finalize(statement);
    return result;
}

kiosk_error cache_outbox_list(cache_store *store, bool quarantined_only, cache_outbox_entry *out,
                              size_t max, size_t *count, kiosk_diag *diag)
{
    store_settle(store);
    *count = 0;
    sqlite3_stmt *statement = NULL;
    int code = store_prepare(store,
                             "SELECT " ENTRY_COLUMNS " FROM outbox"
                             " WHERE quarantined = 1 OR ? = 0"
                             " ORDER BY quarantined DESC, id LIMIT ?",
                             &statement);
    if (code == SQLITE_OK) {
        sqlite3_bind_int(statement, 1, quarantined_only);
        sqlite3_bind_int64(statement, 2, (sqlite3_int64)max);
        while ((code = sqlite3_step(statement)) == SQLITE_ROW)
            take_entry(statement, &out[(*count)++]);
        code = code == SQLITE_DONE ? SQLITE_OK : code;
    }
    sqlite3_finalize(statement);
    if (code != SQLITE_OK) {
        *count = 0;
        return store_error(store, code, "outbox list", diag);
    }
    return KIOSK_OK;
}

kiosk_error cache_outbox_release(cache_store *store, int64_t id, int64_t now_ms, kiosk_diag *diag)
{
    store_settle(store);
    sqlite3_stmt *statement = NULL;
    int code = store_prepare(store,
                             "UPDATE outbox SET quarantined = 0, attempts = 0, next_attempt_at = ?"
                             " WHERE id = ? AND quarantined = 1",
                             &statement);
    if (code == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, now_ms);
        sqlite3_bind_int64(statement, 2, id);
    }
    kiosk_error result = store_run(store, statement, code, "outbox release", diag);
    if (result == KIOSK_OK && sqlite3_changes(store->db) == 0)
        return kiosk_diag_set(diag, KIOSK_ERR_NOT_FOUND, "outbox record %lld is not quarantined",
                              (long long)id);
    if (result == KIOSK_OK)
        LOG_WARN("cache", "outbox record %lld released to be sent again", (long long)id);
    return result;
}

static bool reason_fits(const char *text)
{
    return text && text[0] && strlen(text) <= 160;
}

kiosk_error cache_outbox_close(cache_store *store, int64_t id, const char *closed_by,
                               const char *reason, int64_t now_s, kiosk_diag *diag)
{
    if (!reason_fits(closed_by) || strlen(closed_by) >= 64 || !reason_fits(reason))
        return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT,
                              "outbox close: who closes it and why are required");
    bool own = false;
    kiosk_error result = store_begin_own(store, &own, diag);
    if (result != KIOSK_OK)
        return result;
    sqlite3_stmt *statement = NULL;
    int code = store_prepare(store,
                             "INSERT INTO outbox_closed (id, kind, idempotency_key, reference,"
                             " service, subject, created_at, closed_at, closed_by, reason)"
                             " SELECT id, kind, idempotency_key, reference, service, subject,"
                             " created_at, ?, ?, ? FROM outbox WHERE id = ? AND quarantined = 1",
                             &statement);
    if (code == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, now_s);
        sqlite3_bind_text(statement, 2, closed_by, -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 3, reason, -1, SQLITE_STATIC);
        sqlite3_bind_int64(statement, 4, id);
    }
    result = store_run(store, statement, code, "outbox close", diag);
    if (result == KIOSK_OK && sqlite3_changes(store->db) == 0)
        result = kiosk_diag_set(diag, KIOSK_ERR_NOT_FOUND, "outbox record %lld is not quarantined",
                                (long long)id);
    if (result == KIOSK_OK) {
        code = store_prepare(store, "DELETE FROM outbox WHERE id = ?", &statement);
        if (code == SQLITE_OK)
            sqlite3_bind_int64(statement, 1, id);
        result = store_run(store, statement, code, "outbox close", diag);
    }
    result = store_end_own(store, own, result, diag);
    if (result == KIOSK_OK)
        LOG_WARN("audit", "outbox record %lld closed unsent by %s: %s", (long long)id, closed_by,
                 reason);
    return result;
}

kiosk_error cache_outbox_tombstone_get(cache_store *store, int64_t id, cache_outbox_tombstone *out,
                                       kiosk_diag *diag)
{
    store_settle(store);
    memset(out, 0, sizeof *out);
    sqlite3_stmt *statement = NULL;
    int code = store_prepare(store,
                             "SELECT id, kind, idempotency_key, reference, service, subject,"
                             " closed_by, reason, created_at, closed_at FROM outbox_closed"
                             " WHERE id = ?",
                             &statement);
    kiosk_error result = KIOSK_OK;
    if (code == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, id);
        code = sqlite3_step(statement);
    }
    if (code == SQLITE_ROW) {
        out->id = sqlite3_column_int64(statement, 0);
        copy_column(out->kind, sizeof out->kind, statement, 1);
        copy_column(out->idempotency_key, sizeof out->idempotency_key, statement, 2);
        copy_column(out->reference, sizeof out->reference, statement, 3);
        copy_column(out->service, sizeof out->service, statement, 4);
        copy_column(out->subject, sizeof out->subject, statement, 5);
        copy_column(out->closed_by, sizeof out->closed_by, statement, 6);
        copy_column(out->reason, sizeof out->reason, statement, 7);
        out->created_at = sqlite3_column_int64(statement, 8);
        out->closed_at = sqlite3_column_int64(statement, 9);
    } else if (code == SQLITE_DONE) {
        result = kiosk_diag_set(diag, KIOSK_ERR_NOT_FOUND, "no closed outbox record %lld",
                                (long long)id);
    } else {
        result = store_error(store, code, "outbox tombstone", diag);
    }
    sqlite3_finalize(statement);
    return result;
}
