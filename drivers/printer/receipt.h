/* A receipt: a small document model, written once and printed on any
 * supported printer (drivers/printer/escpos.c renders it to ESC/POS bytes)
 * or shown on screen (ui/receipt_view.c draws it, so the citizen sees what
 * will print and tests can compare).
 *
 * Items run top to bottom. Text is UTF-8 (the printer driver encodes it in
 * GB18030); a line too wide for the paper wraps. Geometry follows the
 * common 203 dpi thermal heads: 58 mm paper prints 384 dots (32 half-width
 * or 16 full-width characters a line at scale 1), 80 mm prints 576 dots (48
 * or 24). A character is 12x24 dots half-width, 24x24 full-width. */
#ifndef KIOSK_DRIVERS_PRINTER_RECEIPT_H
#define KIOSK_DRIVERS_PRINTER_RECEIPT_H

#include "firmware/base/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RECEIPT_ITEMS_MAX 64
#define RECEIPT_TEXT_MAX  256 /* bytes of UTF-8 in one text item, or QR data */
#define RECEIPT_DOT_MM    8   /* dots per millimetre (203 dpi) */

typedef enum receipt_align {
    RECEIPT_ALIGN_LEFT = 0,
    RECEIPT_ALIGN_CENTER,
    RECEIPT_ALIGN_RIGHT,
} receipt_align;

typedef enum receipt_item_kind {
    RECEIPT_TEXT = 1, /* a paragraph: text, scale, bold, align */
    RECEIPT_QR,       /* a QR code of text (module: dots per module), aligned */
    RECEIPT_IMAGE,    /* a 1-bit image (a logo), aligned */
    RECEIPT_RULE,     /* a full-width line of dashes */
    RECEIPT_FEED,     /* lines of blank paper */
    RECEIPT_CUT,      /* feed to the cutter and cut (partial cut) */
} receipt_item_kind;

typedef struct receipt_image {
    const uint8_t *bits; /* row-major, MSB first, 1 = black; not owned */
    int width, height;   /* dots; a row is (width + 7) / 8 bytes */
} receipt_image;

typedef struct receipt_item {
    receipt_item_kind kind;
    char text[RECEIPT_TEXT_MAX];
    int scale; /* text: 1 or 2 (double width and height) */
    bool bold;
    receipt_align align;
    int module;          /* QR: dots per module, 2 to 8 */
    int lines;           /* feed: how many */
    receipt_image image; /* image */
} receipt_item;

typedef struct receipt {
    int paper_mm; /* 58 or 80 */
    receipt_item items[RECEIPT_ITEMS_MAX];
    size_t count;
    bool overflow; /* an item did not fit (too many, or text too long) */
} receipt;

/* Printable width in dots for the paper. */
int receipt_width_dots(int paper_mm);

void receipt_init(receipt *r, int paper_mm);
/* Adds items; on overflow the receipt is marked and the item dropped (the
 * caller checks receipt_ok before printing). text is copied. */
void receipt_text(receipt *r, receipt_align align, int scale, bool bold, const char *text);
/* Text of any length (a paragraph of next steps): one text item per
 * printed line, broken as the printer breaks lines, so no item is over
 * RECEIPT_TEXT_MAX. */
void receipt_paragraph(receipt *r, receipt_align align, int scale, bool bold, const char *text);
void receipt_qr(receipt *r, receipt_align align, int module, const char *data);
void receipt_image_add(receipt *r, receipt_align align, receipt_image image);
void receipt_rule(receipt *r);
void receipt_feed(receipt *r, int lines);
void receipt_cut(receipt *r);
/* Every item fitted. */
bool receipt_ok(const receipt *r);

/* Half-width columns a line holds at scale 1: 32 on 58 mm, 48 on 80 mm. */
int receipt_columns(int paper_mm);

/* How many half-width columns the character at utf8 takes (1: ASCII and
 * half-width forms; 2: everything else, as the printer's 24x24 font does),
 * and its length in bytes (*bytes; 1 for a byte that starts no valid
 * sequence, which then counts one column). */
int receipt_char_columns(const char *utf8, size_t length, size_t *bytes);

/* The bytes of text (length bytes) that fill the first line of at most
 * columns half-width columns: never splitting a character, breaking at a
 * newline (not counted), else after the last space that fits when the line
 * holds Latin words, else at the width, keeping Chinese closing marks (，。
 * ）…) off the start of a line and opening marks (（「…) off its end. At
 * least one character. The printer and the screen both wrap with it, so the
 * preview matches the paper. */
size_t receipt_line_break(const char *text, size_t length, int columns);

#endif
