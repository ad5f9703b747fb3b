#include "../support/test_support.h"

#include "firmware/app/args.h"

#include <string.h>

static kiosk_error parse(kiosk_args *args, kiosk_diag *diag, const char *const *argv)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    return args_parse(argc, (char **)argv, args, diag);
}

static void test_defaults(void **state)
{
    (void)state;
    kiosk_args args;
    kiosk_diag diag;
    const char *argv[] = {"kiosk", NULL};
    assert_int_equal(parse(&args, &diag, argv), KIOSK_OK);
    assert_string_equal(args.board, KIOSK_DEFAULT_BOARD);
    assert_false(args.headless);
    assert_false(args.language_given);
    assert_string_equal(args.screenshot, "");
    assert_int_equal(args.level, LOG_LEVEL_INFO);
}

static void test_all_options(void **state)
{
    (void)state;
    kiosk_args args;
    kiosk_diag diag;
    const char *argv[] = {"kiosk",
                          "--board",
                          "landscape-1080",
                          "--lang",
                          "zh-TW",
                          "--headless",
                          "--screenshot",
                          "out.png",
                          "--catalog",
                          "c.json",
                          "--share",
                          "/opt/kiosk",
                          "--log-level",
                          "debug",
                          "--bench-redraws",
                          "300",
                          "--report-first-frame",
                          NULL};
    assert_int_equal(parse(&args, &diag, argv), KIOSK_OK);
    assert_string_equal(args.board, "landscape-1080");
    assert_int_equal(args.language, LANG_ZH_TW);
    assert_true(args.language_given);
    assert_true(args.headless);
    assert_string_equal(args.screenshot, "out.png");
    assert_string_equal(args.catalog, "c.json");
    assert_string_equal(args.share_dir, "/opt/kiosk");
    assert_int_equal(args.level, LOG_LEVEL_DEBUG);
    assert_int_equal(args.bench_redraws, 300);
    assert_true(args.report_first_frame);
}

static void expect_error(const char *const *argv, const char *expected)
{
    kiosk_args args;
    kiosk_diag diag = {{0}};
    assert_int_equal(parse(&args, &diag, argv), KIOSK_ERR_INVALID_ARGUMENT);
    if (!strstr(diag.message, expected))
        fail_msg("\"%s\" should say \"%s\"", diag.message, expected);
}

static void test_mistakes_are_explained(void **state)
{
    (void)state;
    const char *unknown[] = {"kiosk", "--fullscreen", NULL};
    expect_error(unknown, "unknown option \"--fullscreen\"");
    const char *no_value[] = {"kiosk", "--board", NULL};
    expect_error(no_value, "--board needs a value");
    const char *bad_lang[] = {"kiosk", "--lang", "fr", NULL};
    expect_error(bad_lang, "\"fr\" is not zh-CN, zh-TW or en");
    const char *bad_count[] = {"kiosk", "--bench-redraws", "12x", NULL};
    expect_error(bad_count, "expected a number");
    const char *bad_level[] = {"kiosk", "--log-level", "verbose", NULL};
    expect_error(bad_level, "\"verbose\"");
    const char *bad_screen[] = {"kiosk", "--start-screen", "rate", NULL};
    expect_error(bad_screen, "\"rate\" is not attract, home or paused");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_all_options),
        cmocka_unit_test(test_mistakes_are_explained),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
