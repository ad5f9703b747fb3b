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

/* The terminal's half of enrolment. A new EC P-256 key made here and
 * written to key_path (0600, a new file beside the one in use: it must not
 * exist), and a certificate signing request for CN terminal_id signed with
 * it, as PEM in *csr (malloc'd, the caller frees). The key never leaves the
 * terminal. Errors: INVALID_ARGUMENT (terminal_id empty or longer than 64),
 * IO (key_path exists or cannot be written), UNSUPPORTED (no libcrypto),
 * NO_MEMORY. */
kiosk_error enrol_make_request(const char *terminal_id, const char *key_path, char **csr,
                               kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Installs the platform's answer: cert_pem must be a certificate for the key
 * at new_key_path and chain to the platform's CA (ca_file); only then are
 * both moved over cert_path and key_path (each by rename: a reader sees the
 * old pair or the new one). Otherwise nothing in use changes and the new
 * key is deleted. Errors: MALFORMED (not a certificate, another key's, or
 * not the platform CA's: diag says which), IO, UNSUPPORTED. */
kiosk_error enrol_install(const char *cert_pem, const char *new_key_path, const char *ca_file,
                          const char *cert_path, const char *key_path,
                          kiosk_diag *diag) KIOSK_MUST_CHECK;

#endif
