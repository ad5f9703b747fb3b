/* What tests look at; the product never calls these.
 *
 * Each reads or redirects a base module's state that the kiosk has no use
 * for: where log lines go, how many input devices the idle wait watches, how
 * many bytes the wiping allocator zeroed. They live in the modules they read
 * (which include this header so that their definitions match); only tests
 * call them. */
#ifndef KIOSK_FIRMWARE_BASE_BASE_PROBES_H
#define KIOSK_FIRMWARE_BASE_BASE_PROBES_H

#include "firmware/base/idle_wait.h"

#include <stddef.h>

/* How many input devices are watched. */
int idle_wait_input_count(const idle_wait *wait);

/* Bytes zeroed by wipe_free and wipe_realloc since the start (for tests:
 * that a library's frees pass through here). */
size_t wipe_alloc_wiped_bytes(void);

/* Where lines go: stderr, unless a writer is set. Tests set one to count and
 * read what is logged. It receives each whole line, masked, with its newline,
 * on the thread that logged it. Set it before other threads log and reset it
 * (NULL) after they stopped: the writer and its context are not swapped
 * together atomically. */
typedef void (*log_writer)(void *context, const char *line, size_t length);
void log_set_writer(log_writer writer, void *context);

#endif
