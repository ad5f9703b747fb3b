#include "firmware/base/event_channel.h"

#include "firmware/base/log.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

static Uint32 event_type = (Uint32)-1;
static int wake_fd = -1;
static atomic_int in_flight;

kiosk_error event_channel_open(void)
{
    if (event_type == (Uint32)-1) {
        event_type = SDL_RegisterEvents(1);
        if (event_type == (Uint32)-1)
            return KIOSK_ERR_UNSUPPORTED;
    }
    if (wake_fd < 0) {
        wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (wake_fd < 0)
            return KIOSK_ERR_IO;
    }
    atomic_store(&in_flight, 0);
    return KIOSK_OK;
}

void event_channel_close(void)
{
    /* Release whatever is still queued, so no payload leaks at shutdown. */
    SDL_Event event;
    while (event_type != (Uint32)-1 &&
           SDL_PeepEvents(&event, 1, SDL_GETEVENT, event_type, event_type) == 1) {
        app_event taken;
        if (event_channel_take(&event, &taken))
            app_event_release(&taken);
    }
    if (wake_fd >= 0)
        close(wake_fd);
    wake_fd = -1;
}

kiosk_error event_channel_post(app_event_kind kind, void *payload, void (*release)(void *payload))
{
    if (event_type == (Uint32)-1)
        return KIOSK_ERR_UNSUPPORTED;
    if (atomic_fetch_add(&in_flight, 1) >= EVENT_CHANNEL_MAX) {
        atomic_fetch_sub(&in_flight, 1);
        return KIOSK_ERR_BUSY;
    }
    SDL_Event event;
    SDL_zero(event);
    event.type = event_type;
    event.user.code = (Sint32)kind;
    event.user.data1 = payload;
    event.user.data2 = (void *)(uintptr_t)release;
    if (SDL_PushEvent(&event) != 1) {
        atomic_fetch_sub(&in_flight, 1);
        return KIOSK_ERR_BUSY;
    }
    uint64_t one = 1;
    if (write(wake_fd, &one, sizeof one) < 0 && errno != EAGAIN)
        LOG_WARN("events", "cannot signal the main thread: %d", errno);
    return KIOSK_OK;
}

bool event_channel_take(const SDL_Event *event, app_event *out)
{
    if (event_type == (Uint32)-1 || event->type != event_type)
        return false;
    atomic_fetch_sub(&in_flight, 1);
    out->kind = (app_event_kind)event->user.code;
    out->payload = event->user.data1;
    out->release = (void (*)(void *))(uintptr_t)event->user.data2;
    return true;
}

void app_event_release(app_event *event)
{
    if (event->release && event->payload)
        event->release(event->payload);
    event->payload = NULL;
}

int event_channel_wake_fd(void)
{
    return wake_fd;
}

void event_channel_drain_wakeups(void)
{
    uint64_t count;
    while (wake_fd >= 0 && read(wake_fd, &count, sizeof count) > 0) {
    }
}
