/* Role sessions inside the app (firmware/app/app_role.c, app_signin.c):
 * the simulated reader and scanner under the real drivers, the credentials
 * file the tool writes, the PIN screen, the role's home, its time-out and
 * warning, and the wall between a role and a citizen's session. */
#include "../support/test_support.h"

#include "drivers/sim/idcard_sim.h"
#include "drivers/sim/scanner_sim.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_signin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STAFF_QR "kiosk-demo-staff-qr-S002-7f3a9c"

/* The sample board with its data in a temporary folder and the people of
 * board/staff-sample.txt as its credentials. */
static kiosk_app *app_with_staff(void)
{
    const char *data_dir = NULL;
    char board[1100], credentials[1200], command[4000];
    snprintf(board, sizeof board, "%s", test_board_in_temp("portrait-1080", &data_dir));
    snprintf(credentials, sizeof credentials, "%s/credentials.json", data_dir);
    snprintf(command, sizeof command,
             "%s/build/tools/staff-credentials < %s/board/staff-sample.txt > %s", test_source_dir(),
             test_source_dir(), credentials);
    assert_int_equal(system(command), 0);
    char with[1300];
    snprintf(with, sizeof with, "\"credentials_file\": \"%s\"", credentials);
    char *text = strdup(
        test_replace(test_read_file(board),
                     "\"credentials_file\": \"../../build/staff/sample-credentials.json\"", with));
    char *slash = strrchr(board, '/');
    *slash = '\0';
    const char *written = test_write_file(board, "staff-board.json", text);
    free(text);
    kiosk_app *app = test_app_create_attract(written, LANG_ZH_CN);
    assert_string_equal(app_screen_name(app), "attract");
    assert_int_equal(app_role_current(app), STAFF_ROLE_NONE);
    return app;
}

static void show_code(kiosk_app *app, const char *code)
{
    assert_int_equal(
        scanner_sim_scan(app_sim_scanner(app), "]Q1", (const uint8_t *)code, strlen(code)),
        KIOSK_OK);
}

static void type_pin(kiosk_app *app, const char *pin)
{
    for (const char *p = pin; *p; p++) {
        char id[32];
        snprintf(id, sizeof id, "pin.keypad.%c", *p);
        test_tap(app, id);
    }
}

static void sign_in_by_card(kiosk_app *app, idcard_sim_citizen who, const char *pin)
{
    idcard_sim_lay_card(app_sim_reader(app), who);
    test_wait_screen(app, "staff_pin");
    type_pin(app, pin);
    test_tap(app, "pin.ok");
}

static void test_a_staff_qr_code_at_attract_signs_in_and_out(void **state)
{
    (void)state;
    kiosk_app *app = app_with_staff();
    test_wait_scanner(app, "ready");
    show_code(app, STAFF_QR);
    test_wait_screen(app, "staff_pin");
    assert_string_equal(app_signin_source(app), "file");
    assert_string_equal(test_text_of(app, "pin.title"), "王芳，请输入密码");
    assert_false(app_in_session(app));
    /* The keypad: digits, delete, clear; dots only. */
    type_pin(app, "1129");
    test_tap(app, "pin.keypad.delete");
    type_pin(app, "233");
    assert_string_equal(test_text_of(app, "pin.field"), "● ● ● ● ● ● ");
    test_tap(app, "pin.ok");
    assert_string_equal(app_screen_name(app), "staff");
    assert_int_equal(app_role_current(app), STAFF_ROLE_STAFF);
    assert_string_equal(app_role_actor(app), "staff:S002");
    assert_string_equal(app_role_name(app), "王芳");
    test_tap(app, "staff.sign_out");
    assert_string_equal(app_screen_name(app), "attract");
    assert_int_equal(app_role_current(app), STAFF_ROLE_NONE);
    assert_string_equal(app_role_name(app), "");
    assert_string_equal(app_role_actor(app), "terminal");
    app_destroy(app);
}

static void test_a_code_that_is_nobodys_does_nothing_at_attract(void **state)
{
    (void)state;
    kiosk_app *app = app_with_staff();
    test_wait_scanner(app, "ready");
    show_code(app, "kiosk-demo-staff-qr-S002-7f3a9d"); /* one character off */
    for (int i = 0; i < 40; i++)
        app_process_pending(app);
    assert_string_equal(app_screen_name(app), "attract");
    app_destroy(app);
}

static void test_a_role_is_warned_then_ended_when_left_alone(void **state)
{
    (void)state;
    kiosk_app *app = app_with_staff();
    test_wait_reader(app, "ready");
    sign_in_by_card(app, IDCARD_SIM_TECHNICIAN, "135790");
    assert_string_equal(app_screen_name(app), "technician");
    /* The citizen's 60 s mean nothing to a role: the board's 180 s do. */
    test_monotonic_now_ms += 170 * 1000;
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "technician");
    test_monotonic_now_ms += 11 * 1000;
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "staff_idle");
    /* Still there: back where they were, the time-out anew. */
    test_tap(app, "timeout.continue");
    assert_string_equal(app_screen_name(app), "technician");
    assert_int_equal(app_role_current(app), STAFF_ROLE_TECHNICIAN);
    test_monotonic_now_ms += 181 * 1000;
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "staff_idle");
    test_monotonic_now_ms += 31 * 1000;
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "attract");
    assert_int_equal(app_role_current(app), STAFF_ROLE_NONE);
    assert_string_equal(app_role_name(app), "");
    app_destroy(app);
}

static void test_a_pin_screen_left_alone_returns_to_attract(void **state)
{
    (void)state;
    kiosk_app *app = app_with_staff();
    test_wait_reader(app, "ready");
    idcard_sim_lay_card(app_sim_reader(app), IDCARD_SIM_STAFF);
    test_wait_screen(app, "staff_pin");
    type_pin(app, "24");
    test_monotonic_now_ms += 181 * 1000;
    app_process_pending(app);
    assert_string_equal(app_screen_name(app), "attract");
    assert_int_equal(app_role_current(app), STAFF_ROLE_NONE);
    app_destroy(app);
}

static void test_a_role_and_a_citizen_never_mix(void **state)
{
    (void)state;
    kiosk_app *app = app_with_staff();
    test_wait_reader(app, "ready");
    sign_in_by_card(app, IDCARD_SIM_STAFF, "246810");
    assert_string_equal(app_screen_name(app), "staff");
    /* A citizen's card laid while staff are signed in is nobody's visit. */
    idcard_sim_lift_card(app_sim_reader(app));
    test_wait_reader(app, "ready");
    idcard_sim_lay_card(app_sim_reader(app), IDCARD_SIM_ORDINARY);
    test_wait_reader(app, "card-read");
    for (int i = 0; i < 20; i++)
        app_process_pending(app);
    assert_string_equal(app_screen_name(app), "staff");
    assert_false(app_in_session(app));
    assert_false(app_session_identified(app));
    test_tap(app, "staff.sign_out");
    /* The staff member's own card, left on the reader at sign-out, starts
     * nothing either. */
    assert_string_equal(app_screen_name(app), "attract");

    /* In a citizen's session no role begins, even by the test channel's
     * way in. */
    idcard_sim_lift_card(app_sim_reader(app));
    test_wait_reader(app, "ready");
    test_tap(app, "attract.start");
    assert_true(app_in_session(app));
    credential_info who = {.id = "S001", .name = "周晓梅", .role = STAFF_ROLE_STAFF};
    app_role_begin(app, &who);
    assert_int_equal(app_role_current(app), STAFF_ROLE_NONE);
    assert_string_equal(app_screen_name(app), "home");
    assert_string_equal(app_role_actor(app), "citizen");
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_staff_qr_code_at_attract_signs_in_and_out),
        cmocka_unit_test(test_a_code_that_is_nobodys_does_nothing_at_attract),
        cmocka_unit_test(test_a_role_is_warned_then_ended_when_left_alone),
        cmocka_unit_test(test_a_pin_screen_left_alone_returns_to_attract),
        cmocka_unit_test(test_a_role_and_a_citizen_never_mix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
