/* Sleeping until something happens, with no CPU spent meanwhile.
 *
 * SDL's SDL_WaitEventTimeout blocks in the kernel only on desktop video
 * drivers (x11, wayland). On the board's kmsdrm driver, and offscreen, it polls
 * every millisecond. There the main thread sleeps in poll(2) instead, on the
 * event channel's wake-up descriptor and on the touch screen's input devices,
 * and pumps SDL when one of them stirs. See docs/main-loop.md. */
#ifndef KIOSK_FIRMWARE_BASE_IDLE_WAIT_H
#define KIOSK_FIRMWARE_BASE_IDLE_WAIT_H

#include "firmware/base/error.h"

#include <stdbool.h>

#define IDLE_WAIT_INPUTS_MAX 16

typedef struct idle_wait idle_wait;

/* wake_fd: readable when a worker posts an event. watch_input: also wake on
 * /dev/input/event* activity (the board). *out is owned by the caller. */
kiosk_error idle_wait_open(int wake_fd, bool watch_input, idle_wait **out) KIOSK_MUST_CHECK;
void idle_wait_close(idle_wait *wait);

/* Sleeps up to timeout_ms (negative: no limit) or until woken. */
void idle_wait_sleep(idle_wait *wait, int timeout_ms);

#endif
