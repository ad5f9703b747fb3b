/* Handwriting through zinnia: the strokes a finger drew on a pad, in the
 * pad's own coordinates, in; the characters they most look like, best
 * first, out.
 *
 * The model is Debian's simplified Chinese one (tegaki-zinnia-simplified-
 * chinese: 6,763 characters, GB2312's). It opens in milliseconds and is
 * opened once, at start. Main thread only.
 *
 * Without zinnia (KIOSK_HAVE_ZINNIA undefined, the arm64 cross build)
 * opening says unavailable and nothing is recognised. */
#ifndef KIOSK_UI_IME_HANDWRITING_H
#define KIOSK_UI_IME_HANDWRITING_H

#include "firmware/base/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Debian's model. */
#define UI_HANDWRITING_MODEL_ZH_CN "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model"

/* Room for the ink of one character: strokes enough for 龘, points enough
 * for a slow finger. */
#define UI_STROKES_MAX       40
#define UI_STROKE_POINTS_MAX 1200

/* One point a finger passed through, in the pad's coordinates (0,0 its
 * top left), and the stroke (0-based, in the order drawn) it belongs to. */
typedef struct ui_stroke_point {
    int16_t x, y;
    uint8_t stroke;
} ui_stroke_point;

/* What was drawn on a pad width x height. */
typedef struct ui_strokes {
    int width, height;
    size_t count;   /* points */
    size_t strokes; /* strokes begun */
    ui_stroke_point points[UI_STROKE_POINTS_MAX];
} ui_strokes;

/* Starts a stroke at (x, y), adds a point to the one under way, and says
 * whether there is room for more (false: the point or stroke is dropped). */
bool ui_strokes_begin(ui_strokes *ink, int x, int y);
bool ui_strokes_add(ui_strokes *ink, int x, int y);

/* Forgets what was drawn (wiped), keeping the pad's size. */
void ui_strokes_clear(ui_strokes *ink);

typedef struct ui_handwriting ui_handwriting;

/* Opens the model at path. KIOSK_ERR_UNSUPPORTED without zinnia,
 * KIOSK_ERR_NOT_FOUND when the model cannot be opened. */
kiosk_error ui_handwriting_open(const char *model_path, ui_handwriting **out) KIOSK_MUST_CHECK;
void ui_handwriting_close(ui_handwriting *handwriting);

/* The characters ink most looks like, best first: up to max of them, each
 * a NUL-terminated UTF-8 character in out[i]. Returns how many (0 for no
 * ink, or nothing recognised). */
#define UI_HANDWRITING_CHAR_MAX 8
size_t ui_handwriting_recognise(ui_handwriting *handwriting, const ui_strokes *ink,
                                char out[][UI_HANDWRITING_CHAR_MAX], size_t max);

#endif
