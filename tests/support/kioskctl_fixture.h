/* The real kiosk and the real kioskctl, for tests that treat the admin
 * socket as a hostile peer would (docs/kioskctl.md). */
#ifndef KIOSK_TESTS_SUPPORT_KIOSKCTL_FIXTURE_H
#define KIOSK_TESTS_SUPPORT_KIOSKCTL_FIXTURE_H

#include "platform_fixture.h"
#include "test_support.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct kiosk_platform kiosk_platform;

/* The socket of the kiosk start_kiosk started, its log (stderr), the USB
 * stick folder its board names; kioskctl's last stdout and stderr. */
extern char admin_socket[108];
extern char kiosk_log[1200];
extern char stick[1100];
extern char out[1 << 17], err[1 << 14];
/* start_kiosk plants a symlink to victim (a file of its own) where the
 * socket goes, before the kiosk starts. */
extern bool plant_symlink;
extern char victim[1100];

const char *kioskctl_binary(void);
int ctl_argv(const char *const *args);
cJSON *json_answer(int code);
const char *text_of(const cJSON *object, const char *name);
const char *message_of(const cJSON *answer);
bool has(const char *text, const char *what);
void start_kiosk(kiosk_proc *k, const char *group);
void stop_kiosk(kiosk_proc *k);
cJSON *raw_request(const char *line, size_t length);
long waiting_submission(kiosk_proc *k);
bool still_waiting(long id);
pid_t restart_kiosk(const char *board);
size_t refused_submissions(long *ids, size_t max);
kiosk_platform *open_kiosk_store(const char *board_path);
size_t refuse_waiting_submissions(const char *board_path, const char *why);
int ctl_once_up(const char *const *args);
void stop_pid(pid_t pid);
void put_waiting(const char *board_path, int count);
/* kioskctl --socket <the kiosk's> args...: its exit code; out and err. */
#define CTL(...) ctl_argv((const char *const[]){__VA_ARGS__, NULL})
#define ASSERT_HAS(text, what)                                                                     \
    do {                                                                                           \
        if (!has(text, what))                                                                      \
            fail_msg("\"%s\" is not in \"%s\"", what, text);                                       \
    } while (0)

#endif
