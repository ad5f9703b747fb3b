/* The ID card reader driver under the device manager, on the simulated bus:
 * the real driver, the real frames, a simulated reader at the transport. */
#include "../support/test_support.h"
#include "drivers/driver_probes.h"
#include "firmware/base/base_probes.h"

#include "drivers/devices.h"
#include "drivers/sim/idcard_sim.h"
#include "drivers/usb_sim.h"
#include "firmware/base/event_channel.h"
#include "firmware/base/log.h"

#include "device_catch.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOCATION "sim-1"

typedef struct rig {
    usb_bus *bus;
    usb_model *reader;
    device_manager *manager;
} rig;

static rig start(bool plugged)
{
    catch_start();
    rig r = {0};
    assert_int_equal(usb_sim_create(&r.bus), KIOSK_OK);
    r.reader = idcard_sim_create();
    assert_non_null(r.reader);
    if (plugged)
        assert_int_equal(usb_sim_plug(r.bus, r.reader, LOCATION), KIOSK_OK);
    const device_driver *drivers[] = {&idcard_driver};
    device_sink sink = {.status = on_status, .deliver = on_deliver};
    assert_int_equal(device_manager_start(r.bus, drivers, 1, &sink, &r.manager), KIOSK_OK);
    return r;
}

static void stop(rig *r, bool plugged)
{
    device_manager_stop(r->manager);
    if (!plugged)
        r->reader->ops->destroy(r->reader);
    usb_bus_destroy(r->bus);
    catch_stop();
}

/* Lets the driver poll the reader at least `frames` more times. */
static void let_it_poll(usb_model *reader, unsigned long frames)
{
    unsigned long target = idcard_sim_frames_answered(reader) + frames;
    for (int i = 0; i < WAIT_MS / 10 && idcard_sim_frames_answered(reader) < target; i++) {
        struct timespec tick = {0, 10 * 1000000L};
        nanosleep(&tick, NULL);
    }
    assert_true(idcard_sim_frames_answered(reader) >= target);
}

static void test_a_laid_card_is_read_once(void **state)
{
    (void)state;
    rig r = start(true);
    int ready = wait_status(0, DEVICE_ONLINE, "ready");
    idcard_sim_lay_card(r.reader, IDCARD_SIM_ORDINARY);
    int reading = wait_status(ready, DEVICE_BUSY, "reading");
    wait_status(reading, DEVICE_ONLINE, "card-read");
    assert_int_equal(card_count(), 1);
    idcard_record *card = caught.cards[0];
    assert_string_equal(card->name, "王小明");
    assert_string_equal(card->id_number, "440304199001011233");
    assert_string_equal(card->birth_date, "19900101");
    assert_string_equal(card->ethnicity_code, "01");
    assert_int_equal(card->sex_code, '1');
    assert_int_equal(card->photo_length, IDCARD_PHOTO_LENGTH);
    /* The card stays on the reader: it is not read again. */
    let_it_poll(r.reader, 4);
    assert_int_equal(card_count(), 1);
    /* Lifted and another laid: that one is read. */
    idcard_sim_lift_card(r.reader);
    int again = wait_status(reading + 1, DEVICE_ONLINE, "ready");
    idcard_sim_lay_card(r.reader, IDCARD_SIM_LONG_TERM);
    wait_status(again, DEVICE_ONLINE, "card-read");
    assert_int_equal(card_count(), 2);
    assert_string_equal(caught.cards[1]->name, "赵桂兰");
    stop(&r, true);
}

static void test_every_synthetic_citizen_reads_through_the_driver(void **state)
{
    (void)state;
    rig r = start(true);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    for (int c = 0; c < IDCARD_SIM_CITIZEN_COUNT; c++) {
        idcard_sim_lay_card(r.reader, (idcard_sim_citizen)c);
        at = wait_status(at, DEVICE_ONLINE, "card-read");
        idcard_sim_lift_card(r.reader);
        at = wait_status(at, DEVICE_ONLINE, "ready");
    }
    assert_int_equal(card_count(), IDCARD_SIM_CITIZEN_COUNT);
    for (int c = 0; c < IDCARD_SIM_CITIZEN_COUNT; c++) {
        idcard_record expected;
        assert_int_equal(idcard_sim_citizen_record((idcard_sim_citizen)c, &expected), KIOSK_OK);
        assert_string_equal(caught.cards[c]->name, expected.name);
        assert_string_equal(caught.cards[c]->id_number, expected.id_number);
        assert_int_equal(caught.cards[c]->type, expected.type);
        idcard_record_wipe(&expected);
    }
    /* 15 characters fill the name; the rare one is outside the BMP (4 bytes
     * of UTF-8); 长期 and expiry as printed. */
    assert_string_equal(caught.cards[IDCARD_SIM_LONG_NAME]->name, "古丽米热·阿卜杜克热木·买买提");
    assert_non_null(strstr(caught.cards[IDCARD_SIM_RARE_CHARACTER]->name, "\xF0\xAA\x9A\xA5"));
    assert_true(caught.cards[IDCARD_SIM_LONG_TERM]->long_term);
    assert_false(idcard_expired(caught.cards[IDCARD_SIM_LONG_TERM], "20261122"));
    assert_true(idcard_expired(caught.cards[IDCARD_SIM_EXPIRED], "20261122"));
    assert_int_equal(caught.cards[IDCARD_SIM_FOREIGN]->type, IDCARD_TYPE_FOREIGN_PERMANENT);
    assert_string_equal(caught.cards[IDCARD_SIM_FOREIGN]->id_number, "FRA310088041200");
    assert_int_equal(caught.cards[IDCARD_SIM_FOREIGN_2023]->type,
                     IDCARD_TYPE_FOREIGN_PERMANENT_2023);
    assert_string_equal(caught.cards[IDCARD_SIM_FOREIGN_2023]->id_number, "931276199103050026");
    assert_string_equal(caught.cards[IDCARD_SIM_FOREIGN_2023]->name_en,
                        "MUELLER-LUDENSCHEIDT, ALEXANDRA MARIA KATHRIN");
    stop(&r, true);
}

static void test_a_card_pulled_during_the_read_keeps_nothing(void **state)
{
    (void)state;
    rig r = start(true);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    idcard_sim_set_fault(r.reader, IDCARD_SIM_FAULT_PULLED_DURING_READ);
    idcard_sim_lay_card(r.reader, IDCARD_SIM_ORDINARY);
    at = wait_status(at, DEVICE_USER_ERROR, "card-moved");
    assert_int_equal(card_count(), 0);
    /* The card is gone; laid again, it reads. */
    at = wait_status(at, DEVICE_ONLINE, "ready");
    idcard_sim_lay_card(r.reader, IDCARD_SIM_ORDINARY);
    wait_status(at, DEVICE_ONLINE, "card-read");
    assert_int_equal(card_count(), 1);
    stop(&r, true);
}

static void test_a_read_that_stops_half_way_keeps_nothing(void **state)
{
    (void)state;
    rig r = start(true);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    idcard_sim_set_fault(r.reader, IDCARD_SIM_FAULT_TRUNCATED_READ);
    idcard_sim_lay_card(r.reader, IDCARD_SIM_ORDINARY);
    at = wait_status(at, DEVICE_USER_ERROR, "card-moved");
    assert_int_equal(card_count(), 0);
    /* Lifted and laid again, it reads. */
    idcard_sim_lift_card(r.reader);
    at = wait_status(at, DEVICE_ONLINE, "ready");
    idcard_sim_lay_card(r.reader, IDCARD_SIM_ORDINARY);
    wait_status(at, DEVICE_ONLINE, "card-read");
    assert_int_equal(card_count(), 1);
    stop(&r, true);
}

static void test_damaged_answers_are_asked_again(void **state)
{
    (void)state;
    rig r = start(true);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    idcard_sim_set_fault(r.reader, IDCARD_SIM_FAULT_BAD_CHECKSUM_ONCE);
    let_it_poll(r.reader, 2);
    idcard_sim_set_fault(r.reader, IDCARD_SIM_FAULT_GARBAGE_ONCE);
    idcard_sim_lay_card(r.reader, IDCARD_SIM_ORDINARY);
    at = wait_status(at, DEVICE_ONLINE, "card-read");
    assert_int_equal(card_count(), 1);
    assert_string_equal(caught.cards[0]->id_number, "440304199001011233");
    /* Nobody was bothered: no error was reported on the way. */
    for (int i = 0; i < status_count(); i++)
        assert_true(caught.statuses[i].state == DEVICE_ONLINE ||
                    caught.statuses[i].state == DEVICE_BUSY ||
                    caught.statuses[i].state == DEVICE_NO_DEVICE);
    stop(&r, true);
}

/* Log lines written while the driver runs (info and up), counted. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int log_lines;

static void count_line(void *context, const char *line, size_t length)
{
    (void)context;
    (void)line;
    (void)length;
    pthread_mutex_lock(&log_lock);
    log_lines++;
    pthread_mutex_unlock(&log_lock);
}

static int lines_logged(void)
{
    pthread_mutex_lock(&log_lock);
    int n = log_lines;
    pthread_mutex_unlock(&log_lock);
    return n;
}

static void sleep_ms(long ms)
{
    struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

static long cpu_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return (long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static long wall_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* How the reader is watched while its answers stay damaged. */
#define WINDOW_MS            4500 /* two tries at least, three at most */
#define MAX_FRAMES_IN_WINDOW 9    /* three tries of find, select, read */

/* A reader that damages its answers until repaired: staff are told it is
 * not answering within a second; then, over a window of 4.5 s, it is tried
 * every 2 s (a handful of frames, not thousands), nothing new is reported or
 * logged, and no core is spent; repaired, the card on it is read. */
static void check_persistent_damage(idcard_sim_fault fault, idcard_sim_target target)
{
    pthread_mutex_lock(&log_lock);
    log_lines = 0;
    pthread_mutex_unlock(&log_lock);
    log_set_writer(count_line, NULL);
    log_set_level(LOG_LEVEL_INFO);
    rig r = start(true);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    idcard_sim_set_fault_target(r.reader, target);
    idcard_sim_set_fault(r.reader, fault);
    idcard_sim_lay_card(r.reader, IDCARD_SIM_ORDINARY);
    long laid = wall_ms();
    int lines_at_fault = lines_logged();
    if (target == IDCARD_SIM_TARGET_READ)
        at = wait_status(at, DEVICE_BUSY, "reading"); /* what the citizen saw first */
    at = wait_status(at, DEVICE_HARDWARE_ERROR, "not-answering");
    long to_fault = wall_ms() - laid;
    printf("  fault %d target %d: not-answering after %ld ms\n", (int)fault, (int)target, to_fault);
    assert_true(to_fault < 1500);
    /* The driver's line and the manager's, for the change; no more. */
    sleep_ms(100);
    int fault_lines = lines_logged() - lines_at_fault;
    assert_true(fault_lines >= 1 && fault_lines <= 3);

    unsigned long frames = idcard_sim_frames_answered(r.reader);
    int statuses = status_count(), lines = lines_logged();
    long cpu = cpu_ms();
    sleep_ms(WINDOW_MS);
    frames = idcard_sim_frames_answered(r.reader) - frames;
    cpu = cpu_ms() - cpu;
    int new_lines = lines_logged() - lines;
    printf("  over %d ms: %lu frames, %d statuses, %d log lines, %ld ms of CPU "
           "(%d lines to the fault)\n",
           WINDOW_MS, frames, status_count() - statuses, new_lines, cpu, fault_lines);
    assert_true(frames >= 2);                    /* it does keep trying */
    assert_true(frames <= MAX_FRAMES_IN_WINDOW); /* but not in a loop */
    assert_int_equal(status_count(), statuses);  /* nothing flaps */
    assert_int_equal(new_lines, 0);              /* one line per change, not per try */
    assert_true(cpu < WINDOW_MS / 10);           /* no core spinning */
    assert_int_equal(card_count(), 0);
    assert_int_equal(device_manager_status(r.manager, DEVICE_ID_READER).state,
                     DEVICE_HARDWARE_ERROR);

    /* Repaired: the card still on it is read at the next try, and the log
     * says so in a few lines. */
    idcard_sim_set_fault(r.reader, IDCARD_SIM_FAULT_NONE);
    lines = lines_logged();
    wait_status(at, DEVICE_ONLINE, "card-read");
    assert_int_equal(card_count(), 1);
    assert_string_equal(caught.cards[0]->id_number, "440304199001011233");
    sleep_ms(100);
    assert_true(lines_logged() - lines <= 4);
    stop(&r, true);
    log_set_writer(NULL, NULL);
    log_set_level(LOG_LEVEL_ERROR);
}

static void test_select_and_read_answered_with_a_bad_checksum_for_good(void **state)
{
    (void)state;
    check_persistent_damage(IDCARD_SIM_FAULT_BAD_CHECKSUM_ALWAYS, IDCARD_SIM_TARGET_CARD);
}

static void test_reads_answered_with_a_bad_checksum_for_good(void **state)
{
    (void)state;
    /* The citizen was shown "reading": it must not stay so. */
    check_persistent_damage(IDCARD_SIM_FAULT_BAD_CHECKSUM_ALWAYS, IDCARD_SIM_TARGET_READ);
}

static void test_select_and_read_answered_with_an_error_status_for_good(void **state)
{
    (void)state;
    check_persistent_damage(IDCARD_SIM_FAULT_ERROR_STATUS_ALWAYS, IDCARD_SIM_TARGET_CARD);
}

static void test_select_and_read_answered_with_an_absurd_length_for_good(void **state)
{
    (void)state;
    check_persistent_damage(IDCARD_SIM_FAULT_BAD_LENGTH_ALWAYS, IDCARD_SIM_TARGET_CARD);
}

static void test_every_answer_damaged_for_good(void **state)
{
    (void)state;
    check_persistent_damage(IDCARD_SIM_FAULT_BAD_CHECKSUM_ALWAYS, IDCARD_SIM_TARGET_EVERY);
}

static void test_a_reader_that_says_every_frame_arrived_damaged_is_not_answering(void **state)
{
    (void)state;
    /* From the first frame, the security module's status included: that is
     * the link, not a failed security module. */
    rig r = start(false);
    int at = wait_status(0, DEVICE_NO_DEVICE, "not-found");
    idcard_sim_set_fault_target(r.reader, IDCARD_SIM_TARGET_EVERY);
    idcard_sim_set_fault(r.reader, IDCARD_SIM_FAULT_ERROR_STATUS_ALWAYS);
    assert_int_equal(usb_sim_plug(r.bus, r.reader, LOCATION), KIOSK_OK);
    at = wait_status(at, DEVICE_HARDWARE_ERROR, "not-answering");
    for (int i = 0; i < status_count(); i++)
        assert_string_not_equal(caught.statuses[i].reason, "reader-fault");
    idcard_sim_set_fault(r.reader, IDCARD_SIM_FAULT_NONE);
    wait_status(at, DEVICE_ONLINE, "ready");
    stop(&r, true);
}

static void test_a_false_preamble_before_every_answer_loses_nothing(void **state)
{
    (void)state;
    rig r = start(true);
    idcard_sim_set_fault(r.reader, IDCARD_SIM_FAULT_FALSE_PREAMBLE_ALWAYS);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    long laid = wall_ms();
    idcard_sim_lay_card(r.reader, IDCARD_SIM_ORDINARY);
    at = wait_status(at, DEVICE_ONLINE, "card-read");
    /* Found at once, without waiting for the false frame to time out. */
    assert_true(wall_ms() - laid < 900);
    assert_int_equal(card_count(), 1);
    assert_string_equal(caught.cards[0]->id_number, "440304199001011233");
    idcard_sim_lift_card(r.reader);
    at = wait_status(at, DEVICE_ONLINE, "ready");
    idcard_sim_lay_card(r.reader, IDCARD_SIM_FOREIGN_2023);
    wait_status(at, DEVICE_ONLINE, "card-read");
    assert_int_equal(card_count(), 2);
    for (int i = 0; i < status_count(); i++)
        assert_true(caught.statuses[i].state == DEVICE_ONLINE ||
                    caught.statuses[i].state == DEVICE_BUSY ||
                    caught.statuses[i].state == DEVICE_NO_DEVICE);
    stop(&r, true);
}

static void test_a_card_that_is_not_an_id_card_is_refused(void **state)
{
    (void)state;
    rig r = start(true);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    idcard_sim_set_fault(r.reader, IDCARD_SIM_FAULT_UNREADABLE_CARD);
    idcard_sim_lay_card(r.reader, IDCARD_SIM_ORDINARY);
    wait_status(at, DEVICE_USER_ERROR, "card-unreadable");
    assert_int_equal(card_count(), 0);
    stop(&r, true);
}

static void test_a_failed_security_module_is_for_staff(void **state)
{
    (void)state;
    rig r = start(true);
    idcard_sim_set_fault(r.reader, IDCARD_SIM_FAULT_SAM);
    int at = wait_status(0, DEVICE_HARDWARE_ERROR, "reader-fault");
    /* Repaired (the fault clears): the reader comes back by itself. */
    idcard_sim_set_fault(r.reader, IDCARD_SIM_FAULT_NONE);
    wait_status(at, DEVICE_ONLINE, "ready");
    stop(&r, true);
}

static void test_unplugged_and_plugged_back_without_a_restart(void **state)
{
    (void)state;
    rig r = start(false);
    int at = wait_status(0, DEVICE_NO_DEVICE, "not-found");
    assert_int_equal(usb_sim_plug(r.bus, r.reader, LOCATION), KIOSK_OK);
    at = wait_status(at, DEVICE_ONLINE, "ready");
    /* Pulled while polling. */
    usb_model *reader = usb_sim_unplug(r.bus, LOCATION);
    assert_ptr_equal(reader, r.reader);
    at = wait_status(at, DEVICE_NO_DEVICE, "unplugged");
    assert_int_equal(device_manager_status(r.manager, DEVICE_ID_READER).state, DEVICE_NO_DEVICE);
    /* Back, with a card already on it. */
    idcard_sim_lay_card(reader, IDCARD_SIM_EXPIRED);
    assert_int_equal(usb_sim_plug(r.bus, reader, LOCATION), KIOSK_OK);
    wait_status(at, DEVICE_ONLINE, "card-read");
    assert_int_equal(card_count(), 1);
    assert_string_equal(caught.cards[0]->name, "孙建国");
    stop(&r, true);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_laid_card_is_read_once),
        cmocka_unit_test(test_every_synthetic_citizen_reads_through_the_driver),
        cmocka_unit_test(test_a_card_pulled_during_the_read_keeps_nothing),
        cmocka_unit_test(test_a_read_that_stops_half_way_keeps_nothing),
        cmocka_unit_test(test_damaged_answers_are_asked_again),
        cmocka_unit_test(test_select_and_read_answered_with_a_bad_checksum_for_good),
        cmocka_unit_test(test_reads_answered_with_a_bad_checksum_for_good),
        cmocka_unit_test(test_select_and_read_answered_with_an_error_status_for_good),
        cmocka_unit_test(test_select_and_read_answered_with_an_absurd_length_for_good),
        cmocka_unit_test(test_every_answer_damaged_for_good),
        cmocka_unit_test(test_a_reader_that_says_every_frame_arrived_damaged_is_not_answering),
        cmocka_unit_test(test_a_false_preamble_before_every_answer_loses_nothing),
        cmocka_unit_test(test_a_card_that_is_not_an_id_card_is_refused),
        cmocka_unit_test(test_a_failed_security_module_is_for_staff),
        cmocka_unit_test(test_unplugged_and_plugged_back_without_a_restart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
