/* The user-visible strings, one table per language (assets/strings/<lang>.json).
 *
 * No text a person reads lives in C code. A key missing from a language falls
 * back to zh-CN (and is counted, so the string-table test names it); a key
 * missing from zh-CN too yields "" and an error in the log, never the key. */
#ifndef KIOSK_UI_STRINGS_H
#define KIOSK_UI_STRINGS_H

#include "firmware/base/error.h"
#include "firmware/base/lang.h"

#include <stddef.h>

typedef struct ui_strings ui_strings;

/* Loads the three tables from dir. *out is owned by the caller
 * (ui_strings_free). Errors: NOT_FOUND, MALFORMED (diag names the file). */
kiosk_error ui_strings_load(const char *dir, ui_strings **out, kiosk_diag *diag) KIOSK_MUST_CHECK;
void ui_strings_free(ui_strings *strings);

/* The text for key in language; valid until ui_strings_free. Never NULL. */
const char *ui_strings_get(const ui_strings *strings, lang language, const char *key);

/* The text for key in exactly this language, or NULL (no fallback, no log):
 * for optional variants such as "home.prompt.simple". */
const char *ui_strings_lookup(const ui_strings *strings, lang language, const char *key);

/* Fills a template such as "{year}年{month}月" by replacing each {name} with
 * the value of the same index in names/values. Unknown names stay as written.
 * Output is NUL-terminated and truncated to out_size. */
void ui_strings_fill(const char *template_text, const char *const *names, const char *const *values,
                     size_t count, char *out, size_t out_size);

#endif
