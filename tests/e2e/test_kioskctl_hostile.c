/* kioskctl and the admin socket against peers we did not write
 * (docs/kioskctl.md): a --reason that carries a direction override or a
 * citizen's ID or mobile number, record ids that are not numbers or name a
 * waiting record, peers that trickle a request byte by byte to hold every
 * slot, a symlink planted where the socket goes, a kiosk killed while it
 * writes an audit row. The real kiosk and the real kioskctl. */
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include "firmware/app/board.h"
#include "firmware/platform/staff_ops.h"
#include "firmware/platform/store_use_internal.h"
#include "offline-cache/outbox.h"

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
#include <time.h>
#include <unistd.h>

extern char **environ;

static char admin_socket[108];
static char kiosk_log[1200];
static char stick[1100];
static char out[1 << 17], err[1 << 14];
static bool plant_symlink;
/* start_kiosk: the platform it talks to (NULL: none) */ /* start_kiosk: a symlink where the
                                                            socket goes */
static char victim[1100];

static const char *kioskctl_binary(void)
{
    static char path[1100];
    snprintf(path, sizeof path, "%sctl", test_kiosk_binary());
    return path;
}

/* kioskctl --socket <the kiosk's> args...: its exit code; out and err. */
static int ctl_argv(const char *const *args)
{
    const char *argv[16] = {kioskctl_binary(), "--socket", admin_socket};
    size_t n = 3;
    for (; args[n - 3] && n < 15; n++)
        argv[n] = args[n - 3];
    argv[n] = NULL;
    out[0] = err[0] = '\0';
    return test_run(argv, err, sizeof err, out, sizeof out);
}
#define CTL(...) ctl_argv((const char *const[]){__VA_ARGS__, NULL})

/* The answer of a --json command, checked to be one JSON object whose
 * status gives the exit code kioskctl returned. */
static cJSON *json_answer(int code)
{
    cJSON *answer = cJSON_Parse(out);
    if (!answer)
        fail_msg("--json printed no JSON: \"%s\" (stderr \"%s\")", out, err);
    const cJSON *status = cJSON_GetObjectItem(answer, "status");
    assert_true(cJSON_IsString(status));
    static const char *const by_code[] = {"ok",      "failed",      "usage",
                                          "refused", "unavailable", "timeout"};
    assert_true(code >= 0 && code <= 5);
    assert_string_equal(status->valuestring, by_code[code]);
    return answer;
}

static const char *text_of(const cJSON *object, const char *name)
{
    const cJSON *item = cJSON_GetObjectItem(object, name);
    if (!cJSON_IsString(item))
        fail_msg("no string \"%s\" in the answer", name);
    return item->valuestring;
}

static const char *message_of(const cJSON *answer)
{
    return text_of(answer, "message");
}

static bool has(const char *text, const char *what)
{
    return strstr(text, what) != NULL;
}

#define ASSERT_HAS(text, what)                                                                     \
    do {                                                                                           \
        if (!has(text, what))                                                                      \
            fail_msg("\"%s\" is not in \"%s\"", what, text);                                       \
    } while (0)

/* The kiosk on a development board with its certificates, as a terminal
 * in a hall has them, whose platform does not answer (its submissions are
 * kept offline), logging at info into kiosk_log, kioskctl's
 * socket in /tmp (any user can reach the folder; the socket's own mode and
 * the peer check decide), admin group group (NULL: the default). */
static void start_kiosk(kiosk_proc *k, const char *group)
{
    make_certs();
    platform p = {.port = 9}; /* discard: refused at once */
    kiosk_board(&p, k);
    static int kiosks;
    snprintf(admin_socket, sizeof admin_socket, "/tmp/kioskctl-%d-%d.sock", (int)getpid(),
             ++kiosks);
    char dir[1100];
    snprintf(dir, sizeof dir, "%s", k->board);
    *strrchr(dir, '/') = '\0';
    snprintf(stick, sizeof stick, "%s", test_make_temp_dir("usb-stick"));
    snprintf(kiosk_log, sizeof kiosk_log, "%s/kiosk.log", dir);
    char with[4096];
    snprintf(with, sizeof with,
             "\"idle_timeout_s\": 60,\n  \"admin\": {\"socket\": \"%s\"%s%s%s},\n"
             "  \"usb_export_dir\": \"%s\"",
             admin_socket, group ? ", \"group\": \"" : "", group ? group : "", group ? "\"" : "",
             stick);
    char *text = strdup(test_read_file(k->board));
    char *next = strdup(test_replace(text, "\"idle_timeout_s\": 60", with));
    if (plant_symlink) {
        /* Someone else's file, and a link to it where the socket goes. */
        snprintf(victim, sizeof victim, "%s",
                 test_write_file(test_make_temp_dir("symlink-victim"), "victim.txt", "mine\n"));
        chmod(victim, 0600);
        unlink(admin_socket);
        assert_int_equal(symlink(victim, admin_socket), 0);
    }
    test_write_file(dir, "board.json", next);
    free(text);
    free(next);

    const char *argv[] = {test_kiosk_binary(), "--headless", "--board", k->board,
                          "--log-level",       "info",       NULL};
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, kiosk_log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_int_equal(posix_spawn(&k->pid, argv[0], &actions, NULL, (char *const *)argv, environ),
                     0);
    posix_spawn_file_actions_destroy(&actions);
    platform_remember_pid(k->pid, true);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    snprintf(address.sun_path, sizeof address.sun_path, "%s", k->socket_path);
    for (int attempt = 0; attempt < 200; attempt++) {
        k->socket = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(k->socket, (struct sockaddr *)&address, sizeof address) == 0)
            break;
        close(k->socket);
        k->socket = -1;
        usleep(50 * 1000);
    }
    if (k->socket < 0)
        fail_msg("the kiosk did not open %s", k->socket_path);
    kiosk_expect(k, "wait attract 5000", "ok attract");
}

/* Stops the kiosk; its log (ASan and UBSan write there too) shows no
 * sanitizer report. */
static void stop_kiosk(kiosk_proc *k)
{
    kiosk_stop(k, false);
    const char *log = test_read_file(kiosk_log);
    if (strstr(log, "Sanitizer") || strstr(log, "runtime error"))
        fail_msg("the kiosk's log has a sanitizer report: %s", kiosk_log);
}

/* One raw line to the admin socket, as a hostile peer would send it: the
 * answer line. */
static cJSON *raw_request(const char *line, size_t length)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    snprintf(address.sun_path, sizeof address.sun_path, "%s", admin_socket);
    assert_int_equal(connect(fd, (struct sockaddr *)&address, sizeof address), 0);
    for (size_t sent = 0; sent < length;) {
        ssize_t n = send(fd, line + sent, length - sent, MSG_NOSIGNAL);
        if (n <= 0)
            break; /* the kiosk stopped reading: its answer is still there */
        sent += (size_t)n;
    }
    size_t used = 0;
    struct pollfd ready = {.fd = fd, .events = POLLIN};
    while (used + 1 < sizeof out && poll(&ready, 1, 10000) == 1) {
        ssize_t got = read(fd, out + used, sizeof out - 1 - used);
        if (got <= 0)
            break;
        used += (size_t)got;
        if (memchr(out, '\n', used))
            break;
    }
    out[used] = '\0';
    close(fd);
    return cJSON_Parse(out);
}

/* The id of the citizen's submission, kept offline (its platform does not
 * answer): a waiting record, not a refused one. */
static long waiting_submission(kiosk_proc *k)
{
    citizen_submits(k, "1");
    for (int i = 0; i < 100; i++) {
        assert_int_equal(CTL("--json", "outbox", "list"), 0);
        cJSON *answer = json_answer(0);
        const cJSON *record = NULL;
        long id = 0;
        cJSON_ArrayForEach(record,
                           cJSON_GetObjectItem(cJSON_GetObjectItem(answer, "data"), "records"))
        {
            if (!strcmp(text_of(record, "kind"), "submission")) {
                assert_string_equal(text_of(record, "state"), "waiting");
                id = (long)cJSON_GetObjectItem(record, "id")->valuedouble;
            }
        }
        cJSON_Delete(answer);
        if (id)
            return id;
        usleep(50 * 1000);
    }
    fail_msg("the submission never showed in outbox list");
    return 0;
}

/* Whether record id is still listed, waiting. */
static bool still_waiting(long id)
{
    assert_int_equal(CTL("--json", "outbox", "list"), 0);
    cJSON *answer = json_answer(0);
    const cJSON *record = NULL;
    bool found = false;
    cJSON_ArrayForEach(record, cJSON_GetObjectItem(cJSON_GetObjectItem(answer, "data"), "records"))
    {
        if ((long)cJSON_GetObjectItem(record, "id")->valuedouble == id)
            found = !strcmp(text_of(record, "state"), "waiting");
    }
    cJSON_Delete(answer);
    return found;
}

/* A waiting record is neither resent nor closed: staff act on refused
 * ones. Ids that are not a record's number are usage, from kioskctl and on
 * the socket alike; every --json answer's status matches the exit code. */
static void test_waiting_records_and_ids_that_are_not_numbers(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    long id = waiting_submission(&k);
    char text[32];
    snprintf(text, sizeof text, "%ld", id);
    assert_int_equal(CTL("--json", "outbox", "resend", text), 1);
    cJSON_Delete(json_answer(1));
    assert_int_equal(CTL("--json", "outbox", "close", text, "--reason", "duplicate"), 1);
    cJSON_Delete(json_answer(1));
    assert_true(still_waiting(id));

    static const char *const not_ids[] = {
        "0", "-1", "abc", "99999999999999999999", "1e3", "0x10", " 7", "7 ", "+7", "", "٣"};
    for (size_t i = 0; i < sizeof not_ids / sizeof not_ids[0]; i++) {
        char line[256];
        snprintf(line, sizeof line, "{\"command\":\"outbox\",\"args\":[\"resend\",\"%s\"]}\n",
                 not_ids[i]);
        cJSON *answer = raw_request(line, strlen(line));
        if (!answer)
            fail_msg("no JSON answer to resend \"%s\": \"%s\"", not_ids[i], out);
        if (strcmp(text_of(answer, "status"), "usage"))
            fail_msg("resend \"%s\" was answered %s", not_ids[i], out);
        cJSON_Delete(answer);
        int code = CTL("--json", "outbox", "close", not_ids[i], "--reason", "duplicate");
        if (code != 2)
            fail_msg("kioskctl outbox close \"%s\" exited %d: %s%s", not_ids[i], code, out, err);
    }
    assert_true(still_waiting(id));
    stop_kiosk(&k);
}

/* A reason is kept for good (the tombstone, the audit trail, the copy the
 * platform receives): one that would turn text around on a screen, or that
 * holds a citizen's ID or mobile number, is refused before anything is
 * looked up, and nothing of it reaches the log whole. */
static void test_a_reason_with_a_direction_override_or_a_personal_number_is_refused(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    long id = waiting_submission(&k);
    char text[32];
    snprintf(text, sizeof text, "%ld", id);
    static const char *const reasons[] = {
        "duplicate of \xE2\x80\xAE"
        "1400-0240K",            /* U+202E RIGHT-TO-LEFT OVERRIDE */
        "dup\xE2\x81\xA6licate", /* U+2066 LEFT-TO-RIGHT ISOLATE */
        "zero\xE2\x80\x8Bwidth", /* U+200B ZERO WIDTH SPACE */
        "\xC2\x9B"
        "2J", /* U+009B, a C1 control */
        "citizen 11010519900307123X asked",
        "called her on 13812345678 to confirm",
        "called +8613812345678",
        "not UTF-8 \xff",
    };
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
        int code = CTL("--json", "outbox", "close", text, "--reason", reasons[i]);
        if (code != 2)
            fail_msg("reason %zu was not refused as usage (exit %d): %s%s", i, code, out, err);
        cJSON *answer = json_answer(2);
        if (!has(message_of(answer), "reason") && !has(message_of(answer), "args[2]"))
            fail_msg("reason %zu: the answer does not say what was wrong: %s", i, out);
        cJSON_Delete(answer);
    }
    /* A reason over what is kept (160 bytes: 54 Chinese characters are
     * over) is usage, saying so, not "a value is not acceptable". */
    char long_reason[200] = "";
    for (int i = 0; i < 54; i++)
        strcat(long_reason, "重");
    assert_int_equal(CTL("--json", "outbox", "close", text, "--reason", long_reason), 2);
    cJSON *answer = json_answer(2);
    ASSERT_HAS(message_of(answer), "160 bytes");
    cJSON_Delete(answer);
    assert_true(still_waiting(id));
    assert_int_equal(CTL("logs", "-n", "256"), 0);
    assert_null(strstr(out, "11010519900307123X"));
    assert_null(strstr(out, "13812345678"));
    stop_kiosk(&k);
    const char *log = test_read_file(kiosk_log);
    assert_null(strstr(log, "11010519900307123X"));
    assert_null(strstr(log, "13812345678"));
}

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

/* The kiosk again on board (its log into kiosk_log), without the test's
 * control channel: kioskctl is how it is reached. */
static pid_t restart_kiosk(const char *board)
{
    const char *argv[] = {test_kiosk_binary(), "--headless", "--board", board,
                          "--log-level",       "info",       NULL};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, kiosk_log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    assert_int_equal(posix_spawn(&pid, argv[0], &actions, NULL, (char *const *)argv, environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    platform_remember_pid(pid, true);
    return pid;
}

/* Killed with SIGKILL while kioskctl's audited commands run, again and
 * again: the next kiosk on the same store finds the chain intact. */
static void test_the_audit_chain_survives_a_kill_mid_append(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    char board[1100];
    snprintf(board, sizeof board, "%s", k.board);
    pid_t kiosk = k.pid;
    for (int round = 0; round < 4; round++) {
        /* Audited commands in a loop in a child, the kiosk killed under
         * them after a while that differs each round. */
        pid_t client = fork();
        if (client == 0) {
            for (;;) {
                CTL("logs", "--export");
                CTL("outbox", "close", "1", "--reason", "duplicate");
            }
        }
        usleep((useconds_t)(150 + 97 * round) * 1000);
        kill(kiosk, SIGKILL);
        waitpid(kiosk, NULL, 0);
        platform_remember_pid(kiosk, false);
        kill(client, SIGKILL);
        waitpid(client, NULL, 0);
        if (round == 0) {
            close(k.socket);
            k.socket = -1;
        }
        kiosk = restart_kiosk(board);
        int code = 4;
        for (int i = 0; i < 200 && code == 4; i++) {
            code = CTL("--json", "audit", "verify");
            if (code == 4)
                usleep(50 * 1000);
        }
        if (code != 0)
            fail_msg("audit verify after kill %d exited %d: %s (the kiosk's log: %s)", round, code,
                     out, kiosk_log);
        cJSON *answer = json_answer(0);
        const cJSON *data = cJSON_GetObjectItem(answer, "data");
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(data, "intact")));
        assert_string_equal(text_of(data, "found"), "intact");
        cJSON_Delete(answer);
    }
    kill(kiosk, SIGTERM);
    waitpid(kiosk, NULL, 0);
    platform_remember_pid(kiosk, false);
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

/* The ids of the refused submissions in the outbox, up to max. */
static size_t refused_submissions(long *ids, size_t max)
{
    if (CTL("--json", "outbox", "list", "--quarantined") != 0)
        return 0;
    cJSON *answer = json_answer(0);
    const cJSON *record = NULL;
    size_t count = 0;
    cJSON_ArrayForEach(record, cJSON_GetObjectItem(cJSON_GetObjectItem(answer, "data"), "records"))
    {
        if (!strcmp(text_of(record, "kind"), "submission") &&
            !strcmp(text_of(record, "state"), "refused") && count < max)
            ids[count++] = (long)cJSON_GetObjectItem(record, "id")->valuedouble;
    }
    cJSON_Delete(answer);
    return count;
}

/* The kiosk's own store, opened by the test while the kiosk is stopped. */
static kiosk_platform *open_kiosk_store(const char *board_path)
{
    board_profile *board = calloc(1, sizeof *board);
    kiosk_diag diag = {{0}};
    if (board_load(board_path, board, &diag) != KIOSK_OK)
        fail_msg("%s: %s", board_path, diag.message);
    platform_config config = {.make_key = true};
    snprintf(config.data_dir, sizeof config.data_dir, "%s", board->data_dir);
    snprintf(config.key_file, sizeof config.key_file, "%s", board->storage.key_file);
    snprintf(config.cipher, sizeof config.cipher, "%s", board->storage.cipher);
    snprintf(config.terminal_id, sizeof config.terminal_id, "%s", board->platform_tls.terminal_id);
    free(board);
    kiosk_platform *platform = NULL;
    assert_int_equal(platform_create(&config, &platform), KIOSK_OK);
    if (platform_store_open(platform, &diag) != KIOSK_OK)
        fail_msg("the kiosk's store: %s", diag.message);
    return platform;
}

/* Every waiting submission in the kiosk's store (the kiosk stopped) marked
 * refused by the platform, as a 422 would have it. How many. */
static size_t refuse_waiting_submissions(const char *board_path, const char *why)
{
    kiosk_platform *platform = open_kiosk_store(board_path);
    platform_outbox_item items[32];
    size_t count = 0, refused = 0;
    assert_int_equal(platform_outbox_list(platform, false, items, 32, &count), KIOSK_OK);
    for (size_t i = 0; i < count; i++) {
        if (strcmp(items[i].kind, "submission") == 0) {
            assert_int_equal(cache_outbox_quarantine(platform->store, items[i].id, why, NULL),
                             KIOSK_OK);
            refused++;
        }
    }
    platform_destroy(platform);
    return refused;
}

/* Killed with SIGKILL while kioskctl outbox close runs on refused
 * records: the next kiosk on the same store finds the chain intact, and
 * every record either closed or still refused. */
static void test_the_audit_chain_survives_a_kill_during_outbox_close(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    for (int i = 0; i < 3; i++) {
        citizen_submits(&k, i == 1 ? "2" : "1");
        kiosk_expect(&k, "tap result.done", "ok rate");
        kiosk_expect(&k, "tap rate.skip", "ok finished");
        citizen_takes_card(&k);
        kiosk_expect(&k, "tap finished.end", "ok attract");
    }
    char board[1100];
    snprintf(board, sizeof board, "%s", k.board);
    stop_kiosk(&k);
    assert_int_equal(refuse_waiting_submissions(board, "422 bad-request: a field"), 3);
    pid_t kiosk = restart_kiosk(board);
    long ids[8];
    size_t count = 0;
    for (int i = 0; i < 200 && count < 3; i++) {
        count = refused_submissions(ids, 8);
        if (count < 3)
            usleep(50 * 1000);
    }
    if (count != 3)
        fail_msg("%zu refused submissions listed, not 3: %s", count, out);

    for (size_t round = 0; round < count; round++) {
        pid_t client = fork();
        if (client == 0) {
            char text[32];
            snprintf(text, sizeof text, "%ld", ids[round]);
            for (;;)
                CTL("outbox", "close", text, "--reason", "duplicate");
        }
        usleep((useconds_t)(20 + 45 * round) * 1000);
        kill(kiosk, SIGKILL);
        waitpid(kiosk, NULL, 0);
        platform_remember_pid(kiosk, false);
        kill(client, SIGKILL);
        waitpid(client, NULL, 0);
        kiosk = restart_kiosk(board);
        int code = 4;
        for (int i = 0; i < 200 && code == 4; i++) {
            code = CTL("--json", "audit", "verify");
            if (code == 4)
                usleep(50 * 1000);
        }
        if (code != 0)
            fail_msg("audit verify after kill %zu exited %d: %s (the kiosk's log: %s)", round, code,
                     out, kiosk_log);
        cJSON *answer = json_answer(0);
        const cJSON *data = cJSON_GetObjectItem(answer, "data");
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(data, "intact")));
        cJSON_Delete(answer);
        /* The record is closed or still refused, and closing it now (or
         * again) says which. */
        char text[32];
        snprintf(text, sizeof text, "%ld", ids[round]);
        long left[8];
        size_t still = refused_submissions(left, 8);
        bool refused = false;
        for (size_t i = 0; i < still; i++)
            refused = refused || left[i] == ids[round];
        code = CTL("--json", "outbox", "close", text, "--reason", "duplicate");
        assert_int_equal(code, refused ? 0 : 1);
        cJSON_Delete(json_answer(code));
        printf("kill %zu: record %ld was %s\n", round, ids[round],
               refused ? "still refused" : "closed");
    }
    kill(kiosk, SIGTERM);
    waitpid(kiosk, NULL, 0);
    platform_remember_pid(kiosk, false);
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

/* What the platform said when it refused a record reaches the technician's
 * terminal through kioskctl outbox list: a C1 control (U+009B, a CSI to
 * many terminals), an escape, a direction override, or a newline that
 * forges a row of its own must not reach it as they are. */
static void test_a_hostile_refusal_text_does_not_reach_the_terminal(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    citizen_submits(&k, "1");
    char board[1100];
    snprintf(board, sizeof board, "%s", k.board);
    stop_kiosk(&k);
    assert_int_equal(refuse_waiting_submissions(board, "422: \xC2\x9B"
                                                       "2J \xE2\x80\xAE"
                                                       "live\n  - id=7  state=waiting  "
                                                       "kind=forged\x1b[2J\tend"),
                     1);
    pid_t kiosk = restart_kiosk(board);
    int code = 4;
    for (int i = 0; i < 200 && code == 4; i++) {
        code = CTL("outbox", "list", "--quarantined");
        if (code == 4)
            usleep(50 * 1000);
    }
    assert_int_equal(code, 0);
    ASSERT_HAS(out, "state=refused");
    ASSERT_HAS(out, "kind=submission");
    assert_null(strstr(out, "\xC2\x9B"));
    assert_null(strstr(out, "\xE2\x80\xAE"));
    assert_null(strchr(out, '\x1b'));
    assert_null(strchr(out, '\t'));
    assert_null(strstr(out, "\n  - id=7"));
    /* --json carries it escaped, for a script to judge. */
    assert_int_equal(CTL("--json", "outbox", "list", "--quarantined"), 0);
    cJSON_Delete(json_answer(0));
    assert_null(strchr(out, '\x1b'));
    kill(kiosk, SIGTERM);
    waitpid(kiosk, NULL, 0);
    platform_remember_pid(kiosk, false);
}

/* The kiosk on board until kioskctl answers (not "not running"): the exit
 * code of its first answer to args. */
static int ctl_once_up(const char *const *args)
{
    int code = 4;
    for (int i = 0; i < 200 && code == 4; i++) {
        code = ctl_argv(args);
        if (code == 4)
            usleep(50 * 1000);
    }
    return code;
}

static void stop_pid(pid_t pid)
{
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    platform_remember_pid(pid, false);
}

/* The disk stays full (the board asks for more free space than there is)
 * while a technician closes a refused record again and again: each close
 * fails saying so (exit 1), the record stays refused, the chain intact;
 * with room again, the close goes through. */
static void test_closing_while_the_disk_stays_full(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    citizen_submits(&k, "1");
    char board[1100];
    snprintf(board, sizeof board, "%s", k.board);
    stop_kiosk(&k);
    assert_int_equal(refuse_waiting_submissions(board, "422 bad-request: a field"), 1);
    char *roomy = strdup(test_read_file(board));
    char *full = strdup(test_replace(roomy, "\"admin\": {",
                                     "\"storage\": {\"min_free_mb\": 65536},\n  \"admin\": {"));
    char dir[1100];
    snprintf(dir, sizeof dir, "%s", board);
    *strrchr(dir, '/') = '\0';
    test_write_file(dir, "board.json", full);
    pid_t kiosk = restart_kiosk(board);
    long ids[4];
    size_t count = 0;
    for (int i = 0; i < 100 && count == 0; i++) {
        ctl_once_up((const char *const[]){"status", NULL});
        count = refused_submissions(ids, 4);
        if (count == 0)
            usleep(50 * 1000);
    }
    if (count != 1)
        fail_msg("the refused record is not listed on a full disk: %s%s", out, err);
    char text[32];
    snprintf(text, sizeof text, "%ld", ids[0]);
    for (int attempt = 0; attempt < 3; attempt++) {
        assert_int_equal(CTL("--json", "outbox", "close", text, "--reason", "duplicate"), 1);
        cJSON *answer = json_answer(1);
        ASSERT_HAS(message_of(answer), "full");
        cJSON_Delete(answer);
    }
    assert_int_equal(refused_submissions(ids, 4), 1);
    assert_int_equal(CTL("--json", "audit", "verify"), 0);
    cJSON_Delete(json_answer(0));
    stop_pid(kiosk);

    test_write_file(dir, "board.json", roomy);
    kiosk = restart_kiosk(board);
    assert_int_equal(
        ctl_once_up((const char *const[]){"outbox", "close", text, "--reason", "duplicate", NULL}),
        0);
    assert_int_equal(refused_submissions(ids, 4), 0);
    assert_int_equal(CTL("--json", "audit", "verify"), 0);
    cJSON_Delete(json_answer(0));
    stop_pid(kiosk);
    free(roomy);
    free(full);
}

/* count more waiting records in the kiosk's store (the kiosk stopped). */
static void put_waiting(const char *board_path, int count)
{
    kiosk_platform *platform = open_kiosk_store(board_path);
    for (int i = 0; i < count; i++) {
        char key[64];
        snprintf(key, sizeof key, "K0420:flood:%d", i);
        cache_put put = {.kind = "rating",
                         .idempotency_key = key,
                         .payload = (const uint8_t *)"{}",
                         .payload_length = 2};
        int64_t id = 0;
        assert_int_equal(
            cache_outbox_put(platform->store, &put, (int64_t)time(NULL) * 1000, &id, NULL),
            KIOSK_OK);
    }
    platform_destroy(platform);
}

/* More records than outbox list shows: it says it shows the first ones,
 * never that the outbox holds only those. */
static void test_a_long_outbox_is_not_said_to_be_short(void **state)
{
    (void)state;
    kiosk_proc k;
    start_kiosk(&k, NULL);
    citizen_submits(&k, "1");
    char board[1100];
    snprintf(board, sizeof board, "%s", k.board);
    stop_kiosk(&k);
    assert_int_equal(refuse_waiting_submissions(board, "422 bad-request: a field"), 1);
    put_waiting(board, 150);
    pid_t kiosk = restart_kiosk(board);
    assert_int_equal(ctl_once_up((const char *const[]){"--json", "outbox", "list", NULL}), 0);
    cJSON *answer = json_answer(0);
    const cJSON *records = cJSON_GetObjectItem(cJSON_GetObjectItem(answer, "data"), "records");
    assert_int_equal(cJSON_GetArraySize(records), 100);
    /* The refused one first, where staff look. */
    assert_string_equal(text_of(cJSON_GetArrayItem(records, 0), "state"), "refused");
    if (!has(message_of(answer), "first 100"))
        fail_msg("150 and more records, and outbox list says \"%s\"", message_of(answer));
    cJSON_Delete(answer);
    stop_pid(kiosk);
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
        cmocka_unit_test(test_waiting_records_and_ids_that_are_not_numbers),
        cmocka_unit_test(test_a_reason_with_a_direction_override_or_a_personal_number_is_refused),
        cmocka_unit_test(test_peers_that_trickle_do_not_hold_the_socket),
        cmocka_unit_test(test_a_symlink_where_the_socket_goes_is_left_alone),
        cmocka_unit_test(test_a_thousand_connections_at_once),
        cmocka_unit_test(test_the_audit_chain_survives_a_kill_mid_append),
        cmocka_unit_test(test_json_is_printed_for_every_usage_error),
        cmocka_unit_test(test_the_audit_chain_survives_a_kill_during_outbox_close),
        cmocka_unit_test(test_silent_outsiders_do_not_hold_the_socket),
        cmocka_unit_test(test_a_hostile_refusal_text_does_not_reach_the_terminal),
        cmocka_unit_test(test_closing_while_the_disk_stays_full),
        cmocka_unit_test(test_a_long_outbox_is_not_said_to_be_short),
        cmocka_unit_test(test_knocking_outsiders_do_not_flush_the_recent_log),
        cmocka_unit_test(test_hidden_characters_in_any_argument_are_usage),
        cmocka_unit_test(test_a_line_count_that_is_not_one_is_usage),
    };
    return PLATFORM_RUN_TESTS(tests);
}
