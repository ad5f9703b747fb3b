/* The public progress page. See public_page.h. */
#include "public_page.h"

#include "store.h"

#include "firmware/base/log.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool sim_public_page_path(const char *url)
{
    return strncmp(url, SIM_PUBLIC_PREFIX, strlen(SIM_PUBLIC_PREFIX)) == 0;
}

/* Letters, digits and '-': anything else is no number of ours. */
static bool plausible(const char *number)
{
    size_t length = strlen(number);
    bool ok = length > 0 && length < SIM_TRACKING_MAX;
    for (const char *c = number; ok && *c; c++)
        ok = isalnum((unsigned char)*c) || *c == '-';
    return ok;
}

/* text with &, <, >, " and ' as entities, into out. */
static void escaped(const char *text, char *out, size_t size)
{
    size_t at = 0;
    for (const char *c = text; *c && at + 7 < size; c++) {
        const char *entity = *c == '&'    ? "&amp;"
                             : *c == '<'  ? "&lt;"
                             : *c == '>'  ? "&gt;"
                             : *c == '"'  ? "&quot;"
                             : *c == '\'' ? "&#39;"
                                          : NULL;
        if (entity) {
            at += (size_t)snprintf(out + at, size - at, "%s", entity);
        } else {
            out[at++] = *c;
        }
    }
    out[at] = '\0';
}

static const char *status_words(const char *status)
{
    static const struct {
        const char *status, *words;
    } known[] = {
        {"accepted", "已受理 / Accepted"},
        {"in-progress", "办理中 / In progress"},
        {"done", "已办结 / Done"},
        {"rejected", "未通过 / Not approved"},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(status, known[i].status) == 0)
            return known[i].words;
    return status;
}

static void page(sim_answer *out, unsigned status, const char *title, const char *body)
{
    char *html = malloc(8192);
    if (!html) {
        sim_answer_error(out, 500, "internal", "no memory for the page", 0);
        return;
    }
    snprintf(html, 8192,
             "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
             "<meta name=\"viewport\" content=\"width=device-width\">"
             "<title>%s</title></head>\n<body><h1>%s</h1>\n%s\n</body></html>\n",
             title, title, body);
    out->status = status;
    out->body = html;
    out->length = strlen(html);
    out->content_type = "text/html; charset=utf-8";
}

/* The hall's time for a UTC moment (Beijing, UTC+8 all year), or the text
 * itself, escaped, when it is no moment. */
static void hall_time(const char *utc_text, char *out, size_t size)
{
    struct tm utc = {0};
    const char *end = strptime(utc_text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    if (end && !*end) {
        time_t local = timegm(&utc) + 8 * 3600;
        struct tm shown;
        gmtime_r(&local, &shown);
        strftime(out, size, "%Y-%m-%d %H:%M", &shown);
    } else {
        escaped(utc_text, out, size);
    }
}

/* A certificate's verification code: the page says it is genuine, what it
 * is and when it was issued (never whose it is: the page is public). */
static bool certificate_page(sim_context *sim, const char *code, sim_answer *out)
{
    sim_issued found = {0};
    pthread_mutex_lock(&sim->lock);
    unsigned kept = sim->issued_count < SIM_ISSUED_MAX ? sim->issued_count : SIM_ISSUED_MAX;
    for (unsigned i = 0; i < kept && !found.code[0]; i++) {
        if (strcmp(sim->issued[i].code, code) == 0)
            found = sim->issued[i];
    }
    pthread_mutex_unlock(&sim->lock);
    if (!found.code[0])
        return false;
    char shown_code[2 * sizeof found.code], title[3 * sizeof found.title], when[64], body[1024];
    escaped(found.code, shown_code, sizeof shown_code);
    escaped(found.title, title, sizeof title);
    hall_time(found.at, when, sizeof when);
    snprintf(body, sizeof body,
             "<p>验证码 / Verification code: <b>%s</b></p>\n<p>证明有效 / This certificate is "
             "genuine: <b>%s</b></p>\n<p><small>出具于 / Issued %s（北京时间 / Beijing "
             "time）</small></p>",
             shown_code, title, when);
    page(out, 200, "证明核验 / Certificate check", body);
    LOG_INFO(SIM_MODULE, "public page for certificate %s", found.code);
    return true;
}

void sim_public_page_answer(sim_context *sim, const char *method, const char *url, sim_answer *out)
{
    memset(out, 0, sizeof *out);
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        page(out, 405, "办件进度 / Application status", "<p>只读页面 / Read only.</p>");
        return;
    }
    const char *number = url + strlen(SIM_PUBLIC_PREFIX);
    if (plausible(number) && certificate_page(sim, number, out))
        return;
    sim_submission found;
    kiosk_error got = plausible(number) ? sim_store_get_submission(sim->store, number, &found)
                                        : KIOSK_ERR_NOT_FOUND;
    if (got == KIOSK_ERR_NOT_FOUND) {
        page(out, 404, "办件进度 / Application status",
             "<p>没有查到这个编号的申请。刚在终端提交、尚未上传的申请，联网后即可查到。</p>"
             "<p>No application has this number. One kept on a terminal appears once it is "
             "sent.</p>");
        return;
    }
    if (got != KIOSK_OK) {
        sim_answer_error(out, 500, "internal", "the platform's state cannot be read", 0);
        return;
    }
    char tracking[2 * SIM_TRACKING_MAX], words[256], note[3 * sizeof found.note], when[64],
        body[4096];
    escaped(found.tracking_number, tracking, sizeof tracking);
    escaped(status_words(found.status), words, sizeof words);
    escaped(found.note, note, sizeof note);
    hall_time(found.updated_at, when, sizeof when);
    snprintf(body, sizeof body,
             "<p>受理编号 / Tracking number: <b>%s</b></p>\n<p>状态 / Status: <b>%s</b></p>\n"
             "<p>%s</p>\n<p><small>更新于 / Updated %s（北京时间 / Beijing time）</small></p>",
             tracking, words, note, when);
    page(out, 200, "办件进度 / Application status", body);
    LOG_INFO(SIM_MODULE, "public page for %s: %s", found.tracking_number, found.status);
}
