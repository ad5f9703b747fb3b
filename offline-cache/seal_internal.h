/* Inside offline-cache/seal*.c: the primitives under seal() and seal_open().
 *
 * These take derived keys and explicit nonces, with no framing and no key
 * derivation, so that the known-answer tests can check each against its
 * published vector (tests/offline-cache/test_seal.c). Nothing outside the
 * seal files and their tests calls them. */
#ifndef KIOSK_OFFLINE_CACHE_SEAL_INTERNAL_H
#define KIOSK_OFFLINE_CACHE_SEAL_INTERNAL_H

#include "firmware/base/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEAL_HEADER_BYTES  2 /* version, cipher */
#define SEAL_NONCE_BYTES   12
#define SEAL_TAG_BYTES     16
#define SEAL_AES_KEY_BYTES 32
#define SEAL_SM4_KEY_BYTES 16

#define SEAL_AES_INFO "kiosk-seal-aes-256-gcm"
#define SEAL_SM4_INFO "kiosk-seal-sm4-gcm"

/* Associated data in two parts, authenticated as head followed by tail:
 * seal() passes the record's two header bytes and the caller's data. Either
 * part may be empty (NULL, 0). */
typedef struct seal_aad {
    const uint8_t *head;
    size_t head_length;
    const uint8_t *tail;
    size_t tail_length;
} seal_aad;

/* HKDF-SHA256 (RFC 5869) through OpenSSL: out_length bytes from ikm, with
 * salt (may be empty) and info. Errors: IO. */
kiosk_error seal_hkdf_sha256(const uint8_t *salt, size_t salt_length, const uint8_t *ikm,
                             size_t ikm_length, const uint8_t *info, size_t info_length,
                             uint8_t *out, size_t out_length) KIOSK_MUST_CHECK;

/* AES-256-GCM through OpenSSL, a 12-byte nonce and a 16-byte tag. plain and
 * cipher are length bytes and must not overlap. Decrypting returns MALFORMED
 * when the tag does not verify, with plain zeroed. Other errors: IO. */
kiosk_error seal_aes_gcm_encrypt(const uint8_t *key, const uint8_t *nonce, const seal_aad *aad,
                                 const uint8_t *plain, size_t length, uint8_t *cipher,
                                 uint8_t *tag) KIOSK_MUST_CHECK;
kiosk_error seal_aes_gcm_decrypt(const uint8_t *key, const uint8_t *nonce, const seal_aad *aad,
                                 const uint8_t *cipher, size_t length, const uint8_t *tag,
                                 uint8_t *plain) KIOSK_MUST_CHECK;

/* SM4-GCM through libgcrypt, opened at run time (seal_sm4.c): a 16-byte
 * key, otherwise as above. UNSUPPORTED when libgcrypt cannot be had. */
kiosk_error seal_sm4_gcm_encrypt(const uint8_t *key, const uint8_t *nonce, const seal_aad *aad,
                                 const uint8_t *plain, size_t length, uint8_t *cipher,
                                 uint8_t *tag) KIOSK_MUST_CHECK;
kiosk_error seal_sm4_gcm_decrypt(const uint8_t *key, const uint8_t *nonce, const seal_aad *aad,
                                 const uint8_t *cipher, size_t length, const uint8_t *tag,
                                 uint8_t *plain) KIOSK_MUST_CHECK;

/* Whether SM4-GCM can be used: libgcrypt 1.9 or later loaded and SM4-GCM
 * usable in it. Loads it on the first call (once per process; a line in
 * the log when it is missing). */
bool seal_sm4_available(void);

/* The largest piece of text or associated data handed to OpenSSL at once
 * (1 GiB: it counts in int). Tests lower it to see pieces join up. */
extern size_t seal_evp_chunk_bytes;

/* Fills out with length bytes from getrandom(2). Errors: IO. */
kiosk_error seal_random(uint8_t *out, size_t length) KIOSK_MUST_CHECK;

#endif
