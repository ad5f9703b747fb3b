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
