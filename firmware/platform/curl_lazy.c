/* libcurl loaded on first use. See curl_lazy.h. */
#include "firmware/platform/curl_lazy.h"

#include "firmware/base/log.h"
#include "firmware/base/wipe_alloc.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

#define LIBCURL "libcurl.so.4"

static curl_api api;
static const curl_api *loaded;

static bool resolve(void *library, const char *name, void **out)
{
    *out = dlsym(library, name);
    if (!*out)
        LOG_ERROR("sync", "%s has no %s", LIBCURL, name);
    return *out != NULL;
}

static void load(void)
{
    void *library = dlopen(LIBCURL, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        LOG_ERROR("sync", "cannot load %s (install libcurl4): %s", LIBCURL, dlerror());
        return;
    }
    /* dlsym answers void *; a function pointer is stored through it, as
     * POSIX requires dlsym to allow. */
    struct {
        const char *name;
        void **slot;
    } symbols[] = {
        {"curl_global_init_mem", (void **)&api.global_init_mem},
        {"curl_easy_init", (void **)&api.easy_init},
        {"curl_easy_setopt", (void **)&api.easy_setopt},
        {"curl_easy_perform", (void **)&api.easy_perform},
        {"curl_easy_getinfo", (void **)&api.easy_getinfo},
        {"curl_easy_cleanup", (void **)&api.easy_cleanup},
        {"curl_easy_strerror", (void **)&api.easy_strerror},
        {"curl_slist_append", (void **)&api.slist_append},
        {"curl_slist_free_all", (void **)&api.slist_free_all},
    };
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        if (!resolve(library, symbols[i].name, symbols[i].slot)) {
            dlclose(library);
            return;
        }
    }
    /* libcurl's start initialises OpenSSL (its libssl shares our
     * libcrypto), which takes no new allocator after its first allocation:
     * OpenSSL's is set first. Without it the kiosk still runs, logged. */
    (void)wipe_alloc_openssl();
    /* Once per process, before any handle exists (libcurl's rule). Its
     * request and upload buffers hold what it sends: zeroed when freed. */
    if (api.global_init_mem(CURL_GLOBAL_DEFAULT, wipe_malloc, wipe_free, wipe_realloc, wipe_strdup,
                            wipe_calloc) != CURLE_OK) {
        LOG_ERROR("sync", "libcurl could not start");
        return;
    }
    loaded = &api;
}

const curl_api *curl_lazy(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    (void)pthread_once(&once, load);
    return loaded;
}
