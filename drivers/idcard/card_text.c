/* The card's 256-byte text block: the two layouts (resident cards and
 * HK/Macao/Taiwan permits share one, the 2017 foreign permanent residence card
 * has its own), every field checked before the kiosk trusts it, and the read
 * answer that carries text and photo together.
 *
 * Diagnostics name the field and the problem, never the value: the value is a
 * citizen's personal data, and a diagnostic ends up in logs. */
#include "drivers/idcard/protocol.h"

#include "drivers/idcard/ucs2.h"
#include "firmware/base/id_number.h"
#include "firmware/base/untrusted_text.h"

#include <string.h>

idcard_photo_decoder idcard_photo_decode_hook = NULL;

/* idcard_text_parse wipes everything before the photo: that must be every
 * text field, and nothing of the photo. */
_Static_assert(offsetof(idcard_record, photo) > offsetof(idcard_record, long_term),
               "the text fields come before the photo");
_Static_assert(offsetof(idcard_record, photo_length) > offsetof(idcard_record, photo),
               "the photo length comes after the photo");

typedef struct field_spec {
    size_t offset;
    size_t width; /* bytes: twice the characters */
    const char *label;
} field_spec;

/* Resident cards (and HK/Macao/Taiwan permits, which add a pass number and an
 * issue count in the reserved bytes that the kiosk does not use). */
static const field_spec resident_name = {0, 30, "name"};
static const field_spec resident_sex = {30, 2, "sex"};
static const field_spec resident_ethnicity = {32, 4, "ethnicity"};
static const field_spec resident_birth = {36, 16, "birth date"};
static const field_spec resident_address = {52, 70, "address"};
static const field_spec resident_number = {122, 36, "ID number"};
static const field_spec resident_authority = {158, 30, "issuing authority"};
static const field_spec resident_from = {188, 16, "valid-from date"};
static const field_spec resident_to = {204, 16, "valid-to date"};

/* The 2017 foreign permanent residence card (外国人永久居留身份证). */
static const field_spec foreign_name_en = {0, 120, "English name"};
static const field_spec foreign_sex = {120, 2, "sex"};
static const field_spec foreign_number = {122, 30, "permit number"};
static const field_spec foreign_nationality = {152, 6, "nationality"};
static const field_spec foreign_name_zh = {158, 30, "Chinese name"};
static const field_spec foreign_from = {188, 16, "valid-from date"};
static const field_spec foreign_to = {204, 16, "valid-to date"};
static const field_spec foreign_birth = {220, 16, "birth date"};
static const field_spec foreign_version = {236, 4, "card version"};
static const field_spec foreign_office = {240, 8, "accepting office"};

/* The 2023 foreign permanent residence card (新版外国人永久居留身份证, type
 * 'Y'): laid out like a resident card where it can be, with an 18-digit
 * permit number (9, then as a resident ID number, MOD 11-2 check) where the ID
 * number is, and the English name split in two (characters 1-35, 36-46). */
static const field_spec permit_name_zh = {0, 30, "Chinese name"};
static const field_spec permit_sex = {30, 2, "sex"};
static const field_spec permit_renewals = {32, 4, "renewal count"};
static const field_spec permit_birth = {36, 16, "birth date"};
static const field_spec permit_name_en = {52, 70, "English name"};
static const field_spec permit_number = {122, 36, "permit number"};
static const field_spec permit_from = {188, 16, "valid-from date"};
static const field_spec permit_to = {204, 16, "valid-to date"};
static const field_spec permit_name_en_rest = {220, 22, "English name's continuation"};
static const field_spec permit_nationality = {242, 6, "nationality"};
static const field_spec permit_previous = {250, 6, "link to the earlier permit"};
#define PERMIT_NAME_EN_HEAD 35 /* characters in the first part of the English name */

/* The card type: one UCS-2 character at byte 248 (in the resident layout's
 * reserved bytes, so older resident cards leave it blank). */
#define TYPE_OFFSET         248
#define TYPE_FOREIGN        0x0049 /* 'I' */
#define TYPE_HK_MACAO_TW    0x004A /* 'J' */
#define TYPE_FOREIGN_2023   0x0059 /* 'Y': the 2023 card, another layout again */
#define PERMIT_NUMBER_CHARS 15
#define LONG_TERM           "长期"

#define TEXT_DIAG "ID card text: "

/* GB 3304 codes and their string-table keys: names are citizen text and live
 * in assets/strings with every other. */
static const char *const ethnicity_keys[] = {
    "ethnicity.01", "ethnicity.02", "ethnicity.03", "ethnicity.04", "ethnicity.05", "ethnicity.06",
    "ethnicity.07", "ethnicity.08", "ethnicity.09", "ethnicity.10", "ethnicity.11", "ethnicity.12",
    "ethnicity.13", "ethnicity.14", "ethnicity.15", "ethnicity.16", "ethnicity.17", "ethnicity.18",
    "ethnicity.19", "ethnicity.20", "ethnicity.21", "ethnicity.22", "ethnicity.23", "ethnicity.24",
    "ethnicity.25", "ethnicity.26", "ethnicity.27", "ethnicity.28", "ethnicity.29", "ethnicity.30",
    "ethnicity.31", "ethnicity.32", "ethnicity.33", "ethnicity.34", "ethnicity.35", "ethnicity.36",
    "ethnicity.37", "ethnicity.38", "ethnicity.39", "ethnicity.40", "ethnicity.41", "ethnicity.42",
    "ethnicity.43", "ethnicity.44", "ethnicity.45", "ethnicity.46", "ethnicity.47", "ethnicity.48",
    "ethnicity.49", "ethnicity.50", "ethnicity.51", "ethnicity.52", "ethnicity.53", "ethnicity.54",
    "ethnicity.55", "ethnicity.56", "ethnicity.97", "ethnicity.98",
};

const char *idcard_ethnicity_key(const char *code)
{
    if (!code || code[0] < '0' || code[0] > '9' || code[1] < '0' || code[1] > '9' || code[2])
        return NULL;
    int value = (code[0] - '0') * 10 + (code[1] - '0');
    if (value >= 1 && value <= 56)
        return ethnicity_keys[value - 1];
    if (value == 97 || value == 98)
        return ethnicity_keys[56 + value - 97];
    return NULL;
}

static bool date_exists(int year, int month, int day)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    /* The same century bounds as ID numbers: a card dated outside them is
     * damaged, not old. */
    if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1)
        return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= days[month - 1] + (month == 2 && leap);
}

static int digits_value(const char *text, int count)
{
    int value = 0;
    for (int i = 0; i < count; i++)
        value = value * 10 + (text[i] - '0');
    return value;
}

/* Eight digits naming a real day. */
static bool is_date(const char *text)
{
    if (strnlen(text, 9) != 8)
        return false;
    for (int i = 0; i < 8; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
    }
    return date_exists(digits_value(text, 4), digits_value(text + 4, 2), digits_value(text + 6, 2));
}

static bool is_upper_alphanumeric(const char *text)
{
    for (; *text; text++) {
        if (!((*text >= 'A' && *text <= 'Z') || (*text >= '0' && *text <= '9')))
            return false;
    }
    return true;
}

static bool is_ascii(const char *text)
{
    for (; *text; text++) {
        if ((unsigned char)*text >= 0x80)
            return false;
    }
    return true;
}

/* Copies a string known to fit (a checked field into its record slot). */
static void copy_text(char *destination, size_t capacity, const char *source)
{
    size_t length = strnlen(source, capacity - 1);
    memcpy(destination, source, length);
    destination[length] = '\0';
}

/* Decodes one field into out, or says which field is unreadable. */
static kiosk_error field_text(const uint8_t *text, const field_spec *field, char *out,
                              size_t capacity, kiosk_diag *diag)
{
    kiosk_error error = idcard_ucs2_decode(text + field->offset, field->width, out, capacity);
    if (error == KIOSK_ERR_TOO_BIG)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, TEXT_DIAG "%s is too long", field->label);
    if (error != KIOSK_OK)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              TEXT_DIAG "%s has an unpaired surrogate, a NUL or a control "
                                        "character",
                              field->label);
    return KIOSK_OK;
}

/* A field a person reads (a name, an address, an authority): decoded, then
 * cleared of bidi overrides and invisible format characters, which would let
 * a forged card make its text look like something else on screen and paper.
 * What they hid is simply dropped; the card is not refused for them. */
static kiosk_error field_shown_text(const uint8_t *text, const field_spec *field, char *out,
                                    size_t capacity, kiosk_diag *diag)
{
    kiosk_error error = field_text(text, field, out, capacity, diag);
    if (error != KIOSK_OK)
        return error;
    if (untrusted_text_clean(out, NULL) != KIOSK_OK)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, TEXT_DIAG "%s is not valid UTF-8",
                              field->label);
    /* A space that stood before what was removed is now trailing. */
    size_t length = strlen(out);
    while (length > 0 && out[length - 1] == ' ')
        out[--length] = '\0';
    return KIOSK_OK;
}

static kiosk_error parse_sex(const uint8_t *text, const field_spec *field, idcard_record *record,
                             kiosk_diag *diag)
{
    char sex[8];
    kiosk_error error = field_text(text, field, sex, sizeof sex, diag);
    if (error != KIOSK_OK)
        return error;
    if (strlen(sex) != 1 || !strchr("0129", sex[0]))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, TEXT_DIAG "sex is not a known code");
    record->sex_code = sex[0];
    return KIOSK_OK;
}

static kiosk_error parse_date(const uint8_t *text, const field_spec *field, char *out,
                              size_t capacity, kiosk_diag *diag)
{
    char date[32];
    kiosk_error error = field_text(text, field, date, sizeof date, diag);
    if (error != KIOSK_OK)
        return error;
    if (!is_date(date))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, TEXT_DIAG "%s is not a real YYYYMMDD date",
                              field->label);
    copy_text(out, capacity, date);
    return KIOSK_OK;
}

/* Valid from and valid to sit at the same bytes in both layouts. */
static kiosk_error parse_validity(const uint8_t *text, const field_spec *from, const field_spec *to,
                                  idcard_record *record, kiosk_diag *diag)
{
    kiosk_error error = parse_date(text, from, record->valid_from, sizeof record->valid_from, diag);
    if (error != KIOSK_OK)
        return error;
    char until[32];
    error = field_text(text, to, until, sizeof until, diag);
    if (error != KIOSK_OK)
        return error;
    if (strcmp(until, LONG_TERM) == 0) {
        record->long_term = true;
        copy_text(record->valid_to, sizeof record->valid_to, until);
        return KIOSK_OK;
    }
    if (!is_date(until))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              TEXT_DIAG "%s is neither a real YYYYMMDD date nor long-term",
                              to->label);
    /* YYYYMMDD strings order as the dates do. */
    if (strcmp(record->valid_from, until) > 0)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              TEXT_DIAG "valid-from date is after the valid-to date");
    copy_text(record->valid_to, sizeof record->valid_to, until);
    return KIOSK_OK;
}

static kiosk_error parse_id_number(const uint8_t *text, idcard_record *record, kiosk_diag *diag)
{
    char number[64];
    kiosk_error error = field_text(text, &resident_number, number, sizeof number, diag);
    if (error != KIOSK_OK)
        return error;
    switch (id_number_check(number)) {
    case ID_NUMBER_OK:
        break;
    case ID_NUMBER_TOO_SHORT:
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              TEXT_DIAG "ID number has fewer than 18 characters");
    case ID_NUMBER_BAD_CHARACTER:
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              TEXT_DIAG "ID number is not 17 digits and a check character");
    case ID_NUMBER_BAD_DATE:
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              TEXT_DIAG "ID number holds no real birth date");
    case ID_NUMBER_BAD_CHECK:
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              TEXT_DIAG "ID number's check character does not match");
    }
    if (number[17] == 'x')
        number[17] = 'X';
    copy_text(record->id_number, sizeof record->id_number, number);
    return KIOSK_OK;
}

/* Resident cards and HK/Macao/Taiwan residence permits. */
static kiosk_error parse_resident(const uint8_t *text, idcard_record *record, kiosk_diag *diag)
{
    kiosk_error error =
        field_shown_text(text, &resident_name, record->name, sizeof record->name, diag);
    if (error != KIOSK_OK)
        return error;
    if (!record->name[0])
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, TEXT_DIAG "name is empty");
    if ((error = parse_sex(text, &resident_sex, record, diag)) != KIOSK_OK)
        return error;

    char ethnicity[16];
    if ((error = field_text(text, &resident_ethnicity, ethnicity, sizeof ethnicity, diag)))
        return error;
    /* A permit for residents of Hong Kong, Macao and Taiwan prints no
     * ethnicity; every resident card does. */
    bool may_be_blank = record->type == IDCARD_TYPE_HK_MACAO_TAIWAN;
    if (!(may_be_blank && !ethnicity[0]) && !idcard_ethnicity_key(ethnicity))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              TEXT_DIAG "ethnicity is not a known GB 3304 code");
    copy_text(record->ethnicity_code, sizeof record->ethnicity_code, ethnicity);

    error = parse_date(text, &resident_birth, record->birth_date, sizeof record->birth_date, diag);
    if (error != KIOSK_OK)
        return error;
    error =
        field_shown_text(text, &resident_address, record->address, sizeof record->address, diag);
    if (error != KIOSK_OK)
        return error;
    if ((error = parse_id_number(text, record, diag)) != KIOSK_OK)
        return error;
    /* Both come off one chip; disagreeing, one of them was damaged or forged. */
    if (memcmp(record->id_number + 6, record->birth_date, 8) != 0)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              TEXT_DIAG "birth date does not agree with the ID number");
    error = field_shown_text(text, &resident_authority, record->authority, sizeof record->authority,
                             diag);
    if (error != KIOSK_OK)
        return error;
    return parse_validity(text, &resident_from, &resident_to, record, diag);
}

/* A short code field of the foreign card: upper-case letters and digits only,
 * at most max_length of them, at least min_length. */
static kiosk_error parse_code(const uint8_t *text, const field_spec *field, size_t min_length,
                              size_t max_length, char *out, size_t capacity, kiosk_diag *diag)
{
    char code[128];
    kiosk_error error = field_text(text, field, code, sizeof code, diag);
    if (error != KIOSK_OK)
        return error;
    size_t length = strlen(code);
    if (length < min_length || length > max_length || !is_upper_alphanumeric(code)) {
        if (min_length == max_length)
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  TEXT_DIAG "%s is not %zu upper-case letters or digits",
                                  field->label, max_length);
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              TEXT_DIAG "%s is not up to %zu upper-case letters or digits",
                              field->label, max_length);
    }
    if (out)
        copy_text(out, capacity, code);
    return KIOSK_OK;
}

/* The 2017 foreign permanent residence card. Its permit number has no public
 * check character, so only its shape is checked. */
static kiosk_error parse_foreign(const uint8_t *text, idcard_record *record, kiosk_diag *diag)
{
    kiosk_error error =
        field_shown_text(text, &foreign_name_en, record->name_en, sizeof record->name_en, diag);
    if (error != KIOSK_OK)
        return error;
    if (!record->name_en[0])
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, TEXT_DIAG "English name is empty");
    if (!is_ascii(record->name_en))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              TEXT_DIAG "English name has a character that is not ASCII");
    if ((error = parse_sex(text, &foreign_sex, record, diag)) != KIOSK_OK)
        return error;
    error = parse_code(text, &foreign_number, PERMIT_NUMBER_CHARS, PERMIT_NUMBER_CHARS,
                       record->id_number, sizeof record->id_number, diag);
    if (error != KIOSK_OK)
        return error;
    error = parse_code(text, &foreign_nationality, 3, 3, record->nationality,
                       sizeof record->nationality, diag);
    if (error != KIOSK_OK)
        return error;
    /* The Chinese name is optional; without one, the English name is the one
     * to show. */
    error = field_shown_text(text, &foreign_name_zh, record->name, sizeof record->name, diag);
    if (error != KIOSK_OK)
        return error;
    if (!record->name[0])
        copy_text(record->name, sizeof record->name, record->name_en);
    if ((error = parse_validity(text, &foreign_from, &foreign_to, record, diag)) != KIOSK_OK)
        return error;
    error = parse_date(text, &foreign_birth, record->birth_date, sizeof record->birth_date, diag);
    if (error != KIOSK_OK)
        return error;
    /* The version is checked for shape but not kept: nothing depends on it. */
    if ((error = parse_code(text, &foreign_version, 0, 2, NULL, 0, diag)) != KIOSK_OK)
        return error;
    return parse_code(text, &foreign_office, 0, 4, record->authority, sizeof record->authority,
                      diag);
}

/* The English name of the 2023 card, put together from its two parts. */
static kiosk_error parse_permit_name_en(const uint8_t *text, idcard_record *record,
                                        kiosk_diag *diag)
{
    char head[128], rest[64];
    kiosk_error error = field_shown_text(text, &permit_name_en, head, sizeof head, diag);
    if (error == KIOSK_OK)
        error = field_shown_text(text, &permit_name_en_rest, rest, sizeof rest, diag);
    if (error == KIOSK_OK && !head[0])
        error = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, TEXT_DIAG "English name is empty");
    if (error == KIOSK_OK && (!is_ascii(head) || !is_ascii(rest)))
        error = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                               TEXT_DIAG "English name has a character that is not ASCII");
    if (error == KIOSK_OK) {
        /* A first part shorter than its 35 characters lost a space at the
         * split to the trimming of trailing spaces; the name goes on after. */
        const char *gap = rest[0] && strlen(head) < PERMIT_NAME_EN_HEAD ? " " : "";
        size_t length = strlen(head), gap_length = strlen(gap), rest_length = strlen(rest);
        memcpy(record->name_en, head, length);
        memcpy(record->name_en + length, gap, gap_length);
        memcpy(record->name_en + length + gap_length, rest, rest_length + 1);
    }
    /* A name is personal data: no copy of it stays on the stack. */
    explicit_bzero(head, sizeof head);
    explicit_bzero(rest, sizeof rest);
    return error;
}

/* The 2023 card's permit number: an ID number's shape and check, 9 first. */
static kiosk_error parse_permit_number(const uint8_t *text, idcard_record *record, kiosk_diag *diag)
{
    char number[64];
    kiosk_error error = field_text(text, &permit_number, number, sizeof number, diag);
    if (error != KIOSK_OK) {
        /* nothing to check */
    } else if (number[0] == '9' && id_number_check(number) == ID_NUMBER_OK) {
        if (number[17] == 'x')
            number[17] = 'X';
        copy_text(record->id_number, sizeof record->id_number, number);
    } else {
        error = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                               TEXT_DIAG "permit number is not 9, 16 digits and a check "
                                         "character that matches");
    }
    explicit_bzero(number, sizeof number);
    return error;
}

/* The 2023 foreign permanent residence card. */
static kiosk_error parse_permit_2023(const uint8_t *text, idcard_record *record, kiosk_diag *diag)
{
    kiosk_error error = parse_permit_name_en(text, record, diag);
    if (error != KIOSK_OK)
        return error;
    if ((error = parse_sex(text, &permit_sex, record, diag)) != KIOSK_OK)
        return error;
    /* Checked for shape, not kept: nothing depends on them. */
    if ((error = parse_code(text, &permit_renewals, 0, 2, NULL, 0, diag)) != KIOSK_OK)
        return error;
    if ((error = parse_code(text, &permit_previous, 0, 3, NULL, 0, diag)) != KIOSK_OK)
        return error;
    error = parse_date(text, &permit_birth, record->birth_date, sizeof record->birth_date, diag);
    if (error != KIOSK_OK)
        return error;
    if ((error = parse_permit_number(text, record, diag)) != KIOSK_OK)
        return error;
    if (memcmp(record->id_number + 6, record->birth_date, 8) != 0)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              TEXT_DIAG "birth date does not agree with the permit number");
    error = parse_code(text, &permit_nationality, 3, 3, record->nationality,
                       sizeof record->nationality, diag);
    if (error != KIOSK_OK)
        return error;
    error = field_shown_text(text, &permit_name_zh, record->name, sizeof record->name, diag);
    if (error != KIOSK_OK)
        return error;
    if (!record->name[0])
        copy_text(record->name, sizeof record->name, record->name_en);
    return parse_validity(text, &permit_from, &permit_to, record, diag);
}

static void wipe_text_fields(idcard_record *record)
{
    explicit_bzero(record, offsetof(idcard_record, photo));
}

kiosk_error idcard_text_parse(const uint8_t text[IDCARD_TEXT_LENGTH], idcard_record *record,
                              kiosk_diag *diag)
{
    if (!text || !record)
        return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT, TEXT_DIAG "no text or record");
    wipe_text_fields(record);
    unsigned type = text[TYPE_OFFSET] | (unsigned)text[TYPE_OFFSET + 1] << 8;
    kiosk_error error;
    if (type == TYPE_FOREIGN) {
        record->type = IDCARD_TYPE_FOREIGN_PERMANENT;
        error = parse_foreign(text, record, diag);
    } else if (type == TYPE_FOREIGN_2023) {
        record->type = IDCARD_TYPE_FOREIGN_PERMANENT_2023;
        error = parse_permit_2023(text, record, diag);
    } else {
        record->type =
            type == TYPE_HK_MACAO_TW ? IDCARD_TYPE_HK_MACAO_TAIWAN : IDCARD_TYPE_RESIDENT;
        error = parse_resident(text, record, diag);
    }
    if (error != KIOSK_OK)
        wipe_text_fields(record);
    return error;
}

/* Encodes one record field, or returns the error as is: the caller wipes. */
static kiosk_error put_field(uint8_t *text, const field_spec *field, const char *value)
{
    return idcard_ucs2_encode(value, text + field->offset, field->width);
}

static kiosk_error build_resident(const idcard_record *record, const char *sex, uint8_t *text)
{
    kiosk_error error;
    if ((error = put_field(text, &resident_name, record->name)) ||
        (error = put_field(text, &resident_sex, sex)) ||
        (error = put_field(text, &resident_ethnicity, record->ethnicity_code)) ||
        (error = put_field(text, &resident_birth, record->birth_date)) ||
        (error = put_field(text, &resident_address, record->address)) ||
        (error = put_field(text, &resident_number, record->id_number)) ||
        (error = put_field(text, &resident_authority, record->authority)) ||
        (error = put_field(text, &resident_from, record->valid_from)) ||
        (error = put_field(text, &resident_to, record->valid_to)))
        return error;
    return KIOSK_OK;
}

static kiosk_error build_foreign(const idcard_record *record, const char *sex, uint8_t *text)
{
    /* The parser shows the English name when the Chinese one is blank: a name
     * that is the English name means there was no Chinese one. */
    const char *name_zh = strcmp(record->name, record->name_en) == 0 ? "" : record->name;
    kiosk_error error;
    if ((error = put_field(text, &foreign_name_en, record->name_en)) ||
        (error = put_field(text, &foreign_sex, sex)) ||
        (error = put_field(text, &foreign_number, record->id_number)) ||
        (error = put_field(text, &foreign_nationality, record->nationality)) ||
        (error = put_field(text, &foreign_name_zh, name_zh)) ||
        (error = put_field(text, &foreign_from, record->valid_from)) ||
        (error = put_field(text, &foreign_to, record->valid_to)) ||
        (error = put_field(text, &foreign_birth, record->birth_date)) ||
        (error = put_field(text, &foreign_office, record->authority)))
        return error;
    return KIOSK_OK;
}

static kiosk_error build_permit_2023(const idcard_record *record, const char *sex, uint8_t *text)
{
    const char *name_zh = strcmp(record->name, record->name_en) == 0 ? "" : record->name;
    /* The English name is ASCII on a card; split by bytes as by characters. */
    char head[PERMIT_NAME_EN_HEAD + 1];
    size_t head_length = strnlen(record->name_en, PERMIT_NAME_EN_HEAD);
    memcpy(head, record->name_en, head_length);
    head[head_length] = '\0';
    const char *rest = record->name_en + head_length;
    kiosk_error error;
    (void)((error = put_field(text, &permit_name_zh, name_zh)) ||
           (error = put_field(text, &permit_sex, sex)) ||
           (error = put_field(text, &permit_birth, record->birth_date)) ||
           (error = put_field(text, &permit_name_en, head)) ||
           (error = put_field(text, &permit_number, record->id_number)) ||
           (error = put_field(text, &permit_from, record->valid_from)) ||
           (error = put_field(text, &permit_to, record->valid_to)) ||
           (error = put_field(text, &permit_name_en_rest, rest)) ||
           (error = put_field(text, &permit_nationality, record->nationality)));
    explicit_bzero(head, sizeof head); /* a copy of a name */
    return error;
}

kiosk_error idcard_text_build(const idcard_record *record, uint8_t text[IDCARD_TEXT_LENGTH])
{
    if (!record || !text)
        return KIOSK_ERR_INVALID_ARGUMENT;
    /* Every byte a space, as on a card: reserved bytes and the version too. */
    for (size_t i = 0; i < IDCARD_TEXT_LENGTH; i += 2) {
        text[i] = 0x20;
        text[i + 1] = 0x00;
    }
    const char sex[2] = {record->sex_code, '\0'};
    kiosk_error error;
    switch (record->type) {
    case IDCARD_TYPE_RESIDENT:
        error = build_resident(record, sex, text);
        break;
    case IDCARD_TYPE_HK_MACAO_TAIWAN:
        error = build_resident(record, sex, text);
        text[TYPE_OFFSET] = TYPE_HK_MACAO_TW;
        break;
    case IDCARD_TYPE_FOREIGN_PERMANENT:
        error = build_foreign(record, sex, text);
        text[TYPE_OFFSET] = TYPE_FOREIGN;
        break;
    case IDCARD_TYPE_FOREIGN_PERMANENT_2023:
        error = build_permit_2023(record, sex, text);
        text[TYPE_OFFSET] = TYPE_FOREIGN_2023;
        break;
    default:
        error = KIOSK_ERR_INVALID_ARGUMENT;
        break;
    }
    if (error != KIOSK_OK)
        explicit_bzero(text, IDCARD_TEXT_LENGTH);
    return error;
}

kiosk_error idcard_read_answer_parse(const uint8_t *data, size_t length, idcard_record *record,
                                     kiosk_diag *diag)
{
    if (!record)
        return kiosk_diag_set(diag, KIOSK_ERR_INVALID_ARGUMENT, "ID card read answer: no record");
    /* Whatever the record held belongs to an earlier card: an answer that
     * fails must not leave it looking like this one's. */
    idcard_record_wipe(record);
    if (!data || length < 4)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "ID card read answer: shorter than its two length fields");
    size_t text_length = (size_t)data[0] << 8 | data[1];
    size_t photo_length = (size_t)data[2] << 8 | data[3];
    if (text_length != IDCARD_TEXT_LENGTH)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "ID card read answer: text length is not %d", IDCARD_TEXT_LENGTH);
    if (photo_length > IDCARD_PHOTO_LENGTH)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "ID card read answer: photo length is over %d", IDCARD_PHOTO_LENGTH);
    if (length != 4 + text_length + photo_length)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "ID card read answer: %zu bytes where its length fields say %zu",
                              length, 4 + text_length + photo_length);
    kiosk_error error = idcard_text_parse(data + 4, record, diag);
    if (error != KIOSK_OK)
        return error;
    memcpy(record->photo, data + 4 + text_length, photo_length);
    record->photo_length = photo_length;
    return KIOSK_OK;
}

bool idcard_expired(const idcard_record *record, const char *today)
{
    if (!record)
        return true;
    if (record->long_term)
        return false;
    if (!today || !is_date(today) || !is_date(record->valid_to))
        return true;
    return strcmp(today, record->valid_to) > 0;
}

void idcard_record_wipe(idcard_record *record)
{
    if (record)
        explicit_bzero(record, sizeof *record);
}
