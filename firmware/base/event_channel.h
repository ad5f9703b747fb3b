/* The one way worker threads reach the main thread.
 *
 * A worker posts a typed event with an optional payload; the payload's
 * ownership passes with it, and the main thread releases it after handling
 * (app_event_release). Events ride SDL's queue under one registered SDL event
 * type; the channel also signals a wake-up descriptor, so a main thread asleep
 * in poll(2) (video drivers whose SDL wait would poll) wakes at once.
 *
 * At most EVENT_CHANNEL_MAX events are in flight; past that, posting fails with
 * BUSY and the caller keeps its payload. */
#ifndef KIOSK_FIRMWARE_BASE_EVENT_CHANNEL_H
#define KIOSK_FIRMWARE_BASE_EVENT_CHANNEL_H

#include "firmware/base/error.h"

#include <SDL2/SDL.h>
#include <stdbool.h>

#define EVENT_CHANNEL_MAX 256

typedef enum app_event_kind {
    APP_EVENT_QUIT = 1,      /* a signal asked the kiosk to stop */
    APP_EVENT_REDRAW,        /* something shown has changed */
    APP_EVENT_CONTROL,       /* a test control command (payload: control_command) */
    APP_EVENT_DEVICE_STATUS, /* a device's status changed (payload: device_status) */
    APP_EVENT_LINK,          /* the platform link or the outbox changed (payload: sync_progress) */
    APP_EVENT_DELIVERED,     /* the platform acknowledged a record (payload: its id, tracking) */
    /* A device produced something: a card read, a print job's end, a scan
     * (payload: device_delivery, its kind and what its driver delivered). */
    APP_EVENT_DEVICE_DELIVERY,
    APP_EVENT_LOOKUP, /* the platform answered a status lookup (payload: sync_lookup_result) */
    APP_EVENT_QUERY,  /* the platform answered a citizen's query (payload: sync_query_result,
                         wiped on release) */
    APP_EVENT_EID,    /* the platform said who an e-ID code is (payload: sync_eid_result,
                         wiped on release) */
    /* The platform booked a place in a queue, or could not (payload:
     * sync_appointment_result, wiped on release). */
    APP_EVENT_APPOINTMENT,
    /* The platform listed a citizen's certificates (payload:
     * sync_documents_result, wiped on release). */
    APP_EVENT_DOCUMENTS,
    /* The platform sent a certificate (payload: sync_document_result; its
     * PDF is wiped and freed on release unless taken). */
    APP_EVENT_DOCUMENT,
    /* A kioskctl request from the admin socket (payload: admin_call; the
     * main thread answers it, now or when a slow command ends). */
    APP_EVENT_ADMIN,
} app_event_kind;

typedef struct app_event {
    app_event_kind kind;
    void *payload;                  /* owned by whoever holds the event */
    void (*release)(void *payload); /* frees payload; NULL when nothing to free */
} app_event;

/* Registers the SDL event type and creates the wake-up descriptor. Call once,
 * on the main thread, before any worker starts. Errors: UNSUPPORTED, IO. */
kiosk_error event_channel_open(void) KIOSK_MUST_CHECK;
void event_channel_close(void);

/* Any thread. On success the payload belongs to the main thread; on failure
 * (BUSY, IO, UNSUPPORTED) it stays the caller's. */
kiosk_error event_channel_post(app_event_kind kind, void *payload,
                               void (*release)(void *payload)) KIOSK_MUST_CHECK;

/* Main thread: when event is one of ours, moves it into *out (now owned by the
 * caller) and returns true. */
bool event_channel_take(const SDL_Event *event, app_event *out);

/* Frees the event's payload with its release function. */
void app_event_release(app_event *event);

/* A descriptor that becomes readable when an event is posted (for poll), and
 * the call that consumes those wake-ups. -1 before open. */
int event_channel_wake_fd(void);
void event_channel_drain_wakeups(void);

#endif
