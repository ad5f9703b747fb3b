/* The A4 printer driver under the device manager, over the IPP transport,
 * against a real IPP Everywhere printer: ippeveprinter started by the test
 * (tests/support/ipp_printer.h). What the printer received is read back
 * (pages with pdfinfo, text with pdftotext); its faults are driven through
 * its own pages and its per-job command. */
#include "../support/ipp_printer.h"
#include "../support/test_support.h"

#include "drivers/a4/a4_printer.h"
#include "drivers/a4/ipp_transport.h"
#include "drivers/devices.h"
#include "firmware/base/monotonic.h"

#include "device_catch.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* Quick enough for tests, with the same shape as the defaults. */
static const ipp_timing fast = {
    .probe_ms = 100,
    .idle_poll_ms = 100,
    .job_poll_ms = 50,
    .answer_ms = 2000,
    .resume_wait_ms = 1500,
    .job_ceiling_ms = 3000,
};

/* The results delivered, in order. */
static a4_result *results[16];
static int result_count;

static kiosk_error on_result(void *context, device_kind kind, void *payload,
                             void (*release)(void *))
{
    (void)context;
    (void)release;
    if (kind != DEVICE_A4_PRINTER)
        return KIOSK_ERR_INVALID_ARGUMENT;
    pthread_mutex_lock(&caught.lock);
    kiosk_error result = KIOSK_ERR_BUSY;
    if (result_count < 16) {
        results[result_count++] = payload;
        result = KIOSK_OK;
    }
    pthread_cond_broadcast(&caught.changed);
    pthread_mutex_unlock(&caught.lock);
    return result;
}

/* Waits for the n-th result (1-based); jobs may take a few seconds. */
static a4_result *wait_result(int n)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 15;
    pthread_mutex_lock(&caught.lock);
    while (result_count < n &&
           pthread_cond_timedwait(&caught.changed, &caught.lock, &deadline) == 0) {
    }
    a4_result *result = result_count >= n ? results[n - 1] : NULL;
    pthread_mutex_unlock(&caught.lock);
    if (!result)
        fail_msg("no result for job %d", n);
    return result;
}

static int results_so_far(void)
{
    pthread_mutex_lock(&caught.lock);
    int n = result_count;
    pthread_mutex_unlock(&caught.lock);
    return n;
}

/* The status the driver reported last. */
static device_status last_status(void)
{
    pthread_mutex_lock(&caught.lock);
    device_status status = caught.statuses[caught.status_count - 1];
    pthread_mutex_unlock(&caught.lock);
    return status;
}

typedef struct rig {
    ipp_printer *printer;
    ipp_bus *bus;
    device_manager *manager;
} rig;

static rig the;

static int setup(void **state)
{
    (void)state;
    catch_start();
    result_count = 0;
    the.printer = ipp_printer_start("a4");
    const char *uris[] = {ipp_printer_uri(the.printer)};
    assert_int_equal(ipp_bus_create(uris, 1, &fast, &the.bus), KIOSK_OK);
    const device_driver *drivers[] = {&a4_printer_driver};
    device_sink sink = {.status = on_status, .deliver = on_result};
    assert_int_equal(
        device_manager_start_on(&ipp_device_transport, the.bus, drivers, 1, &sink, &the.manager),
        KIOSK_OK);
    wait_status(0, DEVICE_ONLINE, "ready");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    device_manager_stop(the.manager);
    ipp_bus_destroy(the.bus);
    ipp_printer_stop(the.printer);
    for (int i = 0; i < result_count; i++)
        a4_result_release(results[i]);
    catch_stop();
    return 0;
}

static size_t received(void)
{
    char paths[8][IPP_PRINTER_PATH_MAX];
    return ipp_printer_documents(the.printer, paths, 8);
}

static void submit(uint64_t id, int pages, const char *text)
{
    char pdf[8192];
    size_t length = ipp_test_pdf(pages, text, pdf, sizeof pdf);
    assert_int_equal(a4_submit(the.manager, id, pdf, length, "certificate"), KIOSK_OK);
}

static void test_state_reasons_map_onto_the_status(void **state)
{
    (void)state;
    ipp_printer_facts facts = {.state = IPP_PRINTER_IDLE, .accepting = true};
    a4_condition c = a4_condition_of(&facts);
    assert_true(c.can_print);
    assert_string_equal(c.reason, "ready");
    assert_int_equal(c.state, DEVICE_ONLINE);

    static const struct {
        const char *reason;
        device_state state;
        device_supply supply;
        const char *key;
        bool can_print;
    } cases[] = {
        {"media-empty-error", DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_OUT, "paper-out", false},
        {"media-needed", DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_OUT, "paper-out", false},
        {"media-jam-error", DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_OK, "jam", false},
        {"toner-low-report", DEVICE_ONLINE, DEVICE_SUPPLY_LOW, "toner-low", true},
        {"marker-supply-low-warning", DEVICE_ONLINE, DEVICE_SUPPLY_LOW, "toner-low", true},
        {"toner-empty-error", DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_OUT, "toner-out", false},
        {"marker-supply-empty-error", DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_OUT, "toner-out", false},
        {"offline-report", DEVICE_OFFLINE, DEVICE_SUPPLY_NONE, "offline", false},
        {"door-open-error", DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_OK, "cover-open", false},
        {"fuser-over-temp-error", DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_OK, "printer-fault", false},
        /* A warning the kiosk does not act on leaves the printer ready. */
        {"developer-low-report", DEVICE_ONLINE, DEVICE_SUPPLY_OK, "ready", true},
        /* Not a prefix match: "media-empty" is not "media-emptying". */
        {"media-emptying", DEVICE_ONLINE, DEVICE_SUPPLY_OK, "ready", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        facts.reason_count = 1;
        snprintf(facts.reasons[0], sizeof facts.reasons[0], "%s", cases[i].reason);
        c = a4_condition_of(&facts);
        if (strcmp(c.reason, cases[i].key) != 0 || c.state != cases[i].state ||
            c.supply != cases[i].supply || c.can_print != cases[i].can_print)
            fail_msg("%s gave %s %s", cases[i].reason, device_state_name(c.state), c.reason);
    }
    /* The worst wins: paper out beside toner low cannot print. */
    facts.reason_count = 2;
    snprintf(facts.reasons[0], sizeof facts.reasons[0], "toner-low-report");
    snprintf(facts.reasons[1], sizeof facts.reasons[1], "media-empty-report");
    assert_string_equal(a4_condition_of(&facts).reason, "paper-out");
    /* Stopped, or not accepting jobs: offline. */
    facts = (ipp_printer_facts){.state = IPP_PRINTER_STOPPED, .accepting = true};
    assert_string_equal(a4_condition_of(&facts).reason, "stopped");
    assert_false(a4_condition_of(&facts).can_print);
    facts = (ipp_printer_facts){.state = IPP_PRINTER_IDLE, .accepting = false};
    assert_int_equal(a4_condition_of(&facts).state, DEVICE_OFFLINE);
}

static void test_a_job_is_a_wiped_copy_of_a_pdf(void **state)
{
    (void)state;
    char pdf[8192];
    size_t length = ipp_test_pdf(1, "COPY", pdf, sizeof pdf);
    a4_job *job = NULL;
    assert_int_equal(a4_job_create(7, pdf, length, "cert\n\x01ificate", &job), KIOSK_OK);
    assert_ptr_not_equal(job->pdf, pdf);
    assert_memory_equal(job->pdf, pdf, length);
    /* No control bytes reach the printer's queue. */
    assert_string_equal(job->title, "cert__ificate");
    a4_job_wipe(job);
    for (size_t i = 0; i < job->length; i++)
        if (job->pdf[i] != 0)
            fail_msg("byte %zu of the document was not wiped", i);
    /* The caller's bytes are the caller's. */
    assert_memory_equal(pdf, "%PDF-", 5);
    a4_job_release(job);

    assert_int_equal(a4_job_create(1, "hello", 5, "x", &job), KIOSK_ERR_INVALID_ARGUMENT);
    assert_null(job);
    assert_int_equal(a4_job_create(1, pdf, A4_PDF_MAX + 1, "x", &job), KIOSK_ERR_TOO_BIG);
    assert_int_equal(a4_job_create(1, NULL, 10, "x", &job), KIOSK_ERR_INVALID_ARGUMENT);
}

static void test_uris_are_checked(void **state)
{
    (void)state;
    assert_true(ipp_uri_valid("ipp://127.0.0.1:631/ipp/print"));
    assert_true(ipp_uri_valid("ipps://printer.hall.local/ipp/print"));
    assert_false(ipp_uri_valid("http://127.0.0.1:631/ipp/print"));
    assert_false(ipp_uri_valid("ipp://user:secret@127.0.0.1/ipp/print"));
    assert_false(ipp_uri_valid("ipp:///ipp/print"));
    assert_false(ipp_uri_valid("ipp://127.0.0.1/ipp print"));
    assert_false(ipp_uri_valid("ipp://127.0.0.1/\x7f"));
    ipp_bus *bus = NULL;
    const char *bad[] = {"ipp://ok/", "file:///etc/passwd"};
    assert_int_equal(ipp_bus_create(bad, 2, NULL, &bus), KIOSK_ERR_INVALID_ARGUMENT);
    assert_int_equal(ipp_bus_create(bad, 0, NULL, &bus), KIOSK_ERR_INVALID_ARGUMENT);
}

static void test_a_job_prints_and_the_printer_holds_it(void **state)
{
    (void)state;
    submit(1, 2, "KIOSK A4 PAGE");
    a4_result *result = wait_result(1);
    assert_true(result->printed);
    assert_string_equal(result->reason, "printed");
    assert_int_equal(result->job_id, 1);
    /* Taken by the driver and done: nothing is left to take back. */
    assert_false(device_manager_withdraw(the.manager, DEVICE_A4_PRINTER));
    assert_int_equal(result->pages, 2);
    assert_true(result->sent);
    assert_true(result->accept_us > 0);
    assert_true(result->accept_us <= result->ms * 1000 + 1000);
    printf("  accepted (job id back) %lu us after the job was made; done in %lu ms\n",
           result->accept_us, result->ms);

    char paths[8][IPP_PRINTER_PATH_MAX];
    assert_int_equal(ipp_printer_documents(the.printer, paths, 8), 1);
    assert_int_equal(ipp_document_pages(paths[0]), 2);
    const char *text = ipp_document_text(paths[0]);
    assert_non_null(text);
    assert_non_null(strstr(text, "KIOSK A4 PAGE 1"));
    assert_non_null(strstr(text, "KIOSK A4 PAGE 2"));
    /* The job's name at the printer is the caller's, never a citizen's. */
    assert_non_null(strstr(paths[0], "certificate"));
    /* Back to ready, not busy, after the job. */
    wait_status(0, DEVICE_ONLINE, "ready");
    assert_int_equal(last_status().state, DEVICE_ONLINE);
}

static void test_a_certificate_s_qr_code_reads_back_from_what_printed(void **state)
{
    (void)state;
    static char pdf[65536];
    const char *url = "https://verify.example.gov.cn/c/K0420-2026-000123";
    size_t length = ipp_test_pdf_qr(1, "VERIFY", url, pdf, sizeof pdf);
    assert_int_equal(a4_submit(the.manager, 30, pdf, length, "certificate"), KIOSK_OK);
    assert_true(wait_result(1)->printed);
    char paths[2][IPP_PRINTER_PATH_MAX];
    assert_int_equal(ipp_printer_documents(the.printer, paths, 2), 1);
    const char *decoded = ipp_document_qr(paths[0], 1);
    assert_non_null(decoded);
    assert_string_equal(decoded, url);
}

static void test_paper_out_before_the_job_refuses_it_and_sends_nothing(void **state)
{
    (void)state;
    int before = status_count();
    ipp_printer_set_paper(the.printer, 0);
    int out = wait_status(before, DEVICE_HARDWARE_ERROR, "paper-out");
    assert_int_equal(caught.statuses[out].supply, DEVICE_SUPPLY_OUT);
    submit(2, 1, "NEVER");
    a4_result *result = wait_result(1);
    assert_false(result->printed);
    assert_string_equal(result->reason, "paper-out");
    assert_false(result->sent);
    assert_false(result->anything_out);
    assert_int_equal(received(), 0);
    /* Staff refill the tray: ready again, and it prints. */
    before = status_count();
    ipp_printer_set_paper(the.printer, 250);
    wait_status(before, DEVICE_ONLINE, "ready");
    submit(3, 1, "AFTER REFILL");
    assert_true(wait_result(2)->printed);
    assert_int_equal(received(), 1);
}

static void test_paper_out_mid_job_fails_it(void **state)
{
    (void)state;
    ipp_printer_next_job(the.printer, IPP_FAULT_PAPER_OUT, 0.3);
    int before = status_count();
    submit(4, 3, "MID JOB");
    wait_status(before, DEVICE_BUSY, "ready");
    a4_result *result = wait_result(1);
    assert_false(result->printed);
    assert_string_equal(result->reason, "paper-out");
    assert_true(result->sent);
    /* One page came out before the paper ran out: staff must look. */
    assert_int_equal(result->pages, 1);
    assert_true(result->anything_out);
    wait_status(before, DEVICE_HARDWARE_ERROR, "paper-out");
    /* The printer keeps saying so until refilled: the next job is refused. */
    submit(5, 1, "STILL OUT");
    a4_result *refused = wait_result(2);
    assert_false(refused->printed);
    assert_false(refused->sent);
    assert_string_equal(refused->reason, "paper-out");
    assert_int_equal(received(), 1);
}

static void test_a_jam_mid_job_fails_it(void **state)
{
    (void)state;
    ipp_printer_next_job(the.printer, IPP_FAULT_JAM, 0.2);
    int before = status_count();
    submit(6, 2, "JAMMED");
    a4_result *result = wait_result(1);
    assert_false(result->printed);
    assert_string_equal(result->reason, "jam");
    assert_true(result->anything_out);
    wait_status(before, DEVICE_HARDWARE_ERROR, "jam");
}

static void test_a_printer_gone_is_offline_refuses_and_comes_back(void **state)
{
    (void)state;
    int before = status_count();
    ipp_printer_kill(the.printer);
    wait_status(before, DEVICE_OFFLINE, "offline");
    wait_status(before, DEVICE_NO_DEVICE, "unplugged");
    char pdf[4096];
    size_t length = ipp_test_pdf(1, "NOBODY", pdf, sizeof pdf);
    assert_int_equal(a4_submit(the.manager, 7, pdf, length, "certificate"), KIOSK_ERR_NO_DEVICE);
    assert_int_equal(results_so_far(), 0);

    before = status_count();
    ipp_printer_restart(the.printer);
    wait_status(before, DEVICE_ONLINE, "ready");
    submit(8, 1, "BACK AGAIN");
    a4_result *result = wait_result(1);
    assert_true(result->printed);
    assert_int_equal(received(), 1);
}

static void test_a_printer_gone_mid_job_is_never_printed(void **state)
{
    (void)state;
    ipp_printer_next_job(the.printer, IPP_FAULT_HANG, 0);
    int before = status_count();
    submit(9, 1, "GONE");
    wait_status(before, DEVICE_BUSY, "ready");
    /* The printer has the document, and is printing it, when it goes. */
    for (int i = 0; i < 250 && received() == 0; i++)
        nanosleep(&(struct timespec){0, 20000000}, NULL);
    assert_int_equal(received(), 1);
    ipp_printer_kill(the.printer);
    a4_result *result = wait_result(1);
    assert_false(result->printed);
    assert_string_equal(result->reason, "offline");
    assert_true(result->sent);
    /* Nobody can say what came out: staff are to look. */
    assert_true(result->anything_out);
}

static void test_a_job_held_up_by_paper_out_is_cancelled_not_left_to_print_later(void **state)
{
    (void)state;
    ipp_printer_next_job(the.printer, IPP_FAULT_HANG, 0);
    int before = status_count();
    submit(13, 1, "HELD UP");
    wait_status(before, DEVICE_BUSY, "ready");
    for (int i = 0; i < 250 && received() == 0; i++)
        nanosleep(&(struct timespec){0, 20000000}, NULL);
    uint64_t out_at = monotonic_now_ms();
    ipp_printer_set_paper(the.printer, 0);
    a4_result *result = wait_result(1);
    uint64_t waited = monotonic_now_ms() - out_at;
    assert_false(result->printed);
    assert_string_equal(result->reason, "paper-out");
    assert_true(result->sent);
    /* Staff had resume_wait_ms to refill before the kiosk gave up, and it
     * gave up well before the ceiling. */
    assert_true(waited >= (uint64_t)fast.resume_wait_ms);
    assert_true(waited < (uint64_t)fast.job_ceiling_ms);
    wait_status(before, DEVICE_HARDWARE_ERROR, "paper-out");
}

static void test_a_job_that_never_ends_is_cancelled_at_the_ceiling(void **state)
{
    (void)state;
    ipp_printer_next_job(the.printer, IPP_FAULT_HANG, 0);
    uint64_t start = monotonic_now_ms();
    submit(10, 1, "HANGS");
    a4_result *result = wait_result(1);
    uint64_t took = monotonic_now_ms() - start;
    assert_false(result->printed);
    /* Cancelled by the kiosk at its ceiling, or aborted by the printer as
     * it cancels: never printed, and not before the ceiling. */
    if (strcmp(result->reason, "timeout") != 0 && strcmp(result->reason, "canceled") != 0)
        fail_msg("reason %s", result->reason);
    assert_true(took >= (uint64_t)fast.job_ceiling_ms);
}

static void test_toner_low_prints_and_says_low_toner_out_refuses(void **state)
{
    (void)state;
    int before = status_count();
    ipp_printer_set_toner(the.printer, 5);
    int low = wait_status(before, DEVICE_ONLINE, "toner-low");
    assert_int_equal(caught.statuses[low].supply, DEVICE_SUPPLY_LOW);
    submit(11, 1, "LOW TONER");
    a4_result *result = wait_result(1);
    assert_true(result->printed);
    assert_int_equal(result->pages, 1);
    wait_status(low + 1, DEVICE_ONLINE, "toner-low");

    before = status_count();
    ipp_printer_set_toner(the.printer, 0);
    wait_status(before, DEVICE_HARDWARE_ERROR, "toner-out");
    submit(12, 1, "NO TONER");
    result = wait_result(2);
    assert_false(result->printed);
    assert_false(result->sent);
    assert_string_equal(result->reason, "toner-out");
    assert_int_equal(received(), 1);
}

static int by_value(const void *a, const void *b)
{
    unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
    return x < y ? -1 : x > y;
}

/* The figure for the notes: from a job's making (app_a4_print copies the
 * PDF into it) to the printer's job id, over 15 jobs of two pages. */
static void test_time_to_acceptance(void **state)
{
    (void)state;
    enum { JOBS = 15 };
    unsigned long accept[JOBS];
    for (int i = 0; i < JOBS; i++) {
        submit(100 + (uint64_t)i, 2, "TIMED");
        a4_result *result = wait_result(i + 1);
        assert_true(result->printed);
        accept[i] = result->accept_us;
    }
    qsort(accept, JOBS, sizeof accept[0], by_value);
    printf("  job made -> printer's job id (state check + Print-Job), %d jobs: median %lu us, "
           "max %lu us\n",
           JOBS, accept[JOBS / 2], accept[JOBS - 1]);
    assert_int_equal(received(), JOBS);
}

static double cpu_seconds(void)
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (double)usage.ru_utime.tv_sec + (double)usage.ru_stime.tv_sec +
           ((double)usage.ru_utime.tv_usec + (double)usage.ru_stime.tv_usec) / 1e6;
}

static void test_failures_in_a_row_neither_loop_nor_storm(void **state)
{
    (void)state;
    ipp_printer_set_paper(the.printer, 0);
    wait_status(0, DEVICE_HARDWARE_ERROR, "paper-out");
    int before = status_count();
    for (int i = 1; i <= 3; i++) {
        submit(20 + (uint64_t)i, 1, "REFUSED");
        a4_result *result = wait_result(i);
        assert_false(result->printed);
        assert_string_equal(result->reason, "paper-out");
    }
    /* Three refusals: each its one result, no retry, and the status said
     * once (the same status is not reported again). */
    double cpu = cpu_seconds();
    struct timespec second = {1, 0};
    nanosleep(&second, NULL);
    cpu = cpu_seconds() - cpu;
    assert_int_equal(results_so_far(), 3);
    assert_true(status_count() - before <= 1);
    assert_int_equal(received(), 0);
    /* Polling ten times a second costs a few milliseconds, not a core. */
    printf("  CPU over 1 s of polling every %d ms: %.1f ms\n", fast.idle_poll_ms, cpu * 1000);
    assert_true(cpu < 0.25);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_reasons_map_onto_the_status),
        cmocka_unit_test(test_a_job_is_a_wiped_copy_of_a_pdf),
        cmocka_unit_test(test_uris_are_checked),
        cmocka_unit_test_setup_teardown(test_a_job_prints_and_the_printer_holds_it, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_certificate_s_qr_code_reads_back_from_what_printed,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_paper_out_before_the_job_refuses_it_and_sends_nothing,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_paper_out_mid_job_fails_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_jam_mid_job_fails_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_printer_gone_is_offline_refuses_and_comes_back,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_printer_gone_mid_job_is_never_printed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_a_job_held_up_by_paper_out_is_cancelled_not_left_to_print_later, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_job_that_never_ends_is_cancelled_at_the_ceiling,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_toner_low_prints_and_says_low_toner_out_refuses, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_failures_in_a_row_neither_loop_nor_storm, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_time_to_acceptance, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
