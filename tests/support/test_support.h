/* Helpers shared by the tests: paths, temporary files, a test clock, running
 * the kiosk binary, and comparing images. */
#ifndef KIOSK_TESTS_SUPPORT_H
#define KIOSK_TESTS_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four above first. */
#include <cmocka.h>

#include "firmware/app/app.h"
#include "firmware/app/app_print.h"
#include "firmware/app/app_probe.h"
#include "firmware/app/app_session.h"
#include "firmware/app/navigation.h"
#include "firmware/base/lang.h"
#include "offline-cache/outbox.h"

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <time.h>

/* 2026-11-22 09:30 UTC, a Sunday: the title bar shows 17:30, the hall's time in Beijing. */
#define TEST_WALL_TIME ((time_t)1795339800)

/* The source tree (assets/, board/, tests/). */
const char *test_source_dir(void);

/* A fresh empty directory under build/test-tmp; the path stays valid until
 * the next call. */
const char *test_make_temp_dir(const char *name);

/* Writes text to dir/name and returns the path (static buffer per call slot:
 * up to 8 live at once). */
const char *test_write_file(const char *dir, const char *name, const char *text);

/* Reads a whole file into a static buffer; NULL when it cannot. */
const char *test_read_file(const char *path);

/* Replaces the first occurrence of from with to in a copy of text (static buffer). */
const char *test_replace(const char *text, const char *from, const char *to);

/* The test clocks: a fixed wall time and a monotonic clock tests advance. */
extern uint64_t test_monotonic_now_ms;
app_clocks test_clocks(void);

/* A headless app on board (a name under board/profiles) in language, on the
 * home screen in a session just started. */
kiosk_app *test_app_create(const char *board, lang language);

/* The same, on the attract screen with no session. */
kiosk_app *test_app_create_attract(const char *board, lang language);

/* A copy of board (a name under board/profiles) whose data lives in a fresh
 * temporary directory (returned in *data_dir), so a test that keeps a
 * submission never touches the board's own data_dir. Returns its path, for
 * test_app_create. */
const char *test_board_in_temp(const char *board, const char **data_dir);

/* The same, where the offline store cannot be opened (a directory stands
 * where its file would be): a submission cannot be kept. */
const char *test_board_unkept(const char *board);

/* Either, starting in theme (a ui_theme_id). board: a profile's name (its
 * data then goes to a temporary directory) or a path. */
kiosk_app *test_app_create_with(const char *board, lang language, bool start_home, int theme);

/* Puts a finger down on (SDL_FINGERDOWN) or lifts it from (SDL_FINGERUP) the
 * centre of the widget with this id, then lets the app handle it. A finger
 * going down comes 400 ms after whatever came before, at a person's pace. */
void test_finger(kiosk_app *app, Uint32 type, const char *id);

/* Taps the centre of the widget with this id with a finger (down, up), then
 * lets the app handle it. Fails the test when there is no such widget. */
void test_tap(kiosk_app *app, const char *id);

/* Draws a finger's stroke across the widget with this id (a pad that follows
 * the finger): down at the first of count points, given in thousandths of
 * its width and height, moves about 8 px apart through the others, up at
 * the last, as the glass reports a finger; then lets the app handle it. */
void test_draw(kiosk_app *app, const char *id, const int (*points)[2], size_t count);

/* On the newborn bundle's form: the baby's name (field 8) typed on the
 * keyboard — 乐乐 in pinyin, or lele in letters where the build has no
 * pinyin — and 完成. Returns what the form then shows. */
const char *test_type_baby_name(kiosk_app *app);

/* On the signature pad: 王 in four strokes, then 完成 (the form shows). */
void test_sign(kiosk_app *app);

/* Types text on the on-screen keypad, one key tap per character. */
void test_type(kiosk_app *app, const char *text);
/* Runs fn(context) with stderr going to a file, and returns what was
 * written there (a static buffer, as test_read_file); for tests of what is
 * logged. */
const char *test_stderr_of(void (*fn)(void *context), void *context);

/* How many times what occurs in text. */
size_t test_count_of(const char *text, const char *what);

/* Opens a service from home and chooses to type the ID number instead of
 * laying the card. */
void test_open_typed(kiosk_app *app, const char *tile_id);
/* Handles events until the ID card reader's status is reason, or until the
 * screen is screen (either may be NULL); fails after a few seconds. */
void test_wait_reader(kiosk_app *app, const char *reason);
void test_wait_screen(kiosk_app *app, const char *screen);

/* Lets the app run (its device threads posting, its timers firing) until
 * done says so, for a few seconds at most: false when it never did. */
bool test_run_until(kiosk_app *app, bool (*done)(kiosk_app *app, const void *context),
                    const void *context);
/* Lets the app run until the scanner's status reason is reason. */
void test_wait_scanner(kiosk_app *app, const char *reason);
/* Taps a home tile, paging on until it shows. */
void test_tap_tile(kiosk_app *app, const char *tile_id);
/* Lets the app run until widget id shows text (fails after a while). */
void test_wait_text(kiosk_app *app, const char *id, const char *text);
/* On the result screen: print the receipt and wait until it is out. */
void test_print_and_wait(kiosk_app *app);

/* Shows the result screen for a made-up citizen (outcome: ui_result_outcome). */
void test_show_result(kiosk_app *app, int outcome);

/* The text the widget with this id shows (fails the test when absent). */
const char *test_text_of(kiosk_app *app, const char *id);

/* Runs the program with args (NULL-terminated), capturing its stderr and
 * stdout into the given buffers; returns the exit status (or 128 + signal). */
int test_run(const char *const *argv, char *err, size_t err_size, char *out, size_t out_size);

/* The kiosk binary under test (KIOSK_BINARY, or build/asan/kiosk). */
const char *test_kiosk_binary(void);

/* Compares two ARGB8888 surfaces of one size: a pixel differs when any
 * channel differs by more than channel_tolerance. Returns the number of
 * differing pixels, or -1 when sizes differ. When diff is not NULL it receives
 * a new surface: the actual image dimmed, differing pixels in red. */
long test_compare_images(SDL_Surface *expected, SDL_Surface *actual, int channel_tolerance,
                         SDL_Surface **diff);

/* Claims the outbox's due records like cache_outbox_claim, but only the
 * citizens' (submissions, ratings, staff calls): the audit trail's rows,
 * which travel in the same outbox, are left aside (and freed). */
kiosk_error test_claim_citizen_records(cache_store *store, size_t max, cache_record *out,
                                       size_t *count);

#endif
