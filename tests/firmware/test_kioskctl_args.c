/* kioskctl's command line: every command as a technician types it, and
 * each way of typing it wrong, refused before anything is sent. */
#include "../support/test_support.h"

#include "firmware/admin/kioskctl_args.h"

#include <string.h>

static kioskctl_options options;
static char error[256];

#define PARSE(...)                                                                                 \
    kioskctl_parse(sizeof((char *[]){"kioskctl", __VA_ARGS__}) / sizeof(char *),                   \
                   (char *[]){"kioskctl", __VA_ARGS__}, &options, error, sizeof error)

static void expect_request(const char *command, size_t count, const char *const *args)
{
    assert_string_equal(options.request.command, command);
    assert_int_equal(options.request.arg_count, count);
    for (size_t i = 0; i < count; i++)
        assert_string_equal(options.request.args[i], args[i]);
}

static void test_every_command_becomes_its_request(void **state)
{
    (void)state;
    assert_true(PARSE("status"));
    expect_request("status", 0, NULL);
    assert_false(options.json);
    assert_string_equal(options.socket, KIOSKCTL_DEFAULT_SOCKET);
    assert_true(PARSE("devices"));
    expect_request("devices", 0, NULL);
    assert_true(PARSE("selftest", "printer"));
    expect_request("selftest", 1, (const char *[]){"printer"});
    assert_true(PARSE("outbox", "list"));
    expect_request("outbox", 1, (const char *[]){"list"});
    assert_true(PARSE("outbox", "list", "--quarantined"));
    expect_request("outbox", 2, (const char *[]){"list", "quarantined"});
    assert_true(PARSE("outbox", "resend", "42"));
    expect_request("outbox", 2, (const char *[]){"resend", "42"});
    assert_true(PARSE("outbox", "close", "42", "--reason", "已线下办结"));
    expect_request("outbox", 3, (const char *[]){"close", "42", "已线下办结"});
    assert_true(PARSE("logs"));
    expect_request("logs", 2, (const char *[]){"recent", "50"});
    assert_true(PARSE("logs", "-n", "200"));
    expect_request("logs", 2, (const char *[]){"recent", "200"});
    assert_true(PARSE("logs", "--export", "/media/usb"));
    expect_request("logs", 2, (const char *[]){"export", "/media/usb"});
    assert_true(PARSE("logs", "--export"));
    expect_request("logs", 1, (const char *[]){"export"});
    assert_true(PARSE("audit", "verify"));
    expect_request("audit", 1, (const char *[]){"verify"});
    assert_true(PARSE("config", "show"));
    expect_request("config", 1, (const char *[]){"show"});
    assert_true(PARSE("cert", "status"));
    expect_request("cert", 1, (const char *[]){"status"});
    assert_true(PARSE("cert", "enrol", "7Q4K-9XPD"));
    expect_request("cert", 2, (const char *[]){"enrol", "7Q4K-9XPD"});
}

static void test_options_before_the_command_and_json_after(void **state)
{
    (void)state;
    assert_true(PARSE("--json", "--socket", "/tmp/k.sock", "--timeout", "9", "devices"));
    assert_true(options.json);
    assert_string_equal(options.socket, "/tmp/k.sock");
    assert_int_equal(options.timeout_s, 9);
    expect_request("devices", 0, NULL);
    assert_true(PARSE("outbox", "list", "--json"));
    assert_true(options.json);
    expect_request("outbox", 1, (const char *[]){"list"});
    assert_true(PARSE("--help"));
    assert_true(options.help);
    assert_true(PARSE("-h", "whatever"));
    assert_true(options.help);
}

static void expect_usage(bool parsed, const char *says)
{
    assert_false(parsed);
    if (!strstr(error, says))
        fail_msg("\"%s\" does not say \"%s\"", error, says);
}

static void test_wrong_usage_is_refused_saying_what_was_wrong(void **state)
{
    (void)state;
    expect_usage(kioskctl_parse(1, (char *[]){"kioskctl", NULL}, &options, error, sizeof error),
                 "no command given");
    expect_usage(PARSE("reboot"), "unknown command \"reboot\"");
    expect_usage(PARSE("--frobnicate", "status"), "unknown option \"--frobnicate\"");
    expect_usage(PARSE("status", "now"), "status takes no arguments");
    expect_usage(PARSE("selftest"), "which device");
    expect_usage(PARSE("selftest", "printer", "a4"), "which device");
    expect_usage(PARSE("outbox"), "outbox: expected list");
    expect_usage(PARSE("outbox", "list", "--all"), "only --quarantined");
    expect_usage(PARSE("outbox", "resend"), "outbox: expected");
    expect_usage(PARSE("outbox", "resend", "abc"), "ID is a record's number");
    expect_usage(PARSE("outbox", "resend", "-3"), "ID is a record's number");
    expect_usage(PARSE("outbox", "resend", "42x"), "ID is a record's number");
    expect_usage(PARSE("outbox", "close", "42"), "ID --reason TEXT");
    expect_usage(PARSE("outbox", "close", "42", "--reason"), "ID --reason TEXT");
    expect_usage(PARSE("outbox", "close", "42", "--reason", ""), "ID --reason TEXT");
    expect_usage(PARSE("outbox", "close", "42", "--because", "x"), "ID --reason TEXT");
    expect_usage(PARSE("logs", "-n", "0"), "a number of lines");
    expect_usage(PARSE("logs", "-n", "ten"), "a number of lines");
    expect_usage(PARSE("logs", "-n"), "logs: expected");
    expect_usage(PARSE("logs", "--tail"), "logs: expected");
    expect_usage(PARSE("audit"), "audit verify");
    expect_usage(PARSE("audit", "fix"), "audit verify");
    expect_usage(PARSE("config", "set"), "config show");
    expect_usage(PARSE("cert"), "cert status");
    expect_usage(PARSE("cert", "enrol"), "cert enrol CODE");
    expect_usage(PARSE("--timeout", "0", "status"), "--timeout");
    expect_usage(PARSE("--timeout", "soon", "status"), "--timeout");
    expect_usage(PARSE("--socket", "", "status"), "--socket");
    expect_usage(PARSE("outbox", "close", "42", "--reason", "a\x1b[2Jb"), "control character");
    char long_path[300];
    memset(long_path, 'p', sizeof long_path - 1);
    long_path[sizeof long_path - 1] = '\0';
    expect_usage(PARSE("--socket", long_path, "status"), "--socket");
}

static void test_help_is_grouped_like_systemctl(void **state)
{
    (void)state;
    assert_non_null(strstr(kioskctl_help, "kioskctl [OPTIONS...] COMMAND ...\n"));
    static const char *const sections[] = {
        "Terminal Commands:",    "Outbox Commands:", "Log and Audit Commands:",
        "Certificate Commands:", "Options:",         "Exit status:"};
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        assert_non_null(strstr(kioskctl_help, sections[i]));
    static const char *const commands[] = {
        "  status ",       "  devices ",       "  selftest DEVICE", "  outbox list",
        "  outbox resend", "  outbox close",   "  logs [-n N]",     "  audit verify",
        "  config show",   "  cert status",    "  cert enrol CODE", "--json",
        "--socket PATH",   "--timeout SECONDS"};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strstr(kioskctl_help, commands[i]))
            fail_msg("--help does not list \"%s\"", commands[i]);
    assert_string_equal(kioskctl_usage, "Usage: kioskctl [OPTIONS...] COMMAND ...\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_command_becomes_its_request),
        cmocka_unit_test(test_options_before_the_command_and_json_after),
        cmocka_unit_test(test_wrong_usage_is_refused_saying_what_was_wrong),
        cmocka_unit_test(test_help_is_grouped_like_systemctl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
