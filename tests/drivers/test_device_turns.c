/* How long a device worker has been in one turn, which the watchdog reads
 * (docs/supervision.md): the real ID card reader driver under the device
 * manager on the simulated bus. A worker waiting for its device, or polling
 * one that answers, is never long in a turn; one behind a device that stops
 * answering (a transfer that ignores its time-out) is, until the device
 * answers again or is pulled. */
#include "../support/test_support.h"

#include "drivers/devices.h"
#include "drivers/sim/idcard_sim.h"
#include "drivers/usb_sim.h"

#include "device_catch.h"

#include <time.h>

#define LOCATION "sim-1"

typedef struct rig {
    usb_bus *bus;
    usb_model *reader;
    device_manager *manager;
} rig;

static rig start(bool plugged)
{
    catch_start();
    rig r = {0};
    assert_int_equal(usb_sim_create(&r.bus), KIOSK_OK);
    r.reader = idcard_sim_create();
    assert_non_null(r.reader);
    if (plugged)
        assert_int_equal(usb_sim_plug(r.bus, r.reader, LOCATION), KIOSK_OK);
    const device_driver *drivers[] = {&idcard_driver};
    device_sink sink = {.status = on_status, .deliver = on_deliver};
    assert_int_equal(device_manager_start(r.bus, drivers, 1, &sink, &r.manager), KIOSK_OK);
    return r;
}

static void stop(rig *r, bool plugged)
{
    device_manager_stop(r->manager);
    if (!plugged)
        r->reader->ops->destroy(r->reader);
    usb_bus_destroy(r->bus);
    catch_stop();
}

static void sleep_ms(long ms)
{
    struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

static uint64_t now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000;
}

/* The longest turn seen in ms of looking, every 10 ms. */
static uint64_t longest_turn(rig *r, long ms)
{
    uint64_t longest = 0;
    for (long waited = 0; waited < ms; waited += 10) {
        uint64_t turn = device_manager_turn_ms(r->manager, DEVICE_ID_READER);
        if (turn > longest)
            longest = turn;
        sleep_ms(10);
    }
    return longest;
}

/* Waits up to ms for the reader's worker to be in a turn of at least
 * at_least ms: when it was (0: never). */
static uint64_t turn_reaches(rig *r, uint64_t at_least, long ms)
{
    for (long waited = 0; waited < ms; waited += 10) {
        if (device_manager_turn_ms(r->manager, DEVICE_ID_READER) >= at_least)
            return now_ms();
        sleep_ms(10);
    }
    return 0;
}

static void test_a_worker_waiting_for_its_device_is_not_in_a_turn(void **state)
{
    (void)state;
    rig r = start(false);
    wait_status(0, DEVICE_NO_DEVICE, "not-found");
    /* The turn that found no device may still be ending (a few ms, more on
     * a loaded machine under emulation); after it, none begins. */
    for (int i = 0; i < 200 && device_manager_turn_ms(r.manager, DEVICE_ID_READER) != 0; i++)
        sleep_ms(10);
    assert_int_equal(longest_turn(&r, 600), 0);
    /* Nor is a kind the manager does not have, or no manager at all. */
    assert_int_equal(device_manager_turn_ms(r.manager, DEVICE_PRINTER), 0);
    assert_int_equal(device_manager_turn_ms(NULL, DEVICE_ID_READER), 0);
    stop(&r, false);
}

static void test_a_worker_polling_its_device_ends_each_turn_soon(void **state)
{
    (void)state;
    rig r = start(true);
    wait_status(0, DEVICE_ONLINE, "ready");
    /* Each poll is one exchange the reader answers at once; the turn ends
     * well within the exchange's own time-out (1 s). */
    uint64_t longest = longest_turn(&r, 1500);
    printf("  longest turn while polling: %llu ms\n", (unsigned long long)longest);
    assert_true(longest < 1000);
    stop(&r, true);
}

static void test_a_device_that_stops_answering_keeps_its_worker_in_one_turn(void **state)
{
    (void)state;
    rig r = start(true);
    wait_status(0, DEVICE_ONLINE, "ready");
    uint64_t asked = now_ms();
    assert_int_equal(usb_sim_stall(r.bus, LOCATION, 2000), KIOSK_OK);
    /* Its next poll goes out and nothing comes back, whatever the time-out
     * the driver gave the transfer (1 s). */
    uint64_t stuck = turn_reaches(&r, 1200, 2500);
    assert_true(stuck > 0);
    assert_true(stuck - asked < 2000);
    /* It answers again: the turn ends, and the next ones are short. */
    sleep_ms((long)(asked + 2000 - now_ms()) + 300);
    uint64_t after = longest_turn(&r, 800);
    printf("  longest turn after the stall: %llu ms\n", (unsigned long long)after);
    assert_true(after < 1000);
    assert_int_equal(usb_sim_stall(r.bus, "sim-9", 100), KIOSK_ERR_NOT_FOUND);
    stop(&r, true);
}

static void test_pulling_a_device_that_hangs_frees_its_worker(void **state)
{
    (void)state;
    rig r = start(true);
    wait_status(0, DEVICE_ONLINE, "ready");
    assert_int_equal(usb_sim_stall(r.bus, LOCATION, 60000), KIOSK_OK);
    assert_true(turn_reaches(&r, 500, 2000) > 0);
    pthread_mutex_lock(&caught.lock);
    int before = caught.status_count;
    pthread_mutex_unlock(&caught.lock);
    usb_model *pulled = usb_sim_unplug(r.bus, LOCATION);
    assert_ptr_equal(pulled, r.reader);
    wait_status(before, DEVICE_NO_DEVICE, "unplugged");
    /* The turn that saw it go ends (on a loaded machine, a moment after it
     * is said); then, back to waiting for its device, no turn at all. */
    for (int i = 0; i < 200 && device_manager_turn_ms(r.manager, DEVICE_ID_READER) != 0; i++)
        sleep_ms(10);
    assert_int_equal(longest_turn(&r, 300), 0);
    stop(&r, false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_worker_waiting_for_its_device_is_not_in_a_turn),
        cmocka_unit_test(test_a_worker_polling_its_device_ends_each_turn_soon),
        cmocka_unit_test(test_a_device_that_stops_answering_keeps_its_worker_in_one_turn),
        cmocka_unit_test(test_pulling_a_device_that_hangs_frees_its_worker),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
