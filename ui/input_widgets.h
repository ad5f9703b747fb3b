/* Widgets for entering things: a text field, a numeric keypad, a check box,
 * and the rows of forms and checklists that hold them. */
#ifndef KIOSK_UI_INPUT_WIDGETS_H
#define KIOSK_UI_INPUT_WIDGETS_H

#include "ui/widget.h"

/* A field showing what was typed (text), or a hint (detail) in a quieter
 * colour while it is empty. It takes no touches: the keypad types into it. */
extern const ui_widget_class ui_text_field_class;

ui_widget *ui_text_field_create(ui_widget *parent, const char *id, const char *value,
                                const char *hint, SDL_Rect bounds);

/* Shows the field's digits in groups, for the eye only (the text stays as
 * typed): pattern gives the sizes, the last repeating ("3-4-4" a mobile
 * number 138 0013 8000, "6-8-4" an ID number, "4" a tracking number). A
 * value that is not all digits (and X) is shown as it is. False when out of
 * memory. */
bool ui_text_field_group(ui_widget *field, const char *pattern);

/* The same grouping into out (NUL-terminated, truncated to out_size). */
void ui_group_digits(const char *text, const char *pattern, char *out, size_t out_size);

/* A numeric keypad in bounds, four by four: 1-9, delete and clear on the
 * right, X beside 9 (when with_x, for ID numbers), a wide 0. Each key is a
 * button "<id>.<key>" (keys 0-9, x, delete, clear) whose action is
 * UI_ACTION_KEY with the character, UI_KEY_DELETE or UI_KEY_CLEAR. NULL when
 * out of memory. */
ui_widget *ui_keypad_create(ui_widget *parent, const char *id, SDL_Rect bounds, bool with_x,
                            const char *delete_label, const char *clear_label, int gap);

/* A check box: a rounded square in its bounds, ringed in its tone's border
 * colour; ticked (UI_FLAG_CHECKED) it is filled in the tone's background
 * with a tick in the tone's text colour. It takes no touches: the row it is
 * in does. Drawn, not a glyph, so that every board's font will do. */
extern const ui_widget_class ui_check_box_class;

/* A check box in the primary tone. */
ui_widget *ui_check_box_create(ui_widget *parent, const char *id, bool checked, SDL_Rect bounds);

/* A radio mark, for one choice of several: a ring in its tone's border
 * colour; chosen (UI_FLAG_CHECKED) a ring and a dot in the tone's
 * background (light on the chosen row), the row's face between. In the
 * primary tone; it takes no touches (the row does). */
extern const ui_widget_class ui_radio_class;
ui_widget *ui_radio_create(ui_widget *parent, const char *id, bool chosen, SDL_Rect bounds);

/* A padlock in its tone's detail colour: what it marks is filled in for the
 * citizen and cannot be changed here. */
extern const ui_widget_class ui_lock_class;

ui_widget *ui_lock_create(ui_widget *parent, const char *id, SDL_Rect bounds, ui_tone tone);

/* A row of a form or a checklist: a box in its tone holding other widgets
 * (its texts, a check box), which draw themselves. Tappable when action is
 * not UI_ACTION_NONE. UI_TONE_ALERT is a tile's face in a border of the alert
 * colour twice as thick: a row with a problem stands out by more than a
 * colour, and what is in it reads as on any tile. Its text is what names it
 * (a field's label), for speech and tests; it draws none. */
extern const ui_widget_class ui_row_class;

ui_widget *ui_row_create(ui_widget *parent, const char *id, const char *name, SDL_Rect bounds,
                         ui_tone tone, ui_action action, int action_arg);

#endif
