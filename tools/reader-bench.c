/* reader-bench: how long the ID card reader takes on the simulated reader,
 * through the real driver and device manager on the simulated USB bus.
 *
 *   read      from the driver starting the read (status "reading") to the
 *             record handed on: frames in (text and photo), parsed, checked,
 *             record out;
 *   lay       from the card laid on the reader to the record handed on
 *             (adds the wait for the next poll, up to 300 ms). */
#include "drivers/devices.h"
#include "drivers/sim/idcard_sim.h"
#include "drivers/usb_sim.h"
#include "firmware/base/event_channel.h"
#include "firmware/base/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNS 20

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static double reading_at, card_at;
static int cards;
static char reason[32];

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static void on_status(void *context, const device_status *status)
{
    (void)context;
    pthread_mutex_lock(&lock);
    if (strcmp(status->reason, "reading") == 0)
        reading_at = now_ms();
    snprintf(reason, sizeof reason, "%s", status->reason);
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
}

static kiosk_error on_deliver(void *context, device_kind kind, void *payload,
                              void (*release)(void *))
{
    (void)context;
    (void)kind;
    pthread_mutex_lock(&lock);
    card_at = now_ms();
    cards++;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
    release(payload);
    return KIOSK_OK;
}

static void wait_reason(const char *wanted)
{
    pthread_mutex_lock(&lock);
    while (strcmp(reason, wanted) != 0)
        pthread_cond_wait(&changed, &lock);
    pthread_mutex_unlock(&lock);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    usb_bus *bus = NULL;
    usb_model *reader = idcard_sim_create();
    device_manager *manager = NULL;
    const device_driver *drivers[] = {&idcard_driver};
    device_sink sink = {.status = on_status, .deliver = on_deliver};
    if (!reader || usb_sim_create(&bus) != KIOSK_OK ||
        usb_sim_plug(bus, reader, "sim-1") != KIOSK_OK ||
        device_manager_start(bus, drivers, 1, &sink, &manager) != KIOSK_OK) {
        fprintf(stderr, "reader-bench: cannot start the simulated reader\n");
        return 1;
    }
    wait_reason("ready");
    double read[RUNS], lay[RUNS];
    unsigned long frames_before = idcard_sim_frames_answered(reader);
    for (int i = 0; i < RUNS; i++) {
        pthread_mutex_lock(&lock);
        int seen = cards;
        pthread_mutex_unlock(&lock);
        double laid = now_ms();
        idcard_sim_lay_card(reader, (idcard_sim_citizen)(i % IDCARD_SIM_CITIZEN_COUNT));
        pthread_mutex_lock(&lock);
        while (cards == seen)
            pthread_cond_wait(&changed, &lock);
        read[i] = card_at - reading_at;
        lay[i] = card_at - laid;
        pthread_mutex_unlock(&lock);
        idcard_sim_lift_card(reader);
        wait_reason("ready");
    }
    unsigned long frames = idcard_sim_frames_answered(reader) - frames_before;
    device_manager_stop(manager);
    usb_bus_destroy(bus);
    qsort(read, RUNS, sizeof read[0], by_value);
    qsort(lay, RUNS, sizeof lay[0], by_value);
    printf("reader-bench: ID card reader, simulated reader on the simulated USB bus\n");
    printf("  read: frames in, record out   median %6.3f ms  (min %.3f, max %.3f; %d cards)\n",
           read[RUNS / 2], read[0], read[RUNS - 1], RUNS);
    printf("  card laid -> record out      median %6.1f ms  (min %.1f, max %.1f; poll every "
           "300 ms)\n",
           lay[RUNS / 2], lay[0], lay[RUNS - 1]);
    printf("  frames answered              %lu (%.1f per card, polls included)\n", frames,
           (double)frames / RUNS);
    return 0;
}
