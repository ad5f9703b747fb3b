#include "firmware/base/idle_wait.h"
#include "firmware/base/base_probes.h"

#include "firmware/base/log.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct idle_wait {
    struct pollfd fds[1 + IDLE_WAIT_INPUTS_MAX];
    int count;
};

/* Our own descriptors on the input devices only tell us that SDL has something
 * to read; SDL reads its own copy of every event. */
static void watch_input_devices(idle_wait *wait)
{
    DIR *dir = opendir("/dev/input");
    struct dirent *entry;
    while (dir && (entry = readdir(dir)) && wait->count < 1 + IDLE_WAIT_INPUTS_MAX) {
        if (strncmp(entry->d_name, "event", 5) != 0)
            continue;
        char path[300];
        snprintf(path, sizeof path, "/dev/input/%s", entry->d_name);
        int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            continue;
        wait->fds[wait->count++] = (struct pollfd){.fd = fd, .events = POLLIN};
    }
    if (dir)
        closedir(dir);
}

kiosk_error idle_wait_open(int wake_fd, bool watch_input, idle_wait **out)
{
    idle_wait *wait = calloc(1, sizeof *wait);
    if (!wait)
        return KIOSK_ERR_NO_MEMORY;
    wait->fds[0] = (struct pollfd){.fd = wake_fd, .events = POLLIN};
    wait->count = 1;
    if (watch_input)
        watch_input_devices(wait);
    LOG_DEBUG("wait", "sleeping in poll on %d input devices", wait->count - 1);
    *out = wait;
    return KIOSK_OK;
}

void idle_wait_close(idle_wait *wait)
{
    if (!wait)
        return;
    for (int i = 1; i < wait->count; i++)
        close(wait->fds[i].fd);
    free(wait);
}

void idle_wait_sleep(idle_wait *wait, int timeout_ms)
{
    if (poll(wait->fds, (nfds_t)wait->count, timeout_ms) <= 0)
        return;
    char discard[512];
    for (int i = 1; i < wait->count; i++) {
        if (!(wait->fds[i].revents & POLLIN))
            continue;
        while (read(wait->fds[i].fd, discard, sizeof discard) > 0) {
        }
    }
}

int idle_wait_input_count(const idle_wait *wait)
{
    return wait->count - 1;
}
