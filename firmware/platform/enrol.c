/* The terminal's client certificate. See enrol.h. */
#include "firmware/platform/enrol.h"

#include "firmware/base/log.h"
#include "firmware/base/wipe_alloc.h"
#include "firmware/platform/curl_lazy.h"

#include <cjson/cJSON.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LIBCRYPTO "libcrypto.so.3"

/* The few calls this file makes, through dlsym. */
static struct {
    X509 *(*pem_read_x509)(FILE *file, X509 **x, pem_password_cb *cb, void *u);
    X509_NAME *(*subject_name)(const X509 *x);
    X509_NAME *(*issuer_name)(const X509 *x);
    char *(*name_oneline)(const X509_NAME *name, char *buf, int size);
    const ASN1_TIME *(*not_after)(const X509 *x);
    const ASN1_TIME *(*not_before)(const X509 *x);
    int (*time_to_tm)(const ASN1_TIME *s, struct tm *tm);
    void (*x509_free)(X509 *x);
    /* The new key and its request. */
    EVP_PKEY *(*q_keygen)(OSSL_LIB_CTX *library, const char *properties, const char *type, ...);
    void (*pkey_free)(EVP_PKEY *key);
    int (*write_private_key)(FILE *file, const EVP_PKEY *key, const EVP_CIPHER *cipher,
                             const unsigned char *pass, int pass_length, pem_password_cb *cb,
                             void *u);
    EVP_PKEY *(*read_private_key)(FILE *file, EVP_PKEY **key, pem_password_cb *cb, void *u);
    X509_REQ *(*req_new)(void);
    void (*req_free)(X509_REQ *req);
    int (*req_set_version)(X509_REQ *req, long version);
    X509_NAME *(*req_subject)(const X509_REQ *req);
    int (*name_add)(X509_NAME *name, const char *field, int type, const unsigned char *bytes,
                    int length, int location, int set);
    int (*req_set_pubkey)(X509_REQ *req, EVP_PKEY *key);
    int (*req_sign)(X509_REQ *req, EVP_PKEY *key, const EVP_MD *md);
    const EVP_MD *(*sha256)(void);
    BIO *(*bio_new)(const BIO_METHOD *method);
    const BIO_METHOD *(*bio_s_mem)(void);
    long (*bio_ctrl)(BIO *bio, int command, long larg, void *parg);
    int (*bio_free)(BIO *bio);
    BIO *(*bio_new_mem_buf)(const void *bytes, int length);
    int (*write_req)(BIO *bio, const X509_REQ *req);
    /* The answer's checks. */
    X509 *(*read_bio_x509)(BIO *bio, X509 **x, pem_password_cb *cb, void *u);
    int (*check_private_key)(const X509 *x, const EVP_PKEY *key);
    X509_STORE *(*store_new)(void);
    void (*store_free)(X509_STORE *store);
    int (*store_load_file)(X509_STORE *store, const char *file);
    X509_STORE_CTX *(*store_ctx_new)(void);
    void (*store_ctx_free)(X509_STORE_CTX *context);
    int (*store_ctx_init)(X509_STORE_CTX *context, X509_STORE *store, X509 *x,
                          STACK_OF(X509) * chain);
    int (*verify_cert)(X509_STORE_CTX *context);
    int (*name_text_by_nid)(const X509_NAME *name, int nid, char *buf, int length);
    ASN1_INTEGER *(*serial)(X509 *x);
    const unsigned char *(*string_data)(const ASN1_STRING *s);
    int (*string_length)(const ASN1_STRING *s);
} crypto;
static bool loaded;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    /* The store's allocator first, as offline-cache/openssl_lazy.c does. */
    (void)wipe_alloc_openssl();
    void *library = dlopen(LIBCRYPTO, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        LOG_ERROR("enrol", "cannot load %s (install libssl3): %s", LIBCRYPTO, dlerror());
        return;
    }
    struct {
        const char *name;
        void **slot;
    } symbols[] = {
        {"PEM_read_X509", (void **)&crypto.pem_read_x509},
        {"X509_get_subject_name", (void **)&crypto.subject_name},
        {"X509_get_issuer_name", (void **)&crypto.issuer_name},
        {"X509_NAME_oneline", (void **)&crypto.name_oneline},
        {"X509_get0_notAfter", (void **)&crypto.not_after},
        {"X509_get0_notBefore", (void **)&crypto.not_before},
        {"ASN1_TIME_to_tm", (void **)&crypto.time_to_tm},
        {"X509_free", (void **)&crypto.x509_free},
        {"EVP_PKEY_Q_keygen", (void **)&crypto.q_keygen},
        {"EVP_PKEY_free", (void **)&crypto.pkey_free},
        {"PEM_write_PrivateKey", (void **)&crypto.write_private_key},
        {"PEM_read_PrivateKey", (void **)&crypto.read_private_key},
        {"X509_REQ_new", (void **)&crypto.req_new},
        {"X509_REQ_free", (void **)&crypto.req_free},
        {"X509_REQ_set_version", (void **)&crypto.req_set_version},
        {"X509_REQ_get_subject_name", (void **)&crypto.req_subject},
        {"X509_NAME_add_entry_by_txt", (void **)&crypto.name_add},
        {"X509_REQ_set_pubkey", (void **)&crypto.req_set_pubkey},
        {"X509_REQ_sign", (void **)&crypto.req_sign},
        {"EVP_sha256", (void **)&crypto.sha256},
        {"BIO_new", (void **)&crypto.bio_new},
        {"BIO_s_mem", (void **)&crypto.bio_s_mem},
        {"BIO_ctrl", (void **)&crypto.bio_ctrl},
        {"BIO_free", (void **)&crypto.bio_free},
        {"BIO_new_mem_buf", (void **)&crypto.bio_new_mem_buf},
        {"PEM_write_bio_X509_REQ", (void **)&crypto.write_req},
        {"PEM_read_bio_X509", (void **)&crypto.read_bio_x509},
        {"X509_check_private_key", (void **)&crypto.check_private_key},
        {"X509_STORE_new", (void **)&crypto.store_new},
        {"X509_STORE_free", (void **)&crypto.store_free},
        {"X509_STORE_load_file", (void **)&crypto.store_load_file},
        {"X509_STORE_CTX_new", (void **)&crypto.store_ctx_new},
        {"X509_STORE_CTX_free", (void **)&crypto.store_ctx_free},
        {"X509_STORE_CTX_init", (void **)&crypto.store_ctx_init},
        {"X509_verify_cert", (void **)&crypto.verify_cert},
        {"X509_NAME_get_text_by_NID", (void **)&crypto.name_text_by_nid},
        {"X509_get_serialNumber", (void **)&crypto.serial},
        {"ASN1_STRING_get0_data", (void **)&crypto.string_data},
        {"ASN1_STRING_length", (void **)&crypto.string_length},
    };
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        *symbols[i].slot = dlsym(library, symbols[i].name);
        if (!*symbols[i].slot) {
            LOG_ERROR("enrol", "%s has no %s", LIBCRYPTO, symbols[i].name);
            dlclose(library);
            return;
        }
    }
    loaded = true;
}

static int64_t seconds_of(const ASN1_TIME *t)
{
    struct tm utc;
    memset(&utc, 0, sizeof utc);
    if (!t || crypto.time_to_tm(t, &utc) != 1)
        return 0;
    return (int64_t)timegm(&utc);
}

kiosk_error enrol_cert_read(const char *path, enrol_cert_info *out, kiosk_diag *diag)
{
    memset(out, 0, sizeof *out);
    pthread_once(&once, load);
    if (!loaded)
        return kiosk_diag_set(diag, KIOSK_ERR_UNSUPPORTED, "cannot read %s: no libcrypto", path);
    FILE *file = fopen(path, "r");
    if (!file)
        return kiosk_diag_set(diag, errno == ENOENT ? KIOSK_ERR_NOT_FOUND : KIOSK_ERR_IO,
                              "cannot open %s: %s", path, strerror(errno));
    X509 *cert = crypto.pem_read_x509(file, NULL, NULL, NULL);
    fclose(file);
    if (!cert)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: no PEM certificate", path);
    crypto.name_oneline(crypto.subject_name(cert), out->subject, (int)sizeof out->subject);
    crypto.name_oneline(crypto.issuer_name(cert), out->issuer, (int)sizeof out->issuer);
    out->not_before_s = seconds_of(crypto.not_before(cert));
    out->not_after_s = seconds_of(crypto.not_after(cert));
    const ASN1_INTEGER *serial = crypto.serial(cert);
    const unsigned char *bytes = serial ? crypto.string_data(serial) : NULL;
    int length = serial ? crypto.string_length(serial) : 0;
    for (int i = 0; bytes && i < length && 2 * (size_t)i + 2 < sizeof out->serial; i++)
        snprintf(out->serial + 2 * i, sizeof out->serial - 2 * (size_t)i, "%02x", bytes[i]);
    crypto.x509_free(cert);
    if (!out->not_after_s)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: no expiry date", path);
    return KIOSK_OK;
}

/* ---- enrolment: the terminal's half --------------------------------------- */

kiosk_error enrol_make_request(const char *terminal_id, const char *key_path, char **csr,
                               kiosk_diag *diag)
{
    *csr = NULL;
    if (!terminal_id || !terminal_id[0] || strlen(terminal_id) > 64)
        return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT,
                              "a terminal id of 1 to 64 characters is needed");
    pthread_once(&once, load);
    if (!loaded)
        return kiosk_diag_set(diag, KIOSK_ERR_UNSUPPORTED, "no libcrypto to make a key with");
    EVP_PKEY *key = crypto.q_keygen(NULL, NULL, "EC", "P-256");
    if (!key)
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "no EC P-256 key could be made");
    /* A new file only, readable by this user alone from its first byte. */
    int fd = open(key_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        kiosk_error failed =
            kiosk_diag_set(diag, KIOSK_ERR_IO, "cannot create %s: %s", key_path, strerror(errno));
        crypto.pkey_free(key);
        return failed;
    }
    FILE *file = fdopen(fd, "w");
    bool written = file && crypto.write_private_key(file, key, NULL, NULL, 0, NULL, NULL) == 1;
    if (file ? fclose(file) != 0 : close(fd) != 0)
        written = false;
    if (!written) {
        unlink(key_path);
        crypto.pkey_free(key);
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "cannot write %s", key_path);
    }
    X509_REQ *request = crypto.req_new();
    BIO *out = crypto.bio_new(crypto.bio_s_mem());
    bool made = request && out && crypto.req_set_version(request, 0) == 1 &&
                crypto.name_add(crypto.req_subject(request), "CN", MBSTRING_UTF8,
                                (const unsigned char *)terminal_id, -1, -1, 0) == 1 &&
                crypto.req_set_pubkey(request, key) == 1 &&
                crypto.req_sign(request, key, crypto.sha256()) > 0 &&
                crypto.write_req(out, request) == 1;
    char *bytes = NULL;
    long length = made ? crypto.bio_ctrl(out, BIO_CTRL_INFO, 0, &bytes) : 0;
    if (made && length > 0 && bytes) {
        *csr = malloc((size_t)length + 1);
        if (*csr) {
            memcpy(*csr, bytes, (size_t)length);
            (*csr)[length] = '\0';
        }
    }
    if (out)
        crypto.bio_free(out);
    if (request)
        crypto.req_free(request);
    crypto.pkey_free(key);
    if (!*csr) {
        unlink(key_path);
        return kiosk_diag_set(diag, made ? KIOSK_ERR_NO_MEMORY : KIOSK_ERR_INTERNAL,
                              "the certificate request could not be made");
    }
    return KIOSK_OK;
}

/* Writes text to a new file path (mode 0644: a certificate is public). */
static bool write_new(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return false;
    size_t length = strlen(text);
    bool ok = write(fd, text, length) == (ssize_t)length && fsync(fd) == 0;
    return close(fd) == 0 && ok;
}

/* Why cert is not the answer for key from the CA in ca_file (for CN
 * terminal_id, unless NULL), or NULL. */
static const char *refusal(X509 *cert, const char *new_key_path, const char *ca_file,
                           const char *terminal_id)
{
    char cn[80] = "";
    if (terminal_id && (crypto.name_text_by_nid(crypto.subject_name(cert), NID_commonName, cn,
                                                (int)sizeof cn) <= 0 ||
                        strcmp(cn, terminal_id) != 0))
        return "the certificate is for another terminal";
    FILE *file = fopen(new_key_path, "r");
    EVP_PKEY *key = file ? crypto.read_private_key(file, NULL, NULL, NULL) : NULL;
    if (file)
        fclose(file);
    if (!key)
        return "the new key cannot be read";
    bool ours = crypto.check_private_key(cert, key) == 1;
    crypto.pkey_free(key);
    if (!ours)
        return "the certificate is for another key";
    X509_STORE *store = crypto.store_new();
    X509_STORE_CTX *context = crypto.store_ctx_new();
    bool chained = store && context && crypto.store_load_file(store, ca_file) == 1 &&
                   crypto.store_ctx_init(context, store, cert, NULL) == 1 &&
                   crypto.verify_cert(context) == 1;
    if (context)
        crypto.store_ctx_free(context);
    if (store)
        crypto.store_free(store);
    /* X509_verify_cert checks the dates too: an expired answer fails here. */
    return chained ? NULL : "the certificate does not chain to the platform's CA or is out of date";
}

/* path.old, a hard link to path: what was in use, kept until the new pair
 * has worked. False when path exists and no link could be made. */
static bool keep_old(const char *path)
{
    char old[1100];
    snprintf(old, sizeof old, "%s.old", path);
    unlink(old);
    return link(path, old) == 0 || errno == ENOENT;
}

kiosk_error enrol_install(const char *cert_pem, const char *new_key_path, const char *ca_file,
                          const char *cert_path, const char *key_path, kiosk_diag *diag)
{
    return enrol_install_for(NULL, cert_pem, new_key_path, ca_file, cert_path, key_path, diag);
}

kiosk_error enrol_install_for(const char *terminal_id, const char *cert_pem,
                              const char *new_key_path, const char *ca_file, const char *cert_path,
                              const char *key_path, kiosk_diag *diag)
{
    pthread_once(&once, load);
    if (!loaded)
        return kiosk_diag_set(diag, KIOSK_ERR_UNSUPPORTED, "no libcrypto to check the answer");
    BIO *in = cert_pem ? crypto.bio_new_mem_buf(cert_pem, -1) : NULL;
    X509 *cert = in ? crypto.read_bio_x509(in, NULL, NULL, NULL) : NULL;
    if (in)
        crypto.bio_free(in);
    if (!cert) {
        unlink(new_key_path);
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "the answer holds no certificate");
    }
    const char *why = refusal(cert, new_key_path, ca_file, terminal_id);
    crypto.x509_free(cert);
    if (why) {
        unlink(new_key_path);
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "not installed: %s", why);
    }
    char new_cert[1100];
    snprintf(new_cert, sizeof new_cert, "%s.new", cert_path);
    if (!write_new(new_cert, cert_pem)) {
        unlink(new_cert);
        unlink(new_key_path);
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "cannot write %s: %s", new_cert, strerror(errno));
    }
    if (!keep_old(cert_path) || !keep_old(key_path)) {
        unlink(new_cert);
        unlink(new_key_path);
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "cannot keep the pair in use as .old: %s",
                              strerror(errno));
    }
    /* The key first: until the certificate follows, the old certificate no
     * longer matches and the link fails; the other order would present the
     * new certificate with the old key for the same moment. */
    if (rename(new_key_path, key_path) != 0 || rename(new_cert, cert_path) != 0)
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "cannot put the new pair in place: %s",
                              strerror(errno));
    return KIOSK_OK;
}

void enrol_settle(const char *cert_path, const char *key_path, bool worked)
{
    const char *paths[] = {cert_path, key_path};
    for (int i = 0; i < 2; i++) {
        char old[1100];
        snprintf(old, sizeof old, "%s.old", paths[i]);
        if (worked)
            unlink(old);
        else if (access(old, F_OK) == 0 && rename(old, paths[i]) != 0)
            LOG_ERROR("enrol", "cannot put %s back: %s", old, strerror(errno));
    }
}

bool enrol_code_valid(const char *code)
{
    size_t length = code ? strlen(code) : 0;
    if (length < 4 || length > 32)
        return false;
    for (size_t i = 0; i < length; i++)
        if (!((code[i] >= '0' && code[i] <= '9') || (code[i] >= 'A' && code[i] <= 'Z')))
            return false;
    return true;
}

const char *enrol_outcome_name(enrol_outcome outcome)
{
    static const char *const names[] = {"installed",  "code-refused", "no-answer", "bad-answer",
                                        "wrong-cert", "not-working",  "local"};
    return (unsigned)outcome < sizeof names / sizeof names[0] ? names[outcome] : "local";
}

/* ---- enrolment: the request to the platform ------------------------------ */

typedef struct answer {
    char *body;
    size_t length, allocated;
    bool too_big, json;
} answer;

static size_t on_body(char *data, size_t size, size_t count, void *user)
{
    answer *a = user;
    size_t n = size * count;
    if (a->length + n > ENROL_ANSWER_MAX) {
        a->too_big = true;
        return 0; /* aborts: an answer over the cap is not read */
    }
    if (!a->body) {
        a->body = malloc(ENROL_ANSWER_MAX + 1);
        if (!a->body)
            return 0;
        a->allocated = ENROL_ANSWER_MAX + 1;
    }
    memcpy(a->body + a->length, data, n);
    a->length += n;
    a->body[a->length] = '\0';
    return n;
}

static size_t on_header(char *data, size_t size, size_t count, void *user)
{
    answer *a = user;
    size_t n = size * count;
    static const char type[] = "Content-Type:";
    if (n > sizeof type && strncasecmp(data, type, sizeof type - 1) == 0) {
        const char *value = data + sizeof type - 1;
        while (*value == ' ')
            value++;
        a->json = strncasecmp(value, "application/json", 16) == 0;
    }
    return n;
}

static void answer_free(answer *a)
{
    if (a->body)
        explicit_bzero(a->body, a->allocated);
    free(a->body);
    a->body = NULL;
}

/* One request with the pair at cert and key; the status (0: no answer). */
static long ask(const curl_api *api, const enrol_config *config, const char *cert, const char *key,
                const char *path, const char *body, answer *out, char *error)
{
    memset(out, 0, sizeof *out);
    error[0] = '\0';
    CURL *curl = api->easy_init();
    if (!curl) {
        snprintf(error, CURL_ERROR_SIZE, "libcurl could not start");
        return 0;
    }
    char url[1200], terminal[120], version[120];
    size_t base = strlen(config->url);
    while (base > 0 && config->url[base - 1] == '/')
        base--;
    snprintf(url, sizeof url, "%.*s%s", (int)base, config->url, path);
    snprintf(terminal, sizeof terminal, "X-Terminal-Id: %s", config->terminal_id);
    snprintf(version, sizeof version, "X-Firmware-Version: %s",
             config->firmware_version ? config->firmware_version : "unknown");
    struct curl_slist *headers = api->slist_append(NULL, terminal);
    headers = api->slist_append(headers, version);
    headers = api->slist_append(headers, "Expect:");
    if (body)
        headers = api->slist_append(headers, "Content-Type: application/json");
    long timeout = config->timeout_ms > 0 ? config->timeout_ms : 15000;
    api->easy_setopt(curl, CURLOPT_URL, url);
    api->easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
    api->easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    api->easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    api->easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    api->easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout);
    api->easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout);
    api->easy_setopt(curl, CURLOPT_CAINFO, config->ca_file);
    api->easy_setopt(curl, CURLOPT_CAPATH, NULL);
    api->easy_setopt(curl, CURLOPT_SSLCERT, cert);
    api->easy_setopt(curl, CURLOPT_SSLKEY, key);
    if (config->pinned_key && config->pinned_key[0])
        api->easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, config->pinned_key);
    api->easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    api->easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    api->easy_setopt(curl, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    api->easy_setopt(curl, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    if (body) {
        api->easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        api->easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    }
    api->easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    api->easy_setopt(curl, CURLOPT_WRITEDATA, out);
    api->easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    api->easy_setopt(curl, CURLOPT_HEADERDATA, out);
    api->easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    CURLcode code = api->easy_perform(curl);
    long status = 0;
    if (code == CURLE_OK)
        api->easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    else if (!error[0])
        snprintf(error, CURL_ERROR_SIZE, "%s", api->easy_strerror(code));
    api->slist_free_all(headers);
    api->easy_cleanup(curl);
    return status;
}

static enrol_outcome failed(kiosk_diag *diag, enrol_outcome outcome, kiosk_error error,
                            const char *what)
{
    kiosk_diag_set(diag, error, "%s", what);
    return outcome;
}

/* The request's body: {"code","csr"}, malloc'd, or NULL. */
static char *request_body(const char *code, const char *csr)
{
    cJSON *json = cJSON_CreateObject();
    if (!json || !cJSON_AddStringToObject(json, "code", code) ||
        !cJSON_AddStringToObject(json, "csr", csr)) {
        cJSON_Delete(json);
        return NULL;
    }
    char *text = cJSON_PrintUnformatted(json);
    cJSON *item = cJSON_GetObjectItemCaseSensitive(json, "code");
    explicit_bzero(item->valuestring, strlen(item->valuestring));
    cJSON_Delete(json);
    return text;
}

/* ": <message>" of a typed error answer, printable ASCII only (it goes to
 * the log and the screen), or "". */
static void said_of(const answer *a, char *out, size_t size)
{
    cJSON *json = a->json ? cJSON_ParseWithLength(a->body ? a->body : "", a->length) : NULL;
    const cJSON *message = cJSON_GetObjectItemCaseSensitive(json, "message");
    if (cJSON_IsString(message)) {
        snprintf(out, size, ": %s", message->valuestring);
        for (char *c = out; *c; c++)
            if (*c < ' ' || *c > '~')
                *c = '?';
    }
    cJSON_Delete(json);
}

/* Checks the answer and installs it; the outcome. */
static enrol_outcome take_answer(const enrol_config *config, const answer *a, const char *new_key,
                                 kiosk_diag *diag)
{
    cJSON *json = a->json ? cJSON_ParseWithLength(a->body ? a->body : "", a->length) : NULL;
    const cJSON *cert = cJSON_GetObjectItemCaseSensitive(json, "certificate");
    const cJSON *chain = cJSON_GetObjectItemCaseSensitive(json, "chain");
    if (!cJSON_IsString(cert) || !cJSON_IsString(chain) || !cJSON_IsObject(json)) {
        cJSON_Delete(json);
        unlink(new_key);
        return failed(diag, ENROL_BAD_ANSWER, KIOSK_ERR_MALFORMED,
                      a->json ? "the platform's answer has no certificate and chain"
                              : "the platform's answer is not JSON (a gateway's or captive "
                                "portal's page?)");
    }
    char chain_path[1100];
    snprintf(chain_path, sizeof chain_path, "%s.chain", config->client_cert);
    kiosk_error installed;
    if (!write_new(chain_path, chain->valuestring))
        installed = kiosk_diag_set(diag, KIOSK_ERR_IO, "cannot write %s", chain_path);
    else
        installed = enrol_install_for(config->terminal_id, cert->valuestring, new_key, chain_path,
                                      config->client_cert, config->client_key, diag);
    unlink(chain_path);
    unlink(new_key); /* gone already when installed or refused */
    cJSON_Delete(json);
    if (installed == KIOSK_ERR_MALFORMED)
        return ENROL_WRONG_CERT;
    return installed == KIOSK_OK ? ENROL_INSTALLED : ENROL_LOCAL;
}

enrol_outcome enrol_run(const enrol_config *config, const char *code, enrol_cert_info *info,
                        kiosk_diag *diag)
{
    if (info)
        memset(info, 0, sizeof *info);
    if (!enrol_code_valid(code))
        return failed(diag, ENROL_LOCAL, KIOSK_ERR_INVALID_ARGUMENT,
                      "an enrolment code is 4 to 32 digits and capital letters");
    const curl_api *api = curl_lazy();
    if (!api)
        return failed(diag, ENROL_LOCAL, KIOSK_ERR_UNSUPPORTED, "no libcurl on this terminal");
    char new_key[1100];
    snprintf(new_key, sizeof new_key, "%s.new", config->client_key);
    unlink(new_key); /* a key left by an enrolment that was cut short */
    char *csr = NULL;
    if (enrol_make_request(config->terminal_id, new_key, &csr, diag) != KIOSK_OK)
        return ENROL_LOCAL;
    char *body = request_body(code, csr);
    free(csr);
    if (!body) {
        unlink(new_key);
        return failed(diag, ENROL_LOCAL, KIOSK_ERR_NO_MEMORY, "no memory for the request");
    }
    answer a;
    char error[CURL_ERROR_SIZE];
    long status =
        ask(api, config, config->client_cert, config->client_key, "/v1/enrol", body, &a, error);
    explicit_bzero(body, strlen(body)); /* it held the code */
    free(body);
    enrol_outcome outcome;
    if (status == 0) {
        unlink(new_key);
        outcome = a.too_big ? failed(diag, ENROL_BAD_ANSWER, KIOSK_ERR_TOO_BIG,
                                     "the platform's answer was over 64 KiB: not read")
                            : ENROL_NO_ANSWER;
        if (!a.too_big)
            kiosk_diag_set(diag, KIOSK_ERR_IO, "no answer from the platform: %s", error);
    } else if (status == 403) {
        cJSON *json = a.json ? cJSON_ParseWithLength(a.body ? a.body : "", a.length) : NULL;
        const cJSON *why = cJSON_GetObjectItemCaseSensitive(json, "error");
        bool refused = cJSON_IsString(why) && strcmp(why->valuestring, "enrol-code-refused") == 0;
        cJSON_Delete(json);
        unlink(new_key);
        outcome = refused ? failed(diag, ENROL_CODE_REFUSED, KIOSK_ERR_INVALID_ARGUMENT,
                                   "the platform refused the enrolment code (not issued, or used)")
                          : failed(diag, ENROL_BAD_ANSWER, KIOSK_ERR_MALFORMED,
                                   "the platform refused this terminal (403)");
    } else if (status != 200) {
        unlink(new_key);
        char said[128] = "";
        said_of(&a, said, sizeof said);
        kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "the platform answered %ld%s%s", status,
                       a.json ? "" : " (not JSON: a gateway's or captive portal's page?)", said);
        outcome = ENROL_BAD_ANSWER;
    } else {
        outcome = take_answer(config, &a, new_key, diag);
    }
    answer_free(&a);
    if (outcome != ENROL_INSTALLED)
        return outcome;

    /* One request with the new pair: the platform must take it before the
     * old pair goes. Any answer at all means the handshake passed; a TLS
     * failure or a 401/403 means it did not, and the old pair comes back. */
    status =
        ask(api, config, config->client_cert, config->client_key, "/v1/catalog", NULL, &a, error);
    bool too_big = a.too_big;
    answer_free(&a);
    bool refused = status == 401 || status == 403 ||
                   (status == 0 && !too_big && error[0] &&
                    (strstr(error, "SSL") || strstr(error, "TLS") || strstr(error, "certificate")));
    if (refused) {
        enrol_settle(config->client_cert, config->client_key, false);
        return failed(diag, ENROL_NOT_WORKING, KIOSK_ERR_MALFORMED,
                      "the platform refused the new certificate: the old one is back in use");
    }
    if (status != 0 || too_big)
        enrol_settle(config->client_cert, config->client_key, true);
    else
        LOG_WARN("enrol", "the new certificate is in place; not yet tried (%s): %s.old kept", error,
                 config->client_cert);
    if (info && enrol_cert_read(config->client_cert, info, diag) != KIOSK_OK)
        LOG_WARN("enrol", "the new certificate cannot be read back: %s", diag->message);
    kiosk_diag_set(diag, KIOSK_OK, "installed");
    return ENROL_INSTALLED;
}
