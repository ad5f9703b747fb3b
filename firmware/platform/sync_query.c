/* A citizen's own data from the platform (POST /v1/queries): a service
 * that answers a question rather than taking an application. The body
 * carries the ID number, so it is built, sent and wiped here and never
 * logged. */
#include "firmware/platform/sync_internal.h"

#include "firmware/base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUERY_ANSWER_MAX (32 * 1024)

/* The answer must be about the service asked, dated, with at most
 * SYNC_QUERY_LINES_MAX label-value lines; anything else is no answer. */
static bool parse_answer(const sync_answer *a, const char *service, sync_query_result *out)
{
    cJSON *parsed = sync_answer_json(a);
    const cJSON *lines = cJSON_GetObjectItemCaseSensitive(parsed, "lines");
    bool ok = cJSON_IsObject(parsed) &&
              sync_copy_text(parsed, "service", out->service, sizeof out->service, true) &&
              strcmp(out->service, service) == 0 &&
              sync_copy_text(parsed, "as_of", out->as_of, sizeof out->as_of, true) &&
              cJSON_IsArray(lines) && cJSON_GetArraySize(lines) <= SYNC_QUERY_LINES_MAX;
    const cJSON *line = NULL;
    out->line_count = 0;
    const cJSON *checked = ok ? lines : NULL;
    cJSON_ArrayForEach(line, checked)
    {
        ok = ok &&
             sync_copy_text(line, "label", out->labels[out->line_count], sizeof out->labels[0],
                            true) &&
             sync_copy_text(line, "value", out->values[out->line_count], sizeof out->values[0],
                            true);
        if (ok)
            out->line_count++;
    }
    sync_json_free(parsed);
    return ok;
}

void sync_query_run(sync_client *client, const char *service, const char *id_number,
                    const char *language, sync_query_result *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->service, sizeof out->service, "%s", service);
    out->outcome = SYNC_QUERY_NO_ANSWER;
    cJSON *request_body = cJSON_CreateObject();
    cJSON_AddStringToObject(request_body, "service", service);
    cJSON_AddStringToObject(request_body, "id_number", id_number);
    cJSON_AddStringToObject(request_body, "language", language);
    size_t text_size;
    char *text = sync_print_json(request_body, &text_size);
    sync_json_free(request_body);
    if (!text)
        return;
    sync_request request = {.path = "/v1/queries",
                            .body = text,
                            .length = strlen(text),
                            .max_answer = QUERY_ANSWER_MAX};
    sync_answer a;
    long status;
    CURLcode code = sync_http_perform(client, &request, &a, &status);
    sync_wipe_free(text, text_size);
    sync_outcome link = SYNC_RETRY;
    if (code == CURLE_OK && status == 404 && a.json) {
        out->outcome = SYNC_QUERY_NOT_FOUND;
        link = SYNC_DELIVERED;
    } else if (code == CURLE_OK && status == 200 && a.json) {
        if (parse_answer(&a, service, out)) {
            out->outcome = SYNC_QUERY_FOUND;
            link = SYNC_DELIVERED;
        } else {
            explicit_bzero(out, sizeof *out);
            snprintf(out->service, sizeof out->service, "%s", service);
            out->outcome = SYNC_QUERY_NO_ANSWER;
        }
    } else if (code == CURLE_OK && (status == 401 || status == 403)) {
        link = SYNC_REFUSED;
    }
    sync_note_link(client, code, status, &a, link);
    sync_answer_free(&a);
    if (out->outcome == SYNC_QUERY_NO_ANSWER)
        LOG_WARN(SYNC_LOG, "%s query: no answer (%s %ld)", service,
                 code == CURLE_OK ? "answer" : client->api->easy_strerror(code), status);
}

kiosk_error sync_query(sync_client *client, const char *service, const char *id_number,
                       const char *language)
{
    if (!service || !service[0] || strlen(service) >= sizeof client->query.service || !id_number ||
        strlen(id_number) >= sizeof client->query.id_number || !language ||
        strlen(language) >= sizeof client->query.language)
        return KIOSK_ERR_INVALID_ARGUMENT;
    pthread_mutex_lock(&client->lock);
    bool busy = client->query.service[0] != '\0';
    if (!busy) {
        snprintf(client->query.service, sizeof client->query.service, "%s", service);
        snprintf(client->query.id_number, sizeof client->query.id_number, "%s", id_number);
        snprintf(client->query.language, sizeof client->query.language, "%s", language);
        client->woken = true;
        pthread_cond_broadcast(&client->wake);
    }
    pthread_mutex_unlock(&client->lock);
    return busy ? KIOSK_ERR_BUSY : KIOSK_OK;
}

void sync_on_query(sync_client *client,
                   void (*answered)(const sync_query_result *result, void *context))
{
    client->queried = answered;
}
