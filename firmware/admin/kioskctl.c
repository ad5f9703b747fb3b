/* kioskctl: a technician's command line to a running kiosk, over its admin
 * socket (docs/kioskctl.md). One request, one answer, an exit code. */
#include "firmware/admin/admin_protocol.h"
#include "firmware/admin/kioskctl_args.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "0.0.0-dev"
#endif

/* Text from the kiosk, shown with any control character but the newline
 * replaced: a log line must not move the technician's cursor. */
/* Prints text for a person at a terminal: what came from the platform, a
 * certificate or a device must not move the cursor, turn text around or
 * forge a line, so controls (C0, DEL, C1), direction and invisible
 * characters and broken UTF-8 are shown as '?'. lines: the log's text,
 * whose newlines are its own. */
static void print_safe(FILE *out, const char *text, bool lines)
{
    size_t left = strlen(text);
    while (left) {
        bool hidden = false;
        size_t n = admin_text_step(text, left, &hidden);
        if (n == 0)
            n = 1;
        if (lines && *text == '\n')
            fputc('\n', out);
        else if (hidden)
            fputc('?', out);
        else
            fwrite(text, 1, n, out);
        text += n;
        left -= n;
    }
}

static void print_text(FILE *out, const char *text)
{
    print_safe(out, text, false);
}

static void print_scalar(FILE *out, const cJSON *item)
{
    if (cJSON_IsString(item))
        print_text(out, item->valuestring);
    else if (cJSON_IsBool(item))
        fputs(cJSON_IsTrue(item) ? "yes" : "no", out);
    else if (cJSON_IsNumber(item))
        fprintf(out, "%.0f", item->valuedouble);
    else if (cJSON_IsNull(item))
        fputs("-", out);
}

static bool is_scalar(const cJSON *item)
{
    return !cJSON_IsObject(item) && !cJSON_IsArray(item);
}

/* One object on one line: "name=value name=value". */
static void print_row(FILE *out, const cJSON *object)
{
    const cJSON *field = NULL;
    bool first = true;
    cJSON_ArrayForEach(field, object)
    {
        if (!is_scalar(field))
            continue;
        fprintf(out, "%s%s=", first ? "" : "  ", field->string);
        print_scalar(out, field);
        first = false;
    }
}

static void print_data(FILE *out, const cJSON *data, int indent)
{
    const cJSON *field = NULL;
    cJSON_ArrayForEach(field, data)
    {
        /* The log comes as one text: printed as it is, line by line. */
        if (indent == 0 && !strcmp(field->string, "text") && cJSON_IsString(field)) {
            print_safe(out, field->valuestring, true);
            continue;
        }
        fprintf(out, "%*s%s:", indent, "", field->string);
        if (is_scalar(field)) {
            fputc(' ', out);
            print_scalar(out, field);
            fputc('\n', out);
        } else if (cJSON_IsObject(field)) {
            fputc('\n', out);
            print_data(out, field, indent + 2);
        } else {
            fputs(cJSON_GetArraySize(field) ? "\n" : " none\n", out);
            const cJSON *item = NULL;
            cJSON_ArrayForEach(item, field)
            {
                fprintf(out, "%*s- ", indent + 2, "");
                if (cJSON_IsObject(item))
                    print_row(out, item);
                else
                    print_scalar(out, item);
                fputc('\n', out);
            }
        }
    }
}

/* --json: what kioskctl itself has to say (no kiosk, no answer in time)
 * is printed as an answer too, so a script reads one form. */
static bool json_output;

static int fail(admin_status status, const char *format, ...) __attribute__((format(printf, 2, 3)));
static int fail(admin_status status, const char *format, ...)
{
    char message[ADMIN_MESSAGE_MAX];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    fprintf(stderr, "kioskctl: %s\n", message);
    if (json_output) {
        char *line = admin_answer_format(status, message, NULL);
        if (line)
            fputs(line, stdout);
        free(line);
    }
    return admin_exit_code(status);
}

static int connect_to(const char *path, int *out)
{
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    snprintf(address.sun_path, sizeof address.sun_path, "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return fail(ADMIN_FAILED, "cannot make a socket: %s", strerror(errno));
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        int error = errno;
        close(fd);
        if (error == EACCES || error == EPERM)
            return fail(ADMIN_REFUSED,
                        "refused: %s is only for root and the admin group (permission denied)",
                        path);
        return fail(ADMIN_UNAVAILABLE, "the kiosk is not running (nothing answers at %s)", path);
    }
    *out = fd;
    return 0;
}

static long long now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec * 1000LL + now.tv_nsec / 1000000;
}

/* Reads the answer line into a new buffer (*length bytes, no newline). */
static int read_answer(int fd, int timeout_s, char **out, size_t *length)
{
    size_t size = 4096, used = 0;
    char *line = malloc(size);
    long long deadline = now_ms() + timeout_s * 1000LL;
    for (;;) {
        if (!line)
            return fail(ADMIN_FAILED, "out of memory");
        long long left = deadline - now_ms();
        struct pollfd ready = {.fd = fd, .events = POLLIN};
        int polled = left > 0 ? poll(&ready, 1, (int)(left > INT_MAX ? INT_MAX : left)) : 0;
        if (polled < 0 && errno == EINTR)
            continue;
        if (polled == 0) {
            free(line);
            return fail(ADMIN_TIMEOUT, "no answer from the kiosk in %d s", timeout_s);
        }
        ssize_t got = polled > 0 ? read(fd, line + used, size - used) : -1;
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            free(line);
            return fail(ADMIN_FAILED, "the kiosk closed the connection without answering");
        }
        char *newline = memchr(line + used, '\n', (size_t)got);
        used += (size_t)got;
        if (newline) {
            *length = (size_t)(newline - line);
            *out = line;
            return 0;
        }
        if (used == size) {
            if (size > ADMIN_ANSWER_MAX) {
                free(line);
                return fail(ADMIN_FAILED, "the kiosk's answer is over %d bytes", ADMIN_ANSWER_MAX);
            }
            size *= 2;
            char *bigger = realloc(line, size);
            if (!bigger)
                free(line);
            line = bigger;
        }
    }
}

static int send_all(int fd, const char *text)
{
    size_t length = strlen(text);
    for (size_t sent = 0; sent < length;) {
        ssize_t written = send(fd, text + sent, length - sent, MSG_NOSIGNAL);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return -1;
        sent += (size_t)written;
    }
    return 0;
}

/* logs --export DIR: the kiosk runs elsewhere; a relative folder is made
 * absolute here, where the technician typed it. */
static int absolute_folder(admin_request *request)
{
    if (strcmp(request->command, "logs") || strcmp(request->args[0], "export") ||
        request->arg_count < 2 || request->args[1][0] == '/')
        return 0;
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return fail(ADMIN_FAILED, "cannot tell the current folder: %s", strerror(errno));
    char joined[ADMIN_ARG_MAX];
    int n = snprintf(joined, sizeof joined, "%s/%s", cwd, request->args[1]);
    if (n < 0 || (size_t)n >= sizeof joined)
        return fail(ADMIN_USAGE, "--export: the folder's path is too long");
    memcpy(request->args[1], joined, (size_t)n + 1);
    return 0;
}

int main(int argc, char *argv[])
{
    kioskctl_options options;
    char error[256];
    if (!kioskctl_parse(argc, argv, &options, error, sizeof error)) {
        fprintf(stderr, "kioskctl: %s\n%sTry 'kioskctl --help' for more.\n", error, kioskctl_usage);
        /* A script that asked for JSON reads it for its own mistakes too,
         * as it does when the kiosk finds them. */
        for (int i = 1; i < argc; i++) {
            if (strcmp(argv[i], "--json") == 0) {
                char *line = admin_answer_format(ADMIN_USAGE, error, NULL);
                if (line)
                    fputs(line, stdout);
                free(line);
                break;
            }
        }
        return admin_exit_code(ADMIN_USAGE);
    }
    if (options.help) {
        fputs(kioskctl_help, stdout);
        return 0;
    }
    if (options.version) {
        printf("kioskctl %s\n", KIOSK_VERSION);
        return 0;
    }
    json_output = options.json;
    int status = absolute_folder(&options.request);
    if (status)
        return status;
    int fd = -1;
    status = connect_to(options.socket, &fd);
    if (status)
        return status;
    char *request = admin_request_format(&options.request);
    if (!request) {
        close(fd);
        return fail(ADMIN_FAILED, "out of memory");
    }
    /* A kiosk that answers at once (busy, refused) may close before it
     * reads the request: its answer is read all the same. */
    bool sent = send_all(fd, request) == 0;
    free(request);
    char *line = NULL;
    size_t length = 0;
    status = read_answer(fd, options.timeout_s, &line, &length);
    close(fd);
    if (status && !sent)
        return admin_exit_code(ADMIN_UNAVAILABLE);
    if (status)
        return status;
    admin_answer answer;
    kiosk_diag diag = {{0}};
    if (admin_answer_parse(line, length, &answer, &diag) != KIOSK_OK) {
        free(line);
        return fail(ADMIN_FAILED, "the kiosk's answer was not understood (%s)", diag.message);
    }
    if (options.json) {
        fwrite(line, 1, length, stdout);
        fputc('\n', stdout);
    } else {
        FILE *out = answer.status == ADMIN_OK ? stdout : stderr;
        if (answer.message[0]) {
            if (answer.status != ADMIN_OK)
                fputs("kioskctl: ", out);
            print_text(out, answer.message);
            fputc('\n', out);
        }
        if (answer.data)
            print_data(stdout, answer.data, 0);
        if (answer.status == ADMIN_USAGE)
            fputs(kioskctl_usage, stderr);
    }
    free(line);
    admin_answer_free(&answer);
    return admin_exit_code(answer.status);
}
