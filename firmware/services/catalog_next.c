/* What happens after the result: a service's next steps, and the hall's
 * public page for following an application. Both come from the platform,
 * so both are checked here before a screen or a receipt shows them. */
#include "firmware/services/catalog_internal.h"

#include <stdio.h>
#include <string.h>

#define PLACEHOLDER "{tracking}"

kiosk_error catalog_load_next_steps(json_place place, const cJSON *item, catalog *catalog,
                                    catalog_service *service, kiosk_diag *diag)
{
    const cJSON *sent = cJSON_GetObjectItemCaseSensitive(item, "result_sent");
    if (sent && !cJSON_IsBool(sent))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "%s: %s.result_sent: expected true or false", place.file, place.path);
    service->result_sent = cJSON_IsTrue(sent);
    kiosk_error result =
        catalog_load_texts(place, item, "next_steps", CATALOG_NEXT_STEPS_MAX,
                           &service->next_steps[0][0], true, &catalog->missing_translations, diag);
    if (result != KIOSK_OK)
        return result;
    /* One or the other: "bring your passport" and "nothing more to do"
     * cannot both be true. */
    if (service->result_sent && service->next_steps[LANG_ZH_CN][0])
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "%s: %s: next_steps and result_sent both given: say one", place.file,
                              place.path);
    for (int i = 0; i < LANG_COUNT; i++) {
        for (const unsigned char *c = (const unsigned char *)service->next_steps[i]; *c; c++)
            if (*c < 0x20 && *c != '\n')
                return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                      "%s: %s.next_steps.%s: a control character", place.file,
                                      place.path, lang_code((lang)i));
    }
    return KIOSK_OK;
}

/* https://host[:port]/path with exactly one {tracking}, printable ASCII
 * without spaces, quotes or other braces. */
static const char *url_problem(const char *url)
{
    if (strncmp(url, "https://", 8) != 0)
        return "expected an https:// address";
    const char *host = url + 8;
    if (*host == '/' || *host == '\0' || *host == '{')
        return "expected a host after https://";
    const char *first = strstr(url, PLACEHOLDER);
    if (!first || strstr(first + 1, PLACEHOLDER))
        return "expected exactly one " PLACEHOLDER;
    const char *path = strchr(host, '/');
    if (!path || first < path)
        return "the " PLACEHOLDER " belongs in the path, after the host";
    for (const char *c = url; *c; c++) {
        bool in_placeholder = c >= first && c < first + strlen(PLACEHOLDER);
        if (*c <= ' ' || *c > '~' || *c == '"' || *c == '\\' || *c == '<' || *c == '>' ||
            ((*c == '{' || *c == '}') && !in_placeholder))
            return "expected printable ASCII without spaces, quotes or braces";
    }
    return NULL;
}

kiosk_error catalog_load_verify_url(json_place place, const cJSON *hall, catalog *catalog,
                                    kiosk_diag *diag)
{
    memset(catalog->verify_url, 0, sizeof catalog->verify_url);
    if (!cJSON_GetObjectItemCaseSensitive(hall, "verify_url"))
        return KIOSK_OK;
    const char *url = NULL;
    kiosk_error result = json_field_string(place, hall, "verify_url", CATALOG_URL_MAX, &url, diag);
    if (result != KIOSK_OK)
        return result;
    const char *problem = url_problem(url);
    if (problem)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: hall.verify_url: %s", place.file,
                              problem);
    json_copy_string(catalog->verify_url, sizeof catalog->verify_url, url);
    return KIOSK_OK;
}

bool catalog_verify_url(const catalog *catalog, const char *tracking, char *out, size_t size)
{
    if (!out || size == 0)
        return false;
    out[0] = '\0';
    const char *at = strstr(catalog->verify_url, PLACEHOLDER);
    if (!at || !tracking || !tracking[0])
        return false;
    size_t used = 0, before = (size_t)(at - catalog->verify_url);
    if (before >= size)
        return false;
    memcpy(out, catalog->verify_url, before);
    used = before;
    /* RFC 3986 unreserved characters as they are, every other byte as %XX. */
    for (const unsigned char *c = (const unsigned char *)tracking; *c; c++) {
        bool plain = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
                     (*c >= '0' && *c <= '9') || *c == '-' || *c == '.' || *c == '_' || *c == '~';
        int n = plain ? snprintf(out + used, size - used, "%c", *c)
                      : snprintf(out + used, size - used, "%%%02X", *c);
        if (n < 0 || (size_t)n >= size - used) {
            out[0] = '\0';
            return false;
        }
        used += (size_t)n;
    }
    int n = snprintf(out + used, size - used, "%s", at + strlen(PLACEHOLDER));
    if (n < 0 || (size_t)n >= size - used) {
        out[0] = '\0';
        return false;
    }
    return true;
}
