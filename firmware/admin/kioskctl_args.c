#include "firmware/admin/kioskctl_args.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char kioskctl_usage[] = "Usage: kioskctl [OPTIONS...] COMMAND ...\n";

const char kioskctl_help[] =
    "kioskctl [OPTIONS...] COMMAND ...\n"
    "\n"
    "Look after this self-service terminal: its devices, its outbox, its log,\n"
    "its audit trail and its certificate. Root or the admin group only.\n"
    "\n"
    "Terminal Commands:\n"
    "  status                      Show the link, the outbox and the devices in short\n"
    "  devices                     List each device with its state and supply\n"
    "  selftest DEVICE             Run a device's self-test (card, printer, a4,\n"
    "                              scanner, touch, screen, speaker, keypad)\n"
    "  config show                 Show the board profile in use\n"
    "  session end                 End the session open at the screen (a citizen's,\n"
    "                              staff's or technician's), as its time-out would\n"
    "\n"
    "Outbox Commands:\n"
    "  outbox list [--quarantined] List the records waiting or refused (masked)\n"
    "  outbox resend ID            Send a refused record again after a fix\n"
    "  outbox close ID --reason TEXT\n"
    "                              Close a refused record for good, saying why\n"
    "\n"
    "Log and Audit Commands:\n"
    "  logs [-n N] [--export [DIR]]\n"
    "                              Show the last N log lines (masked; default 50),\n"
    "                              or write them to a file in DIR (default: the\n"
    "                              board's USB stick)\n"
    "  logs --send                 Send the recent log (masked) to the platform\n"
    "  audit verify                Check the audit trail's hash chain\n"
    "\n"
    "Certificate Commands:\n"
    "  cert status                 Show the client certificate and its expiry\n"
    "  cert enrol CODE             Make a new key and certificate with a one-time code\n"
    "\n"
    "Options:\n"
    "  -h --help                   Show this help\n"
    "     --version                Show the version\n"
    "     --json                   Print the kiosk's answer as JSON\n"
    "     --socket PATH            The kiosk's admin socket\n"
    "                              (default " KIOSKCTL_DEFAULT_SOCKET ")\n"
    "     --timeout SECONDS        Give up after this long (default 150)\n"
    "\n"
    "Exit status: 0 done, 1 the operation failed (a self-test failed, the audit\n"
    "chain is broken), 2 usage, 3 refused (not root nor in the admin group),\n"
    "4 the kiosk is not running, 5 timed out.\n"
    "See docs/kioskctl.md.\n";

static bool usage_error(char *error, size_t size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
static bool usage_error(char *error, size_t size, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(error, size, format, args);
    va_end(args);
    return false;
}

/* A whole positive decimal number no larger than max. */
static bool whole_number(const char *text, long max, long *out)
{
    if (!text[0] || text[0] == '-' || text[0] == '+')
        return false;
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno || *end || value < 1 || value > max)
        return false;
    *out = value;
    return true;
}

static bool add_arg(admin_request *request, const char *arg, char *error, size_t size)
{
    if (request->arg_count >= ADMIN_ARGS_MAX)
        return usage_error(error, size, "too many arguments");
    if (strlen(arg) >= ADMIN_ARG_MAX)
        return usage_error(error, size, "an argument over %d bytes", ADMIN_ARG_MAX - 1);
    for (const char *p = arg; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return usage_error(error, size, "a control character in an argument");
    }
    snprintf(request->args[request->arg_count++], ADMIN_ARG_MAX, "%s", arg);
    return true;
}

/* The words after the command, checked against what the command takes;
 * the request's args in the form the kiosk reads (docs/kioskctl.md). */
static bool command_args(admin_request *request, int count, char *const words[], char *error,
                         size_t size)
{
    const char *command = request->command;
    if (!strcmp(command, "status") || !strcmp(command, "devices")) {
        if (count != 0)
            return usage_error(error, size, "%s takes no arguments", command);
        return true;
    }
    if (!strcmp(command, "selftest")) {
        if (count != 1)
            return usage_error(error, size, "selftest: which device?");
        return add_arg(request, words[0], error, size);
    }
    if (!strcmp(command, "config") || !strcmp(command, "audit")) {
        const char *only = command[0] == 'c' ? "show" : "verify";
        if (count != 1 || strcmp(words[0], only) != 0)
            return usage_error(error, size, "%s: expected \"%s %s\"", command, command, only);
        return add_arg(request, only, error, size);
    }
    if (!strcmp(command, "cert")) {
        if (count == 1 && !strcmp(words[0], "status"))
            return add_arg(request, "status", error, size);
        if (count == 2 && !strcmp(words[0], "enrol"))
            return add_arg(request, "enrol", error, size) &&
                   add_arg(request, words[1], error, size);
        return usage_error(error, size, "cert: expected \"cert status\" or \"cert enrol CODE\"");
    }
    if (!strcmp(command, "outbox")) {
        long id = 0;
        if (count >= 1 && !strcmp(words[0], "list")) {
            if (count == 1)
                return add_arg(request, "list", error, size);
            if (count == 2 && !strcmp(words[1], "--quarantined"))
                return add_arg(request, "list", error, size) &&
                       add_arg(request, "quarantined", error, size);
            return usage_error(error, size, "outbox list: only --quarantined");
        }
        if (count >= 2 && (!strcmp(words[0], "resend") || !strcmp(words[0], "close")) &&
            !whole_number(words[1], 999999999999L, &id))
            return usage_error(error, size, "outbox %s: ID is a record's number", words[0]);
        if (count == 2 && !strcmp(words[0], "resend"))
            return add_arg(request, "resend", error, size) &&
                   add_arg(request, words[1], error, size);
        if (count >= 1 && !strcmp(words[0], "close")) {
            if (count != 4 || strcmp(words[2], "--reason") != 0 || !words[3][0])
                return usage_error(error, size, "outbox close: expected ID --reason TEXT");
            return add_arg(request, "close", error, size) &&
                   add_arg(request, words[1], error, size) &&
                   add_arg(request, words[3], error, size);
        }
        return usage_error(error, size,
                           "outbox: expected list, resend ID or close ID --reason TEXT");
    }
    if (!strcmp(command, "logs") && count >= 1 && !strcmp(words[0], "--send")) {
        if (count != 1)
            return usage_error(error, size, "logs --send takes nothing more");
        return add_arg(request, "send", error, size);
    }
    if (!strcmp(command, "logs")) {
        const char *lines = "50", *dir = NULL;
        for (int i = 0; i < count; i++) {
            long n = 0;
            if (!strcmp(words[i], "-n") && i + 1 < count) {
                if (!whole_number(words[i + 1], 100000, &n))
                    return usage_error(error, size, "logs -n: a number of lines, 1 or more");
                lines = words[++i];
            } else if (!strcmp(words[i], "--export")) {
                /* Without a folder: the board's USB stick (usb_export_dir). */
                dir = i + 1 < count && words[i + 1][0] != '-' ? words[++i] : "";
            } else {
                return usage_error(error, size, "logs: expected [-n N] [--export [DIR]]");
            }
        }
        if (dir && !dir[0])
            return add_arg(request, "export", error, size);
        if (dir)
            return add_arg(request, "export", error, size) && add_arg(request, dir, error, size);
        return add_arg(request, "recent", error, size) && add_arg(request, lines, error, size);
    }
    if (!strcmp(command, "session")) {
        if (count != 1 || strcmp(words[0], "end") != 0)
            return usage_error(error, size, "session: expected \"session end\"");
        return add_arg(request, "end", error, size);
    }
    return usage_error(error, size, "unknown command \"%s\"", command);
}

bool kioskctl_parse(int argc, char *const argv[], kioskctl_options *out, char *error,
                    size_t error_size)
{
    memset(out, 0, sizeof *out);
    snprintf(out->socket, sizeof out->socket, "%s", KIOSKCTL_DEFAULT_SOCKET);
    out->timeout_s = KIOSKCTL_DEFAULT_TIMEOUT_S;
    error[0] = '\0';
    int i = 1;
    /* Options come before the command; a command's own (--reason, -n,
     * --export, --quarantined) after it. --json may also come last. */
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *option = argv[i];
        long seconds = 0;
        if (!strcmp(option, "-h") || !strcmp(option, "--help")) {
            out->help = true;
        } else if (!strcmp(option, "--version")) {
            out->version = true;
        } else if (!strcmp(option, "--json")) {
            out->json = true;
        } else if (!strcmp(option, "--socket") && i + 1 < argc) {
            const char *path = argv[++i];
            if (!path[0] || strlen(path) >= sizeof out->socket)
                return usage_error(error, error_size, "--socket: a path under %zu bytes",
                                   sizeof out->socket);
            snprintf(out->socket, sizeof out->socket, "%s", path);
        } else if (!strcmp(option, "--timeout") && i + 1 < argc) {
            if (!whole_number(argv[++i], 3600, &seconds))
                return usage_error(error, error_size, "--timeout: seconds, 1 to 3600");
            out->timeout_s = (int)seconds;
        } else {
            return usage_error(error, error_size, "unknown option \"%s\"", option);
        }
    }
    if (out->help || out->version)
        return true;
    if (i >= argc)
        return usage_error(error, error_size, "no command given");
    int last = argc;
    if (last - 1 > i && !strcmp(argv[last - 1], "--json")) {
        out->json = true;
        last--;
    }
    const char *command = argv[i];
    if (strlen(command) >= sizeof out->request.command)
        return usage_error(error, error_size, "unknown command \"%.40s\"", command);
    snprintf(out->request.command, sizeof out->request.command, "%s", command);
    return command_args(&out->request, last - i - 1, argv + i + 1, error, error_size);
}
