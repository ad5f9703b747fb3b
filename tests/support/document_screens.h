/* The certificate screens (ui/screen_document.c) built from models as the
 * app builds them, for the audits of every screen: which one (three rows),
 * and a two-page preview with the printer's problem, without poppler's
 * page (so it looks the same in every build). The caller owns the tree. */
#ifndef KIOSK_TESTS_SUPPORT_DOCUMENT_SCREENS_H
#define KIOSK_TESTS_SUPPORT_DOCUMENT_SCREENS_H

#include "ui/screens.h"

ui_widget *test_document_list_screen(const ui_frame_model *frame);
ui_widget *test_document_preview_screen(const ui_frame_model *frame);

#endif
