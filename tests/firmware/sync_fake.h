/* A platform in the test's own process, for the sync client's unit tests:
 * the client's libcurl table is swapped for one whose easy_perform hands the
 * request to a responder function and feeds its reply through the client's
 * own header and body callbacks. What the client does with an answer (the
 * outbox, the link, what is shown) is then tested in milliseconds, with
 * answers no real platform would give. Each test program includes this
 * once. */
#ifndef KIOSK_TESTS_FIRMWARE_SYNC_FAKE_H
#define KIOSK_TESTS_FIRMWARE_SYNC_FAKE_H

#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include "firmware/base/json_fields.h"
#include "firmware/base/log.h"
#include "firmware/platform/sync_internal.h"
#include "offline-cache/outbox.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#endif

#define FAKE_UNUSED __attribute__((unused))

typedef struct fake_reply {
    CURLcode code;      /* CURLE_OK, or how the exchange failed */
    long status;        /* 0: no answer */
    const char *type;   /* Content-Type, or NULL */
    const char *header; /* one more header line ("Retry-After: 1"), or NULL */
    const char *body;   /* or NULL */
    size_t length;      /* 0: strlen(body) */
    size_t chunk;       /* bytes per write call; 0: all at once */
} fake_reply;

typedef fake_reply (*fake_responder)(const char *path, const char *body, size_t length);

#define FAKE_BUFFERS 16

/* Standard error captured, to read what was logged for technicians. */
static struct {
    int saved;
    FILE *file;
} fake_log;

static FAKE_UNUSED void fake_log_begin(void)
{
    fflush(stderr);
    fake_log.file = tmpfile();
    fake_log.saved = dup(2);
    dup2(fileno(fake_log.file), 2);
    log_set_level(LOG_LEVEL_INFO);
}

/* What was logged since fake_log_begin (static). */
static FAKE_UNUSED const char *fake_log_end(void)
{
    static char text[16384];
    log_set_level(LOG_LEVEL_ERROR);
    dup2(fake_log.saved, 2);
    close(fake_log.saved);
    rewind(fake_log.file);
    size_t got = fread(text, 1, sizeof text - 1, fake_log.file);
    text[got] = '\0';
    fclose(fake_log.file);
    return text;
}

static struct {
    curl_api api;
    const curl_api *real;
    char base[600];
    char url[1200];
    const char *post;
    size_t post_length;
    bool get;
    curl_write_callback write, header;
    void *write_data, *header_data;
    long status;
    fake_responder respond;
    int requests;     /* all */
    int record_calls; /* /v1/submissions, /v1/ratings, /v1/staff-calls, /v1/batch */
    char last_path[256];
    struct curl_slist *headers;
    char request_headers[1024]; /* the last request's, one a line */
    char last_body[8192];       /* the last request's body (cut to fit) */
    size_t last_body_length;
    int catalog_calls;
    bool fresh;      /* the request asked for a new connection */
    int fresh_calls; /* how many did */
    /* Buffers the client used for a request or an answer, to look at after
     * they were freed. */
    const void *buffers[FAKE_BUFFERS];
    size_t buffer_sizes[FAKE_BUFFERS];
    size_t buffer_count;
} fake;

static FAKE_UNUSED void fake_remember(const void *buffer, size_t size)
{
    for (size_t i = 0; i < fake.buffer_count; i++)
        if (fake.buffers[i] == buffer && fake.buffer_sizes[i] == size)
            return;
    if (buffer && size && fake.buffer_count < FAKE_BUFFERS) {
        fake.buffers[fake.buffer_count] = buffer;
        fake.buffer_sizes[fake.buffer_count++] = size;
    }
}

static CURLcode fake_setopt(CURL *curl, CURLoption option, ...)
{
    (void)curl;
    va_list args;
    va_start(args, option);
    switch (option) {
    case CURLOPT_URL:
        snprintf(fake.url, sizeof fake.url, "%s", va_arg(args, const char *));
        break;
    case CURLOPT_POSTFIELDS:
        fake.post = va_arg(args, const char *);
        fake.get = false;
        break;
    case CURLOPT_POSTFIELDSIZE_LARGE:
        fake.post_length = (size_t)va_arg(args, curl_off_t);
        break;
    case CURLOPT_HTTPGET:
        fake.get = va_arg(args, long) != 0;
        break;
    case CURLOPT_WRITEFUNCTION:
        fake.write = va_arg(args, curl_write_callback);
        break;
    case CURLOPT_WRITEDATA:
        fake.write_data = va_arg(args, void *);
        break;
    case CURLOPT_HEADERFUNCTION:
        fake.header = va_arg(args, curl_write_callback);
        break;
    case CURLOPT_HEADERDATA:
        fake.header_data = va_arg(args, void *);
        break;
    case CURLOPT_FRESH_CONNECT:
        fake.fresh = va_arg(args, long) != 0;
        break;
    case CURLOPT_HTTPHEADER:
        fake.headers = va_arg(args, struct curl_slist *);
        break;
    default:
        break;
    }
    va_end(args);
    return CURLE_OK;
}

static void fake_header(const char *line)
{
    char text[256];
    int length = snprintf(text, sizeof text, "%s\r\n", line);
    fake.header(text, 1, (size_t)length, fake.header_data);
}

static CURLcode fake_perform(CURL *curl)
{
    (void)curl;
    const char *path = fake.url + strlen(fake.base);
    snprintf(fake.last_path, sizeof fake.last_path, "%s", path);
    fake.requests++;
    if (strncmp(path, "/v1/submissions", 15) == 0 && !fake.get)
        fake.record_calls++;
    else if (strcmp(path, "/v1/batch") == 0 || strcmp(path, "/v1/ratings") == 0 ||
             strcmp(path, "/v1/staff-calls") == 0)
        fake.record_calls++;
    if (strcmp(path, "/v1/catalog") == 0)
        fake.catalog_calls++;
    fake.fresh_calls += fake.fresh;
    size_t used = 0;
    fake.request_headers[0] = '\0';
    for (const struct curl_slist *h = fake.headers; h; h = h->next)
        used += (size_t)snprintf(fake.request_headers + used, sizeof fake.request_headers - used,
                                 "%s\n", h->data);
    fake.last_body_length = 0;
    if (!fake.get) {
        fake_remember(fake.post, fake.post_length);
        fake.last_body_length =
            fake.post_length < sizeof fake.last_body ? fake.post_length : sizeof fake.last_body;
        memcpy(fake.last_body, fake.post, fake.last_body_length);
    }
    fake_reply reply =
        fake.respond(path, fake.get ? NULL : fake.post, fake.get ? 0 : fake.post_length);
    fake.status = 0;
    sync_answer *answer = fake.write_data;
    if (reply.status) {
        char line[160];
        if (reply.type) {
            snprintf(line, sizeof line, "Content-Type: %s", reply.type);
            fake_header(line);
        }
        if (reply.header)
            fake_header(reply.header);
        size_t length = reply.body ? (reply.length ? reply.length : strlen(reply.body)) : 0;
        size_t chunk = reply.chunk ? reply.chunk : length;
        for (size_t at = 0; at < length; at += chunk) {
            size_t n = length - at < chunk ? length - at : chunk;
            size_t taken = fake.write((char *)reply.body + at, 1, n, fake.write_data);
            fake_remember(answer->body, answer->allocated);
            if (taken != n)
                return CURLE_WRITE_ERROR;
        }
        if (reply.code == CURLE_OK)
            fake.status = reply.status;
    }
    return reply.code;
}

static CURLcode fake_getinfo(CURL *curl, CURLINFO info, ...)
{
    (void)curl;
    va_list args;
    va_start(args, info);
    if (info == CURLINFO_RESPONSE_CODE)
        *va_arg(args, long *) = fake.status;
    va_end(args);
    return CURLE_OK;
}

/* A client on db (key bytes all 7) whose every request goes to respond. */
static FAKE_UNUSED sync_client *fake_client(const char *db, fake_responder respond)
{
    memset(&fake, 0, sizeof fake);
    fake.respond = respond;
    sync_config config = {.platform_url = "https://platform.test",
                          .ca_file = "/nonexistent/ca.crt",
                          .terminal_id = "K0420",
                          .firmware_version = "test",
                          .backoff_base_ms = 1000,
                          .backoff_cap_ms = 300000};
    static seal_key key;
    memset(key.bytes, 7, sizeof key.bytes);
    cache_options store = {.path = db, .key = &key};
    sync_client *client = NULL;
    kiosk_diag diag = {{0}};
    if (sync_create(&config, &store, &client, &diag) != KIOSK_OK)
        fail_msg("sync_create: %s", diag.message);
    fake.real = client->api;
    fake.api = *fake.real;
    fake.api.easy_setopt = fake_setopt;
    fake.api.easy_perform = fake_perform;
    fake.api.easy_getinfo = fake_getinfo;
    client->api = &fake.api;
    snprintf(fake.base, sizeof fake.base, "%s", client->url);
    return client;
}

static FAKE_UNUSED const char *fake_db(const char *name)
{
    static char db[1100];
    snprintf(db, sizeof db, "%s/kiosk.db", test_make_temp_dir(name));
    return db;
}

static FAKE_UNUSED fake_reply fake_json(long status, const char *body)
{
    return (fake_reply){
        .code = CURLE_OK, .status = status, .type = "application/json", .body = body};
}

static FAKE_UNUSED sync_progress fake_drain(sync_client *client, int64_t now_ms, int64_t *delivered)
{
    int64_t got = 0;
    kiosk_error result = sync_drain(client, now_ms, &got);
    (void)result; /* a pass that could not write the outbox says so; tests read progress */
    if (delivered)
        *delivered = got;
    return sync_progress_get(client);
}

/* A /v1/batch answer: one result per item of the request, each with the
 * item's key (unless keys is false), the status text given (a JSON value:
 * "201", "201.9", "\"201\"") and body (a JSON object's text). Static. */
static FAKE_UNUSED const char *fake_batch_results(const char *request, size_t length,
                                                  const char *status, const char *body)
{
    static char answer[64 * 1024];
    cJSON *parsed = cJSON_ParseWithLength(request, length);
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(parsed, "items");
    cJSON *results = cJSON_CreateArray();
    const cJSON *item = NULL;
    cJSON_ArrayForEach(item, items)
    {
        const cJSON *key = cJSON_GetObjectItemCaseSensitive(item, "idempotency_key");
        cJSON *result = cJSON_CreateObject();
        cJSON_AddStringToObject(result, "idempotency_key", key->valuestring);
        cJSON_AddItemToObject(result, "status", cJSON_Parse(status));
        cJSON_AddItemToObject(result, "body", cJSON_Parse(body));
        cJSON_AddItemToArray(results, result);
    }
    cJSON *whole = cJSON_CreateObject();
    cJSON_AddItemToObject(whole, "results", results);
    char *text = cJSON_PrintUnformatted(whole);
    snprintf(answer, sizeof answer, "%s", text);
    free(text);
    cJSON_Delete(whole);
    cJSON_Delete(parsed);
    return answer;
}

/* Whether text appears in any buffer the client used and has freed. Under
 * AddressSanitizer freed memory is kept aside (quarantined), so what a
 * buffer held when it was freed can still be read, once unpoisoned. */
static FAKE_UNUSED bool fake_left_in_freed_buffers(const char *text)
{
#ifdef __SANITIZE_ADDRESS__
    bool found = false;
    for (size_t i = 0; i < fake.buffer_count; i++) {
        ASAN_UNPOISON_MEMORY_REGION(fake.buffers[i], fake.buffer_sizes[i]);
        if (memmem(fake.buffers[i], fake.buffer_sizes[i], text, strlen(text)))
            found = true;
        ASAN_POISON_MEMORY_REGION(fake.buffers[i], fake.buffer_sizes[i]);
    }
    return found;
#else
    (void)text;
    return false;
#endif
}

/* A citizen's call asked now, on the test's thread (sync_ask_run): the
 * reply's member of its kind in out, and the reply wiped. */
static FAKE_UNUSED void fake_lookup_run(sync_client *client, const char *tracking,
                                        sync_lookup_result *out)
{
    sync_question question = {.kind = SYNC_ASK_LOOKUP};
    snprintf(question.lookup.tracking, sizeof question.lookup.tracking, "%s", tracking);
    sync_reply reply;
    sync_ask_run(client, &question, &reply);
    *out = reply.lookup;
    explicit_bzero(&reply, sizeof reply);
}

static FAKE_UNUSED void fake_query_run(sync_client *client, const char *service,
                                       const char *id_number, const char *language,
                                       sync_query_result *out)
{
    sync_question question = {.kind = SYNC_ASK_QUERY};
    snprintf(question.query.service, sizeof question.query.service, "%s", service);
    snprintf(question.query.id_number, sizeof question.query.id_number, "%s", id_number);
    snprintf(question.query.language, sizeof question.query.language, "%s", language);
    sync_reply *reply = malloc(sizeof *reply);
    assert_non_null(reply);
    sync_ask_run(client, &question, reply);
    *out = reply->query;
    explicit_bzero(reply, sizeof *reply);
    free(reply);
    explicit_bzero(&question, sizeof question);
}

static FAKE_UNUSED void fake_eid_run(sync_client *client, const char *code, sync_eid_result *out)
{
    sync_question question = {.kind = SYNC_ASK_EID};
    snprintf(question.eid.code, sizeof question.eid.code, "%s", code);
    sync_reply reply;
    sync_ask_run(client, &question, &reply);
    *out = reply.eid;
    explicit_bzero(&reply, sizeof reply);
    explicit_bzero(&question, sizeof question);
}

/* What waits in the client's slot for a kind of call. */
#define FAKE_ASKED(client, kind) ((client)->asks[SYNC_ASK_##kind].question)

#endif
