/* What tests look at; the product never calls these.
 *
 * Each reads a widget's or a module's state that the screens and the app
 * have no use for: where a scroll view stands, a countdown's seconds, the
 * text cache's counters, a font's cap height, the contrast of two colours,
 * the strings a language lacks. They live in the modules they read (which
 * include this header so that their definitions match); only tests call
 * them. */
#ifndef KIOSK_UI_TEST_PROBES_H
#define KIOSK_UI_TEST_PROBES_H

#include "firmware/base/lang.h"
#include "ui/strings.h"
#include "ui/text.h"
#include "ui/widget.h"

#include <SDL2/SDL.h>
#include <stddef.h>

/* A scroll view's offset: 0 at the top (ui/scroll_view.c). */
int ui_scroll_view_offset(const ui_widget *view);

/* A countdown's seconds left, as clamped by ui_countdown_set
 * (ui/feedback_widgets.c). */
int ui_countdown_seconds_left(const ui_widget *widget);

/* The text cache's counters (ui/text.c). */
ui_text_stats ui_text_get_stats(const ui_text *text);

/* The height in pixels of a capital H in language's font at size_px (what
 * legibility rules measure), or 0 when the font cannot say (ui/text.c). */
int ui_text_cap_height_px(ui_text *text, lang language, int size_px);

/* WCAG 2 contrast ratio of two opaque colours, from 1 to 21 (ui/theme.c). */
double ui_contrast_ratio(SDL_Color a, SDL_Color b);

/* How many keys of zh-CN are missing from language (0 for zh-CN). When
 * first_missing is not NULL it receives the first such key, or NULL
 * (ui/strings.c). */
size_t ui_strings_missing(const ui_strings *strings, lang language, const char **first_missing);

/* Whether any cached texture shows exactly utf8 (for tests of the wipe). */
bool ui_text_is_cached(const ui_text *text, const char *utf8);

/* The lines utf8 is drawn in, wrapped in style (its wrap width, size and
 * title rule) in language's font: for tests of where lines break
 * (ui/text.c). 0 when not wrapped or not drawable. */
#include "ui/linebreak.h"
size_t ui_text_lines(ui_text *text, lang language, const char *utf8, ui_text_style style,
                     ui_line *lines, size_t max_lines);

#endif
