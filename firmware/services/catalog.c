#include "firmware/services/catalog_internal.h"

#include "firmware/base/log.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define CATALOG_FILE_MAX (1024 * 1024)

bool catalog_id_is_valid(const char *id)
{
    for (const char *p = id; *p; p++) {
        bool ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
        if (!ok)
            return false;
    }
    return id[0] != '\0';
}

/* What a citizen must never be shown or told from the platform's words:
 * control characters (a line break aside), which a terminal or a voice
 * would act on or spell out, and the bidi controls that reorder what is
 * shown (U+202A-U+202E, U+2066-U+2069). NULL when there is none. */
static const char *hidden_character(const char *text)
{
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if ((*c < 0x20 && *c != '\n') || *c == 0x7F)
            return "a control character";
        if (c[0] == 0xE2 && ((c[1] == 0x80 && c[2] >= 0xAA && c[2] <= 0xAE) ||
                             (c[1] == 0x81 && c[2] >= 0xA6 && c[2] <= 0xA9)))
            return "a bidi control character";
    }
    return NULL;
}

kiosk_error catalog_load_texts(json_place place, const cJSON *object, const char *name, size_t size,
                               char *texts, bool optional, size_t *missing, kiosk_diag *diag)
{
    const cJSON *translations = NULL;
    if (optional && !cJSON_GetObjectItemCaseSensitive(object, name)) {
        memset(texts, 0, size * LANG_COUNT);
        return KIOSK_OK;
    }
    kiosk_error result = json_field_object(place, object, name, &translations, diag);
    if (result != KIOSK_OK)
        return result;

    char path[96];
    snprintf(path, sizeof path, "%s%s%s", place.path, place.path[0] ? "." : "", name);
    json_place inner = {place.file, path};
    for (int i = 0; i < LANG_COUNT; i++) {
        const char *code = lang_code((lang)i);
        const char *value = NULL;
        char *slot = texts + (size_t)i * size;
        if (i != LANG_ZH_CN && !cJSON_GetObjectItemCaseSensitive(translations, code)) {
            LOG_WARN("catalog", "%s: %s.%s: no translation, showing zh-CN", place.file, path, code);
            memcpy(slot, texts, size);
            (*missing)++;
            continue;
        }
        result = json_field_string(inner, translations, code, size, &value, diag);
        if (result != KIOSK_OK)
            return result;
        const char *problem = hidden_character(value);
        if (problem)
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s.%s: %s", place.file, path,
                                  code, problem);
        json_copy_string(slot, size, value);
    }
    return KIOSK_OK;
}

/* Loads the service at position in the file into the next free slot. */
static kiosk_error load_service(const char *file, const cJSON *item, size_t position,
                                catalog *catalog, kiosk_diag *diag)
{
    char path[32];
    snprintf(path, sizeof path, "services[%zu]", position);
    json_place place = {file, path};
    catalog_service *service = &catalog->services[catalog->service_count];
    const char *id = NULL, *kind = NULL;
    memset(service, 0, sizeof *service);

    if (!cJSON_IsObject(item))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s: expected an object", file, path);
    kiosk_error result = json_field_string(place, item, "id", CATALOG_ID_MAX, &id, diag);
    if (result != KIOSK_OK)
        return result;
    if (!catalog_id_is_valid(id))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "%s: %s.id: \"%s\" may use only a-z, 0-9 and '-'", file, path, id);
    if (catalog_find(catalog, id))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s.id: \"%s\" appears twice", file,
                              path, id);
    json_copy_string(service->id, sizeof service->id, id);

    result = json_field_string(place, item, "kind", 16, &kind, diag);
    if (result != KIOSK_OK)
        return result;
    if (strcmp(kind, "service") == 0)
        service->kind = CATALOG_KIND_SERVICE;
    else if (strcmp(kind, "bundle") == 0)
        service->kind = CATALOG_KIND_BUNDLE;
    else
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "%s: %s.kind: \"%s\" is not service or bundle", file, path, kind);

    result = catalog_load_texts(place, item, "name", CATALOG_NAME_MAX, &service->name[0][0], false,
                                &catalog->missing_translations, diag);
    if (result == KIOSK_OK)
        result =
            catalog_load_texts(place, item, "summary", CATALOG_SUMMARY_MAX, &service->summary[0][0],
                               false, &catalog->missing_translations, diag);
    if (result == KIOSK_OK)
        result = catalog_load_steps(place, item, catalog, service, diag);
    if (result == KIOSK_OK)
        result = catalog_load_next_steps(place, item, catalog, service, diag);
    if (result == KIOSK_OK && cJSON_GetObjectItemCaseSensitive(item, "icon")) {
        const char *icon = NULL;
        result = json_field_string(place, item, "icon", sizeof service->icon, &icon, diag);
        bool named = result == KIOSK_OK && icon[0];
        for (const char *p = icon; named && *p; p++)
            named = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
        if (result == KIOSK_OK && !named)
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "%s: %s.icon: \"%s\" is not an icon name (a-z, 0-9, '_')", file,
                                  path, icon);
        if (result == KIOSK_OK)
            json_copy_string(service->icon, sizeof service->icon, icon);
    }
    return result;
}

/* Empties a catalog by its counts and header, not by writing all of it:
 * most of its pools are never used, and a page never written costs no
 * memory. Each entry is zeroed when it is taken (catalog_steps.c). */
static void clear(catalog *out)
{
    memset(out->version, 0, sizeof out->version);
    memset(out->hall_name, 0, sizeof out->hall_name);
    memset(out->first_hidden, 0, sizeof out->first_hidden);
    memset(out->services, 0, out->service_count * sizeof out->services[0]);
    out->service_count = 0;
    out->missing_translations = out->hidden = 0;
    out->field_used = out->choice_used = out->material_used = out->item_used = 0;
    memset(out->verify_url, 0, sizeof out->verify_url);
}

/* Takes root (and deletes it). */
static kiosk_error load_root(const char *path, cJSON *root, catalog *out, kiosk_diag *diag)
{
    kiosk_error result = KIOSK_OK;

    clear(out);
    json_place top = {path, ""};
    const char *version = NULL;
    const cJSON *hall = NULL, *services = NULL;

    result = json_field_string(top, root, "version", sizeof out->version, &version, diag);
    if (result == KIOSK_OK) {
        json_copy_string(out->version, sizeof out->version, version);
        result = json_field_object(top, root, "hall", &hall, diag);
    }
    if (result == KIOSK_OK)
        result = catalog_load_texts((json_place){path, "hall"}, hall, "name", CATALOG_NAME_MAX,
                                    &out->hall_name[0][0], false, &out->missing_translations, diag);
    if (result == KIOSK_OK)
        result = catalog_load_verify_url((json_place){path, "hall"}, hall, out, diag);
    if (result == KIOSK_OK)
        result = json_field_array(top, root, "services", &services, diag);
    if (result == KIOSK_OK) {
        int count = cJSON_GetArraySize(services);
        if (count == 0 || count > CATALOG_SERVICES_MAX)
            result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                    "%s: services: expected 1 to %d services, found %d", path,
                                    CATALOG_SERVICES_MAX, count);
    }
    const cJSON *item = NULL;
    size_t position = 0;
    if (result == KIOSK_OK) {
        /* A service that is not right is hidden and reported, the others
         * serve: one bad entry from the platform does not close the hall. */
        cJSON_ArrayForEach(item, services)
        {
            kiosk_diag problem = {{0}};
            unsigned fields = out->field_used, choices = out->choice_used,
                     materials = out->material_used, items = out->item_used;
            size_t missing = out->missing_translations;
            if (load_service(path, item, position++, out, &problem) == KIOSK_OK) {
                out->service_count++;
                continue;
            }
            /* Give back what the hidden service took from the pools. */
            memset(&out->services[out->service_count], 0, sizeof out->services[0]);
            out->field_used = fields;
            out->choice_used = choices;
            out->material_used = materials;
            out->item_used = items;
            out->missing_translations = missing;
            if (out->hidden++ == 0)
                snprintf(out->first_hidden, sizeof out->first_hidden, "%s", problem.message);
            LOG_ERROR("catalog", "service hidden: %s", problem.message);
        }
        if (out->service_count == 0)
            result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: no service is valid (%s)", path,
                                    out->first_hidden);
    }
    cJSON_Delete(root);
    if (result != KIOSK_OK)
        clear(out);
    return result;
}

kiosk_error catalog_load(const char *path, catalog *out, kiosk_diag *diag)
{
    cJSON *root = NULL;
    kiosk_error result = json_parse_file(path, CATALOG_FILE_MAX, &root, diag);
    if (result != KIOSK_OK)
        return result;
    return load_root(path, root, out, diag);
}

kiosk_error catalog_parse(const char *origin, const char *text, size_t length, catalog *out,
                          kiosk_diag *diag)
{
    if (length > CATALOG_FILE_MAX)
        return kiosk_diag_set(diag, KIOSK_ERR_TOO_BIG, "%s: %zu bytes, over the %d allowed", origin,
                              length, CATALOG_FILE_MAX);
    cJSON *root = NULL;
    kiosk_error result = json_parse_text(origin, text, length, &root, diag);
    if (result != KIOSK_OK)
        return result;
    return load_root(origin, root, out, diag);
}

const catalog_service *catalog_find(const catalog *catalog, const char *id)
{
    for (size_t i = 0; i < catalog->service_count; i++) {
        if (strcmp(catalog->services[i].id, id) == 0)
            return &catalog->services[i];
    }
    return NULL;
}
