/* Opening the store: pragmas, the start-up check, migrations. */
#include "offline-cache/cache_probes.h"
#include "offline-cache/store_internal.h"

#include "firmware/base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_MAX_RECORDS 100000
#define DEFAULT_MAX_BYTES   (256LL * 1024 * 1024)
#define DEFAULT_RETENTION   30
#define DEFAULT_MIN_FREE    (16LL * 1024 * 1024)
#define BUSY_TIMEOUT_MS     5000

/* Each migration takes the schema from its index to the next version. They
 * run in one transaction with the version bump, so a power cut leaves the
 * old schema or the new, never half. */
static const char *const migrations[] = {
    /* 0 -> 1 */
    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT," /* never reused: the id is sealed into the payload */
    "  kind TEXT NOT NULL,"
    "  idempotency_key TEXT NOT NULL UNIQUE,"
    "  payload BLOB NOT NULL,"
    "  sealed INTEGER NOT NULL,"
    "  size INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL," /* wall clock, seconds: for retention */
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt_at INTEGER NOT NULL," /* wall clock, ms */
    "  last_error TEXT,"
    "  quarantined INTEGER NOT NULL DEFAULT 0);"
    /* Claims walk this in id order (oldest first) and stop at the batch's
     * size; an index led by next_attempt_at would make every claim sort all
     * the due rows. */
    "CREATE INDEX outbox_queue ON outbox (quarantined, id);"
    "CREATE TABLE kv (key TEXT PRIMARY KEY, value BLOB NOT NULL, updated_at INTEGER NOT NULL)"
    "  WITHOUT ROWID;"
    "CREATE TABLE cached (name TEXT PRIMARY KEY, etag TEXT, body BLOB NOT NULL,"
    "  fetched_at INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
    /* What the outbox holds, kept by triggers so a put checks the limits
     * without counting every row. */
    "CREATE TABLE outbox_totals (id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  records INTEGER NOT NULL, bytes INTEGER NOT NULL);"
    "INSERT INTO outbox_totals VALUES (1, 0, 0);"
    "CREATE TRIGGER outbox_added AFTER INSERT ON outbox WHEN NEW.quarantined = 0 BEGIN"
    "  UPDATE outbox_totals SET records = records + 1, bytes = bytes + NEW.size; END;"
    "CREATE TRIGGER outbox_removed AFTER DELETE ON outbox WHEN OLD.quarantined = 0 BEGIN"
    "  UPDATE outbox_totals SET records = records - 1, bytes = bytes - OLD.size; END;"
    "CREATE TRIGGER outbox_quarantined AFTER UPDATE OF quarantined ON outbox"
    "  WHEN OLD.quarantined = 0 AND NEW.quarantined = 1 BEGIN"
    "  UPDATE outbox_totals SET records = records - 1, bytes = bytes - OLD.size; END;",
    /* 1 -> 2: the audit trail (audit.c) and what staff see of a record
     * without opening its payload; records closed for good by staff. */
    "CREATE TABLE audit ("
    "  sequence INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL,"
    "  algorithm TEXT NOT NULL,"
    "  prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL);"
    "CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  sequence INTEGER NOT NULL, hash TEXT NOT NULL, algorithm TEXT NOT NULL,"
    "  mac TEXT NOT NULL);"
    "ALTER TABLE outbox ADD COLUMN reference TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE outbox ADD COLUMN service TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE outbox ADD COLUMN subject TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE outbox_closed (id INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
    "  idempotency_key TEXT NOT NULL, reference TEXT NOT NULL, service TEXT NOT NULL,"
    "  subject TEXT NOT NULL, created_at INTEGER NOT NULL, closed_at INTEGER NOT NULL,"
    "  closed_by TEXT NOT NULL, reason TEXT NOT NULL);"
    /* Audit rows waiting, counted apart: what staff and the heartbeat call
     * waiting is citizens' records, not the trail's copies on their way. */
    "ALTER TABLE outbox_totals ADD COLUMN audit_records INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE outbox_totals ADD COLUMN audit_bytes INTEGER NOT NULL DEFAULT 0;"
    "CREATE TRIGGER outbox_audit_added AFTER INSERT ON outbox"
    "  WHEN NEW.quarantined = 0 AND NEW.kind = 'audit' BEGIN"
    "  UPDATE outbox_totals SET audit_records = audit_records + 1,"
    "  audit_bytes = audit_bytes + NEW.size; END;"
    "CREATE TRIGGER outbox_audit_removed AFTER DELETE ON outbox"
    "  WHEN OLD.quarantined = 0 AND OLD.kind = 'audit' BEGIN"
    "  UPDATE outbox_totals SET audit_records = audit_records - 1,"
    "  audit_bytes = audit_bytes - OLD.size; END;"
    "CREATE TRIGGER outbox_audit_quarantined AFTER UPDATE OF quarantined ON outbox"
    "  WHEN OLD.quarantined = 0 AND NEW.quarantined = 1 AND OLD.kind = 'audit' BEGIN"
    "  UPDATE outbox_totals SET audit_records = audit_records - 1,"
    "  audit_bytes = audit_bytes - OLD.size; END;"
    "CREATE TRIGGER outbox_audit_released AFTER UPDATE OF quarantined ON outbox"
    "  WHEN OLD.quarantined = 1 AND NEW.quarantined = 0 AND OLD.kind = 'audit' BEGIN"
    "  UPDATE outbox_totals SET audit_records = audit_records + 1,"
    "  audit_bytes = audit_bytes + OLD.size; END;"
    /* Released by staff: counted again. */
    "CREATE TRIGGER outbox_released AFTER UPDATE OF quarantined ON outbox"
    "  WHEN OLD.quarantined = 1 AND NEW.quarantined = 0 BEGIN"
    "  UPDATE outbox_totals SET records = records + 1, bytes = bytes + OLD.size; END;",
};
#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

int cache_retention_days(const cache_store *store)
{
    return store->retention_days;
}

kiosk_error store_error(cache_store *store, int code, const char *what, kiosk_diag *diag)
{
    int primary = code & 0xFF;
    kiosk_error error = primary == SQLITE_FULL    ? KIOSK_ERR_NO_SPACE
                        : primary == SQLITE_NOMEM ? KIOSK_ERR_NO_MEMORY
                        : primary == SQLITE_BUSY  ? KIOSK_ERR_BUSY
                                                  : KIOSK_ERR_IO;
    const char *message = store && store->db ? sqlite3_errmsg(store->db) : sqlite3_errstr(code);
    kiosk_diag_set(diag, error, "%s: %s: %s", store ? store->path : "store", what, message);
    return error;
}

kiosk_error store_run(cache_store *store, sqlite3_stmt *statement, int code, const char *what,
                      kiosk_diag *diag)
{
    if (code == SQLITE_OK) {
        code = sqlite3_step(statement);
        code = code == SQLITE_DONE ? SQLITE_OK : code;
    }
    sqlite3_finalize(statement);
    return code == SQLITE_OK ? KIOSK_OK : store_error(store, code, what, diag);
}

int store_prepare(cache_store *store, const char *sql, sqlite3_stmt **statement)
{
    return sqlite3_prepare_v2(store->db, sql, -1, statement, NULL);
}

static kiosk_error exec(cache_store *store, const char *sql, const char *what, kiosk_diag *diag)
{
    int code = sqlite3_exec(store->db, sql, NULL, NULL, NULL);
    return code == SQLITE_OK ? KIOSK_OK : store_error(store, code, what, diag);
}

/* A transaction nobody owns (a BEGIN or ROLLBACK that failed half-way, out
 * of memory) is rolled back before anything else, so no half-written record
 * can ride along with the next commit. */
void store_settle(cache_store *store)
{
    if (store->transaction_depth == 0 && !sqlite3_get_autocommit(store->db))
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
}

kiosk_error store_begin_own(cache_store *store, bool *own, kiosk_diag *diag)
{
    *own = store->transaction_depth == 0;
    if (!*own)
        return KIOSK_OK;
    store_settle(store);
    /* IMMEDIATE: take the write lock now, not half-way through. */
    return exec(store, "BEGIN IMMEDIATE", "begin", diag);
}

kiosk_error store_end_own(cache_store *store, bool own, kiosk_error result, kiosk_diag *diag)
{
    if (!own)
        return result;
    if (result != KIOSK_OK) {
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
        return result;
    }
    result = exec(store, "COMMIT", "commit", diag);
    if (result != KIOSK_OK)
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
    return result;
}

kiosk_error cache_begin(cache_store *store)
{
    if (store->transaction_depth > 0)
        return KIOSK_ERR_INVALID_ARGUMENT;
    store_settle(store);
    kiosk_error result = exec(store, "BEGIN IMMEDIATE", "begin", NULL);
    if (result == KIOSK_OK)
        store->transaction_depth = 1;
    return result;
}

kiosk_error cache_commit(cache_store *store)
{
    if (store->transaction_depth == 0)
        return KIOSK_ERR_INVALID_ARGUMENT;
    store->transaction_depth = 0;
    kiosk_diag diag;
    kiosk_error result = exec(store, "COMMIT", "commit", &diag);
    if (result != KIOSK_OK) {
        LOG_WARN("cache", "%s", diag.message);
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
    }
    return result;
}

void cache_rollback(cache_store *store)
{
    if (store->transaction_depth == 0)
        return;
    store->transaction_depth = 0;
    sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
}

bool store_disk_low(cache_store *store)
{
    struct statvfs fs;
    char dir[512];
    snprintf(dir, sizeof dir, "%s", store->path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    if (statvfs(dir, &fs) != 0)
        return false; /* unknown: let SQLite's own errors tell */
    return (int64_t)fs.f_bavail * (int64_t)fs.f_frsize < store->min_free_bytes;
}

static int read_int(cache_store *store, const char *sql, int *out)
{
    sqlite3_stmt *statement = NULL;
    int code = sqlite3_prepare_v2(store->db, sql, -1, &statement, NULL);
    if (code == SQLITE_OK) {
        code = sqlite3_step(statement);
        if (code == SQLITE_ROW) {
            *out = sqlite3_column_int(statement, 0);
            code = SQLITE_OK;
        }
    }
    sqlite3_finalize(statement);
    return code;
}

/* The start-up check: "ok", or the first problem. */
static int quick_check(cache_store *store, char *problem, size_t size)
{
    sqlite3_stmt *statement = NULL;
    int code = sqlite3_prepare_v2(store->db, "PRAGMA quick_check(1)", -1, &statement, NULL);
    if (code == SQLITE_OK) {
        code = sqlite3_step(statement);
        if (code == SQLITE_ROW) {
            const char *text = (const char *)sqlite3_column_text(statement, 0);
            snprintf(problem, size, "%s", text ? text : "");
            code = SQLITE_OK;
        }
    }
    sqlite3_finalize(statement);
    return code;
}

static void move_aside(const char *path, char *moved_to, size_t size)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    int n = snprintf(moved_to, size, "%s.corrupt-%s", path, stamp);
    if (n < 0 || (size_t)n >= size) {
        LOG_ERROR("cache", "cannot move %s aside: the name is too long", path);
        return;
    }
    const char *suffixes[] = {"-wal", "-shm"};
    for (size_t i = 0; i < 2; i++) {
        char from[700], to[700];
        int a = snprintf(from, sizeof from, "%s%s", path, suffixes[i]);
        int b = snprintf(to, sizeof to, "%s%s", moved_to, suffixes[i]);
        if (a < 0 || b < 0 || (size_t)a >= sizeof from || (size_t)b >= sizeof to)
            continue;
        if (rename(from, to) != 0 && errno != ENOENT)
            LOG_WARN("cache", "cannot move %s aside: %s", from, strerror(errno));
    }
    if (rename(path, moved_to) != 0)
        LOG_ERROR("cache", "cannot move %s aside: %s", path, strerror(errno));
}

static kiosk_error open_db(cache_store *store, kiosk_diag *diag)
{
    int code =
        sqlite3_open_v2(store->path, &store->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (code != SQLITE_OK)
        return store_error(store, code, "cannot open", diag);
    sqlite3_busy_timeout(store->db, BUSY_TIMEOUT_MS);
    return KIOSK_OK;
}

static kiosk_error migrate(cache_store *store, cache_open_report *report, kiosk_diag *diag)
{
    int version = 0;
    int code = read_int(store, "PRAGMA user_version", &version);
    if (code != SQLITE_OK)
        return store_error(store, code, "cannot read the schema version", diag);
    report->schema_from = version;
    report->schema_to = version;
    if (version > SCHEMA_VERSION)
        return kiosk_diag_set(diag, KIOSK_ERR_UNSUPPORTED,
                              "%s: schema version %d is newer than this firmware's %d", store->path,
                              version, SCHEMA_VERSION);
    for (int v = version; v < SCHEMA_VERSION; v++) {
        bool own = false;
        kiosk_error result = store_begin_own(store, &own, diag);
        if (result != KIOSK_OK)
            return result;
        result = exec(store, migrations[v], "migration", diag);
        if (result == KIOSK_OK) {
            char bump[64];
            snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
            result = exec(store, bump, "migration", diag);
        }
        result = store_end_own(store, own, result, diag);
        if (result != KIOSK_OK)
            return result;
        LOG_INFO("cache", "%s: schema %d -> %d", store->path, v, v + 1);
        report->schema_to = v + 1;
    }
    return KIOSK_OK;
}

kiosk_error cache_open(const cache_options *options, cache_store **out, cache_open_report *report,
                       kiosk_diag *diag)
{
    cache_open_report ignored;
    if (!report)
        report = &ignored;
    memset(report, 0, sizeof *report);
    cache_store *store = calloc(1, sizeof *store);
    if (!store)
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "out of memory");
    snprintf(store->path, sizeof store->path, "%s", options->path);
    store->cipher = options->cipher ? options->cipher : SEAL_AES_256_GCM;
    if (options->key) {
        store->key = *options->key;
        store->has_key = true;
    }
    store->max_outbox_records =
        options->max_outbox_records > 0 ? options->max_outbox_records : DEFAULT_MAX_RECORDS;
    store->max_outbox_bytes =
        options->max_outbox_bytes > 0 ? options->max_outbox_bytes : DEFAULT_MAX_BYTES;
    store->retention_days =
        options->retention_days > 0 ? options->retention_days : DEFAULT_RETENTION;
    store->min_free_bytes =
        options->min_free_bytes > 0 ? options->min_free_bytes : DEFAULT_MIN_FREE;

    kiosk_error result = open_db(store, diag);
    char problem[256] = "";
    int code = result == KIOSK_OK ? quick_check(store, problem, sizeof problem) : SQLITE_OK;
    if (result == KIOSK_OK && (code != SQLITE_OK || strcmp(problem, "ok") != 0)) {
        int primary = code & 0xFF;
        if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB || code == SQLITE_OK) {
            /* Kept for a technician, never overwritten. */
            sqlite3_close(store->db);
            store->db = NULL;
            move_aside(store->path, report->moved_to, sizeof report->moved_to);
            report->moved_aside = true;
            LOG_ERROR("cache", "%s failed its check (%s); moved aside to %s, starting afresh",
                      store->path, code == SQLITE_OK ? problem : sqlite3_errstr(code),
                      report->moved_to);
            result = open_db(store, diag);
        } else {
            result = store_error(store, code, "cannot check", diag);
        }
    }
    if (result == KIOSK_OK)
        result = exec(store,
                      "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                      "PRAGMA secure_delete = ON; PRAGMA foreign_keys = ON;",
                      "cannot set up", diag);
    if (result == KIOSK_OK)
        result = migrate(store, report, diag);
    if (result != KIOSK_OK) {
        cache_close(store);
        return result;
    }
    *out = store;
    return KIOSK_OK;
}

void cache_close(cache_store *store)
{
    if (!store)
        return;
    cache_rollback(store);
    sqlite3_close(store->db);
    seal_key_wipe(&store->key);
    free(store);
}

kiosk_error cache_scrub(cache_store *store)
{
    kiosk_diag diag;
    kiosk_error result = exec(store, "PRAGMA wal_checkpoint(TRUNCATE)", "checkpoint", &diag);
    if (result != KIOSK_OK)
        LOG_WARN("cache", "%s", diag.message);
    return result;
}

kiosk_error cache_integrity_check(cache_store *store, kiosk_diag *diag)
{
    sqlite3_stmt *statement = NULL;
    int code = sqlite3_prepare_v2(store->db, "PRAGMA integrity_check(1)", -1, &statement, NULL);
    kiosk_error result = KIOSK_OK;
    if (code == SQLITE_OK && sqlite3_step(statement) == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(statement, 0);
        if (!text || strcmp(text, "ok") != 0)
            result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s", store->path,
                                    text ? text : "no answer");
    } else {
        result = store_error(store, code == SQLITE_OK ? sqlite3_errcode(store->db) : code,
                             "integrity check", diag);
    }
    sqlite3_finalize(statement);
    return result;
}
