#include "drivers/idcard/ucs2.h"

#include <stdbool.h>

#define SPACE 0x0020u

/* C0, DEL and C1: none belongs on a card, and any of them in a name or an
 * address would reach the screen, the logs and the back office. */
static bool is_control(uint32_t code_point)
{
    return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F);
}

static bool is_high_surrogate(uint32_t unit)
{
    return unit >= 0xD800 && unit <= 0xDBFF;
}

static bool is_low_surrogate(uint32_t unit)
{
    return unit >= 0xDC00 && unit <= 0xDFFF;
}

static uint32_t unit_at(const uint8_t *field, size_t index)
{
    return (uint32_t)field[2 * index] | (uint32_t)field[2 * index + 1] << 8;
}

/* Appends code_point to out as UTF-8; false when it (and the NUL after it)
 * would not fit. */
static bool put_utf8(uint32_t code_point, char *out, size_t capacity, size_t *position)
{
    uint8_t bytes[4];
    size_t count;
    if (code_point < 0x80) {
        bytes[0] = (uint8_t)code_point;
        count = 1;
    } else if (code_point < 0x800) {
        bytes[0] = (uint8_t)(0xC0 | code_point >> 6);
        bytes[1] = (uint8_t)(0x80 | (code_point & 0x3F));
        count = 2;
    } else if (code_point < 0x10000) {
        bytes[0] = (uint8_t)(0xE0 | code_point >> 12);
        bytes[1] = (uint8_t)(0x80 | (code_point >> 6 & 0x3F));
        bytes[2] = (uint8_t)(0x80 | (code_point & 0x3F));
        count = 3;
    } else {
        bytes[0] = (uint8_t)(0xF0 | code_point >> 18);
        bytes[1] = (uint8_t)(0x80 | (code_point >> 12 & 0x3F));
        bytes[2] = (uint8_t)(0x80 | (code_point >> 6 & 0x3F));
        bytes[3] = (uint8_t)(0x80 | (code_point & 0x3F));
        count = 4;
    }
    if (capacity - *position < count + 1)
        return false;
    for (size_t i = 0; i < count; i++)
        out[(*position)++] = (char)bytes[i];
    return true;
}

kiosk_error idcard_ucs2_decode(const uint8_t *field, size_t width, char *out, size_t capacity)
{
    if (capacity == 0)
        return KIOSK_ERR_TOO_BIG;
    out[0] = '\0';
    size_t end = width / 2;
    while (end > 0 && unit_at(field, end - 1) == SPACE)
        end--;
    size_t position = 0;
    for (size_t i = 0; i < end; i++) {
        uint32_t code_point = unit_at(field, i);
        if (is_high_surrogate(code_point)) {
            if (i + 1 >= end || !is_low_surrogate(unit_at(field, i + 1)))
                return KIOSK_ERR_MALFORMED;
            code_point = 0x10000 + ((code_point - 0xD800) << 10) + (unit_at(field, i + 1) - 0xDC00);
            i++;
        } else if (is_low_surrogate(code_point) || is_control(code_point)) {
            return KIOSK_ERR_MALFORMED;
        }
        if (!put_utf8(code_point, out, capacity, &position)) {
            out[0] = '\0';
            return KIOSK_ERR_TOO_BIG;
        }
    }
    out[position] = '\0';
    return KIOSK_OK;
}

/* Reads one code point from UTF-8 at *text, advancing it; false on anything
 * but the shortest encoding of a scalar value. */
static bool next_code_point(const unsigned char **text, uint32_t *code_point)
{
    const unsigned char *p = *text;
    uint32_t value;
    size_t continuation;
    uint32_t minimum;
    if (p[0] < 0x80) {
        value = p[0];
        continuation = 0;
        minimum = 0;
    } else if ((p[0] & 0xE0) == 0xC0) {
        value = p[0] & 0x1F;
        continuation = 1;
        minimum = 0x80;
    } else if ((p[0] & 0xF0) == 0xE0) {
        value = p[0] & 0x0F;
        continuation = 2;
        minimum = 0x800;
    } else if ((p[0] & 0xF8) == 0xF0) {
        value = p[0] & 0x07;
        continuation = 3;
        minimum = 0x10000;
    } else {
        return false;
    }
    for (size_t i = 1; i <= continuation; i++) {
        /* A NUL here is not a continuation byte, so a truncated sequence at
         * the end of the string stops before reading past it. */
        if ((p[i] & 0xC0) != 0x80)
            return false;
        value = value << 6 | (p[i] & 0x3F);
    }
    if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        return false;
    *code_point = value;
    *text = p + continuation + 1;
    return true;
}

static void put_unit(uint8_t *field, size_t index, uint32_t unit)
{
    field[2 * index] = (uint8_t)(unit & 0xFF);
    field[2 * index + 1] = (uint8_t)(unit >> 8);
}

kiosk_error idcard_ucs2_encode(const char *text, uint8_t *field, size_t width)
{
    size_t units = width / 2;
    size_t index = 0;
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        uint32_t code_point;
        if (!next_code_point(&p, &code_point) || is_control(code_point))
            return KIOSK_ERR_MALFORMED;
        if (code_point >= 0x10000) {
            if (units - index < 2)
                return KIOSK_ERR_TOO_BIG;
            code_point -= 0x10000;
            put_unit(field, index++, 0xD800 + (code_point >> 10));
            put_unit(field, index++, 0xDC00 + (code_point & 0x3FF));
        } else {
            if (units - index < 1)
                return KIOSK_ERR_TOO_BIG;
            put_unit(field, index++, code_point);
        }
    }
    while (index < units)
        put_unit(field, index++, SPACE);
    return KIOSK_OK;
}
