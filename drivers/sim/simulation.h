/* The simulated devices of a board, and the developer's keys for them.
 *
 * A board profile whose devices say "transport": "sim" gets one simulation:
 * the simulated USB bus (drivers/usb_sim.h), a model of each of those kinds
 * plugged into it (the registry's simulator, drivers/device_registry.h), and
 * a device manager over them with the registry's drivers. Nothing above the
 * manager knows the devices are simulated: their statuses and deliveries are
 * those of real ones.
 *
 * The developer's keys stand in for the citizen's hands (`make run`, and
 * `key K` on the test control channel); each simulator names its own, and
 * one pulls a device's cable (u: the reader). Main thread only, except
 * where a model's own header says otherwise. */
#ifndef KIOSK_DRIVERS_SIM_SIMULATION_H
#define KIOSK_DRIVERS_SIM_SIMULATION_H

#include "drivers/devices.h"
#include "drivers/usb_model.h"

#include <stdbool.h>

/* What a simulator's keys may use. */
typedef struct simulation_keys {
    usb_model *model; /* the kind's model (it may be unplugged) */
    /* The last tracking number the terminal showed ("" none): what the
     * scanner is shown. */
    const char *last_tracking;
    bool *toggled; /* kept for the model between keys (the paper run out) */
} simulation_keys;

/* A row's simulator: how to make the kind's model, and its keys. */
typedef struct device_simulator {
    /* A new model (NULL: no memory), to be plugged into bus; a model that
     * speaks unasked wakes the bus (usb_sim_wake). */
    usb_model *(*create)(usb_bus *bus);
    /* A developer's key (its character): true when it was one of this
     * simulator's. NULL: none. */
    bool (*key)(const simulation_keys *keys, int key);
    /* The key that pulls the model's cable and plugs it back; 0: none. */
    int plug_key;
} device_simulator;

/* The simulators this firmware has, one per registry row. */
#define DEVICE_SIMULATOR_EXTERN(kind, key, driver, simulator)                                      \
    extern const device_simulator simulator;
DEVICE_REGISTRY(DEVICE_SIMULATOR_EXTERN)
#undef DEVICE_SIMULATOR_EXTERN

typedef struct simulation simulation;

/* Plugs a model of each of the count kinds (once each) into a new simulated
 * bus and starts a device manager over them (sink as device_manager_start;
 * NULL: the event channel). Errors: NO_MEMORY, INVALID_ARGUMENT (no such
 * kind), those of device_manager_start. */
kiosk_error simulation_start(const device_kind *kinds, size_t count, const device_sink *sink,
                             simulation **out) KIOSK_MUST_CHECK;
/* Stops the manager and frees the bus and every model. NULL is ignored. */
void simulation_stop(simulation *sim);

/* The manager of the simulated devices (for work such as a print job). */
device_manager *simulation_devices(simulation *sim);

/* The model of kind when it is plugged in, else NULL: for tests to lay a
 * card on, read what was printed, show a code. */
usb_model *simulation_model(simulation *sim, device_kind kind);

/* A developer's key (a character: '1', 'u', 'p'): true when it was one. */
bool simulation_key(simulation *sim, int key);

/* The terminal showed a tracking number: the scanner's key shows it. */
void simulation_shown_tracking(simulation *sim, const char *number);

/* The model of kind stops answering for ms behind transfers that ignore
 * their time-outs (usb_sim_stall), so its driver's worker stays in one
 * turn: a stuck device worker, for the watchdog. Errors: NOT_FOUND (no
 * such model plugged in). */
kiosk_error simulation_stall(simulation *sim, device_kind kind, unsigned ms);

#endif
