/* Telling the service manager how the kiosk is: systemd's notification
 * protocol (sd_notify(3)), one datagram of "KEY=VALUE" lines to the
 * AF_UNIX socket that NOTIFY_SOCKET names ("/path", or "@name" for an
 * abstract one). The protocol is a stable interface that systemd documents
 * for programs that do not link libsystemd; the kiosk speaks it itself so
 * that the cross build and the desk need no libsystemd (docs/supervision.md).
 *
 * Not under a service manager (no NOTIFY_SOCKET), everything here does
 * nothing and says so by returning false. */
#ifndef KIOSK_FIRMWARE_BASE_SD_NOTIFY_H
#define KIOSK_FIRMWARE_BASE_SD_NOTIFY_H

#include <stdbool.h>

#include <sys/socket.h>
#include <sys/un.h>

typedef struct sd_notifier {
    int fd; /* -1: not under a service manager */
    struct sockaddr_un address;
    socklen_t address_length;
    /* How often to say WATCHDOG=1: half the manager's WatchdogSec, or -1
     * when it watches nothing (or watches another process). */
    long long watchdog_ms;
} sd_notifier;

/* Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID from the
 * environment. False (and n->fd -1) when there is no usable socket: none
 * named, a path too long, a relative path. A WATCHDOG_USEC that is not a
 * whole number of microseconds between 1 ms and a day is ignored, with a
 * log line. */
bool sd_notifier_open(sd_notifier *n);
/* Sends state ("READY=1", "WATCHDOG=1", "STATUS=...", newline-separated);
 * false when not sent. Never blocks. */
bool sd_notifier_send(sd_notifier *n, const char *state);
void sd_notifier_close(sd_notifier *n);

#endif
