/* The staff operations through the platform layer, on a real store in a
 * fresh data directory: the audit trail, the outbox as staff see it
 * (never a payload), resend and close each audited with their actor and
 * committed with their change, settings, and a submission done with a
 * citizen by staff. */
#include "../support/staff_rig.h"
#include "../support/test_support.h"

#include "firmware/base/log.h"
#include "firmware/platform/staff_ops.h"
#include "firmware/platform/store_use_internal.h"
#include "offline-cache/kv.h"
#include "offline-cache/outbox.h"

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_nothing_works_without_the_store(void **state)
{
    (void)state;
    platform_config config = {0};
    kiosk_platform *platform = NULL;
    assert_int_equal(platform_create(&config, &platform), KIOSK_OK);
    assert_int_equal(platform_audit(platform, "staff:S001", "staff.sign_in", "", ""), KIOSK_ERR_IO);
    cache_audit_head head;
    assert_int_equal(platform_audit_head(platform, &head), KIOSK_ERR_IO);
    cache_audit_verdict verdict;
    kiosk_diag diag = {{0}};
    assert_int_equal(platform_audit_verify(platform, &verdict, &diag), KIOSK_ERR_IO);
    assert_non_null(strstr(diag.message, "not open"));
    size_t count = 9;
    platform_outbox_item items[1];
    assert_int_equal(platform_outbox_list(platform, false, items, 1, &count), KIOSK_ERR_IO);
    assert_int_equal(count, 0);
    assert_int_equal(platform_outbox_resend(platform, 1, "staff:S001"), KIOSK_ERR_IO);
    assert_int_equal(platform_outbox_close(platform, 1, "staff:S001", "why"), KIOSK_ERR_IO);
    char *value = NULL;
    assert_int_equal(platform_setting_get(platform, "a", &value), KIOSK_ERR_IO);
    assert_int_equal(platform_setting_set(platform, "a", "b"), KIOSK_ERR_IO);
    size_t length = 0;
    assert_int_equal(platform_cached_credentials(platform, &value, &length), KIOSK_ERR_IO);
    assert_int_equal(platform_call_acknowledge(platform, "K0420:x", "staff:S001"), KIOSK_ERR_IO);
    assert_false(platform_call_acknowledged(platform));
    platform_call calls[2];
    assert_int_equal(platform_calls_get(platform, calls, 2), 0);
    platform_destroy(platform);
}

static void test_the_audit_trail_through_the_platform(void **state)
{
    (void)state;
    kiosk_platform *platform = staff_rig_open("staff-audit");
    /* A caller's mistake is not a failed write staff must hear of. */
    assert_int_equal(platform_audit(platform, "staff:S001", "", "", ""),
                     KIOSK_ERR_INVALID_ARGUMENT);
    platform_staff_facts facts;
    platform_staff_facts_get(platform, &facts);
    assert_string_equal(facts.write_failed, "");
    assert_int_equal(platform_audit(platform, "staff:S001", "staff.sign_in", "", "card"), KIOSK_OK);
    assert_int_equal(platform_audit(platform, "technician:T001", "selftest.run", "", ""), KIOSK_OK);
    assert_int_equal(platform_audit(platform, "", "x", "", ""), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(platform_audit(platform, "staff:S001", NULL, "", ""),
                     KIOSK_ERR_INVALID_ARGUMENT);
    cache_audit_head head;
    assert_int_equal(platform_audit_head(platform, &head), KIOSK_OK);
    assert_int_equal(head.sequence, 2);
    assert_string_equal(head.algorithm, "sha256");
    cache_audit_verdict verdict;
    assert_int_equal(platform_audit_verify(platform, &verdict, NULL), KIOSK_OK);
    assert_int_equal(verdict.found, CACHE_AUDIT_INTACT);
    assert_int_equal(verdict.rows, 2);
    platform_destroy(platform);
}

/* A disk nearly full: the row is refused, and staff are told. */
static void test_a_row_that_cannot_be_kept_is_told_to_staff(void **state)
{
    (void)state;
    kiosk_platform *platform = staff_rig_create("staff-full", 1 << 30);
    kiosk_diag diag = {{0}};
    assert_int_equal(platform_store_open(platform, &diag), KIOSK_OK);
    assert_int_equal(platform_audit(platform, "staff:S001", "staff.sign_in", "", ""),
                     KIOSK_ERR_NO_SPACE);
    platform_staff_facts facts;
    platform_staff_facts_get(platform, &facts);
    assert_non_null(strstr(facts.write_failed, "nearly full"));
    platform_destroy(platform);
}

/* A submission kept, then refused by the platform (as the sync thread
 * would mark it): what staff see, and what resend and close do. */
static void test_staff_resend_and_close_refused_records(void **state)
{
    (void)state;
    kiosk_platform *platform = staff_rig_open("staff-outbox");
    int64_t id = staff_rig_submit(platform, NULL);
    cache_audit_row row;
    staff_rig_last_row(platform, &row);
    assert_string_equal(row.actor, "citizen");
    assert_string_equal(row.action, "service.submitted");
    assert_string_equal(row.subject, "110105********0021");
    assert_non_null(strstr(row.detail, "certificate-print K0420-000001"));

    platform_outbox_item items[8];
    size_t count = 0;
    assert_int_equal(platform_outbox_list(platform, true, items, 8, &count), KIOSK_OK);
    assert_int_equal(count, 0);
    assert_int_equal(platform_outbox_resend(platform, id, "staff:S001"), KIOSK_ERR_NOT_FOUND);
    assert_int_equal(cache_outbox_quarantine(platform->store, id, "422: a field", NULL), KIOSK_OK);
    assert_int_equal(platform_outbox_list(platform, true, items, 8, &count), KIOSK_OK);
    assert_int_equal(count, 1);
    assert_int_equal(items[0].id, id);
    assert_int_equal(items[0].state, PLATFORM_OUTBOX_QUARANTINED);
    assert_string_equal(items[0].kind, "submission");
    assert_string_equal(items[0].reference, "K0420-000001");
    assert_string_equal(items[0].service, "certificate-print");
    assert_string_equal(items[0].subject, "110105********0021");
    assert_string_equal(items[0].reason, "422: a field");
    assert_int_equal(items[0].created_at_s, TEST_WALL_TIME);

    staff_rig_events = 0;
    assert_int_equal(platform_outbox_resend(platform, id, ""), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(platform_outbox_resend(platform, id, "staff:S001"), KIOSK_OK);
    assert_int_equal(staff_rig_events, 1);
    staff_rig_last_row(platform, &row);
    assert_string_equal(row.actor, "staff:S001");
    assert_string_equal(row.action, "outbox.resend");
    assert_string_equal(row.subject, "K0420-000001");
    assert_int_equal(platform_outbox_list(platform, false, items, 8, &count), KIOSK_OK);
    bool waiting = false;
    for (size_t i = 0; i < count; i++)
        waiting = waiting || (items[i].id == id && items[i].state == PLATFORM_OUTBOX_WAITING);
    assert_true(waiting);

    assert_int_equal(cache_outbox_quarantine(platform->store, id, "422 again", NULL), KIOSK_OK);
    assert_int_equal(platform_outbox_close(platform, id, "staff:S002", ""),
                     KIOSK_ERR_INVALID_ARGUMENT);
    char long_reason[CACHE_AUDIT_TEXT_MAX + 2];
    memset(long_reason, 'r', sizeof long_reason - 1);
    long_reason[sizeof long_reason - 1] = '\0';
    assert_int_equal(platform_outbox_close(platform, id, "staff:S002", long_reason),
                     KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(platform_outbox_close(platform, id + 100, "staff:S002", "why"),
                     KIOSK_ERR_NOT_FOUND);
    /* At the limit is fine (it is the tombstone's too). */
    long_reason[CACHE_AUDIT_TEXT_MAX] = '\0';
    assert_int_equal(platform_outbox_close(platform, id + 100, "staff:S002", long_reason),
                     KIOSK_ERR_NOT_FOUND);
    cache_audit_head before;
    assert_int_equal(platform_audit_head(platform, &before), KIOSK_OK);
    assert_int_equal(platform_outbox_close(platform, id, "staff:S002", "the citizen withdrew it"),
                     KIOSK_OK);
    staff_rig_last_row(platform, &row);
    assert_int_equal(row.sequence, before.sequence + 1);
    assert_string_equal(row.actor, "staff:S002");
    assert_string_equal(row.action, "outbox.close");
    assert_string_equal(row.detail, "the citizen withdrew it");
    cache_outbox_tombstone tombstone;
    assert_int_equal(cache_outbox_tombstone_get(platform->store, id, &tombstone, NULL), KIOSK_OK);
    assert_string_equal(tombstone.closed_by, "staff:S002");
    assert_int_equal(platform_outbox_list(platform, true, items, 8, &count), KIOSK_OK);
    assert_int_equal(count, 0);
    /* A failed close left no audit row behind. */
    assert_int_equal(platform_outbox_close(platform, id, "staff:S002", "again"),
                     KIOSK_ERR_NOT_FOUND);
    cache_audit_head after;
    assert_int_equal(platform_audit_head(platform, &after), KIOSK_OK);
    assert_int_equal(after.sequence, before.sequence + 1);
    platform_destroy(platform);
}

static void test_an_assisted_submission_names_the_staff_member(void **state)
{
    (void)state;
    kiosk_platform *platform = staff_rig_open("staff-assisted");
    int64_t id = staff_rig_submit(platform, "S001");
    cache_audit_row row;
    staff_rig_last_row(platform, &row);
    assert_string_equal(row.actor, "staff:S001");
    assert_string_equal(row.action, "service.submitted");
    cache_record records[8];
    size_t count = 0;
    assert_int_equal(cache_outbox_claim(platform->store, (int64_t)TEST_WALL_TIME * 1000, 8, records,
                                        &count, NULL),
                     KIOSK_OK);
    bool carried = false;
    for (size_t i = 0; i < count; i++)
        if (records[i].id == id)
            carried = memmem(records[i].payload, records[i].payload_length,
                             "\"assisted_by\":\"S001\"", 20) != NULL;
    cache_records_free(records, count);
    assert_true(carried);
    /* Not a staff id: refused, nothing kept. */
    platform_submission s = {.service_id = "certificate-print",
                             .id_number = "110105194912310021",
                             .identified_by = "id-card",
                             .language = "zh-CN",
                             .payload = cJSON_Parse("{}"),
                             .assisted_by = "S001\"}"};
    assert_int_equal(platform_submit(platform, &s), KIOSK_ERR_INVALID_ARGUMENT);
    platform_destroy(platform);
}

static void test_settings_and_acknowledgements(void **state)
{
    (void)state;
    kiosk_platform *platform = staff_rig_open("staff-settings");
    char *value = NULL;
    assert_int_equal(platform_setting_get(platform, "touch.calibration", &value),
                     KIOSK_ERR_NOT_FOUND);
    assert_int_equal(platform_setting_set(platform, "touch.calibration", "1 0 0 0 1 0"), KIOSK_OK);
    assert_int_equal(platform_setting_get(platform, "touch.calibration", &value), KIOSK_OK);
    assert_string_equal(value, "1 0 0 0 1 0");
    free(value);
    assert_int_equal(platform_setting_set(platform, "", "x"), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(platform_setting_get(platform, "", &value), KIOSK_ERR_INVALID_ARGUMENT);
    assert_null(value);
    assert_int_equal(platform_setting_set(platform, "a", NULL), KIOSK_ERR_INVALID_ARGUMENT);
    /* Kept apart from what else lives in the store's key-value table. */
    char *raw = NULL;
    size_t length = 0;
    assert_int_equal(cache_kv_get(platform->store, "touch.calibration", &raw, &length, NULL),
                     KIOSK_ERR_NOT_FOUND);
    assert_int_equal(platform_cached_credentials(platform, &value, &length), KIOSK_ERR_NOT_FOUND);
    assert_int_equal(cache_content_put(platform->store, "credentials", "\"e\"", "{\"v\":1}", 7,
                                       TEST_WALL_TIME, NULL),
                     KIOSK_OK);
    assert_int_equal(platform_cached_credentials(platform, &value, &length), KIOSK_OK);
    assert_int_equal(length, 7);
    assert_string_equal(value, "{\"v\":1}");
    free(value);

    /* An acknowledgement: one record however often, audited each time. */
    assert_int_equal(
        platform_call_acknowledge(platform, "K0421:K0421:s:staff-form-1", "staff:S001"), KIOSK_OK);
    assert_int_equal(
        platform_call_acknowledge(platform, "K0421:K0421:s:staff-form-1", "staff:S001"), KIOSK_OK);
    assert_int_equal(platform_call_acknowledge(platform, "a\"b", "staff:S001"),
                     KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(platform_call_acknowledge(platform, "a\nb", "staff:S001"),
                     KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(platform_call_acknowledge(platform, "", "staff:S001"),
                     KIOSK_ERR_INVALID_ARGUMENT);
    platform_outbox_item items[8];
    size_t count = 0;
    assert_int_equal(platform_outbox_list(platform, false, items, 8, &count), KIOSK_OK);
    int acks = 0;
    for (size_t i = 0; i < count; i++)
        acks += strcmp(items[i].kind, "call-ack") == 0;
    assert_int_equal(acks, 1);
    cache_audit_row row;
    staff_rig_last_row(platform, &row);
    assert_string_equal(row.action, "call.acknowledge");
    assert_string_equal(row.detail, "K0421:K0421:s:staff-form-1");
    assert_false(platform_call_acknowledged(platform));
    platform_destroy(platform);
}

/* The sync thread's news reaches staff: a new credentials file or a change
 * in the help calls is PLATFORM_STAFF; a progress report without either
 * is not. */
static void test_staff_hear_of_new_credentials_and_calls(void **state)
{
    (void)state;
    platform_config config = {.on_event = staff_rig_on_event, .link_event = 7};
    kiosk_platform *platform = NULL;
    assert_int_equal(platform_create(&config, &platform), KIOSK_OK);
    sync_progress progress = {.link = SYNC_LINK_ONLINE};
    app_event event = {.kind = 7, .payload = &progress};
    staff_rig_events = 0;
    assert_true(platform_handle(platform, &event));
    assert_int_equal(staff_rig_events, 0);
    progress.credentials_updates = 1;
    assert_true(platform_handle(platform, &event));
    assert_int_equal(staff_rig_events, 1);
    progress.queued = 3;
    assert_true(platform_handle(platform, &event));
    assert_int_equal(staff_rig_events, 1);
    progress.staff_news = 1;
    assert_true(platform_handle(platform, &event));
    assert_int_equal(staff_rig_events, 2);
    platform_destroy(platform);
}

/* What a technician does before the terminal's first submission (enrolling
 * its certificate) opens the store and is audited all the same. */
static void test_the_first_staff_action_opens_the_store(void **state)
{
    (void)state;
    kiosk_platform *platform = staff_rig_create("staff-unopened", 0);
    assert_null(platform->store);
    assert_int_equal(platform_audit(platform, "technician:T001", "cert.enrol", "", ""), KIOSK_OK);
    cache_audit_head head;
    assert_int_equal(platform_audit_head(platform, &head), KIOSK_OK);
    assert_int_equal(head.sequence, 1);
    cache_audit_row row;
    staff_rig_last_row(platform, &row);
    assert_string_equal(row.action, "cert.enrol");
    platform_destroy(platform);
}

/* A resent record goes out at the next delivery, not some time later; one
 * with no receipt number (a call's acknowledgement) is named in the audit
 * trail by its record number. */
static void test_a_resent_record_is_due_at_once_and_named_in_the_audit(void **state)
{
    (void)state;
    kiosk_platform *platform = staff_rig_open("staff-resend-now");
    int64_t id = staff_rig_submit(platform, NULL);
    assert_int_equal(cache_outbox_quarantine(platform->store, id, "422: a field", NULL), KIOSK_OK);
    assert_int_equal(platform_outbox_resend(platform, id, "staff:S001"), KIOSK_OK);
    cache_record records[8];
    size_t count = 0;
    assert_int_equal(cache_outbox_claim(platform->store, (int64_t)TEST_WALL_TIME * 1000, 8, records,
                                        &count, NULL),
                     KIOSK_OK);
    bool due = false;
    for (size_t i = 0; i < count; i++)
        due = due || records[i].id == id;
    cache_records_free(records, count);
    assert_true(due);

    assert_int_equal(
        platform_call_acknowledge(platform, "K0421:K0421:s:staff-form-1", "staff:S001"), KIOSK_OK);
    platform_outbox_item items[8];
    assert_int_equal(platform_outbox_list(platform, false, items, 8, &count), KIOSK_OK);
    int64_t ack = 0;
    for (size_t i = 0; i < count; i++)
        if (strcmp(items[i].kind, "call-ack") == 0)
            ack = items[i].id;
    assert_true(ack > 0);
    /* The acknowledgement goes out at once too. */
    assert_int_equal(cache_outbox_claim(platform->store, (int64_t)TEST_WALL_TIME * 1000, 8, records,
                                        &count, NULL),
                     KIOSK_OK);
    due = false;
    for (size_t i = 0; i < count; i++)
        due = due || records[i].id == ack;
    cache_records_free(records, count);
    assert_true(due);
    assert_int_equal(cache_outbox_quarantine(platform->store, ack, "404: no such call", NULL),
                     KIOSK_OK);
    assert_int_equal(platform_outbox_resend(platform, ack, "staff:S002"), KIOSK_OK);
    cache_audit_row row;
    staff_rig_last_row(platform, &row);
    char expected[32];
    snprintf(expected, sizeof expected, "record %lld", (long long)ack);
    assert_string_equal(row.subject, expected);
    assert_string_equal(row.actor, "staff:S002");
    platform_destroy(platform);
}

/* A page with room for one record shows the refused one, not a waiting
 * one, and nothing past its room. */
static void test_a_page_with_room_for_one_shows_the_refused_record(void **state)
{
    (void)state;
    kiosk_platform *platform = staff_rig_open("staff-room-for-one");
    (void)staff_rig_submit(platform, NULL);
    int64_t refused = staff_rig_submit(platform, NULL);
    assert_int_equal(cache_outbox_quarantine(platform->store, refused, "422: a field", NULL),
                     KIOSK_OK);
    platform_outbox_item item[1];
    size_t count = 0;
    assert_int_equal(platform_outbox_list(platform, false, item, 1, &count), KIOSK_OK);
    assert_int_equal(count, 1);
    assert_int_equal(item[0].id, refused);
    assert_int_equal(item[0].state, PLATFORM_OUTBOX_QUARANTINED);
    platform_destroy(platform);
}

/* A setting (a credential's lock-out, a board's calibration) is still
 * there after a restart, up to the longest key and value taken; one past
 * either is refused, not cut short. */
static void test_a_setting_survives_a_restart(void **state)
{
    (void)state;
    kiosk_platform *platform = staff_rig_open("staff-settings-restart");
    char value[4096 + 2], key[120 + 2];
    memset(value, '7', sizeof value - 1);
    value[4096] = '\0';
    memset(key, 'k', sizeof key - 1);
    key[119] = '\0';
    assert_int_equal(platform_setting_set(platform, "staff.lock.S001", "5 1795340700"), KIOSK_OK);
    assert_int_equal(platform_setting_set(platform, "touch.calibration", value), KIOSK_OK);
    assert_int_equal(platform_setting_set(platform, key, "longest key"), KIOSK_OK);
    platform = staff_rig_restart(platform, 0);
    char *kept = NULL;
    assert_int_equal(platform_setting_get(platform, "staff.lock.S001", &kept), KIOSK_OK);
    assert_string_equal(kept, "5 1795340700");
    free(kept);
    assert_int_equal(platform_setting_get(platform, "touch.calibration", &kept), KIOSK_OK);
    assert_string_equal(kept, value);
    free(kept);
    assert_int_equal(platform_setting_get(platform, key, &kept), KIOSK_OK);
    assert_string_equal(kept, "longest key");
    free(kept);
    /* One past: refused, and what was kept stays. */
    value[4096] = '8';
    value[4097] = '\0';
    assert_int_equal(platform_setting_set(platform, "touch.calibration", value),
                     KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(platform_setting_get(platform, "touch.calibration", &kept), KIOSK_OK);
    assert_int_equal(strlen(kept), 4096);
    free(kept);
    key[119] = 'k';
    key[120] = '\0';
    assert_int_equal(platform_setting_set(platform, key, "too long"), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(platform_setting_get(platform, key, &kept), KIOSK_ERR_INVALID_ARGUMENT);
    assert_null(kept);
    platform_destroy(platform);
}

/* A setting the store will not keep (here a trigger refuses it, as a
 * failing disk would) is refused, and the technician's log says which and
 * why; a kept one is not reported. */
static void test_a_setting_not_kept_is_in_the_log(void **state)
{
    (void)state;
    log_set_level(LOG_LEVEL_WARN);
    kiosk_platform *platform = staff_rig_open("staff-settings-log");
    assert_int_equal(platform_setting_set(platform, "display.schedule", "22:00-06:00"), KIOSK_OK);
    char recent[4096];
    log_recent(recent, sizeof recent, 8);
    assert_null(strstr(recent, "setting display.schedule"));
    char path[PLATFORM_PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/kiosk.db", platform->config.data_dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TRIGGER refuse BEFORE INSERT ON kv BEGIN SELECT "
                                  "RAISE(ABORT, 'the store refuses settings'); END",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_not_equal(platform_setting_set(platform, "touch.calibration", "1 0 0 0 1 0"),
                         KIOSK_OK);
    log_recent(recent, sizeof recent, 8);
    const char *line = strstr(recent, "setting touch.calibration not kept");
    assert_non_null(line);
    assert_non_null(strstr(line, "the store refuses settings"));
    platform_destroy(platform);
    log_set_level(LOG_LEVEL_ERROR);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_works_without_the_store),
        cmocka_unit_test(test_the_audit_trail_through_the_platform),
        cmocka_unit_test(test_a_row_that_cannot_be_kept_is_told_to_staff),
        cmocka_unit_test(test_staff_resend_and_close_refused_records),
        cmocka_unit_test(test_an_assisted_submission_names_the_staff_member),
        cmocka_unit_test(test_settings_and_acknowledgements),
        cmocka_unit_test(test_staff_hear_of_new_credentials_and_calls),
        cmocka_unit_test(test_the_first_staff_action_opens_the_store),
        cmocka_unit_test(test_a_resent_record_is_due_at_once_and_named_in_the_audit),
        cmocka_unit_test(test_a_page_with_room_for_one_shows_the_refused_record),
        cmocka_unit_test(test_a_setting_survives_a_restart),
        cmocka_unit_test(test_a_setting_not_kept_is_in_the_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
