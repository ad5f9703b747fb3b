#include "firmware/base/monotonic.h"

uint64_t monotonic_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u;
}

struct timespec monotonic_deadline_ms(uint64_t ms)
{
    struct timespec when;
    clock_gettime(CLOCK_MONOTONIC, &when);
    uint64_t nanoseconds = (uint64_t)when.tv_nsec + (ms % 1000u) * 1000000u;
    when.tv_sec += (time_t)(ms / 1000u + nanoseconds / 1000000000u);
    when.tv_nsec = (long)(nanoseconds % 1000000000u);
    return when;
}

void monotonic_cond_init(pthread_cond_t *cond)
{
    pthread_condattr_t attributes;
    pthread_condattr_init(&attributes);
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
    pthread_cond_init(cond, &attributes);
    pthread_condattr_destroy(&attributes);
}
