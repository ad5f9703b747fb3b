/* Certificates as a citizen gets them: the real kiosk binary against the
 * platform stand-in (real PDFs) and a real IPP printer (ippeveprinter),
 * driven through the test control channel. For each of 社保参保证明打印,
 * 纳税证明, 营业执照打印 (which enterprise) and 电子证照 (which licence):
 * the preview of every page, 打印, and what the printer received read back
 * — its pages (pdfinfo), its words (pdftotext: the title, the masked name),
 * its QR code (zbarimg on the page rendered by pdftoppm) holding the
 * verification URL of its own code. Also a platform that fails every fetch
 * while its heartbeat passes, a printer out of paper, and the link cut.
 * Every screen is written to build/test-output/certificates/; the times
 * from a tap to what it brings are printed. */
#include "../support/ipp_printer.h"
#include "../support/platform_fixture.h"
#include "../support/test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char shots[1100];

static void shot(kiosk_proc *k, const char *name)
{
    char command[1400];
    snprintf(command, sizeof command, "screenshot %s/%s.png", shots, name);
    const char *answer = kiosk_ask(k, command);
    if (strncmp(answer, "ok", 2) != 0)
        fail_msg("%s: %s", command, answer);
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

/* Waits (up to seconds) until the screen shows what; the time it took. */
static double until_shown(kiosk_proc *k, const char *what, int seconds)
{
    double start = now_ms();
    if (!kiosk_shows(k, what, seconds * 20))
        fail_msg("\"%s\" never showed; the screen: %s", what, kiosk_tree(k));
    return now_ms() - start;
}

typedef struct rig {
    platform p;
    ipp_printer *printer;
    kiosk_proc k;
} rig;

/* The stand-in, a printer, and the kiosk pointed at both, its link up. */
static void rig_up(rig *r)
{
    start_platform(&r->p, NULL);
    r->printer = ipp_printer_start("certificates");
    kiosk_board(&r->p, &r->k);
    char *text = strdup(test_read_file(r->k.board));
    const char *with =
        test_replace(text, "ipp://127.0.0.1:8631/ipp/print", ipp_printer_uri(r->printer));
    assert_ptr_not_equal(strstr(with, ipp_printer_uri(r->printer)), NULL);
    char dir[1100];
    snprintf(dir, sizeof dir, "%s", r->k.board);
    *strrchr(dir, '/') = '\0';
    test_write_file(dir, "board.json", with);
    free(text);
    kiosk_start(&r->k);
    kiosk_expect(&r->k, "wait attract 8000", "ok attract");
    until_shown(&r->k, "平台已连接", 10);
}

static void rig_down(rig *r)
{
    kiosk_stop(&r->k, false);
    ipp_printer_stop(r->printer);
    stop_platform(&r->p);
}

/* Runs a command and returns its output (a static buffer). */
static const char *output_of(const char *const *argv)
{
    static char out[64 * 1024];
    char err[2048];
    int status = test_run(argv, err, sizeof err, out, sizeof out);
    if (status != 0)
        fail_msg("%s failed (%d): %s", argv[0], status, err);
    return out;
}

/* What the QR code on page 1 of the PDF at path says: "" when none. */
static const char *qr_of(const char *path)
{
    static char said[512];
    char prefix[1200];
    snprintf(prefix, sizeof prefix, "%s-page", path);
    const char *render[] = {"/usr/bin/pdftoppm", "-png", "-r",   "150", "-f", "1", "-l", "1",
                            "-singlefile",       path,   prefix, NULL};
    output_of(render);
    char png[1300];
    snprintf(png, sizeof png, "%s.png", prefix);
    const char *scan[] = {"/usr/bin/zbarimg", "-q", "--raw", png, NULL};
    snprintf(said, sizeof said, "%s", output_of(scan));
    said[strcspn(said, "\n")] = '\0';
    return said;
}

typedef struct printed {
    int pages;
    char text[16 * 1024];
    char qr[512];
    char code[64];
} printed;

/* The document the printer received last (the count-th), read back; its
 * pages, as printed, written to build/test-output/certificates/<name>-a4-<n>.png. */
static printed read_back(const rig *r, size_t count, const char *name)
{
    char paths[16][IPP_PRINTER_PATH_MAX];
    size_t n = 0;
    for (int i = 0; i < 200 && (n = ipp_printer_documents(r->printer, paths, 16)) < count; i++)
        usleep(50 * 1000);
    assert_int_equal(n, count);
    printed out = {0};
    out.pages = ipp_document_pages(paths[count - 1]);
    snprintf(out.text, sizeof out.text, "%s", ipp_document_text(paths[count - 1]));
    snprintf(out.qr, sizeof out.qr, "%s", qr_of(paths[count - 1]));
    char pages[1200];
    snprintf(pages, sizeof pages, "%s/build/test-output/certificates/%s-a4", test_source_dir(),
             name);
    const char *render[] = {"/usr/bin/pdftoppm", "-png", "-r", "100",
                            paths[count - 1],    pages,  NULL};
    output_of(render);
    const char *code = strstr(out.text, "验证码：");
    assert_non_null(code);
    code += strlen("验证码：");
    snprintf(out.code, sizeof out.code, "%.19s", code);
    return out;
}

/* The QR code holds the platform's verification URL of the code printed
 * beside it. */
static void expect_verifiable(const rig *r, const printed *doc)
{
    char url[256];
    snprintf(url, sizeof url, "https://127.0.0.1:%d/v/%s", r->p.port, doc->code);
    if (strcmp(doc->qr, url) != 0)
        fail_msg("the QR code says \"%s\", not \"%s\"", doc->qr, url);
    /* ... and a phone that opens it, with no client certificate, is told
     * the certificate is genuine. */
    char *body = NULL;
    long status = platform_public_get(url, &body);
    if (status != 200 || !strstr(body ? body : "", "证明有效"))
        fail_msg("%s answered %ld: %.200s", url, status, body ? body : "");
    free(body);
}

/* From the preview: 打印, the job accepted, then "please take it". The
 * times (ms) from the tap to the printing screen and to the printer
 * holding the document. */
static double printed_ms; /* the last 打印 to "please take it" */

static void print_and_take(rig *r, const char *name, size_t documents_before, double *to_accepted)
{
    until_shown(&r->k, "\"text\":\"打印\"", 10); /* the printer is ready: 打印 is offered */
    double tapped = now_ms();
    kiosk_expect(&r->k, "tap step.next", "ok document");
    char paths[16][IPP_PRINTER_PATH_MAX];
    while (ipp_printer_documents(r->printer, paths, 16) <= documents_before &&
           now_ms() - tapped < 10000)
        usleep(5 * 1000);
    *to_accepted = now_ms() - tapped;
    until_shown(&r->k, "请取走您的证明", 30);
    printed_ms = now_ms() - tapped;
    char file[128];
    snprintf(file, sizeof file, "%s-printed", name);
    shot(&r->k, file);
    kiosk_expect(&r->k, "tap document.primary", "ok rate");
}

/* The tile, the card, and the preview of a single certificate: ms from the
 * card read to the first page on screen. */
static double open_single(rig *r, const char *service, const char *name)
{
    char file[128];
    citizen_opens(&r->k, service, "card");
    double laid = now_ms();
    citizen_identifies(&r->k, "1", "document");
    until_shown(&r->k, "\"id\":\"document.page\"", 15);
    double ms = now_ms() - laid;
    snprintf(file, sizeof file, "%s-1-preview", name);
    shot(&r->k, file);
    return ms;
}

static void end_visit(rig *r)
{
    kiosk_expect(&r->k, "tap rate.skip", "ok finished");
    char reply[256];
    snprintf(reply, sizeof reply, "%s", kiosk_ask(&r->k, "tap finished.end"));
    if (strstr(reply, "take-card")) {
        citizen_takes_card(&r->k);
        kiosk_expect(&r->k, "wait attract 5000", "ok attract");
    } else if (strcmp(reply, "ok attract") != 0) {
        fail_msg("the visit did not end: %s", reply);
    }
}

static void test_the_four_certificate_services_print_real_certificates(void **state)
{
    (void)state;
    rig r;
    rig_up(&r);
    double accepted;

    /* 社保参保证明打印: two pages, both shown. */
    double shown = open_single(&r, "social-insurance-certificate", "social-insurance");
    kiosk_expect_shown(&r.k, "第 1 页，共 2 页");
    kiosk_expect(&r.k, "tap document.next_page", "ok document");
    kiosk_expect_shown(&r.k, "第 2 页，共 2 页");
    shot(&r.k, "social-insurance-2-page-2");
    print_and_take(&r, "social-insurance", 0, &accepted);
    printed doc = read_back(&r, 1, "social-insurance");
    assert_int_equal(doc.pages, 2);
    assert_non_null(strstr(doc.text, "社会保险参保缴费证明"));
    assert_non_null(strstr(doc.text, "王*明"));
    assert_null(strstr(doc.text, "王小明"));
    assert_non_null(strstr(doc.text, "440304********1233"));
    expect_verifiable(&r, &doc);
    printf("社保参保证明打印: card read to preview %.0f ms; 打印 to job at the printer %.0f ms, "
           "to \"please take it\" %.0f ms\n",
           shown, accepted, printed_ms);
    end_visit(&r);

    /* 纳税证明: one page. */
    shown = open_single(&r, "tax-certificate", "tax");
    kiosk_expect_shown(&r.k, "个人所得税纳税记录");
    print_and_take(&r, "tax", 1, &accepted);
    doc = read_back(&r, 2, "tax");
    assert_int_equal(doc.pages, 1);
    assert_non_null(strstr(doc.text, "个人所得税纳税记录"));
    assert_non_null(strstr(doc.text, "王*明"));
    expect_verifiable(&r, &doc);
    printf("纳税证明: card read to preview %.0f ms; 打印 to job at the printer %.0f ms, to "
           "\"please take it\" %.0f ms\n",
           shown, accepted, printed_ms);
    end_visit(&r);

    /* 营业执照打印: which enterprise (this citizen represents two). */
    citizen_opens(&r.k, "business-license-print", "card");
    citizen_identifies(&r.k, "1", "document");
    until_shown(&r.k, "\"id\":\"document.row.1\"", 15);
    kiosk_expect_shown(&r.k, "深圳市鹏程示范科技有限公司");
    shot(&r.k, "business-licence-0-which");
    double tapped = now_ms();
    kiosk_expect(&r.k, "tap document.row.1", "ok document");
    until_shown(&r.k, "\"id\":\"document.page\"", 15);
    shown = now_ms() - tapped;
    shot(&r.k, "business-licence-1-preview");
    print_and_take(&r, "business-licence", 2, &accepted);
    doc = read_back(&r, 3, "business-licence");
    assert_int_equal(doc.pages, 1);
    assert_non_null(strstr(doc.text, "营业执照"));
    assert_non_null(strstr(doc.text, "深圳市南山区晨光便利店"));
    assert_null(strstr(doc.text, "鹏程"));
    expect_verifiable(&r, &doc);
    printf("营业执照打印: enterprise tapped to preview %.0f ms; 打印 to job %.0f ms, to \"please "
           "take it\" %.0f ms\n",
           shown, accepted, printed_ms);
    end_visit(&r);

    /* 电子证照: the licences, and the one chosen. */
    citizen_opens(&r.k, "e-licenses", "card");
    citizen_identifies(&r.k, "1", "document");
    until_shown(&r.k, "\"id\":\"document.row.2\"", 15);
    kiosk_expect_shown(&r.k, "结婚证（电子证照）");
    shot(&r.k, "e-licences-0-which");
    kiosk_expect(&r.k, "tap document.row.2", "ok document");
    until_shown(&r.k, "\"id\":\"document.page\"", 15);
    shot(&r.k, "e-licences-1-preview");
    print_and_take(&r, "e-licences", 3, &accepted);
    doc = read_back(&r, 4, "e-licences");
    assert_non_null(strstr(doc.text, "结婚证"));
    assert_non_null(strstr(doc.text, "王*明"));
    expect_verifiable(&r, &doc);
    end_visit(&r);

    assert_int_equal(stat_of(&r.p, "documents_served"), 4);
    rig_down(&r);
}

/* A platform that fails every fetch while its heartbeat passes: the
 * citizen is told, once; nothing is asked again until they tap. */
static void test_a_platform_that_fails_every_fetch_is_told_not_stormed(void **state)
{
    (void)state;
    rig r;
    rig_up(&r);
    set_fault_on(&r.p, "409-html", "/v1/documents/fetch", -1);
    citizen_opens(&r.k, "tax-certificate", "card");
    citizen_identifies(&r.k, "1", "document");
    until_shown(&r.k, "暂时拿不到证明", 15);
    shot(&r.k, "failing-platform-told");
    long asked = requests_of(&r.p, "document");
    assert_int_equal(asked, 1);
    sleep(3); /* heartbeats pass meanwhile; the fetch is not repeated */
    assert_int_equal(requests_of(&r.p, "document"), 1);
    kiosk_expect_shown(&r.k, "暂时拿不到证明");
    /* 再试一次: one tap, one more request. */
    kiosk_expect(&r.k, "tap document.secondary", "ok document");
    until_shown(&r.k, "暂时拿不到证明", 15);
    usleep(500 * 1000);
    assert_int_equal(requests_of(&r.p, "document"), 2);
    char paths[4][IPP_PRINTER_PATH_MAX];
    assert_int_equal(ipp_printer_documents(r.printer, paths, 4), 0);
    kiosk_expect(&r.k, "tap document.primary", "ok rate");
    end_visit(&r);
    rig_down(&r);
}

/* Out of paper: said on the preview before 打印, which becomes 再试一次 and
 * sends nothing; with paper back, it prints. The kiosk asks an idle
 * printer every 5 s. */
static void test_a_printer_out_of_paper_is_said_before_printing(void **state)
{
    (void)state;
    rig r;
    rig_up(&r);
    ipp_printer_set_paper(r.printer, 0);
    sleep(6);
    open_single(&r, "tax-certificate", "no-paper");
    until_shown(&r.k, "\"id\":\"document.printer\"", 15);
    kiosk_expect_shown(&r.k, "现在不能打印");
    kiosk_expect_shown(&r.k, "再试一次");
    shot(&r.k, "no-paper-said");
    kiosk_expect(&r.k, "tap step.next", "ok document");
    kiosk_expect_shown(&r.k, "现在不能打印");
    char paths[4][IPP_PRINTER_PATH_MAX];
    assert_int_equal(ipp_printer_documents(r.printer, paths, 4), 0);
    /* "Staff have been told" is true: one call, however often it is tried. */
    for (int i = 0; i < 100 && kind_stat_of(&r.p, "staff-call", "stored") < 1; i++)
        usleep(50 * 1000);
    assert_int_equal(kind_stat_of(&r.p, "staff-call", "stored"), 1);
    ipp_printer_set_paper(r.printer, 200);
    /* 再试一次, as a citizen would, until the kiosk has seen the paper:
     * then that tap prints. */
    bool printing = false;
    for (int i = 0; i < 30 && !printing; i++) {
        sleep(1);
        kiosk_expect(&r.k, "tap step.next", "ok document");
        printing = !kiosk_shows(&r.k, "现在不能打印", 1);
    }
    if (!printing)
        fail_msg("paper back, yet never printed: %s", ipp_printer_reasons(r.printer));
    until_shown(&r.k, "请取走您的证明", 30);
    shot(&r.k, "no-paper-then-printed");
    assert_int_equal(read_back(&r, 1, "no-paper").pages, 1);
    kiosk_expect(&r.k, "tap document.primary", "ok rate");
    end_visit(&r);
    rig_down(&r);
}

/* The link cut: the tiles say so before the citizen starts. */
static void test_without_the_link_the_tiles_say_so(void **state)
{
    (void)state;
    rig r;
    rig_up(&r);
    set_fault(&r.p, "refuse");
    kiosk_expect(&r.k, "tap attract.start", "ok home");
    kiosk_expect(&r.k, "tap footer.help", "ok help");
    kiosk_expect(&r.k, "tap help.call", "ok help");
    kiosk_expect(&r.k, "tap help.back", "ok home");
    until_shown(&r.k, "网络中断，暂不能办理", 10);
    shot(&r.k, "link-cut-home");
    kiosk_expect(&r.k, "tap tile.social-insurance-certificate", "ok error");
    shot(&r.k, "link-cut-needs-link");
    kiosk_expect(&r.k, "tap error.home", "ok home");
    set_fault(&r.p, "none");
    rig_down(&r);
}

int main(void)
{
    snprintf(shots, sizeof shots, "%s/build/test-output", test_source_dir());
    mkdir(shots, 0755);
    snprintf(shots, sizeof shots, "%s/build/test-output/certificates", test_source_dir());
    mkdir(shots, 0755);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_four_certificate_services_print_real_certificates),
        cmocka_unit_test(test_a_platform_that_fails_every_fetch_is_told_not_stormed),
        cmocka_unit_test(test_a_printer_out_of_paper_is_said_before_printing),
        cmocka_unit_test(test_without_the_link_the_tiles_say_so),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    platform_stop_leftovers();
    return failed;
}
