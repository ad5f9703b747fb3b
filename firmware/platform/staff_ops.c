/* Placeholder bodies until the store side lands: each says it cannot. */
#include "firmware/platform/staff_ops.h"

kiosk_error platform_audit(kiosk_platform *platform, const char *actor, const char *action,
                           const char *subject, const char *detail)
{
    (void)platform, (void)actor, (void)action, (void)subject, (void)detail;
    return KIOSK_ERR_UNSUPPORTED;
}

kiosk_error platform_audit_verify(kiosk_platform *platform, cache_audit_verdict *out,
                                  kiosk_diag *diag)
{
    (void)platform, (void)out;
    return kiosk_diag_set(diag, KIOSK_ERR_UNSUPPORTED, "no audit trail yet");
}

kiosk_error platform_audit_head(kiosk_platform *platform, cache_audit_head *out)
{
    (void)platform, (void)out;
    return KIOSK_ERR_UNSUPPORTED;
}

kiosk_error platform_outbox_list(kiosk_platform *platform, bool quarantined_only,
                                 platform_outbox_item *out, size_t max, size_t *count)
{
    (void)platform, (void)quarantined_only, (void)out, (void)max;
    *count = 0;
    return KIOSK_ERR_UNSUPPORTED;
}

kiosk_error platform_outbox_resend(kiosk_platform *platform, int64_t id, const char *actor)
{
    (void)platform, (void)id, (void)actor;
    return KIOSK_ERR_UNSUPPORTED;
}

kiosk_error platform_outbox_close(kiosk_platform *platform, int64_t id, const char *actor,
                                  const char *reason)
{
    (void)platform, (void)id, (void)actor, (void)reason;
    return KIOSK_ERR_UNSUPPORTED;
}

kiosk_error platform_setting_get(kiosk_platform *platform, const char *key, char **value)
{
    (void)platform, (void)key;
    *value = NULL;
    return KIOSK_ERR_UNSUPPORTED;
}

kiosk_error platform_setting_set(kiosk_platform *platform, const char *key, const char *value)
{
    (void)platform, (void)key, (void)value;
    return KIOSK_ERR_UNSUPPORTED;
}

kiosk_error platform_cached_credentials(kiosk_platform *platform, char **body, size_t *length)
{
    (void)platform;
    *body = NULL;
    *length = 0;
    return KIOSK_ERR_UNSUPPORTED;
}

void platform_calls_watch(kiosk_platform *platform, bool watch)
{
    (void)platform, (void)watch;
}

size_t platform_calls_get(kiosk_platform *platform, platform_call *out, size_t max)
{
    (void)platform, (void)out, (void)max;
    return 0;
}

kiosk_error platform_call_acknowledge(kiosk_platform *platform, const char *id, const char *actor)
{
    (void)platform, (void)id, (void)actor;
    return KIOSK_ERR_UNSUPPORTED;
}

bool platform_call_acknowledged(const kiosk_platform *platform)
{
    (void)platform;
    return false;
}
