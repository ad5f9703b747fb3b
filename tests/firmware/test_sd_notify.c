/* Telling the service manager: the datagrams a real AF_UNIX socket
 * receives, as systemd's would, and what the environment may not make the
 * kiosk do. */
#include "../support/test_support.h"

#include "firmware/base/sd_notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* The manager's end: a datagram socket bound at path (or an abstract one
 * when path begins with '@'). */
static int manager_socket(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    size_t length = strlen(path);
    memcpy(address.sun_path, path, length);
    if (path[0] == '@')
        address.sun_path[0] = '\0';
    else
        unlink(path);
    assert_int_equal(bind(fd, (struct sockaddr *)&address,
                          (socklen_t)(offsetof(struct sockaddr_un, sun_path) + length)),
                     0);
    return fd;
}

static const char *received(int fd)
{
    static char text[256];
    ssize_t got = recv(fd, text, sizeof text - 1, MSG_DONTWAIT);
    text[got > 0 ? got : 0] = '\0';
    return text;
}

static void clear_environment(void)
{
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
}

static void test_ready_and_the_watchdog_reach_the_managers_socket(void **state)
{
    (void)state;
    clear_environment();
    char path[200];
    snprintf(path, sizeof path, "%s/notify", test_make_temp_dir("sd-notify"));
    int manager = manager_socket(path);
    setenv("NOTIFY_SOCKET", path, 1);
    setenv("WATCHDOG_USEC", "30000000", 1);
    sd_notifier n;
    assert_true(sd_notifier_open(&n));
    assert_int_equal(n.watchdog_ms, 15000); /* half the manager's 30 s */
    assert_true(sd_notifier_send(&n, "READY=1\nSTATUS=serving"));
    assert_string_equal(received(manager), "READY=1\nSTATUS=serving");
    assert_true(sd_notifier_send(&n, "WATCHDOG=1"));
    assert_string_equal(received(manager), "WATCHDOG=1");
    sd_notifier_close(&n);
    assert_false(sd_notifier_send(&n, "WATCHDOG=1"));
    close(manager);
    clear_environment();
}

static void test_an_abstract_socket_is_reached_too(void **state)
{
    (void)state;
    clear_environment();
    char name[64];
    snprintf(name, sizeof name, "@kiosk-test-notify-%d", (int)getpid());
    int manager = manager_socket(name);
    setenv("NOTIFY_SOCKET", name, 1);
    sd_notifier n;
    assert_true(sd_notifier_open(&n));
    assert_int_equal(n.watchdog_ms, -1); /* no WatchdogSec: nothing to feed */
    assert_true(sd_notifier_send(&n, "READY=1"));
    assert_string_equal(received(manager), "READY=1");
    sd_notifier_close(&n);
    close(manager);
    clear_environment();
}

/* Off a service manager, and with an environment that names nothing
 * usable, nothing is sent and nothing fails. */
static void test_without_a_manager_nothing_is_sent(void **state)
{
    (void)state;
    clear_environment();
    sd_notifier n;
    assert_false(sd_notifier_open(&n));
    assert_false(sd_notifier_send(&n, "READY=1"));
    const char *unusable[] = {"", "relative/path", "x"};
    for (size_t i = 0; i < sizeof unusable / sizeof unusable[0]; i++) {
        setenv("NOTIFY_SOCKET", unusable[i], 1);
        assert_false(sd_notifier_open(&n));
        assert_int_equal(n.fd, -1);
    }
    char too_long[200];
    memset(too_long, 'a', sizeof too_long - 1);
    too_long[0] = '/';
    too_long[sizeof too_long - 1] = '\0';
    setenv("NOTIFY_SOCKET", too_long, 1);
    assert_false(sd_notifier_open(&n));
    /* A socket named but nobody there: sending fails, and says so. */
    setenv("NOTIFY_SOCKET", "/nonexistent/notify", 1);
    assert_true(sd_notifier_open(&n));
    assert_false(sd_notifier_send(&n, "READY=1"));
    sd_notifier_close(&n);
    clear_environment();
}

/* The watchdog's interval is taken only when it is a sane whole number of
 * microseconds and the watchdog is this process's. */
static void test_the_watchdogs_interval_is_read_strictly(void **state)
{
    (void)state;
    clear_environment();
    setenv("NOTIFY_SOCKET", "@kiosk-test-nobody", 1);
    static const struct {
        const char *usec;
        long long ms;
    } cases[] = {{"2000", 1},
                 {"1000", 1},
                 {"999", -1},
                 {"86400000000", 43200000},
                 {"86400000001", -1},
                 {"-5000000", -1},
                 {" 5000000", -1},
                 {"5000000s", -1},
                 {"", -1},
                 {"99999999999999999999999", -1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setenv("WATCHDOG_USEC", cases[i].usec, 1);
        sd_notifier n;
        assert_true(sd_notifier_open(&n));
        if (n.watchdog_ms != cases[i].ms)
            fail_msg("WATCHDOG_USEC \"%s\": %lld ms, not %lld", cases[i].usec, n.watchdog_ms,
                     cases[i].ms);
        sd_notifier_close(&n);
    }
    setenv("WATCHDOG_USEC", "10000000", 1);
    char pid[32];
    snprintf(pid, sizeof pid, "%d", (int)getpid());
    setenv("WATCHDOG_PID", pid, 1);
    sd_notifier mine;
    assert_true(sd_notifier_open(&mine));
    assert_int_equal(mine.watchdog_ms, 5000);
    sd_notifier_close(&mine);
    snprintf(pid, sizeof pid, "%d", (int)getpid() + 1);
    setenv("WATCHDOG_PID", pid, 1);
    sd_notifier another;
    assert_true(sd_notifier_open(&another));
    assert_int_equal(another.watchdog_ms, -1); /* another process's watchdog */
    sd_notifier_close(&another);
    clear_environment();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ready_and_the_watchdog_reach_the_managers_socket),
        cmocka_unit_test(test_an_abstract_socket_is_reached_too),
        cmocka_unit_test(test_without_a_manager_nothing_is_sent),
        cmocka_unit_test(test_the_watchdogs_interval_is_read_strictly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
