/* Amounts and long numbers for the eye. See amount.h. */
#include "firmware/base/amount.h"

#include <stdio.h>
#include <string.h>

/* Digits of value with a comma every three from the right. */
static void grouped(uint64_t value, char out[32])
{
    char plain[24];
    int n = snprintf(plain, sizeof plain, "%llu", (unsigned long long)value);
    int at = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[at++] = ',';
        out[at++] = plain[i];
    }
    out[at] = '\0';
}

kiosk_error amount_format(int64_t fen, lang language, char *out, size_t size)
{
    if (!out || size == 0)
        return KIOSK_ERR_INVALID_ARGUMENT;
    out[0] = '\0';
    if (fen > AMOUNT_FEN_MAX || fen < -AMOUNT_FEN_MAX)
        return KIOSK_ERR_MALFORMED;
    uint64_t magnitude = fen < 0 ? (uint64_t)(-fen) : (uint64_t)fen;
    char yuan[32];
    grouped(magnitude / 100, yuan);
    const char *sign = fen < 0 ? "-" : "";
    unsigned cents = (unsigned)(magnitude % 100);
    int n = language == LANG_EN ? snprintf(out, size, "%s¥%s.%02u", sign, yuan, cents)
                                : snprintf(out, size, "%s%s.%02u 元", sign, yuan, cents);
    if (n < 0 || (size_t)n >= size) {
        out[0] = '\0';
        return KIOSK_ERR_TOO_BIG;
    }
    return KIOSK_OK;
}

kiosk_error amount_parse(const char *text, int64_t *fen)
{
    if (!text)
        return KIOSK_ERR_MALFORMED;
    const char *c = text;
    bool negative = *c == '-';
    if (negative)
        c++;
    bool yen_sign = strncmp(c, "¥", strlen("¥")) == 0;
    if (yen_sign)
        c += strlen("¥");
    /* The whole yuan: digits, commas only between groups of three. */
    int64_t yuan = 0;
    int digits = 0, since_comma = -1;
    for (; (*c >= '0' && *c <= '9') || *c == ','; c++) {
        if (*c == ',') {
            if (digits == 0 || (since_comma >= 0 && since_comma != 3) ||
                (since_comma < 0 && digits > 3))
                return KIOSK_ERR_MALFORMED;
            since_comma = 0;
            continue;
        }
        yuan = yuan * 10 + (*c - '0');
        if (yuan > AMOUNT_FEN_MAX / 100)
            return KIOSK_ERR_MALFORMED;
        digits++;
        if (since_comma >= 0)
            since_comma++;
    }
    if (digits == 0 || (since_comma >= 0 && since_comma != 3))
        return KIOSK_ERR_MALFORMED;
    int cents = 0;
    if (*c == '.') {
        c++;
        if (!(*c >= '0' && *c <= '9'))
            return KIOSK_ERR_MALFORMED;
        cents = (*c++ - '0') * 10;
        if (*c >= '0' && *c <= '9')
            cents += *c++ - '0';
    }
    while (*c == ' ')
        c++;
    if (!yen_sign && (strcmp(c, "元") == 0 || strcmp(c, "CNY") == 0))
        c += strlen(c);
    if (*c != '\0' || (!yen_sign && c == text))
        return KIOSK_ERR_MALFORMED;
    int64_t value = yuan * 100 + cents;
    *fen = negative ? -value : value;
    return KIOSK_OK;
}

bool amount_regroup(const char *text, lang language, char *out, size_t size)
{
    int64_t fen = 0;
    /* A bare number may be a count or a year: only money marked as money. */
    bool marked = text && (strstr(text, "元") || strstr(text, "¥") || strstr(text, "CNY"));
    if (marked && amount_parse(text, &fen) == KIOSK_OK &&
        amount_format(fen, language, out, size) == KIOSK_OK)
        return true;
    snprintf(out, size, "%s", text ? text : "");
    return false;
}

static bool alphanumeric(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

kiosk_error amount_group_code(const char *code, char *out, size_t size)
{
    if (!out || size == 0)
        return KIOSK_ERR_INVALID_ARGUMENT;
    code = code ? code : "";
    size_t length = strlen(code);
    bool plain = length > 8;
    for (size_t i = 0; plain && i < length; i++)
        plain = alphanumeric(code[i]);
    size_t at = 0;
    for (size_t i = 0; i < length; i++) {
        bool space = plain && i > 0 && i % 4 == 0;
        if (at + 1 + space >= size) {
            out[0] = '\0';
            return KIOSK_ERR_TOO_BIG;
        }
        if (space)
            out[at++] = ' ';
        out[at++] = code[i];
    }
    out[at] = '\0';
    return KIOSK_OK;
}
