/* OpenSSL's libcrypto, loaded when the first record is sealed or opened.
 *
 * A terminal's first frame does not need it: linked at start, libcrypto
 * costs about 2 MiB of memory and a few milliseconds before the citizen sees
 * anything. The calls are OpenSSL's own, through this table; the headers
 * give the types. */
#ifndef KIOSK_OFFLINE_CACHE_OPENSSL_LAZY_H
#define KIOSK_OFFLINE_CACHE_OPENSSL_LAZY_H

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

typedef struct openssl_api {
    EVP_KDF *(*kdf_fetch)(OSSL_LIB_CTX *library, const char *algorithm, const char *properties);
    EVP_KDF_CTX *(*kdf_ctx_new)(EVP_KDF *kdf);
    void (*kdf_free)(EVP_KDF *kdf);
    void (*kdf_ctx_free)(EVP_KDF_CTX *context);
    int (*kdf_derive)(EVP_KDF_CTX *context, unsigned char *key, size_t length,
                      const OSSL_PARAM params[]);
    OSSL_PARAM (*param_utf8_string)(const char *key, char *buffer, size_t size);
    OSSL_PARAM (*param_octet_string)(const char *key, void *buffer, size_t size);
    OSSL_PARAM (*param_end)(void);
    EVP_CIPHER_CTX *(*cipher_ctx_new)(void);
    void (*cipher_ctx_free)(EVP_CIPHER_CTX *context);
    int (*cipher_ctx_ctrl)(EVP_CIPHER_CTX *context, int type, int arg, void *ptr);
    const EVP_CIPHER *(*aes_256_gcm)(void);
    int (*encrypt_init)(EVP_CIPHER_CTX *context, const EVP_CIPHER *cipher, ENGINE *engine,
                        const unsigned char *key, const unsigned char *iv);
    int (*encrypt_update)(EVP_CIPHER_CTX *context, unsigned char *out, int *out_length,
                          const unsigned char *in, int in_length);
    int (*encrypt_final)(EVP_CIPHER_CTX *context, unsigned char *out, int *out_length);
    int (*decrypt_init)(EVP_CIPHER_CTX *context, const EVP_CIPHER *cipher, ENGINE *engine,
                        const unsigned char *key, const unsigned char *iv);
    int (*decrypt_update)(EVP_CIPHER_CTX *context, unsigned char *out, int *out_length,
                          const unsigned char *in, int in_length);
    int (*decrypt_final)(EVP_CIPHER_CTX *context, unsigned char *out, int *out_length);
    /* Digests and MACs for the audit trail (audit.c): SHA-256 or SM3. */
    EVP_MD *(*md_fetch)(OSSL_LIB_CTX *library, const char *algorithm, const char *properties);
    void (*md_free)(EVP_MD *md);
    int (*digest)(const void *data, size_t count, unsigned char *md, unsigned int *size,
                  const EVP_MD *type, ENGINE *engine);
    unsigned char *(*hmac)(const EVP_MD *md, const void *key, int key_length,
                           const unsigned char *data, size_t data_length, unsigned char *out,
                           unsigned int *out_length);
} openssl_api;

/* libcrypto, loaded once (any thread): NULL when it cannot be (logged once).
 * What OpenSSL frees is zeroed first (firmware/base/wipe_alloc.h). */
const openssl_api *openssl_lazy(void);

#endif
