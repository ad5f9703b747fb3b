/* Pictograms: a small named table of icons from the Material Icons font
 * (Debian fonts-material-design-icons-iconfont, Apache-2.0), drawn as text
 * in the theme's colours (ui/text.h: UI_TEXT_ICONS) and audited as text is:
 * contrast in every theme, size, and nothing drawn over them.
 *
 * A service names its icon in the catalog ("icon": "<name>"); a name not in
 * the table gets the generic icon. Screens draw an icon as a widget
 * (ui_icon_create), or a tile carries one (ui_tile_set_marks).
 * docs/icons-and-tiles.md lists the table. */
#ifndef KIOSK_UI_ICONS_H
#define KIOSK_UI_ICONS_H

#include "ui/screens.h"
#include "ui/widget.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What an unknown or missing name is drawn as. */
#define UI_ICON_GENERIC "apps"

/* Whether name is in the table. */
bool ui_icon_known(const char *name);

/* The font's code point for name (the generic icon's for an unknown one). */
uint32_t ui_icon_codepoint(const char *name);

/* The UTF-8 of name's code point, NUL-terminated, in out (8 bytes). */
void ui_icon_utf8(const char *name, char out[8]);

/* The table, for checks: its size and the name at index (NULL past it). */
size_t ui_icon_count(void);
const char *ui_icon_name_at(size_t index);

/* An icon widget: name's pictogram centred in bounds, as large as fits, in
 * its tone's text colour on whatever is behind it. It says nothing (no
 * text): the words beside it do. NULL when out of memory. */
extern const ui_widget_class ui_icon_class;
ui_widget *ui_icon_create(ui_widget *parent, const char *id, const char *name, SDL_Rect bounds,
                          ui_tone tone);

/* Gives a tile (ui_tile_create) a pictogram beside its name (icon_name;
 * NULL none) and keeps foot_px free at its foot, or end_px at its trailing
 * edge, for a child that tells the terminal's state ("打印机缺纸，可办理不打印").
 * False when out of memory. */
bool ui_tile_set_marks(ui_widget *tile, const char *icon_name, int foot_px, int end_px);

/* Puts name's pictogram inside widget (a button or a label whose words are
 * centred on one line), just before its words as they will be set at
 * text_dp under the frame's theme; the words stay where they are. The
 * pictogram takes the widget's tone. Where the words leave no room beside
 * them, no pictogram: the widget itself is returned. NULL when out of
 * memory. */
ui_widget *ui_icon_before_text(ui_widget *widget, const ui_frame_model *frame, const char *name,
                               float text_dp);

/* A main action's pictogram (a button's, before its words), by the string
 * key of its words: "step.next" is arrow_forward, "step.cancel" close,
 * "print.finish" check. NULL for words that carry none. */
const char *ui_icon_for_key(const char *key);

/* Whether key's pictogram goes after its words: a way forward (下一步 →,
 * 下一页 ›); every other before them. */
bool ui_icon_after_words(const char *key);

/* The keys that carry a pictogram, for checks: their count and the key at
 * index (NULL past it). */
size_t ui_icon_action_count(void);
const char *ui_icon_action_key_at(size_t index);

/* Gives a button (ui_button_create's; other widgets are left as they are)
 * icon_name's pictogram before its words, in the words' colour and sized
 * with them, the pair set where the words alone would be (centred, or at
 * the start or end). The words are made smaller for its room, never below
 * the legal least size; where even so they would not fit beside it, the
 * words go alone: a pictogram never takes their place. NULL or an unknown
 * name: none. False when out of memory. */
bool ui_button_set_icon(ui_widget *button, const char *icon_name);

/* The same with the pictogram after the words (a way forward). */
bool ui_button_set_icon_after(ui_widget *button, const char *icon_name);

/* The same, by the string key of the button's words (ui_icon_for_key),
 * before or after them as ui_icon_after_words says. */
bool ui_button_set_icon_for(ui_widget *button, const char *key);

/* The name of the pictogram button carries, NULL none. */
const char *ui_button_icon(const ui_widget *button);

/* The width a button's pictogram and the gap after it take beside words
 * set at text_px: what a button sized to its words adds for it. */
int ui_icon_room_px(int text_px);

/* How wide a button wants to be for words set at text_dp (sized as the
 * frame's controls where chrome) with a pictogram before them: the words'
 * estimated width, the pictogram's room and the button's padding. */
int ui_icon_button_want_px(const ui_frame_model *frame, const char *words, float text_dp,
                           bool chrome);

/* Two buttons side by side in row, gap apart, each wanting a width
 * (ui_icon_button_want_px): halves (as ui_column) where both fit in one;
 * otherwise each gets what it wants and the rest is shared evenly, or,
 * short of that, the row in proportion to what each wants. */
void ui_icon_button_row(SDL_Rect row, int gap, int want_first, int want_second, SDL_Rect *first,
                        SDL_Rect *second);

/* Draws name's pictogram centred in box at size_px in colour (for a
 * widget's own drawing). */
void ui_icon_draw(ui_context *context, const char *name, SDL_Rect box, int size_px,
                  SDL_Color colour);

#endif
