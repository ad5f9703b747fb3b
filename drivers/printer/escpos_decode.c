/* Reading ESC/POS back: the command scanner and the decoder that turns what
 * a printer was sent into the receipt it prints. The simulated printer uses
 * both; so does the fuzz target. See escpos.h. */
#include "drivers/printer/escpos.h"

#include "drivers/printer/gb18030.h"

#include <stdio.h>
#include <string.h>

static void command(escpos_command *out, escpos_command_kind kind, size_t length, int parameter)
{
    out->kind = kind;
    out->length = length;
    out->parameter = parameter;
}

/* ESC x ...: the lengths of the commands a receipt printer knows. */
static bool scan_esc(const uint8_t *b, size_t n, escpos_command *out)
{
    if (n < 2)
        return false;
    switch (b[1]) {
    case '@':
        command(out, ESCPOS_INIT, 2, 0);
        return true;
    case '2':
    case '<':
        command(out, ESCPOS_OTHER, 2, 0);
        return true;
    case 'a':
    case 'E':
    case 'd':
    case '!':
    case '-':
    case '3':
    case 'J':
    case 'M':
    case 't':
    case 'R':
    case 'G':
    case ' ':
    case '{':
    case 'V':
    case '=':
        if (n < 3)
            return false;
        command(out,
                b[1] == 'a'   ? ESCPOS_ALIGN
                : b[1] == 'E' ? ESCPOS_BOLD
                : b[1] == 'd' ? ESCPOS_FEED
                              : ESCPOS_OTHER,
                3, b[2]);
        return true;
    case 'c': /* paper sensors, panel buttons: ESC c 3 n, ESC c 4 n, ESC c 5 n */
        if (n < 4)
            return false;
        command(out, ESCPOS_OTHER, 4, 0);
        return true;
    case 'p': /* drawer pulse: m t1 t2 */
        if (n < 5)
            return false;
        command(out, ESCPOS_OTHER, 5, 0);
        return true;
    default:
        command(out, ESCPOS_UNKNOWN, 1, 0);
        return true;
    }
}

static bool scan_fs(const uint8_t *b, size_t n, escpos_command *out)
{
    if (n < 2)
        return false;
    switch (b[1]) {
    case '&':
        command(out, ESCPOS_CHINESE_ON, 2, 0);
        return true;
    case '.':
        command(out, ESCPOS_CHINESE_OFF, 2, 0);
        return true;
    case '!':
    case '-':
    case 'C':
    case 'W':
        if (n < 3)
            return false;
        command(out, ESCPOS_OTHER, 3, 0);
        return true;
    case 'S':
        if (n < 4)
            return false;
        command(out, ESCPOS_OTHER, 4, 0);
        return true;
    default:
        command(out, ESCPOS_UNKNOWN, 1, 0);
        return true;
    }
}

/* GS ( x pL pH ...: a length-prefixed function. */
static bool scan_gs_function(const uint8_t *b, size_t n, escpos_command *out)
{
    if (n < 5)
        return false;
    size_t p = (size_t)b[3] | (size_t)b[4] << 8;
    if (5 + p > ESCPOS_COMMAND_MAX) {
        command(out, ESCPOS_UNKNOWN, 1, 0);
        return true;
    }
    if (n < 5 + p)
        return false;
    if (b[2] == 'k' && p >= 2 && b[5] == 49) {
        command(out, ESCPOS_QR, 5 + p, b[6]);
        out->data = b + 7;
        out->data_length = p - 2;
    } else {
        command(out, ESCPOS_OTHER, 5 + p, 0);
    }
    return true;
}

static bool scan_raster(const uint8_t *b, size_t n, escpos_command *out)
{
    if (n < 8)
        return false;
    int width_bytes = b[4] | b[5] << 8, rows = b[6] | b[7] << 8;
    size_t bits = (size_t)width_bytes * (size_t)rows;
    if (b[2] != '0' || 8 + bits > ESCPOS_COMMAND_MAX) {
        command(out, ESCPOS_UNKNOWN, 1, 0);
        return true;
    }
    if (n < 8 + bits)
        return false;
    command(out, ESCPOS_RASTER, 8 + bits, b[3]);
    out->data = b + 8;
    out->data_length = bits;
    out->width_bytes = width_bytes;
    out->rows = rows;
    return true;
}

static bool scan_gs(const uint8_t *b, size_t n, escpos_command *out)
{
    if (n < 2)
        return false;
    switch (b[1]) {
    case '(':
        return scan_gs_function(b, n, out);
    case 'v':
        return n < 3 ? false : scan_raster(b, n, out);
    case 'V':
        if (n < 3)
            return false;
        if (b[2] == 65 || b[2] == 66 || b[2] == 97 || b[2] == 98 || b[2] == 103 || b[2] == 104) {
            if (n < 4)
                return false;
            command(out, ESCPOS_CUT, 4, b[2]);
        } else {
            command(out, ESCPOS_CUT, 3, b[2]);
        }
        return true;
    case '!':
    case 'r':
    case 'B':
    case 'H':
    case 'a':
    case 'f':
    case 'h':
    case 'w':
    case 'I':
        if (n < 3)
            return false;
        command(out,
                b[1] == '!'   ? ESCPOS_SIZE
                : b[1] == 'r' ? ESCPOS_TRANSMIT_STATUS
                              : ESCPOS_OTHER,
                3, b[2]);
        return true;
    case 'L':
    case 'W':
        if (n < 4)
            return false;
        command(out, ESCPOS_OTHER, 4, 0);
        return true;
    default:
        command(out, ESCPOS_UNKNOWN, 1, 0);
        return true;
    }
}

bool escpos_scan(const uint8_t *bytes, size_t length, escpos_command *out)
{
    memset(out, 0, sizeof *out);
    if (length == 0)
        return false;
    switch (bytes[0]) {
    case ESCPOS_LF:
        command(out, ESCPOS_LINE_FEED, 1, 0);
        return true;
    case ESCPOS_ESC:
        return scan_esc(bytes, length, out);
    case ESCPOS_FS:
        return scan_fs(bytes, length, out);
    case ESCPOS_GS:
        return scan_gs(bytes, length, out);
    case ESCPOS_DLE:
        if (length < 2)
            return false;
        if (bytes[1] == ESCPOS_EOT || bytes[1] == 0x05) { /* EOT status, ENQ recovery */
            if (length < 3)
                return false;
            command(out, bytes[1] == ESCPOS_EOT ? ESCPOS_REAL_TIME_STATUS : ESCPOS_OTHER, 3,
                    bytes[2]);
            return true;
        }
        command(out, ESCPOS_UNKNOWN, 1, 0);
        return true;
    default:
        break;
    }
    if (bytes[0] < 0x20) { /* CR, HT and the like: nothing a receipt uses */
        command(out, bytes[0] == '\r' || bytes[0] == '\t' ? ESCPOS_OTHER : ESCPOS_UNKNOWN, 1, 0);
        return true;
    }
    size_t run = 1;
    while (run < length && bytes[run] >= 0x20)
        run++;
    command(out, ESCPOS_TEXT, run, 0);
    out->data = bytes;
    out->data_length = run;
    return true;
}

/* ---- The decoder -------------------------------------------------------- */

typedef struct decoder {
    const escpos_model *model;
    receipt *out;
    escpos_decode_info *info;
    gb18030_codec codec;
    bool chinese;
    receipt_align align;
    int scale;
    bool bold;
    /* The text of the line being printed, raw, until LF. */
    uint8_t line[2 * RECEIPT_TEXT_MAX];
    size_t line_length;
    bool line_cut_short; /* more came than line holds */
    /* The paragraph the next line may continue: the last item, still open. */
    bool paragraph_open;
    size_t last_line_start; /* in that item's text */
    /* GS ( k: the stored symbol and its module size. */
    const uint8_t *qr_data;
    size_t qr_length;
    int qr_module;
} decoder;

static void put_utf8(char *text, size_t capacity, size_t *at, uint32_t code_point, bool *full)
{
    char bytes[4];
    size_t n = gb18030_utf8_encode(code_point, bytes);
    if (*at + n >= capacity) {
        *full = true;
        return;
    }
    memcpy(text + *at, bytes, n);
    *at += n;
    text[*at] = '\0';
}

/* The raw line as UTF-8 in text (NUL-terminated); false when it did not fit. */
static bool line_text(decoder *d, char *text, size_t capacity)
{
    size_t at = 0;
    bool full = d->line_cut_short;
    text[0] = '\0';
    for (size_t i = 0; i < d->line_length && !full;) {
        size_t length = d->chinese ? gb18030_sequence_length(d->line + i, d->line_length - i)
                                   : (d->line[i] < 0x80 ? 1 : 0);
        uint32_t code_point = 0xFFFD;
        if (length == 0) {
            length = 1;
            d->info->undecodable++;
        } else if (!gb18030_decode(&d->codec, d->line + i, length, &code_point) ||
                   code_point < 0x20 || code_point == 0x7F) {
            code_point = 0xFFFD;
            d->info->undecodable++;
        }
        put_utf8(text, capacity, &at, code_point, &full);
        i += length;
    }
    return !full;
}

static bool is_rule(const decoder *d, const char *text)
{
    int columns = receipt_columns(d->model->paper_mm);
    if (d->scale != 1 || d->bold || d->align != RECEIPT_ALIGN_LEFT ||
        strlen(text) != (size_t)columns)
        return false;
    return strspn(text, "-") == (size_t)columns;
}

/* Adds line to the open paragraph: directly where the line wrapped, with a
 * newline where the text had one (a wrap never leaves room for what comes
 * next, and never leaves an empty line). */
static void continue_paragraph(decoder *d, const char *line)
{
    receipt *r = d->out;
    receipt_item *item = &r->items[r->count - 1];
    size_t length = strlen(item->text);
    const char *last = item->text + d->last_line_start;
    size_t last_length = length - d->last_line_start;
    char joined[2 * RECEIPT_TEXT_MAX];
    int n = snprintf(joined, sizeof joined, "%s%s", last, line);
    int columns = receipt_columns(d->model->paper_mm) / d->scale;
    bool wrapped = n > 0 && last_length > 0 && line[0] != '\0' &&
                   receipt_line_break(joined, (size_t)n, columns) == last_length;
    size_t line_length = strlen(line);
    size_t need = length + (wrapped ? 0 : 1) + line_length;
    if (need >= sizeof item->text) {
        r->overflow = true;
        return;
    }
    if (!wrapped)
        item->text[length++] = '\n';
    memcpy(item->text + length, line, line_length + 1);
    d->last_line_start = length;
}

static void end_line(decoder *d)
{
    char text[RECEIPT_TEXT_MAX];
    bool fits = line_text(d, text, sizeof text);
    d->line_length = 0;
    d->line_cut_short = false;
    if (!fits) {
        d->out->overflow = true;
        return;
    }
    if (d->paragraph_open) {
        continue_paragraph(d, text);
        return;
    }
    if (is_rule(d, text)) {
        receipt_rule(d->out);
        return;
    }
    size_t before = d->out->count;
    receipt_text(d->out, d->align, d->scale, d->bold, text);
    d->paragraph_open = d->out->count > before;
    d->last_line_start = 0;
}

/* What a printer prints of a line left without LF when another command
 * comes: ESC d, a cut, a symbol all print it first. */
static void flush_line(decoder *d)
{
    if (d->line_length > 0)
        end_line(d);
}

static void take_text(decoder *d, const escpos_command *c)
{
    size_t room = sizeof d->line - d->line_length;
    size_t take = c->data_length < room ? c->data_length : room;
    memcpy(d->line + d->line_length, c->data, take);
    d->line_length += take;
    if (take < c->data_length)
        d->line_cut_short = true;
}

static void take_qr(decoder *d, const escpos_command *c)
{
    if (c->parameter == 67 && c->data_length >= 1) {
        d->qr_module = c->data[0];
    } else if (c->parameter == 80 && c->data_length >= 1) {
        d->qr_data = c->data + 1; /* after m */
        d->qr_length = c->data_length - 1;
    } else if (c->parameter == 81 && d->qr_data) {
        char text[RECEIPT_TEXT_MAX];
        if (d->qr_length >= sizeof text || memchr(d->qr_data, '\0', d->qr_length)) {
            d->out->overflow = true;
            return;
        }
        memcpy(text, d->qr_data, d->qr_length);
        text[d->qr_length] = '\0';
        receipt_qr(d->out, d->align, d->qr_module, text);
    }
}

static void take_raster(decoder *d, const escpos_command *c)
{
    if (c->width_bytes == 0 || c->rows == 0)
        return;
    receipt_image_add(
        d->out, d->align,
        (receipt_image){.bits = c->data, .width = c->width_bytes * 8, .height = c->rows});
}

static void take(decoder *d, const escpos_command *c)
{
    if (c->kind == ESCPOS_TEXT) {
        take_text(d, c);
        return;
    }
    if (c->kind == ESCPOS_LINE_FEED) {
        end_line(d);
        return;
    }
    if (c->kind == ESCPOS_REAL_TIME_STATUS || c->kind == ESCPOS_TRANSMIT_STATUS)
        return; /* questions, not print */
    flush_line(d);
    d->paragraph_open = false;
    switch (c->kind) {
    case ESCPOS_INIT:
        d->chinese = false;
        d->align = RECEIPT_ALIGN_LEFT;
        d->scale = 1;
        d->bold = false;
        d->qr_data = NULL;
        d->qr_module = 3; /* the usual default */
        break;
    case ESCPOS_CHINESE_ON:
    case ESCPOS_CHINESE_OFF:
        d->chinese = c->kind == ESCPOS_CHINESE_ON;
        break;
    case ESCPOS_ALIGN:
        d->align = c->parameter % 48 == 2   ? RECEIPT_ALIGN_RIGHT
                   : c->parameter % 48 == 1 ? RECEIPT_ALIGN_CENTER
                                            : RECEIPT_ALIGN_LEFT;
        break;
    case ESCPOS_BOLD:
        d->bold = c->parameter & 1;
        break;
    case ESCPOS_SIZE:
        d->scale = (c->parameter & 0x0F) > 0 ? 2 : 1; /* what receipts use: x1 or x2 */
        break;
    case ESCPOS_FEED:
        if (c->parameter > 0)
            receipt_feed(d->out, c->parameter);
        break;
    case ESCPOS_CUT:
        receipt_cut(d->out);
        d->info->cuts++;
        break;
    case ESCPOS_QR:
        take_qr(d, c);
        break;
    case ESCPOS_RASTER:
        take_raster(d, c);
        break;
    case ESCPOS_OTHER:
    case ESCPOS_UNKNOWN:
        d->info->unknown += c->length;
        break;
    default:
        break;
    }
}

kiosk_error escpos_decode(const uint8_t *bytes, size_t length, const escpos_model *model,
                          receipt *out, escpos_decode_info *info)
{
    escpos_decode_info ignored;
    decoder d = {
        .model = model, .out = out, .info = info ? info : &ignored, .scale = 1, .qr_module = 3};
    memset(d.info, 0, sizeof *d.info);
    receipt_init(out, model->paper_mm);
    if (gb18030_open(&d.codec) != KIOSK_OK)
        return KIOSK_ERR_UNSUPPORTED;
    size_t at = 0;
    while (at < length && !out->overflow) {
        escpos_command c;
        if (!escpos_scan(bytes + at, length - at, &c)) {
            d.info->unknown += length - at; /* a command cut short: never printed */
            break;
        }
        take(&d, &c);
        at += c.length;
    }
    flush_line(&d);
    gb18030_close(&d.codec);
    explicit_bzero(d.line, sizeof d.line);
    return KIOSK_OK;
}
