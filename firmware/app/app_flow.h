/* A catalog service's steps as screens (app_flow.c): the form, a field,
 * the materials and the confirmation, and what taps on them do. The flow
 * engine (firmware/services/flow.h) holds the data and the rules. */
#ifndef KIOSK_FIRMWARE_APP_APP_FLOW_H
#define KIOSK_FIRMWARE_APP_APP_FLOW_H

#include "firmware/app/app_core.h"

ui_step_model app_flow_step_model(const kiosk_app *app);
/* Whether a field's value is the citizen's own: never said on the speaker. */
bool app_flow_field_is_personal(const catalog_field *field);
/* The citizen chose the service at index: its first step is shown. */
void app_flow_open(kiosk_app *app, size_t index);
/* The citizen is identified (by card, or by the number typed): the form is
 * filled from it and the next step shown. */
void app_flow_identified(kiosk_app *app);
void app_flow_next(kiosk_app *app);
void app_flow_back(kiosk_app *app);
void app_flow_cancel(kiosk_app *app);
void app_flow_edit(kiosk_app *app, int field);
void app_flow_choose(kiosk_app *app, int choice);
void app_flow_key(kiosk_app *app, int key);
void app_flow_toggle(kiosk_app *app, int material);
kiosk_error app_flow_build_form(kiosk_app *app, const ui_frame_model *frame,
                                ui_widget **out) KIOSK_MUST_CHECK;
kiosk_error app_flow_build_field(kiosk_app *app, const ui_frame_model *frame,
                                 ui_widget **out) KIOSK_MUST_CHECK;
kiosk_error app_flow_build_materials(kiosk_app *app, const ui_frame_model *frame,
                                     ui_widget **out) KIOSK_MUST_CHECK;
kiosk_error app_flow_build_confirm(kiosk_app *app, const ui_frame_model *frame,
                                   ui_widget **out) KIOSK_MUST_CHECK;

#endif
