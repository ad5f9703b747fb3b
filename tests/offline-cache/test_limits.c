/* When the disk fills: new work is refused with NO_SPACE (or IO), what was
 * queued stays intact and the database stays sound. And when allocations
 * fail one by one on the put, claim and ack paths: no crash, no leak, no
 * half-written record. */
#include "../support/test_support.h"
#include "offline-cache/cache_probes.h"

#include "cache_fixture.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_a_disk_nearly_full_refuses_new_work(void **state)
{
    (void)state;
    /* A margin larger than any disk: "nearly full" now. */
    cache_options options = {.min_free_bytes = INT64_MAX / 2};
    cache_store *store = open_store(fresh_db("limits-margin"), NULL, &options);
    cache_put put = {.kind = "submission",
                     .idempotency_key = "k",
                     .payload = (const uint8_t *)"x",
                     .payload_length = 1};
    int64_t id = 0;
    kiosk_diag diag = {{0}};
    assert_int_equal(cache_outbox_put(store, &put, NOW_MS, &id, &diag), KIOSK_ERR_NO_SPACE);
    assert_non_null(strstr(diag.message, "nearly full"));
    cache_close(store);
}

/* In a child whose files may not grow past a limit (RLIMIT_FSIZE, as a full
 * disk): put until refused. Exit status: 0 refused cleanly, 1 never refused,
 * 2 refused with an unexpected error. */
static int fill_until_refused(const char *path, int *puts)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        signal(SIGXFSZ, SIG_IGN); /* a write past the limit fails instead */
        seal_key key = test_key(3);
        cache_options options = {.path = path, .key = &key};
        cache_store *store = NULL;
        if (cache_open(&options, &store, NULL, NULL) != KIOSK_OK)
            _exit(3);
        struct stat now;
        stat(path, &now);
        struct rlimit limit = {.rlim_cur = (rlim_t)now.st_size + 1024 * 1024,
                               .rlim_max = RLIM_INFINITY};
        setrlimit(RLIMIT_FSIZE, &limit);
        char payload[4096];
        memset(payload, 'p', sizeof payload);
        for (int i = 0; i < 100000; i++) {
            char k[32];
            snprintf(k, sizeof k, "fill-%d", i);
            cache_put put = {.kind = "submission",
                             .idempotency_key = k,
                             .payload = (const uint8_t *)payload,
                             .payload_length = sizeof payload,
                             .personal = i % 2 == 0};
            int64_t id = 0;
            kiosk_error result = cache_outbox_put(store, &put, NOW_MS, &id, NULL);
            if (result != KIOSK_OK) {
                if (write(fds[1], &i, sizeof i) != sizeof i)
                    _exit(4);
                /* What was queued can still be read, and acknowledged. */
                cache_record records[1];
                size_t count = 0;
                if (cache_outbox_claim(store, NOW_MS, 1, records, &count, NULL) != KIOSK_OK ||
                    count != 1)
                    _exit(5);
                cache_records_free(records, count);
                _exit(result == KIOSK_ERR_NO_SPACE || result == KIOSK_ERR_IO ? 0 : 2);
            }
        }
        _exit(1);
    }
    close(fds[1]);
    *puts = -1;
    if (read(fds[0], puts, sizeof *puts) != sizeof *puts)
        *puts = -1;
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

static void test_a_full_disk_refuses_and_keeps_what_was_queued(void **state)
{
    (void)state;
    const char *path = fresh_db("limits-full");
    seal_key key = test_key(3);
    cache_store *store = open_store(path, &key, NULL);
    put_record(store, "before-1", "queued before the disk filled", true);
    put_record(store, "before-2", "queued before the disk filled too", false);
    cache_close(store);

    int puts = 0;
    assert_int_equal(fill_until_refused(path, &puts), 0);
    printf("the disk filled after %d puts of 4 KiB\n", puts);
    assert_true(puts > 10); /* it got somewhere before the disk was full */

    /* Room again (the limit was the child's): all there, and sound. */
    store = open_store(path, &key, NULL);
    kiosk_diag diag = {{0}};
    assert_int_equal(cache_integrity_check(store, &diag), KIOSK_OK);
    cache_outbox_stats stats;
    assert_int_equal(cache_outbox_stats_get(store, &stats, NULL), KIOSK_OK);
    assert_int_equal(stats.records, 2 + puts);
    assert_int_equal(stats.quarantined, 0);
    cache_record records[2];
    size_t count = 0;
    assert_int_equal(cache_outbox_claim(store, NOW_MS, 2, records, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 2);
    assert_memory_equal(records[0].payload, "queued before the disk filled", 29);
    cache_records_free(records, count);
    cache_close(store);
}

/* SQLite's allocator, failing the nth allocation from now on (0: never). */
static sqlite3_mem_methods real_memory;
static long allocations, fail_at;

static void *failing_malloc(int size)
{
    if (fail_at && ++allocations >= fail_at)
        return NULL;
    return real_memory.xMalloc(size);
}

static void *failing_realloc(void *old, int size)
{
    if (fail_at && ++allocations >= fail_at)
        return NULL;
    return real_memory.xRealloc(old, size);
}

/* While watching, a block freed that still holds the marker is noted. */
static const char wipe_marker[] = "PAYLOAD-THAT-MUST-BE-WIPED";
static bool watching, marker_freed;

static void watching_free(void *block)
{
    if (watching && block) {
        int size = real_memory.xSize(block);
        if (size > 0 && memmem(block, (size_t)size, wipe_marker, sizeof wipe_marker - 1))
            marker_freed = true;
    }
    real_memory.xFree(block);
}

static void fail_from(long n)
{
    allocations = 0;
    fail_at = n;
}

typedef kiosk_error (*operation)(cache_store *store, int attempt);

static kiosk_error do_put(cache_store *store, int attempt)
{
    char k[32];
    snprintf(k, sizeof k, "alloc-%d", attempt);
    cache_put put = {.kind = "submission",
                     .idempotency_key = k,
                     .payload = (const uint8_t *)"personal payload",
                     .payload_length = 16,
                     .personal = true};
    int64_t id = 0;
    return cache_outbox_put(store, &put, NOW_MS, &id, NULL);
}

static kiosk_error do_claim(cache_store *store, int attempt)
{
    (void)attempt;
    cache_record records[8];
    size_t count = 0;
    kiosk_error result = cache_outbox_claim(store, NOW_MS, 8, records, &count, NULL);
    if (result == KIOSK_OK && count == 0)
        result = KIOSK_ERR_INTERNAL;
    /* What is claimed is whole: never a record without its payload. */
    for (size_t i = 0; i < count; i++)
        if (!records[i].payload || records[i].payload_length == 0)
            result = KIOSK_ERR_INTERNAL;
    cache_records_free(records, count);
    return result;
}

static kiosk_error do_ack(cache_store *store, int attempt)
{
    (void)attempt;
    cache_record records[1];
    size_t count = 0;
    fail_from(0);
    kiosk_error result = cache_outbox_claim(store, NOW_MS, 1, records, &count, NULL);
    int64_t id = count ? records[0].id : -1;
    cache_records_free(records, count);
    if (result != KIOSK_OK || !count)
        return KIOSK_ERR_INTERNAL;
    fail_from(attempt);
    return cache_outbox_ack(store, &id, 1, NULL);
}

static void test_allocation_failures_leave_no_half_record(void **state)
{
    (void)state;
    seal_key key = test_key(8);
    cache_store *store = open_store(fresh_db("limits-alloc"), &key, NULL);
    for (int i = 0; i < 20; i++) {
        char k[32];
        snprintf(k, sizeof k, "seed-%d", i);
        put_record(store, k, "seed", true);
    }
    operation operations[] = {do_put, do_claim, do_ack};
    const char *names[] = {"put", "claim", "ack"};
    for (size_t o = 0; o < 3; o++) {
        int failures = 0;
        for (int n = 1; n < 2000; n++) {
            cache_outbox_stats before, after;
            fail_from(0);
            assert_int_equal(cache_outbox_stats_get(store, &before, NULL), KIOSK_OK);
            fail_from(n);
            kiosk_error result = operations[o](store, n);
            fail_from(0);
            assert_int_equal(cache_outbox_stats_get(store, &after, NULL), KIOSK_OK);
            assert_int_equal(after.quarantined, 0);
            if (result == KIOSK_OK) {
                printf("%s: succeeded once allocation %d was allowed (%d failures before)\n",
                       names[o], n, failures);
                break;
            }
            failures++;
            assert_int_not_equal(result, KIOSK_ERR_INTERNAL);
            /* Said as what it is: memory, not a broken disk. */
            if (result != KIOSK_ERR_NO_MEMORY)
                fail_msg("%s with allocation %d failing: %s", names[o], n,
                         kiosk_error_name(result));
            /* A failed put or ack changed nothing. */
            assert_int_equal(after.records, before.records);
        }
        assert_true(failures > 0);
    }
    /* Figures that could not be read are zeros, not leftovers. */
    int stats_failures = 0;
    for (int n = 1; n < 200; n++) {
        cache_outbox_stats stats;
        memset(&stats, 0x5a, sizeof stats);
        fail_from(n);
        kiosk_error result = cache_outbox_stats_get(store, &stats, NULL);
        fail_from(0);
        if (result == KIOSK_OK)
            break;
        stats_failures++;
        assert_int_equal(stats.records, 0);
        assert_int_equal(stats.bytes, 0);
        assert_int_equal(stats.quarantined, 0);
        assert_int_equal(stats.oldest_created_at, 0);
    }
    assert_true(stats_failures > 0);
    kiosk_diag diag = {{0}};
    assert_int_equal(cache_integrity_check(store, &diag), KIOSK_OK);
    cache_close(store);
}

/* A claimed payload is wiped before its memory goes back to the
 * allocator, sealed or not: freed memory is where the next caller looks. */
static void test_claimed_payloads_are_wiped_when_freed(void **state)
{
    (void)state;
    seal_key key = test_key(4);
    cache_store *store = open_store(fresh_db("limits-wipe"), &key, NULL);
    put_record(store, "sealed", wipe_marker, true);
    put_record(store, "plain", wipe_marker, false);
    cache_record records[2];
    size_t count = 0;
    assert_int_equal(cache_outbox_claim(store, NOW_MS, 2, records, &count, NULL), KIOSK_OK);
    assert_int_equal(count, 2);
    assert_memory_equal(records[0].payload, wipe_marker, sizeof wipe_marker - 1);
    marker_freed = false;
    watching = true;
    cache_records_free(records, count);
    watching = false;
    assert_false(marker_freed);
    assert_null(records[0].payload);
    cache_close(store);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    /* Before SQLite starts: route its allocations through the failing one. */
    sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_memory);
    sqlite3_mem_methods failing = real_memory;
    failing.xMalloc = failing_malloc;
    failing.xRealloc = failing_realloc;
    failing.xFree = watching_free;
    sqlite3_config(SQLITE_CONFIG_MALLOC, &failing);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_disk_nearly_full_refuses_new_work),
        cmocka_unit_test(test_a_full_disk_refuses_and_keeps_what_was_queued),
        cmocka_unit_test(test_allocation_failures_leave_no_half_record),
        cmocka_unit_test(test_claimed_payloads_are_wiped_when_freed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
