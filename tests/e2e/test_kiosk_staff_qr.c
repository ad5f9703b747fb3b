/* Staff signing in with a staff QR code at the real kiosk binary: the
 * sample board's code (board/staff-sample.txt, made into
 * build/staff/sample-credentials.json by build/tools/staff-credentials)
 * shown to the simulated scanner through the test control channel's
 * `scan`, which has the scanner send it in its own HID POS reports to the
 * real driver; the PIN typed on the PIN screen's keypad; the staff desk.
 * A citizen's progress code at the attract screen signs nobody in; codes
 * the scanner refuses (control characters, broken bytes, too long) are
 * said to be unusable, and the kiosk goes on; five wrong PINs lock that
 * credential only. After sign-out, neither the code's text nor the PIN is
 * anywhere in the kiosk's memory. The code is given to the channel as hex,
 * so that its text reaches the kiosk only through the scanner. */
#include "../support/platform_fixture.h"
#include "../support/process_memory.h"
#include "../support/role_signin.h"
#include "../support/test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROWS_MAX ROLE_AUDIT_ROWS_MAX

/* 王芳's code and demo PIN (board/staff-sample.txt). */
#define STAFF_CODE "kiosk-demo-staff-qr-S002-7f3a9c"
#define STAFF_PIN  "112233"
/* What the attract screen says of a code the scanner refused. */
#define REFUSED "这个码不能使用，请换一个。"

/* The simulated scanner reads bytes (length of them), sent as hex. */
static void scan_bytes(kiosk_proc *k, const void *bytes, size_t length)
{
    char command[1100] = "scan hex ";
    size_t used = strlen(command);
    assert_true(used + 2 * length < sizeof command);
    for (size_t i = 0; i < length; i++)
        used += (size_t)snprintf(command + used, sizeof command - used, "%02x",
                                 ((const unsigned char *)bytes)[i]);
    kiosk_expect(k, command, "ok attract");
}

static void scan_text(kiosk_proc *k, const char *text)
{
    scan_bytes(k, text, strlen(text));
}

/* Stops the kiosk and checks it ended cleanly (exit 0: no crash, and no
 * sanitizer report, which makes the exit code another). */
static void stop_cleanly(kiosk_proc *k)
{
    kiosk_expect(k, "quit", "ok stopping");
    close(k->socket);
    int status = 0;
    assert_int_equal(waitpid(k->pid, &status, 0), k->pid);
    platform_remember_pid(k->pid, false);
    unlink(k->socket_path);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("the kiosk ended with status %#x", status);
}

/* Rows by actor and action, and subject when not NULL. */
static int rows_of(const cache_audit_row *rows, size_t count, const char *actor, const char *action,
                   const char *subject)
{
    int found = 0;
    for (size_t i = 0; i < count; i++)
        found += strcmp(rows[i].actor, actor) == 0 && strcmp(rows[i].action, action) == 0 &&
                 (!subject || strcmp(rows[i].subject, subject) == 0);
    return found;
}

/* No row holds the code's text or the PINs typed. */
static void rows_hold_nothing_secret(const cache_audit_row *rows, size_t count)
{
    static const char *const secrets[] = {STAFF_CODE, "7f3a9c", STAFF_PIN, "000000"};
    for (size_t i = 0; i < count; i++)
        for (size_t s = 0; s < sizeof secrets / sizeof secrets[0]; s++)
            if (strstr(rows[i].subject, secrets[s]) || strstr(rows[i].detail, secrets[s]))
                fail_msg("audit row %lld holds %s", (long long)rows[i].sequence, secrets[s]);
}

/* Waits up to seconds for the attract screen to say REFUSED (shown: true)
 * or no longer say it (false). */
static bool refusal_said(kiosk_proc *k, bool shown, int seconds)
{
    for (int i = 0; i < seconds * 20; i++) {
        if ((strstr(kiosk_tree(k), REFUSED) != NULL) == shown)
            return true;
        usleep(50 * 1000);
    }
    return false;
}

static void test_the_sample_staff_code_and_pin_reach_the_staff_desk(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    role_kiosk_up(&p, &k);
    /* The demo PIN's digits are in libraries' constants too (a test
     * vector's "112233..."): what counts is that typing it leaves no copy
     * behind. */
    int pin_before = process_memory_count(k.pid, STAFF_PIN);
    scan_text(&k, STAFF_CODE);
    kiosk_expect(&k, "wait staff_pin 8000", "ok staff_pin");
    kiosk_expect_shown(&k, "王芳，请输入密码");
    role_types_pin(&k, STAFF_PIN);
    assert_null(strstr(kiosk_tree(&k), STAFF_PIN));
    kiosk_expect(&k, "tap pin.ok", "ok staff");
    kiosk_expect_shown(&k, "王芳");
    /* The desk works for her: the terminal's status in words. */
    kiosk_expect(&k, "tap staff.menu.status", "ok staff_status");
    kiosk_expect_shown(&k, "平台连接：平台已连接");
    kiosk_expect(&k, "tap staff.back", "ok staff");
    kiosk_expect(&k, "tap staff.sign_out", "ok attract");
    assert_null(strstr(kiosk_tree(&k), "王芳"));
    /* The scan sees what is there (the board's path to the credentials,
     * the name of the code's holder in the credentials file)... */
    assert_true(process_memory_count(k.pid, "/sample-credentials.json") > 0);
    /* ... and not what must not be: the code's text, as the scanner sent
     * it, and the PIN. */
    assert_int_equal(process_memory_count(k.pid, STAFF_CODE), 0);
    assert_int_equal(process_memory_count(k.pid, "staff-qr-S002"), 0);
    assert_int_equal(process_memory_count(k.pid, STAFF_PIN), pin_before);
    long verified = role_kioskctl_audit_rows(&k);
    stop_cleanly(&k);
    static cache_audit_row rows[ROWS_MAX];
    size_t count = role_audit_rows(&k, rows);
    assert_int_equal((long)count, verified);
    assert_int_equal(rows_of(rows, count, "staff:S002", "staff.sign_in", "S002"), 1);
    assert_int_equal(rows_of(rows, count, "staff:S002", "staff.sign_out", "S002"), 1);
    assert_int_equal(rows_of(rows, count, "terminal", "staff.pin_wrong", NULL), 0);
    rows_hold_nothing_secret(rows, count);
    /* The platform's copy of the trail holds her sign-in too. */
    kiosk_start(&k);
    kiosk_expect(&k, "wait attract 8000", "ok attract");
    role_platform_trail_matches(&p, count);
    stop_cleanly(&k);
    stop_platform(&p);
}

static void test_a_citizens_progress_code_at_attract_signs_nobody_in(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    role_kiosk_up(&p, &k);
    /* A receipt's progress code (the catalog's verify_url), and a staff
     * code one character off: read, nobody's, nothing happens. */
    scan_text(&k, "https://127.0.0.1:8443/v/GD20261207000042");
    usleep(1500 * 1000);
    scan_text(&k, "kiosk-demo-staff-qr-S002-7f3a9d");
    usleep(1500 * 1000);
    kiosk_expect(&k, "screen", "ok attract");
    const char *tree = kiosk_tree(&k);
    assert_null(strstr(tree, "请输入密码"));
    assert_null(strstr(tree, REFUSED));
    assert_non_null(strstr(tree, "\"in_session\":false"));
    /* Read and not refused: the scanner says it is ready. */
    kiosk_expect(&k, "key s", "ok attract");
    usleep(1500 * 1000);
    kiosk_expect(&k, "screen", "ok attract");
    stop_cleanly(&k);
    static cache_audit_row rows[ROWS_MAX];
    size_t count = role_audit_rows(&k, rows);
    for (size_t i = 0; i < count; i++)
        assert_null(strstr(rows[i].action, "staff."));
    stop_platform(&p);
}

static void test_codes_the_scanner_refuses_are_said_unusable_and_the_kiosk_goes_on(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    role_kiosk_up(&p, &k);
    static const char escape[] = "kiosk-demo\x1b[2J-staff-qr-S002";
    static const char nul[] = "kiosk-demo-staff\0qr-S002-7f3a9c";
    static const unsigned char broken[] = {'k', 'i', 'o', 's', 'k', 0xff, 0xfe, 0x80, 0xc3};
    const struct {
        const char *what;
        const void *bytes;
        size_t length;
    } refused[] = {
        {"an escape sequence", escape, sizeof escape - 1},
        {"a NUL", nul, sizeof nul - 1},
        {"broken bytes (neither UTF-8 nor GBK)", broken, sizeof broken},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        scan_bytes(&k, refused[i].bytes, refused[i].length);
        if (!refusal_said(&k, true, 3))
            fail_msg("%s: not said to be unusable: %s", refused[i].what, kiosk_tree(&k));
        kiosk_expect(&k, "screen", "ok attract");
        if (i == 0) {
            char shot[1200];
            snprintf(shot, sizeof shot, "screenshot %s/build/test-output/attract-code-refused.png",
                     test_source_dir());
            assert_int_equal(strncmp(kiosk_ask(&k, shot), "ok", 2), 0);
        }
        /* Said while the scanner says so, then gone. */
        if (!refusal_said(&k, false, 6))
            fail_msg("%s: the refusal stays: %s", refused[i].what, kiosk_tree(&k));
    }
    /* Longer than any code the scanner takes (4096 bytes): the staff code
     * over and over, refused whole. */
    kiosk_expect(&k, "scan repeat 5000 " STAFF_CODE, "ok attract");
    assert_true(refusal_said(&k, true, 3));
    kiosk_expect(&k, "screen", "ok attract");
    assert_true(refusal_said(&k, false, 6));
    /* Longer than a staff code (128) but a code the scanner takes: nobody's,
     * and nothing to say. */
    kiosk_expect(&k, "scan repeat 300 7f3a9c", "ok attract");
    usleep(1500 * 1000);
    kiosk_expect(&k, "screen", "ok attract");
    assert_null(strstr(kiosk_tree(&k), REFUSED));
    /* The channel's own usage. */
    assert_int_equal(strncmp(kiosk_ask(&k, "scan hex 6"), "error usage: scan", 17), 0);
    assert_int_equal(strncmp(kiosk_ask(&k, "scan hex zz"), "error usage: scan", 17), 0);
    assert_int_equal(strncmp(kiosk_ask(&k, "scan repeat 70000 x"), "error usage: scan", 17), 0);
    assert_int_equal(strncmp(kiosk_ask(&k, "scan"), "error usage: scan", 17), 0);
    /* The kiosk went on: the right code still signs her in. */
    scan_text(&k, STAFF_CODE);
    kiosk_expect(&k, "wait staff_pin 8000", "ok staff_pin");
    kiosk_expect_shown(&k, "王芳，请输入密码");
    kiosk_expect(&k, "tap pin.cancel", "ok attract");
    stop_cleanly(&k);
    stop_platform(&p);
}

static void test_five_wrong_pins_lock_the_code_s_credential_only(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    role_kiosk_up(&p, &k);
    scan_text(&k, STAFF_CODE);
    kiosk_expect(&k, "wait staff_pin 8000", "ok staff_pin");
    for (int attempt = 1; attempt <= 4; attempt++) {
        role_types_pin(&k, "000000");
        kiosk_expect(&k, "tap pin.ok", "ok staff_pin");
        char left[64];
        snprintf(left, sizeof left, "还可以试 %d 次", 5 - attempt);
        if (!strstr(kiosk_tree(&k), left))
            fail_msg("after %d wrong PINs, expected \"%s\": %s", attempt, left, kiosk_tree(&k));
    }
    role_types_pin(&k, "000000");
    kiosk_expect(&k, "tap pin.ok", "ok staff_pin");
    const char *shown = kiosk_tree(&k);
    assert_non_null(strstr(shown, "此账号已锁定"));
    assert_null(strstr(shown, "\"pin.keypad.1\""));
    assert_null(strstr(shown, "\"pin.ok\""));
    kiosk_expect(&k, "tap pin.cancel", "ok attract");
    /* Shown again while locked: said at once, no keypad for the right PIN. */
    scan_text(&k, STAFF_CODE);
    kiosk_expect(&k, "wait staff_pin 8000", "ok staff_pin");
    shown = kiosk_tree(&k);
    assert_non_null(strstr(shown, "此账号已锁定"));
    assert_non_null(strstr(kiosk_ask(&k, "tap pin.keypad.1"), "no visible target"));
    kiosk_expect(&k, "tap pin.cancel", "ok attract");
    /* Another credential is not locked: 周晓梅's card and PIN. */
    role_signs_in_by_card(&k, "8", "246810", "staff");
    kiosk_expect_shown(&k, "周晓梅");
    kiosk_expect(&k, "tap staff.sign_out", "ok attract");
    long verified = role_kioskctl_audit_rows(&k);
    stop_cleanly(&k);
    static cache_audit_row rows[ROWS_MAX];
    size_t count = role_audit_rows(&k, rows);
    assert_int_equal((long)count, verified);
    assert_int_equal(rows_of(rows, count, "terminal", "staff.pin_wrong", "S002"), 4);
    assert_int_equal(rows_of(rows, count, "terminal", "staff.locked", "S002"), 1);
    assert_int_equal(rows_of(rows, count, "terminal", "staff.sign_in_refused_locked", "S002"), 1);
    assert_int_equal(rows_of(rows, count, "staff:S002", "staff.sign_in", NULL), 0);
    assert_int_equal(rows_of(rows, count, "staff:S001", "staff.sign_in", "S001"), 1);
    rows_hold_nothing_secret(rows, count);
    stop_platform(&p);
}

/* A sign-in left on the PIN screen is a session kioskctl can end: back to
 * the attract screen, the digits typed wiped, as when it is left alone. */
static void test_kioskctl_ends_a_sign_in_left_on_the_pin_screen(void **state)
{
    (void)state;
    platform p;
    start_platform(&p, NULL);
    kiosk_proc k;
    role_kiosk_up(&p, &k);
    scan_text(&k, STAFF_CODE);
    kiosk_expect(&k, "wait staff_pin 8000", "ok staff_pin");
    role_types_pin(&k, "11");
    kiosk_expect_shown(&k, "● ● ");
    char command[1400];
    snprintf(command, sizeof command, "%sctl --json --socket %s/admin.sock session end",
             test_kiosk_binary(), role_data_dir(&k));
    FILE *out = popen(command, "r");
    assert_non_null(out);
    char answer[4096];
    size_t length = fread(answer, 1, sizeof answer - 1, out);
    answer[length] = '\0';
    assert_int_equal(pclose(out), 0);
    if (!strstr(answer, "\"ended\":\"sign-in\"") || !strstr(answer, "\"screen\":\"attract\""))
        fail_msg("kioskctl session end said: %s", answer);
    kiosk_expect(&k, "screen", "ok attract");
    /* Shown again: a fresh PIN screen, nothing typed. */
    usleep(1100 * 1000);
    scan_text(&k, STAFF_CODE);
    kiosk_expect(&k, "wait staff_pin 8000", "ok staff_pin");
    assert_null(strstr(kiosk_tree(&k), "●"));
    kiosk_expect(&k, "tap pin.cancel", "ok attract");
    stop_cleanly(&k);
    static cache_audit_row rows[ROWS_MAX];
    size_t count = role_audit_rows(&k, rows);
    int ended = 0;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(rows[i].action, "session.end") == 0) {
            ended++;
            assert_string_equal(rows[i].actor, "kioskctl:root");
            assert_string_equal(rows[i].subject, "");
            assert_string_equal(rows[i].detail, "sign-in");
        }
    }
    assert_int_equal(ended, 1);
    stop_platform(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_sample_staff_code_and_pin_reach_the_staff_desk),
        cmocka_unit_test(test_a_citizens_progress_code_at_attract_signs_nobody_in),
        cmocka_unit_test(test_codes_the_scanner_refuses_are_said_unusable_and_the_kiosk_goes_on),
        cmocka_unit_test(test_five_wrong_pins_lock_the_code_s_credential_only),
        cmocka_unit_test(test_kioskctl_ends_a_sign_in_left_on_the_pin_screen),
    };
    return PLATFORM_RUN_TESTS(tests);
}
