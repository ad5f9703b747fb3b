/* The audit trail: rows chained by hash, a sealed head, and each row also
 * queued for the platform. See audit.h and docs/audit.md. */
#include "offline-cache/audit.h"

#include "firmware/base/untrusted_text.h"
#include "offline-cache/openssl_lazy.h"
#include "offline-cache/outbox.h"
#include "offline-cache/seal_internal.h"
#include "offline-cache/store_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH_BYTES      32 /* the chain's hash, whichever */
#define ROW_FIELD_MAX   64 /* actor, action, subject: cache_audit_row's buffers */
#define HEAD_MAC_INFO   "kiosk-audit-head"
#define ENCODING_PREFIX "kiosk-audit-v1"
/* The canonical row: the prefix, two numbers and four texts, each with its
 * length in front. */
#define CANONICAL_MAX (sizeof ENCODING_PREFIX + 2 * 24 + 4 * (13 + CACHE_AUDIT_TEXT_MAX))

const char *cache_audit_break_name(cache_audit_break found)
{
    switch (found) {
    case CACHE_AUDIT_INTACT:
        return "intact";
    case CACHE_AUDIT_EDITED:
        return "edited";
    case CACHE_AUDIT_DELETED:
        return "deleted";
    case CACHE_AUDIT_REORDERED:
        return "reordered";
    case CACHE_AUDIT_TRUNCATED:
        return "truncated";
    case CACHE_AUDIT_REPLACED:
        return "replaced";
    case CACHE_AUDIT_HEAD_FORGED:
        return "head-forged";
    }
    return "unknown";
}

/* The chain's hash follows the store's cipher: a 国密 board (sm4-gcm) hashes
 * with SM3, the others with SHA-256. */
static const char *chain_algorithm(const cache_store *store)
{
    return store->cipher == SEAL_SM4_GCM ? "sm3" : "sha256";
}

static kiosk_error fetch_md(const char *algorithm, const openssl_api **crypto, EVP_MD **md)
{
    *crypto = openssl_lazy();
    if (!*crypto)
        return KIOSK_ERR_IO;
    *md = (*crypto)->md_fetch(NULL, strcmp(algorithm, "sm3") == 0 ? "SM3" : "SHA256", NULL);
    return *md ? KIOSK_OK : KIOSK_ERR_UNSUPPORTED;
}

static void to_hex(const uint8_t *bytes, size_t length, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < length; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * length] = '\0';
}

static bool from_hex(const char *text, uint8_t out[HASH_BYTES])
{
    if (strlen(text) != 2 * HASH_BYTES)
        return false;
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < 2 * HASH_BYTES; i++) {
        const char *digit = memchr(digits, text[i], 16);
        if (!digit)
            return false;
        int value = (int)(digit - digits);
        out[i / 2] = (uint8_t)(i % 2 ? (out[i / 2] | value) : value << 4);
    }
    return true;
}

static size_t put_text(char *out, size_t at, const char *text, const char *before)
{
    size_t length = strlen(text);
    at += (size_t)snprintf(out + at, CANONICAL_MAX - at, "%s%zu:", before, length);
    memcpy(out + at, text, length);
    return at + length;
}

/* What a row's hash covers besides the previous hash: every field, each
 * text length-prefixed (n: its bytes) so no two rows encode alike:
 *   kiosk-audit-v1|seq|at|n:actor|n:action|n:subject|n:detail
 * Texts are within their limits (checked before), so it always fits. */
static size_t canonical_row(int64_t sequence, int64_t at_s, const cache_audit_event *event,
                            char out[CANONICAL_MAX])
{
    size_t at = (size_t)snprintf(out, CANONICAL_MAX, ENCODING_PREFIX "|%lld|%lld|",
                                 (long long)sequence, (long long)at_s);
    at = put_text(out, at, event->actor, "");
    at = put_text(out, at, event->action, "|");
    at = put_text(out, at, event->subject, "|");
    return put_text(out, at, event->detail, "|");
}

/* hash = H(prev_hash || canonical row), as hex. */
static kiosk_error row_hash(const char *algorithm, const char *prev_hex, int64_t sequence,
                            int64_t at_s, const cache_audit_event *event,
                            char out[CACHE_AUDIT_HASH_HEX])
{
    uint8_t input[HASH_BYTES + CANONICAL_MAX];
    if (!from_hex(prev_hex, input))
        return KIOSK_ERR_MALFORMED;
    size_t length = HASH_BYTES + canonical_row(sequence, at_s, event, (char *)input + HASH_BYTES);
    const openssl_api *crypto = NULL;
    EVP_MD *md = NULL;
    kiosk_error result = fetch_md(algorithm, &crypto, &md);
    if (result != KIOSK_OK)
        return result;
    uint8_t digest[EVP_MAX_MD_SIZE]; /* both hashes give HASH_BYTES */
    if (crypto->digest(input, length, digest, NULL, md, NULL) != 1)
        result = KIOSK_ERR_IO;
    else
        to_hex(digest, HASH_BYTES, out);
    crypto->md_free(md);
    return result;
}

/* The head's seal: HMAC (with the chain's hash) over "sequence|hash|algorithm",
 * keyed by HKDF of the store's key with its own label, so it proves nothing
 * about any other use of that key. Without a key the head is unsealed: "". */
static kiosk_error head_mac(const cache_store *store, int64_t sequence, const char *hash,
                            const char *algorithm, char out[CACHE_AUDIT_HASH_HEX])
{
    out[0] = '\0';
    if (!store->has_key)
        return KIOSK_OK;
    uint8_t key[HASH_BYTES];
    kiosk_error result =
        seal_hkdf_sha256(NULL, 0, store->key.bytes, SEAL_KEY_BYTES, (const uint8_t *)HEAD_MAC_INFO,
                         sizeof HEAD_MAC_INFO - 1, key, sizeof key);
    const openssl_api *crypto = NULL;
    EVP_MD *md = NULL;
    if (result == KIOSK_OK)
        result = fetch_md(algorithm, &crypto, &md);
    if (result == KIOSK_OK) {
        char text[128];
        int n = snprintf(text, sizeof text, "%lld|%s|%s", (long long)sequence, hash, algorithm);
        uint8_t mac[EVP_MAX_MD_SIZE];
        unsigned int mac_length = 0;
        if (!crypto->hmac(md, key, (int)sizeof key, (const uint8_t *)text, (size_t)n, mac,
                          &mac_length) ||
            mac_length != HASH_BYTES)
            result = KIOSK_ERR_IO;
        else
            to_hex(mac, HASH_BYTES, out);
        crypto->md_free(md);
    }
    explicit_bzero(key, sizeof key);
    return result;
}

static const char zero_hash[CACHE_AUDIT_HASH_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static bool text_fits(const char *text, size_t max, bool required)
{
    if (!text)
        return !required;
    size_t length = strlen(text);
    return (length > 0 || !required) && length < max && untrusted_utf8_valid(text, length);
}

/* The row as JSON for the platform. Texts are valid UTF-8 (checked); the
 * characters JSON does not take as they are are escaped. */
static size_t json_text(char *out, size_t at, size_t size, const char *name, const char *text)
{
    at += (size_t)snprintf(out + at, size - at, "\"%s\":\"", name);
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c == '"' || *c == '\\')
            at += (size_t)snprintf(out + at, size - at, "\\%c", *c);
        else if (*c < 0x20 || *c == 0x7f)
            at += (size_t)snprintf(out + at, size - at, "\\u%04x", *c);
        else
            out[at++] = (char)*c;
    }
    out[at++] = '"';
    return at;
}

#define ROW_JSON_MAX (512 + 6 * 4 * CACHE_AUDIT_TEXT_MAX)

static size_t row_json(int64_t sequence, int64_t at_s, const cache_audit_event *event,
                       const char *algorithm, const char *prev, const char *hash,
                       char out[ROW_JSON_MAX])
{
    size_t at = (size_t)snprintf(out, ROW_JSON_MAX, "{\"sequence\":%lld,\"at\":%lld,",
                                 (long long)sequence, (long long)at_s);
    at = json_text(out, at, ROW_JSON_MAX, "actor", event->actor);
    out[at++] = ',';
    at = json_text(out, at, ROW_JSON_MAX, "action", event->action);
    out[at++] = ',';
    at = json_text(out, at, ROW_JSON_MAX, "subject", event->subject);
    out[at++] = ',';
    at = json_text(out, at, ROW_JSON_MAX, "detail", event->detail);
    at += (size_t)snprintf(out + at, ROW_JSON_MAX - at,
                           ",\"algorithm\":\"%s\",\"prev_hash\":\"%s\",\"hash\":\"%s\"}", algorithm,
                           prev, hash);
    return at;
}

/* SQLite is told each text's length: it is known, and nothing rides on a
 * NUL it would otherwise look for. */
static void bind_text(sqlite3_stmt *statement, int index, const char *text)
{
    sqlite3_bind_text(statement, index, text, (int)strlen(text), SQLITE_STATIC);
}

/* The last row's sequence and hash (0 and the zero hash when none). */
static kiosk_error last_row(cache_store *store, int64_t *sequence, char hash[CACHE_AUDIT_HASH_HEX],
                            kiosk_diag *diag)
{
    *sequence = 0;
    memcpy(hash, zero_hash, CACHE_AUDIT_HASH_HEX);
    sqlite3_stmt *statement = NULL;
    int code = store_prepare(
        store, "SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1", &statement);
    if (code == SQLITE_OK) {
        code = sqlite3_step(statement);
        if (code == SQLITE_ROW) {
            *sequence = sqlite3_column_int64(statement, 0);
            const char *text = (const char *)sqlite3_column_text(statement, 1);
            snprintf(hash, CACHE_AUDIT_HASH_HEX, "%s", text ? text : "");
        }
        code = code == SQLITE_ROW || code == SQLITE_DONE ? SQLITE_OK : code;
    }
    sqlite3_finalize(statement);
    return code == SQLITE_OK ? KIOSK_OK : store_error(store, code, "audit head", diag);
}

static kiosk_error write_row(cache_store *store, int64_t sequence, int64_t now_s,
                             const cache_audit_event *event, const char *algorithm,
                             const char *prev, const char *hash, kiosk_diag *diag)
{
    sqlite3_stmt *statement = NULL;
    int code = store_prepare(store,
                             "INSERT INTO audit (sequence, at, actor, action, subject, detail,"
                             " algorithm, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             &statement);
    if (code == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, sequence);
        sqlite3_bind_int64(statement, 2, now_s);
        bind_text(statement, 3, event->actor);
        bind_text(statement, 4, event->action);
        bind_text(statement, 5, event->subject);
        bind_text(statement, 6, event->detail);
        bind_text(statement, 7, algorithm);
        bind_text(statement, 8, prev);
        bind_text(statement, 9, hash);
    }
    return store_run(store, statement, code, "audit append", diag);
}

static kiosk_error write_head(cache_store *store, int64_t sequence, const char *hash,
                              const char *algorithm, kiosk_diag *diag)
{
    char mac[CACHE_AUDIT_HASH_HEX];
    kiosk_error result = head_mac(store, sequence, hash, algorithm, mac);
    if (result != KIOSK_OK)
        return kiosk_diag_set(diag, result, "%s: cannot seal the audit head", store->path);
    sqlite3_stmt *statement = NULL;
    int code =
        store_prepare(store,
                      "INSERT OR REPLACE INTO audit_head (id, sequence, hash, algorithm, mac)"
                      " VALUES (1, ?, ?, ?, ?)",
                      &statement);
    if (code == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, sequence);
        bind_text(statement, 2, hash);
        bind_text(statement, 3, algorithm);
        bind_text(statement, 4, mac);
    }
    return store_run(store, statement, code, "audit head", diag);
}

static kiosk_error queue_row(cache_store *store, int64_t sequence, int64_t now_s,
                             const cache_audit_event *event, const char *algorithm,
                             const char *prev, const char *hash, kiosk_diag *diag)
{
    char json[ROW_JSON_MAX];
    size_t length = row_json(sequence, now_s, event, algorithm, prev, hash, json);
    /* The hash in the key: a store started afresh (its old file moved aside)
     * counts from 1 again, and its rows must not be taken for the old ones. */
    char key[CACHE_KEY_MAX];
    snprintf(key, sizeof key, "audit:%lld:%.16s", (long long)sequence, hash);
    cache_put put = {.kind = "audit",
                     .idempotency_key = key,
                     .payload = (const uint8_t *)json,
                     .payload_length = length,
                     .personal = false};
    int64_t id = 0;
    return cache_outbox_put(store, &put, now_s * 1000, &id, diag);
}

kiosk_error cache_audit_append(cache_store *store, const cache_audit_event *event, int64_t now_s,
                               cache_audit_head *head, kiosk_diag *diag)
{
    if (!event || !text_fits(event->actor, ROW_FIELD_MAX, true) ||
        !text_fits(event->action, ROW_FIELD_MAX, true) ||
        !text_fits(event->subject, ROW_FIELD_MAX, false) ||
        !text_fits(event->detail, CACHE_AUDIT_TEXT_MAX + 1, false))
        return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT,
                              "audit: an actor and an action are required, and every text must "
                              "be UTF-8 within its limit");
    cache_audit_event row = *event;
    row.subject = event->subject ? event->subject : "";
    row.detail = event->detail ? event->detail : "";
    if (store_disk_low(store))
        return kiosk_diag_set(diag, KIOSK_ERR_NO_SPACE, "%s: the disk is nearly full", store->path);
    bool own = false;
    kiosk_error result = store_begin_own(store, &own, diag);
    if (result != KIOSK_OK)
        return result;
    /* The outbox put below joins this transaction rather than settling it. */
    if (own)
        store->transaction_depth++;
    int64_t sequence = 0;
    char prev[CACHE_AUDIT_HASH_HEX], hash[CACHE_AUDIT_HASH_HEX];
    const char *algorithm = chain_algorithm(store);
    result = last_row(store, &sequence, prev, diag);
    sequence++;
    if (result == KIOSK_OK) {
        result = row_hash(algorithm, prev, sequence, now_s, &row, hash);
        /* A last row whose hash is not even hex still gets a successor,
         * linked to the zero hash: the break stays where it is for verify
         * to name, and the trail goes on. */
        if (result == KIOSK_ERR_MALFORMED) {
            memcpy(prev, zero_hash, sizeof prev);
            result = row_hash(algorithm, prev, sequence, now_s, &row, hash);
        }
        if (result != KIOSK_OK)
            kiosk_diag_set(diag, result, "%s: cannot hash the audit row", store->path);
    }
    if (result == KIOSK_OK)
        result = write_row(store, sequence, now_s, &row, algorithm, prev, hash, diag);
    if (result == KIOSK_OK)
        result = write_head(store, sequence, hash, algorithm, diag);
    if (result == KIOSK_OK)
        result = queue_row(store, sequence, now_s, &row, algorithm, prev, hash, diag);
    if (own)
        store->transaction_depth--;
    result = store_end_own(store, own, result, diag);
    if (result == KIOSK_OK && head) {
        head->sequence = sequence;
        snprintf(head->hash, sizeof head->hash, "%s", hash);
        snprintf(head->algorithm, sizeof head->algorithm, "%s", algorithm);
    }
    return result;
}

/* The sealed head as stored: *found false when there is none. */
typedef struct stored_head {
    bool found;
    int64_t sequence;
    char hash[CACHE_AUDIT_HASH_HEX], algorithm[8], mac[CACHE_AUDIT_HASH_HEX];
} stored_head;

static kiosk_error read_head(cache_store *store, stored_head *out, kiosk_diag *diag)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *statement = NULL;
    int code =
        store_prepare(store, "SELECT sequence, hash, algorithm, mac FROM audit_head", &statement);
    if (code == SQLITE_OK) {
        code = sqlite3_step(statement);
        if (code == SQLITE_ROW) {
            out->found = true;
            out->sequence = sqlite3_column_int64(statement, 0);
            const char *hash = (const char *)sqlite3_column_text(statement, 1);
            const char *algorithm = (const char *)sqlite3_column_text(statement, 2);
            const char *mac = (const char *)sqlite3_column_text(statement, 3);
            snprintf(out->hash, sizeof out->hash, "%s", hash ? hash : "");
            snprintf(out->algorithm, sizeof out->algorithm, "%s", algorithm ? algorithm : "");
            snprintf(out->mac, sizeof out->mac, "%s", mac ? mac : "");
        }
        code = code == SQLITE_ROW || code == SQLITE_DONE ? SQLITE_OK : code;
    }
    sqlite3_finalize(statement);
    return code == SQLITE_OK ? KIOSK_OK : store_error(store, code, "audit head", diag);
}

kiosk_error cache_audit_head_get(cache_store *store, cache_audit_head *out, kiosk_diag *diag)
{
    store_settle(store);
    stored_head head;
    kiosk_error result = read_head(store, &head, diag);
    if (result != KIOSK_OK)
        return result;
    out->sequence = head.found ? head.sequence : 0;
    snprintf(out->hash, sizeof out->hash, "%s", head.found ? head.hash : zero_hash);
    snprintf(out->algorithm, sizeof out->algorithm, "%s",
             head.found ? head.algorithm : chain_algorithm(store));
    return KIOSK_OK;
}

__attribute__((format(printf, 4, 5))) static void verdict(cache_audit_verdict *out,
                                                          cache_audit_break found, int64_t sequence,
                                                          const char *format, ...)
{
    out->found = found;
    out->at_sequence = sequence;
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(out->explanation, sizeof out->explanation, format, arguments);
    va_end(arguments);
}

/* Whether some row's hash is hash: a row whose previous hash is another
 * row's than its predecessor's has been moved. */
static bool hash_in_trail(cache_store *store, const char *hash)
{
    sqlite3_stmt *statement = NULL;
    bool found = false;
    if (store_prepare(store, "SELECT 1 FROM audit WHERE hash = ?", &statement) == SQLITE_OK) {
        bind_text(statement, 1, hash);
        found = sqlite3_step(statement) == SQLITE_ROW;
    }
    sqlite3_finalize(statement);
    return found;
}

static const char *column_text(sqlite3_stmt *row, int column)
{
    const char *text = (const char *)sqlite3_column_text(row, column);
    return text ? text : "";
}

/* One row against its predecessor: false (and the verdict) at the first
 * break. */
static bool check_row(cache_store *store, sqlite3_stmt *row, int64_t expected,
                      char prev[CACHE_AUDIT_HASH_HEX], cache_audit_verdict *out)
{
    int64_t sequence = sqlite3_column_int64(row, 0);
    if (sequence != expected) {
        verdict(out, CACHE_AUDIT_DELETED, expected,
                "audit row %lld is missing (the next row found is %lld)", (long long)expected,
                (long long)sequence);
        return false;
    }
    cache_audit_event event = {.actor = column_text(row, 2),
                               .action = column_text(row, 3),
                               .subject = column_text(row, 4),
                               .detail = column_text(row, 5)};
    const char *algorithm = column_text(row, 6), *row_prev = column_text(row, 7),
               *stored = column_text(row, 8);
    if (strcmp(row_prev, prev) != 0) {
        bool moved = hash_in_trail(store, row_prev);
        if (moved)
            verdict(out, CACHE_AUDIT_REORDERED, sequence,
                    "audit row %lld does not follow row %lld but another: rows were reordered",
                    (long long)sequence, (long long)(sequence - 1));
        else
            verdict(out, CACHE_AUDIT_EDITED, sequence,
                    "audit row %lld does not link to row %lld: its previous hash was edited",
                    (long long)sequence, (long long)(sequence - 1));
        return false;
    }
    /* A text over its limit was never appended (and would not fit the
     * encoding's buffer). */
    if (!text_fits(event.actor, ROW_FIELD_MAX, true) ||
        !text_fits(event.action, ROW_FIELD_MAX, true) ||
        !text_fits(event.subject, ROW_FIELD_MAX, false) ||
        !text_fits(event.detail, CACHE_AUDIT_TEXT_MAX + 1, false)) {
        verdict(out, CACHE_AUDIT_EDITED, sequence,
                "audit row %lld was edited: a text is missing, over its limit or not UTF-8",
                (long long)sequence);
        return false;
    }
    char hash[CACHE_AUDIT_HASH_HEX];
    if ((strcmp(algorithm, "sha256") != 0 && strcmp(algorithm, "sm3") != 0) ||
        row_hash(algorithm, prev, sequence, sqlite3_column_int64(row, 1), &event, hash) !=
            KIOSK_OK ||
        strcmp(hash, stored) != 0) {
        verdict(out, CACHE_AUDIT_EDITED, sequence,
                "audit row %lld was edited: its content no longer matches its hash",
                (long long)sequence);
        return false;
    }
    snprintf(prev, CACHE_AUDIT_HASH_HEX, "%s", stored);
    return true;
}

/* The end of an intact chain against the sealed head. */
static void check_end(cache_store *store, const stored_head *head, int64_t last,
                      const char *last_hash, cache_audit_verdict *out)
{
    if (!head->found) {
        if (last > 0)
            verdict(out, CACHE_AUDIT_HEAD_FORGED, last,
                    "the sealed audit head is missing though %lld rows are there", (long long)last);
        return;
    }
    char mac[CACHE_AUDIT_HASH_HEX];
    if (head_mac(store, head->sequence, head->hash, head->algorithm, mac) != KIOSK_OK ||
        strcmp(mac, head->mac) != 0) {
        verdict(out, CACHE_AUDIT_HEAD_FORGED, head->sequence,
                "the sealed audit head (row %lld) does not verify: it was edited",
                (long long)head->sequence);
        return;
    }
    if (last < head->sequence) {
        verdict(out, CACHE_AUDIT_TRUNCATED, last + 1,
                "audit rows from %lld on are missing: the sealed head says %lld",
                (long long)last + 1, (long long)head->sequence);
        return;
    }
    if (last > head->sequence || strcmp(last_hash, head->hash) != 0)
        verdict(out, CACHE_AUDIT_REPLACED, head->sequence,
                "the audit trail's end (row %lld) is not the one sealed (row %lld): its tail was "
                "replaced",
                (long long)last, (long long)head->sequence);
}

kiosk_error cache_audit_verify(cache_store *store, cache_audit_verdict *out, kiosk_diag *diag)
{
    store_settle(store);
    memset(out, 0, sizeof *out);
    stored_head head;
    kiosk_error result = read_head(store, &head, diag);
    if (result != KIOSK_OK)
        return result;
    sqlite3_stmt *statement = NULL;
    int code = store_prepare(store,
                             "SELECT sequence, at, actor, action, subject, detail, algorithm,"
                             " prev_hash, hash FROM audit ORDER BY sequence",
                             &statement);
    /* Walked apart from out, which says nothing unless the walk ends. */
    cache_audit_verdict walked = {.found = CACHE_AUDIT_INTACT};
    char prev[CACHE_AUDIT_HASH_HEX];
    memcpy(prev, zero_hash, sizeof prev);
    int64_t expected = 1;
    bool intact = true;
    while (code == SQLITE_OK && intact && (code = sqlite3_step(statement)) == SQLITE_ROW) {
        intact = check_row(store, statement, expected, prev, &walked);
        walked.rows++;
        expected++;
        code = SQLITE_OK;
    }
    code = code == SQLITE_DONE ? SQLITE_OK : code;
    sqlite3_finalize(statement);
    if (code != SQLITE_OK)
        return store_error(store, code, "audit verify", diag);
    if (intact)
        check_end(store, &head, expected - 1, prev, &walked);
    if (walked.found == CACHE_AUDIT_INTACT)
        snprintf(walked.explanation, sizeof walked.explanation, "%lld audit rows, intact",
                 (long long)walked.rows);
    *out = walked;
    return KIOSK_OK;
}

kiosk_error cache_audit_list(cache_store *store, int64_t after, cache_audit_row *out, size_t max,
                             size_t *count, kiosk_diag *diag)
{
    store_settle(store);
    *count = 0;
    sqlite3_stmt *statement = NULL;
    int code = store_prepare(store,
                             "SELECT sequence, at, actor, action, subject, detail, hash FROM audit"
                             " WHERE sequence > ? ORDER BY sequence LIMIT ?",
                             &statement);
    if (code == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, after);
        sqlite3_bind_int64(statement, 2, (sqlite3_int64)max);
        while ((code = sqlite3_step(statement)) == SQLITE_ROW) {
            cache_audit_row *row = &out[(*count)++];
            memset(row, 0, sizeof *row);
            row->sequence = sqlite3_column_int64(statement, 0);
            row->at_s = sqlite3_column_int64(statement, 1);
            snprintf(row->actor, sizeof row->actor, "%s", column_text(statement, 2));
            snprintf(row->action, sizeof row->action, "%s", column_text(statement, 3));
            snprintf(row->subject, sizeof row->subject, "%s", column_text(statement, 4));
            snprintf(row->detail, sizeof row->detail, "%s", column_text(statement, 5));
            snprintf(row->hash, sizeof row->hash, "%s", column_text(statement, 6));
        }
        code = code == SQLITE_DONE ? SQLITE_OK : code;
    }
    sqlite3_finalize(statement);
    if (code != SQLITE_OK) {
        *count = 0;
        return store_error(store, code, "audit list", diag);
    }
    return KIOSK_OK;
}
