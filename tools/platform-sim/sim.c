/* Helpers every module of the stand-in uses: answers, time, files, waiting. */
#include "sim.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

const char *sim_kind_name(sim_kind kind)
{
    static const char *const names[SIM_KIND_COUNT] = {
        [SIM_KIND_HEARTBEAT] = "heartbeat",   [SIM_KIND_CATALOG] = "catalog",
        [SIM_KIND_SUBMISSION] = "submission", [SIM_KIND_SUBMISSION_STATUS] = "submission-status",
        [SIM_KIND_RATING] = "rating",         [SIM_KIND_STAFF_CALL] = "staff-call",
        [SIM_KIND_QUERY] = "query",           [SIM_KIND_EID] = "eid",
        [SIM_KIND_DOCUMENTS] = "documents",   [SIM_KIND_DOCUMENT] = "document",
        [SIM_KIND_AUDIT] = "audit",           [SIM_KIND_CALL_ACK] = "call-ack",
        [SIM_KIND_CALLS] = "calls",           [SIM_KIND_CREDENTIALS] = "staff-credentials",
        [SIM_KIND_ENROL] = "enrol",           [SIM_KIND_LOGS] = "logs",
    };
    if (kind == SIM_KIND_APPOINTMENT)
        return "appointment";
    return (unsigned)kind < SIM_KIND_COUNT ? names[kind] : "unknown";
}

void sim_answer_json(sim_answer *answer, unsigned status, char *body)
{
    answer->status = status;
    answer->body = body;
    answer->length = body ? strlen(body) : 0;
    answer->content_type = "application/json";
}

void sim_answer_error(sim_answer *answer, unsigned status, const char *code, const char *message,
                      unsigned retry_after_s)
{
    cJSON *json = cJSON_CreateObject();
    cJSON_AddStringToObject(json, "error", code);
    cJSON_AddStringToObject(json, "message", message);
    if (retry_after_s)
        cJSON_AddNumberToObject(json, "retry_after_s", retry_after_s);
    char *text = cJSON_PrintUnformatted(json);
    cJSON_Delete(json);
    /* Out of memory leaves a bodiless error: still a definite status. */
    sim_answer_json(answer, status, text);
    answer->retry_after_s = retry_after_s;
}

void sim_answer_free(sim_answer *answer)
{
    free(answer->body);
    memset(answer, 0, sizeof *answer);
}

void sim_time_now(char out[32])
{
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &utc);
}

kiosk_error sim_read_file(const char *path, size_t max, char **out, size_t *length,
                          kiosk_diag *diag)
{
    *out = NULL;
    *length = 0;
    FILE *file = fopen(path, "rb");
    if (!file)
        return kiosk_diag_set(diag, errno == ENOENT ? KIOSK_ERR_NOT_FOUND : KIOSK_ERR_IO, "%s: %s",
                              path, strerror(errno));
    struct stat info;
    if (fstat(fileno(file), &info) != 0 || !S_ISREG(info.st_mode)) {
        fclose(file);
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: not a regular file", path);
    }
    if ((uint64_t)info.st_size > max) {
        fclose(file);
        return kiosk_diag_set(diag, KIOSK_ERR_TOO_BIG, "%s: %lld bytes, over %zu", path,
                              (long long)info.st_size, max);
    }
    size_t size = (size_t)info.st_size;
    char *text = malloc(size + 1);
    if (!text) {
        fclose(file);
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "%s: no memory", path);
    }
    size_t got = fread(text, 1, size, file);
    bool failed = ferror(file) != 0;
    fclose(file);
    if (failed || got != size) {
        free(text);
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: short read", path);
    }
    text[size] = '\0';
    *out = text;
    *length = size;
    return KIOSK_OK;
}

static uint64_t monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u;
}

bool sim_wait_stop(sim_context *sim, int fd, unsigned ms)
{
    /* poll(2) may return early (a signal); wait out the whole time. */
    uint64_t deadline = monotonic_ms() + ms;
    for (;;) {
        uint64_t now = monotonic_ms();
        if (now >= deadline)
            return false;
        struct pollfd watch[2] = {
            {.fd = sim->stop_pipe[0], .events = POLLIN},
            {.fd = fd, .events = POLLRDHUP},
        };
        int ready = poll(watch, fd >= 0 ? 2 : 1, (int)(deadline - now));
        if (ready < 0 && errno != EINTR)
            return true;
        if (ready > 0) {
            if (watch[0].revents)
                return true;
            if (watch[1].revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL))
                return true;
        }
    }
}
