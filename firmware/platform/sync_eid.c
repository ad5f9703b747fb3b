/* Who an e-ID code stands for (POST /v1/eid): the terminal cannot verify a
 * 网证 itself, so the platform does. The code and the answer are personal:
 * sync_ask.c sends and wipes them, and never logs them; here are the
 * request and what its answer must say. */
#include "firmware/platform/sync_internal.h"

#include "firmware/base/id_number.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EID_ANSWER_MAX (8 * 1024)

static bool valid(const sync_question *question)
{
    const char *code = question->eid.code;
    const char *end = memchr(code, '\0', sizeof question->eid.code);
    if (!end || end == code)
        return false;
    for (const char *c = code; c < end; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return false;
    }
    return true;
}

static void unanswered(const sync_question *question, sync_reply *out)
{
    (void)question;
    out->eid.outcome = SYNC_EID_NO_ANSWER;
}

static bool request(const sync_question *question, char *path, size_t path_size, cJSON **body)
{
    snprintf(path, path_size, "/v1/eid");
    *body = cJSON_CreateObject();
    cJSON_AddStringToObject(*body, "code", question->eid.code);
    return *body != NULL;
}

static bool read_answer(const sync_question *question, long status, const sync_answer *a,
                        sync_reply *reply)
{
    (void)question;
    sync_eid_result *out = &reply->eid;
    if ((status == 404 || status == 410) && a->json) {
        out->outcome = SYNC_EID_REFUSED;
        out->expired = status == 410;
        return true;
    }
    if (status != 200 || !a->json)
        return false;
    cJSON *parsed = sync_answer_json(a);
    /* A name that can be shown, and an ID number that is one. */
    bool found = cJSON_IsObject(parsed) &&
                 sync_copy_text(parsed, "name", out->name, sizeof out->name, true) &&
                 out->name[0] &&
                 sync_copy_text(parsed, "id_number", out->id_number, sizeof out->id_number, true) &&
                 id_number_check(out->id_number) == ID_NUMBER_OK;
    sync_json_free(parsed);
    if (found)
        out->outcome = SYNC_EID_FOUND;
    return found;
}

static void describe(const sync_question *question, char *out, size_t size)
{
    (void)question;
    snprintf(out, size, "e-ID");
}

const sync_ask_kind_ops sync_ask_eid_ops = {.max_answer = EID_ANSWER_MAX,
                                            .valid = valid,
                                            .unanswered = unanswered,
                                            .request = request,
                                            .read = read_answer,
                                            .describe = describe};
