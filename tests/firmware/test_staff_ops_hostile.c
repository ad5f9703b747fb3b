/* The staff operations on the outbox against what staff might type or do
 * that their authors did not expect: a closing reason that holds a
 * citizen's ID or mobile number (kept masked, in the tombstone and the
 * audit trail alike), and a waiting record's id for resend and close. */
#include "../support/test_support.h"

#include "firmware/base/log.h"
#include "firmware/platform/staff_ops.h"
#include "firmware/platform/store_use_internal.h"
#include "offline-cache/kv.h"
#include "offline-cache/outbox.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int staff_events;

static void on_event(const platform_event *event, void *context)
{
    (void)context;
    if (event->kind == PLATFORM_STAFF)
        staff_events++;
}

static time_t wall(void *context)
{
    (void)context;
    return TEST_WALL_TIME;
}

static kiosk_platform *open_platform(const char *name)
{
    platform_config config = {.make_key = true, .on_event = on_event, .wall_time = wall};
    const char *dir = test_make_temp_dir(name);
    snprintf(config.data_dir, sizeof config.data_dir, "%s/data", dir);
    snprintf(config.key_file, sizeof config.key_file, "%s/seal.key", dir);
    snprintf(config.terminal_id, sizeof config.terminal_id, "K0420");
    snprintf(config.cipher, sizeof config.cipher, "aes-256-gcm");
    kiosk_platform *platform = NULL;
    assert_int_equal(platform_create(&config, &platform), KIOSK_OK);
    kiosk_diag diag = {{0}};
    if (platform_store_open(platform, &diag) != KIOSK_OK)
        fail_msg("store: %s", diag.message);
    return platform;
}

static int64_t submit(kiosk_platform *platform, const char *assisted_by)
{
    platform_submission s = {.service_id = "certificate-print",
                             .id_number = "110105194912310021",
                             .identified_by = "id-card",
                             .language = "zh-CN",
                             .payload = cJSON_Parse("{\"fields\":{}}"),
                             .assisted_by = assisted_by};
    assert_int_equal(platform_submit(platform, &s), KIOSK_OK);
    platform_outbox_item items[8];
    size_t count = 0;
    assert_int_equal(platform_outbox_list(platform, false, items, 8, &count), KIOSK_OK);
    for (size_t i = count; i > 0; i--)
        if (strcmp(items[i - 1].kind, "submission") == 0)
            return items[i - 1].id;
    fail_msg("no submission in the outbox");
    return 0;
}

static void last_row(kiosk_platform *platform, cache_audit_row *row)
{
    cache_audit_head head;
    assert_int_equal(platform_audit_head(platform, &head), KIOSK_OK);
    size_t count = 0;
    assert_int_equal(cache_audit_list(platform->store, head.sequence - 1, row, 1, &count, NULL),
                     KIOSK_OK);
    assert_int_equal(count, 1);
}

static void test_a_reason_with_personal_numbers_is_kept_masked(void **state)
{
    (void)state;
    kiosk_platform *platform = open_platform("staff-hostile-reason");
    int64_t id = submit(platform, NULL);
    /* Waiting, not refused: neither resent nor closed, and still waiting. */
    assert_int_equal(platform_outbox_resend(platform, id, "staff:S001"), KIOSK_ERR_NOT_FOUND);
    assert_int_equal(platform_outbox_close(platform, id, "staff:S001", "duplicate"),
                     KIOSK_ERR_NOT_FOUND);
    platform_outbox_item items[8];
    size_t count = 0;
    assert_int_equal(platform_outbox_list(platform, false, items, 8, &count), KIOSK_OK);
    bool waiting = false;
    for (size_t i = 0; i < count; i++)
        waiting = waiting || (items[i].id == id && items[i].state == PLATFORM_OUTBOX_WAITING);
    assert_true(waiting);

    assert_int_equal(cache_outbox_quarantine(platform->store, id, "422: a field", NULL), KIOSK_OK);
    assert_int_equal(platform_outbox_close(platform, id, "staff:S001",
                                           "citizen 11010519900307123X, phone 13812345678, "
                                           "asked to withdraw it"),
                     KIOSK_OK);
    cache_outbox_tombstone tombstone;
    assert_int_equal(cache_outbox_tombstone_get(platform->store, id, &tombstone, NULL), KIOSK_OK);
    assert_string_equal(tombstone.reason,
                        "citizen 110105********123X, phone 138****5678, asked to withdraw it");
    cache_audit_row row;
    last_row(platform, &row);
    assert_string_equal(row.action, "outbox.close");
    assert_string_equal(row.detail,
                        "citizen 110105********123X, phone 138****5678, asked to withdraw it");
    cache_audit_verdict verdict;
    kiosk_diag diag = {{0}};
    assert_int_equal(platform_audit_verify(platform, &verdict, &diag), KIOSK_OK);
    assert_int_equal(verdict.found, CACHE_AUDIT_INTACT);
    platform_destroy(platform);
}

/* The disk stays full while staff close a refused record, again and
 * again: each close is refused whole (NO_SPACE), the record stays refused
 * and listed, no tombstone and no audit row is half kept, and the chain
 * stays intact. */
static void test_closing_while_the_disk_stays_full(void **state)
{
    (void)state;
    kiosk_platform *platform = open_platform("staff-hostile-full");
    int64_t id = submit(platform, NULL);
    assert_int_equal(cache_outbox_quarantine(platform->store, id, "422: a field", NULL), KIOSK_OK);
    cache_audit_head before;
    assert_int_equal(platform_audit_head(platform, &before), KIOSK_OK);
    char data_dir[sizeof platform->config.data_dir], key_file[sizeof platform->config.key_file];
    snprintf(data_dir, sizeof data_dir, "%s", platform->config.data_dir);
    snprintf(key_file, sizeof key_file, "%s", platform->config.key_file);
    platform_destroy(platform);

    platform_config config = {
        .make_key = true, .on_event = on_event, .wall_time = wall, .min_free_mb = 1 << 30};
    snprintf(config.data_dir, sizeof config.data_dir, "%s", data_dir);
    snprintf(config.key_file, sizeof config.key_file, "%s", key_file);
    snprintf(config.terminal_id, sizeof config.terminal_id, "K0420");
    snprintf(config.cipher, sizeof config.cipher, "aes-256-gcm");
    assert_int_equal(platform_create(&config, &platform), KIOSK_OK);
    kiosk_diag diag = {{0}};
    assert_int_equal(platform_store_open(platform, &diag), KIOSK_OK);
    for (int attempt = 0; attempt < 3; attempt++)
        assert_int_equal(platform_outbox_close(platform, id, "staff:S001", "duplicate"),
                         KIOSK_ERR_NO_SPACE);
    platform_outbox_item items[8];
    size_t count = 0;
    assert_int_equal(platform_outbox_list(platform, true, items, 8, &count), KIOSK_OK);
    assert_int_equal(count, 1);
    assert_int_equal(items[0].id, id);
    cache_outbox_tombstone tombstone;
    assert_int_equal(cache_outbox_tombstone_get(platform->store, id, &tombstone, NULL),
                     KIOSK_ERR_NOT_FOUND);
    cache_audit_head after;
    assert_int_equal(platform_audit_head(platform, &after), KIOSK_OK);
    assert_int_equal(after.sequence, before.sequence);
    cache_audit_verdict verdict;
    assert_int_equal(platform_audit_verify(platform, &verdict, &diag), KIOSK_OK);
    assert_int_equal(verdict.found, CACHE_AUDIT_INTACT);
    platform_destroy(platform);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_reason_with_personal_numbers_is_kept_masked),
        cmocka_unit_test(test_closing_while_the_disk_stays_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
