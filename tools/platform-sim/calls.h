/* Protocol v1 (docs/protocol.md): the calls a terminal makes, answered as
 * plain data. The caller has already verified the terminal's certificate and
 * its X-Terminal-Id; these functions check the rest of each request. */
#ifndef KIOSK_TOOLS_PLATFORM_SIM_CALLS_H
#define KIOSK_TOOLS_PLATFORM_SIM_CALLS_H

#include "sim.h"

typedef enum sim_route {
    SIM_ROUTE_CALL,       /* a protocol call: *kind says which */
    SIM_ROUTE_NOT_FOUND,  /* no such path */
    SIM_ROUTE_BAD_METHOD, /* the path exists with another method */
} sim_route;

/* Which call a method and path are (the path without its query). */
sim_route sim_calls_route(const char *method, const char *path, sim_kind *kind);

/* The status a call answers when it succeeds: 201 for the calls that create
 * a record, 200 for the others. Faults that replace an answer use it. */
unsigned sim_calls_success_status(sim_kind kind);

/* Answers one call of kind. Counts replays and conflicts in sim->stats. */
void sim_calls_answer(sim_context *sim, sim_kind kind, const sim_call *call, sim_answer *out);

#endif
