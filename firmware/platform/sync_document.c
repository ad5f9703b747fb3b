/* A citizen's certificates (docs/certificates.md): the list a service has
 * for them (POST /v1/documents) and one fetched as a PDF (POST
 * /v1/documents/fetch). The bodies carry the ID number: sync_ask.c sends
 * and wipes them, and never logs them. The PDF travels as base64 in a JSON
 * answer; here it is decoded straight into a block that is wiped when
 * freed, and refused unless it looks like the whole of a PDF of a sane size
 * and page count. An answer refused leaves nothing behind. */
#include "firmware/platform/sync_internal.h"

#include "firmware/base/base64.h"
#include "firmware/base/id_number.h"
#include "firmware/base/wipe_alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOCUMENTS_ANSWER_MAX (64 * 1024)
/* base64 of the largest PDF, and the JSON around it. */
#define DOCUMENT_ANSWER_MAX (SYNC_DOCUMENT_BYTES_MAX / 3 * 4 + 64 * 1024)
/* %%EOF must end the file, give or take the line ends and padding some
 * writers add after it. */
#define PDF_TAIL_BYTES 1024

static bool terminated(const char *field, size_t size)
{
    return memchr(field, '\0', size) != NULL;
}

static bool valid_common(const sync_question *question)
{
    const typeof(question->document) *q = &question->document;
    return terminated(q->service, sizeof q->service) && q->service[0] &&
           terminated(q->id_number, sizeof q->id_number) &&
           id_number_check(q->id_number) == ID_NUMBER_OK && terminated(q->name, sizeof q->name) &&
           terminated(q->document, sizeof q->document);
}

static bool valid_list(const sync_question *question)
{
    return valid_common(question);
}

static bool valid_fetch(const sync_question *question)
{
    return valid_common(question) && question->document.document[0];
}

static void unanswered_list(const sync_question *question, sync_reply *out)
{
    snprintf(out->documents.service, sizeof out->documents.service, "%s",
             question->document.service);
    out->documents.outcome = SYNC_DOCUMENT_NO_ANSWER;
}

static void unanswered_fetch(const sync_question *question, sync_reply *out)
{
    snprintf(out->document.service, sizeof out->document.service, "%s", question->document.service);
    snprintf(out->document.document, sizeof out->document.document, "%s",
             question->document.document);
    out->document.outcome = SYNC_DOCUMENT_NO_ANSWER;
}

static bool request_body(const sync_question *question, bool fetch, cJSON **body)
{
    *body = cJSON_CreateObject();
    cJSON_AddStringToObject(*body, "service", question->document.service);
    cJSON_AddStringToObject(*body, "id_number", question->document.id_number);
    if (question->document.name[0])
        cJSON_AddStringToObject(*body, "name", question->document.name);
    if (fetch)
        cJSON_AddStringToObject(*body, "document", question->document.document);
    return *body != NULL;
}

static bool request_list(const sync_question *question, char *path, size_t path_size, cJSON **body)
{
    snprintf(path, path_size, "/v1/documents");
    return request_body(question, false, body);
}

static bool request_fetch(const sync_question *question, char *path, size_t path_size, cJSON **body)
{
    snprintf(path, path_size, "/v1/documents/fetch");
    return request_body(question, true, body);
}

static bool pages_valid(const cJSON *object, int *out)
{
    const cJSON *pages = cJSON_GetObjectItemCaseSensitive(object, "pages");
    if (!cJSON_IsNumber(pages) || pages->valuedouble < 1 ||
        pages->valuedouble > SYNC_DOCUMENT_PAGES_MAX ||
        pages->valuedouble != (int)pages->valuedouble)
        return false;
    *out = (int)pages->valuedouble;
    return true;
}

/* The list: about the service asked, each entry named and paged. */
static bool read_list(const sync_question *question, long status, const sync_answer *a,
                      sync_reply *reply)
{
    sync_documents_result *out = &reply->documents;
    if (status == 404 && a->json) {
        out->outcome = SYNC_DOCUMENT_NOT_FOUND;
        return true;
    }
    if (status != 200 || !a->json)
        return false;
    cJSON *parsed = sync_answer_json(a);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(parsed, "documents");
    bool ok = cJSON_IsObject(parsed) &&
              sync_copy_text(parsed, "service", out->service, sizeof out->service, true) &&
              strcmp(out->service, question->document.service) == 0 && cJSON_IsArray(list) &&
              cJSON_GetArraySize(list) <= SYNC_DOCUMENTS_MAX;
    const cJSON *item = NULL, *checked = ok ? list : NULL;
    out->count = 0;
    cJSON_ArrayForEach(item, checked)
    {
        sync_document_entry *e = &out->entries[out->count];
        ok = ok && sync_copy_text(item, "id", e->id, sizeof e->id, true) &&
             sync_copy_text(item, "title", e->title, sizeof e->title, true) &&
             sync_copy_text(item, "detail", e->detail, sizeof e->detail, false) &&
             pages_valid(item, &e->pages);
        if (ok)
            out->count++;
    }
    sync_json_free(parsed);
    if (ok)
        out->outcome = SYNC_DOCUMENT_FOUND;
    return ok;
}

static const unsigned char *find(const unsigned char *from, const unsigned char *end,
                                 const char *what)
{
    size_t n = strlen(what);
    return end - from >= (ptrdiff_t)n ? memmem(from, (size_t)(end - from), what, n) : NULL;
}

/* Page objects the file shows in the open ("/Type /Page", not "/Pages"):
 * a writer that packs its objects into compressed streams shows none. */
static int visible_pages(const unsigned char *pdf, size_t length)
{
    int count = 0;
    static const char *const forms[] = {"/Type /Page", "/Type/Page"};
    for (size_t f = 0; f < 2; f++) {
        const unsigned char *at = pdf, *end = pdf + length;
        while ((at = find(at, end, forms[f])) != NULL) {
            at += strlen(forms[f]);
            if (at >= end || !((*at >= 'a' && *at <= 'z') || (*at >= 'A' && *at <= 'Z')))
                count++;
        }
    }
    return count;
}

bool sync_document_pdf_valid(const unsigned char *pdf, size_t length, int pages)
{
    if (length < 64 || length > SYNC_DOCUMENT_BYTES_MAX || memcmp(pdf, "%PDF-", 5) != 0)
        return false;
    size_t tail = length < PDF_TAIL_BYTES ? length : PDF_TAIL_BYTES;
    if (!find(pdf + length - tail, pdf + length, "%%EOF"))
        return false;
    int shown = visible_pages(pdf, length);
    return shown == 0 || shown == pages;
}

static bool code_valid(const char *code)
{
    size_t n = strlen(code);
    if (n < 4)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = code[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

static bool read_fetch(const sync_question *question, long status, const sync_answer *a,
                       sync_reply *reply)
{
    sync_document_result *out = &reply->document;
    if (status == 404 && a->json) {
        out->outcome = SYNC_DOCUMENT_NOT_FOUND;
        return true;
    }
    if (status != 200 || !a->json)
        return false;
    cJSON *parsed = sync_answer_json(a);
    char content_type[32];
    const cJSON *pdf = cJSON_GetObjectItemCaseSensitive(parsed, "pdf");
    bool ok = cJSON_IsObject(parsed) &&
              sync_copy_text(parsed, "service", out->service, sizeof out->service, true) &&
              strcmp(out->service, question->document.service) == 0 &&
              sync_copy_text(parsed, "document", out->document, sizeof out->document, true) &&
              strcmp(out->document, question->document.document) == 0 &&
              sync_copy_text(parsed, "title", out->title, sizeof out->title, true) &&
              pages_valid(parsed, &out->pages) &&
              sync_copy_text(parsed, "verification_code", out->verification_code,
                             sizeof out->verification_code, true) &&
              code_valid(out->verification_code) &&
              sync_copy_text(parsed, "verification_url", out->verification_url,
                             sizeof out->verification_url, true) &&
              strncmp(out->verification_url, "https://", 8) == 0 &&
              sync_copy_text(parsed, "content_type", content_type, sizeof content_type, true) &&
              strcmp(content_type, "application/pdf") == 0 && cJSON_IsString(pdf);
    if (ok) {
        out->pdf = base64_decode(pdf->valuestring, SYNC_DOCUMENT_BYTES_MAX, &out->length);
        ok = out->pdf && sync_document_pdf_valid(out->pdf, out->length, out->pages);
    }
    sync_json_free(parsed);
    if (!ok) {
        wipe_free(out->pdf);
        out->pdf = NULL;
        out->length = 0;
        return false;
    }
    out->outcome = SYNC_DOCUMENT_FOUND;
    return true;
}

static void describe_list(const sync_question *question, char *out, size_t size)
{
    snprintf(out, size, "%s documents", question->document.service);
}

static void describe_fetch(const sync_question *question, char *out, size_t size)
{
    snprintf(out, size, "%s document %s", question->document.service, question->document.document);
}

const sync_ask_kind_ops sync_ask_documents_ops = {.max_answer = DOCUMENTS_ANSWER_MAX,
                                                  .valid = valid_list,
                                                  .unanswered = unanswered_list,
                                                  .request = request_list,
                                                  .read = read_list,
                                                  .describe = describe_list};

const sync_ask_kind_ops sync_ask_document_ops = {.max_answer = DOCUMENT_ANSWER_MAX,
                                                 .valid = valid_fetch,
                                                 .unanswered = unanswered_fetch,
                                                 .request = request_fetch,
                                                 .read = read_fetch,
                                                 .describe = describe_fetch};

/* ---- from plain strings ---------------------------------------------------- */

static kiosk_error ask_document(sync_client *client, sync_ask_kind kind, const char *service,
                                const char *id_number, const char *name, const char *document)
{
    sync_question question = {.kind = kind};
    typeof(question.document) *q = &question.document;
    if (!name)
        name = "";
    if (!service || !id_number || !document || strlen(service) >= sizeof q->service ||
        strlen(id_number) >= sizeof q->id_number || strlen(name) >= sizeof q->name ||
        strlen(document) >= sizeof q->document)
        return KIOSK_ERR_INVALID_ARGUMENT;
    snprintf(q->service, sizeof q->service, "%s", service);
    snprintf(q->id_number, sizeof q->id_number, "%s", id_number);
    snprintf(q->name, sizeof q->name, "%s", name);
    snprintf(q->document, sizeof q->document, "%s", document);
    kiosk_error result = sync_ask(client, &question);
    explicit_bzero(&question, sizeof question);
    return result;
}

kiosk_error sync_documents(sync_client *client, const char *service, const char *id_number,
                           const char *name)
{
    return ask_document(client, SYNC_ASK_DOCUMENTS, service, id_number, name, "");
}

kiosk_error sync_document(sync_client *client, const char *service, const char *id_number,
                          const char *name, const char *document)
{
    return ask_document(client, SYNC_ASK_DOCUMENT, service, id_number, name, document);
}

void sync_reply_drop_document(sync_reply *reply)
{
    if (!reply || reply->kind != SYNC_ASK_DOCUMENT)
        return;
    wipe_free(reply->document.pdf);
    reply->document.pdf = NULL;
    reply->document.length = 0;
}
