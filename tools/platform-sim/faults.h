/* Faults the stand-in injects into protocol answers, one plan at a time,
 * set through POST /_sim/fault (control.c) and taken by each protocol
 * request as it arrives (server.c).
 *
 * Two families, because a terminal must survive both:
 *  - replacing faults answer instead of the call, which never runs and
 *    stores nothing: refuse, hang, 500, 503, 429, invalid-json,
 *    captive-portal, huge-body;
 *  - spoiling faults run the call (a submission is stored) and then spoil
 *    its answer, so the terminal cannot know it was delivered:
 *    reset-after-commit, truncated-json, trickle.
 * The hostile platform's answers (hostile.h) fall in the same two families.
 */
#ifndef KIOSK_TOOLS_PLATFORM_SIM_FAULTS_H
#define KIOSK_TOOLS_PLATFORM_SIM_FAULTS_H

#include "sim.h"

struct MHD_Response;

/* The size of the huge-body answer. */
#define SIM_HUGE_BODY_BYTES ((uint64_t)64 * 1024 * 1024)

/* "none", "refuse", "hang", "reset-after-commit", "500", "503", "429",
 * "trickle", "truncated-json", "invalid-json", "captive-portal", "huge-body",
 * and the hostile platform's (docs/platform-sim.md, "The hostile platform"). */
const char *sim_fault_name(sim_fault fault);
bool sim_fault_parse(const char *name, sim_fault *out);

/* Plans fault for the next count protocol requests whose path starts with
 * path, or with one of its comma-separated prefixes (count -1: until
 * cleared). SIM_FAULT_NONE or count 0 clears. */
void sim_faults_plan(sim_context *sim, sim_fault fault, long count, const char *path);

/* The fault for a protocol request on path: the planned one when it applies
 * (and one fewer left), SIM_FAULT_NONE otherwise. */
sim_fault sim_faults_take(sim_context *sim, const char *path);

/* True for the replacing family (see above). */
bool sim_fault_replaces(sim_fault fault);

/* The answer of a replacing fault that is plain data (500, 503, 429,
 * invalid-json, captive-portal, the hostile untyped answers) for a call that
 * answers success (its status when it succeeds: invalid-json pretends to
 * succeed). */
void sim_fault_answer(sim_fault fault, unsigned success, sim_answer *out);

/* A streamed response: huge-body (answer gives the status; its body is
 * ignored), or the call's real answer trickled (1 byte a second) or
 * truncated (half its body, then the connection drops). fd is the
 * connection's socket (a trickle stops when its client hangs up). Takes the
 * answer's body. NULL when out of memory. */
struct MHD_Response *sim_fault_stream(sim_context *sim, sim_fault fault, int fd,
                                      sim_answer *answer);

#endif
