/* The terminal's client certificate. See enrol.h. */
#include "firmware/platform/enrol.h"

#include "firmware/base/log.h"
#include "firmware/base/wipe_alloc.h"

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

/* Why cert is not the answer for key from the CA in ca_file, or NULL. */
static const char *refusal(X509 *cert, const char *new_key_path, const char *ca_file)
{
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
    return chained ? NULL : "the certificate does not chain to the platform's CA";
}

kiosk_error enrol_install(const char *cert_pem, const char *new_key_path, const char *ca_file,
                          const char *cert_path, const char *key_path, kiosk_diag *diag)
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
    const char *why = refusal(cert, new_key_path, ca_file);
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
    /* The key first: until the certificate follows, the old certificate no
     * longer matches and the link fails; the other order would present the
     * new certificate with the old key for the same moment. */
    if (rename(new_key_path, key_path) != 0 || rename(new_cert, cert_path) != 0)
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "cannot put the new pair in place: %s",
                              strerror(errno));
    return KIOSK_OK;
}
