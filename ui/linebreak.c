#include "ui/linebreak.h"

#include <stdint.h>

/* What decoding yields for a byte that does not start a valid sequence: outside
 * Unicode, so it matches no table below and reads as a narrow letter. */
#define LB_INVALID 0x110000u

#define LB_COUNT(array) (sizeof(array) / sizeof((array)[0]))

typedef enum lb_kind {
    LB_END,     /* the NUL */
    LB_NEWLINE, /* '\n': a forced break */
    LB_SPACE,   /* dropped at a break */
    LB_NARROW,  /* Latin letters, digits, symbols: no break between two of them */
    LB_IDEO,    /* CJK characters and punctuation: a break on either side */
} lb_kind;

/* One character as the rules see it: a code point and the marks that join it. */
typedef struct lb_char {
    size_t end; /* byte offset just past it */
    lb_kind kind;
    bool no_start; /* may not begin a line when it follows text */
    bool no_end;   /* may not end a line */
    bool glue;     /* a straight quote: no break right after it either */
} lb_char;

/* Where reading stands. A straight quote closes when it follows text and opens
 * otherwise, so the reader remembers what came just before. */
typedef struct lb_cursor {
    size_t pos;
    bool after_text;
} lb_cursor;

typedef struct lb_range {
    uint32_t first, last;
} lb_range;

/* Broken by the rules on both sides, as a CJK character is. The quotes, dashes
 * and ellipsis of General Punctuation are full width in Chinese text. */
static const lb_range ideographic[] = {
    {0x1100, 0x115F}, {0x2014, 0x2015}, {0x2018, 0x2019}, {0x201C, 0x201D},   {0x2025, 0x2026},
    {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},
    {0xFF00, 0xFF60}, {0xFF61, 0xFF9F}, {0xFFE0, 0xFFE6}, {0x1F000, 0x1FAFF}, {0x20000, 0x3FFFD},
};

/* Marks that belong to the character before them: a break never separates them. */
static const lb_range extenders[] = {
    {0x0300, 0x036F},   {0x1AB0, 0x1AFF},   {0x1DC0, 0x1DFF},   {0x200C, 0x200C},
    {0x20D0, 0x20FF},   {0x3099, 0x309A},   {0xFE00, 0xFE0F},   {0xFE20, 0xFE2F},
    {0x1F3FB, 0x1F3FF}, {0xE0020, 0xE007F}, {0xE0100, 0xE01EF},
};

/* The character lists below are UTF-8 text, to be read and checked at a glance. */

/* Closing punctuation and small marks: never at the start of a line. */
static const char no_start_chars[] =
    ",.:;!?)]}%·"
    "，。、．：；！？）」』】〕〉》”’…‥・—～％"
    "］｝〗〙〛〜〞〟｠｡｣､･﹐﹑﹒﹔﹕﹖﹗﹚﹜﹞―‰℃"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶーゝゞヽヾ々〻";

/* Opening punctuation, and currency signs that belong to the amount after them:
 * never at the end of a line. */
static const char no_end_chars[] = "([{¥“‘（「『【〔〈《〖〘〚〝［｛｟｢﹙﹛﹝￥￡￦";

/* No-break spaces and joiners: the writer asked for no break on either side. */
static const char glue_chars[] = "\u00A0\u2007\u202F\u2060\uFEFF";

static bool lb_in_ranges(uint32_t cp, const lb_range *ranges, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (cp >= ranges[i].first && cp <= ranges[i].last)
            return true;
    return false;
}

static bool lb_is_regional(uint32_t cp)
{
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

/* Decodes one code point at s. Reads a continuation byte only after checking
 * the one before it, and NUL is never one, so decoding stops at the NUL. An
 * overlong form, a surrogate or a cut sequence is one invalid byte. */
static uint32_t lb_decode(const unsigned char *s, size_t *length)
{
    static const uint32_t smallest[] = {0, 0x80, 0x800, 0x10000};
    unsigned char lead = s[0];
    *length = 1;
    if (lead < 0x80)
        return lead;
    size_t need = lead >= 0xF5 ? 0 : lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC2 ? 1 : 0;
    if (need == 0)
        return LB_INVALID;
    uint32_t cp = lead & (0x3Fu >> need);
    for (size_t i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return LB_INVALID;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if (cp < smallest[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return LB_INVALID;
    *length = need + 1;
    return cp;
}

/* Whether cp is one of the characters of list (UTF-8). */
static bool lb_in_text(uint32_t cp, const char *list)
{
    const unsigned char *s = (const unsigned char *)list;
    while (*s) {
        size_t length;
        if (lb_decode(s, &length) == cp)
            return true;
        s += length;
    }
    return false;
}

/* Where the character whose first code point (first) ends at end really ends:
 * combining marks, variation selectors, skin tones, a ZWJ and what it joins,
 * and the second of a pair of regional indicators (a flag) stay with it. */
static size_t lb_extend(const unsigned char *s, size_t end, uint32_t first)
{
    uint32_t prev = first;
    bool flag_open = lb_is_regional(first);
    while (s[end]) {
        size_t length;
        uint32_t cp = lb_decode(s + end, &length);
        bool joins = lb_in_ranges(cp, extenders, LB_COUNT(extenders)) || cp == 0x200D ||
                     (prev == 0x200D && cp > ' ' && cp != LB_INVALID);
        if (flag_open && lb_is_regional(cp)) {
            joins = true;
            flag_open = false;
        }
        if (!joins)
            break;
        end += length;
        prev = cp;
    }
    return end;
}

/* Reads the character at the cursor and moves past it. */
static lb_char lb_next(const char *text, lb_cursor *cursor)
{
    const unsigned char *s = (const unsigned char *)text;
    lb_char c = {.end = cursor->pos, .kind = LB_END};
    if (!s[cursor->pos])
        return c;
    size_t length;
    uint32_t cp = lb_decode(s + cursor->pos, &length);
    c.end = cursor->pos + length;
    if (cp == '\n') {
        c.kind = LB_NEWLINE;
    } else if (cp == ' ' || cp == '\t' || cp == '\r' || cp == 0x200B) {
        /* '\r' of a "\r\n" and a zero-width space are spaces: invisible at a break. */
        c.kind = LB_SPACE;
    } else {
        c.kind = lb_in_ranges(cp, ideographic, LB_COUNT(ideographic)) ? LB_IDEO : LB_NARROW;
        c.no_start = lb_in_text(cp, no_start_chars);
        c.no_end = lb_in_text(cp, no_end_chars);
        if (lb_in_text(cp, glue_chars))
            c.no_start = c.no_end = true;
        if (cp == '"' || cp == '\'') {
            /* A straight quote does not say whether it opens or closes: after
             * text it closes, elsewhere it opens. Either way it sticks to the
             * text on both sides, as 说"好" must not end a line after the quote. */
            c.glue = true;
            c.no_start = cursor->after_text;
            c.no_end = !cursor->after_text;
        }
        c.end = lb_extend(s, c.end, cp);
    }
    cursor->after_text = (c.kind == LB_NARROW || c.kind == LB_IDEO) && !c.no_end;
    cursor->pos = c.end;
    return c;
}

typedef struct lb_layout {
    const char *text;
    int width_px;
    ui_linebreak_measure_fn measure;
    void *user;
} lb_layout;

static bool lb_too_wide(const lb_layout *layout, size_t start, size_t end)
{
    return layout->measure(layout->user, layout->text + start, end - start) > layout->width_px;
}

/* A place a line could end: where its text ends, and where the next begins. */
typedef struct lb_break {
    bool found;
    size_t end;
    lb_cursor next;
} lb_break;

/* Lays out the line that starts at *cursor into *line and moves *cursor to the
 * start of the next. Greedy: characters are added while the line fits; on the
 * first that does not, the line ends at the last break the rules allow between
 * words (spaces, CJK). With none, a word alone wider than the line is cut at
 * the last place between characters where no punctuation rule forbids it. With
 * none of those either (one character, then closing punctuation), the line
 * overflows up to the next place allowed: punctuation hangs rather than start
 * a line. Every line takes at least one character, so layout always ends. */
static void lb_fit_line(const lb_layout *layout, lb_cursor *cursor, ui_line *line)
{
    size_t start = cursor->pos;
    size_t content_end = start; /* past the last character that is not a space */
    lb_char last = {0};
    bool have_content = false, spaces = false, overflow = false;
    lb_break word_break = {0}, char_break = {0};

    line->start = start;
    for (;;) {
        lb_cursor before = *cursor;
        lb_char c = lb_next(layout->text, cursor);
        if (c.kind == LB_END || c.kind == LB_NEWLINE)
            break;
        if (c.kind == LB_SPACE) {
            spaces = true;
            continue;
        }
        if (have_content) {
            bool allowed = !c.no_start && !last.no_end;
            bool between_words =
                allowed && (spaces || (!last.glue && (c.kind == LB_IDEO || last.kind == LB_IDEO)));
            if (overflow && allowed) {
                *cursor = before;
                break;
            }
            if (between_words)
                word_break = (lb_break){true, content_end, before};
            if (allowed)
                char_break = (lb_break){true, content_end, before};
            /* The first character is never measured: it has the line even when wider. */
            if (!overflow && lb_too_wide(layout, start, c.end)) {
                lb_break *use = word_break.found ? &word_break : &char_break;
                if (use->found) {
                    line->length = use->end - start;
                    *cursor = use->next;
                    return;
                }
                overflow = true;
            }
        }
        spaces = false;
        have_content = true;
        last = c;
        content_end = c.end;
    }
    line->length = content_end - start;
}

size_t ui_linebreak(const char *utf8, int width_px, ui_linebreak_measure_fn measure, void *user,
                    ui_line *lines, size_t max_lines, bool *truncated)
{
    lb_layout layout = {utf8, width_px, measure, user};
    lb_cursor cursor = {0, false};
    size_t count = 0;
    bool cut = false;

    if (!lines)
        max_lines = 0;
    if (utf8 && !measure) {
        cut = utf8[0] != '\0';
        utf8 = NULL;
    }
    while (utf8 && utf8[cursor.pos]) {
        if (count == max_lines) {
            cut = true;
            break;
        }
        lb_fit_line(&layout, &cursor, &lines[count]);
        count++;
    }
    if (truncated)
        *truncated = cut;
    return count;
}

/* The characters of utf8[start, end) that are not spaces or punctuation the
 * rules keep with a neighbour: what a reader counts as "one character alone". */
static size_t lb_letters(const char *text, size_t start, size_t end)
{
    lb_cursor cursor = {start, false};
    size_t letters = 0;
    while (cursor.pos < end) {
        lb_char c = lb_next(text, &cursor);
        if (c.kind == LB_END)
            break;
        letters += (c.kind == LB_NARROW || c.kind == LB_IDEO) && !c.no_start && !c.no_end;
    }
    return letters;
}

bool ui_linebreak_orphaned(const char *utf8, const ui_line *lines, size_t count)
{
    if (!utf8 || !lines || count < 2)
        return false;
    const ui_line *last = &lines[count - 1];
    return lb_letters(utf8, last->start, last->start + last->length) < 2;
}

/* Whether the text between two lines holds a '\n': a break the writer made. */
static bool lb_forced(const char *text, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        if (text[i] == '\n')
            return true;
    }
    return false;
}

size_t ui_linebreak_title(const char *utf8, int width_px, ui_linebreak_measure_fn measure,
                          void *user, ui_line *lines, size_t max_lines, bool *truncated)
{
    bool cut = false;
    size_t count = ui_linebreak(utf8, width_px, measure, user, lines, max_lines, &cut);
    if (truncated)
        *truncated = cut;
    if (cut || !ui_linebreak_orphaned(utf8, lines, count))
        return count;
    ui_line *before = &lines[count - 2], *last = &lines[count - 1];
    size_t before_end = before->start + before->length, last_end = last->start + last->length;
    if (lb_forced(utf8, before_end, last->start))
        return count;
    /* The places inside the line before where the rules allow a break
     * between words (as lb_fit_line finds them); the latest that leaves the
     * last line two characters and fitting wins. */
    lb_layout layout = {utf8, width_px, measure, user};
    lb_break found = {0};
    lb_cursor cursor = {before->start, false};
    lb_char previous = {0};
    size_t content_end = before->start;
    bool have_content = false, spaces = false;
    while (cursor.pos < before_end) {
        lb_cursor at = cursor;
        lb_char c = lb_next(utf8, &cursor);
        if (c.kind == LB_END || c.kind == LB_NEWLINE)
            break;
        if (c.kind == LB_SPACE) {
            spaces = true;
            continue;
        }
        if (have_content) {
            bool allowed = !c.no_start && !previous.no_end;
            bool between_words =
                allowed &&
                (spaces || (!previous.glue && (c.kind == LB_IDEO || previous.kind == LB_IDEO)));
            if (between_words && lb_letters(utf8, at.pos, last_end) >= 2 &&
                !lb_too_wide(&layout, at.pos, last_end))
                found = (lb_break){true, content_end, at};
        }
        spaces = false;
        have_content = true;
        previous = c;
        content_end = c.end;
    }
    if (found.found) {
        before->length = found.end - before->start;
        last->start = found.next.pos;
        last->length = last_end - last->start;
    }
    return count;
}
