/* The hostile platform's answers. See hostile.h and docs/platform-sim.md. */
#include "hostile.h"

#include "documents.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/* ---- untyped answers ---------------------------------------------------- */

/* A web application firewall in front of the platform, blocking a request
 * it did not like: the status is 409, the body is for a person. */
static const char waf_page[] =
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>409 Conflict</title></head>\n"
    "<body><h1>访问被拦截</h1><p>您的请求触发了安全策略（规则 941100），已被 Web "
    "应用防火墙拦截。</p><p>事件编号：7f3a2c9e</p></body></html>\n";

/* nginx's own pages, as a reverse proxy sends them. */
static const char nginx_400[] =
    "<html>\r\n<head><title>400 Bad Request</title></head>\r\n<body>\r\n"
    "<center><h1>400 Bad Request</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n"
    "</html>\r\n";
static const char nginx_413[] =
    "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n"
    "<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n";

static const char nginx_502[] =
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n"
    "</html>\r\n";

/* JSON, well formed, with an "error" that is a string: the protocol's shape
 * at a glance, and none of its codes (a Spring Boot default error). */
static const char spring_400[] = "{\"timestamp\":\"2026-11-22T09:30:00.000+00:00\",\"status\":400,"
                                 "\"error\":\"Bad Request\",\"path\":\"/v1/submissions\"}";
static const char spring_409[] = "{\"timestamp\":\"2026-11-22T09:30:00.000+00:00\",\"status\":409,"
                                 "\"error\":\"Conflict\",\"path\":\"/v1/submissions\"}";
/* A gateway's own envelope: a numeric code and a message, no "error". */
static const char gateway_413[] = "{\"code\":41300,\"msg\":\"请求体过大\",\"data\":null}";

typedef struct untyped_answer {
    unsigned status;
    const char *content_type;
    const char *body;
} untyped_answer;

static const untyped_answer untyped[SIM_FAULT_COUNT] = {
    [SIM_FAULT_409_HTML] = {.status = 409,
                            .content_type = "text/html; charset=utf-8",
                            .body = waf_page},
    [SIM_FAULT_400_HTML] = {.status = 400, .content_type = "text/html", .body = nginx_400},
    [SIM_FAULT_400_TEXT] = {.status = 400,
                            .content_type = "text/plain; charset=utf-8",
                            .body = "Bad Request: the gateway could not read the request\n"},
    [SIM_FAULT_413_HTML] = {.status = 413, .content_type = "text/html", .body = nginx_413},
    [SIM_FAULT_413_TEXT] = {.status = 413,
                            .content_type = "text/plain; charset=utf-8",
                            .body = "Request Entity Too Large\n"},
    [SIM_FAULT_400_UNTYPED_JSON] = {.status = 400,
                                    .content_type = "application/json",
                                    .body = spring_400},
    [SIM_FAULT_409_UNTYPED_JSON] = {.status = 409,
                                    .content_type = "application/json",
                                    .body = spring_409},
    [SIM_FAULT_413_UNTYPED_JSON] = {.status = 413,
                                    .content_type = "application/json;charset=UTF-8",
                                    .body = gateway_413},
    [SIM_FAULT_502_HTML] = {.status = 502, .content_type = "text/html", .body = nginx_502},
};

bool sim_hostile_untyped(sim_fault fault)
{
    return (unsigned)fault < SIM_FAULT_COUNT && untyped[fault].status != 0;
}

bool sim_hostile_spoils(sim_fault fault)
{
    return (fault >= SIM_FAULT_TRAILING_GARBAGE && fault <= SIM_FAULT_BATCH_STATUS_WRAPPED) ||
           sim_documents_spoils(fault);
}

void sim_hostile_answer(sim_fault fault, sim_answer *out)
{
    memset(out, 0, sizeof *out);
    if (!sim_hostile_untyped(fault)) {
        sim_answer_error(out, 500, "internal", "not an untyped answer", 0);
        return;
    }
    out->status = untyped[fault].status;
    out->body = strdup(untyped[fault].body);
    out->length = out->body ? strlen(out->body) : 0;
    out->content_type = out->body ? untyped[fault].content_type : NULL;
}

/* ---- spoiled answers ---------------------------------------------------- */

/* What each text fault puts before, in the middle of, and after a string.
 * The middle is where a reader's eye is fooled most: "GD2026<ZWSP>1122…"
 * looks like the number and is not. */
typedef struct text_spoil {
    const char *before, *middle, *after;
} text_spoil;

static const text_spoil text_spoils[SIM_FAULT_COUNT] = {
    /* ESC [31m (a terminal's colour), backspace, CR LF, NEL (a C1 control)
     * and DEL. In JSON the C0 ones travel as \u001b and the like. */
    [SIM_FAULT_TEXT_CONTROLS] = {.before = "\x1b[31m",
                                 .middle = "\x08\x08",
                                 .after = "\r\n\xc2\x85\x7f"},
    /* RLI, RLO, then PDF and RLM: the text after the override reads
     * backwards ("2026-01-30" as "03-10-6202"). */
    [SIM_FAULT_TEXT_BIDI] = {.before = "\xe2\x81\xa7",
                             .middle = "\xe2\x80\xae",
                             .after = "\xe2\x80\xac\xe2\x80\x8f"},
    /* BOM, zero-width space and joiner, soft hyphen, word joiner. */
    [SIM_FAULT_TEXT_ZERO_WIDTH] = {.before = "\xef\xbb\xbf",
                                   .middle = "\xe2\x80\x8b\xe2\x80\x8d",
                                   .after = "\xc2\xad\xe2\x81\xa0"},
    /* An overlong '/', a lone surrogate (U+D800 in UTF-8), and 0xFF. */
    [SIM_FAULT_TEXT_INVALID_UTF8] = {.before = "",
                                     .middle = "\xc0\xaf",
                                     .after = "\xed\xa0\x80\xff"},
};

/* The free text of answers that a terminal shows, prints or speaks. Not the
 * numbers (tracking_number, local_reference): a terminal that matches an
 * answer to the number asked would refuse it before its text is shown, and
 * tracking-hidden covers them. Not times either: a time that is not one is
 * refused whole, and the text beside it would never be seen. */
static bool shown_field(const char *name)
{
    static const char *const shown[] = {"status", "note", "label", "value", "name"};
    for (size_t i = 0; name && i < sizeof shown / sizeof shown[0]; i++)
        if (strcmp(name, shown[i]) == 0)
            return true;
    return false;
}

/* text spoiled by spoil, malloc'd; NULL when out of memory. */
static char *spoiled_text(const text_spoil *spoil, const char *text)
{
    size_t length = strlen(text), half = length / 2;
    /* Between two characters, not inside one. */
    while (half < length && ((unsigned char)text[half] & 0xc0) == 0x80)
        half++;
    size_t size = strlen(spoil->before) + strlen(spoil->middle) + strlen(spoil->after) + length + 1;
    char *out = malloc(size);
    if (!out)
        return NULL;
    size_t used = 0;
    const char *parts[] = {spoil->before, text, spoil->middle, text + half, spoil->after};
    size_t lengths[] = {strlen(spoil->before), half, strlen(spoil->middle), length - half,
                        strlen(spoil->after)};
    for (size_t i = 0; i < 5; i++) {
        memcpy(out + used, parts[i], lengths[i]);
        used += lengths[i];
    }
    out[used] = '\0';
    return out;
}

/* Spoils every shown string under json, whatever its depth (a batch's
 * results, a query's lines). False when out of memory. */
static bool spoil_strings(const text_spoil *spoil, cJSON *json, bool *changed)
{
    for (cJSON *item = json ? json->child : NULL; item; item = item->next) {
        if (cJSON_IsString(item) && shown_field(item->string)) {
            char *spoiled = spoiled_text(spoil, item->valuestring);
            if (!spoiled)
                return false;
            /* cJSON_SetValuestring refuses a longer string: the value is
             * swapped, and cJSON frees it with the item. */
            cJSON_free(item->valuestring);
            item->valuestring = spoiled;
            *changed = true;
        } else if (!spoil_strings(spoil, item, changed)) {
            return false;
        }
    }
    return true;
}

/* Replaces name in object with value (taken), when object has it. */
static bool replace(cJSON *object, const char *name, cJSON *value, bool *changed)
{
    if (!value)
        return false;
    if (!cJSON_GetObjectItemCaseSensitive(object, name)) {
        cJSON_Delete(value);
        return true;
    }
    *changed = true;
    return cJSON_ReplaceItemInObjectCaseSensitive(object, name, value);
}

static bool spoil_tracking(cJSON *json, const char *number, bool *changed)
{
    bool done = replace(json, "tracking_number", cJSON_CreateString(number), changed);
    const cJSON *result = NULL;
    cJSON_ArrayForEach(result, cJSON_GetObjectItemCaseSensitive(json, "results"))
    {
        cJSON *body = cJSON_GetObjectItemCaseSensitive(result, "body");
        done = done && replace(body, "tracking_number", cJSON_CreateString(number), changed);
    }
    return done;
}

static bool spoil_statuses(cJSON *json, double status, bool *changed)
{
    bool done = true;
    cJSON *result = NULL;
    cJSON_ArrayForEach(result, cJSON_GetObjectItemCaseSensitive(json, "results"))
    {
        done = done && replace(result, "status", cJSON_CreateNumber(status), changed);
    }
    return done;
}

/* *changed says whether anything was: an answer the fault does not concern
 * goes out byte for byte (a catalog's ETag is of its bytes). */
static bool spoil_json(sim_fault fault, cJSON *json, bool *changed)
{
    switch (fault) {
    case SIM_FAULT_CLOCK_2199:
        return replace(json, "server_time", cJSON_CreateString("2199-12-31T23:59:59Z"), changed);
    case SIM_FAULT_CLOCK_1970:
        return replace(json, "server_time", cJSON_CreateString("1970-01-01T00:00:00Z"), changed);
    case SIM_FAULT_CLOCK_NEGATIVE:
        /* Year -1 (2 BC) as ISO 8601's expanded years write it. */
        return replace(json, "server_time", cJSON_CreateString("-0001-12-31T23:59:59Z"), changed);
    case SIM_FAULT_TRACKING_SENTENCE:
        return spoil_tracking(json, SIM_HOSTILE_SENTENCE, changed);
    case SIM_FAULT_TRACKING_URL:
        return spoil_tracking(json, SIM_HOSTILE_URL, changed);
    case SIM_FAULT_TRACKING_HIDDEN:
        return spoil_tracking(json, SIM_HOSTILE_HIDDEN_NUMBER, changed);
    case SIM_FAULT_BATCH_STATUS_FLOAT:
        return spoil_statuses(json, 201.9, changed);
    case SIM_FAULT_BATCH_STATUS_HUGE:
        return spoil_statuses(json, 1e300, changed);
    case SIM_FAULT_BATCH_STATUS_WRAPPED:
        /* 2^32 + 201: 201 to a reader that keeps 32 bits of it. */
        return spoil_statuses(json, 4294967497.0, changed);
    default:
        return !text_spoils[fault].after || spoil_strings(&text_spoils[fault], json, changed);
    }
}

/* "xyz" after the JSON, as a proxy that appends its own bytes sends it. */
static void append_garbage(sim_answer *answer)
{
    static const char garbage[] = "xyz";
    char *grown = realloc(answer->body, answer->length + sizeof garbage);
    if (!grown)
        return;
    memcpy(grown + answer->length, garbage, sizeof garbage);
    answer->body = grown;
    answer->length += sizeof garbage - 1;
}

void sim_hostile_spoil(sim_fault fault, sim_answer *answer)
{
    if (!sim_hostile_spoils(fault) || !answer->body)
        return;
    if (sim_documents_spoils(fault)) {
        sim_documents_spoil(fault, answer);
        return;
    }
    if (fault == SIM_FAULT_TRAILING_GARBAGE) {
        append_garbage(answer);
        return;
    }
    cJSON *json = cJSON_ParseWithLength(answer->body, answer->length);
    bool changed = false;
    char *text =
        json && spoil_json(fault, json, &changed) && changed ? cJSON_PrintUnformatted(json) : NULL;
    cJSON_Delete(json);
    if (!text)
        return;
    free(answer->body);
    answer->body = text;
    answer->length = strlen(text);
}
