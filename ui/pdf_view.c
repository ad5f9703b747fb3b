/* Pages of a PDF on screen. See pdf_view.h. */
#include "ui/pdf_view.h"

#include "firmware/base/log.h"

#include <stdlib.h>
#include <string.h>

#define PDF_LOG "pdf-view"

typedef struct page_pixels {
    SDL_Rect page; /* where the page is drawn, in the widget's bounds */
    int stride;
    unsigned char *pixels; /* ARGB8888, page.h rows of stride bytes */
    SDL_Texture *texture;  /* made at the first draw, for its renderer */
    SDL_Renderer *renderer;
} page_pixels;

static void destroy_page(ui_widget *widget)
{
    page_pixels *p = widget->data;
    if (p->texture) {
        /* What the texture holds is the citizen's: blanked before SDL
         * frees it, as our own copy is. */
        memset(p->pixels, 0xff, (size_t)p->stride * (size_t)p->page.h);
        SDL_UpdateTexture(p->texture, NULL, p->pixels, p->stride);
        SDL_DestroyTexture(p->texture);
    }
    explicit_bzero(p->pixels, (size_t)p->stride * (size_t)p->page.h);
    free(p->pixels);
    explicit_bzero(p, sizeof *p);
    free(p);
    widget->data = NULL;
}

static void draw_page(const ui_widget *widget, ui_context *context)
{
    page_pixels *p = widget->data;
    if (!p)
        return;
    SDL_Renderer *renderer = context->renderer;
    if (p->texture && p->renderer != renderer) {
        SDL_DestroyTexture(p->texture);
        p->texture = NULL;
    }
    if (!p->texture) {
        p->texture = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC,
                                       p->page.w, p->page.h);
        if (!p->texture || SDL_UpdateTexture(p->texture, NULL, p->pixels, p->stride) != 0) {
            LOG_WARN(PDF_LOG, "a page cannot be shown: %s", SDL_GetError());
            if (p->texture)
                SDL_DestroyTexture(p->texture);
            p->texture = NULL;
            return;
        }
        p->renderer = renderer;
    }
    /* A shadow's edge, so white paper stands out from a light theme. */
    SDL_Rect edge = {p->page.x - 1, p->page.y - 1, p->page.w + 2, p->page.h + 2};
    SDL_SetRenderDrawColor(renderer, 0x88, 0x88, 0x88, 255);
    SDL_RenderDrawRect(renderer, &edge);
    SDL_RenderCopy(renderer, p->texture, NULL, &p->page);
}

const ui_widget_class ui_pdf_view_class = {
    .name = "pdf-page",
    .role = UI_ROLE_TEXT,
    .focus = UI_FOCUS_NEVER,
    .draw = draw_page,
    .destroy_data = destroy_page,
};

#ifdef KIOSK_HAVE_POPPLER_GLIB

#include <cairo.h>
#include <poppler.h>

struct ui_pdf {
    GBytes *bytes; /* the caller's bytes, not copied */
    PopplerDocument *document;
    int pages;
};

bool ui_pdf_available(void)
{
    return true;
}

kiosk_error ui_pdf_open(const void *data, size_t length, ui_pdf **out)
{
    *out = NULL;
    if (!data || length == 0)
        return KIOSK_ERR_MALFORMED;
    ui_pdf *pdf = calloc(1, sizeof *pdf);
    if (!pdf)
        return KIOSK_ERR_NO_MEMORY;
    pdf->bytes = g_bytes_new_static(data, length);
    GError *error = NULL;
    pdf->document = poppler_document_new_from_bytes(pdf->bytes, NULL, &error);
    if (!pdf->document) {
        /* The message is poppler's about the file's structure: nothing of
         * what it says. */
        LOG_WARN(PDF_LOG, "a document cannot be read: %s", error ? error->message : "?");
        g_clear_error(&error);
        g_bytes_unref(pdf->bytes);
        free(pdf);
        return KIOSK_ERR_MALFORMED;
    }
    pdf->pages = poppler_document_get_n_pages(pdf->document);
    if (pdf->pages < 1) {
        ui_pdf_close(pdf);
        return KIOSK_ERR_MALFORMED;
    }
    *out = pdf;
    return KIOSK_OK;
}

int ui_pdf_page_count(const ui_pdf *pdf)
{
    return pdf ? pdf->pages : 0;
}

void ui_pdf_close(ui_pdf *pdf)
{
    if (!pdf)
        return;
    if (pdf->document)
        g_object_unref(pdf->document);
    g_bytes_unref(pdf->bytes);
    free(pdf);
}

static bool page_size(const ui_pdf *pdf, int index, double *w, double *h)
{
    if (!pdf || index < 0 || index >= pdf->pages)
        return false;
    PopplerPage *page = poppler_document_get_page(pdf->document, index);
    if (!page)
        return false;
    poppler_page_get_size(page, w, h);
    g_object_unref(page);
    return *w > 0 && *h > 0;
}

SDL_Rect ui_pdf_view_page_rect(const ui_pdf *pdf, int page, SDL_Rect bounds)
{
    double w, h;
    if (!page_size(pdf, page, &w, &h) || bounds.w < 2 || bounds.h < 2)
        return (SDL_Rect){bounds.x, bounds.y, 0, 0};
    double scale =
        (bounds.w - 2) / w < (bounds.h - 2) / h ? (bounds.w - 2) / w : (bounds.h - 2) / h;
    int pw = (int)(w * scale), ph = (int)(h * scale);
    return (SDL_Rect){bounds.x + (bounds.w - pw) / 2, bounds.y + (bounds.h - ph) / 2, pw, ph};
}

/* The page on white, at the view's size, into our own pixels; cairo's
 * surface is wiped before it is freed. */
static bool render(const ui_pdf *pdf, int index, page_pixels *p)
{
    double w, h;
    if (p->page.w < 1 || p->page.h < 1 || !page_size(pdf, index, &w, &h))
        return false;
    PopplerPage *page = poppler_document_get_page(pdf->document, index);
    cairo_surface_t *surface =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, p->page.w, p->page.h);
    bool ok = page && cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS;
    if (ok) {
        cairo_t *cr = cairo_create(surface);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_scale(cr, p->page.w / w, p->page.h / h);
        poppler_page_render(page, cr);
        ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
        cairo_destroy(cr);
        cairo_surface_flush(surface);
    }
    unsigned char *data = ok ? cairo_image_surface_get_data(surface) : NULL;
    int stride = ok ? cairo_image_surface_get_stride(surface) : 0;
    size_t size = (size_t)stride * (size_t)p->page.h;
    if (data) {
        p->pixels = malloc(size);
        p->stride = stride;
        if (p->pixels)
            memcpy(p->pixels, data, size);
        ok = p->pixels != NULL;
        explicit_bzero(data, size);
    }
    cairo_surface_destroy(surface);
    if (page)
        g_object_unref(page);
    return ok;
}

ui_widget *ui_pdf_view_create(ui_widget *parent, const char *id, ui_pdf *pdf, int page,
                              SDL_Rect bounds, const char *label)
{
    page_pixels *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->page = ui_pdf_view_page_rect(pdf, page, bounds);
    if (!render(pdf, page, p)) {
        free(p->pixels);
        free(p);
        return NULL;
    }
    ui_widget *widget = ui_widget_create(parent, &ui_pdf_view_class, id);
    if (!widget || (label && !ui_widget_set_text(widget, label))) {
        explicit_bzero(p->pixels, (size_t)p->stride * (size_t)p->page.h);
        free(p->pixels);
        free(p);
        ui_widget_destroy(widget);
        return NULL;
    }
    widget->bounds = bounds;
    widget->data = p;
    return widget;
}

#else /* no poppler: say so, and draw nothing */

bool ui_pdf_available(void)
{
    return false;
}

kiosk_error ui_pdf_open(const void *data, size_t length, ui_pdf **out)
{
    (void)data;
    (void)length;
    *out = NULL;
    return KIOSK_ERR_UNSUPPORTED;
}

int ui_pdf_page_count(const ui_pdf *pdf)
{
    (void)pdf;
    return 0;
}

void ui_pdf_close(ui_pdf *pdf)
{
    (void)pdf;
}

SDL_Rect ui_pdf_view_page_rect(const ui_pdf *pdf, int page, SDL_Rect bounds)
{
    (void)pdf;
    (void)page;
    return (SDL_Rect){bounds.x, bounds.y, 0, 0};
}

ui_widget *ui_pdf_view_create(ui_widget *parent, const char *id, ui_pdf *pdf, int page,
                              SDL_Rect bounds, const char *label)
{
    (void)parent;
    (void)id;
    (void)pdf;
    (void)page;
    (void)bounds;
    (void)label;
    return NULL;
}

#endif
