/* Fuzzes what a printer sends back and what the simulated printer reads:
 *   - the status parser: any four bytes are refused or parse to a status
 *     that builds back to bytes that parse the same, and every status
 *     means one known condition;
 *   - the ESC/POS scanner: the same commands whether the bytes come whole
 *     or in reads of 1 to 16 bytes, never reading past what it was given;
 *   - the decoder: no crash on any stream, and every item it reads stays
 *     inside the receipt and the bytes;
 *   - text: any text rendered and read back is the same characters (lines
 *     wrapped or broken aside) when nothing needed a stand-in. */
#include "drivers/printer/escpos.h"
#include "drivers/printer/escpos_status.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool condition)
{
    if (!condition)
        abort();
}

static void fuzz_status(const uint8_t *data, size_t size)
{
    if (size < 4)
        return;
    escpos_status status;
    if (escpos_status_parse(data, &status) != KIOSK_OK) {
        bool all_fixed = true;
        for (int i = 0; i < 4; i++)
            all_fixed &= escpos_status_byte(data[i]);
        check(!all_fixed);
        return;
    }
    uint8_t rebuilt[4];
    escpos_status_build(&status, rebuilt);
    escpos_status again;
    check(escpos_status_parse(rebuilt, &again) == KIOSK_OK);
    check(memcmp(&status, &again, sizeof status) == 0);
    static const char *const reasons[] = {"ready",      "paper-low",    "paper-out",
                                          "cover-open", "cutter-error", "printer-fault",
                                          "recovering", "feeding",      "offline"};
    escpos_condition c = escpos_status_condition(&status);
    bool known = false;
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        known |= strcmp(c.reason, reasons[i]) == 0;
    check(known);
    check(!c.can_print || c.state == DEVICE_ONLINE);
    check(c.supply == DEVICE_SUPPLY_OUT || c.supply == DEVICE_SUPPLY_LOW ||
          c.supply == DEVICE_SUPPLY_OK);
    bool near_end, out, near_end_again, out_again;
    escpos_paper_parse(data[0], &near_end, &out);
    escpos_paper_parse(escpos_paper_build(near_end, out), &near_end_again, &out_again);
    check(near_end == near_end_again && out == out_again);
    check(escpos_paper_byte(escpos_paper_build(near_end, out)));
}

/* Non-text commands and text bytes, as a whole scan and a scan in reads
 * must both see them. */
typedef struct tally {
    size_t commands, text_bytes;
    unsigned long digest;
} tally;

static void count(tally *t, const escpos_command *c)
{
    if (c->kind == ESCPOS_TEXT) {
        t->text_bytes += c->length;
        return;
    }
    t->commands++;
    t->digest = t->digest * 31 + (unsigned long)c->kind * 7 + c->length;
}

static void fuzz_scan(const uint8_t *data, size_t size)
{
    tally whole = {0}, pieces = {0};
    size_t at = 0;
    escpos_command c;
    while (at < size && escpos_scan(data + at, size - at, &c)) {
        check(c.length >= 1 && c.length <= size - at);
        if (c.data)
            check(c.data >= data + at && c.data + c.data_length <= data + at + c.length);
        count(&whole, &c);
        at += c.length;
    }
    /* As the simulated printer takes them: kept until whole. */
    uint8_t *buffer = malloc(size ? size : 1);
    check(buffer != NULL);
    size_t kept = 0, fed = 0;
    while (fed < size) {
        size_t read = 1 + data[fed] % 16;
        if (read > size - fed)
            read = size - fed;
        memcpy(buffer + kept, data + fed, read);
        kept += read;
        fed += read;
        size_t used = 0;
        while (used < kept && escpos_scan(buffer + used, kept - used, &c)) {
            count(&pieces, &c);
            used += c.length;
        }
        memmove(buffer, buffer + used, kept - used);
        kept -= used;
    }
    free(buffer);
    check(whole.commands == pieces.commands && whole.digest == pieces.digest);
    check(whole.text_bytes == pieces.text_bytes);
}

static void fuzz_decode(const uint8_t *data, size_t size)
{
    static const escpos_model models[] = {{.paper_mm = 58}, {.paper_mm = 80, .native_qr = true}};
    const escpos_model *model = &models[size % 2];
    static receipt r;
    escpos_decode_info info;
    check(escpos_decode(data, size, model, &r, &info) == KIOSK_OK);
    check(r.count <= RECEIPT_ITEMS_MAX);
    for (size_t i = 0; i < r.count; i++) {
        const receipt_item *item = &r.items[i];
        check(memchr(item->text, '\0', sizeof item->text) != NULL);
        if (item->kind == RECEIPT_IMAGE) {
            size_t bytes = (size_t)item->image.width / 8 * (size_t)item->image.height;
            check(item->image.bits >= data && item->image.bits + bytes <= data + size);
        }
    }
}

/* Removes newlines: a newline where the line would wrap anyway reads back
 * as a wrap. */
static size_t without_newlines(const char *text, char *out)
{
    size_t n = 0;
    for (; *text; text++)
        if (*text != '\n')
            out[n++] = *text;
    out[n] = '\0';
    return n;
}

static void fuzz_text(const uint8_t *data, size_t size)
{
    static const escpos_model model = {.paper_mm = 58};
    char text[RECEIPT_TEXT_MAX];
    size_t length = size < sizeof text - 1 ? size : sizeof text - 1;
    memcpy(text, data, length);
    text[length] = '\0';
    static receipt r, back;
    receipt_init(&r, 58);
    receipt_text(&r, RECEIPT_ALIGN_LEFT, 1 + (int)(size % 2), false, text);
    escpos_output out;
    kiosk_error rendered = escpos_render(&r, &model, &out, NULL);
    check(rendered == KIOSK_OK);
    check(escpos_decode(out.bytes, out.length, &model, &back, NULL) == KIOSK_OK);
    if (out.stand_ins == 0 && !back.overflow) {
        static char expected[RECEIPT_TEXT_MAX], got[4 * RECEIPT_TEXT_MAX], line[RECEIPT_TEXT_MAX];
        without_newlines(r.items[0].text, expected);
        got[0] = '\0';
        for (size_t i = 0; i < back.count; i++) {
            if (back.items[i].kind == RECEIPT_RULE) /* a line of dashes reads as a rule */
            {
                memset(line, '-', (size_t)receipt_columns(58));
                line[receipt_columns(58)] = '\0';
            } else
                without_newlines(back.items[i].text, line);
            size_t used = strlen(got), more = strlen(line);
            check(used + more < sizeof got);
            memcpy(got + used, line, more + 1);
        }
        check(strcmp(expected, got) == 0);
    }
    escpos_output_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_status(data, size);
    fuzz_scan(data, size);
    fuzz_decode(data, size);
    fuzz_text(data, size);
    return 0;
}
