/* A QR code on screen: a receipt's tracking code for the citizen's phone.
 *
 * The widget's text is the encoded data, so a screen reader or a test reads
 * what the code says. It is encoded in byte mode (any UTF-8) at error
 * correction level M and drawn dark on light whatever the theme, because
 * scanners need that: black modules on white, with the quiet zone of 4
 * modules the standard asks for, at the largest whole number of pixels per
 * module that fits the bounds, centred in them. Data that cannot be shown
 * (empty, over UI_QR_VIEW_MAX_BYTES, or failing to encode) and bounds too
 * small for one pixel per module draw only a light grey outline, and are
 * logged once each (without the data) until ui_qr_view_forget_all().
 *
 * Encoded symbols are kept in a small cache keyed by the data, so a frame
 * does not encode again. Main thread only, like every widget. */
#ifndef KIOSK_UI_QR_VIEW_H
#define KIOSK_UI_QR_VIEW_H

#include "ui/widget.h"

/* A tracking code or URL is far shorter; a longer text makes a symbol too
 * dense to scan from a phone at arm's length. */
#define UI_QR_VIEW_MAX_BYTES 1024

/* Modules of light margin on every side of the symbol (ISO/IEC 18004). */
#define UI_QR_VIEW_QUIET_MODULES 4

extern const ui_widget_class ui_qr_view_class; /* a QR code of its text; draws no text */

/* Creates a QR view of data (copied as the widget's text) as the last child
 * of parent, with bounds. NULL when out of memory, leaving nothing behind. */
ui_widget *ui_qr_view_create(ui_widget *parent, const char *id, const char *data, SDL_Rect bounds);

/* The width of data's symbol in modules, without the quiet zone; 0 when it
 * cannot be encoded (NULL, empty, too long, out of memory). Layout adds
 * 2 * UI_QR_VIEW_QUIET_MODULES to find the room the code needs. */
int ui_qr_view_module_count(const char *data);

/* Frees the cache of encoded symbols, zeroing the data and the matrices
 * first (a tracking code can identify a citizen), and lets each kind of
 * warning be logged once more. The app calls it when a session ends; drawing
 * afterwards encodes again. */
void ui_qr_view_forget_all(void);

#endif
