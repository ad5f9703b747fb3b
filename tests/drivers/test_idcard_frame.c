#include "../support/test_support.h"

#include "drivers/idcard/protocol.h"

#include <string.h>

/* Frames worked out by hand: checksum = XOR of the length bytes and body. */
static const uint8_t find_card_request[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69,
                                            0x00, 0x03, 0x20, 0x01, 0x22};
static const uint8_t card_found_answer[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00,
                                            0x04, 0x00, 0x00, 0x9F, 0x9B};
static const uint8_t no_card_answer[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00,
                                         0x04, 0x00, 0x00, 0x80, 0x84};

static void test_requests_are_byte_exact(void **state)
{
    (void)state;
    uint8_t out[32];
    assert_int_equal(idcard_request_build(IDCARD_CMD_FIND_CARD, NULL, 0, out, sizeof out), 10);
    assert_memory_equal(out, find_card_request, sizeof find_card_request);

    /* 00 ^ 03 ^ 11 ^ FF = ED */
    static const uint8_t sam_status[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69,
                                         0x00, 0x03, 0x11, 0xFF, 0xED};
    assert_int_equal(idcard_request_build(IDCARD_CMD_SAM_STATUS, NULL, 0, out, sizeof out), 10);
    assert_memory_equal(out, sam_status, sizeof sam_status);

    /* 00 ^ 03 ^ 20 ^ 02 = 21 */
    static const uint8_t select[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x02, 0x21};
    assert_int_equal(idcard_request_build(IDCARD_CMD_SELECT_CARD, NULL, 0, out, sizeof out), 10);
    assert_memory_equal(out, select, sizeof select);

    /* 00 ^ 03 ^ 30 ^ 01 = 32 */
    static const uint8_t read[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x30, 0x01, 0x32};
    assert_int_equal(idcard_request_build(IDCARD_CMD_READ_TEXT_PHOTO, NULL, 0, out, sizeof out),
                     10);
    assert_memory_equal(out, read, sizeof read);

    /* With data: 00 ^ 05 ^ 20 ^ 01 ^ 01 ^ 02 = 27 */
    static const uint8_t data[] = {0x01, 0x02};
    static const uint8_t with_data[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00,
                                        0x05, 0x20, 0x01, 0x01, 0x02, 0x27};
    assert_int_equal(idcard_request_build(0x20, 0x01, data, sizeof data, out, sizeof out), 12);
    assert_memory_equal(out, with_data, sizeof with_data);
}

static void test_answers_are_byte_exact(void **state)
{
    (void)state;
    uint8_t out[32];
    assert_int_equal(idcard_answer_build(IDCARD_SW_CARD_FOUND, NULL, 0, out, sizeof out), 11);
    assert_memory_equal(out, card_found_answer, sizeof card_found_answer);
    assert_int_equal(idcard_answer_build(IDCARD_SW_FIND_FAILED, NULL, 0, out, sizeof out), 11);
    assert_memory_equal(out, no_card_answer, sizeof no_card_answer);

    /* 00 ^ 06 ^ 00 ^ 00 ^ 90 ^ 12 ^ 34 = B0 */
    static const uint8_t data[] = {0x12, 0x34};
    static const uint8_t with_data[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x06,
                                        0x00, 0x00, 0x90, 0x12, 0x34, 0xB0};
    assert_int_equal(idcard_answer_build(IDCARD_SW_OK, data, sizeof data, out, sizeof out), 13);
    assert_memory_equal(out, with_data, sizeof with_data);
}

static void test_building_refuses_what_does_not_fit(void **state)
{
    (void)state;
    static uint8_t data[IDCARD_MAX_LENGTH_FIELD];
    static uint8_t out[IDCARD_FRAME_MAX + 16];
    uint8_t small[9];
    assert_int_equal(idcard_request_build(IDCARD_CMD_FIND_CARD, NULL, 0, small, sizeof small), 0);
    assert_int_equal(idcard_answer_build(IDCARD_SW_OK, NULL, 0, small, sizeof small), 0);
    assert_int_equal(idcard_request_build(0x20, 0x01, NULL, 1, out, sizeof out), 0);

    /* The largest length field, 4096, and one more. */
    size_t request_max = IDCARD_MAX_LENGTH_FIELD - 3;
    assert_int_equal(idcard_request_build(0x30, 0x01, data, request_max, out, sizeof out),
                     IDCARD_FRAME_MAX);
    assert_int_equal(out[5], 0x10);
    assert_int_equal(out[6], 0x00);
    assert_int_equal(idcard_request_build(0x30, 0x01, data, request_max + 1, out, sizeof out), 0);
    assert_int_equal(idcard_request_build(0x30, 0x01, data, request_max, out, IDCARD_FRAME_MAX - 1),
                     0);
    size_t answer_max = IDCARD_MAX_LENGTH_FIELD - 4;
    assert_int_equal(idcard_answer_build(IDCARD_SW_OK, data, answer_max, out, sizeof out),
                     IDCARD_FRAME_MAX);
    assert_int_equal(idcard_answer_build(IDCARD_SW_OK, data, answer_max + 1, out, sizeof out), 0);
}

static void test_every_status_byte_has_its_class(void **state)
{
    (void)state;
    static const struct {
        uint8_t sw3;
        idcard_status_class expected;
        const char *name;
    } known[] = {
        {0x90, IDCARD_STATUS_OK, "ok"},
        {0x9F, IDCARD_STATUS_OK, "card-found"},
        {0x10, IDCARD_STATUS_LINK, "checksum"},
        {0x11, IDCARD_STATUS_LINK, "length"},
        {0x21, IDCARD_STATUS_LINK, "command"},
        {0x23, IDCARD_STATUS_READER, "unauthorised"},
        {0x24, IDCARD_STATUS_READER, "unknown-error"},
        {0x31, IDCARD_STATUS_BAD_CARD, "card-auth"},
        {0x32, IDCARD_STATUS_BAD_CARD, "sam-auth"},
        {0x33, IDCARD_STATUS_BAD_CARD, "verify"},
        {0x40, IDCARD_STATUS_BAD_CARD, "card-type"},
        {0x41, IDCARD_STATUS_CARD_MOVED, "read-failed"},
        {0x47, IDCARD_STATUS_READER, "random"},
        {0x60, IDCARD_STATUS_READER, "sam-self-test"},
        {0x66, IDCARD_STATUS_READER, "sam-not-authorised"},
        {0x80, IDCARD_STATUS_NO_CARD, "find-failed"},
        {0x81, IDCARD_STATUS_CARD_MOVED, "select-failed"},
        {0x91, IDCARD_STATUS_BAD_CARD, "no-content"},
    };
    char buffer[8];
    for (int sw3 = 0; sw3 < 256; sw3++) {
        idcard_status_class expected = IDCARD_STATUS_READER;
        const char *name = NULL;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
            if (known[i].sw3 == sw3) {
                expected = known[i].expected;
                name = known[i].name;
            }
        }
        assert_int_equal(idcard_status_classify((uint8_t)sw3), expected);
        if (name)
            assert_string_equal(idcard_status_name((uint8_t)sw3, buffer, sizeof buffer), name);
    }
}

static void test_unknown_status_names_show_the_code(void **state)
{
    (void)state;
    char buffer[8];
    assert_string_equal(idcard_status_name(0x5A, buffer, sizeof buffer), "0x5a");
    assert_string_equal(idcard_status_name(0x00, buffer, sizeof buffer), "0x00");
    assert_string_equal(idcard_status_name(0xFF, buffer, sizeof buffer), "0xff");
    assert_string_equal(idcard_status_name(0x5A, NULL, 0), "unknown");
    /* Five bytes hold "0x5a" and its NUL; four do not; no buffer, none. */
    char five[5];
    assert_string_equal(idcard_status_name(0x5A, five, sizeof five), "0x5a");
    assert_string_equal(idcard_status_name(0x5A, five, 4), "unknown");
    assert_string_equal(idcard_status_name(0x5A, NULL, sizeof buffer), "unknown");
    assert_string_equal(idcard_status_name(0x80, NULL, 0), "find-failed");
}

static void test_a_whole_frame_is_found(void **state)
{
    (void)state;
    idcard_frame frame;
    size_t consumed = 99;
    assert_int_equal(
        idcard_frame_scan(card_found_answer, sizeof card_found_answer, &frame, &consumed),
        IDCARD_SCAN_FRAME);
    assert_int_equal(consumed, sizeof card_found_answer);
    assert_ptr_equal(frame.body, card_found_answer + 7);
    assert_int_equal(frame.body_length, 3);
    assert_int_equal(frame.body[2], IDCARD_SW_CARD_FOUND);

    /* The shortest a length field may be: one body byte and the checksum. */
    static const uint8_t shortest[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x02, 0x42, 0x40};
    assert_int_equal(idcard_frame_scan(shortest, sizeof shortest, &frame, &consumed),
                     IDCARD_SCAN_FRAME);
    assert_int_equal(consumed, sizeof shortest);
    assert_int_equal(frame.body_length, 1);
    assert_int_equal(frame.body[0], 0x42);
}

static void test_the_largest_frame_is_found(void **state)
{
    (void)state;
    static uint8_t data[IDCARD_MAX_LENGTH_FIELD - 4];
    static uint8_t out[IDCARD_FRAME_MAX];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7);
    size_t length = idcard_answer_build(IDCARD_SW_OK, data, sizeof data, out, sizeof out);
    assert_int_equal(length, IDCARD_FRAME_MAX);
    idcard_frame frame;
    size_t consumed;
    assert_int_equal(idcard_frame_scan(out, length, &frame, &consumed), IDCARD_SCAN_FRAME);
    assert_int_equal(consumed, length);
    assert_int_equal(frame.body_length, IDCARD_MAX_LENGTH_FIELD - 1);
    assert_memory_equal(frame.body + 3, data, sizeof data);
}

static void test_every_truncation_needs_more(void **state)
{
    (void)state;
    uint8_t answer[64];
    static const uint8_t data[] = {1, 2, 3, 4, 5, 6, 7, 8};
    size_t length = idcard_answer_build(IDCARD_SW_OK, data, sizeof data, answer, sizeof answer);
    for (size_t prefix = 0; prefix < length; prefix++) {
        idcard_frame frame = {.body = answer, .body_length = 99};
        size_t consumed = 99;
        assert_int_equal(idcard_frame_scan(answer, prefix, &frame, &consumed),
                         IDCARD_SCAN_NEED_MORE);
        assert_int_equal(consumed, 0);
        assert_null(frame.body);
        assert_int_equal(frame.body_length, 0);
    }
    idcard_frame frame;
    size_t consumed;
    assert_int_equal(idcard_frame_scan(answer, length, &frame, &consumed), IDCARD_SCAN_FRAME);
}

static void test_length_fields_out_of_range_are_refused(void **state)
{
    (void)state;
    static const uint16_t bad[] = {0, 1, IDCARD_MAX_LENGTH_FIELD + 1, 0xFFFF};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t buffer[16] = {0xAA,           0xAA, 0xAA, 0x96, 0x69, (uint8_t)(bad[i] >> 8),
                              (uint8_t)bad[i]};
        idcard_frame frame;
        size_t consumed;
        assert_int_equal(idcard_frame_scan(buffer, sizeof buffer, &frame, &consumed),
                         IDCARD_SCAN_BAD_LENGTH);
        /* Just the preamble: a real frame may start at the length bytes. */
        assert_int_equal(consumed, IDCARD_PREAMBLE_LENGTH);
        /* The length bytes are enough to refuse; no body is waited for. */
        assert_int_equal(idcard_frame_scan(buffer, IDCARD_HEADER_LENGTH, &frame, &consumed),
                         IDCARD_SCAN_BAD_LENGTH);
    }
    /* The largest allowed is waited for, not refused. */
    static const uint8_t largest[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x10, 0x00, 0x01};
    idcard_frame frame;
    size_t consumed;
    assert_int_equal(idcard_frame_scan(largest, sizeof largest, &frame, &consumed),
                     IDCARD_SCAN_NEED_MORE);
    assert_int_equal(consumed, 0);
}

/* A stream as a driver keeps one: bytes read, scanned, and dropped as
 * consumed. */
typedef struct stream {
    uint8_t bytes[2 * IDCARD_FRAME_MAX];
    size_t length;
    uint8_t body[IDCARD_FRAME_MAX]; /* the last frame's body, copied */
    size_t body_length;
} stream;

static void stream_feed(stream *s, const uint8_t *bytes, size_t length)
{
    assert_true(s->length + length <= sizeof s->bytes);
    memcpy(s->bytes + s->length, bytes, length);
    s->length += length;
}

static idcard_scan stream_scan(stream *s)
{
    idcard_frame frame;
    size_t consumed;
    idcard_scan result = idcard_frame_scan(s->bytes, s->length, &frame, &consumed);
    assert_true(consumed <= s->length);
    if (result == IDCARD_SCAN_FRAME) {
        memcpy(s->body, frame.body, frame.body_length);
        s->body_length = frame.body_length;
    } else if (result != IDCARD_SCAN_NEED_MORE) {
        assert_true(consumed > 0); /* a bad frame must not be found again */
    }
    memmove(s->bytes, s->bytes + consumed, s->length - consumed);
    s->length -= consumed;
    return result;
}

static void test_wrong_checksum_is_reported_once(void **state)
{
    (void)state;
    static stream s;
    s.length = 0;
    uint8_t broken[sizeof card_found_answer];
    memcpy(broken, card_found_answer, sizeof broken);
    broken[sizeof broken - 1] ^= 0x01;
    stream_feed(&s, broken, sizeof broken);
    assert_int_equal(stream_scan(&s), IDCARD_SCAN_BAD_CHECKSUM);
    assert_int_equal(s.length, sizeof broken - IDCARD_PREAMBLE_LENGTH);
    /* What is left is garbage, dropped; no second report. */
    assert_int_equal(stream_scan(&s), IDCARD_SCAN_NEED_MORE);
    assert_int_equal(s.length, 0);

    /* A damaged body byte is caught the same way. */
    memcpy(broken, card_found_answer, sizeof broken);
    broken[9] = IDCARD_SW_OK;
    stream_feed(&s, broken, sizeof broken);
    stream_feed(&s, no_card_answer, sizeof no_card_answer);
    assert_int_equal(stream_scan(&s), IDCARD_SCAN_BAD_CHECKSUM);
    assert_int_equal(stream_scan(&s), IDCARD_SCAN_FRAME);
    assert_int_equal(s.body[2], IDCARD_SW_FIND_FAILED);
    assert_int_equal(s.length, 0);
}

static void test_garbage_before_and_between_frames_is_skipped(void **state)
{
    (void)state;
    static stream s;
    s.length = 0;
    /* Noise that starts like a preamble and is not one. */
    static const uint8_t noise[] = {0x00, 0xAA, 0xAA, 0x13, 0xAA, 0xAA, 0xAA, 0x96, 0x00, 0xFF};
    stream_feed(&s, noise, sizeof noise);
    stream_feed(&s, card_found_answer, sizeof card_found_answer);
    stream_feed(&s, noise, sizeof noise);
    stream_feed(&s, no_card_answer, sizeof no_card_answer);
    stream_feed(&s, noise, sizeof noise);

    idcard_frame frame;
    size_t consumed;
    assert_int_equal(idcard_frame_scan(s.bytes, s.length, &frame, &consumed), IDCARD_SCAN_FRAME);
    assert_int_equal(consumed, sizeof noise + sizeof card_found_answer);
    assert_ptr_equal(frame.body, s.bytes + sizeof noise + 7);

    assert_int_equal(stream_scan(&s), IDCARD_SCAN_FRAME);
    assert_int_equal(s.body[2], IDCARD_SW_CARD_FOUND);
    assert_int_equal(stream_scan(&s), IDCARD_SCAN_FRAME);
    assert_int_equal(s.body[2], IDCARD_SW_FIND_FAILED);
    assert_int_equal(stream_scan(&s), IDCARD_SCAN_NEED_MORE);
    assert_int_equal(s.length, 0); /* trailing noise dropped */
}

static void test_a_partial_preamble_at_the_end_is_kept(void **state)
{
    (void)state;
    for (size_t kept = 1; kept < IDCARD_PREAMBLE_LENGTH; kept++) {
        uint8_t buffer[16] = {0x01, 0x02, 0x03};
        memcpy(buffer + 3, find_card_request, kept);
        idcard_frame frame;
        size_t consumed;
        assert_int_equal(idcard_frame_scan(buffer, 3 + kept, &frame, &consumed),
                         IDCARD_SCAN_NEED_MORE);
        assert_int_equal(consumed, 3);
    }
    /* Not a preamble prefix: all garbage. */
    static const uint8_t not_prefix[] = {0x01, 0xAA, 0xAA, 0x96};
    idcard_frame frame;
    size_t consumed;
    assert_int_equal(idcard_frame_scan(not_prefix, sizeof not_prefix, &frame, &consumed),
                     IDCARD_SCAN_NEED_MORE);
    assert_int_equal(consumed, sizeof not_prefix); /* AA AA 96 cannot begin one */
    assert_int_equal(idcard_frame_scan(NULL, 0, &frame, &consumed), IDCARD_SCAN_NEED_MORE);
    assert_int_equal(consumed, 0);
}

static void test_two_frames_in_one_buffer(void **state)
{
    (void)state;
    uint8_t buffer[sizeof find_card_request + sizeof card_found_answer];
    memcpy(buffer, find_card_request, sizeof find_card_request);
    memcpy(buffer + sizeof find_card_request, card_found_answer, sizeof card_found_answer);
    idcard_frame frame;
    size_t consumed;
    assert_int_equal(idcard_frame_scan(buffer, sizeof buffer, &frame, &consumed),
                     IDCARD_SCAN_FRAME);
    assert_int_equal(consumed, sizeof find_card_request);
    assert_int_equal(frame.body[0], 0x20);
    size_t offset = consumed;
    assert_int_equal(idcard_frame_scan(buffer + offset, sizeof buffer - offset, &frame, &consumed),
                     IDCARD_SCAN_FRAME);
    assert_int_equal(consumed, sizeof card_found_answer);
    assert_int_equal(frame.body[2], IDCARD_SW_CARD_FOUND);
}

static void test_a_bad_length_then_a_good_frame(void **state)
{
    (void)state;
    static stream s;
    s.length = 0;
    /* A stray preamble whose "length" is the start of a real frame. */
    static const uint8_t stray[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69};
    stream_feed(&s, stray, sizeof stray);
    stream_feed(&s, card_found_answer, sizeof card_found_answer);
    assert_int_equal(stream_scan(&s), IDCARD_SCAN_BAD_LENGTH);
    assert_int_equal(stream_scan(&s), IDCARD_SCAN_FRAME);
    assert_int_equal(s.body[2], IDCARD_SW_CARD_FOUND);

    /* An under-short length field followed by a good frame. */
    static const uint8_t short_length[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x01, 0x00};
    stream_feed(&s, short_length, sizeof short_length);
    stream_feed(&s, no_card_answer, sizeof no_card_answer);
    assert_int_equal(stream_scan(&s), IDCARD_SCAN_BAD_LENGTH);
    assert_int_equal(stream_scan(&s), IDCARD_SCAN_FRAME);
    assert_int_equal(s.body[2], IDCARD_SW_FIND_FAILED);
    assert_int_equal(s.length, 0);
}

static void test_a_torn_frame_then_good_frames(void **state)
{
    (void)state;
    static stream s;
    s.length = 0;
    /* The reader reset after three body bytes of a 16-byte frame; its next
     * answers fill the rest of what the torn one claimed. */
    static const uint8_t torn[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x10, 0x00, 0x00, 0x90};
    stream_feed(&s, torn, sizeof torn);
    stream_feed(&s, card_found_answer, sizeof card_found_answer);
    assert_int_equal(stream_scan(&s), IDCARD_SCAN_NEED_MORE);
    stream_feed(&s, no_card_answer, sizeof no_card_answer);
    assert_int_equal(stream_scan(&s), IDCARD_SCAN_BAD_CHECKSUM);
    assert_int_equal(stream_scan(&s), IDCARD_SCAN_FRAME);
    assert_int_equal(s.body[2], IDCARD_SW_CARD_FOUND);
    assert_int_equal(stream_scan(&s), IDCARD_SCAN_FRAME);
    assert_int_equal(s.body[2], IDCARD_SW_FIND_FAILED);
}

static void test_a_preamble_split_across_reads(void **state)
{
    (void)state;
    static stream s;
    s.length = 0;
    static const uint8_t first[] = {0x55, 0x00, 0xAA, 0xAA};
    stream_feed(&s, first, sizeof first);
    assert_int_equal(stream_scan(&s), IDCARD_SCAN_NEED_MORE);
    assert_int_equal(s.length, 2);             /* the garbage went, AA AA stayed */
    stream_feed(&s, card_found_answer + 2, 3); /* AA 96 69 */
    assert_int_equal(stream_scan(&s), IDCARD_SCAN_NEED_MORE);
    assert_int_equal(s.length, 5);
    stream_feed(&s, card_found_answer + 5, sizeof card_found_answer - 5);
    assert_int_equal(stream_scan(&s), IDCARD_SCAN_FRAME);
    assert_int_equal(s.body[2], IDCARD_SW_CARD_FOUND);
    assert_int_equal(s.length, 0);
}

static void test_one_byte_at_a_time(void **state)
{
    (void)state;
    static stream s;
    s.length = 0;
    uint8_t input[64];
    size_t length = 0;
    input[length++] = 0xAA; /* a lone AA before the first frame */
    memcpy(input + length, card_found_answer, sizeof card_found_answer);
    length += sizeof card_found_answer;
    memcpy(input + length, no_card_answer, sizeof no_card_answer);
    length += sizeof no_card_answer;

    uint8_t seen[4];
    size_t frames = 0;
    for (size_t i = 0; i < length; i++) {
        stream_feed(&s, input + i, 1);
        idcard_scan result = stream_scan(&s);
        assert_true(result == IDCARD_SCAN_NEED_MORE || result == IDCARD_SCAN_FRAME);
        if (result == IDCARD_SCAN_FRAME) {
            assert_true(frames < sizeof seen);
            seen[frames++] = s.body[2];
        }
    }
    assert_int_equal(frames, 2);
    assert_int_equal(seen[0], IDCARD_SW_CARD_FOUND);
    assert_int_equal(seen[1], IDCARD_SW_FIND_FAILED);
}

/* A false preamble: a preamble and a length of 64 that nothing will fill. */
static const uint8_t false_start[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x40};

static void test_a_good_frame_after_a_false_preamble_is_found_at_once(void **state)
{
    (void)state;
    uint8_t buffer[64];
    static const uint8_t noise[] = {0x13, 0x00, 0xAA};
    memcpy(buffer, noise, sizeof noise);
    memcpy(buffer + 3, false_start, sizeof false_start);
    memcpy(buffer + 10, card_found_answer, sizeof card_found_answer);
    size_t length = 10 + sizeof card_found_answer;
    /* The scan alone waits for the 64 bytes the false length claims. */
    idcard_frame frame;
    size_t consumed;
    assert_int_equal(idcard_frame_scan(buffer, length, &frame, &consumed), IDCARD_SCAN_NEED_MORE);
    assert_int_equal(consumed, 3);
    /* Resync points at the good frame, counted from the buffer's start. */
    assert_int_equal(idcard_frame_resync(buffer, length), 10);
    assert_int_equal(idcard_frame_scan(buffer + 10, length - 10, &frame, &consumed),
                     IDCARD_SCAN_FRAME);
    assert_int_equal(frame.body[2], IDCARD_SW_CARD_FOUND);
    /* A preamble right after the first, with nothing between them. */
    memcpy(buffer, card_found_answer, 5);
    memcpy(buffer + 5, card_found_answer, sizeof card_found_answer);
    assert_int_equal(idcard_frame_resync(buffer, 5 + sizeof card_found_answer), 5);
    /* The shortest frame, and one that ends exactly at the buffer's end. */
    static const uint8_t shortest[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x02, 0x42, 0x40};
    memcpy(buffer, false_start, sizeof false_start);
    memcpy(buffer + 7, shortest, sizeof shortest);
    assert_int_equal(idcard_frame_resync(buffer, 7 + sizeof shortest), 7);
    /* A long answer (its length's high byte set, in the checksum too). */
    static uint8_t data[300];
    static uint8_t stream[7 + IDCARD_FRAME_MAX];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 3);
    memcpy(stream, false_start, sizeof false_start);
    size_t built =
        idcard_answer_build(IDCARD_SW_OK, data, sizeof data, stream + 7, sizeof stream - 7);
    assert_int_equal(built, IDCARD_HEADER_LENGTH + 3 + sizeof data + 1);
    assert_int_equal(idcard_frame_resync(stream, 7 + built), 7);
    assert_int_equal(idcard_frame_resync(stream, 7 + built - 1), 0);
    /* The largest frame there is. */
    static uint8_t most[IDCARD_MAX_LENGTH_FIELD - 4];
    built = idcard_answer_build(IDCARD_SW_OK, most, sizeof most, stream + 7, sizeof stream - 7);
    assert_int_equal(built, IDCARD_FRAME_MAX);
    assert_int_equal(idcard_frame_resync(stream, 7 + built), 7);
}

static void test_resync_finds_nothing_that_is_not_a_whole_good_frame(void **state)
{
    (void)state;
    uint8_t buffer[64];
    memcpy(buffer, false_start, sizeof false_start);
    memcpy(buffer + 7, card_found_answer, sizeof card_found_answer);
    size_t length = 7 + sizeof card_found_answer;
    /* Every cut of the good frame: not whole yet, nothing to skip to. */
    for (size_t cut = 7; cut < length; cut++)
        assert_int_equal(idcard_frame_resync(buffer, cut), 0);
    /* A wrong checksum. */
    buffer[length - 1] ^= 0x01;
    assert_int_equal(idcard_frame_resync(buffer, length), 0);
    buffer[length - 1] ^= 0x01;
    /* Length fields out of range, at the later preamble. */
    static const uint16_t bad[] = {0, 1, IDCARD_MAX_LENGTH_FIELD + 1};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t copy[64];
        memcpy(copy, buffer, length);
        copy[12] = (uint8_t)(bad[i] >> 8);
        copy[13] = (uint8_t)bad[i];
        assert_int_equal(idcard_frame_resync(copy, length), 0);
    }
    /* Almost a preamble: 96 68 is not 96 69. */
    buffer[11] = 0x68;
    assert_int_equal(idcard_frame_resync(buffer, length), 0);
    buffer[11] = 0x69;
    /* The first frame itself is no later frame: a good one alone gives 0. */
    assert_int_equal(idcard_frame_resync(card_found_answer, sizeof card_found_answer), 0);
    /* No preamble, a partial one, or no buffer: nothing. */
    static const uint8_t noise[] = {0x01, 0x02, 0xAA, 0xAA};
    assert_int_equal(idcard_frame_resync(noise, sizeof noise), 0);
    assert_int_equal(idcard_frame_resync(NULL, 10), 0);
    assert_int_equal(idcard_frame_resync(buffer, 0), 0);
    assert_int_equal(idcard_frame_resync(buffer, length), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_requests_are_byte_exact),
        cmocka_unit_test(test_answers_are_byte_exact),
        cmocka_unit_test(test_building_refuses_what_does_not_fit),
        cmocka_unit_test(test_every_status_byte_has_its_class),
        cmocka_unit_test(test_unknown_status_names_show_the_code),
        cmocka_unit_test(test_a_whole_frame_is_found),
        cmocka_unit_test(test_the_largest_frame_is_found),
        cmocka_unit_test(test_every_truncation_needs_more),
        cmocka_unit_test(test_length_fields_out_of_range_are_refused),
        cmocka_unit_test(test_wrong_checksum_is_reported_once),
        cmocka_unit_test(test_garbage_before_and_between_frames_is_skipped),
        cmocka_unit_test(test_a_partial_preamble_at_the_end_is_kept),
        cmocka_unit_test(test_two_frames_in_one_buffer),
        cmocka_unit_test(test_a_bad_length_then_a_good_frame),
        cmocka_unit_test(test_a_torn_frame_then_good_frames),
        cmocka_unit_test(test_a_preamble_split_across_reads),
        cmocka_unit_test(test_one_byte_at_a_time),
        cmocka_unit_test(test_a_good_frame_after_a_false_preamble_is_found_at_once),
        cmocka_unit_test(test_resync_finds_nothing_that_is_not_a_whole_good_frame),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
