/* The sync client against the platform stand-in over real HTTPS with mutual
 * TLS, through the real offline store: for each fault the stand-in can
 * inject, the records stay queued while it lasts and are delivered exactly
 * once after it clears — the stand-in's count is the judge. TLS refusals
 * deliver nothing; kill -9 mid-drain and a real link cut lose nothing and
 * duplicate nothing. Prints the fault matrix. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include "firmware/platform/sync.h"
#include "offline-cache/outbox.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void run_fault_matrix(const char *mode)
{
    const char *faults[] = {
        "refuse",         "hang",         "reset-after-commit", "500",      "503", "429", "trickle",
        "truncated-json", "invalid-json", "captive-portal",     "huge-body"};
    platform p;
    start_platform(&p, NULL);
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-faults"));
    sync_client *client = client_for(&p, db, "client", NULL);
    printf("%s\n%-20s %5s %8s %10s %5s\n", mode, "fault", "sent", "received", "duplicates", "lost");
    int64_t now = NOW_MS;
    for (size_t f = 0; f < sizeof faults / sizeof faults[0]; f++) {
        long stored_before = stat_of(&p, "stored");
        put_records(db, faults[f], RECORDS_PER_FAULT);
        set_fault(&p, faults[f]);
        int64_t delivered = 0;
        assert_int_equal(sync_drain(client, now, &delivered), KIOSK_OK);
        sync_progress during = sync_progress_get(client);
        /* While it lasts, nothing is acknowledged (a reset after commit
         * may have stored one, but the terminal does not know it). */
        assert_int_equal(delivered, 0);
        assert_int_equal(during.queued, RECORDS_PER_FAULT);
        assert_true(during.link == SYNC_LINK_OFFLINE || during.link == SYNC_LINK_DEGRADED);
        set_fault(&p, "none");
        now += 60 * 1000; /* past any back-off */
        assert_int_equal(sync_drain(client, now, &delivered), KIOSK_OK);
        sync_progress after = sync_progress_get(client);
        long stored = stat_of(&p, "stored") - stored_before;
        printf("%-20s %5d %8ld %10ld %5ld\n", faults[f], RECORDS_PER_FAULT, stored,
               stored > RECORDS_PER_FAULT ? stored - RECORDS_PER_FAULT : 0,
               stored < RECORDS_PER_FAULT ? RECORDS_PER_FAULT - stored : 0);
        assert_int_equal(delivered, RECORDS_PER_FAULT);
        assert_int_equal(after.queued, 0);
        assert_int_equal(after.link, SYNC_LINK_ONLINE);
        assert_int_equal(stored, RECORDS_PER_FAULT); /* exactly once */
    }
    sync_destroy(client);
    stop_platform(&p);
}

static void test_every_fault_delivers_exactly_once_after_it_clears(void **state)
{
    (void)state;
    batch_items = 1;
    run_fault_matrix("one record a request");
    batch_items = 0;
    run_fault_matrix("batched (POST /v1/batch)");
}

/* A platform the terminal must not trust, or a terminal the platform must
 * not: nothing is delivered, nothing is lost. */
static void expect_nothing_delivered(const char *server_cert, const char *client_cert,
                                     const char *pin, const char *label)
{
    platform p;
    start_platform(&p, server_cert);
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-tls"));
    put_records(db, label, 2);
    sync_client *client = client_for(&p, db, client_cert, pin);
    int64_t delivered = 0;
    assert_int_equal(sync_drain(client, NOW_MS, &delivered), KIOSK_OK);
    sync_progress progress = sync_progress_get(client);
    printf("%-20s delivered %lld, queued %lld, link %s: %s\n", label, (long long)delivered,
           (long long)progress.queued, sync_link_name(progress.link), progress.last_error);
    assert_int_equal(delivered, 0);
    assert_int_equal(progress.queued, 2);
    assert_true(progress.link == SYNC_LINK_OFFLINE || progress.link == SYNC_LINK_REFUSED);
    sync_destroy(client);
    /* The platform holds nothing from the refused exchanges (asked over a
     * trusted connection: a good stand-in on the same state). */
    stop_platform(&p);
}

static void test_tls_refusals_deliver_nothing(void **state)
{
    (void)state;
    expect_nothing_delivered("expired", "client", NULL, "expired");
    expect_nothing_delivered("wrong-host", "client", NULL, "wrong-host");
    expect_nothing_delivered("unknown-ca", "client", NULL, "unknown-ca");
    expect_nothing_delivered(NULL, "client-unknown-ca", NULL, "client-unknown-ca");
    expect_nothing_delivered(NULL, "client",
                             "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "wrong-pin");
}

static void test_the_right_pin_is_accepted(void **state)
{
    (void)state;
    make_certs();
    char pin_path[1100];
    cert_path(pin_path, sizeof pin_path, "server.pin");
    const char *pin_text = test_read_file(pin_path);
    assert_non_null(pin_text);
    char pin[128];
    snprintf(pin, sizeof pin, "%s", pin_text);
    pin[strcspn(pin, "\r\n")] = '\0';
    platform p;
    start_platform(&p, NULL);
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-pin"));
    put_records(db, "pinned", 3);
    sync_client *client = client_for(&p, db, "client", pin);
    int64_t delivered = 0;
    assert_int_equal(sync_drain(client, NOW_MS, &delivered), KIOSK_OK);
    assert_int_equal(delivered, 3);
    assert_int_equal(stat_of(&p, "stored"), 3);
    sync_destroy(client);
    stop_platform(&p);
}

/* The kiosk killed (SIGKILL) in the middle of draining, 50 times, then
 * restarted: every record reaches the platform exactly once. */
static void test_kill_nine_mid_drain_delivers_exactly_once(void **state)
{
    (void)state;
    enum { RECORDS = 3000, KILLS = 50 };
    platform p;
    start_platform(&p, NULL);
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-kill"));
    put_records(db, "kill", RECORDS);
    srand(20261122);
    int killed_busy = 0;
    for (int round = 0; round < KILLS; round++) {
        int ready[2];
        assert_int_equal(pipe(ready), 0);
        pid_t child = fork();
        assert_true(child >= 0);
        if (child == 0) {
            close(ready[0]);
            sync_client *client = client_for(&p, db, "client", NULL);
            if (write(ready[1], "r", 1) != 1)
                _exit(3);
            for (;;) {
                int64_t delivered = 0;
                if (sync_drain(client, NOW_MS, &delivered) != KIOSK_OK)
                    _exit(2);
            }
        }
        /* Once it has opened the store and the connection is being made: the
         * kill lands in a handshake, a request, or an acknowledgement. */
        close(ready[1]);
        char byte;
        assert_int_equal(read(ready[0], &byte, 1), 1);
        close(ready[0]);
        struct timespec pause = {0, (long)(rand() % 250) * 1000000L};
        nanosleep(&pause, NULL);
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        killed_busy += WIFSIGNALED(status);
    }
    long stored_before_last = stat_of(&p, "stored");
    sync_client *client = client_for(&p, db, "client", NULL);
    int64_t queued_before_last = sync_progress_get(client).queued;
    int64_t delivered = 0;
    assert_int_equal(sync_drain(client, NOW_MS, &delivered), KIOSK_OK);
    sync_progress progress = sync_progress_get(client);
    long stored = stat_of(&p, "stored");
    printf("kill -9 mid-drain: %d kills; before the last pass %ld stored and %lld still "
           "queued; %lld acknowledged in it; %ld stored in all, %ld replays answered\n",
           killed_busy, stored_before_last, (long long)queued_before_last, (long long)delivered,
           stored, stat_of(&p, "duplicates"));
    assert_int_equal(killed_busy, KILLS);
    /* The kills landed while it worked: some were acknowledged before. */
    assert_true(queued_before_last < RECORDS);
    assert_int_equal(progress.queued, 0);
    assert_int_equal(stored, RECORDS); /* none lost, none twice */
    sync_destroy(client);
    stop_platform(&p);
}

static int sh(const char *command)
{
    int status = system(command);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The link cut for real: the stand-in and the client in a network namespace
 * of their own, where nftables drops (a hang) or resets (a refusal) the
 * platform's port while the terminal keeps accepting submissions. */
static void test_the_link_cut_for_real(void **state)
{
    (void)state;
    if (geteuid() != 0) {
        printf("skipped: making a network namespace needs root; as root, run "
               "build/asan/tests/e2e/test_sync_faults\n");
        skip();
    }
    char name[64], command[512];
    snprintf(name, sizeof name, "kiosk-test-%d", (int)getpid());
    snprintf(command, sizeof command,
             "ip netns add %s 2>/dev/null && ip netns exec %s ip link set lo up && "
             "ip netns exec %s nft list tables >/dev/null 2>&1",
             name, name, name);
    if (sh(command) != 0) {
        /* A container or chroot may refuse namespaces or nftables even to
         * root: that is this machine's limit, not the terminal's fault. */
        snprintf(command, sizeof command, "ip netns del %s 2>/dev/null", name);
        (void)sh(command);
        printf("skipped: this machine cannot make a network namespace with nftables "
               "(ip netns add / nft failed); the link-cut test needs one\n");
        skip();
    }
    int home = open("/proc/self/ns/net", O_RDONLY);
    char path[128];
    snprintf(path, sizeof path, "/run/netns/%s", name);
    int inside = open(path, O_RDONLY);
    assert_true(home >= 0 && inside >= 0);
    assert_int_equal(setns(inside, CLONE_NEWNET), 0);

    platform p;
    start_platform(&p, NULL); /* in the namespace: it inherits it */
    char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir("sync-cut"));
    sync_client *client = client_for(&p, db, "client", NULL);
    const char *cuts[] = {"drop", "reject with tcp reset"};
    int64_t now = NOW_MS;
    long expected = 0;
    for (size_t c = 0; c < 2; c++) {
        snprintf(command, sizeof command,
                 "nft add table inet kiosk_cut && nft add chain inet kiosk_cut out "
                 "'{ type filter hook output priority 0; }' && "
                 "nft add rule inet kiosk_cut out tcp dport %d %s",
                 p.port, cuts[c]);
        assert_int_equal(sh(command), 0);
        /* Cut: the terminal keeps taking submissions; nothing is sent. */
        put_records(db, c == 0 ? "cut-drop" : "cut-reset", 4);
        expected += 4;
        int64_t delivered = 0;
        assert_int_equal(sync_drain(client, now, &delivered), KIOSK_OK);
        sync_progress during = sync_progress_get(client);
        printf("link cut (%s): delivered %lld, queued %lld, link %s: %s\n", cuts[c],
               (long long)delivered, (long long)during.queued, sync_link_name(during.link),
               during.last_error);
        assert_int_equal(delivered, 0);
        assert_int_equal(during.queued, 4);
        assert_int_equal(during.link, SYNC_LINK_OFFLINE);
        /* Back: delivered, exactly once. */
        assert_int_equal(sh("nft delete table inet kiosk_cut"), 0);
        now += 60 * 1000;
        assert_int_equal(sync_drain(client, now, &delivered), KIOSK_OK);
        assert_int_equal(delivered, 4);
        assert_int_equal(stat_of(&p, "stored"), expected);
    }
    sync_destroy(client);
    stop_platform(&p);
    assert_int_equal(setns(home, CLONE_NEWNET), 0);
    close(home);
    close(inside);
    snprintf(command, sizeof command, "ip netns del %s", name);
    assert_int_equal(sh(command), 0);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_fault_delivers_exactly_once_after_it_clears),
        cmocka_unit_test(test_tls_refusals_deliver_nothing),
        cmocka_unit_test(test_the_right_pin_is_accepted),
        cmocka_unit_test(test_kill_nine_mid_drain_delivers_exactly_once),
        cmocka_unit_test(test_the_link_cut_for_real),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    platform_stop_leftovers();
    curl_global_cleanup();
    return failed;
}
