/* Pinyin input through librime: keystrokes in, Chinese candidates out.
 *
 * One engine for the process. ui_pinyin_start prepares it on a worker
 * thread (librime's setup and the kiosk's limited schema written to the
 * user data folder) so that nobody waits for it; until ui_pinyin_ready says
 * so, a keyboard offers its other ways of typing. Only luna_pinyin_simp is
 * ever used (docs/text-input.md): simplified output for zh-CN, the same
 * schema with its simplifier switched off for Traditional (zh-TW). Learning
 * is off: nothing a citizen types is written to disk.
 *
 * A session is one text entry: opened when the keyboard opens, closed (its
 * composition cleared) when the entry ends. Main thread only, apart from the
 * preparation, which is the engine's own.
 *
 * Without librime (KIOSK_HAVE_RIME undefined, the arm64 cross build) every
 * call says unavailable. */
#ifndef KIOSK_UI_IME_PINYIN_H
#define KIOSK_UI_IME_PINYIN_H

#include "firmware/base/error.h"

#include <stdbool.h>
#include <stddef.h>

/* Room for one candidate (a phrase of a few characters) and for the
 * composition ("she bao"). */
#define UI_PINYIN_CANDIDATE_MAX   64
#define UI_PINYIN_COMPOSITION_MAX 128

typedef enum ui_pinyin_state {
    UI_PINYIN_UNAVAILABLE, /* built without librime, or its preparation failed */
    UI_PINYIN_PREPARING,   /* started, not yet ready */
    UI_PINYIN_READY,
} ui_pinyin_state;

/* Starts preparing the engine with the shared data in shared_dir (Debian:
 * /usr/share/rime-data) and its own files in user_dir (created, 0700).
 * Returns at once. A second start while one is under way or done is
 * KIOSK_OK and changes nothing. */
kiosk_error ui_pinyin_start(const char *shared_dir, const char *user_dir) KIOSK_MUST_CHECK;

ui_pinyin_state ui_pinyin_state_now(void);

/* Waits up to timeout_ms for the preparation (tests, benchmarks); true when
 * the engine is ready. */
bool ui_pinyin_wait_ready(int timeout_ms);

/* Ends every session and the engine (waits for a preparation under way). */
void ui_pinyin_stop(void);

/* Why the engine is unavailable, for the log ("" when it is not). */
const char *ui_pinyin_problem(void);

typedef struct ui_pinyin_session ui_pinyin_session;

/* A session for one entry; traditional: Traditional characters (zh-TW).
 * NULL when the engine is not ready or out of memory. */
ui_pinyin_session *ui_pinyin_session_open(bool traditional);

/* Clears the composition and ends the session. NULL is fine. */
void ui_pinyin_session_close(ui_pinyin_session *session);

/* A letter a-z (lower case) adds to the composition; '\b' takes its last
 * letter off. False when the key did nothing (not a letter, or nothing to
 * delete). */
bool ui_pinyin_key(ui_pinyin_session *session, int key);

/* The composition as the engine spells it ("she bao"), "" when empty. */
void ui_pinyin_composition(ui_pinyin_session *session, char *out, size_t size);

/* Whether anything is being composed. */
bool ui_pinyin_composing(ui_pinyin_session *session);

/* Candidates first..first+max-1 of the composition into out; returns how
 * many, and *more says whether any follow. */
size_t ui_pinyin_candidates(ui_pinyin_session *session, size_t first,
                            char out[][UI_PINYIN_CANDIDATE_MAX], size_t max, bool *more);

/* Chooses candidate index (counted from the first of all): what it
 * commits is written to committed ("" when the choice covered only part
 * of the composition, which then goes on). False when there is no such
 * candidate. */
bool ui_pinyin_choose(ui_pinyin_session *session, size_t index, char *committed, size_t size);

/* Forgets the composition. */
void ui_pinyin_clear(ui_pinyin_session *session);

#endif
