/* Test control paths. See control.h and docs/platform-sim.md. */
#include "control.h"

#include "enrol.h"
#include "faults.h"
#include "logs.h"
#include "readback.h"
#include "signatures.h"
#include "store.h"

#include "firmware/base/base64.h"
#include "firmware/base/log.h"
#include "firmware/base/wipe_alloc.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void answer_object(sim_answer *out, unsigned status, cJSON *json)
{
    char *text = cJSON_PrintUnformatted(json);
    cJSON_Delete(json);
    if (!text)
        sim_answer_error(out, 500, "internal", "no memory for the answer", 0);
    else
        sim_answer_json(out, status, text);
}

static void answer_stats(sim_context *sim, sim_answer *out)
{
    /* Counters are copied under the lock; stored comes from the database,
     * so it counts what the state file holds, across restarts too. */
    pthread_mutex_lock(&sim->lock);
    sim_stats stats = sim->stats;
    sim_fault_plan plan = sim->plan;
    pthread_mutex_unlock(&sim->lock);

    unsigned long received = 0, duplicates = 0, conflicts = 0;
    cJSON *by_kind = cJSON_CreateObject();
    for (int kind = 0; kind < SIM_KIND_COUNT; kind++) {
        cJSON *one = cJSON_AddObjectToObject(by_kind, sim_kind_name((sim_kind)kind));
        cJSON_AddNumberToObject(one, "received", (double)stats.received[kind]);
        cJSON_AddNumberToObject(one, "stored",
                                (double)sim_store_count(sim->store, sim_kind_name((sim_kind)kind)));
        cJSON_AddNumberToObject(one, "duplicates", (double)stats.duplicates[kind]);
        cJSON_AddNumberToObject(one, "conflicts", (double)stats.conflicts[kind]);
        /* The totals are records; the audit trail's copies and the logs
         * technicians send are counted under their kind only (as "stored"
         * is). */
        if (kind == SIM_KIND_AUDIT || kind == SIM_KIND_LOGS)
            continue;
        received += stats.received[kind];
        duplicates += stats.duplicates[kind];
        conflicts += stats.conflicts[kind];
    }
    cJSON *json = cJSON_CreateObject();
    cJSON_AddNumberToObject(json, "received", (double)received);
    cJSON_AddNumberToObject(json, "stored", (double)sim_store_count(sim->store, NULL));
    cJSON_AddNumberToObject(json, "duplicates", (double)duplicates);
    cJSON_AddNumberToObject(json, "conflicts", (double)conflicts);
    cJSON_AddNumberToObject(json, "refused", (double)stats.refused);
    cJSON_AddNumberToObject(json, "batches", (double)stats.batches);
    cJSON_AddNumberToObject(json, "documents_served", (double)stats.documents_served);
    cJSON_AddItemToObject(json, "by_kind", by_kind);
    /* Requests, not records: what a rate is measured in. */
    cJSON *requests = cJSON_AddObjectToObject(json, "requests");
    for (int kind = 0; kind < SIM_KIND_COUNT; kind++)
        cJSON_AddNumberToObject(requests, sim_kind_name((sim_kind)kind),
                                (double)stats.requests[kind]);
    cJSON_AddNumberToObject(requests, "batch", (double)stats.batches);
    cJSON *fault = cJSON_AddObjectToObject(json, "fault");
    cJSON_AddStringToObject(fault, "name", sim_fault_name(plan.fault));
    cJSON_AddNumberToObject(fault, "remaining", (double)plan.remaining);
    cJSON_AddStringToObject(fault, "path", plan.path);
    cJSON *applied = cJSON_AddObjectToObject(json, "faults_applied");
    for (int f = SIM_FAULT_NONE + 1; f < SIM_FAULT_COUNT; f++)
        cJSON_AddNumberToObject(applied, sim_fault_name((sim_fault)f), (double)plan.applied[f]);
    answer_object(out, 200, json);
}

/* A plan's path: one prefix, or several separated by commas, each under
 * /v1 (an empty one would match every path, control paths aside). */
static bool prefixes_valid(const char *prefixes)
{
    for (const char *at = prefixes;; at++) {
        if (strncmp(at, "/v1", 3) != 0)
            return false;
        at = strchr(at, ',');
        if (!at)
            return true;
    }
}

static void answer_fault(sim_context *sim, const sim_call *call, sim_answer *out)
{
    cJSON *json = cJSON_ParseWithLength(call->body, call->length);
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(json, "fault");
    const cJSON *count = cJSON_GetObjectItemCaseSensitive(json, "count");
    const cJSON *path = cJSON_GetObjectItemCaseSensitive(json, "path");
    sim_fault fault = SIM_FAULT_NONE;
    double k = cJSON_IsNumber(count) ? count->valuedouble : 1;
    const char *prefix = cJSON_IsString(path) ? path->valuestring : "/v1/";
    if (!cJSON_IsString(name) || !sim_fault_parse(name->valuestring, &fault)) {
        cJSON_Delete(json);
        sim_answer_error(out, 400, "bad-request",
                         "fault must be none or a fault of docs/platform-sim.md (refuse, hang,"
                         " reset-after-commit, 500, 503, 429, trickle, truncated-json,"
                         " invalid-json, captive-portal, huge-body, or the hostile platform's)",
                         0);
        return;
    }
    if ((count && !cJSON_IsNumber(count)) || k != floor(k) || k < -1 || k > 1e9 ||
        (path && !cJSON_IsString(path)) || !prefixes_valid(prefix) ||
        strlen(prefix) >= sizeof sim->plan.path) {
        cJSON_Delete(json);
        sim_answer_error(out, 400, "bad-request",
                         "count is a whole number (-1: until cleared); path starts with /v1, or"
                         " is prefixes that each do, separated by commas",
                         0);
        return;
    }
    if (k == 0)
        fault = SIM_FAULT_NONE; /* nothing to inject: the same as clearing */
    sim_faults_plan(sim, fault, (long)k, prefix);
    LOG_INFO(SIM_MODULE, "fault %s planned for %ld request(s) on %s*", sim_fault_name(fault),
             (long)k, prefix);
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddStringToObject(answer, "fault", sim_fault_name(fault));
    cJSON_AddNumberToObject(answer, "count", fault == SIM_FAULT_NONE ? 0 : k);
    cJSON_AddStringToObject(answer, "path", prefix);
    cJSON_Delete(json);
    answer_object(out, 200, answer);
}

static void answer_status(sim_context *sim, const sim_call *call, sim_answer *out)
{
    static const char *const statuses[] = {"accepted", "in-progress", "done", "rejected"};
    cJSON *json = cJSON_ParseWithLength(call->body, call->length);
    const cJSON *tracking = cJSON_GetObjectItemCaseSensitive(json, "tracking_number");
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(json, "status");
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(json, "note");
    bool known = false;
    for (size_t i = 0; cJSON_IsString(status) && i < sizeof statuses / sizeof statuses[0]; i++)
        known = known || strcmp(status->valuestring, statuses[i]) == 0;
    if (!cJSON_IsString(tracking) || !known || (note && !cJSON_IsString(note))) {
        cJSON_Delete(json);
        sim_answer_error(out, 400, "bad-request",
                         "tracking_number, status (accepted, in-progress, done or rejected) and"
                         " note (a string)",
                         0);
        return;
    }
    kiosk_error set = sim_store_set_submission(sim->store, tracking->valuestring,
                                               status->valuestring, note ? note->valuestring : "");
    cJSON_Delete(json);
    if (set == KIOSK_ERR_NOT_FOUND)
        sim_answer_error(out, 404, "not-found", "no submission has this tracking number", 0);
    else if (set != KIOSK_OK)
        sim_answer_error(out, 500, "internal", "the platform's state cannot be written", 0);
    else
        answer_object(out, 200, cJSON_CreateObject());
}

static void add_signature(void *context, const char *field, int width, int height, const void *png,
                          size_t length)
{
    cJSON *one = cJSON_CreateObject();
    char *text = base64_encode(png, length);
    cJSON_AddStringToObject(one, "field", field);
    cJSON_AddNumberToObject(one, "width", width);
    cJSON_AddNumberToObject(one, "height", height);
    cJSON_AddStringToObject(one, "png", text ? text : "");
    wipe_free(text);
    cJSON_AddItemToArray(context, one);
}

/* The signatures a submission carried, by its tracking number or the
 * terminal's own reference. */
static void answer_signatures(sim_context *sim, const sim_call *call, sim_answer *out)
{
    cJSON *json = cJSON_ParseWithLength(call->body, call->length);
    const cJSON *number = cJSON_GetObjectItemCaseSensitive(json, "tracking_number");
    sim_submission found;
    kiosk_error known = cJSON_IsString(number)
                            ? sim_store_get_submission(sim->store, number->valuestring, &found)
                            : KIOSK_ERR_INVALID_ARGUMENT;
    cJSON_Delete(json);
    if (known == KIOSK_ERR_INVALID_ARGUMENT) {
        sim_answer_error(out, 400, "bad-request",
                         "tracking_number (or the terminal's reference) as a string", 0);
        return;
    }
    if (known == KIOSK_ERR_NOT_FOUND) {
        sim_answer_error(out, 404, "not-found", "no submission has this number", 0);
        return;
    }
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddStringToObject(answer, "tracking_number", found.tracking_number);
    cJSON *list = cJSON_AddArrayToObject(answer, "signatures");
    if (known != KIOSK_OK ||
        sim_store_signatures(sim->store, found.tracking_number, add_signature, list) != KIOSK_OK) {
        cJSON_Delete(answer);
        sim_answer_error(out, 500, "internal", "the platform's state cannot be read", 0);
        return;
    }
    answer_object(out, 200, answer);
}

/* {"key": K}: records under K are answered 422 bad-request until
 * {"key": ""} lifts it. */
static void answer_refuse_key(sim_context *sim, const sim_call *call, sim_answer *out)
{
    cJSON *json = cJSON_ParseWithLength(call->body, call->length);
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(json, "key");
    if (!cJSON_IsString(key) || strlen(key->valuestring) > SIM_KEY_MAX) {
        cJSON_Delete(json);
        sim_answer_error(out, 400, "bad-request", "key (an Idempotency-Key, or \"\" to lift)", 0);
        return;
    }
    pthread_mutex_lock(&sim->lock);
    snprintf(sim->refused_key, sizeof sim->refused_key, "%s", key->valuestring);
    pthread_mutex_unlock(&sim->lock);
    LOG_INFO(SIM_MODULE, "refusing the key \"%s\"", key->valuestring);
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddStringToObject(answer, "key", key->valuestring);
    cJSON_Delete(json);
    answer_object(out, 200, answer);
}

/* {"terminal": T}: the head T last reported and whether the audit rows
 * received from T explain it. */
static void answer_audit(sim_context *sim, const sim_call *call, sim_answer *out)
{
    cJSON *json = cJSON_ParseWithLength(call->body, call->length);
    const cJSON *terminal = cJSON_GetObjectItemCaseSensitive(json, "terminal");
    sim_audit_check check;
    if (!cJSON_IsString(terminal)) {
        cJSON_Delete(json);
        sim_answer_error(out, 400, "bad-request", "terminal (its certificate's CN)", 0);
        return;
    }
    kiosk_error read = sim_store_audit_check(sim->store, terminal->valuestring, &check);
    cJSON_Delete(json);
    if (read != KIOSK_OK) {
        sim_answer_error(out, 500, "internal", "the platform's state cannot be read", 0);
        return;
    }
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddNumberToObject(answer, "rows", (double)check.rows);
    cJSON_AddBoolToObject(answer, "linked", check.linked);
    cJSON_AddNumberToObject(answer, "last_sequence", (double)check.last_sequence);
    if (!check.linked)
        cJSON_AddNumberToObject(answer, "first_gap", (double)check.first_gap);
    if (check.head_known) {
        cJSON *head = cJSON_AddObjectToObject(answer, "head");
        cJSON_AddNumberToObject(head, "sequence", (double)check.head_sequence);
        cJSON_AddStringToObject(head, "hash", check.head_hash);
        cJSON_AddStringToObject(head, "algorithm", check.algorithm);
    } else {
        cJSON_AddNullToObject(answer, "head");
    }
    cJSON_AddBoolToObject(answer, "matches", check.matches);
    answer_object(out, 200, answer);
}

void sim_control_answer(sim_context *sim, const sim_call *call, sim_answer *out)
{
    memset(out, 0, sizeof *out);
    const char *what = call->path + strlen(SIM_CONTROL_PREFIX);
    bool get = strcmp(call->method, "GET") == 0, post = strcmp(call->method, "POST") == 0;
    if (strcmp(what, "stats") == 0 && get)
        answer_stats(sim, out);
    else if (strcmp(what, "fault") == 0 && post)
        answer_fault(sim, call, out);
    else if (strcmp(what, "status") == 0 && post)
        answer_status(sim, call, out);
    else if (strcmp(what, "signatures") == 0 && post)
        answer_signatures(sim, call, out);
    else if (strcmp(what, "refuse-key") == 0 && post)
        answer_refuse_key(sim, call, out);
    else if (strcmp(what, "audit") == 0 && post)
        answer_audit(sim, call, out);
    else if (strcmp(what, "submission") == 0 && post)
        sim_readback_answer(sim, call, out);
    else if (strcmp(what, "enrol") == 0)
        sim_enrol_control(call, out);
    else if (strcmp(what, "logs") == 0)
        sim_logs_control(call, out);
    else
        sim_answer_error(out, 404, "not-found",
                         "control paths: GET /_sim/stats, POST /_sim/fault, POST /_sim/status,"
                         " POST /_sim/signatures, POST /_sim/refuse-key, POST /_sim/audit,"
                         " GET|POST /_sim/enrol, POST /_sim/logs",
                         0);
}
