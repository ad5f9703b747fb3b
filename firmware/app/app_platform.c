/* The app's side of the platform: what the citizen sees of it (the result
 * of a submission, the link on the tiles and beside the clock) and what
 * staff read on the attract screen's foot. Keeping, sending and the store
 * are the platform layer's (firmware/platform/store_use.h): this turns its
 * events (kept, delivered, refused, the link) into screens. */
#include "firmware/app/app_platform.h"
#include "firmware/app/app_core.h"
#include "firmware/app/app_devices.h"
#include "firmware/app/app_print.h"
#include "firmware/app/app_probe.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_sign.h"
#include "firmware/app/app_staff.h"
#include "firmware/app/app_start.h"
#include "firmware/app/navigation.h"

#include "firmware/base/log.h"
#include "firmware/platform/store_use.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The platform, one to a process (firmware/platform/store_use.h: the store, the thread,
 * what is kept and sent) and what the screens need of it
 * (app_platform.c). */
static struct {
    struct kiosk_platform *core;  /* made when first needed */
    bool configured;              /* the board's certificates are there */
    sync_client *sync;            /* the sync thread's client, while it runs */
    sync_progress progress;       /* the link's latest state */
    char local_reference[64];     /* the last submission's number on this terminal */
    int64_t pending_id;           /* a submission awaiting the platform's answer */
    app_screen pending_screen;    /* where it was made: leaving it gives up waiting */
    uint64_t pending_deadline_ms; /* when the citizen is told it is kept */
    bool catalog_waiting;         /* a new catalog waits for the session's end */
} platform;

/* How long a submission waits for the platform's answer before the citizen
 * is told it is kept and will be sent (the usual answer takes milliseconds). */
#define SUBMIT_WAIT_MS 3000

static void on_platform(const platform_event *event, void *context);

static time_t wall_of(void *context)
{
    return app_wall_time(context);
}

static uint64_t now_of(void *context)
{
    return app_now_ms(context);
}

/* A development board: nothing on the real USB bus. Its A4 printer over
 * IPP is a stand-in process (ippeveprinter, docs/a4-printer.md). */
static bool all_devices_simulated(const board_profile *board)
{
    for (size_t i = 0; i < board->device_count; i++)
        if (board->devices[i].transport == BOARD_TRANSPORT_USB)
            return false;
    return true;
}

/* The platform layer, made when first needed from the board. */
static kiosk_platform *core_of(kiosk_app *app)
{
    if (platform.core)
        return platform.core;
    const board_profile *board = app_board(app);
    platform_config config = {
        .make_key = all_devices_simulated(board),
        .retention_days = board->storage.retention_days,
        .outbox_max_records = board->storage.outbox_max_records,
        .outbox_max_mb = board->storage.outbox_max_mb,
        .min_free_mb = board->storage.min_free_mb,
        .firmware_version = KIOSK_VERSION,
        .link_event = APP_EVENT_LINK,
        .delivered_event = APP_EVENT_DELIVERED,
        .answer_events = {[SYNC_ASK_LOOKUP] = APP_EVENT_LOOKUP,
                          [SYNC_ASK_EID] = APP_EVENT_EID,
                          [SYNC_ASK_QUERY] = APP_EVENT_QUERY,
                          [SYNC_ASK_APPOINTMENT] = APP_EVENT_APPOINTMENT,
                          [SYNC_ASK_DOCUMENTS] = APP_EVENT_DOCUMENTS,
                          [SYNC_ASK_DOCUMENT] = APP_EVENT_DOCUMENT},
        .wall_time = wall_of,
        .now_ms = now_of,
        .on_event = on_platform,
        .context = app,
    };
    snprintf(config.data_dir, sizeof config.data_dir, "%s", board->data_dir);
    snprintf(config.terminal_id, sizeof config.terminal_id, "%s", board->platform_tls.terminal_id);
    snprintf(config.cipher, sizeof config.cipher, "%s", board->storage.cipher);
    snprintf(config.key_file, sizeof config.key_file, "%s", board->storage.key_file);
    snprintf(config.platform_url, sizeof config.platform_url, "%s", board->platform_url);
    snprintf(config.ca_file, sizeof config.ca_file, "%s", board->platform_tls.ca_file);
    snprintf(config.client_cert, sizeof config.client_cert, "%s", board->platform_tls.client_cert);
    snprintf(config.client_key, sizeof config.client_key, "%s", board->platform_tls.client_key);
    snprintf(config.pinned_key, sizeof config.pinned_key, "%s", board->platform_tls.pinned_key);
    if (platform_create(&config, &platform.core) != KIOSK_OK)
        LOG_ERROR("platform", "no memory for the platform");
    return platform.core;
}

/* The platform's catalog, once cached, replaces the one the kiosk started
 * with — but never under a citizen's finger: during a session it waits for
 * the session's end. A catalog given on the command line always wins. */
static void adopt_cached_catalog(kiosk_app *app, bool redraw)
{
    if (app_args(app)->catalog[0] || !platform.core || !platform_has_store(platform.core))
        return;
    if (app_in_session(app)) {
        platform.catalog_waiting = true;
        return;
    }
    platform.catalog_waiting = false;
    char *body = NULL;
    size_t length = 0;
    if (platform_cached_catalog(platform.core, &body, &length) != KIOSK_OK)
        return;
    catalog *fresh = calloc(1, sizeof *fresh);
    kiosk_diag diag = {{0}};
    if (fresh && catalog_parse("the cached catalog", body, length, fresh, &diag) == KIOSK_OK &&
        strcmp(fresh->version, app_catalog(app)->version) != 0) {
        LOG_INFO("platform", "catalog %s in use (was %s)", fresh->version,
                 app_catalog(app)->version);
        /* Between sessions only: nothing points into the old one. */
        fresh = app_replace_catalog(app, fresh);
        app_home_first_page(app);
        if (redraw && app_go(app, app_current_screen(app)) != KIOSK_OK)
            LOG_WARN("platform", "the new catalog could not be shown");
    } else if (diag.message[0]) {
        LOG_ERROR("platform", "%s", diag.message);
    }
    free(fresh);
    free(body);
}

bool app_platform_verify_eid(kiosk_app *app, const char *code)
{
    if (!platform.sync || !app_platform_link_usable(app))
        return false;
    kiosk_error asked = sync_eid(platform.sync, code);
    if (asked != KIOSK_OK)
        LOG_WARN("platform", "e-ID not asked: %s", kiosk_error_name(asked));
    return asked == KIOSK_OK;
}

bool app_platform_query(kiosk_app *app, const char *service, const char *id_number)
{
    if (!platform.sync || !app_platform_link_usable(app))
        return false;
    kiosk_error asked = sync_query(platform.sync, service, id_number, lang_code(app_language(app)));
    if (asked != KIOSK_OK)
        LOG_WARN("platform", "%s query not asked: %s", service, kiosk_error_name(asked));
    return asked == KIOSK_OK;
}

bool app_platform_book(kiosk_app *app, const char *service, const char *matter, const char *period,
                       const char *id_number)
{
    if (!platform.sync || !app_platform_link_usable(app))
        return false;
    kiosk_error asked = sync_appointment(platform.sync, service, matter, period, id_number,
                                         lang_code(app_language(app)));
    if (asked != KIOSK_OK)
        LOG_WARN("platform", "appointment not asked: %s", kiosk_error_name(asked));
    return asked == KIOSK_OK;
}

void app_platform_keep_answer(kiosk_app *app, const char *id_number, const char *json)
{
    kiosk_platform *core = core_of(app);
    if (core)
        platform_keep_answer(core, id_number, json);
}

char *app_platform_kept_answer(kiosk_app *app, const char *service, const char *id_number)
{
    kiosk_platform *core = core_of(app);
    return core ? platform_kept_answer(core, service, id_number) : NULL;
}

bool app_platform_find_receipt(kiosk_app *app, const char *number, receipt_entry *out)
{
    kiosk_platform *core = core_of(app);
    return core && platform_find_receipt(core, number, out);
}

bool app_platform_lookup(kiosk_app *app, const char *tracking)
{
    (void)app;
    if (!platform.sync)
        return false;
    kiosk_error asked = sync_lookup(platform.sync, tracking);
    if (asked != KIOSK_OK)
        LOG_WARN("platform", "status lookup not asked: %s", kiosk_error_name(asked));
    return asked == KIOSK_OK;
}

kiosk_error app_platform_start(kiosk_app *app, kiosk_diag *diag)
{
    (void)diag;
    platform.progress.link = SYNC_LINK_UNKNOWN;
    kiosk_platform *core = core_of(app);
    if (!core)
        return KIOSK_OK;
    platform.configured = platform_configure(core);
    platform_start(core);
    return KIOSK_OK;
}

void app_platform_stop(kiosk_app *app)
{
    (void)app;
    platform_destroy(platform.core);
    platform.core = NULL;
    platform.sync = NULL;
}

void app_platform_devices_changed(kiosk_app *app)
{
    if (!platform.sync)
        return;
    /* Every kind of the registry, so that a new device (the A4 printer)
     * reaches the platform's view of the terminal with no change here:
     * "printer": "online", "printer-reason": "paper-out", ... */
    char devices[640];
    size_t used = 0;
    devices[used++] = '{';
    for (int kind = 0; kind < DEVICE_KIND_COUNT; kind++) {
        const device_status *status = app_device(app, (device_kind)kind);
        int wrote =
            snprintf(devices + used, sizeof devices - used, "%s\"%s\":\"%s\",\"%s-reason\":\"%s\"",
                     kind ? "," : "", device_registry[kind].key, device_state_name(status->state),
                     device_registry[kind].key, status->reason);
        if (wrote < 0 || (size_t)wrote >= sizeof devices - used - 1) {
            LOG_WARN("platform", "the devices' states do not fit the heartbeat");
            return;
        }
        used += (size_t)wrote;
    }
    devices[used++] = '}';
    devices[used] = '\0';
    platform_set_devices(platform.core, devices);
}

bool app_platform_link_usable(const kiosk_app *app)
{
    (void)app;
    sync_link link = platform.progress.link;
    return platform.configured && (link == SYNC_LINK_ONLINE || link == SYNC_LINK_DEGRADED);
}

const char *app_platform_link_key(const kiosk_app *app)
{
    (void)app;
    if (!platform.configured)
        return "staff.link.not_configured";
    switch (platform.progress.link) {
    case SYNC_LINK_ONLINE:
        return "staff.link.online";
    case SYNC_LINK_DEGRADED:
        return "staff.link.degraded";
    case SYNC_LINK_OFFLINE:
        return "staff.link.offline";
    case SYNC_LINK_REFUSED:
        return "staff.link.refused";
    default:
        return "staff.link.unknown";
    }
}

static void result_facts(kiosk_app *app, bool accepted, const char *tracking);

static void app_platform_progress(kiosk_app *app, const sync_progress *progress)
{
    bool was_usable = app_platform_link_usable(app);
    bool new_catalog = progress->catalog_updates != platform.progress.catalog_updates;
    platform.progress = *progress;
    if (new_catalog)
        adopt_cached_catalog(app, true);
    /* A submission waiting for the platform while the link goes: the
     * citizen is told it is kept now, not at the end of the wait. */
    if (platform.pending_id && platform.pending_deadline_ms && !app_platform_link_usable(app) &&
        app_current_screen(app) == platform.pending_screen) {
        platform.pending_deadline_ms = 0;
        result_facts(app, false, NULL);
        return;
    }
    /* What citizens see (tiles, the clock's note) changes only with
     * usability; staff's line on the attract screen with every change. */
    if (was_usable != app_platform_link_usable(app))
        app_show_again(app);
    else
        app_platform_refresh_staff_note(app);
}

void app_platform_refresh_staff_note(kiosk_app *app)
{
    if (app_current_screen(app) != APP_SCREEN_ATTRACT)
        return;
    char note[320];
    ui_frame_model frame = app_frame_model(app, "");
    app_platform_staff_note(app, &frame, note, sizeof note);
    /* In place: the attract screen is not rebuilt under a passer-by's finger. */
    ui_widget *line = ui_live_update(app_root(app), UI_ID_ATTRACT_STAFF, note, UI_LIVE_KEEP_TONE);
    if (line)
        app_mark_dirty(app, line->bounds);
}

/* ---- submitting ---------------------------------------------------------- */

static void result_facts(kiosk_app *app, bool accepted, const char *tracking)
{
    const catalog_service *service = &app_catalog(app)->services[app_session_service_index(app)];
    const char *id = app_session_citizen_id(app);
    char masked[32], local_reference[96], when[64], url[CATALOG_URL_MAX + 64];
    log_mask_personal(id, masked, sizeof masked);
    bool from_platform = false;
    time_t now = platform.core ? platform_now(platform.core, &from_platform) : app_wall_time(app);
    app_local_time(app, (int64_t)now, when, sizeof when);
    /* Kept, not yet sent: the terminal's own reference, which the platform
     * will know once it arrives. */
    snprintf(local_reference, sizeof local_reference, "%s", platform.local_reference);
    const char *number = accepted ? tracking : local_reference;
    /* The platform's page for it, or no code at all. */
    const char *progress = catalog_verify_url(app_catalog(app), number, url, sizeof url) ? url : "";
    ui_result_model model = {.outcome = accepted ? UI_RESULT_ACCEPTED : UI_RESULT_QUEUED,
                             .service_name = service->name[app_language(app)],
                             .tracking_number = number,
                             .masked_id = masked,
                             .time_text = when,
                             .qr_data = progress,
                             .at = (int64_t)now};
    platform.pending_id = 0;
    app_devices_shown_tracking(app, number);
    if (app_show_result(app, &model) != KIOSK_OK)
        LOG_ERROR("platform", "the result could not be shown");
}

/* A submission is kept: the citizen sees the platform's tracking number
 * when the link is up (it is usually back before the finger has left the
 * glass), else at once the receipt that says it is kept. */
static void kept(kiosk_app *app, int64_t id, const char *reference)
{
    snprintf(platform.local_reference, sizeof platform.local_reference, "%s", reference);
    platform.pending_id = id;
    platform.pending_screen = app_current_screen(app);
    if (!platform.sync || !app_platform_link_usable(app)) {
        result_facts(app, false, NULL);
        return;
    }
    platform.pending_deadline_ms = app_now_ms(app) + SUBMIT_WAIT_MS;
    /* Said on the button the citizen pressed, should the answer take a
     * moment: a second press is the same submission anyway. */
    ui_frame_model frame = app_frame_model(app, "");
    ui_widget *button = ui_live_update(app_root(app), UI_ID_STEP_NEXT,
                                       ui_frame_text(&frame, "step.sending"), UI_LIVE_KEEP_TONE);
    if (button)
        app_mark_dirty(app, button->bounds);
}

bool app_platform_link_down(const kiosk_app *app)
{
    return platform.configured && !app_platform_link_usable(app);
}

bool app_platform_can_ask(const kiosk_app *app)
{
    return app_platform_link_usable(app) && platform.sync;
}

struct kiosk_platform *app_platform_core(const kiosk_app *app)
{
    (void)app;
    return platform.core;
}

bool app_platform_configured(const kiosk_app *app)
{
    (void)app;
    return platform.configured;
}

sync_progress app_platform_link_state(const kiosk_app *app)
{
    (void)app;
    return platform.progress;
}

bool app_platform_submit(kiosk_app *app)
{
    if (platform.pending_id)
        return true; /* already on its way: a second tap is not a second submission */
    kiosk_platform *core = core_of(app);
    if (!core)
        return false;
    const catalog_service *service = &app_catalog(app)->services[app_session_service_index(app)];
    platform_submission submission = {
        .service_id = service->id,
        .id_number = app_session_citizen_id(app),
        .name = app_session_citizen_name(app),
        .identified_by = app_session_identified_by(app),
        .anonymous = service->identity == CATALOG_IDENTITY_NONE,
        .language = lang_code(app_language(app)),
        .payload = flow_payload(app_session_flow(app)),
        /* Started by staff for the citizen present (帮办): the platform
         * knows who helped, and the audit trail names them. */
        .assisted_by = app_session_assisted_by(app)[0] ? app_session_assisted_by(app) : NULL,
    };
    /* The signatures drawn for its signature fields go with it. */
    platform_signature signatures[CATALOG_FIELDS_MAX];
    for (unsigned i = 0; i < service->field_count; i++) {
        platform_signature *one = &signatures[submission.signature_count];
        one->field = catalog_field_of(app_catalog(app), service, i)->id;
        *one = (platform_signature){.field = one->field};
        if (app_sign_image(app, i, &one->png, &one->png_length, &one->width, &one->height))
            submission.signature_count++;
        else if (app_sign_by_key(app, i)) {
            one->confirmed_by_keypad = true;
            submission.signature_count++;
        }
    }
    submission.signatures = signatures;
    /* KEPT shows what follows; REFUSED is the caller's to show. */
    bool kept = platform_submit(core, &submission) == KIOSK_OK;
    /* Sealed in the outbox: the strokes and the image are wiped here. */
    if (kept)
        app_sign_forget_kept(app);
    return kept;
}

kiosk_error app_platform_put(kiosk_app *app, const char *kind, const char *step, cJSON *body)
{
    kiosk_platform *core = core_of(app);
    return core ? platform_put(core, kind, step, body) : KIOSK_ERR_NO_MEMORY;
}

kiosk_error app_platform_call_staff(kiosk_app *app, const char *reason, const char *screen)
{
    kiosk_platform *core = core_of(app);
    return core ? platform_call_staff(core, reason, screen) : KIOSK_ERR_NO_MEMORY;
}

static void delivered(kiosk_app *app, int64_t id, const char *tracking)
{
    if (id != platform.pending_id || app_current_screen(app) != platform.pending_screen)
        return; /* an earlier citizen's record, delivered later */
    result_facts(app, tracking[0] != '\0', tracking);
}

/* What the platform layer reports, on the main thread. */
static void on_platform(const platform_event *event, void *context)
{
    kiosk_app *app = context;
    switch (event->kind) {
    case PLATFORM_KEPT:
        kept(app, event->id, event->reference);
        break;
    case PLATFORM_REFUSED:
        break; /* app_platform_submit's caller says nothing was kept */
    case PLATFORM_DELIVERED:
        app_staff_delivered(app); /* staff's "last delivered" */
        delivered(app, event->id, event->tracking);
        break;
    case PLATFORM_LINK:
        app_platform_progress(app, event->progress);
        break;
    case PLATFORM_SYNC:
        platform.sync = event->sync;
        app_platform_devices_changed(app); /* before the first heartbeat */
        break;
    case PLATFORM_STARTED:
        adopt_cached_catalog(app, true);
        break;
    case PLATFORM_STORE:
        /* What citizens see beside the clock: rebuilt when no finger is down. */
        app_show_again_soon(app);
        break;
    case PLATFORM_STAFF:
        app_platform_refresh_staff_note(app);
        app_staff_platform_news(app); /* the calls, and a citizen told someone is coming */
        break;
    }
}

void app_platform_event(kiosk_app *app, const app_event *event)
{
    (void)app;
    if (platform.core)
        (void)platform_handle(platform.core, event);
}

void app_platform_tick(kiosk_app *app)
{
    if (platform.core)
        platform_tick(platform.core);
    if (!platform.pending_id || !platform.pending_deadline_ms)
        return;
    if (app_current_screen(app) != platform.pending_screen) {
        platform.pending_id = 0;
        platform.pending_deadline_ms = 0;
        return;
    }
    if (app_now_ms(app) >= platform.pending_deadline_ms) {
        platform.pending_deadline_ms = 0;
        result_facts(app, false, NULL);
    }
}

long long app_platform_next_ms(const kiosk_app *app)
{
    long long store = platform.core ? platform_next_ms(platform.core) : -1;
    if (!platform.pending_id || !platform.pending_deadline_ms)
        return store;
    uint64_t now = app_now_ms(app);
    long long pending =
        platform.pending_deadline_ms > now ? (long long)(platform.pending_deadline_ms - now) : 0;
    return store >= 0 && store < pending ? store : pending;
}

void app_platform_session_end(kiosk_app *app)
{
    platform.pending_id = 0;
    platform.pending_deadline_ms = 0;
    if (platform.core)
        platform_session_end(platform.core);
    if (platform.catalog_waiting)
        adopt_cached_catalog(app, false); /* the session's end shows attract */
}

void app_probe_link(kiosk_app *app, bool configured, const sync_progress *progress)
{
    (void)app;
    platform.configured = configured;
    platform.progress = *progress;
}

bool app_platform_documents(kiosk_app *app, const char *service, const char *id_number,
                            const char *name)
{
    if (!platform.sync || !app_platform_link_usable(app))
        return false;
    kiosk_error asked = sync_documents(platform.sync, service, id_number, name);
    if (asked != KIOSK_OK)
        LOG_WARN("platform", "%s documents not asked: %s", service, kiosk_error_name(asked));
    return asked == KIOSK_OK;
}

bool app_platform_document(kiosk_app *app, const char *service, const char *id_number,
                           const char *name, const char *document)
{
    if (!platform.sync || !app_platform_link_usable(app))
        return false;
    kiosk_error asked = sync_document(platform.sync, service, id_number, name, document);
    if (asked != KIOSK_OK)
        LOG_WARN("platform", "%s document not asked: %s", service, kiosk_error_name(asked));
    return asked == KIOSK_OK;
}
