/* Text read as JSON (board profiles, catalogs, the platform's answers) is one
 * object, with each key once and no string cut short by an escaped NUL. */
#include "../support/test_support.h"

#include "firmware/base/json_fields.h"

#include <string.h>

static kiosk_error parse(const char *text, kiosk_diag *diag)
{
    cJSON *root = NULL;
    kiosk_error result = json_parse_text("answer", text, strlen(text), &root, diag);
    if (result == KIOSK_OK)
        assert_non_null(root);
    else
        assert_null(root);
    cJSON_Delete(root);
    return result;
}

static void test_one_object_with_each_key_once_is_read(void **state)
{
    (void)state;
    kiosk_diag diag = {{0}};
    assert_int_equal(parse("{\"a\": 1, \"b\": {\"a\": 2}, \"c\": [{\"a\": 1}, {\"a\": 2}]}", &diag),
                     KIOSK_OK);
    assert_int_equal(parse("{\"name\": \"\\u4e2d\\u0041\"}", &diag), KIOSK_OK);
}

static void test_a_key_twice_in_one_object_is_refused(void **state)
{
    (void)state;
    kiosk_diag diag = {{0}};
    /* A 201 naming two tracking numbers, an e-ID naming two people. */
    assert_int_equal(parse("{\"tracking_number\": \"GD20261207000100\", \"status\": \"accepted\","
                           " \"tracking_number\": \"EVIL-9999\"}",
                           &diag),
                     KIOSK_ERR_MALFORMED);
    assert_non_null(strstr(diag.message, "\"tracking_number\" appears twice"));
    assert_int_equal(parse("{\"results\": [{\"id_number\": \"1\", \"name\": \"x\", \"id_number\": "
                           "\"2\"}]}",
                           &diag),
                     KIOSK_ERR_MALFORMED);
    assert_non_null(strstr(diag.message, "\"id_number\" appears twice"));
    assert_int_equal(parse("{\"a\": {\"b\": {\"c\": 1, \"c\": 1}}}", &diag), KIOSK_ERR_MALFORMED);
}

static void test_an_escaped_nul_is_refused(void **state)
{
    (void)state;
    kiosk_diag diag = {{0}};
    assert_int_equal(parse("{\"data_dir\": \"/var/lib/kiosk\\u0000/../../etc\"}", &diag),
                     KIOSK_ERR_MALFORMED);
    assert_non_null(strstr(diag.message, "\\u0000"));
    assert_int_equal(parse("{\"n\\u0000ame\": 1}", &diag), KIOSK_ERR_MALFORMED);
    /* A backslash escaped is no escape: its u is a letter like any other. */
    assert_int_equal(parse("{\"path\": \"C:\\\\u0000\"}", &diag), KIOSK_OK);
}

/* An escape cJSON would read short ends the string there: a key that is not
 * "error" must never be read as the platform's typed error. */
static void test_an_escape_without_four_hex_digits_is_refused(void **state)
{
    (void)state;
    kiosk_diag diag = {{0}};
    assert_int_equal(parse("{\"error\\uc\\u\\ue\": \"too-large\"}", &diag), KIOSK_ERR_MALFORMED);
    assert_non_null(strstr(diag.message, "four hex digits"));
    assert_int_equal(parse("{\"name\": \"a\\u12\"}", &diag), KIOSK_ERR_MALFORMED);
    assert_int_equal(parse("{\"name\": \"\\u4e2d\\u6587\"}", &diag), KIOSK_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_object_with_each_key_once_is_read),
        cmocka_unit_test(test_a_key_twice_in_one_object_is_refused),
        cmocka_unit_test(test_an_escaped_nul_is_refused),
        cmocka_unit_test(test_an_escape_without_four_hex_digits_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
