#include "../support/test_support.h"

#include "firmware/id_number.h"

static void test_valid_numbers_pass(void **state)
{
    (void)state;
    assert_int_equal(id_number_check("11010519491231002X"), ID_NUMBER_OK);
    assert_int_equal(id_number_check("11010519491231002x"), ID_NUMBER_OK);
    assert_int_equal(id_number_check("440304199001011233"), ID_NUMBER_OK);
    assert_int_equal(id_number_check("310101198005056662"), ID_NUMBER_OK);
    assert_int_equal(id_number_check_character("11010519491231002"), 'X');
}

static void test_typing_mistakes_are_caught(void **state)
{
    (void)state;
    /* One digit wrong, two digits swapped: the check character catches both. */
    assert_int_equal(id_number_check("440304199001011234"), ID_NUMBER_BAD_CHECK);
    assert_int_equal(id_number_check("440304199001011323"), ID_NUMBER_BAD_CHECK);
    assert_int_equal(id_number_check("44030419900101123"), ID_NUMBER_TOO_SHORT);
    assert_int_equal(id_number_check(""), ID_NUMBER_TOO_SHORT);
    assert_int_equal(id_number_check("4403041990010112333"), ID_NUMBER_BAD_CHARACTER);
    assert_int_equal(id_number_check("44030419900101X233"), ID_NUMBER_BAD_CHARACTER);
    assert_int_equal(id_number_check("44030419900101123A"), ID_NUMBER_BAD_CHARACTER);
}

static void test_birth_dates_must_exist(void **state)
{
    (void)state;
    char number[19] = "44030419900230123";
    number[17] = id_number_check_character(number);
    number[18] = '\0';
    assert_int_equal(id_number_check(number), ID_NUMBER_BAD_DATE); /* 30 February */
    char leap[19] = "44030420000229123";
    leap[17] = id_number_check_character(leap);
    leap[18] = '\0';
    assert_int_equal(id_number_check(leap), ID_NUMBER_OK); /* 2000 was a leap year */
    char not_leap[19] = "44030419000229123";
    not_leap[17] = id_number_check_character(not_leap);
    not_leap[18] = '\0';
    assert_int_equal(id_number_check(not_leap), ID_NUMBER_BAD_DATE); /* 1900 was not */
}

static void test_legacy_fifteen_digit_numbers_are_too_short(void **state)
{
    (void)state;
    /* First-generation cards carried 15 digits (a two-digit birth year, no
     * check character); a second-generation card always carries 18, so a
     * 15-digit number is refused, however well formed. */
    assert_int_equal(id_number_check("440305900307012"), ID_NUMBER_TOO_SHORT);
    assert_int_equal(id_number_check("310104851122031"), ID_NUMBER_TOO_SHORT);
    /* The same person's 18-digit number passes. */
    char upgraded[19] = "44030519900307012";
    upgraded[17] = id_number_check_character(upgraded);
    upgraded[18] = '\0';
    assert_int_equal(id_number_check(upgraded), ID_NUMBER_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_numbers_pass),
        cmocka_unit_test(test_typing_mistakes_are_caught),
        cmocka_unit_test(test_birth_dates_must_exist),
        cmocka_unit_test(test_legacy_fifteen_digit_numbers_are_too_short),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
