/* A receipt on screen. See receipt_view.h. */
#include "ui/receipt_view.h"

#include "ui/qr_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The printer's geometry, in dots (drivers/printer/receipt.h). */
#define EDGE_DOTS  16 /* paper above the first item and below the last */
#define SIDE_DOTS  32 /* paper either side of the printable width (4 mm) */
#define LINE_DOTS  30 /* a text line: a 24-dot glyph and 6 dots of spacing */
#define CUT_DOTS   24
#define SPACE_DOTS 8 /* around a QR code or an image */
/* The em of the text on screen: the printer's glyphs are 24 dots, but a
 * font's line (ascent and descent, about 1.45 em) must fit the 30-dot line
 * pitch, so the screen's em is a little smaller than the paper's glyph. */
#define FONT_DOTS  20
#define PAPER_LANG LANG_ZH_CN

typedef struct placed {
    int y, height; /* dots */
} placed;

float ui_receipt_view_scale(const ui_theme *theme, const ui_metrics *metrics)
{
    float min_cap_px = theme->min_cap_mm * metrics->px_per_mm;
    float scale = min_cap_px / (UI_CAP_HEIGHT_PER_EM * FONT_DOTS);
    return scale < 1.0f ? 1.0f : ceilf(scale * 20.0f) / 20.0f;
}

static int item_lines(const receipt_item *item, int columns)
{
    size_t length = strlen(item->text), at = 0;
    int lines = 0;
    do {
        size_t line = receipt_line_break(item->text + at, length - at, columns);
        at += line;
        if (at < length && item->text[at] == '\n')
            at++;
        lines++;
    } while (at < length);
    return lines;
}

/* Height of one item in dots. */
static int item_dots(const receipt *r, const receipt_item *item)
{
    switch (item->kind) {
    case RECEIPT_TEXT:
        return item_lines(item, receipt_columns(r->paper_mm) / item->scale) * LINE_DOTS *
               item->scale;
    case RECEIPT_QR: {
        int modules = ui_qr_view_module_count(item->text);
        return (modules + 2 * UI_QR_VIEW_QUIET_MODULES) * item->module + 2 * SPACE_DOTS;
    }
    case RECEIPT_IMAGE:
        return item->image.height + 2 * SPACE_DOTS;
    case RECEIPT_RULE:
        return LINE_DOTS;
    case RECEIPT_FEED:
        return item->lines * LINE_DOTS;
    case RECEIPT_CUT:
        return CUT_DOTS;
    }
    return 0;
}

SDL_Rect ui_receipt_view_size(const receipt *r, float scale)
{
    int dots = 2 * EDGE_DOTS;
    for (size_t i = 0; i < r->count; i++)
        dots += item_dots(r, &r->items[i]);
    int width = receipt_width_dots(r->paper_mm) + 2 * SIDE_DOTS;
    return (SDL_Rect){0, 0, (int)lroundf((float)width * scale), (int)lroundf((float)dots * scale)};
}

/* ---- the widget classes ------------------------------------------------- */

typedef struct paper_text {
    int size_px;
    bool bold;
} paper_text;

static size_t paper_text_parts(const ui_widget *widget, ui_context *context,
                               ui_text_part parts[UI_TEXT_PARTS_MAX])
{
    (void)context;
    const paper_text *style = widget->data;
    if (!widget->text || !widget->text[0] || !style)
        return 0;
    parts[0] = (ui_text_part){
        .text = widget->text,
        .language = PAPER_LANG,
        .style = {.size_px = style->size_px, .color = {0, 0, 0, 255}, .bold = style->bold},
        .box = widget->bounds,
        .align = widget->align};
    return 1;
}

static const ui_widget_class paper_text_class = {.name = "receipt-text",
                                                 .role = UI_ROLE_TEXT,
                                                 .text_parts = paper_text_parts,
                                                 .destroy_data = ui_widget_free_data};

static void draw_paper(const ui_widget *widget, ui_context *context)
{
    SDL_Renderer *renderer = context->renderer;
    SDL_SetRenderDrawColor(renderer, 0xFF, 0xFF, 0xFF, 0xFF);
    SDL_RenderFillRect(renderer, &widget->bounds);
    SDL_SetRenderDrawColor(renderer, 0xC9, 0xD3, 0xDF, 0xFF);
    SDL_RenderDrawRect(renderer, &widget->bounds);
}

static const ui_widget_class paper_class = {
    .name = "receipt", .role = UI_ROLE_GROUP, .draw = draw_paper};

/* A dashed line across the middle of the bounds: a rule (dark) or the cut
 * (grey). widget->action_arg: 1 for the cut. */
static void draw_dashes(const ui_widget *widget, ui_context *context)
{
    SDL_Renderer *renderer = context->renderer;
    Uint8 shade = widget->action_arg ? 0xA0 : 0x00;
    SDL_SetRenderDrawColor(renderer, shade, shade, shade, 0xFF);
    int dash = widget->bounds.h / 3 > 4 ? widget->bounds.h / 3 : 4;
    int thickness = widget->bounds.h / 12 > 1 ? widget->bounds.h / 12 : 1;
    int y = widget->bounds.y + widget->bounds.h / 2;
    for (int x = widget->bounds.x; x < widget->bounds.x + widget->bounds.w; x += 2 * dash) {
        int w = x + dash <= widget->bounds.x + widget->bounds.w
                    ? dash
                    : widget->bounds.x + widget->bounds.w - x;
        SDL_Rect part = {x, y, w, thickness};
        SDL_RenderFillRect(renderer, &part);
    }
}

static const ui_widget_class dashes_class = {
    .name = "receipt-rule", .role = UI_ROLE_GROUP, .draw = draw_dashes};

/* A 1-bit image, scaled to the bounds: one rectangle per run of black. */
static void draw_image(const ui_widget *widget, ui_context *context)
{
    const receipt_image *image = widget->data;
    if (!image || !image->bits || image->width <= 0 || image->height <= 0)
        return;
    SDL_Renderer *renderer = context->renderer;
    SDL_SetRenderDrawColor(renderer, 0, 0, 0, 0xFF);
    float sx = (float)widget->bounds.w / (float)image->width;
    float sy = (float)widget->bounds.h / (float)image->height;
    int stride = (image->width + 7) / 8;
    for (int row = 0; row < image->height; row++) {
        const uint8_t *line = image->bits + (size_t)row * (size_t)stride;
        int column = 0;
        while (column < image->width) {
            if (!(line[column / 8] & (0x80 >> (column % 8)))) {
                column++;
                continue;
            }
            int start = column;
            while (column < image->width && (line[column / 8] & (0x80 >> (column % 8))))
                column++;
            SDL_Rect run = {widget->bounds.x + (int)lroundf((float)start * sx),
                            widget->bounds.y + (int)lroundf((float)row * sy),
                            (int)ceilf((float)(column - start) * sx), (int)ceilf(sy)};
            SDL_RenderFillRect(renderer, &run);
        }
    }
}

static const ui_widget_class image_class = {.name = "receipt-image",
                                            .role = UI_ROLE_GROUP,
                                            .draw = draw_image,
                                            .destroy_data = ui_widget_free_data};

/* ---- building ----------------------------------------------------------- */

static int aligned_x(receipt_align align, int paper_dots, int dots)
{
    if (align == RECEIPT_ALIGN_CENTER)
        return (paper_dots - dots) / 2;
    if (align == RECEIPT_ALIGN_RIGHT)
        return paper_dots - dots;
    return 0;
}

static ui_align screen_align(receipt_align align)
{
    return align == RECEIPT_ALIGN_CENTER  ? UI_ALIGN_CENTER
           : align == RECEIPT_ALIGN_RIGHT ? UI_ALIGN_END
                                          : UI_ALIGN_START;
}

/* A rectangle in printable dots (x from the printable area's left edge) on
 * the screen. */
static SDL_Rect to_px(int x0, int y0, float scale, int x, int y, int w, int h)
{
    x += SIDE_DOTS;
    return (SDL_Rect){x0 + (int)lroundf((float)x * scale), y0 + (int)lroundf((float)y * scale),
                      (int)lroundf((float)w * scale), (int)lroundf((float)h * scale)};
}

static bool add_text(ui_widget *paper, const receipt *r, const receipt_item *item, int *y,
                     float scale, size_t index)
{
    int columns = receipt_columns(r->paper_mm) / item->scale;
    int paper_dots = receipt_width_dots(r->paper_mm);
    size_t length = strlen(item->text), at = 0;
    int line_number = 0;
    do {
        size_t line = receipt_line_break(item->text + at, length - at, columns);
        char text[RECEIPT_TEXT_MAX], id[UI_ID_MAX + 32];
        snprintf(text, sizeof text, "%.*s", (int)line, item->text + at);
        snprintf(id, sizeof id, "%s.%zu.%d", paper->id, index, line_number++);
        ui_widget *w = ui_widget_create(paper, &paper_text_class, id);
        paper_text *style = malloc(sizeof *style);
        if (!w || !style || !ui_widget_set_text(w, text)) {
            free(style);
            return false;
        }
        *style = (paper_text){.size_px = (int)lroundf((float)(FONT_DOTS * item->scale) * scale),
                              .bold = item->bold};
        w->data = style;
        w->align = screen_align(item->align);
        w->bounds = to_px(paper->bounds.x, paper->bounds.y, scale, 0, *y, paper_dots,
                          LINE_DOTS * item->scale);
        *y += LINE_DOTS * item->scale;
        at += line;
        if (at < length && item->text[at] == '\n')
            at++;
    } while (at < length);
    return true;
}

static bool add_item(ui_widget *paper, const receipt *r, const receipt_item *item, int *y,
                     float scale, size_t index)
{
    int paper_dots = receipt_width_dots(r->paper_mm);
    int x0 = paper->bounds.x, y0 = paper->bounds.y;
    char id[UI_ID_MAX + 32];
    snprintf(id, sizeof id, "%s.%zu", paper->id, index);
    int height = item_dots(r, item);
    ui_widget *w = NULL;
    switch (item->kind) {
    case RECEIPT_TEXT:
        return add_text(paper, r, item, y, scale, index);
    case RECEIPT_QR: {
        int side = height - 2 * SPACE_DOTS;
        w = ui_qr_view_create(paper, id, item->text,
                              to_px(x0, y0, scale, aligned_x(item->align, paper_dots, side),
                                    *y + SPACE_DOTS, side, side));
        break;
    }
    case RECEIPT_IMAGE: {
        w = ui_widget_create(paper, &image_class, id);
        receipt_image *image = malloc(sizeof *image);
        if (!w || !image) {
            free(image);
            return false;
        }
        *image = item->image;
        w->data = image;
        w->bounds = to_px(x0, y0, scale, aligned_x(item->align, paper_dots, item->image.width),
                          *y + SPACE_DOTS, item->image.width, item->image.height);
        break;
    }
    case RECEIPT_RULE:
    case RECEIPT_CUT:
        w = ui_widget_create(paper, &dashes_class, id);
        if (w) {
            w->action_arg = item->kind == RECEIPT_CUT;
            w->bounds = to_px(x0, y0, scale, 0, *y, paper_dots, height);
        }
        break;
    case RECEIPT_FEED:
        break;
    }
    *y += height;
    return item->kind == RECEIPT_FEED || w != NULL;
}

ui_widget *ui_receipt_view_create(ui_widget *parent, const char *id, const receipt *r, int x, int y,
                                  float scale)
{
    ui_widget *paper = ui_widget_create(parent, &paper_class, id);
    if (!paper)
        return NULL;
    SDL_Rect size = ui_receipt_view_size(r, scale);
    paper->bounds = (SDL_Rect){x, y, size.w, size.h};
    paper->tone = UI_TONE_PAPER;
    int cursor = EDGE_DOTS;
    for (size_t i = 0; i < r->count; i++) {
        if (!add_item(paper, r, &r->items[i], &cursor, scale, i)) {
            ui_widget_destroy(paper);
            return NULL;
        }
    }
    return paper;
}
