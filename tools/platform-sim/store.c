/* The stand-in's SQLite state. See store.h. */
#include "store.h"

#include "firmware/base/log.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sim_store {
    sqlite3 *db;
    pthread_mutex_t lock;
};

/* Keys are scoped by terminal and kind: a key a terminal reuses on another
 * path, or another terminal's identical key, is a different record. */
static const char schema[] = "CREATE TABLE IF NOT EXISTS answers ("
                             "  terminal TEXT NOT NULL,"
                             "  kind TEXT NOT NULL,"
                             "  key TEXT NOT NULL,"
                             "  body_sha256 BLOB NOT NULL,"
                             "  status INTEGER NOT NULL,"
                             "  answer TEXT NOT NULL,"
                             "  created_at TEXT NOT NULL,"
                             "  PRIMARY KEY (terminal, kind, key));"
                             "CREATE TABLE IF NOT EXISTS submissions ("
                             "  id INTEGER PRIMARY KEY,"
                             "  tracking_number TEXT NOT NULL UNIQUE,"
                             "  terminal TEXT NOT NULL,"
                             "  service TEXT NOT NULL,"
                             "  status TEXT NOT NULL,"
                             "  note TEXT NOT NULL DEFAULT '',"
                             "  updated_at TEXT NOT NULL,"
                             "  local_reference TEXT NOT NULL DEFAULT '',"
                             "  digits TEXT NOT NULL DEFAULT '',"
                             "  local_digits TEXT NOT NULL DEFAULT '');"
                             "CREATE INDEX IF NOT EXISTS submissions_local"
                             "  ON submissions (local_reference);"
                             "CREATE TABLE IF NOT EXISTS signatures ("
                             "  tracking_number TEXT NOT NULL,"
                             "  field TEXT NOT NULL,"
                             "  width INTEGER NOT NULL,"
                             "  height INTEGER NOT NULL,"
                             "  png BLOB NOT NULL,"
                             "  PRIMARY KEY (tracking_number, field));"
                             /* The audit rows terminals sent, and the head each
                              * last reported: does the one explain the other? */
                             "CREATE TABLE IF NOT EXISTS audit_rows ("
                             "  terminal TEXT NOT NULL,"
                             "  sequence INTEGER NOT NULL,"
                             "  prev_hash TEXT NOT NULL,"
                             "  hash TEXT NOT NULL,"
                             "  PRIMARY KEY (terminal, sequence, hash));"
                             "CREATE TABLE IF NOT EXISTS audit_heads ("
                             "  terminal TEXT PRIMARY KEY,"
                             "  sequence INTEGER NOT NULL,"
                             "  hash TEXT NOT NULL,"
                             "  algorithm TEXT NOT NULL);"
                             /* Citizens' calls for help across the hall. */
                             "CREATE TABLE IF NOT EXISTS staff_calls ("
                             "  terminal TEXT NOT NULL,"
                             "  key TEXT NOT NULL,"
                             "  reason TEXT NOT NULL,"
                             "  screen TEXT NOT NULL,"
                             "  at TEXT NOT NULL,"
                             "  acknowledged_by TEXT,"
                             "  PRIMARY KEY (terminal, key));";

/* A state file from before submissions kept the terminal's reference gains
 * the columns (empty for the old rows). */
static bool upgrade(sqlite3 *db)
{
    sqlite3_stmt *probe = NULL;
    bool old = sqlite3_prepare_v2(db, "SELECT local_reference FROM submissions", -1, &probe,
                                  NULL) != SQLITE_OK &&
               sqlite3_prepare_v2(db, "SELECT 1 FROM submissions", -1, &probe, NULL) == SQLITE_OK;
    sqlite3_finalize(probe);
    return !old ||
           sqlite3_exec(db,
                        "ALTER TABLE submissions ADD COLUMN local_reference TEXT NOT NULL"
                        " DEFAULT '';"
                        "ALTER TABLE submissions ADD COLUMN digits TEXT NOT NULL DEFAULT '';"
                        "ALTER TABLE submissions ADD COLUMN local_digits TEXT NOT NULL"
                        " DEFAULT '';",
                        NULL, NULL, NULL) == SQLITE_OK;
}

static kiosk_error db_error(sim_store *store, kiosk_diag *diag, const char *what)
{
    return kiosk_diag_set(diag, KIOSK_ERR_IO, "state: %s: %s", what, sqlite3_errmsg(store->db));
}

kiosk_error sim_store_open(const char *path, sim_store **out, kiosk_diag *diag)
{
    *out = NULL;
    sim_store *store = calloc(1, sizeof *store);
    if (!store)
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "state: no memory");
    pthread_mutex_init(&store->lock, NULL);
    /* FULLMUTEX costs nothing here and guards against a forgotten lock. */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
    kiosk_error result = KIOSK_OK;
    if (sqlite3_open_v2(path, &store->db, flags, NULL) != SQLITE_OK) {
        result = kiosk_diag_set(diag, KIOSK_ERR_IO, "state %s: %s", path,
                                store->db ? sqlite3_errmsg(store->db) : "cannot open");
    } else if (sqlite3_exec(store->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL,
                            NULL, NULL) != SQLITE_OK ||
               !upgrade(store->db) ||
               sqlite3_exec(store->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
        result =
            kiosk_diag_set(diag, KIOSK_ERR_IO, "state %s: %s", path, sqlite3_errmsg(store->db));
    }
    if (result != KIOSK_OK) {
        sim_store_close(store);
        return result;
    }
    /* Another process (a second stand-in on the same file) waits, not fails. */
    sqlite3_busy_timeout(store->db, 5000);
    *out = store;
    return KIOSK_OK;
}

void sim_store_close(sim_store *store)
{
    if (!store)
        return;
    sqlite3_close(store->db);
    pthread_mutex_destroy(&store->lock);
    free(store);
}

static bool exec(sim_store *store, const char *sql)
{
    return sqlite3_exec(store->db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

static kiosk_error find_answer(sim_store *store, const char *terminal, const char *kind,
                               const char *key, const uint8_t digest[SIM_DIGEST_BYTES], bool *found,
                               sim_once *once, unsigned *status, char **body)
{
    sqlite3_stmt *select = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT body_sha256, status, answer FROM answers"
                           " WHERE terminal = ? AND kind = ? AND key = ?",
                           -1, &select, NULL) != SQLITE_OK)
        return db_error(store, NULL, "select");
    sqlite3_bind_text(select, 1, terminal, -1, SQLITE_STATIC);
    sqlite3_bind_text(select, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(select, 3, key, -1, SQLITE_STATIC);
    kiosk_error result = KIOSK_OK;
    int step = sqlite3_step(select);
    *found = step == SQLITE_ROW;
    if (step == SQLITE_ROW) {
        const void *stored = sqlite3_column_blob(select, 0);
        bool same = sqlite3_column_bytes(select, 0) == SIM_DIGEST_BYTES && stored &&
                    memcmp(stored, digest, SIM_DIGEST_BYTES) == 0;
        if (!same) {
            *once = SIM_ONCE_CONFLICT;
        } else {
            *once = SIM_ONCE_REPLAY;
            *status = (unsigned)sqlite3_column_int(select, 1);
            *body = strdup((const char *)sqlite3_column_text(select, 2));
            if (!*body)
                result = KIOSK_ERR_NO_MEMORY;
        }
    } else if (step != SQLITE_DONE) {
        result = db_error(store, NULL, "select");
    }
    sqlite3_finalize(select);
    return result;
}

static kiosk_error insert_answer(sim_store *store, const char *terminal, const char *kind,
                                 const char *key, const uint8_t digest[SIM_DIGEST_BYTES],
                                 unsigned status, const char *body)
{
    char now[32];
    sim_time_now(now);
    sqlite3_stmt *insert = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "INSERT INTO answers (terminal, kind, key, body_sha256, status,"
                           " answer, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           -1, &insert, NULL) != SQLITE_OK)
        return db_error(store, NULL, "insert");
    sqlite3_bind_text(insert, 1, terminal, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, key, -1, SQLITE_STATIC);
    sqlite3_bind_blob(insert, 4, digest, SIM_DIGEST_BYTES, SQLITE_STATIC);
    sqlite3_bind_int(insert, 5, (int)status);
    sqlite3_bind_text(insert, 6, body, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 7, now, -1, SQLITE_STATIC);
    kiosk_error result =
        sqlite3_step(insert) == SQLITE_DONE ? KIOSK_OK : db_error(store, NULL, "insert");
    sqlite3_finalize(insert);
    return result;
}

/* One step inside the caller's transaction. */
static kiosk_error once_step(sim_store *store, sim_once_step *step)
{
    bool found = false;
    kiosk_error result = find_answer(store, step->terminal, step->kind, step->key, step->digest,
                                     &found, &step->once, &step->status, &step->body);
    if (result == KIOSK_OK && !found) {
        step->once = SIM_ONCE_FIRST;
        result = step->make(store, step->context, &step->status, &step->body);
        if (result == KIOSK_OK)
            result = insert_answer(store, step->terminal, step->kind, step->key, step->digest,
                                   step->status, step->body);
    }
    if (result != KIOSK_OK)
        LOG_ERROR(SIM_MODULE, "state: %s %s: %s", step->kind, step->key, sqlite3_errmsg(store->db));
    return result;
}

kiosk_error sim_store_once_many(sim_store *store, sim_once_step *steps, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        steps[i].body = NULL;
        steps[i].status = 0;
    }
    pthread_mutex_lock(&store->lock);
    if (!exec(store, "BEGIN IMMEDIATE")) {
        LOG_ERROR(SIM_MODULE, "state: begin: %s", sqlite3_errmsg(store->db));
        pthread_mutex_unlock(&store->lock);
        return KIOSK_ERR_IO;
    }
    kiosk_error result = KIOSK_OK;
    for (size_t i = 0; result == KIOSK_OK && i < count; i++)
        result = once_step(store, &steps[i]);
    /* The first answers are durable before they are sent: a connection that
     * drops after this point (reset-after-commit) finds them on the retry. */
    if (result == KIOSK_OK && !exec(store, "COMMIT")) {
        result = db_error(store, NULL, "commit");
        LOG_ERROR(SIM_MODULE, "state: commit: %s", sqlite3_errmsg(store->db));
    }
    if (result != KIOSK_OK) {
        exec(store, "ROLLBACK");
        for (size_t i = 0; i < count; i++) {
            free(steps[i].body);
            steps[i].body = NULL;
        }
    }
    pthread_mutex_unlock(&store->lock);
    return result;
}

kiosk_error sim_store_once(sim_store *store, const char *terminal, const char *kind,
                           const char *key, const uint8_t digest[SIM_DIGEST_BYTES],
                           sim_first_answer make, void *context, sim_once *once, unsigned *status,
                           char **body)
{
    sim_once_step step = {.terminal = terminal,
                          .kind = kind,
                          .key = key,
                          .digest = digest,
                          .make = make,
                          .context = context};
    kiosk_error result = sim_store_once_many(store, &step, 1);
    *once = step.once;
    *status = step.status;
    *body = step.body;
    return result;
}

/* A number's digits alone: what a citizen types from a receipt on a keypad. */
static void digits_of(const char *number, char out[SIM_TRACKING_MAX])
{
    size_t n = 0;
    for (const char *c = number; *c && n + 1 < SIM_TRACKING_MAX; c++) {
        if (*c >= '0' && *c <= '9')
            out[n++] = *c;
    }
    out[n] = '\0';
}

kiosk_error sim_store_add_submission(sim_store *store, const char *terminal, const char *service,
                                     const char *local_reference, const char *received_at,
                                     char tracking[SIM_TRACKING_MAX])
{
    /* The next id, read and used under the lock and the transaction. */
    sqlite3_stmt *next = NULL;
    if (sqlite3_prepare_v2(store->db, "SELECT COALESCE(MAX(id), 0) + 1 FROM submissions", -1, &next,
                           NULL) != SQLITE_OK)
        return db_error(store, NULL, "next id");
    long long id = sqlite3_step(next) == SQLITE_ROW ? sqlite3_column_int64(next, 0) : 0;
    sqlite3_finalize(next);
    if (id <= 0)
        return db_error(store, NULL, "next id");
    /* received_at is 2026-11-22T09:30:00Z: the date without its dashes. */
    snprintf(tracking, SIM_TRACKING_MAX, "GD%.4s%.2s%.2s%06lld", received_at, received_at + 5,
             received_at + 8, id % 1000000);

    sqlite3_stmt *insert = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "INSERT INTO submissions (id, tracking_number, terminal, service,"
                           " status, updated_at, local_reference, digits, local_digits)"
                           " VALUES (?, ?, ?, ?, 'accepted', ?, ?, ?, ?)",
                           -1, &insert, NULL) != SQLITE_OK)
        return db_error(store, NULL, "insert submission");
    sqlite3_bind_int64(insert, 1, id);
    sqlite3_bind_text(insert, 2, tracking, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, terminal, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 4, service, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 5, received_at, -1, SQLITE_STATIC);
    char digits[SIM_TRACKING_MAX], local_digits[SIM_TRACKING_MAX];
    digits_of(tracking, digits);
    digits_of(local_reference, local_digits);
    sqlite3_bind_text(insert, 6, local_reference, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 7, digits, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 8, local_digits, -1, SQLITE_STATIC);
    kiosk_error result =
        sqlite3_step(insert) == SQLITE_DONE ? KIOSK_OK : db_error(store, NULL, "insert submission");
    sqlite3_finalize(insert);
    return result;
}

static void copy_column(sqlite3_stmt *statement, int column, char *out, size_t size)
{
    const unsigned char *text = sqlite3_column_text(statement, column);
    snprintf(out, size, "%s", text ? (const char *)text : "");
}

kiosk_error sim_store_get_submission(sim_store *store, const char *tracking, sim_submission *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&store->lock);
    sqlite3_stmt *select = NULL;
    kiosk_error result = KIOSK_OK;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT tracking_number, status, updated_at, note, local_reference"
                           " FROM submissions"
                           " WHERE tracking_number = ?1 OR local_reference = ?1 OR digits = ?1"
                           " OR local_digits = ?1 ORDER BY id LIMIT 1",
                           -1, &select, NULL) != SQLITE_OK) {
        result = db_error(store, NULL, "select submission");
    } else {
        sqlite3_bind_text(select, 1, tracking, -1, SQLITE_STATIC);
        int step = sqlite3_step(select);
        if (step == SQLITE_ROW) {
            copy_column(select, 0, out->tracking_number, sizeof out->tracking_number);
            copy_column(select, 1, out->status, sizeof out->status);
            copy_column(select, 2, out->updated_at, sizeof out->updated_at);
            copy_column(select, 3, out->note, sizeof out->note);
            copy_column(select, 4, out->local_reference, sizeof out->local_reference);
        } else {
            result = step == SQLITE_DONE ? KIOSK_ERR_NOT_FOUND
                                         : db_error(store, NULL, "select submission");
        }
    }
    sqlite3_finalize(select);
    pthread_mutex_unlock(&store->lock);
    return result;
}

kiosk_error sim_store_set_submission(sim_store *store, const char *tracking, const char *status,
                                     const char *note)
{
    char now[32];
    sim_time_now(now);
    pthread_mutex_lock(&store->lock);
    sqlite3_stmt *update = NULL;
    kiosk_error result = KIOSK_OK;
    if (sqlite3_prepare_v2(store->db,
                           "UPDATE submissions SET status = ?, note = ?, updated_at = ?"
                           " WHERE tracking_number = ?",
                           -1, &update, NULL) != SQLITE_OK) {
        result = db_error(store, NULL, "update submission");
    } else {
        sqlite3_bind_text(update, 1, status, -1, SQLITE_STATIC);
        sqlite3_bind_text(update, 2, note, -1, SQLITE_STATIC);
        sqlite3_bind_text(update, 3, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(update, 4, tracking, -1, SQLITE_STATIC);
        if (sqlite3_step(update) != SQLITE_DONE)
            result = db_error(store, NULL, "update submission");
        else if (sqlite3_changes(store->db) == 0)
            result = KIOSK_ERR_NOT_FOUND;
    }
    sqlite3_finalize(update);
    pthread_mutex_unlock(&store->lock);
    return result;
}

long sim_store_count(sim_store *store, const char *kind)
{
    pthread_mutex_lock(&store->lock);
    sqlite3_stmt *count = NULL;
    long result = -1;
    const char *sql = kind ? "SELECT COUNT(*) FROM answers WHERE kind = ?"
                           : "SELECT COUNT(*) FROM answers WHERE kind NOT IN ('audit', 'logs')";
    if (sqlite3_prepare_v2(store->db, sql, -1, &count, NULL) == SQLITE_OK) {
        if (kind)
            sqlite3_bind_text(count, 1, kind, -1, SQLITE_STATIC);
        if (sqlite3_step(count) == SQLITE_ROW)
            result = (long)sqlite3_column_int64(count, 0);
    }
    sqlite3_finalize(count);
    pthread_mutex_unlock(&store->lock);
    return result;
}

kiosk_error sim_store_add_signature(sim_store *store, const char *tracking, const char *field,
                                    int width, int height, const uint8_t *png, size_t length)
{
    sqlite3_stmt *insert = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "INSERT INTO signatures (tracking_number, field, width, height, png)"
                           " VALUES (?, ?, ?, ?, ?)",
                           -1, &insert, NULL) != SQLITE_OK)
        return db_error(store, NULL, "insert signature");
    sqlite3_bind_text(insert, 1, tracking, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 2, field, -1, SQLITE_STATIC);
    sqlite3_bind_int(insert, 3, width);
    sqlite3_bind_int(insert, 4, height);
    sqlite3_bind_blob(insert, 5, png, (int)length, SQLITE_STATIC);
    kiosk_error result =
        sqlite3_step(insert) == SQLITE_DONE ? KIOSK_OK : db_error(store, NULL, "insert signature");
    sqlite3_finalize(insert);
    return result;
}

kiosk_error sim_store_signatures(sim_store *store, const char *tracking, sim_signature_visit visit,
                                 void *context)
{
    pthread_mutex_lock(&store->lock);
    sqlite3_stmt *select = NULL;
    kiosk_error result = KIOSK_OK;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT field, width, height, png FROM signatures"
                           " WHERE tracking_number = ? ORDER BY field",
                           -1, &select, NULL) != SQLITE_OK) {
        result = db_error(store, NULL, "select signatures");
    } else {
        sqlite3_bind_text(select, 1, tracking, -1, SQLITE_STATIC);
        int step;
        while ((step = sqlite3_step(select)) == SQLITE_ROW)
            visit(context, (const char *)sqlite3_column_text(select, 0),
                  sqlite3_column_int(select, 1), sqlite3_column_int(select, 2),
                  sqlite3_column_blob(select, 3), (size_t)sqlite3_column_bytes(select, 3));
        if (step != SQLITE_DONE)
            result = db_error(store, NULL, "select signatures");
    }
    sqlite3_finalize(select);
    pthread_mutex_unlock(&store->lock);
    return result;
}

/* ---- the audit trail's copy, and help calls -------------------------------- */

static kiosk_error run(sim_store *store, sqlite3_stmt *statement, const char *what)
{
    int step = sqlite3_step(statement);
    sqlite3_finalize(statement);
    return step == SQLITE_DONE ? KIOSK_OK : db_error(store, NULL, what);
}

kiosk_error sim_store_add_audit_row(sim_store *store, const char *terminal, long long sequence,
                                    const char *prev_hash, const char *hash)
{
    sqlite3_stmt *insert = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "INSERT OR IGNORE INTO audit_rows (terminal, sequence, prev_hash, hash)"
                           " VALUES (?, ?, ?, ?)",
                           -1, &insert, NULL) != SQLITE_OK)
        return db_error(store, NULL, "insert audit row");
    sqlite3_bind_text(insert, 1, terminal, -1, SQLITE_STATIC);
    sqlite3_bind_int64(insert, 2, sequence);
    sqlite3_bind_text(insert, 3, prev_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 4, hash, -1, SQLITE_STATIC);
    return run(store, insert, "insert audit row");
}

kiosk_error sim_store_set_audit_head(sim_store *store, const char *terminal, long long sequence,
                                     const char *hash, const char *algorithm)
{
    pthread_mutex_lock(&store->lock);
    sqlite3_stmt *upsert = NULL;
    kiosk_error result = KIOSK_OK;
    if (sqlite3_prepare_v2(
            store->db,
            "INSERT OR REPLACE INTO audit_heads (terminal, sequence, hash, algorithm)"
            " VALUES (?, ?, ?, ?)",
            -1, &upsert, NULL) != SQLITE_OK) {
        result = db_error(store, NULL, "audit head");
    } else {
        sqlite3_bind_text(upsert, 1, terminal, -1, SQLITE_STATIC);
        sqlite3_bind_int64(upsert, 2, sequence);
        sqlite3_bind_text(upsert, 3, hash, -1, SQLITE_STATIC);
        sqlite3_bind_text(upsert, 4, algorithm, -1, SQLITE_STATIC);
        result = run(store, upsert, "audit head");
    }
    pthread_mutex_unlock(&store->lock);
    return result;
}

/* The rows received link up from 1 to the head: each row's previous hash
 * is the hash of the row before it, and the last is the head. */
static void audit_walk(sim_store *store, const char *terminal, sim_audit_check *out)
{
    sqlite3_stmt *select = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT sequence, prev_hash, hash FROM audit_rows WHERE terminal = ?"
                           " ORDER BY sequence",
                           -1, &select, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_text(select, 1, terminal, -1, SQLITE_STATIC);
    char prev[80] = "0000000000000000000000000000000000000000000000000000000000000000";
    long long expected = 1;
    bool linked = true;
    while (sqlite3_step(select) == SQLITE_ROW) {
        long long sequence = sqlite3_column_int64(select, 0);
        const char *row_prev = (const char *)sqlite3_column_text(select, 1);
        const char *hash = (const char *)sqlite3_column_text(select, 2);
        out->rows++;
        if (linked && (sequence != expected || strcmp(row_prev, prev) != 0)) {
            linked = false;
            out->first_gap = expected;
        }
        snprintf(prev, sizeof prev, "%s", hash);
        expected = sequence + 1;
    }
    sqlite3_finalize(select);
    out->linked = linked;
    out->last_sequence = expected - 1;
    snprintf(out->last_hash, sizeof out->last_hash, "%s", prev);
}

kiosk_error sim_store_audit_check(sim_store *store, const char *terminal, sim_audit_check *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&store->lock);
    sqlite3_stmt *head = NULL;
    kiosk_error result = KIOSK_OK;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT sequence, hash, algorithm FROM audit_heads WHERE terminal = ?",
                           -1, &head, NULL) != SQLITE_OK) {
        result = db_error(store, NULL, "audit check");
    } else {
        sqlite3_bind_text(head, 1, terminal, -1, SQLITE_STATIC);
        if (sqlite3_step(head) == SQLITE_ROW) {
            out->head_known = true;
            out->head_sequence = sqlite3_column_int64(head, 0);
            snprintf(out->head_hash, sizeof out->head_hash, "%s", sqlite3_column_text(head, 1));
            snprintf(out->algorithm, sizeof out->algorithm, "%s", sqlite3_column_text(head, 2));
        }
        sqlite3_finalize(head);
        audit_walk(store, terminal, out);
    }
    pthread_mutex_unlock(&store->lock);
    /* Rows still on their way leave the head ahead of them: that is not a
     * mismatch, but only an equal head and last row is a match. */
    out->matches = out->head_known && out->linked && out->last_sequence == out->head_sequence &&
                   strcmp(out->last_hash, out->head_hash) == 0;
    return result;
}

kiosk_error sim_store_add_staff_call(sim_store *store, const char *terminal, const char *key,
                                     const char *reason, const char *screen, const char *at)
{
    sqlite3_stmt *insert = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "INSERT OR IGNORE INTO staff_calls (terminal, key, reason, screen, at)"
                           " VALUES (?, ?, ?, ?, ?)",
                           -1, &insert, NULL) != SQLITE_OK)
        return db_error(store, NULL, "insert staff call");
    sqlite3_bind_text(insert, 1, terminal, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 2, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 4, screen, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 5, at, -1, SQLITE_STATIC);
    return run(store, insert, "insert staff call");
}

kiosk_error sim_store_ack_call(sim_store *store, const char *call_id, const char *by)
{
    sqlite3_stmt *update = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "UPDATE staff_calls SET acknowledged_by = ?"
                           " WHERE terminal || ':' || key = ? AND acknowledged_by IS NULL",
                           -1, &update, NULL) != SQLITE_OK)
        return db_error(store, NULL, "acknowledge call");
    sqlite3_bind_text(update, 1, by, -1, SQLITE_STATIC);
    sqlite3_bind_text(update, 2, call_id, -1, SQLITE_STATIC);
    return run(store, update, "acknowledge call");
}

kiosk_error sim_store_calls(sim_store *store, const char *terminal, bool acknowledged,
                            sim_call_visit visit, void *context)
{
    pthread_mutex_lock(&store->lock);
    sqlite3_stmt *select = NULL;
    kiosk_error result = KIOSK_OK;
    const char *sql = acknowledged ? "SELECT terminal, key, reason, screen, at FROM staff_calls"
                                     " WHERE acknowledged_by IS NOT NULL AND terminal = ?"
                                     " ORDER BY at, key"
                                   : "SELECT terminal, key, reason, screen, at FROM staff_calls"
                                     " WHERE acknowledged_by IS NULL ORDER BY at, key";
    if (sqlite3_prepare_v2(store->db, sql, -1, &select, NULL) != SQLITE_OK) {
        result = db_error(store, NULL, "select calls");
    } else {
        if (acknowledged)
            sqlite3_bind_text(select, 1, terminal, -1, SQLITE_STATIC);
        int step;
        while ((step = sqlite3_step(select)) == SQLITE_ROW)
            visit(context, (const char *)sqlite3_column_text(select, 0),
                  (const char *)sqlite3_column_text(select, 1),
                  (const char *)sqlite3_column_text(select, 2),
                  (const char *)sqlite3_column_text(select, 3),
                  (const char *)sqlite3_column_text(select, 4));
        if (step != SQLITE_DONE)
            result = db_error(store, NULL, "select calls");
    }
    sqlite3_finalize(select);
    pthread_mutex_unlock(&store->lock);
    return result;
}
