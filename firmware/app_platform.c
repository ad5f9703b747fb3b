/* The app's side of the platform: the offline store that keeps what a
 * citizen submits, the sync thread that delivers it, and what the link's
 * state means on the screen (quietly for citizens, fully for staff).
 *
 * The store opens when it is first needed (a submission, or a platform to
 * deliver to), so a terminal with no certificates yet still runs, keeps what
 * citizens submit, and never touches its data directory until then. */
#include "firmware/app_internal.h"

#include "firmware/log.h"
#include "offline-cache/kv.h"
#include "offline-cache/outbox.h"
#include "offline-cache/seal.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How long a submission waits for the platform's answer before the citizen
 * is told it is kept and will be sent (the usual answer takes milliseconds). */
#define SUBMIT_WAIT_MS 3000

typedef struct delivery {
    int64_t id;
    char tracking[64];
} delivery;

static bool all_devices_simulated(const board_profile *board)
{
    for (size_t i = 0; i < board->device_count; i++)
        if (board->devices[i].transport != BOARD_TRANSPORT_SIM)
            return false;
    return true;
}

static bool readable(const char *path)
{
    return path[0] && access(path, R_OK) == 0;
}

/* The store's options: the board's limits, its cipher, and the key. */
static kiosk_error store_options(kiosk_app *app, cache_options *out, char *path, size_t size,
                                 kiosk_diag *diag)
{
    const board_profile *board = &app->board;
    if (mkdir(board->data_dir, 0700) != 0 && errno != EEXIST)
        return kiosk_diag_set(diag, KIOSK_ERR_IO, "%s: cannot create it: %s", board->data_dir,
                              strerror(errno));
    snprintf(path, size, "%s/kiosk.db", board->data_dir);
    seal_cipher cipher = SEAL_AES_256_GCM;
    if (!seal_cipher_from_name(board->storage.cipher, &cipher))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "storage.cipher: \"%s\" is unknown",
                              board->storage.cipher);
    kiosk_error loaded =
        seal_key_file_load((void *)board->storage.key_file, &app->platform.key, diag);
    /* A development board (every device simulated) makes its own key on
     * its first start; a real one is given its key when it is installed. */
    if (loaded == KIOSK_ERR_NOT_FOUND && all_devices_simulated(board)) {
        loaded = seal_key_file_create(board->storage.key_file, diag);
        if (loaded == KIOSK_OK)
            loaded = seal_key_file_load((void *)board->storage.key_file, &app->platform.key, diag);
    }
    if (loaded != KIOSK_OK)
        return loaded;
    *out = (cache_options){.path = path,
                           .cipher = cipher,
                           .key = &app->platform.key,
                           .max_outbox_records = board->storage.outbox_max_records,
                           .max_outbox_bytes = (int64_t)board->storage.outbox_max_mb << 20,
                           .retention_days = board->storage.retention_days,
                           .min_free_bytes = (int64_t)board->storage.min_free_mb << 20};
    return KIOSK_OK;
}

static kiosk_error open_store(kiosk_app *app, kiosk_diag *diag)
{
    if (app->platform.store)
        return KIOSK_OK;
    char path[BOARD_PATH_MAX + 16];
    cache_options options;
    kiosk_error result = store_options(app, &options, path, sizeof path, diag);
    cache_open_report report = {0};
    if (result == KIOSK_OK)
        result = cache_open(&options, &app->platform.store, &report, diag);
    if (result == KIOSK_OK && report.moved_aside)
        LOG_ERROR("platform", "the offline store was damaged and moved aside to %s",
                  report.moved_to);
    return result;
}

/* ---- the sync thread's news, on the main thread -------------------------- */

static void release_plain(void *payload)
{
    free(payload);
}

static void on_progress(const sync_progress *progress, void *context)
{
    (void)context;
    sync_progress *copy = malloc(sizeof *copy);
    if (!copy)
        return;
    *copy = *progress;
    if (event_channel_post(APP_EVENT_LINK, copy, release_plain) != KIOSK_OK)
        free(copy); /* the next change brings the state again */
}

static void on_delivered(int64_t id, const char *kind, const char *tracking, void *context)
{
    (void)context;
    (void)kind;
    delivery *d = calloc(1, sizeof *d);
    if (!d)
        return;
    d->id = id;
    snprintf(d->tracking, sizeof d->tracking, "%s", tracking);
    if (event_channel_post(APP_EVENT_DELIVERED, d, release_plain) != KIOSK_OK)
        free(d);
}

/* The platform's catalog, once cached, replaces the one the kiosk started
 * with — but never under a citizen's finger: during a session it waits for
 * the session's end. A catalog given on the command line always wins. */
static void adopt_cached_catalog(kiosk_app *app, bool redraw)
{
    if (app->args.catalog[0] || !app->platform.store)
        return;
    if (app->in_session) {
        app->platform.catalog_waiting = true;
        return;
    }
    app->platform.catalog_waiting = false;
    char *body = NULL, etag[80];
    size_t length = 0;
    int64_t fetched = 0;
    if (cache_content_get(app->platform.store, "catalog", &body, &length, etag, sizeof etag,
                          &fetched, NULL) != KIOSK_OK)
        return;
    catalog *fresh = malloc(sizeof *fresh);
    kiosk_diag diag = {{0}};
    if (fresh && catalog_parse("the cached catalog", body, length, fresh, &diag) == KIOSK_OK &&
        strcmp(fresh->version, app->catalog.version) != 0) {
        LOG_INFO("platform", "catalog %s in use (was %s)", fresh->version, app->catalog.version);
        app->catalog = *fresh;
        app->home_page = 0;
        if (redraw && app_show(app, app->screen) != KIOSK_OK)
            LOG_WARN("platform", "the new catalog could not be shown");
    } else if (diag.message[0]) {
        LOG_ERROR("platform", "%s", diag.message);
    }
    free(fresh);
    free(body);
}

static void on_lookup(const sync_lookup_result *result, void *context)
{
    (void)context;
    sync_lookup_result *copy = malloc(sizeof *copy);
    if (!copy)
        return;
    *copy = *result;
    if (event_channel_post(APP_EVENT_LOOKUP, copy, release_plain) != KIOSK_OK)
        free(copy);
}

bool app_platform_lookup(kiosk_app *app, const char *tracking)
{
    if (!app->platform.sync)
        return false;
    kiosk_error asked = sync_lookup(app->platform.sync, tracking);
    if (asked != KIOSK_OK)
        LOG_WARN("platform", "status lookup not asked: %s", kiosk_error_name(asked));
    return asked == KIOSK_OK;
}

kiosk_error app_platform_start(kiosk_app *app, kiosk_diag *diag)
{
    const board_profile *board = &app->board;
    app->platform.progress.link = SYNC_LINK_UNKNOWN;
    app->platform.configured = readable(board->platform_tls.ca_file) &&
                               readable(board->platform_tls.client_cert) &&
                               readable(board->platform_tls.client_key);
    if (!app->platform.configured) {
        LOG_WARN("platform",
                 "no platform certificates at %s, %s, %s: working offline, submissions are kept",
                 board->platform_tls.ca_file, board->platform_tls.client_cert,
                 board->platform_tls.client_key);
        return KIOSK_OK;
    }
    kiosk_error result = open_store(app, diag);
    if (result != KIOSK_OK)
        return result;
    char path[BOARD_PATH_MAX + 16];
    cache_options options;
    result = store_options(app, &options, path, sizeof path, diag);
    if (result != KIOSK_OK)
        return result;
    sync_config config = {
        .platform_url = board->platform_url,
        .ca_file = board->platform_tls.ca_file,
        .client_cert = board->platform_tls.client_cert,
        .client_key = board->platform_tls.client_key,
        .pinned_key = board->platform_tls.pinned_key[0] ? board->platform_tls.pinned_key : NULL,
        .terminal_id = board->platform_tls.terminal_id,
        .firmware_version = KIOSK_VERSION};
    result = sync_create(&config, &options, &app->platform.sync, diag);
    if (result == KIOSK_OK) {
        sync_on_delivered(app->platform.sync, on_delivered);
        sync_on_lookup(app->platform.sync, on_lookup);
        app_platform_devices_changed(app);
        result = sync_start(app->platform.sync, on_progress, app);
        if (result != KIOSK_OK)
            kiosk_diag_set(diag, result, "the sync thread could not start");
    }
    if (result == KIOSK_OK) {
        LOG_INFO("platform", "delivering to %s as %s", board->platform_url,
                 board->platform_tls.terminal_id);
        adopt_cached_catalog(app, true);
    }
    return result;
}

void app_platform_stop(kiosk_app *app)
{
    sync_destroy(app->platform.sync);
    app->platform.sync = NULL;
    cache_close(app->platform.store);
    app->platform.store = NULL;
    seal_key_wipe(&app->platform.key);
}

void app_platform_devices_changed(kiosk_app *app)
{
    if (!app->platform.sync)
        return;
    char devices[256];
    snprintf(devices, sizeof devices,
             "{\"id-reader\":\"%s\",\"printer\":\"%s\",\"printer-reason\":\"%s\","
             "\"scanner\":\"%s\"}",
             device_state_name(app->reader.state), device_state_name(app->printer.state),
             app->printer.reason, device_state_name(app->scanner.state));
    if (sync_set_devices(app->platform.sync, devices) != KIOSK_OK)
        LOG_WARN("platform", "the heartbeat's device states could not be set");
}

bool app_platform_link_usable(const kiosk_app *app)
{
    sync_link link = app->platform.progress.link;
    return app->platform.configured && (link == SYNC_LINK_ONLINE || link == SYNC_LINK_DEGRADED);
}

const char *app_platform_link_key(const kiosk_app *app)
{
    if (!app->platform.configured)
        return "staff.link.not_configured";
    switch (app->platform.progress.link) {
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

static void app_platform_progress(kiosk_app *app, const sync_progress *progress)
{
    bool was_usable = app_platform_link_usable(app);
    bool new_catalog = progress->catalog_updates != app->platform.progress.catalog_updates;
    app->platform.progress = *progress;
    if (new_catalog)
        adopt_cached_catalog(app, true);
    /* What citizens see (tiles, the clock's note) changes only with
     * usability; staff's line on the attract screen with every change. */
    if (was_usable != app_platform_link_usable(app))
        app_show_again(app);
    else
        app_platform_refresh_staff_note(app);
}

void app_platform_refresh_staff_note(kiosk_app *app)
{
    ui_widget *line =
        app->screen == APP_SCREEN_ATTRACT ? ui_widget_find(app->root, "attract.staff") : NULL;
    if (!line)
        return;
    char note[320];
    ui_frame_model frame = app_frame_model(app, "");
    app_platform_staff_note(app, &frame, note, sizeof note);
    /* In place: the attract screen is not rebuilt under a passer-by's finger. */
    if (ui_widget_set_text(line, note))
        app_mark_dirty(app, line->bounds);
}

/* ---- submitting ---------------------------------------------------------- */

static void session_id(kiosk_app *app)
{
    if (app->platform.session_id[0])
        return;
    uint8_t random[8];
    if (getrandom(random, sizeof random, 0) != sizeof random) {
        uint64_t now = app_now_ms(app) ^ (uint64_t)getpid() << 32;
        memcpy(random, &now, sizeof random);
    }
    for (size_t i = 0; i < sizeof random; i++)
        snprintf(app->platform.session_id + 2 * i, 3, "%02x", random[i]);
}

/* The time the platform would give this moment, else the terminal's own. */
static time_t platform_time(kiosk_app *app, bool *from_platform)
{
    int64_t server_ms = 0;
    *from_platform = app->platform.sync && sync_server_now_ms(&app->platform.progress, &server_ms);
    return *from_platform ? (time_t)(server_ms / 1000) : app_wall_time(app);
}

static char *submission_body(kiosk_app *app, const catalog_service *service, const char *id_number)
{
    bool from_platform = false;
    time_t now = platform_time(app, &from_platform);
    struct tm utc;
    gmtime_r(&now, &utc);
    char created[32];
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &utc);
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "kind", "submission");
    cJSON_AddStringToObject(body, "service", service->id);
    cJSON_AddStringToObject(body, "created_at", created);
    /* Which clock said so: the terminal's own may be wrong. */
    cJSON_AddStringToObject(body, "created_by",
                            from_platform ? "platform-clock" : "terminal-clock");
    cJSON *payload = cJSON_AddObjectToObject(body, "payload");
    cJSON_AddStringToObject(payload, "id_number", id_number);
    if (app->identity.known)
        cJSON_AddStringToObject(payload, "name", app->identity.name);
    cJSON_AddStringToObject(payload, "identified_by", app->identity.known ? "id-card" : "typed");
    cJSON_AddStringToObject(payload, "language", lang_code(app->language));
    char *text = cJSON_PrintUnformatted(body);
    /* cJSON_Delete does not wipe: the ID number is zeroed first. */
    cJSON *number = cJSON_GetObjectItemCaseSensitive(payload, "id_number");
    if (cJSON_IsString(number))
        explicit_bzero(number->valuestring, strlen(number->valuestring));
    cJSON_Delete(body);
    return text;
}

static void result_facts(kiosk_app *app, bool accepted, const char *tracking)
{
    const catalog_service *service = &app->catalog.services[app->service_index];
    const char *id = app->identity.known ? app->identity.id_number : app->typed.id_number;
    char masked[32], local_reference[96], when[64];
    log_mask_personal(id, masked, sizeof masked);
    bool from_platform = false;
    time_t now = platform_time(app, &from_platform);
    struct tm local;
    localtime_r(&now, &local);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", &local);
    /* Kept, not yet sent: the terminal's own reference, which staff can find
     * in its outbox and the platform will know once it arrives. */
    snprintf(local_reference, sizeof local_reference, "%s-%06lld",
             app->board.platform_tls.terminal_id, (long long)app->platform.pending_id);
    const char *number = accepted ? tracking : local_reference;
    ui_result_model model = {.outcome = accepted ? UI_RESULT_ACCEPTED : UI_RESULT_QUEUED,
                             .service_name = service->name[app->language],
                             .tracking_number = number,
                             .masked_id = masked,
                             .time_text = when,
                             .qr_data = number};
    app->platform.pending_id = 0;
    if (app->sim_scanner)
        snprintf(app->sim_last_tracking, sizeof app->sim_last_tracking, "%.63s", number);
    if (app_show_result(app, &model) != KIOSK_OK)
        LOG_ERROR("platform", "the result could not be shown");
}

bool app_platform_submit(kiosk_app *app)
{
    if (app->platform.pending_id)
        return true; /* already on its way: a second tap is not a second submission */
    const catalog_service *service = &app->catalog.services[app->service_index];
    const char *id_number = app->identity.known ? app->identity.id_number : app->typed.id_number;
    kiosk_diag diag = {{0}};
    kiosk_error result =
        id_number[0] ? open_store(app, &diag)
                     : kiosk_diag_set(&diag, KIOSK_ERR_INVALID_ARGUMENT, "nobody is identified");
    session_id(app);
    char key[CACHE_KEY_MAX];
    if (result == KIOSK_OK && !cache_idempotency_key(app->board.platform_tls.terminal_id,
                                                     app->platform.session_id, service->id, key))
        result = kiosk_diag_set(&diag, KIOSK_ERR_TOO_BIG, "the idempotency key does not fit");
    char *body = result == KIOSK_OK ? submission_body(app, service, id_number) : NULL;
    int64_t id = 0;
    if (result == KIOSK_OK && !body)
        result = kiosk_diag_set(&diag, KIOSK_ERR_NO_MEMORY, "no memory for the submission");
    if (result == KIOSK_OK) {
        cache_put put = {.kind = "submission",
                         .idempotency_key = key,
                         .payload = (const uint8_t *)body,
                         .payload_length = strlen(body),
                         .personal = true};
        result = cache_outbox_put(app->platform.store, &put, (int64_t)app_wall_time(app) * 1000,
                                  &id, &diag);
    }
    if (body) {
        explicit_bzero(body, strlen(body));
        free(body);
    }
    if (result != KIOSK_OK) {
        LOG_ERROR("platform", "a %s submission could not be kept: %s", service->id, diag.message);
        return false;
    }
    LOG_INFO("platform", "%s submission kept as record %lld", service->id, (long long)id);
    app->platform.pending_id = id;
    if (app->platform.sync && app_platform_link_usable(app)) {
        /* The link is up: the platform's answer (a tracking number) is
         * usually back before the citizen's finger has left the glass. */
        app->platform.pending_deadline_ms = app_now_ms(app) + SUBMIT_WAIT_MS;
        sync_wake(app->platform.sync);
        /* Said on the button the citizen pressed, should the answer take a
         * moment: a second press is the same submission anyway. */
        ui_widget *button = ui_widget_find(app->root, "step.next");
        ui_frame_model frame = app_frame_model(app, "");
        if (button && ui_widget_set_text(button, ui_frame_text(&frame, "step.sending")))
            app_mark_dirty(app, button->bounds);
    } else {
        if (app->platform.sync)
            sync_wake(app->platform.sync);
        result_facts(app, false, NULL);
    }
    return true;
}

kiosk_error app_platform_put(kiosk_app *app, const char *kind, const char *step, cJSON *body)
{
    kiosk_diag diag = {{0}};
    session_id(app);
    char key[CACHE_KEY_MAX];
    char *text = cJSON_PrintUnformatted(body);
    kiosk_error result = !text ? KIOSK_ERR_NO_MEMORY
                         : !cache_idempotency_key(app->board.platform_tls.terminal_id,
                                                  app->platform.session_id, step, key)
                             ? KIOSK_ERR_TOO_BIG
                             : open_store(app, &diag);
    int64_t id = 0;
    if (result == KIOSK_OK) {
        /* Nothing personal in these: a rating, a staff call. */
        cache_put put = {.kind = kind,
                         .idempotency_key = key,
                         .payload = (const uint8_t *)text,
                         .payload_length = strlen(text)};
        result = cache_outbox_put(app->platform.store, &put, (int64_t)app_wall_time(app) * 1000,
                                  &id, &diag);
    }
    free(text);
    if (result != KIOSK_OK) {
        LOG_ERROR("platform", "a %s record was not kept: %s", kind,
                  diag.message[0] ? diag.message : kiosk_error_name(result));
        return result;
    }
    LOG_INFO("platform", "%s kept as record %lld", kind, (long long)id);
    if (app->platform.sync)
        sync_wake(app->platform.sync);
    return KIOSK_OK;
}

kiosk_error app_platform_call_staff(kiosk_app *app, const char *reason, const char *screen)
{
    char step[64];
    snprintf(step, sizeof step, "staff-%s-%lu", screen, ++app->platform.staff_calls);
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "reason", reason);
    cJSON_AddStringToObject(body, "screen", screen);
    kiosk_error kept = app_platform_put(app, "staff-call", step, body);
    if (kept == KIOSK_OK)
        LOG_WARN("platform", "staff called: %s on the %s screen", reason, screen);
    cJSON_Delete(body);
    return kept;
}

static void app_platform_delivered(kiosk_app *app, int64_t id, const char *tracking)
{
    if (id != app->platform.pending_id || app->screen != APP_SCREEN_SERVICE)
        return; /* an earlier citizen's record, delivered later */
    result_facts(app, tracking[0] != '\0', tracking);
}

void app_platform_event(kiosk_app *app, const app_event *event)
{
    if (event->kind == APP_EVENT_LINK) {
        app_platform_progress(app, event->payload);
    } else if (event->kind == APP_EVENT_DELIVERED) {
        const delivery *d = event->payload;
        app_platform_delivered(app, d->id, d->tracking);
    }
}

void app_platform_tick(kiosk_app *app)
{
    if (!app->platform.pending_id || !app->platform.pending_deadline_ms)
        return;
    if (app->screen != APP_SCREEN_SERVICE) {
        app->platform.pending_id = 0;
        app->platform.pending_deadline_ms = 0;
        return;
    }
    if (app_now_ms(app) >= app->platform.pending_deadline_ms) {
        app->platform.pending_deadline_ms = 0;
        result_facts(app, false, NULL);
    }
}

long long app_platform_next_ms(const kiosk_app *app)
{
    if (!app->platform.pending_id || !app->platform.pending_deadline_ms)
        return -1;
    uint64_t now = app_now_ms(app);
    return app->platform.pending_deadline_ms > now
               ? (long long)(app->platform.pending_deadline_ms - now)
               : 0;
}

void app_platform_session_end(kiosk_app *app)
{
    app->platform.pending_id = 0;
    app->platform.pending_deadline_ms = 0;
    explicit_bzero(app->platform.session_id, sizeof app->platform.session_id);
    if (app->platform.catalog_waiting)
        adopt_cached_catalog(app, false); /* the session's end shows attract */
}

void app_platform_staff_note(const kiosk_app *app, const ui_frame_model *frame, char *out,
                             size_t size)
{
    sync_progress counted = app->platform.progress;
    cache_outbox_stats stats;
    /* With no sync thread to count them, the store is asked directly. */
    if (!app->platform.sync && app->platform.store &&
        cache_outbox_stats_get(app->platform.store, &stats, NULL) == KIOSK_OK) {
        counted.queued = stats.records;
        counted.quarantined = stats.quarantined;
    }
    const sync_progress *p = &counted;
    char queued[24], quarantined[24], error[sizeof counted.last_error + 8] = "";
    snprintf(queued, sizeof queued, "%lld", (long long)p->queued);
    snprintf(quarantined, sizeof quarantined, "%lld", (long long)p->quarantined);
    if (app->platform.configured && p->link != SYNC_LINK_ONLINE && p->last_error[0])
        snprintf(error, sizeof error, " · %.150s", p->last_error);
    const char *names[] = {"link", "queued", "quarantined", "error"};
    const char *values[] = {ui_frame_text(frame, app_platform_link_key(app)), queued, quarantined,
                            error};
    ui_strings_fill(ui_frame_text(frame, "staff.status"), names, values, 4, out, size);
    /* Paper is staff's to refill: the printer's state when it needs them. */
    bool printer_needs_staff =
        app_print_available(app) && app->devices_started &&
        (app->printer.supply == DEVICE_SUPPLY_LOW ||
         (app->printer.state != DEVICE_ONLINE && app->printer.state != DEVICE_BUSY));
    if (printer_needs_staff) {
        char key[64];
        snprintf(key, sizeof key, "device.printer.%s.staff",
                 app->printer.reason[0] ? app->printer.reason : "not-found");
        const char *words = ui_strings_lookup(app->strings, app->language, key);
        size_t used = strlen(out);
        if (words && used < size)
            snprintf(out + used, size - used, " · %s", words);
    }
}
