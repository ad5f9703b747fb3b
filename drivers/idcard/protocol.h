/* The GA/T 467-style frame protocol of second-generation ID card readers, and
 * the card's 256-byte text block. Pure functions on bytes: no I/O, no
 * allocation, so the same code serves the driver, the simulated reader and the
 * fuzz targets.
 *
 * A frame is
 *     AA AA AA 96 69 | length (2 bytes, big-endian) | body | checksum
 * where length counts the body and the checksum, and the checksum is the XOR
 * of the two length bytes and the body. A request's body is command,
 * parameter, data; an answer's body is SW1 SW2 SW3 (SW3 the status), data. */
#ifndef KIOSK_DRIVERS_IDCARD_PROTOCOL_H
#define KIOSK_DRIVERS_IDCARD_PROTOCOL_H

#include "firmware/base/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IDCARD_PREAMBLE_LENGTH  5
#define IDCARD_HEADER_LENGTH    7    /* preamble and length */
#define IDCARD_MAX_LENGTH_FIELD 4096 /* larger length fields are refused */
#define IDCARD_FRAME_MAX        (IDCARD_HEADER_LENGTH + IDCARD_MAX_LENGTH_FIELD)

/* Commands (command, parameter). */
#define IDCARD_CMD_SAM_STATUS      0x11, 0xFF
#define IDCARD_CMD_FIND_CARD       0x20, 0x01
#define IDCARD_CMD_SELECT_CARD     0x20, 0x02
#define IDCARD_CMD_READ_TEXT_PHOTO 0x30, 0x01

/* SW3 status bytes. */
enum {
    IDCARD_SW_OK = 0x90,
    IDCARD_SW_CARD_FOUND = 0x9F,
    IDCARD_SW_CHECKSUM = 0x10,
    IDCARD_SW_LENGTH = 0x11,
    IDCARD_SW_COMMAND = 0x21,
    IDCARD_SW_UNAUTHORISED = 0x23,
    IDCARD_SW_UNKNOWN_ERROR = 0x24,
    IDCARD_SW_CARD_AUTH = 0x31,
    IDCARD_SW_SAM_AUTH = 0x32,
    IDCARD_SW_VERIFY = 0x33,
    IDCARD_SW_CARD_TYPE = 0x40,
    IDCARD_SW_READ_FAILED = 0x41,
    IDCARD_SW_RANDOM = 0x47,
    IDCARD_SW_SAM_SELF_TEST = 0x60,
    IDCARD_SW_SAM_NOT_AUTHORISED = 0x66,
    IDCARD_SW_FIND_FAILED = 0x80,
    IDCARD_SW_SELECT_FAILED = 0x81,
    IDCARD_SW_NO_CONTENT = 0x91,
};

/* What a status byte means to the driver. */
typedef enum idcard_status_class {
    IDCARD_STATUS_OK,         /* 90, 9F */
    IDCARD_STATUS_NO_CARD,    /* 80: nothing on the reader (normal while polling) */
    IDCARD_STATUS_CARD_MOVED, /* 81, 41: a card was there but could not be read:
                                 moved too early, or badly placed */
    IDCARD_STATUS_BAD_CARD,   /* 31-33, 40, 91: not a genuine or readable ID card
                                 (91: the card holds no such content) */
    IDCARD_STATUS_LINK,       /* 10, 11, 21: the frame was damaged on the way;
                                 resend */
    IDCARD_STATUS_READER,     /* 23, 24, 47, 60, 66 and unknown: the reader or
                                 its SAM module is faulty: staff must act */
} idcard_status_class;

idcard_status_class idcard_status_classify(uint8_t sw3);
/* A short English name for logs: "find-failed", "sam-self-test", "0x5a". The
 * returned string is static, or buffer (at least 8 bytes) for unknown codes. */
const char *idcard_status_name(uint8_t sw3, char *buffer, size_t size);

/* Writes a request frame into out. Returns its length, or 0 when it does not
 * fit in capacity or data_length is over IDCARD_MAX_LENGTH_FIELD - 3. */
size_t idcard_request_build(uint8_t command, uint8_t parameter, const uint8_t *data,
                            size_t data_length, uint8_t *out, size_t capacity);
/* The same for an answer (SW1 SW2 are 00 00; data_length at most
 * IDCARD_MAX_LENGTH_FIELD - 4). Used by the simulated reader. */
size_t idcard_answer_build(uint8_t sw3, const uint8_t *data, size_t data_length, uint8_t *out,
                           size_t capacity);

typedef enum idcard_scan {
    IDCARD_SCAN_NEED_MORE,    /* no whole frame yet: read more, keep the bytes */
    IDCARD_SCAN_FRAME,        /* a good frame: *frame is filled */
    IDCARD_SCAN_BAD_CHECKSUM, /* a whole frame whose checksum is wrong */
    IDCARD_SCAN_BAD_LENGTH,   /* a length field under 2 or over the maximum */
} idcard_scan;

typedef struct idcard_frame {
    const uint8_t *body; /* points into the scanned buffer */
    size_t body_length;  /* without the checksum */
} idcard_frame;

/* Looks for one frame at the start of buffer, skipping any bytes before the
 * preamble. *consumed (always set) is how many bytes the caller may drop:
 * garbage before a preamble, plus the whole frame when it was good, or just
 * the preamble of a bad one (BAD_LENGTH, BAD_CHECKSUM): a bad frame may be a
 * false or torn preamble, and the next good frame may begin inside what it
 * claimed, so scanning goes on right after its preamble. On NEED_MORE nothing
 * but leading garbage is consumed (a partial preamble at the end is kept). */
idcard_scan idcard_frame_scan(const uint8_t *buffer, size_t length, idcard_frame *frame,
                              size_t *consumed);

/* Where, after the first preamble in buffer, a whole frame with a right
 * checksum already starts; 0 when none does. For a caller whose scan said
 * NEED_MORE: a reader answers one frame per request, so when a good frame is
 * whole while the first preamble's frame is not, that preamble was a false or
 * torn one (its length claims bytes that will never come), and waiting for it
 * would only end in a time-out that throws the good frame away. The caller
 * drops the bytes before the offset and scans again. Kept apart from
 * idcard_frame_scan, whose results must not depend on how the bytes were cut
 * into reads. */
size_t idcard_frame_resync(const uint8_t *buffer, size_t length);

/* The text block. */
#define IDCARD_TEXT_LENGTH  256
#define IDCARD_PHOTO_LENGTH 1024

typedef enum idcard_card_type {
    IDCARD_TYPE_RESIDENT = 0,           /* 居民身份证 */
    IDCARD_TYPE_FOREIGN_PERMANENT,      /* 外国人永久居留身份证 ('I' at byte 248) */
    IDCARD_TYPE_HK_MACAO_TAIWAN,        /* 港澳台居民居住证 ('J' at byte 248) */
    IDCARD_TYPE_FOREIGN_PERMANENT_2023, /* 新版外国人永久居留身份证 ('Y' at byte 248) */
} idcard_card_type;

/* Every text field is UTF-8 with trailing spaces removed; the fields people
 * read (names, address, authority) have no bidi controls or invisible format
 * characters (untrusted_text_clean). A foreign permanent residence card has
 * no ethnicity or address, an English name, a nationality, and a permit
 * number instead of an ID number: 15 characters on the 2017 card, 18 digits
 * starting with 9 (MOD 11-2 checked) on the 2023 card, which names no
 * authority. */
typedef struct idcard_record {
    idcard_card_type type;
    char name[128];                     /* the name to show: for a foreigner the Chinese name
                                           when the card has one, else the English name */
    char name_en[128];                  /* a foreigner's English name (printable ASCII); ""
                                           on other cards */
    char sex_code;                      /* '1' male, '2' female, '0' unknown, '9' unstated */
    char ethnicity_code[3];             /* GB 3304, "01".."56", "97", "98"; "" for foreigners,
                                           and for HK/Macao/Taiwan permits that carry none */
    char nationality[4];                /* a foreigner's nationality code (3 characters); "" on
                                           other cards */
    char birth_date[9];                 /* YYYYMMDD */
    char address[256];                  /* "" for foreigners */
    char id_number[19];                 /* 18 characters, X upper-case; for a 2017 foreign
                                           card the 15-character permit number (upper-case
                                           letters and digits, no MOD 11-2 check), for a 2023
                                           one the 18-character permit number */
    char authority[128];                /* issuing authority; for a foreigner the code of the
                                           accepting office (up to 4 letters or digits) */
    char valid_from[9];                 /* YYYYMMDD */
    char valid_to[16];                  /* YYYYMMDD, or "长期" */
    bool long_term;                     /* valid_to is 长期 */
    uint8_t photo[IDCARD_PHOTO_LENGTH]; /* WLT-compressed, opaque; after the text
                                           fields (see idcard_text_parse) */
    size_t photo_length;
} idcard_record;

/* Parses the 256-byte UCS-2LE text block (fields: name 30 bytes, sex 2,
 * ethnicity 4, birth date 16, address 70, ID number 36, authority 30, valid from
 * 16, valid to 16, reserved 36), checks each field (digits where digits belong,
 * real dates, sex and ethnicity codes known, the ID number's check character,
 * birth date agreeing with the number, valid-from not after valid-to), and fills
 * record (photo untouched). The card type is the character at byte 248: 'I'
 * selects the foreign permanent residence card's own layout (English name 120,
 * sex 2, permit number 30, nationality 6, Chinese name 30, valid from 16, valid
 * to 16, birth date 16, card version 4, accepting office 8, type 2, reserved 6);
 * 'Y' the 2023 card's (Chinese name 30, sex 2, renewal count 4, birth date 16,
 * English name 1-35 70, permit number 36, reserved 30, valid from 16, valid to
 * 16, English name 36-46 22, nationality 6, type 2, link to the earlier
 * permit 6). Errors: MALFORMED with diag naming the field (never its value).
 * On an error the record's text fields are wiped. */
kiosk_error idcard_text_parse(const uint8_t text[IDCARD_TEXT_LENGTH], idcard_record *record,
                              kiosk_diag *diag) KIOSK_MUST_CHECK;

/* The inverse, for the simulated reader: UTF-8 fields into a text block, in
 * the layout of record->type (photo ignored; fields are encoded, not checked,
 * so a test can build a card that idcard_text_parse refuses). A foreigner's
 * Chinese name is left blank when name is name_en.
 * Errors: TOO_BIG when a field does not fit its width, MALFORMED on bad UTF-8
 * or a control character. */
kiosk_error idcard_text_build(const idcard_record *record,
                              uint8_t text[IDCARD_TEXT_LENGTH]) KIOSK_MUST_CHECK;

/* The read answer's data: text length (2, big-endian), photo length (2), text,
 * photo. The text length must be 256, the photo length at most 1024, and the
 * data exactly as long as they say. Parses into record (text and photo).
 * Errors: those of idcard_text_parse, MALFORMED for wrong lengths. The record
 * is wiped first, so an error leaves nothing of an earlier card in it. */
kiosk_error idcard_read_answer_parse(const uint8_t *data, size_t length, idcard_record *record,
                                     kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Whether today (YYYYMMDD) is after valid_to; never for 长期. A today or
 * valid_to that is not a YYYYMMDD date counts as expired: a card is taken as
 * valid only when it is shown to be. */
bool idcard_expired(const idcard_record *record, const char *today);

/* The string-table key of the ethnicity's name ("ethnicity.01"), or NULL for
 * an unknown code. Names live in assets/strings, like every citizen text. */
const char *idcard_ethnicity_key(const char *code);

/* The photo decoder hook. Decoding WLT needs the reader vendor's licensed
 * library; a board that has one sets this. Unset, photos are kept opaque and
 * never shown. Returns a malloc'd RGB24 image of 102 x 126 or NULL. */
typedef uint8_t *(*idcard_photo_decoder)(const uint8_t *wlt, size_t length);
extern idcard_photo_decoder idcard_photo_decode_hook;

/* Wipes a record (explicit_bzero): call when a session ends. */
void idcard_record_wipe(idcard_record *record);

#endif
