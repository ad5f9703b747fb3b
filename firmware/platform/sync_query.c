/* A citizen's own data from the platform (POST /v1/queries): a service
 * that answers a question rather than taking an application. The body
 * carries the ID number: sync_ask.c sends and wipes it, and never logs it;
 * here are the request and what its answer must say. */
#include "firmware/platform/sync_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUERY_ANSWER_MAX (32 * 1024)

static bool valid(const sync_question *question)
{
    const typeof(question->query) *q = &question->query;
    return memchr(q->service, '\0', sizeof q->service) && q->service[0] &&
           memchr(q->id_number, '\0', sizeof q->id_number) &&
           memchr(q->language, '\0', sizeof q->language);
}

static void unanswered(const sync_question *question, sync_reply *out)
{
    snprintf(out->query.service, sizeof out->query.service, "%s", question->query.service);
    out->query.outcome = SYNC_QUERY_NO_ANSWER;
}

static bool request(const sync_question *question, char *path, size_t path_size, cJSON **body)
{
    snprintf(path, path_size, "/v1/queries");
    *body = cJSON_CreateObject();
    cJSON_AddStringToObject(*body, "service", question->query.service);
    cJSON_AddStringToObject(*body, "id_number", question->query.id_number);
    cJSON_AddStringToObject(*body, "language", question->query.language);
    return *body != NULL;
}

/* The answer must be about the service asked, dated, with at most
 * SYNC_QUERY_LINES_MAX label-value lines; anything else is no answer. */
static bool read_answer(const sync_question *question, long status, const sync_answer *a,
                        sync_reply *reply)
{
    sync_query_result *out = &reply->query;
    if (status == 404 && a->json) {
        out->outcome = SYNC_QUERY_NOT_FOUND;
        return true;
    }
    if (status != 200 || !a->json)
        return false;
    cJSON *parsed = sync_answer_json(a);
    const cJSON *lines = cJSON_GetObjectItemCaseSensitive(parsed, "lines");
    bool ok = cJSON_IsObject(parsed) &&
              sync_copy_text(parsed, "service", out->service, sizeof out->service, true) &&
              strcmp(out->service, question->query.service) == 0 &&
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
    if (ok)
        out->outcome = SYNC_QUERY_FOUND;
    return ok;
}

static void describe(const sync_question *question, char *out, size_t size)
{
    snprintf(out, size, "%s query", question->query.service);
}

const sync_ask_kind_ops sync_ask_query_ops = {.max_answer = QUERY_ANSWER_MAX,
                                              .valid = valid,
                                              .unanswered = unanswered,
                                              .request = request,
                                              .read = read_answer,
                                              .describe = describe};
