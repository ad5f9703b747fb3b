/* Board profiles: what a terminal model is made of.
 *
 * A profile is a JSON file under board/profiles/NAME.json (see
 * docs/board-profiles.md): the screen (pixels, millimetres, rotation, viewing
 * distance), the fonts per language, where data lives, the platform's URL, the
 * devices to look for, and the hall's defaults.
 */
#ifndef KIOSK_FIRMWARE_APP_BOARD_H
#define KIOSK_FIRMWARE_APP_BOARD_H

#include "drivers/devices.h"
#include "firmware/app/app_display_schedule.h"
#include "firmware/base/error.h"
#include "firmware/base/lang.h"
#include "firmware/base/local_time.h"

#include <stdbool.h>
#include <stddef.h>

#define BOARD_PATH_MAX    256
#define BOARD_DEVICES_MAX 8

typedef struct board_font {
    char file[BOARD_PATH_MAX];
    int face; /* index inside a .ttc collection */
} board_font;

/* A device's kind is a row of the device registry
 * (drivers/device_registry.h), named in a profile by its key. */
typedef device_kind board_device_kind;
#define BOARD_DEVICE_ID_READER DEVICE_ID_READER
#define BOARD_DEVICE_PRINTER   DEVICE_PRINTER
#define BOARD_DEVICE_SCANNER   DEVICE_SCANNER

typedef enum board_transport {
    BOARD_TRANSPORT_USB, /* the real bus, through libusb */
    BOARD_TRANSPORT_SIM, /* an in-process device model at the transport */
    BOARD_TRANSPORT_IPP, /* a printer at an ipp:// or ipps:// URI, through libcups */
} board_transport;

/* The offline store's settings ("storage", optional: these are the
 * defaults). */
typedef struct board_storage {
    char cipher[16];               /* "aes-256-gcm" or "sm4-gcm" (国密) */
    char key_file[BOARD_PATH_MAX]; /* a root-only 32-byte key; default <data_dir>/seal.key */
    int retention_days;            /* unsent records older are purged: 30 */
    int outbox_max_records;        /* 100000 */
    int outbox_max_mb;             /* 256 */
    int min_free_mb;               /* new work is refused below this free space: 16 */
} board_storage;

typedef struct board_device {
    board_device_kind kind;
    board_transport transport;
    char uri[BOARD_PATH_MAX]; /* BOARD_TRANSPORT_IPP: where the printer answers */
} board_device;

typedef struct board_profile {
    char name[64];
    char description[160];
    int width_px, height_px; /* the logical screen, as the citizen sees it */
    int width_mm, height_mm; /* its physical size */
    int rotation;            /* 0, 90, 180 or 270: how the panel is mounted */
    int viewing_distance_mm; /* eye to glass, for sizing text and targets */
    board_font fonts[LANG_COUNT];
    board_font fallback_font; /* used for a language whose font is missing */
    char data_dir[BOARD_PATH_MAX];
    board_storage storage;
    char platform_url[BOARD_PATH_MAX];
    /* This terminal's identity towards the platform ("platform_tls",
     * optional; defaults under <data_dir>/tls/): the platform's CA (the only
     * one trusted), the terminal's certificate and key, an optional pin of
     * the platform's key ("sha256//..."), and the terminal id (the
     * certificate's CN). */
    struct {
        char terminal_id[64];
        char ca_file[BOARD_PATH_MAX];
        char client_cert[BOARD_PATH_MAX];
        char client_key[BOARD_PATH_MAX];
        char pinned_key[128];
    } platform_tls;
    board_device devices[BOARD_DEVICES_MAX];
    size_t device_count;
    lang default_lang;
    int idle_timeout_s; /* a session left alone this long is warned, then ended */
    /* The test control channel's socket, or "" (off). Only a board whose
     * devices are all simulated may turn it on. */
    char test_control[108];
    /* The hall's time zone ("timezone", optional: Asia/Shanghai), read
     * once from the tz database: every time shown is in it. */
    local_zone zone;
    /* Where a citizen gets help when nobody here can come ("hotline",
     * optional: the 12345 政务服务便民热线 by default), and when staff are on
     * duty in the hall ("staff_hours", optional "HH:MM-HH:MM", local time;
     * absent: always). Minutes after midnight; from == to: always. */
    char hotline[24];
    int staff_from_min, staff_to_min;
    /* Speech ("speech", optional): the hall's volume at every new session
     * (0-100: 70), the voice zh-TW is said in ("cmn-latn-pinyin" or "yue":
     * yue), and whether the board can tell headphones are plugged in
     * ("headphones_detect": false). */
    struct {
        int volume;
        char zh_tw_voice[24];
        bool headphones_detect;
    } speech;
    /* kioskctl's admin socket ("admin", optional): its path (default
     * <data_dir>/admin.sock) and the group that may use it besides root
     * (default kiosk-admin; docs/kioskctl.md). */
    struct {
        char socket[108];
        char group[32];
    } admin;
    /* Where a technician's USB stick is mounted, for the log export
     * ("usb_export_dir", optional: "" when the board has none). */
    char usb_export_dir[BOARD_PATH_MAX];
    /* The display's schedule and backlight ("display", optional:
     * firmware/app/app_display_schedule.h). */
    board_display display;
    /* Staff and technicians ("staff", optional): a role session left alone
     * this long is warned, then ended (idle_timeout_s: 180); how long five
     * wrong PINs lock a credential (lockout_minutes: 15); and, on a board
     * whose devices are all simulated only, a development credentials file
     * used while the platform has delivered none (credentials_file: "";
     * relative to the profile's folder). docs/staff.md. */
    struct {
        int idle_timeout_s;
        int lockout_minutes;
        char credentials_file[BOARD_PATH_MAX];
    } staff;
    /* The kiosk's memory ceiling in MB of 2^20 bytes ("memory_limit_mb",
     * optional, 32-65536; 0: none): past it the kiosk restarts itself
     * between sessions (docs/supervision.md). */
    int memory_limit_mb;
} board_profile;

/* Loads and validates the profile at path. diag names the file and the field
 * on failure. Errors: NOT_FOUND, IO, TOO_BIG, MALFORMED. */
kiosk_error board_load(const char *path, board_profile *out, kiosk_diag *diag) KIOSK_MUST_CHECK;

/* The path of the named profile under share_dir, or name itself when it
 * contains a '/' (a file given directly). */
kiosk_error board_path_for(const char *share_dir, const char *name, char *out,
                           size_t out_size) KIOSK_MUST_CHECK;

const char *board_device_kind_name(board_device_kind kind);

/* Whether staff are on duty at local time (minutes after midnight) by the
 * profile's staff_hours: a span past midnight ("20:00-08:00") counts too. */
bool board_staff_on_duty(const board_profile *profile, int minute_of_day);

#endif
