/* This terminal's client certificate (firmware/platform/enrol.c): what it
 * says (subject, issuer, expiry), read with OpenSSL's libcrypto loaded at
 * run time like the store's (offline-cache/openssl_lazy.h), so a terminal's
 * first frame does not wait for it. Any thread. */
#ifndef KIOSK_FIRMWARE_PLATFORM_ENROL_H
#define KIOSK_FIRMWARE_PLATFORM_ENROL_H

#include "firmware/base/error.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct enrol_cert_info {
    char subject[200], issuer[200];    /* one-line, "/O=.../CN=K0420" */
    int64_t not_before_s, not_after_s; /* UTC seconds */
    char serial[80];                   /* lower-case hex, as the issuer wrote it */
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

/* enrol_install, and the certificate's CN must be terminal_id (unless
 * NULL). What was in use stays beside it as cert_path.old and key_path.old
 * (hard links) until enrol_settle. Errors as enrol_install's. */
kiosk_error enrol_install_for(const char *terminal_id, const char *cert_pem,
                              const char *new_key_path, const char *ca_file, const char *cert_path,
                              const char *key_path, kiosk_diag *diag) KIOSK_MUST_CHECK;

/* After the new pair was tried toward the platform: worked, the .old pair
 * goes; refused, it is put back in place (the new one is lost: enrol again
 * with a new code). */
void enrol_settle(const char *cert_path, const char *key_path, bool worked);

/* An enrolment code as a technician types it: 4 to 32 digits and capital
 * letters. */
bool enrol_code_valid(const char *code);

/* The whole of enrolment, blocking (seconds: run it on a worker): a new key
 * beside the one in use, its CSR sent with code to POST /v1/enrol over the
 * mutually authenticated link (the pair in use presented, the platform
 * checked against ca_file and the pin), the answer checked (at most
 * ENROL_ANSWER_MAX bytes, JSON, a certificate for the new key and for
 * terminal_id, chaining to the answer's chain, in date), installed, and
 * tried: one request with the new pair. Nothing personal is sent; the code
 * is never logged. */
#define ENROL_ANSWER_MAX (64 * 1024)
typedef struct enrol_config {
    const char *url; /* the platform's base URL, https://host:port/ */
    const char *ca_file, *client_cert, *client_key;
    const char *pinned_key; /* "sha256//..." or NULL */
    const char *terminal_id;
    long timeout_ms;              /* per request: 0 for 15000 */
    const char *firmware_version; /* X-Firmware-Version, as every call sends */
} enrol_config;

/* How it ended, for the technician: ENROL_INSTALLED, or why not. */
typedef enum enrol_outcome {
    ENROL_INSTALLED = 0,
    ENROL_CODE_REFUSED, /* 403 enrol-code-refused: not issued, or used */
    ENROL_NO_ANSWER,    /* no connection, a time-out, a TLS failure */
    ENROL_BAD_ANSWER,   /* not JSON, too big, truncated, or any other status */
    ENROL_WRONG_CERT,   /* another key's, another terminal's, not chaining, out of date */
    ENROL_NOT_WORKING,  /* installed, then refused by the platform: the old pair is back */
    ENROL_LOCAL,        /* the key, the CSR or the files could not be made here */
} enrol_outcome;

/* "installed", "code-refused", "no-answer", "bad-answer", "wrong-cert",
 * "not-working", "local": the string table's "tech.cert.outcome.<name>". */
const char *enrol_outcome_name(enrol_outcome outcome);

/* Runs it; *info (when not NULL) the new certificate's when installed;
 * diag says what went wrong in a technician's words. */
enrol_outcome enrol_run(const enrol_config *config, const char *code, enrol_cert_info *info,
                        kiosk_diag *diag);

#endif
