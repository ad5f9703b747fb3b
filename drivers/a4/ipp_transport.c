/* The IPP transport (ipp_transport.h): one thread probes the board's
 * printer URIs and tells the device core which answer. */
#include "drivers/a4/ipp_transport.h"
#include "drivers/a4/ipp_request.h"

#include "firmware/base/log.h"
#include "firmware/base/monotonic.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MODULE "ipp"

static const ipp_timing default_timing = {
    .probe_ms = 5000,
    .idle_poll_ms = 5000,
    .job_poll_ms = 1000,
    .answer_ms = 5000,
    .resume_wait_ms = 30000,
    .job_ceiling_ms = 180000,
};

struct ipp_bus {
    char uris[IPP_BUS_URIS][IPP_URI_MAX];
    size_t count;
    ipp_timing timing;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    bool running, stopping;
    device_watch *watch;
    bool present[IPP_BUS_URIS];
    int misses[IPP_BUS_URIS];
};

bool ipp_uri_valid(const char *uri)
{
    size_t length = strnlen(uri, IPP_URI_MAX);
    if (length == IPP_URI_MAX)
        return false;
    for (size_t i = 0; i < length; i++)
        if ((unsigned char)uri[i] <= ' ' || uri[i] == 0x7f)
            return false;
    ipp_endpoint endpoint;
    return ipp_endpoint_parse(uri, &endpoint) == KIOSK_OK;
}

kiosk_error ipp_bus_create(const char *const *uris, size_t count, const ipp_timing *timing,
                           ipp_bus **out)
{
    if (count == 0 || count > IPP_BUS_URIS)
        return KIOSK_ERR_INVALID_ARGUMENT;
    for (size_t i = 0; i < count; i++)
        if (!uris[i] || !ipp_uri_valid(uris[i]))
            return KIOSK_ERR_INVALID_ARGUMENT;
    ipp_bus *bus = calloc(1, sizeof *bus);
    if (!bus)
        return KIOSK_ERR_NO_MEMORY;
    for (size_t i = 0; i < count; i++)
        snprintf(bus->uris[i], sizeof bus->uris[i], "%s", uris[i]);
    bus->count = count;
    bus->timing = timing ? *timing : default_timing;
    pthread_mutex_init(&bus->lock, NULL);
    monotonic_cond_init(&bus->wake);
    *out = bus;
    return KIOSK_OK;
}

static void where_of(size_t index, device_address *where)
{
    memset(where, 0, sizeof *where);
    snprintf(where->location, sizeof where->location, "ipp-%zu", index + 1);
}

/* The probing thread: each URI asked in turn, then a sleep. */
static void *probe_thread(void *arg)
{
    ipp_bus *bus = arg;
    ipp_endpoint endpoints[IPP_BUS_URIS];
    /* Each URI was checked by ipp_bus_create. */
    for (size_t i = 0; i < bus->count; i++)
        if (ipp_endpoint_parse(bus->uris[i], &endpoints[i]) != KIOSK_OK)
            LOG_WARN(MODULE, "printer ipp-%zu: its URI no longer parses", i + 1);
    pthread_mutex_lock(&bus->lock);
    while (!bus->stopping) {
        for (size_t i = 0; i < bus->count && !bus->stopping; i++) {
            pthread_mutex_unlock(&bus->lock);
            ipp_printer_facts facts;
            bool answered =
                ipp_printer_query(&endpoints[i], bus->timing.answer_ms, &facts) == KIOSK_OK;
            pthread_mutex_lock(&bus->lock);
            bool change = false, arrived = false;
            if (answered) {
                bus->misses[i] = 0;
                change = !bus->present[i];
                arrived = true;
            } else if (bus->present[i] && ++bus->misses[i] >= IPP_BUS_MISSES) {
                change = true;
            }
            if (change && !bus->stopping) {
                bus->present[i] = arrived;
                device_address where;
                where_of(i, &where);
                LOG_INFO(MODULE, "printer %s %s", where.location,
                         arrived ? "answers" : "stopped answering");
                /* Reported under the lock: watch(NULL) waits for it. */
                bus->watch->presence(bus->watch->context, arrived, &where);
            }
        }
        struct timespec deadline = monotonic_deadline_ms((uint64_t)bus->timing.probe_ms);
        while (!bus->stopping &&
               pthread_cond_timedwait(&bus->wake, &bus->lock, &deadline) != ETIMEDOUT) {
        }
    }
    pthread_mutex_unlock(&bus->lock);
    ipp_endpoints_close(endpoints, bus->count);
    return NULL;
}

static kiosk_error watch(void *opaque, device_watch *watch)
{
    ipp_bus *bus = opaque;
    if (watch) {
        if (bus->running)
            return KIOSK_ERR_BUSY;
        bus->watch = watch;
        bus->stopping = false;
        memset(bus->present, 0, sizeof bus->present);
        memset(bus->misses, 0, sizeof bus->misses);
        if (pthread_create(&bus->thread, NULL, probe_thread, bus) != 0)
            return KIOSK_ERR_IO;
        bus->running = true;
        return KIOSK_OK;
    }
    if (!bus->running)
        return KIOSK_OK;
    pthread_mutex_lock(&bus->lock);
    bus->stopping = true;
    pthread_cond_broadcast(&bus->wake);
    pthread_mutex_unlock(&bus->lock);
    pthread_join(bus->thread, NULL);
    bus->running = false;
    bus->watch = NULL;
    return KIOSK_OK;
}

static bool takes(const device_driver *driver, const device_address *where)
{
    return driver->match.transport == DEVICE_TRANSPORT_IPP &&
           strncmp(where->location, "ipp-", 4) == 0;
}

static kiosk_error open_printer(void *opaque, const device_driver *driver,
                                const device_address *where, void **link)
{
    (void)driver;
    ipp_bus *bus = opaque;
    *link = NULL;
    unsigned long n = strtoul(where->location + 4, NULL, 10);
    if (n == 0 || n > bus->count)
        return KIOSK_ERR_NOT_FOUND;
    ipp_link *opened = calloc(1, sizeof *opened);
    if (!opened)
        return KIOSK_ERR_NO_MEMORY;
    snprintf(opened->uri, sizeof opened->uri, "%s", bus->uris[n - 1]);
    opened->timing = bus->timing;
    *link = opened;
    return KIOSK_OK;
}

static void close_printer(void *link)
{
    free(link);
}

void ipp_bus_destroy(ipp_bus *bus)
{
    if (!bus)
        return;
    (void)watch(bus, NULL);
    pthread_cond_destroy(&bus->wake);
    pthread_mutex_destroy(&bus->lock);
    free(bus);
}

const device_transport ipp_device_transport = {
    .kind = DEVICE_TRANSPORT_IPP,
    .watch = watch,
    .takes = takes,
    .open = open_printer,
    .close = close_printer,
};
