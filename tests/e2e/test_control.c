/* The real kiosk binary driven through its test control channel, as the
 * end-to-end scenarios will drive it: attract, home, a service, a language,
 * the time-out warning and its expiry. */
#include "../support/test_support.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char reply[1 << 16];

typedef struct kiosk_under_test {
    pid_t pid;
    int socket;
    char dir[1024];
    char socket_path[108];
} kiosk_under_test;

static const char *profile_with_control(const char *dir, const char *socket_path)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/board/profiles/portrait-1080.json", test_source_dir());
    char *text = strdup(test_read_file(path));
    char with[256];
    snprintf(with, sizeof with, "\"idle_timeout_s\": 60,\n  \"test_control\": \"%s\"", socket_path);
    const char *written =
        test_write_file(dir, "board.json", test_replace(text, "\"idle_timeout_s\": 60", with));
    free(text);
    return written;
}

static void start(kiosk_under_test *k)
{
    snprintf(k->dir, sizeof k->dir, "%s", test_make_temp_dir("control"));
    snprintf(k->socket_path, sizeof k->socket_path, "/tmp/kiosk-control-%d.sock", (int)getpid());
    const char *board = profile_with_control(k->dir, k->socket_path);
    const char *argv[] = {test_kiosk_binary(), "--headless", "--board", board,
                          "--log-level",       "warn",       NULL};
    assert_int_equal(posix_spawn(&k->pid, argv[0], NULL, NULL, (char *const *)argv, environ), 0);

    struct sockaddr_un address = {.sun_family = AF_UNIX};
    snprintf(address.sun_path, sizeof address.sun_path, "%s", k->socket_path);
    for (int attempt = 0; attempt < 200; attempt++) {
        k->socket = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(k->socket, (struct sockaddr *)&address, sizeof address) == 0)
            return;
        close(k->socket);
        usleep(50 * 1000);
    }
    fail_msg("the kiosk did not open %s", k->socket_path);
}

/* Sends one command and returns its reply line (without the newline). */
static const char *ask(kiosk_under_test *k, const char *command)
{
    char line[1200];
    int length = snprintf(line, sizeof line, "%s\n", command);
    assert_int_equal(write(k->socket, line, (size_t)length), length);
    size_t used = 0;
    while (used + 1 < sizeof reply) {
        ssize_t got = read(k->socket, reply + used, 1);
        if (got <= 0 || reply[used] == '\n')
            break;
        used++;
    }
    reply[used] = '\0';
    return reply;
}

static void expect(kiosk_under_test *k, const char *command, const char *answer)
{
    const char *got = ask(k, command);
    if (strcmp(got, answer) != 0)
        fail_msg("%s: expected \"%s\", got \"%s\"", command, answer, got);
}

static int stop(kiosk_under_test *k)
{
    expect(k, "quit", "ok stopping");
    close(k->socket);
    int status = 0;
    waitpid(k->pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void test_identified_by_a_card_on_the_simulated_reader(void **state)
{
    (void)state;
    kiosk_under_test k;
    start(&k);
    expect(&k, "wait attract 5000", "ok attract");
    expect(&k, "tap attract.start", "ok home");
    expect(&k, "tap tile.household-registration", "ok card");
    /* The developer's key 1 lays the first made-up citizen's card. */
    expect(&k, "key 1", "ok card");
    expect(&k, "wait confirm 8000", "ok confirm");
    const char *tree = ask(&k, "tree");
    assert_non_null(strstr(tree, "440304********1233"));
    assert_null(strstr(tree, "440304199001011233"));
    assert_non_null(strstr(tree, "王*明"));
    expect(&k, "key 0", "ok confirm");
    assert_int_equal(stop(&k), 0);
}

static void test_a_citizen_journey_through_the_control_channel(void **state)
{
    (void)state;
    kiosk_under_test k;
    start(&k);
    expect(&k, "wait attract 5000", "ok attract");
    expect(&k, "tap attract.start", "ok home");
    const char *tree = ask(&k, "tree");
    assert_non_null(strstr(tree, "\"screen\":\"home\""));
    assert_non_null(strstr(tree, "\"id\":\"tile.household-registration\""));
    assert_non_null(strstr(tree, "\"text\":\"户籍业务\""));

    expect(&k, "tap tile.household-registration", "ok card");
    expect(&k, "tap step.next", "ok identify");
    expect(&k, "tap keypad.4", "ok identify");
    expect(&k, "tap footer.lang.en", "ok identify");
    assert_non_null(strstr(ask(&k, "tree"), "\"text\":\"Household Registry\""));

    /* A minute without a touch: the warning; "continue" goes back. */
    expect(&k, "advance 60000", "ok timeout");
    expect(&k, "tap timeout.continue", "ok identify");
    tree = ask(&k, "tree");
    assert_non_null(strstr(tree, "\"id\":\"identify.field\",\"role\":\"field\""));
    assert_non_null(strstr(tree, "\"id\":\"keypad.4\",\"role\":\"button\""));
    assert_non_null(strstr(tree, "\"focusable\":true"));
    /* Another minute and the full countdown: the session ends. */
    expect(&k, "advance 60000", "ok timeout");
    expect(&k, "advance 30000", "ok attract");
    tree = ask(&k, "tree");
    assert_non_null(strstr(tree, "\"language\":\"zh-CN\""));
    assert_non_null(strstr(tree, "\"in_session\":false"));

    char png[1200];
    snprintf(png, sizeof png, "%s/attract.png", k.dir);
    char command[1300];
    snprintf(command, sizeof command, "screenshot %s", png);
    assert_non_null(strstr(ask(&k, command), "ok "));
    assert_int_equal(access(png, R_OK), 0);

    /* Mistakes are answered, not fatal. */
    assert_string_equal(ask(&k, "tap no.such.widget"),
                        "error no visible target \"no.such.widget\" on attract");
    assert_string_equal(ask(&k, "wait home 100"), "error timeout: still on attract");
    assert_non_null(strstr(ask(&k, "fly"), "error unknown command"));
    assert_int_equal(stop(&k), 0);
}

static void test_a_board_with_real_devices_cannot_be_controlled(void **state)
{
    (void)state;
    const char *dir = test_make_temp_dir("control-usb");
    const char *board = profile_with_control(dir, "/tmp/never.sock");
    char *text = strdup(test_read_file(board));
    board = test_write_file(dir, "usb.json",
                            test_replace(text, "\"transport\": \"sim\"", "\"transport\": \"usb\""));
    free(text);
    char err[4096];
    const char *argv[] = {test_kiosk_binary(), "--headless", "--board", board, NULL};
    assert_int_equal(test_run(argv, err, sizeof err, NULL, 0), 78);
    assert_non_null(strstr(err, "test_control: only for boards whose devices are all simulated"));
}

/* The tree's focused id, polled until it is not `not` (keys reach the app
 * through the simulated keypad's driver thread, after the reply). */
static const char *focus_after(kiosk_under_test *k, const char * not )
{
    static char focused[64];
    for (int attempt = 0; attempt < 200; attempt++) {
        const char *at = strstr(ask(k, "tree"), "\"focused\":\"");
        assert_non_null(at);
        at += strlen("\"focused\":\"");
        size_t length = strcspn(at, "\"");
        snprintf(focused, sizeof focused, "%.*s", (int)length, at);
        if (strcmp(focused, not ) != 0)
            return focused;
        usleep(20 * 1000);
    }
    fail_msg("the focus stayed \"%s\"", not );
    return NULL;
}

/* The simulated keypad, pressed through the channel: the focus shows in the
 * tree, moves, and enter opens what it is on. */
static void test_the_keypad_through_the_control_channel(void **state)
{
    (void)state;
    kiosk_under_test k;
    start(&k);
    expect(&k, "wait attract 5000", "ok attract");
    expect(&k, "tap attract.start", "ok home");
    assert_non_null(strstr(ask(&k, "tree"), "\"focused\":\"\""));
    expect(&k, "keypad down", "ok home");
    char first[64];
    snprintf(first, sizeof first, "%s", focus_after(&k, ""));
    assert_non_null(strstr(ask(&k, "tree"), "\"focused\":true"));
    expect(&k, "keypad right right", "ok home");
    char moved[64];
    snprintf(moved, sizeof moved, "%s", focus_after(&k, first));
    assert_string_not_equal(moved, first);
    expect(&k, "keypad 9", "ok home"); /* the ninth tile */
    assert_string_equal(focus_after(&k, moved), "tile.household-registration");
    expect(&k, "keypad enter", "ok home");
    expect(&k, "wait card 5000", "ok card");
    expect(&k, "keypad help", "ok card");
    expect(&k, "wait help 5000", "ok help");
    assert_non_null(strstr(ask(&k, "keypad sideways"), "error usage: keypad KEY..."));
    assert_non_null(strstr(ask(&k, "keypad"), "error "));
    assert_int_equal(stop(&k), 0);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_citizen_journey_through_the_control_channel),
        cmocka_unit_test(test_identified_by_a_card_on_the_simulated_reader),
        cmocka_unit_test(test_the_keypad_through_the_control_channel),
        cmocka_unit_test(test_a_board_with_real_devices_cannot_be_controlled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
