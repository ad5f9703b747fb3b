/* A receipt on screen: the same document model the printer prints
 * (drivers/printer/receipt.h), laid out dot for dot as the printer lays it
 * out (the same character widths and line breaks), so the citizen sees what
 * will print, and a test can render what a printer received and compare.
 *
 * Black on white paper in every theme. Each text line is a child widget (so
 * the audit measures it and a test or a screen reader reads it), QR codes
 * are QR views, images and rules are drawn. The scale (screen pixels per
 * printer dot) is the caller's: ui_receipt_view_scale gives the smallest
 * that keeps the text legible under the theme. */
#ifndef KIOSK_UI_RECEIPT_VIEW_H
#define KIOSK_UI_RECEIPT_VIEW_H

#include "drivers/printer/receipt.h"
#include "ui/metrics.h"
#include "ui/theme.h"
#include "ui/widget.h"

/* Screen pixels per printer dot so that the receipt's smallest text has the
 * theme's minimum capital height on this glass, and at least 1. */
float ui_receipt_view_scale(const ui_theme *theme, const ui_metrics *metrics);

/* The receipt's size in pixels at scale. */
SDL_Rect ui_receipt_view_size(const receipt *r, float scale);

/* Creates the view of r (copied: images keep pointing at r's bits) at
 * (x, y) and scale as the last child of parent. NULL when out of memory. */
ui_widget *ui_receipt_view_create(ui_widget *parent, const char *id, const receipt *r, int x, int y,
                                  float scale);

#endif
