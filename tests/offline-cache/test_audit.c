/* The audit trail: rows chained by SHA-256 or SM3, a sealed head, each row
 * queued for the platform; and every kind of tampering done to the file
 * with SQLite itself is found and named. */
#include "../support/test_support.h"

#include "cache_fixture.h"
#include "offline-cache/audit.h"
#include "offline-cache/openssl_lazy.h"
#include "offline-cache/seal_internal.h"
#include "offline-cache/store_internal.h"

#include <sqlite3.h>

#define NOW_S ((int64_t)TEST_WALL_TIME)

static cache_audit_head append(cache_store *store, const char *actor, const char *action,
                               const char *subject, const char *detail, int64_t at_s)
{
    cache_audit_event event = {
        .actor = actor, .action = action, .subject = subject, .detail = detail};
    cache_audit_head head;
    memset(&head, 0, sizeof head);
    kiosk_diag diag = {{0}};
    kiosk_error result = cache_audit_append(store, &event, at_s, &head, &diag);
    if (result != KIOSK_OK)
        fail_msg("append %s: %s (%s)", action, kiosk_error_name(result), diag.message);
    return head;
}

/* Five rows as staff and the terminal would leave them. */
static void append_five(cache_store *store, const char *last_detail)
{
    (void)append(store, "staff:S001", "staff.sign_in", "", "card", NOW_S);
    (void)append(store, "staff:S001", "outbox.resend", "K0420-000042", "", NOW_S + 1);
    (void)append(store, "citizen", "service.submitted", "110105********1234", "户籍证明",
                 NOW_S + 2);
    (void)append(store, "technician:T001", "selftest.run", "", "printer ok", NOW_S + 3);
    (void)append(store, "staff:S001", "staff.sign_out", "", last_detail, NOW_S + 4);
}

static cache_audit_verdict verify(cache_store *store)
{
    cache_audit_verdict verdict;
    kiosk_diag diag = {{0}};
    kiosk_error result = cache_audit_verify(store, &verdict, &diag);
    if (result != KIOSK_OK)
        fail_msg("verify: %s (%s)", kiosk_error_name(result), diag.message);
    return verdict;
}

/* SHA-256 or SM3 of bytes, computed here from the documented encoding. */
static void expected_hash(const char *algorithm, const char *prev_hex, const char *canonical,
                          char out[CACHE_AUDIT_HASH_HEX])
{
    const openssl_api *crypto = openssl_lazy();
    assert_non_null(crypto);
    uint8_t input[600];
    for (size_t i = 0; i < 32; i++) {
        unsigned byte = 0;
        assert_int_equal(sscanf(prev_hex + 2 * i, "%2x", &byte), 1);
        input[i] = (uint8_t)byte;
    }
    size_t length = strlen(canonical);
    memcpy(input + 32, canonical, length);
    EVP_MD *md = crypto->md_fetch(NULL, algorithm, NULL);
    assert_non_null(md);
    uint8_t digest[64];
    unsigned int digest_length = 0;
    assert_int_equal(crypto->digest(input, 32 + length, digest, &digest_length, md, NULL), 1);
    crypto->md_free(md);
    assert_int_equal(digest_length, 32);
    for (size_t i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static void check_chain_hashes(seal_cipher cipher, const char *name, const char *md_name)
{
    seal_key key = test_key(40);
    cache_options options = {.cipher = cipher};
    cache_store *store = open_store(fresh_db(name), &key, &options);
    cache_audit_head head = append(store, "staff:S001", "staff.sign_in", "", "card", NOW_S);
    assert_int_equal(head.sequence, 1);
    assert_string_equal(head.algorithm, strcmp(md_name, "SM3") == 0 ? "sm3" : "sha256");

    char first[CACHE_AUDIT_HASH_HEX], canonical[300];
    snprintf(canonical, sizeof canonical,
             "kiosk-audit-v1|1|%lld|10:staff:S001|13:staff.sign_in|0:|4:card", (long long)NOW_S);
    expected_hash(md_name, ZERO_HASH, canonical, first);
    assert_string_equal(head.hash, first);

    head = append(store, "citizen", "service.submitted", "110105********1234", "户籍", NOW_S + 9);
    char second[CACHE_AUDIT_HASH_HEX];
    snprintf(canonical, sizeof canonical,
             "kiosk-audit-v1|2|%lld|7:citizen|17:service.submitted|18:110105********1234|6:户籍",
             (long long)NOW_S + 9);
    expected_hash(md_name, first, canonical, second);
    assert_int_equal(head.sequence, 2);
    assert_string_equal(head.hash, second);

    cache_audit_head got;
    assert_int_equal(cache_audit_head_get(store, &got, NULL), KIOSK_OK);
    assert_int_equal(got.sequence, 2);
    assert_string_equal(got.hash, second);
    assert_string_equal(got.algorithm, head.algorithm);
    cache_audit_verdict verdict = verify(store);
    assert_int_equal(verdict.found, CACHE_AUDIT_INTACT);
    assert_int_equal(verdict.rows, 2);
    assert_int_equal(verdict.at_sequence, 0);
    cache_close(store);
}

static void test_rows_chain_with_sha256(void **state)
{
    (void)state;
    check_chain_hashes(SEAL_AES_256_GCM, "audit-sha256", "SHA256");
}

static void test_rows_chain_with_sm3_on_a_guomi_board(void **state)
{
    (void)state;
    check_chain_hashes(SEAL_SM4_GCM, "audit-sm3", "SM3");
}

static void test_an_empty_trail_is_intact_with_a_zero_head(void **state)
{
    (void)state;
    seal_key key = test_key(41);
    cache_store *store = open_store(fresh_db("audit-empty"), &key, NULL);
    cache_audit_head head;
    assert_int_equal(cache_audit_head_get(store, &head, NULL), KIOSK_OK);
    assert_int_equal(head.sequence, 0);
    assert_string_equal(head.hash, ZERO_HASH);
    assert_string_equal(head.algorithm, "sha256");
    cache_audit_verdict verdict = verify(store);
    assert_int_equal(verdict.found, CACHE_AUDIT_INTACT);
    assert_int_equal(verdict.rows, 0);
    assert_non_null(strstr(verdict.explanation, "intact"));
    cache_close(store);
}

/* Each row reaches the platform: an outbox record of kind "audit", not
 * sealed, carrying the row as JSON with its hashes. */
static void test_every_row_is_queued_for_the_platform(void **state)
{
    (void)state;
    seal_key key = test_key(42);
    cache_store *store = open_store(fresh_db("audit-outbox"), &key, NULL);
    cache_audit_head first =
        append(store, "staff:S001", "outbox.close", "K0420-000042", "said \"wrong\"\\\n", NOW_S);
    cache_audit_head second = append(store, "citizen", "service.submitted", "", "", NOW_S + 1);
    cache_record records[4];
    size_t count = 0;
    assert_int_equal(cache_outbox_claim(store, NOW_MS + 2000, 4, records, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 2);
    assert_string_equal(records[0].kind, "audit");
    char key_text[CACHE_KEY_MAX];
    snprintf(key_text, sizeof key_text, "audit:1:%.16s", first.hash);
    assert_string_equal(records[0].idempotency_key, key_text);
    char json[1024];
    snprintf(json, sizeof json,
             "{\"sequence\":1,\"at\":%lld,\"actor\":\"staff:S001\",\"action\":\"outbox.close\","
             "\"subject\":\"K0420-000042\",\"detail\":\"said \\\"wrong\\\"\\\\\\u000a\","
             "\"algorithm\":\"sha256\",\"prev_hash\":\"" ZERO_HASH "\",\"hash\":\"%s\"}",
             (long long)NOW_S, first.hash);
    assert_int_equal(records[0].payload_length, strlen(json));
    assert_memory_equal(records[0].payload, json, strlen(json));
    assert_non_null(memmem(records[1].payload, records[1].payload_length, second.hash, 64));
    assert_non_null(memmem(records[1].payload, records[1].payload_length, first.hash, 64));
    cache_records_free(records, count);
    /* Not sealed: nothing personal is in a row. */
    cache_close(store);
}

static void test_bad_rows_are_refused(void **state)
{
    (void)state;
    seal_key key = test_key(43);
    cache_store *store = open_store(fresh_db("audit-bad"), &key, NULL);
    char long_text[CACHE_AUDIT_TEXT_MAX + 2];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    char detail_limit[CACHE_AUDIT_TEXT_MAX + 1];
    memset(detail_limit, 'y', sizeof detail_limit - 1);
    detail_limit[sizeof detail_limit - 1] = '\0';
    char actor_limit[64], actor_over[65];
    memset(actor_limit, 'a', sizeof actor_limit - 1);
    actor_limit[sizeof actor_limit - 1] = '\0';
    memset(actor_over, 'a', sizeof actor_over - 1);
    actor_over[sizeof actor_over - 1] = '\0';
    cache_audit_event bad[] = {
        {.actor = NULL, .action = "a"},
        {.actor = "", .action = "a"},
        {.actor = "staff:S1", .action = NULL},
        {.actor = "staff:S1", .action = ""},
        {.actor = "staff:S1", .action = "a", .detail = long_text},
        {.actor = actor_over, .action = "a"},
        {.actor = "staff:S1", .action = actor_over},
        {.actor = "staff:S1", .action = "a", .subject = actor_over},
        {.actor = "staff:S1", .action = "a", .detail = "\xff\xfe"},
        {.actor = "staff:\xc0\xaf", .action = "a"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        kiosk_diag diag = {{0}};
        assert_int_equal(cache_audit_append(store, &bad[i], NOW_S, NULL, &diag),
                         KIOSK_ERR_INVALID_ARGUMENT);
        assert_non_null(strstr(diag.message, "audit"));
    }
    assert_int_equal(cache_audit_append(store, NULL, NOW_S, NULL, NULL),
                     KIOSK_ERR_INVALID_ARGUMENT);
    /* At the limits, and with no subject or detail at all: fine. */
    cache_audit_event fits = {.actor = actor_limit,
                              .action = actor_limit,
                              .subject = actor_limit,
                              .detail = detail_limit};
    assert_int_equal(cache_audit_append(store, &fits, NOW_S, NULL, NULL), KIOSK_OK);
    cache_audit_event bare = {.actor = "terminal", .action = "terminal.start"};
    assert_int_equal(cache_audit_append(store, &bare, NOW_S, NULL, NULL), KIOSK_OK);
    cache_audit_row rows[4];
    size_t count = 0;
    assert_int_equal(cache_audit_list(store, 0, rows, 4, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 2);
    assert_string_equal(rows[0].detail, detail_limit);
    assert_string_equal(rows[1].subject, "");
    assert_string_equal(rows[1].detail, "");
    assert_int_equal(verify(store).found, CACHE_AUDIT_INTACT);
    cache_close(store);
}

static void test_rows_are_listed_in_order_from_a_point(void **state)
{
    (void)state;
    seal_key key = test_key(44);
    cache_store *store = open_store(fresh_db("audit-list"), &key, NULL);
    append_five(store, "");
    cache_audit_row rows[3];
    size_t count = 0;
    assert_int_equal(cache_audit_list(store, 1, rows, 3, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 3);
    assert_int_equal(rows[0].sequence, 2);
    assert_int_equal(rows[0].at_s, NOW_S + 1);
    assert_string_equal(rows[0].actor, "staff:S001");
    assert_string_equal(rows[0].action, "outbox.resend");
    assert_string_equal(rows[0].subject, "K0420-000042");
    assert_string_equal(rows[1].detail, "户籍证明");
    assert_int_equal(rows[2].sequence, 4);
    assert_int_equal(strlen(rows[2].hash), 64);
    assert_int_equal(cache_audit_list(store, 5, rows, 3, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 0);
    cache_close(store);
}

/* The disk fills up (SQLite's own "database or disk is full", the store
 * held to the pages it has): the row that does not fit leaves nothing —
 * no row, no head, no outbox record — and the chain still verifies. And a
 * disk nearly full is refused before anything is tried. */
static void test_no_space_leaves_nothing_half_written(void **state)
{
    (void)state;
    seal_key key = test_key(45);
    const char *path = fresh_db("audit-full");
    cache_store *store = open_store(path, &key, NULL);
    (void)append(store, "terminal", "a", "", "", NOW_S);
    sqlite3_stmt *pages = NULL;
    assert_int_equal(sqlite3_prepare_v2(store->db, "PRAGMA page_count", -1, &pages, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(pages), SQLITE_ROW);
    char limit[64];
    snprintf(limit, sizeof limit, "PRAGMA max_page_count = %d", sqlite3_column_int(pages, 0) + 1);
    sqlite3_finalize(pages);
    assert_int_equal(sqlite3_exec(store->db, limit, NULL, NULL, NULL), SQLITE_OK);
    char detail[CACHE_AUDIT_TEXT_MAX + 1];
    memset(detail, 'd', sizeof detail - 1);
    detail[sizeof detail - 1] = '\0';
    cache_audit_event event = {.actor = "staff:S001", .action = "outbox.close", .detail = detail};
    kiosk_error result = KIOSK_OK;
    int64_t kept = 1;
    cache_audit_head head = {0}, untouched = {.sequence = 77};
    for (int i = 0; i < 10000 && result == KIOSK_OK; i++) {
        untouched.sequence = 77;
        result = cache_audit_append(store, &event, NOW_S, &untouched, NULL);
        if (result == KIOSK_OK) {
            head = untouched;
            kept++;
        }
    }
    assert_int_equal(result, KIOSK_ERR_NO_SPACE);
    assert_int_equal(untouched.sequence, 77);
    assert_true(kept > 1);
    cache_audit_head now;
    assert_int_equal(cache_audit_head_get(store, &now, NULL), KIOSK_OK);
    assert_int_equal(now.sequence, kept);
    assert_string_equal(now.hash, head.hash);
    cache_audit_verdict verdict = verify(store);
    assert_int_equal(verdict.found, CACHE_AUDIT_INTACT);
    assert_int_equal(verdict.rows, kept);
    cache_outbox_stats stats;
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.audit, kept);
    cache_close(store);

    cache_options low = {.min_free_bytes = INT64_MAX};
    store = open_store(path, &key, &low);
    kiosk_diag diag = {{0}};
    assert_int_equal(cache_audit_append(store, &event, NOW_S, NULL, &diag), KIOSK_ERR_NO_SPACE);
    assert_non_null(strstr(diag.message, "nearly full"));
    assert_int_equal(verify(store).rows, kept);
    cache_close(store);
}

/* A full outbox is full of citizens' records: a row (a staff member
 * closing one of them) is still kept and queued, and the rows' copies take
 * nothing from the citizens' room. */
static void test_rows_are_kept_in_a_full_outbox(void **state)
{
    (void)state;
    seal_key key = test_key(52);
    cache_options options = {.max_outbox_records = 2};
    cache_store *store = open_store(fresh_db("audit-outbox-full"), &key, &options);
    for (int i = 0; i < 3; i++)
        (void)append(store, "terminal", "a", "", "", NOW_S);
    (void)put_record(store, "T:S1:a", "one", false);
    int64_t second = put_record(store, "T:S2:a", "two", false);
    cache_put third = {.kind = "submission",
                       .idempotency_key = "T:S3:a",
                       .payload = (const uint8_t *)"3",
                       .payload_length = 1};
    int64_t id = 0;
    assert_int_equal(cache_outbox_put(store, &third, NOW_MS, &id, NULL), KIOSK_ERR_NO_SPACE);
    assert_int_equal(cache_outbox_quarantine(store, second, "422", NULL), KIOSK_OK);
    assert_int_equal(cache_begin(store), KIOSK_OK);
    assert_int_equal(cache_outbox_close(store, second, "staff:S001", "duplicate", NOW_S, NULL),
                     KIOSK_OK);
    (void)append(store, "staff:S001", "outbox.close", "", "duplicate", NOW_S);
    assert_int_equal(cache_commit(store), KIOSK_OK);
    cache_outbox_stats stats;
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.records, 1);
    assert_int_equal(stats.audit, 4);
    cache_close(store);
}

/* A row appended inside the caller's transaction is kept or lost with it. */
static void test_a_row_joins_the_callers_transaction(void **state)
{
    (void)state;
    seal_key key = test_key(46);
    cache_store *store = open_store(fresh_db("audit-transaction"), &key, NULL);
    (void)append(store, "terminal", "a", "", "", NOW_S);
    assert_int_equal(cache_begin(store), KIOSK_OK);
    (void)append(store, "terminal", "b", "", "", NOW_S);
    cache_rollback(store);
    cache_audit_head head;
    assert_int_equal(cache_audit_head_get(store, &head, NULL), KIOSK_OK);
    assert_int_equal(head.sequence, 1);
    cache_outbox_stats stats;
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    /* Counted apart from citizens' records. */
    assert_int_equal(stats.audit, 1);
    assert_int_equal(stats.records, 0);
    assert_int_equal(cache_begin(store), KIOSK_OK);
    (void)append(store, "terminal", "b", "", "", NOW_S);
    assert_int_equal(cache_commit(store), KIOSK_OK);
    assert_int_equal(verify(store).rows, 2);
    cache_close(store);
}

/* Tampering, done the way someone with the file would: SQLite on it. */
static void tamper(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *error = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK)
        fail_msg("%s: %s", sql, error);
    sqlite3_close(db);
}

static cache_audit_verdict tampered(const char *name, const char *sql, const char *detail)
{
    seal_key key = test_key(47);
    const char *path = fresh_db(name);
    cache_store *store = open_store(path, &key, NULL);
    append_five(store, detail);
    assert_int_equal(verify(store).found, CACHE_AUDIT_INTACT);
    cache_close(store);
    tamper(path, sql);
    store = open_store(path, &key, NULL);
    cache_audit_verdict verdict = verify(store);
    cache_close(store);
    return verdict;
}

static void test_an_edited_field_is_found(void **state)
{
    (void)state;
    const char *edits[] = {
        "UPDATE audit SET detail = 'printer failed' WHERE sequence = 3",
        "UPDATE audit SET actor = 'staff:S002' WHERE sequence = 3",
        "UPDATE audit SET action = 'service.refused' WHERE sequence = 3",
        "UPDATE audit SET subject = '110105********9999' WHERE sequence = 3",
        "UPDATE audit SET at = at + 1 WHERE sequence = 3",
        "UPDATE audit SET algorithm = 'md5' WHERE sequence = 3",
        "UPDATE audit SET hash = '" ZERO_HASH "' WHERE sequence = 3",
        "UPDATE audit SET prev_hash = '" ZERO_HASH "' WHERE sequence = 3",
        "UPDATE audit SET prev_hash = 'xyz' WHERE sequence = 3",
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        cache_audit_verdict verdict = tampered("audit-edit", edits[i], "");
        assert_int_equal(verdict.found, CACHE_AUDIT_EDITED);
        assert_int_equal(verdict.at_sequence, 3);
        assert_non_null(strstr(verdict.explanation, "row 3"));
        assert_non_null(strstr(verdict.explanation, "edited"));
    }
    /* Texts no row could have: named as such, whatever their hash. */
    const char *impossible[] = {
        "UPDATE audit SET detail = printf('%.161c', 'x') WHERE sequence = 3",
        "UPDATE audit SET actor = printf('%.64c', 'x') WHERE sequence = 3",
        "UPDATE audit SET action = '' WHERE sequence = 3",
        "UPDATE audit SET subject = CAST(x'c0af' AS TEXT) WHERE sequence = 3",
    };
    for (size_t i = 0; i < sizeof impossible / sizeof impossible[0]; i++) {
        cache_audit_verdict verdict = tampered("audit-impossible", impossible[i], "");
        assert_int_equal(verdict.found, CACHE_AUDIT_EDITED);
        assert_int_equal(verdict.at_sequence, 3);
        assert_non_null(strstr(verdict.explanation, "over its limit"));
    }
    /* At the limit is a text a row may have: only its hash tells. */
    cache_audit_verdict at_limit = tampered(
        "audit-at-limit", "UPDATE audit SET detail = printf('%.160c', 'x') WHERE sequence = 3", "");
    assert_int_equal(at_limit.found, CACHE_AUDIT_EDITED);
    assert_non_null(strstr(at_limit.explanation, "no longer matches"));
    /* The last row edited: found there, not taken for a replaced tail. */
    cache_audit_verdict verdict =
        tampered("audit-edit-last", "UPDATE audit SET detail = 'ok' WHERE sequence = 5", "bad");
    assert_int_equal(verdict.found, CACHE_AUDIT_EDITED);
    assert_int_equal(verdict.at_sequence, 5);
    assert_int_equal(verdict.rows, 5);
}

static void test_a_deleted_row_is_found(void **state)
{
    (void)state;
    cache_audit_verdict verdict =
        tampered("audit-delete", "DELETE FROM audit WHERE sequence = 3", "");
    assert_int_equal(verdict.found, CACHE_AUDIT_DELETED);
    assert_int_equal(verdict.at_sequence, 3);
    assert_non_null(strstr(verdict.explanation, "row 3 is missing"));
    verdict = tampered("audit-delete-first", "DELETE FROM audit WHERE sequence = 1", "");
    assert_int_equal(verdict.found, CACHE_AUDIT_DELETED);
    assert_int_equal(verdict.at_sequence, 1);
    /* Deleted and the rest renumbered to hide the gap: the links break. */
    verdict = tampered("audit-delete-renumber",
                       "DELETE FROM audit WHERE sequence = 3;"
                       "UPDATE audit SET sequence = sequence - 1 WHERE sequence > 3",
                       "");
    assert_int_equal(verdict.at_sequence, 3);
    assert_true(verdict.found == CACHE_AUDIT_REORDERED || verdict.found == CACHE_AUDIT_EDITED);
}

static void test_two_rows_swapped_are_found(void **state)
{
    (void)state;
    const char *swap = "CREATE TEMP TABLE a AS SELECT * FROM audit WHERE sequence IN (2, 4);"
                       "UPDATE audit SET (at, actor, action, subject, detail, algorithm,"
                       " prev_hash, hash) = (SELECT at, actor, action, subject, detail,"
                       " algorithm, prev_hash, hash FROM a WHERE a.sequence = 6 -"
                       " audit.sequence) WHERE sequence IN (2, 4);";
    cache_audit_verdict verdict = tampered("audit-swap", swap, "");
    assert_int_equal(verdict.found, CACHE_AUDIT_REORDERED);
    assert_int_equal(verdict.at_sequence, 2);
    assert_non_null(strstr(verdict.explanation, "row 2 does not follow row 1"));
    const char *neighbours = "CREATE TEMP TABLE a AS SELECT * FROM audit WHERE sequence IN (3, 4);"
                             "UPDATE audit SET (at, actor, action, subject, detail, algorithm,"
                             " prev_hash, hash) = (SELECT at, actor, action, subject, detail,"
                             " algorithm, prev_hash, hash FROM a WHERE a.sequence = 7 -"
                             " audit.sequence) WHERE sequence IN (3, 4);";
    verdict = tampered("audit-swap-neighbours", neighbours, "");
    assert_int_equal(verdict.found, CACHE_AUDIT_REORDERED);
    assert_int_equal(verdict.at_sequence, 3);
    assert_non_null(strstr(verdict.explanation, "row 3 does not follow row 2"));
}

static void test_a_truncated_tail_is_found(void **state)
{
    (void)state;
    cache_audit_verdict verdict =
        tampered("audit-truncate", "DELETE FROM audit WHERE sequence >= 4", "");
    assert_int_equal(verdict.found, CACHE_AUDIT_TRUNCATED);
    assert_int_equal(verdict.at_sequence, 4);
    assert_int_equal(verdict.rows, 3);
    assert_non_null(strstr(verdict.explanation, "from 4 on are missing"));
    assert_non_null(strstr(verdict.explanation, "says 5"));
    verdict = tampered("audit-truncate-all", "DELETE FROM audit", "");
    assert_int_equal(verdict.found, CACHE_AUDIT_TRUNCATED);
    assert_int_equal(verdict.at_sequence, 1);
}

/* A tail cut off and a fresh chain written in its place, valid row by row
 * (the hash needs no key): only the sealed head tells. */
static void test_a_replaced_tail_is_found(void **state)
{
    (void)state;
    seal_key other_key = test_key(99);
    const char *forger = fresh_db("audit-forger");
    char forger_path[1100];
    snprintf(forger_path, sizeof forger_path, "%s", forger);
    cache_store *store = open_store(forger_path, &other_key, NULL);
    append_five(store, "nothing to see");
    (void)append(store, "staff:S001", "staff.sign_in", "", "", NOW_S + 5);
    cache_close(store);

    char sql[2400];
    snprintf(sql, sizeof sql,
             "ATTACH '%s' AS forged;"
             "DELETE FROM audit WHERE sequence >= 5;"
             "INSERT INTO audit SELECT * FROM forged.audit WHERE sequence = 5;",
             forger_path);
    cache_audit_verdict verdict = tampered("audit-replace", sql, "the real one");
    assert_int_equal(verdict.found, CACHE_AUDIT_REPLACED);
    assert_int_equal(verdict.at_sequence, 5);
    assert_int_equal(verdict.rows, 5);
    assert_non_null(strstr(verdict.explanation, "replaced"));

    /* Longer than the sealed head: rows added past it. */
    snprintf(sql, sizeof sql,
             "ATTACH '%s' AS forged;"
             "DELETE FROM audit WHERE sequence >= 5;"
             "INSERT INTO audit SELECT * FROM forged.audit WHERE sequence >= 5;",
             forger_path);
    verdict = tampered("audit-replace-longer", sql, "the real one");
    assert_int_equal(verdict.found, CACHE_AUDIT_REPLACED);
    assert_int_equal(verdict.at_sequence, 5);
    assert_int_equal(verdict.rows, 6);

    /* And the head rewritten to match: its seal does not verify. */
    snprintf(sql, sizeof sql,
             "ATTACH '%s' AS forged;"
             "DELETE FROM audit WHERE sequence >= 5;"
             "INSERT INTO audit SELECT * FROM forged.audit WHERE sequence >= 5;"
             "UPDATE audit_head SET (sequence, hash) = (SELECT sequence, hash FROM"
             " forged.audit_head);",
             forger_path);
    verdict = tampered("audit-replace-head", sql, "the real one");
    assert_int_equal(verdict.found, CACHE_AUDIT_HEAD_FORGED);
    assert_int_equal(verdict.at_sequence, 6);
    /* Even the forger's whole sealed head (its own key) does not verify. */
    snprintf(sql, sizeof sql,
             "ATTACH '%s' AS forged;"
             "DELETE FROM audit WHERE sequence >= 5;"
             "INSERT INTO audit SELECT * FROM forged.audit WHERE sequence >= 5;"
             "DELETE FROM audit_head; INSERT INTO audit_head SELECT * FROM forged.audit_head;",
             forger_path);
    verdict = tampered("audit-replace-sealed", sql, "the real one");
    assert_int_equal(verdict.found, CACHE_AUDIT_HEAD_FORGED);
}

static void test_an_edited_sealed_head_is_found(void **state)
{
    (void)state;
    const char *edits[] = {
        "UPDATE audit_head SET sequence = 4",
        "UPDATE audit_head SET hash = (SELECT hash FROM audit WHERE sequence = 4)",
        "UPDATE audit_head SET algorithm = 'sm3'",
        "UPDATE audit_head SET mac = '" ZERO_HASH "'",
        /* Cut the tail and move the head back to hide it. */
        "DELETE FROM audit WHERE sequence = 5; UPDATE audit_head SET sequence = 4,"
        " hash = (SELECT hash FROM audit WHERE sequence = 4)",
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        cache_audit_verdict verdict = tampered("audit-head", edits[i], "");
        assert_int_equal(verdict.found, CACHE_AUDIT_HEAD_FORGED);
        assert_non_null(strstr(verdict.explanation, "does not verify"));
    }
    cache_audit_verdict verdict = tampered("audit-head-gone", "DELETE FROM audit_head", "");
    assert_int_equal(verdict.found, CACHE_AUDIT_HEAD_FORGED);
    assert_int_equal(verdict.at_sequence, 5);
    assert_non_null(strstr(verdict.explanation, "missing"));
}

/* The head is sealed under the store's key: opened with another key, the
 * same file's head does not verify. */
static void test_the_head_seal_depends_on_the_key(void **state)
{
    (void)state;
    seal_key key = test_key(48), other = test_key(49);
    const char *path = fresh_db("audit-key");
    cache_store *store = open_store(path, &key, NULL);
    append_five(store, "");
    cache_close(store);
    store = open_store(path, &other, NULL);
    assert_int_equal(verify(store).found, CACHE_AUDIT_HEAD_FORGED);
    cache_close(store);
}

/* The seal is HMAC over "sequence|hash|algorithm" keyed by HKDF-SHA256 of
 * the store's key with the label "kiosk-audit-head" (docs/audit.md);
 * without a key the head is kept unsealed. */
static void read_head_mac(const char *path, char *out, size_t size)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *statement = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT mac FROM audit_head", -1, &statement, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    snprintf(out, size, "%s", (const char *)sqlite3_column_text(statement, 0));
    sqlite3_finalize(statement);
    sqlite3_close(db);
}

static void test_the_head_seal_is_the_documented_hmac(void **state)
{
    (void)state;
    seal_key key = test_key(50);
    const char *path = fresh_db("audit-seal");
    cache_store *store = open_store(path, &key, NULL);
    cache_audit_head head = append(store, "terminal", "terminal.start", "", "", NOW_S);
    cache_close(store);

    uint8_t mac_key[32];
    assert_int_equal(seal_hkdf_sha256(NULL, 0, key.bytes, sizeof key.bytes,
                                      (const uint8_t *)"kiosk-audit-head", 16, mac_key,
                                      sizeof mac_key),
                     KIOSK_OK);
    char text[128];
    snprintf(text, sizeof text, "1|%s|sha256", head.hash);
    const openssl_api *crypto = openssl_lazy();
    EVP_MD *md = crypto->md_fetch(NULL, "SHA256", NULL);
    uint8_t mac[64];
    unsigned int mac_length = 0;
    assert_non_null(crypto->hmac(md, mac_key, sizeof mac_key, (const uint8_t *)text, strlen(text),
                                 mac, &mac_length));
    crypto->md_free(md);
    char expected[65], stored[80];
    for (size_t i = 0; i < 32; i++)
        snprintf(expected + 2 * i, 3, "%02x", mac[i]);
    read_head_mac(path, stored, sizeof stored);
    assert_string_equal(stored, expected);

    const char *keyless = fresh_db("audit-keyless");
    store = open_store(keyless, NULL, NULL);
    (void)append(store, "terminal", "terminal.start", "", "", NOW_S);
    assert_int_equal(verify(store).found, CACHE_AUDIT_INTACT);
    cache_close(store);
    read_head_mac(keyless, stored, sizeof stored);
    assert_string_equal(stored, "");
}

static void test_every_break_has_a_name(void **state)
{
    (void)state;
    assert_string_equal(cache_audit_break_name(CACHE_AUDIT_INTACT), "intact");
    assert_string_equal(cache_audit_break_name(CACHE_AUDIT_EDITED), "edited");
    assert_string_equal(cache_audit_break_name(CACHE_AUDIT_DELETED), "deleted");
    assert_string_equal(cache_audit_break_name(CACHE_AUDIT_REORDERED), "reordered");
    assert_string_equal(cache_audit_break_name(CACHE_AUDIT_TRUNCATED), "truncated");
    assert_string_equal(cache_audit_break_name(CACHE_AUDIT_REPLACED), "replaced");
    assert_string_equal(cache_audit_break_name(CACHE_AUDIT_HEAD_FORGED), "head-forged");
    assert_string_equal(cache_audit_break_name((cache_audit_break)99), "unknown");
}

/* A damaged trail is not stopped: new rows follow, the break stays found. */
static void test_rows_still_append_after_a_break(void **state)
{
    (void)state;
    seal_key key = test_key(47);
    const char *path = fresh_db("audit-after-break");
    cache_store *store = open_store(path, &key, NULL);
    append_five(store, "");
    cache_close(store);
    tamper(path, "UPDATE audit SET hash = 'abc' WHERE sequence = 4;"
                 "UPDATE audit SET hash = printf('%.64c', 'g') WHERE sequence = 5");
    store = open_store(path, &key, NULL);
    cache_audit_head head = append(store, "terminal", "terminal.start", "", "", NOW_S + 9);
    assert_int_equal(head.sequence, 6);
    /* Linked to the zero hash, since the one before is not a hash at all. */
    char canonical[200], expected[CACHE_AUDIT_HASH_HEX];
    snprintf(canonical, sizeof canonical,
             "kiosk-audit-v1|6|%lld|8:terminal|14:terminal.start|0:|0:", (long long)NOW_S + 9);
    expected_hash("SHA256", ZERO_HASH, canonical, expected);
    assert_string_equal(head.hash, expected);
    cache_audit_verdict verdict = verify(store);
    assert_int_equal(verdict.found, CACHE_AUDIT_EDITED);
    assert_int_equal(verdict.at_sequence, 4);
    cache_close(store);
    /* The same after a last row whose hash is too short to be one. */
    tamper(path, "DELETE FROM audit WHERE sequence >= 5");
    store = open_store(path, &key, NULL);
    head = append(store, "terminal", "terminal.start", "", "", NOW_S + 9);
    assert_int_equal(head.sequence, 5);
    snprintf(canonical, sizeof canonical,
             "kiosk-audit-v1|5|%lld|8:terminal|14:terminal.start|0:|0:", (long long)NOW_S + 9);
    expected_hash("SHA256", ZERO_HASH, canonical, expected);
    assert_string_equal(head.hash, expected);
    cache_close(store);
}

/* A trail that cannot be read is an error, and the verdict says nothing. */
static void test_an_unreadable_trail_is_an_error(void **state)
{
    (void)state;
    seal_key key = test_key(51);
    const char *path = fresh_db("audit-unreadable");
    cache_store *store = open_store(path, &key, NULL);
    append_five(store, "");
    cache_close(store);
    tamper(path, "DROP TABLE audit");
    store = open_store(path, &key, NULL);
    cache_audit_verdict verdict;
    memset(&verdict, 0xff, sizeof verdict);
    kiosk_diag diag = {{0}};
    assert_int_equal(cache_audit_verify(store, &verdict, &diag), KIOSK_ERR_IO);
    assert_non_null(strstr(diag.message, "audit verify"));
    assert_int_equal(verdict.found, CACHE_AUDIT_INTACT);
    assert_int_equal(verdict.rows, 0);
    assert_string_equal(verdict.explanation, "");
    cache_audit_row rows[2];
    size_t count = 9;
    assert_int_equal(cache_audit_list(store, 0, rows, 2, &count, NULL), KIOSK_ERR_IO);
    assert_int_equal(count, 0);
    cache_audit_event event = {.actor = "terminal", .action = "a"};
    assert_int_equal(cache_audit_append(store, &event, NOW_S, NULL, NULL), KIOSK_ERR_IO);
    cache_close(store);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_chain_with_sha256),
        cmocka_unit_test(test_rows_chain_with_sm3_on_a_guomi_board),
        cmocka_unit_test(test_an_empty_trail_is_intact_with_a_zero_head),
        cmocka_unit_test(test_every_row_is_queued_for_the_platform),
        cmocka_unit_test(test_bad_rows_are_refused),
        cmocka_unit_test(test_rows_are_listed_in_order_from_a_point),
        cmocka_unit_test(test_no_space_leaves_nothing_half_written),
        cmocka_unit_test(test_rows_are_kept_in_a_full_outbox),
        cmocka_unit_test(test_a_row_joins_the_callers_transaction),
        cmocka_unit_test(test_an_edited_field_is_found),
        cmocka_unit_test(test_a_deleted_row_is_found),
        cmocka_unit_test(test_two_rows_swapped_are_found),
        cmocka_unit_test(test_a_truncated_tail_is_found),
        cmocka_unit_test(test_a_replaced_tail_is_found),
        cmocka_unit_test(test_an_edited_sealed_head_is_found),
        cmocka_unit_test(test_the_head_seal_depends_on_the_key),
        cmocka_unit_test(test_the_head_seal_is_the_documented_hmac),
        cmocka_unit_test(test_every_break_has_a_name),
        cmocka_unit_test(test_rows_still_append_after_a_break),
        cmocka_unit_test(test_an_unreadable_trail_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
