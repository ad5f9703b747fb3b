/* Placeholder until the log ring lands. */
#include "firmware/app/app_logs.h"

#include <stdlib.h>
#include <string.h>

char *app_logs_recent(kiosk_app *app, size_t max_lines)
{
    (void)app, (void)max_lines;
    return calloc(1, 1);
}

kiosk_error app_logs_export(kiosk_app *app, const char *dir, const char *actor, char *written,
                            size_t written_size, kiosk_diag *diag)
{
    (void)app, (void)dir, (void)actor, (void)written, (void)written_size;
    return kiosk_diag_set(diag, KIOSK_ERR_UNSUPPORTED, "log export is not there yet");
}
