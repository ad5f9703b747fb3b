/* The real kiosk under a service manager's eye: the manager's socket is
 * one the test binds, as systemd binds its own. READY=1 comes once the
 * first frame is up; WATCHDOG=1 comes while the main loop turns, stops
 * while it is stuck (the manager would restart the kiosk), and comes back
 * when it turns again; STOPPING=1 at a clean stop. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
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

static void test_the_watchdog_is_fed_only_while_the_main_loop_turns(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    /* A socket path is short: under the temp root, not a test's deep dir. */
    char path[100];
    snprintf(path, sizeof path, "/tmp/kiosk-watchdog-%d.sock", (int)getpid());
    unlink(path);
    int manager = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    snprintf(address.sun_path, sizeof address.sun_path, "%s", path);
    assert_int_equal(bind(manager, (struct sockaddr *)&address, sizeof address), 0);
    /* A 2 s WatchdogSec: fed every second. */
    setenv("NOTIFY_SOCKET", path, 1);
    setenv("WATCHDOG_USEC", "2000000", 1);
    kiosk_proc k;
    kiosk_launch(&p, &k);
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_watchdog_is_fed_only_while_the_main_loop_turns),
        cmocka_unit_test(test_without_a_manager_the_kiosk_starts_as_before),
        cmocka_unit_test(test_the_fallback_says_out_of_service_and_starts_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
