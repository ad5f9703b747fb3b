/* The receipt printer driver under the device manager, on the simulated
 * bus: the real driver and renderer, a simulated printer at the transport
 * that reads back what it printed. */
#include "../support/test_support.h"

#include "drivers/devices.h"
#include "drivers/printer/escpos.h"
#include "drivers/printer/printer.h"
#include "drivers/sim/printer_sim.h"
#include "drivers/usb_sim.h"
#include "firmware/base/event_channel.h"
#include "firmware/base/monotonic.h"

#include "device_catch.h"

#include <stdlib.h>
#include <string.h>

#define LOCATION "sim-1"

/* The results delivered (the printer's deliveries), in order. */
static printer_result *results[32];
static int result_count;

static kiosk_error on_printed(void *context, device_kind kind, void *payload,
                              void (*release)(void *))
{
    (void)context;
    (void)release;
    if (kind != DEVICE_PRINTER)
        return KIOSK_ERR_INVALID_ARGUMENT;
    pthread_mutex_lock(&caught.lock);
    kiosk_error result = KIOSK_ERR_BUSY;
    if (result_count < 32) {
        results[result_count++] = payload;
        result = KIOSK_OK;
    }
    pthread_cond_broadcast(&caught.changed);
    pthread_mutex_unlock(&caught.lock);
    return result;
}

/* Waits for the result of job n (1-based count of results). */
static printer_result *wait_result(int n)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += WAIT_MS / 1000;
    pthread_mutex_lock(&caught.lock);
    while (result_count < n &&
           pthread_cond_timedwait(&caught.changed, &caught.lock, &deadline) == 0) {
    }
    printer_result *result = result_count >= n ? results[n - 1] : NULL;
    pthread_mutex_unlock(&caught.lock);
    if (!result)
        fail_msg("no result for job %d", n);
    return result;
}

typedef struct rig {
    usb_bus *bus;
    usb_model *printer;
    device_manager *manager;
} rig;

static rig start(printer_sim_kind kind)
{
    catch_start();
    result_count = 0;
    rig r = {0};
    assert_int_equal(usb_sim_create(&r.bus), KIOSK_OK);
    r.printer = printer_sim_create(kind);
    assert_non_null(r.printer);
    assert_int_equal(usb_sim_plug(r.bus, r.printer, LOCATION), KIOSK_OK);
    const device_driver *drivers[] = {&printer_driver};
    device_sink sink = {.status = on_status, .deliver = on_printed};
    assert_int_equal(device_manager_start(r.bus, drivers, 1, &sink, &r.manager), KIOSK_OK);
    return r;
}

static void stop(rig *r)
{
    device_manager_stop(r->manager);
    usb_bus_destroy(r->bus);
    for (int i = 0; i < result_count; i++)
        printer_result_release(results[i]);
    catch_stop();
}

static void submit(rig *r, uint64_t id, const receipt *receipt)
{
    assert_int_equal(printer_submit(r->manager, id, receipt), KIOSK_OK);
}

static size_t rendered_length(const receipt *r, printer_sim_kind kind)
{
    escpos_model model = printer_sim_escpos_model(kind);
    escpos_output out;
    assert_int_equal(escpos_render(r, &model, &out, NULL), KIOSK_OK);
    size_t length = out.length;
    escpos_output_free(&out);
    return length;
}

static void assert_same_text(const receipt *expected, const receipt *printed)
{
    assert_int_equal(printed->count, expected->count);
    for (size_t i = 0; i < expected->count; i++) {
        assert_int_equal(printed->items[i].kind, expected->items[i].kind);
        if (expected->items[i].kind == RECEIPT_TEXT || expected->items[i].kind == RECEIPT_QR) {
            assert_string_equal(printed->items[i].text, expected->items[i].text);
            assert_int_equal(printed->items[i].align, expected->items[i].align);
        }
    }
}

static void test_the_reference_receipt_prints_and_reads_back(void **state)
{
    (void)state;
    rig r = start(PRINTER_SIM_80MM);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    receipt sample;
    printer_sim_sample_receipt(&sample, 80);
    submit(&r, 7, &sample);
    printer_result *result = wait_result(1);
    assert_true(result->ok);
    assert_string_equal(result->reason, "printed");
    assert_int_equal(result->job_id, 7);
    assert_int_equal(result->bytes_sent, rendered_length(&sample, PRINTER_SIM_80MM));
    assert_int_equal(result->stand_ins, 0);
    at = wait_status(at, DEVICE_BUSY, "printing");
    wait_status(at, DEVICE_ONLINE, "ready");
    receipt printed;
    assert_true(printer_sim_printed(r.printer, &printed));
    assert_same_text(&sample, &printed);
    assert_int_equal(printer_sim_cuts(r.printer), 1);

    /* Figures for docs/printer.md: the same receipt, 20 times. */
    uint64_t started = monotonic_now_ms();
    for (int i = 0; i < 20; i++) {
        submit(&r, 100 + (uint64_t)i, &sample);
        assert_true(wait_result(2 + i)->ok);
    }
    unsigned long total = (unsigned long)(monotonic_now_ms() - started);
    printf("  reference receipt: %zu bytes, first print %lu ms, 20 more in %lu ms "
           "on the simulated printer\n",
           result->bytes_sent, result->ms, total);
    assert_int_equal(printer_sim_cuts(r.printer), 21);
    stop(&r);
}

static void test_paper_out_before_a_job_fails_at_once_with_nothing_sent(void **state)
{
    (void)state;
    rig r = start(PRINTER_SIM_80MM);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    printer_sim_set_paper_out(r.printer, true);
    receipt sample;
    printer_sim_sample_receipt(&sample, 80);
    submit(&r, 1, &sample);
    printer_result *result = wait_result(1);
    assert_false(result->ok);
    assert_string_equal(result->reason, "paper-out");
    assert_int_equal(result->bytes_sent, 0);
    assert_int_equal(printer_sim_print_bytes(r.printer), 0);
    at = wait_status(at, DEVICE_HARDWARE_ERROR, "paper-out");
    assert_int_equal(caught.statuses[at].supply, DEVICE_SUPPLY_OUT);
    /* Refilled: the idle poll sees it, and the next job prints. */
    printer_sim_set_paper_out(r.printer, false);
    wait_status(at, DEVICE_ONLINE, "ready");
    submit(&r, 2, &sample);
    assert_true(wait_result(2)->ok);
    stop(&r);
}

static void test_paper_out_in_the_middle_of_a_job_is_never_printed(void **state)
{
    (void)state;
    rig r = start(PRINTER_SIM_80MM);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    printer_sim_paper_out_after(r.printer, 300);
    receipt sample;
    printer_sim_sample_receipt(&sample, 80);
    submit(&r, 1, &sample);
    printer_result *result = wait_result(1);
    assert_false(result->ok);
    assert_string_equal(result->reason, "paper-out");
    assert_true(printer_sim_print_bytes(r.printer) <= 300);
    assert_int_equal(printer_sim_cuts(r.printer), 0);
    receipt printed;
    assert_false(printer_sim_printed(r.printer, &printed));
    wait_status(at, DEVICE_HARDWARE_ERROR, "paper-out");
    stop(&r);
}

static void test_a_long_job_is_checked_between_pieces(void **state)
{
    (void)state;
    /* 58 mm without a QR command: the code goes as a raster of ~5 KB, more
     * than one piece; the paper runs out inside the second piece. */
    rig r = start(PRINTER_SIM_58MM_NO_QR);
    wait_status(0, DEVICE_ONLINE, "ready");
    receipt sample;
    printer_sim_sample_receipt(&sample, 58);
    size_t length = rendered_length(&sample, PRINTER_SIM_58MM_NO_QR);
    assert_true(length > 4096);
    printer_sim_paper_out_after(r.printer, length - 100);
    submit(&r, 1, &sample);
    printer_result *result = wait_result(1);
    assert_false(result->ok);
    assert_string_equal(result->reason, "paper-out");
    assert_int_equal(printer_sim_cuts(r.printer), 0);
    stop(&r);
}

static void test_the_cover_opened_mid_job_fails_it(void **state)
{
    (void)state;
    rig r = start(PRINTER_SIM_80MM);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    printer_sim_cover_open_after(r.printer, 200);
    receipt sample;
    printer_sim_sample_receipt(&sample, 80);
    submit(&r, 1, &sample);
    printer_result *result = wait_result(1);
    assert_false(result->ok);
    assert_string_equal(result->reason, "cover-open");
    at = wait_status(at, DEVICE_HARDWARE_ERROR, "cover-open");
    printer_sim_set_cover_open(r.printer, false);
    wait_status(at, DEVICE_ONLINE, "ready");
    stop(&r);
}

static void test_a_printer_without_qr_prints_the_code_as_a_raster(void **state)
{
    (void)state;
    rig r = start(PRINTER_SIM_58MM_NO_QR);
    wait_status(0, DEVICE_ONLINE, "ready");
    receipt sample;
    printer_sim_sample_receipt(&sample, 58);
    submit(&r, 1, &sample);
    printer_result *result = wait_result(1);
    assert_true(result->ok);
    assert_int_equal(result->bytes_sent, rendered_length(&sample, PRINTER_SIM_58MM_NO_QR));
    printf("  reference receipt, 58 mm with a raster QR: %zu bytes in %lu ms\n", result->bytes_sent,
           result->ms);
    receipt printed;
    assert_true(printer_sim_printed(r.printer, &printed));
    assert_int_equal(printed.count, sample.count);
    for (size_t i = 0; i < sample.count; i++) {
        if (sample.items[i].kind == RECEIPT_QR) {
            assert_int_equal(printed.items[i].kind, RECEIPT_IMAGE);
            assert_int_equal(printed.items[i].align, RECEIPT_ALIGN_CENTER);
            assert_int_equal(printed.items[i].image.height % 6, 0); /* module 6 */
        } else {
            assert_int_equal(printed.items[i].kind, sample.items[i].kind);
            if (sample.items[i].kind == RECEIPT_TEXT)
                assert_string_equal(printed.items[i].text, sample.items[i].text);
        }
    }
    stop(&r);
}

static void test_paper_running_low_still_prints(void **state)
{
    (void)state;
    rig r = start(PRINTER_SIM_80MM);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    printer_sim_set_paper_near_end(r.printer, true);
    at = wait_status(at, DEVICE_ONLINE, "paper-low");
    assert_int_equal(caught.statuses[at].supply, DEVICE_SUPPLY_LOW);
    receipt sample;
    printer_sim_sample_receipt(&sample, 80);
    submit(&r, 1, &sample);
    assert_true(wait_result(1)->ok);
    wait_status(at, DEVICE_ONLINE, "paper-low");
    stop(&r);
}

static void test_a_cutter_error_is_for_staff(void **state)
{
    (void)state;
    rig r = start(PRINTER_SIM_80MM);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    printer_sim_set_cutter_error(r.printer, true);
    at = wait_status(at, DEVICE_HARDWARE_ERROR, "cutter-error");
    receipt sample;
    printer_sim_sample_receipt(&sample, 80);
    submit(&r, 1, &sample);
    printer_result *result = wait_result(1);
    assert_false(result->ok);
    assert_string_equal(result->reason, "cutter-error");
    assert_int_equal(result->bytes_sent, 0);
    stop(&r);
}

static void test_unplugged_mid_job_fails_it_and_comes_back(void **state)
{
    (void)state;
    rig r = start(PRINTER_SIM_80MM);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    /* Still printing when the cable goes. */
    printer_sim_hold_printing(r.printer, true);
    receipt sample;
    printer_sim_sample_receipt(&sample, 80);
    submit(&r, 1, &sample);
    at = wait_status(at, DEVICE_BUSY, "printing");
    /* Everything sent and cut: the driver waits for the printer to say it
     * has printed it all. */
    for (int i = 0; i < WAIT_MS / 10 && printer_sim_cuts(r.printer) == 0; i++)
        nanosleep(&(struct timespec){0, 10 * 1000000L}, NULL);
    assert_int_equal(printer_sim_cuts(r.printer), 1);
    usb_model *printer = usb_sim_unplug(r.bus, LOCATION);
    assert_ptr_equal(printer, r.printer);
    printer_result *result = wait_result(1);
    assert_false(result->ok);
    assert_string_equal(result->reason, "unplugged");
    at = wait_status(at, DEVICE_NO_DEVICE, "unplugged");
    /* It may well have printed, but the printer never said so: not
     * "printed". */
    /* Plugged back in: ready, and it prints. */
    printer_sim_hold_printing(printer, false);
    assert_int_equal(usb_sim_plug(r.bus, printer, LOCATION), KIOSK_OK);
    wait_status(at, DEVICE_ONLINE, "ready");
    submit(&r, 2, &sample);
    assert_true(wait_result(2)->ok);
    stop(&r);
}

static void test_a_printer_that_stops_answering_is_for_staff(void **state)
{
    (void)state;
    rig r = start(PRINTER_SIM_80MM);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    printer_sim_set_silent(r.printer, true);
    receipt sample;
    printer_sim_sample_receipt(&sample, 80);
    submit(&r, 1, &sample);
    printer_result *result = wait_result(1);
    assert_false(result->ok);
    assert_string_equal(result->reason, "not-answering");
    assert_int_equal(result->bytes_sent, 0);
    at = wait_status(at, DEVICE_HARDWARE_ERROR, "not-answering");
    /* It comes back by itself once it answers again. */
    printer_sim_set_silent(r.printer, false);
    wait_status(at, DEVICE_ONLINE, "ready");
    stop(&r);
}

static void test_endpoints_other_than_the_table_says_are_found(void **state)
{
    (void)state;
    /* A "POS58" (0416:5011) whose table entry says OUT 0x03, IN 0x81, but
     * this one has 0x01 and 0x82, as the same model often does. */
    catch_start();
    result_count = 0;
    rig r = {0};
    assert_int_equal(usb_sim_create(&r.bus), KIOSK_OK);
    r.printer = printer_sim_create(PRINTER_SIM_58MM_NO_QR);
    assert_non_null(r.printer);
    r.printer->id = (usb_id){0x0416, 0x5011};
    assert_int_equal(usb_sim_plug(r.bus, r.printer, LOCATION), KIOSK_OK);
    const device_driver *drivers[] = {&printer_driver};
    device_sink sink = {.status = on_status, .deliver = on_printed};
    assert_int_equal(device_manager_start(r.bus, drivers, 1, &sink, &r.manager), KIOSK_OK);
    wait_status(0, DEVICE_ONLINE, "ready");
    receipt sample;
    printer_sim_sample_receipt(&sample, 58);
    submit(&r, 1, &sample);
    assert_true(wait_result(1)->ok);
    stop(&r);
}

static void test_an_idle_printer_is_asked_every_two_seconds(void **state)
{
    (void)state;
    rig r = start(PRINTER_SIM_80MM);
    wait_status(0, DEVICE_ONLINE, "ready");
    unsigned long before = printer_sim_status_answers(r.printer);
    struct timespec pause = {3, 0};
    nanosleep(&pause, NULL);
    /* Four answers a poll; at most two polls in three seconds. */
    unsigned long answers = printer_sim_status_answers(r.printer) - before;
    assert_true(answers >= 4 && answers <= 8);
    stop(&r);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_reference_receipt_prints_and_reads_back),
        cmocka_unit_test(test_paper_out_before_a_job_fails_at_once_with_nothing_sent),
        cmocka_unit_test(test_paper_out_in_the_middle_of_a_job_is_never_printed),
        cmocka_unit_test(test_a_long_job_is_checked_between_pieces),
        cmocka_unit_test(test_the_cover_opened_mid_job_fails_it),
        cmocka_unit_test(test_a_printer_without_qr_prints_the_code_as_a_raster),
        cmocka_unit_test(test_paper_running_low_still_prints),
        cmocka_unit_test(test_a_cutter_error_is_for_staff),
        cmocka_unit_test(test_unplugged_mid_job_fails_it_and_comes_back),
        cmocka_unit_test(test_a_printer_that_stops_answering_is_for_staff),
        cmocka_unit_test(test_endpoints_other_than_the_table_says_are_found),
        cmocka_unit_test(test_an_idle_printer_is_asked_every_two_seconds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
