/* Text prepared for speech (speech_prepare), in the three languages: codes
 * digit by digit, dates, times and amounts as people say them, symbols
 * named, masked digits said once, what cannot be said dropped, and hostile
 * text (invalid UTF-8, controls, bidi overrides, 100 kB, empty) refused or
 * cleaned without overrunning. */
#include "../support/test_support.h"

#include "firmware/speech/speech.h"

#include <stdlib.h>
#include <string.h>

static char out[4096];

static const char *prepared(lang language, const char *text)
{
    assert_true(speech_prepare(language, text, out, sizeof out));
    return out;
}

/* out contains want, and not avoid (when given). */
static void says(lang language, const char *text, const char *want, const char *avoid)
{
    const char *got = prepared(language, text);
    if (!strstr(got, want) || (avoid && strstr(got, avoid))) {
        print_error("%s \"%s\" -> \"%s\": wanted \"%s\"%s%s\n", lang_code(language), text, got,
                    want, avoid ? ", not " : "", avoid ? avoid : "");
        fail();
    }
}

static bool valid_utf8(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        size_t extra = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : 3;
        if ((*p & 0xF8) == 0xF8 || (*p & 0xC0) == 0x80)
            return false;
        for (size_t i = 1; i <= extra; i++)
            if ((p[i] & 0xC0) != 0x80)
                return false;
        p += extra + 1;
    }
    return true;
}

static void test_an_id_number_is_read_digit_by_digit(void **state)
{
    (void)state;
    says(LANG_ZH_CN, "110105199001011234", "一一零一零五一九九零零一零一一二三四", "1");
    says(LANG_ZH_TW, "110105199001011234", "一一零一零五一九九零零一零一一二三四", "1");
    says(LANG_EN, "110105199001011234", "1 1 0 1 0 5 1 9 9 0 0 1 0 1 1 2 3 4", "110");
    /* The check character X is said as the letter. */
    says(LANG_ZH_CN, "11010519900101123X", "一二三X", NULL);
    says(LANG_EN, "11010519900101123x", "2 3 X", NULL);
    /* In a sentence, a phone number and a tracking code too. */
    says(LANG_ZH_CN, "请拨打13812345678咨询", "请拨打 一三八一二三四五六七八 咨询", NULL);
    says(LANG_EN, "Call 010-12345678.", "0 1 0, 1 2 3 4 5 6 7 8", NULL);
    says(LANG_ZH_CN, "SF1234567890", "S F 一二三四五六七八九零", NULL);
    says(LANG_EN, "GD20 2612 0700 0123", "G D 2 0, 2 6 1 2, 0 7 0 0, 0 1 2 3", NULL);
    says(LANG_ZH_CN, "138 1234 5678", "一三八，一二三四，五六七八", NULL);
    says(LANG_EN, "110105 19900101 1234", "1 1 0 1 0 5, 1 9 9 0 0 1 0 1, 1 2 3 4", NULL);
    /* Numbers that are only near each other stay numbers. */
    says(LANG_ZH_CN, "共 12 个 300 人", "共 十二 个 三百 人", NULL);
    says(LANG_ZH_CN, "2026 1207", "两千零二十六 一千二百零七", NULL);
    /* A window number with a letter: letter and digit apart. */
    says(LANG_ZH_CN, "请到A3窗口", "A 三", NULL);
}

static void test_short_numbers_are_read_as_numbers(void **state)
{
    (void)state;
    says(LANG_ZH_CN, "请取第105号", "第一百零五号", NULL);
    says(LANG_ZH_CN, "共3份", "共三份", NULL);
    says(LANG_ZH_CN, "10", "十", "一十");
    says(LANG_ZH_CN, "2026", "两千零二十六", NULL);
    says(LANG_ZH_TW, "2026", "兩千零二十六", "两");
    says(LANG_ZH_CN, "还剩12,345人", "一万两千三百四十五", NULL);
    says(LANG_ZH_CN, "3.5", "三点五", NULL);
    says(LANG_ZH_TW, "3.5", "三點五", NULL);
    says(LANG_EN, "Number 105, please.", "Number 105, please.", NULL);
    /* A leading zero is a code. */
    says(LANG_ZH_CN, "007", "零零七", NULL);
}

static void test_dates_and_times_are_read_naturally(void **state)
{
    (void)state;
    says(LANG_ZH_CN, "2026年12月7日", "二零二六年十二月七日", NULL);
    says(LANG_ZH_CN, "2026-12-07", "二零二六年十二月七日", "-");
    says(LANG_ZH_TW, "2026/12/07", "二零二六年十二月七日", NULL);
    says(LANG_ZH_CN, "12月7日", "十二月七日", NULL);
    says(LANG_EN, "2026-12-07", "December 7th, 20 26", NULL);
    says(LANG_EN, "7 Dec 2026, 12:19", "December 7th, 20 26", NULL);
    says(LANG_EN, "7 Dec 2026, 12:19", "12 19 PM", NULL);
    says(LANG_EN, "2005-01-01", "January 1st, 2 thousand 5", NULL);
    says(LANG_ZH_CN, "14:05", "十四点零五分", NULL);
    says(LANG_ZH_CN, "9:30", "九点三十分", NULL);
    says(LANG_ZH_CN, "14:00", "十四点", "分");
    says(LANG_ZH_TW, "14:05", "十四點零五分", NULL);
    says(LANG_EN, "14:05", "2 oh 5 PM", NULL);
    says(LANG_EN, "00:30", "12 30 AM", NULL);
    /* Not a date or a time: left as numbers. */
    says(LANG_ZH_CN, "2026-13-40", "二零二六", "十三月");
    says(LANG_EN, "25:99", "25", "PM");
}

static void test_amounts_are_read_as_money(void **state)
{
    (void)state;
    says(LANG_ZH_CN, "¥12.50", "十二元五角", "¥");
    says(LANG_ZH_CN, "￥12.50", "十二元五角", "￥");
    says(LANG_ZH_CN, "12.50元", "十二元五角", NULL);
    says(LANG_ZH_CN, "12.05 元", "十二元零五分", NULL);
    says(LANG_ZH_CN, "0.05元", "五分", "零元");
    says(LANG_ZH_CN, "12,345.67 元", "一万两千三百四十五元六角七分", NULL);
    says(LANG_ZH_TW, "12.50元", "十二元五角", NULL);
    says(LANG_ZH_CN, "€3.20", "三点二零欧元", "€");
    says(LANG_ZH_TW, "€3.20", "三點二零歐元", "€");
    says(LANG_EN, "¥12.50", "12 yuan 50 fen", "¥");
    says(LANG_EN, "¥12,345.67", "12345 yuan 67 fen", NULL);
    says(LANG_EN, "€3.20", "3 euros 20 cents", NULL);
    says(LANG_EN, "$1", "1 dollar", "dollars");
    says(LANG_EN, "HK$20", "20 Hong Kong dollars", NULL);
    says(LANG_EN, "Fee: 0 yuan", "0 yuan", NULL);
    says(LANG_ZH_CN, "50%", "百分之五十", "%");
    says(LANG_EN, "50%", "50 percent", "%");
    /* A debt is not heard as a balance; a dash inside a code or a date is
     * not a minus. */
    says(LANG_ZH_CN, "-1,234.56 元", "负", NULL);
    says(LANG_ZH_CN, "-1,234.56 元", "一千二百三十四元五角六分", NULL);
    says(LANG_ZH_CN, "余额 -¥12.50", "负", NULL);
    says(LANG_ZH_TW, "−12.50元", "負", NULL);
    says(LANG_ZH_CN, "1,234.56 元", "一千二百三十四元", "负");
    says(LANG_EN, "-1,234.56 元", "minus", NULL);
    says(LANG_EN, "-1,234.56 元", "1234 yuan 56 fen", NULL);
    says(LANG_ZH_CN, "010-12345678", "一二三四五六七八", "负");
    says(LANG_ZH_CN, "2026-12-07", "十二月", "负");
}

static void test_symbols_are_named(void **state)
{
    (void)state;
    says(LANG_ZH_CN, "请按#键", "请按井号键", "#");
    says(LANG_ZH_TW, "请按#键", "井號", "#");
    says(LANG_EN, "Press #", "Press  hash", "#");
    says(LANG_ZH_CN, "请按*键返回", "星号", "*");
    says(LANG_EN, "Press * to go back", "star", "*");
    says(LANG_ZH_CN, "a@b.cn", "艾特", "@");
    says(LANG_EN, "a@b.cn", "at", "@");
    says(LANG_ZH_CN, "A/B", "斜杠", "/");
    says(LANG_EN, "1+1=2", "plus", "+");
    says(LANG_EN, "1+1=2", "equals", "=");
    /* Full-width forms are the same symbols. */
    says(LANG_ZH_CN, "请按＃键", "井号", "＃");
    says(LANG_ZH_CN, "１２３４５６", "一二三四五六", "１");
}

static void test_masked_digits_are_said_once(void **state)
{
    (void)state;
    const char *got = prepared(LANG_ZH_CN, "1101**********1234");
    assert_non_null(strstr(got, "一一零一"));
    assert_non_null(strstr(got, "一二三四"));
    /* 星号 once, not ten times, and no star left for the voice. */
    const char *first = strstr(got, "星号");
    assert_non_null(first);
    assert_null(strstr(first + 1, "星号"));
    assert_null(strchr(got, '*'));
    says(LANG_ZH_TW, "1101**********1234", "星號", "*");
    says(LANG_EN, "1101**********1234", "1 1 0 1, hidden, 1 2 3 4", "*");
    says(LANG_EN, "138****5678", "1 3 8, hidden, 5 6 7 8", "star");
    says(LANG_ZH_CN, "张**", "星号", "*");
    says(LANG_ZH_CN, "110105●●●●●●●●1234", "一一零一零五，星号，一二三四", "●");
}

static void test_what_cannot_be_said_is_dropped(void **state)
{
    (void)state;
    /* Bidi override, isolates, zero-width space, BOM, controls, DEL. */
    const char *got =
        prepared(LANG_ZH_CN, "请\xe2\x80\xae取\xe2\x81\xa6走\xe2\x80\x8b回\xef\xbb\xbf执"
                             "\x01\x1b[31m\x7f");
    assert_true(strncmp(got, "请取走回执", strlen("请取走回执")) == 0);
    for (const unsigned char *c = (const unsigned char *)got; *c; c++)
        assert_true(*c >= 0x20 && *c != 0x7f);
    assert_null(strstr(got, "\xe2\x80\xae"));
    assert_null(strstr(got, "\xe2\x81\xa6"));
    assert_null(strstr(got, "\xef\xbb\xbf"));
    /* Tabs and newlines become spaces. */
    assert_string_equal(prepared(LANG_EN, "a\tb\nc"), "a b c");
    /* Invalid UTF-8: dropped, what is valid is kept; the result is UTF-8. */
    got = prepared(LANG_ZH_CN, "请\xff取\xc3\x28走\xed\xa0\x80回\xf4\x90\x80\x80执\xe4\xb8");
    assert_true(valid_utf8(got));
    assert_non_null(strstr(got, "请取"));
    assert_non_null(strstr(got, "回"));
    assert_non_null(strstr(got, "执"));
    /* Empty stays empty. */
    assert_true(speech_prepare(LANG_EN, "", out, sizeof out));
    assert_string_equal(out, "");
    assert_false(speech_prepare(LANG_EN, NULL, out, sizeof out));
    assert_false(speech_prepare(LANG_COUNT, "a", out, sizeof out));
    assert_false(speech_prepare(LANG_EN, "a", out, 0));
}

/* A terminal's escape sequence from a hostile string goes whole. */
static void test_escape_sequences_are_not_read(void **state)
{
    (void)state;
    says(LANG_ZH_CN, "市民中心\x1b[31m24 小时\x1b[0m", "市民中心", "[");
    says(LANG_EN, "red\x1b[1;31mtext", "red", "31");
    says(LANG_EN,
         "a\x1b"
         "cb",
         "ab", NULL);
    says(LANG_EN,
         "\xc2\x9b"
         "2Jclear",
         "clear", "2");
}

static void test_long_text_is_cut_whole_and_terminated(void **state)
{
    (void)state;
    size_t length = 100 * 1024;
    char *text = malloc(length + 1);
    assert_non_null(text);
    /* Chinese, digits, symbols and masks, over and over. */
    static const char pattern[] = "请将身份证110105199001011234放在#感应区¥12.50，1101****1234。";
    for (size_t i = 0; i < length; i++)
        text[i] = pattern[i % (sizeof pattern - 1)];
    /* End on a whole character. */
    size_t end = length;
    while (end > 0 && ((unsigned char)text[end] & 0xC0) == 0x80)
        end--;
    text[end] = '\0';
    char small[301];
    memset(small, 'Z', sizeof small);
    assert_false(speech_prepare(LANG_ZH_CN, text, small, 300));
    assert_int_equal(small[300], 'Z'); /* nothing written past the size */
    assert_true(strlen(small) < 300);
    assert_true(valid_utf8(small));
    size_t big_size = length * 16 + 64;
    char *big = malloc(big_size);
    assert_non_null(big);
    for (lang l = 0; l < LANG_COUNT; l++) {
        assert_true(speech_prepare(l, text, big, big_size));
        assert_true(valid_utf8(big));
        assert_null(strstr(big, "110105"));
    }
    free(big);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_id_number_is_read_digit_by_digit),
        cmocka_unit_test(test_short_numbers_are_read_as_numbers),
        cmocka_unit_test(test_dates_and_times_are_read_naturally),
        cmocka_unit_test(test_amounts_are_read_as_money),
        cmocka_unit_test(test_symbols_are_named),
        cmocka_unit_test(test_masked_digits_are_said_once),
        cmocka_unit_test(test_what_cannot_be_said_is_dropped),
        cmocka_unit_test(test_escape_sequences_are_not_read),
        cmocka_unit_test(test_long_text_is_cut_whole_and_terminated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
