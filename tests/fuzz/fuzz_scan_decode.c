/* Fuzzes the scan decoder as the driver uses it, in both modes: reports
 * pushed one by one, every result read, the scanner going quiet now and
 * then. Whatever comes in, an accepted scan is NUL-terminated UTF-8 of its
 * stated length, within the maximum, with no control characters; the
 * decoder never holds more than the maximum; a refusal's preview is short
 * and printable. The report descriptor classifier and the whole-scan check
 * run on the same bytes.
 *
 * Input: one byte of configuration (bit 0 wedge, bit 1 GBK, bits 2-3 which
 * keys end a scan, bit 4 AIM prefix, bit 5 a maximum of 100 bytes, bit 6
 * reports of chosen lengths), then reports: 64 bytes (HID POS) or 8 (wedge)
 * each, or with bit 6 a length byte before each (0xFF: the scanner goes
 * quiet instead). */
#include "drivers/scanner/scan_decode.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static scan_decoder decoder;
static scan_event event;

static void check(bool condition)
{
    if (!condition)
        abort();
}

static bool utf8_ok(const uint8_t *text, size_t length)
{
    for (size_t i = 0; i < length;) {
        uint8_t c = text[i];
        size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
        if (c >= 0x80 && (c < 0xC2 || c > 0xF4))
            return false;
        if (n > length - i)
            return false;
        for (size_t k = 1; k < n; k++) {
            if ((text[i + k] & 0xC0) != 0x80)
                return false;
        }
        i += n;
    }
    return true;
}

static void check_event(const scan_config *config)
{
    size_t max = config->max_length ? config->max_length : SCAN_MAX_LENGTH;
    check(event.length > 0 && event.length <= max);
    check(event.data[event.length] == '\0');
    check(strlen(event.data) == event.length);
    check(utf8_ok((const uint8_t *)event.data, event.length));
    for (size_t i = 0; i < event.length; i++) {
        uint8_t c = (uint8_t)event.data[i];
        check(c >= 0x20 && c != 0x7F);
    }
    check(memchr(event.symbology, '\0', sizeof event.symbology) != NULL);
    check(event.symbology[0] != '\0');
    check(event.mode == config->mode);
}

static void check_refusal(const scan_refusal *refusal)
{
    check(refusal->reason > SCAN_REJECT_NONE && refusal->reason <= SCAN_REJECT_REPORT);
    check(strlen(refusal->preview) <= 4);
    for (const char *c = refusal->preview; *c; c++)
        check(*c >= 0x20 && *c < 0x7F);
    check(strcmp(scan_reject_name(refusal->reason), "unknown") != 0);
}

static void drain(const scan_config *config)
{
    check(decoder.length <= SCAN_MAX_LENGTH);
    for (int rounds = 0;; rounds++) {
        check(rounds <= 8); /* a report's six keys and its modifiers at most */
        scan_refusal refusal;
        scan_status status = scan_decoder_next(&decoder, &event, &refusal);
        if (status == SCAN_NONE)
            return;
        if (status == SCAN_COMPLETE)
            check_event(config);
        else
            check_refusal(&refusal);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    uint8_t setup = data[0];
    scan_config config = {
        .mode = (setup & 1) ? SCAN_MODE_WEDGE : SCAN_MODE_HID_POS,
        .code_page = (setup & 2) ? SCAN_CODE_PAGE_GBK : SCAN_CODE_PAGE_UTF8,
        .terminators = (setup >> 2) & 3u,
        .aim_prefix = setup & 0x10,
        .max_length = (setup & 0x20) ? 100 : 0,
    };
    bool chosen_lengths = setup & 0x40;
    size_t fixed =
        config.mode == SCAN_MODE_WEDGE ? SCAN_WEDGE_REPORT_LENGTH : SCAN_HIDPOS_REPORT_LENGTH;
    scan_decoder_init(&decoder, &config);
    size_t at = 1;
    while (at < size) {
        size_t length = fixed;
        if (chosen_lengths) {
            uint8_t byte = data[at++];
            if (byte == 0xFF) {
                scan_refusal refusal;
                if (scan_decoder_idle(&decoder, &refusal) == SCAN_REJECTED)
                    check_refusal(&refusal);
                check(!decoder.active);
                continue;
            }
            length = byte % (SCAN_REPORT_MAX + 2);
        }
        if (length > size - at)
            length = size - at;
        scan_decoder_push(&decoder, data + at, length);
        at += length;
        drain(&config);
    }
    scan_refusal refusal;
    if (scan_decoder_idle(&decoder, &refusal) == SCAN_REJECTED)
        check_refusal(&refusal);
    scan_decoder_reset(&decoder);
    check(!scan_decoder_busy(&decoder));

    /* The same bytes as a report descriptor and as one whole scan. */
    scan_mode mode = scan_mode_of_report_descriptor(data + 1, size - 1);
    check(mode == SCAN_MODE_UNKNOWN || mode == SCAN_MODE_HID_POS || mode == SCAN_MODE_WEDGE);
    scan_reject reason = scan_check(data + 1, size - 1, config.code_page, config.max_length, "]Q1",
                                    config.mode, &event);
    if (reason == SCAN_REJECT_NONE && size > 1)
        check_event(&config);
    else if (reason == SCAN_REJECT_NONE)
        check(event.length == 0 && event.data[0] == '\0');
    return 0;
}
