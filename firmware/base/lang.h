/* The languages the kiosk speaks. zh-CN is the reference: every text exists in
 * it, and a missing translation falls back to it. */
#ifndef KIOSK_FIRMWARE_BASE_LANG_H
#define KIOSK_FIRMWARE_BASE_LANG_H

#include <stdbool.h>

typedef enum lang {
    LANG_ZH_CN = 0,
    LANG_ZH_TW,
    LANG_EN,
    LANG_COUNT,
} lang;

/* "zh-CN", "zh-TW" or "en". */
const char *lang_code(lang language);

/* Parses a code as above; false when it is none of them. */
bool lang_parse(const char *code, lang *out);

#endif
