/* The step screens (form, field, materials, confirm) built from models as
 * the app builds them, for the step screens' audits and checks. The caller
 * owns a tree. */
#ifndef KIOSK_TESTS_SUPPORT_STEP_MODELS_H
#define KIOSK_TESTS_SUPPORT_STEP_MODELS_H

#include "ui/screens.h"

#include <stdbool.h>
#include <stddef.h>

size_t test_step_form_rows(lang language, ui_form_row *rows, size_t count);
ui_step_model test_step_model(const ui_frame_model *frame, int step, const char *next_key);
ui_widget *test_step_form(const ui_frame_model *frame, size_t count, int focus);
ui_widget *test_step_edit(const ui_frame_model *frame, size_t count, int chosen,
                          const char *problem);
ui_widget *test_step_materials(const ui_frame_model *frame, size_t count, const char *problem);
ui_widget *test_step_confirm(const ui_frame_model *frame, size_t count, bool offline);

/* The choices of the edit screen, in zh, in their order. */
extern const char *const test_step_ethnic_zh[];

#endif
