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

#endif
