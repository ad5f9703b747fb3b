#include "firmware/app/app_supervisor.h"

#include "firmware/base/log.h"
#include "firmware/base/sd_notify.h"

#include <stdio.h>
#include <time.h>

static struct {
    const kiosk_app *app;
    sd_notifier notifier;
    long long next_ping_ms; /* on the monotonic clock; -1: none due */
} supervisor = {.notifier = {.fd = -1, .watchdog_ms = -1}, .next_ping_ms = -1};

/* The real monotonic clock, never the tests' made-up one: the manager
 * counts real time. */
static long long now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

void app_supervisor_ready(kiosk_app *app)
{
    supervisor.app = app;
    if (!sd_notifier_open(&supervisor.notifier))
        return;
    char state[96];
    snprintf(state, sizeof state, "READY=1\nSTATUS=serving: %s screen", app_screen_name(app));
    if (!sd_notifier_send(&supervisor.notifier, state))
        LOG_WARN("supervisor", "the service manager could not be told the kiosk is ready");
    if (supervisor.notifier.watchdog_ms > 0) {
        supervisor.next_ping_ms = now_ms() + supervisor.notifier.watchdog_ms;
        LOG_INFO("supervisor", "ready; the watchdog is fed every %lld ms",
                 supervisor.notifier.watchdog_ms);
    }
}

void app_supervisor_tick(kiosk_app *app)
{
    if (supervisor.app != app || supervisor.next_ping_ms < 0)
        return;
    long long now = now_ms();
    if (now < supervisor.next_ping_ms)
        return;
    if (!sd_notifier_send(&supervisor.notifier, "WATCHDOG=1"))
        LOG_WARN("supervisor", "the watchdog could not be fed");
    supervisor.next_ping_ms = now + supervisor.notifier.watchdog_ms;
}

long long app_supervisor_next_ms(const kiosk_app *app)
{
    if (supervisor.app != app || supervisor.next_ping_ms < 0)
        return -1;
    long long left = supervisor.next_ping_ms - now_ms();
    return left > 0 ? left : 0;
}

void app_supervisor_stopping(kiosk_app *app)
{
    if (supervisor.app != app)
        return;
    sd_notifier_send(&supervisor.notifier, "STOPPING=1");
    sd_notifier_close(&supervisor.notifier);
    supervisor.app = NULL;
    supervisor.next_ping_ms = -1;
}
