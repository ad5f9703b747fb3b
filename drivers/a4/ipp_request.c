/* IPP requests through libcups (ipp_request.h). */
#include "drivers/a4/ipp_request.h"

#include <cups/cups.h>
#include <cups/ipp.h>

#include <stdio.h>
#include <string.h>

/* The printer is asked in the name of the terminal, never of a citizen. */
#define REQUESTING_USER "kiosk"
#define MEDIA_A4        "iso_a4_210x297mm"

kiosk_error ipp_endpoint_parse(const char *uri, ipp_endpoint *out)
{
    memset(out, 0, sizeof *out);
    char scheme[16], user[64];
    if (strlen(uri) >= sizeof out->uri)
        return KIOSK_ERR_INVALID_ARGUMENT;
    http_uri_status_t status = httpSeparateURI(HTTP_URI_CODING_ALL, uri, scheme, sizeof scheme,
                                               user, sizeof user, out->host, sizeof out->host,
                                               &out->port, out->resource, sizeof out->resource);
    if (status < HTTP_URI_STATUS_OK || !out->host[0] || out->port <= 0 || out->port > 65535)
        return KIOSK_ERR_INVALID_ARGUMENT;
    if (strcmp(scheme, "ipps") == 0)
        out->tls = true;
    else if (strcmp(scheme, "ipp") != 0)
        return KIOSK_ERR_INVALID_ARGUMENT;
    if (user[0]) /* no credentials in a profile's URI */
        return KIOSK_ERR_INVALID_ARGUMENT;
    snprintf(out->uri, sizeof out->uri, "%s", uri);
    return KIOSK_OK;
}

static void disconnect(ipp_endpoint *endpoint)
{
    if (endpoint->http)
        httpClose(endpoint->http);
    endpoint->http = NULL;
}

void ipp_endpoints_close(ipp_endpoint *endpoints, size_t count)
{
    for (size_t i = 0; i < count; i++)
        disconnect(&endpoints[i]);
}

static http_t *connection(ipp_endpoint *endpoint, int answer_ms)
{
    if (!endpoint->http) {
        endpoint->http =
            httpConnect2(endpoint->host, endpoint->port, NULL, AF_UNSPEC,
                         endpoint->tls ? HTTP_ENCRYPTION_ALWAYS : HTTP_ENCRYPTION_IF_REQUESTED, 1,
                         answer_ms, NULL);
    }
    if (endpoint->http)
        httpSetTimeout(endpoint->http, answer_ms / 1000.0, NULL, NULL);
    return endpoint->http;
}

static ipp_t *new_request(ipp_endpoint *endpoint, ipp_op_t op)
{
    ipp_t *request = ippNewRequest(op);
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, endpoint->uri);
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL,
                 REQUESTING_USER);
    return request;
}

/* Sends request (consumed) and returns the answer, or NULL with the
 * connection dropped when there was none. */
static ipp_t *exchange(ipp_endpoint *endpoint, int answer_ms, ipp_t *request)
{
    http_t *http = connection(endpoint, answer_ms);
    if (!http) {
        ippDelete(request);
        return NULL;
    }
    ipp_t *response = cupsDoRequest(http, request, endpoint->resource);
    if (!response)
        disconnect(endpoint);
    return response;
}

static void copy_reasons(ipp_t *response, const char *name, char reasons[][IPP_REASON_MAX],
                         size_t *count)
{
    *count = 0;
    ipp_attribute_t *attribute = ippFindAttribute(response, name, IPP_TAG_KEYWORD);
    for (int i = 0; attribute && i < ippGetCount(attribute) && *count < IPP_REASONS_MAX; i++) {
        const char *reason = ippGetString(attribute, i, NULL);
        if (reason && strcmp(reason, "none") != 0)
            snprintf(reasons[(*count)++], IPP_REASON_MAX, "%s", reason);
    }
}

kiosk_error ipp_printer_query(ipp_endpoint *endpoint, int answer_ms, ipp_printer_facts *out)
{
    static const char *const wanted[] = {"printer-state", "printer-state-reasons",
                                         "printer-is-accepting-jobs"};
    memset(out, 0, sizeof *out);
    ipp_t *request = new_request(endpoint, IPP_OP_GET_PRINTER_ATTRIBUTES);
    ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                  (int)(sizeof wanted / sizeof wanted[0]), NULL, wanted);
    ipp_t *response = exchange(endpoint, answer_ms, request);
    if (!response)
        return KIOSK_ERR_NO_DEVICE;
    kiosk_error result = KIOSK_OK;
    ipp_attribute_t *state = ippFindAttribute(response, "printer-state", IPP_TAG_ENUM);
    if (ippGetStatusCode(response) > IPP_STATUS_OK_EVENTS_COMPLETE)
        result = KIOSK_ERR_IO;
    else if (!state)
        result = KIOSK_ERR_MALFORMED;
    else {
        out->state = ippGetInteger(state, 0);
        ipp_attribute_t *accepting =
            ippFindAttribute(response, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN);
        out->accepting = !accepting || ippGetBoolean(accepting, 0);
        copy_reasons(response, "printer-state-reasons", out->reasons, &out->reason_count);
    }
    ippDelete(response);
    return result;
}

kiosk_error ipp_print_pdf(ipp_endpoint *endpoint, int answer_ms, const char *title, const void *pdf,
                          size_t length, int *job_id, char *refusal, size_t refusal_size)
{
    *job_id = 0;
    if (refusal_size)
        refusal[0] = '\0';
    http_t *http = connection(endpoint, answer_ms);
    if (!http)
        return KIOSK_ERR_NO_DEVICE;
    ipp_t *request = new_request(endpoint, IPP_OP_PRINT_JOB);
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", NULL, title);
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", NULL,
                 "application/pdf");
    ippAddString(request, IPP_TAG_JOB, IPP_TAG_KEYWORD, "media", NULL, MEDIA_A4);
    /* The HTTP body is the IPP request and the document after it. */
    http_status_t sent =
        cupsSendRequest(http, request, endpoint->resource, ippLength(request) + length);
    bool started = sent == HTTP_STATUS_CONTINUE;
    if (started)
        sent = cupsWriteRequestData(http, pdf, length);
    ipp_t *response =
        sent == HTTP_STATUS_CONTINUE ? cupsGetResponse(http, endpoint->resource) : NULL;
    ippDelete(request);
    if (!response) {
        disconnect(endpoint);
        return started ? KIOSK_ERR_TIMEOUT : KIOSK_ERR_NO_DEVICE;
    }
    kiosk_error result = KIOSK_OK;
    ipp_attribute_t *id = ippFindAttribute(response, "job-id", IPP_TAG_INTEGER);
    if (ippGetStatusCode(response) > IPP_STATUS_OK_EVENTS_COMPLETE || !id) {
        snprintf(refusal, refusal_size, "%s", ippErrorString(ippGetStatusCode(response)));
        result = KIOSK_ERR_IO;
    } else {
        *job_id = ippGetInteger(id, 0);
    }
    ippDelete(response);
    return result;
}

kiosk_error ipp_job_query(ipp_endpoint *endpoint, int answer_ms, int job_id, ipp_job_facts *out)
{
    static const char *const wanted[] = {"job-state", "job-state-reasons",
                                         "job-impressions-completed"};
    memset(out, 0, sizeof *out);
    ipp_t *request = new_request(endpoint, IPP_OP_GET_JOB_ATTRIBUTES);
    ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
    ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                  (int)(sizeof wanted / sizeof wanted[0]), NULL, wanted);
    ipp_t *response = exchange(endpoint, answer_ms, request);
    if (!response)
        return KIOSK_ERR_NO_DEVICE;
    kiosk_error result = KIOSK_OK;
    ipp_attribute_t *state = ippFindAttribute(response, "job-state", IPP_TAG_ENUM);
    if (ippGetStatusCode(response) > IPP_STATUS_OK_EVENTS_COMPLETE)
        result = KIOSK_ERR_IO;
    else if (!state)
        result = KIOSK_ERR_MALFORMED;
    else {
        out->state = ippGetInteger(state, 0);
        ipp_attribute_t *done =
            ippFindAttribute(response, "job-impressions-completed", IPP_TAG_INTEGER);
        out->impressions_completed = done ? ippGetInteger(done, 0) : -1;
        copy_reasons(response, "job-state-reasons", out->reasons, &out->reason_count);
    }
    ippDelete(response);
    return result;
}

kiosk_error ipp_job_cancel(ipp_endpoint *endpoint, int answer_ms, int job_id)
{
    ipp_t *request = new_request(endpoint, IPP_OP_CANCEL_JOB);
    ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
    ipp_t *response = exchange(endpoint, answer_ms, request);
    if (!response)
        return KIOSK_ERR_NO_DEVICE;
    kiosk_error result =
        ippGetStatusCode(response) > IPP_STATUS_OK_EVENTS_COMPLETE ? KIOSK_ERR_IO : KIOSK_OK;
    ippDelete(response);
    return result;
}

bool ipp_reason_is(const char *reason, const char *keyword)
{
    size_t n = strlen(keyword);
    if (strncmp(reason, keyword, n) != 0)
        return false;
    const char *rest = reason + n;
    return !*rest || strcmp(rest, "-report") == 0 || strcmp(rest, "-warning") == 0 ||
           strcmp(rest, "-error") == 0;
}
