/* A service that delivers a certificate (the catalog's "delivers":
 * "certificate", docs/certificates.md): after the citizen proves who they
 * are, the platform's list for them (skipped when there is one), the
 * chosen certificate fetched as a PDF, every page shown, printed on A4, and
 * the document wiped. Main thread only. */
#ifndef KIOSK_FIRMWARE_APP_APP_DOCUMENT_H
#define KIOSK_FIRMWARE_APP_APP_DOCUMENT_H

#include "firmware/app/app_core.h"
#include "firmware/base/event_channel.h"

#include <stdbool.h>
#include <stddef.h>

/* The service's submit step: asks the platform for the citizen's
 * certificates and shows the screen that waits for them. */
void app_document_start(kiosk_app *app);
/* The platform's answers (APP_EVENT_DOCUMENTS, APP_EVENT_DOCUMENT): a PDF
 * is taken out of the event, so its release frees nothing of it. */
void app_document_event(kiosk_app *app, app_event *event);
/* Wipes the certificate and everything shown of it. */
void app_document_forget(kiosk_app *app);
/* Whether a certificate is held now (for tests: wiped when it should be). */
bool app_document_held(void);

#endif
