/* Reading whole files with a stated maximum size. */
#ifndef KIOSK_FIRMWARE_BASE_FILE_H
#define KIOSK_FIRMWARE_BASE_FILE_H

#include "firmware/base/error.h"

#include <stddef.h>

/* Reads the file at path into a new NUL-terminated buffer (*out, owned by the
 * caller, free() it) of *out_size bytes (not counting the NUL).
 * Errors: NOT_FOUND (no such file), TOO_BIG (over max_size), IO; diag names the
 * file and the problem. */
kiosk_error file_read_all(const char *path, size_t max_size, char **out, size_t *out_size,
                          kiosk_diag *diag) KIOSK_MUST_CHECK;

#endif
