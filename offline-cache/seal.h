/* Encryption at rest for records that hold personal data.
 *
 * A sealed record is
 *     version (1) | cipher (1) | nonce (12) | ciphertext | tag (16)
 * sealed with AES-256-GCM (OpenSSL) or SM4-GCM (国密, libgcrypt: OpenSSL 3.0
 * has no SM4-GCM), a fresh random nonce each time, and associated data that
 * binds it to its place (the record's id and kind), so a sealed payload
 * copied onto another record does not open. The cipher is chosen per board
 * profile; opening reads it from the record, so records written before a
 * change of cipher still open.
 *
 * Both ciphers take their key from the one 32-byte master key by HKDF-SHA256
 * (info "kiosk-seal-aes-256-gcm" / "kiosk-seal-sm4-gcm"; SM4 keys are 16
 * bytes), never the master key itself. */
#ifndef KIOSK_OFFLINE_CACHE_SEAL_H
#define KIOSK_OFFLINE_CACHE_SEAL_H

#include "firmware/base/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEAL_KEY_BYTES      32
#define SEAL_OVERHEAD_BYTES (1 + 1 + 12 + 16)
#define SEAL_VERSION        1

typedef enum seal_cipher {
    SEAL_AES_256_GCM = 1,
    SEAL_SM4_GCM = 2,
} seal_cipher;

/* The cipher named "aes-256-gcm" or "sm4-gcm" (false for an unknown name). */
bool seal_cipher_from_name(const char *name, seal_cipher *out);

typedef struct seal_key {
    uint8_t bytes[SEAL_KEY_BYTES];
} seal_key;

/* Seals plain into out (capacity at least plain_length + SEAL_OVERHEAD_BYTES).
 * Errors: INVALID_ARGUMENT (capacity, unknown cipher), UNSUPPORTED (SM4-GCM
 * without libgcrypt 1.9 or later), IO (the crypto library or the random
 * source failed). */
kiosk_error seal(seal_cipher cipher, const seal_key *key, const uint8_t *aad, size_t aad_length,
                 const uint8_t *plain, size_t plain_length, uint8_t *out, size_t capacity,
                 size_t *out_length) KIOSK_MUST_CHECK;

/* Opens what seal() wrote (capacity at least sealed_length -
 * SEAL_OVERHEAD_BYTES). Errors: MALFORMED when it is too short, of an
 * unknown version or cipher, or fails authentication (a wrong key, other
 * associated data, a flipped byte): the record is bad. Not the record's
 * fault, and not to be taken for a bad record: INVALID_ARGUMENT (capacity),
 * UNSUPPORTED (an SM4-GCM record without libgcrypt), IO (the crypto library
 * failed). On any error nothing of it is returned (out is zeroed). */
kiosk_error seal_open(const seal_key *key, const uint8_t *aad, size_t aad_length,
                      const uint8_t *sealed, size_t sealed_length, uint8_t *out, size_t capacity,
                      size_t *out_length) KIOSK_MUST_CHECK;

/* A stable name for secret (an ID number) in context ("answer:<service>"):
 * the same for the same inputs and key, and telling nothing of secret to
 * anyone without the key (HKDF-SHA256 keyed by it), so a record can be
 * found by a citizen's number without the number being stored. 32 hex
 * characters and a NUL. Errors: IO (the crypto library failed). */
#define SEAL_NAME_LENGTH 32
kiosk_error seal_name(const seal_key *key, const char *context, const char *secret,
                      char out[SEAL_NAME_LENGTH + 1]) KIOSK_MUST_CHECK;

/* Where the master key comes from. On a development board: a root-only file
 * (seal_key_file_load). A board with a secure element or TPM supplies its
 * own load function (unsealing the key there); the store never sees more
 * than the key. */
typedef struct seal_key_provider {
    kiosk_error (*load)(void *context, seal_key *out, kiosk_diag *diag);
    void *context; /* for the file provider: the path */
} seal_key_provider;

/* Reads a 32-byte key file. Refuses (IO, with diag naming the file and what
 * to fix) a file readable or writable by group or others, owned by someone
 * other than root or the running user, a symbolic link, or not exactly 32
 * bytes. NOT_FOUND when there is no such file. */
kiosk_error seal_key_file_load(void *path, seal_key *out, kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Creates the key file with 32 random bytes (getrandom), mode 0400, when it
 * does not exist (a development board's first start); an existing file is
 * left alone. Errors: IO. */
kiosk_error seal_key_file_create(const char *path, kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Zeroes a key (explicit_bzero). */
void seal_key_wipe(seal_key *key);

#endif
