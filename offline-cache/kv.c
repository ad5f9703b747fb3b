/* Settings, cached content and counters. */
#include "offline-cache/kv.h"

#include "offline-cache/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

kiosk_error cache_kv_set(cache_store *store, const char *key, const void *value, size_t length,
                         int64_t now_s, kiosk_diag *diag)
{
    store_settle(store);
    if (!key || !key[0] || (length && !value) || length > INT32_MAX)
        return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT, "setting: a bad key or value");
    sqlite3_stmt *statement = NULL;
    int code = sqlite3_prepare_v2(
        store->db, "INSERT OR REPLACE INTO kv (key, value, updated_at) VALUES (?, ?, ?)", -1,
        &statement, NULL);
    if (code == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_blob(statement, 2, length ? value : "", (int)length, SQLITE_STATIC);
        sqlite3_bind_int64(statement, 3, now_s);
    }
    return store_run(store, statement, code, "setting", diag);
}

kiosk_error cache_kv_delete(cache_store *store, const char *key, kiosk_diag *diag)
{
    store_settle(store);
    sqlite3_stmt *statement = NULL;
    int code = sqlite3_prepare_v2(store->db, "DELETE FROM kv WHERE key = ?", -1, &statement, NULL);
    if (code == SQLITE_OK)
        sqlite3_bind_text(statement, 1, key, -1, SQLITE_STATIC);
    return store_run(store, statement, code, "settings delete", diag);
}

kiosk_error cache_kv_purge(cache_store *store, const char *prefix, int64_t before_s,
                           int64_t *deleted, kiosk_diag *diag)
{
    store_settle(store);
    if (!prefix || !prefix[0])
        return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT, "settings: an empty prefix");
    sqlite3_stmt *statement = NULL;
    /* substr, not LIKE: keys may hold '%' and '_'. */
    int code = sqlite3_prepare_v2(store->db,
                                  "DELETE FROM kv WHERE substr(key, 1, length(?1)) = ?1"
                                  " AND updated_at < ?2",
                                  -1, &statement, NULL);
    if (code == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, prefix, -1, SQLITE_STATIC);
        sqlite3_bind_int64(statement, 2, before_s);
    }
    kiosk_error result = store_run(store, statement, code, "settings purge", diag);
    if (deleted)
        *deleted = result == KIOSK_OK ? sqlite3_changes(store->db) : 0;
    return result;
}

/* A copy of a blob column, NUL-terminated. */
static char *copy_blob(sqlite3_stmt *statement, int column, size_t *length)
{
    const void *blob = sqlite3_column_blob(statement, column);
    *length = (size_t)sqlite3_column_bytes(statement, column);
    char *copy = malloc(*length + 1);
    if (copy) {
        if (*length)
            memcpy(copy, blob, *length);
        copy[*length] = '\0';
    }
    return copy;
}

kiosk_error cache_kv_get(cache_store *store, const char *key, char **value, size_t *length,
                         kiosk_diag *diag)
{
    store_settle(store);
    sqlite3_stmt *statement = NULL;
    int code =
        sqlite3_prepare_v2(store->db, "SELECT value FROM kv WHERE key = ?", -1, &statement, NULL);
    kiosk_error result = KIOSK_OK;
    if (code == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, key, -1, SQLITE_STATIC);
        code = sqlite3_step(statement);
        if (code == SQLITE_ROW) {
            *value = copy_blob(statement, 0, length);
            result = *value ? KIOSK_OK : KIOSK_ERR_NO_MEMORY;
        } else if (code == SQLITE_DONE) {
            result = kiosk_diag_set(diag, KIOSK_ERR_NOT_FOUND, "no setting %s", key);
        } else {
            result = store_error(store, code, "setting", diag);
        }
    } else {
        result = store_error(store, code, "setting", diag);
    }
    sqlite3_finalize(statement);
    return result;
}

kiosk_error cache_content_put(cache_store *store, const char *name, const char *etag,
                              const void *body, size_t length, int64_t fetched_at_s,
                              kiosk_diag *diag)
{
    store_settle(store);
    if (!name || !name[0] || (length && !body) || length > INT32_MAX)
        return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT, "cached content: bad input");
    sqlite3_stmt *statement = NULL;
    int code = sqlite3_prepare_v2(
        store->db,
        "INSERT OR REPLACE INTO cached (name, etag, body, fetched_at) VALUES (?, ?, ?, ?)", -1,
        &statement, NULL);
    if (code == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 2, etag ? etag : "", -1, SQLITE_STATIC);
        sqlite3_bind_blob(statement, 3, length ? body : "", (int)length, SQLITE_STATIC);
        sqlite3_bind_int64(statement, 4, fetched_at_s);
    }
    return store_run(store, statement, code, "cached content", diag);
}

kiosk_error cache_content_get(cache_store *store, const char *name, char **body, size_t *length,
                              char *etag, size_t etag_size, int64_t *fetched_at_s, kiosk_diag *diag)
{
    store_settle(store);
    sqlite3_stmt *statement = NULL;
    int code =
        sqlite3_prepare_v2(store->db, "SELECT body, etag, fetched_at FROM cached WHERE name = ?",
                           -1, &statement, NULL);
    kiosk_error result = KIOSK_OK;
    if (code == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, name, -1, SQLITE_STATIC);
        code = sqlite3_step(statement);
        if (code == SQLITE_ROW) {
            *body = copy_blob(statement, 0, length);
            const char *tag = (const char *)sqlite3_column_text(statement, 1);
            snprintf(etag, etag_size, "%s", tag ? tag : "");
            *fetched_at_s = sqlite3_column_int64(statement, 2);
            result = *body ? KIOSK_OK : KIOSK_ERR_NO_MEMORY;
        } else if (code == SQLITE_DONE) {
            result = kiosk_diag_set(diag, KIOSK_ERR_NOT_FOUND, "nothing cached as %s", name);
        } else {
            result = store_error(store, code, "cached content", diag);
        }
    } else {
        result = store_error(store, code, "cached content", diag);
    }
    sqlite3_finalize(statement);
    return result;
}

kiosk_error cache_counter_add(cache_store *store, const char *name, int64_t delta, int64_t *value,
                              kiosk_diag *diag)
{
    store_settle(store);
    sqlite3_stmt *statement = NULL;
    int code = sqlite3_prepare_v2(store->db,
                                  "INSERT INTO counters (name, value) VALUES (?, ?) "
                                  "ON CONFLICT (name) DO UPDATE SET value = value + excluded.value "
                                  "RETURNING value",
                                  -1, &statement, NULL);
    kiosk_error result = KIOSK_OK;
    if (code == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(statement, 2, delta);
        code = sqlite3_step(statement);
        if (code == SQLITE_ROW) {
            if (value)
                *value = sqlite3_column_int64(statement, 0);
            code = sqlite3_step(statement);
        }
        code = code == SQLITE_DONE ? SQLITE_OK : code;
    }
    sqlite3_finalize(statement);
    if (code != SQLITE_OK)
        result = store_error(store, code, "counter", diag);
    return result;
}
