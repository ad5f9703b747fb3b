/* The main thread's side of the test control channel: each command runs here,
 * where the UI state lives, and is answered on the test's socket. */
#include "firmware/app/app_control.h"
#include "firmware/app/app_devices.h"
#include "firmware/app/app_input.h"
#include "firmware/app/app_keypad.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_probe.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_speech.h"
#include "firmware/app/app_supervisor.h"
#include "firmware/app/navigation.h"

#include "drivers/printer/receipt.h"
#include "drivers/sim/keypad_sim.h"
#include "drivers/sim/printer_sim.h"
#include "drivers/sim/scanner_sim.h"
#include "firmware/base/log.h"
#include "ui/image.h"
#include "ui/scroll_view.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The test control channel (NULL unless the board turns it on): one app to
 * a process. */
static struct {
    test_control *control;
    control_command *waiting;     /* a "wait" not yet answered */
    char wait_for[32];            /* the screen it waits for */
    uint64_t wait_deadline_ticks; /* SDL ticks: real time, not the session clock */
    uint64_t clock_offset_ms;     /* "advance": added to the session clock */
} channel;

kiosk_error app_control_start(kiosk_app *app, const char *address, kiosk_diag *diag)
{
    (void)app;
    memset(&channel, 0, sizeof channel);
    return address[0] ? test_control_start(address, &channel.control, diag) : KIOSK_OK;
}

void app_control_stop(kiosk_app *app)
{
    (void)app;
    if (channel.waiting)
        test_control_reply(channel.waiting, false, "the kiosk is stopping");
    test_control_stop(channel.control);
    memset(&channel, 0, sizeof channel);
}

uint64_t app_control_clock_offset_ms(const kiosk_app *app)
{
    (void)app;
    return channel.clock_offset_ms;
}

static const char *const role_names[] = {
    [UI_ROLE_GROUP] = "group",   [UI_ROLE_HEADING] = "heading", [UI_ROLE_TEXT] = "text",
    [UI_ROLE_BUTTON] = "button", [UI_ROLE_FIELD] = "field",
};

static bool is_hidden(const ui_widget *widget)
{
    for (const ui_widget *w = widget; w; w = w->parent) {
        if (w->flags & UI_FLAG_HIDDEN)
            return true;
    }
    return false;
}

static void add_widget(ui_widget *widget, void *user)
{
    cJSON *list = user;
    if (is_hidden(widget))
        return;
    cJSON *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "id", widget->id);
    cJSON_AddStringToObject(item, "role", role_names[widget->class_->role]);
    cJSON_AddStringToObject(item, "class", widget->class_->name);
    if (widget->text)
        cJSON_AddStringToObject(item, "text", widget->text);
    if (widget->detail)
        cJSON_AddStringToObject(item, "detail", widget->detail);
    int bounds[4] = {widget->bounds.x, widget->bounds.y, widget->bounds.w, widget->bounds.h};
    cJSON_AddItemToObject(item, "bounds", cJSON_CreateIntArray(bounds, 4));
    cJSON_AddBoolToObject(item, "tappable", widget->flags & UI_FLAG_TAPPABLE);
    cJSON_AddBoolToObject(item, "pressed", widget->flags & UI_FLAG_PRESSED);
    cJSON_AddBoolToObject(item, "focusable", ui_widget_is_focusable(widget));
    cJSON_AddBoolToObject(item, "personal", widget->flags & UI_FLAG_PERSONAL);
    cJSON_AddBoolToObject(item, "focused", widget->flags & UI_FLAG_FOCUSED);
    cJSON_AddItemToArray(list, item);
}

static void reply_tree(kiosk_app *app, control_command *command)
{
    cJSON *tree = cJSON_CreateObject();
    cJSON_AddStringToObject(tree, "screen", app_screen_name(app));
    cJSON_AddStringToObject(tree, "language", lang_code(app_language(app)));
    cJSON_AddStringToObject(tree, "theme", app_theme(app)->name);
    cJSON_AddBoolToObject(tree, "in_session", app_in_session(app));
    /* Staff's facts (the link, the outbox), no longer on the public
     * attract screen: read here until staff have a mode of their own. */
    char staff[320];
    ui_frame_model frame = app_frame_model(app, "");
    app_platform_staff_note(app, &frame, staff, sizeof staff);
    cJSON_AddStringToObject(tree, "staff", staff);
    const ui_widget *focused = app_keypad_focused(app);
    cJSON_AddStringToObject(tree, "focused", focused ? focused->id : "");
    cJSON *widgets = cJSON_AddArrayToObject(tree, "widgets");
    ui_widget_walk(app_root(app), add_widget, widgets);
    char *text = cJSON_PrintUnformatted(tree);
    test_control_reply(command, text != NULL, text ? text : "out of memory");
    free(text);
    cJSON_Delete(tree);
}

static void add_said(const app_speech_said *said, void *user)
{
    cJSON *item = cJSON_CreateObject();
    cJSON_AddNumberToObject(item, "seq", (double)said->seq);
    cJSON_AddStringToObject(item, "language", lang_code(said->language));
    cJSON_AddStringToObject(item, "voice", said->voice);
    cJSON_AddStringToObject(item, "output", said->headphones ? "headphones" : "speaker");
    cJSON_AddBoolToObject(item, "interrupt", said->interrupt);
    cJSON_AddStringToObject(item, "screen", said->screen);
    cJSON_AddStringToObject(item, "text", said->text);
    cJSON_AddItemToArray(user, item);
}

/* What was said after seq since (all kept: 0), and the voice's state. */
static void reply_speech(kiosk_app *app, control_command *command, const char *since_text)
{
    char *end = NULL;
    unsigned long since = since_text ? strtoul(since_text, &end, 10) : 0;
    if (since_text && (*end || since_text[0] == '-')) {
        test_control_reply(command, false, "usage: speech [SINCE]");
        return;
    }
    cJSON *reply = cJSON_CreateObject();
    cJSON_AddBoolToObject(reply, "reader", app_speech_reader_on(app));
    cJSON_AddBoolToObject(reply, "headphones", app_speech_headphones(app));
    cJSON_AddNumberToObject(reply, "volume", app_speech_volume(app));
    char prompt[1024];
    app_speech_prompt(app, prompt, sizeof prompt);
    cJSON_AddStringToObject(reply, "prompt", prompt);
    cJSON *said = cJSON_AddArrayToObject(reply, "said");
    app_speech_transcript(app, since, add_said, said);
    char *text = cJSON_PrintUnformatted(reply);
    test_control_reply(command, text != NULL, text ? text : "out of memory");
    free(text);
    cJSON_Delete(reply);
}

/* The last receipt the simulated receipt printer cut, read back from what
 * it was sent (the driver's real bytes): its texts and codes in order, and
 * how many cuts it made. */
static void reply_receipt(kiosk_app *app, control_command *command)
{
    struct usb_model *printer = app_sim_printer(app);
    receipt *printed = printer ? calloc(1, sizeof *printed) : NULL;
    if (!printer || !printed || !printer_sim_printed(printer, printed)) {
        free(printed);
        test_control_reply(command, false, printer ? "nothing printed" : "no simulated printer");
        return;
    }
    cJSON *reply = cJSON_CreateObject();
    cJSON_AddNumberToObject(reply, "cuts", (double)printer_sim_cuts(printer));
    cJSON *lines = cJSON_AddArrayToObject(reply, "lines");
    for (size_t i = 0; i < printed->count; i++) {
        if (printed->items[i].text[0])
            cJSON_AddItemToArray(lines, cJSON_CreateString(printed->items[i].text));
    }
    explicit_bzero(printed, sizeof *printed);
    free(printed);
    char *text = cJSON_PrintUnformatted(reply);
    test_control_reply(command, text != NULL, text ? text : "out of memory");
    free(text);
    cJSON_Delete(reply);
}

static void tap(kiosk_app *app, control_command *command, const char *id)
{
    ui_widget *widget = ui_widget_find(app_root(app), id);
    if (!widget || is_hidden(widget) || !(widget->flags & UI_FLAG_TAPPABLE)) {
        char text[128];
        snprintf(text, sizeof text, "no visible target \"%s\" on %s", id, app_screen_name(app));
        test_control_reply(command, false, text);
        return;
    }
    /* Scrolled to first, as a citizen would. */
    ui_widget *view = ui_scroll_view_of(widget);
    if (view && ui_scroll_view_reveal(view, widget) != 0)
        app_mark_all_dirty(app);
    app_tap_widget(app, widget);
    test_control_reply(command, true, app_screen_name(app));
}

static void start_wait(kiosk_app *app, control_command *command, const char *screen,
                       const char *timeout)
{
    char *end = NULL;
    long ms = timeout ? strtol(timeout, &end, 10) : 0;
    if (!screen || !timeout || *end || ms < 0 || ms > 600000) {
        test_control_reply(command, false, "usage: wait SCREEN MS");
        return;
    }
    snprintf(channel.wait_for, sizeof channel.wait_for, "%s", screen);
    channel.waiting = command;
    channel.wait_deadline_ticks = SDL_GetTicks64() + (uint64_t)ms;
    app_control_check_wait(app);
}

void app_control_check_wait(kiosk_app *app)
{
    if (!channel.waiting)
        return;
    control_command *command = channel.waiting;
    if (strcmp(channel.wait_for, app_screen_name(app)) == 0) {
        channel.waiting = NULL;
        test_control_reply(command, true, channel.wait_for);
    } else if (SDL_GetTicks64() >= channel.wait_deadline_ticks) {
        char text[96];
        snprintf(text, sizeof text, "timeout: still on %s", app_screen_name(app));
        channel.waiting = NULL;
        test_control_reply(command, false, text);
    }
}

long long app_control_next_ms(const kiosk_app *app)
{
    (void)app;
    if (!channel.waiting)
        return -1;
    uint64_t now = SDL_GetTicks64();
    return now >= channel.wait_deadline_ticks ? 0 : (long long)(channel.wait_deadline_ticks - now);
}

static void screenshot(kiosk_app *app, control_command *command, const char *path)
{
    SDL_Surface *surface = NULL;
    kiosk_diag diag = {{0}};
    if (!path) {
        test_control_reply(command, false, "usage: screenshot PATH");
        return;
    }
    kiosk_error result = app_capture(app, &surface);
    if (result == KIOSK_OK) {
        result = ui_image_save_png(surface, path, &diag);
        SDL_FreeSurface(surface);
    }
    test_control_reply(command, result == KIOSK_OK,
                       result == KIOSK_OK ? path
                       : diag.message[0]  ? diag.message
                                          : "no frame");
}

/* A finger drawn across widget id through points given as "x,y" in
 * thousandths of its width and height ("drag sign.pad 100,500 900,500"). */
#define DRAG_POINTS_MAX 256

static void drag(kiosk_app *app, control_command *command, const char *id, char *rest)
{
    ui_widget *widget = id ? ui_widget_find(app_root(app), id) : NULL;
    if (!widget || is_hidden(widget)) {
        char text[128];
        snprintf(text, sizeof text, "no visible target \"%s\" on %s", id ? id : "",
                 app_screen_name(app));
        test_control_reply(command, false, text);
        return;
    }
    SDL_Point points[DRAG_POINTS_MAX];
    size_t count = 0;
    char *save = NULL;
    for (char *pair = strtok_r(rest, " ", &save); pair; pair = strtok_r(NULL, " ", &save)) {
        int x = 0, y = 0, used = 0;
        if (count == DRAG_POINTS_MAX || sscanf(pair, "%d,%d%n", &x, &y, &used) != 2 || pair[used] ||
            x < 0 || x > 1000 || y < 0 || y > 1000) {
            test_control_reply(command, false, "usage: drag ID X,Y X,Y ... (0-1000, at most 256)");
            return;
        }
        points[count++] = (SDL_Point){widget->bounds.x + widget->bounds.w * x / 1000,
                                      widget->bounds.y + widget->bounds.h * y / 1000};
    }
    if (count == 0) {
        test_control_reply(command, false, "usage: drag ID X,Y X,Y ... (0-1000, at most 256)");
        return;
    }
    app_drag_widget(app, points, count);
    test_control_reply(command, true, app_screen_name(app));
}

/* The keypad keys by name, as `keypad` takes them. */
static keypad_key keypad_key_named(const char *name)
{
    static const struct {
        const char *name;
        keypad_key key;
    } names[] = {
        {"up", KEYPAD_KEY_UP},          {"down", KEYPAD_KEY_DOWN},
        {"left", KEYPAD_KEY_LEFT},      {"right", KEYPAD_KEY_RIGHT},
        {"enter", KEYPAD_KEY_ENTER},    {"back", KEYPAD_KEY_BACK},
        {"help", KEYPAD_KEY_HELP},      {"repeat", KEYPAD_KEY_REPEAT},
        {"vol+", KEYPAD_KEY_VOLUME_UP}, {"vol-", KEYPAD_KEY_VOLUME_DOWN},
        {"clear", KEYPAD_KEY_CLEAR},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(name, names[i].name) == 0)
            return names[i].key;
    }
    if (name[0] >= '0' && name[0] <= '9' && name[1] == '\0')
        return (keypad_key)(KEYPAD_KEY_0 + (name[0] - '0'));
    return KEYPAD_KEY_NONE;
}

/* "keypad KEY...": each key pressed on the simulated keypad, through its
 * reports, the driver and the event queue, as a citizen's hand would. The
 * reply comes at once; "wait" or "tree" shows what the keys did. */
static void press_keypad(kiosk_app *app, control_command *command, char *keys)
{
    struct usb_model *model = app_sim_keypad(app);
    if (!model) {
        test_control_reply(command, false, "the board has no simulated keypad");
        return;
    }
    keypad_key pressed[32];
    size_t count = 0;
    char *save = NULL;
    for (char *name = strtok_r(keys, " ", &save); name; name = strtok_r(NULL, " ", &save)) {
        keypad_key key = keypad_key_named(name);
        if (key == KEYPAD_KEY_NONE || count == sizeof pressed / sizeof pressed[0]) {
            test_control_reply(command, false,
                               "usage: keypad KEY... (up down left right enter back help "
                               "repeat vol+ vol- clear 0-9; at most 32)");
            return;
        }
        pressed[count++] = key;
    }
    if (count == 0) {
        test_control_reply(command, false, "usage: keypad KEY...");
        return;
    }
    for (size_t i = 0; i < count; i++) {
        if (!keypad_sim_press(model, pressed[i])) {
            test_control_reply(command, false, "the simulated keypad is full");
            return;
        }
    }
    test_control_reply(command, true, app_screen_name(app));
}

/* A role signed in without a card and PIN, for the staff and technician
 * screens' end-to-end tests (test boards only, as the whole channel). */
static void begin_role(kiosk_app *app, control_command *command, const char *id, const char *role,
                       const char *name)
{
    credential_info info = {0};
    if (strcmp(role, "staff") == 0)
        info.role = STAFF_ROLE_STAFF;
    else if (strcmp(role, "technician") == 0)
        info.role = STAFF_ROLE_TECHNICIAN;
    if (!info.role || strlen(id) >= sizeof info.id || strlen(name) >= sizeof info.name) {
        test_control_reply(command, false, "usage: role ID staff|technician NAME");
        return;
    }
    snprintf(info.id, sizeof info.id, "%s", id);
    snprintf(info.name, sizeof info.name, "%s", name);
    app_role_begin(app, &info);
    test_control_reply(command, true, app_screen_name(app));
}

/* The longest code "scan repeat" makes: well past what the scanner driver
 * takes (SCAN_MAX_LENGTH), to show it refusing one. */
#define SCAN_REPEAT_MAX (64 * 1024)

static int hex_value(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* "scan text CODE", "scan hex HEX" or "scan repeat N TEXT": the simulated
 * scanner reads the code (as a QR code, "]Q1") and sends it in its own
 * HID POS reports, which the real driver reads off the simulated bus as it
 * reads a scanner's. The bytes are any (a NUL, a control character,
 * broken UTF-8, more than the driver takes): what the driver refuses is
 * its to refuse. The reply comes at once; "wait" or "tree" shows what the
 * code did. What was decoded here is wiped once the scanner has it. */
static void show_scanner(kiosk_app *app, control_command *command, const char *how, char *rest)
{
    static const char usage[] = "usage: scan text CODE | scan hex HEX | scan repeat N TEXT "
                                "(N at most 65536)";
    struct usb_model *scanner = app_sim_scanner(app);
    if (!scanner) {
        test_control_reply(command, false, "the board has no simulated scanner");
        return;
    }
    uint8_t *code = NULL;
    size_t length = 0;
    if (how && strcmp(how, "text") == 0 && rest && *rest) {
        length = strlen(rest);
        code = malloc(length);
        if (code)
            memcpy(code, rest, length);
    } else if (how && strcmp(how, "hex") == 0 && rest && *rest && strlen(rest) % 2 == 0) {
        length = strlen(rest) / 2;
        code = malloc(length);
        for (size_t i = 0; code && i < length; i++) {
            int high = hex_value(rest[2 * i]), low = hex_value(rest[2 * i + 1]);
            if (high < 0 || low < 0) {
                explicit_bzero(code, length);
                free(code);
                test_control_reply(command, false, usage);
                return;
            }
            code[i] = (uint8_t)(high << 4 | low);
        }
    } else if (how && strcmp(how, "repeat") == 0 && rest) {
        char *text = NULL;
        long count = strtol(rest, &text, 10);
        if (count < 1 || count > SCAN_REPEAT_MAX || *text != ' ' || !text[1]) {
            test_control_reply(command, false, usage);
            return;
        }
        text++;
        length = (size_t)count;
        code = malloc(length);
        for (size_t i = 0; code && i < length; i++)
            code[i] = (uint8_t)text[i % strlen(text)];
    } else {
        test_control_reply(command, false, usage);
        return;
    }
    if (!code) {
        test_control_reply(command, false, "out of memory");
        return;
    }
    kiosk_error queued = scanner_sim_scan(scanner, "]Q1", code, length);
    explicit_bzero(code, length);
    free(code);
    test_control_reply(command, queued == KIOSK_OK,
                       queued == KIOSK_OK ? app_screen_name(app) : kiosk_error_name(queued));
}

void app_control_command(kiosk_app *app, control_command *command)
{
    char line[TEST_CONTROL_LINE_MAX];
    snprintf(line, sizeof line, "%s", command->line);
    char *rest = NULL;
    const char *verb = strtok_r(line, " ", &rest);
    const char *first = verb ? strtok_r(NULL, " ", &rest) : NULL;
    const char *second = first ? strtok_r(NULL, " ", &rest) : NULL;
    LOG_DEBUG("control", "%s", command->line);

    if (channel.waiting) {
        test_control_reply(command, false, "a wait is in progress");
    } else if (!verb) {
        test_control_reply(command, false, "empty command");
    } else if (strcmp(verb, "screen") == 0) {
        test_control_reply(command, true, app_screen_name(app));
    } else if (strcmp(verb, "tree") == 0) {
        reply_tree(app, command);
    } else if (strcmp(verb, "tap") == 0 && first) {
        tap(app, command, first);
    } else if (strcmp(verb, "drag") == 0 && first) {
        /* The points follow the id: taken from the line as it came. */
        char points[TEST_CONTROL_LINE_MAX];
        const char *after = strstr(command->line, first);
        snprintf(points, sizeof points, "%s", after ? after + strlen(first) : "");
        drag(app, command, first, points);
    } else if (strcmp(verb, "wait") == 0) {
        start_wait(app, command, first, second);
    } else if (strcmp(verb, "advance") == 0 && first) {
        char *end = NULL;
        long ms = strtol(first, &end, 10);
        if (*end || ms < 0 || ms > 24L * 3600 * 1000) {
            test_control_reply(command, false, "usage: advance MS");
            return;
        }
        channel.clock_offset_ms += (uint64_t)ms;
        app_session_tick(app);
        test_control_reply(command, true, app_screen_name(app));
    } else if (strcmp(verb, "screenshot") == 0) {
        screenshot(app, command, first);
    } else if (strcmp(verb, "key") == 0 && first && strlen(first) == 1) {
        /* The developer's keys for simulated devices (lay a card: 1-6). */
        bool taken = app_devices_key(app, (SDL_Keycode)(unsigned char)first[0]);
        test_control_reply(command, taken, taken ? app_screen_name(app) : "not a device key");
    } else if (strcmp(verb, "speech") == 0) {
        reply_speech(app, command, first);
    } else if (strcmp(verb, "headphones") == 0 && first &&
               (strcmp(first, "in") == 0 || strcmp(first, "out") == 0)) {
        app_speech_set_headphones(app, strcmp(first, "in") == 0);
        test_control_reply(command, true, app_screen_name(app));
    } else if (strcmp(verb, "keypad") == 0 && first) {
        char keys[TEST_CONTROL_LINE_MAX];
        const char *after = strstr(command->line, "keypad");
        snprintf(keys, sizeof keys, "%s", after + strlen("keypad"));
        press_keypad(app, command, keys);
    } else if (strcmp(verb, "role") == 0 && first && second && rest && *rest) {
        begin_role(app, command, first, second, rest);
    } else if (strcmp(verb, "receipt") == 0) {
        reply_receipt(app, command);
    } else if (strcmp(verb, "scan") == 0) {
        /* What follows "scan text " is taken from the line as it came:
         * a code may hold runs of spaces. */
        char code[TEST_CONTROL_LINE_MAX];
        const char *after = strstr(command->line, "scan") + strlen("scan");
        while (*after == ' ')
            after++;
        if (first && strncmp(after, first, strlen(first)) == 0)
            after += strlen(first);
        snprintf(code, sizeof code, "%s", *after == ' ' ? after + 1 : after);
        show_scanner(app, command, first, code);
        explicit_bzero(code, sizeof code);
    } else if (strcmp(verb, "hang") == 0 && first) {
        /* The main loop stuck in a handler, as a bug would leave it: the
         * supervisor's watchdog must notice (docs/supervision.md). */
        char *end = NULL;
        long ms = strtol(first, &end, 10);
        if (*end || ms < 1 || ms > 120000) {
            test_control_reply(command, false, "usage: hang MS (1 to 120000)");
            return;
        }
        LOG_WARN("control", "the main loop hangs for %ld ms, as asked", ms);
        struct timespec pause = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
        while (nanosleep(&pause, &pause) != 0)
            ;
        test_control_reply(command, true, app_screen_name(app));
    } else if (strcmp(verb, "hang-device") == 0 && first && second) {
        /* A device's worker stuck behind a device that never answers:
         * the supervisor's watchdog must notice (docs/supervision.md). */
        device_kind kind;
        char *end = NULL;
        long ms = strtol(second, &end, 10);
        if (!device_kind_from_name(first, &kind) || *end || ms < 1 || ms > 120000) {
            test_control_reply(command, false, "usage: hang-device KIND MS (1 to 120000)");
            return;
        }
        bool stalled = app_sim_stall(app, kind, (unsigned)ms);
        test_control_reply(command, stalled,
                           stalled ? app_screen_name(app)
                                   : "the board has no such simulated device");
    } else if (strcmp(verb, "memory-limit") == 0 && first) {
        /* The board's memory ceiling lowered (or raised) for this run. */
        char *end = NULL;
        long mb = strtol(first, &end, 10);
        if (*end || mb < 0 || mb > 65536) {
            test_control_reply(command, false, "usage: memory-limit MB (0 to 65536)");
            return;
        }
        app_supervisor_set_memory_limit(app, (int)mb);
        test_control_reply(command, true, app_screen_name(app));
    } else if (strcmp(verb, "quit") == 0) {
        app_request_quit(app);
        test_control_reply(command, true, "stopping");
    } else {
        test_control_reply(
            command, false,
            "unknown command (screen, tree, tap, drag, wait, advance, "
            "screenshot, key, keypad, speech, headphones, role, receipt, scan, hang, "
            "hang-device, memory-limit, quit)");
    }
}
