/* Frames of the ID card reader protocol: status bytes, building requests and
 * answers, and finding frames in a byte stream that may hold noise, torn
 * frames or several frames at once (a serial line or USB bulk pipe gives no
 * message boundaries). */
#include "drivers/idcard/protocol.h"

#include <stdio.h>
#include <string.h>

static const uint8_t preamble[IDCARD_PREAMBLE_LENGTH] = {0xAA, 0xAA, 0xAA, 0x96, 0x69};

idcard_status_class idcard_status_classify(uint8_t sw3)
{
    switch (sw3) {
    case IDCARD_SW_OK:
    case IDCARD_SW_CARD_FOUND:
        return IDCARD_STATUS_OK;
    case IDCARD_SW_FIND_FAILED:
        return IDCARD_STATUS_NO_CARD;
    case IDCARD_SW_SELECT_FAILED:
    case IDCARD_SW_READ_FAILED:
        return IDCARD_STATUS_CARD_MOVED;
    case IDCARD_SW_CARD_AUTH:
    case IDCARD_SW_SAM_AUTH:
    case IDCARD_SW_VERIFY:
    case IDCARD_SW_CARD_TYPE:
    case IDCARD_SW_NO_CONTENT:
        return IDCARD_STATUS_BAD_CARD;
    case IDCARD_SW_CHECKSUM:
    case IDCARD_SW_LENGTH:
    case IDCARD_SW_COMMAND:
        return IDCARD_STATUS_LINK;
    default:
        /* 23, 24, 47, 60, 66, and codes no reader should send: a reader that
         * says something we do not know is one staff should look at. */
        return IDCARD_STATUS_READER;
    }
}

const char *idcard_status_name(uint8_t sw3, char *buffer, size_t size)
{
    switch (sw3) {
    case IDCARD_SW_OK:
        return "ok";
    case IDCARD_SW_CARD_FOUND:
        return "card-found";
    case IDCARD_SW_CHECKSUM:
        return "checksum";
    case IDCARD_SW_LENGTH:
        return "length";
    case IDCARD_SW_COMMAND:
        return "command";
    case IDCARD_SW_UNAUTHORISED:
        return "unauthorised";
    case IDCARD_SW_UNKNOWN_ERROR:
        return "unknown-error";
    case IDCARD_SW_CARD_AUTH:
        return "card-auth";
    case IDCARD_SW_SAM_AUTH:
        return "sam-auth";
    case IDCARD_SW_VERIFY:
        return "verify";
    case IDCARD_SW_CARD_TYPE:
        return "card-type";
    case IDCARD_SW_READ_FAILED:
        return "read-failed";
    case IDCARD_SW_RANDOM:
        return "random";
    case IDCARD_SW_SAM_SELF_TEST:
        return "sam-self-test";
    case IDCARD_SW_SAM_NOT_AUTHORISED:
        return "sam-not-authorised";
    case IDCARD_SW_FIND_FAILED:
        return "find-failed";
    case IDCARD_SW_SELECT_FAILED:
        return "select-failed";
    case IDCARD_SW_NO_CONTENT:
        return "no-content";
    }
    /* "0x5a" needs 5 bytes; a caller that broke the 8-byte promise still gets
     * a name rather than a truncated one. */
    if (!buffer || size < 5)
        return "unknown";
    snprintf(buffer, size, "0x%02x", sw3);
    return buffer;
}

/* Writes preamble, length and checksum around a body of head_length bytes
 * (command and parameter, or SW1-SW3) followed by data. */
static size_t frame_build(const uint8_t *head, size_t head_length, const uint8_t *data,
                          size_t data_length, uint8_t *out, size_t capacity)
{
    if (data_length > IDCARD_MAX_LENGTH_FIELD - head_length - 1 || (data_length && !data))
        return 0;
    size_t length_field = head_length + data_length + 1;
    size_t total = IDCARD_HEADER_LENGTH + length_field;
    if (!out || total > capacity)
        return 0;
    memcpy(out, preamble, sizeof preamble);
    out[5] = (uint8_t)(length_field >> 8);
    out[6] = (uint8_t)(length_field & 0xFF);
    memcpy(out + IDCARD_HEADER_LENGTH, head, head_length);
    if (data_length)
        memcpy(out + IDCARD_HEADER_LENGTH + head_length, data, data_length);
    uint8_t checksum = 0;
    for (size_t i = 5; i < total - 1; i++)
        checksum ^= out[i];
    out[total - 1] = checksum;
    return total;
}

size_t idcard_request_build(uint8_t command, uint8_t parameter, const uint8_t *data,
                            size_t data_length, uint8_t *out, size_t capacity)
{
    const uint8_t head[2] = {command, parameter};
    return frame_build(head, sizeof head, data, data_length, out, capacity);
}

size_t idcard_answer_build(uint8_t sw3, const uint8_t *data, size_t data_length, uint8_t *out,
                           size_t capacity)
{
    const uint8_t head[3] = {0x00, 0x00, sw3};
    return frame_build(head, sizeof head, data, data_length, out, capacity);
}

/* Where the next preamble starts, or where a partial preamble at the very end
 * starts (*partial set), or length when there is neither. A partial preamble
 * must be kept: the rest of it may be in the next read. */
static size_t find_preamble(const uint8_t *buffer, size_t length, bool *partial)
{
    *partial = false;
    for (size_t start = 0; start < length; start++) {
        size_t available = length - start;
        size_t compare = available < sizeof preamble ? available : sizeof preamble;
        if (memcmp(buffer + start, preamble, compare) == 0) {
            *partial = compare < sizeof preamble;
            return start;
        }
    }
    return length;
}

idcard_scan idcard_frame_scan(const uint8_t *buffer, size_t length, idcard_frame *frame,
                              size_t *consumed)
{
    *consumed = 0;
    if (frame) {
        frame->body = NULL;
        frame->body_length = 0;
    }
    if (!buffer)
        return IDCARD_SCAN_NEED_MORE;

    bool partial;
    size_t start = find_preamble(buffer, length, &partial);
    *consumed = start; /* all garbage, whatever follows */
    if (partial || length - start < IDCARD_HEADER_LENGTH)
        return IDCARD_SCAN_NEED_MORE;

    const uint8_t *header = buffer + start;
    size_t length_field = (size_t)header[5] << 8 | header[6];
    if (length_field < 2 || length_field > IDCARD_MAX_LENGTH_FIELD) {
        /* The preamble cannot overlap itself (AA AA AA 96 69 has no suffix that
         * is also its prefix), so no real frame starts inside it: skipping it
         * is the least that resynchronises, and keeps a real frame that starts
         * in what we took for the length. */
        *consumed = start + IDCARD_PREAMBLE_LENGTH;
        return IDCARD_SCAN_BAD_LENGTH;
    }
    if (length - start < IDCARD_HEADER_LENGTH + length_field)
        return IDCARD_SCAN_NEED_MORE;

    const uint8_t *body = header + IDCARD_HEADER_LENGTH;
    size_t body_length = length_field - 1;
    uint8_t checksum = header[5] ^ header[6];
    for (size_t i = 0; i < body_length; i++)
        checksum ^= body[i];
    if (checksum != body[body_length]) {
        /* A torn frame followed by a whole one looks like one long bad frame:
         * dropping only the preamble lets the next scan find the whole one. */
        *consumed = start + IDCARD_PREAMBLE_LENGTH;
        return IDCARD_SCAN_BAD_CHECKSUM;
    }
    *consumed = start + IDCARD_HEADER_LENGTH + length_field;
    if (frame) {
        frame->body = body;
        frame->body_length = body_length;
    }
    return IDCARD_SCAN_FRAME;
}

/* Whether a whole frame with a right checksum starts at buffer, which holds
 * at least the shortest frame. */
static bool good_frame_at(const uint8_t *buffer, size_t length)
{
    if (memcmp(buffer, preamble, sizeof preamble) != 0)
        return false;
    size_t length_field = (size_t)buffer[5] << 8 | buffer[6];
    if (length_field < 2 || length_field > IDCARD_MAX_LENGTH_FIELD ||
        length - IDCARD_HEADER_LENGTH < length_field)
        return false;
    uint8_t checksum = 0;
    for (size_t i = 5; i < IDCARD_HEADER_LENGTH + length_field - 1; i++)
        checksum ^= buffer[i];
    return checksum == buffer[IDCARD_HEADER_LENGTH + length_field - 1];
}

size_t idcard_frame_resync(const uint8_t *buffer, size_t length)
{
    if (!buffer)
        return 0;
    bool partial;
    size_t first = find_preamble(buffer, length, &partial);
    /* With no whole first preamble, first + 5 is past the end: no loop. The
     * shortest frame is its header, one body byte and the checksum. */
    for (size_t at = first + IDCARD_PREAMBLE_LENGTH; at + IDCARD_HEADER_LENGTH + 2 <= length;
         at++) {
        if (good_frame_at(buffer + at, length - at))
            return at;
    }
    return 0;
}
