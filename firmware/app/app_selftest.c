/* A technician's self-test of each device (app_technician.h), through the
 * same drivers and device manager citizens use: nothing here talks to a
 * device directly. A test that waits for a person (a card laid, a code
 * shown, keys pressed) waits a bounded time; the result says what was seen
 * and, when it failed, what to do, in the words the string table has for
 * the device's own reason. Every run is audited. One test at a time; its
 * state is the process's, like the devices'. */
#include "firmware/app/app_a4.h"
#include "firmware/app/app_devices.h"
#include "firmware/app/app_input.h"
#include "firmware/app/app_platform.h"
#include "firmware/app/app_role.h"
#include "firmware/app/app_session.h"
#include "firmware/app/app_speech.h"
#include "firmware/app/app_technician.h"

#include "drivers/idcard/protocol.h"
#include "drivers/keypad/keypad.h"
#include "drivers/printer/printer.h"
#include "drivers/scanner/scanner.h"
#include "firmware/base/id_number.h"
#include "firmware/base/log.h"
#include "firmware/platform/staff_ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SELFTEST_LOG "selftest"

static const char *const names[] = {
#define APP_SELFTEST_NAME(upper, lower) #lower,
    APP_SELFTESTS(APP_SELFTEST_NAME)
#undef APP_SELFTEST_NAME
};

/* How long a test waits for a person or a device before it fails. */
static const uint64_t wait_ms[APP_SELFTEST_COUNT] = {
    [APP_SELFTEST_CARD] = 30000,    [APP_SELFTEST_PRINTER] = 60000, [APP_SELFTEST_A4] = 180000,
    [APP_SELFTEST_SCANNER] = 30000, [APP_SELFTEST_KEYPAD] = 120000, [APP_SELFTEST_TOUCH] = 120000,
    [APP_SELFTEST_SCREEN] = 120000, [APP_SELFTEST_SPEAKER] = 0,
};

/* The device each test needs (DEVICE_KIND_COUNT: the display or speech,
 * which every board has). */
static const device_kind device_of[APP_SELFTEST_COUNT] = {
    [APP_SELFTEST_CARD] = DEVICE_ID_READER,     [APP_SELFTEST_PRINTER] = DEVICE_PRINTER,
    [APP_SELFTEST_A4] = DEVICE_A4_PRINTER,      [APP_SELFTEST_SCANNER] = DEVICE_SCANNER,
    [APP_SELFTEST_TOUCH] = DEVICE_KIND_COUNT,   [APP_SELFTEST_SCREEN] = DEVICE_KIND_COUNT,
    [APP_SELFTEST_SPEAKER] = DEVICE_KIND_COUNT, [APP_SELFTEST_KEYPAD] = DEVICE_KEYPAD,
};

/* The keys the keypad test asks for: every key the keypad has. */
#define KEYPAD_ALL_KEYS (((1u << KEYPAD_KEY_COUNT) - 1u) & ~1u)

static struct {
    const kiosk_app *app; /* the app the state belongs to (tests make several) */
    bool running;
    app_selftest_kind kind;
    char actor[64];
    app_selftest_done done;
    void *context;
    uint64_t deadline_ms;
    uint64_t job; /* the receipt test page's job id */
    unsigned keys_seen;
    app_selftest_result last[APP_SELFTEST_COUNT];
    bool have_last[APP_SELFTEST_COUNT];
} selftest;

const char *app_selftest_name(app_selftest_kind kind)
{
    return (unsigned)kind < APP_SELFTEST_COUNT ? names[kind] : "?";
}

bool app_selftest_parse(const char *name, app_selftest_kind *out)
{
    for (int i = 0; i < APP_SELFTEST_COUNT; i++)
        if (name && strcmp(name, names[i]) == 0) {
            *out = (app_selftest_kind)i;
            return true;
        }
    return false;
}

static void adopt(const kiosk_app *app)
{
    if (selftest.app != app) {
        memset(&selftest, 0, sizeof selftest);
        selftest.app = app;
    }
}

/* key's text in the app's language, or NULL when the table has none. */
static const char *text_or_null(kiosk_app *app, const char *key)
{
    return ui_strings_lookup(app_strings(app), app_language(app), key);
}

static const char *text(kiosk_app *app, const char *key)
{
    return ui_strings_get(app_strings(app), app_language(app), key);
}

/* key's text with {name} filled from one value (or none). */
static void fill(kiosk_app *app, const char *key, const char *name, const char *value, char *out,
                 size_t size)
{
    const char *names_[] = {name};
    const char *values[] = {value};
    ui_strings_fill(text(app, key), names_, values, name ? 1 : 0, out, size);
}

/* The device's own words for reason, and what staff should do about it:
 * "device.<prefix><reason>" and its ".staff" line; the bare reason when
 * the table has none. */
static void device_words(kiosk_app *app, const char *prefix, const char *reason,
                         app_selftest_result *result)
{
    char key[96];
    snprintf(key, sizeof key, "device.%s%s", prefix, reason);
    const char *seen = text_or_null(app, key);
    snprintf(result->detail, sizeof result->detail, "%s", seen ? seen : reason);
    snprintf(key, sizeof key, "device.%s%s.staff", prefix, reason);
    const char *remedy = text_or_null(app, key);
    snprintf(result->remedy, sizeof result->remedy, "%s",
             remedy ? remedy : text(app, "selftest.remedy.vendor"));
}

static void audit(kiosk_app *app, const char *actor, const app_selftest_result *result)
{
    static const char *const outcomes[] = {"running", "passed", "failed", "absent"};
    char detail[260];
    snprintf(detail, sizeof detail, "%s: %s", outcomes[result->outcome], result->detail);
    struct kiosk_platform *platform = app_platform_core(app);
    if (actor && actor[0]) {
        if (!platform || platform_audit(platform, actor, "selftest",
                                        app_selftest_name(result->kind), detail) != KIOSK_OK)
            LOG_WARN(SELFTEST_LOG, "not audited: %s by %s", app_selftest_name(result->kind), actor);
    } else
        app_audit(app, "selftest", app_selftest_name(result->kind), detail);
}

/* The test ends with result: kept as the last of its kind, audited, and
 * told to whoever started it. */
static void finish(kiosk_app *app, app_selftest_result *result)
{
    result->kind = selftest.kind;
    selftest.last[result->kind] = *result;
    selftest.have_last[result->kind] = true;
    app_selftest_done done = selftest.done;
    void *context = selftest.context;
    char actor[sizeof selftest.actor];
    snprintf(actor, sizeof actor, "%s", selftest.actor);
    selftest.running = false;
    selftest.done = NULL;
    selftest.context = NULL;
    LOG_INFO(SELFTEST_LOG, "%s: %s: %s", app_selftest_name(result->kind),
             result->outcome == APP_SELFTEST_PASSED   ? "passed"
             : result->outcome == APP_SELFTEST_ABSENT ? "absent"
                                                      : "failed",
             result->detail);
    audit(app, actor, result);
    if (done)
        done(result, context);
}

static void fail_with(kiosk_app *app, const char *detail, const char *remedy_key)
{
    app_selftest_result result = {.outcome = APP_SELFTEST_FAILED};
    snprintf(result.detail, sizeof result.detail, "%s", detail);
    snprintf(result.remedy, sizeof result.remedy, "%s", text(app, remedy_key));
    finish(app, &result);
}

static void pass_with(kiosk_app *app, const char *detail)
{
    app_selftest_result result = {.outcome = APP_SELFTEST_PASSED};
    snprintf(result.detail, sizeof result.detail, "%s", detail);
    finish(app, &result);
}

static bool board_has(kiosk_app *app, device_kind kind)
{
    if (kind == DEVICE_KIND_COUNT)
        return true;
    for (size_t i = 0; i < app_board(app)->device_count; i++)
        if (app_board(app)->devices[i].kind == kind)
            return true;
    return false;
}

/* A device the board has but that is not there or not working now: the
 * test fails at once with the device's reason. */
static bool device_unusable(kiosk_app *app, device_kind kind, const char *prefix)
{
    const device_status *status = app_device(app, kind);
    bool unusable = status->state == DEVICE_NO_DEVICE || status->state == DEVICE_OFFLINE ||
                    status->state == DEVICE_HARDWARE_ERROR || status->supply == DEVICE_SUPPLY_OUT;
    if (!unusable)
        return false;
    app_selftest_result result = {.outcome = APP_SELFTEST_FAILED};
    device_words(app, prefix, status->reason[0] ? status->reason : "not-found", &result);
    finish(app, &result);
    return true;
}

/* ---- the receipt printer -------------------------------------------------- */

static void start_printer(kiosk_app *app)
{
    if (device_unusable(app, DEVICE_PRINTER, "printer."))
        return;
    static receipt page;
    receipt_init(&page, 80);
    receipt_text(&page, RECEIPT_ALIGN_CENTER, 2, true, text(app, "selftest.printer.page_title"));
    receipt_rule(&page);
    char line[160];
    snprintf(line, sizeof line, "%s %s", text(app, "technician.terminal"),
             app_board(app)->platform_tls.terminal_id[0] ? app_board(app)->platform_tls.terminal_id
                                                         : "-");
    receipt_text(&page, RECEIPT_ALIGN_LEFT, 1, false, line);
    snprintf(line, sizeof line, "%s %s", text(app, "technician.board"), app_board(app)->name);
    receipt_text(&page, RECEIPT_ALIGN_LEFT, 1, false, line);
    receipt_text(&page, RECEIPT_ALIGN_LEFT, 1, false, "0123456789 ABCDEFGHIJ abcdefghij");
    receipt_text(&page, RECEIPT_ALIGN_LEFT, 1, false, "政务服务 自助终端 打印自检 一二三四五");
    receipt_qr(&page, RECEIPT_ALIGN_CENTER, 4, "KIOSK-SELFTEST");
    receipt_feed(&page, 2);
    receipt_cut(&page);
    /* Job ids far from the citizens' receipts' (app_print.c counts from 1). */
    selftest.job = (1ull << 62) + (uint64_t)app_now_ms(app);
    kiosk_error submitted =
        printer_submit(app_devices_manager(app, DEVICE_PRINTER), selftest.job, &page);
    if (submitted != KIOSK_OK) {
        app_selftest_result result = {.outcome = APP_SELFTEST_FAILED};
        device_words(app, "printer.", submitted == KIOSK_ERR_BUSY ? "printing" : "not-found",
                     &result);
        finish(app, &result);
    }
}

static void printer_done(kiosk_app *app, const printer_result *printed)
{
    if (printed->job_id != selftest.job)
        return;
    if (printed->ok) {
        char detail[200], bytes[32];
        snprintf(bytes, sizeof bytes, "%zu", printed->bytes_sent);
        fill(app, "selftest.printer.printed", "bytes", bytes, detail, sizeof detail);
        pass_with(app, detail);
        return;
    }
    app_selftest_result result = {.outcome = APP_SELFTEST_FAILED};
    device_words(app, "printer.", printed->reason, &result);
    finish(app, &result);
}

/* ---- the A4 printer ------------------------------------------------------- */

/* A one-page A4 PDF saying what it is, written out with its cross-reference
 * table (the byte offsets of its objects). */
static size_t a4_test_pdf(char *out, size_t size)
{
    static const char *const objects[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        NULL, /* the content stream, below */
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    };
    static const char content[] = "BT /F1 28 Tf 72 760 Td (KIOSK A4 SELF-TEST) Tj ET\n"
                                  "0 0 0 RG 2 w 36 36 523 770 re S\n"
                                  "BT /F1 12 Tf 72 720 Td (If this page is clean and square, "
                                  "the A4 printer works.) Tj ET\n";
    size_t used = (size_t)snprintf(out, size, "%%PDF-1.4\n");
    size_t offsets[5];
    for (int i = 0; i < 5 && used < size; i++) {
        offsets[i] = used;
        if (objects[i])
            used += (size_t)snprintf(out + used, size - used, "%d 0 obj\n%s\nendobj\n", i + 1,
                                     objects[i]);
        else
            used += (size_t)snprintf(out + used, size - used,
                                     "%d 0 obj\n<< /Length %zu >>\nstream\n%sendstream\nendobj\n",
                                     i + 1, strlen(content), content);
    }
    size_t xref = used;
    if (used < size)
        used += (size_t)snprintf(out + used, size - used, "xref\n0 6\n0000000000 65535 f \n");
    for (int i = 0; i < 5 && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%010zu 00000 n \n", offsets[i]);
    if (used < size)
        used +=
            (size_t)snprintf(out + used, size - used,
                             "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
    return used < size ? used : 0;
}

/* app_a4.c's reasons are whole "device.a4-printer.<reason>" keys. */
static const char *without_prefix(const char *key)
{
    if (!key || !key[0])
        return "a4-printer.not-found";
    return strncmp(key, "device.", 7) == 0 ? key + 7 : key;
}

static void start_a4(kiosk_app *app)
{
    const char *reason = NULL;
    if (!app_a4_ready(app, &reason)) {
        app_selftest_result result = {.outcome = APP_SELFTEST_FAILED};
        device_words(app, "", without_prefix(reason), &result);
        finish(app, &result);
        return;
    }
    char pdf[2048];
    size_t length = a4_test_pdf(pdf, sizeof pdf);
    kiosk_error sent =
        length ? app_a4_print(app, pdf, length, "kiosk self-test") : KIOSK_ERR_TOO_BIG;
    if (sent != KIOSK_OK) {
        app_selftest_result result = {.outcome = APP_SELFTEST_FAILED};
        device_words(app, "", sent == KIOSK_ERR_BUSY ? "a4-printer.busy" : "a4-printer.not-found",
                     &result);
        finish(app, &result);
    }
}

static void a4_news(kiosk_app *app)
{
    const app_a4_outcome *outcome = app_a4_last(app);
    if (!outcome->done)
        return;
    if (outcome->printed) {
        char detail[200], pages[16];
        snprintf(pages, sizeof pages, "%d", outcome->pages);
        fill(app, "selftest.a4.printed", "pages", pages, detail, sizeof detail);
        pass_with(app, detail);
        return;
    }
    app_selftest_result result = {.outcome = APP_SELFTEST_FAILED};
    device_words(app, "", without_prefix(outcome->reason), &result);
    finish(app, &result);
}

/* ---- the card reader, the scanner, the keypad ----------------------------- */

static void card_read(kiosk_app *app, const idcard_record *card)
{
    char masked[64];
    log_mask_personal(card->id_number, masked, sizeof masked);
    char detail[200];
    /* A 2017 permit's 15 characters have no check character to verify. */
    bool checkable = strlen(card->id_number) == ID_NUMBER_LENGTH;
    if (!checkable || id_number_check(card->id_number) == ID_NUMBER_OK) {
        fill(app, checkable ? "selftest.card.read" : "selftest.card.read_unchecked", "number",
             masked, detail, sizeof detail);
        pass_with(app, detail);
    } else {
        fill(app, "selftest.card.bad_check", "number", masked, detail, sizeof detail);
        fail_with(app, detail, "selftest.card.bad_check.remedy");
    }
    /* The card was read for the test: it starts nobody's visit. */
    app_devices_card_left(app);
}

static void scanned(kiosk_app *app, const scan_event *scan)
{
    char detail[200], length[16];
    snprintf(length, sizeof length, "%zu", scan->length);
    const char *names_[] = {"symbology", "length"};
    const char *values[] = {scan->symbology, length};
    ui_strings_fill(text(app, "selftest.scanner.read"), names_, values, 2, detail, sizeof detail);
    pass_with(app, detail);
}

static unsigned keys_missing(void)
{
    return (unsigned)__builtin_popcount(KEYPAD_ALL_KEYS & ~selftest.keys_seen);
}

static void key_pressed(kiosk_app *app, keypad_key key)
{
    if (key <= KEYPAD_KEY_NONE || key >= KEYPAD_KEY_COUNT)
        return;
    selftest.keys_seen |= 1u << key;
    app_show_again(app);
    if (keys_missing() == 0) {
        char detail[200], count[16];
        snprintf(count, sizeof count, "%d", KEYPAD_KEY_COUNT - 1);
        fill(app, "selftest.keypad.done", "count", count, detail, sizeof detail);
        pass_with(app, detail);
    }
}

bool app_selftest_key_seen(const kiosk_app *app, int key)
{
    return selftest.app == app && key > KEYPAD_KEY_NONE && key < KEYPAD_KEY_COUNT &&
           (selftest.keys_seen & (1u << key));
}

bool app_selftest_delivery(kiosk_app *app, const device_delivery *delivery)
{
    if (selftest.app != app || !selftest.running)
        return false;
    switch (selftest.kind) {
    case APP_SELFTEST_CARD:
        if (delivery->kind != DEVICE_ID_READER)
            return false;
        card_read(app, delivery->payload);
        return true;
    case APP_SELFTEST_PRINTER:
        if (delivery->kind != DEVICE_PRINTER)
            return false;
        printer_done(app, delivery->payload);
        return true;
    case APP_SELFTEST_A4:
        if (delivery->kind != DEVICE_A4_PRINTER)
            return false;
        app_a4_event(app, delivery->payload);
        a4_news(app);
        return true;
    case APP_SELFTEST_SCANNER:
        if (delivery->kind != DEVICE_SCANNER)
            return false;
        scanned(app, delivery->payload);
        return true;
    case APP_SELFTEST_KEYPAD:
        if (delivery->kind != DEVICE_KEYPAD)
            return false;
        key_pressed(app, ((const keypad_event *)delivery->payload)->key);
        return true;
    default:
        return false;
    }
}

/* ---- speech, the screen and touch ----------------------------------------- */

static void start_speaker(kiosk_app *app)
{
    if (!app_speech_voice(app)[0]) {
        fail_with(app, text(app, "selftest.speaker.silent"), "selftest.speaker.silent.remedy");
        return;
    }
    if (!app_speech_say_now(app, text(app, "selftest.speaker.sentence"))) {
        fail_with(app, text(app, "selftest.speaker.refused"), "selftest.speaker.silent.remedy");
        return;
    }
    /* Whether it was heard only the technician can tell: the result says
     * what to listen for. */
    app_selftest_result result = {.outcome = APP_SELFTEST_PASSED};
    snprintf(result.detail, sizeof result.detail, "%s", text(app, "selftest.speaker.said"));
    snprintf(result.remedy, sizeof result.remedy, "%s", text(app, "selftest.speaker.not_heard"));
    finish(app, &result);
}

void app_selftest_judged(kiosk_app *app, bool seen_right)
{
    if (selftest.app != app || !selftest.running ||
        (selftest.kind != APP_SELFTEST_SCREEN && selftest.kind != APP_SELFTEST_TOUCH))
        return;
    bool screen = selftest.kind == APP_SELFTEST_SCREEN;
    if (seen_right)
        pass_with(app, text(app, screen ? "selftest.screen.right" : "selftest.touch.right"));
    else
        fail_with(app, text(app, screen ? "selftest.screen.wrong" : "selftest.touch.wrong"),
                  screen ? "selftest.screen.remedy" : "selftest.touch.remedy");
}

void app_selftest_touch_measured(kiosk_app *app, int dx, int dy, int worst_px)
{
    /* Measured through the calibration in use: what is left is added to it. */
    bool kept = app_input_calibration_measured(app, dx, dy);
    if (selftest.app != app || !selftest.running || selftest.kind != APP_SELFTEST_TOUCH)
        return;
    char detail[200], offset[48], worst[16];
    snprintf(offset, sizeof offset, "%+d, %+d", dx, dy);
    snprintf(worst, sizeof worst, "%d", worst_px);
    const char *names_[] = {"offset", "worst"};
    const char *values[] = {offset, worst};
    ui_strings_fill(text(app, kept ? "selftest.touch.measured" : "selftest.touch.measured_unkept"),
                    names_, values, 2, detail, sizeof detail);
    if (worst_px <= APP_SELFTEST_TOUCH_TOLERANCE_PX)
        pass_with(app, detail);
    else
        fail_with(app, detail, "selftest.touch.remedy");
}

/* ---- running ------------------------------------------------------------- */

kiosk_error app_selftest_start(kiosk_app *app, app_selftest_kind kind, const char *actor,
                               app_selftest_done done, void *context)
{
    adopt(app);
    if ((unsigned)kind >= APP_SELFTEST_COUNT || !done)
        return KIOSK_ERR_INVALID_ARGUMENT;
    if (selftest.running)
        return KIOSK_ERR_BUSY;
    selftest.running = true;
    selftest.kind = kind;
    selftest.done = done;
    selftest.context = context;
    selftest.keys_seen = 0;
    snprintf(selftest.actor, sizeof selftest.actor, "%s", actor ? actor : "");
    selftest.deadline_ms = app_now_ms(app) + wait_ms[kind];
    selftest.last[kind] = (app_selftest_result){.kind = kind, .outcome = APP_SELFTEST_RUNNING};
    selftest.have_last[kind] = true;
    LOG_INFO(SELFTEST_LOG, "%s: started", app_selftest_name(kind));
    if (!board_has(app, device_of[kind])) {
        app_selftest_result result = {.outcome = APP_SELFTEST_ABSENT};
        snprintf(result.detail, sizeof result.detail, "%s", text(app, "selftest.absent"));
        finish(app, &result);
        return KIOSK_OK;
    }
    switch (kind) {
    case APP_SELFTEST_CARD:
        device_unusable(app, DEVICE_ID_READER, "");
        break;
    case APP_SELFTEST_SCANNER:
        device_unusable(app, DEVICE_SCANNER, "scanner.");
        break;
    case APP_SELFTEST_KEYPAD: /* app_keypad.c keeps no status to ask: keys tell */
        break;
    case APP_SELFTEST_PRINTER:
        start_printer(app);
        break;
    case APP_SELFTEST_A4:
        start_a4(app);
        break;
    case APP_SELFTEST_SPEAKER:
        start_speaker(app);
        break;
    case APP_SELFTEST_SCREEN:
    case APP_SELFTEST_TOUCH:
    default:
        /* The technician looks (or touches) and says: app_selftest_judged. */
        break;
    }
    return KIOSK_OK;
}

bool app_selftest_running(const kiosk_app *app, app_selftest_kind *kind)
{
    if (selftest.app != app || !selftest.running)
        return false;
    if (kind)
        *kind = selftest.kind;
    return true;
}

bool app_selftest_last(const kiosk_app *app, app_selftest_kind kind, app_selftest_result *out)
{
    if (selftest.app != app || (unsigned)kind >= APP_SELFTEST_COUNT || !selftest.have_last[kind])
        return false;
    *out = selftest.last[kind];
    return true;
}

void app_selftest_cancel(kiosk_app *app)
{
    if (selftest.app != app || !selftest.running)
        return;
    fail_with(app, text(app, "selftest.cancelled"), "selftest.remedy.again");
}

long long app_selftest_next_ms(const kiosk_app *app)
{
    if (selftest.app != app || !selftest.running || !wait_ms[selftest.kind])
        return -1;
    uint64_t now = app_now_ms(app);
    return selftest.deadline_ms > now ? (long long)(selftest.deadline_ms - now) : 0;
}

void app_selftest_tick(kiosk_app *app)
{
    if (app_selftest_next_ms(app) != 0)
        return;
    static const char *const remedies[APP_SELFTEST_COUNT] = {
        [APP_SELFTEST_CARD] = "selftest.card.timeout.remedy",
        [APP_SELFTEST_PRINTER] = "selftest.printer.timeout.remedy",
        [APP_SELFTEST_A4] = "selftest.printer.timeout.remedy",
        [APP_SELFTEST_SCANNER] = "selftest.scanner.timeout.remedy",
        [APP_SELFTEST_KEYPAD] = "selftest.keypad.remedy",
        [APP_SELFTEST_TOUCH] = "selftest.remedy.again",
        [APP_SELFTEST_SCREEN] = "selftest.remedy.again",
        [APP_SELFTEST_SPEAKER] = "selftest.remedy.again",
    };
    char detail[200], seconds[24];
    if (selftest.kind == APP_SELFTEST_KEYPAD && selftest.keys_seen) {
        snprintf(seconds, sizeof seconds, "%u", keys_missing());
        fill(app, "selftest.keypad.missing", "count", seconds, detail, sizeof detail);
    } else {
        snprintf(seconds, sizeof seconds, "%llu",
                 (unsigned long long)(wait_ms[selftest.kind] / 1000));
        fill(app, "selftest.timeout", "seconds", seconds, detail, sizeof detail);
    }
    fail_with(app, detail, remedies[selftest.kind]);
}
