/* Text prepared for speech: speech_prepare (speech.h).
 *
 * Two passes. The first makes the text plain: invalid UTF-8, control and
 * bidi characters dropped, full-width forms (１２３、＃) folded to ASCII.
 * The second reads it left to right and, at each place, tries in turn: an
 * amount, a date, a time, a percentage, a run of letters, digits and mask
 * stars (a code, a number or a word), a symbol; anything else is copied.
 *
 * The Chinese voices get numbers as Chinese numerals (十二, 二〇二六年):
 * espeak-ng's own reading of Arabic numerals in cmn drops the 零 of 105 and
 * 2026, and every Chinese voice reads numerals the same. Codes are said
 * digit by digit (一一〇一 / "1 1 0 1"), a run of mask stars once
 * ("星号" / "hidden"). */
#include "firmware/speech/speech.h"

#include "firmware/base/wipe_alloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef struct builder {
    char *out;
    size_t size, length;
    bool full;
} builder;

/* A piece is added whole or not at all, so the text stays valid UTF-8. */
static void put(builder *b, const char *piece)
{
    size_t n = strlen(piece);
    if (b->full || b->length + n + 1 > b->size) {
        b->full = true;
        return;
    }
    memcpy(b->out + b->length, piece, n);
    b->length += n;
    b->out[b->length] = '\0';
}

static void put_char(builder *b, char c)
{
    char piece[2] = {c, '\0'};
    put(b, piece);
}

static void put_u64(builder *b, uint64_t n)
{
    char piece[24];
    snprintf(piece, sizeof piece, "%" PRIu64, n);
    put(b, piece);
}

/* ------------------------------------------------------------------------ */
/* Pass one: plain text. */

/* The code point at p (*length bytes), or -1 for a malformed sequence
 * (*length 1). */
static int32_t decode(const unsigned char *p, size_t *length)
{
    unsigned char c = p[0];
    size_t extra;
    int32_t code;
    if (c < 0x80) {
        *length = 1;
        return c;
    } else if ((c & 0xE0) == 0xC0) {
        extra = 1;
        code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        extra = 2;
        code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        extra = 3;
        code = c & 0x07;
    } else {
        *length = 1;
        return -1;
    }
    for (size_t i = 1; i <= extra; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *length = 1;
            return -1;
        }
        code = (code << 6) | (p[i] & 0x3F);
    }
    static const int32_t least[4] = {0, 0x80, 0x800, 0x10000};
    if (code < least[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        *length = 1;
        return -1;
    }
    *length = extra + 1;
    return code;
}

static size_t encode(int32_t code, char *out)
{
    if (code < 0x80) {
        out[0] = (char)code;
        return 1;
    } else if (code < 0x800) {
        out[0] = (char)(0xC0 | (code >> 6));
        out[1] = (char)(0x80 | (code & 0x3F));
        return 2;
    } else if (code < 0x10000) {
        out[0] = (char)(0xE0 | (code >> 12));
        out[1] = (char)(0x80 | ((code >> 6) & 0x3F));
        out[2] = (char)(0x80 | (code & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (code >> 18));
    out[1] = (char)(0x80 | ((code >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((code >> 6) & 0x3F));
    out[3] = (char)(0x80 | (code & 0x3F));
    return 4;
}

/* Characters nobody can hear: controls, bidi marks and isolates,
 * zero-width characters, the byte-order mark, private use, noncharacters. */
static bool unsayable(int32_t code)
{
    return code < 0x20 || (code >= 0x7F && code <= 0x9F) || code == 0x061C ||
           (code >= 0x200B && code <= 0x200F) || (code >= 0x202A && code <= 0x202E) ||
           (code >= 0x2060 && code <= 0x206F) || code == 0xFEFF ||
           (code >= 0xFFF9 && code <= 0xFFFB) || (code >= 0xE000 && code <= 0xF8FF) ||
           (code & 0xFFFE) == 0xFFFE || (code >= 0xFDD0 && code <= 0xFDEF);
}

/* Plain text of text into out (at least strlen(text) + 1 bytes): never
 * longer than text. */
static void plain(const char *text, char *out)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t n = 0;
    while (*p) {
        size_t length;
        int32_t code = decode(p, &length);
        p += length;
        if (code == '\t' || code == '\n' || code == '\r' || code == 0x3000) {
            out[n++] = ' ';
            continue;
        }
        /* A terminal's escape sequence (ESC [ 31 m) goes whole: its
         * parameters are not words. */
        if (code == 0x1B || code == 0x9B) {
            if (code == 0x1B && *p == '[')
                p++;
            else if (code == 0x1B && *p >= 0x40 && *p <= 0x7E)
                p++; /* ESC and one letter (ESC c: reset) */
            if (code == 0x9B || p[-1] == '[') {
                while (*p >= 0x20 && *p <= 0x3F)
                    p++;
                if (*p >= 0x40 && *p <= 0x7E)
                    p++;
            }
            continue;
        }
        if (code < 0 || unsayable(code))
            continue;
        if (code >= 0xFF01 && code <= 0xFF5E)
            code -= 0xFEE0; /* full-width ASCII */
        else if (code == 0xFFE5)
            code = 0xA5; /* ￥ */
        n += encode(code, out + n);
    }
    out[n] = '\0';
}

/* ------------------------------------------------------------------------ */
/* Words of each language. */

typedef struct words {
    const char *digit[10];         /* a code's digits */
    const char *numeral[10];       /* Chinese numerals; NULL in English */
    const char *masked;            /* a run of mask stars */
    const char *pause;             /* between a code's groups */
    const char *yuan, *jiao, *fen; /* 元 角 分 */
    const char *euro, *dollar, *hkd;
    const char *two, *point, *big[4]; /* 两 before 千 and 万, 点, 万 亿 */
} words;

static const words chinese_simplified = {
    .digit = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"},
    .numeral = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"},
    .masked = "，星号，",
    .pause = "，",
    .yuan = "元",
    .jiao = "角",
    .fen = "分",
    .euro = "欧元",
    .dollar = "美元",
    .hkd = "港元",
    .two = "两",
    .point = "点",
    .big = {"", "万", "亿", "万亿"},
};

static const words chinese_traditional = {
    .digit = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"},
    .numeral = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"},
    .masked = "，星號，",
    .pause = "，",
    .yuan = "元",
    .jiao = "角",
    .fen = "分",
    .euro = "歐元",
    .dollar = "美元",
    .hkd = "港元",
    .two = "兩",
    .point = "點",
    .big = {"", "萬", "億", "萬億"},
};

static const words english = {
    .digit = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"},
    .masked = ", hidden, ",
    .pause = ", ",
    .yuan = "yuan",
    .fen = "fen",
    .euro = "euro",
    .dollar = "dollar",
    .hkd = "Hong Kong dollar",
};

static const words *words_of(lang language)
{
    return language == LANG_EN      ? &english
           : language == LANG_ZH_TW ? &chinese_traditional
                                    : &chinese_simplified;
}

typedef struct symbol {
    const char *text;
    const char *name[LANG_COUNT];
} symbol;

static const symbol symbols[] = {
    {"#", {"井号", "井號", " hash "}},
    {"*", {"星号", "星號", " star "}},
    {"@", {"艾特", "艾特", " at "}},
    {"/", {"斜杠", "斜線", " slash "}},
    {"\\", {"反斜杠", "反斜線", " backslash "}},
    {"%", {"百分号", "百分號", " percent "}},
    {"+", {"加", "加", " plus "}},
    {"=", {"等于", "等於", " equals "}},
    {"&", {"和", "和", " and "}},
    {"_", {"下划线", "底線", " underscore "}},
    {"~", {"波浪号", "波浪號", " tilde "}},
    {"|", {"竖线", "豎線", " bar "}},
    {"<", {"小于", "小於", " less than "}},
    {">", {"大于", "大於", " greater than "}},
    {"$", {"美元", "美元", " dollar "}},
    {"€", {"欧元", "歐元", " euro "}},
    {"¥", {"元", "元", " yuan "}},
    {"°", {"度", "度", " degrees "}},
    /* A bullet alone is decoration; a run of them masks a number. */
    {"•", {"", "", " "}},
    {"●", {"", "", " "}},
};

static const char *const months[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

/* ------------------------------------------------------------------------ */
/* Numbers. */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_letter(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* A mask star at p: '*', '•' or '●'; its length in bytes, else 0. */
static size_t mask_at(const char *p)
{
    if (*p == '*')
        return 1;
    if (strncmp(p, "•", strlen("•")) == 0)
        return strlen("•");
    if (strncmp(p, "●", strlen("●")) == 0)
        return strlen("●");
    return 0;
}

/* Up to max digits at p into *value; how many were read. */
static size_t read_digits(const char *p, size_t max, uint64_t *value)
{
    size_t n = 0;
    uint64_t v = 0;
    while (n < max && is_digit(p[n])) {
        v = v * 10 + (uint64_t)(p[n] - '0');
        n++;
    }
    *value = v;
    return n;
}

/* A section below 10,000 in Chinese numerals; leading: nothing before it,
 * so 12 is 十二, not 一十二. */
static void put_zh_section(builder *b, const words *w, unsigned value, bool leading)
{
    static const char *const unit[4] = {"千", "百", "十", ""};
    static const unsigned scale[4] = {1000, 100, 10, 1};
    bool started = false, zero = false;
    for (int i = 0; i < 4; i++) {
        unsigned d = value / scale[i] % 10;
        if (d == 0) {
            zero = started;
            continue;
        }
        if (zero)
            put(b, w->numeral[0]);
        zero = false;
        if (!(i == 2 && d == 1 && !started && leading))
            put(b, i == 0 && d == 2 ? w->two : w->numeral[d]);
        put(b, unit[i]);
        started = true;
    }
}

static void put_zh_number(builder *b, const words *w, uint64_t value)
{
    if (value == 0) {
        put(b, w->numeral[0]);
        return;
    }
    if (value >= 10000000000000000ULL) {
        put_u64(b, value);
        return;
    }
    unsigned group[4];
    for (int i = 0; i < 4; i++) {
        group[i] = (unsigned)(value % 10000);
        value /= 10000;
    }
    bool started = false, zero = false;
    for (int i = 3; i >= 0; i--) {
        if (group[i] == 0) {
            zero = started;
            continue;
        }
        if (started && (zero || group[i] < 1000))
            put(b, w->numeral[0]);
        zero = false;
        if (group[i] == 2 && i > 0)
            put(b, w->two);
        else
            put_zh_section(b, w, group[i], !started);
        put(b, w->big[i]);
        started = true;
    }
}

static void put_number(builder *b, lang language, uint64_t value)
{
    if (language == LANG_EN)
        put_u64(b, value);
    else
        put_zh_number(b, words_of(language), value);
}

/* A code's characters one by one: digits, letters, mask runs said once,
 * separators as pauses. */
static void put_code(builder *b, lang language, const char *p, size_t length)
{
    const words *w = words_of(language);
    bool en = language == LANG_EN;
    bool gap = false; /* English: a space before the next character */
    size_t i = 0;
    while (i < length) {
        size_t mask = mask_at(p + i);
        if (mask) {
            while (i < length && (mask = mask_at(p + i)) != 0)
                i += mask;
            put(b, w->masked);
            gap = false;
            continue;
        }
        char c = p[i++];
        if (c == '-' || c == ' ') {
            put(b, w->pause);
            gap = false;
            continue;
        }
        if (en && gap)
            put_char(b, ' ');
        if (is_digit(c)) {
            put(b, w->digit[c - '0']);
        } else {
            /* Capitals: the voices say a capital by its letter name. */
            if (!en && i > 1 && !gap)
                put_char(b, ' ');
            put_char(b, c >= 'a' ? (char)(c - 'a' + 'A') : c);
            if (!en)
                put_char(b, ' ');
        }
        gap = true;
    }
}

/* A number with optional thousands separators and decimals at p. Reads the
 * integer into *whole and up to max_decimals decimals as text; returns its
 * length (0: none). Grouped: commas between threes. */
typedef struct number {
    uint64_t whole;
    char decimals[8];
    size_t length;
    size_t digits; /* of the integer part */
    bool grouped;
} number;

static bool read_number(const char *p, number *n)
{
    memset(n, 0, sizeof *n);
    size_t i = read_digits(p, 16, &n->whole);
    if (i == 0 || is_digit(p[i]))
        return false;
    n->digits = i;
    while (p[i] == ',' && is_digit(p[i + 1]) && is_digit(p[i + 2]) && is_digit(p[i + 3]) &&
           !is_digit(p[i + 4]) && n->digits <= 12 && (i <= 3 || n->grouped)) {
        uint64_t part;
        read_digits(p + i + 1, 3, &part);
        n->whole = n->whole * 1000 + part;
        n->digits += 3;
        n->grouped = true;
        i += 4;
    }
    if (p[i] == '.' && is_digit(p[i + 1])) {
        size_t d = 0;
        while (is_digit(p[i + 1 + d]) && d < sizeof n->decimals - 1) {
            n->decimals[d] = p[i + 1 + d];
            d++;
        }
        if (is_digit(p[i + 1 + d]))
            return false;
        i += 1 + d;
    }
    n->length = i;
    return true;
}

static void put_plain_number(builder *b, lang language, const number *n)
{
    put_number(b, language, n->whole);
    if (n->decimals[0]) {
        const words *w = words_of(language);
        put(b, language == LANG_EN ? " point " : words_of(language)->point);
        for (const char *d = n->decimals; *d; d++) {
            if (language == LANG_EN && d != n->decimals)
                put_char(b, ' ');
            put(b, w->digit[*d - '0']);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Amounts, dates, times, percentages. */

typedef enum currency { CURRENCY_YUAN, CURRENCY_EURO, CURRENCY_DOLLAR, CURRENCY_HKD } currency;

typedef struct affix {
    const char *text;
    currency currency;
} affix;

static const affix prefixes[] = {
    {"HK$", CURRENCY_HKD}, {"US$", CURRENCY_DOLLAR}, {"$", CURRENCY_DOLLAR}, {"¥", CURRENCY_YUAN},
    {"€", CURRENCY_EURO},  {"RMB", CURRENCY_YUAN},   {"CNY", CURRENCY_YUAN},
};

static const affix suffixes[] = {
    {"元", CURRENCY_YUAN},   {"块", CURRENCY_YUAN},        {"欧元", CURRENCY_EURO},
    {"歐元", CURRENCY_EURO}, {"美元", CURRENCY_DOLLAR},    {"港元", CURRENCY_HKD},
    {"CNY", CURRENCY_YUAN},  {"RMB", CURRENCY_YUAN},       {"yuan", CURRENCY_YUAN},
    {"EUR", CURRENCY_EURO},  {"USD", CURRENCY_DOLLAR},     {"euros", CURRENCY_EURO},
    {"euro", CURRENCY_EURO}, {"dollars", CURRENCY_DOLLAR},
};

static void put_amount(builder *b, lang language, currency currency, const number *n)
{
    const words *w = words_of(language);
    unsigned cents = 0;
    if (n->decimals[0]) {
        cents = (unsigned)(n->decimals[0] - '0') * 10;
        if (n->decimals[1])
            cents += (unsigned)(n->decimals[1] - '0');
    }
    if (language == LANG_EN) {
        const char *unit = currency == CURRENCY_EURO     ? w->euro
                           : currency == CURRENCY_DOLLAR ? w->dollar
                           : currency == CURRENCY_HKD    ? w->hkd
                                                         : w->yuan;
        bool plural = currency != CURRENCY_YUAN && n->whole != 1;
        if (n->whole > 0 || cents == 0) {
            put_u64(b, n->whole);
            put_char(b, ' ');
            put(b, unit);
            if (plural)
                put_char(b, 's');
        }
        if (cents) {
            if (n->whole > 0)
                put_char(b, ' ');
            put_u64(b, cents);
            put(b, currency == CURRENCY_YUAN ? " fen" : cents == 1 ? " cent" : " cents");
        }
        return;
    }
    if (currency != CURRENCY_YUAN) {
        put_plain_number(b, language, n);
        put(b, currency == CURRENCY_EURO     ? w->euro
               : currency == CURRENCY_DOLLAR ? w->dollar
                                             : w->hkd);
        return;
    }
    /* 十二元五角, 十二元零五分, 五角 */
    if (n->whole > 0 || cents == 0) {
        put_zh_number(b, w, n->whole);
        put(b, w->yuan);
    }
    if (cents / 10) {
        put(b, w->numeral[cents / 10]);
        put(b, w->jiao);
    } else if (cents && n->whole > 0) {
        put(b, w->numeral[0]);
    }
    if (cents % 10) {
        put(b, w->numeral[cents % 10]);
        put(b, w->fen);
    }
}

static size_t skip_spaces(const char *p)
{
    size_t i = 0;
    while (p[i] == ' ')
        i++;
    return i;
}

/* An amount at p: a currency before the number or after it. */
static size_t try_amount(builder *b, lang language, const char *p)
{
    number n;
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        size_t length = strlen(prefixes[i].text);
        if (strncmp(p, prefixes[i].text, length) != 0)
            continue;
        size_t at = length + skip_spaces(p + length);
        if (!read_number(p + at, &n) || strlen(n.decimals) > 2)
            return 0;
        put(b, " ");
        put_amount(b, language, prefixes[i].currency, &n);
        put(b, " ");
        return at + n.length;
    }
    if (!is_digit(*p) || !read_number(p, &n) || strlen(n.decimals) > 2)
        return 0;
    size_t at = n.length + skip_spaces(p + n.length);
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        size_t length = strlen(suffixes[i].text);
        if (strncmp(p + at, suffixes[i].text, length) != 0 || is_letter(p[at + length]))
            continue;
        put(b, " ");
        put_amount(b, language, suffixes[i].currency, &n);
        put(b, " ");
        return at + length;
    }
    return 0;
}

static void put_year(builder *b, lang language, unsigned year)
{
    if (language != LANG_EN) {
        /* 二〇二六年: a year is said digit by digit. */
        char digits[12];
        snprintf(digits, sizeof digits, "%u", year);
        for (const char *d = digits; *d; d++)
            put(b, words_of(language)->digit[*d - '0']);
        return;
    }
    char text[32];
    if (year >= 2000 && year <= 2009)
        snprintf(text, sizeof text, "2 thousand%s%.0u", year > 2000 ? " " : "", year % 10);
    else if (year >= 1100 && year % 100 == 0)
        snprintf(text, sizeof text, "%u hundred", year / 100);
    else if (year >= 1100 && year % 100 < 10)
        snprintf(text, sizeof text, "%u oh %u", year / 100, year % 100);
    else if (year >= 1100)
        snprintf(text, sizeof text, "%u %u", year / 100, year % 100);
    else
        snprintf(text, sizeof text, "%u", year);
    put(b, text);
}

static void put_date(builder *b, lang language, unsigned year, unsigned month, unsigned day)
{
    if (language == LANG_EN) {
        static const char *const suffix[4] = {"th", "st", "nd", "rd"};
        char text[48];
        unsigned last = day % 10;
        const char *ordinal = day / 10 == 1 || last > 3 ? "th" : suffix[last];
        if (day)
            snprintf(text, sizeof text, " %s %u%s", months[month - 1], day, ordinal);
        else
            snprintf(text, sizeof text, " %s", months[month - 1]);
        put(b, text);
        if (year) {
            put(b, day ? ", " : " ");
            put_year(b, language, year);
        }
        put(b, " ");
        return;
    }
    if (year) {
        put_year(b, language, year);
        put(b, "年");
    }
    put_zh_number(b, words_of(language), month);
    put(b, "月");
    if (day) {
        put_zh_number(b, words_of(language), day);
        put(b, "日");
    }
}

static bool valid_date(unsigned month, unsigned day)
{
    return month >= 1 && month <= 12 && day <= 31;
}

/* 2026-12-07, 2026/12/07, 2026.12.07, 2026年12月7日, 2026年12月, 12月7日,
 * and English 7 Dec 2026 / 7 December 2026. */
static size_t try_date(builder *b, lang language, const char *p)
{
    uint64_t year = 0, month = 0, day = 0;
    size_t i = read_digits(p, 5, &year);
    if (i == 4 && (p[4] == '-' || p[4] == '/' || p[4] == '.')) {
        size_t m = read_digits(p + 5, 3, &month);
        if (m >= 1 && m <= 2 && p[5 + m] == p[4]) {
            size_t d = read_digits(p + 6 + m, 3, &day);
            if (d >= 1 && d <= 2 && day >= 1 && valid_date((unsigned)month, (unsigned)day) &&
                !is_letter(p[6 + m + d])) {
                put_date(b, language, (unsigned)year, (unsigned)month, (unsigned)day);
                return 6 + m + d;
            }
        }
    }
    const char *nian = "年", *yue = "月", *ri = "日";
    size_t at = 0;
    year = 0;
    if (i == 4 && strncmp(p + 4, nian, strlen(nian)) == 0) {
        read_digits(p, 4, &year);
        at = 4 + strlen(nian);
        at += skip_spaces(p + at);
    }
    size_t m = read_digits(p + at, 3, &month);
    if (m >= 1 && m <= 2 && strncmp(p + at + m, yue, strlen(yue)) == 0 && month >= 1 &&
        month <= 12) {
        size_t end = at + m + strlen(yue);
        size_t space = skip_spaces(p + end);
        size_t d = read_digits(p + end + space, 3, &day);
        if (d >= 1 && d <= 2 && day >= 1 && day <= 31 &&
            (strncmp(p + end + space + d, ri, strlen(ri)) == 0 ||
             strncmp(p + end + space + d, "号", strlen("号")) == 0 ||
             strncmp(p + end + space + d, "號", strlen("號")) == 0)) {
            put_date(b, language, (unsigned)year, (unsigned)month, (unsigned)day);
            return end + space + d + strlen(ri);
        }
        if (year) {
            put_date(b, language, (unsigned)year, (unsigned)month, 0);
            return end;
        }
    }
    /* 7 Dec 2026 (how local_time writes a date in English). */
    size_t d = read_digits(p, 3, &day);
    if (d >= 1 && d <= 2 && p[d] == ' ' && day >= 1 && day <= 31) {
        for (unsigned mo = 0; mo < 12; mo++) {
            size_t length = strlen(months[mo]);
            size_t matched = strncmp(p + d + 1, months[mo], length) == 0 ? length
                             : strncmp(p + d + 1, months[mo], 3) == 0    ? 3
                                                                         : 0;
            if (!matched || is_letter(p[d + 1 + matched]))
                continue;
            size_t end = d + 1 + matched;
            uint64_t y = 0;
            size_t space = skip_spaces(p + end);
            size_t yd = space ? read_digits(p + end + space, 5, &y) : 0;
            if (yd == 4)
                end += space + 4;
            else
                y = 0;
            put_date(b, language, (unsigned)y, mo + 1, (unsigned)day);
            return end;
        }
    }
    return 0;
}

/* 14:05, 9:30, 14:05:09. */
static size_t try_time(builder *b, lang language, const char *p)
{
    uint64_t hour, minute, second = 0;
    size_t h = read_digits(p, 3, &hour);
    if (h < 1 || h > 2 || p[h] != ':' || hour > 23)
        return 0;
    size_t m = read_digits(p + h + 1, 3, &minute);
    if (m != 2 || minute > 59)
        return 0;
    size_t end = h + 1 + m;
    bool seconds = false;
    if (p[end] == ':') {
        size_t s = read_digits(p + end + 1, 3, &second);
        if (s == 2 && second <= 59) {
            seconds = true;
            end += 3;
        }
    }
    if (is_digit(p[end]) || p[end] == ':')
        return 0;
    if (language == LANG_EN) {
        char text[48];
        unsigned twelve = hour % 12 == 0 ? 12 : (unsigned)(hour % 12);
        const char *half = hour < 12 ? "AM" : "PM";
        if (minute == 0)
            snprintf(text, sizeof text, " %u %s ", twelve, half);
        else if (minute < 10)
            snprintf(text, sizeof text, " %u oh %u %s ", twelve, (unsigned)minute, half);
        else
            snprintf(text, sizeof text, " %u %u %s ", twelve, (unsigned)minute, half);
        put(b, text);
        return end;
    }
    const words *w = words_of(language);
    put_zh_number(b, w, hour);
    put(b, w->point);
    if (minute > 0 || seconds) {
        if (minute < 10)
            put(b, w->numeral[0]);
        put_zh_number(b, w, minute);
        put(b, "分");
    }
    if (seconds && second > 0) {
        put_zh_number(b, w, second);
        put(b, "秒");
    }
    return end;
}

/* 50%, 3.5%. */
static size_t try_percent(builder *b, lang language, const char *p)
{
    number n;
    if (!read_number(p, &n) || p[n.length] != '%')
        return 0;
    if (language == LANG_EN) {
        put(b, " ");
        put_plain_number(b, language, &n);
        put(b, " percent ");
    } else {
        put(b, "百分之");
        put_plain_number(b, language, &n);
    }
    return n.length + 1;
}

/* ------------------------------------------------------------------------ */
/* Runs of letters, digits and mask stars. */

typedef struct run {
    size_t length;
    size_t digits, letters, masks, segments;
    bool dashes, spaces;
} run;

/* One segment: letters, digits and mask stars. */
static size_t segment(const char *p, run *r)
{
    size_t i = 0;
    for (;;) {
        size_t mask = mask_at(p + i);
        if (mask) {
            r->masks++;
            i += mask;
        } else if (is_digit(p[i])) {
            r->digits++;
            i++;
        } else if (is_letter(p[i])) {
            r->letters++;
            i++;
        } else {
            return i;
        }
    }
}

static bool starts_segment(const char *p)
{
    return is_digit(*p) || is_letter(*p) || mask_at(p);
}

/* Codes written for the eye in groups separated by single spaces: letters
 * and digits in fours (GD20 2612 0700 0123, three groups at least), or
 * digits alone in groups of three or more (138 1234 5678, 110105 19900101
 * 1234: ten digits at least). Anything else is words and numbers. */
static bool grouped_code(const size_t *lengths, const bool *digits_only, size_t count,
                         size_t digits)
{
    bool fours = count >= 3 && digits >= 5, numbers = count >= 2 && digits >= 10;
    for (size_t i = 0; i < count; i++) {
        fours = fours && (i + 1 < count ? lengths[i] == 4 : lengths[i] <= 4);
        numbers = numbers && digits_only[i] && lengths[i] >= 3;
    }
    return fours || numbers;
}

#define RUN_GROUPS_MAX 8

/* The run at p: segments joined by '-' (a phone number: 010-12345678) or
 * by single spaces when they make a grouped code. A join that does not
 * make a code is not taken. */
static run read_run(const char *p)
{
    run r = {0};
    r.length = segment(p, &r);
    r.segments = 1;
    run first = r;
    while (p[r.length] == '-' && starts_segment(p + r.length + 1)) {
        r.dashes = true;
        size_t n = segment(p + r.length + 1, &r);
        r.length += 1 + n;
        r.segments++;
    }
    if (r.dashes)
        return r.digits >= 7 ? r : first;
    size_t lengths[RUN_GROUPS_MAX] = {r.length};
    bool digits_only[RUN_GROUPS_MAX] = {r.digits == r.length};
    run best = first;
    while (r.segments < RUN_GROUPS_MAX && p[r.length] == ' ' && starts_segment(p + r.length + 1)) {
        run next = r;
        size_t n = segment(p + r.length + 1, &next);
        lengths[r.segments] = n;
        digits_only[r.segments] = next.digits - r.digits == n;
        next.length = r.length + 1 + n;
        next.segments = r.segments + 1;
        next.spaces = true;
        r = next;
        if (grouped_code(lengths, digits_only, r.segments, r.digits))
            best = r;
    }
    return best;
}

static size_t try_run(builder *b, lang language, const char *p)
{
    if (!starts_segment(p))
        return 0;
    run r = read_run(p);
    bool code = r.segments > 1 || r.digits >= 5 || (r.digits > 0 && r.letters > 0) ||
                r.masks >= 2 || (r.digits > 1 && p[0] == '0');
    if (r.masks == 1 && r.length == 1)
        return 0; /* a star alone: a symbol */
    if (code) {
        put(b, " ");
        put_code(b, language, p, r.length);
        put(b, " ");
        return r.length;
    }
    if (r.letters > 0 && r.digits == 0 && r.masks == 0) {
        for (size_t i = 0; i < r.length; i++)
            put_char(b, p[i]);
        return r.length;
    }
    if (r.digits > 0 && r.letters == 0 && r.masks == 0) {
        number n;
        if (!read_number(p, &n))
            return 0;
        put_plain_number(b, language, &n);
        return n.length;
    }
    put(b, " ");
    put_code(b, language, p, r.length);
    put(b, " ");
    return r.length;
}

static size_t try_symbol(builder *b, lang language, const char *p)
{
    for (size_t i = 0; i < sizeof symbols / sizeof *symbols; i++) {
        size_t length = strlen(symbols[i].text);
        if (strncmp(p, symbols[i].text, length) == 0) {
            put(b, symbols[i].name[language]);
            return length;
        }
    }
    return 0;
}

bool speech_prepare(lang language, const char *text, char *out, size_t size)
{
    if (!out || size == 0)
        return false;
    out[0] = '\0';
    if (!text || (unsigned)language >= LANG_COUNT)
        return false;
    char *clean = wipe_malloc(strlen(text) + 1);
    if (!clean)
        return false;
    plain(text, clean);
    builder b = {.out = out, .size = size};
    const char *p = clean;
    while (*p && !b.full) {
        size_t used = 0;
        /* A minus before a number, not a dash inside a code or a date: a
         * debt is not heard as a balance. */
        bool after_word = p > clean && (is_digit(p[-1]) || is_letter(p[-1]));
        if ((p[0] == '-' || strncmp(p, "\xe2\x88\x92", 3) == 0) && !after_word) {
            size_t sign = p[0] == '-' ? 1 : 3;
            const char *after = p + sign;
            after += (*after == '\xc2' && after[1] == '\xa5') ? 2 : *after == '$' ? 1 : 0;
            if (is_digit(*after)) {
                put(&b, language == LANG_EN ? " minus " : language == LANG_ZH_TW ? "負" : "负");
                p += sign;
                continue;
            }
        }
        if (is_digit(*p) || !starts_segment(p)) {
            if (!used)
                used = try_amount(&b, language, p);
            if (!used && is_digit(*p))
                used = try_date(&b, language, p);
            if (!used && is_digit(*p))
                used = try_time(&b, language, p);
            if (!used && is_digit(*p))
                used = try_percent(&b, language, p);
        } else if (p[0] == 'H' || p[0] == 'U' || p[0] == 'R' || p[0] == 'C') {
            used = try_amount(&b, language, p);
        }
        if (!used)
            used = try_run(&b, language, p);
        if (!used)
            used = try_symbol(&b, language, p);
        if (!used) {
            size_t length;
            decode((const unsigned char *)p, &length);
            char piece[5] = {0};
            memcpy(piece, p, length);
            put(&b, piece);
            used = length;
        }
        p += used;
    }
    bool fits = !b.full;
    wipe_free(clean);
    return fits;
}
