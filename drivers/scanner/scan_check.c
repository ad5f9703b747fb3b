/* The checks of a whole scan: configuration codes, encoding, control
 * characters, length; and the names of symbologies. */
#include "drivers/scanner/scan_decode.h"
#include "firmware/base/untrusted_text.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *scan_reject_name(scan_reject reason)
{
    switch (reason) {
    case SCAN_REJECT_NONE:
        return "none";
    case SCAN_REJECT_CONTROL:
        return "control";
    case SCAN_REJECT_ESCAPE:
        return "escape";
    case SCAN_REJECT_KEY_COMBINATION:
        return "key-combination";
    case SCAN_REJECT_KEY:
        return "key";
    case SCAN_REJECT_CONFIGURATION:
        return "configuration";
    case SCAN_REJECT_TOO_LONG:
        return "too-long";
    case SCAN_REJECT_ENCODING:
        return "encoding";
    case SCAN_REJECT_INCOMPLETE:
        return "incomplete";
    case SCAN_REJECT_REPORT:
        return "report";
    }
    return "unknown";
}

const char *scan_mode_name(scan_mode mode)
{
    switch (mode) {
    case SCAN_MODE_HID_POS:
        return "hid-pos";
    case SCAN_MODE_WEDGE:
        return "wedge";
    case SCAN_MODE_UNKNOWN:
        break;
    }
    return "unknown";
}

void scan_event_wipe(scan_event *event)
{
    explicit_bzero(event, sizeof *event);
}

static bool starts_with(const uint8_t *data, size_t length, const char *prefix)
{
    size_t n = strlen(prefix);
    return length >= n && memcmp(data, prefix, n) == 0;
}

static bool upper_or_digit(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool scan_is_configuration_code(const uint8_t *data, size_t length)
{
    /* Newland setup codes, which scanners also take in lower case. */
    if (length > 3 && strncasecmp((const char *)data, "NLS", 3) == 0 && data[3] >= '0' &&
        data[3] <= '9')
        return true;
    if (length >= 7 && (data[0] == '@' || data[0] == '#')) {
        bool command = true;
        for (size_t i = 1; i < length && command; i++)
            command = upper_or_digit(data[i]);
        if (command)
            return true;
    }
    return starts_with(data, length, "~\0010000") || /* \001 is SOH */
           starts_with(data, length, "\x16M\r");
}

/* GBK (as GB18030, its superset) to UTF-8 into out (capacity bytes). */
static scan_reject from_gbk(const uint8_t *data, size_t length, char *out, size_t capacity,
                            size_t *out_length)
{
    iconv_t converter = iconv_open("UTF-8", "GB18030");
    if (converter == (iconv_t)-1)
        return SCAN_REJECT_ENCODING; /* this system has no GBK tables */
    char *in = (char *)data;
    size_t in_left = length;
    char *at = out;
    size_t out_left = capacity;
    size_t converted = iconv(converter, &in, &in_left, &at, &out_left);
    int error = errno;
    iconv_close(converter);
    *out_length = capacity - out_left;
    if (converted != (size_t)-1)
        return SCAN_REJECT_NONE;
    return error == E2BIG ? SCAN_REJECT_TOO_LONG : SCAN_REJECT_ENCODING;
}

/* Control characters outside ASCII: C1 (U+0080..U+009F), and the
 * bidirectional embeddings, overrides and isolates (U+202A..U+202E,
 * U+2066..U+2069) that reorder what is shown. */
static bool unicode_control(const uint8_t *text, size_t length)
{
    for (size_t at = 0; at < length;) {
        size_t n = untrusted_utf8_sequence(text + at, length - at);
        if (n == 0)
            return true;
        if (n == 2 && text[at] == 0xC2 && text[at + 1] <= 0x9F)
            return true;
        if (n == 3 && text[at] == 0xE2) {
            uint8_t b1 = text[at + 1], b2 = text[at + 2];
            if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) ||
                (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9))
                return true;
        }
        at += n;
    }
    return false;
}

scan_reject scan_check(const uint8_t *data, size_t length, scan_code_page code_page,
                       size_t max_length, const char *aim, scan_mode mode, scan_event *event)
{
    size_t max = max_length == 0 || max_length > SCAN_MAX_LENGTH ? SCAN_MAX_LENGTH : max_length;
    scan_reject reason = SCAN_REJECT_NONE;
    size_t out_length = 0;
    event->length = 0;
    event->data[0] = '\0';
    if (length > max)
        return SCAN_REJECT_TOO_LONG;
    if (scan_is_configuration_code(data, length))
        return SCAN_REJECT_CONFIGURATION;
    /* ASCII controls are the same bytes in UTF-8 and GBK (whose second
     * bytes are 0x40 and up), so they are found before any conversion. */
    for (size_t i = 0; i < length; i++) {
        if (data[i] == 0x1B)
            return SCAN_REJECT_ESCAPE;
        if (data[i] < 0x20 || data[i] == 0x7F)
            reason = SCAN_REJECT_CONTROL;
    }
    if (reason != SCAN_REJECT_NONE)
        return reason;
    if (untrusted_utf8_valid((const char *)data, length)) {
        memcpy(event->data, data, length);
        out_length = length;
    } else if (code_page == SCAN_CODE_PAGE_GBK) {
        reason = from_gbk(data, length, event->data, max, &out_length);
    } else {
        reason = SCAN_REJECT_ENCODING;
    }
    if (reason == SCAN_REJECT_NONE && unicode_control((const uint8_t *)event->data, out_length))
        reason = SCAN_REJECT_CONTROL;
    if (reason != SCAN_REJECT_NONE) {
        explicit_bzero(event->data, out_length < max ? out_length + 1 : max);
        return reason;
    }
    event->data[out_length] = '\0';
    event->length = out_length;
    event->mode = mode;
    snprintf(event->symbology, sizeof event->symbology, "%s", scan_symbology_of_aim(aim));
    return SCAN_REJECT_NONE;
}

const char *scan_symbology_of_aim(const char *aim)
{
    if (!aim || aim[0] != ']' || aim[1] == '\0')
        return "unknown";
    char modifier = aim[2];
    switch (aim[1]) {
    case 'A':
        return "code39";
    case 'C':
        return modifier == '1' ? "gs1-128" : "code128";
    case 'E':
        return modifier == '0' ? "ean13" : modifier == '4' ? "ean8" : "ean-upc";
    case 'F':
        return "codabar";
    case 'G':
        return "code93";
    case 'H':
        return "code11";
    case 'I':
        return "itf";
    case 'L':
        return "pdf417";
    case 'M':
        return "msi";
    case 'Q':
        return "qr";
    case 'U':
        return "maxicode";
    case 'd':
        return "datamatrix";
    case 'e':
        return "gs1-databar";
    case 'h':
        return "hanxin";
    case 'z':
        return "aztec";
    default:
        return "unknown";
    }
}
