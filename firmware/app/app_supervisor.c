#include "firmware/app/app_supervisor.h"
#include "firmware/app/app_devices.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_session.h"

#include "firmware/base/log.h"
#include "firmware/base/sd_notify.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* Between looks at the resident memory while the kiosk rests: the look is
 * made only on turns the loop takes anyway (a ping, the clock's minute, a
 * status), never on a timer of its own. */
#define MEMORY_LOOK_MS 10000

static struct {
    kiosk_app *app;
    sd_notifier notifier;
    long long next_ping_ms; /* on the monotonic clock; -1: none due */
    /* The kind whose stuck worker holds the pings back; -1: none. */
    int withheld_for;
    long long withheld_since_ms;
    long long memory_limit_kib; /* 0: no ceiling */
    bool at_rest;               /* at the last turn */
    long long next_memory_look_ms;
} supervisor = {.notifier = {.fd = -1, .watchdog_ms = -1}, .next_ping_ms = -1, .withheld_for = -1};

/* The real monotonic clock, never the tests' made-up one: the manager
 * counts real time. */
static long long now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* The resident set (KiB), from one small read of /proc; -1 unknown. */
static long long resident_kib(void)
{
    FILE *statm = fopen("/proc/self/statm", "re");
    long long size = 0, resident = -1;
    if (!statm)
        return -1;
    if (fscanf(statm, "%lld %lld", &size, &resident) != 2)
        resident = -1;
    fclose(statm);
    long page = sysconf(_SC_PAGESIZE);
    return resident < 0 || page <= 0 ? -1 : resident * (page / 1024);
}

void app_supervisor_ready(kiosk_app *app)
{
    supervisor.app = app;
    supervisor.next_ping_ms = -1;
    supervisor.withheld_for = -1;
    supervisor.at_rest = false;
    supervisor.next_memory_look_ms = 0;
    supervisor.memory_limit_kib = (long long)app_board(app)->memory_limit_mb * 1024;
    if (supervisor.memory_limit_kib > 0)
        LOG_INFO("supervisor", "%lld MB resident at the first frame; the board's ceiling is %d MB",
                 resident_kib() / 1024, app_board(app)->memory_limit_mb);
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

/* The device worker that has been in one turn longer than bound_ms, if
 * any: the longest such. */
static bool worker_stuck(kiosk_app *app, long long bound_ms, device_kind *kind, uint64_t *for_ms)
{
    *for_ms = 0;
    for (int k = 0; k < DEVICE_KIND_COUNT; k++) {
        uint64_t ms =
            device_manager_turn_ms(app_devices_manager(app, (device_kind)k), (device_kind)k);
        if (ms > (uint64_t)bound_ms && ms > *for_ms) {
            *kind = (device_kind)k;
            *for_ms = ms;
        }
    }
    return *for_ms > 0;
}

/* Nobody is using the terminal: the attract screen, with no citizen's
 * session and no staff or technician signed in or signing in. */
static bool at_rest(kiosk_app *app)
{
    return app_current_screen(app) == APP_SCREEN_ATTRACT && !app_in_session(app) &&
           app_role_current(app) == STAFF_ROLE_NONE && !app_role_busy(app);
}

/* At rest, past the ceiling: a clean restart, the same as staff's. Looked
 * at on arriving at rest, then every MEMORY_LOOK_MS of turns. */
static void look_at_memory(kiosk_app *app, long long now)
{
    bool rest = at_rest(app);
    bool arrived = rest && !supervisor.at_rest;
    supervisor.at_rest = rest;
    if (supervisor.memory_limit_kib <= 0 || !rest ||
        (!arrived && now < supervisor.next_memory_look_ms))
        return;
    supervisor.next_memory_look_ms = now + MEMORY_LOOK_MS;
    long long kib = resident_kib();
    if (kib <= supervisor.memory_limit_kib)
        return;
    LOG_WARN("supervisor",
             "%lld MB resident, past the ceiling of %lld MB: a clean restart, between sessions",
             kib / 1024, supervisor.memory_limit_kib / 1024);
    app_request_restart(app);
}

void app_supervisor_tick(kiosk_app *app)
{
    if (supervisor.app != app)
        return;
    long long now = now_ms();
    look_at_memory(app, now);
    if (supervisor.next_ping_ms < 0 || now < supervisor.next_ping_ms)
        return;
    /* A worker in one turn for as long as the ping interval is stuck: no
     * bounded wait of a driver lasts that long (docs/supervision.md). */
    long long interval = supervisor.notifier.watchdog_ms;
    device_kind kind = DEVICE_KIND_COUNT;
    uint64_t stuck_ms = 0;
    if (worker_stuck(app, interval, &kind, &stuck_ms)) {
        if (supervisor.withheld_for < 0) {
            LOG_ERROR("supervisor",
                      "the watchdog is not fed: the %s worker has been in one turn for %llu ms "
                      "(its device does not answer, or its driver is stuck)",
                      device_kind_name(kind), (unsigned long long)stuck_ms);
            supervisor.withheld_for = (int)kind;
            supervisor.withheld_since_ms = now;
        }
        /* Looked at again soon: a worker that turns again is fed again
         * before the manager's time runs out. */
        supervisor.next_ping_ms = now + (interval / 4 > 0 ? interval / 4 : 1);
        return;
    }
    if (supervisor.withheld_for >= 0) {
        LOG_WARN(
            "supervisor",
            "the %s worker turns again: the watchdog is fed again, %lld ms after it was held back",
            device_kind_name((device_kind)supervisor.withheld_for),
            now - supervisor.withheld_since_ms);
        supervisor.withheld_for = -1;
    }
    if (!sd_notifier_send(&supervisor.notifier, "WATCHDOG=1"))
        LOG_WARN("supervisor", "the watchdog could not be fed");
    supervisor.next_ping_ms = now + interval;
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

void app_supervisor_set_memory_limit(kiosk_app *app, int limit_mb)
{
    if (supervisor.app != app)
        return;
    supervisor.memory_limit_kib = (long long)limit_mb * 1024;
    supervisor.at_rest = false; /* looked at the next turn at rest */
    LOG_WARN("supervisor", "the memory ceiling is %d MB for this run, as asked", limit_mb);
}
