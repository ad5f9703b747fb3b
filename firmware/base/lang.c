#include "firmware/base/lang.h"

#include <string.h>

static const char *const codes[LANG_COUNT] = {
    [LANG_ZH_CN] = "zh-CN",
    [LANG_ZH_TW] = "zh-TW",
    [LANG_EN] = "en",
};

const char *lang_code(lang language)
{
    return (unsigned)language < LANG_COUNT ? codes[language] : "?";
}

bool lang_parse(const char *code, lang *out)
{
    for (int i = 0; i < LANG_COUNT; i++) {
        if (strcmp(code, codes[i]) == 0) {
            *out = (lang)i;
            return true;
        }
    }
    return false;
}
