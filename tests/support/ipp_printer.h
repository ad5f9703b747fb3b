/* A real IPP Everywhere printer for tests: ippeveprinter (Debian
 * cups-ipp-utils), started on a free port of 127.0.0.1 with its spool in a
 * fresh folder under build/test-tmp, keeping every document it receives.
 *
 *     ipp_printer *printer = ipp_printer_start("a4");
 *     ... point a driver, a board profile or the kiosk at
 *         ipp_printer_uri(printer) ...
 *     ipp_printer_set_paper(printer, 0);        paper out (media-empty)
 *     ipp_printer_next_job(printer, IPP_FAULT_PAPER_OUT, 0.5);
 *     ipp_printer_kill(printer);                 gone: it stops answering
 *     ipp_printer_restart(printer);              back, same port and spool
 *     size_t n = ipp_printer_documents(printer, paths, 8);
 *     ipp_document_pages(paths[0]), ipp_document_text(paths[0]),
 *     ipp_document_qr(paths[0], 1)
 *     ipp_printer_stop(printer);
 *
 * Each job runs a small script (ippeveprinter's -c) that reports the
 * document's page count as job-impressions-completed, takes as long as
 * asked, and plays the fault asked for that job through "STATE:" lines on
 * its stderr, which ippeveprinter turns into printer-state-reasons. Paper
 * and toner levels are set through ippeveprinter's own /media and
 * /supplies pages, as a technician would.
 *
 * ippeveprinter needs a D-Bus system bus for its DNS-SD side even with
 * advertising off; the harness gives it a private one (dbus-daemon), so a
 * test neither needs nor touches the machine's. When ippeveprinter,
 * dbus-daemon, pdfinfo, pdftotext, pdftoppm or zbarimg is missing, the test
 * fails saying what to install.
 * Failures fail the calling test (cmocka). Not thread-safe: call from the
 * test's thread. */
#ifndef KIOSK_TESTS_SUPPORT_IPP_PRINTER_H
#define KIOSK_TESTS_SUPPORT_IPP_PRINTER_H

#include <stdbool.h>
#include <stddef.h>

#define IPP_PRINTER_PATH_MAX 1024

typedef struct ipp_printer ipp_printer;

/* What the next job does (ipp_printer_next_job). */
typedef enum ipp_fault {
    IPP_FAULT_NONE = 0,
    IPP_FAULT_PAPER_OUT, /* the first page comes out, then the paper runs out: aborted */
    IPP_FAULT_JAM,       /* the first page comes out, then the paper jams: aborted */
    IPP_FAULT_HANG,      /* the job never ends by itself (until cancelled or the printer goes) */
} ipp_fault;

/* Starts a printer whose spool is build/test-tmp/ipp-<name>-<pid>; A4
 * paper loaded, toner full. Waits until it answers Get-Printer-Attributes. */
ipp_printer *ipp_printer_start(const char *name);
/* Kills it (if running) and frees it; the spool stays for a look. */
void ipp_printer_stop(ipp_printer *printer);

const char *ipp_printer_uri(const ipp_printer *printer); /* ipp://127.0.0.1:<port>/ipp/print */
int ipp_printer_port(const ipp_printer *printer);
const char *ipp_printer_spool(const ipp_printer *printer);

/* SIGKILL: it stops answering at once, as a printer switched off. */
void ipp_printer_kill(ipp_printer *printer);
/* Starts it again on the same port and spool (paper and toner reset to
 * full) and waits until it answers. */
void ipp_printer_restart(ipp_printer *printer);

/* Sheets in the A4 tray: 0 is paper out (media-empty), under 25 paper low
 * (media-low). */
void ipp_printer_set_paper(ipp_printer *printer, int sheets);
/* Black toner in percent: 0 is toner-empty, under 10 toner-low. */
void ipp_printer_set_toner(ipp_printer *printer, int percent);
/* How the next job runs: its fault, and how long it takes (seconds) before
 * it ends or plays the fault. Jobs after it run plainly, at once. */
void ipp_printer_next_job(ipp_printer *printer, ipp_fault fault, double seconds);

/* The PDFs the printer received, oldest first (up to max paths); returns
 * how many there are. */
size_t ipp_printer_documents(const ipp_printer *printer, char paths[][IPP_PRINTER_PATH_MAX],
                             size_t max);
/* Whether the printer answers Get-Printer-Attributes now. */
bool ipp_printer_answers(const ipp_printer *printer);
/* Its printer-state-reasons now, comma-separated ("none"). */
const char *ipp_printer_reasons(const ipp_printer *printer);

/* A received document's page count (pdfinfo) and text (pdftotext, a static
 * buffer valid until the next call). */
int ipp_document_pages(const char *path);
const char *ipp_document_text(const char *path);

/* A copy of the shipped board profile board (a name under board/profiles),
 * its data in a fresh temporary folder as test_board_in_temp, whose
 * a4-printer is this printer: a path for test_app_create or the kiosk's
 * --board. The path stays valid until the next call. */
const char *ipp_printer_board(const ipp_printer *printer, const char *board);

/* A small valid PDF to print: pages A4 pages, page n saying "<text> <n>" in
 * Helvetica (ASCII text), written into out; returns its length. */
size_t ipp_test_pdf(int pages, const char *text, char *out, size_t size);
/* The same with a QR code of qr on page 1 (give it 64 KiB). */
size_t ipp_test_pdf_qr(int pages, const char *text, const char *qr, char *out, size_t size);
/* The QR code on page (from 1) of a received document, decoded
 * (pdftoppm, then zbarimg; a static buffer), or NULL when none reads. */
const char *ipp_document_qr(const char *path, int page);

#endif
