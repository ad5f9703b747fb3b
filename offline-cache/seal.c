#include "offline-cache/seal.h"

#include "offline-cache/openssl_lazy.h"
#include "offline-cache/seal_internal.h"

#include "firmware/base/log.h"

#include <errno.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <string.h>
#include <sys/random.h>

/* OpenSSL counts in int: longer inputs go through in pieces of this size.
 * A variable so that tests can feed small inputs in many pieces. */
size_t seal_evp_chunk_bytes = (size_t)1 << 30;

bool seal_cipher_from_name(const char *name, seal_cipher *out)
{
    if (!name || !out)
        return false;
    if (strcmp(name, "aes-256-gcm") == 0)
        *out = SEAL_AES_256_GCM;
    else if (strcmp(name, "sm4-gcm") == 0)
        *out = SEAL_SM4_GCM;
    else
        return false;
    return true;
}

static bool known_cipher(unsigned value)
{
    return value == SEAL_AES_256_GCM || value == SEAL_SM4_GCM;
}

kiosk_error seal_random(uint8_t *out, size_t length)
{
    size_t done = 0;
    while (done < length) {
        ssize_t got = getrandom(out + done, length - done, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            LOG_ERROR("seal", "getrandom: %s", strerror(errno));
            return KIOSK_ERR_IO;
        }
        done += (size_t)got;
    }
    return KIOSK_OK;
}

kiosk_error seal_hkdf_sha256(const uint8_t *salt, size_t salt_length, const uint8_t *ikm,
                             size_t ikm_length, const uint8_t *info, size_t info_length,
                             uint8_t *out, size_t out_length)
{
    const openssl_api *o = openssl_lazy();
    EVP_KDF *kdf = o ? o->kdf_fetch(NULL, "HKDF", NULL) : NULL;
    EVP_KDF_CTX *context = kdf ? o->kdf_ctx_new(kdf) : NULL;
    if (kdf)
        o->kdf_free(kdf);
    if (!context) {
        LOG_ERROR("seal", "OpenSSL has no HKDF");
        return KIOSK_ERR_IO;
    }
    OSSL_PARAM params[5];
    size_t count = 0;
    params[count++] = o->param_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
    params[count++] = o->param_octet_string(OSSL_KDF_PARAM_KEY, (void *)ikm, ikm_length);
    if (salt_length > 0)
        params[count++] = o->param_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, salt_length);
    if (info_length > 0)
        params[count++] = o->param_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, info_length);
    params[count] = o->param_end();
    int derived = o->kdf_derive(context, out, out_length, params);
    o->kdf_ctx_free(context);
    if (derived != 1) {
        explicit_bzero(out, out_length);
        LOG_ERROR("seal", "HKDF-SHA256 failed");
        return KIOSK_ERR_IO;
    }
    return KIOSK_OK;
}

kiosk_error seal_name(const seal_key *key, const char *context, const char *secret,
                      char out[SEAL_NAME_LENGTH + 1])
{
    static const uint8_t salt[] = "kiosk-seal-name-v1";
    char info[256];
    int length = snprintf(info, sizeof info, "%s\n%s", context, secret);
    uint8_t name[SEAL_NAME_LENGTH / 2];
    kiosk_error result =
        length > 0 && (size_t)length < sizeof info
            ? seal_hkdf_sha256(salt, sizeof salt - 1, key->bytes, SEAL_KEY_BYTES,
                               (const uint8_t *)info, (size_t)length, name, sizeof name)
            : KIOSK_ERR_INVALID_ARGUMENT;
    explicit_bzero(info, sizeof info);
    out[0] = '\0';
    if (result != KIOSK_OK)
        return result;
    for (size_t i = 0; i < sizeof name; i++)
        snprintf(out + 2 * i, 3, "%02x", name[i]);
    explicit_bzero(name, sizeof name);
    return KIOSK_OK;
}

/* Feeds associated data (out NULL) or text through an update call in pieces
 * OpenSSL can count. */
typedef int (*evp_update)(EVP_CIPHER_CTX *context, unsigned char *out, int *out_length,
                          const unsigned char *in, int in_length);

static bool evp_feed(evp_update update, EVP_CIPHER_CTX *context, uint8_t *out, const uint8_t *in,
                     size_t length)
{
    size_t done = 0;
    while (done < length) {
        size_t piece = length - done < seal_evp_chunk_bytes ? length - done : seal_evp_chunk_bytes;
        int written = 0;
        if (update(context, out ? out + done : NULL, &written, in + done, (int)piece) != 1)
            return false;
        if (out && (size_t)written != piece)
            return false; /* GCM is a stream: all in, all out */
        done += piece;
    }
    return true;
}

static bool evp_gcm_start(const openssl_api *o, EVP_CIPHER_CTX *context, bool encrypt,
                          const uint8_t *key, const uint8_t *nonce, const seal_aad *aad)
{
    evp_update update = encrypt ? o->encrypt_update : o->decrypt_update;
    int (*init)(EVP_CIPHER_CTX *, const EVP_CIPHER *, ENGINE *, const unsigned char *,
                const unsigned char *) = encrypt ? o->encrypt_init : o->decrypt_init;
    return init(context, o->aes_256_gcm(), NULL, NULL, NULL) == 1 &&
           o->cipher_ctx_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, SEAL_NONCE_BYTES, NULL) == 1 &&
           init(context, NULL, NULL, key, nonce) == 1 &&
           evp_feed(update, context, NULL, aad->head, aad->head_length) &&
           evp_feed(update, context, NULL, aad->tail, aad->tail_length);
}

kiosk_error seal_aes_gcm_encrypt(const uint8_t *key, const uint8_t *nonce, const seal_aad *aad,
                                 const uint8_t *plain, size_t length, uint8_t *cipher, uint8_t *tag)
{
    const openssl_api *o = openssl_lazy();
    EVP_CIPHER_CTX *context = o ? o->cipher_ctx_new() : NULL;
    if (!context)
        return KIOSK_ERR_IO;
    uint8_t rest[16]; /* GCM leaves nothing for the final call */
    int final_length = 0;
    bool ok = evp_gcm_start(o, context, true, key, nonce, aad) &&
              evp_feed(o->encrypt_update, context, cipher, plain, length) &&
              o->encrypt_final(context, rest, &final_length) == 1 && final_length == 0 &&
              o->cipher_ctx_ctrl(context, EVP_CTRL_GCM_GET_TAG, SEAL_TAG_BYTES, tag) == 1;
    o->cipher_ctx_free(context); /* wipes the key schedule */
    if (!ok) {
        LOG_ERROR("seal", "AES-256-GCM: OpenSSL failed to encrypt");
        return KIOSK_ERR_IO;
    }
    return KIOSK_OK;
}

kiosk_error seal_aes_gcm_decrypt(const uint8_t *key, const uint8_t *nonce, const seal_aad *aad,
                                 const uint8_t *cipher, size_t length, const uint8_t *tag,
                                 uint8_t *plain)
{
    const openssl_api *o = openssl_lazy();
    EVP_CIPHER_CTX *context = o ? o->cipher_ctx_new() : NULL;
    if (!context)
        return KIOSK_ERR_IO;
    kiosk_error result = KIOSK_ERR_IO;
    uint8_t rest[16];
    int final_length = 0;
    if (!evp_gcm_start(o, context, false, key, nonce, aad) ||
        !evp_feed(o->decrypt_update, context, plain, cipher, length) ||
        o->cipher_ctx_ctrl(context, EVP_CTRL_GCM_SET_TAG, SEAL_TAG_BYTES, (void *)tag) != 1)
        LOG_ERROR("seal", "AES-256-GCM: OpenSSL failed to decrypt");
    else if (o->decrypt_final(context, rest, &final_length) != 1 || final_length != 0)
        result = KIOSK_ERR_MALFORMED; /* the tag does not verify */
    else
        result = KIOSK_OK;
    o->cipher_ctx_free(context);
    if (result != KIOSK_OK && length > 0)
        explicit_bzero(plain, length);
    return result;
}

/* The cipher's key: HKDF-SHA256 of the master key with no salt and the
 * cipher's info. An SM4 key is the first 16 bytes of that output (HKDF's
 * output is a prefix of any longer one, so asking for 16 gives just those). */
static kiosk_error derive_key(seal_cipher cipher, const seal_key *key, uint8_t *out)
{
    const char *info = cipher == SEAL_SM4_GCM ? SEAL_SM4_INFO : SEAL_AES_INFO;
    size_t length = cipher == SEAL_SM4_GCM ? SEAL_SM4_KEY_BYTES : SEAL_AES_KEY_BYTES;
    return seal_hkdf_sha256(NULL, 0, key->bytes, sizeof key->bytes, (const uint8_t *)info,
                            strlen(info), out, length);
}

kiosk_error seal(seal_cipher cipher, const seal_key *key, const uint8_t *aad, size_t aad_length,
                 const uint8_t *plain, size_t plain_length, uint8_t *out, size_t capacity,
                 size_t *out_length)
{
    if (out_length)
        *out_length = 0;
    if (!key || !out || !out_length || (!plain && plain_length > 0) || (!aad && aad_length > 0))
        return KIOSK_ERR_INVALID_ARGUMENT;
    if (!known_cipher((unsigned)cipher)) {
        LOG_ERROR("seal", "cannot seal with cipher %d: unknown", (int)cipher);
        return KIOSK_ERR_INVALID_ARGUMENT;
    }
    if (plain_length > SIZE_MAX - SEAL_OVERHEAD_BYTES ||
        capacity < plain_length + SEAL_OVERHEAD_BYTES)
        return KIOSK_ERR_INVALID_ARGUMENT;
    if (cipher == SEAL_SM4_GCM && !seal_sm4_available())
        return KIOSK_ERR_UNSUPPORTED;

    size_t sealed_length = plain_length + SEAL_OVERHEAD_BYTES;
    uint8_t *nonce = out + SEAL_HEADER_BYTES;
    uint8_t *body = nonce + SEAL_NONCE_BYTES;
    out[0] = SEAL_VERSION;
    out[1] = (uint8_t)cipher;
    kiosk_error result = seal_random(nonce, SEAL_NONCE_BYTES);
    uint8_t derived[SEAL_AES_KEY_BYTES];
    if (result == KIOSK_OK)
        result = derive_key(cipher, key, derived);
    if (result == KIOSK_OK) {
        seal_aad parts = {out, SEAL_HEADER_BYTES, aad, aad_length};
        result = cipher == SEAL_SM4_GCM
                     ? seal_sm4_gcm_encrypt(derived, nonce, &parts, plain, plain_length, body,
                                            body + plain_length)
                     : seal_aes_gcm_encrypt(derived, nonce, &parts, plain, plain_length, body,
                                            body + plain_length);
    }
    explicit_bzero(derived, sizeof derived);
    if (result != KIOSK_OK) {
        explicit_bzero(out, sealed_length);
        return result;
    }
    *out_length = sealed_length;
    return KIOSK_OK;
}

/* Every failure of seal_open() returns through here: nothing of the record
 * is left in out. */
static kiosk_error open_failed(uint8_t *out, size_t capacity, kiosk_error error)
{
    if (out && capacity > 0)
        explicit_bzero(out, capacity);
    return error;
}

kiosk_error seal_open(const seal_key *key, const uint8_t *aad, size_t aad_length,
                      const uint8_t *sealed, size_t sealed_length, uint8_t *out, size_t capacity,
                      size_t *out_length)
{
    if (out_length)
        *out_length = 0;
    if (!key || !out_length || (!out && capacity > 0) || (!sealed && sealed_length > 0) ||
        (!aad && aad_length > 0))
        return open_failed(out, capacity, KIOSK_ERR_INVALID_ARGUMENT);
    /* What the record says of itself first: a record that is not one is
     * MALFORMED whatever the caller's buffer. */
    if (sealed_length < SEAL_OVERHEAD_BYTES || sealed[0] != SEAL_VERSION ||
        !known_cipher(sealed[1]))
        return open_failed(out, capacity, KIOSK_ERR_MALFORMED);
    size_t plain_length = sealed_length - SEAL_OVERHEAD_BYTES;
    if (capacity < plain_length)
        return open_failed(out, capacity, KIOSK_ERR_INVALID_ARGUMENT);
    seal_cipher cipher = (seal_cipher)sealed[1];
    if (cipher == SEAL_SM4_GCM && !seal_sm4_available())
        return open_failed(out, capacity, KIOSK_ERR_UNSUPPORTED);

    const uint8_t *nonce = sealed + SEAL_HEADER_BYTES;
    const uint8_t *body = nonce + SEAL_NONCE_BYTES;
    uint8_t derived[SEAL_AES_KEY_BYTES];
    kiosk_error result = derive_key(cipher, key, derived);
    if (result == KIOSK_OK) {
        seal_aad parts = {sealed, SEAL_HEADER_BYTES, aad, aad_length};
        result = cipher == SEAL_SM4_GCM
                     ? seal_sm4_gcm_decrypt(derived, nonce, &parts, body, plain_length,
                                            body + plain_length, out)
                     : seal_aes_gcm_decrypt(derived, nonce, &parts, body, plain_length,
                                            body + plain_length, out);
    }
    explicit_bzero(derived, sizeof derived);
    if (result != KIOSK_OK)
        return open_failed(out, capacity, result);
    *out_length = plain_length;
    return KIOSK_OK;
}

void seal_key_wipe(seal_key *key)
{
    if (key)
        explicit_bzero(key, sizeof *key);
}
