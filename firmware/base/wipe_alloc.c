/* Allocators that zero before they free. See wipe_alloc.h. */
#include "firmware/base/wipe_alloc.h"
#include "firmware/base/base_probes.h"

#include "firmware/base/log.h"

#include <cjson/cJSON.h>
#include <dlfcn.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define LIBCRYPTO "libcrypto.so.3"

static atomic_size_t wiped;

void *wipe_malloc(size_t size)
{
    return malloc(size);
}

void *wipe_calloc(size_t count, size_t size)
{
    return calloc(count, size);
}

char *wipe_strdup(const char *text)
{
    size_t length = strlen(text) + 1;
    char *copy = malloc(length);
    if (copy)
        memcpy(copy, text, length);
    return copy;
}

void wipe_free(void *block)
{
    if (!block)
        return;
    /* The whole usable size, not what was asked for: the C library may
     * have rounded it up, and a block that shrank in place keeps its old
     * tail. Under ASan the usable size is exactly what was asked for. */
    size_t size = malloc_usable_size(block);
    explicit_bzero(block, size);
    atomic_fetch_add_explicit(&wiped, size, memory_order_relaxed);
    free(block);
}

void *wipe_realloc(void *block, size_t size)
{
    if (!block)
        return malloc(size);
    if (size == 0) {
        wipe_free(block);
        return NULL;
    }
    /* A block that shrinks stays where it is (its tail is zeroed when it
     * is freed). One that grows is copied here, not by realloc, which
     * would free the old block without zeroing it. */
    size_t old = malloc_usable_size(block);
    if (size <= old)
        return block;
    void *moved = malloc(size);
    if (!moved)
        return NULL; /* as realloc: the old block is still the caller's */
    memcpy(moved, block, old);
    wipe_free(block);
    return moved;
}

size_t wipe_alloc_wiped_bytes(void)
{
    return atomic_load_explicit(&wiped, memory_order_relaxed);
}

/* ---- OpenSSL ------------------------------------------------------------ */

/* OpenSSL passes the caller's file and line; they are not needed here. */
static void *openssl_malloc(size_t size, const char *file, int line)
{
    (void)file;
    (void)line;
    return wipe_malloc(size);
}

static void *openssl_realloc(void *block, size_t size, const char *file, int line)
{
    (void)file;
    (void)line;
    return wipe_realloc(block, size);
}

static void openssl_free(void *block, const char *file, int line)
{
    (void)file;
    (void)line;
    wipe_free(block);
}

typedef int (*set_mem_functions_fn)(void *(*malloc_fn)(size_t, const char *, int),
                                    void *(*realloc_fn)(void *, size_t, const char *, int),
                                    void (*free_fn)(void *, const char *, int));

static bool openssl_set;

static void set_openssl(void)
{
    /* The same libcrypto libssl uses (one per process, by its soname); the
     * handle stays open: OpenSSL calls these functions until exit. */
    void *library = dlopen(LIBCRYPTO, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        LOG_ERROR("memory", "cannot load %s (install libssl3): %s", LIBCRYPTO, dlerror());
        return;
    }
    set_mem_functions_fn set = NULL;
    /* POSIX guarantees dlsym's pointer converts to a function pointer. */
    *(void **)&set = dlsym(library, "CRYPTO_set_mem_functions");
    if (!set) {
        LOG_ERROR("memory", "%s has no CRYPTO_set_mem_functions", LIBCRYPTO);
        return;
    }
    openssl_set = set(openssl_malloc, openssl_realloc, openssl_free) == 1;
    if (!openssl_set)
        LOG_ERROR("memory", "OpenSSL allocated before its allocator could be set: "
                            "what it frees is not zeroed");
}

bool wipe_alloc_openssl(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    (void)pthread_once(&once, set_openssl);
    return openssl_set;
}

/* ---- cJSON -------------------------------------------------------------- */

void wipe_alloc_cjson(void)
{
    /* With its own malloc, cJSON no longer reallocs its print buffer in
     * place: it allocates the final size, copies and frees the working
     * buffer, through wipe_free. */
    cJSON_Hooks hooks = {.malloc_fn = wipe_malloc, .free_fn = wipe_free};
    cJSON_InitHooks(&hooks);
}
