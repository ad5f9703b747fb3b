#include "../support/test_support.h"

#include "firmware/base/file.h"

#include <stdlib.h>
#include <string.h>

static void test_reads_a_whole_file(void **state)
{
    (void)state;
    const char *dir = test_make_temp_dir("file");
    const char *path = test_write_file(dir, "a.txt", "社保\n");
    char *text = NULL;
    size_t size = 0;
    kiosk_diag diag;
    assert_int_equal(file_read_all(path, 64, &text, &size, &diag), KIOSK_OK);
    assert_int_equal(size, strlen("社保\n"));
    assert_string_equal(text, "社保\n");
    free(text);
}

static void test_refuses_what_is_too_big_or_not_there(void **state)
{
    (void)state;
    const char *dir = test_make_temp_dir("file-big");
    const char *path = test_write_file(dir, "big.txt", "0123456789");
    char *text = NULL;
    size_t size = 0;
    kiosk_diag diag = {{0}};
    assert_int_equal(file_read_all(path, 9, &text, &size, &diag), KIOSK_ERR_TOO_BIG);
    assert_non_null(strstr(diag.message, "10 bytes, more than the 9 allowed"));
    assert_null(text);
    assert_int_equal(file_read_all("/nonexistent/x", 9, &text, &size, &diag), KIOSK_ERR_NOT_FOUND);
    assert_string_equal(diag.message, "/nonexistent/x: file not found");
    assert_int_equal(file_read_all(dir, 9, &text, &size, &diag), KIOSK_ERR_MALFORMED);
    assert_non_null(strstr(diag.message, "not a regular file"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_a_whole_file),
        cmocka_unit_test(test_refuses_what_is_too_big_or_not_there),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
