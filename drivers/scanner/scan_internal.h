/* What the decoder's files share (scan_decode.c, scan_wedge.c); not for
 * the driver. */
#ifndef KIOSK_DRIVERS_SCANNER_SCAN_INTERNAL_H
#define KIOSK_DRIVERS_SCANNER_SCAN_INTERNAL_H

#include "drivers/scanner/scan_decode.h"

/* The effective maximum length of a scan. */
size_t scan_max_length(const scan_decoder *decoder);

/* Refuses the scan in progress: keeps the refusal for scan_decoder_next,
 * wipes what was received, and swallows the rest of the scan when swallow. */
void scan_refuse(scan_decoder *decoder, scan_reject reason, size_t length, bool swallow);

/* Adds a byte to the scan in progress, or refuses it as TOO_LONG. */
void scan_append(scan_decoder *decoder, uint8_t byte);

/* Ends the scan in progress: checks it and fills *event or *refusal. The
 * received bytes are wiped either way. */
scan_status scan_finish(scan_decoder *decoder, scan_event *event, scan_refusal *refusal);

/* Wedge mode (scan_wedge.c). */
void scan_wedge_push(scan_decoder *decoder, const uint8_t *report, size_t length);
scan_status scan_wedge_next(scan_decoder *decoder, scan_event *event, scan_refusal *refusal);

#endif
