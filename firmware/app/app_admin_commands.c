/* kioskctl's commands, on the main thread where the state lives
 * (docs/kioskctl.md). Each answers with a status, a one-line message and
 * its data; a state-changing one is audited with the technician as actor
 * ("kioskctl:<user>") by the operation it calls. */
#include "firmware/app/app_admin_internal.h"
#include "firmware/app/app_devices.h"
#include "firmware/app/app_logs.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_technician.h"
#include "firmware/app/board.h"
#include "firmware/app/navigation.h"

#include "firmware/base/log.h"
#include "firmware/base/untrusted_text.h"
#include "firmware/platform/staff_ops.h"
#include "firmware/platform/store_use.h"
#include "firmware/platform/sync.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "0.0.0-dev"
#endif

#define OUTBOX_LIST_MAX 100
/* Room to compose a message; the answer cuts it to ADMIN_MESSAGE_MAX. */
#define MESSAGE_BYTES 1600

static const char *const supply_names[] = {
    [DEVICE_SUPPLY_NONE] = "none",
    [DEVICE_SUPPLY_OK] = "ok",
    [DEVICE_SUPPLY_LOW] = "low",
    [DEVICE_SUPPLY_OUT] = "out",
};

/* What an error means to a technician at the terminal. */
static const char *error_words(kiosk_error error)
{
    switch (error) {
    case KIOSK_ERR_UNSUPPORTED:
        return "not available on this kiosk";
    case KIOSK_ERR_IO:
        return "the offline store cannot be read (not open, or failing): see the log";
    case KIOSK_ERR_NO_SPACE:
        return "the disk or the store is full";
    case KIOSK_ERR_BUSY:
        return "busy: try again";
    case KIOSK_ERR_NO_MEMORY:
        return "the kiosk is out of memory";
    case KIOSK_ERR_INVALID_ARGUMENT:
        return "refused: a value is not acceptable";
    default:
        return kiosk_error_name(error);
    }
}

static void answer_error(admin_call *call, const char *what, kiosk_error error)
{
    char message[MESSAGE_BYTES];
    snprintf(message, sizeof message, "%s: %s", what, error_words(error));
    admin_call_answer(call, ADMIN_FAILED, message, NULL);
}

/* The kinds whose status the app keeps (app_device); the keypad's only
 * switches keypad mode on and off, so kioskctl says it is not reported
 * rather than calling it absent. */
static bool status_kept(device_kind kind)
{
    return kind == DEVICE_ID_READER || kind == DEVICE_PRINTER || kind == DEVICE_SCANNER ||
           kind == DEVICE_A4_PRINTER;
}

static cJSON *devices_list(kiosk_app *app)
{
    const board_profile *board = app_board(app);
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && i < board->device_count; i++) {
        const device_status *status = app_device(app, board->devices[i].kind);
        cJSON *item = cJSON_CreateObject();
        cJSON_AddStringToObject(item, "device", device_kind_name(board->devices[i].kind));
        if (!status_kept(board->devices[i].kind)) {
            cJSON_AddStringToObject(item, "state", "unknown");
            cJSON_AddStringToObject(item, "supply", "none");
            cJSON_AddStringToObject(item, "reason", "not-reported");
            cJSON_AddItemToArray(list, item);
            continue;
        }
        cJSON_AddStringToObject(item, "state", device_state_name(status->state));
        cJSON_AddStringToObject(
            item, "supply", (unsigned)status->supply < 4 ? supply_names[status->supply] : "none");
        cJSON_AddStringToObject(item, "reason", status->reason);
        cJSON_AddItemToArray(list, item);
    }
    return list;
}

static void run_status(kiosk_app *app, admin_call *call)
{
    const board_profile *board = app_board(app);
    sync_progress link = app_platform_link_state(app);
    platform_staff_facts facts = {0};
    struct kiosk_platform *platform = app_platform_core(app);
    if (platform)
        platform_staff_facts_get(platform, &facts);
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "terminal", board->platform_tls.terminal_id);
    cJSON_AddStringToObject(data, "board", board->name);
    cJSON_AddStringToObject(data, "version", KIOSK_VERSION);
    cJSON_AddStringToObject(data, "link", sync_link_name(link.link));
    cJSON_AddStringToObject(data, "link_error", link.last_error);
    int64_t queued = facts.counted ? facts.queued : link.queued;
    int64_t quarantined = facts.counted ? facts.quarantined : link.quarantined;
    cJSON_AddNumberToObject(data, "waiting", (double)queued);
    cJSON_AddNumberToObject(data, "refused", (double)quarantined);
    cJSON_AddNumberToObject(data, "delivered", (double)link.delivered);
    /* The store that cannot be opened, or else the last write it refused
     * (a full disk): either way a citizen's application is not kept. */
    cJSON_AddStringToObject(data, "store_problem",
                            facts.broken ? facts.problem : facts.write_failed);
    cJSON_AddStringToObject(data, "signed_in", app_role_actor(app));
    cJSON_AddItemToObject(data, "devices", devices_list(app));
    char message[MESSAGE_BYTES];
    snprintf(message, sizeof message, "%s: link %s, %lld waiting, %lld refused",
             board->platform_tls.terminal_id, sync_link_name(link.link), (long long)queued,
             (long long)quarantined);
    admin_call_answer(call, ADMIN_OK, message, data);
}

static void run_devices(kiosk_app *app, admin_call *call)
{
    cJSON *data = cJSON_CreateObject();
    cJSON_AddItemToObject(data, "devices", devices_list(app));
    admin_call_answer(call, ADMIN_OK, "", data);
}

static const char *const outcome_names[] = {
    [APP_SELFTEST_RUNNING] = "running",
    [APP_SELFTEST_PASSED] = "passed",
    [APP_SELFTEST_FAILED] = "failed",
    [APP_SELFTEST_ABSENT] = "absent",
};

static void selftest_done(const app_selftest_result *result, void *context)
{
    admin_call *call = context;
    const char *name = app_selftest_name(result->kind);
    const char *outcome = (unsigned)result->outcome < 4 ? outcome_names[result->outcome] : "failed";
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "device", name);
    cJSON_AddStringToObject(data, "outcome", outcome);
    cJSON_AddStringToObject(data, "detail", result->detail);
    cJSON_AddStringToObject(data, "remedy", result->remedy);
    char message[MESSAGE_BYTES];
    if (result->outcome == APP_SELFTEST_ABSENT)
        snprintf(message, sizeof message, "%s: no self-test: this terminal has no such device",
                 name);
    else
        snprintf(message, sizeof message, "%s: %s%s%s%s%s", name, outcome,
                 result->detail[0] ? ": " : "", result->detail, result->remedy[0] ? ". " : "",
                 result->remedy);
    admin_call_answer(call, result->outcome == APP_SELFTEST_PASSED ? ADMIN_OK : ADMIN_FAILED,
                      message, data);
    admin_call_release(call);
}

/* One more holder: the command's callback, which answers later. */
static void hold(admin_call *call)
{
    pthread_mutex_lock(&call->lock);
    call->holders++;
    pthread_mutex_unlock(&call->lock);
}

static void run_selftest(kiosk_app *app, admin_call *call)
{
    app_selftest_kind kind;
    /* The devices' own names, as kioskctl devices lists them, work too. */
    const char *name = call->request.args[0];
    if (!strcmp(name, "id-reader"))
        name = "card";
    else if (!strcmp(name, "a4-printer"))
        name = "a4";
    if (call->request.arg_count != 1 || !app_selftest_parse(name, &kind)) {
        char names[200] = "";
        for (int i = 0; i < APP_SELFTEST_COUNT; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                     app_selftest_name((app_selftest_kind)i));
        char message[MESSAGE_BYTES];
        snprintf(message, sizeof message, "selftest: no device \"%s\" (one of %s)",
                 call->request.args[0], names);
        admin_call_answer(call, ADMIN_USAGE, message, NULL);
        return;
    }
    hold(call);
    kiosk_error result = app_selftest_start(app, kind, call->actor, selftest_done, call);
    if (result != KIOSK_OK) {
        admin_call_answer(call, ADMIN_FAILED,
                          result == KIOSK_ERR_BUSY ? "selftest: another self-test is running"
                                                   : "selftest: it could not start",
                          NULL);
        admin_call_release(call);
    }
}

static const char *outbox_state_name(platform_outbox_state state)
{
    return state == PLATFORM_OUTBOX_QUARANTINED ? "refused" : "waiting";
}

static void outbox_list(kiosk_app *app, admin_call *call, struct kiosk_platform *platform)
{
    (void)app;
    bool quarantined_only = call->request.arg_count == 2;
    /* One more than is shown: whether there are more than that. */
    platform_outbox_item *items = calloc(OUTBOX_LIST_MAX + 1, sizeof *items);
    size_t count = 0;
    kiosk_error result =
        items ? platform_outbox_list(platform, quarantined_only, items, OUTBOX_LIST_MAX + 1, &count)
              : KIOSK_ERR_NO_MEMORY;
    bool more = count > OUTBOX_LIST_MAX;
    if (more)
        count = OUTBOX_LIST_MAX;
    if (result != KIOSK_OK) {
        free(items);
        answer_error(call, "outbox list", result);
        return;
    }
    cJSON *data = cJSON_CreateObject();
    cJSON *records = cJSON_AddArrayToObject(data, "records");
    size_t refused = 0;
    for (size_t i = 0; i < count; i++) {
        const platform_outbox_item *item = &items[i];
        refused += item->state == PLATFORM_OUTBOX_QUARANTINED;
        cJSON *row = cJSON_CreateObject();
        cJSON_AddNumberToObject(row, "id", (double)item->id);
        cJSON_AddStringToObject(row, "state", outbox_state_name(item->state));
        cJSON_AddStringToObject(row, "kind", item->kind);
        cJSON_AddStringToObject(row, "reference", item->reference);
        cJSON_AddStringToObject(row, "service", item->service);
        cJSON_AddStringToObject(row, "subject", item->subject);
        cJSON_AddStringToObject(row, "reason", item->reason);
        cJSON_AddNumberToObject(row, "attempts", item->attempts);
        cJSON_AddNumberToObject(row, "created_at", (double)item->created_at_s);
        cJSON_AddItemToArray(records, row);
    }
    free(items);
    char message[MESSAGE_BYTES];
    if (more)
        snprintf(message, sizeof message,
                 "the first %zu records in the outbox (%zu refused among them); there are more: "
                 "status counts them all",
                 count, refused);
    else
        snprintf(message, sizeof message, "%zu record%s in the outbox (%zu refused)", count,
                 count == 1 ? "" : "s", refused);
    admin_call_answer(call, ADMIN_OK, message, data);
}

/* A record's number as kioskctl sent it: digits only. */
static bool record_id(const char *text, int64_t *out)
{
    char *end = NULL;
    errno = 0;
    long long value = strtoll(text, &end, 10);
    if (errno || text[0] < '0' || text[0] > '9' || *end || value < 1)
        return false;
    *out = value;
    return true;
}

/* The answer when there is no store to act on: right after start (the
 * platform starts with the first frame, the socket before it) the kiosk is
 * not ready, which a script waits out (exit 4); later the store is
 * missing for good (exit 1). Never "failed" for a chain that was not even
 * read. */
static void answer_no_store(kiosk_app *app, admin_call *call, const char *what)
{
    char message[MESSAGE_BYTES];
    bool starting = !app_devices_started(app);
    snprintf(message, sizeof message,
             starting ? "%s: the kiosk is still starting: try again in a moment"
                      : "%s: the store is not open",
             what);
    admin_call_answer(call, starting ? ADMIN_UNAVAILABLE : ADMIN_FAILED, message, NULL);
}

/* What is wrong with a closing reason, or NULL. It is kept for good (the
 * tombstone, the audit trail and the platform's copy of it), so it must
 * read the same on every screen and must not carry a citizen's ID or
 * mobile number: a technician says why without them. */
static const char *reason_problem(const char *reason)
{
    size_t length = strlen(reason);
    _Static_assert(CACHE_AUDIT_TEXT_MAX == 160, "the message below names the limit");
    if (length > CACHE_AUDIT_TEXT_MAX)
        return "outbox close: the reason is over 160 bytes (a Chinese character takes 3): say it "
               "shorter";
    char *copy = strdup(reason);
    if (!copy)
        return "outbox close: the kiosk is out of memory";
    size_t removed = 0;
    bool clean = untrusted_text_clean(copy, &removed) == KIOSK_OK && removed == 0;
    explicit_bzero(copy, length);
    free(copy);
    if (!clean)
        return "outbox close: the reason has a control, direction or invisible character, or "
               "is not UTF-8";
    char masked[ADMIN_ARG_MAX];
    if (length >= sizeof masked || log_mask_personal(reason, masked, sizeof masked) > 0) {
        explicit_bzero(masked, sizeof masked);
        return "outbox close: the reason holds an ID or mobile number: say why without it";
    }
    return NULL;
}

static void run_outbox(kiosk_app *app, admin_call *call)
{
    const admin_request *request = &call->request;
    struct kiosk_platform *platform = app_platform_core(app);
    const char *verb = request->arg_count ? request->args[0] : "";
    int64_t id = 0;
    bool listing = !strcmp(verb, "list") &&
                   (request->arg_count == 1 ||
                    (request->arg_count == 2 && !strcmp(request->args[1], "quarantined")));
    bool resend = !strcmp(verb, "resend") && request->arg_count == 2;
    bool close = !strcmp(verb, "close") && request->arg_count == 3 && request->args[2][0];
    if (!listing && !((resend || close) && record_id(request->args[1], &id))) {
        admin_call_answer(call, ADMIN_USAGE,
                          "outbox: expected list, resend ID or close ID --reason TEXT", NULL);
        return;
    }
    const char *problem = close ? reason_problem(request->args[2]) : NULL;
    if (problem) {
        admin_call_answer(call, ADMIN_USAGE, problem, NULL);
        return;
    }
    if (!platform) {
        answer_no_store(app, call, "outbox");
        return;
    }
    if (listing) {
        outbox_list(app, call, platform);
        return;
    }
    kiosk_error result = resend
                             ? platform_outbox_resend(platform, id, call->actor)
                             : platform_outbox_close(platform, id, call->actor, request->args[2]);
    char message[MESSAGE_BYTES];
    if (result == KIOSK_ERR_NOT_FOUND) {
        snprintf(message, sizeof message, "outbox %s: no refused record %lld", verb, (long long)id);
        admin_call_answer(call, ADMIN_FAILED, message, NULL);
        return;
    }
    if (result != KIOSK_OK) {
        snprintf(message, sizeof message, "outbox %s %lld", verb, (long long)id);
        answer_error(call, message, result);
        return;
    }
    if (resend)
        app_platform_tick(app);
    snprintf(message, sizeof message,
             resend ? "record %lld will be sent again" : "record %lld is closed", (long long)id);
    admin_call_answer(call, ADMIN_OK, message, NULL);
}

/* logs --send: how the upload ended, answered when its worker is done. */
static void logs_sent(const log_upload_result *result, void *context)
{
    admin_call *call = context;
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "outcome", log_upload_outcome_name(result->outcome));
    cJSON_AddNumberToObject(data, "status", (double)result->status);
    char message[MESSAGE_BYTES];
    if (result->outcome == LOG_UPLOAD_SENT) {
        cJSON_AddNumberToObject(data, "lines", (double)result->lines);
        cJSON_AddBoolToObject(data, "replay", result->replay);
        cJSON_AddStringToObject(data, "received_at", result->received_at);
        snprintf(message, sizeof message, "logs --send: sent to the platform: %zu lines%s",
                 result->lines, result->replay ? " (the last try had arrived: kept once)" : "");
    } else {
        cJSON_AddStringToObject(data, "reason", result->message);
        const char *check =
            result->outcome == LOG_UPLOAD_NO_ANSWER
                ? ": check the link (kioskctl status; the technician's network page), then send "
                  "again: the platform keeps one copy"
            : result->outcome == LOG_UPLOAD_BAD_ANSWER
                ? ": a gateway or proxy may be failing; send again later: the platform keeps one "
                  "copy"
            : result->outcome == LOG_UPLOAD_REFUSED  ? ": check kioskctl cert status"
            : result->outcome == LOG_UPLOAD_REJECTED ? ": sending again sends a fresh copy"
                                                     : "";
        snprintf(message, sizeof message, "logs --send: not sent (%s): %s%s",
                 log_upload_outcome_name(result->outcome), result->message, check);
    }
    admin_call_answer(call, result->outcome == LOG_UPLOAD_SENT ? ADMIN_OK : ADMIN_FAILED, message,
                      data);
    admin_call_release(call);
}

static void run_logs_send(kiosk_app *app, admin_call *call)
{
    hold(call);
    kiosk_error started = app_logs_send(app, call->actor, logs_sent, call);
    if (started == KIOSK_OK)
        return;
    if (started == KIOSK_ERR_BUSY)
        admin_call_answer(call, ADMIN_FAILED,
                          "logs --send: an upload is under way: try again in a moment", NULL);
    else if (started == KIOSK_ERR_UNSUPPORTED)
        admin_call_answer(call, ADMIN_FAILED,
                          "logs --send: this terminal has no platform link (no platform_url "
                          "in its board profile, or no certificates: see kioskctl cert status)",
                          NULL);
    else
        answer_error(call, "logs --send", started);
    admin_call_release(call);
}

static void run_logs(kiosk_app *app, admin_call *call)
{
    const admin_request *request = &call->request;
    if (request->arg_count == 1 && !strcmp(request->args[0], "send")) {
        run_logs_send(app, call);
        return;
    }
    if (request->arg_count == 2 && !strcmp(request->args[0], "recent")) {
        /* Digits only, 1 or more; more than the log holds is all of it. */
        const char *count = request->args[1];
        char *end = NULL;
        errno = 0;
        unsigned long long lines = strtoull(count, &end, 10);
        if (count[0] < '0' || count[0] > '9' || *end || lines < 1) {
            admin_call_answer(call, ADMIN_USAGE, "logs: -n takes a number of lines, 1 or more",
                              NULL);
            return;
        }
        if (errno == ERANGE || lines > SIZE_MAX)
            lines = SIZE_MAX;
        char *text = app_logs_recent(app, (size_t)lines);
        if (!text) {
            admin_call_answer(call, ADMIN_FAILED, "logs: the kiosk is out of memory", NULL);
            return;
        }
        cJSON *data = cJSON_CreateObject();
        cJSON_AddStringToObject(data, "text", text);
        free(text);
        admin_call_answer(call, ADMIN_OK, "", data);
        return;
    }
    if (request->arg_count < 1 || request->arg_count > 2 || strcmp(request->args[0], "export")) {
        admin_call_answer(call, ADMIN_USAGE, "logs: expected [-n N] [--export [DIR]]", NULL);
        return;
    }
    const char *dir = request->arg_count == 2 ? request->args[1] : app_board(app)->usb_export_dir;
    if (!dir[0]) {
        admin_call_answer(call, ADMIN_FAILED,
                          "logs --export: this board names no USB stick folder "
                          "(usb_export_dir): give a folder",
                          NULL);
        return;
    }
    char written[512];
    kiosk_diag diag = {{0}};
    kiosk_error result = app_logs_export(app, dir, call->actor, written, sizeof written, &diag);
    if (result != KIOSK_OK) {
        admin_call_answer(call, ADMIN_FAILED, diag.message, NULL);
        return;
    }
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "file", written);
    char message[MESSAGE_BYTES];
    snprintf(message, sizeof message, "the log is written to %s", written);
    admin_call_answer(call, ADMIN_OK, message, data);
}

/* The verdict's stable name for --json (kept here: kioskctl's output is
 * documented in docs/kioskctl.md and must not change with the store). */
static const char *break_name(cache_audit_break found)
{
    static const char *const names[] = {
        [CACHE_AUDIT_INTACT] = "intact",       [CACHE_AUDIT_EDITED] = "edited",
        [CACHE_AUDIT_DELETED] = "deleted",     [CACHE_AUDIT_REORDERED] = "reordered",
        [CACHE_AUDIT_TRUNCATED] = "truncated", [CACHE_AUDIT_REPLACED] = "replaced",
    };
    return (unsigned)found < sizeof names / sizeof names[0] ? names[found] : "broken";
}

static void run_audit(kiosk_app *app, admin_call *call)
{
    struct kiosk_platform *platform = app_platform_core(app);
    if (call->request.arg_count != 1 || strcmp(call->request.args[0], "verify")) {
        admin_call_answer(call, ADMIN_USAGE, "audit: expected \"audit verify\"", NULL);
        return;
    }
    if (!platform) {
        answer_no_store(app, call, "audit verify");
        return;
    }
    cache_audit_verdict verdict;
    memset(&verdict, 0, sizeof verdict);
    kiosk_diag diag = {{0}};
    kiosk_error result = platform_audit_verify(platform, &verdict, &diag);
    if (result != KIOSK_OK) {
        char message[MESSAGE_BYTES];
        snprintf(message, sizeof message, "audit verify: %s",
                 diag.message[0] ? diag.message : kiosk_error_name(result));
        admin_call_answer(call, ADMIN_FAILED, message, NULL);
        return;
    }
    cJSON *data = cJSON_CreateObject();
    bool intact = verdict.found == CACHE_AUDIT_INTACT;
    cJSON_AddBoolToObject(data, "intact", intact);
    cJSON_AddStringToObject(data, "found", break_name(verdict.found));
    cJSON_AddNumberToObject(data, "rows", (double)verdict.rows);
    cJSON_AddNumberToObject(data, "at_sequence", (double)verdict.at_sequence);
    cJSON_AddStringToObject(data, "explanation", verdict.explanation);
    cache_audit_head head;
    if (platform_audit_head(platform, &head) == KIOSK_OK) {
        cJSON *object = cJSON_AddObjectToObject(data, "head");
        cJSON_AddNumberToObject(object, "sequence", (double)head.sequence);
        cJSON_AddStringToObject(object, "hash", head.hash);
        cJSON_AddStringToObject(object, "algorithm", head.algorithm);
    }
    char message[MESSAGE_BYTES];
    if (intact)
        snprintf(message, sizeof message, "the audit trail is intact: %lld rows",
                 (long long)verdict.rows);
    else
        snprintf(message, sizeof message, "the audit trail is broken at row %lld (%s): %s",
                 (long long)verdict.at_sequence, break_name(verdict.found), verdict.explanation);
    admin_call_answer(call, intact ? ADMIN_OK : ADMIN_FAILED, message, data);
}

static void run_config(kiosk_app *app, admin_call *call)
{
    if (call->request.arg_count != 1 || strcmp(call->request.args[0], "show")) {
        admin_call_answer(call, ADMIN_USAGE, "config: expected \"config show\"", NULL);
        return;
    }
    const board_profile *board = app_board(app);
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "board", board->name);
    cJSON_AddStringToObject(data, "description", board->description);
    cJSON_AddStringToObject(data, "version", KIOSK_VERSION);
    cJSON_AddStringToObject(data, "terminal", board->platform_tls.terminal_id);
    cJSON_AddStringToObject(data, "platform_url", board->platform_url);
    cJSON_AddStringToObject(data, "data_dir", board->data_dir);
    cJSON_AddStringToObject(data, "cipher", board->storage.cipher);
    char screen[64];
    snprintf(screen, sizeof screen, "%dx%d px, %dx%d mm, rotated %d", board->width_px,
             board->height_px, board->width_mm, board->height_mm, board->rotation);
    cJSON_AddStringToObject(data, "screen", screen);
    cJSON_AddStringToObject(data, "default_lang", lang_code(board->default_lang));
    cJSON_AddNumberToObject(data, "idle_timeout_s", board->idle_timeout_s);
    cJSON_AddStringToObject(data, "hotline", board->hotline);
    cJSON_AddStringToObject(data, "admin_socket", board->admin.socket);
    cJSON_AddStringToObject(data, "admin_group", board->admin.group);
    cJSON_AddStringToObject(data, "usb_export_dir", board->usb_export_dir);
    cJSON *devices = cJSON_AddArrayToObject(data, "devices");
    static const char *const transports[] = {"usb", "sim", "ipp"};
    for (size_t i = 0; i < board->device_count; i++) {
        cJSON *item = cJSON_CreateObject();
        cJSON_AddStringToObject(item, "device", device_kind_name(board->devices[i].kind));
        cJSON_AddStringToObject(item, "transport",
                                (unsigned)board->devices[i].transport < 3
                                    ? transports[board->devices[i].transport]
                                    : "?");
        cJSON_AddStringToObject(item, "uri", board->devices[i].uri);
        cJSON_AddItemToArray(devices, item);
    }
    admin_call_answer(call, ADMIN_OK, "", data);
}

static void cert_done(bool enrolled, const char *explanation, void *context)
{
    admin_call *call = context;
    char message[MESSAGE_BYTES];
    snprintf(message, sizeof message, "cert enrol: %s%s%s", enrolled ? "enrolled" : "not enrolled",
             explanation && explanation[0] ? ": " : "", explanation ? explanation : "");
    admin_call_answer(call, enrolled ? ADMIN_OK : ADMIN_FAILED, message, NULL);
    admin_call_release(call);
}

static void run_cert(kiosk_app *app, admin_call *call)
{
    const admin_request *request = &call->request;
    if (request->arg_count == 1 && !strcmp(request->args[0], "status")) {
        app_cert_status status;
        kiosk_error result = app_cert_status_get(app, &status);
        if (result != KIOSK_OK) {
            answer_error(call, "cert status", result);
            return;
        }
        cJSON *data = cJSON_CreateObject();
        cJSON_AddBoolToObject(data, "present", status.present);
        cJSON_AddStringToObject(data, "subject", status.subject);
        cJSON_AddStringToObject(data, "issuer", status.issuer);
        cJSON_AddNumberToObject(data, "not_after", (double)status.not_after_s);
        cJSON_AddNumberToObject(data, "days_left", status.days_left);
        cJSON_AddBoolToObject(data, "renew_soon", status.renew_soon);
        cJSON_AddStringToObject(data, "serial", status.serial);
        char message[MESSAGE_BYTES];
        if (!status.present)
            snprintf(message, sizeof message,
                     "no client certificate: enrol one with kioskctl cert enrol CODE");
        else
            snprintf(message, sizeof message, "%s: %d days left%s", status.subject,
                     status.days_left, status.renew_soon ? ": renew it now" : "");
        admin_call_answer(call, ADMIN_OK, message, data);
        return;
    }
    if (request->arg_count != 2 || strcmp(request->args[0], "enrol")) {
        admin_call_answer(call, ADMIN_USAGE,
                          "cert: expected \"cert status\" or \"cert enrol CODE\"", NULL);
        return;
    }
    hold(call);
    kiosk_error result = app_cert_enrol(app, request->args[1], call->actor, cert_done, call);
    if (result == KIOSK_OK)
        return;
    if (result == KIOSK_ERR_INVALID_ARGUMENT)
        admin_call_answer(call, ADMIN_USAGE, "cert enrol: that is not an enrolment code", NULL);
    else if (result == KIOSK_ERR_BUSY)
        admin_call_answer(call, ADMIN_FAILED, "cert enrol: an enrolment is under way", NULL);
    else
        answer_error(call, "cert enrol", result);
    admin_call_release(call);
}

/* "session end": whatever session is open at the screen (a citizen's, a
 * staff member's or a technician's, or a sign-in left on the PIN screen)
 * ended as its time-out ends it: the citizen's data wiped, the role signed
 * out and wiped, the attract screen shown (or, with a card left on the
 * reader, the screen asking for it). Audited with kioskctl's actor and the
 * kind of session only, never whose. */
static void run_session(kiosk_app *app, admin_call *call)
{
    if (call->request.arg_count != 1 || strcmp(call->request.args[0], "end")) {
        admin_call_answer(call, ADMIN_USAGE, "session: expected \"session end\"", NULL);
        return;
    }
    const char *kind = NULL;
    if (app_role_current(app) != STAFF_ROLE_NONE)
        kind = staff_role_name(app_role_current(app));
    else if (app_in_session(app))
        kind = "citizen";
    else if (app_current_screen(app) == APP_SCREEN_STAFF_PIN)
        kind = "sign-in";
    if (!kind) {
        char message[MESSAGE_BYTES];
        snprintf(message, sizeof message, "session end: no session is open (the %s screen shows)",
                 app_screen_name(app));
        admin_call_answer(call, ADMIN_FAILED, message, NULL);
        return;
    }
    struct kiosk_platform *platform = app_platform_core(app);
    if (!platform || platform_audit(platform, call->actor, "session.end", "", kind) != KIOSK_OK)
        LOG_WARN("audit", "not kept: session.end by %s", call->actor);
    LOG_INFO("admin", "%s ends the %s session", call->actor, kind);
    if (strcmp(kind, "citizen") == 0)
        app_session_end(app, "ended by kioskctl");
    else if (strcmp(kind, "sign-in") == 0)
        app_session_rest(app); /* as a PIN screen left alone: what was typed is wiped */
    else
        app_role_end(app, "ended-by-kioskctl");
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "ended", kind);
    cJSON_AddStringToObject(data, "screen", app_screen_name(app));
    char message[MESSAGE_BYTES];
    snprintf(message, sizeof message, "the %s session is ended: the %s screen shows", kind,
             app_screen_name(app));
    admin_call_answer(call, ADMIN_OK, message, data);
}

void app_admin_run(kiosk_app *app, admin_call *call)
{
    if (call->refused) {
        struct kiosk_platform *platform = app_platform_core(app);
        if (!platform ||
            platform_audit(platform, call->actor, "admin.refused", "", call->detail) != KIOSK_OK)
            LOG_WARN("audit", "not kept: admin.refused by %s", call->actor);
        return;
    }
    static const struct {
        const char *name;
        void (*run)(kiosk_app *app, admin_call *call);
    } commands[] = {
        {"status", run_status}, {"devices", run_devices}, {"selftest", run_selftest},
        {"outbox", run_outbox}, {"logs", run_logs},       {"audit", run_audit},
        {"config", run_config}, {"cert", run_cert},       {"session", run_session},
    };
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (!strcmp(call->request.command, commands[i].name)) {
            LOG_INFO("admin", "%s: %s", call->actor, call->request.command);
            commands[i].run(app, call);
            return;
        }
    }
    char message[MESSAGE_BYTES];
    snprintf(message, sizeof message, "unknown command \"%s\"", call->request.command);
    admin_call_answer(call, ADMIN_USAGE, message, NULL);
}
