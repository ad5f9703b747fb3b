/* A terminal's recent log at the stand-in. See logs.h. */
#include "logs.h"

#include "peer.h"
#include "store.h"

#include "firmware/base/log.h"
#include "firmware/base/untrusted_text.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The uploads kept for reading back, oldest first. */
typedef struct upload {
    char terminal[SIM_TERMINAL_MAX];
    char key[SIM_KEY_MAX + 1];
    char received_at[32];
    char *body; /* the upload as sent (checked JSON) */
} upload;

static struct {
    pthread_mutex_t lock;
    upload kept[SIM_LOGS_KEPT];
    size_t count;
} uploads = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void keep(const char *terminal, const char *key, const char *at, const char *body,
                 size_t length)
{
    char *copy = malloc(length + 1);
    if (!copy)
        return;
    memcpy(copy, body, length);
    copy[length] = '\0';
    pthread_mutex_lock(&uploads.lock);
    if (uploads.count == SIM_LOGS_KEPT) {
        free(uploads.kept[0].body);
        memmove(&uploads.kept[0], &uploads.kept[1], (SIM_LOGS_KEPT - 1) * sizeof uploads.kept[0]);
        uploads.count--;
    }
    upload *u = &uploads.kept[uploads.count++];
    snprintf(u->terminal, sizeof u->terminal, "%s", terminal);
    snprintf(u->key, sizeof u->key, "%s", key);
    snprintf(u->received_at, sizeof u->received_at, "%s", at);
    u->body = copy;
    pthread_mutex_unlock(&uploads.lock);
}

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

static bool text_field(const cJSON *json, const char *name, size_t max)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(json, name);
    return cJSON_IsString(item) && strlen(item->valuestring) <= max &&
           untrusted_utf8_valid(item->valuestring, strlen(item->valuestring));
}

static bool whole(const cJSON *item, double max)
{
    return cJSON_IsNumber(item) && item->valuedouble >= 0 && item->valuedouble <= max &&
           item->valuedouble == (double)(long long)item->valuedouble;
}

/* What is wrong with one line ("" when nothing). */
static void line_problem(const char *line, size_t index, char *why, size_t size)
{
    size_t length = strlen(line);
    char masked[SIM_LOGS_LINE_MAX + 1];
    if (length > SIM_LOGS_LINE_MAX)
        snprintf(why, size, "line %zu is over %d bytes", index + 1, SIM_LOGS_LINE_MAX);
    else if (!untrusted_utf8_valid(line, length))
        snprintf(why, size, "line %zu is not UTF-8", index + 1);
    else if (strcspn(line,
                     "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10"
                     "\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f") != length)
        snprintf(why, size, "line %zu holds a control character", index + 1);
    else if (log_mask_personal(line, masked, sizeof masked) > 0)
        /* The platform keeps no personal number a terminal failed to mask. */
        snprintf(why, size, "line %zu holds an unmasked ID or mobile number", index + 1);
    else
        why[0] = '\0';
}

/* The body's shape; false with out answered 400. */
static bool body_valid(const sim_call *call, sim_answer *out, long *line_count)
{
    cJSON *json = cJSON_ParseWithLength(call->body, call->length);
    const cJSON *lines = cJSON_GetObjectItemCaseSensitive(json, "lines");
    const cJSON *count = cJSON_GetObjectItemCaseSensitive(json, "line_count");
    const cJSON *terminal = cJSON_GetObjectItemCaseSensitive(json, "terminal");
    char why[160] = "";
    if (!cJSON_IsObject(json) || !text_field(json, "terminal", SIM_TERMINAL_MAX) ||
        !text_field(json, "board", 128) || !text_field(json, "firmware", 64) ||
        !text_field(json, "sent_at", 32) || !text_field(json, "by", 128) || !cJSON_IsArray(lines) ||
        !whole(count, SIM_LOGS_LINES_MAX) ||
        !whole(cJSON_GetObjectItemCaseSensitive(json, "dropped"), 1e9))
        snprintf(why, sizeof why,
                 "terminal, board, firmware, sent_at and by (strings), line_count and dropped "
                 "(whole numbers) and lines (an array of strings)");
    else if (strcmp(terminal->valuestring, call->terminal_id) != 0)
        snprintf(why, sizeof why, "terminal is not the caller's (%s)", call->terminal_id);
    else if (cJSON_GetArraySize(lines) != (int)count->valuedouble)
        snprintf(why, sizeof why, "line_count is %d; lines has %d", (int)count->valuedouble,
                 cJSON_GetArraySize(lines));
    size_t index = 0;
    for (const cJSON *line = lines ? lines->child : NULL; !why[0] && line; line = line->next) {
        if (!cJSON_IsString(line))
            snprintf(why, sizeof why, "line %zu is not a string", index + 1);
        else
            line_problem(line->valuestring, index, why, sizeof why);
        index++;
    }
    if (!why[0])
        *line_count = (long)count->valuedouble;
    cJSON_Delete(json);
    if (why[0]) {
        LOG_WARN(SIM_MODULE, "%s: a log refused: %s", call->terminal_id, why);
        sim_answer_error(out, 400, "bad-request", why, 0);
        return false;
    }
    return true;
}

typedef struct first {
    const sim_call *call;
    long lines;
} first;

static kiosk_error first_answer(sim_store *store, void *context, unsigned *status, char **body)
{
    (void)store;
    const first *f = context;
    char now[32];
    sim_time_now(now);
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddStringToObject(answer, "received_at", now);
    cJSON_AddNumberToObject(answer, "lines", (double)f->lines);
    *body = cJSON_PrintUnformatted(answer);
    cJSON_Delete(answer);
    if (!*body)
        return KIOSK_ERR_NO_MEMORY;
    *status = 201;
    keep(f->call->terminal_id, f->call->idempotency_key, now, f->call->body, f->call->length);
    return KIOSK_OK;
}

void sim_logs_answer(sim_context *sim, const sim_call *call, sim_answer *out)
{
    if (!key_valid(call->idempotency_key)) {
        sim_answer_error(out, 400, "bad-request",
                         "Idempotency-Key is missing, over 95 bytes, or not printable ASCII", 0);
        return;
    }
    if (call->length > SIM_LOGS_BODY_MAX) {
        sim_answer_error(out, 413, "too-large", "a log is at most 256 KiB", 0);
        return;
    }
    long lines = 0;
    if (!body_valid(call, out, &lines))
        return;
    uint8_t digest[SIM_DIGEST_BYTES];
    if (!sim_sha256(call->body, call->length, digest)) {
        sim_answer_error(out, 500, "internal", "cannot hash the body", 0);
        return;
    }
    first context = {.call = call, .lines = lines};
    sim_once once = SIM_ONCE_FIRST;
    unsigned status = 0;
    char *body = NULL;
    if (sim_store_once(sim->store, call->terminal_id, sim_kind_name(SIM_KIND_LOGS),
                       call->idempotency_key, digest, first_answer, &context, &once, &status,
                       &body) != KIOSK_OK) {
        sim_answer_error(out, 500, "internal", "the platform's state cannot be written", 0);
        return;
    }
    pthread_mutex_lock(&sim->lock);
    if (once == SIM_ONCE_CONFLICT)
        sim->stats.conflicts[SIM_KIND_LOGS]++;
    else if (once == SIM_ONCE_REPLAY)
        sim->stats.duplicates[SIM_KIND_LOGS]++;
    pthread_mutex_unlock(&sim->lock);
    if (once == SIM_ONCE_CONFLICT) {
        free(body);
        LOG_WARN(SIM_MODULE, "%s %s: another log under this key: 409", call->terminal_id,
                 call->idempotency_key);
        sim_answer_error(out, 409, "idempotency-conflict",
                         "another log is already stored under this Idempotency-Key", 0);
        return;
    }
    LOG_INFO(SIM_MODULE, "%s: a log of %ld lines%s", call->terminal_id, lines,
             once == SIM_ONCE_REPLAY ? ", again (replayed)" : "");
    sim_answer_json(out, status, body);
    out->replay = once == SIM_ONCE_REPLAY;
}

void sim_logs_control(const sim_call *call, sim_answer *out)
{
    cJSON *json = cJSON_ParseWithLength(call->body, call->length);
    const cJSON *terminal = cJSON_GetObjectItemCaseSensitive(json, "terminal");
    if (strcmp(call->method, "POST") != 0 || !cJSON_IsString(terminal)) {
        cJSON_Delete(json);
        sim_answer_error(out, 400, "bad-request", "POST {\"terminal\": its certificate's CN}", 0);
        return;
    }
    cJSON *answer = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(answer, "uploads");
    int count = 0;
    pthread_mutex_lock(&uploads.lock);
    for (size_t i = 0; i < uploads.count; i++) {
        const upload *u = &uploads.kept[i];
        if (strcmp(u->terminal, terminal->valuestring) != 0)
            continue;
        cJSON *one = cJSON_Parse(u->body);
        if (!one)
            continue;
        cJSON_AddStringToObject(one, "key", u->key);
        cJSON_AddStringToObject(one, "received_at", u->received_at);
        cJSON_AddItemToArray(list, one);
        count++;
    }
    pthread_mutex_unlock(&uploads.lock);
    cJSON_Delete(json);
    cJSON_AddNumberToObject(answer, "count", count);
    char *text = cJSON_PrintUnformatted(answer);
    cJSON_Delete(answer);
    if (!text)
        sim_answer_error(out, 500, "internal", "no memory for the answer", 0);
    else
        sim_answer_json(out, 200, text);
}
