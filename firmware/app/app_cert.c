/* The terminal's client certificate as the technician and kioskctl see it:
 * the board's certificate file read (firmware/platform/enrol.h), days left
 * by the app's wall clock, and renew_soon at 30 days or fewer; and its
 * enrolment, run on a worker thread (enrol_run blocks for seconds), whose
 * outcome the loop's tick (app_cert_tick) audits and reports on the main
 * thread. The enrolment code is never logged or audited: only its last two
 * characters, enough to tell two attempts apart. */
#include "firmware/app/app_platform.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_technician.h"
#include "firmware/app/navigation.h"

#include "firmware/base/event_channel.h"
#include "firmware/base/log.h"
#include "firmware/platform/enrol.h"
#include "firmware/platform/staff_ops.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RENEW_DAYS  30
#define DAY_SECONDS 86400

kiosk_error app_cert_status_get(kiosk_app *app, app_cert_status *out)
{
    memset(out, 0, sizeof *out);
    enrol_cert_info info;
    kiosk_diag diag = {{0}};
    kiosk_error read = enrol_cert_read(app_board(app)->platform_tls.client_cert, &info, &diag);
    if (read == KIOSK_ERR_NOT_FOUND)
        return KIOSK_OK; /* none: present stays false */
    if (read != KIOSK_OK) {
        LOG_WARN("cert", "%s", diag.message);
        return read;
    }
    out->present = true;
    snprintf(out->subject, sizeof out->subject, "%s", info.subject);
    snprintf(out->issuer, sizeof out->issuer, "%s", info.issuer);
    out->not_after_s = info.not_after_s;
    snprintf(out->serial, sizeof out->serial, "%s", info.serial);
    int64_t left = info.not_after_s - (int64_t)app_wall_time(app);
    /* Whole days, rounded down: a certificate that ends in 10 hours has 0
     * days left; one that ended an hour ago, -1. */
    out->days_left =
        (int)(left >= 0 ? left / DAY_SECONDS : -((-left + DAY_SECONDS - 1) / DAY_SECONDS));
    out->renew_soon = out->days_left <= RENEW_DAYS;
    return KIOSK_OK;
}

/* What the worker needs, copied (the board stays the main thread's), and
 * what it found; handed back through the mailbox. */
typedef struct enrolment {
    char url[1024], ca_file[1024], cert[1024], key[1024], pin[256], terminal[64];
    char code[40];
    enrol_outcome outcome;
    enrol_cert_info info;
    char message[sizeof(kiosk_diag){{0}}.message];
} enrolment;

static struct {
    pthread_mutex_t lock;
    enrolment *done; /* the worker's, waiting for the tick */
} mailbox = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The main thread's: one enrolment at a time. */
static struct {
    bool running;
    char actor[64], masked[8];
    app_cert_done done;
    void *context;
    bool have_last;
    enrol_outcome last;
    char last_message[sizeof(kiosk_diag){{0}}.message];
} enrolling;

static void *worker(void *data)
{
    enrolment *e = data;
    enrol_config config = {.url = e->url,
                           .ca_file = e->ca_file,
                           .client_cert = e->cert,
                           .client_key = e->key,
                           .pinned_key = e->pin[0] ? e->pin : NULL,
                           .terminal_id = e->terminal,
                           .firmware_version = KIOSK_VERSION};
    kiosk_diag diag = {{0}};
    e->outcome = enrol_run(&config, e->code, &e->info, &diag);
    explicit_bzero(e->code, sizeof e->code);
    snprintf(e->message, sizeof e->message, "%s", diag.message);
    pthread_mutex_lock(&mailbox.lock);
    mailbox.done = e;
    pthread_mutex_unlock(&mailbox.lock);
    if (event_channel_post(APP_EVENT_REDRAW, NULL, NULL) != KIOSK_OK)
        LOG_WARN("cert", "the loop could not be woken: the outcome shows at its next turn");
    return NULL;
}

kiosk_error app_cert_enrol(kiosk_app *app, const char *code, const char *actor, app_cert_done done,
                           void *context)
{
    if (!enrol_code_valid(code))
        return KIOSK_ERR_INVALID_ARGUMENT;
    if (enrolling.running)
        return KIOSK_ERR_BUSY;
    const board_profile *board = app_board(app);
    if (!board->platform_url[0] || !board->platform_tls.client_cert[0] ||
        !board->platform_tls.client_key[0] || !board->platform_tls.terminal_id[0])
        return KIOSK_ERR_UNSUPPORTED; /* a board without a platform link */
    enrolment *e = calloc(1, sizeof *e);
    if (!e)
        return KIOSK_ERR_NO_MEMORY;
    snprintf(e->url, sizeof e->url, "%s", board->platform_url);
    snprintf(e->ca_file, sizeof e->ca_file, "%s", board->platform_tls.ca_file);
    snprintf(e->cert, sizeof e->cert, "%s", board->platform_tls.client_cert);
    snprintf(e->key, sizeof e->key, "%s", board->platform_tls.client_key);
    snprintf(e->pin, sizeof e->pin, "%s", board->platform_tls.pinned_key);
    snprintf(e->terminal, sizeof e->terminal, "%s", board->platform_tls.terminal_id);
    snprintf(e->code, sizeof e->code, "%s", code);
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    int started = pthread_create(&thread, &attributes, worker, e);
    pthread_attr_destroy(&attributes);
    if (started != 0) {
        explicit_bzero(e->code, sizeof e->code);
        free(e);
        return KIOSK_ERR_IO;
    }
    enrolling.running = true;
    enrolling.done = done;
    enrolling.context = context;
    snprintf(enrolling.actor, sizeof enrolling.actor, "%s", actor ? actor : "");
    size_t length = strlen(code);
    snprintf(enrolling.masked, sizeof enrolling.masked, "***%s", code + length - 2);
    LOG_INFO("cert", "enrolment with code %s started", enrolling.masked);
    return KIOSK_OK;
}

bool app_cert_enrolling(const kiosk_app *app)
{
    (void)app;
    return enrolling.running;
}

bool app_cert_last_outcome(const kiosk_app *app, const char **name, const char **message)
{
    (void)app;
    if (!enrolling.have_last)
        return false;
    *name = enrol_outcome_name(enrolling.last);
    *message = enrolling.last_message;
    return true;
}

static void audit(kiosk_app *app, const char *detail)
{
    struct kiosk_platform *platform = app_platform_core(app);
    if (enrolling.actor[0]) {
        if (!platform || platform_audit(platform, enrolling.actor, "cert-enrol", "client-cert",
                                        detail) != KIOSK_OK)
            LOG_WARN("cert", "not audited: an enrolment by %s", enrolling.actor);
    } else {
        app_audit(app, "cert-enrol", "client-cert", detail);
    }
}

void app_cert_tick(kiosk_app *app)
{
    pthread_mutex_lock(&mailbox.lock);
    enrolment *e = mailbox.done;
    mailbox.done = NULL;
    pthread_mutex_unlock(&mailbox.lock);
    if (!e)
        return;
    bool installed = e->outcome == ENROL_INSTALLED;
    char detail[520];
    if (installed)
        snprintf(detail, sizeof detail, "installed: code %s, serial %s, until %lld",
                 enrolling.masked, e->info.serial, (long long)e->info.not_after_s);
    else
        snprintf(detail, sizeof detail, "%s: code %s: %s", enrol_outcome_name(e->outcome),
                 enrolling.masked, e->message);
    if (installed)
        LOG_INFO("cert", "%s", detail);
    else
        LOG_WARN("cert", "%s", detail);
    audit(app, detail);
    enrolling.running = false;
    enrolling.have_last = true;
    enrolling.last = e->outcome;
    snprintf(enrolling.last_message, sizeof enrolling.last_message, "%s",
             installed ? "" : e->message);
    app_cert_done done = enrolling.done;
    void *context = enrolling.context;
    enrolling.done = NULL;
    enrolling.context = NULL;
    char explanation[400];
    if (installed)
        snprintf(explanation, sizeof explanation, "serial %s", e->info.serial);
    else
        snprintf(explanation, sizeof explanation, "%s: %s", enrol_outcome_name(e->outcome),
                 e->message);
    free(e);
    if (done)
        done(installed, explanation, context);
    if (app_current_screen(app) == APP_SCREEN_TECHNICIAN ||
        app_current_screen(app) == APP_SCREEN_TECH_CERT)
        app_show_again(app);
}
