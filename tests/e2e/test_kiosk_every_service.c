/* Every service of the sample catalog, walked from its tile to its end as a
 * citizen walks it: the real kiosk binary, the platform stand-in, and a real
 * IPP printer (ippeveprinter) for A4. The services are read from
 * assets/catalog/sample.json when the test runs, so a service added there
 * without a journey here fails the test. Every screen is written to
 * build/test-output/every-service/<service>-NN-<screen>.png; every QR code
 * on a screen (the result, the receipt as the print step shows it, a
 * certificate's preview) and on every printed A4 page (pdftoppm) is read by
 * zbarimg, as a phone would, and must be an https address that the
 * stand-in answers with 200 to anyone (no client certificate). A line per
 * service says what was seen. The journeys told in depth elsewhere
 * (test_kiosk_services, test_kiosk_certificates, test_kiosk_progress_qr)
 * are walked here by their shortest complete path.
 *
 * The same journeys are then walked by an app in this process, against the
 * same stand-in and printer, through the same control commands (handed to
 * the app's own command handler instead of its socket), and every screen
 * they show is put through the accessibility audit (tests/support/
 * a11y_audit.h) with its real widgets: in the standard theme on a portrait
 * and a landscape board, and in elder mode on the smallest. On the binary's
 * board and theme the screens met must be the binary's, one for one; a
 * screen that fails the audit fails the test (its frame in
 * build/test-output/audit-*.png; with KIOSK_AUDIT_SHOTS set, every audited
 * screen in build/test-output/every-service/<board>-<theme>-<service>-NN-
 * <screen>.png). A screen met again, widget for widget and pixel
 * for pixel, is not audited twice.
 * Why in-process: the audit reads widgets, text styles and the keypad's
 * focus, which the binary does not show from outside (tests/README.md). */
#include "../support/a11y_audit.h"
#include "../support/ipp_printer.h"
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include "firmware/app/app_control.h"

#include <cjson/cJSON.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char shots[1100];

/* What a citizen could not do, gathered over the whole walk so that every
 * service is still walked and summed up; the test fails at the end with
 * all of it. */
static char findings[8192];

static void found(const char *format, ...) __attribute__((format(printf, 1, 2)));
static void found(const char *format, ...)
{
    size_t used = strlen(findings);
    if (used + 2 >= sizeof findings)
        return;
    findings[used++] = '\n';
    findings[used] = '\0';
    va_list args;
    va_start(args, format);
    vsnprintf(findings + used, sizeof findings - used, format, args);
    va_end(args);
}

/* What one service's walk saw. */
typedef struct walk {
    const char *service;
    int screens;
    int pages;        /* printed: A4 pages at the printer, receipts out */
    int qr_read;      /* QR codes zbarimg read, on screens and pages */
    int qr_answered;  /* ... whose address answered 200 */
    size_t documents; /* A4 documents at the printer before the walk */
    char seen[1024];  /* the screens' names in order, for the comparison */
    int audited;      /* screens the accessibility audit passed ... */
    int failed;       /* ... and failed */
    int repeated;     /* screens shown as audited before: not again */
} walk;

/* Who walks: the kiosk binary, through its control socket (app NULL), or
 * an app in this process, through the same commands handed to its own
 * handler, each screen audited. */
typedef struct rig {
    ipp_printer *printer;
    kiosk_proc k;
    kiosk_app *app;
    const char *board; /* the profile's name */
    int theme;         /* a ui_theme_id */
    int replies[2];    /* app: the handler answers on [0], read on [1] */
    sem_t answered;
    uint64_t started_ms; /* app: real time when it started, for its clock */
    char *tree;          /* app: the last tree read */
    uint64_t met[512];   /* app: the screens audited, by their widgets and pixels */
    int met_count;
} rig;

static uint64_t real_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000;
}

/* The app in this process does what the binary's main loop does: handles
 * what came, fires its timers on a clock that runs as real time does. */
static void pump(rig *r)
{
    test_monotonic_now_ms = 1000 + real_ms() - r->started_ms;
    app_process_pending(r->app);
}

/* Lets ms pass: for the app in this process, running it meanwhile. */
static void pause_ms(rig *r, int ms)
{
    if (!r->app) {
        usleep((useconds_t)ms * 1000);
        return;
    }
    uint64_t until = real_ms() + (uint64_t)ms;
    do {
        pump(r);
        usleep(5 * 1000);
    } while (real_ms() < until);
}

/* One control command and its reply line (a static buffer). */
static const char *ask(rig *r, const char *command)
{
    if (!r->app)
        return kiosk_ask(&r->k, command);
    static char reply[1 << 16];
    control_command c = {.client = r->replies[0], .answered = &r->answered};
    snprintf(c.line, sizeof c.line, "%s", command);
    pump(r);
    app_control_command(r->app, &c);
    /* A wait is answered by the loop, when its screen shows or time is up. */
    uint64_t give_up = real_ms() + 30000;
    while (sem_trywait(&r->answered) != 0) {
        if (real_ms() > give_up)
            fail_msg("the app did not answer \"%s\" within 30 s", command);
        usleep(2 * 1000);
        pump(r);
    }
    /* The whole line was written before the answer was given. */
    size_t used = 0;
    while (used + 1 < sizeof reply) {
        ssize_t got = read(r->replies[1], reply + used, sizeof reply - 1 - used);
        if (got <= 0)
            break;
        used += (size_t)got;
        if (reply[used - 1] == '\n') {
            used--;
            break;
        }
    }
    reply[used] = '\0';
    return reply;
}

static void expect(rig *r, const char *command, const char *answer)
{
    const char *got = ask(r, command);
    if (strcmp(got, answer) != 0)
        fail_msg("\"%s\" answered \"%s\", not \"%s\" (%s, theme %d)", command, got, answer,
                 r->board, r->theme);
}

/* What is on the screen: its widget tree, a copy that stays until the next. */
static const char *tree(rig *r)
{
    if (!r->app)
        return kiosk_tree(&r->k);
    free(r->tree);
    r->tree = strdup(ask(r, "tree"));
    assert_non_null(r->tree);
    return r->tree;
}

static bool shows(rig *r, const char *what, int tries)
{
    for (int i = 0; i < tries; i++) {
        if (strstr(tree(r), what))
            return true;
        pause_ms(r, 50);
    }
    return false;
}

/* The card laid on the simulated reader (or a code shown), and the screen
 * it leads to. */
static void identify(rig *r, const char *key, const char *screen)
{
    char command[64], answer[64];
    snprintf(command, sizeof command, "key %s", key);
    ask(r, command);
    snprintf(command, sizeof command, "wait %s 8000", screen);
    snprintf(answer, sizeof answer, "ok %s", screen);
    expect(r, command, answer);
}

/* Every QR code zbarimg reads in the PNG: each an https address that a
 * phone opens, with no certificate of its own, and is answered 200. where
 * says what the picture is, for the message. */
static void check_codes(walk *w, const char *png, const char *where)
{
    static char out[8192];
    char err[1024];
    const char *argv[] = {"/usr/bin/zbarimg", "-q", "--raw", png, NULL};
    int status = test_run(argv, err, sizeof err, out, sizeof out);
    /* zbarimg exits 4 when it finds no code at all. */
    if (status != 0 && status != 4)
        fail_msg("zbarimg on %s failed (%d): %s", png, status, err);
    if (status == 4)
        return;
    char *save = NULL;
    for (char *line = strtok_r(out, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
        w->qr_read++;
        if (strncmp(line, "https://", 8) != 0) {
            found("%s: the QR code on %s says \"%s\", not an https address", w->service, where,
                  line);
            continue;
        }
        char *body = NULL;
        long answered = platform_public_get(line, &body);
        if (answered == 200)
            w->qr_answered++;
        else
            found("%s: the QR code on %s (%s) opens to %ld (0: no answer at all)", w->service,
                  where, line, answered);
        free(body);
    }
}

static const char *theme_name(int theme)
{
    return theme == UI_THEME_ELDER ? "elder" : theme == UI_THEME_STANDARD ? "standard" : "other";
}

static uint64_t fnv1a(uint64_t hash, const void *bytes, size_t size)
{
    for (size_t i = 0; i < size; i++)
        hash = (hash ^ ((const unsigned char *)bytes)[i]) * 0x100000001b3ULL;
    return hash;
}

/* Whether this screen, widget for widget and pixel for pixel, was audited
 * before on this board and theme (home, the rating, the card step come
 * back in every journey): the audit would find the same again. */
static bool already_audited(rig *r)
{
    const char *widgets = strstr(tree(r), "\"widgets\":");
    assert_non_null(widgets);
    uint64_t hash = fnv1a(0xcbf29ce484222325ULL, widgets, strlen(widgets));
    SDL_Surface *frame = NULL;
    assert_int_equal(app_capture(r->app, &frame), KIOSK_OK);
    for (int y = 0; y < frame->h; y++)
        hash = fnv1a(hash, (const Uint8 *)frame->pixels + y * frame->pitch,
                     (size_t)frame->w * frame->format->BytesPerPixel);
    SDL_FreeSurface(frame);
    for (int i = 0; i < r->met_count; i++) {
        if (r->met[i] == hash)
            return true;
    }
    if (r->met_count < (int)(sizeof r->met / sizeof r->met[0]))
        r->met[r->met_count++] = hash;
    return false;
}

/* The screen now: by the binary, written to PNG under its name and its
 * codes checked; in this process, put through the accessibility audit. */
static void shoot(rig *r, walk *w)
{
    char screen[64];
    const char *named = ask(r, "screen");
    if (strncmp(named, "ok ", 3) != 0)
        fail_msg("%s: no screen: %s", w->service, named);
    snprintf(screen, sizeof screen, "%s", named + 3);
    ++w->screens;
    snprintf(w->seen + strlen(w->seen), sizeof w->seen - strlen(w->seen), " %s", screen);
    if (r->app && already_audited(r)) {
        w->repeated++;
        return;
    }
    if (r->app) {
        char label[128], problem[256];
        snprintf(label, sizeof label, "%s %02d %s", w->service, w->screens, screen);
        if (getenv("KIOSK_AUDIT_SHOTS")) {
            /* Every audited screen to look at, by its walk's name. */
            char path[1300], command[1400];
            snprintf(path, sizeof path, "%s/%s-%s-%s-%02d-%s.png", shots, r->board,
                     theme_name(r->theme), w->service, w->screens, screen);
            snprintf(command, sizeof command, "screenshot %s", path);
            if (strncmp(ask(r, command), "ok", 2) != 0)
                fail_msg("%s: cannot be written", path);
        }
        if (a11y_audit_screen(r->app, r->board, label, problem, sizeof problem)) {
            w->audited++;
        } else {
            w->failed++;
            found("%s (%s, %s): screen %d (%s) fails the accessibility audit: %s", w->service,
                  r->board, theme_name(r->theme), w->screens, screen, problem);
        }
        return;
    }
    char path[1300], command[1400];
    snprintf(path, sizeof path, "%s/%s-%02d-%s.png", shots, w->service, w->screens, screen);
    snprintf(command, sizeof command, "screenshot %s", path);
    const char *answer = ask(r, command);
    if (strncmp(answer, "ok", 2) != 0)
        fail_msg("%s: %s", command, answer);
    char where[128];
    snprintf(where, sizeof where, "screen %d (%s)", w->screens, screen);
    check_codes(w, path, where);
}

/* A tap that leads to screen, then its picture. */
static void go(rig *r, walk *w, const char *tap, const char *screen)
{
    char command[128], answer[64];
    snprintf(command, sizeof command, "tap %s", tap);
    snprintf(answer, sizeof answer, "ok %s", screen);
    expect(r, command, answer);
    shoot(r, w);
}

static void wait_for(rig *r, walk *w, const char *what)
{
    if (!shows(r, what, 300))
        fail_msg("%s (%s, %s): \"%s\" never showed; the screen: %.1500s", w->service, r->board,
                 theme_name(r->theme), what, tree(r));
}

/* From the attract screen: 开始办理 (home), the tile (its first screen). */
static void open_tile(rig *r, walk *w, const char *first_screen)
{
    go(r, w, "attract.start", "home");
    char tile[96], shown[128];
    snprintf(tile, sizeof tile, "tile.%s", w->service);
    snprintf(shown, sizeof shown, "\"id\":\"%s\"", tile);
    /* Where the tiles take more than a page (elder mode), paged on to it. */
    for (int page = 1; page < 10 && !strstr(tree(r), shown); page++)
        go(r, w, "home.next", "home");
    go(r, w, tile, first_screen);
}

/* The card laid on the simulated reader, and the screen it leads to. */
static void lay_card(rig *r, walk *w, const char *key, const char *screen)
{
    identify(r, key, screen);
    shoot(r, w);
}

/* Rated (five stars) and thanked, then the visit ended; the card taken
 * back when the kiosk asks for it. */
static void rate_and_leave(rig *r, walk *w)
{
    go(r, w, "rate.choice.0", "rate");
    wait_for(r, w, "感谢您的评价");
    go(r, w, "notice.done", "finished");
    char reply[256];
    snprintf(reply, sizeof reply, "%s", ask(r, "tap finished.end"));
    if (strstr(reply, "take-card")) {
        shoot(r, w);
        /* The citizen takes it: the reader (it polls) sees it gone. */
        ask(r, "key 0");
    } else if (strcmp(reply, "ok attract") != 0) {
        fail_msg("%s: the visit did not end: %s", w->service, reply);
    }
    expect(r, "wait attract 5000", "ok attract");
}

/* From the result: 打印回执, the receipt out (the print step shows it as
 * printed: its code read there, the receipt scrolled to its end as a
 * citizen scrolls a long one), then on to the rating. A receipt (not a
 * queue ticket) carries the application's progress code. */
static void print_receipt(rig *r, walk *w, bool with_code)
{
    go(r, w, "result.print", "print");
    wait_for(r, w, "print.done");
    int codes_before = w->qr_read;
    shoot(r, w);
    bool scrolled = false;
    if (with_code && strstr(tree(r), "\"id\":\"print.preview\"")) {
        /* Its end (the code) cut off at the bottom: the finger pushes the
         * receipt up. */
        char *before = strdup(tree(r));
        expect(r, "drag print.preview 500,950 500,500 500,50", "ok print");
        expect(r, "drag print.preview 500,950 500,500 500,50", "ok print");
        scrolled = strcmp(before, tree(r)) != 0;
        free(before);
        shoot(r, w);
    }
    if (with_code && w->qr_read == codes_before && !r->app)
        found("%s: the receipt's QR code does not read on the print screen (cut off at the "
              "bottom of print.preview%s)",
              w->service,
              scrolled ? ", even scrolled"
                       : "; a finger dragged up on the receipt does not scroll it");
    w->pages++;
    go(r, w, "print.done", "rate");
}

/* The A4 documents the printer received during this walk: every page
 * rendered and read; each document carries at least one code. */
static void read_printed(rig *r, walk *w, size_t expected)
{
    char paths[32][IPP_PRINTER_PATH_MAX];
    size_t n = 0;
    for (int i = 0;
         i < 200 && (n = ipp_printer_documents(r->printer, paths, 32)) < w->documents + expected;
         i++)
        pause_ms(r, 50);
    if (n != w->documents + expected)
        fail_msg("%s: %zu document(s) reached the printer, not %zu", w->service, n - w->documents,
                 expected);
    if (r->app)
        return; /* read by the binary's walk */
    for (size_t d = w->documents; d < n; d++) {
        int pages = ipp_document_pages(paths[d]);
        if (pages < 1)
            fail_msg("%s: %s has no page", w->service, paths[d]);
        int codes_before = w->qr_read;
        for (int page = 1; page <= pages; page++) {
            char prefix[1200], number[16], png[1300], where[64];
            snprintf(prefix, sizeof prefix, "%s/%s-printed-%zu-page-%d", shots, w->service,
                     d - w->documents + 1, page);
            snprintf(number, sizeof number, "%d", page);
            const char *render[] = {
                "/usr/bin/pdftoppm", "-png",   "-r",   "150", "-f", number, "-l", number,
                "-singlefile",       paths[d], prefix, NULL};
            char err[1024];
            if (test_run(render, err, sizeof err, NULL, 0) != 0)
                fail_msg("pdftoppm on %s: %s", paths[d], err);
            snprintf(png, sizeof png, "%s.png", prefix);
            snprintf(where, sizeof where, "printed page %d", page);
            check_codes(w, png, where);
            w->pages++;
        }
        if (w->qr_read == codes_before)
            found("%s: the printed certificate carries no QR code that reads", w->service);
    }
}

/* The four certificates: the preview, 打印, "please take it", rated. */
static void certificate(rig *r, walk *w, const char *row)
{
    open_tile(r, w, "card");
    lay_card(r, w, "1", "document");
    if (row) {
        char id[64];
        snprintf(id, sizeof id, "\"id\":\"%s\"", row);
        wait_for(r, w, id);
        shoot(r, w);
        go(r, w, row, "document");
    }
    wait_for(r, w, "\"id\":\"document.page\"");
    wait_for(r, w, "\"text\":\"打印\"");
    shoot(r, w);
    go(r, w, "step.next", "document");
    wait_for(r, w, "请取走您的证明");
    shoot(r, w);
    go(r, w, "document.primary", "rate");
    read_printed(r, w, 1);
    rate_and_leave(r, w);
}

static void walk_social_insurance_certificate(rig *r, walk *w)
{
    certificate(r, w, NULL);
}

static void walk_tax_certificate(rig *r, walk *w)
{
    certificate(r, w, NULL);
}

static void walk_business_license_print(rig *r, walk *w)
{
    certificate(r, w, "document.row.1");
}

static void walk_e_licenses(rig *r, walk *w)
{
    certificate(r, w, "document.row.2");
}

/* An answer on screen: 公积金查询. */
static void walk_housing_fund_query(rig *r, walk *w)
{
    open_tile(r, w, "card");
    lay_card(r, w, "1", "answer");
    wait_for(r, w, "账户余额");
    shoot(r, w);
    go(r, w, "step.next", "rate");
    rate_and_leave(r, w);
}

/* Card, confirmation, 提交, the result with its progress code. */
static void confirm_and_submit(rig *r, walk *w, const char *key)
{
    open_tile(r, w, "card");
    lay_card(r, w, key, "confirm");
    ask(r, "tap step.next");
    expect(r, "wait result 8000", "ok result");
    wait_for(r, w, "办理成功");
    shoot(r, w);
}

static void walk_real_estate_query(rig *r, walk *w)
{
    confirm_and_submit(r, w, "1");
    go(r, w, "result.done", "rate");
    rate_and_leave(r, w);
}

static void walk_household_registration(rig *r, walk *w)
{
    confirm_and_submit(r, w, "1");
    go(r, w, "result.done", "rate");
    rate_and_leave(r, w);
}

static void walk_medical_insurance(rig *r, walk *w)
{
    confirm_and_submit(r, w, "1");
    go(r, w, "result.done", "rate");
    rate_and_leave(r, w);
}

static void walk_certificate_print(rig *r, walk *w)
{
    confirm_and_submit(r, w, "1");
    print_receipt(r, w, true);
    rate_and_leave(r, w);
}

/* On a form: a field's list and its choice-th entry. */
static void choose(rig *r, walk *w, int field, int choice)
{
    char tap[64];
    snprintf(tap, sizeof tap, "form.field.%d", field);
    go(r, w, tap, "field");
    snprintf(tap, sizeof tap, "edit.choice.%d", choice);
    go(r, w, tap, "form");
}

/* On a form: a field, its digits on the keypad, 下一步. */
static void type_digits(rig *r, walk *w, int field, const char *digits)
{
    char tap[64];
    snprintf(tap, sizeof tap, "form.field.%d", field);
    go(r, w, tap, "field");
    for (const char *d = digits; *d; d++) {
        snprintf(tap, sizeof tap, "tap keypad.%c", *d);
        expect(r, tap, "ok field");
    }
    shoot(r, w);
    go(r, w, "step.next", "form");
}

static void walk_appointment_ticket(rig *r, walk *w)
{
    open_tile(r, w, "card");
    lay_card(r, w, "2", "form");
    choose(r, w, 0, 1); /* 公积金, */
    choose(r, w, 1, 1); /* tomorrow morning: places whatever the hour now */
    type_digits(r, w, 2, "13912345678");
    go(r, w, "step.next", "confirm");
    ask(r, "tap step.next");
    expect(r, "wait result 8000", "ok result");
    wait_for(r, w, "排队号");
    shoot(r, w);
    print_receipt(r, w, false);
    rate_and_leave(r, w);
}

/* The number shown last (a result before this), shown to the scanner. */
static void walk_case_progress(rig *r, walk *w)
{
    open_tile(r, w, "scan");
    ask(r, "key s");
    expect(r, "wait lookup 8000", "ok lookup");
    wait_for(r, w, "已受理");
    shoot(r, w);
    go(r, w, "notice.done", "finished");
    expect(r, "tap finished.end", "ok attract");
}

static void walk_service_rating(rig *r, walk *w)
{
    open_tile(r, w, "rate");
    rate_and_leave(r, w);
}

/* 新生儿出生一件事: the form filled, the baby named on the keyboard's
 * letters, signed with a finger, materials chosen, the receipt printed. */
static void walk_newborn_bundle(rig *r, walk *w)
{
    open_tile(r, w, "card");
    lay_card(r, w, "1", "form");
    choose(r, w, 2, 1);
    choose(r, w, 3, 0);
    type_digits(r, w, 4, "20261120");
    type_digits(r, w, 5, "123456789");
    choose(r, w, 6, 0);
    type_digits(r, w, 7, "13812345678");
    go(r, w, "form.field.8", "type");
    expect(r, "tap type.mode.letters", "ok type");
    for (const char *letter = "lele"; *letter; letter++) {
        char tap[64];
        snprintf(tap, sizeof tap, "tap type.key.%c", *letter);
        expect(r, tap, "ok type");
    }
    shoot(r, w);
    go(r, w, "step.next", "form");
    go(r, w, "form.field.9", "sign");
    expect(r, "drag sign.pad 250,200 375,195 500,190 625,195 750,200", "ok sign");
    expect(r, "drag sign.pad 300,420 400,420 500,420 600,420 700,420", "ok sign");
    expect(r, "drag sign.pad 500,200 500,300 500,400 502,500 504,600 505,680", "ok sign");
    expect(r, "drag sign.pad 200,680 350,675 500,670 650,680 800,690", "ok sign");
    shoot(r, w);
    go(r, w, "step.next", "form");
    go(r, w, "step.next", "materials");
    expect(r, "tap materials.item.2", "ok materials");
    expect(r, "tap materials.item.3", "ok materials");
    shoot(r, w);
    go(r, w, "step.next", "confirm");
    ask(r, "tap step.next");
    expect(r, "wait result 8000", "ok result");
    wait_for(r, w, "办理成功");
    shoot(r, w);
    print_receipt(r, w, true);
    rate_and_leave(r, w);
}

typedef struct journey {
    const char *service;
    void (*walk)(rig *r, walk *w);
} journey;

static const journey journeys[] = {
    {"social-insurance-certificate", walk_social_insurance_certificate},
    {"housing-fund-query", walk_housing_fund_query},
    {"real-estate-query", walk_real_estate_query},
    {"certificate-print", walk_certificate_print},
    {"business-license-print", walk_business_license_print},
    {"appointment-ticket", walk_appointment_ticket},
    {"case-progress", walk_case_progress},
    {"service-rating", walk_service_rating},
    {"household-registration", walk_household_registration},
    {"medical-insurance", walk_medical_insurance},
    {"tax-certificate", walk_tax_certificate},
    {"e-licenses", walk_e_licenses},
    {"newborn-bundle", walk_newborn_bundle},
};

/* Shared by the tests: the stand-in serving the sample catalog with its
 * verification address on the stand-in's own port, a printer, and the
 * sample's services. */
static platform stand;
static ipp_printer *printer;
static cJSON *sample;
static const cJSON *services;
static int service_count;
/* The binary's walks, kept for the comparison with the app's. */
static walk *binary_walks;

static void stand_up(void)
{
    if (printer)
        return;
    char path[1100];
    snprintf(path, sizeof path, "%s/assets/catalog/sample.json", test_source_dir());
    sample = cJSON_Parse(test_read_file(path));
    assert_non_null(sample);
    services = cJSON_GetObjectItemCaseSensitive(sample, "services");
    assert_true(cJSON_IsArray(services));
    service_count = cJSON_GetArraySize(services);
    assert_true(service_count > 0);

    /* Every service has a journey before anything starts. */
    char missing[1024] = "";
    for (int i = 0; i < service_count; i++) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(services, i), "id");
        assert_true(cJSON_IsString(id));
        bool known = false;
        for (size_t j = 0; j < sizeof journeys / sizeof journeys[0]; j++)
            known = known || strcmp(journeys[j].service, id->valuestring) == 0;
        if (!known)
            snprintf(missing + strlen(missing), sizeof missing - strlen(missing), " %s",
                     id->valuestring);
    }
    if (missing[0])
        fail_msg("services in sample.json with no journey in this test:%s", missing);

    const char *catalog =
        changed_catalog("every-catalog", "\"every-1\"", "\"every-1\"", "\"every-1\"");
    start_platform_serving(&stand, NULL, catalog);
    char port[64];
    snprintf(port, sizeof port, "127.0.0.1:%d/v/", stand.port);
    char *text = strdup(test_replace(test_read_file(catalog), "127.0.0.1:8443/v/", port));
    assert_non_null(strstr(text, port));
    FILE *file = fopen(catalog, "w");
    assert_non_null(file);
    fputs(text, file);
    fclose(file);
    free(text);
    printer = ipp_printer_start("every-service");
}

/* On the attract screen, the link up and the stand-in's catalog fetched
 * (and adopted there) since catalogs_before. */
static void settle(rig *r, long catalogs_before)
{
    expect(r, "wait attract 8000", "ok attract");
    if (!shows(r, "平台已连接", 200))
        fail_msg("the link never came up: %.800s", tree(r));
    for (int i = 0; i < 100 && requests_of(&stand, "catalog") <= catalogs_before; i++)
        pause_ms(r, 50);
    assert_true(requests_of(&stand, "catalog") > catalogs_before);
    pause_ms(r, 500);
}

/* The binary on portrait-1080, pointed at the stand-in and the printer. */
static void binary_up(rig *r)
{
    memset(r, 0, sizeof *r);
    r->printer = printer;
    r->board = "portrait-1080";
    r->theme = UI_THEME_STANDARD;
    long catalogs = requests_of(&stand, "catalog");
    kiosk_board(&stand, &r->k);
    char *text = strdup(test_read_file(r->k.board));
    const char *with =
        test_replace(text, "ipp://127.0.0.1:8631/ipp/print", ipp_printer_uri(r->printer));
    assert_non_null(strstr(with, ipp_printer_uri(r->printer)));
    char dir[1100];
    snprintf(dir, sizeof dir, "%s", r->k.board);
    *strrchr(dir, '/') = '\0';
    test_write_file(dir, "board.json", with);
    free(text);
    kiosk_start(&r->k);
    settle(r, catalogs);
}

/* An app in this process on board (a profile's name) in theme, pointed at
 * the stand-in and the printer as the binary is. */
static void app_up(rig *r, const char *board, int theme)
{
    memset(r, 0, sizeof *r);
    r->printer = printer;
    r->board = board;
    r->theme = theme;
    long catalogs = requests_of(&stand, "catalog");
    char *text = strdup(test_read_file(ipp_printer_board(printer, board)));
    char url[4000];
    snprintf(url, sizeof url,
             "\"platform_url\": \"https://127.0.0.1:%d\", \"platform_tls\": {\"ca_file\": "
             "\"%s/platform-ca.crt\", \"client_cert\": \"%s/client.crt\", \"client_key\": "
             "\"%s/client.key\"},",
             stand.port, certs_dir, certs_dir, certs_dir);
    const char *with = test_replace(text, "\"platform_url\": \"https://127.0.0.1:8443/\",", url);
    assert_non_null(strstr(with, url));
    const char *path = test_write_file(test_make_temp_dir("every-app"), "board.json", with);
    free(text);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, r->replies), 0);
    assert_int_equal(sem_init(&r->answered, 0, 0), 0);
    /* The binary's voice went to a file; this one goes nowhere. */
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    r->started_ms = real_ms();
    test_monotonic_now_ms = 1000;
    r->app = test_app_create_with(path, LANG_ZH_CN, false, theme);
    settle(r, catalogs);
}

static void app_down(rig *r)
{
    app_destroy(r->app);
    r->app = NULL;
    close(r->replies[0]);
    close(r->replies[1]);
    sem_destroy(&r->answered);
    free(r->tree);
    r->tree = NULL;
}

/* Every service walked by r, each summed up in a line. */
static void walk_every_service(rig *r, walk *walks)
{
    char paths[32][IPP_PRINTER_PATH_MAX];
    for (int i = 0; i < service_count; i++) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(services, i), "id");
        walk *w = &walks[i];
        memset(w, 0, sizeof *w);
        w->service = id->valuestring;
        w->documents = ipp_printer_documents(r->printer, paths, 32);
        uint64_t began = real_ms();
        for (size_t j = 0; j < sizeof journeys / sizeof journeys[0]; j++)
            if (strcmp(journeys[j].service, w->service) == 0)
                journeys[j].walk(r, w);
        if (r->app)
            printf("%-30s %-14s %-8s %2d screens: %2d passed the audit, %d failed, %2d as "
                   "audited before (%.1f s)\n",
                   w->service, r->board, theme_name(r->theme), w->screens, w->audited, w->failed,
                   w->repeated, (double)(real_ms() - began) / 1000);
        else
            printf("%-30s %2d screens, %d page(s) printed, %d QR code(s) decoded, %d answered "
                   "200 (%.1f s)\n",
                   w->service, w->screens, w->pages, w->qr_read, w->qr_answered,
                   (double)(real_ms() - began) / 1000);
    }
}

static void test_every_service_of_the_catalog_is_walked_to_its_end(void **state)
{
    (void)state;
    findings[0] = '\0';
    stand_up();
    free(binary_walks);
    binary_walks = calloc((size_t)service_count, sizeof *binary_walks);
    assert_non_null(binary_walks);
    rig r;
    binary_up(&r);
    walk_every_service(&r, binary_walks);
    kiosk_stop(&r.k, false);
    if (findings[0])
        fail_msg("what a citizen could not do:%s", findings);
}

/* Where the app walks, and in which theme: a portrait and a landscape
 * board in the standard theme, and elder mode (larger text and targets,
 * fewer tiles to a page) on the smallest glass. */
static const struct {
    const char *board;
    int theme;
} audited[] = {
    {"portrait-1080", UI_THEME_STANDARD},
    {"landscape-1080", UI_THEME_STANDARD},
    {"portrait-800", UI_THEME_ELDER},
};

static void test_every_screen_of_every_service_passes_the_audit(void **state)
{
    (void)state;
    findings[0] = '\0';
    stand_up();
    walk *walks = calloc((size_t)service_count, sizeof *walks);
    assert_non_null(walks);
    int screens = 0, distinct = 0;
    for (size_t c = 0; c < sizeof audited / sizeof audited[0]; c++) {
        rig r;
        app_up(&r, audited[c].board, audited[c].theme);
        walk_every_service(&r, walks);
        app_down(&r);
        for (int i = 0; i < service_count; i++) {
            screens += walks[i].screens;
            distinct += walks[i].audited + walks[i].failed;
            if (walks[i].screens == 0)
                found("%s (%s, %s): no screen audited", walks[i].service, audited[c].board,
                      theme_name(audited[c].theme));
            /* The binary's screens, one for one, where it walked the same. */
            if (binary_walks && c == 0 && strcmp(walks[i].seen, binary_walks[i].seen) != 0)
                found("%s: the binary showed%s; the app audited%s", walks[i].service,
                      binary_walks[i].seen, walks[i].seen);
        }
    }
    free(walks);
    printf("accessibility audit of every service's journey: %d screens shown, %d of them "
           "audited (the others as audited before)\n",
           screens, distinct);
    if (findings[0])
        fail_msg("what the audit found:%s", findings);
}

/* The walk's audit fails a screen that breaks the rules, and says which:
 * a real journey's screen (the first certificate's card step), with its
 * help button squashed to 20 px. */
static void test_the_walks_audit_sees_problems(void **state)
{
    (void)state;
    findings[0] = '\0';
    stand_up();
    rig r;
    app_up(&r, "portrait-1080", UI_THEME_STANDARD);
    walk w = {.service = "social-insurance-certificate"};
    open_tile(&r, &w, "card");
    assert_int_equal(w.audited, 2);
    assert_int_equal(w.failed, 0);
    assert_string_equal(findings, "");
    ui_widget *help = ui_widget_find(app_root(r.app), "footer.help");
    assert_non_null(help);
    SDL_Rect kept = help->bounds;
    help->bounds.h = 20;
    shoot(&r, &w);
    help->bounds = kept;
    assert_int_equal(w.failed, 1);
    assert_non_null(strstr(findings, "screen 3 (card) fails the accessibility audit: "
                                     "footer.help: target"));
    /* Mended, it is the screen that passed before. */
    findings[0] = '\0';
    shoot(&r, &w);
    assert_int_equal(w.failed, 1);
    assert_int_equal(w.repeated, 1);
    assert_string_equal(findings, "");
    app_down(&r);
}

int main(void)
{
    snprintf(shots, sizeof shots, "%s/build/test-output", test_source_dir());
    mkdir(shots, 0755);
    snprintf(shots, sizeof shots, "%s/build/test-output/every-service", test_source_dir());
    mkdir(shots, 0755);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_service_of_the_catalog_is_walked_to_its_end),
        cmocka_unit_test(test_every_screen_of_every_service_passes_the_audit),
        cmocka_unit_test(test_the_walks_audit_sees_problems),
    };
    int failed = PLATFORM_RUN_TESTS(tests);
    /* The stand-in went with what the tests left running. */
    if (printer)
        ipp_printer_stop(printer);
    free(binary_walks);
    cJSON_Delete(sample);
    return failed;
}
