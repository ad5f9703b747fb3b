/* The offline store as the kiosk uses it: opened when first needed, tried
 * again while it cannot be opened, kept within the board's retention, with
 * what a store moved aside still holds brought home; the sync thread
 * started with it, and its news carried to the main thread; the answers
 * and receipts a citizen may ask about with the link down; and what staff
 * are told about all of it. */
#include "firmware/platform/store_use_internal.h"

#include "firmware/base/log.h"
#include "offline-cache/audit.h"
#include "offline-cache/kv.h"
#include "offline-cache/outbox.h"
#include "offline-cache/recover.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
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

typedef struct delivery {
    int64_t id;
    char kind[32];
    char tracking[64];
} delivery;

void platform_emit(kiosk_platform *platform, const platform_event *event)
{
    if (platform->config.on_event)
        platform->config.on_event(event, platform->config.context);
}

time_t platform_wall(const kiosk_platform *platform)
{
    return platform->config.wall_time ? platform->config.wall_time(platform->config.context)
                                      : time(NULL);
}

uint64_t platform_mono(const kiosk_platform *platform)
{
    return platform->config.now_ms ? platform->config.now_ms(platform->config.context) : 0;
}

static void emit_kind(kiosk_platform *platform, platform_event_kind kind)
{
    platform_emit(platform, &(platform_event){.kind = kind});
}

static bool readable(const char *path)
{
    return path[0] && access(path, R_OK) == 0;
}

kiosk_error platform_create(const platform_config *config, kiosk_platform **out)
{
    kiosk_platform *platform = calloc(1, sizeof *platform);
    if (!platform)
        return KIOSK_ERR_NO_MEMORY;
    platform->config = *config;
    platform->progress.link = SYNC_LINK_UNKNOWN;
    *out = platform;
    return KIOSK_OK;
}

void platform_destroy(kiosk_platform *platform)
{
    if (!platform)
        return;
    sync_destroy(platform->sync);
    cache_close(platform->store);
    seal_key_wipe(&platform->key);
    explicit_bzero(platform->session_id, sizeof platform->session_id);
    free(platform);
}

bool platform_has_store(const kiosk_platform *platform)
{
    return platform->store != NULL;
}

bool platform_store_broken(const kiosk_platform *platform)
{
    return platform->broken;
}

/* ---- the sync thread's news, posted to the main thread ------------------- */

static void release_plain(void *payload)
{
    free(payload);
}

static void on_progress(const sync_progress *progress, void *context)
{
    kiosk_platform *platform = context;
    sync_progress *copy = malloc(sizeof *copy);
    if (!copy)
        return;
    *copy = *progress;
    if (event_channel_post(platform->config.link_event, copy, release_plain) != KIOSK_OK)
        free(copy); /* the next change brings the state again */
}

static void on_delivered(int64_t id, const char *kind, const char *tracking, void *context)
{
    kiosk_platform *platform = context;
    delivery *d = calloc(1, sizeof *d);
    if (!d)
        return;
    d->id = id;
    snprintf(d->kind, sizeof d->kind, "%s", kind);
    snprintf(d->tracking, sizeof d->tracking, "%s", tracking);
    if (event_channel_post(platform->config.delivered_event, d, release_plain) != KIOSK_OK)
        free(d);
}

/* A reply goes to the main thread as its kind's event, whose payload is
 * the reply's member (a sync_lookup_result, sync_eid_result or
 * sync_query_result): every member starts at the same place, so one
 * release finds the whole reply and wipes it. */
_Static_assert(offsetof(sync_reply, lookup) == offsetof(sync_reply, eid) &&
                   offsetof(sync_reply, lookup) == offsetof(sync_reply, query) &&
                   offsetof(sync_reply, lookup) == offsetof(sync_reply, appointment) &&
                   offsetof(sync_reply, lookup) == offsetof(sync_reply, document),
               "a reply's members start at one place");

static void release_reply(void *payload)
{
    sync_reply *reply = (sync_reply *)((char *)payload - offsetof(sync_reply, lookup));
    sync_reply_drop_document(reply); /* a PDF nobody took */
    explicit_bzero(reply, sizeof *reply);
    free(reply);
}

static void on_answer(const sync_reply *reply, void *context)
{
    kiosk_platform *platform = context;
    sync_reply *copy = malloc(sizeof *copy);
    if (!copy) {
        sync_reply_drop_document((sync_reply *)reply); /* its PDF was handed over */
        return;
    }
    *copy = *reply;
    if (event_channel_post(platform->config.answer_events[reply->kind], &copy->lookup,
                           release_reply) != KIOSK_OK)
        release_reply(&copy->lookup);
}

bool platform_handle(kiosk_platform *platform, const app_event *event)
{
    if (event->kind == platform->config.link_event) {
        const sync_progress *now = event->payload;
        /* Help calls or credentials changed: what staff see may have. */
        bool staff_news = now->staff_news != platform->progress.staff_news ||
                          now->credentials_updates != platform->progress.credentials_updates;
        platform->progress = *now;
        if (staff_news)
            platform_emit(platform, &(platform_event){.kind = PLATFORM_STAFF});
        platform_emit(platform,
                      &(platform_event){.kind = PLATFORM_LINK, .progress = &platform->progress});
        return true;
    }
    if (event->kind != platform->config.delivered_event)
        return false;
    const delivery *d = event->payload;
    kiosk_diag diag = {{0}};
    if (platform->store &&
        receipt_index_delivered(platform->store, d->id, d->tracking,
                                (int64_t)platform_wall(platform), &diag) != KIOSK_OK)
        LOG_WARN(PLATFORM_LOG, "a delivered receipt not indexed: %s", diag.message);
    if (platform->store && strcmp(d->kind, "submission") == 0) {
        /* The trail says when the platform had it, and under which number. */
        char detail[128];
        snprintf(detail, sizeof detail, "record %lld tracking %.64s", (long long)d->id,
                 d->tracking);
        cache_audit_event row = {
            .actor = "terminal", .action = "service.delivered", .subject = "", .detail = detail};
        if (cache_audit_append(platform->store, &row, (int64_t)platform_wall(platform), NULL,
                               &diag) != KIOSK_OK)
            LOG_WARN(PLATFORM_LOG, "a delivery not audited: %s", diag.message);
    }
    platform_emit(platform, &(platform_event){
                                .kind = PLATFORM_DELIVERED, .id = d->id, .tracking = d->tracking});
    return true;
}

void platform_set_devices(kiosk_platform *platform, const char *json_object)
{
    if (platform->sync && sync_set_devices(platform->sync, json_object) != KIOSK_OK)
        LOG_WARN(PLATFORM_LOG, "the heartbeat's device states could not be set");
}

/* ---- opening the store, and the thread with it ---------------------------- */

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

/* The store's options: the board's limits, its cipher and key; path gets
 * the database's path. Makes the data directory, and makes it 0700 when it
 * already exists with more. */
static kiosk_error store_options(kiosk_platform *platform, cache_options *out, char *path,
                                 size_t size, kiosk_diag *diag)
{
    const platform_config *config = &platform->config;
    kiosk_error made = private_folder(config->data_dir, diag);
    if (made != KIOSK_OK)
        return made;
    snprintf(path, size, "%s/kiosk.db", config->data_dir);
    seal_cipher cipher = SEAL_AES_256_GCM;
    if (!seal_cipher_from_name(config->cipher, &cipher))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "storage.cipher: \"%s\" is unknown",
                              config->cipher);
    kiosk_error loaded = seal_key_file_load((void *)config->key_file, &platform->key, diag);
    /* A development board (every device simulated) makes its own key on
     * its first start; a real one is given its key when it is installed. */
    if (loaded == KIOSK_ERR_NOT_FOUND && config->make_key) {
        loaded = seal_key_file_create(config->key_file, diag);
        if (loaded == KIOSK_OK)
            loaded = seal_key_file_load((void *)config->key_file, &platform->key, diag);
    }
    if (loaded != KIOSK_OK)
        return loaded;
    *out = (cache_options){.path = path,
                           .cipher = cipher,
                           .key = &platform->key,
                           .max_outbox_records = config->outbox_max_records,
                           .max_outbox_bytes = (int64_t)config->outbox_max_mb << 20,
                           .retention_days = config->retention_days,
                           .min_free_bytes = (int64_t)config->min_free_mb << 20};
    return KIOSK_OK;
}

static int64_t days_ago(const kiosk_platform *platform, int days)
{
    return (int64_t)platform_wall(platform) - (int64_t)days * 86400;
}

/* Forgets what is older than the board's retention: unsent records (never
 * quarantined ones: staff must see them), kept answers and receipt index
 * entries. Runs at open and once a day. */
static void purge(kiosk_platform *platform)
{
    cache_store *store = platform->store;
    if (!store)
        return;
    platform->purge_at_s = (int64_t)platform_wall(platform) + PURGE_EVERY_S;
    int retention = cache_retention_days(store);
    kiosk_diag diag = {{0}};
    int64_t purged = 0;
    if (cache_outbox_purge(store, (int64_t)platform_wall(platform), &purged, &diag) != KIOSK_OK)
        LOG_WARN(PLATFORM_LOG, "old records not purged: %s", diag.message);
    /* Answers and receipts keep their own shorter limits; the board's
     * retention bounds both. */
    int answers = PLATFORM_ANSWER_DAYS < retention ? PLATFORM_ANSWER_DAYS : retention;
    int receipts = RECEIPT_INDEX_DAYS < retention ? RECEIPT_INDEX_DAYS : retention;
    int64_t forgotten = 0;
    if (cache_kv_purge(store, "answer:", days_ago(platform, answers), &forgotten, &diag) !=
        KIOSK_OK)
        LOG_WARN(PLATFORM_LOG, "old answers not forgotten: %s", diag.message);
    if (receipt_index_purge(store, days_ago(platform, receipts), &diag) != KIOSK_OK)
        LOG_WARN(PLATFORM_LOG, "old receipts not forgotten: %s", diag.message);
}

/* A database moved aside (kiosk.db.corrupt-<time>: by cache_open, or by a
 * technician under that name) may still hold applications the platform
 * never had: each start brings home what it can and tells staff about the
 * rest. */
static void recover_stranded(kiosk_platform *platform)
{
    platform->stranded = 0;
    platform->stranded_file[0] = '\0';
    DIR *folder = opendir(platform->config.data_dir);
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
        char path[PLATFORM_PATH_MAX + 300];
        snprintf(path, sizeof path, "%s/%s", platform->config.data_dir, name);
        cache_recover_report report;
        kiosk_diag diag = {{0}};
        kiosk_error result =
            cache_recover_from(platform->store, path, prefixes,
                               (int64_t)platform_wall(platform) * 1000, &report, &diag);
        if (result != KIOSK_OK)
            LOG_ERROR(PLATFORM_LOG, "%s: nothing recovered: %s", name, diag.message);
        else if (report.adopted)
            LOG_WARN(PLATFORM_LOG, "%s: %lld records recovered (%lld were here already)", name,
                     (long long)report.adopted, (long long)report.known);
        if (result != KIOSK_OK || report.stranded || report.unreadable) {
            platform->stranded += report.stranded;
            snprintf(platform->stranded_file, sizeof platform->stranded_file, "%.120s", name);
            LOG_ERROR(PLATFORM_LOG, "%s: %lld records left in it%s", name,
                      (long long)report.stranded, report.unreadable ? ", and it is damaged" : "");
        }
    }
    closedir(folder);
}

static uint64_t next_backoff(uint64_t backoff_ms)
{
    backoff_ms = backoff_ms ? backoff_ms * 2 : RETRY_FIRST_MS;
    return backoff_ms > RETRY_MOST_MS ? RETRY_MOST_MS : backoff_ms;
}

/* Starts the sync thread once the store is open (nothing when the board
 * has no certificates or it runs already). */
static kiosk_error start_sync_thread(kiosk_platform *platform, kiosk_diag *diag)
{
    const platform_config *config = &platform->config;
    if (platform->sync || !platform->configured)
        return KIOSK_OK;
    char path[PLATFORM_PATH_MAX + 16];
    cache_options options;
    kiosk_error result = store_options(platform, &options, path, sizeof path, diag);
    if (result != KIOSK_OK)
        return result;
    sync_config sync = {.platform_url = config->platform_url,
                        .ca_file = config->ca_file,
                        .client_cert = config->client_cert,
                        .client_key = config->client_key,
                        .pinned_key = config->pinned_key[0] ? config->pinned_key : NULL,
                        .terminal_id = config->terminal_id,
                        .firmware_version = config->firmware_version};
    result = sync_create(&sync, &options, &platform->sync, diag);
    if (result != KIOSK_OK)
        return result;
    sync_on_delivered(platform->sync, on_delivered);
    sync_on_answer(platform->sync, on_answer);
    /* The listener says the devices' states (platform_set_devices) before
     * the first heartbeat. */
    platform_emit(platform, &(platform_event){.kind = PLATFORM_SYNC, .sync = platform->sync});
    result = sync_start(platform->sync, on_progress, platform);
    if (result != KIOSK_OK) {
        kiosk_diag_set(diag, result, "the sync thread could not start");
        sync_destroy(platform->sync);
        platform->sync = NULL;
        platform_emit(platform, &(platform_event){.kind = PLATFORM_SYNC, .sync = NULL});
        return result;
    }
    LOG_INFO(PLATFORM_LOG, "delivering to %s as %s", config->platform_url, config->terminal_id);
    emit_kind(platform, PLATFORM_STARTED);
    return KIOSK_OK;
}

/* The sync thread, once the store is open; tried again like the store when
 * it does not start (its own handle on the store, libcurl). */
static void start_sync(kiosk_platform *platform)
{
    kiosk_diag started = {{0}};
    if (start_sync_thread(platform, &started) == KIOSK_OK) {
        platform->sync_failed = false;
        platform->sync_backoff_ms = 0;
        return;
    }
    if (!platform->sync_failed)
        LOG_ERROR(PLATFORM_LOG, "%s: trying again", started.message);
    platform->sync_failed = true;
    platform->sync_backoff_ms = next_backoff(platform->sync_backoff_ms);
    platform->sync_retry_at_ms = platform_mono(platform) + platform->sync_backoff_ms;
}

kiosk_error platform_store_open(kiosk_platform *platform, kiosk_diag *diag)
{
    if (platform->store)
        return KIOSK_OK;
    char path[PLATFORM_PATH_MAX + 16];
    cache_options options;
    kiosk_error result = store_options(platform, &options, path, sizeof path, diag);
    cache_open_report report = {0};
    if (result == KIOSK_OK)
        result = cache_open(&options, &platform->store, &report, diag);
    if (result != KIOSK_OK) {
        bool news = !platform->broken || strcmp(platform->problem, diag->message) != 0;
        bool was_broken = platform->broken;
        platform->broken = true;
        snprintf(platform->problem, sizeof platform->problem, "%s", diag->message);
        platform->backoff_ms = next_backoff(platform->backoff_ms);
        platform->retry_at_ms = platform_mono(platform) + platform->backoff_ms;
        if (news)
            LOG_ERROR(PLATFORM_LOG,
                      "the offline store cannot be opened (%s): nothing can be kept or sent "
                      "until it is; trying again",
                      diag->message);
        /* What citizens see beside the clock depends on it. */
        if (!was_broken)
            emit_kind(platform, PLATFORM_STORE);
        return result;
    }
    bool was_broken = platform->broken;
    if (was_broken)
        LOG_INFO(PLATFORM_LOG, "the offline store opened after all");
    platform->broken = false;
    platform->problem[0] = '\0';
    platform->backoff_ms = 0;
    if (was_broken)
        emit_kind(platform, PLATFORM_STORE);
    if (report.moved_aside)
        LOG_ERROR(PLATFORM_LOG, "the offline store was damaged and moved aside to %s",
                  report.moved_to);
    recover_stranded(platform);
    purge(platform);
    start_sync(platform);
    return KIOSK_OK;
}

bool platform_configure(kiosk_platform *platform)
{
    const platform_config *config = &platform->config;
    platform->progress.link = SYNC_LINK_UNKNOWN;
    platform->configured =
        readable(config->ca_file) && readable(config->client_cert) && readable(config->client_key);
    if (!platform->configured)
        LOG_WARN(PLATFORM_LOG,
                 "no platform certificates at %s, %s, %s: working offline, submissions are kept",
                 config->ca_file, config->client_cert, config->client_key);
    return platform->configured;
}

void platform_start(kiosk_platform *platform)
{
    if (!platform->configured)
        return;
    /* The sync thread starts with the store; a store that cannot open now
     * is tried again (platform_tick), and staff are told meanwhile. */
    kiosk_diag failed = {{0}};
    if (platform_store_open(platform, &failed) != KIOSK_OK)
        emit_kind(platform, PLATFORM_STAFF);
}

void platform_tick(kiosk_platform *platform)
{
    if (platform->broken && platform_mono(platform) >= platform->retry_at_ms) {
        kiosk_diag diag = {{0}};
        if (platform_store_open(platform, &diag) == KIOSK_OK ||
            strcmp(platform->problem, diag.message) != 0)
            emit_kind(platform, PLATFORM_STAFF);
    }
    if (platform->sync_failed && platform->store &&
        platform_mono(platform) >= platform->sync_retry_at_ms)
        start_sync(platform);
    if (platform->store && (int64_t)platform_wall(platform) >= platform->purge_at_s)
        purge(platform);
}

long long platform_next_ms(const kiosk_platform *platform)
{
    if (!platform->broken && !platform->sync_failed)
        return -1;
    uint64_t due = platform->broken ? platform->retry_at_ms : platform->sync_retry_at_ms;
    uint64_t now = platform_mono(platform);
    return due > now ? (long long)(due - now) : 0;
}

void platform_write_result(kiosk_platform *platform, const kiosk_diag *failed)
{
    char was[sizeof platform->write_failed];
    memcpy(was, platform->write_failed, sizeof was);
    snprintf(platform->write_failed, sizeof platform->write_failed, "%s",
             !failed              ? ""
             : failed->message[0] ? failed->message
                                  : "unknown");
    if (strcmp(was, platform->write_failed) != 0)
        emit_kind(platform, PLATFORM_STAFF);
}

void platform_staff_facts_get(const kiosk_platform *platform, platform_staff_facts *out)
{
    memset(out, 0, sizeof *out);
    out->broken = platform->broken;
    snprintf(out->problem, sizeof out->problem, "%s", platform->problem);
    cache_outbox_stats stats;
    /* The store, not the sync thread's last report: it is right from the
     * start, whether or not the link ever came up. */
    if (platform->store && cache_outbox_stats_get(platform->store, &stats, NULL) == KIOSK_OK) {
        out->counted = true;
        out->queued = stats.records;
        out->quarantined = stats.quarantined;
    }
    out->stranded = platform->stranded;
    snprintf(out->stranded_file, sizeof out->stranded_file, "%s", platform->stranded_file);
    snprintf(out->write_failed, sizeof out->write_failed, "%s", platform->write_failed);
}

/* ---- what a citizen may ask with the link down ---------------------------- */

/* Answers are kept sealed, under a name only this terminal's key can make
 * from the citizen's number (aad: that name), so the number itself is not
 * stored. */
static bool answer_name(kiosk_platform *platform, const char *service, const char *id_number,
                        char *key, size_t size)
{
    char context[96], name[SEAL_NAME_LENGTH + 1];
    snprintf(context, sizeof context, "answer:%s", service);
    if (seal_name(&platform->key, context, id_number, name) != KIOSK_OK)
        return false;
    snprintf(key, size, "answer:%s", name);
    return true;
}

void platform_keep_answer(kiosk_platform *platform, const char *id_number, const char *json)
{
    kiosk_diag diag = {{0}};
    char key[64];
    cJSON *parsed = cJSON_Parse(json);
    const cJSON *service = cJSON_GetObjectItemCaseSensitive(parsed, "service");
    bool named = cJSON_IsString(service) && platform_store_open(platform, &diag) == KIOSK_OK &&
                 answer_name(platform, service->valuestring, id_number, key, sizeof key);
    cJSON_Delete(parsed);
    size_t length = strlen(json), capacity = length + SEAL_OVERHEAD_BYTES, sealed_length = 0;
    seal_cipher cipher = SEAL_AES_256_GCM;
    if (!seal_cipher_from_name(platform->config.cipher, &cipher))
        named = false;
    uint8_t *sealed = named ? malloc(capacity) : NULL;
    kiosk_error result = sealed
                             ? seal(cipher, &platform->key, (const uint8_t *)key, strlen(key),
                                    (const uint8_t *)json, length, sealed, capacity, &sealed_length)
                             : KIOSK_ERR_NO_MEMORY;
    if (result == KIOSK_OK)
        result = cache_kv_set(platform->store, key, sealed, sealed_length,
                              (int64_t)platform_wall(platform), &diag);
    if (result != KIOSK_OK)
        LOG_WARN(PLATFORM_LOG, "an answer not kept for offline use: %s",
                 diag.message[0] ? diag.message : kiosk_error_name(result));
    free(sealed);
}

char *platform_kept_answer(kiosk_platform *platform, const char *service, const char *id_number)
{
    kiosk_diag diag = {{0}};
    char key[64];
    if (platform_store_open(platform, &diag) != KIOSK_OK ||
        !answer_name(platform, service, id_number, key, sizeof key))
        return NULL;
    char *sealed = NULL;
    size_t length = 0;
    if (cache_kv_get(platform->store, key, &sealed, &length, &diag) != KIOSK_OK)
        return NULL;
    char *plain = length > SEAL_OVERHEAD_BYTES ? calloc(1, length) : NULL;
    size_t plain_length = 0;
    if (plain &&
        seal_open(&platform->key, (const uint8_t *)key, strlen(key), (const uint8_t *)sealed,
                  length, (uint8_t *)plain, length - 1, &plain_length) != KIOSK_OK) {
        LOG_WARN(PLATFORM_LOG, "a kept answer could not be opened: forgotten");
        free(plain);
        plain = NULL;
        if (cache_kv_delete(platform->store, key, &diag) != KIOSK_OK)
            LOG_WARN(PLATFORM_LOG, "%s", diag.message);
    }
    free(sealed);
    return plain;
}

bool platform_find_receipt(kiosk_platform *platform, const char *number, receipt_entry *out)
{
    kiosk_diag diag = {{0}};
    if (platform_store_open(platform, &diag) != KIOSK_OK) {
        LOG_WARN(PLATFORM_LOG, "receipts cannot be read: %s", diag.message);
        return false;
    }
    return receipt_index_find(platform->store, number, out, &diag) == KIOSK_OK;
}

kiosk_error platform_cached_catalog(kiosk_platform *platform, char **body, size_t *length)
{
    if (!platform->store)
        return KIOSK_ERR_NOT_FOUND;
    char etag[80];
    int64_t fetched = 0;
    return cache_content_get(platform->store, "catalog", body, length, etag, sizeof etag, &fetched,
                             NULL);
}
