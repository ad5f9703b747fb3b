/* A citizen's calls to the platform — a status lookup, an e-ID check, a
 * query of their own data — as one pattern: a slot per kind that the main
 * thread fills (sync_ask), the sync thread asks before anything else and
 * wipes (sync_ask_serve), one request with its answer read by the kind
 * (sync_ask_run), and one callback for every reply. What differs between
 * the kinds (the request, what an answer must say) is in sync_lookup.c,
 * sync_eid.c and sync_query.c. */
#include "firmware/platform/sync_internal.h"

#include "firmware/base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const sync_ask_kind_ops *ops_of(sync_ask_kind kind)
{
    switch (kind) {
    case SYNC_ASK_LOOKUP:
        return &sync_ask_lookup_ops;
    case SYNC_ASK_EID:
        return &sync_ask_eid_ops;
    case SYNC_ASK_QUERY:
        return &sync_ask_query_ops;
    case SYNC_ASK_APPOINTMENT:
        return &sync_ask_appointment_ops;
    case SYNC_ASK_DOCUMENTS:
        return &sync_ask_documents_ops;
    case SYNC_ASK_DOCUMENT:
        return &sync_ask_document_ops;
    default:
        return NULL;
    }
}

void sync_ask_run(sync_client *client, const sync_question *question, sync_reply *out)
{
    const sync_ask_kind_ops *ops = ops_of(question->kind);
    memset(out, 0, sizeof *out);
    out->kind = question->kind;
    ops->unanswered(question, out);
    char path[96];
    cJSON *body = NULL;
    if (!ops->request(question, path, sizeof path, &body))
        return;
    /* A body is personal (an ID number, a code): printed into our own
     * buffer, wiped once sent. */
    size_t text_size = 0;
    char *text = body ? sync_print_json(body, &text_size) : NULL;
    sync_json_free(body);
    if (body && !text)
        return;
    sync_request request = {.path = path,
                            .body = text,
                            .length = text ? strlen(text) : 0,
                            .max_answer = ops->max_answer};
    sync_answer a;
    long status;
    CURLcode code = sync_http_perform(client, &request, &a, &status);
    sync_wipe_free(text, text_size);
    sync_outcome link = SYNC_RETRY;
    bool answered = false;
    if (code == CURLE_OK && (status == 401 || status == 403)) {
        link = SYNC_REFUSED;
    } else if (code == CURLE_OK) {
        answered = ops->read(question, status, &a, out);
        if (answered) {
            link = SYNC_DELIVERED;
        } else {
            /* Nothing of an answer that is not one is kept. */
            explicit_bzero(out, sizeof *out);
            out->kind = question->kind;
            ops->unanswered(question, out);
        }
    }
    sync_note_link(client, code, status, &a, link);
    sync_answer_free(&a);
    if (!answered) {
        char what[80];
        ops->describe(question, what, sizeof what);
        LOG_WARN(SYNC_LOG, "%s: no answer (%s %ld)", what,
                 code == CURLE_OK ? "answer" : client->api->easy_strerror(code), status);
    }
}

kiosk_error sync_ask(sync_client *client, const sync_question *question)
{
    const sync_ask_kind_ops *ops = question ? ops_of(question->kind) : NULL;
    if (!ops || !ops->valid(question))
        return KIOSK_ERR_INVALID_ARGUMENT;
    struct sync_slot *slot = &client->asks[question->kind];
    pthread_mutex_lock(&client->lock);
    bool busy = slot->asked;
    if (!busy) {
        slot->question = *question;
        slot->asked = true;
        client->woken = true;
        pthread_cond_broadcast(&client->wake);
    }
    pthread_mutex_unlock(&client->lock);
    return busy ? KIOSK_ERR_BUSY : KIOSK_OK;
}

void sync_on_answer(sync_client *client, void (*answered)(const sync_reply *reply, void *context))
{
    client->answered = answered;
}

void sync_ask_serve(sync_client *client)
{
    for (int kind = 0; kind < SYNC_ASK_KINDS; kind++) {
        struct sync_slot *slot = &client->asks[kind];
        sync_question question;
        /* Copied only when there is one: this runs on every pass of the loop. */
        pthread_mutex_lock(&client->lock);
        bool asked = slot->asked;
        if (asked)
            question = slot->question;
        pthread_mutex_unlock(&client->lock);
        if (!asked)
            continue;
        sync_reply *reply = malloc(sizeof *reply); /* a query's is a few KiB */
        if (reply)
            sync_ask_run(client, &question, reply);
        explicit_bzero(&question, sizeof question);
        pthread_mutex_lock(&client->lock);
        explicit_bzero(slot, sizeof *slot);
        pthread_mutex_unlock(&client->lock);
        if (reply && client->answered)
            client->answered(reply, client->context);
        else if (reply)
            sync_reply_drop_document(reply); /* nobody takes its PDF */
        if (reply)
            explicit_bzero(reply, sizeof *reply);
        free(reply);
    }
}

/* ---- the same from plain strings ----------------------------------------- */

static bool fits(const char *text, size_t size)
{
    return text && strlen(text) < size;
}

static kiosk_error ask_wiped(sync_client *client, sync_question *question)
{
    kiosk_error result = sync_ask(client, question);
    explicit_bzero(question, sizeof *question);
    return result;
}

kiosk_error sync_lookup(sync_client *client, const char *tracking)
{
    sync_question question = {.kind = SYNC_ASK_LOOKUP};
    if (!fits(tracking, sizeof question.lookup.tracking))
        return KIOSK_ERR_INVALID_ARGUMENT;
    snprintf(question.lookup.tracking, sizeof question.lookup.tracking, "%s", tracking);
    return ask_wiped(client, &question);
}

kiosk_error sync_query(sync_client *client, const char *service, const char *id_number,
                       const char *language)
{
    sync_question question = {.kind = SYNC_ASK_QUERY};
    if (!fits(service, sizeof question.query.service) ||
        !fits(id_number, sizeof question.query.id_number) ||
        !fits(language, sizeof question.query.language))
        return KIOSK_ERR_INVALID_ARGUMENT;
    snprintf(question.query.service, sizeof question.query.service, "%s", service);
    snprintf(question.query.id_number, sizeof question.query.id_number, "%s", id_number);
    snprintf(question.query.language, sizeof question.query.language, "%s", language);
    return ask_wiped(client, &question);
}

kiosk_error sync_eid(sync_client *client, const char *code)
{
    sync_question question = {.kind = SYNC_ASK_EID};
    if (!fits(code, sizeof question.eid.code))
        return KIOSK_ERR_INVALID_ARGUMENT;
    snprintf(question.eid.code, sizeof question.eid.code, "%s", code);
    return ask_wiped(client, &question);
}
