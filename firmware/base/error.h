/* The project's one closed error enum.
 *
 * Every fallible function returns a kiosk_error. Where a person must be told
 * what went wrong (a technician reading a start-up failure, say), the function
 * also fills a kiosk_diag with one line naming the thing and the problem. The
 * message shown to a citizen is chosen where the error is shown, never here.
 */
#ifndef KIOSK_FIRMWARE_BASE_ERROR_H
#define KIOSK_FIRMWARE_BASE_ERROR_H

#include <stddef.h>

#define KIOSK_MUST_CHECK __attribute__((warn_unused_result))

typedef enum kiosk_error {
    KIOSK_OK = 0,
    KIOSK_ERR_NO_MEMORY,        /* an allocation failed */
    KIOSK_ERR_INVALID_ARGUMENT, /* a caller passed something out of contract */
    KIOSK_ERR_NOT_FOUND,        /* a file, key or item does not exist */
    KIOSK_ERR_IO,               /* reading or writing failed */
    KIOSK_ERR_TOO_BIG,          /* input or buffer over its stated maximum */
    KIOSK_ERR_MALFORMED,        /* input that does not parse or validate */
    KIOSK_ERR_UNSUPPORTED,      /* valid, but not something this build does */
    KIOSK_ERR_DISPLAY,          /* no window, renderer or frame could be had */
    KIOSK_ERR_FONT,             /* a font could not be opened or drawn */
    KIOSK_ERR_BUSY,             /* a bounded queue is full; try again later */
    KIOSK_ERR_TIMEOUT,          /* an operation ran out of time */
    KIOSK_ERR_NO_DEVICE,        /* the device went away (unplugged, powered off) */
    KIOSK_ERR_NO_SPACE,         /* the disk, or a store's limit, is full */
    KIOSK_ERR_INTERNAL,         /* a broken invariant: a bug to report */
} kiosk_error;

/* A stable lower-case name for logs ("malformed", "not-found", ...). */
const char *kiosk_error_name(kiosk_error error);

/* One line for a technician: which file or setting, and what is wrong. */
typedef struct kiosk_diag {
    char message[320];
} kiosk_diag;

/* Fills diag (when not NULL) with a printf-style message; always returns error,
 * so a failing path can read `return kiosk_diag_set(diag, ERR, "...")`. */
kiosk_error kiosk_diag_set(kiosk_diag *diag, kiosk_error error, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

#endif
