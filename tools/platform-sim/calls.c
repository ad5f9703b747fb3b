/* Protocol v1 calls. See calls.h and docs/protocol.md. */
#include "calls.h"

#include "appointments.h"
#include "documents.h"
#include "enrol.h"
#include "logs.h"

#include "peer.h"
#include "readback.h"
#include "signatures.h"
#include "store.h"

#include "firmware/base/log.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATUS_PREFIX "/v1/submissions/"
#define BATCH_PATH    "/v1/batch"

sim_route sim_calls_route(const char *method, const char *path, sim_kind *kind)
{
    static const struct {
        const char *method;
        const char *path;
        sim_kind kind;
    } calls[] = {
        {"POST", "/v1/heartbeat", SIM_KIND_HEARTBEAT},
        {"GET", "/v1/catalog", SIM_KIND_CATALOG},
        {"POST", "/v1/submissions", SIM_KIND_SUBMISSION},
        {"POST", "/v1/ratings", SIM_KIND_RATING},
        {"POST", "/v1/staff-calls", SIM_KIND_STAFF_CALL},
        {"POST", "/v1/queries", SIM_KIND_QUERY},
        {"POST", "/v1/eid", SIM_KIND_EID},
        {"POST", "/v1/appointments", SIM_KIND_APPOINTMENT},
        {"POST", "/v1/documents", SIM_KIND_DOCUMENTS},
        {"POST", "/v1/documents/fetch", SIM_KIND_DOCUMENT},
        {"POST", "/v1/audit", SIM_KIND_AUDIT},
        {"POST", "/v1/call-acks", SIM_KIND_CALL_ACK},
        {"GET", "/v1/calls", SIM_KIND_CALLS},
        {"GET", "/v1/staff-credentials", SIM_KIND_CREDENTIALS},
        {"POST", "/v1/enrol", SIM_KIND_ENROL},
        {"POST", "/v1/logs", SIM_KIND_LOGS},
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        if (strcmp(path, calls[i].path) == 0) {
            *kind = calls[i].kind;
            return strcmp(method, calls[i].method) == 0 ? SIM_ROUTE_CALL : SIM_ROUTE_BAD_METHOD;
        }
    }
    if (strcmp(path, BATCH_PATH) == 0)
        return strcmp(method, "POST") == 0 ? SIM_ROUTE_BATCH : SIM_ROUTE_BAD_METHOD;
    if (strncmp(path, STATUS_PREFIX, strlen(STATUS_PREFIX)) == 0 &&
        path[strlen(STATUS_PREFIX)] != '\0') {
        *kind = SIM_KIND_SUBMISSION_STATUS;
        return strcmp(method, "GET") == 0 ? SIM_ROUTE_CALL : SIM_ROUTE_BAD_METHOD;
    }
    return SIM_ROUTE_NOT_FOUND;
}

bool sim_calls_is_record(sim_kind kind)
{
    return kind == SIM_KIND_SUBMISSION || kind == SIM_KIND_RATING || kind == SIM_KIND_STAFF_CALL ||
           kind == SIM_KIND_AUDIT || kind == SIM_KIND_CALL_ACK;
}

unsigned sim_calls_success_status(sim_kind kind)
{
    return sim_calls_is_record(kind) || kind == SIM_KIND_LOGS ? 201 : 200;
}

static void count(sim_context *sim, unsigned long *counters, sim_kind kind)
{
    pthread_mutex_lock(&sim->lock);
    counters[kind]++;
    pthread_mutex_unlock(&sim->lock);
}

static void answer_object(sim_answer *out, unsigned status, cJSON *json)
{
    char *text = cJSON_PrintUnformatted(json);
    cJSON_Delete(json);
    if (!text)
        sim_answer_error(out, 500, "internal", "no memory for the answer", 0);
    else
        sim_answer_json(out, status, text);
}

/* A request body as a JSON object, or NULL with out answered 400. */
static cJSON *parse_object(const char *body, size_t length, sim_answer *out)
{
    cJSON *json = cJSON_ParseWithLength(body, length);
    if (!cJSON_IsObject(json)) {
        cJSON_Delete(json);
        sim_answer_error(out, 400, "bad-request", "the body is not a JSON object", 0);
        return NULL;
    }
    return json;
}

static const char *string_field(const cJSON *json, const char *name)
{
    const cJSON *field = cJSON_GetObjectItemCaseSensitive(json, name);
    return cJSON_IsString(field) ? field->valuestring : NULL;
}

static bool missing(cJSON *json, sim_answer *out, const char *what)
{
    char message[160];
    snprintf(message, sizeof message, "the body needs %s", what);
    cJSON_Delete(json);
    sim_answer_error(out, 400, "bad-request", message, 0);
    return false;
}

/* ---- catalog ------------------------------------------------------------ */

typedef struct catalog {
    char *text;
    size_t length;
    char etag[72];
} catalog;

/* Read on every call, so a test or a developer can change the file under a
 * running stand-in and see the new ETag. */
static bool catalog_load(sim_context *sim, catalog *out, sim_answer *answer)
{
    kiosk_diag diag = {{0}};
    kiosk_error read =
        sim_read_file(sim->catalog_path, SIM_CATALOG_MAX, &out->text, &out->length, &diag);
    unsigned char digest[32];
    if (read == KIOSK_OK && !sim_sha256(out->text, out->length, digest)) {
        free(out->text);
        out->text = NULL;
        snprintf(diag.message, sizeof diag.message, "catalog: cannot hash it");
        read = KIOSK_ERR_INTERNAL;
    }
    if (read != KIOSK_OK) {
        LOG_ERROR(SIM_MODULE, "catalog: %s", diag.message);
        sim_answer_error(answer, 500, "internal", "the platform's catalog cannot be read", 0);
        return false;
    }
    /* A strong validator: half the SHA-256 of the bytes served. */
    int used = snprintf(out->etag, sizeof out->etag, "\"");
    for (int i = 0; i < 16; i++)
        used += snprintf(out->etag + used, sizeof out->etag - (size_t)used, "%02x", digest[i]);
    snprintf(out->etag + used, sizeof out->etag - (size_t)used, "\"");
    return true;
}

/* If-None-Match: a list of entity tags or "*"; weak ones (W/) compare by
 * their opaque part, as RFC 9110 asks of GET. */
static bool etag_matches(const char *header, const char *etag)
{
    const char *at = header;
    while (*at) {
        while (*at == ' ' || *at == '\t' || *at == ',')
            at++;
        const char *end = strchr(at, ',');
        size_t length = end ? (size_t)(end - at) : strlen(at);
        while (length > 0 && (at[length - 1] == ' ' || at[length - 1] == '\t'))
            length--;
        if (length == 1 && at[0] == '*')
            return true;
        const char *tag = at;
        if (length > 2 && strncmp(tag, "W/", 2) == 0) {
            tag += 2;
            length -= 2;
        }
        if (length > 0 && length == strlen(etag) && strncmp(tag, etag, length) == 0)
            return true;
        if (!end)
            break;
        at = end + 1;
    }
    return false;
}

static void answer_catalog(sim_context *sim, const sim_call *call, sim_answer *out)
{
    catalog loaded = {0};
    if (!catalog_load(sim, &loaded, out))
        return;
    if (call->if_none_match && etag_matches(call->if_none_match, loaded.etag)) {
        free(loaded.text);
        out->status = 304;
    } else {
        out->status = 200;
        out->body = loaded.text;
        out->length = loaded.length;
        out->content_type = "application/json";
    }
    snprintf(out->etag, sizeof out->etag, "%s", loaded.etag);
}

/* ---- heartbeat ---------------------------------------------------------- */

static bool hex64(const char *text);

/* The audit head the terminal reports (optional: older firmware has none);
 * false when it is there and not one. */
static bool note_audit_head(sim_context *sim, const char *terminal, const cJSON *request)
{
    const cJSON *head = cJSON_GetObjectItemCaseSensitive(request, "audit_head");
    if (!head)
        return true;
    const cJSON *sequence = cJSON_GetObjectItemCaseSensitive(head, "sequence");
    const char *hash = string_field(head, "hash"), *algorithm = string_field(head, "algorithm");
    if (!cJSON_IsNumber(sequence) || sequence->valuedouble < 0 || sequence->valuedouble > 9e15 ||
        !hex64(hash) || !algorithm ||
        (strcmp(algorithm, "sha256") != 0 && strcmp(algorithm, "sm3") != 0))
        return false;
    if (sim_store_set_audit_head(sim->store, terminal, (long long)sequence->valuedouble, hash,
                                 algorithm) != KIOSK_OK)
        LOG_ERROR(SIM_MODULE, "%s: its audit head could not be kept", terminal);
    return true;
}

static void add_acknowledged(void *context, const char *terminal, const char *key,
                             const char *reason, const char *screen, const char *at)
{
    (void)terminal, (void)reason, (void)screen, (void)at;
    cJSON_AddItemToArray(context, cJSON_CreateString(key));
}

static bool credentials_load(sim_context *sim, struct catalog *out, sim_answer *answer);

/* What a heartbeat answer says for staff: which of this terminal's help
 * calls staff acknowledged (by its Idempotency-Key), and the version of
 * the staff credentials when some are published. */
static void add_staff_news(sim_context *sim, const char *terminal, cJSON *answer)
{
    cJSON *acknowledged = cJSON_AddArrayToObject(answer, "calls_acknowledged");
    if (sim_store_calls(sim->store, terminal, true, add_acknowledged, acknowledged) != KIOSK_OK)
        LOG_ERROR(SIM_MODULE, "%s: its acknowledged calls cannot be read", terminal);
    if (!sim->credentials_path[0])
        return;
    struct catalog loaded = {0};
    sim_answer ignored = {0};
    if (credentials_load(sim, &loaded, &ignored)) {
        char version[72];
        snprintf(version, sizeof version, "%.*s", (int)strlen(loaded.etag) - 2, loaded.etag + 1);
        cJSON_AddStringToObject(answer, "credentials_version", version);
        free(loaded.text);
    }
    sim_answer_free(&ignored);
}

static void answer_heartbeat(sim_context *sim, const sim_call *call, sim_answer *out)
{
    cJSON *request = parse_object(call->body, call->length, out);
    if (!request)
        return;
    const cJSON *depth = cJSON_GetObjectItemCaseSensitive(request, "outbox_depth");
    if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(request, "devices")) ||
        !cJSON_IsNumber(depth) || depth->valuedouble < 0 || !string_field(request, "firmware")) {
        missing(request, out, "devices (an object), outbox_depth (a count) and firmware");
        return;
    }
    if (!note_audit_head(sim, call->terminal_id, request)) {
        missing(request, out, "audit_head as {sequence, hash (64 hex digits), algorithm}");
        return;
    }
    sim_enrol_note_heartbeat(call->terminal_id, request);
    cJSON_Delete(request);

    catalog loaded = {0};
    if (!catalog_load(sim, &loaded, out))
        return;
    /* The catalog's own "version"; a catalog without one is known by its ETag. */
    cJSON *parsed = cJSON_ParseWithLength(loaded.text, loaded.length);
    const char *version = string_field(parsed, "version");
    char fallback[72];
    snprintf(fallback, sizeof fallback, "%.*s", (int)strlen(loaded.etag) - 2, loaded.etag + 1);

    char now[32];
    sim_time_now(now);
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddStringToObject(answer, "server_time", now);
    cJSON_AddNumberToObject(answer, "poll_interval_s", 60);
    cJSON_AddStringToObject(answer, "catalog_version", version ? version : fallback);
    cJSON_AddStringToObject(answer, "config_version", "c1");
    cJSON_AddNullToObject(answer, "update");
    add_staff_news(sim, call->terminal_id, answer);
    cJSON_Delete(parsed);
    free(loaded.text);
    answer_object(out, 200, answer);
}

/* ---- calls under an Idempotency-Key -------------------------------------- */

static bool key_valid(const char *key)
{
    size_t length = key ? strlen(key) : 0;
    if (length == 0 || length > SIM_KEY_MAX)
        return false;
    for (size_t i = 0; i < length; i++)
        if (key[i] <= ' ' || key[i] > '~')
            return false;
    return true;
}

kiosk_error sim_calls_record_first(sim_store *store, void *context, unsigned *status, char **body)
{
    const sim_record *call = context;
    char now[32];
    sim_time_now(now);
    cJSON *answer = cJSON_CreateObject();
    if (call->kind == SIM_KIND_SUBMISSION) {
        char tracking[SIM_TRACKING_MAX];
        kiosk_error added = sim_store_add_submission(store, call->terminal, call->service,
                                                     call->local_reference, now, tracking);
        if (added != KIOSK_OK) {
            cJSON_Delete(answer);
            return added;
        }
        added = call->body ? sim_signatures_keep(store, tracking, call->body, call->body_length)
                           : KIOSK_OK;
        if (added != KIOSK_OK) {
            cJSON_Delete(answer);
            return added;
        }
        cJSON_AddStringToObject(answer, "tracking_number", tracking);
        cJSON_AddStringToObject(answer, "status", "accepted");
        if (call->body)
            sim_readback_keep(tracking, call->body, call->body_length);
    }
    kiosk_error kept = KIOSK_OK;
    if (call->kind == SIM_KIND_AUDIT)
        kept = sim_store_add_audit_row(store, call->terminal, call->sequence, call->prev_hash,
                                       call->hash);
    else if (call->kind == SIM_KIND_STAFF_CALL)
        kept = sim_store_add_staff_call(store, call->terminal, call->key, call->reason,
                                        call->screen, now);
    else if (call->kind == SIM_KIND_CALL_ACK)
        kept = sim_store_ack_call(store, call->call, call->terminal);
    if (kept != KIOSK_OK) {
        cJSON_Delete(answer);
        return kept;
    }
    cJSON_AddStringToObject(answer, "received_at", now);
    *body = cJSON_PrintUnformatted(answer);
    cJSON_Delete(answer);
    *status = 201;
    return *body ? KIOSK_OK : KIOSK_ERR_NO_MEMORY;
}

/* A tracking number or a terminal's reference: letters, digits and '-'. */
static bool plausible_number(const char *number)
{
    size_t length = strlen(number);
    bool plausible = length > 0 && length < SIM_TRACKING_MAX;
    for (const char *c = number; plausible && *c; c++)
        plausible = isalnum((unsigned char)*c) || *c == '-';
    return plausible;
}

static bool hex64(const char *text)
{
    if (!text || strlen(text) != 64)
        return false;
    for (const char *c = text; *c; c++)
        if (!isxdigit((unsigned char)*c) || isupper((unsigned char)*c))
            return false;
    return true;
}

/* An audit row as the terminal sends it (docs/audit.md). */
static bool audit_row_valid(const cJSON *request, sim_record *context)
{
    const cJSON *sequence = cJSON_GetObjectItemCaseSensitive(request, "sequence");
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(request, "at");
    const char *algorithm = string_field(request, "algorithm");
    const char *prev = string_field(request, "prev_hash"), *hash = string_field(request, "hash");
    static const char *const texts[] = {"actor", "action", "subject", "detail"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (!string_field(request, texts[i]))
            return false;
    if (!cJSON_IsNumber(sequence) || sequence->valuedouble < 1 || sequence->valuedouble > 9e15 ||
        sequence->valuedouble != (double)(long long)sequence->valuedouble || !cJSON_IsNumber(at) ||
        !algorithm || (strcmp(algorithm, "sha256") != 0 && strcmp(algorithm, "sm3") != 0) ||
        !hex64(prev) || !hex64(hash) || !string_field(request, "actor")[0] ||
        !string_field(request, "action")[0])
        return false;
    context->sequence = (long long)sequence->valuedouble;
    snprintf(context->prev_hash, sizeof context->prev_hash, "%s", prev);
    snprintf(context->hash, sizeof context->hash, "%s", hash);
    return true;
}

/* Checks the body of a creating call; false with out answered 400. */
static bool body_valid(sim_kind kind, const char *body, size_t length, sim_answer *out,
                       sim_record *context)
{
    cJSON *request = parse_object(body, length, out);
    if (!request)
        return false;
    if (kind == SIM_KIND_SUBMISSION) {
        const char *what = string_field(request, "kind");
        const char *service = string_field(request, "service");
        if (!what || strcmp(what, "submission") != 0 || !service || !service[0] ||
            !string_field(request, "created_at") ||
            !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(request, "payload")))
            return missing(request, out,
                           "kind \"submission\", service, created_at and payload (an object)");
        /* Optional: the number the terminal gave the citizen while the
         * record waited to be sent; the status call answers to it too. */
        const cJSON *local = cJSON_GetObjectItemCaseSensitive(request, "local_reference");
        if (local && !(cJSON_IsString(local) && plausible_number(local->valuestring)))
            return missing(request, out, "local_reference as letters, digits and '-'");
        char why[256];
        if (!sim_signatures_check(cJSON_GetObjectItemCaseSensitive(request, "payload"), why,
                                  sizeof why)) {
            cJSON_Delete(request);
            sim_answer_error(out, 400, "bad-request", why, 0);
            return false;
        }
        /* Copied: the parsed body is freed before the answer is made. */
        snprintf(context->service, sizeof context->service, "%s", service);
        snprintf(context->local_reference, sizeof context->local_reference, "%s",
                 local ? local->valuestring : "");
    } else if (kind == SIM_KIND_RATING) {
        const cJSON *level = cJSON_GetObjectItemCaseSensitive(request, "level");
        const cJSON *comment = cJSON_GetObjectItemCaseSensitive(request, "comment");
        const char *tracking = string_field(request, "tracking_number");
        const char *service = string_field(request, "service");
        /* A rating names the application it rates, or at least the service. */
        bool rated = (tracking && tracking[0]) || (service && service[0]);
        if (!rated || !cJSON_IsNumber(level) || level->valuedouble < 1 || level->valuedouble > 5 ||
            level->valuedouble != (double)level->valueint || (comment && !cJSON_IsString(comment)))
            return missing(request, out,
                           "tracking_number or service, level (1 to 5) and comment (a string)");
    } else if (kind == SIM_KIND_AUDIT) {
        if (!audit_row_valid(request, context))
            return missing(request, out,
                           "sequence (from 1), prev_hash and hash (64 hex digits), algorithm "
                           "(sha256 or sm3), at, actor, action, subject and detail");
    } else if (kind == SIM_KIND_CALL_ACK) {
        const char *call = string_field(request, "call");
        if (!call || !call[0] || strlen(call) >= sizeof context->call)
            return missing(request, out, "call (the call's id from GET /v1/calls)");
        snprintf(context->call, sizeof context->call, "%s", call);
    } else {
        const char *reason = string_field(request, "reason");
        const char *screen = string_field(request, "screen");
        if (!reason || !reason[0] || !screen || strlen(reason) >= sizeof context->reason ||
            strlen(screen) >= sizeof context->screen)
            return missing(request, out, "reason and screen (each under 64 bytes)");
        snprintf(context->reason, sizeof context->reason, "%s", reason);
        snprintf(context->screen, sizeof context->screen, "%s", screen);
    }
    cJSON_Delete(request);
    return true;
}

bool sim_calls_record_check(sim_kind kind, const char *terminal, const char *key, const char *body,
                            size_t length, sim_record *record, sim_answer *out)
{
    if (!key_valid(key)) {
        sim_answer_error(out, 400, "bad-request",
                         "Idempotency-Key is missing, over 95 bytes, or not printable ASCII", 0);
        return false;
    }
    *record = (sim_record){
        .kind = kind, .terminal = terminal, .key = key, .body = body, .body_length = length};
    if (!body_valid(kind, body, length, out, record))
        return false;
    /* The body as sent, byte for byte: a retry carries the outbox's stored
     * payload unchanged, so any difference is a different body. */
    if (!sim_sha256(body, length, record->digest)) {
        sim_answer_error(out, 500, "internal", "cannot hash the body", 0);
        return false;
    }
    return true;
}

void sim_calls_record_answer(sim_context *sim, const sim_record *record, sim_once once,
                             unsigned status, char *body, sim_answer *out)
{
    if (once == SIM_ONCE_CONFLICT) {
        free(body);
        count(sim, sim->stats.conflicts, record->kind);
        LOG_WARN(SIM_MODULE, "%s %s: another body under this key: 409", record->terminal,
                 record->key);
        sim_answer_error(out, 409, "idempotency-conflict",
                         "another body is already stored under this Idempotency-Key", 0);
        return;
    }
    sim_answer_json(out, status, body);
    if (once == SIM_ONCE_REPLAY) {
        count(sim, sim->stats.duplicates, record->kind);
        out->replay = true;
    }
}

bool sim_calls_key_refused(sim_context *sim, const char *key, sim_answer *out)
{
    pthread_mutex_lock(&sim->lock);
    bool refused = key && sim->refused_key[0] && strcmp(key, sim->refused_key) == 0;
    pthread_mutex_unlock(&sim->lock);
    if (refused) {
        LOG_WARN(SIM_MODULE, "%s: refused on request (POST /_sim/refuse-key): 422", key);
        sim_answer_error(out, 422, "bad-request", "this record cannot be accepted", 0);
    }
    return refused;
}

static void answer_once(sim_context *sim, sim_kind kind, const sim_call *call, sim_answer *out)
{
    if (sim_calls_key_refused(sim, call->idempotency_key, out))
        return;
    sim_record record;
    if (!sim_calls_record_check(kind, call->terminal_id, call->idempotency_key, call->body,
                                call->length, &record, out))
        return;
    sim_once once = SIM_ONCE_FIRST;
    unsigned status = 0;
    char *body = NULL;
    kiosk_error stored =
        sim_store_once(sim->store, call->terminal_id, sim_kind_name(kind), call->idempotency_key,
                       record.digest, sim_calls_record_first, &record, &once, &status, &body);
    if (stored != KIOSK_OK) {
        sim_answer_error(out, 500, "internal", "the platform's state cannot be written", 0);
        return;
    }
    sim_calls_record_answer(sim, &record, once, status, body, out);
}

/* ---- submission status -------------------------------------------------- */

static void answer_status(sim_context *sim, const sim_call *call, sim_answer *out)
{
    const char *tracking = call->path + strlen(STATUS_PREFIX);
    sim_submission found;
    kiosk_error got = plausible_number(tracking)
                          ? sim_store_get_submission(sim->store, tracking, &found)
                          : KIOSK_ERR_NOT_FOUND;
    if (got == KIOSK_ERR_NOT_FOUND) {
        sim_answer_error(out, 404, "not-found", "no submission has this tracking number", 0);
        return;
    }
    if (got != KIOSK_OK) {
        sim_answer_error(out, 500, "internal", "the platform's state cannot be read", 0);
        return;
    }
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddStringToObject(answer, "tracking_number", found.tracking_number);
    if (found.local_reference[0])
        cJSON_AddStringToObject(answer, "local_reference", found.local_reference);
    cJSON_AddStringToObject(answer, "status", found.status);
    cJSON_AddStringToObject(answer, "updated_at", found.updated_at);
    cJSON_AddStringToObject(answer, "note", found.note);
    answer_object(out, 200, answer);
}

/* ---- a citizen's data --------------------------------------------------- */

static void add_line(cJSON *lines, const char *label, const char *value)
{
    cJSON *line = cJSON_CreateObject();
    cJSON_AddStringToObject(line, "label", label);
    cJSON_AddStringToObject(line, "value", value);
    cJSON_AddItemToArray(lines, line);
}

/* Made-up housing-fund data, the same for the same ID number, so a test can
 * tell a fresh answer from a cached one only by its date. Other services
 * have no data here (404). */
static void answer_query(const sim_call *call, sim_answer *out)
{
    cJSON *request = parse_object(call->body, call->length, out);
    if (!request)
        return;
    const char *service = string_field(request, "service");
    const char *id_number = string_field(request, "id_number");
    if (!service || !service[0] || !id_number || strlen(id_number) != 18) {
        missing(request, out, "service and id_number (18 characters)");
        return;
    }
    if (strcmp(service, "housing-fund-query") != 0) {
        cJSON_Delete(request);
        sim_answer_error(out, 404, "not-found", "no data for this service", 0);
        return;
    }
    unsigned seed = 0;
    for (const char *c = id_number; *c; c++)
        seed = seed * 31u + (unsigned char)*c;
    char balance[32], monthly[32], now[32];
    snprintf(balance, sizeof balance, "%u.%02u 元", 10000 + seed % 90000, seed % 100);
    snprintf(monthly, sizeof monthly, "%u.00 元", 800 + seed % 2400);
    sim_time_now(now);
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddStringToObject(answer, "service", service);
    cJSON_AddStringToObject(answer, "as_of", now);
    cJSON *lines = cJSON_AddArrayToObject(answer, "lines");
    add_line(lines, "账户状态", "正常缴存");
    add_line(lines, "账户余额", balance);
    add_line(lines, "月缴存额", monthly);
    add_line(lines, "缴存至", "2026 年 10 月");
    cJSON_Delete(request);
    answer_object(out, 200, answer);
}

/* ---- e-ID codes ---------------------------------------------------------- */

/* The codes this stand-in "issued": a real platform verifies the code with
 * the e-ID service and answers who it is; an old code is refused as
 * expired (the citizen refreshes it on their phone). */
static void answer_eid(const sim_call *call, sim_answer *out)
{
    static const struct {
        const char *code, *name, *id_number;
    } issued[] = {
        {"CTID:DEMO-0001", "赵敏", "11010519491231002X"},
        {"CTID:DEMO-0002", "欧阳娜娜", "310101198005056662"},
    };
    cJSON *request = parse_object(call->body, call->length, out);
    if (!request)
        return;
    const char *code = string_field(request, "code");
    if (!code || !code[0]) {
        missing(request, out, "code");
        return;
    }
    cJSON *answer = NULL;
    for (size_t i = 0; i < sizeof issued / sizeof issued[0] && !answer; i++) {
        if (strcmp(code, issued[i].code) == 0) {
            answer = cJSON_CreateObject();
            cJSON_AddStringToObject(answer, "name", issued[i].name);
            cJSON_AddStringToObject(answer, "id_number", issued[i].id_number);
        }
    }
    bool expired = !answer && strncmp(code, "CTID:", 5) == 0;
    cJSON_Delete(request);
    if (answer)
        answer_object(out, 200, answer);
    else if (expired)
        sim_answer_error(out, 410, "expired", "the code has expired: refresh it", 0);
    else
        sim_answer_error(out, 404, "not-found", "not an e-ID code", 0);
}

/* ---- help calls across the hall ------------------------------------------ */

static void add_call(void *context, const char *terminal, const char *key, const char *reason,
                     const char *screen, const char *at)
{
    cJSON *one = cJSON_CreateObject();
    char id[SIM_TERMINAL_MAX + SIM_KEY_MAX + 2];
    snprintf(id, sizeof id, "%s:%s", terminal, key);
    cJSON_AddStringToObject(one, "id", id);
    cJSON_AddStringToObject(one, "terminal", terminal);
    cJSON_AddStringToObject(one, "reason", reason);
    cJSON_AddStringToObject(one, "screen", screen);
    cJSON_AddStringToObject(one, "at", at);
    cJSON_AddItemToArray(context, one);
}

static void answer_calls(sim_context *sim, sim_answer *out)
{
    cJSON *answer = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(answer, "calls");
    if (sim_store_calls(sim->store, NULL, false, add_call, list) != KIOSK_OK) {
        cJSON_Delete(answer);
        sim_answer_error(out, 500, "internal", "the platform's state cannot be read", 0);
        return;
    }
    answer_object(out, 200, answer);
}

/* ---- staff credentials: a file, served like the catalog -------------------- */

static bool credentials_load(sim_context *sim, struct catalog *out, sim_answer *answer)
{
    if (!sim->credentials_path[0]) {
        sim_answer_error(answer, 404, "not-found", "no staff credentials are published", 0);
        return false;
    }
    kiosk_diag diag = {{0}};
    unsigned char digest[32];
    kiosk_error read =
        sim_read_file(sim->credentials_path, SIM_CATALOG_MAX, &out->text, &out->length, &diag);
    if (read == KIOSK_OK && !sim_sha256(out->text, out->length, digest)) {
        free(out->text);
        out->text = NULL;
        read = KIOSK_ERR_INTERNAL;
    }
    if (read != KIOSK_OK) {
        LOG_ERROR(SIM_MODULE, "staff credentials: %s", diag.message);
        sim_answer_error(answer, 500, "internal", "the staff credentials cannot be read", 0);
        return false;
    }
    int used = snprintf(out->etag, sizeof out->etag, "\"");
    for (int i = 0; i < 16; i++)
        used += snprintf(out->etag + used, sizeof out->etag - (size_t)used, "%02x", digest[i]);
    snprintf(out->etag + used, sizeof out->etag - (size_t)used, "\"");
    return true;
}

static void answer_credentials(sim_context *sim, const sim_call *call, sim_answer *out)
{
    catalog loaded = {0};
    if (!credentials_load(sim, &loaded, out))
        return;
    if (call->if_none_match && etag_matches(call->if_none_match, loaded.etag)) {
        free(loaded.text);
        out->status = 304;
    } else {
        out->status = 200;
        out->body = loaded.text;
        out->length = loaded.length;
        out->content_type = "application/json";
    }
    snprintf(out->etag, sizeof out->etag, "%s", loaded.etag);
}

void sim_calls_answer(sim_context *sim, sim_kind kind, const sim_call *call, sim_answer *out)
{
    memset(out, 0, sizeof *out);
    switch (kind) {
    case SIM_KIND_HEARTBEAT:
        answer_heartbeat(sim, call, out);
        break;
    case SIM_KIND_CATALOG:
        answer_catalog(sim, call, out);
        break;
    case SIM_KIND_SUBMISSION:
    case SIM_KIND_RATING:
    case SIM_KIND_STAFF_CALL:
    case SIM_KIND_AUDIT:
    case SIM_KIND_CALL_ACK:
        answer_once(sim, kind, call, out);
        break;
    case SIM_KIND_CALLS:
        answer_calls(sim, out);
        break;
    case SIM_KIND_CREDENTIALS:
        answer_credentials(sim, call, out);
        break;
    case SIM_KIND_SUBMISSION_STATUS:
        answer_status(sim, call, out);
        break;
    case SIM_KIND_QUERY:
        answer_query(call, out);
        break;
    case SIM_KIND_EID:
        answer_eid(call, out);
        break;
    case SIM_KIND_APPOINTMENT:
        sim_appointments_answer(sim, call, out);
        break;
    case SIM_KIND_DOCUMENTS:
        sim_documents_list(sim, call, out);
        break;
    case SIM_KIND_DOCUMENT:
        sim_documents_fetch(sim, call, out);
        break;
    case SIM_KIND_ENROL:
        sim_enrol_answer(call, out);
        break;
    case SIM_KIND_LOGS:
        sim_logs_answer(sim, call, out);
        break;
    default:
        sim_answer_error(out, 404, "not-found", "no such call", 0);
        break;
    }
}
