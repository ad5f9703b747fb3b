/* Certificate enrolment at the stand-in. See enrol.h. */
#include "enrol.h"

#include "firmware/base/log.h"

#include <cjson/cJSON.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CODES_MAX     64
#define CODE_MAX      32
#define TERMINALS_MAX 16
#define PEM_MAX       (64 * 1024)
/* What the stand-in gives: a year, as a province's terminal CA might. */
#define VALID_DAYS 365

typedef enum spoil { SPOIL_NONE, SPOIL_OTHER_KEY, SPOIL_TRUNCATED_PEM, SPOIL_UNKNOWN_CA } spoil;

/* A CA: its certificate as sent in a chain, and the pair that signs. */
typedef struct issuer {
    char *pem;
    gnutls_x509_crt_t cert;
    gnutls_x509_privkey_t key;
    bool ready;
} issuer;

static struct {
    pthread_mutex_t lock;
    issuer ca;      /* the terminal CA: what the stand-in trusts */
    issuer unknown; /* another CA (unknown-ca-answers), the TLS link does not trust */
    struct {
        char code[CODE_MAX + 1];
        bool used;
    } codes[CODES_MAX];
    unsigned code_count;
    spoil spoil;
    struct {
        char terminal[SIM_TERMINAL_MAX + 1];
        char serial[80], sha256[80];
        bool days_known;
        long days_left; /* the last heartbeat's certificate_days_left */
    } seen[TERMINALS_MAX];
    unsigned seen_count;
} state = {.lock = PTHREAD_MUTEX_INITIALIZER};

static bool code_valid(const char *code)
{
    size_t length = strlen(code);
    if (length < 4 || length > CODE_MAX)
        return false;
    for (size_t i = 0; i < length; i++)
        if (!((code[i] >= '0' && code[i] <= '9') || (code[i] >= 'A' && code[i] <= 'Z')))
            return false;
    return true;
}

/* Under the lock. */
static bool add_code(const char *code)
{
    if (!code_valid(code) || state.code_count >= CODES_MAX)
        return false;
    for (unsigned i = 0; i < state.code_count; i++)
        if (strcmp(state.codes[i].code, code) == 0)
            return true;
    snprintf(state.codes[state.code_count].code, sizeof state.codes[0].code, "%s", code);
    state.codes[state.code_count++].used = false;
    return true;
}

static kiosk_error load_datum(const char *dir, const char *name, gnutls_datum_t *out,
                              kiosk_diag *diag)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = NULL;
    size_t length = 0;
    kiosk_error read = sim_read_file(path, PEM_MAX, &text, &length, diag);
    if (read != KIOSK_OK)
        return read;
    out->data = (unsigned char *)text;
    out->size = (unsigned)length;
    return KIOSK_OK;
}

/* Under the lock: the CA NAME.crt and NAME.key of DIR into out. */
static kiosk_error load_issuer(const char *dir, const char *name, issuer *out, kiosk_diag *diag)
{
    char file[80];
    gnutls_datum_t cert = {0}, key = {0};
    snprintf(file, sizeof file, "%s.crt", name);
    kiosk_error result = load_datum(dir, file, &cert, diag);
    snprintf(file, sizeof file, "%s.key", name);
    if (result == KIOSK_OK)
        result = load_datum(dir, file, &key, diag);
    if (result == KIOSK_OK &&
        (gnutls_x509_crt_init(&out->cert) < 0 || gnutls_x509_privkey_init(&out->key) < 0 ||
         gnutls_x509_crt_import(out->cert, &cert, GNUTLS_X509_FMT_PEM) < 0 ||
         gnutls_x509_privkey_import(out->key, &key, GNUTLS_X509_FMT_PEM) < 0))
        result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                "%s/%s.crt and .key are not a certificate and key", dir, name);
    if (result == KIOSK_OK) {
        out->pem = (char *)cert.data;
        cert.data = NULL;
        out->ready = true;
    }
    free(cert.data);
    if (key.data)
        gnutls_memset(key.data, 0, key.size);
    free(key.data);
    return result;
}

kiosk_error sim_enrol_setup(const char *certs_dir, const char *codes, kiosk_diag *diag)
{
    pthread_mutex_lock(&state.lock);
    kiosk_error result =
        state.ca.ready ? KIOSK_OK : load_issuer(certs_dir, "terminal-ca", &state.ca, diag);
    if (result == KIOSK_OK && !state.unknown.ready) {
        kiosk_diag ignored = {{0}}; /* only the unknown-ca answer needs it */
        (void)load_issuer(certs_dir, "unknown-ca", &state.unknown, &ignored);
    }
    if (result == KIOSK_OK && codes) {
        char copy[2048];
        snprintf(copy, sizeof copy, "%s", codes);
        char *saved = NULL;
        for (char *code = strtok_r(copy, ",", &saved); code; code = strtok_r(NULL, ",", &saved))
            if (!add_code(code)) {
                result =
                    kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT,
                                   "--enrol-codes: \"%s\" is not 4 to 32 digits or capitals", code);
                break;
            }
    }
    pthread_mutex_unlock(&state.lock);
    return result;
}

/* Takes code when it was issued and is unused: true. */
static bool take_code(const char *code)
{
    bool taken = false;
    pthread_mutex_lock(&state.lock);
    for (unsigned i = 0; i < state.code_count; i++)
        if (strcmp(state.codes[i].code, code) == 0 && !state.codes[i].used) {
            state.codes[i].used = true;
            taken = true;
        }
    pthread_mutex_unlock(&state.lock);
    return taken;
}

/* Signs request for terminal (its CN must be the caller's); the PEM, or
 * NULL with why set. */
static char *sign(const char *csr, const char *terminal, spoil spoil, const char **why)
{
    gnutls_x509_crq_t request = NULL;
    gnutls_x509_crt_t crt = NULL;
    gnutls_x509_privkey_t other = NULL;
    char *pem = NULL;
    gnutls_datum_t in = {(unsigned char *)csr, (unsigned)strlen(csr)}, out = {NULL, 0};
    char cn[SIM_TERMINAL_MAX + 2] = "";
    size_t cn_size = sizeof cn;
    unsigned char serial[16];
    time_t now = time(NULL);
    if (gnutls_x509_crq_init(&request) < 0 || gnutls_x509_crt_init(&crt) < 0) {
        *why = "no memory";
    } else if (gnutls_x509_crq_import(request, &in, GNUTLS_X509_FMT_PEM) < 0) {
        *why = "the CSR does not parse";
    } else if (gnutls_x509_crq_verify(request, 0) < 0) {
        *why = "the CSR's signature does not verify";
    } else if (gnutls_x509_crq_get_dn_by_oid(request, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn,
                                             &cn_size) < 0 ||
               strcmp(cn, terminal) != 0) {
        *why = "the CSR's CN is not the calling terminal's id";
    } else if (gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof serial) < 0) {
        *why = "no random serial";
    } else {
        serial[0] &= 0x7f; /* a positive number */
        serial[0] |= 0x10; /* and no shorter than 16 bytes */
        bool made =
            gnutls_x509_crt_set_crq(crt, request) >= 0 &&
            gnutls_x509_crt_set_version(crt, 3) >= 0 &&
            gnutls_x509_crt_set_serial(crt, serial, sizeof serial) >= 0 &&
            gnutls_x509_crt_set_activation_time(crt, now - 60) >= 0 &&
            gnutls_x509_crt_set_expiration_time(crt, now + (time_t)VALID_DAYS * 86400) >= 0 &&
            gnutls_x509_crt_set_basic_constraints(crt, 0, -1) >= 0 &&
            gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE) >= 0 &&
            gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_CLIENT, 1) >= 0;
        if (made && spoil == SPOIL_OTHER_KEY)
            made = gnutls_x509_privkey_init(&other) >= 0 &&
                   gnutls_x509_privkey_generate(other, GNUTLS_PK_ECDSA,
                                                GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1),
                                                0) >= 0 &&
                   gnutls_x509_crt_set_key(crt, other) >= 0;
        pthread_mutex_lock(&state.lock);
        const issuer *by = spoil == SPOIL_UNKNOWN_CA ? &state.unknown : &state.ca;
        made = made && by->ready &&
               gnutls_x509_crt_sign2(crt, by->cert, by->key, GNUTLS_DIG_SHA256, 0) >= 0 &&
               gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &out) >= 0;
        pthread_mutex_unlock(&state.lock);
        if (made) {
            size_t length = out.size;
            if (spoil == SPOIL_TRUNCATED_PEM)
                length /= 2; /* the PEM cut in the middle of its base64 */
            pem = malloc(length + 1);
            if (pem) {
                memcpy(pem, out.data, length);
                pem[length] = '\0';
            }
        }
        if (!pem)
            *why = "the certificate could not be made";
    }
    gnutls_free(out.data);
    if (other)
        gnutls_x509_privkey_deinit(other);
    if (crt)
        gnutls_x509_crt_deinit(crt);
    if (request)
        gnutls_x509_crq_deinit(request);
    return pem;
}

void sim_enrol_answer(const sim_call *call, sim_answer *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&state.lock);
    bool ready = state.ca.ready;
    spoil spoil = state.spoil;
    pthread_mutex_unlock(&state.lock);
    if (!ready) {
        sim_answer_error(out, 503, "unavailable", "the stand-in has no terminal CA loaded", 0);
        return;
    }
    cJSON *body = cJSON_ParseWithLength(call->body, call->length);
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(body, "code");
    const cJSON *csr = cJSON_GetObjectItemCaseSensitive(body, "csr");
    if (!cJSON_IsObject(body) || !cJSON_IsString(code) || !cJSON_IsString(csr) ||
        strlen(csr->valuestring) > PEM_MAX) {
        sim_answer_error(out, 400, "bad-request", "{\"code\":\"...\",\"csr\":\"PEM\"} is needed",
                         0);
    } else if (!take_code(code->valuestring)) {
        /* The code is never logged: a masked tail is enough to follow. */
        size_t length = strlen(code->valuestring);
        LOG_INFO(SIM_MODULE, "%s enrol: code ...%s refused", call->terminal_id,
                 length > 2 ? code->valuestring + length - 2 : "");
        sim_answer_error(out, 403, "enrol-code-refused",
                         "the enrolment code was not issued, or was used already", 0);
    } else {
        const char *why = NULL;
        char *pem = sign(csr->valuestring, call->terminal_id, spoil, &why);
        if (!pem) {
            sim_answer_error(out, 400, "bad-request", why, 0);
        } else {
            cJSON *answer = cJSON_CreateObject();
            cJSON_AddStringToObject(answer, "certificate", pem);
            pthread_mutex_lock(&state.lock);
            cJSON_AddStringToObject(answer, "chain",
                                    spoil == SPOIL_UNKNOWN_CA ? state.unknown.pem : state.ca.pem);
            pthread_mutex_unlock(&state.lock);
            free(pem);
            char *text = cJSON_PrintUnformatted(answer);
            cJSON_Delete(answer);
            if (text)
                sim_answer_json(out, 200, text);
            else
                sim_answer_error(out, 500, "internal", "no memory for the answer", 0);
        }
    }
    cJSON_Delete(body);
}

static void hex(const unsigned char *bytes, size_t length, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < length && 2 * i + 2 < size; i++)
        snprintf(out + 2 * i, size - 2 * i, "%02x", bytes[i]);
}

/* Under the lock: terminal's slot, made when new (NULL: no room). */
static unsigned slot_of(const char *terminal)
{
    unsigned i = 0;
    while (i < state.seen_count && strcmp(state.seen[i].terminal, terminal) != 0)
        i++;
    if (i == state.seen_count && state.seen_count < TERMINALS_MAX) {
        memset(&state.seen[i], 0, sizeof state.seen[i]);
        snprintf(state.seen[i].terminal, sizeof state.seen[i].terminal, "%s", terminal);
        state.seen_count++;
    }
    return i;
}

void sim_enrol_note_heartbeat(const char *terminal, const cJSON *heartbeat)
{
    const cJSON *days = cJSON_GetObjectItemCaseSensitive(heartbeat, "certificate_days_left");
    if (!cJSON_IsNumber(days))
        return;
    pthread_mutex_lock(&state.lock);
    unsigned i = slot_of(terminal);
    if (i < state.seen_count) {
        state.seen[i].days_known = true;
        state.seen[i].days_left = (long)days->valuedouble;
    }
    pthread_mutex_unlock(&state.lock);
}

void sim_enrol_seen(struct MHD_Connection *connection, const char *terminal)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (!info || !info->tls_session || !terminal[0])
        return;
    unsigned count = 0;
    const gnutls_datum_t *chain =
        gnutls_certificate_get_peers((gnutls_session_t)info->tls_session, &count);
    if (!chain || count == 0)
        return;
    unsigned char digest[32], serial[40];
    size_t serial_size = sizeof serial;
    char serial_hex[80] = "", digest_hex[80] = "";
    gnutls_x509_crt_t crt;
    if (gnutls_x509_crt_init(&crt) < 0)
        return;
    if (gnutls_x509_crt_import(crt, &chain[0], GNUTLS_X509_FMT_DER) >= 0 &&
        gnutls_x509_crt_get_serial(crt, serial, &serial_size) >= 0)
        hex(serial, serial_size, serial_hex, sizeof serial_hex);
    gnutls_x509_crt_deinit(crt);
    if (gnutls_hash_fast(GNUTLS_DIG_SHA256, chain[0].data, chain[0].size, digest) == 0)
        hex(digest, sizeof digest, digest_hex, sizeof digest_hex);
    pthread_mutex_lock(&state.lock);
    unsigned i = slot_of(terminal);
    if (i < state.seen_count) {
        snprintf(state.seen[i].serial, sizeof state.seen[i].serial, "%s", serial_hex);
        snprintf(state.seen[i].sha256, sizeof state.seen[i].sha256, "%s", digest_hex);
    }
    pthread_mutex_unlock(&state.lock);
}

static void answer_object(sim_answer *out, cJSON *json)
{
    char *text = cJSON_PrintUnformatted(json);
    cJSON_Delete(json);
    if (text)
        sim_answer_json(out, 200, text);
    else
        sim_answer_error(out, 500, "internal", "no memory for the answer", 0);
}

void sim_enrol_control(const sim_call *call, sim_answer *out)
{
    memset(out, 0, sizeof *out);
    if (strcmp(call->method, "POST") == 0) {
        cJSON *body = cJSON_ParseWithLength(call->body, call->length);
        const cJSON *codes = cJSON_GetObjectItemCaseSensitive(body, "codes");
        const cJSON *answer = cJSON_GetObjectItemCaseSensitive(body, "answer");
        static const char *const spoils[] = {"good", "other-key", "truncated-pem", "unknown-ca"};
        int chosen = -1;
        for (int i = 0; cJSON_IsString(answer) && i < 4; i++)
            if (strcmp(answer->valuestring, spoils[i]) == 0)
                chosen = i;
        bool good =
            cJSON_IsObject(body) && (!answer || chosen >= 0) && (!codes || cJSON_IsArray(codes));
        pthread_mutex_lock(&state.lock);
        const cJSON *code;
        const cJSON *issued = good ? codes : (const cJSON *)NULL;
        cJSON_ArrayForEach(code, issued)
        {
            good = good && cJSON_IsString(code) && add_code(code->valuestring);
        }
        if (good && chosen >= 0)
            state.spoil = (spoil)chosen;
        pthread_mutex_unlock(&state.lock);
        cJSON_Delete(body);
        if (!good) {
            sim_answer_error(out, 400, "bad-request",
                             "{\"codes\":[\"4 to 32 digits or capitals\"],"
                             "\"answer\":\"good|other-key|truncated-pem|unknown-ca\"}",
                             0);
            return;
        }
    } else if (strcmp(call->method, "GET") != 0) {
        sim_answer_error(out, 405, "bad-request", "GET or POST /_sim/enrol", 0);
        return;
    }
    cJSON *json = cJSON_CreateObject();
    pthread_mutex_lock(&state.lock);
    unsigned left = 0;
    for (unsigned i = 0; i < state.code_count; i++)
        left += !state.codes[i].used;
    cJSON_AddNumberToObject(json, "codes_left", left);
    cJSON *last = cJSON_AddObjectToObject(json, "last_certificate");
    for (unsigned i = 0; i < state.seen_count; i++) {
        cJSON *one = cJSON_AddObjectToObject(last, state.seen[i].terminal);
        cJSON_AddStringToObject(one, "serial", state.seen[i].serial);
        cJSON_AddStringToObject(one, "sha256", state.seen[i].sha256);
        if (state.seen[i].days_known)
            cJSON_AddNumberToObject(one, "certificate_days_left", (double)state.seen[i].days_left);
    }
    pthread_mutex_unlock(&state.lock);
    answer_object(out, json);
}
