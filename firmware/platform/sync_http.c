/* One request on the sync client's reused libcurl handle, and what an answer
 * means (docs/protocol.md, "How the terminal treats an answer"). */
#include "firmware/platform/sync_internal.h"

#include "firmware/base/json_fields.h"
#include "firmware/base/log.h"
#include "firmware/base/untrusted_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static size_t on_body(char *data, size_t size, size_t count, void *user)
{
    sync_answer *a = user;
    size_t n = size * count;
    if (a->length + n > a->cap) {
        a->too_big = true;
        return 0; /* aborts the transfer: a body over the cap is not read */
    }
    if (a->length + n + 1 > a->allocated) {
        /* Grows by doubling up to the cap: a catalog may be megabytes, a
         * heartbeat's answer a few hundred bytes. */
        size_t want = a->allocated ? a->allocated : SYNC_ANSWER_FIRST_BYTES;
        while (want < a->length + n + 1)
            want *= 2;
        if (want > a->cap + 1)
            want = a->cap + 1;
        /* Not realloc: the old buffer may hold what came so far, and is
         * wiped before it is let go. */
        char *grown = malloc(want);
        if (!grown)
            return 0;
        if (a->body)
            memcpy(grown, a->body, a->length + 1);
        sync_wipe_free(a->body, a->allocated);
        a->body = grown;
        a->allocated = want;
    }
    memcpy(a->body + a->length, data, n);
    a->length += n;
    a->body[a->length] = '\0';
    return n;
}

static const char *header_value(const char *data, size_t n, const char *name)
{
    size_t length = strlen(name);
    if (n <= length || strncasecmp(data, name, length) != 0)
        return NULL;
    const char *value = data + length;
    while (*value == ' ' || *value == '\t')
        value++;
    return value;
}

static size_t on_header(char *data, size_t size, size_t count, void *user)
{
    sync_answer *a = user;
    size_t n = size * count;
    const char *value;
    if ((value = header_value(data, n, "Retry-After:"))) {
        char *end = NULL;
        long seconds = strtol(value, &end, 10);
        if (end != value && seconds >= 0 && seconds <= 86400)
            a->retry_after_s = seconds;
    } else if ((value = header_value(data, n, "Content-Type:"))) {
        a->json = strncasecmp(value, "application/json", 16) == 0;
    } else if ((value = header_value(data, n, "ETag:"))) {
        size_t length = n - (size_t)(value - data);
        while (length > 0 &&
               (value[length - 1] == '\r' || value[length - 1] == '\n' || value[length - 1] == ' '))
            length--;
        if (length < sizeof a->etag)
            snprintf(a->etag, sizeof a->etag, "%.*s", (int)length, value);
    }
    return n;
}

/* A client certificate enrolled since the handle's connections were made
 * (firmware/platform/enrol.h renames a new one in): the handle is made
 * afresh, so the next call presents it. False: no handle to call with. */
static bool follow_certificate(sync_client *client)
{
    char seen[sizeof client->cert_seen] = "";
    struct stat file;
    if (stat(client->cert, &file) == 0)
        snprintf(seen, sizeof seen, "%llu:%llu:%lld.%09ld", (unsigned long long)file.st_dev,
                 (unsigned long long)file.st_ino, (long long)file.st_ctim.tv_sec,
                 file.st_ctim.tv_nsec);
    bool changed = client->cert_seen[0] && strcmp(seen, client->cert_seen) != 0;
    snprintf(client->cert_seen, sizeof client->cert_seen, "%s", seen);
    if (changed || !client->curl) {
        kiosk_diag diag = {{0}};
        if (sync_handle_open(client, &diag) != KIOSK_OK) {
            LOG_ERROR(SYNC_LOG, "%s", diag.message);
            return false;
        }
        if (changed)
            LOG_INFO(SYNC_LOG, "a new client certificate: new connections present it");
    }
    return true;
}

CURLcode sync_http_perform(sync_client *client, const sync_request *request, sync_answer *answer,
                           long *status)
{
    memset(answer, 0, sizeof *answer);
    answer->retry_after_s = SYNC_NO_RETRY_AFTER;
    answer->cap = request->max_answer ? request->max_answer : client->max_answer;
    *status = 0;
    if (!follow_certificate(client))
        return CURLE_FAILED_INIT;
    char url[SYNC_FIELD + SYNC_HEADER_MAX], key_header[CACHE_KEY_MAX + SYNC_HEADER_MAX],
        match_header[SYNC_ETAG_MAX + SYNC_HEADER_MAX], terminal_header[SYNC_HEADER_MAX],
        version_header[SYNC_HEADER_MAX];
    snprintf(url, sizeof url, "%s%s", client->url, request->path);
    snprintf(terminal_header, sizeof terminal_header, "X-Terminal-Id: %s", client->terminal);
    snprintf(version_header, sizeof version_header, "X-Firmware-Version: %s", client->version);
    struct curl_slist *headers = client->api->slist_append(NULL, terminal_header);
    headers = client->api->slist_append(headers, version_header);
    headers = client->api->slist_append(headers, "Expect:");
    if (request->body)
        headers = client->api->slist_append(headers, "Content-Type: application/json");
    if (request->idempotency_key) {
        snprintf(key_header, sizeof key_header, "Idempotency-Key: %s", request->idempotency_key);
        headers = client->api->slist_append(headers, key_header);
    }
    if (request->if_none_match) {
        snprintf(match_header, sizeof match_header, "If-None-Match: %s", request->if_none_match);
        headers = client->api->slist_append(headers, match_header);
    }
    CURL *curl = client->curl;
    client->api->easy_setopt(curl, CURLOPT_URL, url);
    client->api->easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (request->body) {
        client->api->easy_setopt(curl, CURLOPT_POSTFIELDS, request->body);
        client->api->easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)request->length);
    } else {
        client->api->easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    }
    client->api->easy_setopt(curl, CURLOPT_FRESH_CONNECT, request->fresh ? 1L : 0L);
    client->api->easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    client->api->easy_setopt(curl, CURLOPT_WRITEDATA, answer);
    client->api->easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    client->api->easy_setopt(curl, CURLOPT_HEADERDATA, answer);
    CURLcode code = client->api->easy_perform(curl);
    client->api->slist_free_all(headers);
    *status = 0;
    if (code == CURLE_OK)
        client->api->easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    return code;
}

void sync_set_progress(sync_client *client, sync_link link, const char *error)
{
    pthread_mutex_lock(&client->lock);
    client->progress.link = link;
    if (error)
        snprintf(client->progress.last_error, sizeof client->progress.last_error, "%s", error);
    pthread_mutex_unlock(&client->lock);
}

void sync_note_link(sync_client *client, CURLcode code, long status, const sync_answer *answer,
                    sync_outcome outcome)
{
    char why[160];
    if (code != CURLE_OK) {
        snprintf(why, sizeof why, "no answer: %s%s", client->api->easy_strerror(code),
                 answer->too_big ? " (the answer was over the size cap)" : "");
        sync_set_progress(client, SYNC_LINK_OFFLINE, why);
    } else if (outcome == SYNC_DELIVERED) {
        sync_set_progress(client, SYNC_LINK_ONLINE, NULL);
    } else if (outcome == SYNC_CONFLICT) {
        sync_set_progress(client, SYNC_LINK_ONLINE, "409: another body under this key");
    } else if (outcome == SYNC_REJECTED) {
        snprintf(why, sizeof why, "%ld: the platform will never accept this record", status);
        sync_set_progress(client, SYNC_LINK_ONLINE, why);
    } else if (outcome == SYNC_REFUSED) {
        snprintf(why, sizeof why, "%ld: the platform refuses this terminal", status);
        sync_set_progress(client, SYNC_LINK_REFUSED, why);
    } else {
        snprintf(why, sizeof why, "answer %ld%s", status,
                 answer->json ? "" : " (not JSON: a gateway's or captive portal's page?)");
        sync_set_progress(client, SYNC_LINK_DEGRADED, why);
    }
}

void sync_wipe_free(void *data, size_t size)
{
    if (data)
        explicit_bzero(data, size);
    free(data);
}

void sync_answer_free(sync_answer *answer)
{
    sync_wipe_free(answer->body, answer->allocated);
    answer->body = NULL; /* freed twice is freed once */
}

cJSON *sync_answer_json(const sync_answer *answer)
{
    cJSON *parsed = NULL;
    if (!answer->json || !answer->body ||
        json_parse_text("the platform's answer", answer->body, answer->length, &parsed, NULL) !=
            KIOSK_OK)
        return NULL;
    return parsed;
}

static void wipe_strings(cJSON *item)
{
    for (; item; item = item->next) {
        if (item->string)
            explicit_bzero(item->string, strlen(item->string));
        if (item->valuestring)
            explicit_bzero(item->valuestring, strlen(item->valuestring));
        wipe_strings(item->child);
    }
}

void sync_json_free(cJSON *json)
{
    wipe_strings(json);
    cJSON_Delete(json);
}

char *sync_print_json(const cJSON *json, size_t *size)
{
    /* Printed into our own buffer, so the whole of it is known and wiped:
     * cJSON's own printing grows and shrinks buffers it frees unwiped. */
    char *buffer = malloc(SYNC_PRINT_MAX);
    if (buffer && !cJSON_PrintPreallocated((cJSON *)json, buffer, SYNC_PRINT_MAX, false)) {
        sync_wipe_free(buffer, SYNC_PRINT_MAX);
        buffer = NULL;
    }
    *size = SYNC_PRINT_MAX;
    return buffer;
}

bool sync_tracking_valid(const char *text)
{
    size_t length = text ? strlen(text) : 0;
    if (length == 0 || length >= SYNC_TRACKING_MAX)
        return false;
    for (size_t i = 0; i < length; i++) {
        char c = text[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '-'))
            return false;
    }
    return true;
}

bool sync_copy_text(const cJSON *object, const char *name, char *out, size_t size, bool required)
{
    const cJSON *field = cJSON_GetObjectItemCaseSensitive(object, name);
    out[0] = '\0';
    if (!field)
        return !required;
    if (!cJSON_IsString(field) || strlen(field->valuestring) >= size)
        return false;
    snprintf(out, size, "%s", field->valuestring);
    if (untrusted_text_clean(out, NULL) != KIOSK_OK) {
        explicit_bzero(out, size);
        return false;
    }
    return true;
}

const char *sync_path_for(const char *kind)
{
    if (strcmp(kind, "submission") == 0)
        return "/v1/submissions";
    if (strcmp(kind, "rating") == 0)
        return "/v1/ratings";
    if (strcmp(kind, "staff-call") == 0)
        return "/v1/staff-calls";
    if (strcmp(kind, "audit") == 0)
        return "/v1/audit";
    if (strcmp(kind, "call-ack") == 0)
        return "/v1/call-acks";
    return NULL;
}

/* The protocol's error code of a typed error answer, or "" (an HTML page
 * from a gateway, a WAF or a proxy is not the platform speaking). */
static const char *error_code(const cJSON *body)
{
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(body, "error");
    return cJSON_IsObject(body) && cJSON_IsString(code) ? code->valuestring : "";
}

sync_outcome sync_classify_parsed(long status, const cJSON *body, const char *kind, char *tracking,
                                  size_t tracking_size)
{
    tracking[0] = '\0';
    if (status == 201) {
        /* Definite only when the answer is what the protocol says: a
         * captive portal's page or a truncated body is not an answer, nor is
         * a tracking number that is not one (a sentence, a URL). */
        const cJSON *number = cJSON_GetObjectItemCaseSensitive(body, "tracking_number");
        bool submission = kind && strcmp(kind, "submission") == 0;
        bool valid = cJSON_IsString(number) && sync_tracking_valid(number->valuestring) &&
                     strlen(number->valuestring) < tracking_size;
        if (submission && cJSON_IsString(number) && !valid)
            LOG_WARN(SYNC_LOG,
                     "201 with a tracking number that is not one (%zu bytes): kept "
                     "queued",
                     strlen(number->valuestring));
        bool good = cJSON_IsObject(body) && (!submission || valid);
        if (good && valid)
            snprintf(tracking, tracking_size, "%s", number->valuestring);
        return good ? SYNC_DELIVERED : SYNC_RETRY;
    }
    /* Only the protocol's typed errors say something about the record;
     * anything else in their place is retried. */
    const char *code = error_code(body);
    if (status == 409)
        return strcmp(code, "idempotency-conflict") == 0 ? SYNC_CONFLICT : SYNC_RETRY;
    if (status == 400 || status == 422)
        return strcmp(code, "bad-request") == 0 ? SYNC_REJECTED : SYNC_RETRY;
    if (status == 413)
        return strcmp(code, "too-large") == 0 ? SYNC_REJECTED : SYNC_RETRY;
    if (status == 401 || status == 403)
        return SYNC_REFUSED;
    /* No answer, another 2xx, a 3xx, a time-out, too many requests, a 5xx. */
    return SYNC_RETRY;
}

sync_outcome sync_classify(long status, bool json, const char *body, size_t length,
                           const char *kind, char *tracking, size_t tracking_size)
{
    sync_answer answer = {.body = (char *)body, .length = length, .json = json};
    cJSON *parsed = sync_answer_json(&answer);
    sync_outcome outcome = sync_classify_parsed(status, parsed, kind, tracking, tracking_size);
    sync_json_free(parsed);
    return outcome;
}

sync_outcome sync_send_record(sync_client *client, const cache_record *record, long *retry_after_s,
                              char *tracking, size_t tracking_size)
{
    *retry_after_s = -1;
    const char *path = sync_path_for(record->kind);
    if (!path) {
        sync_set_progress(client, client->progress.link, "a record of an unknown kind");
        return SYNC_REJECTED;
    }
    sync_request request = {.path = path,
                            .idempotency_key = record->idempotency_key,
                            .body = (const char *)record->payload,
                            .length = record->payload_length,
                            .fresh = client->records_failing};
    sync_answer a;
    long status;
    CURLcode code = sync_http_perform(client, &request, &a, &status);
    *retry_after_s = a.retry_after_s;
    sync_outcome outcome = code == CURLE_OK ? sync_classify(status, a.json, a.body, a.length,
                                                            record->kind, tracking, tracking_size)
                                            : SYNC_RETRY;
    sync_note_link(client, code, status, &a, outcome);
    sync_answer_free(&a);
    return outcome;
}
