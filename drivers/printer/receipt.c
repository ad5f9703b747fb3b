/* The receipt document model. See receipt.h. */
#include "drivers/printer/receipt.h"

#include <stdio.h>
#include <string.h>

int receipt_width_dots(int paper_mm)
{
    return paper_mm >= 80 ? 576 : 384;
}

void receipt_init(receipt *r, int paper_mm)
{
    memset(r, 0, sizeof *r);
    r->paper_mm = paper_mm >= 80 ? 80 : 58;
}

static receipt_item *add(receipt *r, receipt_item_kind kind)
{
    if (r->count >= RECEIPT_ITEMS_MAX) {
        r->overflow = true;
        return NULL;
    }
    receipt_item *item = &r->items[r->count++];
    memset(item, 0, sizeof *item);
    item->kind = kind;
    item->scale = 1;
    return item;
}

static bool copy_text(receipt *r, receipt_item *item, const char *text)
{
    int n = snprintf(item->text, sizeof item->text, "%s", text ? text : "");
    if (n < 0 || (size_t)n >= sizeof item->text) {
        r->overflow = true;
        r->count--;
        return false;
    }
    return true;
}

void receipt_text(receipt *r, receipt_align align, int scale, bool bold, const char *text)
{
    receipt_item *item = add(r, RECEIPT_TEXT);
    if (!item || !copy_text(r, item, text))
        return;
    item->align = align;
    item->scale = scale >= 2 ? 2 : 1;
    item->bold = bold;
}

void receipt_paragraph(receipt *r, receipt_align align, int scale, bool bold, const char *text)
{
    size_t length = text ? strlen(text) : 0, at = 0;
    int columns = receipt_columns(r->paper_mm) / (scale >= 2 ? 2 : 1);
    while (at < length) {
        size_t line = receipt_line_break(text + at, length - at, columns);
        char piece[RECEIPT_TEXT_MAX];
        /* A line is at most 48 columns: 4 bytes a column at the very most. */
        snprintf(piece, sizeof piece, "%.*s", (int)line, text + at);
        receipt_text(r, align, scale, bold, piece);
        at += line;
        while (at < length && (text[at] == '\n' || text[at] == ' '))
            at++;
    }
}

void receipt_qr(receipt *r, receipt_align align, int module, const char *data)
{
    receipt_item *item = add(r, RECEIPT_QR);
    if (!item || !copy_text(r, item, data))
        return;
    item->align = align;
    item->module = module < 2 ? 2 : module > 8 ? 8 : module;
}

void receipt_image_add(receipt *r, receipt_align align, receipt_image image)
{
    receipt_item *item = add(r, RECEIPT_IMAGE);
    if (!item)
        return;
    item->align = align;
    item->image = image;
}

void receipt_rule(receipt *r)
{
    add(r, RECEIPT_RULE);
}

void receipt_feed(receipt *r, int lines)
{
    receipt_item *item = add(r, RECEIPT_FEED);
    if (item)
        item->lines = lines < 1 ? 1 : lines > 10 ? 10 : lines;
}

void receipt_cut(receipt *r)
{
    add(r, RECEIPT_CUT);
}

bool receipt_ok(const receipt *r)
{
    return !r->overflow;
}

int receipt_columns(int paper_mm)
{
    return receipt_width_dots(paper_mm) / 12;
}

int receipt_char_columns(const char *utf8, size_t length, size_t *bytes)
{
    const unsigned char *u = (const unsigned char *)utf8;
    *bytes = 1;
    if (length == 0 || u[0] < 0x80)
        return 1;
    size_t need = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC0 ? 2 : 0;
    if (need == 0 || need > length)
        return 1;
    for (size_t i = 1; i < need; i++)
        if ((u[i] & 0xC0) != 0x80)
            return 1;
    *bytes = need;
    unsigned cp = need == 2   ? (u[0] & 0x1Fu) << 6 | (u[1] & 0x3Fu)
                  : need == 3 ? (u[0] & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu)
                              : (u[0] & 0x07u) << 18 | (u[1] & 0x3Fu) << 12 | (u[2] & 0x3Fu) << 6 |
                                    (u[3] & 0x3Fu);
    /* Half-width katakana and forms print in the narrow font. */
    return cp >= 0xFF61 && cp <= 0xFFDC ? 1 : 2;
}

/* Chinese typesetting (避头尾): these never begin a line... */
static bool closing_mark(const char *text, size_t bytes)
{
    static const char *const marks[] = {"，", "。", "、", "；", "：", "？", "！",
                                        "）", "」", "』", "》", "”",  "’",  "…",
                                        ",",  ".",  ";",  ":",  "?",  "!",  ")"};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (strlen(marks[i]) == bytes && memcmp(text, marks[i], bytes) == 0)
            return true;
    return false;
}

/* ...and these never end one. */
static bool opening_mark(const char *text, size_t bytes)
{
    static const char *const marks[] = {"（", "「", "『", "《", "“", "‘", "("};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (strlen(marks[i]) == bytes && memcmp(text, marks[i], bytes) == 0)
            return true;
    return false;
}

/* The start of the character before at (text[0..at) is whole UTF-8). */
static size_t previous_char(const char *text, size_t at)
{
    size_t start = at - 1;
    while (start > 0 && ((unsigned char)text[start] & 0xC0) == 0x80)
        start--;
    return start;
}

size_t receipt_line_break(const char *text, size_t length, int columns)
{
    size_t at = 0, last_space = 0;
    int used = 0;
    while (at < length) {
        if (text[at] == '\n')
            return at;
        size_t bytes = 1;
        int width = receipt_char_columns(text + at, length - at, &bytes);
        if (used + width > columns && at > 0) {
            if (last_space > 0)
                return last_space;
            /* A closing mark may not begin the next line: the character
             * before it goes down with it. An opening mark may not end
             * this one: it goes down too. Never to an empty line. */
            size_t cut = at;
            size_t before = previous_char(text, cut);
            if (closing_mark(text + at, bytes) && before > 0)
                cut = before;
            size_t last = previous_char(text, cut);
            if (last > 0 && opening_mark(text + last, cut - last))
                cut = last;
            return cut;
        }
        if (text[at] == ' ')
            last_space = at + 1;
        used += width;
        at += bytes;
    }
    return at;
}
