/* The board profile's admin socket, admin group and USB stick folder
 * (docs/board-profiles.md, docs/kioskctl.md). */
#include "../support/test_support.h"

#include "firmware/app/board.h"

#include <stdio.h>
#include <string.h>

static const char *good_profile(void)
{
    static char path[1024];
    assert_int_equal(board_path_for(test_source_dir(), "portrait-1080", path, sizeof path),
                     KIOSK_OK);
    return test_read_file(path);
}

/* The shipped profile with text inserted after its hotline. */
static kiosk_error load_with(const char *fields, board_profile *board, kiosk_diag *diag)
{
    char with[1024];
    snprintf(with, sizeof with, "\"hotline\": \"12345\", %s", fields);
    const char *path =
        test_write_file(test_make_temp_dir("board-admin"), "board.json",
                        test_replace(good_profile(), "\"hotline\": \"12345\"", with));
    return board_load(path, board, diag);
}

static void test_the_defaults_are_in_the_data_folder_and_kiosk_admin(void **state)
{
    (void)state;
    board_profile board;
    kiosk_diag diag = {{0}};
    assert_int_equal(load_with("\"timezone\": \"Asia/Shanghai\"", &board, &diag), KIOSK_OK);
    assert_string_equal(board.admin.socket, "/var/lib/kiosk/admin.sock");
    assert_string_equal(board.admin.group, "kiosk-admin");
    assert_string_equal(board.usb_export_dir, "");
}

static void test_a_board_names_its_own(void **state)
{
    (void)state;
    board_profile board;
    kiosk_diag diag = {{0}};
    assert_int_equal(load_with("\"admin\": {\"socket\": \"/run/kiosk/admin.sock\", \"group\": "
                               "\"hall-tech\"}, \"usb_export_dir\": \"/media/usb0\"",
                               &board, &diag),
                     KIOSK_OK);
    assert_string_equal(board.admin.socket, "/run/kiosk/admin.sock");
    assert_string_equal(board.admin.group, "hall-tech");
    assert_string_equal(board.usb_export_dir, "/media/usb0");
}

static void expect_refused(const char *fields, const char *says)
{
    board_profile board;
    kiosk_diag diag = {{0}};
    assert_int_equal(load_with(fields, &board, &diag), KIOSK_ERR_MALFORMED);
    if (!strstr(diag.message, says))
        fail_msg("\"%s\" does not say \"%s\"", diag.message, says);
}

static void test_wrong_values_are_named(void **state)
{
    (void)state;
    expect_refused("\"admin\": \"/run/admin.sock\"", "admin");
    expect_refused("\"admin\": {\"socket\": \"admin.sock\"}", "admin.socket: expected an absolute");
    expect_refused("\"admin\": {\"socket\": 7}", "socket");
    expect_refused("\"admin\": {\"group\": \"\"}", "admin.group");
    expect_refused("\"admin\": {\"group\": \"root wheel\"}", "admin.group: expected a group name");
    expect_refused("\"admin\": {\"group\": \"../etc\"}", "admin.group");
    expect_refused("\"usb_export_dir\": \"media/usb\"", "usb_export_dir: expected an absolute");
    /* A socket's path has 107 bytes at most. */
    char long_socket[300];
    snprintf(long_socket, sizeof long_socket, "\"admin\": {\"socket\": \"/%0150d\"}", 0);
    expect_refused(long_socket, "socket");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_defaults_are_in_the_data_folder_and_kiosk_admin),
        cmocka_unit_test(test_a_board_names_its_own),
        cmocka_unit_test(test_wrong_values_are_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
