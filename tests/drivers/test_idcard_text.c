#include "../support/test_support.h"

#include "drivers/idcard/protocol.h"

#include "firmware/base/id_number.h"

#include <stdio.h>
#include <string.h>
#include <uchar.h>

/* Everyone here is made up: invented names, and ID numbers whose check
 * characters come from id_number_check_character. */

/* Blocks are written here field by field, apart from idcard_text_build, so a
 * wrong offset in the code cannot hide behind a round trip. */
static void put_units(uint8_t *block, size_t offset, size_t width, const char16_t *text)
{
    size_t i = 0;
    for (; text[i]; i++) {
        assert_true(2 * i + 1 < width);
        block[offset + 2 * i] = (uint8_t)(text[i] & 0xFF);
        block[offset + 2 * i + 1] = (uint8_t)(text[i] >> 8);
    }
    for (; 2 * i < width; i++) {
        block[offset + 2 * i] = 0x20;
        block[offset + 2 * i + 1] = 0x00;
    }
}

static void put_ascii(uint8_t *block, size_t offset, size_t width, const char *text)
{
    char16_t units[128];
    size_t i = 0;
    for (; text[i]; i++)
        units[i] = (char16_t)(unsigned char)text[i];
    units[i] = 0;
    put_units(block, offset, width, units);
}

static void put_unit(uint8_t *block, size_t offset, uint16_t unit)
{
    block[offset] = (uint8_t)(unit & 0xFF);
    block[offset + 1] = (uint8_t)(unit >> 8);
}

/* An 18-character number: 17 digits and their check character. */
static const char *id_number(const char *first17)
{
    static char number[19];
    memcpy(number, first17, 17);
    number[17] = id_number_check_character(first17);
    number[18] = '\0';
    return number;
}

#define SAMPLE_NUMBER_17 "44030519900307012"

/* 林晓雨, born 7 March 1990, a resident card valid 2015-2035. */
static void resident_block(uint8_t block[IDCARD_TEXT_LENGTH])
{
    put_ascii(block, 0, IDCARD_TEXT_LENGTH, "");
    put_units(block, 0, 30, u"林晓雨");
    put_units(block, 30, 2, u"2");
    put_units(block, 32, 4, u"01");
    put_units(block, 36, 16, u"19900307");
    put_units(block, 52, 70, u"广东省深圳市南山区科苑路88号");
    put_ascii(block, 122, 36, id_number(SAMPLE_NUMBER_17));
    put_units(block, 158, 30, u"深圳市公安局南山分局");
    put_units(block, 188, 16, u"20150820");
    put_units(block, 204, 16, u"20350820");
}

static idcard_record record;
static idcard_record other;
static kiosk_diag diag;

static void expect_malformed(const uint8_t *block, const char *field)
{
    diag.message[0] = '\0';
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_ERR_MALFORMED);
    if (!strstr(diag.message, field))
        fail_msg("diag \"%s\" does not name \"%s\"", diag.message, field);
    /* Nothing of the card stays in the record after a refusal. */
    assert_string_equal(record.name, "");
    assert_string_equal(record.id_number, "");
}

static void test_a_resident_card_is_read(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    resident_block(block);
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    assert_int_equal(record.type, IDCARD_TYPE_RESIDENT);
    assert_string_equal(record.name, "林晓雨");
    assert_string_equal(record.name_en, "");
    assert_int_equal(record.sex_code, '2');
    assert_string_equal(record.ethnicity_code, "01");
    assert_string_equal(record.nationality, "");
    assert_string_equal(record.birth_date, "19900307");
    assert_string_equal(record.address, "广东省深圳市南山区科苑路88号");
    assert_string_equal(record.id_number, id_number(SAMPLE_NUMBER_17));
    assert_string_equal(record.authority, "深圳市公安局南山分局");
    assert_string_equal(record.valid_from, "20150820");
    assert_string_equal(record.valid_to, "20350820");
    assert_false(record.long_term);
}

static void test_build_then_parse_gives_the_record_back(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    uint8_t built[IDCARD_TEXT_LENGTH];
    resident_block(block);
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    assert_int_equal(idcard_text_build(&record, built), KIOSK_OK);
    assert_memory_equal(built, block, IDCARD_TEXT_LENGTH); /* byte for byte */
    assert_int_equal(idcard_text_parse(built, &other, &diag), KIOSK_OK);
    assert_memory_equal(&other, &record, offsetof(idcard_record, photo));
}

static void test_trailing_spaces_are_stripped_inner_ones_kept(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    resident_block(block);
    put_units(block, 52, 70, u"广东省深圳市 南山区  科苑路 88号   ");
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    assert_string_equal(record.address, "广东省深圳市 南山区  科苑路 88号");
    assert_string_equal(record.name, "林晓雨");
}

static void test_a_name_outside_the_bmp(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    resident_block(block);
    put_units(block, 0, 30, u"张\U0002A6A5");
    /* U+2A6A5 as a surrogate pair: D869 DEA5. */
    static const uint8_t units[] = {0x20, 0x5F, 0x69, 0xD8, 0xA5, 0xDE, 0x20, 0x00};
    assert_memory_equal(block, units, sizeof units);
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    assert_string_equal(record.name, "张\xF0\xAA\x9A\xA5");
    uint8_t built[IDCARD_TEXT_LENGTH];
    assert_int_equal(idcard_text_build(&record, built), KIOSK_OK);
    assert_memory_equal(built, block, IDCARD_TEXT_LENGTH);
}

static void test_a_fifteen_character_name_fills_the_field(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    resident_block(block);
    put_units(block, 0, 30, u"欧阳春夏秋冬东南西北中发白金木");
    assert_int_equal(block[28], 0x28); /* 木 is U+6728: no padding left */
    assert_int_equal(block[29], 0x67);
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    assert_string_equal(record.name, "欧阳春夏秋冬东南西北中发白金木");
    uint8_t built[IDCARD_TEXT_LENGTH];
    assert_int_equal(idcard_text_build(&record, built), KIOSK_OK);
    assert_memory_equal(built, block, IDCARD_TEXT_LENGTH);

    /* One more does not fit; nor does a non-BMP character in the last unit. */
    snprintf(record.name, sizeof record.name, "%s", "欧阳春夏秋冬东南西北中发白金木水");
    assert_int_equal(idcard_text_build(&record, built), KIOSK_ERR_TOO_BIG);
    snprintf(record.name, sizeof record.name, "%s", "欧阳春夏秋冬东南西北中发白金\xF0\xAA\x9A\xA5");
    assert_int_equal(idcard_text_build(&record, built), KIOSK_ERR_TOO_BIG);
}

static void test_long_term_validity(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    resident_block(block);
    put_units(block, 204, 16, u"长期");
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    assert_true(record.long_term);
    assert_string_equal(record.valid_to, "长期");
    assert_false(idcard_expired(&record, "20991231"));
    uint8_t built[IDCARD_TEXT_LENGTH];
    assert_int_equal(idcard_text_build(&record, built), KIOSK_OK);
    assert_memory_equal(built, block, IDCARD_TEXT_LENGTH);

    put_units(block, 204, 16, u"长");
    expect_malformed(block, "valid-to date");
    put_units(block, 204, 16, u"长期长期");
    expect_malformed(block, "valid-to date");
}

static void test_sex_codes(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    static const char16_t *const good[] = {u"0", u"1", u"2", u"9"};
    for (size_t i = 0; i < 4; i++) {
        resident_block(block);
        put_units(block, 30, 2, good[i]);
        assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
        assert_int_equal(record.sex_code, (char)good[i][0]);
    }
    static const char16_t *const bad[] = {u"3", u"M", u"", u"男"};
    for (size_t i = 0; i < 4; i++) {
        resident_block(block);
        put_units(block, 30, 2, bad[i]);
        expect_malformed(block, "sex");
    }
}

static void test_ethnicity_codes(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    static const char16_t *const good[] = {u"01", u"28", u"56", u"97", u"98"};
    for (size_t i = 0; i < 5; i++) {
        resident_block(block);
        put_units(block, 32, 4, good[i]);
        assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    }
    static const char16_t *const bad[] = {u"00", u"57", u"96", u"99", u"1", u"", u"AB", u"０１"};
    for (size_t i = 0; i < 8; i++) {
        resident_block(block);
        put_units(block, 32, 4, bad[i]);
        expect_malformed(block, "ethnicity");
    }
}

static void test_ethnicity_keys(void **state)
{
    (void)state;
    assert_string_equal(idcard_ethnicity_key("01"), "ethnicity.01");
    assert_string_equal(idcard_ethnicity_key("56"), "ethnicity.56");
    assert_string_equal(idcard_ethnicity_key("97"), "ethnicity.97");
    assert_string_equal(idcard_ethnicity_key("98"), "ethnicity.98");
    assert_null(idcard_ethnicity_key("00"));
    assert_null(idcard_ethnicity_key("57"));
    assert_null(idcard_ethnicity_key("99"));
    assert_null(idcard_ethnicity_key("1"));
    assert_null(idcard_ethnicity_key("011"));
    assert_null(idcard_ethnicity_key(""));
    assert_null(idcard_ethnicity_key(NULL));
    /* Just past '9' in either place: ':' would make "0:" read as 10. */
    assert_null(idcard_ethnicity_key("0:"));
    assert_null(idcard_ethnicity_key(":0"));
    assert_null(idcard_ethnicity_key("/1"));
    assert_null(idcard_ethnicity_key("1/"));
    int known = 0;
    for (int code = 0; code < 100; code++) {
        char text[3] = {(char)('0' + code / 10), (char)('0' + code % 10), '\0'};
        const char *key = idcard_ethnicity_key(text);
        if (key) {
            known++;
            assert_int_equal(strncmp(key, "ethnicity.", 10), 0);
            assert_string_equal(key + 10, text);
        }
    }
    assert_int_equal(known, 58);
}

static void test_impossible_dates(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    /* 30 February, with a number that says the same: the date field itself
     * is refused first. */
    resident_block(block);
    put_units(block, 36, 16, u"19900230");
    put_ascii(block, 122, 36, id_number("44030519900230012"));
    expect_malformed(block, "birth date");

    static const char16_t *const bad[] = {
        u"20150231", u"20151301", u"20150000", u"21000101", u"18991231", u"2015082",  u"2015-8-2",
        u"",         u"20150132", u"20150332", u"20150431", u"20150532", u"20150631", u"20150732",
        u"20150832", u"20150931", u"20151032", u"20151131", u"20151232", u"20150229", u"20150100"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        resident_block(block);
        put_units(block, 188, 16, bad[i]);
        expect_malformed(block, "valid-from date");
        resident_block(block);
        put_units(block, 204, 16, bad[i]);
        expect_malformed(block, "valid-to date");
    }

    /* 29 February: in 2000, not in 1900 (nor 2100, out of range anyway). */
    resident_block(block);
    put_units(block, 36, 16, u"20000229");
    put_ascii(block, 122, 36, id_number("44030520000229012"));
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    put_units(block, 188, 16, u"20160229");
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    put_units(block, 188, 16, u"20150229");
    expect_malformed(block, "valid-from date");
    put_units(block, 188, 16, u"20150820");
    put_units(block, 36, 16, u"19000229");
    expect_malformed(block, "birth date");
}

static void test_a_wrong_check_character(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    resident_block(block);
    char number[19];
    snprintf(number, sizeof number, "%s", id_number(SAMPLE_NUMBER_17));
    number[17] = number[17] == '0' ? '1' : '0';
    put_ascii(block, 122, 36, number);
    expect_malformed(block, "check character");
    assert_null(strstr(diag.message, number)); /* never the value */
    assert_null(strstr(diag.message, SAMPLE_NUMBER_17));

    /* Two neighbouring digits swapped: MOD 11-2 catches every such swap. */
    snprintf(number, sizeof number, "%s", id_number(SAMPLE_NUMBER_17));
    char swapped = number[15];
    number[15] = number[16];
    number[16] = swapped;
    put_ascii(block, 122, 36, number);
    expect_malformed(block, "check character");

    resident_block(block);
    put_ascii(block, 122, 36, "44030519900307012");
    expect_malformed(block, "ID number");
    put_ascii(block, 122, 36, "4403051990030701A2");
    expect_malformed(block, "ID number");
    put_ascii(block, 122, 36, "");
    expect_malformed(block, "ID number");
}

static void test_a_lower_case_x_is_read_as_upper_case(void **state)
{
    (void)state;
    /* Find a sequence number whose check character is X. */
    char first17[18] = SAMPLE_NUMBER_17;
    for (unsigned sequence = 0; sequence < 1000; sequence++) {
        first17[14] = (char)('0' + sequence / 100);
        first17[15] = (char)('0' + sequence / 10 % 10);
        first17[16] = (char)('0' + sequence % 10);
        if (id_number_check_character(first17) == 'X')
            break;
    }
    assert_int_equal(id_number_check_character(first17), 'X');
    char lower[19];
    snprintf(lower, sizeof lower, "%sx", first17);

    uint8_t block[IDCARD_TEXT_LENGTH];
    resident_block(block);
    put_ascii(block, 122, 36, lower);
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    assert_int_equal(strlen(record.id_number), 18);
    assert_int_equal(record.id_number[17], 'X');
    assert_memory_equal(record.id_number, first17, 17);
}

static void test_the_birth_date_must_agree_with_the_number(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    resident_block(block);
    put_units(block, 36, 16, u"19900308");
    expect_malformed(block, "birth date does not agree");
    assert_null(strstr(diag.message, "1990"));
}

static void test_broken_text_is_refused(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    /* A high surrogate with nothing after it, with a non-surrogate after it,
     * and a low surrogate alone. */
    static const char16_t high_last[] = {0x738B, 0xD869, 0};
    static const char16_t high_then_bmp[] = {0xD869, 0x738B, 0};
    static const char16_t low_alone[] = {0x738B, 0xDEA5, 0x738B, 0};
    static const char16_t two_highs[] = {0xD869, 0xD869, 0xDEA5, 0};
    static const char16_t *const bad_names[] = {high_last, high_then_bmp, low_alone, two_highs};
    for (size_t i = 0; i < 4; i++) {
        resident_block(block);
        put_units(block, 0, 30, bad_names[i]);
        expect_malformed(block, "name");
    }
    /* A high surrogate whose partner would be the padding. */
    resident_block(block);
    put_units(block, 0, 30, u"王");
    put_unit(block, 2, 0xD869);
    expect_malformed(block, "name");

    /* A NUL inside a field, and control characters. */
    resident_block(block);
    put_units(block, 0, 30, u"王五");
    put_unit(block, 2, 0x0000);
    expect_malformed(block, "name");
    resident_block(block);
    put_units(block, 52, 70, u"北京市\a东城区");
    expect_malformed(block, "address");
    resident_block(block);
    put_units(block, 158, 30, u"北京市公安局");
    put_unit(block, 158 + 2 * 6, 0x0085); /* a C1 control */
    expect_malformed(block, "issuing authority");
    resident_block(block);
    put_units(block, 0, 30, u"王\x7F");
    expect_malformed(block, "name");

    /* No name at all. */
    resident_block(block);
    put_units(block, 0, 30, u"");
    expect_malformed(block, "name is empty");
}

static void test_validity_order(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    resident_block(block);
    put_units(block, 188, 16, u"20350821");
    expect_malformed(block, "valid-from date is after");
    put_units(block, 188, 16, u"20350820"); /* the same day is not after */
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
}

static void test_expiry(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    resident_block(block);
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    assert_false(idcard_expired(&record, "20260101"));
    assert_false(idcard_expired(&record, "20350820")); /* valid through its last day */
    assert_true(idcard_expired(&record, "20350821"));
    assert_true(idcard_expired(&record, "20400101"));
    /* A date that cannot be compared does not pass a card as valid. */
    assert_true(idcard_expired(&record, "2026"));
    assert_true(idcard_expired(&record, "2026010A"));
    assert_true(idcard_expired(&record, NULL));
    assert_true(idcard_expired(NULL, "20260101"));
}

static void test_a_hong_kong_macao_taiwan_permit(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    resident_block(block);
    put_units(block, 0, 30, u"陈嘉欣");
    put_units(block, 32, 4, u""); /* permits print no ethnicity */
    put_units(block, 36, 16, u"19850612");
    put_ascii(block, 122, 36, id_number("81000019850612021"));
    put_ascii(block, 220, 18, "H60321457"); /* pass number */
    put_ascii(block, 238, 4, "01");         /* issue count */
    put_unit(block, 248, 'J');
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    assert_int_equal(record.type, IDCARD_TYPE_HK_MACAO_TAIWAN);
    assert_string_equal(record.ethnicity_code, "");
    assert_string_equal(record.id_number, id_number("81000019850612021"));

    uint8_t built[IDCARD_TEXT_LENGTH];
    assert_int_equal(idcard_text_build(&record, built), KIOSK_OK);
    assert_int_equal(built[248], 'J');
    assert_int_equal(idcard_text_parse(built, &other, &diag), KIOSK_OK);
    assert_memory_equal(&other, &record, offsetof(idcard_record, photo));

    /* A resident card must carry one. */
    put_unit(block, 248, ' ');
    expect_malformed(block, "ethnicity");
}

/* OKAFOR, CHIDERA GRACE (奥卡福), a foreign permanent resident. */
static void foreign_block(uint8_t block[IDCARD_TEXT_LENGTH])
{
    put_ascii(block, 0, IDCARD_TEXT_LENGTH, "");
    put_ascii(block, 0, 120, "OKAFOR, CHIDERA GRACE");
    put_units(block, 120, 2, u"2");
    put_ascii(block, 122, 30, "NGA310088041502");
    put_ascii(block, 152, 6, "NGA");
    put_units(block, 158, 30, u"奥卡福");
    put_units(block, 188, 16, u"20200601");
    put_units(block, 204, 16, u"20300601");
    put_units(block, 220, 16, u"19880415");
    put_ascii(block, 236, 4, "01");
    put_ascii(block, 240, 8, "3100");
    put_unit(block, 248, 'I');
}

static void test_a_foreign_permanent_residence_card(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    foreign_block(block);
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    assert_int_equal(record.type, IDCARD_TYPE_FOREIGN_PERMANENT);
    assert_string_equal(record.name, "奥卡福");
    assert_string_equal(record.name_en, "OKAFOR, CHIDERA GRACE");
    assert_int_equal(record.sex_code, '2');
    assert_string_equal(record.ethnicity_code, "");
    assert_string_equal(record.nationality, "NGA");
    assert_string_equal(record.id_number, "NGA310088041502");
    assert_string_equal(record.birth_date, "19880415");
    assert_string_equal(record.address, "");
    assert_string_equal(record.authority, "3100");
    assert_string_equal(record.valid_from, "20200601");
    assert_string_equal(record.valid_to, "20300601");

    uint8_t built[IDCARD_TEXT_LENGTH];
    assert_int_equal(idcard_text_build(&record, built), KIOSK_OK);
    assert_int_equal(idcard_text_parse(built, &other, &diag), KIOSK_OK);
    assert_memory_equal(&other, &record, offsetof(idcard_record, photo));
    put_ascii(block, 236, 4, ""); /* the version is not kept */
    assert_memory_equal(built, block, IDCARD_TEXT_LENGTH);
}

static void test_a_foreigner_without_a_chinese_name(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    foreign_block(block);
    put_ascii(block, 158, 30, "");
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    assert_string_equal(record.name, "OKAFOR, CHIDERA GRACE");
    uint8_t built[IDCARD_TEXT_LENGTH];
    assert_int_equal(idcard_text_build(&record, built), KIOSK_OK);
    assert_memory_equal(built + 158, block + 158, 30); /* still blank */
    assert_int_equal(idcard_text_parse(built, &other, &diag), KIOSK_OK);
    assert_memory_equal(&other, &record, offsetof(idcard_record, photo));
}

static void test_broken_foreign_cards_are_refused(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    static const char *const bad_numbers[] = {"NGA31008804150", "nga310088041502",
                                              "NGA-10088041502", ""};
    for (size_t i = 0; i < 4; i++) {
        foreign_block(block);
        put_ascii(block, 122, 30, bad_numbers[i]);
        expect_malformed(block, "permit number");
    }
    foreign_block(block);
    put_units(block, 0, 120, u"OKAFOR, CHIDÉRA");
    expect_malformed(block, "English name");
    foreign_block(block);
    put_ascii(block, 0, 120, "");
    expect_malformed(block, "English name is empty");
    foreign_block(block);
    put_ascii(block, 152, 6, "NG");
    expect_malformed(block, "nationality is not 3 upper-case letters or digits");
    foreign_block(block);
    put_units(block, 220, 16, u"19880230");
    expect_malformed(block, "birth date");
    foreign_block(block);
    put_units(block, 120, 2, u"F");
    expect_malformed(block, "sex");
    foreign_block(block);
    put_units(block, 188, 16, u"20300602");
    expect_malformed(block, "valid-from date is after");
    foreign_block(block);
    put_ascii(block, 240, 8, "31-0");
    expect_malformed(block, "accepting office is not up to 4 upper-case letters or digits");
    /* A one-letter English name is a name. */
    foreign_block(block);
    put_ascii(block, 0, 120, "X");
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    assert_string_equal(record.name_en, "X");
}

/* A 2023 foreign permanent residence card: 40 characters of English name,
 * the last five in the second part after a space at the split; no Chinese
 * name. */
static void permit_2023_block(uint8_t block[IDCARD_TEXT_LENGTH])
{
    put_ascii(block, 0, IDCARD_TEXT_LENGTH, "");
    put_ascii(block, 0, 30, "");
    put_units(block, 30, 2, u"1");
    put_ascii(block, 32, 4, "01");
    put_units(block, 36, 16, u"19870621");
    put_ascii(block, 52, 70, "OYELARAN-WILLIAMSON, BARTHOLOMEW A ");
    put_ascii(block, 122, 36, id_number("91125019870621004"));
    put_units(block, 188, 16, u"20240301");
    put_units(block, 204, 16, u"20340301");
    put_ascii(block, 220, 22, "KUNLE");
    put_ascii(block, 242, 6, "NGA");
    put_unit(block, 248, 'Y');
    put_ascii(block, 250, 6, "NGA");
}

static void test_a_2023_foreign_permanent_residence_card(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    permit_2023_block(block);
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    assert_int_equal(record.type, IDCARD_TYPE_FOREIGN_PERMANENT_2023);
    /* 35 characters, then the rest: the space at the split was trimmed. */
    assert_string_equal(record.name_en, "OYELARAN-WILLIAMSON, BARTHOLOMEW A KUNLE");
    assert_string_equal(record.name, record.name_en);
    assert_int_equal(record.sex_code, '1');
    assert_string_equal(record.birth_date, "19870621");
    assert_string_equal(record.id_number, "91125019870621004X");
    put_ascii(block, 122, 36, "91125019870621004x"); /* read as X */
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    assert_string_equal(record.id_number, "91125019870621004X");
    put_ascii(block, 122, 36, "91125019870621004X");
    assert_string_equal(record.nationality, "NGA");
    assert_string_equal(record.valid_from, "20240301");
    assert_string_equal(record.valid_to, "20340301");
    assert_string_equal(record.ethnicity_code, "");
    assert_string_equal(record.address, "");
    assert_string_equal(record.authority, "");

    /* A name that runs on over the split keeps no space there; a Chinese
     * name is the one to show. */
    put_ascii(block, 52, 70, "OYELARAN-WILLIAMSON, BARTHOLOMEW AD");
    put_ascii(block, 220, 22, "EKUNLE");
    put_units(block, 0, 30, u"欧耶");
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    assert_string_equal(record.name_en, "OYELARAN-WILLIAMSON, BARTHOLOMEW ADEKUNLE");
    assert_string_equal(record.name, "欧耶");
    put_ascii(block, 0, 30, "A"); /* one character is a Chinese name too */
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    assert_string_equal(record.name, "A");
    put_units(block, 0, 30, u"欧耶");
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);

    /* Built back, it reads the same. */
    uint8_t built[IDCARD_TEXT_LENGTH];
    assert_int_equal(idcard_text_build(&record, built), KIOSK_OK);
    assert_int_equal(idcard_text_parse(built, &other, &diag), KIOSK_OK);
    assert_memory_equal(&other, &record, offsetof(idcard_record, photo));
    assert_memory_equal(built, block, 32);             /* name, sex */
    assert_memory_equal(built + 36, block + 36, 122);  /* birth, name, number */
    assert_memory_equal(built + 188, block + 188, 62); /* validity, name, nationality, type */
}

static void test_broken_2023_cards_are_refused(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    /* A citizen's number, a typo, a 15-character permit: not a 2023 permit. */
    const char *bad_numbers[] = {id_number("11010519870621004"), "91125019870621005",
                                 "NGA310087062100", ""};
    char saved[4][19];
    for (size_t i = 0; i < 4; i++)
        snprintf(saved[i], sizeof saved[i], "%s", bad_numbers[i]);
    for (size_t i = 0; i < 4; i++) {
        permit_2023_block(block);
        put_ascii(block, 122, 36, saved[i]);
        expect_malformed(block, "permit number");
    }
    permit_2023_block(block);
    put_units(block, 36, 16, u"19870622");
    expect_malformed(block, "birth date does not agree");
    permit_2023_block(block);
    put_ascii(block, 242, 6, "N1");
    expect_malformed(block, "nationality");
    permit_2023_block(block);
    put_ascii(block, 52, 70, "");
    expect_malformed(block, "English name is empty");
    permit_2023_block(block);
    put_units(block, 220, 22, u"KÜNLE");
    expect_malformed(block, "not ASCII");
    permit_2023_block(block);
    put_ascii(block, 32, 4, "-1");
    expect_malformed(block, "renewal count");
    permit_2023_block(block);
    put_units(block, 30, 2, u"M");
    expect_malformed(block, "sex");
    permit_2023_block(block);
    put_units(block, 188, 16, u"20340302");
    expect_malformed(block, "valid-from date is after");
}

static void test_text_is_cleared_of_bidi_and_format_characters(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    resident_block(block);
    /* A right-to-left override and a zero-width space in the name, an
     * isolate and a soft hyphen in the address, a BOM in the authority. */
    put_units(block, 0, 30, u"林\u202E晓\u200B雨 \u2067");
    put_units(block, 52, 70, u"\u2066广东省深圳市\u00AD南山区科苑路88号\u2069");
    put_units(block, 158, 30, u"\uFEFF深圳市公安局南山分局");
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    assert_string_equal(record.name, "林晓雨");
    assert_string_equal(record.address, "广东省深圳市南山区科苑路88号");
    assert_string_equal(record.authority, "深圳市公安局南山分局");
    /* A name that was nothing but format characters is an empty name. */
    put_units(block, 0, 30, u"\u202E\u200B");
    expect_malformed(block, "name is empty");

    /* The foreigners' names too. */
    uint8_t permit[IDCARD_TEXT_LENGTH];
    permit_2023_block(permit);
    put_units(permit, 0, 30, u"欧\u202D耶");
    put_units(permit, 220, 22, u"KUN\u200DLE");
    assert_int_equal(idcard_text_parse(permit, &record, &diag), KIOSK_OK);
    assert_string_equal(record.name, "欧耶");
    assert_string_equal(record.name_en, "OYELARAN-WILLIAMSON, BARTHOLOMEW A KUNLE");
}

static void test_the_photo_is_left_to_the_answer(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    resident_block(block);
    memset(record.photo, 0x5A, sizeof record.photo);
    record.photo_length = 77;
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    assert_int_equal(record.photo[0], 0x5A);
    assert_int_equal(record.photo_length, 77);
    put_units(block, 30, 2, u"7");
    expect_malformed(block, "sex");
    assert_int_equal(record.photo[IDCARD_PHOTO_LENGTH - 1], 0x5A);
    assert_int_equal(record.photo_length, 77);
}

/* A read answer's data: lengths, text, photo. */
static size_t read_answer(uint8_t *out, size_t text_length, size_t photo_length)
{
    out[0] = (uint8_t)(text_length >> 8);
    out[1] = (uint8_t)text_length;
    out[2] = (uint8_t)(photo_length >> 8);
    out[3] = (uint8_t)photo_length;
    resident_block(out + 4);
    for (size_t i = 0; i < photo_length; i++)
        out[4 + text_length + i] = (uint8_t)(i * 31 + 7);
    return 4 + text_length + photo_length;
}

static void test_read_answers(void **state)
{
    (void)state;
    static uint8_t data[4 + IDCARD_TEXT_LENGTH + IDCARD_PHOTO_LENGTH + 8];
    size_t length = read_answer(data, IDCARD_TEXT_LENGTH, IDCARD_PHOTO_LENGTH);
    assert_int_equal(length, 1284);
    assert_int_equal(idcard_read_answer_parse(data, length, &record, &diag), KIOSK_OK);
    assert_string_equal(record.name, "林晓雨");
    assert_int_equal(record.photo_length, IDCARD_PHOTO_LENGTH);
    assert_memory_equal(record.photo, data + 4 + IDCARD_TEXT_LENGTH, IDCARD_PHOTO_LENGTH);

    /* A smaller photo, and none. */
    length = read_answer(data, IDCARD_TEXT_LENGTH, 100);
    assert_int_equal(idcard_read_answer_parse(data, length, &record, &diag), KIOSK_OK);
    assert_int_equal(record.photo_length, 100);
    assert_int_equal(record.photo[100], 0); /* the earlier photo's tail is gone */
    length = read_answer(data, IDCARD_TEXT_LENGTH, 0);
    assert_int_equal(idcard_read_answer_parse(data, length, &record, &diag), KIOSK_OK);
    assert_int_equal(record.photo_length, 0);
}

static void expect_bad_answer(const uint8_t *data, size_t length, const char *problem)
{
    diag.message[0] = '\0';
    assert_int_equal(idcard_read_answer_parse(data, length, &record, &diag), KIOSK_ERR_MALFORMED);
    if (!strstr(diag.message, problem))
        fail_msg("diag \"%s\" does not say \"%s\"", diag.message, problem);
    assert_string_equal(record.name, "");
    assert_int_equal(record.photo_length, 0);
}

static void test_read_answers_with_wrong_lengths(void **state)
{
    (void)state;
    static uint8_t data[4 + IDCARD_TEXT_LENGTH + IDCARD_PHOTO_LENGTH + 8];
    size_t length = read_answer(data, IDCARD_TEXT_LENGTH, IDCARD_PHOTO_LENGTH);
    expect_bad_answer(data, length - 1, "length fields say");
    expect_bad_answer(data, length + 1, "length fields say");
    expect_bad_answer(data, 3, "shorter");
    expect_bad_answer(data, 0, "shorter");
    expect_bad_answer(NULL, 0, "shorter");

    length = read_answer(data, IDCARD_TEXT_LENGTH - 2, 100);
    expect_bad_answer(data, length, "text length");
    length = read_answer(data, IDCARD_TEXT_LENGTH + 2, 100);
    expect_bad_answer(data, length, "text length");
    length = read_answer(data, IDCARD_TEXT_LENGTH, IDCARD_PHOTO_LENGTH + 1);
    expect_bad_answer(data, length, "photo length");

    /* Lengths right, text wrong: the text's own diagnostic. */
    length = read_answer(data, IDCARD_TEXT_LENGTH, 10);
    data[4 + 30] = '5';
    expect_bad_answer(data, length, "sex");
}

static void test_building_refuses_bad_fields(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    uint8_t built[IDCARD_TEXT_LENGTH];
    resident_block(block);
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    other = record;
    snprintf(other.address, sizeof other.address, "%s", "\xE5\xB9"); /* truncated */
    assert_int_equal(idcard_text_build(&other, built), KIOSK_ERR_MALFORMED);
    other = record;
    snprintf(other.address, sizeof other.address, "%s", "\xC0\xAF"); /* overlong '/' */
    assert_int_equal(idcard_text_build(&other, built), KIOSK_ERR_MALFORMED);
    other = record;
    snprintf(other.address, sizeof other.address, "%s", "\xED\xA0\x80"); /* a surrogate */
    assert_int_equal(idcard_text_build(&other, built), KIOSK_ERR_MALFORMED);
    other = record;
    snprintf(other.address, sizeof other.address, "%s", "line\nbreak");
    assert_int_equal(idcard_text_build(&other, built), KIOSK_ERR_MALFORMED);
    other = record;
    memset(other.address, 'A', 36);
    other.address[36] = '\0';
    assert_int_equal(idcard_text_build(&other, built), KIOSK_ERR_TOO_BIG);
    other.address[35] = '\0';
    assert_int_equal(idcard_text_build(&other, built), KIOSK_OK);
    other = record;
    other.type = (idcard_card_type)7;
    assert_int_equal(idcard_text_build(&other, built), KIOSK_ERR_INVALID_ARGUMENT);
}

static void test_wiping_and_the_photo_hook(void **state)
{
    (void)state;
    uint8_t block[IDCARD_TEXT_LENGTH];
    resident_block(block);
    assert_int_equal(idcard_text_parse(block, &record, &diag), KIOSK_OK);
    record.photo_length = 3;
    idcard_record_wipe(&record);
    static const idcard_record zero;
    assert_memory_equal(&record, &zero, sizeof record);
    idcard_record_wipe(NULL);
    /* No licensed decoder in this build: photos stay opaque. */
    assert_null(idcard_photo_decode_hook);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_resident_card_is_read),
        cmocka_unit_test(test_build_then_parse_gives_the_record_back),
        cmocka_unit_test(test_trailing_spaces_are_stripped_inner_ones_kept),
        cmocka_unit_test(test_a_name_outside_the_bmp),
        cmocka_unit_test(test_a_fifteen_character_name_fills_the_field),
        cmocka_unit_test(test_long_term_validity),
        cmocka_unit_test(test_sex_codes),
        cmocka_unit_test(test_ethnicity_codes),
        cmocka_unit_test(test_ethnicity_keys),
        cmocka_unit_test(test_impossible_dates),
        cmocka_unit_test(test_a_wrong_check_character),
        cmocka_unit_test(test_a_lower_case_x_is_read_as_upper_case),
        cmocka_unit_test(test_the_birth_date_must_agree_with_the_number),
        cmocka_unit_test(test_broken_text_is_refused),
        cmocka_unit_test(test_validity_order),
        cmocka_unit_test(test_expiry),
        cmocka_unit_test(test_a_hong_kong_macao_taiwan_permit),
        cmocka_unit_test(test_a_foreign_permanent_residence_card),
        cmocka_unit_test(test_a_foreigner_without_a_chinese_name),
        cmocka_unit_test(test_broken_foreign_cards_are_refused),
        cmocka_unit_test(test_a_2023_foreign_permanent_residence_card),
        cmocka_unit_test(test_broken_2023_cards_are_refused),
        cmocka_unit_test(test_text_is_cleared_of_bidi_and_format_characters),
        cmocka_unit_test(test_the_photo_is_left_to_the_answer),
        cmocka_unit_test(test_read_answers),
        cmocka_unit_test(test_read_answers_with_wrong_lengths),
        cmocka_unit_test(test_building_refuses_bad_fields),
        cmocka_unit_test(test_wiping_and_the_photo_hook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
