/* The accessibility keypad: the pure report decoder (each key, a held key,
 * rollover and phantom states, bad lengths, chords), and the driver under
 * the device manager on the simulated bus, with the simulated keypad at the
 * transport: a press arrives as one delivery of kind keypad, a cable pulled
 * is reported, a storm of presses stays bounded, the log holds no key. */
#include "../support/test_support.h"
#include "drivers/driver_probes.h"

#include "drivers/devices.h"
#include "drivers/keypad/keypad.h"
#include "drivers/sim/simulation.h"
#include "drivers/usb_sim.h"
#include "firmware/app/app_keypad.h"
#include "firmware/base/log.h"
#include "firmware/base/monotonic.h"

#include "device_catch.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOCATION  "sim-4"
#define PRESS_MAX 64

#define CTRL  0x01
#define SHIFT 0x02
#define ALT   0x04
#define GUI   0x08

/* The decoder. */

static keypad_report_state state;
static keypad_key presses[KEYPAD_REPORT_KEYS];
static size_t count;

/* One report of modifiers and up to three keys; what it gave. */
static keypad_report_result report(uint8_t modifiers, uint8_t a, uint8_t b, uint8_t c)
{
    const uint8_t bytes[KEYPAD_REPORT_LENGTH] = {modifiers, 0, a, b, c, 0, 0, 0};
    return keypad_report_decode(&state, bytes, sizeof bytes, presses, &count);
}

/* A report holding usage alone gave exactly one press, of key. */
static void assert_pressed(uint8_t usage, keypad_key key)
{
    assert_int_equal(report(0, usage, 0, 0), KEYPAD_REPORT_OK);
    assert_int_equal(count, 1);
    assert_int_equal(presses[0], key);
}

static void assert_nothing(keypad_report_result result)
{
    assert_int_equal(result, KEYPAD_REPORT_OK);
    assert_int_equal(count, 0);
}

static void test_each_key_is_one_press_and_its_release_none(void **state_)
{
    (void)state_;
    for (int k = KEYPAD_KEY_NONE + 1; k < KEYPAD_KEY_COUNT; k++) {
        memset(&state, 0, sizeof state);
        uint8_t usage = keypad_usage_of_key((keypad_key)k);
        assert_int_not_equal(usage, 0);
        assert_int_equal(keypad_key_of_usage(usage), k);
        assert_pressed(usage, (keypad_key)k);
        assert_nothing(report(0, 0, 0, 0));
        assert_pressed(usage, (keypad_key)k); /* let go and pressed again: a press */
    }
    /* The layout of drivers/keypad/keypad.h, and the other usages each key
     * answers to. */
    static const struct {
        uint8_t usage;
        keypad_key key;
    } layout[] = {
        {0x52, KEYPAD_KEY_UP},     {0x51, KEYPAD_KEY_DOWN},      {0x50, KEYPAD_KEY_LEFT},
        {0x4F, KEYPAD_KEY_RIGHT},  {0x58, KEYPAD_KEY_ENTER},     {0x28, KEYPAD_KEY_ENTER},
        {0x29, KEYPAD_KEY_BACK},   {0x75, KEYPAD_KEY_HELP},      {0x3A, KEYPAD_KEY_HELP},
        {0x79, KEYPAD_KEY_REPEAT}, {0x80, KEYPAD_KEY_VOLUME_UP}, {0x81, KEYPAD_KEY_VOLUME_DOWN},
        {0x2A, KEYPAD_KEY_CLEAR},  {0x4C, KEYPAD_KEY_CLEAR},     {0xD8, KEYPAD_KEY_CLEAR},
        {0x62, KEYPAD_KEY_0},      {0x27, KEYPAD_KEY_0},         {0x59, KEYPAD_KEY_1},
        {0x1E, KEYPAD_KEY_1},      {0x61, KEYPAD_KEY_9},         {0x26, KEYPAD_KEY_9},
    };
    for (size_t i = 0; i < sizeof layout / sizeof layout[0]; i++) {
        memset(&state, 0, sizeof state);
        assert_pressed(layout[i].usage, layout[i].key);
    }
    for (int d = 0; d <= 9; d++) {
        memset(&state, 0, sizeof state);
        keypad_key key = (keypad_key)(KEYPAD_KEY_0 + d);
        assert_pressed(d == 0 ? 0x62 : (uint8_t)(0x59 + d - 1), key);
        memset(&state, 0, sizeof state);
        assert_pressed(d == 0 ? 0x27 : (uint8_t)(0x1E + d - 1), key);
    }
    /* Keys of a keyboard that are no keypad key: nothing, and no refusal. */
    memset(&state, 0, sizeof state);
    assert_nothing(report(0, 0x04, 0x2C, 0xE0)); /* a, space, a modifier as a key */
    assert_int_equal(keypad_key_of_usage(0), KEYPAD_KEY_NONE);
    assert_int_equal(keypad_usage_of_key(KEYPAD_KEY_NONE), 0);
    assert_int_equal(keypad_usage_of_key(KEYPAD_KEY_COUNT), 0);
}

static void test_names(void **state_)
{
    (void)state_;
    assert_string_equal(keypad_report_result_name(KEYPAD_REPORT_ROLLOVER), "rollover");
    assert_string_equal(keypad_report_result_name(KEYPAD_REPORT_BAD_LENGTH), "bad-length");
    assert_string_equal(keypad_report_result_name(KEYPAD_REPORT_REPEATED_KEY), "repeated-key");
}

static void test_a_held_key_is_one_press(void **state_)
{
    (void)state_;
    memset(&state, 0, sizeof state);
    assert_pressed(0x52, KEYPAD_KEY_UP);
    /* The same state again and again (a keypad that repeats its report). */
    for (int i = 0; i < 5; i++)
        assert_nothing(report(0, 0x52, 0, 0));
    /* Another key while up is held: that one only; up moving to another
     * place in the report is still held. */
    assert_pressed(0x51, KEYPAD_KEY_DOWN); /* up let go, down pressed */
    assert_int_equal(report(0, 0x51, 0x52, 0), KEYPAD_REPORT_OK);
    assert_int_equal(count, 1);
    assert_int_equal(presses[0], KEYPAD_KEY_UP);
    assert_nothing(report(0, 0x52, 0x51, 0));
    /* Two keys down in one report: both, in the order of their places. */
    assert_nothing(report(0, 0, 0, 0));
    assert_int_equal(report(0, 0x5A, 0x58, 0), KEYPAD_REPORT_OK);
    assert_int_equal(count, 2);
    assert_int_equal(presses[0], KEYPAD_KEY_2);
    assert_int_equal(presses[1], KEYPAD_KEY_ENTER);
    /* Enter held, and the keyboard Enter besides: still the one enter. */
    assert_nothing(report(0, 0x5A, 0x58, 0x28));
    assert_nothing(report(0, 0, 0, 0));
    /* Both enters going down at once: one press. */
    assert_int_equal(report(0, 0x28, 0x58, 0), KEYPAD_REPORT_OK);
    assert_int_equal(count, 1);
    assert_int_equal(presses[0], KEYPAD_KEY_ENTER);
    /* The keypad enter let go while the keyboard one stays: no press. */
    assert_nothing(report(0, 0x28, 0, 0));
    assert_nothing(report(0, 0x58, 0, 0));
}

static void test_rollover_and_phantom_states_are_refused(void **state_)
{
    (void)state_;
    memset(&state, 0, sizeof state);
    assert_pressed(0x52, KEYPAD_KEY_UP);
    keypad_report_state before = state;
    /* Too many keys: every place says ErrorRollOver. */
    const uint8_t rollover[KEYPAD_REPORT_LENGTH] = {0, 0, 1, 1, 1, 1, 1, 1};
    assert_int_equal(keypad_report_decode(&state, rollover, sizeof rollover, presses, &count),
                     KEYPAD_REPORT_ROLLOVER);
    assert_int_equal(count, 0);
    assert_memory_equal(&state, &before, sizeof state);
    /* POSTFail and ErrorUndefined beside real keys: nothing of it is taken. */
    assert_int_equal(report(0, 0x51, 0x02, 0), KEYPAD_REPORT_ROLLOVER);
    assert_int_equal(count, 0);
    assert_int_equal(report(0, 0x59, 0x5A, 0x03), KEYPAD_REPORT_ROLLOVER);
    assert_int_equal(count, 0);
    assert_memory_equal(&state, &before, sizeof state);
    /* One usage in two places: no keyboard says that. */
    assert_int_equal(report(0, 0x51, 0x51, 0), KEYPAD_REPORT_REPEATED_KEY);
    assert_int_equal(count, 0);
    assert_memory_equal(&state, &before, sizeof state);
    /* The rollover clears with up still held: up is not pressed again, the
     * new key is. */
    assert_int_equal(report(0, 0x52, 0x51, 0), KEYPAD_REPORT_OK);
    assert_int_equal(count, 1);
    assert_int_equal(presses[0], KEYPAD_KEY_DOWN);
}

static void test_reports_of_the_wrong_length_are_refused(void **state_)
{
    (void)state_;
    memset(&state, 0, sizeof state);
    assert_pressed(0x52, KEYPAD_KEY_UP);
    keypad_report_state before = state;
    uint8_t bytes[65] = {0, 0, 0x51, 0x59};
    const size_t lengths[] = {0, 1, 3, 7, 9, 16, 64, 65};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        assert_int_equal(keypad_report_decode(&state, bytes, lengths[i], presses, &count),
                         KEYPAD_REPORT_BAD_LENGTH);
        assert_int_equal(count, 0);
        assert_memory_equal(&state, &before, sizeof state);
    }
    assert_int_equal(keypad_report_decode(&state, NULL, KEYPAD_REPORT_LENGTH, presses, &count),
                     KEYPAD_REPORT_BAD_LENGTH);
    /* A report ID before a boot report is a wrong length too. */
    const uint8_t with_id[9] = {1, 0, 0, 0x51};
    assert_int_equal(keypad_report_decode(&state, with_id, sizeof with_id, presses, &count),
                     KEYPAD_REPORT_BAD_LENGTH);
    assert_memory_equal(&state, &before, sizeof state);
}

static void test_a_chord_is_no_press(void **state_)
{
    (void)state_;
    const uint8_t chords[] = {CTRL, ALT, GUI, CTRL << 4, ALT << 4, GUI << 4};
    for (size_t i = 0; i < sizeof chords / sizeof chords[0]; i++) {
        memset(&state, 0, sizeof state);
        assert_nothing(report(chords[i], 0x52, 0, 0));
        /* The modifier let go, the key still held: still no press. */
        assert_nothing(report(0, 0x52, 0, 0));
        assert_nothing(report(0, 0, 0, 0));
    }
    /* Shift changes nothing. */
    memset(&state, 0, sizeof state);
    assert_int_equal(report(SHIFT | (SHIFT << 4), 0x52, 0, 0), KEYPAD_REPORT_OK);
    assert_int_equal(count, 1);
    assert_int_equal(presses[0], KEYPAD_KEY_UP);
}

/* The driver, on the simulated bus. */

/* The presses the manager handed on, held until released. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    keypad_event *events[PRESS_MAX];
    void (*release[PRESS_MAX])(void *);
    int count, released;
    int wrong_kind;
} keys;

static kiosk_error on_key(void *context, device_kind kind, void *payload, void (*release)(void *))
{
    (void)context;
    pthread_mutex_lock(&keys.lock);
    kiosk_error result = KIOSK_ERR_BUSY;
    if (kind != DEVICE_KEYPAD) {
        keys.wrong_kind++;
        result = KIOSK_ERR_INVALID_ARGUMENT;
    } else if (keys.count < PRESS_MAX) {
        keys.events[keys.count] = payload;
        keys.release[keys.count] = release;
        keys.count++;
        result = KIOSK_OK;
    }
    pthread_cond_broadcast(&keys.changed);
    pthread_mutex_unlock(&keys.lock);
    return result;
}

static void release_caught(void)
{
    pthread_mutex_lock(&keys.lock);
    while (keys.released < keys.count) {
        int i = keys.released++;
        keys.release[i](keys.events[i]);
        keys.events[i] = NULL;
    }
    pthread_mutex_unlock(&keys.lock);
}

static int key_count(void)
{
    pthread_mutex_lock(&keys.lock);
    int n = keys.count;
    pthread_mutex_unlock(&keys.lock);
    return n;
}

static void wait_keys(int n)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += WAIT_MS / 1000;
    pthread_mutex_lock(&keys.lock);
    while (keys.count < n && pthread_cond_timedwait(&keys.changed, &keys.lock, &deadline) == 0) {
    }
    int got = keys.count;
    pthread_mutex_unlock(&keys.lock);
    if (got < n)
        fail_msg("%d key presses delivered, %d expected", got, n);
}

static keypad_key key_at(int i)
{
    pthread_mutex_lock(&keys.lock);
    keypad_key key = i < keys.count && keys.events[i] ? keys.events[i]->key : KEYPAD_KEY_NONE;
    pthread_mutex_unlock(&keys.lock);
    return key;
}

static void sleep_ms(long ms)
{
    struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

typedef struct rig {
    usb_bus *bus;
    usb_model *keypad;
    device_manager *manager;
} rig;

static void catch_keys_start(void)
{
    catch_start();
    memset(&keys, 0, sizeof keys);
    pthread_mutex_init(&keys.lock, NULL);
    pthread_cond_init(&keys.changed, NULL);
}

static void catch_keys_stop(void)
{
    release_caught();
    assert_int_equal(keys.wrong_kind, 0);
    assert_int_equal(keypad_presses_in_flight(), 0);
    pthread_cond_destroy(&keys.changed);
    pthread_mutex_destroy(&keys.lock);
    catch_stop();
}

/* The registry's keypad row: its simulator's model on a simulated bus, its
 * driver under a manager. */
static rig start(bool plugged)
{
    catch_keys_start();
    rig r = {0};
    const device_registry_row *row = &device_registry[DEVICE_KEYPAD];
    assert_int_equal(row->kind, DEVICE_KEYPAD);
    assert_ptr_equal(row->driver, &keypad_driver);
    assert_ptr_equal(row->simulator, &keypad_simulator);
    assert_int_equal(usb_sim_create(&r.bus), KIOSK_OK);
    r.keypad = row->simulator->create(r.bus);
    assert_non_null(r.keypad);
    if (plugged)
        assert_int_equal(usb_sim_plug(r.bus, r.keypad, LOCATION), KIOSK_OK);
    const device_driver *drivers[] = {row->driver};
    device_sink sink = {.status = on_status, .deliver = on_key};
    assert_int_equal(device_manager_start(r.bus, drivers, 1, &sink, &r.manager), KIOSK_OK);
    return r;
}

static void stop(rig *r)
{
    device_manager_stop(r->manager);
    usb_bus_destroy(r->bus); /* and the keypad plugged into it */
    catch_keys_stop();
}

/* A developer's key on the simulated keypad: true when it was the keypad's. */
static bool press(rig *r, int key)
{
    simulation_keys simulation = {.model = r->keypad};
    return keypad_simulator.key(&simulation, key);
}

static void test_a_press_arrives_as_one_delivery_of_kind_keypad(void **state_)
{
    (void)state_;
    rig r = start(true);
    int at = wait_status(0, DEVICE_ONLINE, "ready");
    uint64_t before = monotonic_now_ms();
    assert_true(press(&r, 'i'));
    wait_keys(1);
    assert_int_equal(key_at(0), KEYPAD_KEY_UP);
    pthread_mutex_lock(&keys.lock);
    assert_true(keys.events[0]->pressed_at_ms >= before);
    pthread_mutex_unlock(&keys.lock);
    assert_int_equal(keypad_presses_in_flight(), 1);
    /* Each press is sent as down, down again, up: the next key's delivery
     * comes after the repeat of the one before was read, and added nothing. */
    assert_true(press(&r, 'k'));
    wait_keys(2);
    assert_int_equal(key_at(1), KEYPAD_KEY_DOWN);
    assert_true(press(&r, 'o'));
    wait_keys(3);
    assert_int_equal(key_at(2), KEYPAD_KEY_ENTER);
    sleep_ms(100);
    assert_int_equal(key_count(), 3);
    release_caught();
    assert_int_equal(keypad_presses_in_flight(), 0);
    /* Nothing else was said: the keypad stays ready. */
    assert_int_equal(status_count(), at + 1);
    stop(&r);
}

static void test_every_developer_key_presses_its_key(void **state_)
{
    (void)state_;
    rig r = start(true);
    wait_status(0, DEVICE_ONLINE, "ready");
    static const struct {
        int key;
        keypad_key pressed;
    } developer[] = {
        {'i', KEYPAD_KEY_UP},          {'k', KEYPAD_KEY_DOWN},   {'j', KEYPAD_KEY_LEFT},
        {'l', KEYPAD_KEY_RIGHT},       {'o', KEYPAD_KEY_ENTER},  {'b', KEYPAD_KEY_BACK},
        {'h', KEYPAD_KEY_HELP},        {'r', KEYPAD_KEY_REPEAT}, {'=', KEYPAD_KEY_VOLUME_UP},
        {'-', KEYPAD_KEY_VOLUME_DOWN}, {'c', KEYPAD_KEY_CLEAR},
    };
    int n = (int)(sizeof developer / sizeof developer[0]);
    for (int i = 0; i < n; i++) {
        assert_true(press(&r, developer[i].key));
        wait_keys(i + 1);
        assert_int_equal(key_at(i), developer[i].pressed);
        release_caught();
    }
    /* The other simulators' keys are not the keypad's. */
    const int others[] = {'0', '1', '7', 'u', 'p', 's', 'e', 'x', 0, 0x100};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        assert_false(press(&r, others[i]));
    sleep_ms(100);
    assert_int_equal(key_count(), n);
    stop(&r);
}

static void test_unplugged_and_plugged_back(void **state_)
{
    (void)state_;
    rig r = start(false);
    int at = wait_status(0, DEVICE_NO_DEVICE, "not-found");
    assert_int_equal(usb_sim_plug(r.bus, r.keypad, LOCATION), KIOSK_OK);
    at = wait_status(at, DEVICE_ONLINE, "ready");
    assert_true(press(&r, 'b'));
    wait_keys(1);
    /* The key's repeat and its let-go read too: a model keeps what it did
     * not send over an unplug, where a keypad without power would not. */
    sleep_ms(200);
    /* The cable pulled: reported, and nothing delivered while it is out. */
    assert_ptr_equal(usb_sim_unplug(r.bus, LOCATION), r.keypad);
    at = wait_status(at, DEVICE_NO_DEVICE, "unplugged");
    /* The manager's own view follows the report (on its thread: under
     * emulation a moment later). */
    device_status status = device_manager_status(r.manager, DEVICE_KEYPAD);
    for (int i = 0; i < WAIT_MS / 10 && status.state != DEVICE_NO_DEVICE; i++) {
        sleep_ms(10);
        status = device_manager_status(r.manager, DEVICE_KEYPAD);
    }
    assert_int_equal(status.kind, DEVICE_KEYPAD);
    assert_int_equal(status.state, DEVICE_NO_DEVICE);
    /* Plugged back: ready again, and read at once. */
    assert_int_equal(usb_sim_plug(r.bus, r.keypad, LOCATION), KIOSK_OK);
    wait_status(at, DEVICE_ONLINE, "ready");
    assert_true(press(&r, 'h'));
    wait_keys(2);
    assert_int_equal(key_at(0), KEYPAD_KEY_BACK);
    assert_int_equal(key_at(1), KEYPAD_KEY_HELP);
    stop(&r);
}

static void test_a_storm_of_presses_stays_bounded(void **state_)
{
    (void)state_;
    rig r = start(true);
    wait_status(0, DEVICE_ONLINE, "ready");
    unsigned long dropped = keypad_presses_dropped();
    /* The main thread keeps none of them released: 20 presses, room for 16. */
    for (int i = 0; i < 20; i++)
        assert_true(press(&r, i % 2 ? 'i' : 'k'));
    for (int i = 0; i < WAIT_MS / 10 && keypad_presses_dropped() - dropped < 4; i++)
        sleep_ms(10);
    assert_int_equal(keypad_presses_dropped() - dropped, 4);
    assert_int_equal(key_count(), KEYPAD_MAX_IN_FLIGHT);
    assert_int_equal(keypad_presses_in_flight(), KEYPAD_MAX_IN_FLIGHT);
    /* Released, presses flow again. */
    release_caught();
    assert_int_equal(keypad_presses_in_flight(), 0);
    assert_true(press(&r, 'o'));
    wait_keys(KEYPAD_MAX_IN_FLIGHT + 1);
    assert_int_equal(key_at(KEYPAD_MAX_IN_FLIGHT), KEYPAD_KEY_ENTER);
    stop(&r);
}

/* The keypad as a board gets it: through the simulation, at its row's place. */
static void test_the_simulation_plugs_the_keypad_of_the_registry(void **state_)
{
    (void)state_;
    catch_keys_start();
    const device_kind kinds[] = {DEVICE_KEYPAD};
    device_sink sink = {.status = on_status, .deliver = on_key};
    simulation *sim = NULL;
    assert_int_equal(simulation_start(kinds, 1, &sink, &sim), KIOSK_OK);
    wait_status(0, DEVICE_ONLINE, "ready");
    assert_non_null(simulation_model(sim, DEVICE_KEYPAD));
    assert_null(simulation_model(sim, DEVICE_ID_READER));
    assert_true(simulation_key(sim, 'j'));
    assert_false(simulation_key(sim, '1')); /* no reader on this board */
    wait_keys(1);
    assert_int_equal(key_at(0), KEYPAD_KEY_LEFT);
    assert_string_equal(device_kind_name(DEVICE_KEYPAD), "keypad");
    device_kind kind;
    assert_true(device_kind_from_name("keypad", &kind));
    assert_int_equal(kind, DEVICE_KEYPAD);
    simulation_stop(sim);
    catch_keys_stop();
}

static void press_everything(void *context)
{
    rig *r = context;
    const char *all = "ikjlobhr=-c";
    for (const char *k = all; *k; k++)
        assert_true(press(r, *k));
    wait_keys((int)strlen(all));
}

static void test_the_log_never_holds_a_key(void **state_)
{
    (void)state_;
    rig r = start(true);
    wait_status(0, DEVICE_ONLINE, "ready");
    log_set_level(LOG_LEVEL_INFO);
    const char *log = test_stderr_of(press_everything, &r);
    log_set_level(LOG_LEVEL_ERROR);
    static const char *const names[] = {"up",   "down",   "left",   "right", "enter", "back",
                                        "help", "repeat", "volume", "clear", "0x52"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_null(strstr(log, names[i]));
    stop(&r);
}

static bool presses_taken(kiosk_app *app, const void *context)
{
    (void)app;
    return keypad_presses_delivered() >= *(const unsigned long *)context &&
           keypad_presses_in_flight() == 0;
}

/* The simulated boards list the keypad: the app takes its presses off the
 * event queue, gives them their meaning, and releases them (wiped). */
static void test_the_app_takes_its_presses(void **state_)
{
    (void)state_;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    const board_profile *board = app_board(app);
    bool listed = false;
    for (size_t i = 0; i < board->device_count; i++)
        listed |= board->devices[i].kind == DEVICE_KEYPAD;
    assert_true(listed);
    assert_false(app_keypad_mode(app));
    unsigned long want = keypad_presses_delivered() + 2;
    assert_true(app_sim_reader_key(app, 'i'));
    assert_true(app_sim_reader_key(app, 'l'));
    assert_true(test_run_until(app, presses_taken, &want));
    /* The first key showed the focus on the first control, the second moved it. */
    assert_true(app_keypad_mode(app));
    assert_non_null(app_keypad_focused(app));
    assert_true(app_keypad_focused(app)->flags & UI_FLAG_FOCUSED);
    app_destroy(app);
    assert_int_equal(keypad_presses_in_flight(), 0);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_key_is_one_press_and_its_release_none),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_a_held_key_is_one_press),
        cmocka_unit_test(test_rollover_and_phantom_states_are_refused),
        cmocka_unit_test(test_reports_of_the_wrong_length_are_refused),
        cmocka_unit_test(test_a_chord_is_no_press),
        cmocka_unit_test(test_a_press_arrives_as_one_delivery_of_kind_keypad),
        cmocka_unit_test(test_every_developer_key_presses_its_key),
        cmocka_unit_test(test_unplugged_and_plugged_back),
        cmocka_unit_test(test_a_storm_of_presses_stays_bounded),
        cmocka_unit_test(test_the_simulation_plugs_the_keypad_of_the_registry),
        cmocka_unit_test(test_the_log_never_holds_a_key),
        cmocka_unit_test(test_the_app_takes_its_presses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
