/* Text typed on the on-screen keyboard (app_type.c): a form's name,
 * address or enterprise name, in pinyin, handwriting, letters or digits.
 *
 * The engines start with the app (pinyin prepared on a worker thread, the
 * handwriting model opened) and stop with it. What is typed goes into the
 * flow's typed text (flow_edit_type) and, at 完成, into the field; it is
 * checked (length, no control or bidirectional characters), never logged,
 * and wiped with the flow. The engine's session, its composition, the ink
 * and the candidates are wiped when the entry ends. Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_TYPE_H
#define KIOSK_FIRMWARE_APP_APP_TYPE_H

#include "firmware/app/app_core.h"

/* Starts the engines: pinyin's own files under <data_dir>/rime. An engine
 * that cannot start is logged and left out of the keyboard. */
void app_type_start(kiosk_app *app);
void app_type_stop(kiosk_app *app);

/* Where librime's shared data is (Debian's rime-data packages). */
#define APP_TYPE_RIME_SHARED "/usr/share/rime-data"

#endif
