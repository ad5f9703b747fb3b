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
 * are walked here by their shortest complete path. */
#include "../support/ipp_printer.h"
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
} walk;

typedef struct rig {
    platform p;
    ipp_printer *printer;
    kiosk_proc k;
} rig;

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

/* The screen now, written to PNG under its name, and its codes checked. */
static void shoot(rig *r, walk *w)
{
    char screen[64];
    const char *named = kiosk_ask(&r->k, "screen");
    if (strncmp(named, "ok ", 3) != 0)
        fail_msg("%s: no screen: %s", w->service, named);
    snprintf(screen, sizeof screen, "%s", named + 3);
    char path[1300], command[1400];
    snprintf(path, sizeof path, "%s/%s-%02d-%s.png", shots, w->service, ++w->screens, screen);
    snprintf(command, sizeof command, "screenshot %s", path);
    const char *answer = kiosk_ask(&r->k, command);
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
    kiosk_expect(&r->k, command, answer);
    shoot(r, w);
}

static void wait_for(rig *r, walk *w, const char *what)
{
    if (!kiosk_shows(&r->k, what, 300))
        fail_msg("%s: \"%s\" never showed; the screen: %.1500s", w->service, what,
                 kiosk_tree(&r->k));
}

/* From the attract screen: 开始办理 (home), the tile (its first screen). */
static void open_tile(rig *r, walk *w, const char *first_screen)
{
    go(r, w, "attract.start", "home");
    char tile[96];
    snprintf(tile, sizeof tile, "tile.%s", w->service);
    go(r, w, tile, first_screen);
}

/* The card laid on the simulated reader, and the screen it leads to. */
static void lay_card(rig *r, walk *w, const char *key, const char *screen)
{
    citizen_identifies(&r->k, key, screen);
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
    snprintf(reply, sizeof reply, "%s", kiosk_ask(&r->k, "tap finished.end"));
    if (strstr(reply, "take-card")) {
        shoot(r, w);
        citizen_takes_card(&r->k);
    } else if (strcmp(reply, "ok attract") != 0) {
        fail_msg("%s: the visit did not end: %s", w->service, reply);
    }
    kiosk_expect(&r->k, "wait attract 5000", "ok attract");
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
    if (with_code && w->qr_read == codes_before &&
        strstr(kiosk_tree(&r->k), "\"id\":\"print.preview\"")) {
        /* Cut off at the bottom: the finger pushes the receipt up. */
        char *before = strdup(kiosk_tree(&r->k));
        kiosk_expect(&r->k, "drag print.preview 500,950 500,500 500,50", "ok print");
        kiosk_expect(&r->k, "drag print.preview 500,950 500,500 500,50", "ok print");
        scrolled = strcmp(before, kiosk_tree(&r->k)) != 0;
        free(before);
        shoot(r, w);
    }
    if (with_code && w->qr_read == codes_before)
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
        usleep(50 * 1000);
    if (n != w->documents + expected)
        fail_msg("%s: %zu document(s) reached the printer, not %zu", w->service, n - w->documents,
                 expected);
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
    kiosk_ask(&r->k, "tap step.next");
    kiosk_expect(&r->k, "wait result 8000", "ok result");
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
        kiosk_expect(&r->k, tap, "ok field");
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
    kiosk_ask(&r->k, "tap step.next");
    kiosk_expect(&r->k, "wait result 8000", "ok result");
    wait_for(r, w, "排队号");
    shoot(r, w);
    print_receipt(r, w, false);
    rate_and_leave(r, w);
}

/* The number shown last (a result before this), shown to the scanner. */
static void walk_case_progress(rig *r, walk *w)
{
    open_tile(r, w, "scan");
    kiosk_ask(&r->k, "key s");
    kiosk_expect(&r->k, "wait lookup 8000", "ok lookup");
    wait_for(r, w, "已受理");
    shoot(r, w);
    go(r, w, "notice.done", "finished");
    kiosk_expect(&r->k, "tap finished.end", "ok attract");
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
    kiosk_expect(&r->k, "tap type.mode.letters", "ok type");
    for (const char *letter = "lele"; *letter; letter++) {
        char tap[64];
        snprintf(tap, sizeof tap, "tap type.key.%c", *letter);
        kiosk_expect(&r->k, tap, "ok type");
    }
    shoot(r, w);
    go(r, w, "step.next", "form");
    go(r, w, "form.field.9", "sign");
    kiosk_expect(&r->k, "drag sign.pad 250,200 375,195 500,190 625,195 750,200", "ok sign");
    kiosk_expect(&r->k, "drag sign.pad 300,420 400,420 500,420 600,420 700,420", "ok sign");
    kiosk_expect(&r->k, "drag sign.pad 500,200 500,300 500,400 502,500 504,600 505,680", "ok sign");
    kiosk_expect(&r->k, "drag sign.pad 200,680 350,675 500,670 650,680 800,690", "ok sign");
    shoot(r, w);
    go(r, w, "step.next", "form");
    go(r, w, "step.next", "materials");
    kiosk_expect(&r->k, "tap materials.item.2", "ok materials");
    kiosk_expect(&r->k, "tap materials.item.3", "ok materials");
    shoot(r, w);
    go(r, w, "step.next", "confirm");
    kiosk_ask(&r->k, "tap step.next");
    kiosk_expect(&r->k, "wait result 8000", "ok result");
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

/* The stand-in serving the sample catalog with its verification address
 * on the stand-in's own port, a printer, and the kiosk pointed at both. */
static void rig_up(rig *r)
{
    const char *catalog =
        changed_catalog("every-catalog", "\"every-1\"", "\"every-1\"", "\"every-1\"");
    start_platform_serving(&r->p, NULL, catalog);
    char port[64];
    snprintf(port, sizeof port, "127.0.0.1:%d/v/", r->p.port);
    char *text = strdup(test_replace(test_read_file(catalog), "127.0.0.1:8443/v/", port));
    assert_non_null(strstr(text, port));
    FILE *file = fopen(catalog, "w");
    assert_non_null(file);
    fputs(text, file);
    fclose(file);
    free(text);

    r->printer = ipp_printer_start("every-service");
    kiosk_board(&r->p, &r->k);
    text = strdup(test_read_file(r->k.board));
    const char *with =
        test_replace(text, "ipp://127.0.0.1:8631/ipp/print", ipp_printer_uri(r->printer));
    assert_non_null(strstr(with, ipp_printer_uri(r->printer)));
    char dir[1100];
    snprintf(dir, sizeof dir, "%s", r->k.board);
    *strrchr(dir, '/') = '\0';
    test_write_file(dir, "board.json", with);
    free(text);
    kiosk_start(&r->k);
    kiosk_expect(&r->k, "wait attract 8000", "ok attract");
    if (!kiosk_shows(&r->k, "平台已连接", 200))
        fail_msg("the link never came up: %.800s", kiosk_tree(&r->k));
    /* The catalog fetched and adopted on the attract screen. */
    for (int i = 0; i < 100 && requests_of(&r->p, "catalog") < 1; i++)
        usleep(50 * 1000);
    assert_true(requests_of(&r->p, "catalog") >= 1);
    usleep(500 * 1000);
}

static cJSON *sample;
static walk *walks;

static void test_every_service_of_the_catalog_is_walked_to_its_end(void **state)
{
    (void)state;
    char path[1100];
    snprintf(path, sizeof path, "%s/assets/catalog/sample.json", test_source_dir());
    sample = cJSON_Parse(test_read_file(path));
    assert_non_null(sample);
    const cJSON *services = cJSON_GetObjectItemCaseSensitive(sample, "services");
    assert_true(cJSON_IsArray(services));
    int count = cJSON_GetArraySize(services);
    assert_true(count > 0);

    /* Every service has a journey before anything starts. */
    char missing[1024] = "";
    for (int i = 0; i < count; i++) {
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

    rig r;
    rig_up(&r);
    walks = calloc((size_t)count, sizeof *walks);
    assert_non_null(walks);
    char paths[32][IPP_PRINTER_PATH_MAX];
    for (int i = 0; i < count; i++) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(services, i), "id");
        walk *w = &walks[i];
        w->service = id->valuestring;
        w->documents = ipp_printer_documents(r.printer, paths, 32);
        for (size_t j = 0; j < sizeof journeys / sizeof journeys[0]; j++)
            if (strcmp(journeys[j].service, w->service) == 0)
                journeys[j].walk(&r, w);
        printf("%-30s %2d screens, %d page(s) printed, %d QR code(s) decoded, %d answered 200\n",
               w->service, w->screens, w->pages, w->qr_read, w->qr_answered);
    }
    kiosk_stop(&r.k, false);
    ipp_printer_stop(r.printer);
    stop_platform(&r.p);
    if (findings[0])
        fail_msg("what a citizen could not do:%s", findings);
}

/* Freed here too when the walk fails half-way. */
static int let_go(void **state)
{
    (void)state;
    free(walks);
    walks = NULL;
    cJSON_Delete(sample);
    sample = NULL;
    return 0;
}

int main(void)
{
    snprintf(shots, sizeof shots, "%s/build/test-output", test_source_dir());
    mkdir(shots, 0755);
    snprintf(shots, sizeof shots, "%s/build/test-output/every-service", test_source_dir());
    mkdir(shots, 0755);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_every_service_of_the_catalog_is_walked_to_its_end, let_go),
    };
    return PLATFORM_RUN_TESTS(tests);
}
