/* A place in a counter's queue (预约取号), booked by the platform for a
 * citizen at the terminal (POST /v1/appointments): the request, and what
 * its answer must say before a ticket is printed with it (sync_ask.c asks
 * it). The queue is the platform's: without its answer there is no number,
 * and nothing here makes one up. */
#include "firmware/platform/sync_internal.h"

#include "firmware/base/local_time.h"
#include "firmware/base/log.h"
#include "firmware/base/untrusted_text.h"

#include <stdio.h>
#include <string.h>

#define APPOINTMENT_ANSWER_MAX (16 * 1024)
/* A slot is from now (less a little clock skew) to 30 days on, and no
 * longer than a working day. */
#define SLOT_SKEW_S   (15 * 60)
#define SLOT_AHEAD_S  (30 * 86400)
#define SLOT_LENGTH_S (8 * 3600)

static bool id_valid(const char *id)
{
    for (const char *c = id; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-'))
            return false;
    return id[0] != '\0';
}

static bool terminated(const char *field, size_t size)
{
    return memchr(field, '\0', size) != NULL;
}

static bool valid(const sync_question *question)
{
    const typeof(question->appointment) *q = &question->appointment;
    return terminated(q->service, sizeof q->service) && terminated(q->matter, sizeof q->matter) &&
           terminated(q->period, sizeof q->period) && (!q->period[0] || id_valid(q->period)) &&
           terminated(q->id_number, sizeof q->id_number) &&
           terminated(q->language, sizeof q->language) && id_valid(q->service) &&
           id_valid(q->matter) && q->id_number[0];
}

static void unanswered(const sync_question *question, sync_reply *out)
{
    snprintf(out->appointment.matter, sizeof out->appointment.matter, "%s",
             question->appointment.matter);
    out->appointment.outcome = SYNC_APPOINTMENT_NO_ANSWER;
}

static bool request(const sync_question *question, char *path, size_t path_size, cJSON **body)
{
    snprintf(path, path_size, "/v1/appointments");
    *body = cJSON_CreateObject();
    if (!*body)
        return false;
    cJSON_AddStringToObject(*body, "service", question->appointment.service);
    cJSON_AddStringToObject(*body, "matter", question->appointment.matter);
    if (question->appointment.period[0])
        cJSON_AddStringToObject(*body, "period", question->appointment.period);
    cJSON_AddStringToObject(*body, "id_number", question->appointment.id_number);
    cJSON_AddStringToObject(*body, "language", question->appointment.language);
    return true;
}

/* "A023": one to three capital letters, then one to four digits. What the
 * counter's caller says aloud and the ticket prints large: nothing else. */
bool sync_queue_number_valid(const char *number)
{
    size_t letters = 0, digits = 0;
    const char *c = number;
    while (*c >= 'A' && *c <= 'Z' && letters < 4) {
        c++;
        letters++;
    }
    while (*c >= '0' && *c <= '9' && digits < 5) {
        c++;
        digits++;
    }
    return *c == '\0' && letters >= 1 && letters <= 3 && digits >= 1 && digits <= 4;
}

/* A string shown as it came, or refused: text that needed cleaning (a
 * control, a bidirectional override) is not the platform speaking plainly. */
static bool plain_text(const cJSON *field, char *out, size_t size)
{
    if (!cJSON_IsString(field) || !field->valuestring[0] || strlen(field->valuestring) >= size)
        return false;
    snprintf(out, size, "%s", field->valuestring);
    size_t removed = 0;
    if (untrusted_text_clean(out, &removed) != KIOSK_OK || removed > 0) {
        explicit_bzero(out, size);
        return false;
    }
    return true;
}

/* The counter: {"zh-CN": …, "zh-TW": …, "en": …} (zh-CN required, the
 * others fall back to it), or a counter number, said in each language. */
static bool read_window(const cJSON *window, sync_appointment_result *out)
{
    if (cJSON_IsNumber(window)) {
        double n = window->valuedouble;
        if (n < 1 || n > 999 || n != (double)(int)n)
            return false;
        snprintf(out->window[LANG_ZH_CN], sizeof out->window[0], "%d号窗口", (int)n);
        snprintf(out->window[LANG_ZH_TW], sizeof out->window[0], "%d號窗口", (int)n);
        snprintf(out->window[LANG_EN], sizeof out->window[0], "Counter %d", (int)n);
        return true;
    }
    if (!cJSON_IsObject(window) || !plain_text(cJSON_GetObjectItemCaseSensitive(window, "zh-CN"),
                                               out->window[LANG_ZH_CN], sizeof out->window[0]))
        return false;
    for (int l = LANG_ZH_CN + 1; l < LANG_COUNT; l++) {
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(window, lang_code((lang)l));
        if (!text)
            snprintf(out->window[l], sizeof out->window[l], "%s", out->window[LANG_ZH_CN]);
        else if (!plain_text(text, out->window[l], sizeof out->window[l]))
            return false;
    }
    return true;
}

static bool read_slot(const cJSON *answer, int64_t now, sync_appointment_result *out)
{
    const cJSON *start = cJSON_GetObjectItemCaseSensitive(answer, "slot_start");
    const cJSON *end = cJSON_GetObjectItemCaseSensitive(answer, "slot_end");
    if (!cJSON_IsString(start) || !cJSON_IsString(end) ||
        local_time_parse_utc(start->valuestring, &out->slot_start) != KIOSK_OK ||
        local_time_parse_utc(end->valuestring, &out->slot_end) != KIOSK_OK)
        return false;
    /* A slot in the past, years ahead, or ending before it starts is no
     * time to send a citizen to a counter. */
    return out->slot_end > out->slot_start && out->slot_end - out->slot_start <= SLOT_LENGTH_S &&
           out->slot_end > now - SLOT_SKEW_S && out->slot_start < now + SLOT_AHEAD_S;
}

static bool read_answer(const sync_question *question, long status, const sync_answer *a,
                        sync_reply *reply)
{
    sync_appointment_result *out = &reply->appointment;
    cJSON *parsed = a->json ? sync_answer_json(a) : NULL;
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(parsed, "error");
    if (status == 409 && cJSON_IsString(error) && strcmp(error->valuestring, "full") == 0) {
        sync_json_free(parsed);
        out->outcome = SYNC_APPOINTMENT_FULL;
        return true;
    }
    const cJSON *number = cJSON_GetObjectItemCaseSensitive(parsed, "queue_number");
    const cJSON *matter = cJSON_GetObjectItemCaseSensitive(parsed, "matter");
    const cJSON *reference = cJSON_GetObjectItemCaseSensitive(parsed, "reference");
    bool booked = status == 200 && cJSON_IsObject(parsed) && cJSON_IsString(number) &&
                  sync_queue_number_valid(number->valuestring) && cJSON_IsString(matter) &&
                  strcmp(matter->valuestring, question->appointment.matter) == 0 &&
                  cJSON_IsString(reference) && sync_tracking_valid(reference->valuestring) &&
                  strlen(reference->valuestring) < sizeof out->reference &&
                  read_window(cJSON_GetObjectItemCaseSensitive(parsed, "window"), out) &&
                  read_slot(parsed, (int64_t)time(NULL), out);
    if (booked) {
        snprintf(out->queue_number, sizeof out->queue_number, "%s", number->valuestring);
        snprintf(out->reference, sizeof out->reference, "%s", reference->valuestring);
    }
    sync_json_free(parsed);
    if (!booked) {
        LOG_WARN(SYNC_LOG,
                 "appointment: an answer that is not one (%ld: no valid queue number, "
                 "counter or slot)",
                 status);
        return false;
    }
    out->outcome = SYNC_APPOINTMENT_BOOKED;
    return true;
}

static void describe(const sync_question *question, char *out, size_t size)
{
    snprintf(out, size, "appointment for %s", question->appointment.matter);
}

const sync_ask_kind_ops sync_ask_appointment_ops = {.max_answer = APPOINTMENT_ANSWER_MAX,
                                                    .valid = valid,
                                                    .unanswered = unanswered,
                                                    .request = request,
                                                    .read = read_answer,
                                                    .describe = describe};

kiosk_error sync_appointment(sync_client *client, const char *service, const char *matter,
                             const char *period, const char *id_number, const char *language)
{
    sync_question question = {.kind = SYNC_ASK_APPOINTMENT};
    typeof(question.appointment) *q = &question.appointment;
    if (!service || !matter || !period || !id_number || !language ||
        strlen(service) >= sizeof q->service || strlen(matter) >= sizeof q->matter ||
        strlen(period) >= sizeof q->period || strlen(id_number) >= sizeof q->id_number ||
        strlen(language) >= sizeof q->language)
        return KIOSK_ERR_INVALID_ARGUMENT;
    snprintf(q->service, sizeof q->service, "%s", service);
    snprintf(q->matter, sizeof q->matter, "%s", matter);
    snprintf(q->period, sizeof q->period, "%s", period);
    snprintf(q->id_number, sizeof q->id_number, "%s", id_number);
    snprintf(q->language, sizeof q->language, "%s", language);
    kiosk_error result = sync_ask(client, &question);
    explicit_bzero(&question, sizeof question);
    return result;
}
