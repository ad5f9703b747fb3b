/* A submission's status, asked of the platform for a citizen who scanned or
 * typed their tracking number (GET /v1/submissions/<tracking number>): the
 * request and what its answer must say (sync_ask.c asks it). */
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

static bool valid(const sync_question *question)
{
    const char *tracking = question->lookup.tracking;
    return memchr(tracking, '\0', sizeof question->lookup.tracking) &&
           sync_tracking_valid(tracking);
}

static void unanswered(const sync_question *question, sync_reply *out)
{
    snprintf(out->lookup.tracking, sizeof out->lookup.tracking, "%s", question->lookup.tracking);
    out->lookup.outcome = SYNC_LOOKUP_NO_ANSWER;
}

static bool request(const sync_question *question, char *path, size_t path_size, cJSON **body)
{
    snprintf(path, path_size, "/v1/submissions/%s", question->lookup.tracking);
    *body = NULL;
    return true;
}

static bool read_answer(const sync_question *question, long status, const sync_answer *a,
                        sync_reply *reply)
{
    sync_lookup_result *out = &reply->lookup;
    if (status == 404 && a->json) {
        out->outcome = SYNC_LOOKUP_NOT_FOUND;
        return true;
    }
    if (status != 200 || !a->json)
        return false;
    cJSON *parsed = sync_answer_json(a);
    char number[SYNC_TRACKING_MAX] = "", local[SYNC_TRACKING_MAX] = "";
    /* The answer must be about the number asked, with a status; what is
     * shown is made safe to show, and a number that is not one by the
     * grammar is no answer. */
    bool found =
        cJSON_IsObject(parsed) &&
        copy_field(parsed, "tracking_number", number, sizeof number, true) &&
        sync_tracking_valid(number) &&
        copy_field(parsed, "local_reference", local, sizeof local, false) &&
        answers(question->lookup.tracking, number, local) &&
        sync_copy_text(parsed, "status", out->status, sizeof out->status, true) && out->status[0] &&
        sync_copy_text(parsed, "updated_at", out->updated_at, sizeof out->updated_at, false) &&
        sync_copy_text(parsed, "note", out->note, sizeof out->note, false);
    sync_json_free(parsed);
    if (!found) {
        LOG_WARN(SYNC_LOG, "status lookup: an answer that is not one (not about the number "
                           "asked, or text that cannot be shown)");
        return false;
    }
    out->outcome = SYNC_LOOKUP_FOUND;
    /* The platform's own number, whichever was asked. */
    snprintf(out->tracking, sizeof out->tracking, "%s", number);
    return true;
}

static void describe(const sync_question *question, char *out, size_t size)
{
    (void)question;
    snprintf(out, size, "status lookup");
}

const sync_ask_kind_ops sync_ask_lookup_ops = {.max_answer = LOOKUP_ANSWER_MAX,
                                               .valid = valid,
                                               .unanswered = unanswered,
                                               .request = request,
                                               .read = read_answer,
                                               .describe = describe};
