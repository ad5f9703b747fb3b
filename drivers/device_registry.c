/* The registry's rows as a table (the list is drivers/device_registry.h). */
#include "drivers/devices.h"
#include "drivers/sim/simulation.h"

#define DEVICE_ROW(kind_, key_, driver_, simulator_)                                               \
    [DEVICE_##kind_] = {                                                                           \
        .kind = DEVICE_##kind_, .key = key_, .driver = &driver_, .simulator = &simulator_},
const device_registry_row device_registry[DEVICE_KIND_COUNT] = {DEVICE_REGISTRY(DEVICE_ROW)};
#undef DEVICE_ROW
