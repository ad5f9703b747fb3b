/* The terminal's client certificate. See enrol.h. */
#include "firmware/platform/enrol.h"

#include "firmware/base/log.h"
#include "firmware/base/wipe_alloc.h"

#include <dlfcn.h>
#include <errno.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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
