/* The ID card reader driver under the device manager, on the simulated bus:
 * the real driver, the real frames, a simulated reader at the transport. */
#include "../support/test_support.h"

#include "drivers/devices.h"
#include "drivers/sim/idcard_sim.h"
#include "drivers/usb_sim.h"
#include "firmware/event_channel.h"

#include "device_catch.h"

#include <pthread.h>
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
        cmocka_unit_test(test_a_card_that_is_not_an_id_card_is_refused),
        cmocka_unit_test(test_a_failed_security_module_is_for_staff),
        cmocka_unit_test(test_unplugged_and_plugged_back_without_a_restart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
