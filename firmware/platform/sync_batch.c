/* Many outbox records in one request (POST /v1/batch, docs/protocol.md).
 *
 * After an outage thousands of records may wait; one request each costs a
 * round trip each. A batch carries each record's path, Idempotency-Key and
 * body (as a string, byte for byte what the single call would carry, so the
 * platform's replay check is the same whichever way a record travels) and
 * the answer holds one result per record, read exactly like a single
 * answer. Anything short of a whole, well-formed answer delivers nothing. */
#include "firmware/platform/sync_internal.h"

#include "firmware/base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct text {
    char *data;
    size_t length, size;
    bool failed;
} text;

static void append(text *t, const char *data, size_t length)
{
    if (t->failed)
        return;
    if (t->length + length > t->size) {
        size_t want = t->size ? t->size * 2 : SYNC_BATCH_FIRST_BYTES;
        while (want < t->length + length)
            want *= 2;
        /* Not realloc: the envelope holds citizens' records, and the old
         * buffer is wiped before it is let go. */
        char *grown = malloc(want);
        if (!grown) {
            t->failed = true;
            return;
        }
        if (t->data)
            memcpy(grown, t->data, t->length);
        sync_wipe_free(t->data, t->size);
        t->data = grown;
        t->size = want;
    }
    memcpy(t->data + t->length, data, length);
    t->length += length; /* sent with its length: no terminator */
}

/* A JSON string holding bytes as they are (UTF-8 passes through). */
static void append_string(text *t, const char *data, size_t length)
{
    append(t, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)data[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        append(t, data + run, i - run);
        char escaped[8];
        if (c == '"' || c == '\\')
            snprintf(escaped, sizeof escaped, "\\%c", c);
        else
            snprintf(escaped, sizeof escaped, "\\u%04x", c);
        append(t, escaped, strlen(escaped));
        run = i + 1;
    }
    append(t, data + run, length - run);
    append(t, "\"", 1);
}

/* The envelope for as many records as fit; *included says how many. */
static text envelope(const cache_record *records, size_t count, size_t *included)
{
    text t = {0};
    append(&t, "{\"items\":[", 10);
    *included = 0;
    for (size_t i = 0; i < count; i++) { /* count: at most batch_items */
        const char *path = sync_path_for(records[i].kind);
        /* Worst case every byte escapes to six. */
        size_t worst = records[i].payload_length * 6 + strlen(records[i].idempotency_key) +
                       SYNC_BATCH_ITEM_FRAME;
        if (!path || (i > 0 && t.length + worst > SYNC_BATCH_BYTES_MAX))
            break;
        if (i > 0)
            append(&t, ",", 1);
        append(&t, "{\"path\":\"", 9);
        append(&t, path, strlen(path));
        append(&t, "\",\"idempotency_key\":", 20);
        append_string(&t, records[i].idempotency_key, strlen(records[i].idempotency_key));
        append(&t, ",\"body\":", 8);
        append_string(&t, (const char *)records[i].payload, records[i].payload_length);
        append(&t, "}", 1);
        (*included)++;
    }
    append(&t, "]}", 2);
    return t;
}

/* A result's status: an integer HTTP status (100-599), or 0 when it is not
 * one (a float, a string, 1e300): no answer for that record. */
static long result_status(const cJSON *status)
{
    if (!cJSON_IsNumber(status))
        return 0;
    double value = status->valuedouble;
    if (!(value >= 100 && value <= 599) || value != (double)(long)value)
        return 0;
    return (long)value;
}

/* A refused item's reason for staff, in its tracking slot (a tracking
 * number belongs only to a delivered record): the status and the
 * platform's message, printable ASCII only, cut to fit. */
static void rejection_reason(long status, const cJSON *body, char out[SYNC_TRACKING_MAX])
{
    const cJSON *message = cJSON_GetObjectItemCaseSensitive(body, "message");
    int n = snprintf(out, SYNC_TRACKING_MAX, "%ld: %s", status,
                     cJSON_IsString(message) ? message->valuestring : "refused");
    for (int i = 0; i < n && i < SYNC_TRACKING_MAX - 1; i++)
        if (out[i] < ' ' || out[i] > '~')
            out[i] = '?';
}

/* Reads a 200's results into outcomes; false when the answer is not whole. */
static bool read_results(const sync_answer *a, const cache_record *records, size_t included,
                         sync_outcome *outcomes, char (*trackings)[SYNC_TRACKING_MAX])
{
    cJSON *parsed = sync_answer_json(a);
    const cJSON *results = cJSON_GetObjectItemCaseSensitive(parsed, "results");
    bool whole = cJSON_IsArray(results) && (size_t)cJSON_GetArraySize(results) == included;
    size_t i = 0;
    const cJSON *result = NULL;
    const cJSON *list = whole ? results : NULL;
    cJSON_ArrayForEach(result, list)
    {
        const cJSON *key = cJSON_GetObjectItemCaseSensitive(result, "idempotency_key");
        long status = result_status(cJSON_GetObjectItemCaseSensitive(result, "status"));
        const cJSON *body = cJSON_GetObjectItemCaseSensitive(result, "body");
        /* A result for another record than the one in its place is no
         * answer for this one. */
        if (status == 0)
            LOG_WARN(SYNC_LOG, "batch result %zu: a status that is not an HTTP status: retried", i);
        if (!cJSON_IsString(key) || strcmp(key->valuestring, records[i].idempotency_key) != 0 ||
            status == 0) {
            outcomes[i] = SYNC_RETRY;
        } else {
            outcomes[i] = sync_classify_parsed(status, body, records[i].kind, trackings[i],
                                               SYNC_TRACKING_MAX);
            if (outcomes[i] == SYNC_REJECTED)
                rejection_reason(status, body, trackings[i]);
        }
        i++;
    }
    sync_json_free(parsed);
    return whole;
}

void sync_send_batch(sync_client *client, const cache_record *records, size_t count,
                     sync_outcome *outcomes, char (*trackings)[SYNC_TRACKING_MAX],
                     long *retry_after_s)
{
    *retry_after_s = -1;
    for (size_t i = 0; i < count; i++)
        outcomes[i] = SYNC_NOT_SENT; /* a tracking number only with a delivery */
    size_t included = 0;
    text body =
        envelope(records, count < client->batch_items ? count : client->batch_items, &included);
    if (body.failed || included == 0) {
        sync_wipe_free(body.data, body.size);
        return; /* the caller sends singly */
    }
    sync_request request = {.path = "/v1/batch",
                            .body = body.data,
                            .length = body.length,
                            .fresh = client->records_failing};
    sync_answer a;
    long status;
    CURLcode code = sync_http_perform(client, &request, &a, &status);
    sync_wipe_free(body.data, body.size);
    *retry_after_s = a.retry_after_s;

    if (code == CURLE_OK && (status == 404 || status == 405)) {
        /* An older platform: one request per record from now on. */
        LOG_WARN(SYNC_LOG, "the platform has no batch call (%ld): sending one by one", status);
        client->batch_unsupported = true;
    } else if (code == CURLE_OK && (status == 400 || status == 413)) {
        /* The platform would not take this envelope whole: smaller ones,
         * down to one by one, where each record is judged on its own. */
        client->batch_items /= 2; /* at least 2 when batches are sent */
        LOG_WARN(SYNC_LOG, "the platform refused a batch (%ld): now %u records a batch", status,
                 client->batch_items);
        if (client->batch_items <= 1)
            client->batch_unsupported = true;
    } else if (code == CURLE_OK && status == 200 &&
               read_results(&a, records, included, outcomes, trackings)) {
        sync_outcome worst = SYNC_DELIVERED;
        for (size_t i = 0; i < included; i++)
            if (outcomes[i] == SYNC_RETRY || outcomes[i] == SYNC_REFUSED)
                worst = outcomes[i];
        sync_note_link(client, code, status, &a, worst);
    } else {
        /* No answer, or not a whole one: nothing is known delivered, and
         * every record sent waits out its own back-off (a batch resent every
         * pass would bypass it). */
        char tracking[SYNC_TRACKING_MAX];
        sync_outcome failed =
            code == CURLE_OK && (status == 401 || status == 403)
                ? sync_classify_parsed(status, NULL, NULL, tracking, sizeof tracking)
                : SYNC_RETRY;
        for (size_t i = 0; i < included; i++)
            outcomes[i] = failed;
        sync_note_link(client, code, status, &a, failed);
    }
    sync_answer_free(&a);
}
