/* Logging: one line per message to stderr, with a level and the module name.
 *
 * Every message passes through log_mask_personal() before it is written, so an
 * ID number or phone number that slips into a message is masked in the log,
 * and through log_escape_controls(), so text from outside (a platform's
 * answer, a scanned code) cannot add lines or reorder one.
 * Thread-safe: each line is written with a single write(2).
 */
#ifndef KIOSK_FIRMWARE_BASE_LOG_H
#define KIOSK_FIRMWARE_BASE_LOG_H

#include <stdbool.h>
#include <stddef.h>

typedef enum log_level {
    LOG_LEVEL_ERROR = 0,
    LOG_LEVEL_WARN,
    LOG_LEVEL_INFO,
    LOG_LEVEL_DEBUG,
} log_level;

/* Messages above this level are dropped. Default: LOG_LEVEL_INFO. */
void log_set_level(log_level level);

/* Parses "error", "warn", "info" or "debug"; false for anything else. */
bool log_level_parse(const char *text, log_level *out);

void log_message(log_level level, const char *module, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

#define LOG_ERROR(module, ...) log_message(LOG_LEVEL_ERROR, module, __VA_ARGS__)
#define LOG_WARN(module, ...)  log_message(LOG_LEVEL_WARN, module, __VA_ARGS__)
#define LOG_INFO(module, ...)  log_message(LOG_LEVEL_INFO, module, __VA_ARGS__)
#define LOG_DEBUG(module, ...) log_message(LOG_LEVEL_DEBUG, module, __VA_ARGS__)

/* Copies text into out (always NUL-terminated, truncated to out_size) with
 * personal numbers masked:
 *   resident ID numbers (18 characters, the last a digit or X; or the old
 *   15-digit form) keep their first 6 and last 4: 110105********1234;
 *   foreign permanent residence permit numbers (3 letters and 12 digits,
 *   the pre-2023 form; the 2023 form is 18 digits, masked as an ID number)
 *   keep their first 6 and last 4: FRA310*****1200;
 *   mainland mobile numbers (11 digits, 1[3-9]..., optionally after 86) keep
 *   their first 3 and last 4: 138****5678.
 * Other digit runs are left alone. Returns the number of numbers masked. */
size_t log_mask_personal(const char *text, char *out, size_t out_size);

/* Copies text into out (always NUL-terminated, truncated to out_size, never
 * inside an escape) with what could forge or disguise a log line made
 * visible: control bytes (a newline would start a line that looks like our
 * own) and DEL as \xNN, C1 controls and the bidirectional controls (which
 * reorder what a technician reads) as \uNNNN. Everything else, Chinese
 * included, is copied as it is. Returns the number of characters escaped. */
size_t log_escape_controls(const char *text, char *out, size_t out_size);

/* The last LOG_RECENT_LINES lines logged (as written: masked, each with its
 * level, module and newline), kept in memory for technicians (kioskctl
 * logs, the log export). Copies the last max_lines of them, oldest first,
 * into out (always NUL-terminated; the oldest lines are dropped first when
 * out is too small); returns the number of lines copied. Any thread. */
#define LOG_RECENT_LINES 256
size_t log_recent(char *out, size_t out_size, size_t max_lines);

#endif
