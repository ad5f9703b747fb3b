#include "firmware/base/log.h"
#include "firmware/base/base_probes.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static _Atomic int current_level = LOG_LEVEL_INFO;
/* Static storage starts zeroed: no writer (an explicit NULL initialiser is
 * not a constant for an _Atomic function pointer under clang). */
static _Atomic(log_writer) current_writer;
static void *_Atomic writer_context;

void log_set_writer(log_writer writer, void *context)
{
    atomic_store(&writer_context, context);
    atomic_store(&current_writer, writer);
}

void log_set_level(log_level level)
{
    atomic_store(&current_level, (int)level);
}

bool log_level_parse(const char *text, log_level *out)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(text, names[i]) == 0) {
            *out = (log_level)i;
            return true;
        }
    }
    return false;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* How many characters of the run starting at text form one number: digits,
 * plus a final X when it makes an 18-character ID number. */
static size_t number_run_length(const char *text)
{
    size_t length = 0;
    while (is_digit(text[length]))
        length++;
    if (length == 17 && (text[length] == 'X' || text[length] == 'x'))
        length++;
    return length;
}

static bool is_letter(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* A foreign permanent residence permit number of before 2023: three letters
 * of nationality and twelve digits (FRA310088041200), standing alone. Its
 * digits alone are no number the other rules know, so without this it would
 * be logged, shown and printed whole. */
static bool is_permit_number(const char *text)
{
    for (int i = 0; i < 15; i++) {
        if (i < 3 ? !is_letter(text[i]) : !is_digit(text[i]))
            return false;
    }
    return !is_digit(text[15]) && !is_letter(text[15]);
}

static bool is_mobile_number(const char *digits, size_t length)
{
    if (length == 13 && digits[0] == '8' && digits[1] == '6')
        return is_mobile_number(digits + 2, 11);
    return length == 11 && digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9';
}

/* Appends src[0..length) to out, turning positions [keep_head, length-keep_tail)
 * into '*'. Returns the new used length (never past out_size - 1). */
static size_t append_masked(char *out, size_t used, size_t out_size, const char *src, size_t length,
                            size_t keep_head, size_t keep_tail)
{
    for (size_t i = 0; i < length && used + 1 < out_size; i++) {
        bool hidden = i >= keep_head && i + keep_tail < length;
        out[used++] = hidden ? '*' : src[i];
    }
    return used;
}

size_t log_mask_personal(const char *text, char *out, size_t out_size)
{
    size_t used = 0;
    size_t masked = 0;
    if (out_size == 0)
        return 0;
    while (*text && used + 1 < out_size) {
        bool starts_word = used == 0 || (!is_letter(text[-1]) && !is_digit(text[-1]));
        if (starts_word && is_permit_number(text)) {
            masked++;
            used = append_masked(out, used, out_size, text, 15, 6, 4);
            text += 15;
            continue;
        }
        bool starts_run = is_digit(*text) && (used == 0 || !is_digit(text[-1]));
        if (!starts_run) {
            out[used++] = *text++;
            continue;
        }
        size_t length = number_run_length(text);
        size_t head = length, tail = 0;
        if (length == 18 || length == 15) {
            head = 6;
            tail = 4;
        } else if (is_mobile_number(text, length)) {
            head = length - 8;
            tail = 4;
        }
        if (head < length)
            masked++;
        used = append_masked(out, used, out_size, text, length, head, tail);
        text += length;
    }
    out[used] = '\0';
    return masked;
}

/* The code point of a bidirectional control (LRM, RLM, the embeddings and
 * overrides, the isolates) or a C1 control at text, with its length in
 * bytes; 0 for anything else. */
static unsigned invisible_control_at(const unsigned char *text, size_t *bytes)
{
    if (text[0] == 0xC2 && text[1] >= 0x80 && text[1] <= 0x9F) {
        *bytes = 2;
        return text[1];
    }
    if (text[0] != 0xE2 || (text[1] != 0x80 && text[1] != 0x81) || text[2] < 0x80 || text[2] > 0xBF)
        return 0;
    unsigned code = 0x2000u | ((unsigned)(text[1] & 0x3F) << 6) | (unsigned)(text[2] & 0x3F);
    bool bidi = code == 0x200E || code == 0x200F || (code >= 0x202A && code <= 0x202E) ||
                (code >= 0x2066 && code <= 0x2069);
    *bytes = 3;
    return bidi ? code : 0;
}

size_t log_escape_controls(const char *text, char *out, size_t out_size)
{
    size_t used = 0, escaped = 0;
    if (out_size == 0)
        return 0;
    const unsigned char *at = (const unsigned char *)text;
    while (*at) {
        char escape[8];
        size_t bytes = 1;
        unsigned code = 0;
        if (*at < 0x20 || *at == 0x7F)
            snprintf(escape, sizeof escape, "\\x%02X", *at);
        else if ((code = invisible_control_at(at, &bytes)) != 0)
            snprintf(escape, sizeof escape, "\\u%04X", code);
        else {
            if (used + 1 >= out_size)
                break;
            out[used++] = (char)*at++;
            continue;
        }
        size_t length = strlen(escape);
        if (used + length >= out_size)
            break;
        memcpy(out + used, escape, length);
        used += length;
        at += bytes;
        escaped++;
    }
    out[used] = '\0';
    return escaped;
}

/* The recent lines: a ring of whole lines, each already masked. */
#define RECENT_LINE_MAX 1200
static struct {
    pthread_mutex_t lock;
    char lines[LOG_RECENT_LINES][RECENT_LINE_MAX];
    size_t next;  /* the slot the next line goes to */
    size_t count; /* lines kept, up to LOG_RECENT_LINES */
} recent = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void keep_recent(const char *line, size_t length)
{
    if (length >= RECENT_LINE_MAX)
        length = RECENT_LINE_MAX - 1;
    pthread_mutex_lock(&recent.lock);
    memcpy(recent.lines[recent.next], line, length);
    recent.lines[recent.next][length] = '\0';
    recent.next = (recent.next + 1) % LOG_RECENT_LINES;
    if (recent.count < LOG_RECENT_LINES)
        recent.count++;
    pthread_mutex_unlock(&recent.lock);
}

size_t log_recent(char *out, size_t out_size, size_t max_lines)
{
    if (out_size == 0)
        return 0;
    out[0] = '\0';
    pthread_mutex_lock(&recent.lock);
    size_t lines = max_lines < recent.count ? max_lines : recent.count;
    /* Newest first, to know how many fit; then copied oldest first. */
    size_t fit = 0, bytes = 0;
    while (fit < lines) {
        size_t slot = (recent.next + LOG_RECENT_LINES - 1 - fit) % LOG_RECENT_LINES;
        size_t length = strlen(recent.lines[slot]);
        if (bytes + length + 1 > out_size)
            break;
        bytes += length;
        fit++;
    }
    size_t used = 0;
    for (size_t i = fit; i > 0; i--) {
        size_t slot = (recent.next + LOG_RECENT_LINES - i) % LOG_RECENT_LINES;
        size_t length = strlen(recent.lines[slot]);
        memcpy(out + used, recent.lines[slot], length);
        used += length;
    }
    out[used] = '\0';
    pthread_mutex_unlock(&recent.lock);
    return fit;
}

static const char level_letters[] = {'E', 'W', 'I', 'D'};

void log_message(log_level level, const char *module, const char *format, ...)
{
    if ((int)level > atomic_load(&current_level))
        return;

    char raw[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(raw, sizeof raw, format, args);
    va_end(args);

    char masked[1024];
    log_mask_personal(raw, masked, sizeof masked);
    char shown[1024];
    log_escape_controls(masked, shown, sizeof shown);

    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    char line[1200];
    int length = snprintf(line, sizeof line, "kiosk %5lld.%03ld %c %s: %s\n", (long long)now.tv_sec,
                          now.tv_nsec / 1000000L, level_letters[level], module, shown);
    if (length < 0)
        return;
    if ((size_t)length >= sizeof line) {
        length = (int)sizeof line - 1;
        line[length - 1] = '\n';
    }
    keep_recent(line, (size_t)length);
    log_writer writer = atomic_load(&current_writer);
    if (writer) {
        writer(atomic_load(&writer_context), line, (size_t)length);
        return;
    }
    /* One write per line keeps lines whole when threads log at once. */
    ssize_t written = write(STDERR_FILENO, line, (size_t)length);
    (void)written;
}
