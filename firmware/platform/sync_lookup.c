/* A submission's status, asked of the platform for a citizen who scanned or
 * typed their tracking number (GET /v1/submissions/<tracking number>). */
#include "firmware/platform/sync_internal.h"

#include "firmware/base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOOKUP_ANSWER_MAX (16 * 1024)

/* A platform string kept as it came, for comparing (not shown as such). */
static bool copy_field(const cJSON *object, const char *name, char *out, size_t size, bool required)
{
    const cJSON *field = cJSON_GetObjectItemCaseSensitive(object, name);
    if (!cJSON_IsString(field))
        return !required && !field;
    if (strlen(field->valuestring) >= size)
        return false;
    snprintf(out, size, "%s", field->valuestring);
    return true;
}

static void digits_of(const char *number, char *out, size_t size)
{
    size_t n = 0;
    for (const char *c = number; *c && n + 1 < size; c++) {
        if (*c >= '0' && *c <= '9')
            out[n++] = *c;
    }
    out[n] = '\0';
}

/* Whether an answer naming number (and the terminal's local reference for
 * it) is about what was asked: the number itself, the terminal's own, or
 * either one's digits as typed on a keypad. Anything else is another
 * application's answer, never shown. */
static bool answers(const char *asked, const char *number, const char *local)
{
    char digits[SYNC_TRACKING_MAX];
    if (strcmp(asked, number) == 0 || (local[0] && strcmp(asked, local) == 0))
        return true;
    digits_of(number, digits, sizeof digits);
    if (strcmp(asked, digits) == 0)
        return true;
    digits_of(local, digits, sizeof digits);
    return digits[0] && strcmp(asked, digits) == 0;
}

void sync_lookup_run(sync_client *client, const char *tracking, sync_lookup_result *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->tracking, sizeof out->tracking, "%s", tracking);
    out->outcome = SYNC_LOOKUP_NO_ANSWER;
    char path[96];
    snprintf(path, sizeof path, "/v1/submissions/%s", tracking);
    sync_request request = {.path = path, .max_answer = LOOKUP_ANSWER_MAX};
    sync_answer a;
    long status;
    CURLcode code = sync_http_perform(client, &request, &a, &status);
    sync_outcome link = SYNC_RETRY;
    if (code == CURLE_OK && status == 404 && a.json) {
        out->outcome = SYNC_LOOKUP_NOT_FOUND;
        link = SYNC_DELIVERED;
    } else if (code == CURLE_OK && status == 200 && a.json) {
        cJSON *parsed = sync_answer_json(&a);
        char number[SYNC_TRACKING_MAX] = "", local[SYNC_TRACKING_MAX] = "";
        /* The answer must be about the number asked, with a status; what is
         * shown is made safe to show, and a number that is not one by the
         * grammar is no answer. */
        if (cJSON_IsObject(parsed) &&
            copy_field(parsed, "tracking_number", number, sizeof number, true) &&
            sync_tracking_valid(number) &&
            copy_field(parsed, "local_reference", local, sizeof local, false) &&
            answers(tracking, number, local) &&
            sync_copy_text(parsed, "status", out->status, sizeof out->status, true) &&
            out->status[0] &&
            sync_copy_text(parsed, "updated_at", out->updated_at, sizeof out->updated_at, false) &&
            sync_copy_text(parsed, "note", out->note, sizeof out->note, false)) {
            out->outcome = SYNC_LOOKUP_FOUND;
            /* The platform's own number, whichever was asked. */
            snprintf(out->tracking, sizeof out->tracking, "%s", number);
            link = SYNC_DELIVERED;
        } else {
            explicit_bzero(out, sizeof *out);
            snprintf(out->tracking, sizeof out->tracking, "%s", tracking);
            out->outcome = SYNC_LOOKUP_NO_ANSWER;
            LOG_WARN(SYNC_LOG, "status lookup: an answer that is not one (not about the number "
                               "asked, or text that cannot be shown)");
        }
        sync_json_free(parsed);
    } else if (code == CURLE_OK && (status == 401 || status == 403)) {
        link = SYNC_REFUSED;
    }
    sync_note_link(client, code, status, &a, link);
    sync_answer_free(&a);
    if (out->outcome == SYNC_LOOKUP_NO_ANSWER)
        LOG_WARN(SYNC_LOG, "status lookup: no answer (%s %ld)",
                 code == CURLE_OK ? "answer" : client->api->easy_strerror(code), status);
}

kiosk_error sync_lookup(sync_client *client, const char *tracking)
{
    if (!sync_tracking_valid(tracking))
        return KIOSK_ERR_INVALID_ARGUMENT;
    pthread_mutex_lock(&client->lock);
    bool busy = client->lookup[0] != '\0';
    if (!busy) {
        snprintf(client->lookup, sizeof client->lookup, "%s", tracking);
        client->woken = true;
        pthread_cond_broadcast(&client->wake);
    }
    pthread_mutex_unlock(&client->lock);
    return busy ? KIOSK_ERR_BUSY : KIOSK_OK;
}

void sync_on_lookup(sync_client *client,
                    void (*answered)(const sync_lookup_result *result, void *context))
{
    client->looked_up = answered;
}
