/* The technician's network diagnosis (APP_SCREEN_TECH_NETWORK): each step
 * toward the platform with its time and verdict, a failed one in words a
 * technician can act on, the platform certificate's subject, issuer and
 * expiry, and the clock's offset. The diagnosis runs on a worker
 * (firmware/platform/netdiag.h); the worker wakes the loop, and the loop's
 * tick (app_tech_network_tick) picks the result up on the main thread. */
#include "firmware/app/app_role.h"
#include "firmware/app/app_tech.h"
#include "firmware/app/app_technician.h"
#include "firmware/app/navigation.h"

#include "firmware/base/event_channel.h"
#include "firmware/base/log.h"
#include "firmware/platform/netdiag.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum network_item { NETWORK_AGAIN };

/* The worker's result waits here for the main thread. */
static struct {
    pthread_mutex_t lock;
    bool arrived;
    netdiag_result result;
} mailbox = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The main thread's: a diagnosis under way, and the last one's result. */
static struct {
    bool running, have;
    netdiag_result result;
} shown;

static void arrived(const netdiag_result *result, void *context)
{
    (void)context;
    pthread_mutex_lock(&mailbox.lock);
    if (result)
        mailbox.result = *result;
    else
        memset(&mailbox.result, 0, sizeof mailbox.result);
    mailbox.arrived = true;
    pthread_mutex_unlock(&mailbox.lock);
    /* Wakes the loop, whose tick takes the result. */
    if (event_channel_post(APP_EVENT_REDRAW, NULL, NULL) != KIOSK_OK)
        LOG_WARN("netdiag", "the loop could not be woken: the result shows at its next turn");
}

bool app_tech_network_start(kiosk_app *app)
{
    if (shown.running)
        return false;
    const board_profile *board = app_board(app);
    netdiag_config config = {.url = board->platform_url,
                             .ca_file = board->platform_tls.ca_file,
                             .client_cert = board->platform_tls.client_cert,
                             .client_key = board->platform_tls.client_key,
                             .pinned_key = board->platform_tls.pinned_key,
                             .terminal_id = board->platform_tls.terminal_id};
    if (netdiag_start(&config, arrived, NULL) != KIOSK_OK) {
        LOG_WARN("netdiag", "the diagnosis could not start");
        return false;
    }
    shown.running = true;
    return true;
}

bool app_tech_network_running(const kiosk_app *app)
{
    (void)app;
    return shown.running;
}

/* What the audit trail keeps: each step's verdict, nothing else. */
static void audit(kiosk_app *app)
{
    char detail[160] = "";
    size_t used = 0;
    for (int i = 0; i < NETDIAG_STEP_COUNT && used < sizeof detail; i++) {
        const netdiag_step_result *step = &shown.result.steps[i];
        used += (size_t)snprintf(detail + used, sizeof detail - used, "%s%s %s", i ? ", " : "",
                                 netdiag_step_name((netdiag_step)i),
                                 step->verdict == NETDIAG_PASS   ? "pass"
                                 : step->verdict == NETDIAG_FAIL ? step->why
                                                                 : "-");
    }
    app_audit(app, "netdiag", shown.result.host, detail);
}

void app_tech_network_tick(kiosk_app *app)
{
    pthread_mutex_lock(&mailbox.lock);
    bool ready = mailbox.arrived;
    if (ready) {
        shown.result = mailbox.result;
        mailbox.arrived = false;
    }
    pthread_mutex_unlock(&mailbox.lock);
    if (!ready)
        return;
    shown.running = false;
    shown.have = true;
    for (int i = 0; i < NETDIAG_STEP_COUNT; i++)
        if (shown.result.steps[i].verdict == NETDIAG_FAIL)
            LOG_WARN("netdiag", "%s failed: %s (%s)", netdiag_step_name((netdiag_step)i),
                     shown.result.steps[i].why, shown.result.steps[i].detail);
    audit(app);
    if (app_current_screen(app) == APP_SCREEN_TECH_NETWORK)
        app_show_again(app);
}

const netdiag_result *app_tech_network_result(const kiosk_app *app)
{
    (void)app;
    return shown.have ? &shown.result : NULL;
}

/* A step's line: its name, verdict and time, and what it found or why it
 * failed in the technician's words. */
static void step_line(const ui_frame_model *frame, int i, char *out, size_t size)
{
    const netdiag_result *r = &shown.result;
    const netdiag_step_result *step = &r->steps[i];
    char key[64], ms[16], port[16], offset[24], status[16];
    snprintf(key, sizeof key, "netdiag.step.%s", netdiag_step_name((netdiag_step)i));
    const char *name = ui_frame_text(frame, key);
    if (step->verdict == NETDIAG_NOT_RUN) {
        snprintf(out, size, "%s · %s", name, ui_frame_text(frame, "netdiag.not_run"));
        return;
    }
    snprintf(ms, sizeof ms, "%ld", step->ms);
    snprintf(port, sizeof port, "%d", r->port);
    snprintf(offset, sizeof offset, "%+lld", (long long)r->clock_offset_s);
    snprintf(status, sizeof status, "%ld", r->http_status);
    const char *names[] = {"host", "port", "ms", "offset", "status", "addresses"};
    const char *values[] = {r->host, port, ms, offset, status, r->addresses};
    char said[300];
    if (step->verdict == NETDIAG_PASS)
        snprintf(key, sizeof key, "netdiag.%s.pass", netdiag_step_name((netdiag_step)i));
    else
        snprintf(key, sizeof key, "netdiag.%s.%s", netdiag_step_name((netdiag_step)i), step->why);
    const char *text = ui_strings_lookup(frame->strings, frame->language, key);
    ui_strings_fill(text ? text : ui_frame_text(frame, "netdiag.failed"), names, values, 6, said,
                    sizeof said);
    snprintf(out, size, "%s · %s · %s", name,
             ui_frame_text(frame, step->verdict == NETDIAG_PASS ? "tech.selftest.passed"
                                                                : "tech.selftest.failed"),
             said);
}

static kiosk_error build_network(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    (void)app;
    /* 重新诊断 fixed over the foot; the steps scroll where large text on a
     * small panel does not fit them. */
    app_tech_page page;
    app_tech_page_begin(&page, frame, "tech.network.title",
                        ui_frame_text(frame, "tech.network.title"), true);
    app_tech_page_foot_button(&page, "tech.network.again",
                              ui_frame_text(frame, "tech.network.again"), NETWORK_AGAIN,
                              !shown.running);
    app_tech_page_scroll(&page);
    int gap = page.screen.gap;
    if (shown.running || !shown.have) {
        app_tech_page_text(&page, &ui_label_class, "tech.network.status",
                           ui_frame_text(frame, "netdiag.running"), APP_TECH_TEXT_DP,
                           UI_TONE_PLAIN);
        return app_tech_page_end(&page, NULL, out);
    }
    for (int i = 0; i < NETDIAG_STEP_COUNT; i++) {
        char id[48], line[480];
        snprintf(id, sizeof id, "tech.network.%s", netdiag_step_name((netdiag_step)i));
        step_line(frame, i, line, sizeof line);
        app_tech_page_text(&page, &ui_label_class, id, line, APP_TECH_TEXT_DP,
                           shown.result.steps[i].verdict == NETDIAG_FAIL ? UI_TONE_ALERT
                                                                         : UI_TONE_PLAIN);
        page.screen.y += gap / 2;
    }
    if (shown.result.cert_subject[0]) {
        char line[700];
        const char *names[] = {"subject", "issuer", "expiry"};
        const char *values[] = {shown.result.cert_subject, shown.result.cert_issuer,
                                shown.result.cert_expiry};
        ui_strings_fill(ui_frame_text(frame, "tech.network.certificate"), names, values, 3, line,
                        sizeof line);
        page.screen.y += gap / 2;
        app_tech_page_text(&page, &ui_note_class, "tech.network.certificate", line, 24,
                           UI_TONE_PLAIN);
    }
    return app_tech_page_end(&page, NULL, out);
}

static void enter_network(kiosk_app *app)
{
    if (!shown.running && app_tech_network_start(app))
        app_show_again(app);
}

static app_screen on_network(kiosk_app *app, ui_action action, int arg)
{
    if (action != UI_ACTION_STAFF)
        return app_tech_common(app, action);
    app_role_touch(app);
    if (arg == NETWORK_AGAIN && app_tech_network_start(app))
        return APP_SCREEN_TECH_NETWORK;
    return APP_SCREEN_STAY;
}

const app_controller app_tech_network_controller = {.name = "tech_network",
                                                    .build = build_network,
                                                    .enter = enter_network,
                                                    .on_action = on_network,
                                                    .ignores_cards = true};
