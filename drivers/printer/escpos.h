/* ESC/POS for receipt printers: a receipt (drivers/printer/receipt.h)
 * rendered to the bytes a printer prints, and those bytes read back into a
 * receipt (the simulated printer, the fuzz target). Pure functions on bytes
 * and memory, no I/O: the driver, the simulator and the tests share them.
 *
 * A rendered receipt is
 *     ESC @  FS &                      initialise; Chinese (GB 18030) mode
 *     per text paragraph:  ESC a n  [GS ! n]  [ESC E n]  line LF  line LF ...
 *     rule:  ESC a 0  [GS ! 0]  [ESC E 0]  "-" x columns  LF
 *     feed:  ESC d n           QR:  ESC a n  GS ( k (model 2, module, EC M,
 *     store, print), or a raster image of it for printers without QR
 *     image: ESC a n  GS v 0       cut:  GS V 66 0 (feed to the cutter,
 *     partial cut)
 * GS ! and ESC E are sent only when they change; ESC a starts every
 * paragraph, which is how a reader of the bytes tells paragraphs apart.
 * Lines wrap with receipt_line_break, as the screen's preview does. */
#ifndef KIOSK_DRIVERS_PRINTER_ESCPOS_H
#define KIOSK_DRIVERS_PRINTER_ESCPOS_H

#include "drivers/printer/receipt.h"
#include "firmware/base/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ESCPOS_LF  0x0A
#define ESCPOS_DLE 0x10
#define ESCPOS_EOT 0x04
#define ESCPOS_ESC 0x1B
#define ESCPOS_FS  0x1C
#define ESCPOS_GS  0x1D

/* What the renderer must know about a printer. */
typedef struct escpos_model {
    int paper_mm;       /* 58 or 80: the printer's paper decides the width */
    bool native_qr;     /* it prints QR codes itself (GS ( k) */
    bool supplementary; /* its font has characters past U+FFFF (GB 18030
                         * level 2, CJK extension B and on) */
} escpos_model;

/* Limits: a rendered receipt, and one image's height in dots. */
#define ESCPOS_OUTPUT_MAX     (1024u * 1024u)
#define ESCPOS_IMAGE_ROWS_MAX 2048

/* Stand-ins for characters the printer cannot print: "?" where the
 * character takes one column, "□" (U+25A1, GB 18030 A1 F5) where it takes
 * two, so the line still wraps as the screen shows it. */
#define ESCPOS_STAND_IN_NARROW '?'
#define ESCPOS_STAND_IN_WIDE   "\xE2\x96\xA1"

typedef struct escpos_output {
    uint8_t *bytes; /* owned; wiped by escpos_output_free (names, numbers) */
    size_t length, capacity;
    /* Offsets where a command ends: after the set-up and after each item.
     * A driver that sends in pieces cuts only there, so a status request
     * never lands inside an image's data. Ascending, the last == length. */
    size_t breaks[RECEIPT_ITEMS_MAX + 1];
    size_t break_count;
    size_t stand_ins; /* characters printed as a stand-in (log it) */
} escpos_output;

/* Renders r for model into out (zeroed here; free with escpos_output_free,
 * also after an error). Errors: INVALID_ARGUMENT (a receipt that overflowed,
 * an image without bits), TOO_BIG (an image wider than the paper or taller
 * than ESCPOS_IMAGE_ROWS_MAX, QR data too long for the paper, or more than
 * ESCPOS_OUTPUT_MAX bytes), UNSUPPORTED (no GB 18030 converter), NO_MEMORY.
 * diag (may be NULL) names the item. */
kiosk_error escpos_render(const receipt *r, const escpos_model *model, escpos_output *out,
                          kiosk_diag *diag) KIOSK_MUST_CHECK;
void escpos_output_free(escpos_output *out);

/* Is code_point printed as itself on this model? No for C0 and C1 controls
 * and DEL (they would be commands or nothing), private use and
 * noncharacters (what a printer's font has there is its vendor's business),
 * half-width forms U+FF61-FFDC (the Chinese font prints them full width,
 * which would break the shared layout), code points past U+FFFF unless
 * model->supplementary, and the few GB 18030 cannot encode. */
bool escpos_printable(const escpos_model *model, uint32_t code_point);

/* ---- Reading bytes back ------------------------------------------------ */

typedef enum escpos_command_kind {
    ESCPOS_TEXT = 1,         /* a run of bytes >= 0x20 (data: the run) */
    ESCPOS_LINE_FEED,        /* LF */
    ESCPOS_INIT,             /* ESC @ */
    ESCPOS_CHINESE_ON,       /* FS & */
    ESCPOS_CHINESE_OFF,      /* FS . */
    ESCPOS_ALIGN,            /* ESC a n */
    ESCPOS_BOLD,             /* ESC E n */
    ESCPOS_SIZE,             /* GS ! n */
    ESCPOS_FEED,             /* ESC d n */
    ESCPOS_CUT,              /* GS V m [n] */
    ESCPOS_QR,               /* GS ( k with cn 49 (parameter: fn; data: after fn) */
    ESCPOS_RASTER,           /* GS v 0 (data: the bits) */
    ESCPOS_REAL_TIME_STATUS, /* DLE EOT n */
    ESCPOS_TRANSMIT_STATUS,  /* GS r n: answered once what came before printed */
    ESCPOS_OTHER,            /* a command known by its length, not modelled */
    ESCPOS_UNKNOWN,          /* a byte that starts nothing known: skipped */
} escpos_command_kind;

typedef struct escpos_command {
    escpos_command_kind kind;
    size_t length;         /* bytes of the whole command */
    int parameter;         /* n of the one-parameter commands; QR: fn; cut: m */
    const uint8_t *data;   /* into the scanned bytes */
    size_t data_length;    /* text run, QR data, raster bits */
    int width_bytes, rows; /* raster */
} escpos_command;

/* Commands larger than this (a raster's or QR's declared length) are taken
 * for noise: their first byte is skipped as ESCPOS_UNKNOWN. */
#define ESCPOS_COMMAND_MAX (256u * 1024u)

/* The command at the start of bytes: true with *out filled, or false when
 * more bytes are needed to know (a command cut short). A text run ends at
 * the first control byte or the end of bytes. Never reads past length. */
bool escpos_scan(const uint8_t *bytes, size_t length, escpos_command *out);

typedef struct escpos_decode_info {
    size_t unknown;     /* bytes of commands not modelled, or noise */
    size_t undecodable; /* text characters that did not decode (shown as U+FFFD) */
    size_t cuts;
} escpos_decode_info;

/* Reads what bytes print into out (receipt_init'd here for model's paper):
 * paragraphs with their alignment, scale and bold (wrapped lines joined
 * back), rules, feeds, QR codes from GS ( k, raster images (a QR printed as
 * a raster comes back as an image), cuts. Images point into bytes, which
 * must outlive out. Ends early, with out->overflow, when out is full.
 * Errors: UNSUPPORTED (no GB 18030 converter). */
kiosk_error escpos_decode(const uint8_t *bytes, size_t length, const escpos_model *model,
                          receipt *out, escpos_decode_info *info) KIOSK_MUST_CHECK;

#endif
