/* POST /v1/batch. See batch.h and docs/protocol.md. */
#include "batch.h"

#include "calls.h"
#include "store.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct item {
    sim_kind kind;
    const char *key;  /* in the parsed envelope */
    const char *body; /* in the parsed envelope: the text the single call would carry */
    sim_record record;
    sim_answer answer;
} item;

struct sim_batch {
    cJSON *envelope; /* owns the items' strings */
    char terminal[SIM_TERMINAL_MAX];
    size_t count;
    bool answered;
    unsigned first, replay, conflict, bad;
    item items[SIM_BATCH_MAX];
    /* The items that passed their checks, as the store's steps, and which
     * item each step is. */
    sim_once_step steps[SIM_BATCH_MAX];
    size_t step_item[SIM_BATCH_MAX];
};

static const char *string_field(const cJSON *json, const char *name)
{
    const cJSON *field = cJSON_GetObjectItemCaseSensitive(json, name);
    return cJSON_IsString(field) ? field->valuestring : NULL;
}

/* One item of the envelope; false when it is not an object with the three
 * strings, or its path is not a call that carries a record. */
static bool read_item(const cJSON *json, item *out)
{
    if (!cJSON_IsObject(json))
        return false;
    const char *path = string_field(json, "path");
    out->key = string_field(json, "idempotency_key");
    out->body = string_field(json, "body");
    if (!path || !out->key || !out->body)
        return false;
    return sim_calls_route("POST", path, &out->kind) == SIM_ROUTE_CALL &&
           sim_calls_is_record(out->kind);
}

/* A single call is counted as it arrives; a batch's records as soon as they
 * are known, so "received" counts records whichever way they travel. */
static void count_received(sim_context *sim, const sim_batch *batch)
{
    pthread_mutex_lock(&sim->lock);
    for (size_t i = 0; i < batch->count; i++)
        sim->stats.received[batch->items[i].kind]++;
    pthread_mutex_unlock(&sim->lock);
}

void sim_batch_read(sim_context *sim, const sim_call *call, sim_batch **out, sim_answer *answer)
{
    *out = NULL;
    memset(answer, 0, sizeof *answer);
    cJSON *envelope = cJSON_ParseWithLength(call->body, call->length);
    const cJSON *items =
        cJSON_IsObject(envelope) ? cJSON_GetObjectItemCaseSensitive(envelope, "items") : NULL;
    int count = cJSON_IsArray(items) ? cJSON_GetArraySize(items) : 0;
    if (count < 1 || count > SIM_BATCH_MAX) {
        cJSON_Delete(envelope);
        sim_answer_error(answer, 400, "bad-request",
                         "the body must be {\"items\": [...]} with 1 to 256 items", 0);
        return;
    }
    sim_batch *batch = calloc(1, sizeof *batch);
    if (!batch) {
        cJSON_Delete(envelope);
        sim_answer_error(answer, 500, "internal", "no memory for the batch", 0);
        return;
    }
    batch->envelope = envelope;
    snprintf(batch->terminal, sizeof batch->terminal, "%s", call->terminal_id);
    const cJSON *each = NULL;
    cJSON_ArrayForEach(each, items)
    {
        if (!read_item(each, &batch->items[batch->count])) {
            char message[256];
            snprintf(message, sizeof message,
                     "item %zu needs path (/v1/submissions, /v1/ratings, /v1/staff-calls,"
                     " /v1/audit or /v1/call-acks),"
                     " idempotency_key and body (the call's body as a JSON string)",
                     batch->count);
            sim_batch_free(batch);
            sim_answer_error(answer, 400, "bad-request", message, 0);
            return;
        }
        batch->count++;
    }
    count_received(sim, batch);
    *out = batch;
}

/* Checks every item as its single call would be checked: those that pass
 * become the store's steps, the others keep their 400 (or 500). */
static size_t check_items(sim_context *sim, sim_batch *batch)
{
    size_t steps = 0;
    for (size_t i = 0; i < batch->count; i++) {
        item *it = &batch->items[i];
        if (sim_calls_key_refused(sim, it->key, &it->answer)) {
            batch->bad++;
            continue;
        }
        if (!sim_calls_record_check(it->kind, batch->terminal, it->key, it->body, strlen(it->body),
                                    &it->record, &it->answer)) {
            batch->bad++;
            continue;
        }
        batch->steps[steps] = (sim_once_step){
            .terminal = batch->terminal,
            .kind = sim_kind_name(it->kind),
            .key = it->key,
            .digest = it->record.digest,
            .make = sim_calls_record_first,
            .context = &it->record,
        };
        batch->step_item[steps++] = i;
    }
    return steps;
}

static void tally(sim_batch *batch, sim_once once)
{
    if (once == SIM_ONCE_FIRST)
        batch->first++;
    else if (once == SIM_ONCE_REPLAY)
        batch->replay++;
    else
        batch->conflict++;
}

/* {"results": [...]}, one per item in their order. */
static void answer_results(const sim_batch *batch, sim_answer *out)
{
    cJSON *json = cJSON_CreateObject();
    cJSON *results = cJSON_AddArrayToObject(json, "results");
    bool complete = results != NULL;
    for (size_t i = 0; complete && i < batch->count; i++) {
        const item *it = &batch->items[i];
        cJSON *result = cJSON_CreateObject();
        /* The item's answer is JSON the stand-in made itself: embedded as it
         * is, not parsed again. */
        complete = result && cJSON_AddItemToArray(results, result) && it->answer.body &&
                   cJSON_AddStringToObject(result, "idempotency_key", it->key) &&
                   cJSON_AddNumberToObject(result, "status", it->answer.status) &&
                   cJSON_AddRawToObject(result, "body", it->answer.body) &&
                   (!it->answer.replay || cJSON_AddTrueToObject(result, "replay"));
    }
    char *text = complete ? cJSON_PrintUnformatted(json) : NULL;
    cJSON_Delete(json);
    if (!text)
        sim_answer_error(out, 500, "internal", "no memory for the answer", 0);
    else
        sim_answer_json(out, 200, text);
}

void sim_batch_answer(sim_context *sim, sim_batch *batch, sim_answer *out)
{
    memset(out, 0, sizeof *out);
    size_t steps = check_items(sim, batch);
    if (sim_store_once_many(sim->store, batch->steps, steps) != KIOSK_OK) {
        sim_answer_error(out, 500, "internal", "the platform's state cannot be written", 0);
        return;
    }
    for (size_t s = 0; s < steps; s++) {
        sim_once_step *step = &batch->steps[s];
        item *it = &batch->items[batch->step_item[s]];
        sim_calls_record_answer(sim, &it->record, step->once, step->status, step->body,
                                &it->answer);
        step->body = NULL; /* the item's answer has it */
        tally(batch, step->once);
    }
    batch->answered = true;
    answer_results(batch, out);
}

void sim_batch_describe(const sim_batch *batch, char *out, size_t size)
{
    if (!batch)
        snprintf(out, size, "a bad envelope");
    else if (!batch->answered)
        snprintf(out, size, "%zu items", batch->count);
    else
        snprintf(out, size, "%zu items: %u first, %u replay, %u conflict, %u bad", batch->count,
                 batch->first, batch->replay, batch->conflict, batch->bad);
}

void sim_batch_free(sim_batch *batch)
{
    if (!batch)
        return;
    for (size_t i = 0; i < batch->count; i++)
        sim_answer_free(&batch->items[i].answer);
    cJSON_Delete(batch->envelope);
    free(batch);
}
