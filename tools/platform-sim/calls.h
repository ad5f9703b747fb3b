/* Protocol v1 (docs/protocol.md): the calls a terminal makes, answered as
 * plain data. The caller has already verified the terminal's certificate and
 * its X-Terminal-Id; these functions check the rest of each request. */
#ifndef KIOSK_TOOLS_PLATFORM_SIM_CALLS_H
#define KIOSK_TOOLS_PLATFORM_SIM_CALLS_H

#include "sim.h"
#include "store.h"

typedef enum sim_route {
    SIM_ROUTE_CALL,       /* a protocol call: *kind says which */
    SIM_ROUTE_BATCH,      /* POST /v1/batch: its items say which calls (batch.h) */
    SIM_ROUTE_NOT_FOUND,  /* no such path */
    SIM_ROUTE_BAD_METHOD, /* the path exists with another method */
} sim_route;

/* Which call a method and path are (the path without its query). *kind is
 * left as it was for a batch. */
sim_route sim_calls_route(const char *method, const char *path, sim_kind *kind);

/* The status a call answers when it succeeds: 201 for the calls that create
 * a record, 200 for the others. Faults that replace an answer use it. */
unsigned sim_calls_success_status(sim_kind kind);

/* Answers one call of kind. Counts replays and conflicts in sim->stats. */
void sim_calls_answer(sim_context *sim, sim_kind kind, const sim_call *call, sim_answer *out);

/* A record under an Idempotency-Key (a submission, rating or staff call),
 * checked and ready for the store. A single call and a batch item go through
 * the same three steps, so a record is answered alike whichever way it
 * travels: sim_calls_record_check, the store (sim_store_once or
 * sim_store_once_many, with sim_calls_record_first), sim_calls_record_answer. */
typedef struct sim_record {
    sim_kind kind;
    const char *terminal;
    const char *key;
    uint8_t digest[SIM_DIGEST_BYTES];       /* of the body as sent */
    char service[128];                      /* submissions */
    char local_reference[SIM_TRACKING_MAX]; /* a submission's own number on its terminal */
    const char *body;                       /* as sent: its signatures are kept from it */
    size_t body_length;
    long long sequence;           /* an audit row's */
    char prev_hash[80], hash[80]; /* an audit row's */
    char call[160];               /* the call a call-ack acknowledges: "<terminal>:<key>" */
    char reason[64], screen[64];  /* a staff call's */
} sim_record;

/* True for the kinds that carry a record. */
bool sim_calls_is_record(sim_kind kind);

/* Checks a record's key and body (length bytes); false with out answered
 * 400 bad-request (500 when the body cannot be hashed). */
bool sim_calls_record_check(sim_kind kind, const char *terminal, const char *key, const char *body,
                            size_t length, sim_record *record, sim_answer *out);

/* The first answer to a record (a sim_first_answer; context is its sim_record). */
kiosk_error sim_calls_record_first(sim_store *store, void *context, unsigned *status,
                                   char **body) KIOSK_MUST_CHECK;

/* What the store said, as the answer: the (first or replayed) answer, or 409.
 * Takes body. Counts replays and conflicts in sim->stats. */
void sim_calls_record_answer(sim_context *sim, const sim_record *record, sim_once once,
                             unsigned status, char *body, sim_answer *out);

/* Whether key is the one the stand-in was told to refuse (POST
 * /_sim/refuse-key): then out is answered 422 bad-request. */
bool sim_calls_key_refused(sim_context *sim, const char *key, sim_answer *out);

#endif
