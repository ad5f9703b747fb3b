/* The test control channel: end-to-end tests drive the real kiosk binary over
 * a Unix socket, one command per line, one reply line per command ("ok ..."
 * or "error ...").
 *
 *   screen                 the screen shown now
 *   tree                   the semantic tree as JSON (id, role, text, bounds, state)
 *   tap ID                 a finger on the centre of the visible widget ID
 *   wait SCREEN MS         until that screen shows, or MS milliseconds pass
 *   advance MS             move the session clock on (time-outs without waiting)
 *   screenshot PATH        the frame as a PNG
 *   quit                   stop the kiosk
 *
 * Off unless the board profile names a socket (test_control); board_load
 * refuses it on any board with a real device. A worker thread accepts and
 * reads; each command travels to the main thread through the event channel,
 * which answers on the client's socket and then lets the worker read on. */
#ifndef KIOSK_FIRMWARE_APP_TEST_CONTROL_H
#define KIOSK_FIRMWARE_APP_TEST_CONTROL_H

#include "firmware/base/error.h"

#include <semaphore.h>
#include <stdbool.h>

#define TEST_CONTROL_LINE_MAX 1024

/* One command in flight; owned by the worker, lent to the main thread, which
 * must call test_control_reply exactly once. */
typedef struct control_command {
    char line[TEST_CONTROL_LINE_MAX];
    int client;
    sem_t *answered;
} control_command;

typedef struct test_control test_control;

/* Listens on socket_path (replacing a stale socket). *out is owned by the
 * caller (test_control_stop). Errors: IO. */
kiosk_error test_control_start(const char *socket_path, test_control **out,
                               kiosk_diag *diag) KIOSK_MUST_CHECK;
void test_control_stop(test_control *control);

/* Main thread: answers command with "ok <text>" or "error <text>" and lets
 * the worker go on. */
void test_control_reply(control_command *command, bool ok, const char *text);

#endif
