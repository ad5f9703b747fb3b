/* Fuzzes the text block and read answer parsers. What a card says is checked
 * before anything trusts it, so: no crash on any block, a record that parses
 * is built back into a block that parses to the same record, every field of a
 * parsed record is a terminated string within its array, and the field codec
 * turns any field it accepts back into the same bytes. */
#include "drivers/idcard/protocol.h"

#include "drivers/idcard/ucs2.h"
#include "firmware/base/id_number.h"
#include "firmware/base/untrusted_text.h"

#include <stdio.h>

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool condition)
{
    if (!condition)
        abort();
}

#define CHECK_TERMINATED(field) check(memchr((field), '\0', sizeof(field)) != NULL)

static void check_record(const idcard_record *record)
{
    CHECK_TERMINATED(record->name);
    CHECK_TERMINATED(record->name_en);
    CHECK_TERMINATED(record->ethnicity_code);
    CHECK_TERMINATED(record->nationality);
    CHECK_TERMINATED(record->birth_date);
    CHECK_TERMINATED(record->address);
    CHECK_TERMINATED(record->id_number);
    CHECK_TERMINATED(record->authority);
    CHECK_TERMINATED(record->valid_from);
    CHECK_TERMINATED(record->valid_to);
    check(record->name[0] != '\0');
    check(strchr("0129", record->sex_code) && record->sex_code);
    check(strlen(record->birth_date) == 8 && strlen(record->valid_from) == 8);
    if (record->type == IDCARD_TYPE_FOREIGN_PERMANENT) {
        check(strlen(record->id_number) == 15);
        check(record->ethnicity_code[0] == '\0' && record->address[0] == '\0');
    } else if (record->type == IDCARD_TYPE_FOREIGN_PERMANENT_2023) {
        check(record->id_number[0] == '9' && id_number_check(record->id_number) == ID_NUMBER_OK);
        check(record->id_number[17] != 'x');
        check(memcmp(record->id_number + 6, record->birth_date, 8) == 0);
        check(record->ethnicity_code[0] == '\0' && record->address[0] == '\0');
        check(strlen(record->nationality) == 3 && record->name_en[0] != '\0');
    } else {
        check(id_number_check(record->id_number) == ID_NUMBER_OK);
        check(record->id_number[17] != 'x');
        check(memcmp(record->id_number + 6, record->birth_date, 8) == 0);
        check(record->ethnicity_code[0] == '\0' || idcard_ethnicity_key(record->ethnicity_code));
    }
    check(record->long_term == (strcmp(record->valid_to, "长期") == 0));
    /* What people read carries nothing that hides or reorders text. */
    size_t removed = 0;
    char copy[sizeof record->address];
    const char *shown[] = {record->name, record->name_en, record->address, record->authority};
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
        snprintf(copy, sizeof copy, "%s", shown[i]);
        check(untrusted_text_clean(copy, &removed) == KIOSK_OK && removed == 0);
    }
}

static void check_same_text(const idcard_record *a, const idcard_record *b)
{
    check(a->type == b->type);
    check(strcmp(a->name, b->name) == 0);
    check(strcmp(a->name_en, b->name_en) == 0);
    check(a->sex_code == b->sex_code);
    check(strcmp(a->ethnicity_code, b->ethnicity_code) == 0);
    check(strcmp(a->nationality, b->nationality) == 0);
    check(strcmp(a->birth_date, b->birth_date) == 0);
    check(strcmp(a->address, b->address) == 0);
    check(strcmp(a->id_number, b->id_number) == 0);
    check(strcmp(a->authority, b->authority) == 0);
    check(strcmp(a->valid_from, b->valid_from) == 0);
    check(strcmp(a->valid_to, b->valid_to) == 0);
    check(a->long_term == b->long_term);
}

static idcard_record record, again;

static void fuzz_text_block(const uint8_t *block, const uint8_t *today)
{
    kiosk_diag diag;
    kiosk_error error = idcard_text_parse(block, &record, &diag);
    if (error != KIOSK_OK) {
        check(error == KIOSK_ERR_MALFORMED || error == KIOSK_ERR_UNSUPPORTED);
        check(record.name[0] == '\0' && record.id_number[0] == '\0');
        return;
    }
    check_record(&record);
    uint8_t built[IDCARD_TEXT_LENGTH];
    check(idcard_text_build(&record, built) == KIOSK_OK);
    check(idcard_text_parse(built, &again, &diag) == KIOSK_OK);
    check_same_text(&record, &again);

    char date[9];
    memcpy(date, today, 8);
    date[8] = '\0';
    (void)idcard_expired(&record, date);
}

static void fuzz_read_answer(const uint8_t *data, size_t size)
{
    kiosk_diag diag;
    kiosk_error error = idcard_read_answer_parse(data, size, &record, &diag);
    if (error == KIOSK_OK) {
        check(size == 4 + IDCARD_TEXT_LENGTH + record.photo_length);
        check(record.photo_length <= IDCARD_PHOTO_LENGTH);
        check(memcmp(record.photo, data + 4 + IDCARD_TEXT_LENGTH, record.photo_length) == 0);
        check_record(&record);
    } else {
        check(record.photo_length == 0 && record.name[0] == '\0');
    }
}

/* The codec alone: a field it decodes encodes back to the same bytes, and a
 * string it encodes decodes back without its trailing spaces. */
static void fuzz_codec(const uint8_t *data, size_t size)
{
    uint8_t field[120];
    size_t width = size < sizeof field ? size & ~(size_t)1 : sizeof field;
    char text[4 * 60 + 1];
    if (idcard_ucs2_decode(data, width, text, sizeof text) == KIOSK_OK) {
        check(idcard_ucs2_encode(text, field, width) == KIOSK_OK);
        check(memcmp(field, data, width) == 0);
    }

    char input[121];
    size_t length = size < sizeof input - 1 ? size : sizeof input - 1;
    memcpy(input, data, length);
    input[length] = '\0';
    if (idcard_ucs2_encode(input, field, sizeof field) == KIOSK_OK) {
        check(idcard_ucs2_decode(field, sizeof field, text, sizeof text) == KIOSK_OK);
        size_t kept = strlen(input);
        while (kept > 0 && input[kept - 1] == ' ')
            kept--;
        check(strlen(text) == kept && memcmp(text, input, kept) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= IDCARD_TEXT_LENGTH) {
        static const uint8_t no_date[8] = "20260101";
        fuzz_text_block(data, size >= IDCARD_TEXT_LENGTH + 8 ? data + IDCARD_TEXT_LENGTH : no_date);
    }
    if (size >= 4 + IDCARD_TEXT_LENGTH)
        fuzz_text_block(data + 4, data); /* a read answer's text */
    fuzz_read_answer(data, size);
    fuzz_codec(data, size);
    return 0;
}
