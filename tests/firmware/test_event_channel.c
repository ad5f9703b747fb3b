#include "../support/test_support.h"

#include "firmware/base/event_channel.h"

#include <poll.h>
#include <pthread.h>
#include <stdlib.h>

static int released;

static void release_counter(void *payload)
{
    released++;
    free(payload);
}

static int setup(void **state)
{
    (void)state;
    if (SDL_Init(SDL_INIT_EVENTS) != 0)
        return -1;
    released = 0;
    return event_channel_open() == KIOSK_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    event_channel_close();
    SDL_Quit();
    return 0;
}

static void *worker(void *unused)
{
    (void)unused;
    int *value = malloc(sizeof *value);
    *value = 42;
    if (event_channel_post(APP_EVENT_REDRAW, value, release_counter) != KIOSK_OK)
        free(value);
    return NULL;
}

static void test_a_worker_event_reaches_the_main_thread_with_its_payload(void **state)
{
    (void)state;
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, worker, NULL), 0);
    pthread_join(thread, NULL);

    /* The wake-up descriptor is readable: a main thread asleep in poll wakes. */
    struct pollfd wake = {.fd = event_channel_wake_fd(), .events = POLLIN};
    assert_int_equal(poll(&wake, 1, 1000), 1);
    event_channel_drain_wakeups();
    assert_int_equal(poll(&wake, 1, 0), 0);

    SDL_Event event;
    assert_int_equal(SDL_PollEvent(&event), 1);
    app_event taken;
    assert_true(event_channel_take(&event, &taken));
    assert_int_equal(taken.kind, APP_EVENT_REDRAW);
    assert_int_equal(*(int *)taken.payload, 42);
    assert_int_equal(released, 0);
    app_event_release(&taken);
    assert_int_equal(released, 1);
}

static void test_the_channel_is_bounded(void **state)
{
    (void)state;
    for (int i = 0; i < EVENT_CHANNEL_MAX; i++)
        assert_int_equal(event_channel_post(APP_EVENT_REDRAW, NULL, NULL), KIOSK_OK);
    int *payload = malloc(sizeof *payload);
    /* Full: the caller keeps its payload. */
    assert_int_equal(event_channel_post(APP_EVENT_REDRAW, payload, release_counter),
                     KIOSK_ERR_BUSY);
    free(payload);
    SDL_Event event;
    assert_int_equal(SDL_PollEvent(&event), 1);
    app_event taken;
    assert_true(event_channel_take(&event, &taken));
    assert_int_equal(event_channel_post(APP_EVENT_REDRAW, NULL, NULL), KIOSK_OK);
    SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
}

static void test_closing_releases_what_is_still_queued(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) {
        int *payload = malloc(sizeof *payload);
        assert_int_equal(event_channel_post(APP_EVENT_REDRAW, payload, release_counter), KIOSK_OK);
    }
    event_channel_close();
    assert_int_equal(released, 3);
    assert_int_equal(event_channel_open(), KIOSK_OK);
}

static void test_other_events_are_not_taken(void **state)
{
    (void)state;
    SDL_Event event;
    SDL_zero(event);
    event.type = SDL_FINGERDOWN;
    app_event taken;
    assert_false(event_channel_take(&event, &taken));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_a_worker_event_reaches_the_main_thread_with_its_payload, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_channel_is_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_closing_releases_what_is_still_queued, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_other_events_are_not_taken, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
