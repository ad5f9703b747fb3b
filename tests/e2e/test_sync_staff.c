/* The staff side of the store against the platform stand-in over real
 * HTTPS: a record the platform refuses is quarantined; resent after the
 * refusal is lifted, the platform stores it exactly once; closed, it is
 * never sent and its tombstone stays. Every step is in the audit trail,
 * whose rows reach the platform, and whose head the heartbeat reports: the
 * stand-in finds that the rows it holds explain it. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include "firmware/platform/staff_ops.h"
#include "firmware/platform/sync_internal.h"
#include "offline-cache/audit.h"
#include "offline-cache/kv.h"
#include "offline-cache/outbox.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The sync thread stamps what it audits with the real clock: drains run
 * on it too, so every record is due. */
static int64_t wall_ms(void)
{
    return (int64_t)time(NULL) * 1000;
}

static cache_store *open_db(const char *db)
{
    static seal_key key;
    memset(key.bytes, 7, sizeof key.bytes); /* the fixture's client key */
    cache_options options = {.path = db, .key = &key};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    return store;
}

static void refuse_key(const platform *p, const char *key)
{
    char body[160];
    snprintf(body, sizeof body, "{\"key\":\"%s\"}", key);
    cJSON_Delete(platform_control(p, "/_sim/refuse-key", body));
}

static int64_t only_quarantined(cache_store *store)
{
    cache_outbox_entry entries[4];
    size_t count = 0;
    assert_int_equal(cache_outbox_list(store, true, entries, 4, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 1);
    assert_string_equal(entries[0].kind, "submission");
    assert_non_null(strstr(entries[0].last_error, "422"));
    return entries[0].id;
}

/* What staff_ops.c does: the change and its audit row in one transaction. */
static void staff_change(cache_store *store, int64_t id, const char *reason)
{
    assert_int_equal(cache_begin(store), KIOSK_OK);
    if (reason)
        assert_int_equal(cache_outbox_close(store, id, "staff:S001", reason, NOW_MS / 1000, NULL),
                         KIOSK_OK);
    else
        assert_int_equal(cache_outbox_release(store, id, NOW_MS, NULL), KIOSK_OK);
    char detail[64];
    snprintf(detail, sizeof detail, "record %lld", (long long)id);
    cache_audit_event event = {.actor = "staff:S001",
                               .action = reason ? "outbox.close" : "outbox.resend",
                               .subject = "",
                               .detail = detail};
    assert_int_equal(cache_audit_append(store, &event, NOW_MS / 1000, NULL, NULL), KIOSK_OK);
    assert_int_equal(cache_commit(store), KIOSK_OK);
}

static cJSON *audit_check(const platform *p)
{
    return platform_control(p, "/_sim/audit", "{\"terminal\":\"K0420\"}");
}

static double number_of(const cJSON *json, const char *name)
{
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(json, name);
    assert_true(cJSON_IsNumber(value));
    return value->valuedouble;
}

static void run_refused_resent_closed(const char *mode)
{
    platform p;
    start_platform(&p, NULL);
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-staff"));
    put_records(db, "staff", 3);
    refuse_key(&p, "K0420:staff:1");
    sync_client *client = client_for(&p, db, "client", NULL);
    int64_t delivered = 0;
    assert_int_equal(sync_drain(client, wall_ms(), &delivered), KIOSK_OK);
    assert_int_equal(kind_stat_of(&p, "submission", "stored"), 2);

    /* Quarantined, and the trail says so (the terminal's own row). */
    cache_store *store = open_db(db);
    int64_t refused = only_quarantined(store);
    cache_audit_row rows[16];
    size_t count = 0;
    assert_int_equal(cache_audit_list(store, 0, rows, 16, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 1);
    assert_string_equal(rows[0].actor, "terminal");
    assert_string_equal(rows[0].action, "outbox.quarantined");

    /* Resent while the platform still refuses it: quarantined again. */
    staff_change(store, refused, NULL);
    assert_int_equal(sync_drain(client, wall_ms() + 1000, &delivered), KIOSK_OK);
    assert_int_equal(only_quarantined(store), refused);
    assert_int_equal(kind_stat_of(&p, "submission", "stored"), 2);

    /* The fault fixed and resent: stored exactly once. */
    refuse_key(&p, "");
    staff_change(store, refused, NULL);
    assert_int_equal(sync_drain(client, wall_ms() + 2000, &delivered), KIOSK_OK);
    assert_int_equal(kind_stat_of(&p, "submission", "stored"), 3);
    assert_int_equal(kind_stat_of(&p, "submission", "duplicates"), 0);
    cache_outbox_stats stats;
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.quarantined, 0);
    assert_int_equal(stats.records, 0);

    /* Another refused, then closed: never sent, even once the platform
     * would take it; its tombstone stays. */
    cache_close(store);
    put_records(db, "closing", 1);
    refuse_key(&p, "K0420:closing:0");
    assert_int_equal(sync_drain(client, wall_ms() + 3000, &delivered), KIOSK_OK);
    store = open_db(db);
    int64_t closing = only_quarantined(store);
    staff_change(store, closing, "the citizen withdrew it");
    refuse_key(&p, "");
    assert_int_equal(sync_drain(client, wall_ms() + 4000, &delivered), KIOSK_OK);
    assert_int_equal(kind_stat_of(&p, "submission", "stored"), 3);
    cache_outbox_tombstone tombstone;
    assert_int_equal(cache_outbox_tombstone_get(store, closing, &tombstone, NULL), KIOSK_OK);
    assert_string_equal(tombstone.idempotency_key, "K0420:closing:0");
    assert_string_equal(tombstone.closed_by, "staff:S001");
    assert_string_equal(tombstone.reason, "the citizen withdrew it");

    /* Every audit row reached the platform, once. */
    cache_audit_head head;
    assert_int_equal(cache_audit_head_get(store, &head, NULL), KIOSK_OK);
    /* quarantined, resend, quarantined, resend, quarantined, close */
    assert_int_equal(head.sequence, 6);
    assert_int_equal(kind_stat_of(&p, "audit", "stored"), 6);
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.records, 0);
    cache_audit_verdict verdict;
    assert_int_equal(cache_audit_verify(store, &verdict, NULL), KIOSK_OK);
    assert_int_equal(verdict.found, CACHE_AUDIT_INTACT);

    /* The heartbeat carries the head; the stand-in's rows explain it. */
    cJSON *check = audit_check(&p);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(check, "head")));
    assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(check, "matches")));
    cJSON_Delete(check);
    long retry = 0;
    assert_int_equal(sync_heartbeat(client, &retry), SYNC_DELIVERED);
    check = audit_check(&p);
    const cJSON *reported = cJSON_GetObjectItemCaseSensitive(check, "head");
    assert_int_equal((int64_t)number_of(reported, "sequence"), head.sequence);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(reported, "hash")->valuestring, head.hash);
    assert_int_equal((int64_t)number_of(check, "rows"), 6);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(check, "matches")));
    cJSON_Delete(check);

    /* A row the platform has not had yet: the head runs ahead, no match. */
    cache_audit_event event = {.actor = "technician:T001", .action = "selftest.run"};
    assert_int_equal(cache_audit_append(store, &event, NOW_MS / 1000, NULL, NULL), KIOSK_OK);
    assert_int_equal(sync_heartbeat(client, &retry), SYNC_DELIVERED);
    check = audit_check(&p);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(check, "matches")));
    assert_int_equal((int64_t)number_of(check, "rows"), 6);
    cJSON_Delete(check);
    assert_int_equal(sync_drain(client, wall_ms() + 5000, &delivered), KIOSK_OK);
    assert_int_equal(sync_heartbeat(client, &retry), SYNC_DELIVERED);
    check = audit_check(&p);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(check, "matches")));
    cJSON_Delete(check);
    printf("%s: 3 submissions stored once each, 1 closed unsent, %lld audit rows delivered\n", mode,
           (long long)head.sequence + 1);

    cache_close(store);
    sync_destroy(client);
    stop_platform(&p);
}

static void test_refused_resent_and_closed_records_one_at_a_time(void **state)
{
    (void)state;
    batch_items = 1;
    run_refused_resent_closed("one record a request");
}

static void test_refused_resent_and_closed_records_in_batches(void **state)
{
    (void)state;
    batch_items = 0;
    run_refused_resent_closed("batched (POST /v1/batch)");
}

/* A platform that refuses every audit record: each is quarantined once,
 * and its refusal is not itself audited (which would make another record
 * to refuse, without end). */
static void test_a_platform_refusing_audit_records_does_not_make_more(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-audit-refused"));
    cache_store *store = open_db(db);
    cache_audit_event event = {.actor = "staff:S001", .action = "staff.sign_in"};
    cache_audit_head head;
    assert_int_equal(cache_audit_append(store, &event, NOW_MS / 1000, &head, NULL), KIOSK_OK);
    char key[CACHE_KEY_MAX];
    snprintf(key, sizeof key, "audit:1:%.16s", head.hash);
    refuse_key(&p, key);
    batch_items = 1;
    sync_client *client = client_for(&p, db, "client", NULL);
    int64_t delivered = 0;
    for (int pass = 0; pass < 3; pass++)
        assert_int_equal(sync_drain(client, wall_ms() + pass * 1000, &delivered), KIOSK_OK);
    cache_outbox_stats stats;
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.quarantined, 1);
    assert_int_equal(stats.records, 0);
    assert_int_equal(cache_audit_head_get(store, &head, NULL), KIOSK_OK);
    assert_int_equal(head.sequence, 1);
    assert_int_equal(kind_stat_of(&p, "audit", "stored"), 0);
    cache_close(store);
    sync_destroy(client);
    stop_platform(&p);
}

static void put_plain(const char *db, const char *kind, const char *key, const char *body)
{
    cache_store *store = open_db(db);
    cache_put put = {.kind = kind,
                     .idempotency_key = key,
                     .payload = (const uint8_t *)body,
                     .payload_length = strlen(body)};
    int64_t id = 0;
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, NULL), KIOSK_OK);
    cache_close(store);
}

/* A citizen calls for help; staff see it in the hall's list, acknowledge
 * it (a call-ack record, delivered once however often it is made), and the
 * heartbeat tells the terminal that called. The staff credentials the
 * stand-in publishes are fetched and cached on the way. */
static void test_a_help_call_is_seen_acknowledged_and_told(void **state)
{
    (void)state;
    const char *dir = test_make_temp_dir("sync-staff-calls");
    static char credentials[1100];
    snprintf(credentials, sizeof credentials, "%s/staff.json", dir);
    const char published[] = "{\"version\":\"2026-12-01\",\"staff\":[]}";
    FILE *file = fopen(credentials, "w");
    assert_non_null(file);
    fputs(published, file);
    fclose(file);
    platform_credentials = credentials;
    platform p;
    start_platform(&p, NULL);
    platform_credentials = NULL;
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", dir);
    put_plain(db, "staff-call", "K0420:s1:staff-form-1",
              "{\"reason\":\"citizen-asked\",\"screen\":\"form\"}");
    batch_items = 0;
    sync_client *client = client_for(&p, db, "client", NULL);
    int64_t delivered = 0;
    assert_int_equal(sync_drain(client, wall_ms(), &delivered), KIOSK_OK);
    assert_int_equal(delivered, 1);

    sync_watch_calls(client, true);
    long retry = 0;
    assert_int_equal(sync_heartbeat(client, &retry), SYNC_DELIVERED);
    platform_call calls[4];
    assert_int_equal(sync_calls_get(client, calls, 4), 1);
    assert_string_equal(calls[0].id, "K0420:K0420:s1:staff-form-1");
    assert_string_equal(calls[0].terminal, "K0420");
    assert_string_equal(calls[0].reason, "citizen-asked");
    assert_string_equal(calls[0].screen, "form");
    assert_false(sync_call_acknowledged(client, "K0420:s1:staff-form-1"));

    /* The credentials came with that heartbeat. */
    assert_int_equal(sync_progress_get(client).credentials_updates, 1);
    cache_store *store = open_db(db);
    char *body = NULL, etag[80];
    size_t length = 0;
    int64_t at = 0;
    assert_int_equal(
        cache_content_get(store, "credentials", &body, &length, etag, sizeof etag, &at, NULL),
        KIOSK_OK);
    assert_string_equal(body, published);
    free(body);
    cache_close(store);

    /* Staff acknowledge it, twice (two taps): one record, one ack. */
    char ack[200];
    snprintf(ack, sizeof ack, "{\"call\":\"%s\"}", calls[0].id);
    put_plain(db, "call-ack", "call-ack:K0420:K0420:s1:staff-form-1", ack);
    put_plain(db, "call-ack", "call-ack:K0420:K0420:s1:staff-form-1", ack);
    assert_int_equal(sync_drain(client, wall_ms(), &delivered), KIOSK_OK);
    assert_int_equal(delivered, 1);
    assert_int_equal(kind_stat_of(&p, "call-ack", "stored"), 1);
    assert_int_equal(sync_heartbeat(client, &retry), SYNC_DELIVERED);
    assert_true(sync_call_acknowledged(client, "K0420:s1:staff-form-1"));
    assert_int_equal(sync_calls_get(client, calls, 4), 0);
    /* The credentials unchanged: not fetched again. */
    assert_int_equal(requests_of(&p, "staff-credentials"), 1);
    sync_destroy(client);
    stop_platform(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refused_resent_and_closed_records_one_at_a_time),
        cmocka_unit_test(test_refused_resent_and_closed_records_in_batches),
        cmocka_unit_test(test_a_platform_refusing_audit_records_does_not_make_more),
        cmocka_unit_test(test_a_help_call_is_seen_acknowledged_and_told),
    };
    return PLATFORM_RUN_TESTS(tests);
}
