/* Widgets for entering things: a text field and a numeric keypad. */
#ifndef KIOSK_UI_INPUT_WIDGETS_H
#define KIOSK_UI_INPUT_WIDGETS_H

#include "ui/widget.h"

/* A field showing what was typed (text), or a hint (detail) in a quieter
 * colour while it is empty. It takes no touches: the keypad types into it. */
extern const ui_widget_class ui_text_field_class;

ui_widget *ui_text_field_create(ui_widget *parent, const char *id, const char *value,
                                const char *hint, SDL_Rect bounds);

/* A numeric keypad in bounds, four by four: 1-9, delete and clear on the
 * right, X beside 9 (when with_x, for ID numbers), a wide 0. Each key is a
 * button "<id>.<key>" (keys 0-9, x, delete, clear) whose action is
 * UI_ACTION_KEY with the character, UI_KEY_DELETE or UI_KEY_CLEAR. NULL when
 * out of memory. */
ui_widget *ui_keypad_create(ui_widget *parent, const char *id, SDL_Rect bounds, bool with_x,
                            const char *delete_label, const char *clear_label, int gap);

#endif
