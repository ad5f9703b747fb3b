/* The emulated board, driven from the host (board_vm.h). */
#include "board_vm.h"

#include "firmware/base/base64.h"
#include "firmware/base/wipe_alloc.h"
#include "platform_fixture.h"
#include "test_support.h"

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

static double clock_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1000.0 + (double)now.tv_nsec / 1e6;
}

const char *board_image_dir(void)
{
    static char dir[600];
    if (!dir[0]) {
        const char *set = getenv("KIOSK_BOARD_IMAGE");
        snprintf(dir, sizeof dir, "%s", set && set[0] ? set : "");
        if (!dir[0])
            snprintf(dir, sizeof dir, "%s/build-board/image", test_source_dir());
    }
    return dir;
}

bool board_image_ready(void)
{
    char path[700];
    snprintf(path, sizeof path, "%s/.inputs", board_image_dir());
    return access(path, R_OK) == 0;
}

const char *board_image_certs(void)
{
    static char dir[700];
    snprintf(dir, sizeof dir, "%s/cache/dev-certs", board_image_dir());
    return dir;
}

const char *board_output_path(const char *name)
{
    static char path[1200];
    snprintf(path, sizeof path, "%s/build/test-output/board", test_source_dir());
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/build/test-output/board/%s.png", test_source_dir(), name);
    return path;
}

/* Runs argv and waits: whether it exited 0. */
static bool run(const char *const argv[])
{
    pid_t pid;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    int failed = posix_spawn(&pid, argv[0], &actions, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (failed)
        return false;
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void board_vm_init(board_vm *vm, const char *name)
{
    memset(vm, 0, sizeof *vm);
    vm->qmp = vm->agent = -1;
    snprintf(vm->image, sizeof vm->image, "%s", board_image_dir());
    snprintf(vm->dir, sizeof vm->dir, "%s", test_make_temp_dir(name));
    char disk[700], base[700];
    snprintf(disk, sizeof disk, "%s/disk.qcow2", vm->dir);
    snprintf(base, sizeof base, "%s/disk.img", vm->image);
    const char *argv[] = {
        "/usr/bin/qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", base, disk, NULL};
    if (!run(argv))
        fail_msg("qemu-img could not make an overlay of %s", base);
}

/* Connects to a Unix socket, waiting up to seconds for it to appear. */
static int connect_to(const char *path, int seconds)
{
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    size_t length = strlen(path);
    if (length >= sizeof address.sun_path) {
        print_message("%s: too long for a socket's address\n", path);
        return -1;
    }
    memcpy(address.sun_path, path, length + 1);
    for (int attempt = 0; attempt < seconds * 10; attempt++) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (connect(fd, (struct sockaddr *)&address, sizeof address) == 0)
            return fd;
        close(fd);
        usleep(100 * 1000);
    }
    return -1;
}

/* One line from fd (without the newline) into a malloc'd string, waiting
 * up to ms; NULL on time-out or end of stream. */
static char *read_line(int fd, int ms)
{
    size_t size = 4096, used = 0;
    char *line = malloc(size);
    double deadline = clock_ms() + ms;
    for (;;) {
        int left = (int)(deadline - clock_ms());
        struct pollfd ready = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&ready, 1, left) != 1)
            break;
        char c;
        if (read(fd, &c, 1) != 1)
            break;
        if (c == '\n') {
            line[used] = '\0';
            return line;
        }
        if (used + 2 >= size)
            line = realloc(line, size *= 2);
        line[used++] = c;
    }
    free(line);
    return NULL;
}

static bool write_all(int fd, const char *text)
{
    size_t length = strlen(text);
    while (length > 0) {
        ssize_t sent = write(fd, text, length);
        if (sent <= 0)
            return false;
        text += sent;
        length -= (size_t)sent;
    }
    return true;
}

/* Sends a command and reads the answer: the first message with "return"
 * or "error" (QMP's events are skipped). The message, or NULL. */
static cJSON *ask(int fd, const char *command, int ms)
{
    if (fd < 0 || !write_all(fd, command) || !write_all(fd, "\n"))
        return NULL;
    double deadline = clock_ms() + ms;
    for (;;) {
        int left = (int)(deadline - clock_ms());
        char *line = left > 0 ? read_line(fd, left) : NULL;
        if (!line)
            return NULL;
        cJSON *message = cJSON_Parse(line);
        free(line);
        if (message &&
            (cJSON_GetObjectItem(message, "return") || cJSON_GetObjectItem(message, "error")))
            return message;
        cJSON_Delete(message);
    }
}

cJSON *board_vm_qmp(board_vm *vm, const char *command, const char *arguments_json)
{
    char text[4096];
    snprintf(text, sizeof text, "{\"execute\": \"%s\"%s%s}", command,
             arguments_json ? ", \"arguments\": " : "", arguments_json ? arguments_json : "");
    cJSON *answer = ask(vm->qmp, text, 30000);
    cJSON *result = answer ? cJSON_DetachItemFromObject(answer, "return") : NULL;
    if (!result && answer) {
        char *error = cJSON_PrintUnformatted(answer);
        print_message("qmp %s: %s\n", command, error);
        free(error);
    }
    cJSON_Delete(answer);
    return result;
}

void board_vm_power_on(board_vm *vm, int platform_port)
{
    char emulate[700], disk[700], qmp[700], qmp_arg[800], agent[700], agent_arg[800], console[800],
        port[16];
    snprintf(emulate, sizeof emulate, "%s/board/emulate", test_source_dir());
    snprintf(disk, sizeof disk, "%s/disk.qcow2", vm->dir);
    snprintf(qmp, sizeof qmp, "%s/qmp.sock", vm->dir);
    snprintf(agent, sizeof agent, "%s/agent.sock", vm->dir);
    snprintf(qmp_arg, sizeof qmp_arg, "unix:%s,server=on,wait=off", qmp);
    snprintf(agent_arg, sizeof agent_arg, "socket,id=qga0,path=%s,server=on,wait=off", agent);
    snprintf(console, sizeof console, "file:%s/console.log", vm->dir);
    snprintf(port, sizeof port, "%d", platform_port > 0 ? platform_port : 9);
    unlink(qmp);
    unlink(agent);
    vm->platform_port = platform_port;
    setenv("BOARD_DISK", disk, 1);
    setenv("BOARD_PLATFORM", port, 1);
    const char *argv[] = {emulate,   vm->image, "-qmp",  qmp_arg, "-chardev",
                          agent_arg, "-serial", console, NULL};
    vm->powered_ms = clock_ms();
    if (posix_spawn(&vm->pid, emulate, NULL, NULL, (char *const *)argv, environ) != 0)
        fail_msg("cannot start %s", emulate);
    platform_remember_pid(vm->pid, true);
    vm->qmp = connect_to(qmp, 20);
    if (vm->qmp < 0)
        fail_msg("qemu did not open its QMP socket %s", qmp);
    char *greeting = read_line(vm->qmp, 10000);
    free(greeting);
    cJSON_Delete(board_vm_qmp(vm, "qmp_capabilities", NULL));
}

bool board_vm_wait_agent(board_vm *vm, int seconds)
{
    char path[700];
    snprintf(path, sizeof path, "%s/agent.sock", vm->dir);
    double deadline = clock_ms() + seconds * 1000.0;
    static int sync_id = 4000;
    while (clock_ms() < deadline) {
        if (vm->agent < 0)
            vm->agent = connect_to(path, 5);
        /* guest-sync with a fresh id: answers left over from an earlier
         * connection are skipped until this one's comes back. */
        char text[128];
        int id = ++sync_id;
        snprintf(text, sizeof text, "{\"execute\": \"guest-sync\", \"arguments\": {\"id\": %d}}",
                 id);
        if (vm->agent < 0 || !write_all(vm->agent, text) || !write_all(vm->agent, "\n"))
            continue;
        /* Answers to earlier syncs (sent before the agent ran, and held by
         * the port) come first: read until this one's. */
        double until = clock_ms() + 2000.0;
        while (clock_ms() < until) {
            char *line = read_line(vm->agent, (int)(until - clock_ms()) + 1);
            if (!line)
                break;
            cJSON *answer = cJSON_Parse(line);
            free(line);
            cJSON *value = answer ? cJSON_GetObjectItem(answer, "return") : NULL;
            bool synced = value && cJSON_IsNumber(value) && (int)value->valuedouble == id;
            cJSON_Delete(answer);
            if (synced)
                return true;
        }
        usleep(500 * 1000);
    }
    return false;
}

int board_vm_exec(board_vm *vm, const char *command, char *out, size_t size, int seconds)
{
    if (out && size)
        out[0] = '\0';
    cJSON *request = cJSON_CreateObject();
    cJSON_AddStringToObject(request, "execute", "guest-exec");
    cJSON *arguments = cJSON_AddObjectToObject(request, "arguments");
    cJSON_AddStringToObject(arguments, "path", "/bin/sh");
    const char *shell_argv[] = {"-c", command};
    cJSON_AddItemToObject(arguments, "arg", cJSON_CreateStringArray(shell_argv, 2));
    cJSON_AddBoolToObject(arguments, "capture-output", true);
    char *text = cJSON_PrintUnformatted(request);
    cJSON_Delete(request);
    cJSON *answer = ask(vm->agent, text, 10000);
    free(text);
    cJSON *pid = answer ? cJSON_GetObjectItem(cJSON_GetObjectItem(answer, "return"), "pid") : NULL;
    if (!cJSON_IsNumber(pid)) {
        cJSON_Delete(answer);
        return -1;
    }
    char status_request[128];
    snprintf(status_request, sizeof status_request,
             "{\"execute\": \"guest-exec-status\", \"arguments\": {\"pid\": %d}}",
             (int)pid->valuedouble);
    cJSON_Delete(answer);
    double deadline = clock_ms() + seconds * 1000.0;
    while (clock_ms() < deadline) {
        cJSON *status = ask(vm->agent, status_request, 10000);
        cJSON *result = status ? cJSON_GetObjectItem(status, "return") : NULL;
        if (!result) {
            cJSON_Delete(status);
            return -1;
        }
        if (cJSON_IsTrue(cJSON_GetObjectItem(result, "exited"))) {
            cJSON *code = cJSON_GetObjectItem(result, "exitcode");
            cJSON *data = cJSON_GetObjectItem(result, "out-data");
            int exit_code = cJSON_IsNumber(code) ? (int)code->valuedouble : -1;
            if (out && size && cJSON_IsString(data)) {
                size_t length = 0;
                unsigned char *bytes = base64_decode(data->valuestring, 1 << 24, &length);
                if (bytes) {
                    size_t copy = length < size - 1 ? length : size - 1;
                    memcpy(out, bytes, copy);
                    out[copy] = '\0';
                    wipe_free(bytes);
                }
            }
            cJSON_Delete(status);
            return exit_code;
        }
        cJSON_Delete(status);
        usleep(100 * 1000);
    }
    return -1;
}

const char *board_vm_control(board_vm *vm, const char *command)
{
    static char answer[1 << 18];
    char shell[1024];
    /* The command as an argument of printf: the test's own text only. */
    snprintf(shell, sizeof shell,
             "printf '%%s\\n' '%s' | socat -t 30 - UNIX-CONNECT:/run/kiosk/control.sock", command);
    if (board_vm_exec(vm, shell, answer, sizeof answer, 60) != 0)
        answer[0] = '\0';
    answer[strcspn(answer, "\n")] = '\0';
    return answer;
}

bool board_vm_wait_screen(board_vm *vm, const char *screen, int seconds)
{
    char expected[128];
    snprintf(expected, sizeof expected, "ok %s", screen);
    double deadline = clock_ms() + seconds * 1000.0;
    while (clock_ms() < deadline) {
        if (strcmp(board_vm_control(vm, "screen"), expected) == 0)
            return true;
        usleep(500 * 1000);
    }
    return false;
}

const char *board_vm_unit(board_vm *vm, const char *unit, const char *property)
{
    static char value[512];
    char command[256];
    snprintf(command, sizeof command, "systemctl show -p %s --value %s", property, unit);
    if (board_vm_exec(vm, command, value, sizeof value, 30) != 0)
        value[0] = '\0';
    value[strcspn(value, "\n")] = '\0';
    return value;
}

void board_vm_screenshot(board_vm *vm, const char *png_path)
{
    char arguments[1200];
    snprintf(arguments, sizeof arguments, "{\"filename\": \"%s\", \"format\": \"png\"}", png_path);
    cJSON *done = board_vm_qmp(vm, "screendump", arguments);
    if (!done)
        fail_msg("screendump to %s failed", png_path);
    cJSON_Delete(done);
}

/* The virtio tablet is an absolute pointer, not a touchscreen: SDL 2.26
 * reads its axes as pixels (it scales only a touchscreen's range), so the
 * tablet is given pixels. A board's real touch controller is a touchscreen
 * and reaches the kiosk as fingers (docs/board-image.md). */
static void send_input(board_vm *vm, const char *events)
{
    char arguments[1024];
    snprintf(arguments, sizeof arguments, "{\"events\": [%s]}", events);
    cJSON_Delete(board_vm_qmp(vm, "input-send-event", arguments));
}

static void put_pointer(board_vm *vm, int x, int y)
{
    char events[512];
    snprintf(events, sizeof events,
             "{\"type\": \"abs\", \"data\": {\"axis\": \"x\", \"value\": %d}},"
             "{\"type\": \"abs\", \"data\": {\"axis\": \"y\", \"value\": %d}}",
             x, y);
    send_input(vm, events);
    vm->pointer_x = x;
    vm->pointer_y = y;
}

void board_vm_tap(board_vm *vm, int x, int y)
{
    /* The kernel reports an axis only when it changes, and SDL 2.26 reads
     * an absolute pointer's frame that moves one axis as if the other were
     * 0: the tablet goes first to a point off both axes of the last and the
     * next, so that every frame moves both. */
    int via_x = x + 7, via_y = y + 7;
    if (via_x == vm->pointer_x)
        via_x += 7;
    if (via_y == vm->pointer_y)
        via_y += 7;
    put_pointer(vm, via_x, via_y);
    usleep(50 * 1000);
    put_pointer(vm, x, y);
    usleep(100 * 1000);
    send_input(vm, "{\"type\": \"btn\", \"data\": {\"down\": true, \"button\": \"left\"}}");
    usleep(150 * 1000);
    send_input(vm, "{\"type\": \"btn\", \"data\": {\"down\": false, \"button\": \"left\"}}");
}

bool board_vm_tap_widget(board_vm *vm, const char *id)
{
    /* A person looks at a screen before touching it; a touch in the first
     * moments of a screen is taken as meant for the one before. */
    usleep(800 * 1000);
    const char *answer = board_vm_control(vm, "tree");
    cJSON *tree = strncmp(answer, "ok ", 3) == 0 ? cJSON_Parse(answer + 3) : NULL;
    cJSON *widget;
    bool found = false;
    cJSON_ArrayForEach(widget, cJSON_GetObjectItem(tree, "widgets"))
    {
        cJSON *name = cJSON_GetObjectItem(widget, "id");
        cJSON *bounds = cJSON_GetObjectItem(widget, "bounds");
        if (!cJSON_IsString(name) || strcmp(name->valuestring, id) != 0 ||
            cJSON_GetArraySize(bounds) != 4)
            continue;
        int x = (int)cJSON_GetArrayItem(bounds, 0)->valuedouble;
        int y = (int)cJSON_GetArrayItem(bounds, 1)->valuedouble;
        int w = (int)cJSON_GetArrayItem(bounds, 2)->valuedouble;
        int h = (int)cJSON_GetArrayItem(bounds, 3)->valuedouble;
        board_vm_tap(vm, x + w / 2, y + h / 2);
        found = true;
        break;
    }
    cJSON_Delete(tree);
    return found;
}

void board_vm_keys(board_vm *vm, const char *const *qcodes, size_t count)
{
    char keys[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < count && used < sizeof keys - 64; i++)
        used +=
            (size_t)snprintf(keys + used, sizeof keys - used,
                             "%s{\"type\": \"qcode\", \"data\": \"%s\"}", i ? ", " : "", qcodes[i]);
    char arguments[700];
    snprintf(arguments, sizeof arguments, "{\"keys\": [%s], \"hold-time\": 200}", keys);
    cJSON_Delete(board_vm_qmp(vm, "send-key", arguments));
}

static void close_sockets(board_vm *vm)
{
    if (vm->qmp >= 0)
        close(vm->qmp);
    if (vm->agent >= 0)
        close(vm->agent);
    vm->qmp = vm->agent = -1;
}

void board_vm_power_cut(board_vm *vm)
{
    close_sockets(vm);
    if (vm->pid > 0) {
        kill(vm->pid, SIGKILL);
        waitpid(vm->pid, NULL, 0);
        platform_remember_pid(vm->pid, false);
    }
    vm->pid = 0;
}

void board_vm_destroy(board_vm *vm)
{
    board_vm_power_cut(vm);
    char command[700];
    snprintf(command, sizeof command, "%s/disk.qcow2", vm->dir);
    unlink(command);
}
