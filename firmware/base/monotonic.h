/* Waiting with deadlines on the monotonic clock, which the wall clock's
 * corrections (NTP, a technician setting the time) never move. Worker
 * threads that wait on condition variables use these. */
#ifndef KIOSK_FIRMWARE_BASE_MONOTONIC_H
#define KIOSK_FIRMWARE_BASE_MONOTONIC_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

/* Milliseconds on the monotonic clock. */
uint64_t monotonic_now_ms(void);

/* The absolute monotonic time ms from now, for pthread_cond_timedwait on a
 * condition variable made by monotonic_cond_init. */
struct timespec monotonic_deadline_ms(uint64_t ms);

/* A condition variable whose timed waits use the monotonic clock. */
void monotonic_cond_init(pthread_cond_t *cond);

#endif
