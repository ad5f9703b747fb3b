/* kioskctl's command line (docs/kioskctl.md): the options, and the command
 * turned into the request sent to the kiosk. Nothing here touches the
 * socket, so every way of typing it wrong is tested on its own. */
#ifndef KIOSK_FIRMWARE_ADMIN_KIOSKCTL_ARGS_H
#define KIOSK_FIRMWARE_ADMIN_KIOSKCTL_ARGS_H

#include "firmware/admin/admin_protocol.h"

#include <stdbool.h>
#include <stddef.h>

#define KIOSKCTL_DEFAULT_SOCKET    "/var/lib/kiosk/admin.sock"
#define KIOSKCTL_DEFAULT_TIMEOUT_S 150 /* past the kiosk's own for the slowest command */
#define KIOSKCTL_PATH_MAX          108 /* a Unix socket's path */

typedef struct kioskctl_options {
    bool json;    /* print the kiosk's answer as it came */
    bool help;    /* --help: print it, send nothing */
    bool version; /* --version */
    char socket[KIOSKCTL_PATH_MAX];
    int timeout_s;
    admin_request request;
} kioskctl_options;

/* Parses argv (argv[0] is the program). On a usage error returns false
 * with one line in error saying what was wrong; help and version parse
 * with no command. Paths given to logs --export are sent as typed: the
 * caller makes them absolute. */
bool kioskctl_parse(int argc, char *const argv[], kioskctl_options *out, char *error,
                    size_t error_size);

/* The usage line, and the whole --help text. */
extern const char kioskctl_usage[];
extern const char kioskctl_help[];

#endif
