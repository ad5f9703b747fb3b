/* The screens: each builds a widget tree for the current language, layout and
 * data. The app owns navigation and data; a screen only turns a model into
 * widgets whose actions tell the app what the citizen asked for.
 *
 * Every screen shares the frame: a title bar (the hall, the time) and a footer
 * (help, the language switch, elder mode), so a citizen can always get help or
 * change language without losing their place. */
#ifndef KIOSK_UI_SCREENS_H
#define KIOSK_UI_SCREENS_H

#include "firmware/error.h"
#include "firmware/lang.h"
#include "ui/metrics.h"
#include "ui/strings.h"
#include "ui/widget.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* What every screen's frame shows. */
typedef struct ui_frame_model {
    const ui_strings *strings;
    lang language;
    ui_metrics metrics;
    const char *hall_name;
    const char *clock_text;
} ui_frame_model;

typedef struct ui_tile_model {
    const char *id;
    const char *name;
    const char *summary;
    bool bundle; /* an "一件事" bundle: shown wide, after the single services */
} ui_tile_model;

/* Widget ids the app and tests rely on. */
#define UI_ID_CLOCK "title.clock"

/* Creates the page root (the whole frame) with the title bar and footer, and
 * returns in *content the rectangle left between them. NULL when out of memory. */
ui_widget *ui_frame_build(const ui_frame_model *frame, SDL_Rect *content);

/* Home: a prompt and a grid of service tiles (tap: UI_ACTION_OPEN_SERVICE with
 * the tile's index in tiles). *out is owned by the caller. */
kiosk_error ui_home_build(const ui_frame_model *frame, const ui_tile_model *tiles, size_t count,
                          ui_widget **out) KIOSK_MUST_CHECK;

/* A screen for what is not built yet: a title, an explanation, how long until
 * it returns home by itself, and a large button home. *out is owned by the caller. */
kiosk_error ui_placeholder_build(const ui_frame_model *frame, const char *title, const char *body,
                                 int idle_seconds, ui_widget **out) KIOSK_MUST_CHECK;

/* The clock line in language, from the string table's clock.format. */
void ui_clock_format(const ui_strings *strings, lang language, const struct tm *when, char *out,
                     size_t out_size);

#endif
