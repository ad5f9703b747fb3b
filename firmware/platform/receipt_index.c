/* Three kinds of settings keys: "receipt:<local>" holds the receipt (JSON),
 * "receipt-alias:<number>" leads from any other way of writing it (the
 * platform's number, either's digits) to the local one, and
 * "receipt-record:<outbox id>" from the outbox record to it until the
 * record is delivered. */
#include "firmware/platform/receipt_index.h"

#include "firmware/base/log.h"
#include "offline-cache/kv.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void digits_of(const char *number, char *out, size_t size)
{
    size_t n = 0;
    for (const char *c = number; *c && n + 1 < size; c++) {
        if (*c >= '0' && *c <= '9')
            out[n++] = *c;
    }
    out[n] = '\0';
}

static kiosk_error set_text(cache_store *store, const char *prefix, const char *name,
                            const char *value, int64_t now_s, kiosk_diag *diag)
{
    char key[160];
    snprintf(key, sizeof key, "%s%s", prefix, name);
    return cache_kv_set(store, key, value, strlen(value), now_s, diag);
}

static kiosk_error save(cache_store *store, const receipt_entry *entry, int64_t now_s,
                        kiosk_diag *diag)
{
    cJSON *json = cJSON_CreateObject();
    if (!json)
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "receipts: no memory");
    cJSON_AddStringToObject(json, "service", entry->service);
    cJSON_AddStringToObject(json, "tracking", entry->tracking);
    cJSON_AddNumberToObject(json, "issued_at", (double)entry->issued_at_s);
    cJSON_AddNumberToObject(json, "delivered_at", (double)entry->delivered_at_s);
    char *text = cJSON_PrintUnformatted(json);
    cJSON_Delete(json);
    if (!text)
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "receipts: no memory");
    kiosk_error result = set_text(store, "receipt:", entry->local, text, now_s, diag);
    free(text);
    return result;
}

static kiosk_error load(cache_store *store, const char *local, receipt_entry *out, kiosk_diag *diag)
{
    char key[160], *value = NULL;
    size_t length = 0;
    snprintf(key, sizeof key, "receipt:%s", local);
    kiosk_error result = cache_kv_get(store, key, &value, &length, diag);
    if (result != KIOSK_OK)
        return result;
    cJSON *json = cJSON_ParseWithLength(value, length);
    free(value);
    const cJSON *service = cJSON_GetObjectItemCaseSensitive(json, "service");
    const cJSON *tracking = cJSON_GetObjectItemCaseSensitive(json, "tracking");
    const cJSON *issued = cJSON_GetObjectItemCaseSensitive(json, "issued_at");
    const cJSON *delivered = cJSON_GetObjectItemCaseSensitive(json, "delivered_at");
    if (!cJSON_IsString(service) || !cJSON_IsString(tracking) || !cJSON_IsNumber(issued) ||
        !cJSON_IsNumber(delivered)) {
        cJSON_Delete(json);
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "receipts: %s is damaged", key);
    }
    snprintf(out->local, sizeof out->local, "%s", local);
    snprintf(out->service, sizeof out->service, "%s", service->valuestring);
    snprintf(out->tracking, sizeof out->tracking, "%s", tracking->valuestring);
    out->issued_at_s = (int64_t)issued->valuedouble;
    out->delivered_at_s = (int64_t)delivered->valuedouble;
    out->delivered = out->tracking[0] != '\0';
    cJSON_Delete(json);
    return KIOSK_OK;
}

/* The mark: the last number handed out, as decimal text. No file is 0. */
static kiosk_error read_mark(const char *path, int64_t *mark, kiosk_diag *diag)
{
    *mark = 0;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return KIOSK_OK;
    if (fd < 0)
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: %s", path, strerror(errno));
    char text[32];
    ssize_t got = read(fd, text, sizeof text - 1);
    int saved = errno;
    close(fd);
    if (got < 0)
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: %s", path, strerror(saved));
    text[got] = '\0';
    char *end = NULL;
    errno = 0;
    long long value = strtoll(text, &end, 10);
    if (errno != 0 || end == text || (*end != '\n' && *end != '\0') || value < 0)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: not a receipt number", path);
    *mark = value;
    return KIOSK_OK;
}

/* Written beside, synced, then renamed over the old and the folder synced:
 * after a power cut the mark is the old number or the new, never torn. */
static kiosk_error write_mark(const char *path, int64_t mark, kiosk_diag *diag)
{
    char temporary[600], text[32];
    int n = snprintf(temporary, sizeof temporary, "%s.new", path);
    if (n < 0 || (size_t)n >= sizeof temporary)
        return kiosk_diag_set(diag, KIOSK_ERR_TOO_BIG, "%s: the name is too long", path);
    int length = snprintf(text, sizeof text, "%lld\n", (long long)mark);
    int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: %s", temporary, strerror(errno));
    bool written = write(fd, text, (size_t)length) == length && fsync(fd) == 0;
    int saved = errno;
    close(fd);
    if (!written || rename(temporary, path) != 0) {
        saved = written ? errno : saved;
        unlink(temporary);
        return kiosk_diag_set(diag, saved == ENOSPC ? KIOSK_ERR_NO_SPACE : KIOSK_ERR_IO, "%s: %s",
                              path, strerror(saved));
    }
    char folder[600];
    snprintf(folder, sizeof folder, "%s", path);
    char *slash = strrchr(folder, '/');
    if (slash)
        *(slash == folder ? slash + 1 : slash) = '\0';
    int dir = open(slash ? folder : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        if (fsync(dir) != 0)
            LOG_WARN("receipts", "%s: the folder not synced: %s", folder, strerror(errno));
        close(dir);
    }
    return KIOSK_OK;
}

kiosk_error receipt_index_next_number(cache_store *store, const char *mark_path, int64_t *number,
                                      kiosk_diag *diag)
{
    int64_t mark = 0, counted = 0;
    kiosk_error result = read_mark(mark_path, &mark, diag);
    if (result == KIOSK_OK)
        result = cache_counter_add(store, "receipt-number", 1, &counted, diag);
    /* A store that lost its counter (moved aside, emptied) catches up with
     * the mark. */
    if (result == KIOSK_OK && counted <= mark)
        result = cache_counter_add(store, "receipt-number", mark + 1 - counted, &counted, diag);
    if (result == KIOSK_OK)
        result = write_mark(mark_path, counted, diag);
    if (result == KIOSK_OK)
        *number = counted;
    return result;
}

kiosk_error receipt_index_issued(cache_store *store, const char *local, const char *service,
                                 int64_t record_id, int64_t now_s, kiosk_diag *diag)
{
    receipt_entry entry = {.issued_at_s = now_s};
    snprintf(entry.local, sizeof entry.local, "%s", local);
    snprintf(entry.service, sizeof entry.service, "%s", service);
    char record[32], digits[RECEIPT_NUMBER_MAX];
    snprintf(record, sizeof record, "%lld", (long long)record_id);
    digits_of(local, digits, sizeof digits);
    kiosk_error result = save(store, &entry, now_s, diag);
    if (result == KIOSK_OK)
        result = set_text(store, "receipt-record:", record, local, now_s, diag);
    if (result == KIOSK_OK && digits[0])
        result = set_text(store, "receipt-alias:", digits, local, now_s, diag);
    return result;
}

kiosk_error receipt_index_delivered(cache_store *store, int64_t record_id, const char *tracking,
                                    int64_t now_s, kiosk_diag *diag)
{
    char key[48], *local = NULL;
    size_t length = 0;
    snprintf(key, sizeof key, "receipt-record:%lld", (long long)record_id);
    kiosk_diag quiet = {{0}};
    if (cache_kv_get(store, key, &local, &length, &quiet) != KIOSK_OK)
        return KIOSK_OK; /* not a receipt's record */
    receipt_entry entry;
    kiosk_error result = load(store, local, &entry, diag);
    if (result == KIOSK_OK && tracking[0]) {
        snprintf(entry.tracking, sizeof entry.tracking, "%s", tracking);
        entry.delivered_at_s = now_s;
        char digits[RECEIPT_NUMBER_MAX];
        digits_of(tracking, digits, sizeof digits);
        result = save(store, &entry, now_s, diag);
        if (result == KIOSK_OK)
            result = set_text(store, "receipt-alias:", tracking, local, now_s, diag);
        if (result == KIOSK_OK && digits[0])
            result = set_text(store, "receipt-alias:", digits, local, now_s, diag);
    }
    if (result == KIOSK_OK)
        result = cache_kv_delete(store, key, diag);
    free(local);
    return result;
}

kiosk_error receipt_index_find(cache_store *store, const char *number, receipt_entry *out,
                               kiosk_diag *diag)
{
    memset(out, 0, sizeof *out);
    kiosk_diag quiet = {{0}};
    kiosk_error result = load(store, number, out, &quiet);
    if (result == KIOSK_ERR_NOT_FOUND) {
        char key[160], *local = NULL;
        size_t length = 0;
        snprintf(key, sizeof key, "receipt-alias:%s", number);
        result = cache_kv_get(store, key, &local, &length, &quiet);
        if (result == KIOSK_OK)
            result = load(store, local, out, &quiet);
        free(local);
    }
    if (result != KIOSK_OK)
        return kiosk_diag_set(diag, result, "%s", quiet.message);
    snprintf(out->number, sizeof out->number, "%s", number);
    return KIOSK_OK;
}

kiosk_error receipt_index_purge(cache_store *store, int64_t before_s, kiosk_diag *diag)
{
    static const char *const prefixes[] = {"receipt:", "receipt-alias:", "receipt-record:"};
    int64_t total = 0;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        int64_t deleted = 0;
        kiosk_error result = cache_kv_purge(store, prefixes[i], before_s, &deleted, diag);
        if (result != KIOSK_OK)
            return result;
        total += deleted;
    }
    if (total)
        LOG_INFO("receipts", "%lld entries older than %d days forgotten", (long long)total,
                 RECEIPT_INDEX_DAYS);
    return KIOSK_OK;
}
