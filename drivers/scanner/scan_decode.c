/* The scan decoder: its state, HID POS reports, and what a HID report
 * descriptor says a scanner is. The keyboard wedge is in scan_wedge.c, the
 * checks of a whole scan in scan_check.c. */
#include "drivers/scanner/scan_decode.h"
#include "drivers/scanner/scan_internal.h"

#include <string.h>

size_t scan_max_length(const scan_decoder *decoder)
{
    size_t max = decoder->config.max_length;
    return max == 0 || max > SCAN_MAX_LENGTH ? SCAN_MAX_LENGTH : max;
}

void scan_decoder_init(scan_decoder *decoder, const scan_config *config)
{
    explicit_bzero(decoder, sizeof *decoder);
    decoder->config = *config;
    if (decoder->config.terminators == 0)
        decoder->config.terminators = SCAN_END_ENTER;
}

/* What may be logged of a scan: at most its first 4 bytes, printable ASCII. */
static void preview(const uint8_t *data, size_t length, char out[5])
{
    size_t n = length < 4 ? length : 4;
    for (size_t i = 0; i < n; i++)
        out[i] = data[i] >= 0x20 && data[i] < 0x7F ? (char)data[i] : '?';
    out[n] = '\0';
}

static void forget_scan(scan_decoder *decoder)
{
    explicit_bzero(decoder->data, decoder->length);
    decoder->length = 0;
    decoder->active = false;
    decoder->finished = false;
    decoder->aim[0] = '\0';
}

void scan_refuse(scan_decoder *decoder, scan_reject reason, size_t length, bool swallow)
{
    decoder->refusal.reason = reason;
    decoder->refusal.length = length;
    preview(decoder->data, decoder->length, decoder->refusal.preview);
    decoder->refused = true;
    decoder->swallowing = swallow;
    forget_scan(decoder);
}

void scan_append(scan_decoder *decoder, uint8_t byte)
{
    if (decoder->length >= scan_max_length(decoder)) {
        scan_refuse(decoder, SCAN_REJECT_TOO_LONG, decoder->length + 1, true);
        return;
    }
    decoder->data[decoder->length++] = byte;
    decoder->active = true;
}

scan_status scan_finish(scan_decoder *decoder, scan_event *event, scan_refusal *refusal)
{
    size_t length = decoder->length;
    if (decoder->config.mode == SCAN_MODE_HID_POS) {
        /* A suffix the scanner may be set to add: CR, LF or CR LF. */
        if (length > 0 && decoder->data[length - 1] == '\n')
            length--;
        if (length > 0 && decoder->data[length - 1] == '\r')
            length--;
    }
    if (length == 0) {
        forget_scan(decoder);
        return SCAN_NONE;
    }
    scan_reject reason =
        scan_check(decoder->data, length, decoder->config.code_page, scan_max_length(decoder),
                   decoder->aim, decoder->config.mode, event);
    if (reason == SCAN_REJECT_NONE) {
        forget_scan(decoder);
        return SCAN_COMPLETE;
    }
    refusal->reason = reason;
    refusal->length = length;
    preview(decoder->data, length, refusal->preview);
    forget_scan(decoder);
    return SCAN_REJECTED;
}

/* HID POS: one Scanned Data Report (layout in scan_decode.h). */
static void hidpos_push(scan_decoder *decoder, const uint8_t *report, size_t length)
{
    if (length == 0 || report[0] != SCAN_HIDPOS_REPORT_ID)
        return; /* another report (trigger, status): not scanned data */
    bool whole = length == SCAN_HIDPOS_REPORT_LENGTH && report[1] <= SCAN_HIDPOS_DATA_MAX;
    bool more = whole && (report[SCAN_HIDPOS_FLAGS_OFFSET] & SCAN_HIDPOS_MORE);
    if (decoder->swallowing) {
        /* The refused scan is over with its last report. */
        if (whole && !more)
            decoder->swallowing = false;
        return;
    }
    if (!whole) {
        scan_refuse(decoder, SCAN_REJECT_REPORT, decoder->length, true);
        return;
    }
    if (!decoder->active) {
        decoder->active = true;
        const uint8_t *aim = report + 2;
        bool named =
            aim[0] == ']' && aim[1] > 0x20 && aim[1] < 0x7F && aim[2] > 0x20 && aim[2] < 0x7F;
        if (named) {
            memcpy(decoder->aim, aim, 3);
            decoder->aim[3] = '\0';
        }
    }
    size_t count = report[1];
    if (decoder->length + count > scan_max_length(decoder)) {
        scan_refuse(decoder, SCAN_REJECT_TOO_LONG, decoder->length + count, more);
        return;
    }
    memcpy(decoder->data + decoder->length, report + SCAN_HIDPOS_DATA_OFFSET, count);
    decoder->length += count;
    if (!more)
        decoder->finished = true;
}

void scan_decoder_push(scan_decoder *decoder, const uint8_t *report, size_t length)
{
    if (decoder->finished) /* an ended scan nobody read */
        forget_scan(decoder);
    if (decoder->config.mode == SCAN_MODE_HID_POS)
        hidpos_push(decoder, report, length);
    else
        scan_wedge_push(decoder, report, length);
}

scan_status scan_decoder_next(scan_decoder *decoder, scan_event *event, scan_refusal *refusal)
{
    if (decoder->refused) {
        *refusal = decoder->refusal;
        explicit_bzero(&decoder->refusal, sizeof decoder->refusal);
        decoder->refused = false;
        return SCAN_REJECTED;
    }
    if (decoder->config.mode == SCAN_MODE_HID_POS) {
        if (!decoder->finished)
            return SCAN_NONE;
        return scan_finish(decoder, event, refusal);
    }
    return scan_wedge_next(decoder, event, refusal);
}

scan_status scan_decoder_idle(scan_decoder *decoder, scan_refusal *refusal)
{
    bool typing = decoder->alt_entry && decoder->alt_digits > 0;
    decoder->alt_entry = false;
    decoder->alt_value = decoder->alt_digits = 0;
    decoder->pending_count = decoder->pending_at = 0;
    if (decoder->swallowing) {
        decoder->swallowing = false;
        return SCAN_NONE;
    }
    if (!decoder->active && !typing)
        return SCAN_NONE;
    scan_refuse(decoder, SCAN_REJECT_INCOMPLETE, decoder->length, false);
    *refusal = decoder->refusal;
    explicit_bzero(&decoder->refusal, sizeof decoder->refusal);
    decoder->refused = false;
    return SCAN_REJECTED;
}

bool scan_decoder_busy(const scan_decoder *decoder)
{
    return decoder->active || decoder->swallowing || decoder->alt_entry;
}

void scan_decoder_reset(scan_decoder *decoder)
{
    scan_config config = decoder->config;
    scan_decoder_init(decoder, &config);
}

/* ------------------------------------------------------------------------ */
/* The report descriptor                                                    */

#define USAGE_PAGE_GENERIC_DESKTOP 0x01
#define USAGE_KEYBOARD             0x06
#define USAGE_PAGE_BAR_CODE        0x8C
#define STACK_DEPTH                4

/* Walks the short items (HID 1.11, 6.2.2): Usage Page is global (pushed and
 * popped), Usage is local (cleared by every main item), and a Collection
 * of type 1 is an application collection named by the usage before it. */
scan_mode scan_mode_of_report_descriptor(const uint8_t *descriptor, size_t length)
{
    uint32_t page = 0, stack[STACK_DEPTH];
    size_t depth = 0;
    uint32_t usage = 0;
    bool have_usage = false, pos = false, keyboard = false;
    size_t at = 0;
    while (at < length) {
        uint8_t prefix = descriptor[at];
        if (prefix == 0xFE) { /* a long item: size, tag, data */
            if (length - at < 3 || descriptor[at + 1] > length - at - 3)
                return SCAN_MODE_UNKNOWN;
            at += 3u + descriptor[at + 1];
            continue;
        }
        size_t size = prefix & 3u;
        if (size == 3)
            size = 4;
        if (size > length - at - 1)
            return SCAN_MODE_UNKNOWN;
        uint32_t value = 0;
        for (size_t i = 0; i < size; i++)
            value |= (uint32_t)descriptor[at + 1 + i] << (8 * i);
        unsigned type = (prefix >> 2) & 3u, tag = prefix >> 4;
        at += 1 + size;
        if (type == 1 && tag == 0x0) { /* Usage Page */
            page = value & 0xFFFFu;
        } else if (type == 1 && tag == 0xA) { /* Push */
            if (depth == STACK_DEPTH)
                return SCAN_MODE_UNKNOWN;
            stack[depth++] = page;
        } else if (type == 1 && tag == 0xB) { /* Pop */
            if (depth == 0)
                return SCAN_MODE_UNKNOWN;
            page = stack[--depth];
        } else if (type == 2 && tag == 0x0) { /* Usage: page and id when 4 bytes */
            if (!have_usage)
                usage = size == 4 ? value : (page << 16) | (value & 0xFFFFu);
            have_usage = true;
        } else if (type == 0) {                           /* a main item */
            if (tag == 0xA && value == 1 && have_usage) { /* an application collection */
                uint32_t usage_page = usage >> 16, id = usage & 0xFFFFu;
                if (usage_page == USAGE_PAGE_BAR_CODE)
                    pos = true;
                else if (usage_page == USAGE_PAGE_GENERIC_DESKTOP && id == USAGE_KEYBOARD)
                    keyboard = true;
            }
            have_usage = false;
        }
    }
    return pos ? SCAN_MODE_HID_POS : keyboard ? SCAN_MODE_WEDGE : SCAN_MODE_UNKNOWN;
}
