/* Certificates: the list a citizen chooses from and the PDF fetched. See
 * documents.h. */
#include "documents.h"

#include "pdf.h"

#include "firmware/base/log.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- who the citizen is, made up from the ID number ---------------------- */

static unsigned seed_of(const char *id_number)
{
    unsigned seed = 2166136261u;
    for (const char *c = id_number; *c; c++)
        seed = (seed ^ (unsigned char)*c) * 16777619u;
    return seed;
}

/* How many enterprises the citizen represents: the sequence code (digits
 * 15-17) plus two, modulo three, so a test picks 0, 1 or 2 by the number
 * (440304199001011233: 2; 11010519491231002X: 1; 110105194912310011: 0). */
static unsigned enterprises_of(const char *id_number)
{
    unsigned sequence = (unsigned)((id_number[14] - '0') * 100 + (id_number[15] - '0') * 10 +
                                   (id_number[16] - '0'));
    return (sequence + 2) % 3;
}

static bool id_number_valid(const char *id)
{
    if (!id || strlen(id) != 18)
        return false;
    for (int i = 0; i < 17; i++) {
        if (id[i] < '0' || id[i] > '9')
            return false;
    }
    return (id[17] >= '0' && id[17] <= '9') || id[17] == 'X';
}

/* A name as a certificate shows it: the first character, then one star per
 * character, the last kept when there are three or more (张*, 欧**娜). */
static void mask_name(const char *name, char *out, size_t size)
{
    size_t starts[64], count = 0, length = strlen(name);
    for (size_t i = 0; i < length && count < 64; i++) {
        if (((unsigned char)name[i] & 0xc0) != 0x80)
            starts[count++] = i;
    }
    if (count == 0) {
        snprintf(out, size, "*");
        return;
    }
    size_t used = 0;
    size_t first_end = count > 1 ? starts[1] : length;
    used += (size_t)snprintf(out + used, size - used, "%.*s", (int)first_end, name);
    for (size_t i = 1; i < count && used < size; i++) {
        bool keep = count >= 3 && i == count - 1;
        if (keep)
            used += (size_t)snprintf(out + used, size - used, "%s", name + starts[i]);
        else
            used += (size_t)snprintf(out + used, size - used, "*");
    }
}

static void mask_id(const char *id, char *out, size_t size)
{
    snprintf(out, size, "%.6s********%.4s", id, id + 14);
}

/* ---- the documents of a service ------------------------------------------ */

typedef struct entry {
    char id[32], title[96], detail[128];
} entry;

#define ENTRIES_MAX 4

static const char *const enterprise_names[] = {"深圳市鹏程示范科技有限公司",
                                               "深圳市南山区晨光便利店"};
static const char *const enterprise_kinds[] = {"有限责任公司（自然人投资或控股）", "个体工商户"};

/* The documents service has for the citizen id_number: their count, or -1
 * when the service delivers none. */
static int entries_of(const char *service, const char *id_number, entry *out)
{
    if (strcmp(service, "social-insurance-certificate") == 0) {
        out[0] = (entry){"si-record", "社会保险参保缴费证明", "近 24 个月缴费明细"};
        return 1;
    }
    if (strcmp(service, "tax-certificate") == 0) {
        out[0] = (entry){"tax-record", "个人所得税纳税记录", "近 12 个月已缴税款"};
        return 1;
    }
    if (strcmp(service, "business-license-print") == 0) {
        unsigned count = enterprises_of(id_number);
        for (unsigned i = 0; i < count; i++) {
            snprintf(out[i].id, sizeof out[i].id, "biz-%u", i + 1);
            snprintf(out[i].title, sizeof out[i].title, "营业执照（副本）");
            snprintf(out[i].detail, sizeof out[i].detail, "%s", enterprise_names[i]);
        }
        return (int)count;
    }
    if (strcmp(service, "e-licenses") == 0) {
        out[0] = (entry){"el-id-card", "居民身份证（电子证照）", "公安机关签发"};
        out[1] = (entry){"el-household", "居民户口簿（本人页）", "户籍所在地公安机关"};
        out[2] = (entry){"el-marriage", "结婚证（电子证照）", "婚姻登记机关"};
        return 3;
    }
    return -1;
}

/* ---- what each document says --------------------------------------------- */

static void fact(sim_pdf_document *d, const char *label, const char *value)
{
    if (d->fact_count >= SIM_PDF_FACTS_MAX)
        return;
    snprintf(d->fact_labels[d->fact_count], sizeof d->fact_labels[0], "%s", label);
    snprintf(d->fact_values[d->fact_count], sizeof d->fact_values[0], "%s", value);
    d->fact_count++;
}

static void columns(sim_pdf_document *d, const char *a, const char *b, const char *c, const char *e)
{
    const char *names[] = {a, b, c, e};
    d->column_count = 4;
    for (int i = 0; i < 4; i++)
        snprintf(d->columns[i], sizeof d->columns[i], "%s", names[i]);
}

/* The month `back` months before this one, as 2026-11. */
static void month_before(const struct tm *now, int back, char *out, size_t size)
{
    int months = now->tm_year * 12 + now->tm_mon - back;
    snprintf(out, size, "%04d-%02d", 1900 + months / 12, months % 12 + 1);
}

static void social_insurance(sim_pdf_document *d, const char *name, const char *id,
                             const struct tm *now)
{
    unsigned seed = seed_of(id);
    unsigned base = 6000 + seed % 18000;
    char value[128];
    snprintf(d->issuer, sizeof d->issuer, "社会保险经办机构（演示平台）");
    fact(d, "姓名", name);
    fact(d, "公民身份号码", id);
    fact(d, "参保状态", "正常参保");
    fact(d, "参保险种", "养老、医疗、失业、工伤、生育");
    snprintf(value, sizeof value, "%u 年 %02u 月", 2008 + seed % 12, 1 + seed / 7 % 12);
    fact(d, "首次参保", value);
    columns(d, "费款所属期", "缴费基数（元）", "个人缴费（元）", "单位缴费（元）");
    d->row_count = 24;
    for (size_t r = 0; r < d->row_count; r++) {
        month_before(now, (int)r + 1, d->rows[r][0], sizeof d->rows[r][0]);
        snprintf(d->rows[r][1], sizeof d->rows[r][1], "%u.00", base);
        snprintf(d->rows[r][2], sizeof d->rows[r][2], "%u.%02u", base * 8 / 100, base * 8 % 100);
        snprintf(d->rows[r][3], sizeof d->rows[r][3], "%u.%02u", base * 16 / 100, base * 16 % 100);
    }
    snprintf(d->note, sizeof d->note, "兹证明该参保人在本机构参保缴费情况如上。");
}

static void tax_record(sim_pdf_document *d, const char *name, const char *id, const struct tm *now)
{
    unsigned seed = seed_of(id);
    unsigned income = 9000 + seed % 30000;
    unsigned tax = income > 5000 ? (income - 5000) * 3 / 100 : 0;
    char from[16], to[16], period[48];
    month_before(now, 12, from, sizeof from);
    month_before(now, 1, to, sizeof to);
    snprintf(period, sizeof period, "%s 至 %s", from, to);
    snprintf(d->issuer, sizeof d->issuer, "国家税务总局（演示平台）");
    fact(d, "纳税人姓名", name);
    fact(d, "身份证件号码", id);
    fact(d, "税款所属期", period);
    fact(d, "税种", "个人所得税（工资薪金所得）");
    columns(d, "所属期", "收入额（元）", "已缴税额（元）", "入库日期");
    d->row_count = 12;
    for (size_t r = 0; r < d->row_count; r++) {
        month_before(now, (int)r + 1, d->rows[r][0], sizeof d->rows[r][0]);
        snprintf(d->rows[r][1], sizeof d->rows[r][1], "%u.00", income);
        snprintf(d->rows[r][2], sizeof d->rows[r][2], "%u.00", tax);
        month_before(now, (int)r, d->rows[r][3], sizeof d->rows[r][3]);
        strncat(d->rows[r][3], "-15", sizeof d->rows[r][3] - strlen(d->rows[r][3]) - 1);
    }
    snprintf(d->note, sizeof d->note, "本记录仅证明所列税款已入库，不作纳税人涉税信用证明。");
}

static void business_licence(sim_pdf_document *d, const char *name, const char *id, unsigned which)
{
    unsigned seed = seed_of(id) + which * 7919u;
    char value[128];
    snprintf(d->issuer, sizeof d->issuer, "市场监督管理局（演示平台）");
    snprintf(value, sizeof value, "91440300MA5F%06u%c", seed % 1000000, 'A' + which);
    fact(d, "统一社会信用代码", value);
    fact(d, "名称", enterprise_names[which]);
    fact(d, "类型", enterprise_kinds[which]);
    fact(d, "法定代表人", name);
    snprintf(value, sizeof value, "%u 万元人民币", which == 0 ? 100 + seed % 900 : 5);
    fact(d, "注册资本", value);
    snprintf(value, sizeof value, "%u 年 %02u 月 %02u 日", 2015 + seed % 10, 1 + seed % 12,
             1 + seed % 28);
    fact(d, "成立日期", value);
    fact(d, "住所", "深圳市南山区粤海街道科技园路 1 号");
    fact(d, "经营范围", which == 0 ? "软件开发；信息技术咨询服务" : "预包装食品、日用百货零售");
    snprintf(d->note, sizeof d->note, "本副本由电子营业执照生成，与纸质营业执照具有同等效力。");
}

static void e_licence(sim_pdf_document *d, const char *name, const char *id, const char *which,
                      const char *masked_id)
{
    unsigned seed = seed_of(id);
    char value[128];
    fact(d, "姓名", name);
    fact(d, "公民身份号码", masked_id);
    if (strcmp(which, "el-id-card") == 0) {
        snprintf(d->issuer, sizeof d->issuer, "公安机关（演示平台）");
        fact(d, "性别", (id[16] - '0') % 2 ? "男" : "女");
        snprintf(value, sizeof value, "%.4s 年 %.2s 月 %.2s 日", id + 6, id + 10, id + 12);
        fact(d, "出生", value);
        snprintf(value, sizeof value, "%u.01.01-%u.01.01", 2016 + seed % 8, 2036 + seed % 8);
        fact(d, "有效期限", value);
    } else if (strcmp(which, "el-household") == 0) {
        snprintf(d->issuer, sizeof d->issuer, "户籍所在地公安机关（演示平台）");
        fact(d, "户别", "居民家庭户");
        fact(d, "与户主关系", "户主");
        fact(d, "住址", "深圳市福田区莲花街道");
    } else {
        snprintf(d->issuer, sizeof d->issuer, "婚姻登记机关（演示平台）");
        snprintf(value, sizeof value, "J440304-%04u-%06u", 2010 + seed % 15, seed % 1000000);
        fact(d, "结婚证字号", value);
        snprintf(value, sizeof value, "%u 年 %02u 月 %02u 日", 2010 + seed % 15, 1 + seed % 12,
                 1 + seed % 28);
        fact(d, "登记日期", value);
    }
    snprintf(d->note, sizeof d->note, "本件为电子证照打印件，仅供办事使用。");
}

/* ---- the requests -------------------------------------------------------- */

typedef struct asked {
    cJSON *json;
    const char *service, *id_number, *name, *document;
} asked;

static bool read_request(const sim_call *call, bool fetch, asked *out, sim_answer *answer)
{
    *out = (asked){0};
    out->json = cJSON_ParseWithLength(call->body, call->length);
    const cJSON *service = cJSON_GetObjectItemCaseSensitive(out->json, "service"),
                *id = cJSON_GetObjectItemCaseSensitive(out->json, "id_number"),
                *name = cJSON_GetObjectItemCaseSensitive(out->json, "name"),
                *document = cJSON_GetObjectItemCaseSensitive(out->json, "document");
    out->service = cJSON_IsString(service) ? service->valuestring : NULL;
    out->id_number = cJSON_IsString(id) ? id->valuestring : NULL;
    out->name = cJSON_IsString(name) && name->valuestring[0] ? name->valuestring : "张伟";
    out->document = cJSON_IsString(document) ? document->valuestring : NULL;
    if (!cJSON_IsObject(out->json) || !out->service || !id_number_valid(out->id_number) ||
        (fetch && !out->document)) {
        cJSON_Delete(out->json);
        out->json = NULL;
        sim_answer_error(answer, 400, "bad-request",
                         fetch ? "the body needs service, id_number and document"
                               : "the body needs service and id_number",
                         0);
        return false;
    }
    return true;
}

static void answer_object(sim_answer *out, cJSON *json)
{
    char *text = json ? cJSON_PrintUnformatted(json) : NULL;
    cJSON_Delete(json);
    if (!text)
        sim_answer_error(out, 500, "internal", "no memory for the answer", 0);
    else
        sim_answer_json(out, 200, text);
}

void sim_documents_list(sim_context *sim, const sim_call *call, sim_answer *out)
{
    (void)sim;
    asked request;
    if (!read_request(call, false, &request, out))
        return;
    entry entries[ENTRIES_MAX];
    int count = entries_of(request.service, request.id_number, entries);
    if (count < 0) {
        cJSON_Delete(request.json);
        sim_answer_error(out, 404, "not-found", "this service delivers no documents", 0);
        return;
    }
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddStringToObject(answer, "service", request.service);
    cJSON *list = cJSON_AddArrayToObject(answer, "documents");
    for (int i = 0; i < count; i++) {
        cJSON *one = cJSON_CreateObject();
        cJSON_AddStringToObject(one, "id", entries[i].id);
        cJSON_AddStringToObject(one, "title", entries[i].title);
        cJSON_AddStringToObject(one, "detail", entries[i].detail);
        cJSON_AddNumberToObject(one, "pages", strcmp(entries[i].id, "si-record") == 0 ? 2 : 1);
        cJSON_AddItemToArray(list, one);
    }
    cJSON_Delete(request.json);
    answer_object(out, answer);
}

static char *base64(const unsigned char *data, size_t length)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = malloc((length + 2) / 3 * 4 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < length; i += 3) {
        unsigned v = (unsigned)data[i] << 16;
        if (i + 1 < length)
            v |= (unsigned)data[i + 1] << 8;
        if (i + 2 < length)
            v |= data[i + 2];
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = i + 1 < length ? alphabet[v >> 6 & 63] : '=';
        out[o++] = i + 2 < length ? alphabet[v & 63] : '=';
    }
    out[o] = '\0';
    return out;
}

/* A new code for every issue: what the public page looks up. */
static void new_code(sim_context *sim, const char *document, const char *id, char *out, size_t size)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    pthread_mutex_lock(&sim->lock);
    unsigned long serial = ++sim->stats.documents_served;
    pthread_mutex_unlock(&sim->lock);
    unsigned a = seed_of(document) ^ seed_of(id), b = (unsigned)now.tv_nsec ^ (unsigned)serial;
    b = b * 2654435761u ^ (unsigned)now.tv_sec;
    snprintf(out, size, "%04X-%04X-%04X-%04X", a >> 16, a & 0xffff, b >> 16, b & 0xffff);
}

void sim_documents_fetch(sim_context *sim, const sim_call *call, sim_answer *out)
{
    asked request;
    if (!read_request(call, true, &request, out))
        return;
    entry entries[ENTRIES_MAX];
    int count = entries_of(request.service, request.id_number, entries), found = -1;
    for (int i = 0; i < count; i++) {
        if (strcmp(entries[i].id, request.document) == 0)
            found = i;
    }
    if (found < 0) {
        cJSON_Delete(request.json);
        sim_answer_error(out, 404, "not-found", "no such document for this citizen", 0);
        return;
    }
    sim_pdf_document *d = calloc(1, sizeof *d);
    if (!d) {
        cJSON_Delete(request.json);
        sim_answer_error(out, 500, "internal", "no memory for the document", 0);
        return;
    }
    time_t now = time(NULL);
    struct tm local;
    localtime_r(&now, &local);
    char name[96], masked_id[32];
    mask_name(request.name, name, sizeof name);
    mask_id(request.id_number, masked_id, sizeof masked_id);
    snprintf(d->title, sizeof d->title, "%s", entries[found].title);
    const char *id = request.document;
    if (strcmp(id, "si-record") == 0)
        social_insurance(d, name, masked_id, &local);
    else if (strcmp(id, "tax-record") == 0)
        tax_record(d, name, masked_id, &local);
    else if (strncmp(id, "biz-", 4) == 0)
        business_licence(d, name, request.id_number, (unsigned)(id[4] - '1'));
    else
        e_licence(d, name, request.id_number, id, masked_id);
    new_code(sim, id, request.id_number, d->verification_code, sizeof d->verification_code);
    snprintf(d->verification_url, sizeof d->verification_url, "%sv/%s", sim->public_url,
             d->verification_code);
    char issued[64];
    strftime(issued, sizeof issued, "%Y 年 %m 月 %d 日", &local);
    fact(d, "出具日期", issued);

    unsigned char *pdf = NULL;
    size_t length = 0;
    int pages = 0;
    kiosk_error drawn = sim_pdf_render(d, &pdf, &length, &pages);
    char *encoded = drawn == KIOSK_OK && length <= SIM_DOCUMENT_MAX ? base64(pdf, length) : NULL;
    free(pdf);
    if (!encoded) {
        free(d);
        cJSON_Delete(request.json);
        sim_answer_error(out, 500, "internal", "the document could not be made", 0);
        return;
    }
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddStringToObject(answer, "service", request.service);
    cJSON_AddStringToObject(answer, "document", id);
    cJSON_AddStringToObject(answer, "title", d->title);
    cJSON_AddNumberToObject(answer, "pages", pages);
    cJSON_AddStringToObject(answer, "verification_code", d->verification_code);
    cJSON_AddStringToObject(answer, "verification_url", d->verification_url);
    cJSON_AddStringToObject(answer, "content_type", "application/pdf");
    cJSON_AddStringToObject(answer, "pdf", encoded);
    free(encoded);
    LOG_INFO(SIM_MODULE, "document %s issued: %d page(s), %zu bytes", id, pages, length);
    pthread_mutex_lock(&sim->lock);
    sim_issued *kept = &sim->issued[sim->issued_count++ % SIM_ISSUED_MAX];
    snprintf(kept->code, sizeof kept->code, "%s", d->verification_code);
    snprintf(kept->title, sizeof kept->title, "%s", d->title);
    sim_time_now(kept->at);
    pthread_mutex_unlock(&sim->lock);
    free(d);
    cJSON_Delete(request.json);
    answer_object(out, answer);
}

/* ---- hostile fetches ------------------------------------------------------ */

bool sim_documents_spoils(sim_fault fault)
{
    return fault == SIM_FAULT_PDF_TRUNCATED || fault == SIM_FAULT_PDF_NOT_PDF ||
           fault == SIM_FAULT_PDF_WRONG_TYPE || fault == SIM_FAULT_PDF_PAGES;
}

/* The fetch's answer with its "pdf" rewritten: the first half of the
 * base64 (a PDF cut off mid-stream, no %%EOF), or an HTML page where the
 * PDF should be (base64 of "<!DOCTYPE html>..."). */
void sim_documents_spoil(sim_fault fault, sim_answer *answer)
{
    if (fault == SIM_FAULT_PDF_WRONG_TYPE) {
        answer->content_type = "application/octet-stream";
        return;
    }
    cJSON *json = answer->body ? cJSON_ParseWithLength(answer->body, answer->length) : NULL;
    cJSON *pdf = cJSON_GetObjectItemCaseSensitive(json, "pdf");
    if (!cJSON_IsString(pdf)) {
        cJSON_Delete(json);
        return;
    }
    if (fault == SIM_FAULT_PDF_TRUNCATED) {
        size_t length = strlen(pdf->valuestring);
        pdf->valuestring[length / 2 / 4 * 4] = '\0';
    } else if (fault == SIM_FAULT_PDF_NOT_PDF) {
        static const char page[] =
            "<!DOCTYPE html><html><body>证明生成中，请稍后再试</body></html>";
        char *encoded = base64((const unsigned char *)page, sizeof page - 1);
        cJSON_ReplaceItemInObjectCaseSensitive(json, "pdf",
                                               cJSON_CreateString(encoded ? encoded : ""));
        free(encoded);
    } else if (fault == SIM_FAULT_PDF_PAGES) {
        cJSON_ReplaceItemInObjectCaseSensitive(json, "pages", cJSON_CreateNumber(4000));
    }
    char *text = cJSON_PrintUnformatted(json);
    cJSON_Delete(json);
    if (!text)
        return;
    free(answer->body);
    answer->body = text;
    answer->length = strlen(text);
}
