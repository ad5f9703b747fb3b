/* Placeholder until self-tests land. */
#include "firmware/app/app_technician.h"

#include <string.h>

static const char *const names[] = {
#define APP_SELFTEST_NAME(upper, lower) #lower,
    APP_SELFTESTS(APP_SELFTEST_NAME)
#undef APP_SELFTEST_NAME
};

const char *app_selftest_name(app_selftest_kind kind)
{
    return (unsigned)kind < APP_SELFTEST_COUNT ? names[kind] : "?";
}

bool app_selftest_parse(const char *name, app_selftest_kind *out)
{
    for (int i = 0; i < APP_SELFTEST_COUNT; i++)
        if (name && strcmp(name, names[i]) == 0) {
            *out = (app_selftest_kind)i;
            return true;
        }
    return false;
}

kiosk_error app_selftest_start(kiosk_app *app, app_selftest_kind kind, const char *actor,
                               app_selftest_done done, void *context)
{
    (void)app, (void)actor;
    app_selftest_result result = {.kind = kind, .outcome = APP_SELFTEST_ABSENT};
    done(&result, context);
    return KIOSK_OK;
}
