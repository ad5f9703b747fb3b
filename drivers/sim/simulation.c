/* The simulated devices of a board: the bus, the models, the manager, and
 * the developer's keys. */
#include "drivers/sim/simulation.h"

#include "drivers/usb_sim.h"
#include "firmware/base/log.h"

#include <stdio.h>
#include <stdlib.h>

struct simulation {
    usb_bus *bus;
    device_manager *manager;
    usb_model *models[DEVICE_KIND_COUNT]; /* the bus owns those plugged in */
    bool unplugged[DEVICE_KIND_COUNT];    /* pulled by the developer: then owned here */
    bool toggled[DEVICE_KIND_COUNT];
    char last_tracking[64];
};

/* Where kind's model sits on the simulated bus: "sim-<n>", n its row from 1. */
static void location_of(device_kind kind, char out[16])
{
    snprintf(out, 16, "sim-%d", (int)kind + 1);
}

kiosk_error simulation_start(const device_kind *kinds, size_t count, const device_sink *sink,
                             simulation **out)
{
    *out = NULL;
    simulation *sim = calloc(1, sizeof *sim);
    if (!sim)
        return KIOSK_ERR_NO_MEMORY;
    const device_driver *drivers[DEVICE_KIND_COUNT];
    size_t driver_count = 0;
    kiosk_error result =
        count > DEVICE_KIND_COUNT ? KIOSK_ERR_INVALID_ARGUMENT : usb_sim_create(&sim->bus);
    for (size_t i = 0; i < count && result == KIOSK_OK; i++) {
        /* A kind with no in-process model (the A4 printer: ippeveprinter
         * stands in for it at its own transport) cannot be simulated here. */
        if ((unsigned)kinds[i] >= DEVICE_KIND_COUNT ||
            !device_registry[kinds[i]].simulator->create) {
            result = KIOSK_ERR_INVALID_ARGUMENT;
            break;
        }
        const device_registry_row *row = &device_registry[kinds[i]];
        if (sim->models[row->kind])
            continue; /* one model of a kind */
        usb_model *model = row->simulator->create(sim->bus);
        char location[16];
        location_of(row->kind, location);
        result = model ? usb_sim_plug(sim->bus, model, location) : KIOSK_ERR_NO_MEMORY;
        if (result == KIOSK_OK)
            sim->models[row->kind] = model;
        drivers[driver_count++] = row->driver;
    }
    if (result == KIOSK_OK && driver_count)
        result = device_manager_start(sim->bus, drivers, driver_count, sink, &sim->manager);
    if (result != KIOSK_OK) {
        simulation_stop(sim);
        return result;
    }
    *out = sim;
    return KIOSK_OK;
}

void simulation_stop(simulation *sim)
{
    if (!sim)
        return;
    device_manager_stop(sim->manager);
    for (size_t k = 0; k < DEVICE_KIND_COUNT; k++)
        if (sim->unplugged[k] && sim->models[k])
            sim->models[k]->ops->destroy(sim->models[k]);
    usb_bus_destroy(sim->bus); /* destroys the models plugged in */
    free(sim);
}

device_manager *simulation_devices(simulation *sim)
{
    return sim ? sim->manager : NULL;
}

usb_model *simulation_model(simulation *sim, device_kind kind)
{
    if (!sim || (unsigned)kind >= DEVICE_KIND_COUNT || sim->unplugged[kind])
        return NULL;
    return sim->models[kind];
}

/* Pulls kind's cable, or plugs it back. */
static void pull_or_plug(simulation *sim, device_kind kind)
{
    char location[16];
    location_of(kind, location);
    if (!sim->unplugged[kind])
        sim->unplugged[kind] = usb_sim_unplug(sim->bus, location) != NULL;
    else if (usb_sim_plug(sim->bus, sim->models[kind], location) == KIOSK_OK)
        sim->unplugged[kind] = false;
}

bool simulation_key(simulation *sim, int key)
{
    if (!sim)
        return false;
    for (size_t k = 0; k < DEVICE_KIND_COUNT; k++) {
        const device_simulator *simulator = device_registry[k].simulator;
        if (!sim->models[k])
            continue;
        if (simulator->plug_key && key == simulator->plug_key) {
            pull_or_plug(sim, (device_kind)k);
            return true;
        }
        simulation_keys keys = {.model = sim->models[k],
                                .last_tracking = sim->last_tracking,
                                .toggled = &sim->toggled[k]};
        if (simulator->key && simulator->key(&keys, key))
            return true;
    }
    return false;
}

void simulation_shown_tracking(simulation *sim, const char *number)
{
    if (sim)
        snprintf(sim->last_tracking, sizeof sim->last_tracking, "%.63s", number);
}

kiosk_error simulation_stall(simulation *sim, device_kind kind, unsigned ms)
{
    if (!sim || (unsigned)kind >= DEVICE_KIND_COUNT || !sim->models[kind] || sim->unplugged[kind])
        return KIOSK_ERR_NOT_FOUND;
    char location[16];
    location_of(kind, location);
    return usb_sim_stall(sim->bus, location, ms);
}
