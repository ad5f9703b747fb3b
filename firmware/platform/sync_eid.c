/* Who an e-ID code stands for (POST /v1/eid): the terminal cannot verify a
 * 网证 itself, so the platform does. The code and the answer are personal:
 * built, sent and wiped here, never logged. */
#include "firmware/platform/sync_internal.h"

#include "firmware/base/id_number.h"
#include "firmware/base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EID_ANSWER_MAX (8 * 1024)

void sync_eid_run(sync_client *client, const char *code, sync_eid_result *out)
{
    memset(out, 0, sizeof *out);
    out->outcome = SYNC_EID_NO_ANSWER;
    cJSON *request_body = cJSON_CreateObject();
    cJSON_AddStringToObject(request_body, "code", code);
    size_t text_size;
    char *text = sync_print_json(request_body, &text_size);
    sync_json_free(request_body);
    if (!text)
        return;
    sync_request request = {
        .path = "/v1/eid", .body = text, .length = strlen(text), .max_answer = EID_ANSWER_MAX};
    sync_answer a;
    long status;
    CURLcode result = sync_http_perform(client, &request, &a, &status);
    sync_wipe_free(text, text_size);
    sync_outcome link = SYNC_RETRY;
    if (result == CURLE_OK && (status == 404 || status == 410) && a.json) {
        out->outcome = SYNC_EID_REFUSED;
        out->expired = status == 410;
        link = SYNC_DELIVERED;
    } else if (result == CURLE_OK && status == 200 && a.json) {
        cJSON *parsed = sync_answer_json(&a);
        /* A name that can be shown, and an ID number that is one. */
        if (cJSON_IsObject(parsed) &&
            sync_copy_text(parsed, "name", out->name, sizeof out->name, true) && out->name[0] &&
            sync_copy_text(parsed, "id_number", out->id_number, sizeof out->id_number, true) &&
            id_number_check(out->id_number) == ID_NUMBER_OK) {
            out->outcome = SYNC_EID_FOUND;
            link = SYNC_DELIVERED;
        } else {
            explicit_bzero(out, sizeof *out);
            out->outcome = SYNC_EID_NO_ANSWER;
        }
        sync_json_free(parsed);
    } else if (result == CURLE_OK && (status == 401 || status == 403)) {
        link = SYNC_REFUSED;
    }
    sync_note_link(client, result, status, &a, link);
    sync_answer_free(&a);
    if (out->outcome == SYNC_EID_NO_ANSWER)
        LOG_WARN(SYNC_LOG, "e-ID: no answer (%s %ld)",
                 result == CURLE_OK ? "answer" : client->api->easy_strerror(result), status);
}

kiosk_error sync_eid(sync_client *client, const char *code)
{
    size_t length = code ? strlen(code) : 0;
    if (length == 0 || length >= sizeof client->eid_code)
        return KIOSK_ERR_INVALID_ARGUMENT;
    for (size_t i = 0; i < length; i++) {
        if ((unsigned char)code[i] < 0x20 || code[i] == 0x7f)
            return KIOSK_ERR_INVALID_ARGUMENT;
    }
    pthread_mutex_lock(&client->lock);
    bool busy = client->eid_code[0] != '\0';
    if (!busy) {
        snprintf(client->eid_code, sizeof client->eid_code, "%s", code);
        client->woken = true;
        pthread_cond_broadcast(&client->wake);
    }
    pthread_mutex_unlock(&client->lock);
    return busy ? KIOSK_ERR_BUSY : KIOSK_OK;
}

void sync_on_eid(sync_client *client,
                 void (*answered)(const sync_eid_result *result, void *context))
{
    client->eid_answered = answered;
}
