/* Allocators that zero a whole block before it is freed, for the libraries
 * that hold a citizen's data on the kiosk's behalf: libcurl (its request
 * and upload buffers hold the body it sends), OpenSSL (its record buffers
 * and the seal's cipher contexts) and cJSON (the text it prints and
 * parses). Each lets a program give it its own allocator; with these, what
 * such a library frees is zeroed first, as the kiosk's own buffers are
 * (docs/memory-residue.md).
 *
 * A block's whole usable size is zeroed (malloc_usable_size), so a block
 * that shrank in place or that the allocator rounded up is zeroed too.
 * Blocks from these functions may be freed with free(), and blocks from
 * malloc() with wipe_free(): both end in the C library's free. All are
 * safe from any thread. */
#ifndef KIOSK_FIRMWARE_BASE_WIPE_ALLOC_H
#define KIOSK_FIRMWARE_BASE_WIPE_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

/* malloc, calloc and strdup: the caller owns the block (wipe_free it). */
void *wipe_malloc(size_t size);
void *wipe_calloc(size_t count, size_t size);
char *wipe_strdup(const char *text);
/* realloc whose old block, when the data moves, is zeroed before it is
 * freed. NULL block: wipe_malloc; size 0: wipe_free and NULL. */
void *wipe_realloc(void *block, size_t size);
/* Zeroes the block (NULL: nothing) and frees it. */
void wipe_free(void *block);

/* OpenSSL's allocator (CRYPTO_set_mem_functions), set once for the whole
 * process: libcrypto is shared by the seal (offline-cache/openssl_lazy.c)
 * and by libcurl's libssl, so whichever of them comes first calls this
 * before OpenSSL allocates anything (OpenSSL refuses a new allocator after
 * its first allocation). False, logged once, when libcrypto cannot be
 * loaded or had already allocated: then what OpenSSL frees is not zeroed. */
bool wipe_alloc_openssl(void);

/* cJSON's allocator (cJSON_InitHooks). Process-wide and not thread-safe:
 * called once at start, before any other thread uses cJSON. */
void wipe_alloc_cjson(void);

#endif
