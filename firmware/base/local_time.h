/* Times as the citizen reads them: the hall's local time, in their language.
 *
 * Every time on screen or paper goes through here: the platform and the
 * store speak UTC ("2026-12-07T04:19:40Z"), the citizen reads
 * "2026年12月7日 12:19" or "7 Dec 2026, 12:19".
 *
 * The hall's zone comes from the board profile ("timezone", an IANA name,
 * Asia/Shanghai by default). It is read once from the tz database
 * (/usr/share/zoneinfo, TZif version 2 or later) into a local_zone and then
 * used by value: no TZ environment variable, no tzset(), no localtime(), so
 * formatting is safe from any thread and a test can hold several zones at
 * once. A board without the tz database still knows Asia/Shanghai and UTC
 * (both without daylight saving now). Past the file's last transition the
 * last offset holds: the "fat" files Debian ships list transitions to 2037.
 */
#ifndef KIOSK_FIRMWARE_BASE_LOCAL_TIME_H
#define KIOSK_FIRMWARE_BASE_LOCAL_TIME_H

#include "firmware/base/error.h"
#include "firmware/base/lang.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define LOCAL_ZONE_NAME_MAX        64
#define LOCAL_ZONE_TRANSITIONS_MAX 256
#define LOCAL_ZONE_DEFAULT         "Asia/Shanghai"
/* Moments the terminal shows: from 2000-01-01 to 2099-12-31 (UTC). Anything
 * else is a clock or a platform gone wrong and is shown as "unknown". */
#define LOCAL_TIME_FIRST ((int64_t)946684800)
#define LOCAL_TIME_LAST  ((int64_t)4102444799)
/* Room for any form in any language, with the NUL. */
#define LOCAL_TIME_TEXT_MAX 48

typedef struct local_zone {
    char name[LOCAL_ZONE_NAME_MAX];
    int32_t initial_offset_s; /* before the first transition kept */
    size_t count;
    int64_t at[LOCAL_ZONE_TRANSITIONS_MAX];       /* UTC seconds, ascending */
    int32_t offset_s[LOCAL_ZONE_TRANSITIONS_MAX]; /* east of UTC, from at[i] on */
} local_zone;

typedef enum local_time_form {
    LOCAL_TIME_DATE_TIME, /* 2026年12月7日 12:19 / 7 Dec 2026, 12:19 */
    LOCAL_TIME_DATE,      /* 2026年12月7日 / 7 Dec 2026 */
    LOCAL_TIME_CLOCK,     /* 12:19 */
} local_time_form;

/* A zone name the tz database could hold: letters, digits, '_', '+', '-'
 * and '/' between parts, no "..", at most 63 bytes. */
bool local_zone_name_valid(const char *name);

/* Reads the zone from the system's tz database. Errors: MALFORMED (a bad
 * name or file), NOT_FOUND (no such zone and no built-in one), with diag. */
kiosk_error local_zone_load(const char *name, local_zone *out, kiosk_diag *diag) KIOSK_MUST_CHECK;

/* The same from a directory laid out like /usr/share/zoneinfo (tests). */
kiosk_error local_zone_load_from(const char *directory, const char *name, local_zone *out,
                                 kiosk_diag *diag) KIOSK_MUST_CHECK;

/* A zone of one fixed offset (east of UTC), named name. */
void local_zone_fixed(local_zone *out, const char *name, int32_t offset_s);

/* Seconds east of UTC in the zone at the moment at. */
int32_t local_zone_offset(const local_zone *zone, int64_t at);

/* The moment at, in the zone, in language and form, into out. A moment out
 * of LOCAL_TIME_FIRST..LOCAL_TIME_LAST writes the language's "time unknown"
 * and answers KIOSK_ERR_MALFORMED; a short buffer answers TOO_BIG (out is
 * then ""). */
kiosk_error local_time_format(const local_zone *zone, lang language, local_time_form form,
                              int64_t at, char *out, size_t size);

/* The moment at as the zone's calendar and clock (tm_gmtoff and tm_zone
 * are left 0). False when at is out of LOCAL_TIME_FIRST..LOCAL_TIME_LAST. */
bool local_time_broken_down(const local_zone *zone, int64_t at, struct tm *out);

/* Reads a UTC time exactly as the platform writes it,
 * "YYYY-MM-DDTHH:MM:SSZ" (20 characters; nothing before or after, every
 * field in range, the day in its month), into *out. Errors: MALFORMED. */
kiosk_error local_time_parse_utc(const char *text, int64_t *out) KIOSK_MUST_CHECK;

/* Both steps: the platform's UTC text as the citizen reads it; text that
 * does not parse writes "time unknown" and answers MALFORMED. */
kiosk_error local_time_format_utc(const local_zone *zone, lang language, local_time_form form,
                                  const char *utc, char *out, size_t size);

#endif
