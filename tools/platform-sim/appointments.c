/* Counters' queues, as the stand-in runs them. See appointments.h.
 *
 * The hall keeps Beijing time (UTC+8, no daylight saving): counters open
 * 09:00-12:00 and 13:00-17:00, in half-hour slots of a few places each.
 * Numbers run per matter for the stand-in's life: a letter for the matter
 * and three digits. Nothing is stored: a restart empties the queues. */
#include "appointments.h"

#include "firmware/base/log.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define HALL_OFFSET_S (8 * 3600)
#define SLOT_S        (30 * 60)
#define DAY_S         86400

static const struct {
    const char *id;
    char letter;
    int counter;
    bool by_number; /* the window answered as a bare counter number */
} matters[] = {
    {"social-insurance", 'A', 3, false}, {"housing-fund", 'B', 5, false},
    {"real-estate", 'C', 6, false},      {"household", 'D', 1, false},
    {"exit-entry", 'E', 2, false},       {"other", 'F', 8, true},
};
#define MATTERS (sizeof matters / sizeof matters[0])

/* When the counters are open, as hall seconds since the day's midnight. */
static const struct {
    const char *id;
    int day; /* 0 today, 1 tomorrow */
    int opens_s, closes_s;
} periods[] = {
    {"today-pm", 0, 13 * 3600, 17 * 3600},
    {"tomorrow-am", 1, 9 * 3600, 12 * 3600},
    {"tomorrow-pm", 1, 13 * 3600, 17 * 3600},
};
#define PERIODS (sizeof periods / sizeof periods[0])

/* Places taken, per matter and slot start (UTC): a small ring is enough
 * for a development stand-in. */
#define TAKEN_MAX 512
static struct {
    size_t matter;
    int64_t slot;
    unsigned count;
} taken[TAKEN_MAX];
static size_t taken_used;
static unsigned issued[MATTERS];

static unsigned *count_of(size_t matter, int64_t slot)
{
    for (size_t i = 0; i < taken_used; i++)
        if (taken[i].matter == matter && taken[i].slot == slot)
            return &taken[i].count;
    size_t at = taken_used < TAKEN_MAX ? taken_used++ : (size_t)(slot / SLOT_S) % TAKEN_MAX;
    taken[at].matter = matter;
    taken[at].slot = slot;
    taken[at].count = 0;
    return &taken[at].count;
}

/* The first slot of the period with a place left that has not begun, or -1. */
static int64_t free_slot(size_t matter, size_t period, int64_t now)
{
    int64_t hall_now = now + HALL_OFFSET_S;
    int64_t midnight = hall_now - hall_now % DAY_S + periods[period].day * DAY_S - HALL_OFFSET_S;
    for (int64_t slot = midnight + periods[period].opens_s;
         slot + SLOT_S <= midnight + periods[period].closes_s; slot += SLOT_S) {
        if (slot < now)
            continue;
        if (*count_of(matter, slot) < SIM_APPOINTMENTS_PER_SLOT)
            return slot;
    }
    return -1;
}

static void utc(int64_t at, char out[32])
{
    time_t t = (time_t)at;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *string_field(const cJSON *json, const char *name)
{
    const cJSON *field = cJSON_GetObjectItemCaseSensitive(json, name);
    return cJSON_IsString(field) ? field->valuestring : NULL;
}

void sim_appointments_answer(sim_context *sim, const sim_call *call, sim_answer *out)
{
    cJSON *request = cJSON_ParseWithLength(call->body, call->length);
    const char *matter = string_field(request, "matter");
    const char *period = string_field(request, "period");
    const char *id_number = string_field(request, "id_number");
    size_t m = MATTERS, p = PERIODS;
    for (size_t i = 0; matter && i < MATTERS; i++)
        if (strcmp(matter, matters[i].id) == 0)
            m = i;
    for (size_t i = 0; period && i < PERIODS; i++)
        if (strcmp(period, periods[i].id) == 0)
            p = i;
    if (!cJSON_IsObject(request) || !string_field(request, "service") || m == MATTERS ||
        (period && p == PERIODS) || !id_number || strlen(id_number) != 18) {
        cJSON_Delete(request);
        sim_answer_error(out, 400, "bad-request",
                         "the body needs service, a known matter, an optional known period and "
                         "id_number (18 characters)",
                         0);
        return;
    }
    cJSON_Delete(request);
    int64_t now = (int64_t)time(NULL), slot = -1;
    char number[16] = "";
    pthread_mutex_lock(&sim->lock);
    for (size_t i = period ? p : 0; i < (period ? p + 1 : PERIODS) && slot < 0; i++)
        slot = free_slot(m, i, now);
    if (slot >= 0) {
        (*count_of(m, slot))++;
        snprintf(number, sizeof number, "%c%03u", matters[m].letter, ++issued[m] % 1000);
    }
    pthread_mutex_unlock(&sim->lock);
    if (slot < 0) {
        LOG_INFO(SIM_MODULE, "appointment %s %s: full", matters[m].id, period ? period : "(any)");
        sim_answer_error(out, 409, "full", "no place left in that period for this matter", 0);
        return;
    }
    char start[32], end[32], reference[64];
    utc(slot, start);
    utc(slot + SLOT_S, end);
    snprintf(reference, sizeof reference, "AP%.4s%.2s%.2s-%s", start, start + 5, start + 8, number);
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddStringToObject(answer, "reference", reference);
    cJSON_AddStringToObject(answer, "matter", matters[m].id);
    cJSON_AddStringToObject(answer, "queue_number", number);
    if (matters[m].by_number) {
        cJSON_AddNumberToObject(answer, "window", matters[m].counter);
    } else {
        char zh_cn[32], zh_tw[32], en[32];
        snprintf(zh_cn, sizeof zh_cn, "%d号窗口", matters[m].counter);
        snprintf(zh_tw, sizeof zh_tw, "%d號窗口", matters[m].counter);
        snprintf(en, sizeof en, "Counter %d", matters[m].counter);
        cJSON *window = cJSON_AddObjectToObject(answer, "window");
        cJSON_AddStringToObject(window, "zh-CN", zh_cn);
        cJSON_AddStringToObject(window, "zh-TW", zh_tw);
        cJSON_AddStringToObject(window, "en", en);
    }
    cJSON_AddStringToObject(answer, "slot_start", start);
    cJSON_AddStringToObject(answer, "slot_end", end);
    char *text = cJSON_PrintUnformatted(answer);
    cJSON_Delete(answer);
    if (!text) {
        sim_answer_error(out, 500, "internal", "no memory for the answer", 0);
        return;
    }
    LOG_INFO(SIM_MODULE, "appointment %s: %s at %s", matters[m].id, number, start);
    sim_answer_json(out, 200, text);
}
