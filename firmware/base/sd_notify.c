#include "firmware/base/sd_notify.h"

#include "firmware/base/log.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A whole number in [low, high], the whole of text; false for anything
 * else (a sign, spaces, a suffix, an overflow). */
static bool parse_whole(const char *text, long long low, long long high, long long *out)
{
    if (!text || text[0] < '0' || text[0] > '9')
        return false;
    errno = 0;
    char *end = NULL;
    long long value = strtoll(text, &end, 10);
    if (errno || *end || value < low || value > high)
        return false;
    *out = value;
    return true;
}

static long long watchdog_interval_ms(void)
{
    const char *usec = getenv("WATCHDOG_USEC");
    if (!usec)
        return -1;
    /* The watchdog is another process's when WATCHDOG_PID names one. */
    const char *pid = getenv("WATCHDOG_PID");
    long long watched = 0;
    if (pid && (!parse_whole(pid, 1, 0x7fffffff, &watched) || watched != (long long)getpid()))
        return -1;
    long long microseconds = 0;
    if (!parse_whole(usec, 1000, 86400LL * 1000000, &microseconds)) {
        LOG_WARN("supervisor", "WATCHDOG_USEC \"%.40s\" is no time between 1 ms and a day: ignored",
                 usec);
        return -1;
    }
    /* Half the manager's limit, as sd_watchdog_enabled(3) advises: one
     * late ping is not yet a restart. */
    long long ms = microseconds / 2000;
    return ms > 0 ? ms : 1;
}

bool sd_notifier_open(sd_notifier *n)
{
    *n = (sd_notifier){.fd = -1, .watchdog_ms = -1};
    const char *name = getenv("NOTIFY_SOCKET");
    if (!name || !name[0])
        return false;
    size_t length = strlen(name);
    if ((name[0] != '/' && name[0] != '@') || length >= sizeof n->address.sun_path) {
        LOG_WARN("supervisor", "NOTIFY_SOCKET \"%.60s\" is no socket the kiosk can use", name);
        return false;
    }
    n->address.sun_family = AF_UNIX;
    memcpy(n->address.sun_path, name, length);
    if (name[0] == '@')
        n->address.sun_path[0] = '\0'; /* an abstract socket: no NUL at its end */
    n->address_length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + length);
    n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (n->fd < 0) {
        LOG_WARN("supervisor", "no socket to tell the service manager (%s)", strerror(errno));
        return false;
    }
    n->watchdog_ms = watchdog_interval_ms();
    return true;
}

bool sd_notifier_send(sd_notifier *n, const char *state)
{
    if (n->fd < 0)
        return false;
    ssize_t sent = sendto(n->fd, state, strlen(state), MSG_NOSIGNAL,
                          (const struct sockaddr *)&n->address, n->address_length);
    return sent == (ssize_t)strlen(state);
}

void sd_notifier_close(sd_notifier *n)
{
    if (n->fd >= 0)
        close(n->fd);
    n->fd = -1;
    n->watchdog_ms = -1;
}
