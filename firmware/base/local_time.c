/* Times as the citizen reads them. See local_time.h. */
#include "firmware/base/local_time.h"

#include "firmware/base/file.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZONEINFO_DIR  "/usr/share/zoneinfo"
#define TZIF_FILE_MAX (256 * 1024)
#define TZIF_HEADER   44

bool local_zone_name_valid(const char *name)
{
    size_t length = name ? strlen(name) : 0;
    if (length == 0 || length >= LOCAL_ZONE_NAME_MAX || name[0] == '/' || name[length - 1] == '/')
        return false;
    if (strstr(name, "..") || strstr(name, "//"))
        return false;
    for (const char *c = name; *c; c++) {
        bool ok = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
                  (*c >= '0' && *c <= '9') || *c == '_' || *c == '+' || *c == '-' || *c == '/';
        if (!ok)
            return false;
    }
    return true;
}

void local_zone_fixed(local_zone *out, const char *name, int32_t offset_s)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", name);
    out->initial_offset_s = offset_s;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

typedef struct tzif_counts {
    uint32_t isut, isstd, leap, time, type, chars;
} tzif_counts;

static bool read_header(const unsigned char *p, size_t left, tzif_counts *c)
{
    if (left < TZIF_HEADER || memcmp(p, "TZif", 4) != 0)
        return false;
    *c = (tzif_counts){be32(p + 20), be32(p + 24), be32(p + 28),
                       be32(p + 32), be32(p + 36), be32(p + 40)};
    /* Bounds from RFC 8536; anything larger is not a zone file. */
    return c->type >= 1 && c->type <= 256 && c->time <= 100000 && c->leap <= 10000 &&
           c->chars <= 10000 && (c->isut == 0 || c->isut == c->type) &&
           (c->isstd == 0 || c->isstd == c->type);
}

static size_t body_size(const tzif_counts *c, size_t time_size)
{
    return (size_t)c->time * time_size + c->time + (size_t)c->type * 6 + c->chars +
           (size_t)c->leap * (time_size + 4) + c->isstd + c->isut;
}

/* Keeps the transitions of the 64-bit block that matter to the moments
 * shown (LOCAL_TIME_FIRST..LOCAL_TIME_LAST): the offset in force at the
 * first, and the changes after it. */
static kiosk_error parse_tzif(const char *path, const unsigned char *data, size_t size,
                              local_zone *out, kiosk_diag *diag)
{
    tzif_counts v1, v2;
    if (!read_header(data, size, &v1) || data[4] < '2')
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "%s: not a TZif version 2 or later zone file", path);
    size_t skip = TZIF_HEADER + body_size(&v1, 4);
    if (skip > size || !read_header(data + skip, size - skip, &v2) ||
        body_size(&v2, 8) > size - skip - TZIF_HEADER)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: the zone file is cut short", path);
    const unsigned char *times = data + skip + TZIF_HEADER;
    const unsigned char *indices = times + (size_t)v2.time * 8;
    const unsigned char *types = indices + v2.time;
    for (uint32_t i = 0; i < v2.time; i++)
        if (indices[i] >= v2.type)
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "%s: transition %u names a type that is not there", path, i);
    for (uint32_t t = 0; t < v2.type; t++) {
        int32_t offset = (int32_t)be32(types + (size_t)t * 6);
        if (offset < -25 * 3600 || offset > 26 * 3600)
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: type %u is %d s from UTC", path,
                                  t, offset);
    }
    out->initial_offset_s = (int32_t)be32(types); /* type 0: before any transition */
    out->count = 0;
    int64_t previous = INT64_MIN;
    for (uint32_t i = 0; i < v2.time; i++) {
        int64_t at = be64(times + (size_t)i * 8);
        if (at <= previous)
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: transitions out of order at %u",
                                  path, i);
        previous = at;
        int32_t offset = (int32_t)be32(types + (size_t)indices[i] * 6);
        if (at <= LOCAL_TIME_FIRST) {
            out->initial_offset_s = offset;
            continue;
        }
        if (at > LOCAL_TIME_LAST)
            break;
        if (out->count == LOCAL_ZONE_TRANSITIONS_MAX)
            return kiosk_diag_set(diag, KIOSK_ERR_TOO_BIG, "%s: over %d transitions", path,
                                  LOCAL_ZONE_TRANSITIONS_MAX);
        out->at[out->count] = at;
        out->offset_s[out->count] = offset;
        out->count++;
    }
    return KIOSK_OK;
}

/* Zones the terminal knows without the tz database: the hall's default,
 * and UTC. China has kept +08:00 without daylight saving since 1991. */
static bool built_in(const char *name, local_zone *out)
{
    if (strcmp(name, "Asia/Shanghai") == 0 || strcmp(name, "PRC") == 0) {
        local_zone_fixed(out, name, 8 * 3600);
        return true;
    }
    if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0) {
        local_zone_fixed(out, name, 0);
        return true;
    }
    return false;
}

kiosk_error local_zone_load_from(const char *directory, const char *name, local_zone *out,
                                 kiosk_diag *diag)
{
    memset(out, 0, sizeof *out);
    if (!local_zone_name_valid(name))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "timezone: \"%.64s\" is not a zone name like Asia/Shanghai",
                              name ? name : "");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", directory, name);
    char *data = NULL;
    size_t size = 0;
    kiosk_error read = file_read_all(path, TZIF_FILE_MAX, &data, &size, diag);
    if (read == KIOSK_ERR_NOT_FOUND && built_in(name, out))
        return KIOSK_OK;
    if (read == KIOSK_ERR_NOT_FOUND)
        return kiosk_diag_set(diag, KIOSK_ERR_NOT_FOUND,
                              "timezone: no zone \"%s\" in %s (is tzdata installed?)", name,
                              directory);
    if (read != KIOSK_OK)
        return read;
    kiosk_error parsed = parse_tzif(path, (const unsigned char *)data, size, out, diag);
    free(data);
    if (parsed != KIOSK_OK) {
        memset(out, 0, sizeof *out);
        return parsed;
    }
    snprintf(out->name, sizeof out->name, "%s", name);
    return KIOSK_OK;
}

kiosk_error local_zone_load(const char *name, local_zone *out, kiosk_diag *diag)
{
    return local_zone_load_from(ZONEINFO_DIR, name, out, diag);
}

int32_t local_zone_offset(const local_zone *zone, int64_t at)
{
    /* The last transition at or before at: a binary search. */
    size_t low = 0, high = zone->count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (zone->at[middle] <= at)
            low = middle + 1;
        else
            high = middle;
    }
    return low == 0 ? zone->initial_offset_s : zone->offset_s[low - 1];
}

static const char *unknown_text(lang language)
{
    switch (language) {
    case LANG_ZH_TW:
        return "時間不詳";
    case LANG_EN:
        return "time unknown";
    default:
        return "时间不详";
    }
}

static kiosk_error put(char *out, size_t size, kiosk_error result, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

static kiosk_error put(char *out, size_t size, kiosk_error result, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int n = vsnprintf(out, size, format, args);
    va_end(args);
    if (n < 0 || (size_t)n >= size) {
        if (size)
            out[0] = '\0';
        return KIOSK_ERR_TOO_BIG;
    }
    return result;
}

bool local_time_broken_down(const local_zone *zone, int64_t at, struct tm *out)
{
    memset(out, 0, sizeof *out);
    if (at < LOCAL_TIME_FIRST || at > LOCAL_TIME_LAST)
        return false;
    /* The local moment as if it were UTC: gmtime_r keeps no state. */
    time_t shifted = (time_t)(at + local_zone_offset(zone, at));
    return gmtime_r(&shifted, out) != NULL;
}

kiosk_error local_time_format(const local_zone *zone, lang language, local_time_form form,
                              int64_t at, char *out, size_t size)
{
    if (!out || size == 0)
        return KIOSK_ERR_INVALID_ARGUMENT;
    if (at < LOCAL_TIME_FIRST || at > LOCAL_TIME_LAST)
        return put(out, size, KIOSK_ERR_MALFORMED, "%s", unknown_text(language));
    struct tm t;
    if (!local_time_broken_down(zone, at, &t))
        return put(out, size, KIOSK_ERR_MALFORMED, "%s", unknown_text(language));
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int year = t.tm_year + 1900, month = t.tm_mon + 1, day = t.tm_mday;
    if (form == LOCAL_TIME_CLOCK)
        return put(out, size, KIOSK_OK, "%02d:%02d", t.tm_hour, t.tm_min);
    if (language == LANG_EN) {
        if (form == LOCAL_TIME_DATE)
            return put(out, size, KIOSK_OK, "%d %s %d", day, months[t.tm_mon], year);
        return put(out, size, KIOSK_OK, "%d %s %d, %02d:%02d", day, months[t.tm_mon], year,
                   t.tm_hour, t.tm_min);
    }
    if (form == LOCAL_TIME_DATE)
        return put(out, size, KIOSK_OK, "%d年%d月%d日", year, month, day);
    return put(out, size, KIOSK_OK, "%d年%d月%d日 %02d:%02d", year, month, day, t.tm_hour,
               t.tm_min);
}

static bool digits(const char *text, int count, int *out)
{
    int value = 0;
    for (int i = 0; i < count; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        value = value * 10 + (text[i] - '0');
    }
    *out = value;
    return true;
}

kiosk_error local_time_parse_utc(const char *text, int64_t *out)
{
    int year, month, day, hour, minute, second;
    if (!text || strlen(text) != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
        text[13] != ':' || text[16] != ':' || text[19] != 'Z' || !digits(text, 4, &year) ||
        !digits(text + 5, 2, &month) || !digits(text + 8, 2, &day) ||
        !digits(text + 11, 2, &hour) || !digits(text + 14, 2, &minute) ||
        !digits(text + 17, 2, &second))
        return KIOSK_ERR_MALFORMED;
    static const int days_in[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month < 1 || month > 12 || day < 1 ||
        day > days_in[month - 1] + (month == 2 && leap ? 1 : 0) || hour > 23 || minute > 59 ||
        second > 60)
        return KIOSK_ERR_MALFORMED;
    /* Days from the civil date (Howard Hinnant's algorithm): no timegm, no
     * environment. */
    int y = year - (month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = (int64_t)era * 146097 + doe - 719468;
    *out = days * 86400 + hour * 3600 + minute * 60 + (second == 60 ? 59 : second);
    return KIOSK_OK;
}

kiosk_error local_time_format_utc(const local_zone *zone, lang language, local_time_form form,
                                  const char *utc, char *out, size_t size)
{
    int64_t at = 0;
    if (local_time_parse_utc(utc, &at) != KIOSK_OK)
        return put(out, size, KIOSK_ERR_MALFORMED, "%s", unknown_text(language));
    return local_time_format(zone, language, form, at, out, size);
}
