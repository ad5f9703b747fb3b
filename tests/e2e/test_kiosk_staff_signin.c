/* Staff and technicians signing in at the real kiosk binary: a made-up
 * staff member's card laid on the simulated reader at the attract screen,
 * the PIN typed on the PIN screen's keypad, the role's home screen; five
 * wrong PINs lock the credential, across a restart too (the store keeps
 * it); a citizen's card still starts a citizen's visit. What was audited is
 * read back from the terminal's store, checked by kioskctl's `audit
 * verify`, and compared with the platform stand-in's copy (a staff QR code
 * shown to the simulated scanner is tests/e2e/test_kiosk_staff_qr.c's).
 * The credentials are written by
 * build/tools/staff-credentials from lines with demo PINs, as the sample
 * board's are. */
#include "../support/platform_fixture.h"
#include "../support/process_memory.h"
#include "../support/role_signin.h"
#include "../support/test_support.h"

#include "offline-cache/audit.h"
#include "offline-cache/seal.h"
#include "offline-cache/store.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* The made-up people of the simulated reader's keys 8 and 9
 * (drivers/sim/idcard_sim.c), and a staff QR token. */
#define STAFF_PEOPLE                                                                               \
    "S001 staff 周晓梅 320106198205143182 246810\n"                                             \
    "T001 technician 陈志强 320106197909234520 135790\n"                                        \
    "S002 staff 王芳 kiosk-demo-staff-qr-S002-7f3a9c 112233\n"

static char reply[1 << 16];
static char dir[1024], board[1100], credentials[1100], log_path[1100], admin_socket[108];
/* The platform stand-in each test's kiosk is pointed at. */
static platform stand_in;

#define ROWS_MAX 256

typedef struct kiosk_under_test {
    pid_t pid;
    int socket;
    char socket_path[108];
} kiosk_under_test;

/* The credentials file, made by the tool as a platform's tooling would. */
static void write_credentials(void)
{
    char people[1100], command[4000];
    snprintf(people, sizeof people, "%s", test_write_file(dir, "people.txt", STAFF_PEOPLE));
    snprintf(credentials, sizeof credentials, "%s/credentials.json", dir);
    snprintf(command, sizeof command,
             "%s/build/tools/staff-credentials --iterations 100000 < %s > %s", test_source_dir(),
             people, credentials);
    assert_int_equal(system(command), 0);
    /* No PIN and no ID number in what the terminal keeps. */
    const char *json = test_read_file(credentials);
    assert_null(strstr(json, "246810"));
    assert_null(strstr(json, "320106198205143182"));
    assert_null(strstr(json, "kiosk-demo-staff-qr"));
}

/* The sample board with its data, its staff and its control socket here. */
static void write_board(const char *socket_path)
{
    char path[1100], with[1400];
    snprintf(path, sizeof path, "%s/board/profiles/portrait-1080.json", test_source_dir());
    char *text = strdup(test_read_file(path));
    snprintf(with, sizeof with, "\"data_dir\": \"%s\"", dir);
    char *next = strdup(test_replace(text, "\"data_dir\": \"/var/lib/kiosk\"", with));
    free(text);
    snprintf(with, sizeof with, "\"credentials_file\": \"%s\"", credentials);
    text = strdup(test_replace(
        next, "\"credentials_file\": \"../../build/staff/sample-credentials.json\"", with));
    free(next);
    snprintf(with, sizeof with,
             "\"idle_timeout_s\": 60,\n  \"test_control\": \"%s\",\n  \"admin\": {\"socket\": "
             "\"%s\"},",
             socket_path, admin_socket);
    next = strdup(test_replace(text, "\"idle_timeout_s\": 60,", with));
    free(text);
    /* The stand-in as its platform, over mutual TLS with the development
     * certificates. */
    char url[4000];
    snprintf(url, sizeof url,
             "\"platform_url\": \"https://127.0.0.1:%d\", \"platform_tls\": {\"ca_file\": "
             "\"%s/platform-ca.crt\", \"client_cert\": \"%s/client.crt\", \"client_key\": "
             "\"%s/client.key\"},",
             stand_in.port, certs_dir, certs_dir, certs_dir);
    text = strdup(test_replace(next, "\"platform_url\": \"https://127.0.0.1:8443/\",", url));
    free(next);
    next = text;
    /* The staff object's own time-out stays 180 s: only the first is the
     * citizen's. */
    snprintf(board, sizeof board, "%s", test_write_file(dir, "board.json", next));
    free(next);
}

static void start(kiosk_under_test *k)
{
    write_board(k->socket_path);
    const char *argv[] = {test_kiosk_binary(), "--headless", "--board", board,
                          "--log-level",       "info",       NULL};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    /* What it logs, kept to read the audit lines back (appended across
     * restarts). */
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_path,
                                     O_WRONLY | O_CREAT | O_APPEND, 0600);
    assert_int_equal(posix_spawn(&k->pid, argv[0], &actions, NULL, (char *const *)argv, environ),
                     0);
    posix_spawn_file_actions_destroy(&actions);
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

static void stop(kiosk_under_test *k)
{
    expect(k, "quit", "ok stopping");
    close(k->socket);
    int status = 0;
    waitpid(k->pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void up(kiosk_under_test *k, const char *name)
{
    start_platform(&stand_in, NULL);
    snprintf(dir, sizeof dir, "%s", test_make_temp_dir(name));
    snprintf(log_path, sizeof log_path, "%s/kiosk.log", dir);
    snprintf(k->socket_path, sizeof k->socket_path, "/tmp/kiosk-staff-%d.sock", (int)getpid());
    snprintf(admin_socket, sizeof admin_socket, "/tmp/kiosk-staff-admin-%d.sock", (int)getpid());
    write_credentials();
    start(k);
    expect(k, "wait attract 8000", "ok attract");
}

/* The PIN typed on the PIN screen's keypad, one tap a digit. */
static void type_pin(kiosk_under_test *k, const char *pin)
{
    for (const char *p = pin; *p; p++) {
        char command[64];
        snprintf(command, sizeof command, "tap pin.keypad.%c", *p);
        expect(k, command, "ok staff_pin");
    }
}

/* The card lifted, and time for the reader's next look to see it gone: a
 * card lifted and laid between two looks is the same card, read once. */
static void lift(kiosk_under_test *k)
{
    expect(k, "key 0", "ok attract");
    usleep(1000 * 1000);
}

static const char *tree(kiosk_under_test *k)
{
    return ask(k, "tree");
}

/* The audit rows the terminal kept, oldest first, read from its store
 * with the key it made on its first start (the kiosk stopped). */
static size_t audit_rows(cache_audit_row *rows)
{
    char db[1200], key_path[1200];
    snprintf(db, sizeof db, "%s/kiosk.db", dir);
    snprintf(key_path, sizeof key_path, "%s/seal.key", dir);
    static seal_key key;
    assert_int_equal(seal_key_file_load(key_path, &key, NULL), KIOSK_OK);
    cache_options options = {.path = db, .cipher = SEAL_AES_256_GCM, .key = &key};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    size_t count = 0;
    assert_int_equal(cache_audit_list(store, 0, rows, ROWS_MAX, &count, NULL), KIOSK_OK);
    cache_close(store);
    assert_true(count < ROWS_MAX);
    return count;
}

/* Rows by actor and action, and subject when not NULL. */
static int rows_of(const cache_audit_row *rows, size_t count, const char *actor, const char *action,
                   const char *subject)
{
    int found = 0;
    for (size_t i = 0; i < count; i++)
        found += strcmp(rows[i].actor, actor) == 0 && strcmp(rows[i].action, action) == 0 &&
                 (!subject || strcmp(rows[i].subject, subject) == 0);
    return found;
}

/* No PIN, no ID number in any row. */
static void rows_hold_nothing_secret(const cache_audit_row *rows, size_t count)
{
    static const char *const secrets[] = {"246810", "135790", "000000", "320106198205143182",
                                          "320106197909234520"};
    for (size_t i = 0; i < count; i++)
        for (size_t s = 0; s < sizeof secrets / sizeof secrets[0]; s++)
            if (strstr(rows[i].subject, secrets[s]) || strstr(rows[i].detail, secrets[s]))
                fail_msg("audit row %lld holds %s", (long long)rows[i].sequence, secrets[s]);
}

static void test_staff_sign_in_by_card_and_pin_reaches_the_staff_screen(void **state)
{
    (void)state;
    kiosk_under_test k;
    up(&k, "staff-signin");
    expect(&k, "key 8", "ok attract"); /* 周晓梅's own card */
    expect(&k, "wait staff_pin 8000", "ok staff_pin");
    const char *shown = tree(&k);
    assert_non_null(strstr(shown, "周晓梅，请输入密码"));
    type_pin(&k, "2468");
    /* Four digits typed: four dots, never the digits. */
    shown = tree(&k);
    assert_non_null(strstr(shown, "● ● ● ● \""));
    assert_null(strstr(shown, "2468"));
    type_pin(&k, "10");
    char shot[1200];
    snprintf(shot, sizeof shot, "screenshot %s/build/test-output/staff-pin-typed.png",
             test_source_dir());
    assert_int_equal(strncmp(ask(&k, shot), "ok", 2), 0);
    expect(&k, "tap pin.ok", "ok staff");
    assert_non_null(strstr(tree(&k), "周晓梅"));
    /* Signed in, a card laid is nobody's visit. */
    expect(&k, "key 1", "ok staff");
    usleep(500 * 1000);
    expect(&k, "screen", "ok staff");
    expect(&k, "tap staff.sign_out", "ok attract");
    /* Nothing of the role is left on the attract screen, nor, once the
     * card is lifted, the ID number or the PIN anywhere in memory. */
    assert_null(strstr(tree(&k), "周晓梅"));
    lift(&k);
    /* The scan sees what is there (the board's path to the credentials)... */
    assert_true(process_memory_count(k.pid, "/credentials.json") > 0);
    /* ... and not what must not be. */
    assert_int_equal(process_memory_count(k.pid, "320106198205143182"), 0);
    assert_int_equal(process_memory_count(k.pid, "246810"), 0);
    long verified = kioskctl_audit_rows_at(admin_socket);
    stop(&k);
    const char *log = test_read_file(log_path);
    assert_null(strstr(log, "246810"));
    assert_null(strstr(log, "320106198205143182"));
    /* The trail: her sign-in and sign-out under her own id, nothing else
     * of hers, and the laid citizen's card started nobody's service. */
    static cache_audit_row rows[ROWS_MAX];
    size_t count = audit_rows(rows);
    assert_int_equal((long)count, verified);
    assert_int_equal(rows_of(rows, count, "staff:S001", "staff.sign_in", "S001"), 1);
    assert_int_equal(rows_of(rows, count, "staff:S001", "staff.sign_out", "S001"), 1);
    assert_int_equal(rows_of(rows, count, "citizen", "service.submitted", NULL), 0);
    rows_hold_nothing_secret(rows, count);
    stop_platform(&stand_in);
}

static void test_a_technician_reaches_the_technician_screen_and_cancel_returns(void **state)
{
    (void)state;
    kiosk_under_test k;
    up(&k, "tech-signin");
    /* 取消 goes back to attract, and the card must be lifted first. */
    expect(&k, "key 9", "ok attract");
    expect(&k, "wait staff_pin 8000", "ok staff_pin");
    type_pin(&k, "13");
    expect(&k, "tap pin.cancel", "ok attract");
    lift(&k);
    expect(&k, "key 9", "ok attract");
    expect(&k, "wait staff_pin 8000", "ok staff_pin");
    /* The digits typed before cancelling are gone. */
    assert_null(strstr(tree(&k), "●"));
    type_pin(&k, "135790");
    expect(&k, "tap pin.ok", "ok technician");
    stop(&k);
    /* Signed in once: the cancelled attempt is no sign-in. */
    static cache_audit_row rows[ROWS_MAX];
    size_t count = audit_rows(rows);
    assert_int_equal(rows_of(rows, count, "technician:T001", "staff.sign_in", "T001"), 1);
    assert_int_equal(rows_of(rows, count, "terminal", "staff.pin_wrong", NULL), 0);
    rows_hold_nothing_secret(rows, count);
    stop_platform(&stand_in);
}

static void test_five_wrong_pins_lock_even_the_right_one(void **state)
{
    (void)state;
    kiosk_under_test k;
    up(&k, "staff-lock");
    expect(&k, "key 8", "ok attract");
    expect(&k, "wait staff_pin 8000", "ok staff_pin");
    for (int attempt = 1; attempt <= 4; attempt++) {
        type_pin(&k, "000000");
        expect(&k, "tap pin.ok", "ok staff_pin");
        char left[64];
        snprintf(left, sizeof left, "还可以试 %d 次", 5 - attempt);
        const char *shown = tree(&k);
        if (!strstr(shown, left))
            fail_msg("after %d wrong PINs, expected \"%s\" on %s", attempt, left, shown);
    }
    type_pin(&k, "000000");
    expect(&k, "tap pin.ok", "ok staff_pin");
    const char *shown = tree(&k);
    assert_non_null(strstr(shown, "此账号已锁定"));
    /* Locked: no keypad and no sign-in to tap, only cancel. */
    assert_null(strstr(shown, "\"pin.keypad.2\""));
    assert_null(strstr(shown, "\"pin.ok\""));
    char shot[1200];
    snprintf(shot, sizeof shot, "screenshot %s/build/test-output/staff-pin-locked.png",
             test_source_dir());
    assert_int_equal(strncmp(ask(&k, shot), "ok", 2), 0);
    expect(&k, "tap pin.cancel", "ok attract");
    /* The card laid again while locked: said at once, no keypad for the
     * right PIN either, and the attempt audited. */
    lift(&k);
    expect(&k, "key 8", "ok attract");
    expect(&k, "wait staff_pin 8000", "ok staff_pin");
    shown = tree(&k);
    assert_non_null(strstr(shown, "此账号已锁定"));
    assert_null(strstr(shown, "\"pin.keypad.2\""));
    assert_non_null(strstr(ask(&k, "tap pin.keypad.2"), "no visible target"));
    expect(&k, "tap pin.cancel", "ok attract");
    long verified = kioskctl_audit_rows_at(admin_socket);
    stop(&k);
    const char *log = test_read_file(log_path);
    assert_null(strstr(log, "246810"));
    assert_null(strstr(log, "000000"));
    static cache_audit_row rows[ROWS_MAX];
    size_t count = audit_rows(rows);
    assert_int_equal((long)count, verified);
    assert_int_equal(rows_of(rows, count, "terminal", "staff.pin_wrong", "S001"), 4);
    assert_int_equal(rows_of(rows, count, "terminal", "staff.locked", "S001"), 1);
    assert_int_equal(rows_of(rows, count, "terminal", "staff.sign_in_refused_locked", "S001"), 1);
    assert_int_equal(rows_of(rows, count, "staff:S001", "staff.sign_in", NULL), 0);
    rows_hold_nothing_secret(rows, count);

    /* A restart: the lock holds where the store keeps it, and the right
     * PIN has no keypad to be typed on. */
    start(&k);
    expect(&k, "wait attract 8000", "ok attract");
    /* The platform's copy of the trail: every row, explaining the head the
     * first heartbeat reported. */
    role_platform_trail_matches(&stand_in, count);
    expect(&k, "key 8", "ok attract");
    expect(&k, "wait staff_pin 8000", "ok staff_pin");
    shown = tree(&k);
    assert_non_null(strstr(shown, "此账号已锁定"));
    assert_null(strstr(shown, "\"pin.keypad.2\""));
    expect(&k, "tap pin.cancel", "ok attract");
    stop(&k);
    count = audit_rows(rows);
    assert_int_equal(rows_of(rows, count, "terminal", "staff.sign_in_refused_locked", "S001"), 2);
    assert_int_equal(rows_of(rows, count, "staff:S001", "staff.sign_in", NULL), 0);
    stop_platform(&stand_in);
}

static void test_a_citizens_card_at_attract_still_starts_a_visit(void **state)
{
    (void)state;
    kiosk_under_test k;
    up(&k, "citizen-card");
    expect(&k, "key 1", "ok attract");
    expect(&k, "wait home 8000", "ok home");
    const char *shown = tree(&k);
    assert_null(strstr(shown, "请输入密码"));
    stop(&k);
    static cache_audit_row rows[ROWS_MAX];
    size_t count = audit_rows(rows);
    for (size_t i = 0; i < count; i++)
        assert_null(strstr(rows[i].action, "staff."));
    stop_platform(&stand_in);
}

int main(void)
{
    char output[1100];
    snprintf(output, sizeof output, "%s/build/test-output", test_source_dir());
    mkdir(output, 0755);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_staff_sign_in_by_card_and_pin_reaches_the_staff_screen),
        cmocka_unit_test(test_a_technician_reaches_the_technician_screen_and_cancel_returns),
        cmocka_unit_test(test_five_wrong_pins_lock_even_the_right_one),
        cmocka_unit_test(test_a_citizens_card_at_attract_still_starts_a_visit),
    };
    return PLATFORM_RUN_TESTS(tests);
}
