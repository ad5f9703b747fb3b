/* The ID card reader driver: find, select, read, then wait for the card to
 * be lifted, as an explicit state machine the device manager steps.
 *
 * Every exchange is one request frame out and one answer frame in, read in
 * pieces until the frame scan says it is whole; a false preamble before the
 * answer is skipped, not taken for the answer. A damaged answer (bad
 * checksum, absurd length, noise) or a reader that says our frame was damaged
 * is asked again after a short pause; three in a row, counted across the
 * find-select-read cycle, are a fault staff must see ("not-answering"), tried
 * again every 2 s until the reader completes an exchange. A fault is logged
 * once when it starts and once when it ends, never per frame. A card read is
 * delivered once, as a record the main thread owns and wipes; nothing of a
 * partial read is kept. */
#include "drivers/devices.h"
#include "drivers/idcard/protocol.h"

#include "firmware/base/log.h"
#include "firmware/base/monotonic.h"

#include <stdlib.h>
#include <string.h>

#define ENDPOINT_OUT 0x02
#define ENDPOINT_IN  0x81

/* Times: a poll for a card is cheap; a read of text and photo takes a real
 * reader about a second. */
#define POLL_MS        300
#define ANSWER_MS      1000
#define READ_ANSWER_MS 3000
#define LINK_RETRIES   3  /* damaged answers in a row that mean "not answering" */
#define RETRY_MS       50 /* before asking again after one damaged answer */
#define ABSENT_POLLS   2  /* "no card" this many times running: it was lifted */
#define FAULT_RETRY_MS 2000
#define LOGGED_LINK    0x100 /* logged_status of a link fault: no status byte */

typedef enum reader_state {
    READER_FIND = 0,
    READER_SELECT,
    READER_READ,
    READER_WAIT_LIFT,
} reader_state;

typedef struct reader {
    reader_state state;
    int absent_polls;
    /* Exchanges in a row that failed on the link (damaged or missing
     * answers), since the reader last completed what it was asked: a find
     * that says there is no card, a read answered, a card refused or a
     * reader fault reported. A find that says "card found", or a select that
     * succeeds, completes nothing: a reader that finds the card but damages
     * every select or read would reset the count on every cycle and loop for
     * ever. */
    int link_failures;
    int logged_status; /* the reader status last logged as a fault, or -1 */
    uint8_t rx[IDCARD_FRAME_MAX];
    size_t rx_length;
    uint8_t body[IDCARD_MAX_LENGTH_FIELD]; /* the last answer's body */
    size_t body_length;
} reader;

static const usb_id reader_ids[] = {
    {0x0400, 0xc35a}, /* the common STM32-based bulk readers, and the simulated one */
};

/* Drops the first count bytes of the receive buffer, wiping them. */
static void rx_drop(reader *r, size_t count)
{
    explicit_bzero(r->rx, count);
    memmove(r->rx, r->rx + count, r->rx_length - count);
    r->rx_length -= count;
    explicit_bzero(r->rx + r->rx_length, count);
}

static kiosk_error rx_fail(reader *r, kiosk_error error)
{
    explicit_bzero(r->rx, r->rx_length);
    r->rx_length = 0;
    return error;
}

/* One request, one answer. On OK, *sw3 is the answer's status and the
 * reader's body holds SW1 SW2 SW3 and the data. Errors: NO_DEVICE, TIMEOUT
 * (no whole answer within timeout_ms), MALFORMED (a damaged answer), IO. */
static kiosk_error exchange(device_handle *handle, uint8_t command, uint8_t parameter,
                            unsigned timeout_ms, uint8_t *sw3)
{
    reader *r = device_context(handle);
    uint8_t request[16];
    size_t length = idcard_request_build(command, parameter, NULL, 0, request, sizeof request);
    size_t moved = 0;
    r->rx_length = 0; /* what an earlier, abandoned exchange left is not this answer */
    kiosk_error result =
        usb_transfer(device_usb(handle), ENDPOINT_OUT, request, length, &moved, ANSWER_MS);
    if (result != KIOSK_OK)
        return result;
    /* One deadline for the whole answer: a device that keeps sending empty
     * packets must not keep the worker here. */
    uint64_t deadline = monotonic_now_ms() + timeout_ms;
    bool damaged = false;
    for (;;) {
        idcard_frame frame;
        size_t consumed = 0;
        idcard_scan scan = idcard_frame_scan(r->rx, r->rx_length, &frame, &consumed);
        if (scan == IDCARD_SCAN_FRAME) {
            bool shaped = frame.body_length >= 3;
            if (shaped) {
                memcpy(r->body, frame.body, frame.body_length);
                r->body_length = frame.body_length;
                *sw3 = frame.body[2];
            }
            rx_fail(r, KIOSK_OK);
            return shaped ? KIOSK_OK : KIOSK_ERR_MALFORMED;
        }
        rx_drop(r, consumed);
        if (scan != IDCARD_SCAN_NEED_MORE) {
            /* A bad frame may be a false preamble before the real answer:
             * look on in what came after it before calling it damaged. */
            damaged = true;
            continue;
        }
        size_t skip = idcard_frame_resync(r->rx, r->rx_length);
        if (skip > 0) {
            LOG_DEBUG("idcard", "a false preamble before the answer was skipped");
            rx_drop(r, skip);
            continue;
        }
        /* After a bad frame, nothing that could start another: the answer
         * was the damaged one, and no more is coming. */
        if (damaged && r->rx_length == 0)
            return KIOSK_ERR_MALFORMED;
        if (r->rx_length == sizeof r->rx)
            return rx_fail(r, KIOSK_ERR_MALFORMED); /* larger than any the reader sends */
        uint64_t now = monotonic_now_ms();
        if (now >= deadline)
            return rx_fail(r, damaged ? KIOSK_ERR_MALFORMED : KIOSK_ERR_TIMEOUT);
        size_t got = 0;
        result = usb_transfer(device_usb(handle), ENDPOINT_IN, r->rx + r->rx_length,
                              sizeof r->rx - r->rx_length, &got, (unsigned)(deadline - now));
        r->rx_length += got;
        if (result == KIOSK_ERR_TIMEOUT && damaged)
            result = KIOSK_ERR_MALFORMED;
        if (result != KIOSK_OK)
            return rx_fail(r, result);
    }
}

static void card_release(void *payload)
{
    idcard_record_wipe(payload);
    free(payload);
}

/* The reader completed an exchange: a fault it had is over. */
static void answered(reader *r)
{
    if (r->link_failures >= LINK_RETRIES)
        LOG_INFO("idcard", "the reader answers again");
    r->link_failures = 0;
    r->logged_status = -1;
}

/* The link failed: count it, ask again after a pause, and after a few in a
 * row tell staff. Logged once when the fault starts, not on every try. */
static int link_failed(device_handle *handle, kiosk_error error)
{
    reader *r = device_context(handle);
    if (error == KIOSK_ERR_NO_DEVICE)
        return -KIOSK_ERR_NO_DEVICE;
    if (r->link_failures < LINK_RETRIES)
        r->link_failures++;
    LOG_DEBUG("idcard", "exchange failed: %s (%d in a row)", kiosk_error_name(error),
              r->link_failures);
    /* A card half-way through being read is found and read again; one
     * already read stays read until it is lifted. */
    if (r->state != READER_WAIT_LIFT)
        r->state = READER_FIND;
    if (r->link_failures < LINK_RETRIES)
        return RETRY_MS;
    if (r->logged_status != LOGGED_LINK) {
        LOG_WARN("idcard", "%d answers in a row damaged or missing (last: %s): trying every %d ms",
                 LINK_RETRIES, kiosk_error_name(error), FAULT_RETRY_MS);
        r->logged_status = LOGGED_LINK;
    }
    device_report(handle, DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_NONE, "not-answering");
    return FAULT_RETRY_MS;
}

static int status_fault(device_handle *handle, uint8_t sw3)
{
    reader *r = device_context(handle);
    char name[8];
    idcard_status_class class = idcard_status_classify(sw3);
    if (class == IDCARD_STATUS_LINK) {
        /* Our request arrived damaged: a link fault, counted like a damaged
         * answer. */
        LOG_DEBUG("idcard", "reader status %s", idcard_status_name(sw3, name, sizeof name));
        return link_failed(handle, KIOSK_ERR_MALFORMED);
    }
    if (class == IDCARD_STATUS_READER) {
        /* Tried every 2 s until repaired: one line, not one per try. */
        if (r->logged_status != sw3)
            LOG_WARN("idcard", "reader status %s", idcard_status_name(sw3, name, sizeof name));
        r->link_failures = 0; /* the link carried this answer well */
        r->logged_status = sw3;
        r->state = READER_FIND;
        device_report(handle, DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_NONE, "reader-fault");
        return FAULT_RETRY_MS;
    }
    /* About this card, once: the reader then waits for it to be lifted. */
    answered(r);
    LOG_WARN("idcard", "reader status %s", idcard_status_name(sw3, name, sizeof name));
    r->state = READER_WAIT_LIFT;
    if (class == IDCARD_STATUS_BAD_CARD) {
        device_report(handle, DEVICE_USER_ERROR, DEVICE_SUPPLY_NONE, "card-unreadable");
        return POLL_MS;
    }
    device_report(handle, DEVICE_USER_ERROR, DEVICE_SUPPLY_NONE, "card-moved");
    return POLL_MS;
}

static int step_read(device_handle *handle)
{
    reader *r = device_context(handle);
    /* While staff see "not answering", each try is not shown as a read
     * starting: the status would flap every 2 s. */
    if (r->link_failures < LINK_RETRIES)
        device_report(handle, DEVICE_BUSY, DEVICE_SUPPLY_NONE, "reading");
    uint8_t sw3 = 0;
    kiosk_error result = exchange(handle, IDCARD_CMD_READ_TEXT_PHOTO, READ_ANSWER_MS, &sw3);
    if (result == KIOSK_ERR_NO_DEVICE || result == KIOSK_ERR_MALFORMED)
        return link_failed(handle, result); /* damaged on the way: find and read again */
    if (result != KIOSK_OK) {
        /* A read that stops half-way is a card pulled away, most likely. */
        LOG_WARN("idcard", "read failed: %s", kiosk_error_name(result));
        r->state = READER_WAIT_LIFT;
        device_report(handle, DEVICE_USER_ERROR, DEVICE_SUPPLY_NONE, "card-moved");
        return POLL_MS;
    }
    if (sw3 != IDCARD_SW_OK)
        return status_fault(handle, sw3);
    answered(r);
    idcard_record *record = malloc(sizeof *record);
    kiosk_diag diag = {{0}};
    kiosk_error parsed =
        record ? idcard_read_answer_parse(r->body + 3, r->body_length - 3, record, &diag)
               : KIOSK_ERR_NO_MEMORY;
    explicit_bzero(r->body, r->body_length);
    r->body_length = 0;
    r->state = READER_WAIT_LIFT;
    if (parsed != KIOSK_OK) {
        LOG_WARN("idcard", "card refused: %s", diag.message[0] ? diag.message : "no memory");
        if (record)
            card_release(record);
        device_report(handle, DEVICE_USER_ERROR, DEVICE_SUPPLY_NONE, "card-unreadable");
        return POLL_MS;
    }
    LOG_INFO("idcard", "card read: %s", record->id_number); /* the log masks it */
    /* The card first, then the status that says it was read. */
    if (device_deliver(handle, record, card_release) != KIOSK_OK) {
        LOG_WARN("idcard", "the card could not be handed on: the event queue is full");
        device_report(handle, DEVICE_USER_ERROR, DEVICE_SUPPLY_NONE, "card-moved");
        return POLL_MS;
    }
    device_report(handle, DEVICE_ONLINE, DEVICE_SUPPLY_NONE, "card-read");
    return POLL_MS;
}

static int reader_step(device_handle *handle)
{
    reader *r = device_context(handle);
    uint8_t sw3 = 0;
    kiosk_error result;
    switch (r->state) {
    case READER_FIND:
    case READER_WAIT_LIFT:
        result = exchange(handle, IDCARD_CMD_FIND_CARD, ANSWER_MS, &sw3);
        if (result != KIOSK_OK)
            return link_failed(handle, result);
        if (sw3 == IDCARD_SW_CARD_FOUND) {
            r->absent_polls = 0;
            if (r->state == READER_FIND) {
                r->state = READER_SELECT;
                return 0;
            }
            return POLL_MS; /* the card read is still there */
        }
        if (sw3 != IDCARD_SW_FIND_FAILED)
            return status_fault(handle, sw3);
        answered(r);
        if (r->state == READER_WAIT_LIFT && ++r->absent_polls >= ABSENT_POLLS) {
            r->state = READER_FIND;
            r->absent_polls = 0;
        }
        if (r->state == READER_FIND)
            device_report(handle, DEVICE_ONLINE, DEVICE_SUPPLY_NONE, "ready");
        return POLL_MS;
    case READER_SELECT:
        result = exchange(handle, IDCARD_CMD_SELECT_CARD, ANSWER_MS, &sw3);
        if (result != KIOSK_OK)
            return link_failed(handle, result);
        if (sw3 != IDCARD_SW_OK)
            return status_fault(handle, sw3);
        r->state = READER_READ;
        return 0;
    case READER_READ:
        return step_read(handle);
    }
    return POLL_MS;
}

static kiosk_error reader_open(device_handle *handle)
{
    reader *r = device_context(handle);
    r->logged_status = -1;
    uint8_t sw3 = 0;
    kiosk_error result = KIOSK_ERR_IO;
    for (int attempt = 0; attempt < LINK_RETRIES; attempt++) {
        result = exchange(handle, IDCARD_CMD_SAM_STATUS, ANSWER_MS, &sw3);
        /* "Your frame arrived damaged" is the link's fault, not the security
         * module's: asked again like a damaged answer. */
        if (result == KIOSK_OK && idcard_status_classify(sw3) == IDCARD_STATUS_LINK)
            result = KIOSK_ERR_MALFORMED;
        if (result == KIOSK_OK || result == KIOSK_ERR_NO_DEVICE)
            break;
    }
    if (result != KIOSK_OK) {
        device_report(handle, DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_NONE, "not-answering");
        return result;
    }
    if (sw3 != IDCARD_SW_OK) {
        char name[8];
        LOG_WARN("idcard", "security module status %s", idcard_status_name(sw3, name, sizeof name));
        device_report(handle, DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_NONE, "reader-fault");
        return KIOSK_ERR_IO;
    }
    device_report(handle, DEVICE_ONLINE, DEVICE_SUPPLY_NONE, "ready");
    return KIOSK_OK;
}

static void reader_close(device_handle *handle)
{
    (void)handle; /* the manager wipes the context */
}

const device_driver idcard_driver = {
    .name = "idcard-gat467",
    .kind = DEVICE_ID_READER,
    .match = {.transport = DEVICE_TRANSPORT_USB,
              .usb = {.ids = reader_ids,
                      .id_count = sizeof reader_ids / sizeof reader_ids[0],
                      .interface = 0}},
    .context_size = sizeof(reader),
    .open = reader_open,
    .step = reader_step,
    .close = reader_close};
