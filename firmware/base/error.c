#include "firmware/base/error.h"

#include <stdarg.h>
#include <stdio.h>

const char *kiosk_error_name(kiosk_error error)
{
    switch (error) {
    case KIOSK_OK:
        return "ok";
    case KIOSK_ERR_NO_MEMORY:
        return "no-memory";
    case KIOSK_ERR_INVALID_ARGUMENT:
        return "invalid-argument";
    case KIOSK_ERR_NOT_FOUND:
        return "not-found";
    case KIOSK_ERR_IO:
        return "io";
    case KIOSK_ERR_TOO_BIG:
        return "too-big";
    case KIOSK_ERR_MALFORMED:
        return "malformed";
    case KIOSK_ERR_UNSUPPORTED:
        return "unsupported";
    case KIOSK_ERR_DISPLAY:
        return "display";
    case KIOSK_ERR_FONT:
        return "font";
    case KIOSK_ERR_BUSY:
        return "busy";
    case KIOSK_ERR_TIMEOUT:
        return "timeout";
    case KIOSK_ERR_NO_DEVICE:
        return "no-device";
    case KIOSK_ERR_NO_SPACE:
        return "no-space";
    case KIOSK_ERR_INTERNAL:
        return "internal";
    }
    return "unknown";
}

kiosk_error kiosk_diag_set(kiosk_diag *diag, kiosk_error error, const char *format, ...)
{
    if (diag) {
        va_list args;
        va_start(args, format);
        vsnprintf(diag->message, sizeof diag->message, format, args);
        va_end(args);
    }
    return error;
}
