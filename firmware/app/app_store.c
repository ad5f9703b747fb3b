/* The offline store as the app sees it: opened when first needed, tried
 * again while it cannot be opened, written one submission per transaction,
 * kept within the board's retention, and reported to staff. */
#include "firmware/app/app_store.h"

#include "firmware/base/log.h"
#include "firmware/platform/receipt_index.h"
#include "offline-cache/kv.h"
#include "offline-cache/outbox.h"
#include "offline-cache/recover.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A store that cannot be opened is tried again after 1 s, then twice as
 * long each time up to a minute: a disk that was full for a moment comes
 * back quickly, and a broken one is not hammered. */
#define RETRY_FIRST_MS 1000
#define RETRY_MOST_MS  60000
#define PURGE_EVERY_S  86400

/* The app is one per process; tests make several in turn, so the state
 * belongs to the app it was made for and starts over for another. */
static struct store_state {
    const kiosk_app *app;
    bool broken;
    char problem[320];      /* why it cannot be opened, for staff */
    char write_failed[320]; /* the last write that failed, until one succeeds */
    uint64_t retry_at_ms;   /* monotonic */
    uint64_t backoff_ms;
    int64_t purge_at_s; /* wall clock */
    bool sync_failed;   /* the store opened but the sync thread did not start */
    uint64_t sync_retry_at_ms, sync_backoff_ms;
    int64_t stranded; /* records left in files moved aside, not recovered */
    char stranded_file[128];
} state;

static struct store_state *state_of(const kiosk_app *app)
{
    if (state.app != app) {
        memset(&state, 0, sizeof state);
        state.app = app;
    }
    return &state;
}

static bool all_devices_simulated(const board_profile *board)
{
    for (size_t i = 0; i < board->device_count; i++)
        if (board->devices[i].transport != BOARD_TRANSPORT_SIM)
            return false;
    return true;
}

/* The folder holds the database and the sealing key: nobody else's to
 * read, also when it was made by someone else (an installer, by hand). */
static kiosk_error private_folder(const char *path, kiosk_diag *diag)
{
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: cannot create it: %s", path,
                              strerror(errno));
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: not a folder: %s", path, strerror(errno));
    struct stat about;
    kiosk_error result = KIOSK_OK;
    if (fstat(fd, &about) != 0 || ((about.st_mode & 077) && fchmod(fd, 0700) != 0))
        result = kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: cannot make it private (chmod 0700): %s",
                                path, strerror(errno));
    close(fd);
    return result;
}

kiosk_error app_store_options(kiosk_app *app, cache_options *out, char *path, size_t size,
                              kiosk_diag *diag)
{
    const board_profile *board = &app->board;
    kiosk_error made = private_folder(board->data_dir, diag);
    if (made != KIOSK_OK)
        return made;
    snprintf(path, size, "%s/kiosk.db", board->data_dir);
    seal_cipher cipher = SEAL_AES_256_GCM;
    if (!seal_cipher_from_name(board->storage.cipher, &cipher))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "storage.cipher: \"%s\" is unknown",
                              board->storage.cipher);
    kiosk_error loaded =
        seal_key_file_load((void *)board->storage.key_file, &app->platform.key, diag);
    /* A development board (every device simulated) makes its own key on
     * its first start; a real one is given its key when it is installed. */
    if (loaded == KIOSK_ERR_NOT_FOUND && all_devices_simulated(board)) {
        loaded = seal_key_file_create(board->storage.key_file, diag);
        if (loaded == KIOSK_OK)
            loaded = seal_key_file_load((void *)board->storage.key_file, &app->platform.key, diag);
    }
    if (loaded != KIOSK_OK)
        return loaded;
    *out = (cache_options){.path = path,
                           .cipher = cipher,
                           .key = &app->platform.key,
                           .max_outbox_records = board->storage.outbox_max_records,
                           .max_outbox_bytes = (int64_t)board->storage.outbox_max_mb << 20,
                           .retention_days = board->storage.retention_days,
                           .min_free_bytes = (int64_t)board->storage.min_free_mb << 20};
    return KIOSK_OK;
}

static int64_t days_ago(kiosk_app *app, int days)
{
    return (int64_t)app_wall_time(app) - (int64_t)days * 86400;
}

void app_store_purge(kiosk_app *app)
{
    cache_store *store = app->platform.store;
    if (!store)
        return;
    struct store_state *st = state_of(app);
    st->purge_at_s = (int64_t)app_wall_time(app) + PURGE_EVERY_S;
    int retention = cache_retention_days(store);
    kiosk_diag diag = {{0}};
    int64_t purged = 0;
    if (cache_outbox_purge(store, (int64_t)app_wall_time(app), &purged, &diag) != KIOSK_OK)
        LOG_WARN("platform", "old records not purged: %s", diag.message);
    /* Answers and receipts keep their own shorter limits; the board's
     * retention bounds both. */
    int answers = APP_ANSWER_DAYS < retention ? APP_ANSWER_DAYS : retention;
    int receipts = RECEIPT_INDEX_DAYS < retention ? RECEIPT_INDEX_DAYS : retention;
    int64_t forgotten = 0;
    if (cache_kv_purge(store, "answer:", days_ago(app, answers), &forgotten, &diag) != KIOSK_OK)
        LOG_WARN("platform", "old answers not forgotten: %s", diag.message);
    if (receipt_index_purge(store, days_ago(app, receipts), &diag) != KIOSK_OK)
        LOG_WARN("platform", "old receipts not forgotten: %s", diag.message);
}

/* A database moved aside (kiosk.db.corrupt-<time>: by cache_open, or by a
 * technician under that name) may still hold applications the platform
 * never had: each start brings home what it can and tells staff about the
 * rest. */
static void recover_stranded(kiosk_app *app)
{
    struct store_state *st = state_of(app);
    st->stranded = 0;
    st->stranded_file[0] = '\0';
    DIR *folder = opendir(app->board.data_dir);
    if (!folder)
        return;
    static const char *const prefixes[] = {"receipt:", "receipt-alias:", "answer:", NULL};
    static const char aside[] = "kiosk.db.corrupt-";
    struct dirent *entry;
    while ((entry = readdir(folder)) != NULL) {
        const char *name = entry->d_name;
        size_t length = strlen(name);
        if (strncmp(name, aside, sizeof aside - 1) != 0 ||
            (length > 4 &&
             (strcmp(name + length - 4, "-wal") == 0 || strcmp(name + length - 4, "-shm") == 0)))
            continue;
        char path[BOARD_PATH_MAX + 300];
        snprintf(path, sizeof path, "%s/%s", app->board.data_dir, name);
        cache_recover_report report;
        kiosk_diag diag = {{0}};
        kiosk_error result = cache_recover_from(app->platform.store, path, prefixes,
                                                (int64_t)app_wall_time(app) * 1000, &report, &diag);
        if (result != KIOSK_OK)
            LOG_ERROR("platform", "%s: nothing recovered: %s", name, diag.message);
        else if (report.adopted)
            LOG_WARN("platform", "%s: %lld records recovered (%lld were here already)", name,
                     (long long)report.adopted, (long long)report.known);
        if (result != KIOSK_OK || report.stranded || report.unreadable) {
            st->stranded += report.stranded;
            snprintf(st->stranded_file, sizeof st->stranded_file, "%.120s", name);
            LOG_ERROR("platform", "%s: %lld records left in it%s", name, (long long)report.stranded,
                      report.unreadable ? ", and it is damaged" : "");
        }
    }
    closedir(folder);
}

static uint64_t next_backoff(uint64_t backoff_ms)
{
    backoff_ms = backoff_ms ? backoff_ms * 2 : RETRY_FIRST_MS;
    return backoff_ms > RETRY_MOST_MS ? RETRY_MOST_MS : backoff_ms;
}

/* The sync thread, once the store is open; tried again like the store when
 * it does not start (its own handle on the store, libcurl). */
static void start_sync(kiosk_app *app)
{
    struct store_state *st = state_of(app);
    kiosk_diag started = {{0}};
    if (app_platform_start_sync(app, &started) == KIOSK_OK) {
        st->sync_failed = false;
        st->sync_backoff_ms = 0;
        return;
    }
    if (!st->sync_failed)
        LOG_ERROR("platform", "%s: trying again", started.message);
    st->sync_failed = true;
    st->sync_backoff_ms = next_backoff(st->sync_backoff_ms);
    st->sync_retry_at_ms = app_now_ms(app) + st->sync_backoff_ms;
}

kiosk_error app_store_open(kiosk_app *app, kiosk_diag *diag)
{
    if (app->platform.store)
        return KIOSK_OK;
    struct store_state *st = state_of(app);
    char path[BOARD_PATH_MAX + 16];
    cache_options options;
    kiosk_error result = app_store_options(app, &options, path, sizeof path, diag);
    cache_open_report report = {0};
    if (result == KIOSK_OK)
        result = cache_open(&options, &app->platform.store, &report, diag);
    if (result != KIOSK_OK) {
        bool news = !st->broken || strcmp(st->problem, diag->message) != 0;
        /* What citizens see beside the clock depends on it: rebuilt when
         * no finger is down. */
        if (!st->broken)
            app->show_again = true;
        st->broken = true;
        snprintf(st->problem, sizeof st->problem, "%s", diag->message);
        st->backoff_ms = next_backoff(st->backoff_ms);
        st->retry_at_ms = app_now_ms(app) + st->backoff_ms;
        if (news)
            LOG_ERROR("platform",
                      "the offline store cannot be opened (%s): nothing can be kept or sent "
                      "until it is; trying again",
                      diag->message);
        return result;
    }
    if (st->broken) {
        LOG_INFO("platform", "the offline store opened after all");
        app->show_again = true;
    }
    st->broken = false;
    st->problem[0] = '\0';
    st->backoff_ms = 0;
    if (report.moved_aside)
        LOG_ERROR("platform", "the offline store was damaged and moved aside to %s",
                  report.moved_to);
    recover_stranded(app);
    app_store_purge(app);
    start_sync(app);
    return KIOSK_OK;
}

void app_store_tick(kiosk_app *app)
{
    struct store_state *st = state_of(app);
    if (st->broken && app_now_ms(app) >= st->retry_at_ms) {
        kiosk_diag diag = {{0}};
        if (app_store_open(app, &diag) == KIOSK_OK || strcmp(st->problem, diag.message) != 0)
            app_platform_refresh_staff_note(app);
    }
    if (st->sync_failed && app->platform.store && app_now_ms(app) >= st->sync_retry_at_ms)
        start_sync(app);
    if (app->platform.store && (int64_t)app_wall_time(app) >= st->purge_at_s)
        app_store_purge(app);
}

long long app_store_next_ms(const kiosk_app *app)
{
    const struct store_state *st = state_of(app);
    if (!st->broken && !st->sync_failed)
        return -1;
    uint64_t due = st->broken ? st->retry_at_ms : st->sync_retry_at_ms;
    uint64_t now = app_now_ms(app);
    return due > now ? (long long)(due - now) : 0;
}

void app_store_forget(const kiosk_app *app)
{
    if (state.app == app)
        memset(&state, 0, sizeof state);
}

bool app_store_broken(const kiosk_app *app)
{
    return state_of(app)->broken;
}

const char *app_store_citizen_note_key(const kiosk_app *app)
{
    return app_store_broken(app) ? "store.unavailable_note" : NULL;
}

void app_store_write_result(kiosk_app *app, const kiosk_diag *failed)
{
    struct store_state *st = state_of(app);
    char was[sizeof st->write_failed];
    memcpy(was, st->write_failed, sizeof was);
    snprintf(st->write_failed, sizeof st->write_failed, "%s",
             !failed              ? ""
             : failed->message[0] ? failed->message
                                  : "unknown");
    if (strcmp(was, st->write_failed) != 0)
        app_platform_refresh_staff_note(app);
}

kiosk_error app_store_keep_submission(kiosk_app *app, const char *service_id,
                                      const char *idempotency_key,
                                      char *(*body)(kiosk_app *app, void *context), void *context,
                                      int64_t *id, kiosk_diag *diag)
{
    cache_store *store = app->platform.store;
    app->platform.local_reference[0] = '\0';
    kiosk_error result = cache_begin(store);
    if (result != KIOSK_OK)
        return kiosk_diag_set(diag, result, "the store cannot begin a transaction");
    char mark[BOARD_PATH_MAX + 32];
    snprintf(mark, sizeof mark, "%s/receipt-number", app->board.data_dir);
    int64_t number = 0;
    result = receipt_index_next_number(store, mark, &number, diag);
    if (result == KIOSK_OK)
        snprintf(app->platform.local_reference, sizeof app->platform.local_reference,
                 "%.32s-%06lld", app->board.platform_tls.terminal_id, (long long)number);
    char *text = result == KIOSK_OK ? body(app, context) : NULL;
    if (result == KIOSK_OK && !text)
        result = kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "no memory for the submission");
    if (result == KIOSK_OK) {
        cache_put put = {.kind = "submission",
                         .idempotency_key = idempotency_key,
                         .payload = (const uint8_t *)text,
                         .payload_length = strlen(text),
                         .personal = true};
        result = cache_outbox_put(store, &put, (int64_t)app_wall_time(app) * 1000, id, diag);
    }
    if (text) {
        explicit_bzero(text, strlen(text));
        free(text);
    }
    /* The citizen may ask about it here, even with the link down: the
     * receipt is part of what was kept, not an afterthought. */
    if (result == KIOSK_OK)
        result = receipt_index_issued(store, app->platform.local_reference, service_id, *id,
                                      (int64_t)app_wall_time(app), diag);
    if (result == KIOSK_OK) {
        result = cache_commit(store);
        if (result != KIOSK_OK)
            kiosk_diag_set(diag, result, "%s: the submission could not be committed",
                           app->board.data_dir);
    } else {
        cache_rollback(store);
    }
    if (result != KIOSK_OK)
        app->platform.local_reference[0] = '\0';
    return result;
}

/* ---- what staff read at the foot of the attract screen ------------------- */

static void append(char *out, size_t size, const char *text)
{
    size_t used = strlen(out);
    if (used < size)
        snprintf(out + used, size - used, " · %s", text);
}

static void fill_one(const ui_frame_model *frame, const char *key, const char *problem, char *out,
                     size_t size)
{
    const char *names[] = {"problem"};
    char cut[160];
    snprintf(cut, sizeof cut, "%.150s", problem);
    const char *values[] = {cut};
    ui_strings_fill(ui_frame_text(frame, key), names, values, 1, out, size);
}

void app_platform_staff_note(const kiosk_app *app, const ui_frame_model *frame, char *out,
                             size_t size)
{
    const struct store_state *st = state_of(app);
    if (st->broken) {
        /* Nothing is kept or sent: the link and the counts are beside the
         * point until the store opens. */
        fill_one(frame, "staff.store.broken", st->problem, out, size);
        return;
    }
    sync_progress counted = app->platform.progress;
    cache_outbox_stats stats;
    /* The store, not the sync thread's last report: it is right from the
     * start, whether or not the link ever came up. */
    if (app->platform.store &&
        cache_outbox_stats_get(app->platform.store, &stats, NULL) == KIOSK_OK) {
        counted.queued = stats.records;
        counted.quarantined = stats.quarantined;
    }
    const sync_progress *p = &counted;
    char queued[24], quarantined[24], error[sizeof counted.last_error + 8] = "";
    snprintf(queued, sizeof queued, "%lld", (long long)p->queued);
    snprintf(quarantined, sizeof quarantined, "%lld", (long long)p->quarantined);
    /* Online yet not well is staff's too: acknowledgements that cannot be
     * written, a platform clock not believed. */
    bool trouble = p->link != SYNC_LINK_ONLINE || p->outbox_unwritable || p->clock_disagrees;
    if (app->platform.configured && trouble && p->last_error[0])
        snprintf(error, sizeof error, " · %.150s", p->last_error);
    const char *names[] = {"link", "queued", "quarantined", "error"};
    const char *values[] = {ui_frame_text(frame, app_platform_link_key(app)), queued, quarantined,
                            error};
    ui_strings_fill(ui_frame_text(frame, "staff.status"), names, values, 4, out, size);
    if (st->stranded_file[0]) {
        char count[24], left[256];
        snprintf(count, sizeof count, "%lld", (long long)st->stranded);
        const char *left_names[] = {"count", "file"};
        const char *left_values[] = {count, st->stranded_file};
        ui_strings_fill(ui_frame_text(frame, "staff.store.stranded"), left_names, left_values, 2,
                        left, sizeof left);
        append(out, size, left);
    }
    if (st->write_failed[0]) {
        char failed[256];
        fill_one(frame, "staff.store.write_failed", st->write_failed, failed, sizeof failed);
        append(out, size, failed);
    }
    /* Paper is staff's to refill: the printer's state when it needs them. */
    bool printer_needs_staff =
        app_print_available(app) && app->devices_started &&
        (app->printer.supply == DEVICE_SUPPLY_LOW ||
         (app->printer.state != DEVICE_ONLINE && app->printer.state != DEVICE_BUSY));
    if (printer_needs_staff) {
        char key[64];
        snprintf(key, sizeof key, "device.printer.%s.staff",
                 app->printer.reason[0] ? app->printer.reason : "not-found");
        const char *words = ui_strings_lookup(app->strings, app->language, key);
        if (words)
            append(out, size, words);
    }
}
