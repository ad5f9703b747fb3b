#include "firmware/admin/admin_protocol.h"

#include "firmware/base/untrusted_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[] = {
    [ADMIN_OK] = "ok",           [ADMIN_FAILED] = "failed",           [ADMIN_USAGE] = "usage",
    [ADMIN_REFUSED] = "refused", [ADMIN_UNAVAILABLE] = "unavailable", [ADMIN_TIMEOUT] = "timeout",
};
#define STATUS_COUNT (sizeof status_names / sizeof status_names[0])

const char *admin_status_name(admin_status status)
{
    return (unsigned)status < STATUS_COUNT ? status_names[status] : "failed";
}

bool admin_status_parse(const char *name, admin_status *out)
{
    for (size_t i = 0; i < STATUS_COUNT; i++) {
        if (strcmp(name, status_names[i]) == 0) {
            *out = (admin_status)i;
            return true;
        }
    }
    return false;
}

int admin_exit_code(admin_status status)
{
    /* The statuses are numbered as the exit codes they stand for. */
    return (unsigned)status < STATUS_COUNT ? (int)status : 1;
}

size_t admin_text_step(const char *text, size_t length, bool *hidden)
{
    const uint8_t *p = (const uint8_t *)text;
    size_t n = untrusted_utf8_sequence(p, length);
    uint32_t code =
        n == 1   ? p[0]
        : n == 2 ? (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f)
        : n == 3 ? (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f)
        : n == 4 ? (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
                       (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f)
                 : 0;
    *hidden = n == 0 || untrusted_code_point_hidden(code);
    return n;
}

/* Whether text is UTF-8 with nothing hidden in it: no control (C1 ones
 * included), direction or invisible character, which would reach the log
 * and a technician's screen turned around. */
static bool plain_text(const char *text, size_t length)
{
    while (length) {
        bool hidden = false;
        size_t n = admin_text_step(text, length, &hidden);
        if (hidden)
            return false;
        text += n;
        length -= n;
    }
    return true;
}

/* A control character (C0 or DEL) in bytes: such a line is refused whole,
 * whether raw or escaped, so nothing that moves a terminal's cursor or cuts
 * a log line reaches a screen or a log. allow: those still accepted. */
static bool has_control(const char *text, size_t length, const char *allow)
{
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c < 0x20 || c == 0x7f) && !(c && strchr(allow, c)))
            return true;
    }
    return false;
}

static kiosk_error parse_json(const char *what, const char *line, size_t length, size_t max,
                              cJSON **out, kiosk_diag *diag)
{
    if (length > max)
        return kiosk_diag_set(diag, KIOSK_ERR_TOO_BIG, "%s: over %zu bytes", what, max);
    if (has_control(line, length, ""))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: a control character", what);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(line, length, &end, false);
    if (!root)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: not JSON", what);
    while (end && (size_t)(end - line) < length && (*end == ' ' || *end == '\r'))
        end++;
    if (!cJSON_IsObject(root) || (end && (size_t)(end - line) != length)) {
        cJSON_Delete(root);
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: expected one JSON object", what);
    }
    *out = root;
    return KIOSK_OK;
}

static kiosk_error check_request(const cJSON *root, admin_request *out, kiosk_diag *diag)
{
    const cJSON *command = cJSON_GetObjectItemCaseSensitive(root, "command");
    if (!cJSON_IsString(command))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "request: no \"command\" string");
    size_t length = strlen(command->valuestring);
    if (length == 0 || length >= ADMIN_COMMAND_MAX)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "request: command: 1 to %d letters",
                              ADMIN_COMMAND_MAX - 1);
    for (size_t i = 0; i < length; i++) {
        char c = command->valuestring[i];
        if (c < 'a' || c > 'z')
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "request: command: only the letters a-z");
    }
    memcpy(out->command, command->valuestring, length + 1);
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(root, "args");
    if (!args)
        return KIOSK_OK;
    if (!cJSON_IsArray(args))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "request: args: expected an array");
    if (cJSON_GetArraySize(args) > ADMIN_ARGS_MAX)
        return kiosk_diag_set(diag, KIOSK_ERR_TOO_BIG, "request: args: more than %d",
                              ADMIN_ARGS_MAX);
    const cJSON *arg = NULL;
    cJSON_ArrayForEach(arg, args)
    {
        if (!cJSON_IsString(arg))
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "request: args[%zu]: expected a string", out->arg_count);
        size_t size = strlen(arg->valuestring);
        if (size >= ADMIN_ARG_MAX)
            return kiosk_diag_set(diag, KIOSK_ERR_TOO_BIG, "request: args[%zu]: over %d bytes",
                                  out->arg_count, ADMIN_ARG_MAX - 1);
        /* Escapes (\u0007) decode to what the raw check never saw. */
        if (has_control(arg->valuestring, size, ""))
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "request: args[%zu]: a control character", out->arg_count);
        if (!plain_text(arg->valuestring, size))
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "request: args[%zu]: a control, direction or invisible "
                                  "character, or not UTF-8",
                                  out->arg_count);
        memcpy(out->args[out->arg_count++], arg->valuestring, size + 1);
    }
    return KIOSK_OK;
}

kiosk_error admin_request_parse(const char *line, size_t length, admin_request *out,
                                kiosk_diag *diag)
{
    memset(out, 0, sizeof *out);
    cJSON *root = NULL;
    kiosk_error result = parse_json("request", line, length, ADMIN_REQUEST_MAX, &root, diag);
    if (result != KIOSK_OK)
        return result;
    result = check_request(root, out, diag);
    cJSON_Delete(root);
    if (result != KIOSK_OK)
        memset(out, 0, sizeof *out);
    return result;
}

/* cJSON's text plus a newline, in a new allocation. */
static char *with_newline(cJSON *root)
{
    char *text = root ? cJSON_PrintUnformatted(root) : NULL;
    if (!text)
        return NULL;
    size_t length = strlen(text);
    char *line = malloc(length + 2);
    if (line) {
        memcpy(line, text, length);
        line[length] = '\n';
        line[length + 1] = '\0';
    }
    cJSON_free(text);
    return line;
}

char *admin_request_format(const admin_request *request)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *args = cJSON_CreateArray();
    if (!root || !args || !cJSON_AddStringToObject(root, "command", request->command)) {
        cJSON_Delete(root);
        cJSON_Delete(args);
        return NULL;
    }
    cJSON_AddItemToObject(root, "args", args);
    for (size_t i = 0; i < request->arg_count && i < ADMIN_ARGS_MAX; i++)
        cJSON_AddItemToArray(args, cJSON_CreateString(request->args[i]));
    char *line = with_newline(root);
    cJSON_Delete(root);
    return line;
}

kiosk_error admin_answer_parse(const char *line, size_t length, admin_answer *out, kiosk_diag *diag)
{
    memset(out, 0, sizeof *out);
    cJSON *root = NULL;
    kiosk_error result = parse_json("answer", line, length, ADMIN_ANSWER_MAX, &root, diag);
    if (result != KIOSK_OK)
        return result;
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(root, "status");
    const cJSON *message = cJSON_GetObjectItemCaseSensitive(root, "message");
    if (!cJSON_IsString(status) || !admin_status_parse(status->valuestring, &out->status))
        result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "answer: no known \"status\"");
    else if (message && !cJSON_IsString(message))
        result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "answer: message: expected a string");
    else if (message && has_control(message->valuestring, strlen(message->valuestring), "\n\t"))
        result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "answer: message: a control character");
    if (result != KIOSK_OK) {
        cJSON_Delete(root);
        return result;
    }
    if (message)
        snprintf(out->message, sizeof out->message, "%s", message->valuestring);
    out->data = cJSON_DetachItemFromObjectCaseSensitive(root, "data");
    cJSON_Delete(root);
    return KIOSK_OK;
}

void admin_answer_free(admin_answer *answer)
{
    cJSON_Delete(answer->data);
    answer->data = NULL;
}

char *admin_answer_format(admin_status status, const char *message, cJSON *data)
{
    cJSON *root = cJSON_CreateObject();
    char cut[ADMIN_MESSAGE_MAX];
    snprintf(cut, sizeof cut, "%s", message ? message : "");
    if (!root || !cJSON_AddStringToObject(root, "status", admin_status_name(status)) ||
        !cJSON_AddStringToObject(root, "message", cut)) {
        cJSON_Delete(root);
        cJSON_Delete(data);
        return NULL;
    }
    if (data)
        cJSON_AddItemToObject(root, "data", data);
    char *line = with_newline(root);
    cJSON_Delete(root);
    if (line && strlen(line) > ADMIN_ANSWER_MAX) {
        free(line);
        return admin_answer_format(ADMIN_FAILED, "the answer was too long to send", NULL);
    }
    return line;
}
