/* What a citizen submits, kept and sent: the body (what they gave, who
 * they are, when by which clock), sealed in the outbox with its receipt
 * number and receipt in one transaction, under a key that makes a second
 * tap the same record; and the records that are nothing personal (a
 * rating, a staff call). What the citizen sees of it is the app's. */
#include "firmware/platform/store_use_internal.h"

#include "firmware/base/base64.h"
#include "firmware/base/log.h"
#include "firmware/base/wipe_alloc.h"
#include "offline-cache/audit.h"
#include "offline-cache/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

static void session_id(kiosk_platform *platform)
{
    if (platform->session_id[0])
        return;
    uint8_t random[8];
    if (getrandom(random, sizeof random, 0) != sizeof random) {
        uint64_t now = platform_mono(platform) ^ (uint64_t)getpid() << 32;
        memcpy(random, &now, sizeof random);
    }
    for (size_t i = 0; i < sizeof random; i++)
        snprintf(platform->session_id + 2 * i, 3, "%02x", random[i]);
}

void platform_session_end(kiosk_platform *platform)
{
    explicit_bzero(platform->session_id, sizeof platform->session_id);
    platform->last_call_key[0] = '\0';
    if (platform->sync)
        sync_await_call(platform->sync, NULL);
}

time_t platform_now(const kiosk_platform *platform, bool *from_platform)
{
    int64_t server_ms = 0;
    *from_platform = platform->sync && sync_server_now_ms(&platform->progress, &server_ms);
    return *from_platform ? (time_t)(server_ms / 1000) : platform_wall(platform);
}

static void wipe_strings(cJSON *item)
{
    for (; item; item = item->next) {
        if (cJSON_IsString(item) && item->valuestring)
            explicit_bzero(item->valuestring, strlen(item->valuestring));
        wipe_strings(item->child);
    }
}

/* cJSON_Delete does not wipe: what is personal is zeroed first. */
static void wipe_delete(cJSON *json)
{
    if (!json)
        return;
    wipe_strings(json->child);
    if (cJSON_IsString(json) && json->valuestring)
        explicit_bzero(json->valuestring, strlen(json->valuestring));
    cJSON_Delete(json);
}

/* Each signature into the payload's fields, under its field's id: what the
 * platform needs to see it (a PNG, and its size). False when out of
 * memory, or a signature is not a PNG. */
static bool add_signatures(cJSON *payload, const platform_submission *s)
{
    cJSON *fields = cJSON_GetObjectItemCaseSensitive(payload, "fields");
    static const uint8_t png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    for (size_t i = 0; i < s->signature_count; i++) {
        const platform_signature *signature = &s->signatures[i];
        if (cJSON_IsObject(fields) && signature->field && signature->confirmed_by_keypad) {
            /* No image pretends to be a signature: the platform is told how
             * the citizen confirmed. */
            cJSON *declaration = cJSON_CreateObject();
            bool ok = declaration &&
                      cJSON_AddStringToObject(declaration, "confirmed_by", "keypad") != NULL;
            if (ok) {
                cJSON_DeleteItemFromObjectCaseSensitive(fields, signature->field);
                ok = cJSON_AddItemToObject(fields, signature->field, declaration);
            }
            if (!ok) {
                cJSON_Delete(declaration);
                return false;
            }
            continue;
        }
        if (!cJSON_IsObject(fields) || !signature->field || !signature->png ||
            signature->png_length < sizeof png_magic ||
            memcmp(signature->png, png_magic, sizeof png_magic) != 0 || signature->width <= 0 ||
            signature->height <= 0)
            return false;
        char *text = base64_encode(signature->png, signature->png_length);
        cJSON *image = text ? cJSON_CreateObject() : NULL;
        bool ok = image && cJSON_AddStringToObject(image, "png", text) &&
                  cJSON_AddNumberToObject(image, "width", signature->width) &&
                  cJSON_AddNumberToObject(image, "height", signature->height);
        wipe_free(text);
        if (ok) {
            cJSON_DeleteItemFromObjectCaseSensitive(fields, signature->field);
            ok = cJSON_AddItemToObject(fields, signature->field, image);
        }
        if (!ok) {
            wipe_delete(image);
            return false;
        }
    }
    return true;
}

/* The submission's body once its number is known; takes *payload. */
static char *submission_body(kiosk_platform *platform, const platform_submission *s,
                             const char *reference, cJSON **payload_taken)
{
    bool from_platform = false;
    time_t now = platform_now(platform, &from_platform);
    struct tm utc;
    gmtime_r(&now, &utc);
    char created[32];
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &utc);
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "kind", "submission");
    cJSON_AddStringToObject(body, "service", s->service_id);
    cJSON_AddStringToObject(body, "local_reference", reference);
    cJSON_AddStringToObject(body, "created_at", created);
    /* Which clock said so: the terminal's own may be wrong. */
    cJSON_AddStringToObject(body, "created_by",
                            from_platform ? "platform-clock" : "terminal-clock");
    /* What the citizen gave: the form's fields, how each material comes,
     * and for a bundle the items it feeds. */
    cJSON *payload = *payload_taken;
    *payload_taken = NULL;
    if (!payload || !add_signatures(payload, s) ||
        !cJSON_AddItemToObject(body, "payload", payload)) {
        wipe_delete(payload);
        cJSON_Delete(body);
        return NULL;
    }
    if (s->id_number[0])
        cJSON_AddStringToObject(payload, "id_number", s->id_number);
    if (s->name)
        cJSON_AddStringToObject(payload, "name", s->name);
    cJSON_AddStringToObject(payload, "identified_by", s->identified_by);
    cJSON_AddStringToObject(payload, "language", s->language);
    if (s->assisted_by)
        cJSON_AddStringToObject(body, "assisted_by", s->assisted_by);
    char *text = cJSON_PrintUnformatted(body);
    wipe_delete(body);
    return text;
}

/* A staff member's id as the app passes it: short, and plain. */
static bool staff_id_valid(const char *id)
{
    size_t length = strlen(id);
    bool valid = length > 0 && length <= 32;
    for (const char *c = id; valid && *c; c++)
        valid = (*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
                *c == '-' || *c == '_';
    return valid;
}

/* The submission's audit row, in its transaction: who (the citizen, or the
 * staff member who did it with them), which service, the number, the
 * citizen's number masked. */
static kiosk_error audit_submission(kiosk_platform *platform, const platform_submission *s,
                                    const char *reference, const char *subject, kiosk_diag *diag)
{
    char actor[48] = "citizen", detail[CACHE_AUDIT_TEXT_MAX + 1];
    if (s->assisted_by)
        snprintf(actor, sizeof actor, "staff:%s", s->assisted_by);
    snprintf(detail, sizeof detail, "%.64s %.64s", s->service_id, reference);
    cache_audit_event event = {
        .actor = actor, .action = "service.submitted", .subject = subject, .detail = detail};
    return cache_audit_append(platform->store, &event, (int64_t)platform_wall(platform), NULL,
                              diag);
}

/* Keeps a submission: the next receipt number (into reference), the outbox
 * record, and the receipt index's entry, in one transaction: all three or
 * none. *id: the record's id. */
static kiosk_error keep(kiosk_platform *platform, const platform_submission *s, const char *key,
                        cJSON **payload, char *reference, size_t reference_size, int64_t *id,
                        kiosk_diag *diag)
{
    cache_store *store = platform->store;
    reference[0] = '\0';
    kiosk_error result = cache_begin(store);
    if (result != KIOSK_OK)
        return kiosk_diag_set(diag, result, "the store cannot begin a transaction");
    char mark[PLATFORM_PATH_MAX + 32];
    snprintf(mark, sizeof mark, "%s/receipt-number", platform->config.data_dir);
    int64_t number = 0;
    result = receipt_index_next_number(store, mark, &number, diag);
    if (result == KIOSK_OK)
        snprintf(reference, reference_size, "%.32s-%06lld", platform->config.terminal_id,
                 (long long)number);
    char *text = result == KIOSK_OK ? submission_body(platform, s, reference, payload) : NULL;
    if (result == KIOSK_OK && !text)
        result = kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "no memory for the submission");
    /* What staff see of it in the outbox, and what the audit trail keeps:
     * the number, the service, the citizen's number masked. */
    char subject[32] = "", service[CACHE_LABEL_MAX];
    snprintf(service, sizeof service, "%s", s->service_id); /* an id: ASCII */
    if (s->id_number[0])
        (void)log_mask_personal(s->id_number, subject, sizeof subject);
    if (result == KIOSK_OK) {
        cache_put put = {.kind = "submission",
                         .idempotency_key = key,
                         .payload = (const uint8_t *)text,
                         .payload_length = strlen(text),
                         .personal = true,
                         .reference = reference,
                         .service = service,
                         .subject = subject};
        result = cache_outbox_put(store, &put, (int64_t)platform_wall(platform) * 1000, id, diag);
    }
    if (result == KIOSK_OK)
        result = audit_submission(platform, s, reference, subject, diag);
    if (text) {
        explicit_bzero(text, strlen(text));
        free(text);
    }
    /* The citizen may ask about it here, even with the link down: the
     * receipt is part of what was kept, not an afterthought. */
    if (result == KIOSK_OK)
        result = receipt_index_issued(store, reference, s->service_id, *id,
                                      (int64_t)platform_wall(platform), diag);
    if (result == KIOSK_OK) {
        result = cache_commit(store);
        if (result != KIOSK_OK)
            kiosk_diag_set(diag, result, "%s: the submission could not be committed",
                           platform->config.data_dir);
    } else {
        cache_rollback(store);
    }
    if (result != KIOSK_OK)
        reference[0] = '\0';
    return result;
}

kiosk_error platform_submit(kiosk_platform *platform, const platform_submission *s)
{
    cJSON *payload = s->payload;
    kiosk_diag diag = {{0}};
    bool identified = s->id_number[0] || s->anonymous;
    kiosk_error result =
        !identified ? kiosk_diag_set(&diag, KIOSK_ERR_INVALID_ARGUMENT, "nobody is identified")
        : s->assisted_by && !staff_id_valid(s->assisted_by)
            ? kiosk_diag_set(&diag, KIOSK_ERR_INVALID_ARGUMENT, "assisted_by is not a staff id")
            : platform_store_open(platform, &diag);
    session_id(platform);
    char key[CACHE_KEY_MAX];
    if (result == KIOSK_OK && !cache_idempotency_key(platform->config.terminal_id,
                                                     platform->session_id, s->service_id, key))
        result = kiosk_diag_set(&diag, KIOSK_ERR_TOO_BIG, "the idempotency key does not fit");
    int64_t id = 0;
    char reference[64] = "";
    if (result == KIOSK_OK)
        result = keep(platform, s, key, &payload, reference, sizeof reference, &id, &diag);
    wipe_delete(payload); /* not taken into a body */
    if (result != KIOSK_OK) {
        const char *why = diag.message[0] ? diag.message : kiosk_error_name(result);
        LOG_ERROR(PLATFORM_LOG, "a %s submission could not be kept: %s", s->service_id, why);
        if (platform->store)
            platform_write_result(platform, &diag);
        platform_emit(platform, &(platform_event){.kind = PLATFORM_REFUSED, .why = why});
        return result;
    }
    platform_write_result(platform, NULL);
    LOG_INFO(PLATFORM_LOG, "%s submission kept as record %lld as %s", s->service_id, (long long)id,
             reference);
    if (platform->sync)
        sync_wake(platform->sync);
    platform_emit(platform,
                  &(platform_event){.kind = PLATFORM_KEPT, .id = id, .reference = reference});
    return KIOSK_OK;
}

kiosk_error platform_put(kiosk_platform *platform, const char *kind, const char *step,
                         const cJSON *body)
{
    kiosk_diag diag = {{0}};
    session_id(platform);
    char key[CACHE_KEY_MAX];
    char *text = cJSON_PrintUnformatted(body);
    kiosk_error result =
        !text ? KIOSK_ERR_NO_MEMORY
        : !cache_idempotency_key(platform->config.terminal_id, platform->session_id, step, key)
            ? KIOSK_ERR_TOO_BIG
            : platform_store_open(platform, &diag);
    int64_t id = 0;
    if (result == KIOSK_OK) {
        /* Nothing personal in these: a rating, a staff call. */
        cache_put put = {.kind = kind,
                         .idempotency_key = key,
                         .payload = (const uint8_t *)text,
                         .payload_length = strlen(text)};
        result = cache_outbox_put(platform->store, &put, (int64_t)platform_wall(platform) * 1000,
                                  &id, &diag);
    }
    free(text);
    if (result != KIOSK_OK) {
        LOG_ERROR(PLATFORM_LOG, "a %s record was not kept: %s", kind,
                  diag.message[0] ? diag.message : kiosk_error_name(result));
        if (platform->store)
            platform_write_result(platform, &diag);
        return result;
    }
    platform_write_result(platform, NULL);
    LOG_INFO(PLATFORM_LOG, "%s kept as record %lld", kind, (long long)id);
    if (platform->sync)
        sync_wake(platform->sync);
    return KIOSK_OK;
}

kiosk_error platform_call_staff(kiosk_platform *platform, const char *reason, const char *screen)
{
    char step[64];
    snprintf(step, sizeof step, "staff-%s-%lu", screen, ++platform->staff_calls);
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "reason", reason);
    cJSON_AddStringToObject(body, "screen", screen);
    kiosk_error kept = platform_put(platform, "staff-call", step, body);
    if (kept == KIOSK_OK) {
        LOG_WARN(PLATFORM_LOG, "staff called: %s on the %s screen", reason, screen);
        /* The heartbeat names it by this key once staff acknowledge it. */
        if (!cache_idempotency_key(platform->config.terminal_id, platform->session_id, step,
                                   platform->last_call_key))
            platform->last_call_key[0] = '\0';
        if (platform->sync)
            sync_await_call(platform->sync, platform->last_call_key);
    }
    cJSON_Delete(body);
    return kept;
}
