/* Text: the fonts for each language and a cache of rendered text.
 *
 * Each language draws with its own face (Noto Sans CJK SC for zh-CN, TC for
 * zh-TW: the same characters have different shapes), chosen by the board
 * profile. A language whose font cannot be opened uses the fallback font.
 *
 * Rendered text is kept as textures, keyed by font, size, style, colour, wrap
 * width and the text itself, so a redraw draws no glyphs. The cache has a
 * fixed number of entries and a byte budget; the least recently drawn entries
 * go first. Main thread only. */
#ifndef KIOSK_UI_TEXT_H
#define KIOSK_UI_TEXT_H

#include "firmware/base/error.h"
#include "firmware/base/lang.h"

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct ui_font_source {
    const char *file;
    int face;
} ui_font_source;

typedef enum ui_align {
    UI_ALIGN_START,
    UI_ALIGN_CENTER,
    UI_ALIGN_END,
} ui_align;

typedef struct ui_text_style {
    int size_px;
    SDL_Color color;
    bool bold;
    int wrap_px;         /* 0: one line; otherwise the width to wrap at */
    ui_align wrap_align; /* alignment of wrapped lines */
    bool title;          /* wrapped as a title: no last line of one character */
} ui_text_style;

typedef struct ui_text ui_text;

/* Pictograms (ui/icons.h) are drawn as text in the icon font of Debian's
 * fonts-material-design-icons-iconfont, named by this "language" in
 * ui_text_get and ui_text_part (it has no capital height). */
#define UI_TEXT_ICONS ((lang)LANG_COUNT)
#define UI_TEXT_ICON_FONT_FILE                                                                     \
    "/usr/share/fonts/truetype/material-design-icons-iconfont/MaterialIcons-Regular.ttf"

/* What the cache holds and has done (ui_text_get_stats in ui/test_probes.h). */
typedef struct ui_text_stats {
    size_t entries, bytes;
    unsigned long hits, misses, evictions;
} ui_text_stats;

/* Checks every font named (each distinct file and face once) and starts
 * opening them on a worker thread; the first use waits for it. A language
 * whose source fails falls back (logged as a warning); when the fallback
 * fails too, the error names both files. renderer may be NULL until
 * ui_text_set_renderer. *out is owned by the caller (ui_text_close).
 * Errors: FONT, NO_MEMORY. */
kiosk_error ui_text_open(SDL_Renderer *renderer, const ui_font_source sources[LANG_COUNT],
                         ui_font_source fallback, ui_text **out, kiosk_diag *diag) KIOSK_MUST_CHECK;
void ui_text_close(ui_text *text);

/* The renderer textures are made for (set before the first ui_text_get). */
void ui_text_set_renderer(ui_text *text, SDL_Renderer *renderer);

/* The texture showing utf8 in language's font and style (*width, *height in
 * pixels), or NULL when it cannot be drawn (logged). The texture belongs to the
 * cache: use it before the next call that may evict (any ui_text_get). */
SDL_Texture *ui_text_get(ui_text *text, lang language, const char *utf8, ui_text_style style,
                         int *width, int *height);

/* Draws utf8 inside box, aligned horizontally and vertically centred. Text
 * wider than the box is clipped to it. */
void ui_text_draw(ui_text *text, lang language, const char *utf8, ui_text_style style, SDL_Rect box,
                  ui_align align);

/* Drops every cached entry, zeroing the remembered text: after a session, no
 * texture showing personal data survives. */
void ui_text_clear(ui_text *text);

#endif
