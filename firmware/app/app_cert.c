/* Placeholder until certificate enrolment lands. */
#include "firmware/app/app_technician.h"

#include <string.h>

kiosk_error app_cert_status_get(kiosk_app *app, app_cert_status *out)
{
    (void)app;
    memset(out, 0, sizeof *out);
    return KIOSK_ERR_UNSUPPORTED;
}

kiosk_error app_cert_enrol(kiosk_app *app, const char *code, const char *actor, app_cert_done done,
                           void *context)
{
    (void)app, (void)code, (void)actor, (void)done, (void)context;
    return KIOSK_ERR_UNSUPPORTED;
}
