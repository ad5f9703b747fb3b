/* Certificates drawn as A4 PDF pages. See pdf.h. */
#include "pdf.h"

#include "sim.h"

#include "firmware/base/log.h"

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A4 in points, and the margins of a printed certificate. */
#define PAGE_W      595.28
#define PAGE_H      841.89
#define MARGIN      56.0
#define QR_SIZE     96.0
#define ROW_H       22.0
#define FACT_H      22.0
#define FOOTER_TOP  (PAGE_H - MARGIN - QR_SIZE - 8.0)
#define FONT_FAMILY "Noto Sans CJK SC"

typedef struct buffer {
    unsigned char *data;
    size_t length, cap;
    bool failed;
} buffer;

static cairo_status_t write_to(void *closure, const unsigned char *data, unsigned int length)
{
    buffer *b = closure;
    if (b->length + length > b->cap) {
        size_t cap = b->cap ? b->cap : 64 * 1024;
        while (cap < b->length + length)
            cap *= 2;
        unsigned char *grown = realloc(b->data, cap);
        if (!grown) {
            b->failed = true;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->length, data, length);
    b->length += length;
    return CAIRO_STATUS_SUCCESS;
}

/* The regular and bold CJK faces, found once: every certificate uses them. */
static pthread_once_t faces_once = PTHREAD_ONCE_INIT;
static cairo_font_face_t *regular_face, *bold_face;
/* cairo and fontconfig are thread-safe, but one certificate at a time is
 * plenty for a stand-in and keeps the font cache's use simple. */
static pthread_mutex_t render_lock = PTHREAD_MUTEX_INITIALIZER;

static cairo_font_face_t *find_face(int weight)
{
    FcPattern *wanted = FcPatternCreate();
    if (!wanted)
        return NULL;
    FcPatternAddString(wanted, FC_FAMILY, (const FcChar8 *)FONT_FAMILY);
    FcPatternAddString(wanted, FC_LANG, (const FcChar8 *)"zh-cn");
    FcPatternAddInteger(wanted, FC_WEIGHT, weight);
    FcConfigSubstitute(NULL, wanted, FcMatchPattern);
    FcDefaultSubstitute(wanted);
    FcResult result = FcResultNoMatch;
    FcPattern *match = FcFontMatch(NULL, wanted, &result);
    FcPatternDestroy(wanted);
    FcChar8 *family = NULL;
    /* fontconfig always answers something: a Latin face would draw the
     * Chinese as boxes, so only a CJK face will do. */
    if (!match || FcPatternGetString(match, FC_FAMILY, 0, &family) != FcResultMatch ||
        !strstr((const char *)family, "CJK")) {
        if (match)
            FcPatternDestroy(match);
        return NULL;
    }
    cairo_font_face_t *face = cairo_ft_font_face_create_for_pattern(match);
    FcPatternDestroy(match); /* the face keeps its own reference */
    if (cairo_font_face_status(face) != CAIRO_STATUS_SUCCESS) {
        cairo_font_face_destroy(face);
        return NULL;
    }
    return face;
}

static void find_faces(void)
{
    if (!FcInit())
        return;
    regular_face = find_face(FC_WEIGHT_REGULAR);
    bold_face = find_face(FC_WEIGHT_BOLD);
    if (!bold_face)
        bold_face = regular_face ? cairo_font_face_reference(regular_face) : NULL;
}

static void use_font(cairo_t *cr, bool bold, double size)
{
    cairo_set_font_face(cr, bold ? bold_face : regular_face);
    cairo_set_font_size(cr, size);
}

static void text_at(cairo_t *cr, double x, double y, const char *text)
{
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, text);
}

static void text_centered(cairo_t *cr, double y, const char *text)
{
    cairo_text_extents_t extents;
    cairo_text_extents(cr, text, &extents);
    text_at(cr, (PAGE_W - extents.x_advance) / 2, y, text);
}

/* The QR code as filled squares (no bitmap: it stays sharp at any
 * resolution), with the four-module quiet zone the standard asks for. */
static bool draw_qr(cairo_t *cr, const char *url, double x, double y, double size)
{
    QRcode *code = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code)
        return false;
    double module = size / (code->width + 8);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, size, size);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int row = 0; row < code->width; row++) {
        for (int column = 0; column < code->width; column++) {
            if (code->data[row * code->width + column] & 1)
                cairo_rectangle(cr, x + (column + 4) * module, y + (row + 4) * module, module,
                                module);
        }
    }
    cairo_fill(cr);
    QRcode_free(code);
    return true;
}

static void draw_header(cairo_t *cr, const sim_pdf_document *d, bool continued)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    use_font(cr, true, 24);
    char title[128];
    snprintf(title, sizeof title, "%s%s", d->title, continued ? "（续）" : "");
    text_centered(cr, MARGIN + 34, title);
    use_font(cr, false, 11);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    text_centered(cr, MARGIN + 58, d->issuer);
    cairo_set_source_rgb(cr, 0.6, 0.1, 0.1);
    cairo_set_line_width(cr, 1.5);
    cairo_move_to(cr, MARGIN, MARGIN + 70);
    cairo_line_to(cr, PAGE_W - MARGIN, MARGIN + 70);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
}

static double draw_facts(cairo_t *cr, const sim_pdf_document *d, double y)
{
    for (size_t i = 0; i < d->fact_count; i++) {
        use_font(cr, true, 12);
        text_at(cr, MARGIN, y, d->fact_labels[i]);
        use_font(cr, false, 12);
        text_at(cr, MARGIN + 110, y, d->fact_values[i]);
        y += FACT_H;
    }
    return y;
}

/* Rows [first, end) of the table, with its header, from y. */
static double draw_table(cairo_t *cr, const sim_pdf_document *d, size_t first, size_t end, double y)
{
    if (d->column_count == 0)
        return y;
    double width = (PAGE_W - 2 * MARGIN) / (double)d->column_count;
    cairo_set_source_rgb(cr, 0.92, 0.92, 0.92);
    cairo_rectangle(cr, MARGIN, y, PAGE_W - 2 * MARGIN, ROW_H);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    use_font(cr, true, 11);
    for (size_t c = 0; c < d->column_count; c++)
        text_at(cr, MARGIN + c * width + 6, y + 15, d->columns[c]);
    double top = y;
    y += ROW_H;
    use_font(cr, false, 11);
    for (size_t r = first; r < end; r++) {
        for (size_t c = 0; c < d->column_count; c++)
            text_at(cr, MARGIN + c * width + 6, y + 15, d->rows[r][c]);
        y += ROW_H;
    }
    cairo_set_line_width(cr, 0.6);
    for (double line = top; line <= y + 0.1; line += ROW_H) {
        cairo_move_to(cr, MARGIN, line);
        cairo_line_to(cr, PAGE_W - MARGIN, line);
    }
    for (size_t c = 0; c <= d->column_count; c++) {
        cairo_move_to(cr, MARGIN + c * width, top);
        cairo_line_to(cr, MARGIN + c * width, y);
    }
    cairo_stroke(cr);
    return y;
}

static bool draw_footer(cairo_t *cr, const sim_pdf_document *d, int page, int pages)
{
    double qr_x = PAGE_W - MARGIN - QR_SIZE, qr_y = PAGE_H - MARGIN - QR_SIZE;
    if (!draw_qr(cr, d->verification_url, qr_x, qr_y, QR_SIZE))
        return false;
    cairo_set_source_rgb(cr, 0, 0, 0);
    char line[400];
    use_font(cr, true, 13);
    snprintf(line, sizeof line, "验证码：%s", d->verification_code);
    text_at(cr, MARGIN, qr_y + 24, line);
    use_font(cr, false, 9);
    snprintf(line, sizeof line, "核验网址：%s", d->verification_url);
    text_at(cr, MARGIN, qr_y + 46, line);
    text_at(cr, MARGIN, qr_y + 62, "扫描右侧二维码或登录上述网址，输入验证码即可核验本证明真伪。");
    snprintf(line, sizeof line, "第 %d 页 共 %d 页", page, pages);
    text_centered(cr, PAGE_H - 24, line);
    return true;
}

static kiosk_error render_locked(const sim_pdf_document *d, buffer *out, int *pages)
{
    size_t split = d->row_count > SIM_PDF_ROWS_FIRST_PAGE ? SIM_PDF_ROWS_FIRST_PAGE : d->row_count;
    *pages = d->row_count > SIM_PDF_ROWS_FIRST_PAGE ? 2 : 1;
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(write_to, out, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, d->title);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "platform-sim");
    cairo_t *cr = cairo_create(surface);
    bool drawn = true;
    for (int page = 1; page <= *pages && drawn; page++) {
        draw_header(cr, d, page > 1);
        double y = MARGIN + 100;
        if (page == 1) {
            y = draw_facts(cr, d, y) + 8;
            y = draw_table(cr, d, 0, split, y);
        } else {
            y = draw_table(cr, d, split, d->row_count, y);
        }
        if (page == *pages && d->note[0]) {
            use_font(cr, false, 11);
            text_at(cr, MARGIN, y + 28 < FOOTER_TOP ? y + 28 : FOOTER_TOP - 4, d->note);
        }
        drawn = draw_footer(cr, d, page, *pages);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (out->failed)
        return KIOSK_ERR_NO_MEMORY;
    if (!drawn || status != CAIRO_STATUS_SUCCESS) {
        LOG_WARN(SIM_MODULE, "a certificate could not be drawn: %s",
                 drawn ? cairo_status_to_string(status) : "no QR code");
        return KIOSK_ERR_IO;
    }
    return KIOSK_OK;
}

kiosk_error sim_pdf_render(const sim_pdf_document *document, unsigned char **pdf, size_t *length,
                           int *pages)
{
    *pdf = NULL;
    *length = 0;
    pthread_once(&faces_once, find_faces);
    if (!regular_face) {
        LOG_WARN(SIM_MODULE, "no %s font: certificates cannot be drawn", FONT_FAMILY);
        return KIOSK_ERR_NOT_FOUND;
    }
    buffer out = {0};
    pthread_mutex_lock(&render_lock);
    kiosk_error result = render_locked(document, &out, pages);
    pthread_mutex_unlock(&render_lock);
    if (result != KIOSK_OK) {
        free(out.data);
        return result;
    }
    *pdf = out.data;
    *length = out.length;
    return KIOSK_OK;
}
