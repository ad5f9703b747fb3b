/* Catalog services end to end inside the app: the simulated card reader
 * and printer, the flow's steps on the real screens, what the citizen is
 * told at each, what is kept in the outbox, and what is left when they
 * cancel or walk away (nothing). */
#include "../support/test_support.h"

#include "drivers/printer/receipt.h"
#include "drivers/sim/idcard_sim.h"
#include "firmware/app/app_sign.h"
#include "firmware/base/file.h"
#include "firmware/services/flow.h"
#include "offline-cache/outbox.h"
#include "offline-cache/seal.h"
#include "offline-cache/store.h"
#include "ui/image.h"
#include "ui/ime_pinyin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Writes the screen to build/test-output/flow-<name>.png, to look at. */
static void snapshot(kiosk_app *app, const char *name)
{
    char dir[1024], path[1200];
    snprintf(dir, sizeof dir, "%s/build/test-output", test_source_dir());
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/flow-%s.png", dir, name);
    SDL_Surface *frame = NULL;
    assert_int_equal(app_capture(app, &frame), KIOSK_OK);
    assert_int_equal(ui_image_save_png(frame, path, NULL), KIOSK_OK);
    SDL_FreeSurface(frame);
}

static void lay_card(kiosk_app *app)
{
    test_wait_reader(app, "ready");
    idcard_sim_lay_card(app_sim_reader(app), IDCARD_SIM_ORDINARY);
}

/* The outbox's records (payloads as text, up to max), opened as the sync
 * thread would. */
static size_t outbox(const char *data_dir, char payloads[][4096], size_t max)
{
    char db[1200], key_file[1200];
    snprintf(db, sizeof db, "%s/kiosk.db", data_dir);
    snprintf(key_file, sizeof key_file, "%s/seal.key", data_dir);
    struct stat st;
    if (stat(db, &st) != 0)
        return 0; /* never opened: nothing was kept */
    seal_key key;
    assert_int_equal(seal_key_file_load(key_file, &key, NULL), KIOSK_OK);
    cache_options options = {.path = db, .cipher = SEAL_AES_256_GCM, .key = &key};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    cache_record records[8];
    size_t count = 0;
    assert_int_equal(test_claim_citizen_records(store, max, records, &count), KIOSK_OK);
    for (size_t i = 0; i < count; i++)
        snprintf(payloads[i], 4096, "%.*s", (int)records[i].payload_length,
                 (const char *)records[i].payload);
    cache_records_free(records, count);
    cache_close(store);
    seal_key_wipe(&key);
    return count;
}

static bool all_zero(const void *memory, size_t size)
{
    const unsigned char *bytes = memory;
    for (size_t i = 0; i < size; i++) {
        if (bytes[i])
            return false;
    }
    return true;
}

static void assert_flow_wiped(kiosk_app *app)
{
    const flow *f = app_session_flow(app);
    assert_false(flow_active(f));
    assert_true(all_zero(f->values, sizeof f->values));
    assert_true(all_zero(f->typed, sizeof f->typed));
    assert_true(all_zero(f->ticked, sizeof f->ticked));
    for (unsigned i = 0; i < CATALOG_FIELDS_MAX; i++)
        assert_null(app_sign_ink(app, i));
}

static void type_digits(kiosk_app *app, const char *digits)
{
    test_tap(app, "keypad.clear");
    test_type(app, digits);
}

/* The baby's name on the keyboard: in pinyin (le le, 乐乐, 完成), or in
 * letters where the build has no pinyin engine (the arm64 cross build).
 * Returns what the form then shows. */
/* 新生儿出生一件事 with the link down: one form, the materials, one
 * submission kept sealed for three departments, and the receipt saying it
 * waits to be sent. */
static void test_the_newborn_bundle_offline_from_card_to_receipt(void **state)
{
    (void)state;
    const char *data_dir = NULL;
    kiosk_app *app = test_app_create(test_board_in_temp("portrait-1080", &data_dir), LANG_ZH_CN);
    test_tap_tile(app, "tile.newborn-bundle");
    assert_string_equal(app_screen_name(app), "card");
    assert_string_equal(test_text_of(app, "step.progress"), "第 1 步，共 4 步");
    snapshot(app, "1-card");
    lay_card(app);
    test_wait_screen(app, "form");
    assert_string_equal(test_text_of(app, "step.progress"), "第 2 步，共 4 步");
    /* The card filled the applicant, masked; the rest waits for them. */
    assert_string_equal(test_text_of(app, "form.value.0"), "王*明");
    assert_null(strstr(test_text_of(app, "form.value.1"), "19900101"));
    assert_string_equal(test_text_of(app, "form.note.0"), "来自身份证");
    snapshot(app, "2-form");

    /* Going on with nothing chosen: each field says what it needs. */
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "form");
    assert_string_equal(test_text_of(app, "form.problem.2"), "请选择一项");
    assert_string_equal(test_text_of(app, "form.problem.4"), "请填写此项");
    assert_non_null(strstr(test_text_of(app, "form.intro"), "8"));
    snapshot(app, "3-form-problems");

    test_tap(app, "form.field.2");
    assert_string_equal(app_screen_name(app), "field");
    assert_string_equal(test_text_of(app, "edit.label"), "您与新生儿的关系");
    snapshot(app, "4-choice");
    test_tap(app, "edit.choice.1");
    assert_string_equal(app_screen_name(app), "form");
    assert_string_equal(test_text_of(app, "form.value.2"), "母亲");
    assert_null(ui_widget_find(app_root(app), "form.problem.2"));
    test_tap(app, "form.field.3");
    test_tap(app, "edit.choice.0");
    test_tap(app, "form.field.6");
    test_tap(app, "edit.choice.1");

    /* A date on the keypad, checked when the citizen says it is done. */
    test_tap(app, "form.field.4");
    type_digits(app, "20261123");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "field");
    assert_string_equal(test_text_of(app, "edit.problem"), "日期不能晚于今天");
    snapshot(app, "5-date-problem");
    type_digits(app, "20261120");
    test_tap(app, "step.next");
    assert_string_equal(test_text_of(app, "form.value.4"), "2026-11-20");
    test_tap(app, "form.field.5");
    type_digits(app, "12345678");
    test_tap(app, "step.next");
    assert_string_equal(test_text_of(app, "edit.problem"), "请输入 9 位数字");
    type_digits(app, "123456789");
    test_tap(app, "step.next");
    test_tap(app, "form.field.7");
    type_digits(app, "13812345678");
    test_tap(app, "step.next");
    assert_string_equal(test_text_of(app, "form.value.7"), "13812345678");
    const char *baby = test_type_baby_name(app);
    assert_string_equal(test_text_of(app, "form.value.8"), baby);
    test_tap(app, "form.field.9");
    test_sign(app);
    assert_string_equal(test_text_of(app, "form.value.9"), "已签名");

    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "materials");
    snapshot(app, "6-materials");
    test_tap(app, "step.next");
    assert_non_null(strstr(test_text_of(app, "materials.problem"), "备齐"));
    test_tap(app, "materials.item.2");
    test_tap(app, "materials.item.3");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "confirm");
    assert_string_equal(test_text_of(app, "step.next"), "提交");
    assert_non_null(strstr(test_text_of(app, "confirm.item.1"), "公安局"));
    snapshot(app, "7-confirm");
    /* Nothing is kept until the citizen submits. */
    char payloads[4][4096];
    assert_int_equal(outbox(data_dir, payloads, 4), 0);

    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "result");
    assert_string_equal(test_text_of(app, "result.title"), "已受理，待上传");
    snapshot(app, "8-result");
    test_print_and_wait(app);
    snapshot(app, "9-receipt");
    char receipt_text[8192] = "";
    const receipt *r = app_print_shown(app);
    for (size_t i = 0; i < r->count; i++) {
        if (r->items[i].kind == RECEIPT_TEXT)
            snprintf(receipt_text + strlen(receipt_text),
                     sizeof receipt_text - strlen(receipt_text), "%s\n", r->items[i].text);
    }
    assert_non_null(strstr(receipt_text, "户口登记（公安局）"));
    assert_non_null(strstr(receipt_text, "待上传"));
    assert_non_null(strstr(receipt_text, "138****5678"));
    assert_null(strstr(receipt_text, "13812345678"));
    test_tap(app, "print.done");
    assert_string_equal(app_screen_name(app), "rate");
    app_destroy(app);

    /* One record, sealed, with the whole form for three departments. */
    assert_int_equal(outbox(data_dir, payloads, 4), 1);
    assert_non_null(strstr(payloads[0], "\"service\":\"newborn-bundle\""));
    assert_non_null(strstr(payloads[0], "\"birth-date\":\"20261120\""));
    assert_non_null(strstr(payloads[0], "\"household-register\":\"citizen\""));
    assert_non_null(strstr(payloads[0], "\"items\":[\"birth-certificate\""));
}

/* The steps of 新生儿出生一件事, and how to reach each from home. */
static const char *const bundle_steps[] = {"card", "form", "field", "materials", "confirm"};
#define BUNDLE_STEPS (sizeof bundle_steps / sizeof bundle_steps[0])

static void reach(kiosk_app *app, size_t step)
{
    test_tap_tile(app, "tile.newborn-bundle");
    if (step > 0) {
        lay_card(app);
        test_wait_screen(app, "form");
    }
    if (step == 2) {
        test_tap(app, "form.field.7");
        test_type(app, "138");
    }
    if (step >= 3) {
        const char *choices[] = {"form.field.2", "form.field.3", "form.field.6"};
        for (size_t c = 0; c < 3; c++) {
            test_tap(app, choices[c]);
            test_tap(app, "edit.choice.0");
        }
        const char *typed[][2] = {{"form.field.4", "20261101"},
                                  {"form.field.5", "123456789"},
                                  {"form.field.7", "13912345678"}};
        for (size_t t = 0; t < 3; t++) {
            test_tap(app, typed[t][0]);
            test_type(app, typed[t][1]);
            test_tap(app, "step.next");
        }
        (void)test_type_baby_name(app);
        test_tap(app, "form.field.9");
        test_sign(app);
        test_tap(app, "step.next");
    }
    if (step == 4) {
        test_tap(app, "materials.item.2");
        test_tap(app, "materials.item.3");
        test_tap(app, "step.next");
    }
    assert_string_equal(app_screen_name(app), bundle_steps[step]);
}

/* Cancel from every step: home, nothing kept, nothing left in memory. */
static void test_cancel_at_every_step_leaves_nothing(void **state)
{
    (void)state;
    for (size_t s = 0; s < BUNDLE_STEPS; s++) {
        const char *data_dir = NULL;
        kiosk_app *app =
            test_app_create(test_board_in_temp("portrait-1080", &data_dir), LANG_ZH_CN);
        reach(app, s);
        test_tap(app, "step.cancel");
        assert_string_equal(app_screen_name(app), "home");
        assert_flow_wiped(app);
        app_destroy(app);
        char payloads[1][4096];
        if (outbox(data_dir, payloads, 1) != 0)
            fail_msg("cancelled on %s, yet something was kept", bundle_steps[s]);
    }
}

/* Walking away from any step: warned, then the session ends, and the
 * citizen's data with it. */
static void test_walking_away_at_every_step_leaves_nothing(void **state)
{
    (void)state;
    for (size_t s = 0; s < BUNDLE_STEPS; s++) {
        const char *data_dir = NULL;
        kiosk_app *app =
            test_app_create(test_board_in_temp("portrait-1080", &data_dir), LANG_ZH_CN);
        reach(app, s);
        test_monotonic_now_ms += 60 * 1000;
        app_process_pending(app);
        assert_string_equal(app_screen_name(app), "timeout");
        test_monotonic_now_ms += 30 * 1000;
        app_process_pending(app);
        assert_false(app_in_session(app));
        assert_flow_wiped(app);
        size_t size = 0;
        assert_true(all_zero(app_identity_memory(app, &size), size));
        /* A card still on the reader is asked back; lifted, the terminal rests. */
        if (strcmp(app_screen_name(app), "take-card") == 0)
            idcard_sim_lift_card(app_sim_reader(app));
        test_wait_screen(app, "attract");
        app_destroy(app);
        char payloads[1][4096];
        if (outbox(data_dir, payloads, 1) != 0)
            fail_msg("walked away from %s, yet something was kept", bundle_steps[s]);
    }
}

/* A citizen who typed their number has no name from a card: the form says
 * so beside the field, and tapping it leads to the card. */
static void test_a_field_only_the_card_fills_leads_to_the_card(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_open_typed(app, "tile.newborn-bundle");
    test_type(app, "440304199001011233");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "form");
    test_tap(app, "form.field.2");
    test_tap(app, "edit.choice.0");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "form");
    assert_non_null(strstr(test_text_of(app, "form.problem.0"), "身份证"));
    test_tap(app, "form.field.0");
    assert_string_equal(app_screen_name(app), "card");
    lay_card(app);
    test_wait_screen(app, "form");
    assert_string_equal(test_text_of(app, "form.value.0"), "王*明");
    assert_string_equal(test_text_of(app, "form.value.2"), "父亲");
    app_destroy(app);
}

/* Back through the steps keeps what was given. */
static void test_back_keeps_what_was_given(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    test_tap_tile(app, "tile.appointment-ticket");
    lay_card(app);
    test_wait_screen(app, "form");
    test_tap(app, "form.field.0");
    test_tap(app, "edit.choice.2");
    test_tap(app, "form.field.1");
    test_tap(app, "edit.choice.0");
    test_tap(app, "form.field.2");
    test_type(app, "13912345678");
    test_tap(app, "step.back"); /* leaves the field unchanged */
    assert_string_equal(app_screen_name(app), "form");
    assert_null(strstr(test_text_of(app, "form.value.2"), "139"));
    test_tap(app, "form.field.2");
    test_type(app, "13912345678");
    test_tap(app, "step.next");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "confirm");
    test_tap(app, "step.back");
    assert_string_equal(app_screen_name(app), "form");
    assert_string_equal(test_text_of(app, "form.value.0"), "不动产登记");
    test_tap(app, "step.back");
    assert_string_equal(app_screen_name(app), "card");
    test_tap(app, "step.next");
    assert_string_equal(test_text_of(app, "form.value.2"), "13912345678");
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_newborn_bundle_offline_from_card_to_receipt),
        cmocka_unit_test(test_cancel_at_every_step_leaves_nothing),
        cmocka_unit_test(test_walking_away_at_every_step_leaves_nothing),
        cmocka_unit_test(test_a_field_only_the_card_fills_leads_to_the_card),
        cmocka_unit_test(test_back_keeps_what_was_given),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
