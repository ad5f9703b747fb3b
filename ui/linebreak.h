/* Line breaking for labels in zh-CN, zh-TW and English.
 *
 * Splits UTF-8 text into lines no wider than a width, following the Chinese
 * line-breaking rules (禁则处理): a line may break between two CJK characters,
 * next to a CJK character beside Latin text, and at spaces; never before
 * closing punctuation and small marks (，。、）」…, and , . ) " after text) nor
 * after opening punctuation (（「《“, and ( [ {). Latin words and digit runs
 * ("2026", "110105********1234") are broken by characters only when one alone
 * is wider than the line.
 *
 * Pure and allocation-free: widths come from the caller's measure function, so
 * the module is tested without fonts and serves any renderer. */
#ifndef KIOSK_UI_LINEBREAK_H
#define KIOSK_UI_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>

/* Measures the width in pixels of utf8[0..length) as one run of text. */
typedef int (*ui_linebreak_measure_fn)(void *user, const char *utf8, size_t length);

/* One line: byte offsets into the text. length excludes the spaces dropped at a
 * break and the '\n' (and spaces before it). */
typedef struct ui_line {
    size_t start, length;
} ui_line;

/* Splits text into at most max_lines lines each measuring <= width_px (except a
 * single unbreakable cluster wider than the width, which gets a line of its own,
 * and punctuation the rules keep with a character that alone fills the line:
 * it hangs past the width rather than start or end a line). Returns the number
 * of lines written to lines[]; *truncated (may be NULL) is set when the text
 * needed more than max_lines.
 *
 * '\n' forces a break; a final '\n' does not start an empty line. Spaces at a
 * break are dropped from both lines; spaces at the start of the text or after a
 * '\n' are kept. Invalid UTF-8 bytes count as one character each. "" and NULL
 * give 0 lines; so does a NULL measure (with *truncated set for a non-empty
 * text). measure is called only with whole characters of the text. Never
 * allocates. */
size_t ui_linebreak(const char *utf8, int width_px, ui_linebreak_measure_fn measure, void *user,
                    ui_line *lines, size_t max_lines, bool *truncated);

/* The same for a title (a tile's name, a heading): a title of more than one
 * line never ends with a line of one character (社保参保证明打|印 becomes
 * 社保参保证明|打印, 营业执|照 becomes 营业|执照). The line before gives the
 * last what it needs, at a place the rules allow, as long as the last line
 * still fits. Punctuation is not counted as a character (打|印。 is one).
 * Where no such place exists (a line that could hold only one character), the
 * lines stay as ui_linebreak lays them: the caller sets the title smaller.
 * A last line after a '\n' is the writer's and stays. */
size_t ui_linebreak_title(const char *utf8, int width_px, ui_linebreak_measure_fn measure,
                          void *user, ui_line *lines, size_t max_lines, bool *truncated);

/* Whether lines[count - 1] of text is one character alone on a line after
 * others (what ui_linebreak_title avoids): for checks of what is drawn. */
bool ui_linebreak_orphaned(const char *utf8, const ui_line *lines, size_t count);

#endif
