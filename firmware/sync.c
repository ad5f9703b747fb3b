/* The sync client. Sending is one function (send_record) that turns a
 * record into a request and the answer into an outcome; draining applies the
 * outcomes to the outbox; the thread only decides when to drain. */
#include "firmware/sync.h"

#include "firmware/log.h"
#include "firmware/monotonic.h"
#include "offline-cache/kv.h"
#include "offline-cache/outbox.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define FIELD 512

struct sync_client {
    char url[FIELD], ca_file[FIELD], cert[FIELD], key[FIELD], pin[FIELD];
    char terminal[64], version[64];
    unsigned connect_ms, total_ms, base_ms, cap_ms, batch;
    size_t max_answer;
    CURL *curl;
    cache_store *store;

    pthread_mutex_t lock; /* guards progress and the thread's flags */
    pthread_cond_t wake;
    sync_progress progress;
    bool woken, stopping, started;
    pthread_t thread;
    void (*notify)(const sync_progress *, void *);
    void *context;
};

/* What an answer brought. */
typedef struct answer {
    char *body;
    size_t length, cap;
    bool too_big;
    long retry_after_s;
    bool json;
} answer;

static void copy(char *out, size_t size, const char *text)
{
    snprintf(out, size, "%s", text ? text : "");
}

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

static size_t on_body(char *data, size_t size, size_t count, void *user)
{
    answer *a = user;
    size_t n = size * count;
    if (a->length + n > a->cap) {
        a->too_big = true;
        return 0; /* aborts the transfer: a body over the cap is not read */
    }
    if (!a->body) {
        a->body = malloc(a->cap + 1);
        if (!a->body)
            return 0;
    }
    memcpy(a->body + a->length, data, n);
    a->length += n;
    a->body[a->length] = '\0';
    return n;
}

static size_t on_header(char *data, size_t size, size_t count, void *user)
{
    answer *a = user;
    size_t n = size * count;
    if (n > 12 && strncasecmp(data, "Retry-After:", 12) == 0) {
        char *end = NULL;
        long seconds = strtol(data + 12, &end, 10);
        if (end != data + 12 && seconds >= 0 && seconds <= 86400)
            a->retry_after_s = seconds;
    } else if (n > 13 && strncasecmp(data, "Content-Type:", 13) == 0) {
        const char *value = data + 13;
        while (*value == ' ')
            value++;
        a->json = strncasecmp(value, "application/json", 16) == 0;
    }
    return n;
}

static const char *path_for(const char *kind)
{
    if (strcmp(kind, "submission") == 0)
        return "/v1/submissions";
    if (strcmp(kind, "rating") == 0)
        return "/v1/ratings";
    if (strcmp(kind, "staff-call") == 0)
        return "/v1/staff-calls";
    return NULL;
}

static void set_progress(sync_client *client, sync_link link, const char *error)
{
    pthread_mutex_lock(&client->lock);
    client->progress.link = link;
    if (error)
        copy(client->progress.last_error, sizeof client->progress.last_error, error);
    pthread_mutex_unlock(&client->lock);
}

sync_outcome sync_classify(long status, bool json, const char *body, size_t length,
                           const char *kind, char *tracking, size_t tracking_size)
{
    tracking[0] = '\0';
    if (status == 201) {
        /* Definite only when the answer is what the protocol says: a
         * captive portal's page or a truncated body is not an answer. */
        cJSON *parsed = json && body ? cJSON_ParseWithLength(body, length) : NULL;
        const cJSON *number = cJSON_GetObjectItemCaseSensitive(parsed, "tracking_number");
        bool submission = kind && strcmp(kind, "submission") == 0;
        bool good = cJSON_IsObject(parsed) &&
                    (!submission || (cJSON_IsString(number) && number->valuestring[0] &&
                                     strlen(number->valuestring) < tracking_size));
        if (good && cJSON_IsString(number))
            copy(tracking, tracking_size, number->valuestring);
        cJSON_Delete(parsed);
        return good ? SYNC_DELIVERED : SYNC_RETRY;
    }
    if (status == 409)
        return SYNC_CONFLICT;
    if (status == 400 || status == 413 || status == 422)
        return SYNC_REJECTED;
    if (status == 401 || status == 403)
        return SYNC_REFUSED;
    return SYNC_RETRY; /* 0 (no answer), 2xx other than 201, 3xx, 408, 429, 5xx */
}

/* Sends one record; *retry_after_s is the platform's wish (or -1);
 * tracking receives the tracking number of a delivered submission. */
static sync_outcome send_record(sync_client *client, const cache_record *record,
                                long *retry_after_s, char *tracking, size_t tracking_size)
{
    *retry_after_s = -1;
    tracking[0] = '\0';
    const char *path = path_for(record->kind);
    if (!path) {
        set_progress(client, client->progress.link, "a record of an unknown kind");
        return SYNC_REJECTED;
    }
    char url[FIELD + 64], key_header[CACHE_KEY_MAX + 32], terminal_header[96], version_header[96];
    snprintf(url, sizeof url, "%s%s", client->url, path);
    snprintf(key_header, sizeof key_header, "Idempotency-Key: %s", record->idempotency_key);
    snprintf(terminal_header, sizeof terminal_header, "X-Terminal-Id: %s", client->terminal);
    snprintf(version_header, sizeof version_header, "X-Firmware-Version: %s", client->version);
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    headers = curl_slist_append(headers, key_header);
    headers = curl_slist_append(headers, terminal_header);
    headers = curl_slist_append(headers, version_header);
    headers = curl_slist_append(headers, "Expect:");
    answer a = {.cap = client->max_answer, .retry_after_s = -1};
    CURL *curl = client->curl;
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, (const char *)record->payload);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)record->payload_length);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &a);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &a);
    CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    *retry_after_s = a.retry_after_s;

    sync_outcome outcome = code == CURLE_OK ? sync_classify(status, a.json, a.body, a.length,
                                                            record->kind, tracking, tracking_size)
                                            : SYNC_RETRY;
    char why[160];
    if (code != CURLE_OK) {
        snprintf(why, sizeof why, "no answer: %s%s", curl_easy_strerror(code),
                 a.too_big ? " (the answer was over the size cap)" : "");
        set_progress(client, SYNC_LINK_OFFLINE, why);
    } else if (outcome == SYNC_DELIVERED) {
        set_progress(client, SYNC_LINK_ONLINE, NULL);
    } else if (outcome == SYNC_CONFLICT) {
        set_progress(client, SYNC_LINK_ONLINE, "409: another body under this key");
    } else if (outcome == SYNC_REJECTED) {
        snprintf(why, sizeof why, "%ld: the platform will never accept this record", status);
        set_progress(client, SYNC_LINK_ONLINE, why);
    } else if (outcome == SYNC_REFUSED) {
        snprintf(why, sizeof why, "%ld: the platform refuses this terminal", status);
        set_progress(client, SYNC_LINK_REFUSED, why);
    } else {
        snprintf(why, sizeof why, "answer %ld%s", status,
                 a.json ? "" : " (not JSON: a captive portal?)");
        set_progress(client, SYNC_LINK_DEGRADED, why);
    }
    free(a.body);
    return outcome;
}

/* Full jitter: a random wait up to the exponential bound. */
static int64_t backoff_ms(sync_client *client, int attempts, long retry_after_s)
{
    if (retry_after_s >= 0)
        return (int64_t)retry_after_s * 1000;
    uint64_t bound = client->base_ms;
    for (int i = 0; i < attempts && bound < client->cap_ms; i++)
        bound *= 2;
    if (bound > client->cap_ms)
        bound = client->cap_ms;
    uint32_t random = 0;
    if (getrandom(&random, sizeof random, 0) != sizeof random)
        random = (uint32_t)monotonic_now_ms();
    return (int64_t)(random % (bound + 1));
}

static void refresh_counts(sync_client *client)
{
    cache_outbox_stats stats;
    if (cache_outbox_stats_get(client->store, &stats, NULL) == KIOSK_OK) {
        pthread_mutex_lock(&client->lock);
        client->progress.queued = stats.records;
        pthread_mutex_unlock(&client->lock);
    }
}

kiosk_error sync_drain(sync_client *client, int64_t now_ms, int64_t *delivered)
{
    *delivered = 0;
    cache_record *records = calloc(client->batch, sizeof *records);
    int64_t *done = calloc(client->batch, sizeof *done);
    if (!records || !done) {
        free(records);
        free(done);
        return KIOSK_ERR_NO_MEMORY;
    }
    kiosk_error result = KIOSK_OK;
    bool link_failed = false;
    while (!link_failed) {
        size_t count = 0;
        kiosk_diag diag = {{0}};
        result = cache_outbox_claim(client->store, now_ms, client->batch, records, &count, &diag);
        if (result != KIOSK_OK) {
            LOG_ERROR("sync", "%s", diag.message);
            break;
        }
        if (count == 0)
            break;
        size_t acknowledged = 0;
        for (size_t i = 0; i < count; i++) {
            long retry_after = -1;
            char tracking[64];
            sync_outcome outcome = SYNC_RETRY;
            if (!link_failed)
                outcome = send_record(client, &records[i], &retry_after, tracking, sizeof tracking);
            if (outcome == SYNC_DELIVERED || outcome == SYNC_CONFLICT) {
                done[acknowledged++] = records[i].id;
                if (outcome == SYNC_CONFLICT)
                    LOG_WARN("sync", "record %lld: the platform holds another body under its key",
                             (long long)records[i].id);
                continue;
            }
            if (link_failed)
                continue; /* not sent this pass: its schedule stands */
            if (outcome == SYNC_REJECTED) {
                if (cache_outbox_quarantine(client->store, records[i].id,
                                            client->progress.last_error, NULL) != KIOSK_OK)
                    LOG_ERROR("sync", "cannot quarantine record %lld", (long long)records[i].id);
                continue; /* the next record may be fine */
            }
            if (outcome == SYNC_REFUSED)
                retry_after = 60;
            int64_t wait = backoff_ms(client, records[i].attempts, retry_after);
            if (cache_outbox_fail(client->store, records[i].id, client->progress.last_error,
                                  now_ms + wait, NULL) != KIOSK_OK)
                LOG_ERROR("sync", "cannot reschedule record %lld", (long long)records[i].id);
            /* The link is down or unwell: stop hammering it this pass. */
            link_failed = true;
        }
        cache_records_free(records, count);
        if (acknowledged) {
            kiosk_diag ack_diag = {{0}};
            result = cache_outbox_ack(client->store, done, acknowledged, &ack_diag);
            if (result != KIOSK_OK) {
                /* Sent but not noted: the next pass sends again, and the
                 * platform answers with its first answer. */
                LOG_ERROR("sync", "%s", ack_diag.message);
                break;
            }
            *delivered += (int64_t)acknowledged;
        }
    }
    free(records);
    free(done);
    pthread_mutex_lock(&client->lock);
    client->progress.delivered += *delivered;
    pthread_mutex_unlock(&client->lock);
    refresh_counts(client);
    if (*delivered > 0 && client->progress.queued == 0 && cache_scrub(client->store) != KIOSK_OK)
        LOG_WARN("sync", "the outbox drained but its write-ahead log was not scrubbed");
    return result;
}

sync_progress sync_progress_get(sync_client *client)
{
    pthread_mutex_lock(&client->lock);
    sync_progress progress = client->progress;
    pthread_mutex_unlock(&client->lock);
    return progress;
}

/* libcurl's global state is set up once, before any thread uses it. */
static void curl_start(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        LOG_ERROR("sync", "libcurl could not start");
}

kiosk_error sync_create(const sync_config *config, const cache_options *store, sync_client **out,
                        kiosk_diag *diag)
{
    static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
    (void)pthread_once(&curl_once, curl_start);
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
    client->batch = config->batch ? config->batch : 32;
    pthread_mutex_init(&client->lock, NULL);
    monotonic_cond_init(&client->wake);

    client->curl = curl_easy_init();
    if (!client->curl) {
        sync_destroy(client);
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "libcurl could not start");
    }
    CURL *curl = client->curl;
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_CAINFO, client->ca_file);
    curl_easy_setopt(curl, CURLOPT_CAPATH, NULL);
    curl_easy_setopt(curl, CURLOPT_SSLCERT, client->cert);
    curl_easy_setopt(curl, CURLOPT_SSLKEY, client->key);
    if (client->pin[0])
        curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, client->pin);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long)client->connect_ms);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)client->total_ms);
    /* A platform that trickles (a few bytes a second) is as good as gone. */
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 64L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 3L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);

    kiosk_error result = cache_open(store, &client->store, NULL, diag);
    if (result != KIOSK_OK) {
        sync_destroy(client);
        return result;
    }
    refresh_counts(client);
    *out = client;
    return KIOSK_OK;
}

static void *run(void *arg)
{
    sync_client *client = arg;
    pthread_mutex_lock(&client->lock);
    while (!client->stopping) {
        pthread_mutex_unlock(&client->lock);
        struct timespec wall;
        clock_gettime(CLOCK_REALTIME, &wall);
        int64_t now = (int64_t)wall.tv_sec * 1000 + wall.tv_nsec / 1000000;
        int64_t delivered = 0;
        sync_link before = sync_progress_get(client).link;
        if (sync_drain(client, now, &delivered) != KIOSK_OK)
            LOG_WARN("sync", "a drain pass failed");
        sync_progress progress = sync_progress_get(client);
        if (progress.link != before)
            LOG_INFO("sync", "link %s", sync_link_name(progress.link));
        if (client->notify && (delivered || progress.link != before))
            client->notify(&progress, client->context);
        /* Sleep until woken (a new record), or a while to look again: the
         * next attempt of a failed record is in the outbox. */
        pthread_mutex_lock(&client->lock);
        uint64_t wait = progress.queued > 0 ? client->base_ms : 60000;
        struct timespec deadline = monotonic_deadline_ms(wait);
        while (!client->woken && !client->stopping &&
               pthread_cond_timedwait(&client->wake, &client->lock, &deadline) == 0) {
        }
        client->woken = false;
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
        curl_easy_cleanup(client->curl);
    cache_close(client->store);
    pthread_cond_destroy(&client->wake);
    pthread_mutex_destroy(&client->lock);
    free(client);
}
