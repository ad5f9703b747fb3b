/* Network diagnosis toward the platform. See netdiag.h. */
#include "firmware/platform/netdiag.h"
#include "firmware/base/monotonic.h"
#include "firmware/platform/curl_lazy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#define DEFAULT_TIMEOUT_MS  8000
#define DEFAULT_TOLERANCE_S 30

const char *netdiag_step_name(netdiag_step step)
{
    static const char *const names[] = {"dns", "tcp", "tls", "clock", "answer"};
    return (unsigned)step < NETDIAG_STEP_COUNT ? names[step] : "?";
}

static void fail(netdiag_step_result *step, const char *why, const char *detail)
{
    step->verdict = NETDIAG_FAIL;
    snprintf(step->why, sizeof step->why, "%s", why);
    snprintf(step->detail, sizeof step->detail, "%s", detail ? detail : "");
}

/* host and port of an https:// URL (port 443 when none is given). */
static bool split_url(const char *url, char *host, size_t size, int *port)
{
    if (!url || strncmp(url, "https://", 8) != 0)
        return false;
    const char *start = url + 8, *end = start;
    if (*start == '[') { /* an IPv6 literal */
        end = strchr(start, ']');
        if (!end)
            return false;
        start++;
    } else
        end = start + strcspn(start, ":/");
    size_t length = (size_t)(end - start);
    if (length == 0 || length >= size)
        return false;
    memcpy(host, start, length);
    host[length] = '\0';
    const char *after = *end == ']' ? end + 1 : end;
    *port = 443;
    if (*after == ':') {
        char *stop = NULL;
        long value = strtol(after + 1, &stop, 10);
        if (stop == after + 1 || value < 1 || value > 65535 || (*stop && *stop != '/'))
            return false;
        *port = (int)value;
    }
    return true;
}

static bool resolve(netdiag_result *out)
{
    netdiag_step_result *step = &out->steps[NETDIAG_DNS];
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *found = NULL;
    uint64_t started = monotonic_now_ms();
    int code = getaddrinfo(out->host, NULL, &hints, &found);
    step->ms = (long)(monotonic_now_ms() - started);
    if (code != 0) {
        fail(step, code == EAI_AGAIN ? "no-answer" : "unresolved", gai_strerror(code));
        return false;
    }
    size_t used = 0;
    int shown = 0;
    for (struct addrinfo *a = found; a && shown < 4; a = a->ai_next) {
        char text[INET6_ADDRSTRLEN] = "";
        const void *where = a->ai_family == AF_INET
                                ? (const void *)&((struct sockaddr_in *)a->ai_addr)->sin_addr
                                : (const void *)&((struct sockaddr_in6 *)a->ai_addr)->sin6_addr;
        if (!inet_ntop(a->ai_family, where, text, sizeof text) || strstr(out->addresses, text))
            continue;
        used += (size_t)snprintf(out->addresses + used, sizeof out->addresses - used, "%s%s",
                                 shown ? ", " : "", text);
        if (used >= sizeof out->addresses)
            break;
        shown++;
    }
    freeaddrinfo(found);
    step->verdict = NETDIAG_PASS;
    return true;
}

typedef struct exchange {
    char date[64]; /* the answer's Date header */
    size_t body_bytes;
} exchange;

static size_t on_header(char *data, size_t size, size_t count, void *user)
{
    exchange *x = user;
    size_t n = size * count;
    if (n > 5 && strncasecmp(data, "Date:", 5) == 0) {
        const char *value = data + 5;
        while (*value == ' ' && value < data + n)
            value++;
        size_t length = n - (size_t)(value - data);
        while (length && (value[length - 1] == '\r' || value[length - 1] == '\n'))
            length--;
        if (length < sizeof x->date)
            snprintf(x->date, sizeof x->date, "%.*s", (int)length, value);
    }
    return n;
}

static size_t on_body(char *data, size_t size, size_t count, void *user)
{
    (void)data;
    ((exchange *)user)->body_bytes += size * count;
    return size * count;
}

/* "Subject:" and the like in libcurl's certificate information. */
static void cert_field(const struct curl_slist *fields, const char *name, char *out, size_t size)
{
    size_t length = strlen(name);
    for (const struct curl_slist *f = fields; f; f = f->next)
        if (strncmp(f->data, name, length) == 0) {
            snprintf(out, size, "%s", f->data + length);
            return;
        }
}

/* Microseconds: on a near platform a step takes less than a millisecond. */
static long long us_of(const curl_api *api, CURL *curl, CURLINFO info)
{
    curl_off_t us = 0;
    api->easy_getinfo(curl, info, &us);
    return (long long)us;
}

/* Milliseconds between two marks, a started millisecond counted whole. */
static long ms_between(long long from_us, long long to_us)
{
    return to_us > from_us ? (long)((to_us - from_us + 999) / 1000) : 0;
}

static bool tls_failure(CURLcode code)
{
    return code == CURLE_SSL_CONNECT_ERROR || code == CURLE_PEER_FAILED_VERIFICATION ||
           code == CURLE_SSL_CERTPROBLEM || code == CURLE_SSL_CIPHER ||
           code == CURLE_SSL_CACERT_BADFILE || code == CURLE_SSL_PINNEDPUBKEYNOTMATCH ||
           code == CURLE_SSL_ISSUER_ERROR || code == CURLE_SSL_CRL_BADFILE ||
           code == CURLE_RECV_ERROR;
}

static void connect_and_ask(const netdiag_config *config, const curl_api *api, netdiag_result *out)
{
    CURL *curl = api->easy_init();
    if (!curl) {
        fail(&out->steps[NETDIAG_TCP], "no-memory", "curl_easy_init");
        return;
    }
    char url[512], terminal[128];
    size_t base = strlen(config->url);
    snprintf(url, sizeof url, "%s%sv1/catalog", config->url,
             base && config->url[base - 1] == '/' ? "" : "/");
    snprintf(terminal, sizeof terminal, "X-Terminal-Id: %s",
             config->terminal_id ? config->terminal_id : "");
    struct curl_slist *headers = api->slist_append(NULL, terminal);
    headers = api->slist_append(headers, "X-Firmware-Version: " KIOSK_VERSION);
    long timeout = config->timeout_ms > 0 ? config->timeout_ms : DEFAULT_TIMEOUT_MS;
    exchange x;
    memset(&x, 0, sizeof x);
    char error[CURL_ERROR_SIZE] = "";
    api->easy_setopt(curl, CURLOPT_URL, url);
    api->easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    api->easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    api->easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout);
    api->easy_setopt(curl, CURLOPT_TIMEOUT_MS, 2 * timeout);
    api->easy_setopt(curl, CURLOPT_CAINFO, config->ca_file);
    api->easy_setopt(curl, CURLOPT_SSLCERT, config->client_cert);
    api->easy_setopt(curl, CURLOPT_SSLKEY, config->client_key);
    if (config->pinned_key && config->pinned_key[0])
        api->easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, config->pinned_key);
    api->easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    api->easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    api->easy_setopt(curl, CURLOPT_CERTINFO, 1L);
    api->easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    api->easy_setopt(curl, CURLOPT_HEADERDATA, &x);
    api->easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    api->easy_setopt(curl, CURLOPT_WRITEDATA, &x);
    api->easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    CURLcode code = api->easy_perform(curl);
    time_t device_now = config->wall ? config->wall() : time(NULL);
    long long lookup = us_of(api, curl, CURLINFO_NAMELOOKUP_TIME_T);
    long long connected = us_of(api, curl, CURLINFO_CONNECT_TIME_T);
    long long handshaken = us_of(api, curl, CURLINFO_APPCONNECT_TIME_T);
    long long first_byte = us_of(api, curl, CURLINFO_STARTTRANSFER_TIME_T);
    const char *said = error[0] ? error : api->easy_strerror(code);

    netdiag_step_result *tcp = &out->steps[NETDIAG_TCP], *tls = &out->steps[NETDIAG_TLS],
                        *clock = &out->steps[NETDIAG_CLOCK], *answer = &out->steps[NETDIAG_ANSWER];
    /* A TLS failure means TCP got through, whatever the timers say (libcurl
     * may leave them unset when the handshake fails). */
    bool handshake_failed = code != CURLE_OK && tls_failure(code) && first_byte == 0;
    if (connected == 0 && !handshake_failed) {
        /* Never connected: refused, unreachable, or nothing answered in time. */
        tcp->ms = code == CURLE_OPERATION_TIMEDOUT ? timeout : 0;
        fail(tcp,
             code == CURLE_OPERATION_TIMEDOUT     ? "timeout"
             : code == CURLE_COULDNT_RESOLVE_HOST ? "unresolved"
                                                  : "refused",
             said);
        goto done;
    }
    tcp->verdict = NETDIAG_PASS;
    tcp->ms = ms_between(lookup, connected);
    struct curl_certinfo *certs = NULL;
    if (api->easy_getinfo(curl, CURLINFO_CERTINFO, &certs) == CURLE_OK && certs &&
        certs->num_of_certs > 0) {
        cert_field(certs->certinfo[0], "Subject:", out->cert_subject, sizeof out->cert_subject);
        cert_field(certs->certinfo[0], "Issuer:", out->cert_issuer, sizeof out->cert_issuer);
        cert_field(certs->certinfo[0], "Expire date:", out->cert_expiry, sizeof out->cert_expiry);
    }
    if (handshaken == 0 || handshake_failed) {
        tls->ms = ms_between(connected, handshaken);
        fail(tls,
             code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE
                 ? "untrusted"
             : code == CURLE_SSL_PINNEDPUBKEYNOTMATCH ? "pin"
             : code == CURLE_SSL_CERTPROBLEM          ? "own-certificate"
             : code == CURLE_OPERATION_TIMEDOUT       ? "timeout"
                                                      : "refused",
             said);
        goto done;
    }
    tls->verdict = NETDIAG_PASS;
    tls->ms = ms_between(connected, handshaken);
    answer->ms = ms_between(handshaken, first_byte);
    api->easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->http_status);
    if (code != CURLE_OK || out->http_status == 0) {
        /* TLS 1.3 tells a refused client certificate only after the handshake. */
        fail(answer, code == CURLE_OPERATION_TIMEDOUT ? "timeout" : "no-answer", said);
        if (tls_failure(code) && code != CURLE_OPERATION_TIMEDOUT) {
            fail(tls, "refused", said);
            answer->verdict = NETDIAG_NOT_RUN;
        }
    } else if (out->http_status == 200 || out->http_status == 304)
        answer->verdict = NETDIAG_PASS;
    else {
        char why[32];
        snprintf(why, sizeof why, "http-%ld", out->http_status);
        fail(answer, out->http_status == 401 || out->http_status == 403 ? "forbidden" : "status",
             why);
    }
    struct tm platform_tm = {0};
    const char *end =
        x.date[0] ? strptime(x.date, "%a, %d %b %Y %H:%M:%S GMT", &platform_tm) : NULL;
    if (end) {
        out->clock_known = true;
        out->clock_offset_s = (int64_t)timegm(&platform_tm) - (int64_t)device_now;
        int64_t tolerance =
            config->clock_tolerance_s > 0 ? config->clock_tolerance_s : DEFAULT_TOLERANCE_S;
        int64_t off = out->clock_offset_s < 0 ? -out->clock_offset_s : out->clock_offset_s;
        if (off <= tolerance)
            clock->verdict = NETDIAG_PASS;
        else
            fail(clock, "skewed", x.date);
    } else if (out->http_status)
        fail(clock, "no-date", "the answer had no Date");
done:
    api->slist_free_all(headers);
    api->easy_cleanup(curl);
}

kiosk_error netdiag_run(const netdiag_config *config, netdiag_result *out)
{
    memset(out, 0, sizeof *out);
    if (!config || !split_url(config->url, out->host, sizeof out->host, &out->port))
        return KIOSK_ERR_INVALID_ARGUMENT;
    if (!resolve(out))
        return KIOSK_OK;
    const curl_api *api = curl_lazy();
    if (!api)
        return KIOSK_ERR_UNSUPPORTED;
    connect_and_ask(config, api, out);
    return KIOSK_OK;
}

/* ---- on a worker ------------------------------------------------------------- */

typedef struct job {
    netdiag_config config;
    char url[512], ca[512], cert[512], key[512], pin[160], terminal[96];
    netdiag_done done;
    void *context;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    netdiag_result *result = calloc(1, sizeof *result);
    if (result) {
        kiosk_error run = netdiag_run(&j->config, result);
        if (run != KIOSK_OK) {
            fail(&result->steps[NETDIAG_DNS], run == KIOSK_ERR_UNSUPPORTED ? "no-curl" : "bad-url",
                 kiosk_error_name(run));
        }
        j->done(result, j->context);
        free(result);
    } else
        j->done(NULL, j->context);
    free(j);
    return NULL;
}

kiosk_error netdiag_start(const netdiag_config *config, netdiag_done done, void *context)
{
    job *j = calloc(1, sizeof *j);
    if (!j)
        return KIOSK_ERR_NO_MEMORY;
    snprintf(j->url, sizeof j->url, "%s", config->url ? config->url : "");
    snprintf(j->ca, sizeof j->ca, "%s", config->ca_file ? config->ca_file : "");
    snprintf(j->cert, sizeof j->cert, "%s", config->client_cert ? config->client_cert : "");
    snprintf(j->key, sizeof j->key, "%s", config->client_key ? config->client_key : "");
    snprintf(j->pin, sizeof j->pin, "%s", config->pinned_key ? config->pinned_key : "");
    snprintf(j->terminal, sizeof j->terminal, "%s", config->terminal_id ? config->terminal_id : "");
    j->config = *config;
    j->config.url = j->url;
    j->config.ca_file = j->ca;
    j->config.client_cert = j->cert;
    j->config.client_key = j->key;
    j->config.pinned_key = j->pin;
    j->config.terminal_id = j->terminal;
    j->done = done;
    j->context = context;
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int started = pthread_create(&thread, &attr, worker, j);
    pthread_attr_destroy(&attr);
    if (started != 0) {
        free(j);
        return KIOSK_ERR_IO;
    }
    return KIOSK_OK;
}
