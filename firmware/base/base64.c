/* Base64 (RFC 4648, standard alphabet) both ways. See base64.h. */
#include "firmware/base/base64.h"

#include "firmware/base/wipe_alloc.h"

#include <stdbool.h>
#include <string.h>

char *base64_encode(const uint8_t *bytes, size_t length)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *text = wipe_malloc((length + 2) / 3 * 4 + 1);
    if (!text)
        return NULL;
    size_t used = 0;
    for (size_t i = 0; i < length; i += 3) {
        uint32_t group = (uint32_t)bytes[i] << 16;
        if (i + 1 < length)
            group |= (uint32_t)bytes[i + 1] << 8;
        if (i + 2 < length)
            group |= bytes[i + 2];
        text[used++] = digits[(group >> 18) & 63];
        text[used++] = digits[(group >> 12) & 63];
        text[used++] = i + 1 < length ? digits[(group >> 6) & 63] : '=';
        text[used++] = i + 2 < length ? digits[group & 63] : '=';
    }
    text[used] = '\0';
    return text;
}

static int base64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

unsigned char *base64_decode(const char *text, size_t max, size_t *length)
{
    size_t n = strlen(text);
    if (n == 0 || n % 4 != 0 || n / 4 * 3 > max + 2)
        return NULL;
    unsigned char *out = wipe_malloc(n / 4 * 3);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i += 4) {
        int v[4];
        bool last = i + 4 == n;
        for (int k = 0; k < 4; k++) {
            v[k] = base64_value((unsigned char)text[i + k]);
            bool padding = text[i + k] == '=' && last && k >= 2 && (k == 3 || text[i + 3] == '=');
            if (v[k] < 0 && !padding) {
                wipe_free(out);
                return NULL;
            }
        }
        out[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
        if (v[2] >= 0)
            out[o++] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
        if (v[2] >= 0 && v[3] >= 0)
            out[o++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
    }
    if (o > max) {
        wipe_free(out);
        return NULL;
    }
    *length = o;
    return out;
}
