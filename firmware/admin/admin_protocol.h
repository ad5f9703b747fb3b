/* The admin socket's protocol, between kioskctl and the kiosk
 * (docs/kioskctl.md): one request per line,
 *
 *     {"command":"outbox","args":["resend","42"]}
 *
 * and one answer per line,
 *
 *     {"status":"ok","message":"record 42 will be sent again","data":{...}}
 *
 * Both sides validate what they read: a line over its maximum, a control
 * character, anything that is not the expected JSON object is refused with
 * a message that says which. The actor is never taken from a request: the
 * kiosk names it from the peer's uid. */
#ifndef KIOSK_FIRMWARE_ADMIN_ADMIN_PROTOCOL_H
#define KIOSK_FIRMWARE_ADMIN_ADMIN_PROTOCOL_H

#include "firmware/base/error.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define ADMIN_REQUEST_MAX 4096      /* bytes of a request line, newline excluded */
#define ADMIN_ANSWER_MAX  (1 << 20) /* bytes of an answer line */
#define ADMIN_COMMAND_MAX 16
#define ADMIN_ARGS_MAX    6
#define ADMIN_ARG_MAX     512
#define ADMIN_MESSAGE_MAX 512

typedef struct admin_request {
    char command[ADMIN_COMMAND_MAX];
    char args[ADMIN_ARGS_MAX][ADMIN_ARG_MAX];
    size_t arg_count;
} admin_request;

/* What became of a request; each has its exit code (admin_exit_code). */
typedef enum admin_status {
    ADMIN_OK = 0,      /* done: exit 0 */
    ADMIN_FAILED,      /* the operation failed (a self-test, a broken chain): exit 1 */
    ADMIN_USAGE,       /* the request was not one the kiosk understands: exit 2 */
    ADMIN_REFUSED,     /* the peer is not root nor in the admin group: exit 3 */
    ADMIN_UNAVAILABLE, /* no kiosk, no socket: exit 4 (said by kioskctl itself) */
    ADMIN_TIMEOUT,     /* no answer in time: exit 5 */
} admin_status;

const char *admin_status_name(admin_status status);
/* false when name is none of the statuses. */
bool admin_status_parse(const char *name, admin_status *out);
int admin_exit_code(admin_status status);

/* Parses one request line (without its newline; length bytes, no NUL
 * needed). Errors: TOO_BIG (over ADMIN_REQUEST_MAX, an argument over
 * ADMIN_ARG_MAX, more than ADMIN_ARGS_MAX arguments), MALFORMED (not JSON,
 * not an object, a command not made of a-z, an argument not a string, a
 * control character anywhere). */
kiosk_error admin_request_parse(const char *line, size_t length, admin_request *out,
                                kiosk_diag *diag) KIOSK_MUST_CHECK;

/* The request as one line with its newline (malloc'd; NULL when out of
 * memory). */
char *admin_request_format(const admin_request *request);

typedef struct admin_answer {
    admin_status status;
    char message[ADMIN_MESSAGE_MAX];
    cJSON *data; /* owned: admin_answer_free; NULL when the answer has none */
} admin_answer;

/* Parses one answer line (without its newline). Errors: TOO_BIG,
 * MALFORMED (not JSON, no known status, a message that is not a string or
 * holds a control character other than newline and tab). */
kiosk_error admin_answer_parse(const char *line, size_t length, admin_answer *out,
                               kiosk_diag *diag) KIOSK_MUST_CHECK;
void admin_answer_free(admin_answer *answer);

/* An answer as one line with its newline, taking data (may be NULL): the
 * message is cut to ADMIN_MESSAGE_MAX - 1 bytes; an answer that would be
 * over ADMIN_ANSWER_MAX loses its data and says so. malloc'd; NULL when out
 * of memory. */
char *admin_answer_format(admin_status status, const char *message, cJSON *data);

/* The UTF-8 sequence at text (length bytes left): its length (0 when it
 * is not one), and in *hidden whether it is broken or a code point that
 * must not be shown as it is (untrusted_code_point_hidden). */
size_t admin_text_step(const char *text, size_t length, bool *hidden);

#endif
