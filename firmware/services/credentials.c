/* Staff and technician credentials (docs/staff.md): the platform's JSON
 * read and checked, and the KDF that matches a card, a staff QR code or a
 * PIN against the salted hashes it holds. */
#include "firmware/services/credentials.h"

#include "firmware/base/base64.h"
#include "firmware/base/json_fields.h"
#include "firmware/base/log.h"
#include "firmware/base/wipe_alloc.h"

#include <cJSON.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A file of more is not a hall's staff. */
#define CREDENTIALS_MAX      512
#define CREDENTIALS_JSON_MAX (1024 * 1024)

typedef struct salted_hash {
    uint8_t salt[CREDENTIAL_SALT_MAX];
    size_t salt_length;
    uint8_t hash[CREDENTIAL_HASH_BYTES];
    bool present;
} salted_hash;

typedef struct credential {
    credential_info info;
    salted_hash card, qr, pin;
} credential;

struct credentials {
    long iterations;
    /* The one salt every card and QR hash is made with: a card laid is
     * hashed once, whatever the number of staff (docs/staff.md). */
    uint8_t id_salt[CREDENTIAL_SALT_MAX];
    size_t id_salt_length;
    size_t count;
    credential entries[];
};

const char *staff_role_name(staff_role role)
{
    return role == STAFF_ROLE_STAFF        ? "staff"
           : role == STAFF_ROLE_TECHNICIAN ? "technician"
                                           : "none";
}

/* libcrypto's PBKDF2, loaded on the first KDF rather than linked: the
 * first frame does not need it (as offline-cache/openssl_lazy.c). */
typedef int (*pbkdf2_fn)(const char *pass, int pass_length, const unsigned char *salt,
                         int salt_length, int iterations, const void *digest, int key_length,
                         unsigned char *out);
typedef const void *(*digest_fn)(void);
static pbkdf2_fn pbkdf2;
static digest_fn sha256;

static void load_libcrypto(void)
{
    (void)wipe_alloc_openssl();
    void *library = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        LOG_ERROR("staff", "cannot load libcrypto.so.3 (install libssl3): %s", dlerror());
        return;
    }
    /* POSIX guarantees dlsym's pointer converts to a function pointer. */
    void *derive = dlsym(library, "PKCS5_PBKDF2_HMAC");
    void *digest = dlsym(library, "EVP_sha256");
    if (!derive || !digest) {
        LOG_ERROR("staff", "libcrypto.so.3 has no PKCS5_PBKDF2_HMAC or EVP_sha256");
        dlclose(library);
        return;
    }
    *(void **)&pbkdf2 = derive;
    *(void **)&sha256 = digest;
}

kiosk_error credentials_derive(const char *secret, const uint8_t *salt, size_t salt_length,
                               long iterations, uint8_t out[CREDENTIAL_HASH_BYTES])
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    (void)pthread_once(&once, load_libcrypto);
    if (!pbkdf2)
        return KIOSK_ERR_UNSUPPORTED;
    size_t length = strlen(secret);
    if (length > 256 || salt_length > CREDENTIAL_SALT_MAX || iterations < 1 ||
        iterations > CREDENTIAL_KDF_MAX_ITERATIONS)
        return KIOSK_ERR_INVALID_ARGUMENT;
    if (pbkdf2(secret, (int)length, salt, (int)salt_length, (int)iterations, sha256(),
               CREDENTIAL_HASH_BYTES, out) != 1)
        return KIOSK_ERR_INTERNAL;
    return KIOSK_OK;
}

/* Compares all n bytes whatever they hold: how long it takes says nothing
 * of how much of a hash matched. */
static bool same_bytes(const uint8_t *a, const uint8_t *b, size_t n)
{
    volatile uint8_t differ = 0;
    for (size_t i = 0; i < n; i++)
        differ |= (uint8_t)(a[i] ^ b[i]);
    return differ == 0;
}

/* Decodes field name of object (base64) into out, between min and max
 * bytes. */
static kiosk_error read_bytes(json_place place, const cJSON *object, const char *name, size_t min,
                              size_t max, uint8_t *out, size_t *length, kiosk_diag *diag)
{
    const char *text;
    kiosk_error result = json_field_string(place, object, name, 4 * max / 3 + 8, &text, diag);
    if (result != KIOSK_OK)
        return result;
    size_t got = 0;
    unsigned char *bytes = base64_decode(text, max, &got);
    if (!bytes || got < min) {
        wipe_free(bytes);
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "%s: %s%s%s: expected base64 of %zu to %zu bytes", place.file,
                              place.path, *place.path ? "." : "", name, min, max);
    }
    memcpy(out, bytes, got);
    *length = got;
    wipe_free(bytes);
    return KIOSK_OK;
}

/* One {salt, hash} object: salt must be the deployment's identifier salt
 * when id_salt is given (a card's or a QR code's). */
static kiosk_error read_salted(const credentials *set, const char *entry_path, const cJSON *entry,
                               const char *name, bool shared_salt, salted_hash *out,
                               kiosk_diag *diag)
{
    json_place place = {"credentials", entry_path};
    const cJSON *object;
    kiosk_error result = json_field_object(place, entry, name, &object, diag);
    if (result != KIOSK_OK)
        return result;
    char path[96];
    snprintf(path, sizeof path, "%s.%s", entry_path, name);
    place.path = path;
    result = read_bytes(place, object, "salt", CREDENTIAL_SALT_MIN, CREDENTIAL_SALT_MAX, out->salt,
                        &out->salt_length, diag);
    size_t hash_length = 0;
    if (result == KIOSK_OK)
        result = read_bytes(place, object, "hash", CREDENTIAL_HASH_BYTES, CREDENTIAL_HASH_BYTES,
                            out->hash, &hash_length, diag);
    if (result != KIOSK_OK)
        return result;
    if (shared_salt && (out->salt_length != set->id_salt_length ||
                        memcmp(out->salt, set->id_salt, set->id_salt_length) != 0))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "credentials: %s.salt: every card and QR code must use the "
                              "deployment's one identifier salt (the first entry's card salt)",
                              path);
    out->present = true;
    return KIOSK_OK;
}

static kiosk_error read_entry(credentials *set, size_t index, const cJSON *entry, kiosk_diag *diag)
{
    credential *c = &set->entries[index];
    char path[48];
    snprintf(path, sizeof path, "credentials[%zu]", index);
    json_place place = {"credentials", path};
    if (!cJSON_IsObject(entry))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "credentials: %s: expected an object",
                              path);
    const char *id, *name, *role;
    kiosk_error result = json_field_string(place, entry, "id", CREDENTIAL_ID_MAX, &id, diag);
    if (result == KIOSK_OK)
        result = json_field_string(place, entry, "name", CREDENTIAL_NAME_MAX, &name, diag);
    if (result == KIOSK_OK)
        result = json_field_string(place, entry, "role", 16, &role, diag);
    if (result != KIOSK_OK)
        return result;
    for (const char *p = id; *p; p++) {
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "credentials: %s.id: letters, digits, - and _ only", path);
    }
    for (size_t i = 0; i < index; i++) {
        if (strcmp(set->entries[i].info.id, id) == 0)
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "credentials: %s.id: \"%s\" is also credentials[%zu]'s", path, id,
                                  i);
    }
    c->info.role = strcmp(role, "staff") == 0        ? STAFF_ROLE_STAFF
                   : strcmp(role, "technician") == 0 ? STAFF_ROLE_TECHNICIAN
                                                     : STAFF_ROLE_NONE;
    if (c->info.role == STAFF_ROLE_NONE)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "credentials: %s.role: expected \"staff\" or \"technician\"", path);
    (void)json_copy_string(c->info.id, sizeof c->info.id, id);
    (void)json_copy_string(c->info.name, sizeof c->info.name, name);
    /* The first card's (or QR code's) salt is the deployment's; every
     * other must be the same. */
    static const char *const ways[] = {"card", "qr"};
    for (size_t w = 0; w < 2 && !set->id_salt_length; w++) {
        const cJSON *way = cJSON_GetObjectItemCaseSensitive(entry, ways[w]);
        char way_path[64];
        snprintf(way_path, sizeof way_path, "%s.%s", path, ways[w]);
        if (cJSON_IsObject(way) &&
            read_bytes((json_place){"credentials", way_path}, way, "salt", CREDENTIAL_SALT_MIN,
                       CREDENTIAL_SALT_MAX, set->id_salt, &set->id_salt_length, diag) != KIOSK_OK)
            return KIOSK_ERR_MALFORMED;
    }
    bool card = cJSON_GetObjectItemCaseSensitive(entry, "card") != NULL;
    bool qr = cJSON_GetObjectItemCaseSensitive(entry, "qr") != NULL;
    if (!card && !qr)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "credentials: %s: needs a card or a qr (or both)", path);
    result = KIOSK_OK;
    if (card)
        result = read_salted(set, path, entry, "card", true, &c->card, diag);
    if (result == KIOSK_OK && qr)
        result = read_salted(set, path, entry, "qr", true, &c->qr, diag);
    if (result == KIOSK_OK)
        result = read_salted(set, path, entry, "pin", false, &c->pin, diag);
    return result;
}

static kiosk_error read_set(const cJSON *root, credentials **out, kiosk_diag *diag)
{
    json_place top = {"credentials", ""};
    long version, iterations;
    const cJSON *kdf, *list;
    const char *kdf_name;
    kiosk_error result = json_field_int(top, root, "version", 1, 1, &version, diag);
    if (result == KIOSK_OK)
        result = json_field_object(top, root, "kdf", &kdf, diag);
    if (result != KIOSK_OK)
        return result;
    json_place kdf_place = {"credentials", "kdf"};
    result = json_field_string(kdf_place, kdf, "name", 32, &kdf_name, diag);
    if (result != KIOSK_OK)
        return result;
    if (strcmp(kdf_name, CREDENTIAL_KDF_NAME) != 0)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "credentials: kdf.name: expected \"%s\"",
                              CREDENTIAL_KDF_NAME);
    /* Read as any whole number first, so that too few is named as such. */
    result = json_field_int(kdf_place, kdf, "iterations", 1, CREDENTIAL_KDF_MAX_ITERATIONS,
                            &iterations, diag);
    if (result != KIOSK_OK)
        return result;
    if (iterations < CREDENTIAL_KDF_MIN_ITERATIONS)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "credentials: kdf.iterations: %ld is under this terminal's floor "
                              "of %d",
                              iterations, CREDENTIAL_KDF_MIN_ITERATIONS);
    result = json_field_array(top, root, "credentials", &list, diag);
    if (result != KIOSK_OK)
        return result;
    int count = cJSON_GetArraySize(list);
    if (count > CREDENTIALS_MAX)
        return kiosk_diag_set(diag, KIOSK_ERR_TOO_BIG,
                              "credentials: credentials: %d entries, at most %d", count,
                              CREDENTIALS_MAX);
    credentials *set = wipe_calloc(1, sizeof *set + (size_t)count * sizeof set->entries[0]);
    if (!set)
        return KIOSK_ERR_NO_MEMORY;
    set->iterations = iterations;
    set->count = (size_t)count;
    size_t index = 0;
    const cJSON *entry;
    cJSON_ArrayForEach(entry, list)
    {
        result = read_entry(set, index++, entry, diag);
        if (result != KIOSK_OK) {
            credentials_free(set);
            return result;
        }
    }
    *out = set;
    return KIOSK_OK;
}

kiosk_error credentials_parse(const char *json, size_t length, credentials **out, kiosk_diag *diag)
{
    *out = NULL;
    if (length > CREDENTIALS_JSON_MAX)
        return kiosk_diag_set(diag, KIOSK_ERR_TOO_BIG, "credentials: %zu bytes, at most %d", length,
                              CREDENTIALS_JSON_MAX);
    cJSON *root = NULL;
    kiosk_error result = json_parse_text("credentials", json, length, &root, diag);
    if (result != KIOSK_OK)
        return result;
    if (!cJSON_IsObject(root))
        result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "credentials: expected an object");
    else
        result = read_set(root, out, diag);
    cJSON_Delete(root);
    return result;
}

void credentials_free(credentials *set)
{
    /* wipe_free zeroes the names and hashes before the block is freed. */
    wipe_free(set);
}

size_t credentials_count(const credentials *set)
{
    return set ? set->count : 0;
}

long credentials_iterations(const credentials *set)
{
    return set ? set->iterations : 0;
}

/* The entry whose card (or QR code) hash is that of secret: one KDF under
 * the deployment's identifier salt, then a constant-time look at every
 * entry. */
static kiosk_error find_by_secret(const credentials *set, const char *secret, bool qr,
                                  credential_info *out)
{
    if (!set || !set->count || !set->id_salt_length)
        return KIOSK_ERR_NOT_FOUND;
    uint8_t hash[CREDENTIAL_HASH_BYTES];
    kiosk_error result =
        credentials_derive(secret, set->id_salt, set->id_salt_length, set->iterations, hash);
    if (result != KIOSK_OK) {
        explicit_bzero(hash, sizeof hash);
        return result == KIOSK_ERR_UNSUPPORTED ? result : KIOSK_ERR_NOT_FOUND;
    }
    const credential *found = NULL;
    for (size_t i = 0; i < set->count; i++) {
        const salted_hash *h = qr ? &set->entries[i].qr : &set->entries[i].card;
        if (h->present && same_bytes(h->hash, hash, sizeof hash) && !found)
            found = &set->entries[i];
    }
    explicit_bzero(hash, sizeof hash);
    if (!found)
        return KIOSK_ERR_NOT_FOUND;
    *out = found->info;
    return KIOSK_OK;
}

kiosk_error credentials_find_by_id_number(const credentials *set, const char *id_number,
                                          credential_info *out)
{
    if (!id_number || !*id_number)
        return KIOSK_ERR_NOT_FOUND;
    return find_by_secret(set, id_number, false, out);
}

kiosk_error credentials_find_by_token(const credentials *set, const char *token,
                                      credential_info *out)
{
    size_t length = token ? strnlen(token, CREDENTIAL_TOKEN_MAX + 1) : 0;
    if (length < CREDENTIAL_TOKEN_MIN || length > CREDENTIAL_TOKEN_MAX)
        return KIOSK_ERR_NOT_FOUND;
    return find_by_secret(set, token, true, out);
}

static const credential *entry_of(const credentials *set, const char *id)
{
    for (size_t i = 0; set && id && i < set->count; i++) {
        if (strcmp(set->entries[i].info.id, id) == 0)
            return &set->entries[i];
    }
    return NULL;
}

kiosk_error credentials_get(const credentials *set, const char *id, credential_info *out)
{
    const credential *c = entry_of(set, id);
    if (!c)
        return KIOSK_ERR_NOT_FOUND;
    *out = c->info;
    return KIOSK_OK;
}

credential_verdict credentials_check_pin(const credentials *set, const char *id, const char *pin,
                                         credential_lock *lock, int64_t now_s, int64_t lock_seconds)
{
    if (lock->locked_until_s > now_s)
        return CREDENTIAL_LOCKED;
    if (lock->locked_until_s) {
        /* The lock has run out: a fresh run of tries. */
        *lock = (credential_lock){0};
    }
    const credential *c = entry_of(set, id);
    size_t length = pin ? strnlen(pin, CREDENTIAL_PIN_MAX + 1) : 0;
    bool accepted = false;
    if (c && length >= CREDENTIAL_PIN_MIN && length <= CREDENTIAL_PIN_MAX) {
        uint8_t hash[CREDENTIAL_HASH_BYTES];
        accepted = credentials_derive(pin, c->pin.salt, c->pin.salt_length, set->iterations,
                                      hash) == KIOSK_OK &&
                   same_bytes(hash, c->pin.hash, sizeof hash);
        explicit_bzero(hash, sizeof hash);
    }
    if (accepted) {
        *lock = (credential_lock){0};
        return CREDENTIAL_ACCEPTED;
    }
    if (++lock->failures >= CREDENTIAL_PIN_TRIES) {
        lock->failures = CREDENTIAL_PIN_TRIES;
        lock->locked_until_s = now_s + lock_seconds;
        return CREDENTIAL_LOCKED;
    }
    return CREDENTIAL_WRONG_PIN;
}
