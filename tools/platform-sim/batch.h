/* POST /v1/batch (docs/protocol.md): many outbox records in one request.
 *
 * One request per record caps delivery at a few thousand records a second;
 * a terminal back from a long outage may hold tens of thousands. A batch
 * carries up to SIM_BATCH_MAX records, each answered exactly as its single
 * call would be (calls.h, sim_record), with all their first answers
 * committed in one transaction before the answer is sent.
 *
 * Two steps, so that server.c can apply a fault between them as it does to
 * any call: sim_batch_read (the envelope; the items are counted as received
 * here, whatever the fault then does), then sim_batch_answer.
 */
#ifndef KIOSK_TOOLS_PLATFORM_SIM_BATCH_H
#define KIOSK_TOOLS_PLATFORM_SIM_BATCH_H

#include "sim.h"

/* Items in one batch, at most. */
#define SIM_BATCH_MAX 256

typedef struct sim_batch sim_batch;

/* Reads a batch request's envelope: {"items": [{"path", "idempotency_key",
 * "body"}, ...]}. A valid one gives *out, its items counted as received each
 * under its own kind; otherwise *out is NULL and answer holds a 400
 * bad-request saying what is wrong (or a 500 when out of memory). */
void sim_batch_read(sim_context *sim, const sim_call *call, sim_batch **out, sim_answer *answer);

/* Answers every item: 200 {"results": [{"idempotency_key", "status", "body",
 * "replay"}...]}, or 500 internal when the state cannot be written (then
 * nothing of the batch is stored). */
void sim_batch_answer(sim_context *sim, sim_batch *batch, sim_answer *out);

/* For the log line, never the bodies: "12 items" before the batch is
 * answered, "12 items: 9 first, 1 replay, 1 conflict, 1 bad" after, and
 * "a bad envelope" for NULL. */
void sim_batch_describe(const sim_batch *batch, char *out, size_t size);

void sim_batch_free(sim_batch *batch);

#endif
