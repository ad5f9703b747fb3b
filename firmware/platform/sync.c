/* The sync client. Sending is one function (send_record) that turns a
 * record into a request and the answer into an outcome; draining applies the
 * outcomes to the outbox; the thread only decides when to drain. */
#include "firmware/platform/sync_internal.h"

#include "offline-cache/audit.h"

#include "firmware/base/log.h"
#include "firmware/base/monotonic.h"
#include "offline-cache/audit.h"
#include "offline-cache/kv.h"
#include "offline-cache/outbox.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *sync_link_name(sync_link link)
{
    switch (link) {
    case SYNC_LINK_UNKNOWN:
        return "unknown";
    case SYNC_LINK_ONLINE:
        return "online";
    case SYNC_LINK_DEGRADED:
        return "degraded";
    case SYNC_LINK_OFFLINE:
        return "offline";
    case SYNC_LINK_REFUSED:
        return "refused";
    }
    return "unknown";
}

static void copy(char *out, size_t size, const char *text)
{
    snprintf(out, size, "%s", text ? text : "");
}

static uint32_t random_u32(void)
{
    uint32_t random = 0;
    if (getrandom(&random, sizeof random, 0) != sizeof random)
        random = (uint32_t)monotonic_now_ms();
    return random;
}

/* Full jitter: a random wait up to the exponential bound. The platform's
 * Retry-After is a floor, never a way around the bound's growth: a platform
 * that says "1 s" on every failure still sees each record back off. */
static int64_t backoff_ms(sync_client *client, int attempts, long retry_after_s)
{
    uint64_t bound = client->base_ms;
    for (int i = 0; i < attempts && bound < client->cap_ms; i++)
        bound *= 2;
    if (bound > client->cap_ms)
        bound = client->cap_ms;
    int64_t wait = (int64_t)(random_u32() % (bound + 1));
    int64_t floor_ms = (int64_t)retry_after_s * 1000; /* negative: none */
    return floor_ms > wait ? floor_ms : wait;
}

/* A write to the outbox failed (disk full, read-only): no pass until a
 * wait that doubles with each failure in a row, so the same records are not
 * resent every second; staff see it in the progress. */
static void store_failed(sync_client *client, int64_t now_ms, const char *what)
{
    client->store_failures++;
    int64_t wait = client->base_ms;
    for (unsigned i = 1; i < client->store_failures && wait < client->cap_ms; i++)
        wait *= 2;
    if (wait > client->cap_ms)
        wait = client->cap_ms;
    client->store_hold_until = now_ms + wait;
    LOG_ERROR(SYNC_LOG, "the outbox could not be written (%s): no delivery for %lld ms", what,
              (long long)wait);
    pthread_mutex_lock(&client->lock);
    client->progress.outbox_unwritable = true;
    snprintf(client->progress.last_error, sizeof client->progress.last_error,
             "the outbox cannot be written (disk full or read-only): %s", what);
    pthread_mutex_unlock(&client->lock);
}

static void store_written(sync_client *client)
{
    client->store_failures = 0; /* the hold, if any, is over: this pass ran */
    pthread_mutex_lock(&client->lock);
    client->progress.outbox_unwritable = false;
    pthread_mutex_unlock(&client->lock);
}

static void refresh_counts(sync_client *client)
{
    cache_outbox_stats stats;
    if (cache_outbox_stats_get(client->store, &stats, NULL) == KIOSK_OK) {
        pthread_mutex_lock(&client->lock);
        client->progress.queued = stats.records;
        client->progress.quarantined = stats.quarantined;
        pthread_mutex_unlock(&client->lock);
    }
}

/* Sends the claimed records: in batches when the platform takes them, else
 * one by one, stopping at the first failure. */
static void send_claimed(sync_client *client, const cache_record *records, size_t count,
                         sync_outcome *outcomes, char (*trackings)[SYNC_TRACKING_MAX],
                         long *retry_after)
{
    *retry_after = -1;
    /* Each record's slot says this pass's tracking number or reason only. */
    for (size_t i = 0; i < count; i++)
        trackings[i][0] = '\0';
    if (count > 1 && client->batch_items > 1 && !client->batch_unsupported) {
        sync_send_batch(client, records, count, outcomes, trackings, retry_after);
        bool any = false;
        for (size_t i = 0; i < count; i++)
            any = any || outcomes[i] != SYNC_NOT_SENT;
        if (any)
            return;
        /* Nothing went (no batch call, or no room for the envelope): one by
         * one instead. */
    }
    bool failed = false;
    unsigned rejected = client->rejected_in_row;
    for (size_t i = 0; i < count; i++) {
        outcomes[i] = SYNC_NOT_SENT;
        if (failed)
            continue;
        outcomes[i] =
            sync_send_record(client, &records[i], retry_after, trackings[i], SYNC_TRACKING_MAX);
        rejected = outcomes[i] == SYNC_REJECTED ? rejected + 1 : 0;
        failed = outcomes[i] == SYNC_RETRY || outcomes[i] == SYNC_REFUSED ||
                 rejected >= SYNC_REJECTIONS_MAX;
    }
}

/* The trail keeps each record the platform refused (which, never what it
 * held) — except a refused audit record: its own row would be another
 * audit record, refused in turn, without end. */
static void audit_quarantine(sync_client *client, const cache_record *record)
{
    if (strcmp(record->kind, "audit") == 0)
        return;
    /* What staff see of it: its number, service and masked subject. */
    cache_outbox_entry entry;
    if (cache_outbox_entry_get(client->store, record->id, &entry, NULL) != KIOSK_OK)
        memset(&entry, 0, sizeof entry);
    char detail[CACHE_AUDIT_TEXT_MAX + 1];
    snprintf(detail, sizeof detail, "%s record %lld %.40s %.60s", record->kind,
             (long long)record->id, entry.reference, entry.service);
    cache_audit_event event = {.actor = "terminal",
                               .action = "outbox.quarantined",
                               .subject = entry.subject,
                               .detail = detail};
    kiosk_diag diag = {{0}};
    if (cache_audit_append(client->store, &event, (int64_t)time(NULL), NULL, &diag) != KIOSK_OK)
        LOG_WARN(SYNC_LOG, "the quarantine of record %lld not audited: %s", (long long)record->id,
                 diag.message);
}

/* A record the platform rejected: quarantined for staff, unless it is one
 * of a run of rejections (a gateway or a broken platform rejecting
 * everything), which stops the pass, shows the link degraded, and is
 * retried like a failure. True when the pass must stop. */
static bool reject(sync_client *client, const cache_record *record, const char *reason,
                   int64_t now_ms)
{
    client->rejected_in_row++;
    if (client->rejected_in_row > SYNC_REJECTIONS_MAX) {
        int64_t wait = backoff_ms(client, record->attempts, -1);
        if (cache_outbox_fail(client->store, record->id, client->progress.last_error, now_ms + wait,
                              NULL) != KIOSK_OK)
            store_failed(client, now_ms, "a record's next attempt");
    } else if (cache_outbox_quarantine(client->store, record->id,
                                       reason[0] ? reason : client->progress.last_error,
                                       NULL) != KIOSK_OK) {
        store_failed(client, now_ms, "a record's quarantine");
    } else {
        audit_quarantine(client, record);
    }
    if (client->rejected_in_row < SYNC_REJECTIONS_MAX)
        return false; /* the next record may be fine */
    char why[160];
    snprintf(why, sizeof why, "%u records rejected in a row: the rest are held for staff",
             client->rejected_in_row);
    if (client->rejected_in_row == SYNC_REJECTIONS_MAX)
        LOG_ERROR(SYNC_LOG, "%s", why);
    sync_set_progress(client, SYNC_LINK_DEGRADED, why);
    return true;
}

/* Applies the outcomes to the outbox; ids of the acknowledged go to done.
 * True when the pass must stop (the link failed, a record must wait). */
static bool apply_outcomes(sync_client *client, const cache_record *records, size_t count,
                           const sync_outcome *outcomes, char (*trackings)[SYNC_TRACKING_MAX],
                           long retry_after, int64_t now_ms, int64_t *done, size_t *acknowledged)
{
    bool stop = false;
    *acknowledged = 0;
    /* The records that failed together wait together: each its own jitter
     * would send them one request apiece where one batch went before. */
    int64_t shared_wait = -1;
    for (size_t i = 0; i < count; i++) {
        switch (outcomes[i]) {
        case SYNC_DELIVERED:
            done[(*acknowledged)++] = records[i].id;
            client->rejected_in_row = 0;
            client->records_failing = false;
            break;
        case SYNC_CONFLICT:
            done[(*acknowledged)++] = records[i].id;
            client->rejected_in_row = 0;
            client->records_failing = false;
            LOG_WARN(SYNC_LOG, "record %lld: the platform holds another body under its key",
                     (long long)records[i].id);
            break;
        case SYNC_REJECTED:
            client->records_failing = false;
            /* A batch item's own reason is in its tracking slot. */
            stop = reject(client, &records[i], trackings[i], now_ms) || stop;
            break;
        case SYNC_RETRY:
        case SYNC_REFUSED: {
            long wish = outcomes[i] == SYNC_REFUSED ? 60 : retry_after;
            if (shared_wait < 0)
                shared_wait = backoff_ms(client, records[i].attempts, wish);
            if (cache_outbox_fail(client->store, records[i].id, client->progress.last_error,
                                  now_ms + shared_wait, NULL) != KIOSK_OK)
                store_failed(client, now_ms, "a record's next attempt");
            client->records_failing = true;
            /* The link is down or unwell: stop hammering it this pass. */
            stop = true;
            break;
        }
        default:
            break; /* not sent: its schedule stands */
        }
    }
    return stop;
}

static void report_delivered(sync_client *client, const cache_record *records, size_t count,
                             const sync_outcome *outcomes, char (*trackings)[SYNC_TRACKING_MAX])
{
    if (!client->delivered)
        return;
    for (size_t i = 0; i < count; i++)
        if (outcomes[i] == SYNC_DELIVERED || outcomes[i] == SYNC_CONFLICT)
            client->delivered(records[i].id, records[i].kind, trackings[i], client->context);
}

kiosk_error sync_drain(sync_client *client, int64_t now_ms, int64_t *delivered)
{
    *delivered = 0;
    size_t claim = client->claim;
    cache_record *records = calloc(claim, sizeof *records);
    int64_t *done = calloc(claim, sizeof *done);
    sync_outcome *outcomes = calloc(claim, sizeof *outcomes);
    char(*trackings)[SYNC_TRACKING_MAX] = calloc(claim, sizeof *trackings);
    kiosk_error result = records && done && outcomes && trackings ? KIOSK_OK : KIOSK_ERR_NO_MEMORY;
    /* The outbox could not be written a moment ago: what would be sent now
     * is what was sent then. */
    bool link_failed = now_ms < client->store_hold_until;
    while (result == KIOSK_OK && !link_failed) {
        size_t count = 0;
        kiosk_diag diag = {{0}};
        result = cache_outbox_claim(client->store, now_ms, claim, records, &count, &diag);
        if (result != KIOSK_OK) {
            LOG_ERROR(SYNC_LOG, "%s", diag.message);
            break;
        }
        if (count == 0)
            break;
        long retry_after;
        send_claimed(client, records, count, outcomes, trackings, &retry_after);
        size_t acknowledged;
        unsigned store_failures = client->store_failures;
        link_failed = apply_outcomes(client, records, count, outcomes, trackings, retry_after,
                                     now_ms, done, &acknowledged);
        if (acknowledged) {
            kiosk_diag ack_diag = {{0}};
            result = cache_outbox_ack(client->store, done, acknowledged, &ack_diag);
            if (result != KIOSK_OK) {
                /* Sent but not noted: a later pass sends again, and the
                 * platform answers with its first answer. */
                store_failed(client, now_ms, ack_diag.message);
            } else {
                if (client->store_failures == store_failures)
                    store_written(client);
                *delivered += (int64_t)acknowledged;
                report_delivered(client, records, count, outcomes, trackings);
            }
        }
        link_failed = link_failed || client->store_failures != store_failures;
        cache_records_free(records, count);
    }
    free(records);
    free(done);
    free(outcomes);
    free(trackings);
    pthread_mutex_lock(&client->lock);
    client->progress.delivered += *delivered;
    pthread_mutex_unlock(&client->lock);
    refresh_counts(client);
    if (*delivered > 0 && client->progress.queued == 0 && cache_scrub(client->store) != KIOSK_OK)
        LOG_WARN(SYNC_LOG, "the outbox drained but its write-ahead log was not scrubbed");
    return result;
}

sync_progress sync_progress_get(sync_client *client)
{
    pthread_mutex_lock(&client->lock);
    sync_progress progress = client->progress;
    pthread_mutex_unlock(&client->lock);
    return progress;
}

/* The terminal's private key must be its own: a key file that group or
 * others may read or write is refused, as the seal key is. Checked on the
 * descriptor, not following a symbolic link. */
static kiosk_error check_client_key(const char *path, kiosk_diag *diag)
{
    if (!path || !path[0])
        return KIOSK_OK; /* the key is in the certificate's file, or none */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: %s", path, strerror(errno));
    struct stat info;
    kiosk_error result = KIOSK_OK;
    if (fstat(fd, &info) != 0)
        result = kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: %s", path, strerror(errno));
    else if (!S_ISREG(info.st_mode))
        result = kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: not a regular file", path);
    else if (info.st_mode & 077)
        result = kiosk_diag_set(diag, KIOSK_ERR_IO,
                                "%s: the terminal's key is readable or writable by group or "
                                "others (mode %04o); chmod 0400 it",
                                path, (unsigned)(info.st_mode & 07777));
    close(fd);
    return result;
}

kiosk_error sync_handle_open(sync_client *client, kiosk_diag *diag)
{
    if (client->curl)
        client->api->easy_cleanup(client->curl);
    client->curl = client->api->easy_init();
    if (!client->curl)
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "libcurl could not start");
    CURL *curl = client->curl;
    client->api->easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
    client->api->easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    client->api->easy_setopt(curl, CURLOPT_CAINFO, client->ca_file);
    client->api->easy_setopt(curl, CURLOPT_CAPATH, NULL);
    client->api->easy_setopt(curl, CURLOPT_SSLCERT, client->cert);
    client->api->easy_setopt(curl, CURLOPT_SSLKEY, client->key);
    if (client->pin[0])
        client->api->easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, client->pin);
    client->api->easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    client->api->easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    client->api->easy_setopt(curl, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    /* Security level 2 (keys of 112 bits or more: RSA 2048, P-256) whatever
     * the board's OpenSSL configuration says: a platform with an RSA-1024
     * key, or a link that offers weak ciphers, is no platform. */
    if (client->api->easy_setopt(curl, CURLOPT_SSL_CIPHER_LIST, SYNC_TLS_CIPHERS) != CURLE_OK) {
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "libcurl refused the TLS floor (%s)",
                              SYNC_TLS_CIPHERS);
    }
    /* HTTP/1.1 even where the platform offers HTTP/2: nghttp2 keeps a request
     * body's DATA frames in buffers of its own, which libcurl's wiping
     * allocator never reaches (docs/memory-residue.md). One request at a
     * time on one kept-alive connection loses nothing by it. */
    client->api->easy_setopt(curl, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    client->api->easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long)client->connect_ms);
    client->api->easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)client->total_ms);
    /* A platform that trickles (a few bytes a second) is as good as gone. */
    client->api->easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 64L);
    client->api->easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 3L);
    client->api->easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    client->api->easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
    return KIOSK_OK;
}

kiosk_error sync_create(const sync_config *config, const cache_options *store, sync_client **out,
                        kiosk_diag *diag)
{
    kiosk_error checked = check_client_key(config->client_key, diag);
    if (checked != KIOSK_OK)
        return checked;
    const curl_api *api = curl_lazy();
    if (!api)
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "libcurl (libcurl.so.4) could not be loaded");
    sync_client *client = calloc(1, sizeof *client);
    if (!client)
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "out of memory");
    copy(client->url, sizeof client->url, config->platform_url);
    size_t length = strlen(client->url);
    while (length > 0 && client->url[length - 1] == '/')
        client->url[--length] = '\0';
    copy(client->ca_file, sizeof client->ca_file, config->ca_file);
    copy(client->cert, sizeof client->cert, config->client_cert);
    copy(client->key, sizeof client->key, config->client_key);
    copy(client->pin, sizeof client->pin, config->pinned_key);
    copy(client->terminal, sizeof client->terminal, config->terminal_id);
    copy(client->version, sizeof client->version, config->firmware_version);
    client->connect_ms = config->connect_timeout_ms ? config->connect_timeout_ms : 3000;
    client->total_ms = config->total_timeout_ms ? config->total_timeout_ms : 10000;
    client->max_answer = config->max_answer_bytes ? config->max_answer_bytes : 1024 * 1024;
    client->base_ms = config->backoff_base_ms ? config->backoff_base_ms : 1000;
    client->cap_ms = config->backoff_cap_ms ? config->backoff_cap_ms : 300000;
    client->claim = config->batch ? config->batch : SYNC_BATCH_ITEMS_MAX;
    client->batch_items = config->batch_items ? config->batch_items : SYNC_BATCH_ITEMS_MAX;
    if (client->batch_items > SYNC_BATCH_ITEMS_MAX)
        client->batch_items = SYNC_BATCH_ITEMS_MAX;
    client->probe_ms = config->probe_ms ? config->probe_ms : 1000;
    client->poll_interval_s = SYNC_POLL_FIRST_S;
    copy(client->devices, sizeof client->devices, "{}");
    pthread_mutex_init(&client->lock, NULL);
    monotonic_cond_init(&client->wake);

    client->api = api;
    kiosk_error opened = sync_handle_open(client, diag);
    if (opened != KIOSK_OK) {
        sync_destroy(client);
        return opened;
    }

    kiosk_error result = cache_open(store, &client->store, NULL, diag);
    if (result != KIOSK_OK) {
        sync_destroy(client);
        return result;
    }
    refresh_counts(client);
    sync_heartbeat_restore(client);
    *out = client;
    return KIOSK_OK;
}

static int64_t wall_now_ms(void)
{
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    return (int64_t)wall.tv_sec * 1000 + wall.tv_nsec / 1000000;
}

/* When to call the platform next (monotonic ms), from what the link is. A
 * terminal that had no answer looks again soon (between half and the whole
 * probe interval, so terminals that lost the link together do not return
 * together); one the platform asked to wait waits; one that is refused asks
 * once a minute; one that is well calls at the platform's poll interval. */
static uint64_t next_call_ms(sync_client *client, sync_link link, long retry_after_s, uint64_t now)
{
    switch (link) {
    case SYNC_LINK_ONLINE:
        return now + (uint64_t)sync_staff_poll_s(client) * 1000;
    case SYNC_LINK_REFUSED:
        return now + 60000;
    case SYNC_LINK_DEGRADED:
        if (retry_after_s >= 0)
            return now + (uint64_t)retry_after_s * 1000;
        return now + client->probe_ms + random_u32() % (client->probe_ms * 4 + 1);
    default:
        return now + client->probe_ms / 2 + random_u32() % (client->probe_ms / 2 + 1);
    }
}

/* The heartbeat found the link after a time without one: every record
 * waiting out a back-off is due now. A platform that was answering with
 * errors (degraded) is not in this case: its Retry-After stands. */
static void link_returned(sync_client *client)
{
    int64_t moved;
    if (cache_outbox_retry_now(client->store, wall_now_ms(), &moved, NULL) != KIOSK_OK)
        LOG_WARN(SYNC_LOG, "the link is back but the outbox could not be rescheduled");
    else if (moved > 0)
        LOG_INFO(SYNC_LOG, "the link is back: %lld records due now", (long long)moved);
}

void sync_after_heartbeat(sync_client *client, sync_outcome beat, sync_link before)
{
    /* Only the heartbeat finds the link again: records failing while it is
     * answered keep their own back-off (degraded). */
    if (beat == SYNC_DELIVERED && (client->beat_lost || before == SYNC_LINK_UNKNOWN))
        link_returned(client);
    else if (beat == SYNC_DELIVERED && client->records_failing)
        sync_set_progress(client, SYNC_LINK_DEGRADED, NULL);
    client->beat_lost = beat != SYNC_DELIVERED && beat != SYNC_REFUSED &&
                        sync_progress_get(client).link == SYNC_LINK_OFFLINE;
}

static void *run(void *arg)
{
    sync_client *client = arg;
    uint64_t next_call = 0; /* a heartbeat at once: the link's state is news */
    pthread_mutex_lock(&client->lock);
    while (!client->stopping) {
        client->woken = false;
        pthread_mutex_unlock(&client->lock);
        sync_progress before = sync_progress_get(client);
        /* A citizen waits for an answer (a lookup, an e-ID, their data): it
         * goes before everything else. */
        sync_ask_serve(client);
        uint64_t now = monotonic_now_ms();
        /* A citizen's call that got no answer lost the link: the heartbeat
         * says at once whether it is gone (and then looks again soon), as
         * after a record call, not at the platform's poll interval. */
        if (sync_progress_get(client).link == SYNC_LINK_OFFLINE && before.link != SYNC_LINK_OFFLINE)
            next_call = now;
        if (now >= next_call) {
            long retry_after;
            sync_outcome beat = sync_heartbeat(client, &retry_after);
            sync_after_heartbeat(client, beat, before.link);
            next_call = next_call_ms(client, sync_progress_get(client).link, retry_after, now);
        }
        sync_link link = sync_progress_get(client).link;
        int64_t delivered = 0;
        if (link == SYNC_LINK_ONLINE || link == SYNC_LINK_DEGRADED) {
            if (sync_drain(client, wall_now_ms(), &delivered) != KIOSK_OK)
                LOG_WARN(SYNC_LOG, "a drain pass failed");
            /* A record got no answer: the heartbeat says at once whether the
             * link is gone (offline: look for it soon) or the platform is
             * unwell while it answers (degraded: each record keeps its own
             * back-off, and the heartbeat its pace). */
            sync_link after = sync_progress_get(client).link;
            if (after == SYNC_LINK_OFFLINE) {
                long retry_after;
                sync_after_heartbeat(client, sync_heartbeat(client, &retry_after), after);
                after = sync_progress_get(client).link;
                if (after == SYNC_LINK_OFFLINE)
                    next_call = next_call_ms(client, after, retry_after, now);
            }
        }
        sync_progress progress = sync_progress_get(client);
        if (progress.link != before.link)
            LOG_INFO(SYNC_LOG, "link %s%s%s", sync_link_name(progress.link),
                     progress.link == SYNC_LINK_ONLINE ? "" : ": ",
                     progress.link == SYNC_LINK_ONLINE ? "" : progress.last_error);
        if (client->notify &&
            (delivered || progress.link != before.link || progress.queued != before.queued ||
             progress.catalog_updates != before.catalog_updates ||
             progress.outbox_unwritable != before.outbox_unwritable ||
             progress.clock_disagrees != before.clock_disagrees))
            client->notify(&progress, client->context);

        /* Sleep until the next call, a new record (woken), or — while records
         * wait on a link that answers — a second, to send those now due. */
        uint64_t until = next_call;
        bool answering = progress.link == SYNC_LINK_ONLINE || progress.link == SYNC_LINK_DEGRADED;
        if (answering && progress.queued > 0 && until > now + client->base_ms)
            until = monotonic_now_ms() + client->base_ms;
        pthread_mutex_lock(&client->lock);
        uint64_t left = until > monotonic_now_ms() ? until - monotonic_now_ms() : 0;
        struct timespec deadline = monotonic_deadline_ms(left);
        while (!client->woken && !client->stopping && left > 0 &&
               pthread_cond_timedwait(&client->wake, &client->lock, &deadline) == 0) {
        }
    }
    pthread_mutex_unlock(&client->lock);
    return NULL;
}

kiosk_error sync_start(sync_client *client, void (*notify)(const sync_progress *, void *),
                       void *context)
{
    client->notify = notify;
    client->context = context;
    if (pthread_create(&client->thread, NULL, run, client) != 0)
        return KIOSK_ERR_IO;
    client->started = true;
    return KIOSK_OK;
}

void sync_wake(sync_client *client)
{
    pthread_mutex_lock(&client->lock);
    client->woken = true;
    pthread_cond_broadcast(&client->wake);
    pthread_mutex_unlock(&client->lock);
}

void sync_on_delivered(sync_client *client, void (*delivered)(int64_t id, const char *kind,
                                                              const char *tracking, void *context))
{
    client->delivered = delivered;
}

kiosk_error sync_set_devices(sync_client *client, const char *json_object)
{
    cJSON *parsed = cJSON_Parse(json_object);
    char *printed = cJSON_IsObject(parsed) ? cJSON_PrintUnformatted(parsed) : NULL;
    cJSON_Delete(parsed);
    if (!printed)
        return KIOSK_ERR_MALFORMED;
    kiosk_error result = KIOSK_ERR_TOO_BIG;
    pthread_mutex_lock(&client->lock);
    if (strlen(printed) < sizeof client->devices) {
        copy(client->devices, sizeof client->devices, printed);
        result = KIOSK_OK;
    }
    pthread_mutex_unlock(&client->lock);
    free(printed);
    return result;
}

bool sync_server_now_ms(const sync_progress *progress, int64_t *out)
{
    if (progress->server_read_at_ms == 0)
        return false;
    *out = progress->server_ms + ((int64_t)monotonic_now_ms() - progress->server_read_at_ms);
    return true;
}

void sync_destroy(sync_client *client)
{
    if (!client)
        return;
    if (client->started) {
        pthread_mutex_lock(&client->lock);
        client->stopping = true;
        pthread_cond_broadcast(&client->wake);
        pthread_mutex_unlock(&client->lock);
        pthread_join(client->thread, NULL);
    }
    if (client->curl)
        client->api->easy_cleanup(client->curl);
    cache_close(client->store);
    pthread_cond_destroy(&client->wake);
    pthread_mutex_destroy(&client->lock);
    free(client);
}
