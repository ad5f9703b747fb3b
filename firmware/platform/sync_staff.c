/* What the sync thread does for staff (docs/protocol.md, "Staff"): the
 * staff credentials the platform publishes, fetched and cached like the
 * catalog when the heartbeat names a new version; the calls of this
 * terminal that staff acknowledged, as the heartbeat lists them; and,
 * while the staff screens watch, the hall's waiting calls.
 *
 * Everything here comes from outside: lists are bounded, texts checked
 * (untrusted_text), and a bad entry is dropped, never shown. */
#include "firmware/platform/sync_internal.h"

#include "firmware/base/log.h"
#include "firmware/base/untrusted_text.h"
#include "offline-cache/kv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CREDENTIALS_NAME        "credentials"
#define CREDENTIALS_VERSION_KEY "credentials.version"
#define CREDENTIALS_MAX         (1024 * 1024)
#define CALLS_ANSWER_MAX        (256 * 1024)

/* A text from the platform fit to keep in a buffer of size: a string,
 * valid UTF-8, shorter than size, with nothing hidden in it. */
static bool fits(const cJSON *item, size_t size)
{
    if (!cJSON_IsString(item) || !item->valuestring)
        return false;
    const char *text = item->valuestring;
    size_t length = strlen(text);
    if (length == 0 || length >= size || !untrusted_utf8_valid(text, length))
        return false;
    for (size_t at = 0; at < length;) {
        size_t step = untrusted_utf8_sequence((const uint8_t *)text + at, length - at);
        uint32_t code = 0;
        const uint8_t *c = (const uint8_t *)text + at;
        code = step == 1   ? c[0]
               : step == 2 ? (uint32_t)(c[0] & 0x1f) << 6 | (c[1] & 0x3f)
               : step == 3
                   ? (uint32_t)(c[0] & 0x0f) << 12 | (uint32_t)(c[1] & 0x3f) << 6 | (c[2] & 0x3f)
                   : (uint32_t)(c[0] & 0x07) << 18 | (uint32_t)(c[1] & 0x3f) << 12 |
                         (uint32_t)(c[2] & 0x3f) << 6 | (c[3] & 0x3f);
        if (step == 0 || untrusted_code_point_hidden(code))
            return false;
        at += step;
    }
    return true;
}

void sync_staff_heartbeat(sync_client *client, const cJSON *answer)
{
    /* Only this terminal's own calls matter, and it makes few: the first
     * SYNC_ACKNOWLEDGED_MAX well-formed keys are read, the rest ignored. */
    const cJSON *acknowledged = cJSON_GetObjectItemCaseSensitive(answer, "calls_acknowledged");
    char keys[SYNC_ACKNOWLEDGED_MAX][CACHE_KEY_MAX];
    size_t count = 0;
    const cJSON *each = NULL;
    if (cJSON_IsArray(acknowledged)) {
        cJSON_ArrayForEach(each, acknowledged)
        {
            if (count == SYNC_ACKNOWLEDGED_MAX)
                break;
            if (fits(each, CACHE_KEY_MAX))
                snprintf(keys[count++], CACHE_KEY_MAX, "%s", each->valuestring);
        }
    }
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(answer, "credentials_version");
    pthread_mutex_lock(&client->lock);
    bool changed = count != client->acknowledged_count ||
                   memcmp(keys, client->acknowledged, count * sizeof keys[0]) != 0;
    if (changed) {
        memcpy(client->acknowledged, keys, count * sizeof keys[0]);
        client->acknowledged_count = count;
        client->progress.staff_news++;
    }
    client->credentials_offered[0] = '\0';
    if (fits(version, sizeof client->credentials_offered))
        snprintf(client->credentials_offered, sizeof client->credentials_offered, "%s",
                 version->valuestring);
    pthread_mutex_unlock(&client->lock);
}

bool sync_call_acknowledged(sync_client *client, const char *key)
{
    bool found = false;
    pthread_mutex_lock(&client->lock);
    for (size_t i = 0; i < client->acknowledged_count && !found; i++)
        found = strcmp(client->acknowledged[i], key) == 0;
    pthread_mutex_unlock(&client->lock);
    return found;
}

/* The credentials are the staff engineer's format (docs/staff.md): here
 * only a JSON object within the cap. */
static void fetch_credentials(sync_client *client, const char *version)
{
    char etag[128] = "";
    char *cached = NULL, *known = NULL;
    size_t length = 0;
    int64_t fetched_at = 0;
    if (cache_kv_get(client->store, CREDENTIALS_VERSION_KEY, &known, &length, NULL) == KIOSK_OK &&
        strcmp(known, version) == 0) {
        free(known);
        return;
    }
    free(known);
    if (strcmp(version, client->bad_credentials_version) == 0)
        return;
    if (cache_content_get(client->store, CREDENTIALS_NAME, &cached, &length, etag, sizeof etag,
                          &fetched_at, NULL) != KIOSK_OK)
        etag[0] = '\0';
    free(cached);
    sync_request request = {.path = "/v1/staff-credentials",
                            .if_none_match = etag[0] ? etag : NULL,
                            .max_answer = CREDENTIALS_MAX};
    sync_answer a;
    long status = 0;
    CURLcode code = sync_http_perform(client, &request, &a, &status);
    cJSON *parsed = code == CURLE_OK && status == 200 ? sync_answer_json(&a) : NULL;
    bool noted = false;
    if (code == CURLE_OK && status == 304) {
        noted = true;
    } else if (parsed) {
        kiosk_diag diag = {{0}};
        if (cache_content_put(client->store, CREDENTIALS_NAME, a.etag, a.body, a.length,
                              (int64_t)time(NULL), &diag) == KIOSK_OK) {
            noted = true;
            pthread_mutex_lock(&client->lock);
            client->progress.credentials_updates++;
            pthread_mutex_unlock(&client->lock);
            LOG_INFO(SYNC_LOG, "staff credentials %s cached (%zu bytes)", version, a.length);
        } else {
            LOG_ERROR(SYNC_LOG, "staff credentials %s not cached: %s", version, diag.message);
        }
    } else if (code == CURLE_OK && status == 200) {
        LOG_ERROR(SYNC_LOG, "staff credentials %s refused: not a JSON object", version);
        snprintf(client->bad_credentials_version, sizeof client->bad_credentials_version, "%s",
                 version);
    } else {
        LOG_WARN(SYNC_LOG, "staff credentials %s: answer %ld (asked again next heartbeat)", version,
                 status);
    }
    sync_json_free(parsed);
    sync_answer_free(&a);
    if (noted && cache_kv_set(client->store, CREDENTIALS_VERSION_KEY, version, strlen(version),
                              (int64_t)time(NULL), NULL) != KIOSK_OK)
        LOG_WARN(SYNC_LOG, "staff credentials %s: the version could not be noted", version);
}

/* One call of GET /v1/calls: false when it is not one. */
static bool read_call(const cJSON *json, platform_call *out)
{
    memset(out, 0, sizeof *out);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(json, "id");
    const cJSON *terminal = cJSON_GetObjectItemCaseSensitive(json, "terminal");
    const cJSON *reason = cJSON_GetObjectItemCaseSensitive(json, "reason");
    const cJSON *screen = cJSON_GetObjectItemCaseSensitive(json, "screen");
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(json, "at");
    if (!fits(id, sizeof out->id) || !fits(terminal, sizeof out->terminal) ||
        !fits(reason, sizeof out->reason) || !fits(screen, sizeof out->screen) ||
        !cJSON_IsString(at) || !sync_parse_utc(at->valuestring, &out->at_s))
        return false;
    /* The id goes back in a call-ack's JSON: nothing that needs escaping. */
    if (strpbrk(id->valuestring, "\"\\"))
        return false;
    snprintf(out->id, sizeof out->id, "%s", id->valuestring);
    snprintf(out->terminal, sizeof out->terminal, "%s", terminal->valuestring);
    snprintf(out->reason, sizeof out->reason, "%s", reason->valuestring);
    snprintf(out->screen, sizeof out->screen, "%s", screen->valuestring);
    out->at_s /= 1000;
    return true;
}

static void fetch_calls(sync_client *client)
{
    sync_request request = {.path = "/v1/calls", .max_answer = CALLS_ANSWER_MAX};
    sync_answer a;
    long status = 0;
    CURLcode code = sync_http_perform(client, &request, &a, &status);
    cJSON *parsed = code == CURLE_OK && status == 200 ? sync_answer_json(&a) : NULL;
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(parsed, "calls");
    if (cJSON_IsArray(list)) {
        platform_call calls[SYNC_CALLS_MAX];
        size_t count = 0, dropped = 0;
        const cJSON *each = NULL;
        cJSON_ArrayForEach(each, list)
        {
            if (count == SYNC_CALLS_MAX)
                break;
            if (read_call(each, &calls[count]))
                count++;
            else
                dropped++;
        }
        if (dropped)
            LOG_WARN(SYNC_LOG, "%zu help calls from the platform dropped: not well-formed",
                     dropped);
        pthread_mutex_lock(&client->lock);
        if (count != client->calls_count ||
            memcmp(calls, client->calls, count * sizeof calls[0]) != 0) {
            memcpy(client->calls, calls, count * sizeof calls[0]);
            client->calls_count = count;
            client->progress.staff_news++;
        }
        pthread_mutex_unlock(&client->lock);
    } else {
        LOG_WARN(SYNC_LOG, "the hall's help calls: answer %ld, not a list", status);
    }
    sync_json_free(parsed);
    sync_answer_free(&a);
}

void sync_staff_after_heartbeat(sync_client *client)
{
    pthread_mutex_lock(&client->lock);
    char version[sizeof client->credentials_offered];
    memcpy(version, client->credentials_offered, sizeof version);
    bool watch = client->watch_calls;
    pthread_mutex_unlock(&client->lock);
    if (version[0])
        fetch_credentials(client, version);
    if (watch)
        fetch_calls(client);
}

void sync_watch_calls(sync_client *client, bool watch)
{
    pthread_mutex_lock(&client->lock);
    client->watch_calls = watch;
    if (!watch)
        client->calls_count = 0;
    pthread_mutex_unlock(&client->lock);
    if (watch)
        sync_wake(client);
}

size_t sync_calls_get(sync_client *client, platform_call *out, size_t max)
{
    pthread_mutex_lock(&client->lock);
    size_t count = client->calls_count < max ? client->calls_count : max;
    memcpy(out, client->calls, count * sizeof out[0]);
    pthread_mutex_unlock(&client->lock);
    return count;
}

void sync_await_call(sync_client *client, const char *key)
{
    pthread_mutex_lock(&client->lock);
    snprintf(client->awaited_call, sizeof client->awaited_call, "%s", key ? key : "");
    pthread_mutex_unlock(&client->lock);
    if (key && key[0])
        sync_wake(client);
}

unsigned sync_staff_poll_s(sync_client *client)
{
    pthread_mutex_lock(&client->lock);
    bool waiting = client->awaited_call[0] != '\0';
    for (size_t i = 0; waiting && i < client->acknowledged_count; i++)
        waiting = strcmp(client->acknowledged[i], client->awaited_call) != 0;
    pthread_mutex_unlock(&client->lock);
    unsigned poll = client->poll_interval_s;
    return waiting && poll > SYNC_CALL_POLL_S ? SYNC_CALL_POLL_S : poll;
}
