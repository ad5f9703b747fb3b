/* UTF-8 and GB 18030, one character at a time. See gb18030.h. */
#include "drivers/printer/gb18030.h"

kiosk_error gb18030_open(gb18030_codec *codec)
{
    /* UTF-32LE on both sides, whatever the host's byte order: the code
     * point's bytes are laid out by hand below. */
    codec->to_gb = iconv_open("GB18030", "UTF-32LE");
    codec->to_unicode = iconv_open("UTF-32LE", "GB18030");
    if (codec->to_gb == (iconv_t)-1 || codec->to_unicode == (iconv_t)-1) {
        gb18030_close(codec);
        return KIOSK_ERR_UNSUPPORTED;
    }
    return KIOSK_OK;
}

void gb18030_close(gb18030_codec *codec)
{
    if (codec->to_gb != (iconv_t)-1 && codec->to_gb != NULL)
        iconv_close(codec->to_gb);
    if (codec->to_unicode != (iconv_t)-1 && codec->to_unicode != NULL)
        iconv_close(codec->to_unicode);
    codec->to_gb = codec->to_unicode = (iconv_t)-1;
}

bool gb18030_utf8_decode(const char *utf8, size_t length, uint32_t *code_point)
{
    const unsigned char *u = (const unsigned char *)utf8;
    if (length == 0)
        return false;
    if (u[0] < 0x80) {
        *code_point = u[0];
        return length == 1;
    }
    size_t need = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC0 ? 2 : 0;
    if (need == 0 || need != length)
        return false;
    uint32_t value = u[0] & (0x7Fu >> need);
    for (size_t i = 1; i < need; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return false;
        value = value << 6 | (u[i] & 0x3Fu);
    }
    static const uint32_t smallest[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (value < smallest[need] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        return false;
    *code_point = value;
    return true;
}

size_t gb18030_utf8_encode(uint32_t code_point, char out[4])
{
    if (code_point < 0x80) {
        out[0] = (char)code_point;
        return 1;
    }
    if (code_point < 0x800) {
        out[0] = (char)(0xC0 | code_point >> 6);
        out[1] = (char)(0x80 | (code_point & 0x3F));
        return 2;
    }
    if (code_point < 0x10000) {
        out[0] = (char)(0xE0 | code_point >> 12);
        out[1] = (char)(0x80 | (code_point >> 6 & 0x3F));
        out[2] = (char)(0x80 | (code_point & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | code_point >> 18);
    out[1] = (char)(0x80 | (code_point >> 12 & 0x3F));
    out[2] = (char)(0x80 | (code_point >> 6 & 0x3F));
    out[3] = (char)(0x80 | (code_point & 0x3F));
    return 4;
}

/* One iconv call on a whole character; false on any refusal. */
static bool convert(iconv_t cd, const uint8_t *in, size_t in_length, uint8_t *out,
                    size_t out_capacity, size_t *out_length)
{
    char *in_at = (char *)in, *out_at = (char *)out;
    size_t in_left = in_length, out_left = out_capacity;
    iconv(cd, NULL, NULL, NULL, NULL); /* a clean state for each character */
    size_t result = iconv(cd, &in_at, &in_left, &out_at, &out_left);
    if (result == (size_t)-1 || in_left != 0)
        return false;
    /* Flush: a stateless encoding has nothing more, but ask anyway. */
    if (iconv(cd, NULL, NULL, &out_at, &out_left) == (size_t)-1)
        return false;
    *out_length = out_capacity - out_left;
    return true;
}

size_t gb18030_encode(gb18030_codec *codec, uint32_t code_point, uint8_t out[GB18030_CHAR_MAX])
{
    if (code_point < 0x80) {
        out[0] = (uint8_t)code_point; /* ASCII is itself; spare iconv the work */
        return 1;
    }
    uint8_t in[4] = {(uint8_t)code_point, (uint8_t)(code_point >> 8), (uint8_t)(code_point >> 16),
                     (uint8_t)(code_point >> 24)};
    size_t length = 0;
    if (!convert(codec->to_gb, in, sizeof in, out, GB18030_CHAR_MAX, &length))
        return 0;
    return length == 1 || length == 2 || length == 4 ? length : 0;
}

size_t gb18030_sequence_length(const uint8_t *bytes, size_t length)
{
    if (length == 0)
        return 0;
    uint8_t b = bytes[0];
    if (b < 0x80)
        return 1;
    if (b == 0x80 || b == 0xFF || length < 2)
        return 0;
    uint8_t second = bytes[1];
    if ((second >= 0x40 && second <= 0x7E) || (second >= 0x80 && second <= 0xFE))
        return 2;
    if (second < 0x30 || second > 0x39 || length < 4)
        return 0;
    if (bytes[2] < 0x81 || bytes[2] > 0xFE || bytes[3] < 0x30 || bytes[3] > 0x39)
        return 0;
    return 4;
}

bool gb18030_decode(gb18030_codec *codec, const uint8_t *bytes, size_t length, uint32_t *code_point)
{
    if (length == 1 && bytes[0] < 0x80) {
        *code_point = bytes[0];
        return true;
    }
    uint8_t out[8];
    size_t out_length = 0;
    if (!convert(codec->to_unicode, bytes, length, out, sizeof out, &out_length) || out_length != 4)
        return false;
    *code_point =
        (uint32_t)out[0] | (uint32_t)out[1] << 8 | (uint32_t)out[2] << 16 | (uint32_t)out[3] << 24;
    return true;
}
