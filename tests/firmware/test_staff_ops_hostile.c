/* The staff operations on the outbox against what staff might type or do
 * that their authors did not expect: a closing reason that holds a
 * citizen's ID or mobile number (kept masked, in the tombstone and the
 * audit trail alike), and a waiting record's id for resend and close. */
#include "../support/staff_rig.h"
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

static void test_a_reason_with_personal_numbers_is_kept_masked(void **state)
{
    (void)state;
    kiosk_platform *platform = staff_rig_open("staff-hostile-reason");
    int64_t id = staff_rig_submit(platform, NULL);
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
    staff_rig_last_row(platform, &row);
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
    kiosk_platform *platform = staff_rig_open("staff-hostile-full");
    int64_t id = staff_rig_submit(platform, NULL);
    assert_int_equal(cache_outbox_quarantine(platform->store, id, "422: a field", NULL), KIOSK_OK);
    cache_audit_head before;
    assert_int_equal(platform_audit_head(platform, &before), KIOSK_OK);
    platform = staff_rig_restart(platform, 1 << 30);
    kiosk_diag diag = {{0}};
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

/* What a caller might pass that is no actor, reason or key: refused with
 * INVALID_ARGUMENT, nothing kept. A reason of one letter is a reason. */
static void test_missing_actors_reasons_and_odd_keys_are_refused(void **state)
{
    (void)state;
    kiosk_platform *platform = staff_rig_open("staff-hostile-arguments");
    int64_t id = staff_rig_submit(platform, NULL);
    assert_int_equal(cache_outbox_quarantine(platform->store, id, "422: a field", NULL), KIOSK_OK);
    assert_int_equal(platform_outbox_resend(platform, id, NULL), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(platform_outbox_close(platform, id, NULL, "duplicate"),
                     KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(platform_outbox_close(platform, id, "", "duplicate"),
                     KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(platform_outbox_close(platform, id, "staff:S001", NULL),
                     KIOSK_ERR_INVALID_ARGUMENT);
    platform_outbox_item items[8];
    size_t count = 0;
    assert_int_equal(platform_outbox_list(platform, true, items, 8, &count), KIOSK_OK);
    assert_int_equal(count, 1);
    /* The shortest actor and reason there can be. */
    assert_int_equal(platform_outbox_resend(platform, id, "T"), KIOSK_OK);
    assert_int_equal(cache_outbox_quarantine(platform->store, id, "422 again", NULL), KIOSK_OK);
    assert_int_equal(platform_outbox_close(platform, id, "T", "x"), KIOSK_OK);
    cache_outbox_tombstone tombstone;
    assert_int_equal(cache_outbox_tombstone_get(platform->store, id, &tombstone, NULL), KIOSK_OK);
    assert_string_equal(tombstone.reason, "x");

    char *value = (char *)"untouched";
    assert_int_equal(platform_setting_get(platform, NULL, &value), KIOSK_ERR_INVALID_ARGUMENT);
    assert_null(value);
    assert_int_equal(platform_setting_set(platform, NULL, "1"), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(platform_setting_set(platform, "touch.\xff\xfe", "1"),
                     KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(platform_setting_get(platform, "touch.\xff\xfe", &value),
                     KIOSK_ERR_INVALID_ARGUMENT);
    platform_destroy(platform);
}

/* A call's id as the platform's list might carry it: printable text is
 * acknowledged (a space too); a control character, a quote, a backslash,
 * broken UTF-8, no id, no actor or an id past its room are refused. Each
 * acknowledgement taken is its own record: two calls are never folded into
 * one, however long their ids. */
static void test_odd_call_ids_and_long_ones(void **state)
{
    (void)state;
    kiosk_platform *platform = staff_rig_open("staff-hostile-calls");
    assert_int_equal(platform_call_acknowledge(platform, "K0421 s 1", "T"), KIOSK_OK);
    static const char *const odd[] = {"a\x7f"
                                      "b",
                                      "a\\b",
                                      "a\"b",
                                      "a\tb",
                                      "\xff\xfe",
                                      ""};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
        assert_int_equal(platform_call_acknowledge(platform, odd[i], "staff:S001"),
                         KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(platform_call_acknowledge(platform, NULL, "staff:S001"),
                     KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(platform_call_acknowledge(platform, "K0421:s:2", NULL),
                     KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(platform_call_acknowledge(platform, "K0421:s:2", ""),
                     KIOSK_ERR_INVALID_ARGUMENT);
    char id[sizeof((platform_call *)0)->id + 1];
    memset(id, 'c', sizeof id - 1);
    id[sizeof id - 1] = '\0';
    assert_int_equal(platform_call_acknowledge(platform, id, "staff:S001"),
                     KIOSK_ERR_INVALID_ARGUMENT);
    int taken = 1;
    for (size_t length = 80; length < sizeof id - 1; length++) {
        for (char last = 'x'; last <= 'y'; last++) {
            id[length - 1] = last;
            id[length] = '\0';
            taken += platform_call_acknowledge(platform, id, "staff:S001") == KIOSK_OK;
        }
        id[length - 1] = 'c';
    }
    platform_outbox_item items[64];
    size_t count = 0;
    assert_int_equal(platform_outbox_list(platform, false, items, 64, &count), KIOSK_OK);
    int acks = 0;
    for (size_t i = 0; i < count; i++)
        acks += strcmp(items[i].kind, "call-ack") == 0;
    assert_int_equal(acks, taken);
    platform_destroy(platform);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_reason_with_personal_numbers_is_kept_masked),
        cmocka_unit_test(test_closing_while_the_disk_stays_full),
        cmocka_unit_test(test_missing_actors_reasons_and_odd_keys_are_refused),
        cmocka_unit_test(test_odd_call_ids_and_long_ones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
