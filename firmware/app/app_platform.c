/* The app's side of the platform: the offline store that keeps what a
 * citizen submits, the sync thread that delivers it, and what the link's
 * state means on the screen (quietly for citizens, fully for staff).
 *
 * The store opens when it is first needed (a submission, or a platform to
 * deliver to), so a terminal with no certificates yet still runs, keeps what
 * citizens submit, and never touches its data directory until then. */
#include "firmware/app/app_store.h"

#include "firmware/base/log.h"
#include "firmware/platform/receipt_index.h"
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

static bool readable(const char *path)
{
    return path[0] && access(path, R_OK) == 0;
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
    catalog *fresh = calloc(1, sizeof *fresh);
    kiosk_diag diag = {{0}};
    if (fresh && catalog_parse("the cached catalog", body, length, fresh, &diag) == KIOSK_OK &&
        strcmp(fresh->version, app->catalog->version) != 0) {
        LOG_INFO("platform", "catalog %s in use (was %s)", fresh->version, app->catalog->version);
        /* Between sessions only: nothing points into the old one. */
        catalog *old = app->catalog;
        app->catalog = fresh;
        fresh = old;
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

static void release_wiped_query(void *payload)
{
    explicit_bzero(payload, sizeof(sync_query_result));
    free(payload);
}

static void on_query(const sync_query_result *result, void *context)
{
    (void)context;
    sync_query_result *copy = malloc(sizeof *copy);
    if (!copy)
        return;
    *copy = *result;
    if (event_channel_post(APP_EVENT_QUERY, copy, release_wiped_query) != KIOSK_OK)
        release_wiped_query(copy);
}

static void release_wiped_eid(void *payload)
{
    explicit_bzero(payload, sizeof(sync_eid_result));
    free(payload);
}

static void on_eid(const sync_eid_result *result, void *context)
{
    (void)context;
    sync_eid_result *copy = malloc(sizeof *copy);
    if (!copy)
        return;
    *copy = *result;
    if (event_channel_post(APP_EVENT_EID, copy, release_wiped_eid) != KIOSK_OK)
        release_wiped_eid(copy);
}

bool app_platform_verify_eid(kiosk_app *app, const char *code)
{
    if (!app->platform.sync || !app_platform_link_usable(app))
        return false;
    kiosk_error asked = sync_eid(app->platform.sync, code);
    if (asked != KIOSK_OK)
        LOG_WARN("platform", "e-ID not asked: %s", kiosk_error_name(asked));
    return asked == KIOSK_OK;
}

bool app_platform_query(kiosk_app *app, const char *service, const char *id_number)
{
    if (!app->platform.sync || !app_platform_link_usable(app))
        return false;
    kiosk_error asked =
        sync_query(app->platform.sync, service, id_number, lang_code(app->language));
    if (asked != KIOSK_OK)
        LOG_WARN("platform", "%s query not asked: %s", service, kiosk_error_name(asked));
    return asked == KIOSK_OK;
}

/* Answers are kept sealed, under a name only this terminal's key can make
 * from the citizen's number (aad: that name), so the number itself is not
 * stored. */
static bool answer_name(kiosk_app *app, const char *service, const char *id_number, char *key,
                        size_t size)
{
    char context[96], name[SEAL_NAME_LENGTH + 1];
    snprintf(context, sizeof context, "answer:%s", service);
    if (seal_name(&app->platform.key, context, id_number, name) != KIOSK_OK)
        return false;
    snprintf(key, size, "answer:%s", name);
    return true;
}

void app_platform_keep_answer(kiosk_app *app, const char *id_number, const char *json)
{
    kiosk_diag diag = {{0}};
    char key[64];
    cJSON *parsed = cJSON_Parse(json);
    const cJSON *service = cJSON_GetObjectItemCaseSensitive(parsed, "service");
    bool named = cJSON_IsString(service) && app_store_open(app, &diag) == KIOSK_OK &&
                 answer_name(app, service->valuestring, id_number, key, sizeof key);
    cJSON_Delete(parsed);
    size_t length = strlen(json), capacity = length + SEAL_OVERHEAD_BYTES, sealed_length = 0;
    seal_cipher cipher = SEAL_AES_256_GCM;
    if (!seal_cipher_from_name(app->board.storage.cipher, &cipher))
        named = false;
    uint8_t *sealed = named ? malloc(capacity) : NULL;
    kiosk_error result = sealed
                             ? seal(cipher, &app->platform.key, (const uint8_t *)key, strlen(key),
                                    (const uint8_t *)json, length, sealed, capacity, &sealed_length)
                             : KIOSK_ERR_NO_MEMORY;
    if (result == KIOSK_OK)
        result = cache_kv_set(app->platform.store, key, sealed, sealed_length,
                              (int64_t)app_wall_time(app), &diag);
    if (result != KIOSK_OK)
        LOG_WARN("platform", "an answer not kept for offline use: %s",
                 diag.message[0] ? diag.message : kiosk_error_name(result));
    free(sealed);
}

char *app_platform_kept_answer(kiosk_app *app, const char *service, const char *id_number)
{
    kiosk_diag diag = {{0}};
    char key[64];
    if (app_store_open(app, &diag) != KIOSK_OK ||
        !answer_name(app, service, id_number, key, sizeof key))
        return NULL;
    char *sealed = NULL;
    size_t length = 0;
    if (cache_kv_get(app->platform.store, key, &sealed, &length, &diag) != KIOSK_OK)
        return NULL;
    char *plain = length > SEAL_OVERHEAD_BYTES ? calloc(1, length) : NULL;
    size_t plain_length = 0;
    if (plain &&
        seal_open(&app->platform.key, (const uint8_t *)key, strlen(key), (const uint8_t *)sealed,
                  length, (uint8_t *)plain, length - 1, &plain_length) != KIOSK_OK) {
        LOG_WARN("platform", "a kept answer could not be opened: forgotten");
        free(plain);
        plain = NULL;
        if (cache_kv_delete(app->platform.store, key, &diag) != KIOSK_OK)
            LOG_WARN("platform", "%s", diag.message);
    }
    free(sealed);
    return plain;
}

bool app_platform_find_receipt(kiosk_app *app, const char *number, receipt_entry *out)
{
    kiosk_diag diag = {{0}};
    if (app_store_open(app, &diag) != KIOSK_OK) {
        LOG_WARN("platform", "receipts cannot be read: %s", diag.message);
        return false;
    }
    return receipt_index_find(app->platform.store, number, out, &diag) == KIOSK_OK;
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
    /* The sync thread starts with the store; a store that cannot open now
     * is tried again (app_store_tick), and staff are told meanwhile. */
    kiosk_diag failed = {{0}};
    (void)diag;
    if (app_store_open(app, &failed) != KIOSK_OK)
        app_platform_refresh_staff_note(app);
    return KIOSK_OK;
}

kiosk_error app_platform_start_sync(kiosk_app *app, kiosk_diag *diag)
{
    const board_profile *board = &app->board;
    if (app->platform.sync || !app->platform.configured)
        return KIOSK_OK;
    char path[BOARD_PATH_MAX + 16];
    cache_options options;
    kiosk_error result = app_store_options(app, &options, path, sizeof path, diag);
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
        sync_on_query(app->platform.sync, on_query);
        sync_on_eid(app->platform.sync, on_eid);
        app_platform_devices_changed(app);
        result = sync_start(app->platform.sync, on_progress, app);
        if (result != KIOSK_OK) {
            kiosk_diag_set(diag, result, "the sync thread could not start");
            sync_destroy(app->platform.sync);
            app->platform.sync = NULL;
        }
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
    app_store_forget(app);
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

static void result_facts(kiosk_app *app, bool accepted, const char *tracking);

static void app_platform_progress(kiosk_app *app, const sync_progress *progress)
{
    bool was_usable = app_platform_link_usable(app);
    bool new_catalog = progress->catalog_updates != app->platform.progress.catalog_updates;
    app->platform.progress = *progress;
    if (new_catalog)
        adopt_cached_catalog(app, true);
    /* A submission waiting for the platform while the link goes: the
     * citizen is told it is kept now, not at the end of the wait. */
    if (app->platform.pending_id && app->platform.pending_deadline_ms &&
        !app_platform_link_usable(app) && app->screen == app->platform.pending_screen) {
        app->platform.pending_deadline_ms = 0;
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

static void wipe_strings(cJSON *item)
{
    for (; item; item = item->next) {
        if (cJSON_IsString(item) && item->valuestring)
            explicit_bzero(item->valuestring, strlen(item->valuestring));
        wipe_strings(item->child);
    }
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
    cJSON_AddStringToObject(body, "local_reference", app->platform.local_reference);
    cJSON_AddStringToObject(body, "created_at", created);
    /* Which clock said so: the terminal's own may be wrong. */
    cJSON_AddStringToObject(body, "created_by",
                            from_platform ? "platform-clock" : "terminal-clock");
    /* What the citizen gave: the form's fields, how each material comes,
     * and for a bundle the items it feeds. */
    cJSON *payload = flow_payload(&app->flow);
    if (!payload || !cJSON_AddItemToObject(body, "payload", payload)) {
        cJSON_Delete(payload);
        cJSON_Delete(body);
        return NULL;
    }
    if (id_number[0])
        cJSON_AddStringToObject(payload, "id_number", id_number);
    if (app->identity.known)
        cJSON_AddStringToObject(payload, "name", app->identity.name);
    cJSON_AddStringToObject(payload, "identified_by",
                            app->identity.known ? (app->identity.by_eid ? "e-id" : "id-card")
                            : id_number[0]      ? "typed"
                                                : "none");
    cJSON_AddStringToObject(payload, "language", lang_code(app->language));
    char *text = cJSON_PrintUnformatted(body);
    /* cJSON_Delete does not wipe: what is personal is zeroed first. */
    wipe_strings(body);
    cJSON_Delete(body);
    return text;
}

/* The body once its number is known (app_store_keep_submission). */
static char *submission_text(kiosk_app *app, void *context)
{
    const catalog_service *service = &app->catalog->services[app->service_index];
    return submission_body(app, service, context);
}

static void result_facts(kiosk_app *app, bool accepted, const char *tracking)
{
    const catalog_service *service = &app->catalog->services[app->service_index];
    const char *id = app->identity.known ? app->identity.id_number : app->typed.id_number;
    char masked[32], local_reference[96], when[64];
    log_mask_personal(id, masked, sizeof masked);
    bool from_platform = false;
    time_t now = platform_time(app, &from_platform);
    struct tm local;
    localtime_r(&now, &local);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", &local);
    /* Kept, not yet sent: the terminal's own reference, which the platform
     * will know once it arrives. */
    snprintf(local_reference, sizeof local_reference, "%s", app->platform.local_reference);
    const char *number = accepted ? tracking : local_reference;
    ui_result_model model = {.outcome = accepted ? UI_RESULT_ACCEPTED : UI_RESULT_QUEUED,
                             .service_name = service->name[app->language],
                             .tracking_number = number,
                             .masked_id = masked,
                             .time_text = when,
                             .qr_data = number};
    app->platform.pending_id = 0;
    app_devices_shown_tracking(app, number);
    if (app_show_result(app, &model) != KIOSK_OK)
        LOG_ERROR("platform", "the result could not be shown");
}

bool app_platform_submit(kiosk_app *app)
{
    if (app->platform.pending_id)
        return true; /* already on its way: a second tap is not a second submission */
    const catalog_service *service = &app->catalog->services[app->service_index];
    const char *id_number = app->identity.known ? app->identity.id_number : app->typed.id_number;
    kiosk_diag diag = {{0}};
    bool identified = id_number[0] || service->identity == CATALOG_IDENTITY_NONE;
    kiosk_error result =
        identified ? app_store_open(app, &diag)
                   : kiosk_diag_set(&diag, KIOSK_ERR_INVALID_ARGUMENT, "nobody is identified");
    session_id(app);
    char key[CACHE_KEY_MAX];
    if (result == KIOSK_OK && !cache_idempotency_key(app->board.platform_tls.terminal_id,
                                                     app->platform.session_id, service->id, key))
        result = kiosk_diag_set(&diag, KIOSK_ERR_TOO_BIG, "the idempotency key does not fit");
    int64_t id = 0;
    if (result == KIOSK_OK)
        result = app_store_keep_submission(app, service->id, key, submission_text,
                                           (void *)id_number, &id, &diag);
    if (result != KIOSK_OK) {
        LOG_ERROR("platform", "a %s submission could not be kept: %s", service->id,
                  diag.message[0] ? diag.message : kiosk_error_name(result));
        if (app->platform.store)
            app_store_write_result(app, &diag);
        return false;
    }
    app_store_write_result(app, NULL);
    LOG_INFO("platform", "%s submission kept as record %lld as %s", service->id, (long long)id,
             app->platform.local_reference);
    app->platform.pending_id = id;
    app->platform.pending_screen = app->screen;
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
                             : app_store_open(app, &diag);
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
        if (app->platform.store)
            app_store_write_result(app, &diag);
        return result;
    }
    app_store_write_result(app, NULL);
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
    kiosk_diag diag = {{0}};
    if (app->platform.store &&
        receipt_index_delivered(app->platform.store, id, tracking, (int64_t)app_wall_time(app),
                                &diag) != KIOSK_OK)
        LOG_WARN("platform", "a delivered receipt not indexed: %s", diag.message);
    if (id != app->platform.pending_id || app->screen != app->platform.pending_screen)
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
    app_store_tick(app);
    if (!app->platform.pending_id || !app->platform.pending_deadline_ms)
        return;
    if (app->screen != app->platform.pending_screen) {
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
    long long store = app_store_next_ms(app);
    if (!app->platform.pending_id || !app->platform.pending_deadline_ms)
        return store;
    uint64_t now = app_now_ms(app);
    long long pending = app->platform.pending_deadline_ms > now
                            ? (long long)(app->platform.pending_deadline_ms - now)
                            : 0;
    return store >= 0 && store < pending ? store : pending;
}

void app_platform_session_end(kiosk_app *app)
{
    app->platform.pending_id = 0;
    app->platform.pending_deadline_ms = 0;
    explicit_bzero(app->platform.session_id, sizeof app->platform.session_id);
    if (app->platform.catalog_waiting)
        adopt_cached_catalog(app, false); /* the session's end shows attract */
}
