/* Fuzzes idcard_frame_scan as a driver uses it: a stream scanned and consumed
 * frame by frame, once whole and once fed in small reads. Both must see the
 * same frames, every call must stay inside the buffer and make progress, and
 * every frame found must be rebuilt byte for byte by the frame builders. */
#include "drivers/idcard/protocol.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct event {
    idcard_scan kind;
    size_t offset; /* in the stream, of the frame's body (FRAME) */
    size_t body_length;
} event;

/* Every event consumes at least a preamble, so size / 5 + 1 is enough. */
static event *whole_events;
static size_t whole_count, whole_capacity;

static void check(bool condition)
{
    if (!condition)
        abort();
}

/* What every result promises about one call. */
static void check_scan(const uint8_t *buffer, size_t length, idcard_scan result,
                       const idcard_frame *frame, size_t consumed)
{
    check(consumed <= length);
    switch (result) {
    case IDCARD_SCAN_NEED_MORE:
        check(frame->body == NULL);
        /* What is kept is at most one frame in the making. */
        check(length - consumed < IDCARD_FRAME_MAX);
        break;
    case IDCARD_SCAN_BAD_LENGTH:
    case IDCARD_SCAN_BAD_CHECKSUM:
        check(consumed >= IDCARD_PREAMBLE_LENGTH);
        check(frame->body == NULL);
        break;
    case IDCARD_SCAN_FRAME: {
        check(frame->body_length >= 1);
        size_t frame_length = IDCARD_HEADER_LENGTH + frame->body_length + 1;
        check(consumed >= frame_length);
        const uint8_t *start = buffer + consumed - frame_length;
        check(frame->body == start + IDCARD_HEADER_LENGTH);
        /* Rebuilt as a request, the frame is the same bytes. */
        if (frame->body_length >= 2) {
            static uint8_t rebuilt[IDCARD_FRAME_MAX];
            size_t rebuilt_length =
                idcard_request_build(frame->body[0], frame->body[1], frame->body + 2,
                                     frame->body_length - 2, rebuilt, sizeof rebuilt);
            check(rebuilt_length == frame_length);
            check(memcmp(rebuilt, start, frame_length) == 0);
        }
        break;
    }
    default:
        abort();
    }
}

static void scan_whole(const uint8_t *data, size_t size)
{
    whole_count = 0;
    size_t offset = 0;
    for (;;) {
        idcard_frame frame;
        size_t consumed;
        idcard_scan result = idcard_frame_scan(data + offset, size - offset, &frame, &consumed);
        check_scan(data + offset, size - offset, result, &frame, consumed);
        if (result != IDCARD_SCAN_NEED_MORE) {
            check(whole_count < whole_capacity);
            whole_events[whole_count].kind = result;
            whole_events[whole_count].offset =
                result == IDCARD_SCAN_FRAME ? (size_t)(frame.body - data) : 0;
            whole_events[whole_count].body_length = frame.body_length;
            whole_count++;
        }
        offset += consumed;
        if (result == IDCARD_SCAN_NEED_MORE) {
            /* What resync points at is a whole good frame past the first
             * preamble. */
            size_t skip = idcard_frame_resync(data + offset, size - offset);
            if (skip > 0) {
                check(skip >= IDCARD_PREAMBLE_LENGTH && skip < size - offset);
                idcard_frame later;
                size_t used;
                check(idcard_frame_scan(data + offset + skip, size - offset - skip, &later,
                                        &used) == IDCARD_SCAN_FRAME);
                check(used == IDCARD_HEADER_LENGTH + later.body_length + 1);
            }
            /* Nothing more to find until more bytes come. */
            size_t again;
            check(idcard_frame_scan(data + offset, size - offset, &frame, &again) ==
                  IDCARD_SCAN_NEED_MORE);
            check(again == 0);
            return;
        }
    }
}

/* The same stream in reads of 1 to 16 bytes, the sizes taken from the data. */
static void scan_in_reads(const uint8_t *data, size_t size)
{
    uint8_t *buffer = malloc(size ? size : 1);
    check(buffer != NULL);
    size_t kept = 0;      /* bytes in buffer */
    size_t dropped = 0;   /* stream bytes consumed so far */
    size_t delivered = 0; /* stream bytes fed so far */
    size_t seen = 0;
    while (delivered < size) {
        size_t read = 1 + data[delivered] % 16;
        if (read > size - delivered)
            read = size - delivered;
        memcpy(buffer + kept, data + delivered, read);
        kept += read;
        delivered += read;
        for (;;) {
            idcard_frame frame;
            size_t consumed;
            idcard_scan result = idcard_frame_scan(buffer, kept, &frame, &consumed);
            check_scan(buffer, kept, result, &frame, consumed);
            if (result != IDCARD_SCAN_NEED_MORE) {
                check(seen < whole_count);
                check(whole_events[seen].kind == result);
                if (result == IDCARD_SCAN_FRAME) {
                    check(whole_events[seen].offset == dropped + (size_t)(frame.body - buffer));
                    check(whole_events[seen].body_length == frame.body_length);
                }
                seen++;
            }
            memmove(buffer, buffer + consumed, kept - consumed);
            kept -= consumed;
            dropped += consumed;
            if (result == IDCARD_SCAN_NEED_MORE)
                break;
        }
    }
    check(seen == whole_count);
    free(buffer);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    whole_capacity = size / IDCARD_PREAMBLE_LENGTH + 1;
    whole_events = malloc(whole_capacity * sizeof *whole_events);
    check(whole_events != NULL);
    scan_whole(data, size);
    scan_in_reads(data, size);
    free(whole_events);
    if (size > 0) {
        char name[8];
        idcard_status_class class = idcard_status_classify(data[0]);
        check(class >= IDCARD_STATUS_OK && class <= IDCARD_STATUS_READER);
        const char *text = idcard_status_name(data[0], name, sizeof name);
        check(text != NULL && strlen(text) > 0);
    }
    return 0;
}
