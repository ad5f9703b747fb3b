#include "../support/test_support.h"

#include "firmware/base/id_number.h"

#include <stdio.h>
#include <string.h>

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

/* A valid number for these first 17 digits. */
static void complete(char number[ID_NUMBER_SIZE], const char *first17)
{
    memcpy(number, first17, 17);
    number[17] = id_number_check_character(first17);
    number[18] = '\0';
}

/* The date in the number: YYYYMMDD into positions 7-14 of a made-up one. */
static id_number_problem check_date(const char *date)
{
    char first17[18] = "110105YYYYMMDD123";
    memcpy(first17 + 6, date, 8);
    char number[ID_NUMBER_SIZE];
    complete(number, first17);
    return id_number_check(number);
}

static void test_every_month_ends_on_its_last_day(void **state)
{
    (void)state;
    static const char *const last_days[12] = {"31", "28", "31", "30", "31", "30",
                                              "31", "31", "30", "31", "30", "31"};
    static const char *const first_gone[12] = {"32", "29", "32", "31", "32", "31",
                                               "32", "32", "31", "32", "31", "32"};
    for (unsigned month = 1; month <= 12; month++) {
        char date[16];
        snprintf(date, sizeof date, "2001%02u%s", month, last_days[month - 1]);
        assert_int_equal(check_date(date), ID_NUMBER_OK);
        snprintf(date, sizeof date, "2001%02u%s", month, first_gone[month - 1]);
        assert_int_equal(check_date(date), ID_NUMBER_BAD_DATE);
        snprintf(date, sizeof date, "2001%02u01", month);
        assert_int_equal(check_date(date), ID_NUMBER_OK);
        snprintf(date, sizeof date, "2001%02u00", month);
        assert_int_equal(check_date(date), ID_NUMBER_BAD_DATE); /* day 00 */
    }
    /* Month 00 and 13 do not exist (13 must not read past the month table). */
    assert_int_equal(check_date("20010001"), ID_NUMBER_BAD_DATE);
    assert_int_equal(check_date("20011301"), ID_NUMBER_BAD_DATE);
    assert_int_equal(check_date("20011201"), ID_NUMBER_OK);
    /* Leap years: every fourth, not the hundredth, but the four-hundredth. */
    assert_int_equal(check_date("20040229"), ID_NUMBER_OK);
    assert_int_equal(check_date("20040230"), ID_NUMBER_BAD_DATE);
    assert_int_equal(check_date("20030229"), ID_NUMBER_BAD_DATE);
    assert_int_equal(check_date("20960229"), ID_NUMBER_OK);
}

static void test_birth_years_stay_within_two_centuries(void **state)
{
    (void)state;
    /* GB 11643 numbers were issued to people born from 1900; 2099 is the last
     * year the 19xx/20xx form can hold. */
    assert_int_equal(check_date("19000101"), ID_NUMBER_OK);
    assert_int_equal(check_date("18991231"), ID_NUMBER_BAD_DATE);
    assert_int_equal(check_date("20991231"), ID_NUMBER_OK);
    assert_int_equal(check_date("21000101"), ID_NUMBER_BAD_DATE);
}

static void test_every_position_weighs_in_the_check(void **state)
{
    (void)state;
    /* Changing any one of the first 17 digits changes the check character:
     * a weight that is wrong anywhere breaks this. */
    const char *base = "11010519491231002";
    char expected = id_number_check_character(base);
    for (int i = 0; i < 17; i++) {
        char first17[18];
        memcpy(first17, base, sizeof first17);
        first17[i] = first17[i] == '9' ? '8' : (char)(first17[i] + 1);
        assert_int_not_equal(id_number_check_character(first17), expected);
    }
    /* The known weights and table: sums giving every remainder. */
    assert_int_equal(id_number_check_character("00000000000000000"), '1');
    assert_int_equal(id_number_check_character("10000000000000000"), '5'); /* 7 */
    assert_int_equal(id_number_check_character("00001000000000000"), '4'); /* 8 */
    assert_int_equal(id_number_check_character("00000000000000100"), '4'); /* 8 */
    assert_int_equal(id_number_check_character("00100000000000000"), '2'); /* 10 */
    assert_int_equal(id_number_check_character("00000000000010000"), '2'); /* 10 */
    assert_int_equal(id_number_check_character("00000000000000001"), 'X'); /* 2 */
    assert_int_equal(id_number_check_character("00000001000000000"), '0'); /* 1 */
}

static void test_every_character_must_be_a_digit(void **state)
{
    (void)state;
    char number[ID_NUMBER_SIZE];
    complete(number, "44030419900101123");
    for (int i = 0; i < 17; i++) {
        char changed[ID_NUMBER_SIZE];
        memcpy(changed, number, sizeof changed);
        changed[i] = 'A';
        assert_int_equal(id_number_check(changed), ID_NUMBER_BAD_CHARACTER);
        changed[i] = '/'; /* just below '0' */
        assert_int_equal(id_number_check(changed), ID_NUMBER_BAD_CHARACTER);
        changed[i] = ':'; /* just above '9' */
        assert_int_equal(id_number_check(changed), ID_NUMBER_BAD_CHARACTER);
    }
    /* The last may be X, x, or a digit from 0 to 9; nothing else. */
    complete(number, "11010519491231007");
    assert_int_equal(number[17], '0');
    assert_int_equal(id_number_check(number), ID_NUMBER_OK);
    complete(number, "11010519491231008");
    assert_int_equal(number[17], '9');
    assert_int_equal(id_number_check(number), ID_NUMBER_OK);
    number[17] = '/';
    assert_int_equal(id_number_check(number), ID_NUMBER_BAD_CHARACTER);
    number[17] = ':';
    assert_int_equal(id_number_check(number), ID_NUMBER_BAD_CHARACTER);
    number[17] = 'Y';
    assert_int_equal(id_number_check(number), ID_NUMBER_BAD_CHARACTER);
}

static void test_one_citizen_one_normalised_number(void **state)
{
    (void)state;
    char out[ID_NUMBER_SIZE];
    /* The e-ID platform's lower-case x and the card's X: the same citizen. */
    assert_true(id_number_same("11010519491231002x", "11010519491231002X"));
    assert_true(id_number_same(" 11010519491231002X\r\n", "11010519491231002x"));
    assert_true(id_number_same("fra310088041200", "FRA310088041200"));
    assert_true(id_number_normalise("\t11010519491231002x ", out));
    assert_string_equal(out, "11010519491231002X");
    /* Different people stay different. */
    assert_false(id_number_same("440304199001011233", "11010519491231002X"));
    assert_false(id_number_same("44030419900101123", "440304199001011233"));
    /* Nothing, or what is not a number, is never anybody. */
    assert_false(id_number_same("", ""));
    assert_false(id_number_same("  ", "  "));
    assert_false(id_number_same(NULL, NULL));
    assert_false(id_number_same("11010519491231002X", NULL));
    assert_false(id_number_same("1101051949 1231002X", "1101051949 1231002X"));
    assert_false(id_number_same("4403041990010112331", "4403041990010112331"));
    /* A failed normalisation leaves nothing behind. */
    memcpy(out, "11010519491231002X", ID_NUMBER_SIZE);
    assert_false(id_number_normalise("1101-0519", out));
    assert_string_equal(out, "");
    assert_false(id_number_normalise("4403041990010112331", out));
    assert_string_equal(out, "");
    assert_false(id_number_normalise(NULL, out));
    assert_true(id_number_normalise("a", out));
    assert_string_equal(out, "A");
    assert_true(id_number_normalise("z9", out));
    assert_string_equal(out, "Z9");
    assert_false(id_number_normalise("`", out)); /* just below a */
    assert_false(id_number_normalise("{", out)); /* just above z */
    assert_false(id_number_normalise("@", out)); /* just below A */
    assert_false(id_number_normalise("[", out)); /* just above Z */
    assert_true(id_number_normalise("440304199001011233", out));
    assert_string_equal(out, "440304199001011233");
}

static void test_a_2023_permit_number_passes_the_check(void **state)
{
    (void)state;
    /* 9, province, nationality, birth date, sequence, MOD 11-2 check. */
    char permit[ID_NUMBER_SIZE];
    complete(permit, "93125019880412002");
    assert_int_equal(id_number_check(permit), ID_NUMBER_OK);
    permit[17] = permit[17] == '0' ? '1' : '0';
    assert_int_equal(id_number_check(permit), ID_NUMBER_BAD_CHECK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_numbers_pass),
        cmocka_unit_test(test_typing_mistakes_are_caught),
        cmocka_unit_test(test_birth_dates_must_exist),
        cmocka_unit_test(test_legacy_fifteen_digit_numbers_are_too_short),
        cmocka_unit_test(test_every_month_ends_on_its_last_day),
        cmocka_unit_test(test_birth_years_stay_within_two_centuries),
        cmocka_unit_test(test_every_position_weighs_in_the_check),
        cmocka_unit_test(test_every_character_must_be_a_digit),
        cmocka_unit_test(test_one_citizen_one_normalised_number),
        cmocka_unit_test(test_a_2023_permit_number_passes_the_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
