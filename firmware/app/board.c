#include "firmware/app/board.h"

#include "firmware/base/json_fields.h"

#include "drivers/a4/ipp_transport.h"

#include <stdio.h>
#include <string.h>

/* A profile is a page of settings; anything bigger is not one. */
#define BOARD_FILE_MAX (64 * 1024)

const char *board_device_kind_name(board_device_kind kind)
{
    return (unsigned)kind < DEVICE_KIND_COUNT ? device_kind_name(kind) : "?";
}

/* The registry's keys as a list for a message: "a, b or c". */
static void kind_names(char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t k = 0; k < DEVICE_KIND_COUNT && used < size; k++) {
        const char *joint = k == 0 ? "" : k + 1 == DEVICE_KIND_COUNT ? " or " : ", ";
        int n = snprintf(out + used, size - used, "%s%s", joint, device_kind_name((device_kind)k));
        used += n > 0 ? (size_t)n : 0;
    }
}

kiosk_error board_path_for(const char *share_dir, const char *name, char *out, size_t out_size)
{
    int length = strchr(name, '/')
                     ? snprintf(out, out_size, "%s", name)
                     : snprintf(out, out_size, "%s/board/profiles/%s.json", share_dir, name);
    return length < 0 || (size_t)length >= out_size ? KIOSK_ERR_TOO_BIG : KIOSK_OK;
}

static kiosk_error copy_field(json_place place, const cJSON *object, const char *name, char *dst,
                              size_t dst_size, kiosk_diag *diag)
{
    const char *value = NULL;
    kiosk_error result = json_field_string(place, object, name, dst_size, &value, diag);
    if (result == KIOSK_OK)
        json_copy_string(dst, dst_size, value);
    return result;
}

static kiosk_error int_field(json_place place, const cJSON *object, const char *name, long min,
                             long max, int *out, kiosk_diag *diag)
{
    long value = 0;
    kiosk_error result = json_field_int(place, object, name, min, max, &value, diag);
    if (result == KIOSK_OK)
        *out = (int)value;
    return result;
}

static kiosk_error load_screen(const char *file, const cJSON *root, board_profile *profile,
                               kiosk_diag *diag)
{
    const cJSON *screen = NULL;
    json_place top = {file, ""}, place = {file, "screen"};
    kiosk_error result = json_field_object(top, root, "screen", &screen, diag);
    if (result == KIOSK_OK)
        result = int_field(place, screen, "width_px", 240, 8192, &profile->width_px, diag);
    if (result == KIOSK_OK)
        result = int_field(place, screen, "height_px", 240, 8192, &profile->height_px, diag);
    if (result == KIOSK_OK)
        result = int_field(place, screen, "width_mm", 50, 3000, &profile->width_mm, diag);
    if (result == KIOSK_OK)
        result = int_field(place, screen, "height_mm", 50, 3000, &profile->height_mm, diag);
    if (result == KIOSK_OK)
        result = int_field(place, screen, "rotation", 0, 270, &profile->rotation, diag);
    if (result == KIOSK_OK && profile->rotation % 90 != 0)
        result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                "%s: screen.rotation: expected 0, 90, 180 or 270", file);
    if (result == KIOSK_OK)
        result = int_field(place, screen, "viewing_distance_mm", 200, 2000,
                           &profile->viewing_distance_mm, diag);
    return result;
}

static kiosk_error load_font(json_place place, const cJSON *fonts, const char *name,
                             board_font *out, kiosk_diag *diag)
{
    const cJSON *font = NULL;
    char path[64];
    snprintf(path, sizeof path, "%s.%s", place.path, name);
    json_place inner = {place.file, path};
    kiosk_error result = json_field_object(place, fonts, name, &font, diag);
    if (result == KIOSK_OK)
        result = copy_field(inner, font, "file", out->file, sizeof out->file, diag);
    if (result == KIOSK_OK)
        result = int_field(inner, font, "face", 0, 63, &out->face, diag);
    return result;
}

static kiosk_error load_fonts(const char *file, const cJSON *root, board_profile *profile,
                              kiosk_diag *diag)
{
    const cJSON *fonts = NULL;
    json_place top = {file, ""}, place = {file, "fonts"};
    kiosk_error result = json_field_object(top, root, "fonts", &fonts, diag);
    for (int i = 0; result == KIOSK_OK && i < LANG_COUNT; i++)
        result = load_font(place, fonts, lang_code((lang)i), &profile->fonts[i], diag);
    if (result == KIOSK_OK)
        result = load_font(place, fonts, "fallback", &profile->fallback_font, diag);
    return result;
}

static kiosk_error load_devices(const char *file, const cJSON *root, board_profile *profile,
                                kiosk_diag *diag)
{
    static const char *const transports[] = {[BOARD_TRANSPORT_USB] = "usb",
                                             [BOARD_TRANSPORT_SIM] = "sim",
                                             [BOARD_TRANSPORT_IPP] = "ipp"};
    const cJSON *devices = NULL;
    json_place top = {file, ""};
    kiosk_error result = json_field_array(top, root, "devices", &devices, diag);
    if (result != KIOSK_OK)
        return result;
    if (cJSON_GetArraySize(devices) > BOARD_DEVICES_MAX)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: devices: more than %d devices", file,
                              BOARD_DEVICES_MAX);

    const cJSON *device = NULL;
    cJSON_ArrayForEach(device, devices)
    {
        char path[32];
        snprintf(path, sizeof path, "devices[%zu]", profile->device_count);
        json_place place = {file, path};
        const char *kind = NULL, *transport = NULL;
        if (!cJSON_IsObject(device))
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s: expected an object", file,
                                  path);
        result = json_field_string(place, device, "kind", 32, &kind, diag);
        if (result == KIOSK_OK)
            result = json_field_string(place, device, "transport", 16, &transport, diag);
        if (result != KIOSK_OK)
            return result;

        board_device *entry = &profile->devices[profile->device_count];
        size_t t = 0;
        device_kind k;
        while (t <= BOARD_TRANSPORT_IPP && strcmp(transport, transports[t]) != 0)
            t++;
        if (!device_kind_from_name(kind, &k)) {
            char names[128];
            kind_names(names, sizeof names);
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s.kind: \"%s\" is not %s", file,
                                  path, kind, names);
        }
        if (t > BOARD_TRANSPORT_IPP)
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "%s: %s.transport: \"%s\" is not usb, sim or ipp", file, path,
                                  transport);
        /* The A4 printer is reached over IPP, and only it is: its stand-in
         * on a simulated board is ippeveprinter at a URI (docs/a4-printer.md). */
        if ((k == DEVICE_A4_PRINTER) != (t == BOARD_TRANSPORT_IPP))
            return kiosk_diag_set(
                diag, KIOSK_ERR_MALFORMED, "%s: %s.transport: \"%s\" %s", file, path, transport,
                k == DEVICE_A4_PRINTER ? "is not ipp (the a4-printer is reached over IPP)"
                                       : "is only for the a4-printer");
        if (t == BOARD_TRANSPORT_IPP) {
            const char *uri = NULL;
            result = json_field_string(place, device, "uri", sizeof entry->uri - 1, &uri, diag);
            if (result != KIOSK_OK)
                return result;
            if (!ipp_uri_valid(uri))
                return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                      "%s: %s.uri: expected ipp:// or ipps:// with a host and "
                                      "port, no credentials or spaces",
                                      file, path);
            json_copy_string(entry->uri, sizeof entry->uri, uri);
        }
        entry->kind = k;
        entry->transport = (board_transport)t;
        profile->device_count++;
    }
    return KIOSK_OK;
}

static kiosk_error load_hall_defaults(const char *file, const cJSON *root, board_profile *profile,
                                      kiosk_diag *diag)
{
    json_place top = {file, ""};
    const char *code = NULL;
    kiosk_error result = json_field_string(top, root, "default_lang", 8, &code, diag);
    if (result == KIOSK_OK && !lang_parse(code, &profile->default_lang))
        result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                "%s: default_lang: \"%s\" is not zh-CN, zh-TW or en", file, code);
    if (result == KIOSK_OK)
        result = int_field(top, root, "idle_timeout_s", 15, 3600, &profile->idle_timeout_s, diag);
    return result;
}

static kiosk_error load_storage(const char *file, const cJSON *root, board_profile *profile,
                                kiosk_diag *diag)
{
    board_storage *storage = &profile->storage;
    snprintf(storage->cipher, sizeof storage->cipher, "aes-256-gcm");
    int n = snprintf(storage->key_file, sizeof storage->key_file, "%s/seal.key", profile->data_dir);
    if (n < 0 || (size_t)n >= sizeof storage->key_file)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: data_dir: too long", file);
    storage->retention_days = 30;
    storage->outbox_max_records = 100000;
    storage->outbox_max_mb = 256;
    storage->min_free_mb = 16;
    const cJSON *object = cJSON_GetObjectItemCaseSensitive(root, "storage");
    if (!object)
        return KIOSK_OK;
    json_place top = {file, ""}, place = {file, "storage"};
    kiosk_error result = json_field_object(top, root, "storage", &object, diag);
    if (result == KIOSK_OK && cJSON_GetObjectItemCaseSensitive(object, "cipher")) {
        result = copy_field(place, object, "cipher", storage->cipher, sizeof storage->cipher, diag);
        if (result == KIOSK_OK && strcmp(storage->cipher, "aes-256-gcm") != 0 &&
            strcmp(storage->cipher, "sm4-gcm") != 0)
            result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                    "%s: storage.cipher: \"%s\" is not aes-256-gcm or sm4-gcm",
                                    file, storage->cipher);
    }
    if (result == KIOSK_OK && cJSON_GetObjectItemCaseSensitive(object, "key_file")) {
        result = copy_field(place, object, "key_file", storage->key_file, sizeof storage->key_file,
                            diag);
        if (result == KIOSK_OK && storage->key_file[0] != '/')
            result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                    "%s: storage.key_file: expected an absolute path", file);
    }
    struct {
        const char *name;
        long min, max;
        int *out;
    } numbers[] = {
        {"retention_days", 1, 3650, &storage->retention_days},
        {"outbox_max_records", 100, 10000000, &storage->outbox_max_records},
        {"outbox_max_mb", 1, 65536, &storage->outbox_max_mb},
        {"min_free_mb", 1, 1 << 30, &storage->min_free_mb},
    };
    for (size_t i = 0; result == KIOSK_OK && i < sizeof numbers / sizeof numbers[0]; i++) {
        if (cJSON_GetObjectItemCaseSensitive(object, numbers[i].name))
            result = int_field(place, object, numbers[i].name, numbers[i].min, numbers[i].max,
                               numbers[i].out, diag);
    }
    return result;
}

static kiosk_error load_platform_tls(const char *file, const cJSON *root, board_profile *profile,
                                     kiosk_diag *diag)
{
    typeof(profile->platform_tls) *tls = &profile->platform_tls;
    snprintf(tls->terminal_id, sizeof tls->terminal_id, "K0420");
    const char *names[] = {"platform-ca.pem", "terminal.pem", "terminal.key"};
    char *fields[] = {tls->ca_file, tls->client_cert, tls->client_key};
    for (size_t i = 0; i < 3; i++) {
        int n = snprintf(fields[i], BOARD_PATH_MAX, "%s/tls/%s", profile->data_dir, names[i]);
        if (n < 0 || n >= BOARD_PATH_MAX)
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: data_dir: too long", file);
    }
    const cJSON *object = cJSON_GetObjectItemCaseSensitive(root, "platform_tls");
    if (!object)
        return KIOSK_OK;
    json_place top = {file, ""}, place = {file, "platform_tls"};
    kiosk_error result = json_field_object(top, root, "platform_tls", &object, diag);
    if (result == KIOSK_OK && cJSON_GetObjectItemCaseSensitive(object, "terminal_id"))
        result = copy_field(place, object, "terminal_id", tls->terminal_id, sizeof tls->terminal_id,
                            diag);
    const char *keys[] = {"ca_file", "client_cert", "client_key"};
    for (size_t i = 0; result == KIOSK_OK && i < 3; i++) {
        if (!cJSON_GetObjectItemCaseSensitive(object, keys[i]))
            continue;
        result = copy_field(place, object, keys[i], fields[i], BOARD_PATH_MAX, diag);
        if (result == KIOSK_OK && fields[i][0] != '/')
            result =
                kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                               "%s: platform_tls.%s: expected an absolute path", file, keys[i]);
    }
    if (result == KIOSK_OK && cJSON_GetObjectItemCaseSensitive(object, "pinned_key")) {
        result =
            copy_field(place, object, "pinned_key", tls->pinned_key, sizeof tls->pinned_key, diag);
        if (result == KIOSK_OK && strncmp(tls->pinned_key, "sha256//", 8) != 0)
            result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                    "%s: platform_tls.pinned_key: expected sha256//<base64>", file);
    }
    return result;
}

/* The test control channel drives the kiosk from outside: never on a board
 * that serves citizens, which is any board with a real device. */
static kiosk_error load_test_control(const char *file, const cJSON *root, board_profile *profile,
                                     kiosk_diag *diag)
{
    if (!cJSON_GetObjectItemCaseSensitive(root, "test_control"))
        return KIOSK_OK;
    json_place top = {file, ""};
    const char *socket = NULL;
    kiosk_error result =
        json_field_string(top, root, "test_control", sizeof profile->test_control, &socket, diag);
    if (result != KIOSK_OK)
        return result;
    if (socket[0] != '/')
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "%s: test_control: expected an absolute socket path", file);
    for (size_t i = 0; i < profile->device_count; i++) {
        /* A printer over IPP is a process of its own (ippeveprinter in tests). */
        if (profile->devices[i].transport == BOARD_TRANSPORT_USB)
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "%s: test_control: only for boards whose devices are all "
                                  "simulated (devices[%zu] is usb)",
                                  file, i);
    }
    json_copy_string(profile->test_control, sizeof profile->test_control, socket);
    return KIOSK_OK;
}

/* The hall's zone: the times on screen and paper are its local time. */
static kiosk_error load_timezone(const char *file, const cJSON *root, board_profile *profile,
                                 kiosk_diag *diag)
{
    const char *name = LOCAL_ZONE_DEFAULT;
    if (cJSON_GetObjectItemCaseSensitive(root, "timezone")) {
        kiosk_error result = json_field_string((json_place){file, ""}, root, "timezone",
                                               LOCAL_ZONE_NAME_MAX, &name, diag);
        if (result != KIOSK_OK)
            return result;
    }
    kiosk_diag problem = {{0}};
    kiosk_error loaded = local_zone_load(name, &profile->zone, &problem);
    if (loaded != KIOSK_OK)
        return kiosk_diag_set(diag, loaded == KIOSK_ERR_NOT_FOUND ? KIOSK_ERR_MALFORMED : loaded,
                              "%s: %s", file, problem.message);
    return KIOSK_OK;
}

/* "HH:MM" into minutes after midnight; false when it is not a time. */
static bool parse_clock(const char *text, int *minutes)
{
    if (strlen(text) != 5 || text[2] != ':')
        return false;
    for (int i = 0; i < 5; i++) {
        if (i != 2 && (text[i] < '0' || text[i] > '9'))
            return false;
    }
    int hour = (text[0] - '0') * 10 + (text[1] - '0');
    int minute = (text[3] - '0') * 10 + (text[4] - '0');
    if (hour > 23 || minute > 59)
        return false;
    *minutes = hour * 60 + minute;
    return true;
}

/* The hall's help desk: the hotline a citizen may call, and staff's hours. */
static kiosk_error load_help_desk(const char *file, const cJSON *root, board_profile *profile,
                                  kiosk_diag *diag)
{
    json_place top = {file, ""};
    snprintf(profile->hotline, sizeof profile->hotline, "12345");
    kiosk_error result = KIOSK_OK;
    if (cJSON_GetObjectItemCaseSensitive(root, "hotline")) {
        result = copy_field(top, root, "hotline", profile->hotline, sizeof profile->hotline, diag);
        bool digits = result == KIOSK_OK && profile->hotline[0];
        for (const char *p = profile->hotline; digits && *p; p++)
            digits = (*p >= '0' && *p <= '9') || *p == '-' || *p == ' ';
        if (result == KIOSK_OK && !digits)
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "%s: hotline: expected a telephone number (digits, '-', ' ')",
                                  file);
    }
    if (result == KIOSK_OK && cJSON_GetObjectItemCaseSensitive(root, "staff_hours")) {
        const char *hours = NULL;
        result = json_field_string(top, root, "staff_hours", 16, &hours, diag);
        char from[6] = "", to[6] = "";
        bool shaped = result == KIOSK_OK && strlen(hours) == 11 && hours[5] == '-';
        if (shaped) {
            memcpy(from, hours, 5);
            memcpy(to, hours + 6, 5);
        }
        if (result == KIOSK_OK && !(shaped && parse_clock(from, &profile->staff_from_min) &&
                                    parse_clock(to, &profile->staff_to_min)))
            result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                    "%s: staff_hours: expected \"HH:MM-HH:MM\" (local time)", file);
    }
    return result;
}

/* The terminal's voice: its volume and the voice of zh-TW. */
static kiosk_error load_speech(const char *file, const cJSON *root, board_profile *profile,
                               kiosk_diag *diag)
{
    profile->speech.volume = 70;
    snprintf(profile->speech.zh_tw_voice, sizeof profile->speech.zh_tw_voice, "yue");
    const cJSON *speech = cJSON_GetObjectItemCaseSensitive(root, "speech");
    if (!speech)
        return KIOSK_OK;
    json_place place = {file, "speech"};
    if (!cJSON_IsObject(speech))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: speech: expected an object", file);
    kiosk_error result = KIOSK_OK;
    if (cJSON_GetObjectItemCaseSensitive(speech, "volume")) {
        long volume = 0;
        result = json_field_int(place, speech, "volume", 0, 100, &volume, diag);
        profile->speech.volume = (int)volume;
    }
    if (result == KIOSK_OK && cJSON_GetObjectItemCaseSensitive(speech, "zh_tw_voice")) {
        const char *voice = NULL;
        result = json_field_string(place, speech, "zh_tw_voice", 24, &voice, diag);
        if (result == KIOSK_OK && strcmp(voice, "yue") != 0 &&
            strcmp(voice, "cmn-latn-pinyin") != 0)
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "%s: speech.zh_tw_voice: expected \"yue\" or \"cmn-latn-pinyin\"",
                                  file);
        if (result == KIOSK_OK)
            snprintf(profile->speech.zh_tw_voice, sizeof profile->speech.zh_tw_voice, "%s", voice);
    }
    const cJSON *detect = cJSON_GetObjectItemCaseSensitive(speech, "headphones_detect");
    if (result == KIOSK_OK && detect) {
        if (!cJSON_IsBool(detect))
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "%s: speech.headphones_detect: expected true or false", file);
        profile->speech.headphones_detect = cJSON_IsTrue(detect);
    }
    return result;
}

/* kioskctl's socket and group, and the USB stick's mount point. */
static kiosk_error load_admin(const char *file, const cJSON *root, board_profile *profile,
                              kiosk_diag *diag)
{
    /* A data_dir too long for a socket's path (108 bytes) leaves kioskctl
     * without a default: the kiosk says so at start and serves on. */
    int n = snprintf(profile->admin.socket, sizeof profile->admin.socket, "%s/admin.sock",
                     profile->data_dir);
    if (n < 0 || (size_t)n >= sizeof profile->admin.socket)
        profile->admin.socket[0] = '\0';
    snprintf(profile->admin.group, sizeof profile->admin.group, "kiosk-admin");
    kiosk_error result = KIOSK_OK;
    const cJSON *admin = cJSON_GetObjectItemCaseSensitive(root, "admin");
    json_place top = {file, ""}, place = {file, "admin"};
    if (admin)
        result = json_field_object(top, root, "admin", &admin, diag);
    if (result == KIOSK_OK && admin && cJSON_GetObjectItemCaseSensitive(admin, "socket")) {
        result = copy_field(place, admin, "socket", profile->admin.socket,
                            sizeof profile->admin.socket, diag);
        if (result == KIOSK_OK && profile->admin.socket[0] != '/')
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "%s: admin.socket: expected an absolute socket path", file);
    }
    if (result == KIOSK_OK && admin && cJSON_GetObjectItemCaseSensitive(admin, "group")) {
        result = copy_field(place, admin, "group", profile->admin.group,
                            sizeof profile->admin.group, diag);
        for (const char *p = profile->admin.group; result == KIOSK_OK && *p; p++) {
            if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
                return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                      "%s: admin.group: expected a group name (a-z, 0-9, -, _)",
                                      file);
        }
        if (result == KIOSK_OK && !profile->admin.group[0])
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: admin.group: empty", file);
    }
    if (result == KIOSK_OK && cJSON_GetObjectItemCaseSensitive(root, "usb_export_dir")) {
        result = copy_field(top, root, "usb_export_dir", profile->usb_export_dir,
                            sizeof profile->usb_export_dir, diag);
        if (result == KIOSK_OK && profile->usb_export_dir[0] != '/')
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "%s: usb_export_dir: expected an absolute path", file);
    }
    return result;
}

bool board_staff_on_duty(const board_profile *profile, int minute_of_day)
{
    int from = profile->staff_from_min, to = profile->staff_to_min;
    if (from == to)
        return true;
    return from < to ? minute_of_day >= from && minute_of_day < to
                     : minute_of_day >= from || minute_of_day < to;
}

/* "staff": the role sessions' time-out, the lock-out, and a development
 * credentials file (simulated boards only: a terminal that serves citizens
 * takes its staff from the platform, never from a file on its disk). */
static kiosk_error load_staff(const char *file, const cJSON *root, board_profile *profile,
                              kiosk_diag *diag)
{
    profile->staff.idle_timeout_s = 180;
    profile->staff.lockout_minutes = 15;
    const cJSON *staff = cJSON_GetObjectItemCaseSensitive(root, "staff");
    if (!staff)
        return KIOSK_OK;
    json_place top = {file, ""}, place = {file, "staff"};
    const cJSON *object = NULL;
    kiosk_error result = json_field_object(top, root, "staff", &object, diag);
    long value = 0;
    if (result == KIOSK_OK && cJSON_GetObjectItemCaseSensitive(object, "idle_timeout_s")) {
        result = json_field_int(place, object, "idle_timeout_s", 30, 3600, &value, diag);
        profile->staff.idle_timeout_s = (int)value;
    }
    if (result == KIOSK_OK && cJSON_GetObjectItemCaseSensitive(object, "lockout_minutes")) {
        result = json_field_int(place, object, "lockout_minutes", 1, 24 * 60, &value, diag);
        profile->staff.lockout_minutes = (int)value;
    }
    if (result != KIOSK_OK || !cJSON_GetObjectItemCaseSensitive(object, "credentials_file"))
        return result;
    const char *name = NULL;
    result = json_field_string(place, object, "credentials_file", BOARD_PATH_MAX, &name, diag);
    if (result != KIOSK_OK)
        return result;
    for (size_t i = 0; i < profile->device_count; i++) {
        if (profile->devices[i].transport == BOARD_TRANSPORT_USB)
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "%s: staff.credentials_file: only for boards whose devices are "
                                  "all simulated (devices[%zu] is usb): staff come from the "
                                  "platform",
                                  file, i);
    }
    /* Relative to the profile's folder. */
    const char *slash = strrchr(file, '/');
    int length = name[0] == '/' || !slash
                     ? snprintf(profile->staff.credentials_file, BOARD_PATH_MAX, "%s", name)
                     : snprintf(profile->staff.credentials_file, BOARD_PATH_MAX, "%.*s/%s",
                                (int)(slash - file), file, name);
    if (length < 0 || length >= BOARD_PATH_MAX)
        return kiosk_diag_set(diag, KIOSK_ERR_TOO_BIG, "%s: staff.credentials_file: too long",
                              file);
    return KIOSK_OK;
}

/* "memory_limit_mb": the ceiling past which the kiosk restarts between
 * sessions. Absent: none (the unit's MemoryMax= is still there). */
static kiosk_error load_memory_limit(const char *file, const cJSON *root, board_profile *profile,
                                     kiosk_diag *diag)
{
    profile->memory_limit_mb = 0;
    if (!cJSON_GetObjectItemCaseSensitive(root, "memory_limit_mb"))
        return KIOSK_OK;
    json_place top = {file, ""};
    return int_field(top, root, "memory_limit_mb", 32, 65536, &profile->memory_limit_mb, diag);
}

kiosk_error board_load(const char *path, board_profile *out, kiosk_diag *diag)
{
    cJSON *root = NULL;
    board_profile profile;
    memset(&profile, 0, sizeof profile);

    kiosk_error result = json_parse_file(path, BOARD_FILE_MAX, &root, diag);
    if (result != KIOSK_OK)
        return result;

    json_place top = {path, ""};
    result = copy_field(top, root, "name", profile.name, sizeof profile.name, diag);
    if (result == KIOSK_OK)
        result = copy_field(top, root, "description", profile.description,
                            sizeof profile.description, diag);
    if (result == KIOSK_OK)
        result = load_screen(path, root, &profile, diag);
    if (result == KIOSK_OK)
        result = load_fonts(path, root, &profile, diag);
    if (result == KIOSK_OK)
        result = copy_field(top, root, "data_dir", profile.data_dir, sizeof profile.data_dir, diag);
    if (result == KIOSK_OK && profile.data_dir[0] != '/')
        result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                "%s: data_dir: expected an absolute path", path);
    if (result == KIOSK_OK)
        result = load_storage(path, root, &profile, diag);
    if (result == KIOSK_OK)
        result = copy_field(top, root, "platform_url", profile.platform_url,
                            sizeof profile.platform_url, diag);
    if (result == KIOSK_OK && strncmp(profile.platform_url, "https://", 8) != 0)
        result =
            kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                           "%s: platform_url: the platform is only reached over https://", path);
    if (result == KIOSK_OK)
        result = load_platform_tls(path, root, &profile, diag);
    if (result == KIOSK_OK)
        result = load_devices(path, root, &profile, diag);
    if (result == KIOSK_OK)
        result = load_hall_defaults(path, root, &profile, diag);
    if (result == KIOSK_OK)
        result = load_test_control(path, root, &profile, diag);
    if (result == KIOSK_OK)
        result = load_timezone(path, root, &profile, diag);
    if (result == KIOSK_OK)
        result = load_help_desk(path, root, &profile, diag);
    if (result == KIOSK_OK)
        result = load_speech(path, root, &profile, diag);
    if (result == KIOSK_OK)
        result = load_admin(path, root, &profile, diag);
    if (result == KIOSK_OK)
        result = board_display_load(path, root, &profile.display, diag);
    if (result == KIOSK_OK)
        result = load_staff(path, root, &profile, diag);
    if (result == KIOSK_OK)
        result = load_memory_limit(path, root, &profile, diag);

    cJSON_Delete(root);
    if (result == KIOSK_OK)
        *out = profile;
    return result;
}
