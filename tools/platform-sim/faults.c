/* Fault plans and the answers of faults. See faults.h. */
#include "faults.h"

#include "hostile.h"

#include "firmware/base/log.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const fault_names[SIM_FAULT_COUNT] = {
    [SIM_FAULT_NONE] = "none",
    [SIM_FAULT_REFUSE] = "refuse",
    [SIM_FAULT_HANG] = "hang",
    [SIM_FAULT_RESET_AFTER_COMMIT] = "reset-after-commit",
    [SIM_FAULT_500] = "500",
    [SIM_FAULT_503] = "503",
    [SIM_FAULT_429] = "429",
    [SIM_FAULT_TRICKLE] = "trickle",
    [SIM_FAULT_TRUNCATED_JSON] = "truncated-json",
    [SIM_FAULT_INVALID_JSON] = "invalid-json",
    [SIM_FAULT_CAPTIVE_PORTAL] = "captive-portal",
    [SIM_FAULT_HUGE_BODY] = "huge-body",
    [SIM_FAULT_409_HTML] = "409-html",
    [SIM_FAULT_400_HTML] = "400-html",
    [SIM_FAULT_400_TEXT] = "400-text",
    [SIM_FAULT_413_HTML] = "413-html",
    [SIM_FAULT_413_TEXT] = "413-text",
    [SIM_FAULT_400_UNTYPED_JSON] = "400-untyped-json",
    [SIM_FAULT_409_UNTYPED_JSON] = "409-untyped-json",
    [SIM_FAULT_413_UNTYPED_JSON] = "413-untyped-json",
    [SIM_FAULT_TRAILING_GARBAGE] = "trailing-garbage",
    [SIM_FAULT_CLOCK_2199] = "clock-2199",
    [SIM_FAULT_CLOCK_1970] = "clock-1970",
    [SIM_FAULT_CLOCK_NEGATIVE] = "clock-negative",
    [SIM_FAULT_TRACKING_SENTENCE] = "tracking-sentence",
    [SIM_FAULT_TRACKING_URL] = "tracking-url",
    [SIM_FAULT_TRACKING_HIDDEN] = "tracking-hidden",
    [SIM_FAULT_TEXT_CONTROLS] = "text-controls",
    [SIM_FAULT_TEXT_BIDI] = "text-bidi",
    [SIM_FAULT_TEXT_ZERO_WIDTH] = "text-zero-width",
    [SIM_FAULT_TEXT_INVALID_UTF8] = "text-invalid-utf8",
    [SIM_FAULT_BATCH_STATUS_FLOAT] = "batch-status-float",
    [SIM_FAULT_BATCH_STATUS_HUGE] = "batch-status-huge",
    [SIM_FAULT_BATCH_STATUS_WRAPPED] = "batch-status-wrapped",
    [SIM_FAULT_PDF_TRUNCATED] = "pdf-truncated",
    [SIM_FAULT_PDF_NOT_PDF] = "pdf-not-pdf",
    [SIM_FAULT_PDF_WRONG_TYPE] = "pdf-wrong-type",
    [SIM_FAULT_PDF_PAGES] = "pdf-pages",
    [SIM_FAULT_502_HTML] = "502-html",
};

const char *sim_fault_name(sim_fault fault)
{
    return (unsigned)fault < SIM_FAULT_COUNT ? fault_names[fault] : "unknown";
}

bool sim_fault_parse(const char *name, sim_fault *out)
{
    for (int fault = 0; fault < SIM_FAULT_COUNT; fault++) {
        if (strcmp(name, fault_names[fault]) == 0) {
            *out = (sim_fault)fault;
            return true;
        }
    }
    return false;
}

void sim_faults_plan(sim_context *sim, sim_fault fault, long count, const char *path)
{
    pthread_mutex_lock(&sim->lock);
    if (fault == SIM_FAULT_NONE || count == 0) {
        sim->plan.fault = SIM_FAULT_NONE;
        sim->plan.remaining = 0;
    } else {
        sim->plan.fault = fault;
        sim->plan.remaining = count;
    }
    snprintf(sim->plan.path, sizeof sim->plan.path, "%s", path);
    pthread_mutex_unlock(&sim->lock);
}

/* Whether path starts with one of prefixes' comma-separated prefixes. */
static bool path_planned(const char *path, const char *prefixes)
{
    const char *at = prefixes;
    for (;;) {
        size_t length = strcspn(at, ",");
        if (strncmp(path, at, length) == 0)
            return true;
        if (at[length] != ',')
            return false;
        at += length + 1;
    }
}

sim_fault sim_faults_take(sim_context *sim, const char *path)
{
    pthread_mutex_lock(&sim->lock);
    sim_fault taken = SIM_FAULT_NONE;
    sim_fault_plan *plan = &sim->plan;
    if (plan->fault != SIM_FAULT_NONE && plan->remaining != 0 && path_planned(path, plan->path)) {
        taken = plan->fault;
        plan->applied[taken]++;
        if (plan->remaining > 0 && --plan->remaining == 0)
            plan->fault = SIM_FAULT_NONE;
    }
    pthread_mutex_unlock(&sim->lock);
    return taken;
}

bool sim_fault_replaces(sim_fault fault)
{
    return fault != SIM_FAULT_NONE && fault != SIM_FAULT_RESET_AFTER_COMMIT &&
           fault != SIM_FAULT_TRUNCATED_JSON && fault != SIM_FAULT_TRICKLE &&
           !sim_hostile_spoils(fault);
}

/* What a hotel or hall Wi-Fi login page looks like to a program that
 * expected JSON: a 200 with HTML. */
static const char captive_page[] =
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Wi-Fi 登录</title></head>\n"
    "<body><h1>欢迎使用免费 Wi-Fi</h1><p>请输入手机号获取验证码后上网。</p>\n"
    "<form action=\"/login\" method=\"post\"><input name=\"phone\"><button>获取验证码</button>"
    "</form></body></html>\n";

/* Looks like JSON at a glance and is not: bare words, a missing quote. */
static const char invalid_json[] =
    "{\"tracking_number\": GD20261122000042, status: \"accepted, \"received_at\": }";

void sim_fault_answer(sim_fault fault, unsigned success, sim_answer *out)
{
    memset(out, 0, sizeof *out);
    switch (fault) {
    case SIM_FAULT_503:
        sim_answer_error(out, 503, "unavailable", "injected fault: the platform is unavailable", 1);
        break;
    case SIM_FAULT_429:
        sim_answer_error(out, 429, "rate-limited", "injected fault: too many requests", 2);
        break;
    case SIM_FAULT_INVALID_JSON:
        sim_answer_json(out, success, strdup(invalid_json));
        break;
    case SIM_FAULT_409_HTML:
    case SIM_FAULT_400_HTML:
    case SIM_FAULT_400_TEXT:
    case SIM_FAULT_413_HTML:
    case SIM_FAULT_413_TEXT:
    case SIM_FAULT_400_UNTYPED_JSON:
    case SIM_FAULT_409_UNTYPED_JSON:
    case SIM_FAULT_413_UNTYPED_JSON:
    case SIM_FAULT_502_HTML:
        sim_hostile_answer(fault, out);
        break;
    case SIM_FAULT_CAPTIVE_PORTAL:
        out->status = 200;
        out->body = strdup(captive_page);
        out->length = out->body ? strlen(out->body) : 0;
        out->content_type = "text/html; charset=utf-8";
        break;
    default:
        sim_answer_error(out, 500, "internal", "injected fault: an internal error", 0);
        break;
    }
}

/* ---- streamed answers --------------------------------------------------- */

typedef struct stream {
    sim_context *sim;
    sim_fault fault;
    int fd; /* the connection's socket: a client that left ends the trickle */
    char *body;
    size_t length;
} stream;

static void stream_free(void *cls)
{
    stream *s = cls;
    free(s->body);
    free(s);
}

/* huge-body: {"padding":"xxxx...x"} of SIM_HUGE_BODY_BYTES, made as it is
 * sent: nothing that size is ever held in memory. */
static ssize_t read_huge(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)cls;
    static const char head[] = "{\"padding\":\"";
    static const char tail[] = "\"}";
    const uint64_t head_length = sizeof head - 1, tail_start = SIM_HUGE_BODY_BYTES - 2;
    if (pos >= SIM_HUGE_BODY_BYTES)
        return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = 0;
    for (; n < max && pos + n < SIM_HUGE_BODY_BYTES; n++) {
        uint64_t at = pos + n;
        buf[n] = at < head_length ? head[at] : at >= tail_start ? tail[at - tail_start] : 'x';
    }
    return (ssize_t)n;
}

/* trickle: the real answer, one byte a second. Blocking here is fine: each
 * connection has its own thread. The wait ends early when the stand-in stops
 * or the client hangs up (libmicrohttpd would notice only on the next send). */
static ssize_t read_trickle(void *cls, uint64_t pos, char *buf, size_t max)
{
    stream *s = cls;
    if (pos >= s->length)
        return MHD_CONTENT_READER_END_OF_STREAM;
    if (max == 0)
        return 0;
    if (pos > 0 && sim_wait_stop(s->sim, s->fd, 1000))
        return MHD_CONTENT_READER_END_WITH_ERROR;
    buf[0] = s->body[pos];
    return 1;
}

/* truncated-json: Content-Length promises the whole answer; half of it is
 * sent, then the connection drops, as when a link dies mid-answer. */
static ssize_t read_truncated(void *cls, uint64_t pos, char *buf, size_t max)
{
    stream *s = cls;
    size_t half = s->length / 2;
    if (pos >= half)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    size_t n = half - (size_t)pos < max ? half - (size_t)pos : max;
    memcpy(buf, s->body + pos, n);
    return (ssize_t)n;
}

struct MHD_Response *sim_fault_stream(sim_context *sim, sim_fault fault, int fd, sim_answer *answer)
{
    if (fault == SIM_FAULT_HUGE_BODY) {
        free(answer->body);
        answer->body = NULL;
        answer->length = 0;
        answer->content_type = "application/json";
        return MHD_create_response_from_callback(SIM_HUGE_BODY_BYTES, 64 * 1024, read_huge, NULL,
                                                 NULL);
    }
    stream *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    *s = (stream){
        .sim = sim, .fault = fault, .fd = fd, .body = answer->body, .length = answer->length};
    answer->body = NULL;
    struct MHD_Response *response = MHD_create_response_from_callback(
        s->length, 1024, fault == SIM_FAULT_TRICKLE ? read_trickle : read_truncated, s,
        stream_free);
    if (!response)
        stream_free(s);
    return response;
}
