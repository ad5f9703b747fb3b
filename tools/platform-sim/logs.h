/* A terminal's recent log, sent by a technician (POST /v1/logs,
 * docs/protocol.md, "Logs"): checked (its shape, its size, and no ID or
 * mobile number unmasked in any line), kept once under its
 * Idempotency-Key like a record (a retry gets the first answer, another
 * body under the key is 409), and read back by tests through POST
 * /_sim/logs. The lines themselves are kept in memory only, the last
 * SIM_LOGS_KEPT uploads: a stand-in restarted still knows the keys (its
 * store) but no longer the lines. Any thread. */
#ifndef KIOSK_TOOLS_PLATFORM_SIM_LOGS_H
#define KIOSK_TOOLS_PLATFORM_SIM_LOGS_H

#include "sim.h"

/* The largest body taken: more is 413 too-large. */
#define SIM_LOGS_BODY_MAX (256 * 1024)
/* Lines in one upload, at most, and the bytes of one. */
#define SIM_LOGS_LINES_MAX 4096
#define SIM_LOGS_LINE_MAX  2048
#define SIM_LOGS_KEPT      16

/* POST /v1/logs: 201 {"received_at", "lines": N}; 400 bad-request (no key,
 * not the shape, a line with a control character, not UTF-8, or an
 * unmasked personal number: the message names the line); 413 too-large;
 * 409 idempotency-conflict. */
void sim_logs_answer(sim_context *sim, const sim_call *call, sim_answer *out);

/* POST /_sim/logs {"terminal": T}: {"count": N, "uploads": [{"key",
 * "received_at", "line_count", "dropped", "board", "firmware", "by",
 * "lines": [...]}, ...]}, oldest first, of what T sent and the stand-in
 * kept for the first time. */
void sim_logs_control(const sim_call *call, sim_answer *out);

#endif
