#include "../support/test_support.h"
#include "firmware/base/base_probes.h"

#include "firmware/base/idle_wait.h"

#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1e3 + (double)now.tv_nsec / 1e6;
}

static int wake_fd;

static void *wake_later(void *unused)
{
    (void)unused;
    usleep(50 * 1000);
    uint64_t one = 1;
    if (write(wake_fd, &one, sizeof one) != sizeof one)
        return NULL;
    return NULL;
}

static void test_sleeps_until_the_timeout(void **state)
{
    (void)state;
    wake_fd = eventfd(0, EFD_NONBLOCK);
    idle_wait *wait = NULL;
    assert_int_equal(idle_wait_open(wake_fd, false, &wait), KIOSK_OK);
    assert_int_equal(idle_wait_input_count(wait), 0);
    double start = now_ms();
    idle_wait_sleep(wait, 80);
    assert_true(now_ms() - start >= 75);
    idle_wait_close(wait);
    close(wake_fd);
}

static void test_a_post_wakes_it_at_once(void **state)
{
    (void)state;
    wake_fd = eventfd(0, EFD_NONBLOCK);
    idle_wait *wait = NULL;
    assert_int_equal(idle_wait_open(wake_fd, false, &wait), KIOSK_OK);
    pthread_t thread;
    pthread_create(&thread, NULL, wake_later, NULL);
    double start = now_ms();
    idle_wait_sleep(wait, 10000);
    double slept = now_ms() - start;
    pthread_join(thread, NULL);
    /* Woken by the write after ~50 ms, not by the 10 s time-out. */
    assert_true(slept >= 40 && slept < 5000);
    idle_wait_close(wait);
    close(wake_fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sleeps_until_the_timeout),
        cmocka_unit_test(test_a_post_wakes_it_at_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
