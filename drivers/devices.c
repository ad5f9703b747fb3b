/* The device manager: a worker thread per driver, woken by hotplug. */
#include "drivers/devices.h"

#include "firmware/base/event_channel.h"
#include "firmware/base/log.h"
#include "firmware/base/monotonic.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How long a worker waits before trying again a device it could not open. */
#define RETRY_MS 2000

typedef struct device_slot device_slot;

struct device_handle {
    device_slot *slot;
    usb_device *usb;
    void *context;
};

struct device_slot {
    device_manager *manager;
    const device_driver *driver;
    pthread_t thread;
    bool started;
    bool attached; /* the bus reported a device of ours, not yet gone */
    usb_id id;
    char location[32];
    device_status status;
    bool reported; /* status was sent at least once */
    /* Work the main thread gave this device (a print job), not yet taken by
     * its driver. One at a time. */
    void *job;
    void (*job_release)(void *job);
};

struct device_manager {
    usb_bus *bus;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping;
    device_sink sink;
    device_slot slots[DEVICE_KIND_COUNT];
    size_t slot_count;
};

const char *device_kind_name(device_kind kind)
{
    switch (kind) {
    case DEVICE_ID_READER:
        return "id-reader";
    case DEVICE_PRINTER:
        return "printer";
    case DEVICE_SCANNER:
        return "scanner";
    case DEVICE_KIND_COUNT:
        break;
    }
    return "unknown";
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

static kiosk_error post_delivery(void *context, int event_kind, void *payload,
                                 void (*release)(void *payload))
{
    (void)context;
    return event_channel_post((app_event_kind)event_kind, payload, release);
}

usb_device *device_usb(device_handle *handle)
{
    return handle->usb;
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

kiosk_error device_deliver(device_handle *handle, int event_kind, void *payload,
                           void (*release)(void *payload))
{
    device_manager *manager = handle->slot->manager;
    kiosk_error result = manager->sink.deliver(manager->sink.context, event_kind, payload, release);
    if (result != KIOSK_OK && release)
        release(payload);
    return result;
}

/* Waits up to ms, or until stopped or the device leaves. Lock held. Returns
 * whether the worker should go on with the device. */
static bool pause_attached(device_slot *slot, int ms)
{
    device_manager *manager = slot->manager;
    if (ms > 0) {
        struct timespec deadline = monotonic_deadline_ms((uint64_t)ms);
        while (!manager->stopping && slot->attached && !slot->job &&
               pthread_cond_timedwait(&manager->wake, &manager->lock, &deadline) != ETIMEDOUT) {
        }
    }
    return !manager->stopping && slot->attached;
}

/* One attachment: open, step until the device goes or fails, close. */
static void run_device(device_slot *slot, usb_id id)
{
    device_manager *manager = slot->manager;
    const device_driver *driver = slot->driver;
    device_handle handle = {.slot = slot};
    kiosk_error opened = usb_open(manager->bus, id, driver->interface, &handle.usb);
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
    usb_close(handle.usb);
    if (wait == -KIOSK_ERR_NO_DEVICE)
        report(slot, DEVICE_NO_DEVICE, DEVICE_SUPPLY_NONE, "unplugged");
}

static void *worker(void *arg)
{
    device_slot *slot = arg;
    device_manager *manager = slot->manager;
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
            while (!manager->stopping && !slot->attached)
                pthread_cond_wait(&manager->wake, &manager->lock);
            continue;
        }
        usb_id id = slot->id;
        pthread_mutex_unlock(&manager->lock);
        run_device(slot, id);
        pthread_mutex_lock(&manager->lock);
    }
    pthread_mutex_unlock(&manager->lock);
    return NULL;
}

static bool driver_takes(const device_driver *driver, usb_id id)
{
    for (size_t i = 0; i < driver->id_count; i++) {
        if (driver->ids[i].vendor == id.vendor && driver->ids[i].product == id.product)
            return true;
    }
    return false;
}

/* On the bus's thread: note the change and wake the worker. */
static void hotplug(void *context, usb_hotplug_event event, usb_id id, const char *location)
{
    device_manager *manager = context;
    pthread_mutex_lock(&manager->lock);
    for (size_t i = 0; i < manager->slot_count; i++) {
        device_slot *slot = &manager->slots[i];
        if (!driver_takes(slot->driver, id))
            continue;
        if (event == USB_ARRIVED && !slot->attached) {
            slot->attached = true;
            slot->id = id;
            snprintf(slot->location, sizeof slot->location, "%s", location);
            LOG_INFO("devices", "%s %04x:%04x arrived at %s", device_kind_name(slot->status.kind),
                     id.vendor, id.product, location);
        } else if (event == USB_LEFT && slot->attached && strcmp(slot->location, location) == 0) {
            slot->attached = false;
            LOG_INFO("devices", "%s left %s", device_kind_name(slot->status.kind), location);
        }
    }
    pthread_cond_broadcast(&manager->wake);
    pthread_mutex_unlock(&manager->lock);
}

kiosk_error device_manager_start(usb_bus *bus, const device_driver *const *drivers,
                                 size_t driver_count, const device_sink *sink, device_manager **out)
{
    if (driver_count > DEVICE_KIND_COUNT)
        return KIOSK_ERR_INVALID_ARGUMENT;
    device_manager *manager = calloc(1, sizeof *manager);
    if (!manager)
        return KIOSK_ERR_NO_MEMORY;
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
    kiosk_error result = usb_watch(bus, hotplug, manager);
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

bool device_manager_cancel(device_manager *manager, device_kind kind)
{
    pthread_mutex_lock(&manager->lock);
    device_slot *slot = slot_of(manager, kind);
    void *job = slot ? slot->job : NULL;
    void (*release)(void *) = slot ? slot->job_release : NULL;
    if (slot) {
        slot->job = NULL;
        slot->job_release = NULL;
    }
    pthread_mutex_unlock(&manager->lock);
    if (job && release)
        release(job);
    return job != NULL;
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
    (void)usb_watch(manager->bus, NULL, NULL);
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
