#include "firmware/app/test_control.h"

#include "firmware/base/event_channel.h"
#include "firmware/base/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct test_control {
    int listener;
    int client; /* the connected test, or -1 */
    char path[108];
    pthread_t thread;
    sem_t answered;
    control_command command;
};

void test_control_reply(control_command *command, bool ok, const char *text)
{
    char reply[TEST_CONTROL_LINE_MAX * 64];
    int length = snprintf(reply, sizeof reply, "%s%s%s\n", ok ? "ok" : "error",
                          text && text[0] ? " " : "", text ? text : "");
    if (length < 0)
        length = 0;
    if ((size_t)length >= sizeof reply) {
        length = (int)sizeof reply - 1;
        reply[length - 1] = '\n';
    }
    for (ssize_t sent = 0; sent < length;) {
        ssize_t written =
            send(command->client, reply + sent, (size_t)(length - sent), MSG_NOSIGNAL);
        if (written <= 0)
            break;
        sent += written;
    }
    sem_post(command->answered);
}

/* Reads one line (without the newline) from fd; false at the end. */
static bool read_line(int fd, char *line, size_t size)
{
    size_t used = 0;
    for (;;) {
        char c;
        ssize_t got = read(fd, &c, 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        if (c == '\n')
            break;
        if (c != '\r' && used + 1 < size)
            line[used++] = c;
    }
    line[used] = '\0';
    return true;
}

static void serve(test_control *control, int client)
{
    control->command.client = client;
    control->command.answered = &control->answered;
    while (read_line(client, control->command.line, sizeof control->command.line)) {
        if (!control->command.line[0])
            continue;
        /* The command is the worker's; the main thread answers, then we go on. */
        if (event_channel_post(APP_EVENT_CONTROL, &control->command, NULL) != KIOSK_OK) {
            dprintf(client, "error busy\n");
            continue;
        }
        while (sem_wait(&control->answered) != 0 && errno == EINTR) {
        }
    }
}

static void *accept_loop(void *user)
{
    test_control *control = user;
    for (;;) {
        int client = accept(control->listener, NULL, NULL);
        if (client < 0) {
            if (errno == EINTR)
                continue;
            return NULL; /* the listener was shut down */
        }
        LOG_INFO("control", "test client connected");
        control->client = client;
        serve(control, client);
        control->client = -1;
        close(client);
    }
}

kiosk_error test_control_start(const char *socket_path, test_control **out, kiosk_diag *diag)
{
    test_control *control = calloc(1, sizeof *control);
    if (!control)
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "test control: out of memory");
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    snprintf(address.sun_path, sizeof address.sun_path, "%s", socket_path);
    snprintf(control->path, sizeof control->path, "%s", socket_path);
    sem_init(&control->answered, 0, 0);
    control->client = -1;
    control->listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    unlink(socket_path);
    if (control->listener < 0 ||
        bind(control->listener, (struct sockaddr *)&address, sizeof address) != 0 ||
        listen(control->listener, 1) != 0 ||
        pthread_create(&control->thread, NULL, accept_loop, control) != 0) {
        kiosk_error result = kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: cannot listen (%s)",
                                            socket_path, strerror(errno));
        if (control->listener >= 0)
            close(control->listener);
        sem_destroy(&control->answered);
        free(control);
        return result;
    }
    LOG_WARN("control", "test control channel on %s: this terminal is under test", socket_path);
    *out = control;
    return KIOSK_OK;
}

void test_control_stop(test_control *control)
{
    if (!control)
        return;
    shutdown(control->listener, SHUT_RDWR);
    if (control->client >= 0)
        shutdown(control->client, SHUT_RDWR);
    close(control->listener);
    /* A command may be waiting for an answer that will not come. */
    sem_post(&control->answered);
    pthread_join(control->thread, NULL);
    unlink(control->path);
    sem_destroy(&control->answered);
    free(control);
}
