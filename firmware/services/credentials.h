/* Staff and technician credentials, as the platform delivers them
 * (docs/staff.md): who may sign in at this terminal, in which role, by
 * which card or staff QR code, and the hash of their PIN. Only salted, slow
 * hashes (PBKDF2-HMAC-SHA256) are ever held: no PIN, no ID number.
 *
 * Pure: parsing, matching and checking; where a lock-out is kept is the
 * caller's. */
#ifndef KIOSK_FIRMWARE_SERVICES_CREDENTIALS_H
#define KIOSK_FIRMWARE_SERVICES_CREDENTIALS_H

#include "firmware/base/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum staff_role {
    STAFF_ROLE_NONE = 0,
    STAFF_ROLE_STAFF,      /* hall staff: 帮办, paper, refused applications */
    STAFF_ROLE_TECHNICIAN, /* install, diagnose, repair */
} staff_role;

const char *staff_role_name(staff_role role);

#define CREDENTIAL_ID_MAX   32
#define CREDENTIAL_NAME_MAX 64
/* After this many wrong PINs in a row a credential is locked. */
#define CREDENTIAL_PIN_TRIES 5
/* The KDF: PBKDF2-HMAC-SHA256, 32-byte hashes, salts of 16 to 64 bytes.
 * The file names its iteration count; the terminal refuses fewer than the
 * floor (a file made cheap to brute-force) and more than the ceiling (a
 * card laid would keep the citizen waiting). */
#define CREDENTIAL_KDF_NAME           "pbkdf2-hmac-sha256"
#define CREDENTIAL_KDF_MIN_ITERATIONS 100000
#define CREDENTIAL_KDF_MAX_ITERATIONS 2000000
#define CREDENTIAL_HASH_BYTES         32
#define CREDENTIAL_SALT_MIN           16
#define CREDENTIAL_SALT_MAX           64
/* A PIN is 4 to 8 digits; a staff QR token 16 to 128 printable characters. */
#define CREDENTIAL_PIN_MIN   4
#define CREDENTIAL_PIN_MAX   8
#define CREDENTIAL_TOKEN_MIN 16
#define CREDENTIAL_TOKEN_MAX 128

typedef struct credentials credentials;

/* Parses the platform's JSON (length bytes). diag names the entry and
 * field on failure. Errors: MALFORMED, TOO_BIG, NO_MEMORY. */
kiosk_error credentials_parse(const char *json, size_t length, credentials **out,
                              kiosk_diag *diag) KIOSK_MUST_CHECK;
void credentials_free(credentials *set);
size_t credentials_count(const credentials *set);

typedef struct credential_info {
    char id[CREDENTIAL_ID_MAX]; /* "S001" */
    char name[CREDENTIAL_NAME_MAX];
    staff_role role;
} credential_info;

/* The credential whose holder's ID number (read from their card) is
 * id_number, or whose staff QR code is token: runs the KDF. Errors:
 * NOT_FOUND (nobody's: a citizen's card). */
kiosk_error credentials_find_by_id_number(const credentials *set, const char *id_number,
                                          credential_info *out) KIOSK_MUST_CHECK;
kiosk_error credentials_find_by_token(const credentials *set, const char *token,
                                      credential_info *out) KIOSK_MUST_CHECK;

/* A credential's lock-out, kept by the caller between attempts (and
 * restarts): wrong PINs in a row and until when it is locked. */
typedef struct credential_lock {
    int failures;
    int64_t locked_until_s; /* wall clock, seconds; 0: not locked */
} credential_lock;

typedef enum credential_verdict {
    CREDENTIAL_ACCEPTED = 1,
    CREDENTIAL_WRONG_PIN, /* lock->failures went up */
    CREDENTIAL_LOCKED,    /* this attempt locked it, or it was locked: PIN not checked */
} credential_verdict;

/* Checks pin for the credential id, updating *lock (a success clears it).
 * lock_seconds: how long five failures lock it for. */
credential_verdict credentials_check_pin(const credentials *set, const char *id, const char *pin,
                                         credential_lock *lock, int64_t now_s,
                                         int64_t lock_seconds);

/* The KDF itself, for the tool that writes credentials files: secret's
 * bytes under salt, iterations rounds, into out. Errors: UNSUPPORTED
 * (libcrypto cannot be loaded), INVALID_ARGUMENT. */
kiosk_error credentials_derive(const char *secret, const uint8_t *salt, size_t salt_length,
                               long iterations,
                               uint8_t out[CREDENTIAL_HASH_BYTES]) KIOSK_MUST_CHECK;
/* The iteration count the set was made with. */
long credentials_iterations(const credentials *set);
/* The credential id's details. Errors: NOT_FOUND. */
kiosk_error credentials_get(const credentials *set, const char *id,
                            credential_info *out) KIOSK_MUST_CHECK;

#endif
