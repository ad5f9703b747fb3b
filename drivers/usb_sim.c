/* The simulated bus. One mutex guards the slots and serialises calls into
 * the models; a condition variable wakes IN transfers waiting for a model to
 * have something to say, and wakes them with NO_DEVICE when it is unplugged.
 * Hotplug callbacks run on the thread that plugs or unplugs (the bus has no
 * thread of its own), outside the lock. */
#include "drivers/usb_sim.h"

#include "firmware/base/log.h"
#include "firmware/base/monotonic.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIM_SLOTS 8

typedef struct sim_slot {
    usb_model *model;
    char location[32];
    unsigned generation; /* bumped on every plug: handles of an old plug are stale */
    bool open;
    uint64_t stalled_until_ms; /* usb_sim_stall: monotonic; 0 none */
} sim_slot;

typedef struct sim_bus {
    usb_bus base;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    sim_slot slots[SIM_SLOTS];
    usb_hotplug_fn hotplug;
    void *hotplug_context;
} sim_bus;

typedef struct sim_device {
    usb_device base;
    sim_bus *bus;
    int slot;
    unsigned generation;
} sim_device;

static sim_bus *bus_of(usb_bus *bus)
{
    return (sim_bus *)bus;
}

/* The slot's model when the handle still refers to the plug it opened. */
static usb_model *live_model(sim_device *device)
{
    sim_slot *slot = &device->bus->slots[device->slot];
    return slot->model && slot->generation == device->generation ? slot->model : NULL;
}

static kiosk_error sim_open(usb_bus *bus, usb_id id, int interface, usb_device **out)
{
    sim_bus *sim = bus_of(bus);
    kiosk_error result = KIOSK_ERR_NOT_FOUND;
    pthread_mutex_lock(&sim->lock);
    for (int i = 0; i < SIM_SLOTS; i++) {
        sim_slot *slot = &sim->slots[i];
        if (!slot->model || slot->model->id.vendor != id.vendor ||
            slot->model->id.product != id.product || slot->model->interface != interface)
            continue;
        if (slot->open) {
            result = KIOSK_ERR_BUSY;
            continue;
        }
        sim_device *device = calloc(1, sizeof *device);
        if (!device) {
            result = KIOSK_ERR_NO_MEMORY;
            break;
        }
        device->base = (usb_device){.bus = bus, .id = id};
        device->bus = sim;
        device->slot = i;
        device->generation = slot->generation;
        slot->open = true;
        *out = &device->base;
        result = KIOSK_OK;
        break;
    }
    pthread_mutex_unlock(&sim->lock);
    return result;
}

static void sim_close(usb_device *base)
{
    sim_device *device = (sim_device *)base;
    pthread_mutex_lock(&device->bus->lock);
    if (live_model(device))
        device->bus->slots[device->slot].open = false;
    pthread_mutex_unlock(&device->bus->lock);
    free(device);
}

/* A stall asked for (usb_sim_stall): the transfer neither completes nor
 * times out until it is over, or the device is pulled. Lock held. */
static void sit_out_stall(sim_device *device)
{
    sim_bus *sim = device->bus;
    for (;;) {
        uint64_t now = monotonic_now_ms();
        uint64_t until = sim->slots[device->slot].stalled_until_ms;
        if (!live_model(device) || now >= until)
            return;
        struct timespec deadline = monotonic_deadline_ms(until - now);
        pthread_cond_timedwait(&sim->changed, &sim->lock, &deadline);
    }
}

static kiosk_error sim_transfer(usb_device *base, uint8_t endpoint, uint8_t *data, size_t length,
                                size_t *transferred, unsigned timeout_ms)
{
    sim_device *device = (sim_device *)base;
    sim_bus *sim = device->bus;
    *transferred = 0;
    kiosk_error result = KIOSK_OK;
    pthread_mutex_lock(&sim->lock);
    sit_out_stall(device);
    struct timespec deadline = monotonic_deadline_ms(timeout_ms);
    for (;;) {
        usb_model *model = live_model(device);
        if (!model) {
            result = KIOSK_ERR_NO_DEVICE;
            break;
        }
        if (!(endpoint & USB_ENDPOINT_IN)) {
            result = model->ops->receive &&
                             model->ops->receive(model, endpoint, data, length) == KIOSK_OK
                         ? KIOSK_OK
                         : KIOSK_ERR_IO;
            if (result == KIOSK_OK)
                *transferred = length;
            break;
        }
        size_t got = 0;
        if (model->ops->send(model, endpoint, data, length, &got) != KIOSK_OK) {
            result = KIOSK_ERR_IO;
            break;
        }
        if (got > 0) {
            *transferred = got;
            break;
        }
        if (pthread_cond_timedwait(&sim->changed, &sim->lock, &deadline) == ETIMEDOUT) {
            result = KIOSK_ERR_TIMEOUT;
            break;
        }
    }
    pthread_mutex_unlock(&sim->lock);
    return result;
}

static kiosk_error sim_control(usb_device *base, uint8_t request_type, uint8_t request,
                               uint16_t value, uint16_t index, uint8_t *data, uint16_t length,
                               size_t *transferred, unsigned timeout_ms)
{
    (void)timeout_ms;
    sim_device *device = (sim_device *)base;
    *transferred = 0;
    pthread_mutex_lock(&device->bus->lock);
    sit_out_stall(device);
    usb_model *model = live_model(device);
    kiosk_error result = !model ? KIOSK_ERR_NO_DEVICE
                         : !model->ops->control
                             ? KIOSK_ERR_IO
                             : model->ops->control(model, request_type, request, value, index, data,
                                                   length, transferred);
    pthread_mutex_unlock(&device->bus->lock);
    return result == KIOSK_OK || result == KIOSK_ERR_NO_DEVICE ? result : KIOSK_ERR_IO;
}

static kiosk_error sim_watch(usb_bus *bus, usb_hotplug_fn callback, void *context)
{
    sim_bus *sim = bus_of(bus);
    usb_id present[SIM_SLOTS];
    char locations[SIM_SLOTS][32];
    int count = 0;
    pthread_mutex_lock(&sim->lock);
    sim->hotplug = callback;
    sim->hotplug_context = context;
    for (int i = 0; callback && i < SIM_SLOTS; i++) {
        if (sim->slots[i].model) {
            present[count] = sim->slots[i].model->id;
            memcpy(locations[count], sim->slots[i].location, sizeof locations[count]);
            count++;
        }
    }
    pthread_mutex_unlock(&sim->lock);
    for (int i = 0; i < count; i++)
        callback(context, USB_ARRIVED, present[i], locations[i]);
    return KIOSK_OK;
}

static void sim_destroy(usb_bus *bus)
{
    sim_bus *sim = bus_of(bus);
    for (int i = 0; i < SIM_SLOTS; i++) {
        if (sim->slots[i].model && sim->slots[i].model->ops->destroy)
            sim->slots[i].model->ops->destroy(sim->slots[i].model);
    }
    pthread_cond_destroy(&sim->changed);
    pthread_mutex_destroy(&sim->lock);
    free(sim);
}

static const usb_bus_ops sim_ops = {.name = "sim",
                                    .open = sim_open,
                                    .close = sim_close,
                                    .transfer = sim_transfer,
                                    .control = sim_control,
                                    .watch = sim_watch,
                                    .destroy = sim_destroy};

kiosk_error usb_sim_create(usb_bus **out)
{
    sim_bus *sim = calloc(1, sizeof *sim);
    if (!sim)
        return KIOSK_ERR_NO_MEMORY;
    sim->base.ops = &sim_ops;
    monotonic_cond_init(&sim->changed);
    pthread_mutex_init(&sim->lock, NULL);
    *out = &sim->base;
    return KIOSK_OK;
}

static int find_slot(sim_bus *sim, const char *location)
{
    for (int i = 0; i < SIM_SLOTS; i++) {
        if (sim->slots[i].model && strcmp(sim->slots[i].location, location) == 0)
            return i;
    }
    return -1;
}

kiosk_error usb_sim_plug(usb_bus *bus, usb_model *model, const char *location)
{
    sim_bus *sim = bus_of(bus);
    pthread_mutex_lock(&sim->lock);
    int free_slot = -1;
    for (int i = SIM_SLOTS - 1; i >= 0; i--) {
        if (!sim->slots[i].model)
            free_slot = i;
    }
    if (find_slot(sim, location) >= 0 || free_slot < 0) {
        pthread_mutex_unlock(&sim->lock);
        return KIOSK_ERR_BUSY;
    }
    sim_slot *slot = &sim->slots[free_slot];
    slot->model = model;
    slot->generation++;
    slot->open = false;
    slot->stalled_until_ms = 0;
    snprintf(slot->location, sizeof slot->location, "%s", location);
    usb_hotplug_fn callback = sim->hotplug;
    void *context = sim->hotplug_context;
    pthread_mutex_unlock(&sim->lock);
    LOG_INFO("usb-sim", "%04x:%04x plugged in at %s", model->id.vendor, model->id.product,
             location);
    if (callback)
        callback(context, USB_ARRIVED, model->id, location);
    return KIOSK_OK;
}

usb_model *usb_sim_unplug(usb_bus *bus, const char *location)
{
    sim_bus *sim = bus_of(bus);
    pthread_mutex_lock(&sim->lock);
    int i = find_slot(sim, location);
    if (i < 0) {
        pthread_mutex_unlock(&sim->lock);
        return NULL;
    }
    usb_model *model = sim->slots[i].model;
    sim->slots[i].model = NULL;
    sim->slots[i].open = false;
    pthread_cond_broadcast(&sim->changed);
    usb_hotplug_fn callback = sim->hotplug;
    void *context = sim->hotplug_context;
    pthread_mutex_unlock(&sim->lock);
    LOG_INFO("usb-sim", "%04x:%04x unplugged from %s", model->id.vendor, model->id.product,
             location);
    if (callback)
        callback(context, USB_LEFT, model->id, location);
    return model;
}

void usb_sim_wake(usb_bus *bus)
{
    sim_bus *sim = bus_of(bus);
    pthread_mutex_lock(&sim->lock);
    pthread_cond_broadcast(&sim->changed);
    pthread_mutex_unlock(&sim->lock);
}

kiosk_error usb_sim_stall(usb_bus *bus, const char *location, unsigned ms)
{
    sim_bus *sim = bus_of(bus);
    pthread_mutex_lock(&sim->lock);
    int i = find_slot(sim, location);
    if (i >= 0)
        sim->slots[i].stalled_until_ms = monotonic_now_ms() + ms;
    pthread_mutex_unlock(&sim->lock);
    if (i >= 0)
        LOG_WARN("usb-sim", "transfers at %s stall for %u ms, as asked", location, ms);
    return i >= 0 ? KIOSK_OK : KIOSK_ERR_NOT_FOUND;
}
