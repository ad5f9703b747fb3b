/* The device manager: a worker thread per driver, woken by the transport's
 * reports of devices arriving and leaving. */
#include "drivers/devices.h"
#include "drivers/driver_probes.h"

#include "firmware/base/event_channel.h"
#include "firmware/base/log.h"
#include "firmware/base/monotonic.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How long a worker waits before trying again a device it could not open. */
#define RETRY_MS 2000

typedef struct device_slot device_slot;

struct device_handle {
    device_slot *slot;
    void *link; /* what the transport opened (a usb_device) */
    void *context;
};

struct device_slot {
    device_manager *manager;
    const device_driver *driver;
    pthread_t thread;
    bool started;
    bool attached; /* the bus reported a device of ours, not yet gone */
    device_address where;
    device_status status;
    bool reported; /* status was sent at least once */
    /* Work the main thread gave this device (a print job), not yet taken by
     * its driver. One at a time. */
    void *job;
    void (*job_release)(void *job);
    /* When the worker's present turn began (monotonic ms): a step, an open
     * or a close, in the driver or the transport. 0 while it waits in the
     * manager, where an arrival, a departure, a job or a stop wakes it.
     * Read without the lock (device_manager_turn_ms), so that the main
     * thread never waits for a worker to learn whether it is stuck. */
    _Atomic uint64_t turn_began_ms;
};

struct device_manager {
    const device_transport *transport;
    void *bus;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping;
    device_sink sink;
    device_watch watch;
    device_slot slots[DEVICE_KIND_COUNT];
    size_t slot_count;
};

#define DEVICE_KEY(kind, key, driver, simulator) [DEVICE_##kind] = key,
static const char *const kind_keys[DEVICE_KIND_COUNT] = {DEVICE_REGISTRY(DEVICE_KEY)};
#undef DEVICE_KEY

const char *device_kind_name(device_kind kind)
{
    return (unsigned)kind < DEVICE_KIND_COUNT ? kind_keys[kind] : "unknown";
}

bool device_kind_from_name(const char *key, device_kind *out)
{
    for (size_t k = 0; k < DEVICE_KIND_COUNT; k++) {
        if (strcmp(key, kind_keys[k]) == 0) {
            *out = (device_kind)k;
            return true;
        }
    }
    return false;
}

const char *device_state_name(device_state state)
{
    switch (state) {
    case DEVICE_NO_DEVICE:
        return "no-device";
    case DEVICE_OFFLINE:
        return "offline";
    case DEVICE_ONLINE:
        return "online";
    case DEVICE_BUSY:
        return "busy";
    case DEVICE_USER_ERROR:
        return "user-error";
    case DEVICE_HARDWARE_ERROR:
        return "hardware-error";
    }
    return "unknown";
}

/* The default sink: the event channel to the main thread. */
static void post_status(void *context, const device_status *status)
{
    (void)context;
    device_status *copy = malloc(sizeof *copy);
    if (!copy)
        return;
    *copy = *status;
    if (event_channel_post(APP_EVENT_DEVICE_STATUS, copy, free) != KIOSK_OK) {
        LOG_WARN("devices", "%s status not delivered: the event queue is full",
                 device_kind_name(status->kind));
        free(copy);
    }
}

static void delivery_release(void *payload)
{
    device_delivery *delivery = payload;
    if (delivery->release)
        delivery->release(delivery->payload);
    free(delivery);
}

kiosk_error device_post_delivery(device_kind kind, void *payload, void (*release)(void *payload))
{
    device_delivery *delivery = malloc(sizeof *delivery);
    if (!delivery)
        return KIOSK_ERR_NO_MEMORY;
    *delivery = (device_delivery){.kind = kind, .payload = payload, .release = release};
    kiosk_error result = event_channel_post(APP_EVENT_DEVICE_DELIVERY, delivery, delivery_release);
    if (result != KIOSK_OK)
        free(delivery); /* the payload stays the caller's */
    return result;
}

static kiosk_error post_delivery(void *context, device_kind kind, void *payload,
                                 void (*release)(void *payload))
{
    (void)context;
    return device_post_delivery(kind, payload, release);
}

usb_device *device_usb(device_handle *handle)
{
    return handle->slot->manager->transport->kind == DEVICE_TRANSPORT_USB ? handle->link : NULL;
}

void *device_link(device_handle *handle)
{
    return handle->link;
}

void *device_context(device_handle *handle)
{
    return handle->context;
}

static void report(device_slot *slot, device_state state, device_supply supply, const char *reason)
{
    device_manager *manager = slot->manager;
    pthread_mutex_lock(&manager->lock);
    bool same = slot->reported && slot->status.state == state && slot->status.supply == supply &&
                strcmp(slot->status.reason, reason) == 0;
    slot->status.state = state;
    slot->status.supply = supply;
    snprintf(slot->status.reason, sizeof slot->status.reason, "%s", reason);
    slot->reported = true;
    device_status copy = slot->status;
    pthread_mutex_unlock(&manager->lock);
    if (same)
        return;
    if (state == DEVICE_HARDWARE_ERROR || state == DEVICE_OFFLINE)
        LOG_WARN("devices", "%s: %s (%s)", device_kind_name(copy.kind), device_state_name(state),
                 reason);
    else
        LOG_INFO("devices", "%s: %s (%s)", device_kind_name(copy.kind), device_state_name(state),
                 reason);
    manager->sink.status(manager->sink.context, &copy);
}

void device_report(device_handle *handle, device_state state, device_supply supply,
                   const char *reason)
{
    report(handle->slot, state, supply, reason);
}

kiosk_error device_deliver(device_handle *handle, void *payload, void (*release)(void *payload))
{
    device_manager *manager = handle->slot->manager;
    kiosk_error result =
        manager->sink.deliver(manager->sink.context, handle->slot->status.kind, payload, release);
    if (result != KIOSK_OK && release)
        release(payload);
    return result;
}

/* The worker begins a turn now. */
static void turn_begins(device_slot *slot)
{
    uint64_t now = monotonic_now_ms();
    atomic_store(&slot->turn_began_ms, now ? now : 1);
}

/* The worker waits in the manager: no turn is under way. */
static void turn_ends(device_slot *slot)
{
    atomic_store(&slot->turn_began_ms, 0);
}

/* Waits up to ms, or until stopped or the device leaves. Lock held. Returns
 * whether the worker should go on with the device. */
static bool pause_attached(device_slot *slot, int ms)
{
    device_manager *manager = slot->manager;
    if (ms > 0) {
        struct timespec deadline = monotonic_deadline_ms((uint64_t)ms);
        turn_ends(slot);
        while (!manager->stopping && slot->attached && !slot->job &&
               pthread_cond_timedwait(&manager->wake, &manager->lock, &deadline) != ETIMEDOUT) {
        }
    }
    turn_begins(slot);
    return !manager->stopping && slot->attached;
}

/* One attachment: open, step until the device goes or fails, close. */
static void run_device(device_slot *slot, const device_address *where)
{
    device_manager *manager = slot->manager;
    const device_driver *driver = slot->driver;
    device_handle handle = {.slot = slot};
    kiosk_error opened = manager->transport->open(manager->bus, driver, where, &handle.link);
    if (opened != KIOSK_OK) {
        report(slot, DEVICE_OFFLINE, DEVICE_SUPPLY_NONE,
               opened == KIOSK_ERR_BUSY ? "in-use" : "cannot-open");
        pthread_mutex_lock(&manager->lock);
        pause_attached(slot, RETRY_MS);
        pthread_mutex_unlock(&manager->lock);
        return;
    }
    handle.context = calloc(1, driver->context_size ? driver->context_size : 1);
    int wait = -KIOSK_ERR_NO_MEMORY;
    if (handle.context && driver->open(&handle) == KIOSK_OK) {
        for (;;) {
            turn_begins(slot); /* each step is a turn */
            wait = driver->step(&handle);
            if (wait < 0)
                break;
            pthread_mutex_lock(&manager->lock);
            bool go_on = pause_attached(slot, wait);
            pthread_mutex_unlock(&manager->lock);
            if (!go_on)
                break;
        }
    } else {
        pthread_mutex_lock(&manager->lock);
        pause_attached(slot, RETRY_MS);
        pthread_mutex_unlock(&manager->lock);
    }
    if (handle.context) {
        driver->close(&handle);
        /* The context may hold what a device read (a card): wipe it. */
        explicit_bzero(handle.context, driver->context_size);
        free(handle.context);
    }
    manager->transport->close(handle.link);
    if (wait == -KIOSK_ERR_NO_DEVICE)
        report(slot, DEVICE_NO_DEVICE, DEVICE_SUPPLY_NONE, "unplugged");
}

static void *worker(void *arg)
{
    device_slot *slot = arg;
    device_manager *manager = slot->manager;
    turn_begins(slot);
    pthread_mutex_lock(&manager->lock);
    while (!manager->stopping) {
        if (!slot->attached) {
            bool first = !slot->reported;
            bool was_there = slot->status.state != DEVICE_NO_DEVICE;
            pthread_mutex_unlock(&manager->lock);
            if (first || was_there)
                report(slot, DEVICE_NO_DEVICE, DEVICE_SUPPLY_NONE,
                       first ? "not-found" : "unplugged");
            pthread_mutex_lock(&manager->lock);
            turn_ends(slot);
            while (!manager->stopping && !slot->attached)
                pthread_cond_wait(&manager->wake, &manager->lock);
            turn_begins(slot);
            continue;
        }
        device_address where = slot->where;
        pthread_mutex_unlock(&manager->lock);
        run_device(slot, &where);
        pthread_mutex_lock(&manager->lock);
    }
    pthread_mutex_unlock(&manager->lock);
    return NULL;
}

/* On the transport's thread: note the change and wake the worker. */
static void presence(void *context, bool arrived, const device_address *where)
{
    device_manager *manager = context;
    pthread_mutex_lock(&manager->lock);
    for (size_t i = 0; i < manager->slot_count; i++) {
        device_slot *slot = &manager->slots[i];
        if (!manager->transport->takes(slot->driver, where))
            continue;
        if (arrived && !slot->attached) {
            slot->attached = true;
            slot->where = *where;
            LOG_INFO("devices", "%s %04x:%04x arrived at %s", device_kind_name(slot->status.kind),
                     where->usb.vendor, where->usb.product, where->location);
        } else if (!arrived && slot->attached &&
                   strcmp(slot->where.location, where->location) == 0) {
            slot->attached = false;
            LOG_INFO("devices", "%s left %s", device_kind_name(slot->status.kind), where->location);
        }
    }
    pthread_cond_broadcast(&manager->wake);
    pthread_mutex_unlock(&manager->lock);
}

kiosk_error device_manager_start_on(const device_transport *transport, void *bus,
                                    const device_driver *const *drivers, size_t driver_count,
                                    const device_sink *sink, device_manager **out)
{
    if (driver_count > DEVICE_KIND_COUNT)
        return KIOSK_ERR_INVALID_ARGUMENT;
    for (size_t i = 0; i < driver_count; i++)
        if (drivers[i]->match.transport != transport->kind)
            return KIOSK_ERR_INVALID_ARGUMENT;
    device_manager *manager = calloc(1, sizeof *manager);
    if (!manager)
        return KIOSK_ERR_NO_MEMORY;
    manager->transport = transport;
    manager->bus = bus;
    manager->sink = sink ? *sink : (device_sink){.status = post_status, .deliver = post_delivery};
    monotonic_cond_init(&manager->wake);
    pthread_mutex_init(&manager->lock, NULL);
    manager->slot_count = driver_count;
    for (size_t i = 0; i < driver_count; i++) {
        manager->slots[i].manager = manager;
        manager->slots[i].driver = drivers[i];
        manager->slots[i].status.kind = drivers[i]->kind;
    }
    manager->watch = (device_watch){.presence = presence, .context = manager};
    kiosk_error result = transport->watch(bus, &manager->watch);
    for (size_t i = 0; result == KIOSK_OK && i < driver_count; i++) {
        if (pthread_create(&manager->slots[i].thread, NULL, worker, &manager->slots[i]) != 0)
            result = KIOSK_ERR_IO;
        else
            manager->slots[i].started = true;
    }
    if (result != KIOSK_OK) {
        device_manager_stop(manager);
        return result;
    }
    *out = manager;
    return KIOSK_OK;
}

kiosk_error device_manager_start(usb_bus *bus, const device_driver *const *drivers,
                                 size_t driver_count, const device_sink *sink, device_manager **out)
{
    return device_manager_start_on(&usb_device_transport, bus, drivers, driver_count, sink, out);
}

static device_slot *slot_of(device_manager *manager, device_kind kind)
{
    for (size_t i = 0; i < manager->slot_count; i++)
        if (manager->slots[i].status.kind == kind)
            return &manager->slots[i];
    return NULL;
}

kiosk_error device_manager_submit(device_manager *manager, device_kind kind, void *job,
                                  void (*release)(void *job))
{
    kiosk_error result = KIOSK_OK;
    pthread_mutex_lock(&manager->lock);
    device_slot *slot = slot_of(manager, kind);
    if (!slot || !slot->attached)
        result = KIOSK_ERR_NO_DEVICE;
    else if (slot->job)
        result = KIOSK_ERR_BUSY;
    else {
        slot->job = job;
        slot->job_release = release;
        pthread_cond_broadcast(&manager->wake);
    }
    pthread_mutex_unlock(&manager->lock);
    return result;
}

bool device_manager_withdraw(device_manager *manager, device_kind kind)
{
    pthread_mutex_lock(&manager->lock);
    device_slot *slot = slot_of(manager, kind);
    void *job = slot ? slot->job : NULL;
    void (*release)(void *job) = slot ? slot->job_release : NULL;
    if (slot) {
        slot->job = NULL;
        slot->job_release = NULL;
    }
    pthread_mutex_unlock(&manager->lock);
    if (job && release)
        release(job);
    return job != NULL;
}

void *device_take_job(device_handle *handle, void (**release)(void *job))
{
    device_slot *slot = handle->slot;
    pthread_mutex_lock(&slot->manager->lock);
    void *job = slot->job;
    if (release)
        *release = slot->job_release;
    slot->job = NULL;
    slot->job_release = NULL;
    pthread_mutex_unlock(&slot->manager->lock);
    return job;
}

void device_manager_stop(device_manager *manager)
{
    if (!manager)
        return;
    pthread_mutex_lock(&manager->lock);
    manager->stopping = true;
    pthread_cond_broadcast(&manager->wake);
    pthread_mutex_unlock(&manager->lock);
    for (size_t i = 0; i < manager->slot_count; i++) {
        if (manager->slots[i].started)
            pthread_join(manager->slots[i].thread, NULL);
    }
    /* Later hotplug reports find nobody to tell. */
    (void)manager->transport->watch(manager->bus, NULL);
    for (size_t i = 0; i < manager->slot_count; i++)
        if (manager->slots[i].job && manager->slots[i].job_release)
            manager->slots[i].job_release(manager->slots[i].job);
    pthread_cond_destroy(&manager->wake);
    pthread_mutex_destroy(&manager->lock);
    free(manager);
}

device_status device_manager_status(device_manager *manager, device_kind kind)
{
    device_status status = {.kind = kind, .state = DEVICE_NO_DEVICE};
    pthread_mutex_lock(&manager->lock);
    for (size_t i = 0; i < manager->slot_count; i++) {
        if (manager->slots[i].status.kind == kind)
            status = manager->slots[i].status;
    }
    pthread_mutex_unlock(&manager->lock);
    return status;
}

uint64_t device_manager_turn_ms(device_manager *manager, device_kind kind)
{
    /* The slots' kinds are set before the workers start and never change:
     * found without the lock. */
    device_slot *slot = manager ? slot_of(manager, kind) : NULL;
    uint64_t began = slot ? atomic_load(&slot->turn_began_ms) : 0;
    uint64_t now = monotonic_now_ms();
    return began && now > began ? now - began : 0;
}
