/* Decoding a scanner's input reports into scans. Pure functions on bytes: no
 * I/O, no clock, no allocation, so the driver and the fuzz target use the
 * same code. (Converting GBK uses iconv, which loads its tables once.)
 *
 * HID POS (usage page 0x8C, Bar Code Scanner). The driver expects the layout
 * of the Scanned Data Report (usage 0x12) that Honeywell, Access-IS and
 * others send, report ID 2, 64 bytes:
 *
 *     0      report ID (2)
 *     1      data bytes in this report, 0 to 56        (Generic Desktop, Byte Count)
 *     2..4   AIM symbology identifier "]Xm", or zeros  (Symbology Identifier 1..3, 0xFB..0xFD)
 *     5..60  data, padded                              (Decoded Data, 0xFE)
 *     61..62 vendor's code id, reserved
 *     63     bit 0: more data follows                  (Decode Data Continued, 0xFF)
 *
 * Reports with another ID (trigger, status) are ignored. A scan ends with
 * the first report whose bit 0 of byte 63 is clear; the AIM id of its first
 * report names the symbology. One trailing CR, LF or CR LF (a suffix the
 * scanner may be set to add) is dropped.
 *
 * Keyboard wedge. 8-byte boot keyboard reports (modifiers, reserved, six key
 * codes), read as a US keyboard: only keys that went down since the previous
 * report count, a report of ErrorRollOver (0x01) is ignored. Enter or Tab
 * (configurable) ends a scan. A character outside ASCII comes as Alt held
 * while its decimal code is typed on the numeric keypad: 1 to 255 is one
 * byte, 256 to 65535 a GBK double byte (high byte first).
 *
 * What is refused, whole, in either mode (scan_reject): control characters
 * (C0, DEL, C1, and the Unicode bidirectional overrides that could make
 * text read backwards on screen), ESC (escape sequences), keys that are not
 * characters (arrows, F-keys, Backspace), Ctrl-, Alt- or GUI- with a key
 * (other than the Alt+numpad entry above), scanner configuration codes
 * (scan_is_configuration_code), scans over the maximum length, and bytes
 * that are neither UTF-8 nor, when the code page says GBK, GBK. Once a scan
 * is refused, the rest of it is swallowed until the scanner goes quiet
 * (scan_decoder_idle) or, in HID POS, the scan's last report: a refused
 * code never leaves a tail that reads as a scan of its own. */
#ifndef KIOSK_DRIVERS_SCANNER_SCAN_DECODE_H
#define KIOSK_DRIVERS_SCANNER_SCAN_DECODE_H

#include "drivers/scanner/scanner.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* HID POS Scanned Data Report. */
#define SCAN_HIDPOS_REPORT_ID     2
#define SCAN_HIDPOS_REPORT_LENGTH 64
#define SCAN_HIDPOS_DATA_OFFSET   5
#define SCAN_HIDPOS_DATA_MAX      56
#define SCAN_HIDPOS_FLAGS_OFFSET  63
#define SCAN_HIDPOS_MORE          0x01

/* Boot keyboard report. */
#define SCAN_WEDGE_REPORT_LENGTH 8

/* The longest input report either mode sends. */
#define SCAN_REPORT_MAX 64

typedef enum scan_code_page {
    SCAN_CODE_PAGE_UTF8 = 0, /* bytes must be UTF-8 */
    SCAN_CODE_PAGE_GBK,      /* UTF-8 passes; otherwise GBK (GB18030) converted to UTF-8 */
} scan_code_page;

/* Which keys end a wedge scan (a bit set). */
enum {
    SCAN_END_ENTER = 1, /* Enter and keypad Enter */
    SCAN_END_TAB = 2,
};

typedef struct scan_config {
    scan_mode mode;           /* HID_POS or WEDGE */
    scan_code_page code_page; /* how non-ASCII bytes are read */
    unsigned terminators;     /* wedge: SCAN_END_*; 0 means SCAN_END_ENTER */
    bool aim_prefix;          /* wedge: the scanner types the AIM id ("]Q1") first */
    size_t max_length;        /* 1..SCAN_MAX_LENGTH; 0 means SCAN_MAX_LENGTH */
} scan_config;

typedef enum scan_reject {
    SCAN_REJECT_NONE = 0,
    SCAN_REJECT_CONTROL,         /* a control character */
    SCAN_REJECT_ESCAPE,          /* ESC: the start of an escape sequence */
    SCAN_REJECT_KEY_COMBINATION, /* Ctrl-, Alt- or GUI- with a key */
    SCAN_REJECT_KEY,             /* a key that types no character */
    SCAN_REJECT_CONFIGURATION,   /* a scanner configuration code */
    SCAN_REJECT_TOO_LONG,        /* over the maximum length */
    SCAN_REJECT_ENCODING,        /* not UTF-8 (nor GBK, when allowed) */
    SCAN_REJECT_INCOMPLETE,      /* the scanner went quiet in the middle of a scan */
    SCAN_REJECT_REPORT,          /* a malformed input report */
} scan_reject;

/* "control", "escape", "key-combination", ... for logs. */
const char *scan_reject_name(scan_reject reason);

/* Why a scan was refused, with what may be logged of it: its length and at
 * most its first 4 bytes, printable ASCII only (others are '?'). */
typedef struct scan_refusal {
    scan_reject reason;
    size_t length;   /* bytes received before the refusal */
    char preview[5]; /* NUL-terminated */
} scan_refusal;

typedef enum scan_status {
    SCAN_NONE = 0, /* nothing (more) from the reports so far */
    SCAN_COMPLETE, /* *event holds an accepted scan */
    SCAN_REJECTED, /* *refusal says why; nothing of the scan is kept */
} scan_status;

/* The decoder's state. Bounded: a scan is kept only up to its maximum
 * length. Zero-initialised memory is not a usable decoder: call
 * scan_decoder_init. */
typedef struct scan_decoder {
    scan_config config;
    uint8_t data[SCAN_MAX_LENGTH]; /* the scan being received */
    size_t length;
    bool active;     /* a scan is being received */
    bool swallowing; /* the scan was refused: the rest of it is dropped */
    bool finished;   /* HID POS: the last report came; scan_decoder_next finishes it */
    scan_refusal refusal;
    bool refused; /* a refusal waits for scan_decoder_next */
    char aim[4];  /* "]Q1", or "" */
    /* Wedge: the previous report, and Alt+numpad entry. */
    uint8_t modifiers;
    uint8_t keys[6];
    uint8_t pending[6]; /* keys that went down, not yet read */
    size_t pending_count, pending_at;
    uint8_t pending_modifiers; /* the modifiers those keys went down with */
    bool alt_entry;
    unsigned alt_value, alt_digits;
} scan_decoder;

/* Starts a decoder (no scan in progress). */
void scan_decoder_init(scan_decoder *decoder, const scan_config *config);

/* Takes one input report: 64 bytes in HID POS, 8 as a wedge. Call
 * scan_decoder_next until it returns SCAN_NONE before the next report;
 * what is left unread of a report is dropped by the next push. */
void scan_decoder_push(scan_decoder *decoder, const uint8_t *report, size_t length);

/* The next result of the reports pushed so far: SCAN_COMPLETE with *event
 * filled (its earlier contents overwritten), SCAN_REJECTED with *refusal
 * filled, or SCAN_NONE. */
scan_status scan_decoder_next(scan_decoder *decoder, scan_event *event, scan_refusal *refusal);

/* The scanner sent nothing for a while: a scan in progress is refused as
 * INCOMPLETE (SCAN_REJECTED, *refusal filled), a refused one is over. */
scan_status scan_decoder_idle(scan_decoder *decoder, scan_refusal *refusal);

/* Whether a scan is in progress or being swallowed (the driver then waits
 * for the rest with a shorter time-out). */
bool scan_decoder_busy(const scan_decoder *decoder);

/* Wipes everything received (explicit_bzero) and starts over. */
void scan_decoder_reset(scan_decoder *decoder);

/* Checks a whole scan's bytes and turns them into an event: configuration
 * code, encoding (code_page), control characters, length (max_length, 0:
 * SCAN_MAX_LENGTH), in that order. aim is the AIM id ("]Q1") or NULL. On
 * SCAN_REJECT_NONE *event is filled; otherwise it holds no data. */
scan_reject scan_check(const uint8_t *data, size_t length, scan_code_page code_page,
                       size_t max_length, const char *aim, scan_mode mode, scan_event *event);

/* Whether data begins like a scanner configuration (programming) code:
 *   "NLS" (any case) and a digit       Newland setup codes (NLS0006010)
 *   "@" or "#" and six or more of
 *     A-Z 0-9, and nothing else        Newland command codes (@UPAAD50)
 *   "~" SOH "0000"                     Newland serial command frames
 *   SYN "M" CR                         Honeywell menu commands
 * Scanners normally act on such codes themselves and send nothing; one that
 * passes them on (or a code made to look like one) is refused. */
bool scan_is_configuration_code(const uint8_t *data, size_t length);

/* The symbology named by an AIM identifier ("]Q1" -> "qr"); "unknown" for
 * NULL, "" or an identifier not listed. */
const char *scan_symbology_of_aim(const char *aim);

/* What a HID report descriptor says the interface is: HID_POS when it has
 * an application collection on the Bar Code Scanner page (0x8C), WEDGE when
 * it has a Keyboard application collection (Generic Desktop 0x06) and no
 * bar code scanner one, UNKNOWN otherwise (or when it is malformed). */
scan_mode scan_mode_of_report_descriptor(const uint8_t *descriptor, size_t length);

#endif
