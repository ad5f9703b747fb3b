/* What a technician looks at and touches to test the screen
 * (ui/screen_tech_pattern.c): a test pattern, and a pad of touch targets
 * that measures where each touch landed against its target. */
#ifndef KIOSK_UI_SCREEN_TECH_PATTERN_H
#define KIOSK_UI_SCREEN_TECH_PATTERN_H

#include "ui/widget.h"

#include <stdbool.h>

/* The test pattern filling bounds: colour bars (white, yellow, cyan,
 * green, magenta, red, blue, black) across the top third, a grey ramp from
 * black to white in 32 steps across the middle, and a grid of 1-pixel
 * white lines every 16 pixels on black across the bottom third, framed by
 * a 1-pixel white border round the whole (a panel that crops or scales
 * shows it at once). NULL when out of memory. */
ui_widget *ui_test_pattern_create(ui_widget *parent, const char *id, SDL_Rect bounds);

/* The touch targets: one near each corner and one in the centre, each a
 * cross in a ring, drawn green once touched. A finger lifted on the pad
 * does action with the target it was meant for (the nearest one not yet
 * touched) as arg. */
#define UI_TOUCH_TARGETS 5
ui_widget *ui_touch_pad_create(ui_widget *parent, const char *id, SDL_Rect bounds,
                               ui_action action);
/* Where target i is (screen pixels), and where it was touched (false when
 * not yet). */
SDL_Point ui_touch_pad_target(const ui_widget *pad, int i);
bool ui_touch_pad_touched(const ui_widget *pad, int i, SDL_Point *at);
/* Marks target i as touched at (for a pad built again). */
void ui_touch_pad_set(ui_widget *pad, int i, SDL_Point at);

#endif
