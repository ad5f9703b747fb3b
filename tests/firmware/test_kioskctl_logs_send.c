/* kioskctl logs --send on the command line (firmware/admin/kioskctl_args.c):
 * the request it makes, its place in --help, and the ways to type it
 * wrong. */
#include "../support/test_support.h"

#include "firmware/admin/kioskctl_args.h"

#include <string.h>

static bool parse(kioskctl_options *options, char *error, size_t size, const char *const *words)
{
    int argc = 0;
    while (words[argc])
        argc++;
    return kioskctl_parse(argc, (char *const *)words, options, error, size);
}

static void test_send_is_one_argument(void **state)
{
    (void)state;
    kioskctl_options options;
    char error[200];
    assert_true(parse(&options, error, sizeof error,
                      (const char *const[]){"kioskctl", "logs", "--send", NULL}));
    assert_string_equal(options.request.command, "logs");
    assert_int_equal(options.request.arg_count, 1);
    assert_string_equal(options.request.args[0], "send");
    assert_false(options.json);
    /* --json before the command or last. */
    assert_true(parse(&options, error, sizeof error,
                      (const char *const[]){"kioskctl", "logs", "--send", "--json", NULL}));
    assert_true(options.json);
    assert_string_equal(options.request.args[0], "send");
    assert_true(parse(&options, error, sizeof error,
                      (const char *const[]){"kioskctl", "--json", "logs", "--send", NULL}));
    assert_true(options.json);
}

static void test_send_takes_nothing_more(void **state)
{
    (void)state;
    kioskctl_options options;
    char error[200];
    assert_false(parse(&options, error, sizeof error,
                       (const char *const[]){"kioskctl", "logs", "--send", "now", NULL}));
    assert_string_equal(error, "logs --send takes nothing more");
    assert_false(parse(&options, error, sizeof error,
                       (const char *const[]){"kioskctl", "logs", "--send", "-n", "5", NULL}));
    assert_string_equal(error, "logs --send takes nothing more");
    /* --send after another option is not a send. */
    assert_false(parse(&options, error, sizeof error,
                       (const char *const[]){"kioskctl", "logs", "-n", "5", "--send", NULL}));
    assert_string_equal(error, "logs: expected [-n N] [--export [DIR]]");
}

static void test_help_names_it(void **state)
{
    (void)state;
    assert_non_null(strstr(kioskctl_help, "  logs --send                 Send the recent log "
                                          "(masked) to the platform\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_send_is_one_argument),
        cmocka_unit_test(test_send_takes_nothing_more),
        cmocka_unit_test(test_help_names_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
