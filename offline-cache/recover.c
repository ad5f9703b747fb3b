/* Bringing stranded records home. The other file is only read (it may be
 * damaged: whatever cannot be read stays in it), and everything it gives
 * is written here in one transaction, so a crash half-way leaves this
 * store as it was and the file where it was, to be tried at the next
 * start. */
#include "offline-cache/recover.h"

#include "firmware/base/log.h"
#include "offline-cache/kv.h"
#include "offline-cache/outbox.h"
#include "offline-cache/store_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static bool known_here(cache_store *store, const char *key, kiosk_error *result, kiosk_diag *diag)
{
    sqlite3_stmt *statement = NULL;
    int code = sqlite3_prepare_v2(store->db, "SELECT 1 FROM outbox WHERE idempotency_key = ?", -1,
                                  &statement, NULL);
    bool found = false;
    if (code == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, key, -1, SQLITE_STATIC);
        code = sqlite3_step(statement);
        found = code == SQLITE_ROW;
        code = code == SQLITE_ROW || code == SQLITE_DONE ? SQLITE_OK : code;
    }
    sqlite3_finalize(statement);
    if (code != SQLITE_OK)
        *result = store_error(store, code, "recovery lookup", diag);
    return found;
}

/* One row of the other file's outbox, put here (and quarantined again if
 * it was). Whether it could be is counted in report; errors are this
 * store's. */
static kiosk_error adopt_row(cache_store *store, sqlite3_stmt *row, int64_t now_ms,
                             cache_recover_report *report, kiosk_diag *diag)
{
    int64_t old_id = sqlite3_column_int64(row, 0);
    const char *kind = (const char *)sqlite3_column_text(row, 1);
    const char *key = (const char *)sqlite3_column_text(row, 2);
    const uint8_t *payload = sqlite3_column_blob(row, 3);
    size_t length = (size_t)sqlite3_column_bytes(row, 3);
    bool sealed = sqlite3_column_int(row, 4) != 0;
    int64_t created_s = sqlite3_column_int64(row, 5);
    bool quarantined = sqlite3_column_int(row, 6) != 0;
    const char *reason = (const char *)sqlite3_column_text(row, 7);
    if (!kind || !kind[0] || strlen(kind) >= CACHE_KIND_MAX || !key || !key[0] ||
        strlen(key) >= CACHE_KEY_MAX || length > CACHE_PAYLOAD_MAX + SEAL_OVERHEAD_BYTES) {
        report->stranded++;
        return KIOSK_OK;
    }
    kiosk_error result = KIOSK_OK;
    if (known_here(store, key, &result, diag)) {
        report->known++;
        return KIOSK_OK;
    }
    if (result != KIOSK_OK)
        return result;
    uint8_t *plain = sqlite3_malloc64(length ? length : 1);
    if (!plain)
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "recovery: out of memory");
    size_t plain_length = length;
    if (length)
        memcpy(plain, payload, length);
    if (sealed) {
        uint8_t aad[OUTBOX_AAD_MAX];
        size_t aad_length = outbox_associated_data(old_id, kind, aad);
        if (!store->has_key || seal_open(&store->key, aad, aad_length, payload, length, plain,
                                         length, &plain_length) != KIOSK_OK) {
            explicit_bzero(plain, length);
            sqlite3_free(plain);
            report->stranded++;
            return KIOSK_OK;
        }
    }
    cache_put put = {.kind = kind,
                     .idempotency_key = key,
                     .payload = plain,
                     .payload_length = plain_length,
                     .personal = sealed};
    int64_t id = 0;
    /* Its own creation time, so retention counts from when the citizen
     * made it; due at once unless it was quarantined. */
    int64_t created_ms = created_s > 0 && created_s * 1000 < now_ms ? created_s * 1000 : now_ms;
    result = cache_outbox_put(store, &put, created_ms, &id, diag);
    explicit_bzero(plain, plain_length);
    sqlite3_free(plain);
    if (result == KIOSK_OK && quarantined)
        result = cache_outbox_quarantine(store, id, reason ? reason : "quarantined before", diag);
    if (result == KIOSK_OK) {
        report->adopted++;
        LOG_WARN("audit", "outbox record %lld (%s) recovered as record %lld", (long long)old_id,
                 kind, (long long)id);
    }
    return result;
}

static kiosk_error adopt_records(cache_store *store, sqlite3 *from, int64_t now_ms,
                                 cache_recover_report *report, kiosk_diag *diag)
{
    sqlite3_stmt *row = NULL;
    int code = sqlite3_prepare_v2(from,
                                  "SELECT id, kind, idempotency_key, payload, sealed, created_at,"
                                  " quarantined, last_error FROM outbox ORDER BY id",
                                  -1, &row, NULL);
    kiosk_error result = KIOSK_OK;
    while (code == SQLITE_OK && result == KIOSK_OK) {
        int stepped = sqlite3_step(row);
        if (stepped == SQLITE_ROW)
            result = adopt_row(store, row, now_ms, report, diag);
        else
            code = stepped == SQLITE_DONE ? SQLITE_DONE : stepped;
    }
    /* What a damaged file will not give up stays in it. */
    if (code != SQLITE_DONE)
        report->unreadable = true;
    sqlite3_finalize(row);
    return result;
}

static kiosk_error adopt_settings(cache_store *store, sqlite3 *from, const char *const *prefixes,
                                  cache_recover_report *report, kiosk_diag *diag)
{
    kiosk_error result = KIOSK_OK;
    for (size_t i = 0; prefixes && prefixes[i] && result == KIOSK_OK; i++) {
        sqlite3_stmt *row = NULL, *insert = NULL;
        int code = sqlite3_prepare_v2(from,
                                      "SELECT key, value, updated_at FROM kv"
                                      " WHERE substr(key, 1, length(?1)) = ?1",
                                      -1, &row, NULL);
        if (code == SQLITE_OK)
            sqlite3_bind_text(row, 1, prefixes[i], -1, SQLITE_STATIC);
        int made = sqlite3_prepare_v2(
            store->db, "INSERT OR IGNORE INTO kv (key, value, updated_at) VALUES (?, ?, ?)", -1,
            &insert, NULL);
        if (made != SQLITE_OK)
            result = store_error(store, made, "recovery settings", diag);
        while (code == SQLITE_OK && result == KIOSK_OK && sqlite3_step(row) == SQLITE_ROW) {
            sqlite3_bind_value(insert, 1, sqlite3_column_value(row, 0));
            sqlite3_bind_value(insert, 2, sqlite3_column_value(row, 1));
            sqlite3_bind_value(insert, 3, sqlite3_column_value(row, 2));
            made = sqlite3_step(insert);
            if (made != SQLITE_DONE)
                result = store_error(store, made, "recovery settings", diag);
            else
                report->settings += sqlite3_changes(store->db);
            sqlite3_reset(insert);
        }
        if (code != SQLITE_OK)
            report->unreadable = true;
        sqlite3_finalize(row);
        sqlite3_finalize(insert);
    }
    return result;
}

/* Counters only grow: each keeps the larger of the two. */
static kiosk_error adopt_counters(cache_store *store, sqlite3 *from, kiosk_diag *diag)
{
    sqlite3_stmt *row = NULL, *upsert = NULL;
    int code = sqlite3_prepare_v2(from, "SELECT name, value FROM counters", -1, &row, NULL);
    int made = sqlite3_prepare_v2(store->db,
                                  "INSERT INTO counters (name, value) VALUES (?, ?)"
                                  " ON CONFLICT (name) DO UPDATE SET value ="
                                  " max(value, excluded.value)",
                                  -1, &upsert, NULL);
    kiosk_error result =
        made == SQLITE_OK ? KIOSK_OK : store_error(store, made, "recovery counters", diag);
    while (code == SQLITE_OK && result == KIOSK_OK && sqlite3_step(row) == SQLITE_ROW) {
        sqlite3_bind_value(upsert, 1, sqlite3_column_value(row, 0));
        sqlite3_bind_value(upsert, 2, sqlite3_column_value(row, 1));
        made = sqlite3_step(upsert);
        if (made != SQLITE_DONE)
            result = store_error(store, made, "recovery counters", diag);
        sqlite3_reset(upsert);
    }
    sqlite3_finalize(row);
    sqlite3_finalize(upsert);
    return result;
}

/* Renamed, not deleted: a technician can still see what was there. */
static void move_recovered(const char *path, char *moved_to, size_t size)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    int n = snprintf(moved_to, size, "%s.recovered-%s", path, stamp);
    if (n < 0 || (size_t)n >= size) {
        moved_to[0] = '\0';
        return;
    }
    const char *suffixes[] = {"-wal", "-shm"};
    for (size_t i = 0; i < 2; i++) {
        char from[760], to[760];
        snprintf(from, sizeof from, "%s%s", path, suffixes[i]);
        snprintf(to, sizeof to, "%s%s", moved_to, suffixes[i]);
        if (rename(from, to) != 0 && errno != ENOENT)
            LOG_WARN("cache", "cannot rename %s: %s", from, strerror(errno));
    }
    if (rename(path, moved_to) != 0) {
        LOG_ERROR("cache", "cannot rename %s: %s", path, strerror(errno));
        moved_to[0] = '\0';
    }
}

kiosk_error cache_recover_from(cache_store *store, const char *from_path,
                               const char *const *setting_prefixes, int64_t now_ms,
                               cache_recover_report *report, kiosk_diag *diag)
{
    memset(report, 0, sizeof *report);
    sqlite3 *from = NULL;
    int code = sqlite3_open_v2(from_path, &from, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (code != SQLITE_OK) {
        sqlite3_close(from);
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: cannot be read: %s", from_path,
                              sqlite3_errstr(code));
    }
    kiosk_error result = cache_begin(store);
    if (result != KIOSK_OK)
        kiosk_diag_set(diag, result, "%s: recovery cannot begin a transaction", store->path);
    if (result == KIOSK_OK)
        result = adopt_records(store, from, now_ms, report, diag);
    if (result == KIOSK_OK)
        result = adopt_settings(store, from, setting_prefixes, report, diag);
    if (result == KIOSK_OK)
        result = adopt_counters(store, from, diag);
    if (result == KIOSK_OK) {
        result = cache_commit(store);
        if (result != KIOSK_OK)
            kiosk_diag_set(diag, result, "%s: recovery could not be committed", store->path);
    } else {
        cache_rollback(store);
    }
    sqlite3_close(from);
    if (result != KIOSK_OK) {
        int64_t unread = report->adopted + report->stranded;
        memset(report, 0, sizeof *report);
        report->stranded = unread; /* nothing came over */
        return result;
    }
    if (report->stranded == 0 && !report->unreadable)
        move_recovered(from_path, report->moved_to, sizeof report->moved_to);
    return KIOSK_OK;
}
