/* What the device manager tells the main thread, caught in order for the
 * device tests (a sink in place of the event channel), and waits on it. */
#ifndef KIOSK_TESTS_DRIVERS_DEVICE_CATCH_H
#define KIOSK_TESTS_DRIVERS_DEVICE_CATCH_H

#include "drivers/devices.h"
#include "drivers/idcard/protocol.h"
#include "firmware/base/event_channel.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WAIT_MS 5000

/* What the manager told the main thread, kept in order. */
typedef struct catch
{
    pthread_mutex_t lock;
    pthread_cond_t changed;
    device_status statuses[256];
    int status_count;
    idcard_record *cards[16];
    int card_count;
}
catch;

static catch caught;

static inline void on_status(void *context, const device_status *status)
{
    (void)context;
    pthread_mutex_lock(&caught.lock);
    if (caught.status_count < 256)
        caught.statuses[caught.status_count++] = *status;
    pthread_cond_broadcast(&caught.changed);
    pthread_mutex_unlock(&caught.lock);
}

static inline kiosk_error on_deliver(void *context, device_kind kind, void *payload,
                                     void (*release)(void *))
{
    (void)context;
    if (kind != DEVICE_ID_READER)
        return KIOSK_ERR_INVALID_ARGUMENT;
    pthread_mutex_lock(&caught.lock);
    kiosk_error result = KIOSK_ERR_BUSY;
    if (caught.card_count < 16) {
        caught.cards[caught.card_count++] = payload;
        result = KIOSK_OK;
    }
    (void)release;
    pthread_cond_broadcast(&caught.changed);
    pthread_mutex_unlock(&caught.lock);
    return result;
}

static inline void catch_start(void)
{
    memset(&caught, 0, sizeof caught);
    pthread_mutex_init(&caught.lock, NULL);
    pthread_cond_init(&caught.changed, NULL);
}

/* After the manager stopped: frees (and wipes) the cards caught. */
static inline void catch_stop(void)
{
    for (int i = 0; i < caught.card_count; i++) {
        idcard_record_wipe(caught.cards[i]);
        free(caught.cards[i]);
    }
    pthread_cond_destroy(&caught.changed);
    pthread_mutex_destroy(&caught.lock);
}

/* Waits until a status with this state and reason has been reported after
 * the first `after` statuses; returns its index. Fails the test on time-out. */
static inline int wait_status(int after, device_state state, const char *reason)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += WAIT_MS / 1000;
    pthread_mutex_lock(&caught.lock);
    for (;;) {
        for (int i = after; i < caught.status_count; i++) {
            if (caught.statuses[i].state == state &&
                strcmp(caught.statuses[i].reason, reason) == 0) {
                pthread_mutex_unlock(&caught.lock);
                return i;
            }
        }
        if (pthread_cond_timedwait(&caught.changed, &caught.lock, &deadline) != 0)
            break;
    }
    int count = caught.status_count;
    pthread_mutex_unlock(&caught.lock);
    for (int i = 0; i < count; i++)
        printf("  status %d: %s %s\n", i, device_state_name(caught.statuses[i].state),
               caught.statuses[i].reason);
    fail_msg("no %s (%s) reported", device_state_name(state), reason);
    return -1;
}

static inline int status_count(void)
{
    pthread_mutex_lock(&caught.lock);
    int n = caught.status_count;
    pthread_mutex_unlock(&caught.lock);
    return n;
}

static inline int card_count(void)
{
    pthread_mutex_lock(&caught.lock);
    int n = caught.card_count;
    pthread_mutex_unlock(&caught.lock);
    return n;
}

#endif
