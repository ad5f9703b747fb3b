/* kioskctl and the admin socket against peers we did not write
 * (docs/kioskctl.md): peers that trickle a request byte by byte, 1,000
 * connections and 10 MB without a newline, outsiders that connect and say
 * nothing or knock in a loop, hidden characters in any argument, a line
 * count that is not one, --json read by a script, a symlink planted where
 * the socket goes. The real kiosk and the real kioskctl. */
#include "../support/kioskctl_fixture.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* Sends one byte on each of fds every second for seconds: none a newline,
 * so no request is ever whole. */
static void trickle(const int *fds, int count, int seconds)
{
    for (int s = 0; s < seconds; s++) {
        for (int i = 0; i < count; i++)
            send(fds[i], "{", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
        sleep(1);
    }
}

/* Four peers that send a byte every second never say anything whole: each
 * is let go 5 s after it connected, so kioskctl answers again. */
static void test_peers_that_trickle_do_not_hold_the_socket(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    snprintf(address.sun_path, sizeof address.sun_path, "%s", admin_socket);
    int slow[4];
    for (int i = 0; i < 4; i++) {
        slow[i] = socket(AF_UNIX, SOCK_STREAM, 0);
        assert_int_equal(connect(slow[i], (struct sockaddr *)&address, sizeof address), 0);
    }
    trickle(slow, 4, 8);
    int code = CTL("--timeout", "2", "status");
    if (code != 0)
        fail_msg("kioskctl status exited %d while peers trickled for 8 s: %s", code, err);
    for (int i = 0; i < 4; i++)
        close(slow[i]);
    kiosk_expect(&k, "screen", "ok attract");
    stop_kiosk(&k);
}

/* A symlink planted where the socket goes is not followed, replaced or
 * chmod-ed: the kiosk says why in its log and serves citizens without
 * kioskctl. */
static void test_a_symlink_where_the_socket_goes_is_left_alone(void **state)
{
    (void)state;
    kiosk_proc k;
    plant_symlink = true;
    start_kiosk(&k, NULL);
    plant_symlink = false;
    struct stat link_stat, victim_stat;
    assert_int_equal(lstat(admin_socket, &link_stat), 0);
    assert_true(S_ISLNK(link_stat.st_mode));
    assert_int_equal(stat(victim, &victim_stat), 0);
    assert_true(S_ISREG(victim_stat.st_mode));
    assert_int_equal(victim_stat.st_mode & 07777, 0600);
    assert_string_equal(test_read_file(victim), "mine\n");
    assert_int_equal(CTL("status"), 4);
    kiosk_expect(&k, "screen", "ok attract");
    stop_kiosk(&k);
    ASSERT_HAS(test_read_file(kiosk_log), "not a socket");
    /* Stopping does not remove what was not the kiosk's. */
    assert_int_equal(lstat(admin_socket, &link_stat), 0);
    assert_true(S_ISLNK(link_stat.st_mode));
    unlink(admin_socket);
}

/* 1,000 connections at once, most hanging up at once, then one that sends
 * 10 MB without a newline: the kiosk answers each or lets it go, and
 * answers kioskctl after. */
static void test_a_thousand_connections_at_once(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    snprintf(address.sun_path, sizeof address.sun_path, "%s", admin_socket);
    for (int i = 0; i < 1000; i++) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        connect(fd, (struct sockaddr *)&address, sizeof address);
        send(fd, "{\"command\":\"status\"}\n", 21, MSG_NOSIGNAL | MSG_DONTWAIT);
        close(fd);
    }
    int code = 1;
    for (int i = 0; i < 100 && code != 0; i++) {
        code = CTL("--timeout", "2", "status");
        if (code)
            usleep(100 * 1000);
    }
    assert_int_equal(code, 0);
    /* 10 MB without a newline: answered usage once over the limit, not
     * read to the end nor kept. */
    size_t size = 10 * 1024 * 1024;
    char *flood = malloc(size);
    memset(flood, '[', size);
    cJSON *answer = raw_request(flood, size);
    free(flood);
    if (!answer)
        fail_msg("no JSON answer to 10 MB without a newline: \"%.200s\"", out);
    assert_string_equal(text_of(answer, "status"), "usage");
    cJSON_Delete(answer);
    assert_int_equal(CTL("--timeout", "2", "status"), 0);
    kiosk_expect(&k, "screen", "ok attract");
    stop_kiosk(&k);
}

/* A script runs kioskctl --json and reads stdout: whoever finds the
 * mistake (kioskctl's own parser or the kiosk), it reads one JSON object
 * whose status matches the exit code, with no kiosk running too. */
static void test_json_is_printed_for_every_usage_error(void **state)
{
    (void)state;
    snprintf(admin_socket, sizeof admin_socket, "/tmp/kioskctl-none-%d.sock", (int)getpid());
    unlink(admin_socket);
    static const char *const lines[][6] = {
        {"--json", "outbox", "resend", "abc"}, {"--json", "frobnicate"},
        {"outbox", "resend", "-1", "--json"},  {"--json", "--timeout", "x", "status"},
        {"--json", "logs", "-n", "-5"},        {"--json", "outbox", "close", "3", "--reason"},
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        int code = ctl_argv(lines[i]);
        assert_int_equal(code, 2);
        cJSON *answer = cJSON_Parse(out);
        if (!answer)
            fail_msg("line %zu: --json printed no JSON: \"%s\" (stderr \"%s\")", i, out, err);
        cJSON_Delete(answer);
        cJSON_Delete(json_answer(2));
        /* One line: the JSON object and its newline, nothing after. */
        assert_non_null(strchr(out, '\n'));
        assert_int_equal(strchr(out, '\n') - out + 1, (long)strlen(out));
        ASSERT_HAS(err, "Usage: kioskctl");
    }
    assert_int_equal(CTL("--json", "status"), 4);
    cJSON_Delete(json_answer(4));
}

/* A user outside the admin group, the socket's mode loosened: connections
 * that never say anything, held open and opened again, do not keep
 * technicians out. The kiosk refuses them as they connect. */
static void test_silent_outsiders_do_not_hold_the_socket(void **state)
{
    (void)state;
    if (getuid() != 0) {
        printf("not root: no other user to connect as\n");
        return;
    }
    const struct passwd *nobody = getpwnam("nobody");
    assert_non_null(nobody);
    kiosk_proc k;
    start_kiosk(&k, NULL);
    assert_int_equal(chmod(admin_socket, 0666), 0);
    pid_t outsider = fork();
    assert_true(outsider >= 0);
    if (outsider == 0) {
        if (setgroups(0, NULL) != 0 || setgid(nobody->pw_gid) != 0 || setuid(nobody->pw_uid) != 0)
            _exit(99);
        struct sockaddr_un address = {.sun_family = AF_UNIX};
        snprintf(address.sun_path, sizeof address.sun_path, "%s", admin_socket);
        int held[64];
        for (int i = 0; i < 64; i++)
            held[i] = -1;
        for (int round = 0; round < 400; round++) { /* 4 s */
            int slot = round % 64;
            if (held[slot] >= 0)
                close(held[slot]);
            held[slot] = socket(AF_UNIX, SOCK_STREAM, 0);
            connect(held[slot], (struct sockaddr *)&address, sizeof address);
            usleep(10 * 1000);
        }
        _exit(0);
    }
    sleep(1);
    int code = CTL("--timeout", "2", "status");
    int status = 0;
    waitpid(outsider, &status, 0);
    assert_int_equal(WEXITSTATUS(status), 0);
    if (code != 0)
        fail_msg("kioskctl status as root exited %d while nobody held connections: %s", code, err);
    kiosk_expect(&k, "screen", "ok attract");
    stop_kiosk(&k);
}

/* An outsider knocking hundreds of times (the socket's mode loosened) is
 * refused every time, but does not push what technicians need out of the
 * recent log: refusals are logged, like audited, a few a minute. */
static void test_knocking_outsiders_do_not_flush_the_recent_log(void **state)
{
    (void)state;
    if (getuid() != 0) {
        printf("not root: no other user to connect as\n");
        return;
    }
    const struct passwd *nobody = getpwnam("nobody");
    assert_non_null(nobody);
    kiosk_proc k;
    start_kiosk(&k, NULL);
    assert_int_equal(chmod(admin_socket, 0666), 0);
    pid_t outsider = fork();
    assert_true(outsider >= 0);
    if (outsider == 0) {
        if (setgroups(0, NULL) != 0 || setgid(nobody->pw_gid) != 0 || setuid(nobody->pw_uid) != 0)
            _exit(99);
        struct sockaddr_un address = {.sun_family = AF_UNIX};
        snprintf(address.sun_path, sizeof address.sun_path, "%s", admin_socket);
        for (int i = 0; i < 300; i++) {
            int fd = socket(AF_UNIX, SOCK_STREAM, 0);
            if (connect(fd, (struct sockaddr *)&address, sizeof address) == 0) {
                char answer[256];
                send(fd, "{\"command\":\"status\"}\n", 21, MSG_NOSIGNAL);
                if (read(fd, answer, sizeof answer) <= 0)
                    _exit(1);
            }
            close(fd);
        }
        _exit(0);
    }
    int status = 0;
    waitpid(outsider, &status, 0);
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(CTL("logs", "-n", "256"), 0);
    ASSERT_HAS(out, "kioskctl answers on");
    ASSERT_HAS(out, "refused kioskctl for nobody");
    stop_kiosk(&k);
}

/* "No control character anywhere, raw or escaped": C1 controls are
 * controls too, and direction and invisible characters in an argument
 * would reach the log and the technician's screen turned around. Each is
 * usage, whatever the command, and the kiosk goes on. */
static void test_hidden_characters_in_any_argument_are_usage(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    static const char *const lines[] = {
        "{\"command\":\"selftest\",\"args\":[\"\\u009b2J\"]}\n",
        "{\"command\":\"selftest\",\"args\":[\"print\\u202eer\"]}\n",
        "{\"command\":\"logs\",\"args\":[\"export\",\"/tmp/\\u2066x\"]}\n",
        "{\"command\":\"cert\",\"args\":[\"enrol\",\"AB\\u200bCD\"]}\n",
        "{\"command\":\"selftest\",\"args\":[\"\xc2\x9b"
        "2J\"]}\n",
        "{\"command\":\"selftest\",\"args\":[\"\xff\"]}\n",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        cJSON *answer = raw_request(lines[i], strlen(lines[i]));
        if (!answer)
            fail_msg("no JSON answer to line %zu: \"%s\"", i, out);
        if (strcmp(text_of(answer, "status"), "usage"))
            fail_msg("line %zu was answered %s", i, out);
        cJSON_Delete(answer);
    }
    assert_int_equal(CTL("status"), 0);
    stop_kiosk(&k);
    const char *log = test_read_file(kiosk_log);
    assert_null(strstr(log, "\xc2\x9b"));
    assert_null(strstr(log, "\xe2\x80\xae"));
}

/* logs ["recent", N] on the socket: an N that is not a count is usage, as
 * kioskctl's own -n is, not quietly 50 lines; a huge one is the whole
 * recent log. */
static void test_a_line_count_that_is_not_one_is_usage(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    static const char *const counts[] = {"abc", "-5", "0", "", " 7", "7x", "+7"};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        char line[200];
        snprintf(line, sizeof line, "{\"command\":\"logs\",\"args\":[\"recent\",\"%s\"]}\n",
                 counts[i]);
        cJSON *answer = raw_request(line, strlen(line));
        if (!answer)
            fail_msg("no JSON answer to logs recent \"%s\": \"%s\"", counts[i], out);
        if (strcmp(text_of(answer, "status"), "usage"))
            fail_msg("logs recent \"%s\" was answered %.200s", counts[i], out);
        cJSON_Delete(answer);
    }
    const char *huge = "{\"command\":\"logs\",\"args\":[\"recent\",\"99999999999999999999\"]}\n";
    cJSON *answer = raw_request(huge, strlen(huge));
    assert_non_null(answer);
    assert_string_equal(text_of(answer, "status"), "ok");
    ASSERT_HAS(text_of(cJSON_GetObjectItem(answer, "data"), "text"), "kioskctl answers on");
    cJSON_Delete(answer);
    stop_kiosk(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_peers_that_trickle_do_not_hold_the_socket),
        cmocka_unit_test(test_a_symlink_where_the_socket_goes_is_left_alone),
        cmocka_unit_test(test_a_thousand_connections_at_once),
        cmocka_unit_test(test_json_is_printed_for_every_usage_error),
        cmocka_unit_test(test_silent_outsiders_do_not_hold_the_socket),
        cmocka_unit_test(test_knocking_outsiders_do_not_flush_the_recent_log),
        cmocka_unit_test(test_hidden_characters_in_any_argument_are_usage),
        cmocka_unit_test(test_a_line_count_that_is_not_one_is_usage),
    };
    return PLATFORM_RUN_TESTS(tests);
}
