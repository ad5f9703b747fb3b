/* Placeholder until staff credentials land: nobody can sign in. */
#include "firmware/services/credentials.h"

const char *staff_role_name(staff_role role)
{
    return role == STAFF_ROLE_STAFF        ? "staff"
           : role == STAFF_ROLE_TECHNICIAN ? "technician"
                                           : "none";
}

kiosk_error credentials_parse(const char *json, size_t length, credentials **out, kiosk_diag *diag)
{
    (void)json, (void)length;
    *out = NULL;
    return kiosk_diag_set(diag, KIOSK_ERR_UNSUPPORTED, "credentials are not read yet");
}

void credentials_free(credentials *set)
{
    (void)set;
}

size_t credentials_count(const credentials *set)
{
    (void)set;
    return 0;
}

kiosk_error credentials_find_by_id_number(const credentials *set, const char *id_number,
                                          credential_info *out)
{
    (void)set, (void)id_number, (void)out;
    return KIOSK_ERR_NOT_FOUND;
}

kiosk_error credentials_find_by_token(const credentials *set, const char *token,
                                      credential_info *out)
{
    (void)set, (void)token, (void)out;
    return KIOSK_ERR_NOT_FOUND;
}

credential_verdict credentials_check_pin(const credentials *set, const char *id, const char *pin,
                                         credential_lock *lock, int64_t now_s, int64_t lock_seconds)
{
    (void)set, (void)id, (void)pin, (void)lock, (void)now_s, (void)lock_seconds;
    return CREDENTIAL_LOCKED;
}
