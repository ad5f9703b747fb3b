/* The recent log for technicians: read from the ring that the logger keeps
 * (firmware/base/log.c, lines already masked), shown by kioskctl, exported
 * to a USB stick, and sent to the platform (firmware/platform/log_upload.h)
 * on a worker whose outcome the loop's tick takes, audits and reports. */
#include "firmware/app/app_logs.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/board.h"
#include "firmware/app/navigation.h"

#include "firmware/base/event_channel.h"
#include "firmware/base/log.h"
#include "firmware/platform/staff_ops.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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

/* ---- sent to the platform ------------------------------------------------- */

/* How long an upload that may have arrived unanswered is sent again as it
 * was, rather than a fresh copy of the log. */
#define RESEND_SAME_MS (10 * 60 * 1000)

/* The worker's result, waiting for the tick. */
static struct {
    pthread_mutex_t lock;
    bool done;
    log_upload_result result;
} mailbox = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The main thread's. */
static struct {
    const kiosk_app *app; /* whose state this is */
    bool sending;
    char actor[64];
    app_logs_sent done;
    void *context;
    log_upload_request request; /* the one under way, or kept to send again */
    bool kept;
    uint64_t kept_at_ms;
    bool have_last;
    log_upload_result last;
} upload;

static void adopt(const kiosk_app *app)
{
    if (upload.app == app)
        return;
    log_upload_request_free(&upload.request);
    memset(&upload, 0, sizeof upload);
    upload.app = app;
}

static void on_sent(const log_upload_result *result, void *context)
{
    (void)context;
    pthread_mutex_lock(&mailbox.lock);
    mailbox.result = *result;
    mailbox.done = true;
    pthread_mutex_unlock(&mailbox.lock);
    if (event_channel_post(APP_EVENT_REDRAW, NULL, NULL) != KIOSK_OK)
        LOG_WARN("logs", "the loop could not be woken: the outcome shows at its next turn");
}

kiosk_error app_logs_send(kiosk_app *app, const char *actor, app_logs_sent done, void *context)
{
    adopt(app);
    if (upload.sending)
        return KIOSK_ERR_BUSY;
    const board_profile *board = app_board(app);
    /* A link without its certificates would fail in the handshake and be
     * reported as the network's fault: say what it is instead. */
    if (!board->platform_url[0] || !board->platform_tls.terminal_id[0] ||
        !app_platform_configured(app))
        return KIOSK_ERR_UNSUPPORTED;
    uint64_t now = app_now_ms(app);
    if (upload.kept && now - upload.kept_at_ms > RESEND_SAME_MS) {
        log_upload_request_free(&upload.request);
        upload.kept = false;
    }
    if (!upload.kept) {
        char *recent = app_logs_recent(app, LOG_RECENT_LINES);
        if (!recent)
            return KIOSK_ERR_NO_MEMORY;
        log_upload_meta meta = {.terminal_id = board->platform_tls.terminal_id,
                                .board = board->name,
                                .firmware_version = KIOSK_VERSION,
                                .actor = actor ? actor : "terminal",
                                .now_s = (int64_t)app_wall_time(app)};
        kiosk_diag diag = {{0}};
        kiosk_error made = log_upload_prepare(&meta, recent, &upload.request, &diag);
        free(recent);
        if (made != KIOSK_OK) {
            LOG_WARN("logs", "the log is not sent: %s", diag.message);
            return made;
        }
    } else {
        LOG_INFO("logs", "the upload %s that had no answer is sent again as it was",
                 upload.request.key);
    }
    log_upload_config config = {.url = board->platform_url,
                                .ca_file = board->platform_tls.ca_file,
                                .client_cert = board->platform_tls.client_cert,
                                .client_key = board->platform_tls.client_key,
                                .pinned_key = board->platform_tls.pinned_key,
                                .terminal_id = board->platform_tls.terminal_id,
                                .firmware_version = KIOSK_VERSION};
    kiosk_error started = log_upload_start(&config, &upload.request, on_sent, NULL);
    if (started != KIOSK_OK) {
        if (!upload.kept)
            log_upload_request_free(&upload.request);
        return started;
    }
    upload.sending = true;
    upload.done = done;
    upload.context = context;
    snprintf(upload.actor, sizeof upload.actor, "%s", actor ? actor : "terminal");
    LOG_INFO("logs", "sending the log to the platform: %zu lines, key %s", upload.request.lines,
             upload.request.key);
    return KIOSK_OK;
}

bool app_logs_sending(const kiosk_app *app)
{
    return upload.app == app && upload.sending;
}

bool app_logs_last_sent(const kiosk_app *app, log_upload_result *out)
{
    if (upload.app != app || !upload.have_last)
        return false;
    *out = upload.last;
    return true;
}

void app_logs_tick(kiosk_app *app)
{
    pthread_mutex_lock(&mailbox.lock);
    bool done = mailbox.done;
    log_upload_result result = mailbox.result;
    mailbox.done = false;
    pthread_mutex_unlock(&mailbox.lock);
    if (!done || upload.app != app || !upload.sending)
        return;
    upload.sending = false;
    upload.have_last = true;
    upload.last = result;
    char detail[400];
    if (result.outcome == LOG_UPLOAD_SENT)
        snprintf(detail, sizeof detail, "sent: %zu lines, %zu bytes%s", result.lines,
                 upload.request.length, result.replay ? " (the platform had them already)" : "");
    else
        snprintf(detail, sizeof detail, "%s: %s", log_upload_outcome_name(result.outcome),
                 result.message);
    struct kiosk_platform *platform = app_platform_core(app);
    if (!platform ||
        platform_audit(platform, upload.actor, "logs.send", upload.request.key, detail) != KIOSK_OK)
        LOG_WARN("audit", "not kept: logs.send by %s", upload.actor);
    /* Sent again unchanged only when the platform may hold it unanswered. */
    if (log_upload_worth_retrying(result.outcome)) {
        if (!upload.kept)
            upload.kept_at_ms = app_now_ms(app);
        upload.kept = true;
    } else {
        log_upload_request_free(&upload.request);
        upload.kept = false;
    }
    app_logs_sent callback = upload.done;
    void *context = upload.context;
    upload.done = NULL;
    upload.context = NULL;
    if (callback)
        callback(&result, context);
    if (app_current_screen(app) == APP_SCREEN_TECH_LOGS)
        app_show_again(app);
}
