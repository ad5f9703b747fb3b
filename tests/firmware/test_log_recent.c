/* The logger's ring of recent lines, which kioskctl shows and the log
 * export writes: masked as the log is, the newest kept, bounded. */
#include "../support/test_support.h"
#include "firmware/base/base_probes.h"

#include "firmware/base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void quiet(void *context, const char *line, size_t length)
{
    (void)context, (void)line, (void)length;
}

static int setup(void **state)
{
    (void)state;
    log_set_writer(quiet, NULL);
    log_set_level(LOG_LEVEL_INFO);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    log_set_writer(NULL, NULL);
    return 0;
}

static void test_recent_lines_keep_only_masked_numbers(void **state)
{
    (void)state;
    LOG_INFO("test", "card 110105199001011234 read, phone 13812345678");
    char out[4096];
    assert_int_equal(log_recent(out, sizeof out, 1), 1);
    assert_non_null(strstr(out, " I test: card 110105********1234 read, phone 138****5678\n"));
    assert_null(strstr(out, "199001011234"));
    assert_null(strstr(out, "12345678"));
}

static void test_the_newest_lines_are_kept_oldest_first(void **state)
{
    (void)state;
    for (int i = 0; i < LOG_RECENT_LINES + 40; i++)
        LOG_INFO("test", "line %d", i);
    size_t size = (LOG_RECENT_LINES + 1) * 64;
    char *out = malloc(size);
    assert_int_equal(log_recent(out, size, 1000), LOG_RECENT_LINES);
    /* The first 40 went round the ring; the rest in order. */
    assert_null(strstr(out, ": line 39\n"));
    char *first = strstr(out, ": line 40\n");
    char *last = strstr(out, ": line 295\n");
    assert_non_null(first);
    assert_non_null(last);
    assert_true(first < last);
    assert_true(out[strlen(out) - 1] == '\n');
    assert_int_equal(log_recent(out, size, 3), 3);
    assert_non_null(strstr(out, ": line 293\n"));
    assert_null(strstr(out, ": line 292\n"));
    free(out);
}

static void test_a_small_buffer_drops_the_oldest_whole_lines(void **state)
{
    (void)state;
    LOG_INFO("test", "older");
    LOG_INFO("test", "newer");
    char out[40]; /* room for one line ("kiosk NNNNN.NNN I test: newer\n") */
    assert_int_equal(log_recent(out, sizeof out, 2), 1);
    assert_non_null(strstr(out, "newer\n"));
    assert_null(strstr(out, "older"));
    char none[4];
    assert_int_equal(log_recent(none, sizeof none, 2), 0);
    assert_string_equal(none, "");
}

static void test_lines_under_the_level_are_not_kept(void **state)
{
    (void)state;
    LOG_INFO("test", "marker");
    LOG_DEBUG("test", "a debug line");
    char out[512];
    assert_int_equal(log_recent(out, sizeof out, 1), 1);
    assert_non_null(strstr(out, "marker"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_recent_lines_keep_only_masked_numbers, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_the_newest_lines_are_kept_oldest_first, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_small_buffer_drops_the_oldest_whole_lines, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_lines_under_the_level_are_not_kept, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
