/* The recent log for technicians: read from the ring that the logger keeps
 * (firmware/base/log.c, lines already masked), shown by kioskctl and
 * exported to a USB stick. */
#include "firmware/app/app_logs.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/board.h"

#include "firmware/base/log.h"
#include "firmware/platform/staff_ops.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "0.0.0-dev"
#endif

/* The longest line the ring keeps, newline included. */
#define LOG_LINE_BYTES 1200

char *app_logs_recent(kiosk_app *app, size_t max_lines)
{
    (void)app;
    if (max_lines > LOG_RECENT_LINES)
        max_lines = LOG_RECENT_LINES;
    size_t size = max_lines * LOG_LINE_BYTES + 1;
    char *text = malloc(size);
    if (text)
        log_recent(text, size, max_lines);
    return text;
}

/* Letters, digits and '-' of the terminal's id: it names a file. */
static void file_safe(const char *text, char *out, size_t size)
{
    size_t used = 0;
    for (; *text && used + 1 < size; text++) {
        char c = *text;
        bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        out[used++] = plain ? c : '-';
    }
    out[used] = '\0';
    if (!used)
        snprintf(out, size, "unknown");
}

static kiosk_error write_all(int fd, const char *text, size_t length)
{
    for (size_t done = 0; done < length;) {
        ssize_t written = write(fd, text + done, length - done);
        if (written < 0 && errno == EINTR)
            continue;
        if (written < 0)
            return errno == ENOSPC || errno == EDQUOT ? KIOSK_ERR_NO_SPACE : KIOSK_ERR_IO;
        done += (size_t)written;
    }
    return KIOSK_OK;
}

kiosk_error app_logs_export(kiosk_app *app, const char *dir, const char *actor, char *written,
                            size_t written_size, kiosk_diag *diag)
{
    struct stat folder;
    if (!dir || !dir[0] || stat(dir, &folder) != 0 || !S_ISDIR(folder.st_mode))
        return kiosk_diag_set(diag, KIOSK_ERR_NOT_FOUND,
                              "no folder %s: is the USB stick plugged in and mounted?",
                              dir ? dir : "");
    const board_profile *board = app_board(app);
    char terminal[64];
    file_safe(board->platform_tls.terminal_id, terminal, sizeof terminal);
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    char path[1024];
    int n = snprintf(path, sizeof path, "%s/kiosk-log-%s-%s.txt", dir, terminal, stamp);
    if (n < 0 || (size_t)n + 4 >= sizeof path)
        return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT, "%s: the folder's path is too long",
                              dir);

    char *recent = app_logs_recent(app, LOG_RECENT_LINES);
    char header[1024];
    int header_length =
        snprintf(header, sizeof header,
                 "kiosk log export\nterminal: %s\nboard: %s (%s)\nfirmware: %s\n"
                 "exported: %s by %s\nlines: the last %d, personal numbers masked\n\n",
                 board->platform_tls.terminal_id, board->name, board->description, KIOSK_VERSION,
                 stamp, actor ? actor : "terminal", LOG_RECENT_LINES);
    /* The header too goes through the mask: a description or an actor is
     * text someone typed. */
    char masked[1024];
    log_mask_personal(header, masked, sizeof masked);
    if (!recent || header_length < 0) {
        free(recent);
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "log export: out of memory");
    }
    /* Two exports within a second each get a file of their own. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    for (int again = 2; fd < 0 && errno == EEXIST && again < 100; again++) {
        snprintf(path, sizeof path, "%s/kiosk-log-%s-%s-%d.txt", dir, terminal, stamp, again);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    }
    if (fd < 0) {
        int error = errno;
        free(recent);
        return kiosk_diag_set(diag, error == ENOSPC ? KIOSK_ERR_NO_SPACE : KIOSK_ERR_IO,
                              "%s: cannot be written (%s)", path, strerror(error));
    }
    kiosk_error result = write_all(fd, masked, strlen(masked));
    if (result == KIOSK_OK)
        result = write_all(fd, recent, strlen(recent));
    free(recent);
    if (result == KIOSK_OK && fsync(fd) != 0)
        result = errno == ENOSPC ? KIOSK_ERR_NO_SPACE : KIOSK_ERR_IO;
    if (close(fd) != 0 && result == KIOSK_OK)
        result = KIOSK_ERR_IO;
    if (result != KIOSK_OK) {
        unlink(path);
        return kiosk_diag_set(diag, result, "%s: %s", path,
                              result == KIOSK_ERR_NO_SPACE ? "the USB stick is full"
                                                           : "writing failed");
    }
    if (written)
        snprintf(written, written_size, "%s", path);
    LOG_INFO("logs", "the log is exported to %s", path);
    struct kiosk_platform *platform = app_platform_core(app);
    const char *name = strrchr(path, '/');
    if (!platform || platform_audit(platform, actor ? actor : "terminal", "logs.export", "",
                                    name ? name + 1 : path) != KIOSK_OK)
        LOG_WARN("audit", "not kept: logs.export by %s", actor ? actor : "terminal");
    return KIOSK_OK;
}
