/* What a submission carried besides its payload, read back by tests
 * through POST /_sim/submission: the service, the terminal's reference,
 * the language, and the staff member who helped (assisted_by, 帮办).
 * The payload itself (the citizen's data) is not kept here.
 *
 * Kept in memory only, the last SIM_READBACK_MAX submissions: a stand-in
 * restarted forgets them (the store still knows the submission, which is
 * then answered with "kept": false). */
#ifndef KIOSK_TOOLS_PLATFORM_SIM_READBACK_H
#define KIOSK_TOOLS_PLATFORM_SIM_READBACK_H

#include "sim.h"

#include <stddef.h>

#define SIM_READBACK_MAX 64

/* Remembers a checked submission body under its tracking number; called
 * where its first answer is made (sim_calls_record_first). */
void sim_readback_keep(const char *tracking, const char *body, size_t length);

/* POST /_sim/submission {"tracking_number": T} (or the terminal's
 * reference): {"tracking_number", "status", "local_reference", "kept",
 * and when kept "service", "language", "assisted_by" (null when none)}.
 * 400 without a number, 404 for one the store does not know. */
void sim_readback_answer(sim_context *sim, const sim_call *call, sim_answer *out);

#endif
