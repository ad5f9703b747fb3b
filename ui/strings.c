#include "ui/strings.h"

#include "firmware/base/json_fields.h"
#include "firmware/base/log.h"
#include "ui/test_probes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STRINGS_FILE_MAX (256 * 1024)

struct ui_strings {
    cJSON *tables[LANG_COUNT];
};

kiosk_error ui_strings_load(const char *dir, ui_strings **out, kiosk_diag *diag)
{
    ui_strings *strings = calloc(1, sizeof *strings);
    if (!strings)
        return kiosk_diag_set(diag, KIOSK_ERR_NO_MEMORY, "strings: out of memory");

    kiosk_error result = KIOSK_OK;
    for (int i = 0; i < LANG_COUNT && result == KIOSK_OK; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s.json", dir, lang_code((lang)i));
        result = json_parse_file(path, STRINGS_FILE_MAX, &strings->tables[i], diag);
        const cJSON *entry = NULL;
        const cJSON *table = result == KIOSK_OK ? strings->tables[i] : NULL;
        cJSON_ArrayForEach(entry, table)
        {
            if (!cJSON_IsString(entry)) {
                result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s: expected a string",
                                        path, entry->string);
                break;
            }
        }
    }
    if (result != KIOSK_OK) {
        ui_strings_free(strings);
        return result;
    }
    *out = strings;
    return KIOSK_OK;
}

void ui_strings_free(ui_strings *strings)
{
    if (!strings)
        return;
    for (int i = 0; i < LANG_COUNT; i++)
        cJSON_Delete(strings->tables[i]);
    free(strings);
}

const char *ui_strings_get(const ui_strings *strings, lang language, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(strings->tables[language], key);
    if (cJSON_IsString(item))
        return item->valuestring;
    item = cJSON_GetObjectItemCaseSensitive(strings->tables[LANG_ZH_CN], key);
    if (cJSON_IsString(item)) {
        LOG_WARN("strings", "%s: no text for \"%s\", showing zh-CN", lang_code(language), key);
        return item->valuestring;
    }
    LOG_ERROR("strings", "no text for \"%s\" in any language", key);
    return "";
}

const char *ui_strings_lookup(const ui_strings *strings, lang language, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(strings->tables[language], key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

size_t ui_strings_missing(const ui_strings *strings, lang language, const char **first_missing)
{
    size_t missing = 0;
    const cJSON *entry = NULL;
    if (first_missing)
        *first_missing = NULL;
    cJSON_ArrayForEach(entry, strings->tables[LANG_ZH_CN])
    {
        if (cJSON_GetObjectItemCaseSensitive(strings->tables[language], entry->string))
            continue;
        if (first_missing && missing == 0)
            *first_missing = entry->string;
        missing++;
    }
    return missing;
}

void ui_strings_fill(const char *template_text, const char *const *names, const char *const *values,
                     size_t count, char *out, size_t out_size)
{
    size_t used = 0;
    const char *p = template_text;
    if (out_size == 0)
        return;
    while (*p && used + 1 < out_size) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        const char *value = NULL;
        for (size_t i = 0; close && !value && i < count; i++) {
            size_t length = strlen(names[i]);
            if ((size_t)(close - p - 1) == length && memcmp(p + 1, names[i], length) == 0)
                value = values[i];
        }
        if (!value) {
            out[used++] = *p++;
            continue;
        }
        size_t length = strlen(value);
        if (length > out_size - 1 - used)
            length = out_size - 1 - used;
        memcpy(out + used, value, length);
        used += length;
        p = close + 1;
    }
    /* A cut must not leave half a character for the renderer. */
    if (*p || used == out_size - 1) {
        size_t start = used;
        while (start > 0 && ((unsigned char)out[start - 1] & 0xC0) == 0x80)
            start--;
        if (start > 0) {
            unsigned char lead = (unsigned char)out[start - 1];
            size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            if (used - (start - 1) < need)
                used = start - 1;
        }
    }
    out[used] = '\0';
}
