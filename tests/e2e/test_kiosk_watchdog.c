/* The real kiosk under a service manager's eye: the manager's socket is
 * one the test binds, as systemd binds its own. READY=1 comes once the
 * first frame is up; WATCHDOG=1 comes while the main loop and every device
 * worker turn, stops while either is stuck (the manager would restart the
 * kiosk), and comes back when it turns again; STOPPING=1 at a clean stop.
 * Past the board's memory ceiling the kiosk restarts itself (exit 75) at
 * rest, never in a citizen's session. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* The next datagram within ms, into text; false when none came. */
static bool next_message(int fd, int ms, char *text, size_t size)
{
    struct pollfd ready = {.fd = fd, .events = POLLIN};
    if (poll(&ready, 1, ms) != 1)
        return false;
    ssize_t got = recv(fd, text, size - 1, 0);
    text[got > 0 ? got : 0] = '\0';
    return got > 0;
}

/* The times of the WATCHDOG=1 pings that come within ms. */
static int pings_within(int fd, int ms, long long *at, int most)
{
    int count = 0;
    long long end = now_ms() + ms;
    char text[256];
    for (long long left = ms; left > 0; left = end - now_ms()) {
        if (!next_message(fd, (int)left, text, sizeof text))
            break;
        if (strcmp(text, "WATCHDOG=1") == 0 && count < most)
            at[count++] = now_ms();
    }
    return count;
}

/* The manager's socket, bound at a new path (short: under the temp root,
 * not a test's deep dir). */
static int bind_manager(char *path, size_t size)
{
    /* Each test its own: a kiosk a failed test left behind does not
     * speak to the next one's manager. */
    static int managers;
    snprintf(path, size, "/tmp/kiosk-watchdog-%d-%d.sock", (int)getpid(), ++managers);
    unlink(path);
    int manager = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    snprintf(address.sun_path, sizeof address.sun_path, "%s", path);
    assert_int_equal(bind(manager, (struct sockaddr *)&address, sizeof address), 0);
    return manager;
}

/* The kiosk on a fresh board under the manager at path, with a 2 s
 * WatchdogSec (fed every second), its log into log_path. */
static void launch_watched(const platform *p, kiosk_proc *k, const char *path, char *log_path,
                           size_t size)
{
    snprintf(log_path, size, "%s/kiosk.log", test_make_temp_dir("watchdog"));
    setenv("NOTIFY_SOCKET", path, 1);
    setenv("WATCHDOG_USEC", "2000000", 1);
    kiosk_board(p, k);
    kiosk_start_logged(k, log_path);
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
}

/* How many times what occurs in the file at path. */
static int occurrences(const char *path, const char *what)
{
    int count = 0;
    for (const char *at = strstr(test_read_file(path), what); at; at = strstr(at + 1, what))
        count++;
    return count;
}

static void test_the_watchdog_is_fed_only_while_the_main_loop_turns(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    char path[100], log_path[1200];
    int manager = bind_manager(path, sizeof path);
    kiosk_proc k;
    launch_watched(&p, &k, path, log_path, sizeof log_path);

    char text[256];
    assert_true(next_message(manager, 15000, text, sizeof text));
    assert_non_null(strstr(text, "READY=1"));
    assert_non_null(strstr(text, "STATUS=serving"));
    kiosk_expect(&k, "wait attract 8000", "ok attract");

    /* Idle on the attract screen, the loop still turns for the watchdog:
     * about one ping a second, never a gap the manager would count as a
     * hang. */
    long long at[32];
    int pings = pings_within(manager, 3500, at, 32);
    printf("  %d pings in 3.5 s while idle\n", pings);
    assert_true(pings >= 2);
    for (int i = 1; i < pings; i++)
        assert_true(at[i] - at[i - 1] < 2000);

    /* The main loop stuck in a handler for 4 s: no ping all that time,
     * which the manager would answer with a restart. */
    kiosk_proc *kp = &k;
    char line[] = "hang 4000\n";
    long long asked = now_ms();
    assert_int_equal(write(kp->socket, line, strlen(line)), (ssize_t)strlen(line));
    /* What was already on its way may still land in the first moment. */
    pings_within(manager, 300, at, 32);
    int during = pings_within(manager, 3000, at, 32);
    printf("  %d pings while the loop was stuck\n", during);
    assert_int_equal(during, 0);
    /* Its reply comes when the loop turns again; the pings come back. */
    char reply[64] = "";
    struct pollfd answered = {.fd = kp->socket, .events = POLLIN};
    assert_int_equal(poll(&answered, 1, 10000), 1);
    ssize_t got = read(kp->socket, reply, sizeof reply - 1);
    assert_true(got > 0);
    reply[got] = '\0';
    assert_non_null(strstr(reply, "ok attract"));
    assert_true(now_ms() - asked >= 4000);
    assert_true(pings_within(manager, 2500, at, 32) >= 2);

    /* The main loop turns, but the ID card reader's worker is stuck behind
     * a reader that stopped answering (a transfer that ignores its
     * time-out) for 5 s. Within the ping interval of its turn beginning
     * (its next poll, within 0.3 s) the pings stop, and the manager would
     * restart the kiosk. */
    asked = now_ms();
    kiosk_expect(&k, "hang-device id-reader 5000", "ok attract");
    pings_within(manager, 2000, at, 32);
    during = pings_within(manager, 2500, at, 32);
    printf("  %d pings while the reader's worker was stuck\n", during);
    assert_int_equal(during, 0);
    /* The screen still answers: only the worker is stuck. */
    kiosk_expect(&k, "screen", "ok attract");
    /* The reader answers again: its worker turns, and the pings come back
     * at once and keep their pace. */
    int after = pings_within(manager, 3000, at, 32);
    printf("  %d pings in 3 s once it turned again\n", after);
    assert_true(after >= 2);
    assert_true(at[0] - asked >= 5000);
    for (int i = 1; i < after; i++)
        assert_true(at[i] - at[i - 1] < 2000);
    /* The journal says which worker held the pings back, once. */
    assert_int_equal(occurrences(log_path, "the watchdog is not fed: the id-reader worker"), 1);
    assert_int_equal(occurrences(log_path, "the id-reader worker turns again"), 1);

    /* A clean stop says so. */
    kiosk_stop(&k, false);
    bool stopping = false;
    while (!stopping && next_message(manager, 2000, text, sizeof text))
        stopping = strstr(text, "STOPPING=1") != NULL;
    assert_true(stopping);
    close(manager);
    unlink(path);
    stop_platform(&p);
}

/* Without a service manager the kiosk neither waits for one nor wakes for
 * one: the same start, and no socket is looked for. */
static void test_without_a_manager_the_kiosk_starts_as_before(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    kiosk_proc k;
    kiosk_launch(&p, &k);
    kiosk_expect(&k, "wait attract 8000", "ok attract");
    kiosk_expect(&k, "hang 0", "error usage: hang MS (1 to 120000)");
    kiosk_expect(&k, "hang-device id-reader 0", "error usage: hang-device KIND MS (1 to 120000)");
    kiosk_expect(&k, "hang-device toaster 100", "error usage: hang-device KIND MS (1 to 120000)");
    /* The A4 printer is reached over IPP, not simulated in-process. */
    kiosk_expect(&k, "hang-device a4-printer 100", "error the board has no such simulated device");
    kiosk_expect(&k, "memory-limit -1", "error usage: memory-limit MB (0 to 65536)");
    /* Off the watchdog, idle and healthy: the reader's worker stuck for a
     * moment does not stop the kiosk. */
    kiosk_expect(&k, "hang-device id-reader 500", "ok attract");
    usleep(800 * 1000);
    kiosk_expect(&k, "screen", "ok attract");
    kiosk_stop(&k, false);
    stop_platform(&p);
}

/* What the supervisor starts when the kiosk keeps failing: out of
 * service, in words, and nothing a citizen does starts a service. */
static void test_the_fallback_says_out_of_service_and_starts_nothing(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    kiosk_board(&p, &k);
    kiosk_start_with(&k, "--start-screen paused");
    kiosk_expect(&k, "screen", "ok paused");
    kiosk_expect_shown(&k, "暂停服务");
    kiosk_expect_shown(&k, "请到人工窗口办理");
    /* A card laid, and a tap anywhere it offers, leave it as it is. */
    kiosk_ask(&k, "key 1");
    usleep(300 * 1000);
    kiosk_expect(&k, "screen", "ok paused");
    kiosk_stop(&k, false);
    stop_platform(&p);
}

/* The kiosk's exit status within ms (-1: still running, or killed by a
 * signal); its control socket is closed once it has gone. */
static int exit_status_within(kiosk_proc *k, int ms)
{
    int status = 0;
    for (int waited = 0; waited < ms; waited += 50) {
        if (waitpid(k->pid, &status, WNOHANG) == k->pid) {
            platform_remember_pid(k->pid, false);
            close(k->socket);
            unlink(k->socket_path);
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        usleep(50 * 1000);
    }
    return -1;
}

/* Resting on the attract screen past the board's memory ceiling: the
 * kiosk stops cleanly (STOPPING=1) with 75, which the unit always
 * restarts, and the journal says why, with the figures. */
static void test_past_the_memory_ceiling_at_rest_the_kiosk_restarts(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    char path[100], log_path[1200], text[256];
    int manager = bind_manager(path, sizeof path);
    kiosk_proc k;
    launch_watched(&p, &k, path, log_path, sizeof log_path);
    assert_true(next_message(manager, 15000, text, sizeof text));
    assert_non_null(strstr(text, "READY=1"));
    kiosk_expect(&k, "wait attract 8000", "ok attract");
    /* Within the ceiling nothing happens. */
    kiosk_expect(&k, "memory-limit 65536", "ok attract");
    long long at[8];
    assert_true(pings_within(manager, 1500, at, 8) >= 1);
    kiosk_expect(&k, "screen", "ok attract");
    /* Below what it uses now: it goes at once. */
    kiosk_expect(&k, "memory-limit 1", "ok attract");
    assert_int_equal(exit_status_within(&k, 10000), 75);
    bool stopping = false;
    while (!stopping && next_message(manager, 2000, text, sizeof text))
        stopping = strstr(text, "STOPPING=1") != NULL;
    assert_true(stopping);
    assert_int_equal(occurrences(log_path, "resident, past the ceiling of 1 MB"), 1);
    close(manager);
    unlink(path);
    stop_platform(&p);
}

/* The ceiling as a board gives it (memory_limit_mb, at least 32 MB: less
 * than this build uses at the attract screen): the first rest restarts the
 * kiosk, and its first frame's log line puts the two figures side by side
 * for whoever set it. */
static void test_the_boards_own_ceiling_restarts_the_kiosk_at_rest(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    kiosk_board(&p, &k);
    char *text = strdup(test_read_file(k.board));
    const char *with = test_replace(text, "\"default_lang\": \"zh-CN\"",
                                    "\"default_lang\": \"zh-CN\", \"memory_limit_mb\": 32");
    free(text);
    FILE *board = fopen(k.board, "w");
    assert_non_null(board);
    assert_true(fputs(with, board) >= 0);
    assert_int_equal(fclose(board), 0);
    char log_path[1200];
    snprintf(log_path, sizeof log_path, "%s/kiosk.log", test_make_temp_dir("watchdog"));
    kiosk_start_logged(&k, log_path);
    assert_int_equal(exit_status_within(&k, 20000), 75);
    assert_int_equal(occurrences(log_path, "at the first frame; the board's ceiling is 32 MB"), 1);
    assert_int_equal(occurrences(log_path, "resident, past the ceiling of 32 MB"), 1);
    stop_platform(&p);
}

/* A citizen's session that passes the ceiling is never cut short: the
 * kiosk serves it to its end, and restarts once the attract screen is
 * back. */
static void test_a_session_past_the_memory_ceiling_finishes_first(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    char path[100], log_path[1200];
    int manager = bind_manager(path, sizeof path);
    kiosk_proc k;
    launch_watched(&p, &k, path, log_path, sizeof log_path);
    kiosk_expect(&k, "wait attract 8000", "ok attract");
    citizen_opens(&k, "household-registration", "card");
    kiosk_expect(&k, "memory-limit 1", "ok card");
    /* The loop turns many times (pings, the citizen's taps, the clock),
     * and the citizen carries on. */
    long long at[8];
    assert_true(pings_within(manager, 1500, at, 8) >= 1);
    kiosk_expect(&k, "tap step.next", "ok identify");
    kiosk_expect(&k, "tap keypad.4", "ok identify");
    assert_int_equal(exit_status_within(&k, 500), -1);
    kiosk_expect(&k, "screen", "ok identify");
    assert_int_equal(occurrences(log_path, "past the ceiling"), 0);
    /* The citizen leaves; the session times out and ends: now it goes. */
    kiosk_expect(&k, "advance 60000", "ok timeout");
    kiosk_expect(&k, "advance 30000", "ok attract");
    assert_int_equal(exit_status_within(&k, 10000), 75);
    assert_int_equal(occurrences(log_path, "resident, past the ceiling of 1 MB"), 1);
    close(manager);
    unlink(path);
    stop_platform(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_watchdog_is_fed_only_while_the_main_loop_turns),
        cmocka_unit_test(test_without_a_manager_the_kiosk_starts_as_before),
        cmocka_unit_test(test_the_fallback_says_out_of_service_and_starts_nothing),
        cmocka_unit_test(test_past_the_memory_ceiling_at_rest_the_kiosk_restarts),
        cmocka_unit_test(test_a_session_past_the_memory_ceiling_finishes_first),
        cmocka_unit_test(test_the_boards_own_ceiling_restarts_the_kiosk_at_rest),
    };
    return PLATFORM_RUN_TESTS(tests);
}
