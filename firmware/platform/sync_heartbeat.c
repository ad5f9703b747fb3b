/* The heartbeat (POST /v1/heartbeat) and the catalog (GET /v1/catalog).
 *
 * The heartbeat tells the platform how this terminal is (devices, outbox
 * depth, firmware) and brings back the platform's clock, how often to call,
 * and which catalog is current. When that differs from the cached one the
 * catalog is fetched with If-None-Match, validated as the firmware would
 * load it, and only then cached: a bad catalog from the platform never
 * replaces a good one. */
#include "firmware/platform/sync_internal.h"

#include "firmware/base/log.h"
#include "firmware/base/monotonic.h"
#include "firmware/platform/enrol.h"
#include "firmware/services/catalog.h"
#include "offline-cache/audit.h"
#include "offline-cache/kv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CATALOG_NAME        "catalog"
#define CATALOG_VERSION_KEY "catalog.version"

static int64_t wall_s(void)
{
    return (int64_t)time(NULL);
}

/* "2026-11-22T09:30:00Z" (UTC, whole seconds, optionally fractional). */
bool sync_parse_utc(const char *text, int64_t *epoch_ms)
{
    struct tm tm = {0};
    char zone = 0;
    int fraction_at = 0;
    if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &fraction_at) != 6)
        return false;
    const char *rest = text + fraction_at;
    if (*rest == '.')
        for (rest++; *rest >= '0' && *rest <= '9'; rest++) {
        }
    zone = *rest;
    if (zone != 'Z' || rest[1] != '\0' || tm.tm_year < 2000 || tm.tm_year > 2200 || tm.tm_mon < 1 ||
        tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
        tm.tm_sec > 60)
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t seconds = timegm(&tm);
    if (seconds == (time_t)-1)
        return false;
    *epoch_ms = (int64_t)seconds * 1000;
    return true;
}

static bool printable(const char *text, size_t max)
{
    size_t length = strlen(text);
    if (length == 0 || length >= max)
        return false;
    for (size_t i = 0; i < length; i++)
        if (text[i] < ' ' || text[i] > '~')
            return false;
    return true;
}

void sync_heartbeat_restore(sync_client *client)
{
    char *version = NULL;
    size_t length;
    if (cache_kv_get(client->store, CATALOG_VERSION_KEY, &version, &length, NULL) == KIOSK_OK) {
        pthread_mutex_lock(&client->lock);
        snprintf(client->progress.catalog_version, sizeof client->progress.catalog_version, "%s",
                 version);
        pthread_mutex_unlock(&client->lock);
    }
    free(version);
}

static void remember_version(sync_client *client, const char *version)
{
    if (cache_kv_set(client->store, CATALOG_VERSION_KEY, version, strlen(version), wall_s(),
                     NULL) != KIOSK_OK)
        LOG_WARN(SYNC_LOG, "catalog %s: its version could not be noted", version);
    pthread_mutex_lock(&client->lock);
    snprintf(client->progress.catalog_version, sizeof client->progress.catalog_version, "%s",
             version);
    pthread_mutex_unlock(&client->lock);
}

/* Validates and caches a catalog answer; false when it is not fit to use. */
static bool take_catalog(sync_client *client, const char *version, const sync_answer *a)
{
    catalog *parsed = calloc(1, sizeof *parsed);
    kiosk_diag diag; /* set by whatever fails */
    kiosk_error result =
        parsed ? catalog_parse("the platform's catalog", a->body ? a->body : "", a->length, parsed,
                               &diag)
               : kiosk_diag_set(&diag, KIOSK_ERR_NO_MEMORY, "no memory to check the catalog");
    free(parsed);
    if (result != KIOSK_OK) {
        LOG_ERROR(SYNC_LOG, "catalog %s refused, the cached one stays: %s", version, diag.message);
        return false;
    }
    if (cache_content_put(client->store, CATALOG_NAME, a->etag, a->body, a->length, wall_s(),
                          &diag) != KIOSK_OK) {
        LOG_ERROR(SYNC_LOG, "catalog %s could not be cached: %s", version, diag.message);
        return false;
    }
    return true;
}

static void fetch_catalog(sync_client *client, const char *version)
{
    char etag[80] = "";
    char *cached = NULL;
    size_t cached_length = 0;
    int64_t fetched_at;
    if (cache_content_get(client->store, CATALOG_NAME, &cached, &cached_length, etag, sizeof etag,
                          &fetched_at, NULL) != KIOSK_OK)
        etag[0] = '\0';
    free(cached);
    sync_request request = {.path = "/v1/catalog",
                            .if_none_match = etag[0] ? etag : NULL,
                            .max_answer = SYNC_CATALOG_MAX};
    sync_answer a;
    long status;
    CURLcode code = sync_http_perform(client, &request, &a, &status);
    if (code == CURLE_OK && status == 304) {
        remember_version(client, version);
    } else if (code == CURLE_OK && status == 200 && a.json) {
        if (take_catalog(client, version, &a)) {
            remember_version(client, version);
            pthread_mutex_lock(&client->lock);
            client->progress.catalog_updates++;
            pthread_mutex_unlock(&client->lock);
            LOG_INFO(SYNC_LOG, "catalog %s cached (%zu bytes)", version, a.length);
        } else {
            snprintf(client->bad_catalog_version, sizeof client->bad_catalog_version, "%s",
                     version);
        }
    } else {
        /* Asked again at the next heartbeat. */
        LOG_WARN(SYNC_LOG, "catalog %s: %s %ld", version,
                 code == CURLE_OK ? "answer" : client->api->easy_strerror(code), status);
    }
    sync_answer_free(&a);
}

/* Reads a heartbeat's answer; false when it is not one. */
static bool read_heartbeat(sync_client *client, const sync_answer *a, char *catalog_version,
                           size_t version_size)
{
    cJSON *parsed = sync_answer_json(a);
    const cJSON *server_time = cJSON_GetObjectItemCaseSensitive(parsed, "server_time");
    const cJSON *poll = cJSON_GetObjectItemCaseSensitive(parsed, "poll_interval_s");
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(parsed, "catalog_version");
    int64_t server_ms = 0;
    bool good = cJSON_IsObject(parsed) && cJSON_IsString(server_time) &&
                sync_parse_utc(server_time->valuestring, &server_ms) && cJSON_IsNumber(poll);
    catalog_version[0] = '\0';
    if (good) {
        /* The platform decides how often, within sane bounds. */
        client->poll_interval_s = (unsigned)fmin(fmax(poll->valuedouble, 10), 3600);
        if (cJSON_IsString(version) && printable(version->valuestring, version_size))
            snprintf(catalog_version, version_size, "%s", version->valuestring);
        sync_staff_heartbeat(client, parsed);
        /* A platform clock a day or more from the device's is a broken
         * platform or a forged answer: it would print 2199 on receipts. It is
         * not used, and staff are told; the last believable one stands. */
        int64_t skew = server_ms - wall_s() * 1000;
        bool believable = skew <= SYNC_CLOCK_SKEW_MAX_MS && skew >= -SYNC_CLOCK_SKEW_MAX_MS;
        pthread_mutex_lock(&client->lock);
        bool was = client->progress.clock_disagrees;
        client->progress.clock_disagrees = !believable;
        if (believable) {
            snprintf(client->progress.server_time, sizeof client->progress.server_time, "%s",
                     server_time->valuestring);
            client->progress.server_ms = server_ms;
            client->progress.server_read_at_ms = (int64_t)monotonic_now_ms();
        } else {
            snprintf(client->progress.last_error, sizeof client->progress.last_error,
                     "the platform's clock (%.24s) is over a day from the terminal's: not used",
                     server_time->valuestring);
        }
        pthread_mutex_unlock(&client->lock);
        if (!believable && !was)
            LOG_ERROR(SYNC_LOG,
                      "the platform's clock (%.24s) is %lld s from the terminal's: "
                      "not used",
                      server_time->valuestring, (long long)(skew / 1000));
    }
    sync_json_free(parsed);
    return good;
}

sync_outcome sync_heartbeat(sync_client *client, long *retry_after_s)
{
    *retry_after_s = -1;
    pthread_mutex_lock(&client->lock);
    int64_t depth = client->progress.queued;
    char devices[sizeof client->devices];
    memcpy(devices, client->devices, sizeof devices);
    pthread_mutex_unlock(&client->lock);
    char body[sizeof devices + SYNC_HEARTBEAT_FRAME];
    int length = snprintf(body, sizeof body, "{\"devices\":%s,\"outbox_depth\":%lld,\"firmware\":",
                          devices[0] ? devices : "{}", (long long)depth);
    cJSON *firmware = cJSON_CreateString(client->version);
    char *quoted = firmware ? cJSON_PrintUnformatted(firmware) : NULL;
    cJSON_Delete(firmware);
    if (!quoted)
        return SYNC_RETRY;
    length += snprintf(body + length, sizeof body - (size_t)length, "%s", quoted);
    free(quoted);
    /* The audit trail's head, every time: the platform compares it with the
     * rows it has, so a trail cut short on the terminal is seen there. */
    cache_audit_head head;
    if (cache_audit_head_get(client->store, &head, NULL) == KIOSK_OK)
        length +=
            snprintf(body + length, sizeof body - (size_t)length,
                     ",\"audit_head\":{\"sequence\":%lld,\"hash\":\"%s\",\"algorithm\":\"%s\"}",
                     (long long)head.sequence, head.hash, head.algorithm);
    /* The client certificate's days left (negative: expired), so the
     * platform sees terminals to renew before their links fail. */
    enrol_cert_info cert;
    if (enrol_cert_read(client->cert, &cert, NULL) == KIOSK_OK) {
        int64_t left = cert.not_after_s - wall_s();
        long long days = left >= 0 ? left / 86400 : -((-left + 86399) / 86400);
        length += snprintf(body + length, sizeof body - (size_t)length,
                           ",\"certificate_days_left\":%lld", days);
    }
    length += snprintf(body + length, sizeof body - (size_t)length, "}");

    sync_request request = {.path = "/v1/heartbeat", .body = body, .length = (size_t)length};
    sync_answer a;
    long status;
    CURLcode code = sync_http_perform(client, &request, &a, &status);
    *retry_after_s = a.retry_after_s;
    char version[64];
    sync_outcome outcome = SYNC_RETRY;
    if (code == CURLE_OK && status == 200 && read_heartbeat(client, &a, version, sizeof version))
        outcome = SYNC_DELIVERED;
    else if (code == CURLE_OK && (status == 401 || status == 403))
        outcome = SYNC_REFUSED;
    sync_note_link(client, code, status, &a, outcome);
    sync_answer_free(&a);

    if (outcome == SYNC_DELIVERED && version[0] &&
        strcmp(version, sync_progress_get(client).catalog_version) != 0 &&
        strcmp(version, client->bad_catalog_version) != 0)
        fetch_catalog(client, version);
    if (outcome == SYNC_DELIVERED)
        sync_staff_after_heartbeat(client);
    return outcome;
}
