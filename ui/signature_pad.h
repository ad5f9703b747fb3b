/* A signature pad: a large bordered box with a baseline and "请在此处签名",
 * on which a finger's drags are drawn as smooth thick lines as they are
 * made, and the ink those drags leave (ui_ink), which becomes a cropped
 * grayscale PNG at a fixed height.
 *
 * The ink is the citizen's: it lives in one wiped block of fixed size (a
 * ceiling on points and strokes, so a scribble storm cannot grow memory),
 * owned by whoever keeps the signature (the app), not by the widget, which
 * only points at it and is rebuilt with every screen. Main thread only. */
#ifndef KIOSK_UI_SIGNATURE_PAD_H
#define KIOSK_UI_SIGNATURE_PAD_H

#include "firmware/base/error.h"
#include "ui/widget.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a signature may hold: points past the ceiling are not kept (the
 * stroke ends there), nor strokes past theirs. A signature of a dozen
 * strokes, drawn slowly, is a few hundred points. */
#define UI_INK_POINTS_MAX  4096
#define UI_INK_STROKES_MAX 128

/* The image's fixed height and widest width, px. A signature is 1 to 3 KB
 * of PNG; the worst any ink can make is the raw pixels, 640 x 160 bytes and
 * deflate's overhead (about 115 KB), well inside an outbox record and a
 * batch. */
#define UI_INK_PNG_HEIGHT 160
#define UI_INK_PNG_MAX_W  640

typedef struct ui_ink_point {
    int16_t x, y; /* in the ink's own space: the pad's pixels when drawing began */
} ui_ink_point;

typedef struct ui_ink {
    int w, h;     /* the pad's size when drawing began (0: nothing yet) */
    float pen_px; /* the pen's width in that space */
    float length; /* of all strokes, in that space */
    size_t point_count, stroke_count;
    bool drawing;                              /* a finger is down: the last stroke grows */
    bool full;                                 /* the ceiling was met: more is not kept */
    uint16_t stroke_first[UI_INK_STROKES_MAX]; /* each stroke's first point */
    ui_ink_point points[UI_INK_POINTS_MAX];
} ui_ink;

/* A new empty ink in a wiped allocation; NULL when out of memory. */
ui_ink *ui_ink_create(void);
/* Zeroes it and frees it (NULL: nothing). */
void ui_ink_destroy(ui_ink *ink);
/* Zeroes every point: the pad is empty again (清除, 重签). */
void ui_ink_clear(ui_ink *ink);

bool ui_ink_empty(const ui_ink *ink);
/* Whether there is enough ink to be a signature: strokes at least
 * min_length long in all (in the ink's space, the pad's pixels). A dot, or
 * a tick, is not. */
bool ui_ink_enough(const ui_ink *ink, float min_length);

/* The finger on a pad w x h (px) with a pen pen_px wide: down begins a
 * stroke, move adds to it (points closer than a pixel or two to the last
 * are not kept), up ends it. x, y relative to the pad. Each returns the
 * part of the pad, relative to it, whose drawing changed (empty: none). */
SDL_Rect ui_ink_down(ui_ink *ink, int w, int h, float pen_px, int x, int y);
SDL_Rect ui_ink_move(ui_ink *ink, int x, int y);
void ui_ink_up(ui_ink *ink);

/* The ink as an image: cropped to what was drawn (and a margin), scaled to
 * UI_INK_PNG_HEIGHT high and at most UI_INK_PNG_MAX_W wide, black ink on
 * white, 8-bit grayscale PNG, in a wiped allocation (*png, *length; the
 * caller wipe_frees it), its size in *width, *height. Errors: INVALID_ARGUMENT
 * (no ink), NO_MEMORY. */
kiosk_error ui_ink_png(const ui_ink *ink, uint8_t **png, size_t *length, int *width,
                       int *height) KIOSK_MUST_CHECK;

/* The pad: bounds, the prompt under the line (its text, for speech and the
 * audit too), ink drawn from (the app's; it must outlive the widget), a
 * pen pen_px wide, and the action done when the finger lifts (arg 0).
 * locked: the ink is shown as it is and drags change nothing (a signature
 * already accepted). NULL when out of memory. */
extern const ui_widget_class ui_signature_pad_class;
ui_widget *ui_signature_pad_create(ui_widget *parent, const char *id, const char *prompt,
                                   SDL_Rect bounds, ui_ink *ink, float pen_px, ui_action action,
                                   bool locked);

/* A small picture of ink (the app's, outliving the widget), cropped to it
 * and drawn at the right of bounds in the widget's tone's text colour: the
 * form shows the signature made beside 已签名. No text, not tappable. NULL
 * when out of memory. */
extern const ui_widget_class ui_signature_thumbnail_class;
ui_widget *ui_signature_thumbnail_create(ui_widget *parent, const char *id, SDL_Rect bounds,
                                         const ui_ink *ink);

#endif
