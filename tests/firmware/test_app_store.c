/* The store as the kiosk uses it: a submission kept whole or not at all,
 * receipt numbers never given twice, a store that cannot open tried again
 * and shown to staff, what is past retention forgotten (but not what staff
 * have yet to see), and a data directory nobody else can read. */
#include "../support/test_support.h"

#include "firmware/app/app_platform.h"
#include "firmware/app/app_probe.h"
#include "firmware/app/app_start.h"
#include "firmware/app/app_store.h"
#include "firmware/app/navigation.h"
#include "firmware/platform/receipt_index.h"
#include "offline-cache/kv.h"
#include "offline-cache/outbox.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char data_dir[1024], db[1100];

static const char *board_in_temp(void)
{
    const char *dir = NULL;
    const char *board = test_board_in_temp("portrait-1080", &dir);
    snprintf(data_dir, sizeof data_dir, "%s", dir);
    snprintf(db, sizeof db, "%s/kiosk.db", data_dir);
    return board;
}

/* A citizen types their number and submits: the screen that follows. */
static const char *submit(kiosk_app *app)
{
    test_open_typed(app, "tile.certificate-print");
    test_type(app, "310101198005056662");
    test_tap(app, "step.next");
    test_tap(app, "step.next");
    return app_screen_name(app);
}

static const char *staff_note(kiosk_app *app)
{
    static char note[320];
    ui_frame_model frame = app_frame_model(app, "");
    app_platform_staff_note(app, &frame, note, sizeof note);
    return note;
}

static void sql(const char *statement)
{
    sqlite3 *handle = NULL;
    assert_int_equal(sqlite3_open(db, &handle), SQLITE_OK);
    char *error = NULL;
    if (sqlite3_exec(handle, statement, NULL, NULL, &error) != SQLITE_OK)
        fail_msg("%s: %s", statement, error);
    sqlite3_close(handle);
}

static long long count_of(const char *query)
{
    sqlite3 *handle = NULL;
    sqlite3_stmt *statement = NULL;
    assert_int_equal(sqlite3_open(db, &handle), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(handle, query, -1, &statement, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    long long value = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    sqlite3_close(handle);
    return value;
}

/* The number, the record and the receipt commit together: a failure
 * between them (here forced where the receipt is written) leaves none of
 * them, and the citizen is told nothing was kept. */
static void test_a_submission_is_kept_whole_or_not_at_all(void **state)
{
    (void)state;
    const char *board = board_in_temp();
    kiosk_app *app = test_app_create(board, LANG_ZH_CN);
    assert_string_equal(submit(app), "result");
    assert_string_equal(test_text_of(app, "result.tracking"), "K0420-000001");
    app_destroy(app);

    sql("CREATE TRIGGER injected BEFORE INSERT ON kv WHEN NEW.key GLOB 'receipt:*'"
        " BEGIN SELECT RAISE(FAIL, 'injected failure'); END;");
    app = test_app_create(board, LANG_ZH_CN);
    assert_string_equal(submit(app), "error");
    assert_non_null(strstr(test_text_of(app, "error.what"), "没有保存"));
    /* Staff see the write that failed. */
    assert_non_null(strstr(staff_note(app), "上次写入存储失败"));
    assert_non_null(strstr(staff_note(app), "injected failure"));
    app_destroy(app);

    /* Nothing of it: no record, no receipt, the counter where it was. */
    assert_int_equal(count_of("SELECT count(*) FROM outbox WHERE kind != 'audit'"), 1);
    assert_int_equal(count_of("SELECT count(*) FROM kv WHERE key GLOB 'receipt:*'"), 1);
    assert_int_equal(count_of("SELECT count(*) FROM kv WHERE key GLOB 'receipt-record:*'"), 1);
    assert_int_equal(count_of("SELECT value FROM counters WHERE name = 'receipt-number'"), 1);

    /* Once the store takes writes again, so does the kiosk, and staff's
     * line forgets the failure. */
    sql("DROP TRIGGER injected");
    app = test_app_create(board, LANG_ZH_CN);
    assert_string_equal(submit(app), "result");
    assert_null(strstr(staff_note(app), "上次写入存储失败"));
    app_destroy(app);
    assert_int_equal(count_of("SELECT count(*) FROM outbox WHERE kind != 'audit'"), 2);
}

static void move_aside(const char *suffix)
{
    const char *files[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char from[1200], to[1300];
        snprintf(from, sizeof from, "%s%s", db, files[i]);
        snprintf(to, sizeof to, "%s%s%s", db, suffix, files[i]);
        if (access(from, F_OK) == 0)
            assert_int_equal(rename(from, to), 0);
    }
}

/* Citizen A's number is never citizen B's: not after the database was
 * moved aside, not after it was lost. */
static void test_receipt_numbers_are_never_given_twice(void **state)
{
    (void)state;
    const char *board = board_in_temp();
    kiosk_app *app = test_app_create(board, LANG_ZH_CN);
    assert_string_equal(submit(app), "result");
    assert_string_equal(test_text_of(app, "result.tracking"), "K0420-000001");
    app_destroy(app);

    move_aside(".moved");
    app = test_app_create(board, LANG_ZH_CN);
    assert_string_equal(submit(app), "result");
    assert_string_equal(test_text_of(app, "result.tracking"), "K0420-000002");
    app_destroy(app);

    assert_int_equal(unlink(db), 0);
    move_aside(".lost");
    app = test_app_create(board, LANG_ZH_CN);
    assert_string_equal(submit(app), "result");
    assert_string_equal(test_text_of(app, "result.tracking"), "K0420-000003");
    app_destroy(app);
}

/* A mark that is not a number is not guessed at: nothing is numbered (and
 * so nothing kept) until it is put right. */
static void test_a_damaged_number_mark_refuses_rather_than_repeats(void **state)
{
    (void)state;
    const char *board = board_in_temp();
    test_write_file(data_dir, "receipt-number", "forty-two\n");
    kiosk_app *app = test_app_create(board, LANG_ZH_CN);
    assert_string_equal(submit(app), "error");
    assert_non_null(strstr(staff_note(app), "not a receipt number"));
    app_destroy(app);
    test_write_file(data_dir, "receipt-number", "41\n");
    app = test_app_create(board, LANG_ZH_CN);
    assert_string_equal(submit(app), "result");
    assert_string_equal(test_text_of(app, "result.tracking"), "K0420-000042");
    app_destroy(app);
}

/* A store that cannot be opened (here a directory where its file
 * belongs) is shown to staff as what it is, not as "connecting", and is
 * tried again until it opens. */
static void test_a_store_that_cannot_open_is_shown_and_tried_again(void **state)
{
    (void)state;
    const char *board = board_in_temp();
    assert_int_equal(mkdir(db, 0700), 0);
    kiosk_app *app = test_app_create(board, LANG_ZH_CN);
    assert_string_equal(submit(app), "error");
    assert_true(app_store_broken(app));
    assert_non_null(strstr(staff_note(app), "本机存储无法打开"));
    assert_string_equal(app_store_citizen_note_key(app), "store.unavailable_note");
    /* Citizens read the truth beside the clock: not "the network". */
    char clock[256];
    app_clock_text(app, clock, sizeof clock);
    assert_non_null(strstr(clock, "暂停受理申请"));
    assert_null(strstr(clock, "网络"));
    long long wait = app_platform_next_ms(app);
    assert_true(wait > 0 && wait <= 1000);
    test_tap(app, "error.home");

    /* Put right: the next try opens it, without a citizen having to. */
    assert_int_equal(rmdir(db), 0);
    test_monotonic_now_ms += 1500;
    app_process_pending(app);
    assert_false(app_store_broken(app));
    assert_null(app_store_citizen_note_key(app));
    assert_non_null(strstr(staff_note(app), "待上传 0 条"));
    assert_int_equal(app_platform_next_ms(app), -1);
    app_destroy(app);
}

/* Tries back off: twice as long each time, to a minute at most. */
static void test_tries_back_off(void **state)
{
    (void)state;
    const char *board = board_in_temp();
    assert_int_equal(mkdir(db, 0700), 0);
    kiosk_app *app = test_app_create(board, LANG_ZH_CN);
    assert_string_equal(submit(app), "error");
    long long waits[8];
    for (int i = 0; i < 8; i++) {
        waits[i] = app_platform_next_ms(app);
        test_monotonic_now_ms += (uint64_t)waits[i];
        app_process_pending(app);
    }
    assert_int_equal(waits[0], 1000);
    assert_int_equal(waits[1], 2000);
    assert_int_equal(waits[2], 4000);
    assert_int_equal(waits[7], 60000);
    app_destroy(app);
}

/* The folder that holds the store and its key is made private even when
 * someone else made it first. */
static void test_the_data_directory_is_made_private(void **state)
{
    (void)state;
    const char *board = board_in_temp();
    assert_int_equal(chmod(data_dir, 0755), 0);
    kiosk_app *app = test_app_create(board, LANG_ZH_CN);
    assert_string_equal(submit(app), "result");
    app_destroy(app);
    struct stat about;
    assert_int_equal(stat(data_dir, &about), 0);
    assert_int_equal(about.st_mode & 0777, 0700);
}

/* Retention: unsent records, kept answers and receipts older than the
 * board's retention_days are forgotten when the store opens; a quarantined
 * record stays for staff, whatever its age. */
static void test_what_is_past_retention_is_forgotten(void **state)
{
    (void)state;
    const char *board = board_in_temp();
    kiosk_app *app = test_app_create(board, LANG_ZH_CN);
    assert_string_equal(submit(app), "result");
    app_destroy(app);

    seal_key key;
    char key_file[1200];
    snprintf(key_file, sizeof key_file, "%s/seal.key", data_dir);
    assert_int_equal(seal_key_file_load(key_file, &key, NULL), KIOSK_OK);
    cache_options options = {.path = db, .cipher = SEAL_AES_256_GCM, .key = &key};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    int64_t old_s = (int64_t)TEST_WALL_TIME - 31 * 86400LL, id = 0;
    cache_put put = {.kind = "rating", .payload = (const uint8_t *)"{}", .payload_length = 2};
    put.idempotency_key = "old-unsent";
    assert_int_equal(cache_outbox_put(store, &put, old_s * 1000, &id, NULL), KIOSK_OK);
    put.idempotency_key = "old-quarantined";
    assert_int_equal(cache_outbox_put(store, &put, old_s * 1000, &id, NULL), KIOSK_OK);
    assert_int_equal(cache_outbox_quarantine(store, id, "refused by the platform", NULL), KIOSK_OK);
    assert_int_equal(cache_kv_set(store, "answer:old", "x", 1, old_s, NULL), KIOSK_OK);
    assert_int_equal(cache_kv_set(store, "answer:new", "x", 1, TEST_WALL_TIME, NULL), KIOSK_OK);
    assert_int_equal(
        receipt_index_issued(store, "K0420-000900", "certificate-print", 900, old_s, NULL),
        KIOSK_OK);
    cache_close(store);
    seal_key_wipe(&key);

    app = test_app_create(board, LANG_ZH_CN);
    receipt_entry entry;
    assert_false(app_platform_find_receipt(app, "K0420-000900", &entry)); /* opens the store */
    assert_true(app_platform_find_receipt(app, "K0420-000001", &entry));
    app_destroy(app);
    assert_int_equal(count_of("SELECT count(*) FROM outbox WHERE idempotency_key = 'old-unsent'"),
                     0);
    assert_int_equal(
        count_of("SELECT count(*) FROM outbox WHERE idempotency_key = 'old-quarantined'"), 1);
    assert_int_equal(count_of("SELECT count(*) FROM kv WHERE key = 'answer:old'"), 0);
    assert_int_equal(count_of("SELECT count(*) FROM kv WHERE key = 'answer:new'"), 1);
    assert_int_equal(
        count_of("SELECT count(*) FROM outbox WHERE quarantined = 0 AND kind != 'audit'"), 1);
}

/* A store moved aside (as cache_open does with one that fails its check)
 * still holds an application: the next start brings it home, to be sent;
 * one that cannot be opened here is shown to staff. */
static void test_records_stranded_in_a_moved_aside_store_are_recovered(void **state)
{
    (void)state;
    const char *board = board_in_temp();
    kiosk_app *app = test_app_create(board, LANG_ZH_CN);
    assert_string_equal(submit(app), "result");
    app_destroy(app);
    move_aside(".corrupt-20261122T093000Z");

    /* And one sealed under a key this terminal does not have. */
    char other_db[1200];
    snprintf(other_db, sizeof other_db, "%s.corrupt-20261101T000000Z", db);
    seal_key other;
    memset(other.bytes, 0x5a, sizeof other.bytes);
    cache_options options = {.path = other_db, .cipher = SEAL_AES_256_GCM, .key = &other};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    cache_put put = {.kind = "submission",
                     .idempotency_key = "K0420:elsewhere:certificate-print",
                     .payload = (const uint8_t *)"{}",
                     .payload_length = 2,
                     .personal = true};
    int64_t id = 0;
    assert_int_equal(cache_outbox_put(store, &put, (int64_t)TEST_WALL_TIME * 1000, &id, NULL),
                     KIOSK_OK);
    cache_close(store);

    app = test_app_create(board, LANG_ZH_CN);
    receipt_entry entry;
    assert_true(app_platform_find_receipt(app, "K0420-000001", &entry));
    assert_non_null(strstr(staff_note(app), "待上传 1 条"));
    assert_non_null(strstr(staff_note(app), "kiosk.db.corrupt-20261101T000000Z 中仍有 1 条记录"));
    app_destroy(app);
    assert_int_equal(count_of("SELECT count(*) FROM outbox WHERE kind != 'audit'"), 1);
    char moved[1300];
    snprintf(moved, sizeof moved, "%s.corrupt-20261122T093000Z", db);
    assert_int_not_equal(access(moved, F_OK), 0);
    assert_int_equal(access(other_db, F_OK), 0);
}

/* A database from newer firmware, or one of another program's making, is
 * never written over: staff read why it cannot be used. */
static void test_a_foreign_or_newer_store_is_shown_to_staff(void **state)
{
    (void)state;
    const char *cases[][2] = {{"PRAGMA user_version = 99", "newer than this firmware"},
                              {"CREATE TABLE outbox (x)", "migration"}};
    for (size_t i = 0; i < 2; i++) {
        const char *board = board_in_temp();
        sql(cases[i][0]);
        kiosk_app *app = test_app_create(board, LANG_ZH_CN);
        assert_string_equal(submit(app), "error");
        const char *note = staff_note(app);
        if (!strstr(note, "本机存储无法打开") || !strstr(note, cases[i][1]))
            fail_msg("staff read: %s", note);
        app_destroy(app);
    }
}

/* Online but not well: acknowledgements that cannot be written, or a
 * platform clock not believed, are on staff's line though the link is up. */
static void test_online_troubles_are_shown_to_staff(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create(board_in_temp(), LANG_ZH_CN);
    sync_progress p = {.link = SYNC_LINK_ONLINE};
    snprintf(p.last_error, sizeof p.last_error, "platform clock 2199-12-31 not believed");
    app_probe_link(app, true, &p);
    assert_null(strstr(staff_note(app), "not believed")); /* online and well: quiet */
    p.clock_disagrees = true;
    app_probe_link(app, true, &p);
    assert_non_null(strstr(staff_note(app), "platform clock 2199-12-31 not believed"));
    p.clock_disagrees = false;
    p.outbox_unwritable = true;
    snprintf(p.last_error, sizeof p.last_error, "outbox: disk full");
    app_probe_link(app, true, &p);
    assert_non_null(strstr(staff_note(app), "outbox: disk full"));
    app_probe_link(app, false, &p);
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_submission_is_kept_whole_or_not_at_all),
        cmocka_unit_test(test_receipt_numbers_are_never_given_twice),
        cmocka_unit_test(test_a_damaged_number_mark_refuses_rather_than_repeats),
        cmocka_unit_test(test_a_store_that_cannot_open_is_shown_and_tried_again),
        cmocka_unit_test(test_tries_back_off),
        cmocka_unit_test(test_a_foreign_or_newer_store_is_shown_to_staff),
        cmocka_unit_test(test_the_data_directory_is_made_private),
        cmocka_unit_test(test_what_is_past_retention_is_forgotten),
        cmocka_unit_test(test_records_stranded_in_a_moved_aside_store_are_recovered),
        cmocka_unit_test(test_online_troubles_are_shown_to_staff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
