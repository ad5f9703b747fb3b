/* The terminal's client certificate as the technician and kioskctl see it:
 * the board's certificate file read (firmware/platform/enrol.h), days left
 * by the app's wall clock, and renew_soon at 30 days or fewer. Enrolment of
 * a new key and certificate is not built yet: app_cert_enrol says so. */
#include "firmware/app/app_technician.h"

#include "firmware/base/log.h"
#include "firmware/platform/enrol.h"

#include <string.h>

#define RENEW_DAYS  30
#define DAY_SECONDS 86400

kiosk_error app_cert_status_get(kiosk_app *app, app_cert_status *out)
{
    memset(out, 0, sizeof *out);
    enrol_cert_info info;
    kiosk_diag diag = {{0}};
    kiosk_error read = enrol_cert_read(app_board(app)->platform_tls.client_cert, &info, &diag);
    if (read == KIOSK_ERR_NOT_FOUND)
        return KIOSK_OK; /* none: present stays false */
    if (read != KIOSK_OK) {
        LOG_WARN("cert", "%s", diag.message);
        return read;
    }
    out->present = true;
    snprintf(out->subject, sizeof out->subject, "%s", info.subject);
    snprintf(out->issuer, sizeof out->issuer, "%s", info.issuer);
    out->not_after_s = info.not_after_s;
    int64_t left = info.not_after_s - (int64_t)app_wall_time(app);
    /* Whole days, rounded down: a certificate that ends in 10 hours has 0
     * days left; one that ended an hour ago, -1. */
    out->days_left =
        (int)(left >= 0 ? left / DAY_SECONDS : -((-left + DAY_SECONDS - 1) / DAY_SECONDS));
    out->renew_soon = out->days_left <= RENEW_DAYS;
    return KIOSK_OK;
}

kiosk_error app_cert_enrol(kiosk_app *app, const char *code, const char *actor, app_cert_done done,
                           void *context)
{
    (void)app, (void)code, (void)actor, (void)done, (void)context;
    return KIOSK_ERR_UNSUPPORTED;
}
