/* A store in a fresh directory, with a test key, for the offline-cache
 * tests; and a search of the files on disk for bytes that must be gone. */
#ifndef KIOSK_TESTS_OFFLINE_CACHE_FIXTURE_H
#define KIOSK_TESTS_OFFLINE_CACHE_FIXTURE_H

#include "offline-cache/kv.h"
#include "offline-cache/outbox.h"
#include "offline-cache/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOW_MS ((int64_t)TEST_WALL_TIME * 1000)

static inline seal_key test_key(uint8_t fill)
{
    seal_key key;
    for (size_t i = 0; i < SEAL_KEY_BYTES; i++)
        key.bytes[i] = (uint8_t)(fill + i * 13);
    return key;
}

static inline const char *fresh_db(const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/kiosk.db", test_make_temp_dir(name));
    return path;
}

static inline cache_store *open_store(const char *path, const seal_key *key,
                                      cache_options *overrides)
{
    cache_options options = overrides ? *overrides : (cache_options){0};
    options.path = path;
    options.key = key;
    if (!options.cipher)
        options.cipher = SEAL_AES_256_GCM;
    cache_store *store = NULL;
    kiosk_diag diag = {{0}};
    kiosk_error result = cache_open(&options, &store, NULL, &diag);
    if (result != KIOSK_OK)
        fail_msg("cannot open %s: %s", path, diag.message);
    return store;
}

static inline int64_t put_record(cache_store *store, const char *key, const char *payload,
                                 bool personal)
{
    cache_put put = {.kind = "submission",
                     .idempotency_key = key,
                     .payload = (const uint8_t *)payload,
                     .payload_length = strlen(payload),
                     .personal = personal};
    int64_t id = 0;
    kiosk_diag diag = {{0}};
    kiosk_error result = cache_outbox_put(store, &put, NOW_MS, &id, &diag);
    if (result != KIOSK_OK)
        fail_msg("put %s: %s (%s)", key, kiosk_error_name(result), diag.message);
    return id;
}

/* Whether needle occurs in the file (a missing file holds nothing). */
static inline bool file_contains(const char *path, const void *needle, size_t length)
{
    FILE *file = fopen(path, "rb");
    if (!file)
        return false;
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    char *bytes = malloc((size_t)size + 1);
    size_t got = bytes ? fread(bytes, 1, (size_t)size, file) : 0;
    fclose(file);
    bool found = bytes && memmem(bytes, got, needle, length) != NULL;
    free(bytes);
    return found;
}

static inline bool store_files_contain(const char *path, const void *needle, size_t length)
{
    char wal[1100], shm[1100];
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(shm, sizeof shm, "%s-shm", path);
    return file_contains(path, needle, length) || file_contains(wal, needle, length) ||
           file_contains(shm, needle, length);
}

#endif
