/* SM4-GCM (国密) through libgcrypt, opened at run time.
 *
 * OpenSSL 3.0 has SM4, but not SM4-GCM; libgcrypt has it since 1.9. The build
 * has no libgcrypt headers (Debian's libgcrypt20-dev cannot be installed for
 * amd64 and arm64 side by side), so the library is opened with dlopen() on
 * first use and the few functions and constants used here are declared
 * below. A board without libgcrypt20 still seals with AES-256-GCM; SM4-GCM
 * there returns UNSUPPORTED. */
#include "offline-cache/seal_internal.h"

#include "firmware/base/log.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#define GCRYPT_LIBRARY  "libgcrypt.so.20"
#define GCRYPT_PACKAGE  "libgcrypt20"
#define GCRYPT_MINIMUM  "1.9.0" /* SM4 arrived in 1.9 */
#define GCRYPT_GCM_STEP ((size_t)1 << 30)

/* From libgcrypt 1.10's src/gcrypt.h.in (enum gcry_cipher_algos, enum
 * gcry_cipher_modes, enum gcry_ctl_cmds); these numbers are part of the
 * library's ABI and do not change between releases. */
#define GCRY_CIPHER_SM4                   318
#define GCRY_CIPHER_MODE_GCM              9
#define GCRYCTL_DISABLE_SECMEM            37
#define GCRYCTL_INITIALIZATION_FINISHED   38
#define GCRYCTL_INITIALIZATION_FINISHED_P 39

/* gcry_error_t is gpg_error_t, an unsigned int; 0 is success. */
typedef unsigned int gcrypt_error;
typedef struct gcry_cipher_handle *gcrypt_handle;

typedef struct gcrypt_library {
    const char *(*check_version)(const char *minimum);
    gcrypt_error (*control)(int command, ...);
    gcrypt_error (*cipher_open)(gcrypt_handle *handle, int algorithm, int mode, unsigned flags);
    void (*cipher_close)(gcrypt_handle handle);
    gcrypt_error (*cipher_setkey)(gcrypt_handle handle, const void *key, size_t length);
    gcrypt_error (*cipher_setiv)(gcrypt_handle handle, const void *iv, size_t length);
    gcrypt_error (*cipher_authenticate)(gcrypt_handle handle, const void *data, size_t length);
    gcrypt_error (*cipher_encrypt)(gcrypt_handle handle, void *out, size_t out_size, const void *in,
                                   size_t in_length);
    gcrypt_error (*cipher_decrypt)(gcrypt_handle handle, void *out, size_t out_size, const void *in,
                                   size_t in_length);
    gcrypt_error (*cipher_gettag)(gcrypt_handle handle, void *tag, size_t length);
    gcrypt_error (*cipher_checktag)(gcrypt_handle handle, const void *tag, size_t length);
} gcrypt_library;

static gcrypt_library gcrypt;
static bool gcrypt_ready;
static pthread_once_t gcrypt_once = PTHREAD_ONCE_INIT;

/* POSIX guarantees dlsym's pointer converts to a function pointer. */
#define GCRYPT_SYMBOL(handle, field, name)                                                         \
    (*(void **)&gcrypt.field = dlsym(handle, name), gcrypt.field != NULL)

static bool resolve(void *handle)
{
    return GCRYPT_SYMBOL(handle, check_version, "gcry_check_version") &&
           GCRYPT_SYMBOL(handle, control, "gcry_control") &&
           GCRYPT_SYMBOL(handle, cipher_open, "gcry_cipher_open") &&
           GCRYPT_SYMBOL(handle, cipher_close, "gcry_cipher_close") &&
           GCRYPT_SYMBOL(handle, cipher_setkey, "gcry_cipher_setkey") &&
           GCRYPT_SYMBOL(handle, cipher_setiv, "gcry_cipher_setiv") &&
           GCRYPT_SYMBOL(handle, cipher_authenticate, "gcry_cipher_authenticate") &&
           GCRYPT_SYMBOL(handle, cipher_encrypt, "gcry_cipher_encrypt") &&
           GCRYPT_SYMBOL(handle, cipher_decrypt, "gcry_cipher_decrypt") &&
           GCRYPT_SYMBOL(handle, cipher_gettag, "gcry_cipher_gettag") &&
           GCRYPT_SYMBOL(handle, cipher_checktag, "gcry_cipher_checktag");
}

static void load_gcrypt(void)
{
    void *handle = dlopen(GCRYPT_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        LOG_WARN("seal", "%s: cannot load (%s); SM4-GCM needs the %s package", GCRYPT_LIBRARY,
                 dlerror(), GCRYPT_PACKAGE);
        return;
    }
    if (!resolve(handle)) {
        LOG_WARN("seal", "%s: functions missing; SM4-GCM needs the %s package, %s or later",
                 GCRYPT_LIBRARY, GCRYPT_PACKAGE, GCRYPT_MINIMUM);
        goto fail;
    }
    /* The version check also initialises the library; it must come first. */
    if (!gcrypt.check_version(GCRYPT_MINIMUM)) {
        const char *found = gcrypt.check_version(NULL);
        LOG_WARN("seal", "%s: version %s, SM4-GCM needs %s %s or later", GCRYPT_LIBRARY,
                 found ? found : "unknown", GCRYPT_PACKAGE, GCRYPT_MINIMUM);
        goto fail;
    }
    /* Keys live in the cipher handle only while a record is sealed or
     * opened, and are wiped when it closes: no secure memory pool (which
     * would want mlock and warn without it). Leave the library alone when
     * something else in the process has set it up already. */
    if (!gcrypt.control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
        gcrypt.control(GCRYCTL_DISABLE_SECMEM, 0);
        gcrypt.control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    }
    gcrypt_handle probe = NULL;
    if (gcrypt.cipher_open(&probe, GCRY_CIPHER_SM4, GCRY_CIPHER_MODE_GCM, 0) != 0) {
        LOG_WARN("seal", "%s: SM4-GCM is not available (FIPS mode?)", GCRYPT_LIBRARY);
        goto fail;
    }
    gcrypt.cipher_close(probe);
    /* The library stays loaded for the life of the process. */
    gcrypt_ready = true;
    return;
fail:
    dlclose(handle);
    memset(&gcrypt, 0, sizeof gcrypt);
}

bool seal_sm4_available(void)
{
    pthread_once(&gcrypt_once, load_gcrypt);
    return gcrypt_ready;
}

static gcrypt_error authenticate(gcrypt_handle handle, const uint8_t *data, size_t length)
{
    return length > 0 ? gcrypt.cipher_authenticate(handle, data, length) : 0;
}

static kiosk_error sm4_gcm_start(const uint8_t *key, const uint8_t *nonce, const seal_aad *aad,
                                 gcrypt_handle *out)
{
    if (!seal_sm4_available())
        return KIOSK_ERR_UNSUPPORTED;
    gcrypt_handle handle = NULL;
    if (gcrypt.cipher_open(&handle, GCRY_CIPHER_SM4, GCRY_CIPHER_MODE_GCM, 0) != 0)
        return KIOSK_ERR_IO;
    if (gcrypt.cipher_setkey(handle, key, SEAL_SM4_KEY_BYTES) != 0 ||
        gcrypt.cipher_setiv(handle, nonce, SEAL_NONCE_BYTES) != 0 ||
        authenticate(handle, aad->head, aad->head_length) != 0 ||
        authenticate(handle, aad->tail, aad->tail_length) != 0) {
        gcrypt.cipher_close(handle);
        return KIOSK_ERR_IO;
    }
    *out = handle;
    return KIOSK_OK;
}

kiosk_error seal_sm4_gcm_encrypt(const uint8_t *key, const uint8_t *nonce, const seal_aad *aad,
                                 const uint8_t *plain, size_t length, uint8_t *cipher, uint8_t *tag)
{
    gcrypt_handle handle = NULL;
    kiosk_error result = sm4_gcm_start(key, nonce, aad, &handle);
    if (result != KIOSK_OK) {
        if (result == KIOSK_ERR_IO)
            LOG_ERROR("seal", "SM4-GCM: libgcrypt failed to start");
        return result;
    }
    bool ok = true;
    for (size_t done = 0; ok && done < length; done += GCRYPT_GCM_STEP) {
        size_t piece = length - done < GCRYPT_GCM_STEP ? length - done : GCRYPT_GCM_STEP;
        ok = gcrypt.cipher_encrypt(handle, cipher + done, piece, plain + done, piece) == 0;
    }
    ok = ok && gcrypt.cipher_gettag(handle, tag, SEAL_TAG_BYTES) == 0;
    gcrypt.cipher_close(handle); /* wipes the key schedule */
    if (!ok) {
        LOG_ERROR("seal", "SM4-GCM: libgcrypt failed to encrypt");
        return KIOSK_ERR_IO;
    }
    return KIOSK_OK;
}

kiosk_error seal_sm4_gcm_decrypt(const uint8_t *key, const uint8_t *nonce, const seal_aad *aad,
                                 const uint8_t *cipher, size_t length, const uint8_t *tag,
                                 uint8_t *plain)
{
    gcrypt_handle handle = NULL;
    kiosk_error result = sm4_gcm_start(key, nonce, aad, &handle);
    if (result != KIOSK_OK) {
        if (result == KIOSK_ERR_IO)
            LOG_ERROR("seal", "SM4-GCM: libgcrypt failed to start");
        return result;
    }
    bool ok = true;
    for (size_t done = 0; ok && done < length; done += GCRYPT_GCM_STEP) {
        size_t piece = length - done < GCRYPT_GCM_STEP ? length - done : GCRYPT_GCM_STEP;
        ok = gcrypt.cipher_decrypt(handle, plain + done, piece, cipher + done, piece) == 0;
    }
    if (!ok) {
        LOG_ERROR("seal", "SM4-GCM: libgcrypt failed to decrypt");
        result = KIOSK_ERR_IO;
    } else if (gcrypt.cipher_checktag(handle, tag, SEAL_TAG_BYTES) != 0) {
        result = KIOSK_ERR_MALFORMED; /* the tag does not verify */
    }
    gcrypt.cipher_close(handle);
    if (result != KIOSK_OK && length > 0)
        explicit_bzero(plain, length);
    return result;
}
