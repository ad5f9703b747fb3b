/* The receipt paper, for staff: a refill confirmed (audited; the printer's
 * own status says whether it has paper again), a test page on the receipt
 * printer, and a citizen's receipt printed again by its tracking or
 * terminal number typed on a keypad. A reprint is built from this
 * terminal's record of the receipt (receipt_index.h), which holds nothing
 * personal: the numbers, the service and times, marked 补打. */
#include "firmware/app/app_devices.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_print.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_staff.h"

#include "firmware/base/log.h"
#include "ui/input_widgets.h"

#include <stdio.h>
#include <string.h>

/* The receipt printer's roll, as app_print.c prints on. */
#define PAPER_MM 80
/* A tracking or terminal number's digits: fewer cannot name one receipt. */
#define NUMBER_MIN_DIGITS 6
/* The number typed, as large as a title. */
#define TYPED_DP 48

enum {
    ARG_REFILLED,
    ARG_TEST_PAGE,
    ARG_REPRINT, /* the keypad */
    ARG_PRINT,   /* 补打 the number typed */
};

static struct {
    bool typing;          /* the reprint's keypad is shown */
    char typed[32];       /* the number typed */
    const char *note_key; /* what the last action did, or NULL */
    bool note_alert;      /* ... and it needs staff */
    char note_why[48];    /* the printer's reason key, for print_failed */
    uint64_t jobs, job;   /* staff print jobs sent; the latest */
    receipt receipt;      /* the latest sent (wiped once printed) */
} paper;

static void forget(void)
{
    uint64_t jobs = paper.jobs;
    explicit_bzero(&paper, sizeof paper);
    paper.jobs = jobs; /* a late result must not match a new job */
}

static void set_note(const char *key, bool alert)
{
    paper.note_key = key;
    paper.note_alert = alert;
}

static void note_text(kiosk_app *app, const ui_frame_model *frame, char *out, size_t size)
{
    char key[80];
    snprintf(key, sizeof key, "device.printer.%s.staff", paper.note_why);
    const char *why =
        paper.note_why[0] ? ui_strings_lookup(app_strings(app), frame->language, key) : NULL;
    const char *names[] = {"why"};
    const char *values[] = {why ? why : paper.note_why};
    ui_strings_fill(ui_frame_text(frame, paper.note_key), names, values, 1, out, size);
}

static const char *paper_state_key(kiosk_app *app)
{
    const device_status *printer = app_device(app, DEVICE_PRINTER);
    if (printer->supply == DEVICE_SUPPLY_OUT || strcmp(printer->reason, "paper-out") == 0)
        return "staff.paper.state.out";
    if (printer->supply == DEVICE_SUPPLY_LOW)
        return "staff.paper.state.low";
    if (printer->supply == DEVICE_SUPPLY_OK)
        return "staff.paper.state.ok";
    return "staff.paper.state.unknown";
}

static kiosk_error build_typing(kiosk_app *app, app_staff_page *page, const ui_frame_model *frame,
                                ui_widget **out)
{
    /* A wide panel: the words and the number on the left, the keypad the
     * whole height on the right. */
    bool wide = page->screen.area.w > page->screen.area.h;
    if (wide) {
        /* The keypad from the line that says who is signed in down: that
         * line keeps to the first column. */
        app_staff_columns(page);
        ui_widget *who = ui_widget_find(page->root, "staff.who");
        if (who) {
            page->columns_top = who->bounds.y;
            who->bounds.w = page->screen.area.w;
        }
    }
    /* The words over the number give way where the keypad would be too
     * small for a finger; the empty number then says what to type. */
    const char *label = ui_frame_text(frame, "staff.reprint.label");
    int keypad_least = 4 * ui_screen_target_h(&page->screen) + 2 * page->screen.gap;
    int row_least = app_staff_button_h(page) + page->screen.gap;
    bool labelled = wide || app_staff_fits(page, app_staff_text_h(page, label) + page->screen.gap +
                                                     row_least + keypad_least);
    if (labelled)
        app_staff_text(page, "staff.reprint.label", label, UI_TONE_PLAIN);
    char note[256] = "";
    if (paper.note_key)
        note_text(app, frame, note, sizeof note);
    if (note[0])
        app_staff_text(page, "staff.reprint.note", note,
                       paper.note_alert ? UI_TONE_ALERT : UI_TONE_PLAIN);
    if (!page->ok)
        return app_staff_page_end(page, out);
    ui_screen *screen = &page->screen;
    /* The number as typed, large, in a box of its own, and 补打 beside it;
     * the keypad under them, or filling the second column of a wide panel. */
    int field_h = ui_frame_line_px(frame, TYPED_DP) + screen->gap;
    int button_h = app_staff_button_h(page);
    SDL_Rect row = ui_screen_take(screen, button_h > field_h ? button_h : field_h);
    screen->y += screen->gap;
    SDL_Rect field = ui_column(row, 2, screen->gap, 0);
    SDL_Rect text = {field.x + screen->gap, field.y + (field.h - field_h) / 2 + screen->gap / 2,
                     field.w - 2 * screen->gap, field_h - screen->gap};
    bool hint = !labelled && !paper.typed[0];
    page->ok = ui_card_create(screen->root, "staff.reprint.field", field, UI_TONE_PLAIN) &&
               ui_wrapped_text_create(
                   screen->root, hint ? &ui_note_class : &ui_heading_class, "staff.reprint.typed",
                   hint ? ui_frame_text(frame, "staff.reprint.hint") : paper.typed, text,
                   hint ? 30 : TYPED_DP, UI_TONE_PLAIN);
    if (page->ok)
        page->ok = ui_screen_button(screen, "staff.reprint.print",
                                    ui_frame_text(frame, "staff.reprint.print"),
                                    ui_column_rest(row, 2, screen->gap), UI_ACTION_STAFF, ARG_PRINT,
                                    UI_TONE_PRIMARY, APP_STAFF_BUTTON_DP) != NULL;
    if (wide)
        app_staff_next_column(page);
    if (page->ok) {
        SDL_Rect rest = app_staff_rest(page);
        /* Upright: as wide as the page, no taller than wide. */
        SDL_Rect pad = rest;
        if (!wide && pad.h > pad.w)
            pad.h = pad.w;
        /* Never smaller than a finger: below the fold, where the page scrolls. */
        if (!wide && pad.h < keypad_least)
            pad.h = keypad_least;
        page->ok = ui_keypad_create(screen->root, "keypad", pad, false,
                                    ui_frame_text(frame, "keypad.delete"),
                                    ui_frame_text(frame, "keypad.clear"), screen->gap / 2) != NULL;
    }
    return app_staff_page_end(page, out);
}

static kiosk_error build_paper(kiosk_app *app, const ui_frame_model *frame, ui_widget **out)
{
    app_staff_page page;
    /* A wide panel's reprint is laid out to fit (the keypad beside the
     * number); upright, the page scrolls when the keypad would not fit. */
    bool wide = app_metrics(app)->width_px > app_metrics(app)->height_px;
    if (paper.typing && wide)
        app_staff_page_begin_fixed(&page, app, frame, "staff.reprint.title");
    else if (paper.typing)
        app_staff_page_begin(&page, app, frame, "staff.reprint.title", false);
    else
        app_staff_page_begin(&page, app, frame, "staff.paper.title", false);
    if (!app_print_available(app)) {
        app_staff_text(&page, "staff.paper.none", ui_frame_text(frame, "staff.paper.no_printer"),
                       UI_TONE_ALERT);
        return app_staff_page_end(&page, out);
    }
    if (paper.typing)
        return build_typing(app, &page, frame, out);
    const char *state = paper_state_key(app);
    bool short_of_paper =
        strcmp(state, "staff.paper.state.out") == 0 || strcmp(state, "staff.paper.state.low") == 0;
    app_staff_text(&page, "staff.paper.state", ui_frame_text(frame, state),
                   short_of_paper ? UI_TONE_ALERT : UI_TONE_PLAIN);
    if (paper.note_key) {
        char note[256];
        note_text(app, frame, note, sizeof note);
        app_staff_text(&page, "staff.paper.note", note,
                       paper.note_alert ? UI_TONE_ALERT : UI_TONE_PLAIN);
    }
    const app_staff_choice actions[] = {
        {"staff.paper.refilled", ui_frame_text(frame, "staff.paper.refilled"), ARG_REFILLED,
         UI_TONE_PRIMARY},
        {"staff.paper.test", ui_frame_text(frame, "staff.paper.test"), ARG_TEST_PAGE,
         UI_TONE_PRIMARY},
        {"staff.paper.reprint", ui_frame_text(frame, "staff.paper.reprint"), ARG_REPRINT,
         UI_TONE_PRIMARY},
    };
    app_staff_menu(&page, actions, sizeof actions / sizeof actions[0]);
    return app_staff_page_end(&page, out);
}

/* ---- the receipts staff print --------------------------------------------- */

static void labelled(receipt *r, const ui_frame_model *frame, const char *label_key,
                     const char *value, bool bold)
{
    char line[RECEIPT_TEXT_MAX];
    snprintf(line, sizeof line, "%.60s：%.180s", ui_frame_text(frame, label_key), value);
    receipt_text(r, RECEIPT_ALIGN_LEFT, 1, bold, line);
}

static void receipt_foot(kiosk_app *app, const ui_frame_model *frame, receipt *r)
{
    receipt_rule(r);
    char terminal[96];
    const char *names[] = {"terminal"};
    const char *values[] = {app_board(app)->platform_tls.terminal_id};
    ui_strings_fill(ui_frame_text(frame, "receipt.terminal"), names, values, 1, terminal,
                    sizeof terminal);
    receipt_text(r, RECEIPT_ALIGN_CENTER, 1, false, terminal);
    receipt_feed(r, 2);
    receipt_cut(r);
}

static void test_page(kiosk_app *app, const ui_frame_model *frame, receipt *r)
{
    receipt_init(r, PAPER_MM);
    receipt_text(r, RECEIPT_ALIGN_CENTER, 1, false, app_catalog(app)->hall_name[frame->language]);
    receipt_text(r, RECEIPT_ALIGN_CENTER, 2, true,
                 ui_frame_text(frame, "staff.receipt.test_title"));
    receipt_rule(r);
    receipt_paragraph(r, RECEIPT_ALIGN_LEFT, 1, false,
                      ui_frame_text(frame, "staff.receipt.test_body"));
    char when[64];
    app_local_time(app, (int64_t)app_wall_time(app), when, sizeof when);
    receipt_text(r, RECEIPT_ALIGN_LEFT, 1, false, when);
    /* A code too: the printer's raster path, as a citizen's receipt uses it. */
    receipt_qr(r, RECEIPT_ALIGN_CENTER, 6, app_board(app)->platform_tls.terminal_id);
    receipt_foot(app, frame, r);
}

static const char *service_name(kiosk_app *app, const ui_frame_model *frame, const char *id)
{
    const catalog *c = app_catalog(app);
    for (size_t i = 0; i < c->service_count; i++)
        if (strcmp(c->services[i].id, id) == 0)
            return c->services[i].name[frame->language];
    return id;
}

/* The receipt again from this terminal's record of it: its numbers, the
 * service and when, marked 补打 at the head. The record holds nobody's
 * name or ID number, so the reprint shows none. */
static void reprint(kiosk_app *app, const ui_frame_model *frame, const receipt_entry *entry,
                    receipt *r)
{
    receipt_init(r, PAPER_MM);
    receipt_text(r, RECEIPT_ALIGN_CENTER, 1, false, app_catalog(app)->hall_name[frame->language]);
    char title[RECEIPT_TEXT_MAX];
    snprintf(title, sizeof title, "%s（%s）", ui_frame_text(frame, "receipt.title"),
             ui_frame_text(frame, "staff.receipt.reprint_mark"));
    receipt_text(r, RECEIPT_ALIGN_CENTER, 2, true, title);
    receipt_rule(r);
    labelled(r, frame, "result.service", service_name(app, frame, entry->service), false);
    if (entry->tracking[0])
        labelled(r, frame, "result.tracking", entry->tracking, true);
    labelled(r, frame, "staff.receipt.local", entry->local, !entry->tracking[0]);
    char when[64];
    app_local_time(app, entry->issued_at_s, when, sizeof when);
    labelled(r, frame, "staff.receipt.issued", when, false);
    app_local_time(app, (int64_t)app_wall_time(app), when, sizeof when);
    labelled(r, frame, "staff.receipt.reprinted", when, false);
    receipt_text(r, RECEIPT_ALIGN_LEFT, 1, false,
                 ui_frame_text(frame, entry->delivered ? "staff.receipt.delivered"
                                                       : "staff.receipt.not_delivered"));
    char url[CATALOG_URL_MAX + 64];
    const char *number = entry->tracking[0] ? entry->tracking : entry->local;
    if (catalog_verify_url(app_catalog(app), number, url, sizeof url)) {
        receipt_qr(r, RECEIPT_ALIGN_CENTER, 6, url);
        receipt_text(r, RECEIPT_ALIGN_CENTER, 1, false, ui_frame_text(frame, "result.qr_caption"));
    }
    receipt_foot(app, frame, r);
}

/* Sends paper.receipt; false (with the note set) when the printer cannot
 * take it. */
static bool send(kiosk_app *app)
{
    paper.job = ++paper.jobs;
    kiosk_error sent = app_print_staff_receipt(app, paper.job, &paper.receipt);
    if (sent == KIOSK_OK) {
        set_note("staff.paper.printing", false);
        paper.note_why[0] = '\0';
        return true;
    }
    const device_status *printer = app_device(app, DEVICE_PRINTER);
    snprintf(paper.note_why, sizeof paper.note_why, "%s",
             sent == KIOSK_ERR_NO_DEVICE ? (printer->reason[0] ? printer->reason : "not-found")
                                         : "busy");
    set_note("staff.paper.print_failed", true);
    explicit_bzero(&paper.receipt, sizeof paper.receipt);
    return false;
}

void app_staff_print_done(kiosk_app *app, uint64_t job, bool ok, const char *reason)
{
    job &= ~APP_STAFF_JOB_BIT;
    LOG_INFO("staff", "staff print job %llu: %s", (unsigned long long)job, reason);
    if (job != paper.job)
        return; /* an earlier job, or one from before the screen was left */
    explicit_bzero(&paper.receipt, sizeof paper.receipt);
    snprintf(paper.note_why, sizeof paper.note_why, "%s", ok ? "" : reason);
    set_note(ok ? "staff.paper.printed" : "staff.paper.print_failed", !ok);
    if (app_current_screen(app) == APP_SCREEN_STAFF_PAPER)
        app_show_again(app);
}

/* ---- what staff do here --------------------------------------------------- */

static void refilled(kiosk_app *app)
{
    const device_status *printer = app_device(app, DEVICE_PRINTER);
    bool has_paper = printer->supply == DEVICE_SUPPLY_OK ||
                     (printer->supply == DEVICE_SUPPLY_NONE && printer->state == DEVICE_ONLINE);
    app_staff_did(app, "staff.paper-refilled", "",
                  has_paper ? "printer has paper" : "printer still reports none");
    set_note(has_paper ? "staff.paper.refill_done" : "staff.paper.refill_still_out", !has_paper);
    /* The attract screen's staff line follows the printer's own status. */
    app_platform_devices_changed(app);
}

static void print_test_page(kiosk_app *app)
{
    ui_frame_model frame = app_frame_model(app, "");
    test_page(app, &frame, &paper.receipt);
    if (send(app))
        app_staff_did(app, "staff.test-page", "", "receipt printer");
}

static void print_again(kiosk_app *app)
{
    if (strlen(paper.typed) < NUMBER_MIN_DIGITS) {
        set_note("staff.reprint.short", true);
        return;
    }
    receipt_entry entry = {0};
    if (!app_platform_find_receipt(app, paper.typed, &entry)) {
        set_note("staff.reprint.not_found", true);
        return;
    }
    ui_frame_model frame = app_frame_model(app, "");
    reprint(app, &frame, &entry, &paper.receipt);
    if (send(app)) {
        /* The receipt's own number: the terminal's and the platform's are
         * numbers, not a citizen's data. */
        app_staff_did(app, "staff.reprint", entry.local, entry.tracking);
        explicit_bzero(paper.typed, sizeof paper.typed);
        paper.typing = false;
    }
    explicit_bzero(&entry, sizeof entry);
}

static void key(int key)
{
    size_t length = strlen(paper.typed);
    if (key == UI_KEY_CLEAR)
        explicit_bzero(paper.typed, sizeof paper.typed);
    else if (key == UI_KEY_DELETE && length > 0)
        paper.typed[length - 1] = '\0';
    else if (key >= '0' && key <= '9' && length + 1 < sizeof paper.typed)
        paper.typed[length] = (char)key;
}

static app_screen on_paper(kiosk_app *app, ui_action action, int arg)
{
    if (action == UI_ACTION_KEY && paper.typing) {
        app_role_touch(app);
        paper.note_key = NULL;
        key(arg);
        return APP_SCREEN_STAFF_PAPER;
    }
    if (action == UI_ACTION_BACK && paper.typing) {
        app_role_touch(app);
        explicit_bzero(paper.typed, sizeof paper.typed);
        paper.typing = false;
        paper.note_key = NULL;
        return APP_SCREEN_STAFF_PAPER;
    }
    if (action != UI_ACTION_STAFF)
        return app_staff_common_action(app, action, arg);
    app_role_touch(app);
    paper.note_key = NULL;
    switch (arg) {
    case ARG_REFILLED:
        refilled(app);
        break;
    case ARG_TEST_PAGE:
        print_test_page(app);
        break;
    case ARG_REPRINT:
        paper.typing = true;
        break;
    case ARG_PRINT:
        if (paper.typing)
            print_again(app);
        break;
    default:
        return APP_SCREEN_STAY;
    }
    return APP_SCREEN_STAFF_PAPER;
}

static void leave_paper(kiosk_app *app)
{
    (void)app;
    forget();
}

static void forget_paper(kiosk_app *app)
{
    (void)app;
    forget();
}

const app_controller app_staff_paper_controller = {.name = "staff_paper",
                                                   .build = build_paper,
                                                   .leave = leave_paper,
                                                   .on_action = on_paper,
                                                   .forget = forget_paper,
                                                   .ignores_cards = true};
