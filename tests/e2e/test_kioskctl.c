/* kioskctl against the real kiosk binary (docs/kioskctl.md): every command
 * with and without --json, answers checked against the kiosk's state; the
 * refusal of a user outside the admin group; wrong usage, no kiosk, no
 * answer in time; and hostile lines on the admin socket.
 *
 * Until the self-tests, the outbox's staff operations, the audit trail and
 * the certificate land (they are other modules' placeholders here), their
 * commands are checked for what the placeholder says, with an exit code
 * that matches the answer's status; once they land, the same tests check
 * the real answer. */
#include "../support/kioskctl_fixture.h"
#include "../support/role_signin.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
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

static void test_status_and_devices_say_what_the_kiosk_has(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);

    assert_int_equal(CTL("status"), 0);
    ASSERT_HAS(out, "K0420: link ");
    ASSERT_HAS(out, "waiting: 0\n");
    ASSERT_HAS(out, "device=printer  state=online  supply=ok");
    assert_int_equal(CTL("--json", "status"), 0);
    cJSON *answer = json_answer(0);
    const cJSON *data = cJSON_GetObjectItem(answer, "data");
    assert_string_equal(text_of(data, "terminal"), "K0420");
    assert_string_equal(text_of(data, "board"), "portrait-1080");
    /* Nobody at the terminal: its actions are the terminal's own. */
    assert_string_equal(text_of(data, "signed_in"), "terminal");
    assert_int_equal(cJSON_GetObjectItem(data, "waiting")->valueint, 0);
    cJSON_Delete(answer);

    /* The simulated devices, each in its state; then the printer runs out
     * of paper (the simulator's key) and devices says so. */
    assert_int_equal(CTL("devices"), 0);
    ASSERT_HAS(out, "device=id-reader  state=online");
    ASSERT_HAS(out, "device=scanner  state=online");
    ASSERT_HAS(out, "device=printer  state=online  supply=ok");
    kiosk_expect(&k, "key p", "ok attract");
    bool out_of_paper = false;
    for (int i = 0; i < 100 && !out_of_paper; i++) {
        assert_int_equal(CTL("devices", "--json"), 0);
        answer = json_answer(0);
        const cJSON *device = NULL;
        cJSON_ArrayForEach(device,
                           cJSON_GetObjectItem(cJSON_GetObjectItem(answer, "data"), "devices"))
        {
            if (!strcmp(text_of(device, "device"), "printer"))
                out_of_paper = !strcmp(text_of(device, "supply"), "out");
        }
        cJSON_Delete(answer);
        if (!out_of_paper)
            usleep(50 * 1000);
    }
    assert_true(out_of_paper);
    assert_int_equal(CTL("devices"), 0);
    ASSERT_HAS(out, "device=printer  state=");
    ASSERT_HAS(out, "supply=out  reason=");
    kiosk_expect(&k, "key p", "ok attract");
    stop_kiosk(&k);
}

static void test_config_show_is_the_board_in_use(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    assert_int_equal(CTL("config", "show"), 0);
    ASSERT_HAS(out, "board: portrait-1080\n");
    ASSERT_HAS(out, "admin_group: kiosk-admin\n");
    assert_int_equal(CTL("config", "show", "--json"), 0);
    cJSON *answer = json_answer(0);
    const cJSON *data = cJSON_GetObjectItem(answer, "data");
    assert_string_equal(text_of(data, "admin_socket"), admin_socket);
    assert_string_equal(text_of(data, "usb_export_dir"), stick);
    assert_string_equal(text_of(data, "terminal"), "K0420");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(data, "devices")), 5);
    cJSON_Delete(answer);
    stop_kiosk(&k);
}

/* The audit trail's rows, or -1 while the trail is a placeholder. */
static long audit_rows(void)
{
    int code = CTL("--json", "audit", "verify");
    cJSON *answer = json_answer(code);
    long rows = -1;
    if (code == 0) {
        const cJSON *data = cJSON_GetObjectItem(answer, "data");
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(data, "intact")));
        rows = (long)cJSON_GetObjectItem(data, "rows")->valuedouble;
    } else {
        /* Only the placeholder may say there is no trail: a kiosk with the
         * audit trail keeps kioskctl's rows from its start. */
        assert_int_equal(code, 1);
        assert_string_equal(message_of(answer), "audit verify: no audit trail yet");
    }
    cJSON_Delete(answer);
    return rows;
}

/* A state-changing command by root was audited as kioskctl:root: a new
 * row in the trail, or (while the trail is a placeholder) the kiosk's
 * attempt to keep it, named with the action and that actor. */
static void expect_audited(long rows_before, const char *action)
{
    long rows_after = audit_rows();
    if (rows_before >= 0) {
        assert_true(rows_after > rows_before);
        return;
    }
    char line[160];
    snprintf(line, sizeof line, "not kept: %s by kioskctl:root", action);
    ASSERT_HAS(test_read_file(kiosk_log), line);
}

static void test_logs_are_shown_and_exported_masked(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    /* A citizen's card goes through the reader, and a synthetic ID number
     * and mobile number reach the kiosk's log (a mistyped device name is
     * logged): kioskctl shows and exports them masked only. */
    citizen_reaches_confirm(&k, "1");
    assert_int_equal(CTL("selftest", "11010519491231002X"), 2);
    assert_int_equal(CTL("selftest", "13912345678"), 2);
    assert_int_equal(CTL("logs", "-n", "5"), 0);
    size_t lines = test_count_of(out, "\n");
    assert_true(lines >= 1 && lines <= 5);
    ASSERT_HAS(out, "kiosk ");
    assert_int_equal(CTL("logs", "--json"), 0);
    cJSON *answer = json_answer(0);
    const char *text = text_of(cJSON_GetObjectItem(answer, "data"), "text");
    ASSERT_HAS(text, " I admin: kioskctl answers on ");
    ASSERT_HAS(text, "kioskctl:root: logs");
    ASSERT_HAS(text, "no device \"110105********002X\"");
    ASSERT_HAS(text, "no device \"139****5678\"");
    assert_null(strstr(text, "19491231"));
    assert_null(strstr(text, "12345678"));
    cJSON_Delete(answer);
    assert_int_equal(CTL("logs", "-n", "100"), 0);
    ASSERT_HAS(out, "110105********002X");
    assert_null(strstr(out, "19491231"));

    long rows = audit_rows();
    char dir[1100];
    snprintf(dir, sizeof dir, "%s", test_make_temp_dir("given-stick"));
    assert_int_equal(CTL("logs", "--export", dir), 0);
    ASSERT_HAS(out, "the log is written to ");
    ASSERT_HAS(out, "/kiosk-log-K0420-");
    assert_int_equal(CTL("--json", "logs", "--export", dir), 0);
    answer = json_answer(0);
    char *file = strdup(text_of(cJSON_GetObjectItem(answer, "data"), "file"));
    cJSON_Delete(answer);
    assert_int_equal(strncmp(file, dir, strlen(dir)), 0);
    const char *exported = test_read_file(file);
    ASSERT_HAS(exported, "terminal: K0420\nboard: portrait-1080 (");
    ASSERT_HAS(exported, "\nfirmware: ");
    ASSERT_HAS(exported, "by kioskctl:root\n");
    ASSERT_HAS(exported, "kioskctl:root: logs");
    ASSERT_HAS(exported, "110105********002X");
    ASSERT_HAS(exported, "139****5678");
    assert_null(strstr(exported, "19491231"));
    assert_null(strstr(exported, "12345678"));
    free(file);
    expect_audited(rows, "logs.export");

    /* Without a folder: the board's USB stick. */
    assert_int_equal(CTL("logs", "--export"), 0);
    ASSERT_HAS(out, stick);
    /* A folder that is not there: a plain message, exit 1. */
    assert_int_equal(CTL("logs", "--export", "/nonexistent/usb"), 1);
    ASSERT_HAS(err, "no folder /nonexistent/usb: is the USB stick plugged in and mounted?");
    assert_int_equal(CTL("--json", "logs", "--export", "/nonexistent/usb"), 1);
    cJSON_Delete(json_answer(1));
    stop_kiosk(&k);
}

static void test_the_outbox_shows_a_submission_kept_offline(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    const char *tree = citizen_submits(&k, "1");
    ASSERT_HAS(tree, "result");
    /* status counts it (the link's own count, without the store's staff
     * operations). */
    bool counted = false;
    for (int i = 0; i < 100 && !counted; i++) {
        assert_int_equal(CTL("--json", "status"), 0);
        cJSON *answer = json_answer(0);
        counted =
            cJSON_GetObjectItem(cJSON_GetObjectItem(answer, "data"), "waiting")->valueint >= 1;
        cJSON_Delete(answer);
        if (!counted)
            usleep(50 * 1000);
    }
    assert_true(counted);

    int code = CTL("--json", "outbox", "list");
    cJSON *answer = json_answer(code);
    if (code == 0) {
        /* Among the records (audit rows travel through the outbox too):
         * the citizen's submission, waiting, its subject masked. */
        const cJSON *records = cJSON_GetObjectItem(cJSON_GetObjectItem(answer, "data"), "records");
        const cJSON *record = NULL, *submission = NULL;
        cJSON_ArrayForEach(record, records)
        {
            if (!strcmp(text_of(record, "kind"), "submission"))
                submission = record;
        }
        assert_non_null(submission);
        assert_string_equal(text_of(submission, "state"), "waiting");
        assert_true(cJSON_GetObjectItem(submission, "id")->valuedouble >= 1);
        assert_null(strstr(out, "440304199001011233")); /* the card's number, never whole */
    } else {
        /* The store's staff operations are a placeholder on this branch. */
        assert_int_equal(code, 1);
        assert_string_equal(message_of(answer), "outbox list: not available on this kiosk");
    }
    cJSON_Delete(answer);
    code = CTL("outbox", "list");
    if (code == 0)
        ASSERT_HAS(out, "kind=submission");
    else
        ASSERT_HAS(err, "kioskctl: outbox list: ");

    /* No refused record 999999: resend and close fail, exit 1. */
    assert_int_equal(CTL("outbox", "resend", "999999"), 1);
    ASSERT_HAS(err, "kioskctl: outbox resend");
    assert_int_equal(CTL("--json", "outbox", "close", "999999", "--reason", "test"), 1);
    cJSON_Delete(json_answer(1));
    stop_kiosk(&k);
}

static void test_selftest_answers_with_its_outcome(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    int code = CTL("--json", "selftest", "printer");
    cJSON *answer = json_answer(code);
    const cJSON *data = cJSON_GetObjectItem(answer, "data");
    assert_string_equal(text_of(data, "device"), "printer");
    const char *outcome = text_of(data, "outcome");
    /* passed: exit 0; failed or absent (the placeholder says absent): 1. */
    if (!strcmp(outcome, "passed"))
        assert_int_equal(code, 0);
    else if (!strcmp(outcome, "failed") || !strcmp(outcome, "absent"))
        assert_int_equal(code, 1);
    else
        fail_msg("selftest printer: outcome \"%s\"", outcome);
    cJSON_Delete(answer);
    code = CTL("selftest", "printer");
    ASSERT_HAS(code ? err : out, "printer: ");

    assert_int_equal(CTL("selftest", "toaster"), 2);
    ASSERT_HAS(err, "selftest: no device \"toaster\" (one of card, printer, a4");
    ASSERT_HAS(err, "Usage: kioskctl [OPTIONS...] COMMAND ...");
    stop_kiosk(&k);
}

static void test_audit_and_certificate_commands_answer(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    long rows = audit_rows();
    int code = CTL("audit", "verify");
    if (rows >= 0) {
        assert_int_equal(code, 0);
        ASSERT_HAS(out, "the audit trail is intact: ");
    } else {
        assert_int_equal(code, 1);
        ASSERT_HAS(err, "kioskctl: audit verify: ");
    }
    code = CTL("--json", "cert", "status");
    cJSON *answer = json_answer(code);
    if (code == 0)
        assert_non_null(cJSON_GetObjectItem(cJSON_GetObjectItem(answer, "data"), "present"));
    else
        assert_string_equal(message_of(answer), "cert status: not available on this kiosk");
    cJSON_Delete(answer);
    code = CTL("cert", "status");
    ASSERT_HAS(code ? err : out, code ? "kioskctl: cert status" : "");
    /* An enrolment code the platform never issued: not enrolled. */
    code = CTL("--json", "cert", "enrol", "NOT-A-CODE");
    assert_true(code == 1 || code == 2);
    cJSON_Delete(json_answer(code));
    stop_kiosk(&k);
}

/* Runs kioskctl as user (uid and gid from the password file) with args:
 * its exit code, its stderr in err. */
static int ctl_as(const struct passwd *user, const char *const *args)
{
    int pipe_fds[2];
    assert_int_equal(pipe(pipe_fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(pipe_fds[1], 2);
        dup2(pipe_fds[1], 1);
        close(pipe_fds[0]);
        if (setgroups(0, NULL) != 0 || setgid(user->pw_gid) != 0 || setuid(user->pw_uid) != 0)
            _exit(99);
        const char *argv[16] = {kioskctl_binary(), "--socket", admin_socket};
        size_t n = 3;
        for (; args[n - 3] && n < 15; n++)
            argv[n] = args[n - 3];
        argv[n] = NULL;
        execve(argv[0], (char *const *)argv, environ);
        _exit(98);
    }
    close(pipe_fds[1]);
    size_t used = 0;
    ssize_t got;
    while ((got = read(pipe_fds[0], err + used, sizeof err - 1 - used)) > 0)
        used += (size_t)got;
    err[used] = '\0';
    close(pipe_fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void test_a_user_outside_the_admin_group_is_refused_and_audited(void **state)
{
    (void)state;
    kiosk_proc k;
    if (getuid() != 0) {
        /* Not root: the admin group is one this user is not in. */
        start_kiosk(&k, "kiosk-admin-nobody-is-in");
        assert_int_equal(CTL("status"), 3);
        ASSERT_HAS(err, "is not root nor in the group kiosk-admin-nobody-is-in");
        stop_kiosk(&k);
        return;
    }
    const struct passwd *nobody = getpwnam("nobody");
    assert_non_null(nobody);
    struct passwd as_nobody = *nobody;
    start_kiosk(&k, NULL);
    long rows = audit_rows();
    /* The socket's mode keeps nobody out before the kiosk is asked. */
    struct stat socket_mode;
    assert_int_equal(stat(admin_socket, &socket_mode), 0);
    assert_int_equal(socket_mode.st_mode & 0777, 0660);
    assert_int_equal(ctl_as(&as_nobody, (const char *const[]){"status", NULL}), 3);
    ASSERT_HAS(err, "refused: ");
    ASSERT_HAS(err, "permission denied");
    /* With the mode loosened, the kiosk itself refuses nobody, and says so
     * in its log and its audit trail. */
    assert_int_equal(chmod(admin_socket, 0666), 0);
    assert_int_equal(ctl_as(&as_nobody, (const char *const[]){"status", NULL}), 3);
    ASSERT_HAS(err, "kioskctl: refused: nobody is not root nor in the group kiosk-admin");
    assert_int_equal(ctl_as(&as_nobody, (const char *const[]){"--json", "outbox", "list", NULL}),
                     3);
    ASSERT_HAS(err, "\"status\":\"refused\"");
    ASSERT_HAS(test_read_file(kiosk_log), "refused kioskctl for nobody (uid 65534)");
    long rows_after = audit_rows();
    if (rows >= 0)
        assert_true(rows_after >= rows + 2);
    else
        assert_int_equal(
            test_count_of(test_read_file(kiosk_log), "not kept: admin.refused by kioskctl:nobody"),
            2);
    /* Knocking in a loop: every refusal is answered, but no more than ten
     * a minute reach the audit trail. */
    for (int i = 0; i < 12; i++)
        assert_int_equal(ctl_as(&as_nobody, (const char *const[]){"status", NULL}), 3);
    long rows_flooded = audit_rows();
    if (rows >= 0) /* 14 refusals in all, 10 kept; the terminal may add its own rows */
        assert_true(rows_flooded >= rows + 10 && rows_flooded < rows + 14);
    else
        assert_int_equal(
            test_count_of(test_read_file(kiosk_log), "not kept: admin.refused by kioskctl:nobody"),
            10);
    stop_kiosk(&k);

    /* The admin group, named by the board, lets its members in. */
    const struct group *primary = getgrgid(as_nobody.pw_gid);
    assert_non_null(primary);
    char group[64];
    snprintf(group, sizeof group, "%s", primary->gr_name);
    start_kiosk(&k, group);
    assert_int_equal(stat(admin_socket, &socket_mode), 0);
    assert_int_equal(socket_mode.st_gid, as_nobody.pw_gid);
    assert_int_equal(ctl_as(&as_nobody, (const char *const[]){"status", NULL}), 0);
    ASSERT_HAS(err, "K0420: link ");
    stop_kiosk(&k);
}

static void test_wrong_usage_no_kiosk_and_no_answer_have_their_exit_codes(void **state)
{
    (void)state;
    snprintf(admin_socket, sizeof admin_socket, "/tmp/kioskctl-none-%d.sock", (int)getpid());
    unlink(admin_socket);
    assert_int_equal(CTL("--help"), 0);
    ASSERT_HAS(out, "kioskctl [OPTIONS...] COMMAND ...");
    ASSERT_HAS(out, "Outbox Commands:");
    assert_int_equal(CTL("frobnicate"), 2);
    ASSERT_HAS(err, "kioskctl: unknown command \"frobnicate\"\nUsage: kioskctl [OPTIONS...] "
                    "COMMAND ...\n");
    assert_int_equal(CTL("outbox", "resend", "abc"), 2);
    ASSERT_HAS(err, "Usage: kioskctl");
    assert_int_equal(CTL("--json"), 2);
    assert_int_equal(CTL("status"), 4);
    ASSERT_HAS(err, "the kiosk is not running");
    assert_int_equal(CTL("--json", "devices"), 4);
    cJSON *answer = json_answer(4);
    ASSERT_HAS(message_of(answer), "the kiosk is not running");
    cJSON_Delete(answer);

    /* Something listens but never answers: exit 5 after --timeout. */
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    snprintf(address.sun_path, sizeof address.sun_path, "%s", admin_socket);
    assert_int_equal(bind(listener, (struct sockaddr *)&address, sizeof address), 0);
    assert_int_equal(listen(listener, 4), 0);
    assert_int_equal(CTL("--timeout", "1", "status"), 5);
    ASSERT_HAS(err, "no answer from the kiosk in 1 s");
    assert_int_equal(CTL("--timeout", "1", "--json", "status"), 5);
    cJSON_Delete(json_answer(5));
    close(listener);
    unlink(admin_socket);
}

static void test_hostile_lines_on_the_socket_are_refused_and_the_kiosk_goes_on(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    static const char *const lines[] = {
        "status\n",
        "{\"command\":\"status\"\n",
        "{\"command\":\"STATUS\"}\n",
        "{\"command\":\"status\",\"args\":[1]}\n",
        "{\"command\":\"logs\",\"args\":[\"export\",\"/tmp/\\u001b[2J\"]}\n",
        "{\"command\":\"status\"}\x07\n",
        "{\"command\":\"reboot\"}\n",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        cJSON *answer = raw_request(lines[i], strlen(lines[i]));
        if (!answer)
            fail_msg("no JSON answer to line %zu: \"%s\"", i, out);
        assert_string_equal(text_of(answer, "status"), "usage");
        cJSON_Delete(answer);
    }
    /* A line far over the limit. */
    size_t size = 64 * 1024;
    char *huge = malloc(size);
    memset(huge, 'x', size - 1);
    huge[size - 1] = '\n';
    cJSON *answer = raw_request(huge, size);
    free(huge);
    assert_non_null(answer);
    assert_string_equal(text_of(answer, "status"), "usage");
    ASSERT_HAS(message_of(answer), "over the length");
    cJSON_Delete(answer);
    /* Peers that connect and say nothing do not hold up the next: up to
     * four are served side by side; a fifth is told the kiosk is busy. */
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    snprintf(address.sun_path, sizeof address.sun_path, "%s", admin_socket);
    int silent[4];
    for (int i = 0; i < 3; i++) {
        silent[i] = socket(AF_UNIX, SOCK_STREAM, 0);
        assert_int_equal(connect(silent[i], (struct sockaddr *)&address, sizeof address), 0);
    }
    assert_int_equal(CTL("--timeout", "2", "status"), 0);
    silent[3] = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_int_equal(connect(silent[3], (struct sockaddr *)&address, sizeof address), 0);
    usleep(200 * 1000);
    assert_int_equal(CTL("--timeout", "2", "status"), 1);
    ASSERT_HAS(err, "the kiosk is busy with other kioskctl commands");
    for (int i = 0; i < 4; i++)
        close(silent[i]);
    int code = 1;
    for (int i = 0; i < 50 && code != 0; i++) {
        code = CTL("--timeout", "2", "status");
        if (code)
            usleep(50 * 1000);
    }
    assert_int_equal(code, 0);
    /* Citizens were served all along. */
    kiosk_expect(&k, "screen", "ok attract");
    stop_kiosk(&k);
    /* Stopped: the socket is gone. */
    assert_int_equal(access(admin_socket, F_OK), -1);
    assert_int_equal(CTL("status"), 4);
}

static void test_a_stale_socket_is_replaced(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    /* Killed: its socket stays behind. */
    kiosk_stop(&k, true);
    assert_int_equal(access(admin_socket, F_OK), 0);
    assert_int_equal(CTL("status"), 4);
    /* The next kiosk on the same board takes the path over. */
    char board[1100];
    snprintf(board, sizeof board, "%s", k.board);
    const char *argv[] = {test_kiosk_binary(), "--headless", "--board", board,
                          "--log-level",       "error",      NULL};
    pid_t pid;
    assert_int_equal(posix_spawn(&pid, argv[0], NULL, NULL, (char *const *)argv, environ), 0);
    platform_remember_pid(pid, true);
    int code = 4;
    for (int i = 0; i < 200 && code == 4; i++) {
        code = CTL("status");
        if (code == 4)
            usleep(50 * 1000);
    }
    assert_int_equal(code, 0);
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    platform_remember_pid(pid, false);
}

/* Rows by actor and action whose detail is detail. */
static int audited(const cache_audit_row *rows, size_t count, const char *actor, const char *action,
                   const char *detail)
{
    int found = 0;
    for (size_t i = 0; i < count; i++)
        found += !strcmp(rows[i].actor, actor) && !strcmp(rows[i].action, action) &&
                 !strcmp(rows[i].detail, detail);
    return found;
}

static void test_session_end_ends_what_is_open_as_its_time_out_would(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    /* Nothing open: refused, exit 1, the screen left as it is. */
    assert_int_equal(CTL("session", "end"), 1);
    ASSERT_HAS(err, "kioskctl: session end: no session is open (the attract screen shows)");
    assert_int_equal(CTL("--json", "session", "end"), 1);
    cJSON_Delete(json_answer(1));
    kiosk_expect(&k, "screen", "ok attract");
    assert_int_equal(CTL("session"), 2);
    ASSERT_HAS(err, "session: expected \"session end\"");
    assert_int_equal(CTL("session", "end", "now"), 2);

    /* A citizen's session, their card on the reader and their number on
     * the screen: ended, the card is asked back as at a time-out, and
     * nothing of theirs is left once it is taken. */
    citizen_reaches_confirm(&k, "1");
    ASSERT_HAS(kiosk_tree(&k), "1233");
    assert_int_equal(CTL("session", "end"), 0);
    ASSERT_HAS(out, "the citizen session is ended: the take-card screen shows");
    kiosk_expect(&k, "screen", "ok take-card");
    citizen_takes_card(&k);
    kiosk_expect(&k, "wait attract 5000", "ok attract");
    const char *tree = kiosk_tree(&k);
    ASSERT_HAS(tree, "\"in_session\":false");
    assert_null(strstr(tree, "1233"));
    /* The next citizen starts from nothing: the card step asks for a card. */
    citizen_opens(&k, "certificate-print", "card");
    assert_null(strstr(kiosk_tree(&k), "1233"));
    assert_int_equal(CTL("--json", "session", "end"), 0);
    cJSON *answer = json_answer(0);
    const cJSON *data = cJSON_GetObjectItem(answer, "data");
    assert_string_equal(text_of(data, "ended"), "citizen");
    assert_string_equal(text_of(data, "screen"), "attract");
    cJSON_Delete(answer);
    kiosk_expect(&k, "screen", "ok attract");

    /* A staff member's and a technician's sessions: signed out, wiped, the
     * attract screen. */
    kiosk_expect(&k, "role S001 staff 周晓梅", "ok staff");
    assert_int_equal(CTL("session", "end"), 0);
    ASSERT_HAS(out, "the staff session is ended: the attract screen shows");
    kiosk_expect(&k, "screen", "ok attract");
    assert_null(strstr(kiosk_tree(&k), "周晓梅"));
    kiosk_expect(&k, "role T001 technician 陈志强", "ok technician");
    kiosk_expect(&k, "tap tech.menu.selftest", "ok tech_selftest");
    assert_int_equal(CTL("--json", "session", "end"), 0);
    answer = json_answer(0);
    assert_string_equal(text_of(cJSON_GetObjectItem(answer, "data"), "ended"), "technician");
    cJSON_Delete(answer);
    kiosk_expect(&k, "screen", "ok attract");
    assert_null(strstr(kiosk_tree(&k), "陈志强"));
    /* Ended, nothing is open any more. */
    assert_int_equal(CTL("session", "end"), 1);
    long verified = audit_rows();
    stop_kiosk(&k);

    /* The trail: kioskctl's actor and the kind of session, never whose;
     * each role's own sign-out says why. */
    static cache_audit_row rows[ROLE_AUDIT_ROWS_MAX];
    size_t count = role_audit_rows(&k, rows);
    assert_int_equal((long)count, verified);
    assert_int_equal(audited(rows, count, "kioskctl:root", "session.end", "citizen"), 2);
    assert_int_equal(audited(rows, count, "kioskctl:root", "session.end", "staff"), 1);
    assert_int_equal(audited(rows, count, "kioskctl:root", "session.end", "technician"), 1);
    assert_int_equal(audited(rows, count, "staff:S001", "staff.sign_out", "ended-by-kioskctl"), 1);
    assert_int_equal(audited(rows, count, "technician:T001", "staff.sign_out", "ended-by-kioskctl"),
                     1);
    for (size_t i = 0; i < count; i++) {
        if (strcmp(rows[i].action, "session.end") != 0)
            continue;
        assert_string_equal(rows[i].subject, "");
        static const char *const whose[] = {"S001", "T001", "周晓梅", "陈志强", "1233", "440304"};
        for (size_t w = 0; w < sizeof whose / sizeof whose[0]; w++)
            assert_null(strstr(rows[i].detail, whose[w]));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_and_devices_say_what_the_kiosk_has),
        cmocka_unit_test(test_config_show_is_the_board_in_use),
        cmocka_unit_test(test_logs_are_shown_and_exported_masked),
        cmocka_unit_test(test_the_outbox_shows_a_submission_kept_offline),
        cmocka_unit_test(test_selftest_answers_with_its_outcome),
        cmocka_unit_test(test_audit_and_certificate_commands_answer),
        cmocka_unit_test(test_a_user_outside_the_admin_group_is_refused_and_audited),
        cmocka_unit_test(test_wrong_usage_no_kiosk_and_no_answer_have_their_exit_codes),
        cmocka_unit_test(test_hostile_lines_on_the_socket_are_refused_and_the_kiosk_goes_on),
        cmocka_unit_test(test_a_stale_socket_is_replaced),
        cmocka_unit_test(test_session_end_ends_what_is_open_as_its_time_out_would),
    };
    return PLATFORM_RUN_TESTS(tests);
}
