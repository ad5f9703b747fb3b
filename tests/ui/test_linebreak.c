#include "../support/test_support.h"

#include "ui/linebreak.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINES_MAX 32

/* Exact widths without a font: an ASCII byte is 5 px, any other character 10 px
 * (counted by its lead byte; a stray continuation byte is 0 px). It also checks
 * that no range it is given runs past the end of the text. */
static int fake_measure(void *user, const char *utf8, size_t length)
{
    int *calls = user;
    int width = 0;
    if (calls)
        (*calls)++;
    assert_null(memchr(utf8, '\0', length));
    for (size_t i = 0; i < length; i++) {
        unsigned char byte = (unsigned char)utf8[i];
        if (byte < 0x80)
            width += 5;
        else if (byte >= 0xC0)
            width += 10;
    }
    return width;
}

/* The last copy made: freed by the next, or at the end, even after a failed
 * assertion has jumped out of the test that made it. */
static char *live_copy;

/* The text in a heap block of its exact size, so that AddressSanitizer stops a
 * read past the NUL. Valid until the next call. */
static char *exact_copy(const char *text)
{
    size_t size = strlen(text) + 1;
    free(live_copy);
    live_copy = malloc(size);
    assert_non_null(live_copy);
    memcpy(live_copy, text, size);
    return live_copy;
}

static int free_copy(void **state)
{
    (void)state;
    free(live_copy);
    live_copy = NULL;
    return 0;
}

/* The lines joined with '|', for one comparison that shows them all. */
static void join_lines(const char *text, const ui_line *lines, size_t count, char *out,
                       size_t out_size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        int written = snprintf(out + used, out_size - used, "%s%.*s", i ? "|" : "",
                               (int)lines[i].length, text + lines[i].start);
        assert_true(written >= 0 && (size_t)written < out_size - used);
        used += (size_t)written;
    }
}

/* Breaks text at width_px into at most max_lines and compares the lines with
 * want (a NULL-terminated list) and *truncated with want_truncated. */
static void check_lines_max(const char *text, int width_px, size_t max_lines, bool want_truncated,
                            const char *const *want)
{
    char *copy = exact_copy(text);
    ui_line lines[LINES_MAX];
    bool truncated = !want_truncated;
    size_t count = ui_linebreak(copy, width_px, fake_measure, NULL, lines, max_lines, &truncated);

    char got[1024], expected[1024];
    size_t want_count = 0;
    expected[0] = '\0';
    for (; want[want_count]; want_count++) {
        size_t used = strlen(expected);
        snprintf(expected + used, sizeof expected - used, "%s%s", want_count ? "|" : "",
                 want[want_count]);
    }
    join_lines(copy, lines, count, got, sizeof got);
    assert_string_equal(got, expected);
    assert_int_equal(count, want_count);
    assert_int_equal(truncated, want_truncated);
}

static void check_lines(const char *text, int width_px, const char *const *want)
{
    check_lines_max(text, width_px, LINES_MAX, false, want);
}

/* ，and 。 may not start a line: the character before comes down with them. */
static void test_closing_punctuation_pulls_down_the_character_before(void **state)
{
    (void)state;
    /* 5 characters to a line: 请您先取号 would leave ， to start the next, and
     * 口办理业务 would leave 。. */
    check_lines("请您先取号，再到窗口办理业务。", 50,
                (const char *[]){"请您先取", "号，再到窗", "口办理业", "务。", NULL});
    check_lines("請在讀卡區放置身分證，並等待提示音。", 50,
                (const char *[]){"請在讀卡區", "放置身分", "證，並等待", "提示音。", NULL});
    /* —— and …… are never split, nor separated from the text before them. */
    check_lines("他说——好的……", 30, (const char *[]){"他", "说——", "好", "的……", NULL});
    /* ASCII counterparts, in English. */
    check_lines("Hello, world!", 30, (const char *[]){"Hello,", "world!", NULL});
}

/* 「 and ( may not end a line: they move to the next with what they open. */
static void test_opening_punctuation_moves_to_the_next_line(void **state)
{
    (void)state;
    /* 请点击「 fits in 40 px, but 「 would end the line. */
    check_lines("请点击「确认」按钮", 40, (const char *[]){"请点击", "「确认」", "按钮", NULL});
    check_lines("请按(确认)键", 30, (const char *[]){"请按", "(确认)", "键", NULL});
    /* A straight quote after a space opens; after text it closes. */
    check_lines("Press \"OK\" now", 45, (const char *[]){"Press", "\"OK\" now", NULL});
    check_lines("\"Superc\"", 35, (const char *[]){"\"Super", "c\"", NULL});
    check_lines("他说\"好\"", 30, (const char *[]){"他", "说\"好\"", NULL});
    /* A currency sign stays with its amount. */
    check_lines("费用￥50元", 30, (const char *[]){"费用", "￥50元", NULL});
}

/* With one character on the line there is nothing to carry down: the
 * punctuation hangs past the width instead of starting a line. */
static void test_punctuation_hangs_after_a_single_character(void **state)
{
    (void)state;
    check_lines("是，否", 10, (const char *[]){"是，", "否", NULL});
    check_lines("（是）。", 10, (const char *[]){"（是）。", NULL});
    check_lines("a, b", 5, (const char *[]){"a,", "b", NULL});
}

/* A no-break space holds the characters on both sides together, even CJK. */
static void test_a_no_break_space_holds(void **state)
{
    (void)state;
    check_lines("一二三\u00a0四", 40, (const char *[]){"一二", "三\u00a0四", NULL});
    check_lines("Weight 5\u00a0kg", 40, (const char *[]){"Weight", "5\u00a0kg", NULL});
}

static void test_english_wraps_at_spaces(void **state)
{
    (void)state;
    const char *text = "Please  take your receipt";
    check_lines(text, 50, (const char *[]){"Please", "take your", "receipt", NULL});
    check_lines(text, 1000, (const char *[]){"Please  take your receipt", NULL});
    check_lines("  Indented  ", 1000, (const char *[]){"  Indented", NULL});

    /* The spaces at a break belong to neither line. */
    ui_line lines[4];
    size_t count = ui_linebreak(text, 50, fake_measure, NULL, lines, 4, NULL);
    assert_int_equal(count, 3);
    assert_int_equal(lines[0].start, 0);
    assert_int_equal(lines[0].length, 6);
    assert_int_equal(lines[1].start, 8);
    assert_int_equal(lines[1].length, 9);
    assert_int_equal(lines[2].start, 18);
    assert_int_equal(lines[2].length, 7);
}

static void test_chinese_and_english_break_beside_each_other(void **state)
{
    (void)state;
    check_lines("扫描QR码", 30, (const char *[]){"扫描QR", "码", NULL});
    check_lines("扫描QR码", 20, (const char *[]){"扫描", "QR码", NULL});
    check_lines("请插入ID card后按确认", 60, (const char *[]){"请插入ID", "card后按确认", NULL});
    check_lines("请插入ID card后按确认", 25,
                (const char *[]){"请插", "入ID", "card", "后按", "确认", NULL});
}

static void test_a_newline_forces_a_break(void **state)
{
    (void)state;
    check_lines("第一行\n第二行", 1000, (const char *[]){"第一行", "第二行", NULL});
    /* Spaces before it are dropped; an empty line stays; a final one adds none. */
    check_lines("上  \n\n下\n", 1000, (const char *[]){"上", "", "下", NULL});
    check_lines("Windows\r\nline", 1000, (const char *[]){"Windows", "line", NULL});
    /* Indentation after a newline is the writer's: kept. */
    check_lines("a\n  b", 1000, (const char *[]){"a", "  b", NULL});
    check_lines("\n", 1000, (const char *[]){"", NULL});
}

/* Only a word wider than the whole line is cut, and never inside a character
 * with its combining mark. */
static void test_a_word_wider_than_the_line_is_cut_by_characters(void **state)
{
    (void)state;
    check_lines("A Supercalifragilistic", 40,
                (const char *[]){"A", "Supercal", "ifragili", "stic", NULL});
    check_lines("ab\xcc\x81", 5, (const char *[]){"a", "b\xcc\x81", NULL});
    /* A cut does not put a comma first either. */
    check_lines("abcdef,", 30, (const char *[]){"abcde", "f,", NULL});
    /* A character wider than the line has a line of its own. */
    check_lines("中文", 5, (const char *[]){"中", "文", NULL});
    check_lines("中文", 0, (const char *[]){"中", "文", NULL});
    /* A flag is two code points, a family three joined by ZWJ: one character each. */
    check_lines("🇨🇳🇭🇰", 10, (const char *[]){"🇨🇳", "🇭🇰", NULL});
    check_lines("👨\u200d👩\u200d👧中", 10, (const char *[]){"👨\u200d👩\u200d👧", "中", NULL});
}

static void test_digit_runs_stay_whole(void **state)
{
    (void)state;
    check_lines("身份证号110105********1234", 100,
                (const char *[]){"身份证号", "110105********1234", NULL});
    check_lines("2026年11月22日", 40, (const char *[]){"2026年11", "月22日", NULL});
    check_lines("共 1234567 元", 40, (const char *[]){"共", "1234567", "元", NULL});
    /* Alone wider than the line, a run is cut as any word is. */
    check_lines("110105********1234", 50, (const char *[]){"110105****", "****1234", NULL});
}

static void test_max_lines_truncates(void **state)
{
    (void)state;
    const char *text = "一二三四五六七八九十";
    check_lines_max(text, 30, 2, true, (const char *[]){"一二三", "四五六", NULL});
    check_lines_max(text, 30, 4, false, (const char *[]){"一二三", "四五六", "七八九", "十", NULL});
    check_lines_max(text, 30, 0, true, (const char *[]){NULL});
    check_lines_max("a\n", 1000, 1, false, (const char *[]){"a", NULL});

    ui_line lines[1];
    assert_int_equal(ui_linebreak(text, 30, fake_measure, NULL, lines, 1, NULL), 1);
    assert_int_equal(lines[0].length, strlen("一二三"));
    bool truncated = false;
    assert_int_equal(ui_linebreak(text, 30, fake_measure, NULL, NULL, 3, &truncated), 0);
    assert_true(truncated);
}

static void test_empty_text_gives_no_lines(void **state)
{
    (void)state;
    int calls = 0;
    ui_line lines[2];
    bool truncated = true;
    assert_int_equal(ui_linebreak("", 100, fake_measure, &calls, lines, 2, &truncated), 0);
    assert_false(truncated);
    assert_int_equal(calls, 0);
    truncated = true;
    assert_int_equal(ui_linebreak(NULL, 100, fake_measure, &calls, lines, 2, &truncated), 0);
    assert_false(truncated);
    /* No way to measure: nothing is laid out, and the caller is told. */
    assert_int_equal(ui_linebreak("文字", 100, NULL, NULL, lines, 2, &truncated), 0);
    assert_true(truncated);
}

/* The measure function gets the user pointer, and each character once per
 * candidate line: a prefix of the line, not the whole text each time. */
static void test_measure_sees_only_candidate_lines(void **state)
{
    (void)state;
    int calls = 0;
    ui_line lines[4];
    size_t count = ui_linebreak("一二三四五六", 30, fake_measure, &calls, lines, 4, NULL);
    assert_int_equal(count, 2);
    /* 二 三 四 on the first line, 五 六 on the second; a first character is free. */
    assert_int_equal(calls, 5);
}

static void test_invalid_utf8_is_one_character_per_byte(void **state)
{
    (void)state;
    /* \xff and \xfe are never valid; \xe4\xb8 is a cut 中 at the very end. */
    check_lines("ab\xff\xfe \xe4\xb8\xad\xe4\xb8", 30,
                (const char *[]){"ab\xff\xfe", "\xe4\xb8\xad\xe4\xb8", NULL});
    /* An overlong '/', a surrogate, a stray continuation byte. */
    check_lines("\xc0\xaf \xed\xa0\x80 \x80", 10,
                (const char *[]){"\xc0\xaf", "\xed\xa0\x80", "\x80", NULL});
}

/* A generator that repeats: the same cases on every run and machine. */
static uint32_t next_random(uint32_t *seed)
{
    *seed ^= *seed << 13;
    *seed ^= *seed >> 17;
    *seed ^= *seed << 5;
    return *seed;
}

static bool only_spaces(const char *from, const char *to, int *newlines)
{
    for (const char *p = from; p < to; p++) {
        if (*p == '\n')
            (*newlines)++;
        else if (*p != ' ' && *p != '\r' && *p != '\t')
            return false;
    }
    return true;
}

static bool starts_with(const char *text, size_t length, const char *prefix)
{
    size_t prefix_length = strlen(prefix);
    return length >= prefix_length && memcmp(text, prefix, prefix_length) == 0;
}

static bool ends_with(const char *text, size_t length, const char *suffix)
{
    size_t suffix_length = strlen(suffix);
    return length >= suffix_length &&
           memcmp(text + length - suffix_length, suffix, suffix_length) == 0;
}

/* Random mixes of text, punctuation, marks and broken bytes at every width:
 * no crash, no read past the NUL (ASan), and lines that keep the rules: in
 * order, separated only by spaces and newlines, and never a soft break before
 * closing or after opening punctuation. */
static void test_random_text_keeps_the_rules(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "a",
        "Word",
        "1",
        "2026",
        " ",
        " ",
        "\n",
        "中",
        "文",
        "，",
        "。",
        "「",
        "」",
        "(",
        ")",
        "\"",
        "'",
        "\r",
        "…",
        "\xff",
        "\x80",
        "\xe4\xb8",
        "\xcc\x81",
        "\xf0\x9f\x87\xa8",
        "\t",
        "%",
        "￥",
        "、",
        "👨\u200d👩\u200d👧",
    };
    uint32_t seed = 20261122;
    for (int round = 0; round < 400; round++) {
        char text[256] = "";
        size_t used = 0;
        int pieces_count = (int)(next_random(&seed) % 40);
        for (int i = 0; i < pieces_count; i++) {
            const char *piece = pieces[next_random(&seed) % (sizeof pieces / sizeof pieces[0])];
            size_t length = strlen(piece);
            if (used + length >= sizeof text)
                break;
            memcpy(text + used, piece, length + 1);
            used += length;
        }
        char *copy = exact_copy(text);
        size_t text_length = strlen(copy);
        for (int width = 0; width <= 120; width += 5) {
            ui_line lines[LINES_MAX];
            bool truncated = false;
            size_t count =
                ui_linebreak(copy, width, fake_measure, NULL, lines, LINES_MAX, &truncated);
            assert_true(count <= LINES_MAX);
            assert_int_equal(count == 0, text_length == 0);
            size_t previous_end = 0;
            for (size_t i = 0; i < count; i++) {
                const char *line = copy + lines[i].start;
                size_t length = lines[i].length;
                int newlines = 0;
                assert_true(lines[i].start >= previous_end);
                assert_true(lines[i].start + length <= text_length);
                assert_true(only_spaces(copy + previous_end, line, &newlines));
                assert_true(newlines <= 1);
                if (i > 0 && newlines == 0) {
                    /* A soft break: spaces only, and the punctuation rules held. */
                    const char *before = copy + lines[i - 1].start;
                    size_t before_length = lines[i - 1].length;
                    assert_false(starts_with(line, length, "，") ||
                                 starts_with(line, length, "。") ||
                                 starts_with(line, length, "」") || starts_with(line, length, ")"));
                    assert_false(ends_with(before, before_length, "「") ||
                                 ends_with(before, before_length, "("));
                }
                previous_end = lines[i].start + length;
            }
            if (!truncated) {
                int newlines = 0;
                assert_true(only_spaces(copy + previous_end, copy + text_length, &newlines));
            }
        }
    }
}

static void check_title(const char *text, int width_px, const char *const *want)
{
    char *copy = exact_copy(text);
    ui_line lines[LINES_MAX];
    bool truncated = true;
    size_t count =
        ui_linebreak_title(copy, width_px, fake_measure, NULL, lines, LINES_MAX, &truncated);
    char got[1024], expected[1024] = "";
    for (size_t i = 0; want[i]; i++) {
        size_t used = strlen(expected);
        snprintf(expected + used, sizeof expected - used, "%s%s", i ? "|" : "", want[i]);
    }
    join_lines(copy, lines, count, got, sizeof got);
    assert_string_equal(got, expected);
    assert_false(truncated);
}

/* A title never ends with one character alone: the line before gives one
 * up, where the rules allow, and the last line still fits. */
static void test_a_title_never_ends_with_one_character(void **state)
{
    (void)state;
    /* 7 characters to a line: ui_linebreak leaves 印 alone. */
    check_lines("社保参保证明打印", 70, (const char *[]){"社保参保证明打", "印", NULL});
    check_title("社保参保证明打印", 70, (const char *[]){"社保参保证明", "打印", NULL});
    check_title("营业执照", 30, (const char *[]){"营业", "执照", NULL});
    /* Punctuation does not count: 打|印。 is one character alone. */
    check_title("请取走凭条打印。", 70, (const char *[]){"请取走凭条", "打印。", NULL});
    /* Nor does a line before end with an opening bracket to do it. */
    check_title("证明（个人）打印", 70, (const char *[]){"证明（个人）", "打印", NULL});
    /* Two on the last line already: unchanged; one line: unchanged. */
    check_title("新生儿出生一件事", 60, (const char *[]){"新生儿出生一", "件事", NULL});
    check_title("预约取号", 100, (const char *[]){"预约取号", NULL});
    /* English: a one-letter word does not stand alone either. */
    check_title("Take a receipt a", 70, (const char *[]){"Take a", "receipt a", NULL});
    check_title("Business Licence", 60, (const char *[]){"Business", "Licence", NULL});
    /* No room for two on a line: left as it is (the caller shrinks it). */
    check_title("执照", 10, (const char *[]){"执", "照", NULL});
    /* A newline is the writer's break. */
    check_title("第一行\n二", 100, (const char *[]){"第一行", "二", NULL});
}

/* Random titles at every width: the last line is never one character when a
 * place to avoid it exists, and the lines keep their order and width. */
static void test_random_titles_keep_two_on_the_last_line(void **state)
{
    (void)state;
    static const char *const pieces[] = {"中", "文", "证", "明", "，", "。", "（", "）", "ab", " "};
    uint32_t seed = 20261207;
    for (int round = 0; round < 300; round++) {
        char text[128] = "";
        size_t used = 0;
        int n = 2 + (int)(next_random(&seed) % 14);
        for (int i = 0; i < n; i++) {
            const char *piece = pieces[next_random(&seed) % (sizeof pieces / sizeof pieces[0])];
            size_t length = strlen(piece);
            if (used + length >= sizeof text)
                break;
            memcpy(text + used, piece, length + 1);
            used += length;
        }
        char *copy = exact_copy(text);
        for (int width = 20; width <= 120; width += 10) {
            ui_line plain[LINES_MAX], title[LINES_MAX];
            size_t a = ui_linebreak(copy, width, fake_measure, NULL, plain, LINES_MAX, NULL);
            size_t b = ui_linebreak_title(copy, width, fake_measure, NULL, title, LINES_MAX, NULL);
            assert_int_equal(a, b);
            for (size_t i = 0; i < b; i++) {
                /* Each line fits (or is one character wider than the line, as plain ones). */
                if (title[i].length != plain[i].length || title[i].start != plain[i].start)
                    assert_true(fake_measure(NULL, copy + title[i].start, title[i].length) <=
                                width);
                if (i > 0)
                    assert_true(title[i].start >= title[i - 1].start + title[i - 1].length);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_closing_punctuation_pulls_down_the_character_before),
        cmocka_unit_test(test_opening_punctuation_moves_to_the_next_line),
        cmocka_unit_test(test_punctuation_hangs_after_a_single_character),
        cmocka_unit_test(test_a_no_break_space_holds),
        cmocka_unit_test(test_english_wraps_at_spaces),
        cmocka_unit_test(test_chinese_and_english_break_beside_each_other),
        cmocka_unit_test(test_a_newline_forces_a_break),
        cmocka_unit_test(test_a_word_wider_than_the_line_is_cut_by_characters),
        cmocka_unit_test(test_digit_runs_stay_whole),
        cmocka_unit_test(test_max_lines_truncates),
        cmocka_unit_test(test_empty_text_gives_no_lines),
        cmocka_unit_test(test_measure_sees_only_candidate_lines),
        cmocka_unit_test(test_invalid_utf8_is_one_character_per_byte),
        cmocka_unit_test(test_random_text_keeps_the_rules),
        cmocka_unit_test(test_a_title_never_ends_with_one_character),
        cmocka_unit_test(test_random_titles_keep_two_on_the_last_line),
    };
    return cmocka_run_group_tests(tests, NULL, free_copy);
}
