/* Hall staff's home (帮办工作台): who is signed in, one line of what needs
 * them now (paper, refused applications, calls, the link), and the menu of
 * their screens; and what every staff screen shares (app_staff.h). Staff
 * use these standing, in a hurry: large buttons, plain words, each action
 * audited. A staff session never mixes with a citizen's: nothing here
 * reaches a citizen's data. */
#include "firmware/app/app_staff.h"
#include "firmware/app/app.h"
#include "firmware/app/app_devices.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_print.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_store.h"

#include "firmware/base/log.h"
#include "firmware/platform/staff_ops.h"
#include "firmware/platform/store_use.h"
#include "ui/scroll_view.h"

#include <stdio.h>
#include <string.h>

#define MARGIN_DP 40
#define GAP_DP    20
#define TITLE_DP  44
#define TEXT_DP   30
#define BUTTON_DP APP_STAFF_BUTTON_DP
/* A text's most lines before it is cut. */
#define LINES_MOST 6

/* ---- the page every staff screen is built on ----------------------------- */

int app_staff_button_h(const app_staff_page *page)
{
    return ui_screen_large_button_h(&page->screen, BUTTON_DP);
}

int app_staff_text_h(const app_staff_page *page, const char *text)
{
    return ui_lines_h(page->frame, text, TEXT_DP, page->screen.area.w, LINES_MOST);
}

bool app_staff_fits(const app_staff_page *page, int h)
{
    return page->screen.y + h <= page->screen.bottom;
}

/* The next box h high, and a gap under it. */
static SDL_Rect take(app_staff_page *page, int h)
{
    SDL_Rect box = ui_screen_take(&page->screen, h);
    page->screen.y += page->screen.gap;
    return box;
}

static bool page_begin(app_staff_page *page, kiosk_app *app, const ui_frame_model *frame,
                       const char *title_key, bool home, bool scrolls);

bool app_staff_page_begin(app_staff_page *page, kiosk_app *app, const ui_frame_model *frame,
                          const char *title_key, bool home)
{
    return page_begin(page, app, frame, title_key, home, true);
}

bool app_staff_page_begin_fixed(app_staff_page *page, kiosk_app *app, const ui_frame_model *frame,
                                const char *title_key)
{
    return page_begin(page, app, frame, title_key, false, false);
}

static bool page_begin(app_staff_page *page, kiosk_app *app, const ui_frame_model *frame,
                       const char *title_key, bool home, bool scrolls)
{
    page->frame = frame;
    page->root = page->view = NULL;
    page->ok = ui_screen_begin(&page->screen, frame, MARGIN_DP, GAP_DP);
    if (!page->ok)
        return false;
    ui_screen *screen = &page->screen;
    /* The way out first, at the foot: where a hand looks for it. */
    SDL_Rect foot = ui_screen_foot(screen, app_staff_button_h(page));
    if (home) {
        /* 重启 is asked once more before anything happens. */
        page->ok =
            ui_screen_button(screen, "staff.menu.restart",
                             ui_frame_text(frame, "staff.menu.restart"),
                             ui_column(foot, 2, screen->gap, 0), UI_ACTION_STAFF, APP_STAFF_RESTART,
                             UI_TONE_SECONDARY, BUTTON_DP) &&
            ui_screen_button(screen, "staff.sign_out", ui_frame_text(frame, "staff.sign_out"),
                             ui_column_rest(foot, 2, screen->gap), UI_ACTION_SIGN_OUT, 0,
                             UI_TONE_SECONDARY, BUTTON_DP);
    } else {
        page->ok =
            ui_screen_button(screen, "staff.back", ui_frame_text(frame, "staff.back"),
                             ui_column(foot, 2, screen->gap, 0), UI_ACTION_BACK, 0,
                             UI_TONE_SECONDARY, BUTTON_DP) &&
            ui_screen_button(screen, "staff.sign_out", ui_frame_text(frame, "staff.sign_out"),
                             ui_column_rest(foot, 2, screen->gap), UI_ACTION_SIGN_OUT, 0,
                             UI_TONE_SECONDARY, BUTTON_DP);
    }
    page->ok = page->ok &&
               ui_screen_title(screen, "staff.title", ui_frame_text(frame, title_key), TITLE_DP);
    char who[160];
    const char *names[] = {"name"};
    const char *values[] = {app_role_name(app)};
    ui_strings_fill(ui_frame_text(frame, "staff.desk.who"), names, values, 1, who, sizeof who);
    app_staff_text(page, "staff.who", who, UI_TONE_PLAIN);
    /* The rest scrolls where large text on a small panel would not fit:
     * what follows goes into the view, laid out as if nothing scrolled. */
    page->root = screen->root;
    if (!scrolls)
        return page->ok;
    page->view = page->ok
                     ? ui_scroll_view_create(screen->root, "staff.content", ui_screen_rest(screen))
                     : NULL;
    page->ok = page->ok && page->view;
    if (page->view)
        screen->root = page->view;
    return page->ok;
}

void app_staff_text(app_staff_page *page, const char *id, const char *text, ui_tone tone)
{
    if (!page->ok)
        return;
    SDL_Rect box = take(page, app_staff_text_h(page, text));
    page->ok = ui_wrapped_text_create(page->screen.root, &ui_label_class, id, text, box, TEXT_DP,
                                      tone) != NULL;
}

void app_staff_button(app_staff_page *page, const char *id, const char *text, int arg, ui_tone tone)
{
    if (!page->ok)
        return;
    SDL_Rect box = take(page, app_staff_button_h(page));
    page->ok = ui_screen_button(&page->screen, id, text, box, UI_ACTION_STAFF, arg, tone,
                                BUTTON_DP) != NULL;
}

void app_staff_row(app_staff_page *page, const app_staff_choice *choices, size_t count)
{
    if (!page->ok || count == 0)
        return;
    ui_screen *screen = &page->screen;
    SDL_Rect row = take(page, app_staff_button_h(page));
    for (size_t i = 0; i < count && page->ok; i++) {
        SDL_Rect box = i + 1 < count ? ui_column(row, (int)count, screen->gap, (int)i)
                                     : ui_column_rest(row, (int)count, screen->gap);
        page->ok = ui_screen_button(screen, choices[i].id, choices[i].text, box, UI_ACTION_STAFF,
                                    choices[i].arg, choices[i].tone, BUTTON_DP) != NULL;
    }
}

void app_staff_buttons(app_staff_page *page, const char *id_a, const char *text_a, int arg_a,
                       ui_tone tone_a, const char *id_b, const char *text_b, int arg_b,
                       ui_tone tone_b)
{
    const app_staff_choice choices[] = {{id_a, text_a, arg_a, tone_a},
                                        {id_b, text_b, arg_b, tone_b}};
    app_staff_row(page, choices, 2);
}

bool app_staff_row_fits(const app_staff_page *page, const char *const *texts, size_t count,
                        int columns)
{
    /* A column less the gaps between, less the button's own padding. */
    int gap = page->screen.gap;
    int wide = (page->screen.area.w - (columns - 1) * gap) / columns - 2 * gap;
    for (size_t i = 0; i < count; i++) {
        if (ui_frame_lines_for(page->frame, texts[i], BUTTON_DP, wide, 2) != 1)
            return false;
    }
    return true;
}

void app_staff_columns(app_staff_page *page)
{
    ui_screen *screen = &page->screen;
    page->whole = screen->area;
    page->columns_top = screen->y;
    screen->area.w = (page->whole.w - screen->gap) / 2;
}

void app_staff_next_column(app_staff_page *page)
{
    ui_screen *screen = &page->screen;
    SDL_Rect second = ui_column_rest(page->whole, 2, screen->gap);
    screen->area.x = second.x;
    screen->area.w = second.w;
    screen->y = page->columns_top;
}

SDL_Rect app_staff_rest(const app_staff_page *page)
{
    return ui_screen_rest(&page->screen);
}

void app_staff_menu(app_staff_page *page, const app_staff_choice *choices, size_t count)
{
    const char *texts[APP_STAFF_MENU_MAX];
    count = count < APP_STAFF_MENU_MAX ? count : APP_STAFF_MENU_MAX;
    for (size_t i = 0; i < count; i++)
        texts[i] = choices[i].text;
    /* One a row, else as many abreast as it takes to fit, while their
     * words still fit on one line. */
    int row_h = app_staff_button_h(page) + page->screen.gap;
    size_t columns = 1;
    while (columns < 3 &&
           (!app_staff_fits(page, (int)((count + columns - 1) / columns) * row_h) ||
            !app_staff_row_fits(page, texts, count, (int)columns)) &&
           app_staff_row_fits(page, texts, count, (int)columns + 1))
        columns++;
    for (size_t i = 0; i < count && page->ok; i += columns)
        app_staff_row(page, choices + i, count - i < columns ? count - i : columns);
}

bool app_staff_abreast(const app_staff_page *page, const char *text_a, const char *text_b)
{
    const char *const texts[] = {text_a, text_b};
    return app_staff_row_fits(page, texts, 2, 2);
}

kiosk_error app_staff_page_end(app_staff_page *page, ui_widget **out)
{
    if (page->view) {
        ui_scroll_view_update_extent(page->view);
        page->screen.root = page->root;
    }
    return ui_screen_end(&page->screen, page->ok, out);
}

app_screen app_staff_common_action(kiosk_app *app, ui_action action, int arg)
{
    (void)arg;
    switch (action) {
    case UI_ACTION_BACK:
        app_role_touch(app);
        return APP_SCREEN_STAFF;
    case UI_ACTION_SIGN_OUT:
        app_role_end(app, "signed-out");
        return APP_SCREEN_STAY;
    default:
        return APP_SCREEN_UNHANDLED;
    }
}

void app_staff_did(kiosk_app *app, const char *action, const char *subject, const char *detail)
{
    app_role_touch(app);
    app_audit(app, action, subject, detail);
    LOG_INFO("staff", "%s by %s%s%s", action, app_role_actor(app),
             subject && subject[0] ? ": " : "", subject ? subject : "");
}

const char *app_staff_id(const kiosk_app *app)
{
    const char *actor = app_role_actor(app);
    const char *colon = strchr(actor, ':');
    return colon && strncmp(actor, "staff:", 6) == 0 ? colon + 1 : "";
}

void app_staff_ago(const ui_frame_model *frame, int64_t seconds, char *out, size_t size)
{
    int64_t minutes = seconds > 0 ? seconds / 60 : 0;
    if (minutes < 1) {
        snprintf(out, size, "%s", ui_frame_text(frame, "staff.ago.now"));
        return;
    }
    char number[24];
    snprintf(number, sizeof number, "%lld", (long long)minutes);
    const char *names[] = {"minutes"};
    const char *values[] = {number};
    ui_strings_fill(ui_frame_text(frame, "staff.ago.minutes"), names, values, 1, out, size);
}

/* ---- what needs staff ----------------------------------------------------- */

const char *app_staff_device_words(kiosk_app *app, const ui_frame_model *frame,
                                   const device_status *status)
{
    char key[96];
    const char *words = NULL;
    if (status->reason[0]) {
        /* The printer's and the scanner's reasons are under their kind; the
         * reader's (the first device) under device.<reason>. */
        snprintf(key, sizeof key, "device.%s.%s.staff", device_kind_name(status->kind),
                 status->reason);
        words = ui_strings_lookup(app_strings(app), frame->language, key);
        if (!words && status->kind == DEVICE_ID_READER) {
            snprintf(key, sizeof key, "device.%s.staff", status->reason);
            words = ui_strings_lookup(app_strings(app), frame->language, key);
        }
    }
    if (words)
        return words;
    static const char *const states[] = {
        [DEVICE_NO_DEVICE] = "staff.device.state.no-device",
        [DEVICE_OFFLINE] = "staff.device.state.offline",
        [DEVICE_ONLINE] = "staff.device.state.online",
        [DEVICE_BUSY] = "staff.device.state.busy",
        [DEVICE_USER_ERROR] = "staff.device.state.user-error",
        [DEVICE_HARDWARE_ERROR] = "staff.device.state.hardware-error",
    };
    unsigned state = (unsigned)status->state;
    return ui_frame_text(frame, state < sizeof states / sizeof states[0] && states[state]
                                    ? states[state]
                                    : "staff.device.state.offline");
}

static void add_item(char *out, size_t size, const char *item, lang language)
{
    size_t used = strlen(out);
    if (used >= size)
        return;
    snprintf(out + used, size - used, "%s%s", used ? (language == LANG_EN ? "; " : "；") : "",
             item);
}

static void add_counted(const ui_frame_model *frame, char *out, size_t size, const char *key,
                        long long count)
{
    char number[24], item[128];
    snprintf(number, sizeof number, "%lld", count);
    const char *names[] = {"count"};
    const char *values[] = {number};
    ui_strings_fill(ui_frame_text(frame, key), names, values, 1, item, sizeof item);
    add_item(out, size, item, frame->language);
}

void app_staff_attention(kiosk_app *app, const ui_frame_model *frame, char *out, size_t size)
{
    out[0] = '\0';
    if (app_print_available(app) && app_devices_started(app)) {
        const device_status *printer = app_device(app, DEVICE_PRINTER);
        if (printer->supply == DEVICE_SUPPLY_OUT || strcmp(printer->reason, "paper-out") == 0)
            add_item(out, size, ui_frame_text(frame, "staff.attention.paper_out"), frame->language);
        else if (printer->supply == DEVICE_SUPPLY_LOW)
            add_item(out, size, ui_frame_text(frame, "staff.attention.paper_low"), frame->language);
        else if (printer->state == DEVICE_HARDWARE_ERROR || printer->state == DEVICE_OFFLINE ||
                 printer->state == DEVICE_NO_DEVICE)
            add_item(out, size, ui_frame_text(frame, "staff.attention.printer"), frame->language);
    }
    struct kiosk_platform *core = app_platform_core(app);
    platform_staff_facts facts = {0};
    if (core)
        platform_staff_facts_get(core, &facts);
    if (facts.broken)
        add_item(out, size, ui_frame_text(frame, "staff.attention.store"), frame->language);
    long long refused =
        facts.counted ? facts.quarantined : app_platform_link_state(app).quarantined;
    if (refused > 0)
        add_counted(frame, out, size, "staff.attention.refused", refused);
    if (core) {
        /* The hall's calls as last fetched (only while staff watch them). */
        static platform_call calls[32];
        size_t waiting = platform_calls_get(core, calls, sizeof calls / sizeof calls[0]);
        if (waiting > 0)
            add_counted(frame, out, size, "staff.attention.calls", (long long)waiting);
        explicit_bzero(calls, sizeof calls);
    }
    if (app_platform_configured(app) && !app_platform_link_usable(app))
        add_item(out, size, ui_frame_text(frame, "staff.attention.link"), frame->language);
}

/* ---- the home ------------------------------------------------------------- */

/* The menu, in the order staff reach for it. */
typedef enum staff_item {
    ITEM_STATUS,
    ITEM_CALLS,
    ITEM_REFUSED,
    ITEM_PAPER,
    ITEM_ASSIST,
    ITEM_RESTART = APP_STAFF_RESTART,
    ITEM_RESTART_YES,
    ITEM_RESTART_NO,
} staff_item;

static const struct {
    const char *id, *key;
    app_screen screen;
} MENU[] = {
    {"staff.menu.status", "staff.menu.status", APP_SCREEN_STAFF_STATUS},
    {"staff.menu.calls", "staff.menu.calls", APP_SCREEN_STAFF_CALLS},
    {"staff.menu.refused", "staff.menu.refused", APP_SCREEN_STAFF_REFUSED},
    {"staff.menu.paper", "staff.menu.paper", APP_SCREEN_STAFF_PAPER},
    {"staff.menu.assist", "staff.menu.assist", APP_SCREEN_STAFF_ASSIST},
};
#define MENU_COUNT (sizeof MENU / sizeof MENU[0])

static struct {
    bool confirm_restart; /* 重启 was tapped: asked once more */
} home;

static kiosk_error build_staff(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    app_staff_page page;
    app_staff_page_begin(&page, app, frame, "staff.desk.title", true);
    char attention[512], summary[640];
    app_staff_attention(app, frame, attention, sizeof attention);
    if (attention[0]) {
        const char *names[] = {"items"};
        const char *values[] = {attention};
        ui_strings_fill(ui_frame_text(frame, "staff.desk.attention"), names, values, 1, summary,
                        sizeof summary);
    } else {
        snprintf(summary, sizeof summary, "%s", ui_frame_text(frame, "staff.desk.all_well"));
    }
    app_staff_text(&page, "staff.summary", summary, attention[0] ? UI_TONE_ALERT : UI_TONE_PLAIN);
    if (home.confirm_restart) {
        app_staff_text(&page, "staff.restart.confirm",
                       ui_frame_text(frame, "staff.restart.confirm"), UI_TONE_ALERT);
        app_staff_buttons(&page, "staff.restart.yes", ui_frame_text(frame, "staff.restart.yes"),
                          ITEM_RESTART_YES, UI_TONE_ALERT, "staff.restart.no",
                          ui_frame_text(frame, "staff.cancel"), ITEM_RESTART_NO, UI_TONE_SECONDARY);
        return app_staff_page_end(&page, out);
    }
    app_staff_choice menu[MENU_COUNT];
    for (size_t i = 0; i < MENU_COUNT; i++)
        menu[i] = (app_staff_choice){MENU[i].id, ui_frame_text(frame, MENU[i].key), (int)i,
                                     UI_TONE_PRIMARY};
    app_staff_menu(&page, menu, MENU_COUNT);
    return app_staff_page_end(&page, out);
}

/* The hall's calls are fetched while the home shows (its summary counts
 * them), as while the calls' own screen does. */
static void enter_staff(kiosk_app *app)
{
    if (app_platform_core(app))
        platform_calls_watch(app_platform_core(app), true);
}

static void leave_staff(kiosk_app *app)
{
    home.confirm_restart = false;
    if (app_platform_core(app))
        platform_calls_watch(app_platform_core(app), false);
}

static app_screen on_staff(kiosk_app *app, ui_action action, int arg)
{
    if (action != UI_ACTION_STAFF)
        return app_staff_common_action(app, action, arg);
    app_role_touch(app);
    if (arg >= 0 && (size_t)arg < MENU_COUNT)
        return MENU[arg].screen;
    switch ((staff_item)arg) {
    case ITEM_RESTART:
        home.confirm_restart = true;
        return APP_SCREEN_STAFF;
    case ITEM_RESTART_NO:
        home.confirm_restart = false;
        return APP_SCREEN_STAFF;
    case ITEM_RESTART_YES:
        /* A clean stop the supervisor starts again (APP_EXIT_RESTART): the
         * store is closed, the devices released, nothing half-written. */
        home.confirm_restart = false;
        app_staff_did(app, "staff.restart", "", "requested at the terminal");
        app_request_restart(app);
        return APP_SCREEN_STAY;
    default:
        return APP_SCREEN_STAY;
    }
}

/* The calls' news: the home's summary and the calls' list are rebuilt; a
 * citizen's help screen says someone is coming (app_help.c). */
void app_staff_platform_news(kiosk_app *app)
{
    app_screen shown = app_current_screen(app);
    if (shown == APP_SCREEN_STAFF || shown == APP_SCREEN_STAFF_CALLS || shown == APP_SCREEN_HELP)
        app_show_again(app);
}

const app_controller app_staff_controller = {.name = "staff",
                                             .build = build_staff,
                                             .enter = enter_staff,
                                             .leave = leave_staff,
                                             .on_action = on_staff,
                                             .ignores_cards = true};
