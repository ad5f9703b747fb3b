/* Test control: the /_sim/ paths, behind the same mutual TLS as the protocol,
 * never subject to faults.
 *
 *   GET  /_sim/stats   counters of records (single calls and batch items
 *                      alike): received, stored, duplicates, conflicts, by
 *                      kind; batches; the fault plan and how often each applied
 *   POST /_sim/fault   {"fault": NAME, "count": K, "path": "/v1/..."}
 *   POST /_sim/status  {"tracking_number": T, "status": S, "note": N}: moves
 *                      a submission on, for the terminal's status screen
 *   POST /_sim/signatures {"tracking_number": T}: the signatures the
 *                      submission carried (T may be the terminal's own
 *                      reference): {"signatures": [{"field", "width",
 *                      "height", "png": base64}]}
 */
#ifndef KIOSK_TOOLS_PLATFORM_SIM_CONTROL_H
#define KIOSK_TOOLS_PLATFORM_SIM_CONTROL_H

#include "sim.h"

#define SIM_CONTROL_PREFIX "/_sim/"

void sim_control_answer(sim_context *sim, const sim_call *call, sim_answer *out);

#endif
