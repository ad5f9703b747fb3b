/* The on-screen keyboard for text: names, addresses, an enterprise's name.
 *
 * Four ways of typing, each a mode the citizen picks: 拼音 (letters composed
 * into Chinese candidates), 手写 (a character drawn with a finger on a pad,
 * recognised into candidates), ABC (English letters) and 123 (digits, for
 * house numbers). The keyboard draws and reports; the engines
 * (ime_pinyin.h, ime_handwriting.h) and what is typed belong to the app.
 *
 * Every key is a button whose action the app carries out:
 *   letters and digits   UI_ACTION_KEY with the character ('a'-'z', 'A'-'Z', '0'-'9')
 *   space, delete, clear UI_ACTION_KEY with ' ', UI_KEY_DELETE, UI_KEY_CLEAR
 *   capitals             UI_ACTION_KEY with UI_KEY_CAPITALS (ABC only)
 *   rewrite              UI_ACTION_KEY with UI_KEY_REWRITE (the pad's ink wiped)
 *   a candidate          UI_ACTION_CHOOSE with its place on the page shown
 *   上一页 / 下一页      UI_ACTION_PAGE with -1 / +1
 *   a mode               UI_ACTION_INPUT_MODE with the ui_keyboard_mode
 *   a stroke drawn       UI_ACTION_STROKE, from the pad (its ink: ui_pad_ink)
 */
#ifndef KIOSK_UI_KEYBOARD_H
#define KIOSK_UI_KEYBOARD_H

#include "ui/ime_handwriting.h"
#include "ui/screens.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum ui_keyboard_mode {
    UI_KEYBOARD_PINYIN,
    UI_KEYBOARD_HANDWRITING,
    UI_KEYBOARD_LETTERS,
    UI_KEYBOARD_DIGITS,
    UI_KEYBOARD_MODE_COUNT,
} ui_keyboard_mode;

/* Keys beyond the characters (UI_KEY_DELETE and UI_KEY_CLEAR are widget.h's). */
#define UI_KEY_CAPITALS 14
#define UI_KEY_REWRITE  15

/* Ids of what the tests and the app look up: keys are "type.key.<name>"
 * (a-z, 0-9, space, delete, clear, capitals, rewrite). */
#define UI_ID_TYPE_LABEL       "type.label"
#define UI_ID_TYPE_FIELD       "type.field"
#define UI_ID_TYPE_PROBLEM     "type.problem"
#define UI_ID_TYPE_COMPOSITION "type.composition" /* the pinyin composed, or a note */
#define UI_ID_TYPE_CANDIDATE   "type.candidate.%zu"
#define UI_ID_TYPE_EARLIER     "type.page.earlier"
#define UI_ID_TYPE_LATER       "type.page.later"
#define UI_ID_TYPE_MODE        "type.mode.%s" /* pinyin, handwriting, letters, digits */
#define UI_ID_TYPE_KEY         "type.key.%s"
#define UI_ID_TYPE_PAD         "type.pad"

/* The name of mode in ids ("pinyin", ...). */
const char *ui_keyboard_mode_name(ui_keyboard_mode mode);

#define UI_TYPE_CANDIDATES_MAX 12

typedef struct ui_type_model {
    const char *label;   /* the field's label: the heading */
    const char *typed;   /* what is typed so far; the caret follows it */
    const char *hint;    /* shown in the field while it is empty */
    const char *problem; /* what is wrong with it, alert tone; NULL none */
    ui_keyboard_mode mode;
    bool offered[UI_KEYBOARD_MODE_COUNT]; /* the modes there are buttons for */
    /* The pinyin composed ("she bao"); else a note on the candidate bar's
     * line (pinyin getting ready); NULL or "" for none. */
    const char *composition;
    const char *note;
    const char *const *candidates; /* the page shown, up to UI_TYPE_CANDIDATES_MAX */
    size_t candidate_count;
    bool earlier, later;   /* pages before and after this one */
    bool capitals;         /* ABC types capitals */
    const ui_strokes *ink; /* what is drawn on the pad (handwriting), NULL none */
} ui_type_model;

/* How many candidates a page holds on frame's screen and theme: the app
 * asks the engine for that many. */
size_t ui_type_page_size(const ui_frame_model *frame);

/* The text-entry step: the step's frame (back says 返回, next the step
 * model's), the label, the field with a caret, the candidate bar, the modes
 * offered and the keys or the pad of the mode shown. */
kiosk_error ui_type_build(const ui_frame_model *frame, const ui_step_model *step,
                          const ui_type_model *model, ui_widget **out) KIOSK_MUST_CHECK;

/* ---- the widgets ---- */

/* A field showing text with a caret after it (the hint in a quieter colour
 * while empty); the end of a long text stays in view. */
extern const ui_widget_class ui_caret_field_class;
ui_widget *ui_caret_field_create(ui_widget *parent, const char *id, const char *value,
                                 const char *hint, SDL_Rect bounds);

/* A handwriting pad: follows the finger, drawing the strokes as they come,
 * and when it lifts performs UI_ACTION_STROKE. ink: what is drawn already
 * (copied; NULL none). hint: shown while it is empty. */
extern const ui_widget_class ui_pad_class;
ui_widget *ui_pad_create(ui_widget *parent, const char *id, const ui_strokes *ink, const char *hint,
                         SDL_Rect bounds);

/* A key: a button whose words may use nearly all its width. */
ui_widget *ui_key_create(ui_widget *parent, const char *id, const char *text, SDL_Rect bounds,
                         ui_action action, int action_arg);

/* The ink on a pad (its size is the pad's); NULL when widget is no pad. */
const ui_strokes *ui_pad_ink(const ui_widget *widget);

#endif
