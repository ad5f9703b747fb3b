/* The real kiosk and the real kioskctl for the hostile tests
 * (tests/e2e/test_kioskctl_hostile.c, test_kioskctl_outbox_hostile.c): a
 * kiosk with its admin socket in /tmp, kioskctl run against it, raw lines
 * on the socket, and the kiosk's own store opened while it is stopped. */
#include "kioskctl_fixture.h"

#include "firmware/app/board.h"
#include "firmware/platform/staff_ops.h"
#include "firmware/platform/store_use_internal.h"
#include "offline-cache/outbox.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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

char admin_socket[108];
char kiosk_log[1200];
char stick[1100];
char out[1 << 17], err[1 << 14];
bool plant_symlink;
char victim[1100];

const char *kioskctl_binary(void)
{
    static char path[1100];
    snprintf(path, sizeof path, "%sctl", test_kiosk_binary());
    return path;
}

/* kioskctl --socket <the kiosk's> args...: its exit code; out and err. */
int ctl_argv(const char *const *args)
{
    const char *argv[16] = {kioskctl_binary(), "--socket", admin_socket};
    size_t n = 3;
    for (; args[n - 3] && n < 15; n++)
        argv[n] = args[n - 3];
    argv[n] = NULL;
    out[0] = err[0] = '\0';
    return test_run(argv, err, sizeof err, out, sizeof out);
}

/* The answer of a --json command, checked to be one JSON object whose
 * status gives the exit code kioskctl returned. */
cJSON *json_answer(int code)
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

const char *text_of(const cJSON *object, const char *name)
{
    const cJSON *item = cJSON_GetObjectItem(object, name);
    if (!cJSON_IsString(item))
        fail_msg("no string \"%s\" in the answer", name);
    return item->valuestring;
}

const char *message_of(const cJSON *answer)
{
    return text_of(answer, "message");
}

bool has(const char *text, const char *what)
{
    return strstr(text, what) != NULL;
}

/* The kiosk on a development board with its certificates, as a terminal
 * in a hall has them, whose platform does not answer (its submissions are
 * kept offline), logging at info into kiosk_log, kioskctl's
 * socket in /tmp (any user can reach the folder; the socket's own mode and
 * the peer check decide), admin group group (NULL: the default). */
void start_kiosk(kiosk_proc *k, const char *group)
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

    kiosk_start_logged(k, kiosk_log);
    kiosk_expect(k, "wait attract 5000", "ok attract");
}

/* Stops the kiosk; its log (ASan and UBSan write there too) shows no
 * sanitizer report. */
void stop_kiosk(kiosk_proc *k)
{
    kiosk_stop(k, false);
    const char *log = test_read_file(kiosk_log);
    if (strstr(log, "Sanitizer") || strstr(log, "runtime error"))
        fail_msg("the kiosk's log has a sanitizer report: %s", kiosk_log);
}

/* One raw line to the admin socket, as a hostile peer would send it: the
 * answer line. */
cJSON *raw_request(const char *line, size_t length)
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
long waiting_submission(kiosk_proc *k)
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
bool still_waiting(long id)
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

/* The kiosk again on board (its log into kiosk_log), without the test's
 * control channel: kioskctl is how it is reached. */
pid_t restart_kiosk(const char *board)
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

/* The ids of the refused submissions in the outbox, up to max. */
size_t refused_submissions(long *ids, size_t max)
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
kiosk_platform *open_kiosk_store(const char *board_path)
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
size_t refuse_waiting_submissions(const char *board_path, const char *why)
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

/* The kiosk on board until kioskctl answers (not "not running"): the exit
 * code of its first answer to args. */
int ctl_once_up(const char *const *args)
{
    int code = 4;
    for (int i = 0; i < 200 && code == 4; i++) {
        code = ctl_argv(args);
        if (code == 4)
            usleep(50 * 1000);
    }
    return code;
}

void stop_pid(pid_t pid)
{
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    platform_remember_pid(pid, false);
}

/* count more waiting records in the kiosk's store (the kiosk stopped). */
void put_waiting(const char *board_path, int count)
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
