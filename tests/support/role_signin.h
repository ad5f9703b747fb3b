/* Staff and technicians at the real kiosk binary, for the end-to-end tests
 * of their screens (tests/e2e/test_kiosk_staff_desk.c,
 * test_kiosk_technician.c, test_kiosk_staff_qr.c): a development board
 * whose staff are the sample board's (build/staff/sample-credentials.json,
 * written by `make` from board/staff-sample.txt), a sign-in by card and the
 * PIN typed on the screen's keypad, and what the terminal audited, read
 * back from its store, from kioskctl's `audit verify` and from the
 * platform stand-in's copy. */
#ifndef KIOSK_TESTS_SUPPORT_ROLE_SIGNIN_H
#define KIOSK_TESTS_SUPPORT_ROLE_SIGNIN_H

#include "platform_fixture.h"

#include "offline-cache/audit.h"
#include "offline-cache/store.h"

#include <stddef.h>

/* At most this many audit rows are read back (a test keeps fewer). */
#define ROLE_AUDIT_ROWS_MAX 256

/* The kiosk's data directory: its board file's folder (a static buffer). */
const char *role_data_dir(const kiosk_proc *k);

/* A development board pointed at p whose staff are the sample board's,
 * started: the attract screen shows. */
void role_kiosk_up(const platform *p, kiosk_proc *k);

/* At the attract screen, the card behind the simulated reader's key
 * card_key ("8": 周晓梅, "9": 陈志强) laid, then pin typed on the PIN
 * screen's keypad, one tap a digit, and 登录: home ("staff",
 * "technician") shows. */
void role_signs_in_by_card(kiosk_proc *k, const char *card_key, const char *pin, const char *home);
/* The PIN typed on the PIN screen's keypad, one tap a digit. */
void role_types_pin(kiosk_proc *k, const char *pin);
/* The card lifted while screen shows, and time for the reader's next look
 * to see it gone. */
void role_lifts_card(kiosk_proc *k, const char *screen);

/* The kiosk's own store, opened with the key it made on its first start
 * (only while the kiosk is stopped); cache_close it. */
cache_store *role_kiosk_store(const kiosk_proc *k);
/* The audit rows the terminal kept, oldest first (the kiosk stopped):
 * their count, under ROLE_AUDIT_ROWS_MAX. */
size_t role_audit_rows(const kiosk_proc *k, cache_audit_row *rows);
/* kioskctl --json audit verify on the running kiosk's admin socket (the
 * board's default, in its data directory): the number of rows, after
 * checking the chain is intact. */
long role_kioskctl_audit_rows(const kiosk_proc *k);
/* The same on the admin socket at admin_socket. */
long kioskctl_audit_rows_at(const char *admin_socket);
/* Once the kiosk started again (its first heartbeat reports the audit head
 * at once): waits until the platform's copy of the trail explains that head
 * and holds rows rows, failing the test when it never does. */
void role_platform_trail_matches(const platform *p, size_t rows);

#endif
