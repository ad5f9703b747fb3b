/* libcurl, loaded when the sync thread first needs it.
 *
 * libcurl brings some twenty-five libraries with it (TLS, HTTP/2, IDN,
 * compression, LDAP, SSH...). Linked at start, they cost the kiosk 14 ms
 * before its first frame and 6 MiB of memory on a terminal that may not even
 * have its platform certificates yet. Loaded with dlopen when the platform
 * client starts (after the first frame), they cost nothing until then. The
 * calls are libcurl's own, through this table; curl.h gives the types. */
#ifndef KIOSK_FIRMWARE_PLATFORM_CURL_LAZY_H
#define KIOSK_FIRMWARE_PLATFORM_CURL_LAZY_H

#include <curl/curl.h>

typedef struct curl_api {
    CURLcode (*global_init_mem)(long flags, curl_malloc_callback malloc_fn,
                                curl_free_callback free_fn, curl_realloc_callback realloc_fn,
                                curl_strdup_callback strdup_fn, curl_calloc_callback calloc_fn);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *curl);
    CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
    void (*easy_cleanup)(CURL *curl);
    const char *(*easy_strerror)(CURLcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *text);
    void (*slist_free_all)(struct curl_slist *list);
} curl_api;

/* libcurl, loaded and initialised once (any thread): NULL when it cannot
 * be loaded (logged once, naming the library). What libcurl frees, and what
 * OpenSSL frees under it, is zeroed first (firmware/base/wipe_alloc.h). */
const curl_api *curl_lazy(void);

#endif
