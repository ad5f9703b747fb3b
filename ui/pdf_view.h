/* A certificate's pages on screen, drawn by poppler (poppler-glib) from the
 * PDF the platform issued, so the citizen reads what will print.
 *
 * A ui_pdf is the opened document: it reads the caller's bytes in place
 * (they must outlive it and are the caller's to wipe) and poppler's own
 * copies are freed when it is closed. A view renders one page once, when it
 * is made, into pixels that are wiped when the view goes (and its texture
 * blanked before it is freed). Built without poppler
 * (KIOSK_HAVE_POPPLER_GLIB undefined: the arm64 image), nothing opens and
 * the screen says the preview is unavailable; the document still prints.
 * Main thread only. */
#ifndef KIOSK_UI_PDF_VIEW_H
#define KIOSK_UI_PDF_VIEW_H

#include "firmware/base/error.h"
#include "ui/widget.h"

#include <stdbool.h>
#include <stddef.h>

/* Whether this build can show a PDF at all. */
bool ui_pdf_available(void);

typedef struct ui_pdf ui_pdf;

/* Opens length bytes at data (not copied). Errors: UNSUPPORTED (built
 * without poppler), MALFORMED (poppler cannot read it, or it has no
 * pages), NO_MEMORY. */
kiosk_error ui_pdf_open(const void *data, size_t length, ui_pdf **out) KIOSK_MUST_CHECK;
int ui_pdf_page_count(const ui_pdf *pdf);
/* Frees poppler's document (NULL is fine). */
void ui_pdf_close(ui_pdf *pdf);

extern const ui_widget_class ui_pdf_view_class; /* a page, white paper on the screen */

/* A view of page (0-based) of pdf, as large as fits bounds at the page's
 * shape, centred, as the last child of parent; label (copied) is what a
 * screen reader or a test reads ("第 1 页，共 2 页"). NULL when out of
 * memory or the page cannot be drawn, leaving nothing behind. */
ui_widget *ui_pdf_view_create(ui_widget *parent, const char *id, ui_pdf *pdf, int page,
                              SDL_Rect bounds, const char *label);

/* The size in pixels a page is drawn at within bounds (w, h; 0 when it
 * cannot be): A4 stays A4. */
SDL_Rect ui_pdf_view_page_rect(const ui_pdf *pdf, int page, SDL_Rect bounds);

#endif
