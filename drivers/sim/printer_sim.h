/* A simulated ESC/POS receipt printer: a USB device model (bulk OUT 0x01,
 * bulk IN 0x82, printer class) that takes the bytes the real driver sends,
 * answers DLE EOT and GS r as a printer does, keeps everything it was sent,
 * and reads what it printed back into a receipt (escpos_decode) so tests
 * and developers can see the paper.
 *
 * Like a printer, it prints nothing while stopped (paper out, cover open,
 * cutter error) and answers only the real-time status then; unlike one, it
 * drops what arrives while stopped instead of printing it after recovery,
 * and a refill throws away the half-printed receipt (staff tear it off).
 *
 * Controls come from any thread (tests, the app's developer keys). */
#ifndef KIOSK_DRIVERS_SIM_PRINTER_SIM_H
#define KIOSK_DRIVERS_SIM_PRINTER_SIM_H

#include "drivers/printer/escpos.h"
#include "drivers/printer/receipt.h"
#include "drivers/usb_model.h"

#include <stdbool.h>
#include <stddef.h>

/* pid.codes' open-source vendor id; the driver's table names both. */
#define PRINTER_SIM_VENDOR       0x1209
#define PRINTER_SIM_PRODUCT_80   0x5250
#define PRINTER_SIM_PRODUCT_58   0x5251
#define PRINTER_SIM_ENDPOINT_OUT 0x01
#define PRINTER_SIM_ENDPOINT_IN  0x82

typedef enum printer_sim_kind {
    PRINTER_SIM_80MM = 0,   /* 80 mm, prints QR codes itself (GS ( k) */
    PRINTER_SIM_58MM_NO_QR, /* 58 mm, no QR command: the driver sends a raster */
} printer_sim_kind;

/* Limits: what it keeps of everything it was sent, and of one command. */
#define PRINTER_SIM_LOG_MAX (1024u * 1024u)

/* A new printer with paper, cover closed. NULL when out of memory. */
usb_model *printer_sim_create(printer_sim_kind kind);

/* What the renderer is told about this kind (for tests). */
escpos_model printer_sim_escpos_model(printer_sim_kind kind);

/* Faults. "After n bytes" counts print data from now on (status requests
 * aside): the command that would cross it is not printed. */
void printer_sim_set_paper_out(usb_model *printer, bool out); /* false: refilled */
void printer_sim_paper_out_after(usb_model *printer, size_t bytes);
void printer_sim_set_cover_open(usb_model *printer, bool open);
void printer_sim_cover_open_after(usb_model *printer, size_t bytes);
void printer_sim_set_paper_near_end(usb_model *printer, bool near_end);
void printer_sim_set_cutter_error(usb_model *printer, bool error);
/* A printer that hears but never answers (a broken IN pipe, firmware hung). */
void printer_sim_set_silent(usb_model *printer, bool silent);
/* While held, the print head is still busy: GS r waits for its answer
 * until released (a job that is taking its time). */
void printer_sim_hold_printing(usb_model *printer, bool hold);

/* Bytes of print data it took (what status requests it answered aside). */
size_t printer_sim_print_bytes(usb_model *printer);
/* Receipts cut so far; status requests answered so far. */
unsigned long printer_sim_cuts(usb_model *printer);
unsigned long printer_sim_status_answers(usb_model *printer);

/* The reference receipt (tests, figures in docs/printer.md, a developer's
 * test print): a title, the service, a tracking number, a masked name, a
 * tracking QR code, a notice that wraps, a feed and a cut. */
void printer_sim_sample_receipt(receipt *r, int paper_mm);

/* The last receipt that printed to its cut, read back: false when none
 * has. Images in out point into the printer's memory: valid until the next
 * cut, or until the model is destroyed. */
bool printer_sim_printed(usb_model *printer, receipt *out);

#endif
