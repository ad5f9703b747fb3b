/* POST /v1/appointments: a place in a counter's queue (预约取号), as a
 * platform that runs the hall's queue would give it. */
#ifndef KIOSK_TOOLS_PLATFORM_SIM_APPOINTMENTS_H
#define KIOSK_TOOLS_PLATFORM_SIM_APPOINTMENTS_H

#include "sim.h"

/* Places per half-hour slot, per matter. */
#define SIM_APPOINTMENTS_PER_SLOT 3

/* Books the next free place for the request's matter (and period: today-pm,
 * tomorrow-am, tomorrow-pm; none: the first free of them). 200 with
 * reference, matter, queue_number ("A023"), window ({"zh-CN", "zh-TW",
 * "en"}, or a counter number for "other"), slot_start and slot_end (UTC);
 * 409 "full" when the period has no place left; 400 for a bad request. */
void sim_appointments_answer(sim_context *sim, const sim_call *call, sim_answer *out);

#endif
