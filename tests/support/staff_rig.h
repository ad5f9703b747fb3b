/* One platform rig for the staff operations' tests: a platform on a real
 * store in a fresh data directory (terminal K0420, the test wall clock,
 * aes-256-gcm with a key it makes), restarted on the same data when a test
 * needs it, and the PLATFORM_STAFF events it reported counted. */
#ifndef KIOSK_TESTS_SUPPORT_STAFF_RIG_H
#define KIOSK_TESTS_SUPPORT_STAFF_RIG_H

#include "firmware/platform/store_use_internal.h"
#include "offline-cache/audit.h"

#include <stdint.h>

/* PLATFORM_STAFF events reported by the rig's platforms so far (tests
 * reset it as they need). */
extern int staff_rig_events;
/* The listener that counts them, for a platform a test configures itself. */
void staff_rig_on_event(const platform_event *event, void *context);

/* A platform whose data lives in a fresh directory named after name,
 * keeping min_free_mb free on its disk (1 << 30: a disk that is always
 * full); its store not opened yet. */
kiosk_platform *staff_rig_create(const char *name, int min_free_mb);

/* The same with no free-space floor, its store open. */
kiosk_platform *staff_rig_open(const char *name);

/* A restart: platform destroyed, then made again on the same data (keeping
 * min_free_mb free from now on), its store open. */
kiosk_platform *staff_rig_restart(kiosk_platform *platform, int min_free_mb);

/* A citizen's certificate-print submission kept (assisted_by: the staff
 * member helping, or NULL); its outbox id. */
int64_t staff_rig_submit(kiosk_platform *platform, const char *assisted_by);

/* The newest row of the audit trail. */
void staff_rig_last_row(kiosk_platform *platform, cache_audit_row *row);

#endif
