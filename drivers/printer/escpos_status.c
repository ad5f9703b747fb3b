/* ESC/POS status bytes and what they mean. See escpos_status.h. */
#include "drivers/printer/escpos_status.h"

#include <string.h>

const uint8_t escpos_status_query[ESCPOS_STATUS_QUERY_LENGTH] = {0x10, 0x04, 1, 0x10, 0x04, 2,
                                                                 0x10, 0x04, 3, 0x10, 0x04, 4};
const uint8_t escpos_paper_query[ESCPOS_PAPER_QUERY_LENGTH] = {0x1D, 'r', 1};

/* Every status byte has bits 0, 1, 4 and 7 fixed: 1 and 4 on, 0 and 7 off. */
#define FIXED_MASK  0x93
#define FIXED_VALUE 0x12

bool escpos_status_byte(uint8_t byte)
{
    return (byte & FIXED_MASK) == FIXED_VALUE;
}

bool escpos_paper_byte(uint8_t byte)
{
    return (byte & 0x90) == 0;
}

static bool bit(uint8_t byte, int n)
{
    return (byte >> n) & 1;
}

kiosk_error escpos_status_parse(const uint8_t answers[4], escpos_status *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < 4; i++)
        if (!escpos_status_byte(answers[i]))
            return KIOSK_ERR_MALFORMED;
    out->drawer_high = bit(answers[0], 2);
    out->offline = bit(answers[0], 3);
    out->waiting_recovery = bit(answers[0], 5);
    out->feed_button = bit(answers[0], 6);
    out->cover_open = bit(answers[1], 2);
    out->feeding = bit(answers[1], 3);
    out->paper_end_stop = bit(answers[1], 5);
    out->error = bit(answers[1], 6);
    out->recoverable_error = bit(answers[2], 2);
    out->cutter_error = bit(answers[2], 3);
    out->unrecoverable_error = bit(answers[2], 5);
    out->auto_recoverable_error = bit(answers[2], 6);
    /* Two bits each, for two sensors on some models: either one counts. */
    out->paper_near_end = (answers[3] & 0x0C) != 0;
    out->paper_out = (answers[3] & 0x60) != 0;
    return KIOSK_OK;
}

void escpos_status_build(const escpos_status *s, uint8_t answers[4])
{
    answers[0] = (uint8_t)(FIXED_VALUE | s->drawer_high << 2 | s->offline << 3 |
                           s->waiting_recovery << 5 | s->feed_button << 6);
    answers[1] = (uint8_t)(FIXED_VALUE | s->cover_open << 2 | s->feeding << 3 |
                           s->paper_end_stop << 5 | s->error << 6);
    answers[2] = (uint8_t)(FIXED_VALUE | s->recoverable_error << 2 | s->cutter_error << 3 |
                           s->unrecoverable_error << 5 | s->auto_recoverable_error << 6);
    answers[3] =
        (uint8_t)(FIXED_VALUE | (s->paper_near_end ? 0x0C : 0) | (s->paper_out ? 0x60 : 0));
}

void escpos_paper_parse(uint8_t answer, bool *near_end, bool *out)
{
    *near_end = (answer & 0x03) != 0;
    *out = (answer & 0x0C) != 0;
}

uint8_t escpos_paper_build(bool near_end, bool out)
{
    return (uint8_t)((near_end ? 0x03 : 0) | (out ? 0x0C : 0));
}

escpos_condition escpos_status_condition(const escpos_status *s)
{
    bool paper_out = s->paper_out || s->paper_end_stop;
    device_supply supply = paper_out           ? DEVICE_SUPPLY_OUT
                           : s->paper_near_end ? DEVICE_SUPPLY_LOW
                                               : DEVICE_SUPPLY_OK;
    escpos_condition c = {.state = DEVICE_HARDWARE_ERROR, .supply = supply};
    if (s->cover_open)
        c.reason = "cover-open";
    else if (paper_out)
        c.reason = "paper-out";
    else if (s->cutter_error)
        c.reason = "cutter-error";
    else if (s->unrecoverable_error || s->recoverable_error)
        c.reason = "printer-fault";
    else if (s->auto_recoverable_error || s->feeding || s->feed_button) {
        c.state = DEVICE_BUSY;
        c.reason = s->auto_recoverable_error ? "recovering" : "feeding";
        c.will_resume = true;
    } else if (s->offline || s->error || s->waiting_recovery) {
        c.state = DEVICE_OFFLINE;
        c.reason = "offline";
    } else {
        c.state = DEVICE_ONLINE;
        c.reason = s->paper_near_end ? "paper-low" : "ready";
        c.can_print = true;
    }
    return c;
}
