/* Opening the store: the schema, the start-up check, corrupt and newer
 * databases, settings, cached content and counters. */
#include "../support/test_support.h"
#include "offline-cache/cache_probes.h"

#include "cache_fixture.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_a_new_store_has_the_schema_and_survives_reopening(void **state)
{
    (void)state;
    const char *path = fresh_db("store-new");
    cache_options options = {.path = path};
    cache_store *store = NULL;
    cache_open_report report;
    assert_int_equal(cache_open(&options, &store, &report, NULL), KIOSK_OK);
    assert_int_equal(report.schema_from, 0);
    assert_true(report.schema_to > 0);
    int schema = report.schema_to;
    assert_false(report.moved_aside);
    put_record(store, "k1", "kept", false);
    assert_int_equal(cache_integrity_check(store, NULL), KIOSK_OK);
    cache_close(store);
    assert_int_equal(cache_open(&options, &store, &report, NULL), KIOSK_OK);
    assert_int_equal(report.schema_from, schema);
    cache_outbox_stats stats;
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.records, 1);
    cache_close(store);
    /* WAL and durable commits, as promised. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *statement = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &statement, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(statement, 0), "wal");
    sqlite3_finalize(statement);
    sqlite3_close(db);
}

static void test_a_corrupt_database_is_moved_aside_not_overwritten(void **state)
{
    (void)state;
    const char *path = fresh_db("store-corrupt");
    seal_key key = test_key(1);
    cache_store *store = open_store(path, &key, NULL);
    for (int i = 0; i < 50; i++) {
        char k[16];
        snprintf(k, sizeof k, "k%d", i);
        put_record(store, k, "a record long enough to fill a few pages of the database file",
                   false);
    }
    assert_int_equal(cache_scrub(store), KIOSK_OK);
    cache_close(store);
    /* Scribble over the middle of the file, as a failing card would. */
    FILE *file = fopen(path, "r+b");
    assert_non_null(file);
    fseek(file, 4096, SEEK_SET);
    char junk[8192];
    memset(junk, 0x5A, sizeof junk);
    fwrite(junk, 1, sizeof junk, file);
    fclose(file);

    cache_options options = {.path = path, .key = &key};
    cache_open_report report;
    kiosk_diag diag = {{0}};
    assert_int_equal(cache_open(&options, &store, &report, &diag), KIOSK_OK);
    assert_true(report.moved_aside);
    assert_non_null(strstr(report.moved_to, "kiosk.db.corrupt-"));
    struct stat kept;
    assert_int_equal(stat(report.moved_to, &kept), 0);
    assert_true(kept.st_size > 4096);
    /* A fresh store works. */
    cache_outbox_stats stats;
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.records, 0);
    put_record(store, "after", "works", false);
    cache_close(store);
}

static void test_a_file_that_is_not_a_database_is_moved_aside(void **state)
{
    (void)state;
    const char *dir = test_make_temp_dir("store-notadb");
    const char *path = test_write_file(dir, "kiosk.db", "this is not a database, but a note.....");
    cache_options options = {.path = path};
    cache_store *store = NULL;
    cache_open_report report;
    assert_int_equal(cache_open(&options, &store, &report, NULL), KIOSK_OK);
    assert_true(report.moved_aside);
    cache_close(store);
}

static void test_a_newer_schema_is_never_downgraded(void **state)
{
    (void)state;
    const char *path = fresh_db("store-newer");
    cache_close(open_store(path, NULL, NULL));
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    cache_options options = {.path = path};
    cache_store *store = NULL;
    kiosk_diag diag = {{0}};
    assert_int_equal(cache_open(&options, &store, NULL, &diag), KIOSK_ERR_UNSUPPORTED);
    assert_non_null(strstr(diag.message, "schema version 99 is newer"));
}

static void test_a_store_that_cannot_be_created_says_where(void **state)
{
    (void)state;
    cache_options options = {.path = "/nonexistent-dir/kiosk.db"};
    cache_store *store = NULL;
    kiosk_diag diag = {{0}};
    assert_int_equal(cache_open(&options, &store, NULL, &diag), KIOSK_ERR_IO);
    assert_non_null(strstr(diag.message, "/nonexistent-dir/kiosk.db"));
}

static void test_settings_content_and_counters(void **state)
{
    (void)state;
    cache_store *store = open_store(fresh_db("store-kv"), NULL, NULL);
    char *value = NULL;
    size_t length = 0;
    assert_int_equal(cache_kv_get(store, "hall", &value, &length, NULL), KIOSK_ERR_NOT_FOUND);
    assert_int_equal(cache_kv_set(store, "hall", "市民中心", strlen("市民中心"), 1, NULL),
                     KIOSK_OK);
    assert_int_equal(cache_kv_set(store, "hall", "东区", strlen("东区"), 2, NULL), KIOSK_OK);
    assert_int_equal(cache_kv_get(store, "hall", &value, &length, NULL), KIOSK_OK);
    assert_string_equal(value, "东区");
    free(value);

    const char *catalog = "{\"services\":[]}";
    assert_int_equal(cache_content_put(store, "catalog", "\"v42\"", catalog, strlen(catalog),
                                       TEST_WALL_TIME, NULL),
                     KIOSK_OK);
    char etag[64];
    int64_t fetched = 0;
    assert_int_equal(
        cache_content_get(store, "catalog", &value, &length, etag, sizeof etag, &fetched, NULL),
        KIOSK_OK);
    assert_string_equal(value, catalog);
    assert_string_equal(etag, "\"v42\"");
    assert_int_equal(fetched, TEST_WALL_TIME);
    free(value);
    assert_int_equal(
        cache_content_get(store, "nothing", &value, &length, etag, sizeof etag, &fetched, NULL),
        KIOSK_ERR_NOT_FOUND);

    int64_t count = 0;
    assert_int_equal(cache_counter_add(store, "receipts", 1, &count, NULL), KIOSK_OK);
    assert_int_equal(cache_counter_add(store, "receipts", 2, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 3);
    cache_close(store);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_new_store_has_the_schema_and_survives_reopening),
        cmocka_unit_test(test_a_corrupt_database_is_moved_aside_not_overwritten),
        cmocka_unit_test(test_a_file_that_is_not_a_database_is_moved_aside),
        cmocka_unit_test(test_a_newer_schema_is_never_downgraded),
        cmocka_unit_test(test_a_store_that_cannot_be_created_says_where),
        cmocka_unit_test(test_settings_content_and_counters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
