/* libcrypto loaded on first use. See openssl_lazy.h. */
#include "offline-cache/openssl_lazy.h"

#include "firmware/base/log.h"
#include "firmware/base/wipe_alloc.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#define LIBCRYPTO "libcrypto.so.3"

static openssl_api api;
static const openssl_api *loaded;

static void load(void)
{
    /* Before OpenSSL allocates anything (it takes no new allocator after):
     * its cipher contexts hold keys and text, zeroed when freed. */
    (void)wipe_alloc_openssl();
    void *library = dlopen(LIBCRYPTO, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        LOG_ERROR("seal", "cannot load %s (install libssl3): %s", LIBCRYPTO, dlerror());
        return;
    }
    /* POSIX guarantees dlsym's pointer converts to a function pointer. */
    struct {
        const char *name;
        void **slot;
    } symbols[] = {
        {"EVP_KDF_fetch", (void **)&api.kdf_fetch},
        {"EVP_KDF_CTX_new", (void **)&api.kdf_ctx_new},
        {"EVP_KDF_free", (void **)&api.kdf_free},
        {"EVP_KDF_CTX_free", (void **)&api.kdf_ctx_free},
        {"EVP_KDF_derive", (void **)&api.kdf_derive},
        {"OSSL_PARAM_construct_utf8_string", (void **)&api.param_utf8_string},
        {"OSSL_PARAM_construct_octet_string", (void **)&api.param_octet_string},
        {"OSSL_PARAM_construct_end", (void **)&api.param_end},
        {"EVP_CIPHER_CTX_new", (void **)&api.cipher_ctx_new},
        {"EVP_CIPHER_CTX_free", (void **)&api.cipher_ctx_free},
        {"EVP_CIPHER_CTX_ctrl", (void **)&api.cipher_ctx_ctrl},
        {"EVP_aes_256_gcm", (void **)&api.aes_256_gcm},
        {"EVP_EncryptInit_ex", (void **)&api.encrypt_init},
        {"EVP_EncryptUpdate", (void **)&api.encrypt_update},
        {"EVP_EncryptFinal_ex", (void **)&api.encrypt_final},
        {"EVP_DecryptInit_ex", (void **)&api.decrypt_init},
        {"EVP_DecryptUpdate", (void **)&api.decrypt_update},
        {"EVP_DecryptFinal_ex", (void **)&api.decrypt_final},
        {"EVP_MD_fetch", (void **)&api.md_fetch},
        {"EVP_MD_free", (void **)&api.md_free},
        {"EVP_Digest", (void **)&api.digest},
        {"HMAC", (void **)&api.hmac},
    };
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        *symbols[i].slot = dlsym(library, symbols[i].name);
        if (!*symbols[i].slot) {
            LOG_ERROR("seal", "%s has no %s", LIBCRYPTO, symbols[i].name);
            dlclose(library);
            return;
        }
    }
    loaded = &api;
}

const openssl_api *openssl_lazy(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    (void)pthread_once(&once, load);
    return loaded;
}
