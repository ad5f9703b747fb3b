/* The recent log sent to the platform. See log_upload.h. */
#include "firmware/platform/log_upload.h"

#include "firmware/base/log.h"
#include "firmware/base/untrusted_text.h"
#include "firmware/platform/curl_lazy.h"

#include <cjson/cJSON.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#define DEFAULT_TIMEOUT_MS 8000
#define CONNECT_TIMEOUT_MS 3000
/* A ring line is at most 1200 bytes; masking never lengthens it. */
#define LINE_BYTES 1300

const char *log_upload_outcome_name(log_upload_outcome outcome)
{
    static const char *const names[LOG_UPLOAD_OUTCOME_COUNT] = {
        [LOG_UPLOAD_SENT] = "sent",
        [LOG_UPLOAD_NO_ANSWER] = "no-answer",
        [LOG_UPLOAD_BAD_ANSWER] = "bad-answer",
        [LOG_UPLOAD_REFUSED] = "refused",
        [LOG_UPLOAD_REJECTED] = "rejected",
        [LOG_UPLOAD_LOCAL] = "local",
    };
    return (unsigned)outcome < LOG_UPLOAD_OUTCOME_COUNT ? names[outcome] : "local";
}

bool log_upload_worth_retrying(log_upload_outcome outcome)
{
    return outcome == LOG_UPLOAD_NO_ANSWER || outcome == LOG_UPLOAD_BAD_ANSWER;
}

/* ---- the body --------------------------------------------------------------- */

/* A line as it may leave: personal numbers masked (counted in *masked),
 * bytes that are not UTF-8 and control characters as '?'. */
static void line_for_platform(const char *line, size_t length, char *out, size_t size,
                              size_t *masked)
{
    char raw[LINE_BYTES];
    if (length >= sizeof raw)
        length = sizeof raw - 1;
    memcpy(raw, line, length);
    raw[length] = '\0';
    *masked += log_mask_personal(raw, out, size);
    size_t n = strlen(out);
    for (size_t i = 0; i < n;) {
        size_t step = untrusted_utf8_sequence((const uint8_t *)out + i, n - i);
        if (step == 0) {
            out[i++] = '?';
            continue;
        }
        if (step == 1 && ((unsigned char)out[i] < 0x20 || out[i] == 0x7f))
            out[i] = out[i] == '\t' ? ' ' : '?';
        i += step;
    }
}

static void utc_text(int64_t seconds, char out[32])
{
    time_t t = (time_t)seconds;
    struct tm utc;
    gmtime_r(&t, &utc);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &utc);
}

/* The body with lines[first..count): malloc'd text, or NULL. */
static char *body_of(const log_upload_meta *meta, char **lines, size_t first, size_t count,
                     size_t *masked)
{
    char when[32], actor[200];
    utc_text(meta->now_s, when);
    /* The actor is a name someone chose: it goes through the mask too. */
    *masked += log_mask_personal(meta->actor ? meta->actor : "terminal", actor, sizeof actor);
    cJSON *json = cJSON_CreateObject();
    cJSON *array = NULL;
    bool ok = json && cJSON_AddStringToObject(json, "terminal", meta->terminal_id) &&
              cJSON_AddStringToObject(json, "board", meta->board ? meta->board : "") &&
              cJSON_AddStringToObject(
                  json, "firmware", meta->firmware_version ? meta->firmware_version : "unknown") &&
              cJSON_AddStringToObject(json, "sent_at", when) &&
              cJSON_AddStringToObject(json, "by", actor) &&
              cJSON_AddNumberToObject(json, "line_count", (double)(count - first)) &&
              cJSON_AddNumberToObject(json, "dropped", (double)first) &&
              (array = cJSON_AddArrayToObject(json, "lines")) != NULL;
    for (size_t i = first; ok && i < count; i++) {
        cJSON *line = cJSON_CreateString(lines[i]);
        ok = line && cJSON_AddItemToArray(array, line);
    }
    char *text = ok ? cJSON_PrintUnformatted(json) : NULL;
    cJSON_Delete(json);
    return text;
}

static bool new_key(char out[LOG_UPLOAD_KEY_SIZE])
{
    uint8_t random[16];
    if (getrandom(random, sizeof random, 0) != (ssize_t)sizeof random)
        return false;
    int used = snprintf(out, LOG_UPLOAD_KEY_SIZE, "logs:");
    for (size_t i = 0; i < sizeof random; i++)
        used += snprintf(out + used, LOG_UPLOAD_KEY_SIZE - (size_t)used, "%02x", random[i]);
    return true;
}

kiosk_error log_upload_prepare(const log_upload_meta *meta, const char *text,
                               log_upload_request *out, kiosk_diag *diag)
{
    memset(out, 0, sizeof *out);
    if (!meta->terminal_id || !meta->terminal_id[0])
        return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT,
                              "this terminal has no id: the board names no platform link");
    if (!new_key(out->key))
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "no random numbers for the upload's key");
    /* The lines, each made fit to leave. */
    size_t count = 0, room = 0;
    for (const char *c = text ? text : ""; *c; c++)
        room += *c == '\n';
    room++;
    char **lines = calloc(room, sizeof *lines);
    kiosk_error result = lines ? KIOSK_OK : KIOSK_ERR_NO_MEMORY;
    for (const char *at = text ? text : ""; result == KIOSK_OK && *at;) {
        const char *end = strchr(at, '\n');
        size_t length = end ? (size_t)(end - at) : strlen(at);
        lines[count] = malloc(LINE_BYTES);
        if (!lines[count]) {
            result = KIOSK_ERR_NO_MEMORY;
            break;
        }
        line_for_platform(at, length, lines[count], LINE_BYTES, &out->masked);
        count++;
        at += length + (end ? 1 : 0);
    }
    /* Under the ceiling: the oldest lines go first, an eighth at a time. */
    size_t first = 0;
    while (result == KIOSK_OK) {
        size_t masked = 0;
        char *body = body_of(meta, lines, first, count, &masked);
        if (!body) {
            result = KIOSK_ERR_NO_MEMORY;
            break;
        }
        size_t length = strlen(body);
        if (length <= LOG_UPLOAD_MAX_BYTES || first == count) {
            out->body = body;
            out->length = length;
            out->lines = count - first;
            out->dropped = first;
            out->masked += masked;
            break;
        }
        free(body);
        size_t step = (count - first) / 8;
        first += step ? step : 1;
    }
    for (size_t i = 0; lines && i < count; i++)
        free(lines[i]);
    free(lines);
    if (result != KIOSK_OK)
        return kiosk_diag_set(diag, result, "no memory for the log's upload");
    if (out->masked)
        LOG_WARN("logs", "%zu personal number(s) were in the log unmasked: masked before sending",
                 out->masked);
    return KIOSK_OK;
}

void log_upload_request_free(log_upload_request *request)
{
    free(request->body);
    memset(request, 0, sizeof *request);
}

/* ---- one request -------------------------------------------------------------- */

typedef struct answer {
    char *body;
    size_t length;
    bool too_big, json, replay;
} answer;

static size_t on_body(char *data, size_t size, size_t count, void *user)
{
    answer *a = user;
    size_t n = size * count;
    if (a->length + n > LOG_UPLOAD_ANSWER_MAX) {
        a->too_big = true;
        return 0; /* aborts: an answer over the cap is not read */
    }
    if (!a->body && !(a->body = malloc(LOG_UPLOAD_ANSWER_MAX + 1)))
        return 0;
    memcpy(a->body + a->length, data, n);
    a->length += n;
    a->body[a->length] = '\0';
    return n;
}

static size_t on_header(char *data, size_t size, size_t count, void *user)
{
    answer *a = user;
    size_t n = size * count;
    static const char type[] = "Content-Type:", replay[] = "Idempotent-Replay:";
    if (n > sizeof type && strncasecmp(data, type, sizeof type - 1) == 0) {
        const char *value = data + sizeof type - 1;
        while (*value == ' ')
            value++;
        a->json = strncasecmp(value, "application/json", 16) == 0;
    } else if (n > sizeof replay && strncasecmp(data, replay, sizeof replay - 1) == 0) {
        const char *value = data + sizeof replay - 1;
        while (*value == ' ')
            value++;
        a->replay = strncasecmp(value, "true", 4) == 0;
    }
    return n;
}

/* The answer's one JSON object, nothing after it; NULL otherwise. */
static cJSON *object_of(const answer *a)
{
    if (!a->json || !a->body)
        return NULL;
    const char *end = NULL;
    cJSON *json = cJSON_ParseWithLengthOpts(a->body, a->length, &end, false);
    while (json && end && end < a->body + a->length &&
           (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
        end++;
    if (!cJSON_IsObject(json) || !end || end != a->body + a->length) {
        cJSON_Delete(json);
        return NULL;
    }
    return json;
}

/* A typed error's code and ": message" (printable ASCII only: it goes to the
 * log and the screen). */
static void typed_error(const cJSON *json, char *code, size_t code_size, char *said,
                        size_t said_size)
{
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(json, "error");
    const cJSON *message = cJSON_GetObjectItemCaseSensitive(json, "message");
    code[0] = said[0] = '\0';
    if (cJSON_IsString(error))
        snprintf(code, code_size, "%s", error->valuestring);
    if (cJSON_IsString(message))
        snprintf(said, said_size, ": %s", message->valuestring);
    for (char *c = said; *c; c++)
        if (*c < ' ' || *c > '~')
            *c = '?';
    for (char *c = code; *c; c++)
        if (*c < ' ' || *c > '~')
            *c = '?';
}

static void outcome_of(long status, const answer *a, const char *error,
                       const log_upload_request *request, log_upload_result *out)
{
    out->status = status;
    out->replay = a->replay;
    if (status == 0) {
        out->outcome = a->too_big ? LOG_UPLOAD_BAD_ANSWER : LOG_UPLOAD_NO_ANSWER;
        if (a->too_big)
            snprintf(out->message, sizeof out->message,
                     "the platform's answer was over %d KiB: not read",
                     LOG_UPLOAD_ANSWER_MAX / 1024);
        else
            snprintf(out->message, sizeof out->message, "no answer from the platform: %s", error);
        return;
    }
    cJSON *json = object_of(a);
    char code[48], said[200];
    typed_error(json, code, sizeof code, said, sizeof said);
    if (status == 201 && json) {
        const cJSON *lines = cJSON_GetObjectItemCaseSensitive(json, "lines");
        const cJSON *at = cJSON_GetObjectItemCaseSensitive(json, "received_at");
        if (cJSON_IsNumber(lines) && lines->valuedouble == (double)request->lines &&
            cJSON_IsString(at) && strlen(at->valuestring) < sizeof out->received_at &&
            untrusted_utf8_valid(at->valuestring, strlen(at->valuestring))) {
            out->outcome = LOG_UPLOAD_SENT;
            out->lines = request->lines;
            snprintf(out->received_at, sizeof out->received_at, "%s", at->valuestring);
            for (char *c = out->received_at; *c; c++)
                if (*c < ' ' || *c > '~')
                    *c = '?';
            cJSON_Delete(json);
            return;
        }
        out->outcome = LOG_UPLOAD_BAD_ANSWER;
        snprintf(out->message, sizeof out->message,
                 "the platform answered 201 without the count of the %zu lines sent",
                 request->lines);
    } else if (status == 401 || status == 403) {
        out->outcome = LOG_UPLOAD_REFUSED;
        snprintf(out->message, sizeof out->message,
                 "the platform refused this terminal (%ld)%s: check its certificate", status, said);
    } else if (json && status == 409 && !strcmp(code, "idempotency-conflict")) {
        out->outcome = LOG_UPLOAD_REJECTED;
        snprintf(out->message, sizeof out->message,
                 "the platform holds another log under this upload's key (409)");
    } else if (json && (status == 400 || status == 413 || status == 422) &&
               (!strcmp(code, "bad-request") || !strcmp(code, "too-large"))) {
        out->outcome = LOG_UPLOAD_REJECTED;
        snprintf(out->message, sizeof out->message, "the platform refused the log (%ld %s)%s",
                 status, code, said);
    } else {
        out->outcome = LOG_UPLOAD_BAD_ANSWER;
        snprintf(out->message, sizeof out->message, "the platform answered %ld%s%s", status,
                 json ? "" : " (not JSON: a gateway's or proxy's page?)", json ? said : "");
    }
    cJSON_Delete(json);
}

void log_upload_send(const log_upload_config *config, const log_upload_request *request,
                     log_upload_result *out)
{
    memset(out, 0, sizeof *out);
    out->outcome = LOG_UPLOAD_LOCAL;
    if (!config->url || strncmp(config->url, "https://", 8) != 0 || !request->body) {
        snprintf(out->message, sizeof out->message,
                 "this board names no platform (platform_url): nothing was sent");
        return;
    }
    const curl_api *api = curl_lazy();
    CURL *curl = api ? api->easy_init() : NULL;
    if (!curl) {
        snprintf(out->message, sizeof out->message, "libcurl cannot start on this terminal");
        return;
    }
    char url[1200], terminal[120], version[120], key[80];
    size_t base = strlen(config->url);
    while (base > 0 && config->url[base - 1] == '/')
        base--;
    snprintf(url, sizeof url, "%.*s/v1/logs", (int)base, config->url);
    snprintf(terminal, sizeof terminal, "X-Terminal-Id: %s", config->terminal_id);
    snprintf(version, sizeof version, "X-Firmware-Version: %s",
             config->firmware_version ? config->firmware_version : "unknown");
    snprintf(key, sizeof key, "Idempotency-Key: %s", request->key);
    struct curl_slist *headers = api->slist_append(NULL, terminal);
    headers = api->slist_append(headers, version);
    headers = api->slist_append(headers, key);
    headers = api->slist_append(headers, "Content-Type: application/json");
    headers = api->slist_append(headers, "Expect:");
    long timeout = config->timeout_ms > 0 ? config->timeout_ms : DEFAULT_TIMEOUT_MS;
    answer a = {0};
    char error[CURL_ERROR_SIZE] = "";
    api->easy_setopt(curl, CURLOPT_URL, url);
    api->easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
    api->easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    api->easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    api->easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    api->easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     timeout < CONNECT_TIMEOUT_MS ? timeout : (long)CONNECT_TIMEOUT_MS);
    api->easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout);
    api->easy_setopt(curl, CURLOPT_CAINFO, config->ca_file);
    api->easy_setopt(curl, CURLOPT_CAPATH, NULL);
    api->easy_setopt(curl, CURLOPT_SSLCERT, config->client_cert);
    api->easy_setopt(curl, CURLOPT_SSLKEY, config->client_key);
    if (config->pinned_key && config->pinned_key[0])
        api->easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, config->pinned_key);
    api->easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    api->easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    api->easy_setopt(curl, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    api->easy_setopt(curl, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    api->easy_setopt(curl, CURLOPT_POSTFIELDS, request->body);
    api->easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)request->length);
    api->easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    api->easy_setopt(curl, CURLOPT_WRITEDATA, &a);
    api->easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    api->easy_setopt(curl, CURLOPT_HEADERDATA, &a);
    api->easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    CURLcode code = api->easy_perform(curl);
    long status = 0;
    if (code == CURLE_OK)
        api->easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    else if (!error[0])
        snprintf(error, sizeof error, "%s", api->easy_strerror(code));
    api->slist_free_all(headers);
    api->easy_cleanup(curl);
    outcome_of(status, &a, error, request, out);
    free(a.body);
    if (out->outcome == LOG_UPLOAD_SENT)
        LOG_INFO("logs", "the log is sent to the platform: %zu lines, %zu bytes, key %s%s",
                 request->lines, request->length, request->key,
                 out->replay ? " (it had them already)" : "");
    else
        LOG_WARN("logs", "the log is not sent (%s): %s", log_upload_outcome_name(out->outcome),
                 out->message);
}

/* ---- on a worker ---------------------------------------------------------------- */

typedef struct job {
    char url[1024], ca[1024], cert[1024], key[1024], pin[256], terminal[64], version[64];
    log_upload_config config;
    log_upload_request request;
    log_upload_done done;
    void *context;
} job;

static void *worker(void *data)
{
    job *j = data;
    log_upload_result result;
    log_upload_send(&j->config, &j->request, &result);
    j->done(&result, j->context);
    log_upload_request_free(&j->request);
    free(j);
    return NULL;
}

kiosk_error log_upload_start(const log_upload_config *config, const log_upload_request *request,
                             log_upload_done done, void *context)
{
    job *j = calloc(1, sizeof *j);
    if (!j)
        return KIOSK_ERR_NO_MEMORY;
    snprintf(j->url, sizeof j->url, "%s", config->url ? config->url : "");
    snprintf(j->ca, sizeof j->ca, "%s", config->ca_file ? config->ca_file : "");
    snprintf(j->cert, sizeof j->cert, "%s", config->client_cert ? config->client_cert : "");
    snprintf(j->key, sizeof j->key, "%s", config->client_key ? config->client_key : "");
    snprintf(j->pin, sizeof j->pin, "%s", config->pinned_key ? config->pinned_key : "");
    snprintf(j->terminal, sizeof j->terminal, "%s", config->terminal_id ? config->terminal_id : "");
    snprintf(j->version, sizeof j->version, "%s",
             config->firmware_version ? config->firmware_version : "unknown");
    j->config = (log_upload_config){.url = j->url,
                                    .ca_file = j->ca,
                                    .client_cert = j->cert,
                                    .client_key = j->key,
                                    .pinned_key = j->pin,
                                    .terminal_id = j->terminal,
                                    .firmware_version = j->version,
                                    .timeout_ms = config->timeout_ms};
    j->request = *request;
    j->request.body = request->body ? malloc(request->length + 1) : NULL;
    if (request->body && !j->request.body) {
        free(j);
        return KIOSK_ERR_NO_MEMORY;
    }
    if (j->request.body)
        memcpy(j->request.body, request->body, request->length + 1);
    j->done = done;
    j->context = context;
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int started = pthread_create(&thread, &attr, worker, j);
    pthread_attr_destroy(&attr);
    if (started != 0) {
        log_upload_request_free(&j->request);
        free(j);
        return KIOSK_ERR_IO;
    }
    return KIOSK_OK;
}
