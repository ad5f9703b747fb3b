/* Placeholder until role sessions land: citizens only. */
#include "firmware/app/app_role.h"

#include "firmware/app/app_platform.h"
#include "firmware/base/log.h"
#include "firmware/platform/staff_ops.h"

staff_role app_role_current(const kiosk_app *app)
{
    (void)app;
    return STAFF_ROLE_NONE;
}

const char *app_role_actor(const kiosk_app *app)
{
    (void)app;
    return "citizen";
}

const char *app_role_name(const kiosk_app *app)
{
    (void)app;
    return "";
}

void app_role_begin(kiosk_app *app, const credential_info *info)
{
    (void)app, (void)info;
}

void app_role_end(kiosk_app *app, const char *why)
{
    (void)app, (void)why;
}

void app_role_touch(kiosk_app *app)
{
    (void)app;
}

void app_audit(kiosk_app *app, const char *action, const char *subject, const char *detail)
{
    struct kiosk_platform *platform = app_platform_core(app);
    if (!platform || platform_audit(platform, app_role_actor(app), action, subject ? subject : "",
                                    detail ? detail : "") != KIOSK_OK)
        LOG_WARN("audit", "not kept: %s by %s", action, app_role_actor(app));
}
