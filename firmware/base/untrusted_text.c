/* Text from outside made safe to show (untrusted_text.h). */
#include "firmware/base/untrusted_text.h"

#include <string.h>

size_t untrusted_utf8_sequence(const uint8_t *data, size_t length)
{
    if (length == 0)
        return 0;
    uint8_t c = data[0];
    if (c < 0x80)
        return 1;
    size_t n;
    uint8_t low = 0x80, high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            low = 0xA0; /* overlong */
        else if (c == 0xED)
            high = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            low = 0x90; /* overlong */
        else if (c == 0xF4)
            high = 0x8F; /* past U+10FFFF */
    } else {
        return 0;
    }
    if (length < n || data[1] < low || data[1] > high)
        return 0;
    for (size_t i = 2; i < n; i++) {
        if (data[i] < 0x80 || data[i] > 0xBF)
            return 0;
    }
    return n;
}

bool untrusted_utf8_valid(const char *data, size_t length)
{
    const uint8_t *bytes = (const uint8_t *)data;
    for (size_t at = 0; at < length;) {
        size_t n = untrusted_utf8_sequence(bytes + at, length - at);
        if (n == 0)
            return false;
        at += n;
    }
    return true;
}

static uint32_t decode(const uint8_t *data, size_t n)
{
    switch (n) {
    case 1:
        return data[0];
    case 2:
        return ((uint32_t)(data[0] & 0x1F) << 6) | (data[1] & 0x3F);
    case 3:
        return ((uint32_t)(data[0] & 0x0F) << 12) | ((uint32_t)(data[1] & 0x3F) << 6) |
               (data[2] & 0x3F);
    default:
        return ((uint32_t)(data[0] & 0x07) << 18) | ((uint32_t)(data[1] & 0x3F) << 12) |
               ((uint32_t)(data[2] & 0x3F) << 6) | (data[3] & 0x3F);
    }
}

bool untrusted_code_point_hidden(uint32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
        return true; /* C0, DEL, C1 */
    switch (cp) {
    case 0x00AD: /* soft hyphen */
    case 0x034F: /* combining grapheme joiner */
    case 0x061C: /* Arabic letter mark */
    case 0x115F: /* Hangul fillers: shown as nothing */
    case 0x1160:
    case 0x180E: /* Mongolian vowel separator */
    case 0x3164:
    case 0xFEFF: /* BOM, zero-width no-break space */
    case 0xFFA0:
        return true;
    default:
        break;
    }
    if (cp >= 0x200B && cp <= 0x200F)
        return true; /* zero-width space, joiners, LRM, RLM */
    if (cp >= 0x2028 && cp <= 0x202E)
        return true; /* line and paragraph separators, embeddings, overrides */
    if (cp >= 0x2060 && cp <= 0x206F)
        return true; /* word joiner, invisible operators, isolates, deprecated formats */
    if (cp >= 0xFFF9 && cp <= 0xFFFB)
        return true; /* interlinear annotation */
    if (cp >= 0xE0000 && cp <= 0xE007F)
        return true; /* tags */
    return false;
}

kiosk_error untrusted_text_clean(char *text, size_t *removed)
{
    if (removed)
        *removed = 0;
    if (!text)
        return KIOSK_ERR_INVALID_ARGUMENT;
    size_t length = strlen(text);
    if (!untrusted_utf8_valid(text, length))
        return KIOSK_ERR_MALFORMED;
    uint8_t *bytes = (uint8_t *)text;
    size_t out = 0, count = 0;
    for (size_t at = 0; at < length;) {
        size_t n = untrusted_utf8_sequence(bytes + at, length - at);
        uint32_t cp = decode(bytes + at, n);
        if (cp == 0x1B && at + 1 < length && (bytes[at + 1] == '[' || bytes[at + 1] == ']')) {
            /* A terminal's escape sequence goes whole, not only its ESC:
             * "\x1b[2J" must not leave "[2J" on the screen. CSI ends at its
             * final byte (0x40-0x7E), OSC at BEL or ESC \. */
            bool osc = bytes[at + 1] == ']';
            size_t end = at + 2;
            while (end < length && (osc ? bytes[end] != 0x07 && bytes[end] != 0x1B
                                        : !(bytes[end] >= 0x40 && bytes[end] <= 0x7E)))
                end++;
            if (end < length)
                end += osc && bytes[end] == 0x1B && end + 1 < length ? 2 : 1;
            count++;
            at = end;
            continue;
        }
        if (cp == '\t' || cp == '\r' || cp == '\n') {
            bytes[out++] = ' ';
            count++;
        } else if (untrusted_code_point_hidden(cp)) {
            count++;
        } else {
            memmove(bytes + out, bytes + at, n);
            out += n;
        }
        at += n;
    }
    /* What was shifted left leaves its old bytes behind the terminator: wipe
     * them, the text may be personal (a name, an address). */
    memset(bytes + out, 0, length - out);
    if (removed)
        *removed = count;
    return KIOSK_OK;
}
