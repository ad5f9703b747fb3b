/* The platform stand-in and the kiosk binary, for end-to-end tests: start
 * tools/platform-sim with fresh development certificates, ask its control
 * paths (faults, statistics), make a sync client or a kiosk pointed at it,
 * and drive the kiosk through its test control channel, step by step as a
 * citizen uses it. Stand-ins and kiosks still running when a test fails
 * are stopped by platform_stop_leftovers(). */
#ifndef KIOSK_TESTS_SUPPORT_PLATFORM_FIXTURE_H
#define KIOSK_TESTS_SUPPORT_PLATFORM_FIXTURE_H

#include "firmware/platform/sync.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define RECORDS_PER_FAULT 5
#define NOW_MS            ((int64_t)TEST_WALL_TIME * 1000)

typedef struct platform {
    pid_t pid;
    int port;
    char certs[1024];
    char state[1100];
} platform;

/* The development certificates (tools/dev-certs), made once per test run. */
extern char certs_dir[1024];
void make_certs(void);
void cert_path(char *out, size_t size, const char *name);

/* GET url as a phone does: the platform's CA trusted, no client
 * certificate. The HTTP status (0: no answer); *body malloc'd, the caller's. */
long platform_public_get(const char *url, char **body);
/* The sample catalog's path. */
const char *default_catalog(void);
/* The sample catalog as a platform sends it: under version (a JSON string,
 * quotes and all), with from replaced by to, in a fresh directory dir_name:
 * its path. */
const char *changed_catalog(const char *dir_name, const char *version, const char *from,
                            const char *to);

/* server_cert: NULL for the good one, else "expired", "wrong-host",
 * "unknown-ca"; catalog: the file served (NULL: the sample). */
void start_platform(platform *p, const char *server_cert);
void start_platform_serving(platform *p, const char *server_cert, const char *catalog);
void stop_platform(platform *p);
/* The staff credentials file the stand-ins started next publish
 * (--credentials), or NULL for none. */
extern const char *platform_credentials;
/* Children started and not yet stopped: a failed test stops them too. */
void platform_remember_pid(pid_t pid, bool alive);
void platform_stop_leftovers(void);

/* A control call (/_sim/...) over mutual TLS; the answer parsed. */
cJSON *platform_control(const platform *p, const char *path, const char *body);
/* A counter of /_sim/stats ("stored", "received", "duplicates"). */
long stat_of(const platform *p, const char *name);
/* A fault for every request until the next ("none" clears it). */
void set_fault(const platform *p, const char *fault);
/* Waits until the stand-in has stored at least count records. */
bool stored_reaches(const platform *p, long count, int seconds);

/* Every path a record travels by: singly, or in a batch (a plan's path may
 * name several prefixes; this one also catches status look-ups). */
#define RECORD_PATHS "/v1/submissions,/v1/ratings,/v1/staff-calls,/v1/batch"
/* A fault for count requests (-1: until cleared) on paths (NULL: /v1/). */
void set_fault_on(const platform *p, const char *fault, const char *paths, long count);
/* Single requests of a kind ("submission", "heartbeat", ...), or batches
 * ("batch"), whatever became of them: /_sim/stats' "requests". */
long requests_of(const platform *p, const char *kind);
/* A counter of one kind in /_sim/stats' "by_kind" ("stored", "received"). */
long kind_stat_of(const platform *p, const char *kind, const char *name);

/* One protocol request to the stand-in as terminal K0420, and its answer. */
typedef struct platform_reply {
    long status; /* 0: no answer */
    int curl_code;
    char content_type[96];
    char *body; /* malloc'd, NUL-terminated; the caller frees it */
    size_t length;
} platform_reply;
/* method "GET" or "POST" (body as JSON); key: Idempotency-Key or NULL. */
void platform_request(const platform *p, const char *method, const char *path, const char *key,
                      const char *body, platform_reply *out);

/* Records per request for the clients made next: 1, one each; 0, batched. */
extern unsigned batch_items;
/* A sync client on db (key bytes all 7) for p, presenting client_cert
 * ("client", or a bad one dev-certs made), optionally pinning. */
sync_client *client_for(const platform *p, const char *db, const char *client_cert,
                        const char *pin);
/* count submissions put in db's outbox, keys "K0420:<prefix>:<i>". */
void put_records(const char *db, const char *prefix, int count);

/* The real kiosk binary on a development board pointed at a stand-in, its
 * data in a fresh directory, the test control channel on. */
typedef struct kiosk_proc {
    pid_t pid;
    int socket;
    char socket_path[108];
    char board[1100];
} kiosk_proc;

void kiosk_board(const platform *p, kiosk_proc *k);
void kiosk_start(kiosk_proc *k);
/* kiosk_start with one more option and its value, e.g.
 * "--start-screen paused". */
void kiosk_start_with(kiosk_proc *k, const char *extra);
/* kiosk_start at log level info, its stderr (the log, and ASan's and
 * UBSan's reports) into log_path, audio to SDL's silent driver. */
void kiosk_start_logged(kiosk_proc *k, const char *log_path);
/* One control command; its reply line (a static buffer). */
const char *kiosk_ask(kiosk_proc *k, const char *command);
void kiosk_expect(kiosk_proc *k, const char *command, const char *answer);
/* quit (or SIGKILL), then wait for it. */
void kiosk_stop(kiosk_proc *k, bool kill_nine);
/* kiosk_board and kiosk_start. */
void kiosk_launch(const platform *p, kiosk_proc *k);
/* kiosk_launch, then the attract screen shows. */
void kiosk_up(const platform *p, kiosk_proc *k);

/* What is on the kiosk's screen: its widget tree, a copy that later control
 * commands leave as it is until the tree is read here again. */
const char *kiosk_tree(kiosk_proc *k);
/* Asks for the tree every 50 ms, at most tries times, until what is on it:
 * whether it was. */
bool kiosk_shows(kiosk_proc *k, const char *what, int tries);
/* Fails the test, with what is on the screen, unless what is on it. */
void kiosk_expect_shown(kiosk_proc *k, const char *what);

/* Types letters into the text field (the keyboard's letters, whatever its
 * engines), then 完成: back on the form. */
void citizen_names_baby(kiosk_proc *k, int field, const char *letters);

/* A citizen's steps, each checked against the screen it leads to. */
/* From the attract screen: 开始办理, then the tile of service (which opens
 * screen: "card", "scan", "rate", ...). */
void citizen_opens(kiosk_proc *k, const char *service, const char *screen);
/* Lays the card, or shows the code, behind a developer key ("1".."4": the
 * simulated reader's cards, "e": an e-ID code) and waits for screen. */
void citizen_identifies(kiosk_proc *k, const char *key, const char *screen);
/* On a form: the field's list, and its choice-th entry. */
void citizen_chooses(kiosk_proc *k, int field, int choice);
/* On a form: the field, its digits on the keypad, and 下一步. */
void citizen_types(kiosk_proc *k, int field, const char *digits);
/* 预约取号's form filled (its matter and slot by their place in the list,
 * the phone typed): the confirmation shows. */
void citizen_books_a_ticket(kiosk_proc *k, int matter, int slot, const char *phone);
/* From the confirmation: 提交, and the result shows. */
void citizen_taps_submit(kiosk_proc *k);
/* From the attract screen, with the card behind key: 证明打印 (it works
 * offline and has no form) up to its confirmation. */
void citizen_reaches_confirm(kiosk_proc *k, const char *key);
/* citizen_reaches_confirm and citizen_taps_submit: the result's tree. */
const char *citizen_submits(kiosk_proc *k, const char *key);
/* From the result: 打印回执, until it has come out of the printer; the
 * print screen's tree, the receipt as printed. Stays on the print screen. */
const char *citizen_prints(kiosk_proc *k);
/* The citizen takes the card, and the reader (it polls) sees it gone. */
void citizen_takes_card(kiosk_proc *k);
/* On a form: the signature field, 王 drawn on its pad with a finger (four
 * strokes), and 完成: the form shows. */
void citizen_signs(kiosk_proc *k, int field);

/* Runs the tests as cmocka's group name, logging only errors, libcurl set
 * up, and stops what they left running: how many failed. KIOSK_TEST_FILTER
 * (a glob) runs only the tests it names. */
struct CMUnitTest;
int platform_run_tests(const char *name, const struct CMUnitTest *tests, size_t count);
#define PLATFORM_RUN_TESTS(tests) platform_run_tests(#tests, tests, sizeof tests / sizeof tests[0])

#endif
