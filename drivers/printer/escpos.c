/* The ESC/POS renderer: a receipt to the bytes a printer prints. See
 * escpos.h for the shape of the output. */
#include "drivers/printer/escpos.h"

#include "drivers/printer/gb18030.h"

#include <errno.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

typedef struct renderer {
    escpos_output *out;
    const escpos_model *model;
    gb18030_codec codec;
    kiosk_error error; /* the first one; everything after it is skipped */
    bool diagnosed;    /* diag names it */
    /* What the printer is set to now (ESC @ sets left, scale 1, not bold). */
    int scale;
    bool bold;
} renderer;

/* Grows by copying into a fresh block and wiping the old one: a receipt
 * carries names and numbers, and realloc would leave them behind. */
static bool reserve(renderer *w, size_t more)
{
    escpos_output *o = w->out;
    if (more > ESCPOS_OUTPUT_MAX - o->length) {
        w->error = KIOSK_ERR_TOO_BIG;
        return false;
    }
    if (o->length + more <= o->capacity)
        return true;
    size_t capacity = o->capacity ? o->capacity : 2048;
    while (capacity < o->length + more)
        capacity *= 2;
    if (capacity > ESCPOS_OUTPUT_MAX)
        capacity = ESCPOS_OUTPUT_MAX;
    uint8_t *grown = malloc(capacity);
    if (!grown) {
        w->error = KIOSK_ERR_NO_MEMORY;
        return false;
    }
    if (o->bytes) {
        memcpy(grown, o->bytes, o->length);
        explicit_bzero(o->bytes, o->capacity);
        free(o->bytes);
    }
    o->bytes = grown;
    o->capacity = capacity;
    return true;
}

static void put(renderer *w, const void *bytes, size_t length)
{
    if (w->error != KIOSK_OK || !reserve(w, length))
        return;
    memcpy(w->out->bytes + w->out->length, bytes, length);
    w->out->length += length;
}

static void put3(renderer *w, uint8_t a, uint8_t b, uint8_t c)
{
    const uint8_t command[3] = {a, b, c};
    put(w, command, sizeof command);
}

static void mark_break(renderer *w)
{
    escpos_output *o = w->out;
    if (w->error == KIOSK_OK && o->break_count < sizeof o->breaks / sizeof o->breaks[0])
        o->breaks[o->break_count++] = o->length;
}

static void fail(renderer *w, kiosk_diag *diag, kiosk_error error, size_t item, const char *why)
{
    if (w->error == KIOSK_OK) {
        w->error = error;
        w->diagnosed = true;
        kiosk_diag_set(diag, error, "receipt item %zu: %s", item + 1, why);
    }
}

bool escpos_printable(const escpos_model *model, uint32_t code_point)
{
    if (code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F))
        return false;
    if (code_point >= 0xE000 && code_point <= 0xF8FF) /* private use */
        return false;
    if ((code_point >= 0xFDD0 && code_point <= 0xFDEF) || (code_point & 0xFFFE) == 0xFFFE)
        return false;                                 /* noncharacters */
    if (code_point >= 0xFF61 && code_point <= 0xFFDC) /* half-width forms */
        return false;
    if (code_point > 0xFFFF && (!model->supplementary || code_point >= 0xF0000))
        return false; /* past the font, or private use planes */
    return true;
}

/* One character of a line: itself in GB 18030, or a stand-in as wide as
 * the layout counted it. */
static void put_char(renderer *w, const char *utf8, size_t bytes, int columns)
{
    uint32_t code_point = 0;
    uint8_t encoded[GB18030_CHAR_MAX];
    size_t length = 0;
    if (gb18030_utf8_decode(utf8, bytes, &code_point) && escpos_printable(w->model, code_point) &&
        (length = gb18030_encode(&w->codec, code_point, encoded)) > 0 &&
        (length == 1) == (columns == 1)) {
        put(w, encoded, length);
        return;
    }
    w->out->stand_ins++;
    if (columns == 1)
        put(w, &(uint8_t){ESCPOS_STAND_IN_NARROW}, 1);
    else
        put(w, (const uint8_t[]){0xA1, 0xF5}, 2); /* □ */
}

static void put_line(renderer *w, const char *text, size_t length)
{
    size_t at = 0;
    while (at < length) {
        size_t bytes = 1;
        int columns = receipt_char_columns(text + at, length - at, &bytes);
        put_char(w, text + at, bytes, columns);
        at += bytes;
    }
    put(w, &(uint8_t){ESCPOS_LF}, 1);
}

/* ESC a always (it marks a paragraph), the size and weight when they
 * change. */
static void start_paragraph(renderer *w, receipt_align align, int scale, bool bold)
{
    put3(w, ESCPOS_ESC, 'a', (uint8_t)align);
    if (scale != w->scale) {
        put3(w, ESCPOS_GS, '!', scale == 2 ? 0x11 : 0x00); /* width and height x2 */
        w->scale = scale;
    }
    if (bold != w->bold) {
        put3(w, ESCPOS_ESC, 'E', bold ? 1 : 0);
        w->bold = bold;
    }
}

static void render_text(renderer *w, const receipt_item *item)
{
    int scale = item->scale == 2 ? 2 : 1;
    int columns = receipt_columns(w->model->paper_mm) / scale;
    const char *text = item->text;
    size_t length = strnlen(text, sizeof item->text);
    start_paragraph(w, item->align, scale, item->bold);
    size_t at = 0;
    do {
        size_t end = at + receipt_line_break(text + at, length - at, columns);
        put_line(w, text + at, end - at);
        at = end;
        if (at < length && text[at] == '\n') {
            at++;
            if (at == length)
                put_line(w, "", 0); /* a paragraph that ends in a newline ends in a blank line */
        }
    } while (at < length);
}

static void render_rule(renderer *w)
{
    char dashes[128];
    int columns = receipt_columns(w->model->paper_mm);
    memset(dashes, '-', (size_t)columns);
    start_paragraph(w, RECEIPT_ALIGN_LEFT, 1, false);
    put_line(w, dashes, (size_t)columns);
}

/* GS v 0: the header of a raster image, width_bytes x rows. */
static void put_raster_header(renderer *w, int width_bytes, int rows)
{
    const uint8_t header[8] = {ESCPOS_GS,
                               'v',
                               '0',
                               0, /* normal density */
                               (uint8_t)(width_bytes & 0xFF),
                               (uint8_t)(width_bytes >> 8),
                               (uint8_t)(rows & 0xFF),
                               (uint8_t)(rows >> 8)};
    put(w, header, sizeof header);
}

static void render_image(renderer *w, const receipt_item *item, size_t index, kiosk_diag *diag)
{
    const receipt_image *image = &item->image;
    int dots = receipt_width_dots(w->model->paper_mm);
    if (!image->bits || image->width < 1 || image->height < 1) {
        fail(w, diag, KIOSK_ERR_INVALID_ARGUMENT, index, "an image without bits");
        return;
    }
    if (image->width > dots || image->height > ESCPOS_IMAGE_ROWS_MAX) {
        fail(w, diag, KIOSK_ERR_TOO_BIG, index, "an image larger than the paper");
        return;
    }
    int width_bytes = (image->width + 7) / 8;
    /* The bits past the width in each row's last byte are not the image's:
     * they print white. */
    uint8_t last_mask = (uint8_t)(0xFF << (width_bytes * 8 - image->width));
    put3(w, ESCPOS_ESC, 'a', (uint8_t)item->align);
    put_raster_header(w, width_bytes, image->height);
    if (!reserve(w, (size_t)width_bytes * (size_t)image->height))
        return;
    for (int y = 0; y < image->height; y++) {
        uint8_t *row = w->out->bytes + w->out->length;
        memcpy(row, image->bits + (size_t)y * (size_t)width_bytes, (size_t)width_bytes);
        row[width_bytes - 1] &= last_mask;
        w->out->length += (size_t)width_bytes;
    }
}

/* For printers without GS ( k: the symbol drawn as a raster image,
 * module x module dots per module. */
static void put_qr_raster(renderer *w, const QRcode *code, int module)
{
    int dots = code->width * module;
    int width_bytes = (dots + 7) / 8;
    put_raster_header(w, width_bytes, dots);
    if (!reserve(w, (size_t)width_bytes * (size_t)dots))
        return;
    for (int y = 0; y < dots; y++) {
        uint8_t *row = w->out->bytes + w->out->length;
        memset(row, 0, (size_t)width_bytes);
        const unsigned char *modules = code->data + (size_t)(y / module) * (size_t)code->width;
        for (int x = 0; x < dots; x++) {
            if (modules[x / module] & 1) /* bit 0: dark module */
                row[x / 8] |= (uint8_t)(0x80 >> (x % 8));
        }
        w->out->length += (size_t)width_bytes;
    }
}

/* GS ( k, cn 49: model 2, module size, error correction M, store, print. */
static void put_qr_native(renderer *w, const char *data, size_t length, int module)
{
    static const uint8_t model2[] = {ESCPOS_GS, '(', 'k', 4, 0, 49, 65, 50, 0};
    static const uint8_t level_m[] = {ESCPOS_GS, '(', 'k', 3, 0, 49, 69, 49};
    static const uint8_t print[] = {ESCPOS_GS, '(', 'k', 3, 0, 49, 81, 48};
    const uint8_t size[] = {ESCPOS_GS, '(', 'k', 3, 0, 49, 67, (uint8_t)module};
    size_t p = length + 3; /* cn, fn, m and the data */
    const uint8_t store[] = {ESCPOS_GS,         '(', 'k', (uint8_t)(p & 0xFF),
                             (uint8_t)(p >> 8), 49,  80,  48};
    put(w, model2, sizeof model2);
    put(w, size, sizeof size);
    put(w, level_m, sizeof level_m);
    put(w, store, sizeof store);
    put(w, data, length);
    put(w, print, sizeof print);
}

static void render_qr(renderer *w, const receipt_item *item, size_t index, kiosk_diag *diag)
{
    size_t length = strnlen(item->text, sizeof item->text);
    if (length == 0) {
        fail(w, diag, KIOSK_ERR_INVALID_ARGUMENT, index, "a QR code of nothing");
        return;
    }
    /* Encoded here in both cases: the printer's own command needs the
     * symbol's width too, to choose a module size that fits the paper. */
    errno = 0;
    QRcode *code =
        QRcode_encodeData((int)length, (const unsigned char *)item->text, 0, QR_ECLEVEL_M);
    if (!code) {
        fail(w, diag, errno == ENOMEM ? KIOSK_ERR_NO_MEMORY : KIOSK_ERR_TOO_BIG, index,
             "QR data that cannot be encoded");
        return;
    }
    int dots = receipt_width_dots(w->model->paper_mm);
    int module = item->module < 1 ? 1 : item->module;
    while (module > 1 && code->width * module > dots)
        module--;
    if (code->width * module > dots) {
        QRcode_free(code);
        {
            fail(w, diag, KIOSK_ERR_TOO_BIG, index, "QR data too long for the paper");
            return;
        }
    }
    put3(w, ESCPOS_ESC, 'a', (uint8_t)item->align);
    if (w->model->native_qr)
        put_qr_native(w, item->text, length, module);
    else
        put_qr_raster(w, code, module);
    QRcode_free(code);
}

static void render_item(renderer *w, const receipt_item *item, size_t index, kiosk_diag *diag)
{
    switch (item->kind) {
    case RECEIPT_TEXT:
        render_text(w, item);
        break;
    case RECEIPT_QR:
        render_qr(w, item, index, diag);
        break;
    case RECEIPT_IMAGE:
        render_image(w, item, index, diag);
        break;
    case RECEIPT_RULE:
        render_rule(w);
        break;
    case RECEIPT_FEED:
        put3(w, ESCPOS_ESC, 'd',
             (uint8_t)(item->lines < 0     ? 0
                       : item->lines > 255 ? 255
                                           : item->lines));
        break;
    case RECEIPT_CUT:
        /* Function B: feed to the cutter, then a partial cut (one point left
         * uncut, so the receipt hangs until the citizen takes it). */
        put(w, (const uint8_t[]){ESCPOS_GS, 'V', 66, 0}, 4);
        break;
    default:
        fail(w, diag, KIOSK_ERR_INVALID_ARGUMENT, index, "an item of unknown kind");
        break;
    }
}

kiosk_error escpos_render(const receipt *r, const escpos_model *model, escpos_output *out,
                          kiosk_diag *diag)
{
    memset(out, 0, sizeof *out);
    if (!receipt_ok(r) || r->count > RECEIPT_ITEMS_MAX)
        return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT,
                              "the receipt overflowed: an item was dropped");
    renderer w = {.out = out, .model = model, .scale = 1};
    if (gb18030_open(&w.codec) != KIOSK_OK)
        return kiosk_diag_set(diag, KIOSK_ERR_UNSUPPORTED, "no GB18030 converter (iconv)");
    put(&w, (const uint8_t[]){ESCPOS_ESC, '@', ESCPOS_FS, '&'}, 4);
    mark_break(&w);
    for (size_t i = 0; i < r->count && w.error == KIOSK_OK; i++) {
        render_item(&w, &r->items[i], i, diag);
        mark_break(&w);
    }
    gb18030_close(&w.codec);
    if (w.error != KIOSK_OK && !w.diagnosed)
        kiosk_diag_set(diag, w.error, "the receipt is larger than %u bytes", ESCPOS_OUTPUT_MAX);
    return w.error;
}

void escpos_output_free(escpos_output *out)
{
    if (out->bytes) {
        explicit_bzero(out->bytes, out->capacity);
        free(out->bytes);
    }
    memset(out, 0, sizeof *out);
}
