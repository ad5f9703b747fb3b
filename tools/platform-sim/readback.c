/* Submissions read back by tests. See readback.h. */
#include "readback.h"

#include "store.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct kept_submission {
    char tracking[SIM_TRACKING_MAX];
    char service[64];
    char language[16];
    char assisted_by[32]; /* "" when nobody helped */
} kept_submission;

/* A ring of the last submissions: one stand-in per process, and request
 * threads take turns under the lock. */
static kept_submission kept[SIM_READBACK_MAX];
static unsigned kept_next;
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

static void copy_string(char *out, size_t size, const cJSON *object, const char *name)
{
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(object, name);
    snprintf(out, size, "%s", cJSON_IsString(value) ? value->valuestring : "");
}

void sim_readback_keep(const char *tracking, const char *body, size_t length)
{
    cJSON *request = cJSON_ParseWithLength(body, length);
    if (!request)
        return; /* checked before: nothing to keep */
    kept_submission one;
    memset(&one, 0, sizeof one);
    snprintf(one.tracking, sizeof one.tracking, "%s", tracking);
    copy_string(one.service, sizeof one.service, request, "service");
    copy_string(one.language, sizeof one.language, request, "language");
    copy_string(one.assisted_by, sizeof one.assisted_by, request, "assisted_by");
    cJSON_Delete(request);
    pthread_mutex_lock(&kept_lock);
    kept[kept_next++ % SIM_READBACK_MAX] = one;
    pthread_mutex_unlock(&kept_lock);
}

static bool kept_find(const char *tracking, kept_submission *out)
{
    bool found = false;
    pthread_mutex_lock(&kept_lock);
    for (unsigned i = 0; i < SIM_READBACK_MAX && !found; i++) {
        if (kept[i].tracking[0] && strcmp(kept[i].tracking, tracking) == 0) {
            *out = kept[i];
            found = true;
        }
    }
    pthread_mutex_unlock(&kept_lock);
    return found;
}

void sim_readback_answer(sim_context *sim, const sim_call *call, sim_answer *out)
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
    if (known != KIOSK_OK) {
        sim_answer_error(out, 500, "internal", "the platform's state cannot be read", 0);
        return;
    }
    /* The store's record decides that it exists; what it carried is only
     * remembered for a first answer that was committed. */
    kept_submission one;
    bool remembered = kept_find(found.tracking_number, &one);
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddStringToObject(answer, "tracking_number", found.tracking_number);
    cJSON_AddStringToObject(answer, "status", found.status);
    cJSON_AddStringToObject(answer, "local_reference", found.local_reference);
    cJSON_AddBoolToObject(answer, "kept", remembered);
    if (remembered) {
        cJSON_AddStringToObject(answer, "service", one.service);
        cJSON_AddStringToObject(answer, "language", one.language);
        if (one.assisted_by[0])
            cJSON_AddStringToObject(answer, "assisted_by", one.assisted_by);
        else
            cJSON_AddNullToObject(answer, "assisted_by");
    }
    char *text = cJSON_PrintUnformatted(answer);
    cJSON_Delete(answer);
    if (!text)
        sim_answer_error(out, 500, "internal", "no memory for the answer", 0);
    else
        sim_answer_json(out, 200, text);
}
