/* The real kiosk binary killed around a citizen's submit tap — before it,
 * while the submission is being kept, just after — over and over, with the
 * link up and with it refused, restarted each time, then left to drain.
 * What the platform stand-in stored is then held against what the kiosk
 * kept: nothing lost, nothing stored twice, no receipt number given to two
 * submissions. Also: a store that cannot open at start is shown to staff
 * and, once it opens, delivers; and the queue count is right while the link
 * has been down since start. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KILLS 30

/* The kiosk's data directory, from its board file's folder. */
static void data_dir_of(const kiosk_proc *k, char *out, size_t size)
{
    snprintf(out, size, "%s", k->board);
    char *slash = strrchr(out, '/');
    if (slash)
        *slash = '\0';
}

static long long one_number(const char *db, const char *query)
{
    sqlite3 *handle = NULL;
    sqlite3_stmt *statement = NULL;
    long long value = -1;
    if (sqlite3_open_v2(db, &handle, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(handle, query, -1, &statement, NULL) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW)
        value = sqlite3_column_int64(statement, 0);
    else
        fail_msg("%s: %s: %s", db, query, sqlite3_errmsg(handle));
    sqlite3_finalize(statement);
    sqlite3_close(handle);
    return value;
}

static void test_kills_around_the_submit_tap_lose_nothing_and_repeat_nothing(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    kiosk_launch(&p, &k);
    int answered = 0, before = 0;
    for (int i = 0; i < KILLS; i++) {
        /* Every third with the link refused: the record waits on the disk. */
        set_fault(&p, i % 3 == 2 ? "refuse" : "none");
        kiosk_expect(&k, "wait attract 8000", "ok attract");
        citizen_reaches_confirm(&k, "1");
        /* The tap goes out unanswered; the kill follows after 0–15 ms
         * (mostly before or while the record is kept) or 0–60 ms (while it
         * is kept or sent), or after the answer (kept, perhaps on its
         * way). */
        int delay_us = i % 2 ? (i * 7919) % 60000 : (i * 1531) % 15000;
        if (i % 6 == 0) {
            before++;
            usleep((useconds_t)delay_us); /* before the tap: nothing to keep */
        } else if (i % 4 == 3) {
            kiosk_ask(&k, "tap step.next");
            answered++;
            usleep((useconds_t)(delay_us / 4));
        } else {
            const char *tap = "tap step.next\n";
            assert_int_equal(write(k.socket, tap, strlen(tap)), (ssize_t)strlen(tap));
            usleep((useconds_t)delay_us);
        }
        kiosk_stop(&k, true);
        kiosk_start(&k);
    }
    set_fault(&p, "none");

    /* Drain: what the kiosk kept (its receipts) all reaches the platform. */
    char dir[1100], db[1200];
    data_dir_of(&k, dir, sizeof dir);
    snprintf(db, sizeof db, "%s/kiosk.db", dir);
    kiosk_expect(&k, "wait attract 8000", "ok attract");
    long long kept = 0;
    bool drained = false;
    for (int i = 0; i < 200 && !drained; i++) {
        kept = one_number(db, "SELECT count(*) FROM kv WHERE key GLOB 'receipt:*'");
        drained = kept > 0 && stat_of(&p, "stored") >= kept &&
                  one_number(db, "SELECT count(*) FROM outbox") == 0;
        if (!drained)
            usleep(100 * 1000);
    }
    kiosk_stop(&k, false);

    long stored = stat_of(&p, "stored");
    long long platform_rows = one_number(p.state, "SELECT count(*) FROM submissions");
    long long distinct_numbers =
        one_number(p.state, "SELECT count(DISTINCT local_reference) FROM submissions");
    /* A kept receipt the platform does not have is lost. */
    char attach[1400];
    snprintf(attach, sizeof attach,
             "SELECT count(*) FROM kv WHERE key GLOB 'receipt:*' AND substr(key, 9) NOT IN"
             " (SELECT local_reference FROM platform.submissions)");
    sqlite3 *handle = NULL;
    assert_int_equal(sqlite3_open_v2(db, &handle, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    char sql[1400];
    snprintf(sql, sizeof sql, "ATTACH DATABASE 'file:%s?mode=ro' AS platform", p.state);
    assert_int_equal(sqlite3_exec(handle, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *statement = NULL;
    assert_int_equal(sqlite3_prepare_v2(handle, attach, -1, &statement, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    long long lost = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    sqlite3_close(handle);
    long long duplicated = platform_rows - distinct_numbers;
    long long phantom = platform_rows - kept;
    printf("kiosk crash: %d kills (%d before the tap, %d after it was answered), %lld kept, %ld "
           "stored, "
           "%lld platform rows, %lld lost, %lld duplicated, %lld receipt numbers reused, "
           "%lld stored but not kept\n",
           KILLS, before, answered, kept, stored, platform_rows, lost, duplicated, duplicated,
           phantom);
    assert_true(kept >= answered && kept <= KILLS - before);
    assert_int_equal(lost, 0);
    assert_int_equal(duplicated, 0);
    assert_int_equal(phantom, 0);
    assert_int_equal(platform_rows, stored);
    stop_platform(&p);
}

/* A store that cannot be opened at start (a directory where its file
 * belongs) is what staff read, not "connecting"; put right, it opens
 * without a restart, the sync thread starts and the link comes up. */
static void test_a_store_that_cannot_open_at_start_is_shown_and_opens_later(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    kiosk_board(&p, &k);
    char dir[1100], db[1200];
    data_dir_of(&k, dir, sizeof dir);
    snprintf(db, sizeof db, "%s/kiosk.db", dir);
    assert_int_equal(mkdir(db, 0700), 0);
    kiosk_start(&k);
    kiosk_expect(&k, "wait attract 8000", "ok attract");
    assert_true(kiosk_shows(&k, "本机存储无法打开", 40));
    assert_null(strstr(kiosk_ask(&k, "tree"), "正在连接平台"));
    assert_int_equal(rmdir(db), 0);
    assert_true(kiosk_shows(&k, "平台已连接 · 待上传 0 条", 200));
    kiosk_stop(&k, false);
    stop_platform(&p);
}

/* Down since start: staff still read how many records wait. */
static void test_the_queue_count_is_right_while_the_link_is_down_from_start(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    set_fault(&p, "refuse");
    kiosk_proc k;
    kiosk_launch(&p, &k);
    kiosk_expect(&k, "wait attract 8000", "ok attract");
    citizen_reaches_confirm(&k, "1");
    citizen_taps_submit(&k);
    kiosk_stop(&k, true);
    kiosk_start(&k);
    kiosk_expect(&k, "wait attract 8000", "ok attract");
    usleep(1500 * 1000); /* a probe or two, all refused */
    const char *tree = kiosk_ask(&k, "tree");
    if (!strstr(tree, "待上传 1 条"))
        fail_msg("staff's line does not count the waiting record: %s", tree);
    set_fault(&p, "none");
    assert_true(stored_reaches(&p, 1, 10));
    kiosk_stop(&k, false);
    stop_platform(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kills_around_the_submit_tap_lose_nothing_and_repeat_nothing),
        cmocka_unit_test(test_a_store_that_cannot_open_at_start_is_shown_and_opens_later),
        cmocka_unit_test(test_the_queue_count_is_right_while_the_link_is_down_from_start),
    };
    return PLATFORM_RUN_TESTS(tests);
}
