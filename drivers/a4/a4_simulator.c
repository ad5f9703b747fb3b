/* The A4 printer has no in-process model: on a developer's or a test's
 * machine the simulated printer is ippeveprinter, a real IPP Everywhere
 * printer reached at the transport like any other (docs/a4-printer.md).
 * Its registry row's simulator is therefore empty, and a board may not
 * give the A4 printer "transport": "sim". */
#include "drivers/sim/simulation.h"

const device_simulator a4_simulator = {.create = NULL, .key = NULL, .plug_key = 0};
