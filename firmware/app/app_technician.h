/* A technician's tools at the terminal (firmware/app/app_selftest.c,
 * app_cert.c): each device's self-test, and the terminal's client
 * certificate. Used by the technician's screens and by kioskctl. Main
 * thread only; what takes time runs on a worker and reports through done,
 * called on the main thread. */
#ifndef KIOSK_FIRMWARE_APP_APP_TECHNICIAN_H
#define KIOSK_FIRMWARE_APP_APP_TECHNICIAN_H

#include "firmware/app/app_core.h"

#include <stdbool.h>
#include <stdint.h>

#define APP_SELFTESTS(X)                                                                           \
    X(CARD, card)       /* read a test card laid on the reader */                                  \
    X(PRINTER, printer) /* print a test page on the receipt printer */                             \
    X(A4, a4)           /* print a test page on the A4 printer */                                  \
    X(SCANNER, scanner) /* scan a test code */                                                     \
    X(TOUCH, touch)     /* touch every target; calibration kept per board */                       \
    X(SCREEN, screen)   /* a test pattern */                                                       \
    X(SPEAKER, speaker) /* a spoken test sentence */                                               \
    X(KEYPAD, keypad)   /* press every key */

typedef enum app_selftest_kind {
#define APP_SELFTEST_ENUM(upper, lower) APP_SELFTEST_##upper,
    APP_SELFTESTS(APP_SELFTEST_ENUM)
#undef APP_SELFTEST_ENUM
        APP_SELFTEST_COUNT,
} app_selftest_kind;

const char *app_selftest_name(app_selftest_kind kind);
bool app_selftest_parse(const char *name, app_selftest_kind *out);

typedef enum app_selftest_outcome {
    APP_SELFTEST_RUNNING = 0,
    APP_SELFTEST_PASSED,
    APP_SELFTEST_FAILED,
    APP_SELFTEST_ABSENT, /* the board has no such device */
} app_selftest_outcome;

typedef struct app_selftest_result {
    app_selftest_kind kind;
    app_selftest_outcome outcome;
    char detail[200]; /* what was seen: "printed 1 page", "no paper" */
    char remedy[200]; /* what to do when it failed: "load paper, close the cover" */
} app_selftest_result;

typedef void (*app_selftest_done)(const app_selftest_result *result, void *context);

/* Starts kind's self-test (audited with the current actor, or actor when
 * not NULL); done is called once, maybe before this returns. Errors: BUSY
 * (one is running). */
kiosk_error app_selftest_start(kiosk_app *app, app_selftest_kind kind, const char *actor,
                               app_selftest_done done, void *context) KIOSK_MUST_CHECK;

/* A self-test is running (and which, in *kind when not NULL). */
bool app_selftest_running(const kiosk_app *app, app_selftest_kind *kind);
/* The last result of kind since the app started (RUNNING while it runs);
 * false when it never ran. */
bool app_selftest_last(const kiosk_app *app, app_selftest_kind kind, app_selftest_result *out);
/* Ends the running test as failed ("cancelled"): the technician left it. */
void app_selftest_cancel(kiosk_app *app);
/* The screen and touch tests are judged by the technician who looks and
 * touches: seen_right passes the running one, else it fails. */
void app_selftest_judged(kiosk_app *app, bool seen_right);
/* The touch test's targets were all touched: the mean offset (dx, dy,
 * screen pixels, folded into the board's calibration by
 * app_input_calibration_measured), and the worst miss left after it; it
 * passes when that is within APP_SELFTEST_TOUCH_TOLERANCE_PX. */
#define APP_SELFTEST_TOUCH_TOLERANCE_PX 12
void app_selftest_touch_measured(kiosk_app *app, int dx, int dy, int worst_px);
/* The keypad test saw key (a keypad_key) pressed. */
bool app_selftest_key_seen(const kiosk_app *app, int key);

/* The network diagnosis (app_tech_network.c): starts one toward the
 * board's platform on a worker (false: one is under way, or no thread);
 * whether one is under way; the last result (NULL: none yet); and, for
 * app.c's loop, taking a result the worker left. */
struct netdiag_result;
bool app_tech_network_start(kiosk_app *app);
bool app_tech_network_running(const kiosk_app *app);
const struct netdiag_result *app_tech_network_result(const kiosk_app *app);
void app_tech_network_tick(kiosk_app *app);

/* For app_devices.c and app.c: what a device produced while a test waits
 * for it is the test's (true: taken, not a citizen's card or scan); and
 * the test's time-out, as a timer (ms until due, -1: none). */
struct device_delivery;
bool app_selftest_delivery(kiosk_app *app, const struct device_delivery *delivery);
long long app_selftest_next_ms(const kiosk_app *app);
void app_selftest_tick(kiosk_app *app);

/* The terminal's client certificate toward the platform. */
typedef struct app_cert_status {
    bool present;
    char subject[200], issuer[200];
    int64_t not_after_s; /* wall clock */
    int days_left;       /* negative: expired */
    bool renew_soon;     /* 30 days or fewer left */
    char serial[80];     /* hex, as the issuer wrote it */
} app_cert_status;

kiosk_error app_cert_status_get(kiosk_app *app, app_cert_status *out) KIOSK_MUST_CHECK;

typedef void (*app_cert_done)(bool enrolled, const char *explanation, void *context);
/* Makes a new key on the terminal (it never leaves it), sends a CSR with the
 * one-time enrolment code to the platform, installs the certificate it
 * returns; audited. Errors: BUSY, INVALID_ARGUMENT (a code that cannot be
 * one). */
kiosk_error app_cert_enrol(kiosk_app *app, const char *code, const char *actor, app_cert_done done,
                           void *context) KIOSK_MUST_CHECK;
/* An enrolment is under way. */
bool app_cert_enrolling(const kiosk_app *app);
/* How the last enrolment since the app started ended: *name an
 * enrol_outcome_name ("installed", "code-refused", ...), *message what went
 * wrong ("" when installed); false when none ended yet. */
bool app_cert_last_outcome(const kiosk_app *app, const char **name, const char **message);
/* For app.c's loop: takes the outcome the worker left, audits it, calls
 * the enrolment's done. */
void app_cert_tick(kiosk_app *app);

#endif
