/* Certificates as the platform issues them: A4 PDF pages drawn with cairo
 * (cairo-pdf, with the CJK face fontconfig finds for Noto Sans CJK SC),
 * each with the document's title, the citizen's facts, a table that runs
 * on to a second page when it is long, the verification code and a QR code
 * of the public verification URL. Made in memory: nothing is written to
 * disk. */
#ifndef KIOSK_TOOLS_PLATFORM_SIM_PDF_H
#define KIOSK_TOOLS_PLATFORM_SIM_PDF_H

#include "firmware/base/error.h"

#include <stddef.h>

#define SIM_PDF_FACTS_MAX   8
#define SIM_PDF_COLUMNS_MAX 4
#define SIM_PDF_ROWS_MAX    40

typedef struct sim_pdf_document {
    char title[96];  /* 社会保险参保证明 */
    char issuer[96]; /* who issues it, under the title */
    size_t fact_count;
    char fact_labels[SIM_PDF_FACTS_MAX][48];
    char fact_values[SIM_PDF_FACTS_MAX][128];
    size_t column_count, row_count;
    char columns[SIM_PDF_COLUMNS_MAX][48];
    char rows[SIM_PDF_ROWS_MAX][SIM_PDF_COLUMNS_MAX][64];
    char note[256];             /* a closing sentence, or "" */
    char verification_code[32]; /* printed under the QR code */
    char verification_url[320]; /* what the QR code holds */
} sim_pdf_document;

/* Rows of the table on the first page; the rest go on the second. */
#define SIM_PDF_ROWS_FIRST_PAGE 16

/* The document as a PDF in a malloc'd buffer (*pdf, *length); *pages
 * receives its page count (1 or 2). Errors: NOT_FOUND (no CJK font), IO
 * (cairo failed), NO_MEMORY. */
kiosk_error sim_pdf_render(const sim_pdf_document *document, unsigned char **pdf, size_t *length,
                           int *pages) KIOSK_MUST_CHECK;

#endif
