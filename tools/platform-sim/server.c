/* libmicrohttpd glue: identity, routing, bodies, faults. See server.h. */
#include "server.h"

#include "batch.h"
#include "calls.h"
#include "control.h"
#include "enrol.h"
#include "faults.h"
#include "hostile.h"
#include "peer.h"
#include "public_page.h"

#include "firmware/base/log.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* TLS 1.2 or later (docs/protocol.md, "Transport and identity"). */
#define TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"
/* PEM files are small; anything bigger is not a certificate. */
#define PEM_MAX (64 * 1024)
/* A held connection ("hang") lets go after this long even if the client
 * never does, so a forgotten client cannot pin a thread for ever. */
#define HANG_MAX_MS (10u * 60u * 1000u)

struct sim_server {
    struct MHD_Daemon *daemon;
    char *key, *cert, *trust;
};

/* One request, from its headers to its answer. */
typedef struct request {
    bool control;  /* a /_sim/ path */
    bool batch;    /* POST /v1/batch */
    sim_kind kind; /* a protocol call other than a batch */
    sim_fault fault;
    bool has_early; /* answered before the body: identity, route, headers */
    bool queued;    /* a response is already queued (a body over the cap) */
    sim_answer early;
    char terminal[SIM_TERMINAL_MAX];
    char *body;
    size_t length, capacity;
    bool too_large;
    bool public_page; /* GET /v/<number>: a phone, no certificate (public_page.h) */
} request;

static const char *header(struct MHD_Connection *connection, const char *name)
{
    return MHD_lookup_connection_value(connection, MHD_HEADER_KIND, name);
}

static void set_early(request *r, unsigned status, const char *code, const char *message)
{
    r->has_early = true;
    sim_answer_error(&r->early, status, code, message, 0);
}

/* Queues answer (or stream, with answer's status and headers). Takes both. */
static enum MHD_Result respond(struct MHD_Connection *connection, sim_answer *answer,
                               struct MHD_Response *stream, bool close)
{
    struct MHD_Response *response = stream;
    if (!response) {
        if (answer->body) {
            response = MHD_create_response_from_buffer(answer->length, answer->body,
                                                       MHD_RESPMEM_MUST_FREE);
            if (response)
                answer->body = NULL; /* MHD frees it */
        } else {
            response = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        }
    }
    if (!response) {
        sim_answer_free(answer);
        return MHD_NO;
    }
    if (answer->content_type && answer->status != 304)
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, answer->content_type);
    if (answer->etag[0])
        MHD_add_response_header(response, MHD_HTTP_HEADER_ETAG, answer->etag);
    if (answer->retry_after_s) {
        char seconds[16];
        snprintf(seconds, sizeof seconds, "%u", answer->retry_after_s);
        MHD_add_response_header(response, MHD_HTTP_HEADER_RETRY_AFTER, seconds);
    }
    if (answer->replay)
        MHD_add_response_header(response, "Idempotent-Replay", "true");
    if (close)
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result queued = MHD_queue_response(connection, answer->status, response);
    MHD_destroy_response(response);
    sim_answer_free(answer);
    return queued;
}

static bool starts_with(const char *text, const char *prefix)
{
    return strncmp(text, prefix, strlen(prefix)) == 0;
}

/* Checks a protocol request's headers; false with r->early set. */
static bool protocol_headers(struct MHD_Connection *connection, const char *method, request *r)
{
    if (!header(connection, "X-Firmware-Version")) {
        set_early(r, 400, "bad-request", "X-Firmware-Version is missing");
        return false;
    }
    const char *type = header(connection, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (strcmp(method, "POST") == 0 && (!type || strncasecmp(type, "application/json", 16) != 0 ||
                                        (type[16] != '\0' && type[16] != ';' && type[16] != ' '))) {
        set_early(r, 400, "bad-request", "Content-Type must be application/json");
        return false;
    }
    return true;
}

static enum MHD_Result count_terminal_ids(void *cls, enum MHD_ValueKind kind, const char *key,
                                          const char *value)
{
    (void)kind;
    (void)value;
    if (strcasecmp(key, "X-Terminal-Id") == 0)
        ++*(int *)cls;
    return MHD_YES;
}

/* A TLS connection's verified identity: a certificate is checked once per
 * connection, not on every request a kept-alive connection carries (the
 * signature checks would otherwise be most of the stand-in's work). */
typedef struct connection_identity {
    bool verified;
    char terminal[64];
} connection_identity;

static void on_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    (void)connection;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        *socket_context = calloc(1, sizeof(connection_identity));
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        free(*socket_context);
        *socket_context = NULL;
    }
}

static bool identify(struct MHD_Connection *connection, char *terminal, size_t size, char *why,
                     size_t why_size)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    connection_identity *known = info ? info->socket_context : NULL;
    if (known && known->verified) {
        snprintf(terminal, size, "%s", known->terminal);
        return true;
    }
    if (!sim_peer_identity(connection, terminal, size, why, why_size))
        return false;
    if (known) {
        known->verified = true;
        snprintf(known->terminal, sizeof known->terminal, "%s", terminal);
    }
    return true;
}

/* The first call for a request: its headers are in, its body is not. */
static enum MHD_Result begin(sim_context *sim, struct MHD_Connection *connection, const char *url,
                             const char *method, request *r)
{
    char why[256];
    /* The one page a citizen's phone opens from a receipt: answered to
     * anyone, read only, and nothing else is reached this way. */
    if (sim_public_page_path(url)) {
        r->public_page = true;
        return MHD_YES;
    }
    if (!identify(connection, r->terminal, sizeof r->terminal, why, sizeof why)) {
        LOG_WARN(SIM_MODULE, "%s %s: refused: %s", method, url, why);
        pthread_mutex_lock(&sim->lock);
        sim->stats.refused++;
        pthread_mutex_unlock(&sim->lock);
        set_early(r, 403, "forbidden",
                  "the platform accepts only terminals with a certificate from its terminal CA");
        return MHD_YES;
    }
    /* Control calls may leave X-Terminal-Id out; when present it must match. */
    r->control = starts_with(url, SIM_CONTROL_PREFIX);
    /* Which certificate the terminal's own calls present (not a test's
     * control calls): a test sees an enrolled one in use. */
    if (!r->control)
        sim_enrol_seen(connection, r->terminal);
    const char *claimed = header(connection, "X-Terminal-Id");
    /* Two X-Terminal-Id headers: which one a proxy would pass on is anyone's
     * guess, so neither is believed. */
    int claims = 0;
    MHD_get_connection_values(connection, MHD_HEADER_KIND, count_terminal_ids, &claims);
    if ((claimed || !r->control) &&
        (!claimed || claims != 1 || strcmp(claimed, r->terminal) != 0)) {
        LOG_WARN(SIM_MODULE, "%s %s: refused: X-Terminal-Id %s, certificate %s", method, url,
                 claimed ? claimed : "(none)", r->terminal);
        pthread_mutex_lock(&sim->lock);
        sim->stats.refused++;
        pthread_mutex_unlock(&sim->lock);
        set_early(r, 403, "forbidden", "X-Terminal-Id must equal the certificate's CN");
        return MHD_YES;
    }

    if (!r->control) {
        sim_route route = sim_calls_route(method, url, &r->kind);
        if (route == SIM_ROUTE_NOT_FOUND) {
            set_early(r, 404, "not-found", "no such call in protocol v1");
            return MHD_YES;
        }
        if (route == SIM_ROUTE_BAD_METHOD) {
            set_early(r, 405, "bad-request", "this call takes another method");
            return MHD_YES;
        }
        /* A single call is one record, counted as it arrives; a batch's
         * records are counted when its body is read (sim_batch_read). */
        r->batch = route == SIM_ROUTE_BATCH;
        pthread_mutex_lock(&sim->lock);
        if (r->batch) {
            sim->stats.batches++;
        } else {
            sim->stats.received[r->kind]++;
            sim->stats.requests[r->kind]++;
        }
        pthread_mutex_unlock(&sim->lock);
        if (!protocol_headers(connection, method, r))
            return MHD_YES;
    }

    /* A body announced over the cap is refused before it is sent: curl
     * waits for "100 Continue" and gets the 413 instead. */
    const char *announced = header(connection, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (announced && strtoull(announced, NULL, 10) > SIM_BODY_MAX) {
        sim_answer answer = {0};
        sim_answer_error(&answer, 413, "too-large", "the body is over 1 MiB", 0);
        LOG_INFO(SIM_MODULE, "%s %s %s: 413 (Content-Length %s)", r->terminal, method, url,
                 announced);
        r->queued = true;
        return respond(connection, &answer, NULL, true);
    }

    if (!r->control) {
        r->fault = sim_faults_take(sim, url);
        /* A batch is refused once its body is in (finish), so that its
         * records are counted as received, as a refused single call is. */
        if (r->fault == SIM_FAULT_REFUSE && !r->batch) {
            LOG_INFO(SIM_MODULE, "%s %s %s: fault refuse: connection closed", r->terminal, method,
                     url);
            return MHD_NO;
        }
    }
    return MHD_YES;
}

/* Keeps what fits under the cap; the rest is read and dropped, so the 413
 * goes back on a connection the client can still read. */
static void take_body(request *r, const char *data, size_t size)
{
    if (r->too_large)
        return;
    if (r->length + size > SIM_BODY_MAX) {
        r->too_large = true;
        free(r->body);
        r->body = NULL;
        r->length = r->capacity = 0;
        return;
    }
    if (r->length + size + 1 > r->capacity) {
        size_t capacity = r->capacity ? r->capacity : 4096;
        while (capacity < r->length + size + 1)
            capacity *= 2;
        char *grown = realloc(r->body, capacity);
        if (!grown) {
            r->too_large = true; /* no memory for it: as good as too large */
            return;
        }
        r->body = grown;
        r->capacity = capacity;
    }
    memcpy(r->body + r->length, data, size);
    r->length += size;
    r->body[r->length] = '\0';
}

static int socket_of(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    return info ? info->connect_fd : -1;
}

/* The faults that answer instead of the call, which never runs: true with
 * *result when r's fault is one of them. */
static bool fault_instead(sim_context *sim, struct MHD_Connection *connection, const request *r,
                          const char *label, sim_answer *answer, enum MHD_Result *result)
{
    unsigned success = r->batch ? 200 : sim_calls_success_status(r->kind);
    if (r->fault == SIM_FAULT_REFUSE) { /* only a batch comes here: see begin */
        LOG_INFO(SIM_MODULE, "%s: fault refuse: connection closed", label);
        sim_answer_free(answer);
        *result = MHD_NO;
    } else if (r->fault == SIM_FAULT_HANG) {
        LOG_INFO(SIM_MODULE, "%s: fault hang: holding the connection", label);
        sim_answer_free(answer);
        /* The request was read; no answer comes. The connection is held
         * until the client gives up, the stand-in stops, or time runs out. */
        sim_wait_stop(sim, socket_of(connection), HANG_MAX_MS);
        *result = MHD_NO;
    } else if (r->fault == SIM_FAULT_HUGE_BODY) {
        sim_answer_free(answer);
        answer->status = success;
        LOG_INFO(SIM_MODULE, "%s: fault huge-body", label);
        *result = respond(connection, answer,
                          sim_fault_stream(sim, r->fault, socket_of(connection), answer), false);
    } else if (sim_fault_replaces(r->fault)) {
        sim_answer_free(answer);
        sim_fault_answer(r->fault, success, answer);
        LOG_INFO(SIM_MODULE, "%s: fault %s: %u", label, sim_fault_name(r->fault), answer->status);
        *result = respond(connection, answer, NULL, false);
    } else {
        return false;
    }
    return true;
}

/* Runs the call (a batch with a bad envelope already has its answer) and
 * logs it: one line per request, a batch's with its tally, never bodies. */
static void run_call(sim_context *sim, const request *r, const sim_call *call, sim_batch *batch,
                     const char *label, sim_answer *answer)
{
    bool faulted = r->fault != SIM_FAULT_NONE;
    const char *then = faulted ? ", then fault " : "",
               *fault = faulted ? sim_fault_name(r->fault) : "";
    if (r->batch) {
        if (batch)
            sim_batch_answer(sim, batch, answer);
        char items[128];
        sim_batch_describe(batch, items, sizeof items);
        LOG_INFO(SIM_MODULE, "%s %s %s: %u, %s%s%s", r->terminal, call->method, call->path,
                 answer->status, items, then, fault);
        return;
    }
    sim_calls_answer(sim, r->kind, call, answer);
    LOG_INFO(SIM_MODULE, "%s%s%s: %u%s%s%s", label, call->idempotency_key ? " " : "",
             call->idempotency_key ? call->idempotency_key : "", answer->status,
             answer->replay ? " replay" : "", then, fault);
}

/* Sends the call's answer, or spoils it: the call has run, and what it
 * stored stays stored. */
static enum MHD_Result deliver(sim_context *sim, struct MHD_Connection *connection,
                               const request *r, sim_answer *answer)
{
    if (r->fault == SIM_FAULT_RESET_AFTER_COMMIT) {
        sim_answer_free(answer);
        return MHD_NO; /* libmicrohttpd closes the connection: no answer */
    }
    sim_hostile_spoil(r->fault, answer);
    struct MHD_Response *stream = NULL;
    if (r->fault == SIM_FAULT_TRUNCATED_JSON || r->fault == SIM_FAULT_TRICKLE) {
        stream = sim_fault_stream(sim, r->fault, socket_of(connection), answer);
        if (!stream) {
            sim_answer_free(answer);
            return MHD_NO;
        }
    }
    return respond(connection, answer, stream, false);
}

/* A protocol call's answer, a fault instead of it, or a fault on top of it.
 * For a batch, batch is NULL when its envelope was bad, and answer then
 * holds the 400. */
static enum MHD_Result answer_protocol(sim_context *sim, struct MHD_Connection *connection,
                                       const request *r, const sim_call *call, sim_batch *batch,
                                       sim_answer *answer)
{
    char label[256], items[128] = "";
    if (r->batch)
        sim_batch_describe(batch, items, sizeof items);
    snprintf(label, sizeof label, "%s %s %s%s%s%s", r->terminal, call->method, call->path,
             items[0] ? " (" : "", items, items[0] ? ")" : "");
    enum MHD_Result result = MHD_NO;
    if (fault_instead(sim, connection, r, label, answer, &result))
        return result;
    run_call(sim, r, call, batch, label, answer);
    return deliver(sim, connection, r, answer);
}

static enum MHD_Result finish(sim_context *sim, struct MHD_Connection *connection, const char *url,
                              const char *method, request *r)
{
    if (r->public_page) {
        sim_answer page = {0};
        sim_public_page_answer(sim, method, url, &page);
        return respond(connection, &page, NULL, false);
    }
    if (r->has_early) {
        LOG_INFO(SIM_MODULE, "%s %s %s: %u", r->terminal[0] ? r->terminal : "-", method, url,
                 r->early.status);
        return respond(connection, &r->early, NULL, false);
    }
    if (r->too_large) {
        sim_answer answer = {0};
        sim_answer_error(&answer, 413, "too-large", "the body is over 1 MiB", 0);
        return respond(connection, &answer, NULL, false);
    }
    sim_call call = {
        .method = method,
        .path = url,
        .terminal_id = r->terminal,
        .idempotency_key = header(connection, "Idempotency-Key"),
        .if_none_match = header(connection, MHD_HTTP_HEADER_IF_NONE_MATCH),
        .body = r->body ? r->body : "",
        .length = r->length,
    };
    sim_answer answer = {0};
    if (r->control) {
        sim_control_answer(sim, &call, &answer);
        return respond(connection, &answer, NULL, false);
    }
    /* A batch's envelope is read before any fault applies: its records are
     * counted as received whatever the fault does, as a single call is. A
     * bad envelope leaves its 400 in answer, the call's answer. */
    sim_batch *batch = NULL;
    if (r->batch)
        sim_batch_read(sim, &call, &batch, &answer);
    enum MHD_Result result = answer_protocol(sim, connection, r, &call, batch, &answer);
    sim_batch_free(batch);
    return result;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    sim_context *sim = cls;
    request *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        *con_cls = r;
        return begin(sim, connection, url, method, r);
    }
    if (*upload_data_size != 0) {
        if (!r->has_early && !r->queued)
            take_body(r, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    return r->queued ? MHD_YES : finish(sim, connection, url, method, r);
}

static void on_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
    (void)cls;
    (void)connection;
    (void)why;
    request *r = *con_cls;
    if (!r)
        return;
    sim_answer_free(&r->early);
    free(r->body);
    free(r);
    *con_cls = NULL;
}

/* libmicrohttpd's own messages (handshakes that fail, connections that
 * drop) are expected in tests of broken links: info, not warnings. It is
 * given as the first option, or messages about earlier options bypass it. */
__attribute__((format(printf, 2, 0))) static void on_log(void *cls, const char *format,
                                                         va_list args)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof line, format, args);
    size_t length = strlen(line);
    while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r'))
        line[--length] = '\0';
    LOG_INFO(SIM_MODULE, "http: %s", line);
}

static kiosk_error read_pem(const char *dir, const char *name, char **out, kiosk_diag *diag)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t length = 0;
    kiosk_error read = sim_read_file(path, PEM_MAX, out, &length, diag);
    if (read == KIOSK_ERR_NOT_FOUND)
        return kiosk_diag_set(
            diag, read, "%s is missing: make the certificates with tools/dev-certs %s", path, dir);
    return read;
}

static bool name_valid(const char *name)
{
    if (!name[0] || strlen(name) > 32)
        return false;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-'))
            return false;
    return true;
}

kiosk_error sim_server_start(sim_context *sim, const char *certs, const char *cert_name,
                             unsigned port, sim_server **out, unsigned *bound, kiosk_diag *diag)
{
    *out = NULL;
    if (cert_name && !name_valid(cert_name))
        return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT,
                              "--server-cert %s: a name such as expired, wrong-host, unknown-ca",
                              cert_name);
    char base[64];
    if (cert_name)
        snprintf(base, sizeof base, "server-%s", cert_name);
    else
        snprintf(base, sizeof base, "server");
    char crt[80], key[80];
    snprintf(crt, sizeof crt, "%s.crt", base);
    snprintf(key, sizeof key, "%s.key", base);

    sim_server *server = calloc(1, sizeof *server);
    if (!server)
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "no memory");
    kiosk_error loaded = read_pem(certs, crt, &server->cert, diag);
    if (loaded == KIOSK_OK)
        loaded = read_pem(certs, key, &server->key, diag);
    if (loaded == KIOSK_OK)
        loaded = read_pem(certs, "terminal-ca.crt", &server->trust, diag);
    if (loaded != KIOSK_OK) {
        sim_server_stop(server);
        return loaded;
    }

    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* One thread per connection: hang and trickle block in their own
     * connection's thread and nowhere else. */
    unsigned flags = MHD_USE_TLS | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                     MHD_USE_ERROR_LOG;
    server->daemon = MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, on_request, sim, MHD_OPTION_EXTERNAL_LOGGER, on_log,
        NULL, MHD_OPTION_SOCK_ADDR, &address, MHD_OPTION_HTTPS_MEM_KEY, server->key,
        MHD_OPTION_HTTPS_MEM_CERT, server->cert, MHD_OPTION_HTTPS_MEM_TRUST, server->trust,
        MHD_OPTION_HTTPS_PRIORITIES, TLS_PRIORITIES, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
        NULL, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_END);
    if (!server->daemon) {
        sim_server_stop(server);
        return kiosk_diag_set(diag, KIOSK_ERR_IO,
                              "cannot serve HTTPS on 127.0.0.1:%u (the port is taken, or %s/%s "
                              "and %s are not a key and certificate GnuTLS accepts)",
                              port, certs, key, crt);
    }
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_BIND_PORT);
    *bound = info ? info->port : port;
    *out = server;
    return KIOSK_OK;
}

void sim_server_stop(sim_server *server)
{
    if (!server)
        return;
    if (server->daemon)
        MHD_stop_daemon(server->daemon);
    free(server->key);
    free(server->cert);
    free(server->trust);
    free(server);
}
