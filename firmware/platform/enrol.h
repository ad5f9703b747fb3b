/* This terminal's client certificate (firmware/platform/enrol.c): what it
 * says (subject, issuer, expiry), read with OpenSSL's libcrypto loaded at
 * run time like the store's (offline-cache/openssl_lazy.h), so a terminal's
 * first frame does not wait for it. Any thread. */
#ifndef KIOSK_FIRMWARE_PLATFORM_ENROL_H
#define KIOSK_FIRMWARE_PLATFORM_ENROL_H

#include "firmware/base/error.h"

#include <stdint.h>

typedef struct enrol_cert_info {
    char subject[200], issuer[200];    /* one-line, "/O=.../CN=K0420" */
    int64_t not_before_s, not_after_s; /* UTC seconds */
} enrol_cert_info;

/* Reads the first certificate of the PEM file at path. Errors: NOT_FOUND
 * (no file), MALFORMED (no certificate in it), UNSUPPORTED (no libcrypto). */
kiosk_error enrol_cert_read(const char *path, enrol_cert_info *out,
                            kiosk_diag *diag) KIOSK_MUST_CHECK;

#endif
