/* The hostile platform: answers a peer we did not write can send.
 *
 * The other faults (faults.h) are what a link does to a well-behaved
 * platform. These are what a platform, or a gateway, a WAF or a proxy in
 * front of it, says when it does not speak protocol v1 the way the terminal
 * expects: error pages that are HTML or plain text, JSON errors of another
 * platform's making, bodies with bytes after the JSON, absurd clocks,
 * tracking numbers that are sentences or links, strings that carry
 * controls, bidirectional overrides, invisible characters or invalid UTF-8,
 * and batch results whose statuses are not whole numbers in range.
 *
 * Two families, as in faults.h:
 *  - untyped answers replace the call, which never runs and stores nothing;
 *  - spoiled answers run the call (a record is stored) and then rewrite its
 *    answer, so a terminal that refuses the answer finds the first answer
 *    again on its retry.
 */
#ifndef KIOSK_TOOLS_PLATFORM_SIM_HOSTILE_H
#define KIOSK_TOOLS_PLATFORM_SIM_HOSTILE_H

#include "sim.h"

/* What a sentence tracking number says: "rejected, go to a counter". */
#define SIM_HOSTILE_SENTENCE "您的申请已被驳回，请到窗口办理"
/* A link where a number should be. */
#define SIM_HOSTILE_URL "https://gov-cn.example/verify?id=GD20261122000042"
/* A number that looks like one: a zero-width space, then an override that
 * shows the rest backwards. */
#define SIM_HOSTILE_HIDDEN_NUMBER                                                                  \
    "GD2026\xe2\x80\x8b"                                                                           \
    "1122\xe2\x80\xae"                                                                             \
    "000042"

/* True for the untyped answers (409-html, 400-text, 413-untyped-json, ...). */
bool sim_hostile_untyped(sim_fault fault);

/* True for the spoiled answers (trailing-garbage, clock-*, tracking-*,
 * text-*, batch-status-*). */
bool sim_hostile_spoils(sim_fault fault);

/* The untyped answer of fault (sim_hostile_untyped) as plain data. */
void sim_hostile_answer(sim_fault fault, sim_answer *out);

/* Rewrites answer (the call's own, already run) as fault says. An answer
 * the fault does not concern (a catalog under clock-2199, a single call
 * under batch-status-float) goes out as it is. When out of memory the
 * answer is left as it was. */
void sim_hostile_spoil(sim_fault fault, sim_answer *answer);

#endif
