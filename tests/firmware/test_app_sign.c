/* Signing inside the app, by the finger: 新生儿出生一件事's applicant's
 * signature drawn on the pad with SDL finger events (down, moves, up) as the
 * glass sends them; a dot is not a signature, 清除 empties the pad, 完成
 * makes the image and the form says 已签名, 重签 starts again, 返回 leaves
 * nothing; the image is sealed in the outbox with the rest and wiped from
 * the app once kept. Every screen is written to build/test-output/ to look
 * at, in each theme. */
#include "../support/test_support.h"

#include "drivers/driver_probes.h"
#include "drivers/printer/receipt.h"
#include "drivers/sim/idcard_sim.h"
#include "drivers/sim/keypad_sim.h"
#include "firmware/app/app_keypad.h"
#include "firmware/app/app_sign.h"
#include "firmware/services/flow.h"
#include "offline-cache/outbox.h"
#include "offline-cache/seal.h"
#include "offline-cache/store.h"
#include "ui/image.h"
#include "ui/signature_pad.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The newborn bundle's applicant's signature: the form's last field. */
#define SIGNATURE_FIELD 9

static void snapshot(kiosk_app *app, const char *name)
{
    char dir[1024], path[1200];
    snprintf(dir, sizeof dir, "%s/build/test-output", test_source_dir());
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/sign-%s.png", dir, name);
    SDL_Surface *frame = NULL;
    assert_int_equal(app_capture(app, &frame), KIOSK_OK);
    assert_int_equal(ui_image_save_png(frame, path, NULL), KIOSK_OK);
    SDL_FreeSurface(frame);
}

static void finger(kiosk_app *app, Uint32 type, int x, int y)
{
    ui_display *display = app_display(app);
    SDL_Event event;
    SDL_zero(event);
    event.type = type;
    event.tfinger.touchId = 1;
    event.tfinger.fingerId = 1;
    event.tfinger.x = ((float)x + 0.5f) / (float)display->window_width;
    event.tfinger.y = ((float)y + 0.5f) / (float)display->window_height;
    assert_int_equal(SDL_PushEvent(&event), 1);
}

static void stroke(kiosk_app *app, const int (*points)[2], size_t count)
{
    test_draw(app, "sign.pad", points, count);
}

/* 王, as a finger writes it: three strokes across, one down. */
static const int stroke_top[][2] = {{250, 200}, {500, 190}, {750, 200}};
static const int stroke_middle[][2] = {{300, 420}, {700, 420}};
static const int stroke_down[][2] = {{500, 200}, {500, 450}, {505, 680}};
static const int stroke_bottom[][2] = {{200, 680}, {500, 670}, {800, 690}};

static void sign_wang(kiosk_app *app)
{
    stroke(app, stroke_top, 3);
    stroke(app, stroke_middle, 2);
    stroke(app, stroke_down, 3);
    stroke(app, stroke_bottom, 3);
}

static bool shown(kiosk_app *app, const char *id)
{
    ui_widget *widget = ui_widget_find(app_root(app), id);
    return widget && !(widget->flags & UI_FLAG_HIDDEN);
}

/* The frame's pixel at (x, y) is dark: ink, not the pad. */
static bool dark_at(kiosk_app *app, int x, int y)
{
    SDL_Surface *frame = NULL;
    assert_int_equal(app_capture(app, &frame), KIOSK_OK);
    uint32_t p = ((const uint32_t *)((const uint8_t *)frame->pixels + y * frame->pitch))[x];
    SDL_FreeSurface(frame);
    int luma = (int)(((p >> 16) & 0xff) * 3 + ((p >> 8) & 0xff) * 6 + (p & 0xff)) / 10;
    return luma < 100;
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

/* The PNG decoded by SDL2_image (through a file): its surface. */
static SDL_Surface *decode(const uint8_t *png, size_t length, const char *name)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/build/test-output/sign-%s.png", test_source_dir(), name);
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    assert_int_equal(fwrite(png, 1, length, file), length);
    fclose(file);
    SDL_Surface *image = NULL;
    assert_int_equal(ui_image_load_png(path, &image, NULL), KIOSK_OK);
    return image;
}

static size_t dark_pixels(SDL_Surface *image)
{
    size_t dark = 0;
    for (int y = 0; y < image->h; y++) {
        const uint32_t *row = (const uint32_t *)((const uint8_t *)image->pixels + y * image->pitch);
        for (int x = 0; x < image->w; x++)
            dark += (row[x] & 0xff) < 64;
    }
    return dark;
}

static kiosk_app *at_the_form(const char **data_dir)
{
    kiosk_app *app = test_app_create(test_board_in_temp("portrait-1080", data_dir), LANG_ZH_CN);
    test_tap_tile(app, "tile.newborn-bundle");
    test_wait_reader(app, "ready");
    idcard_sim_lay_card(app_sim_reader(app), IDCARD_SIM_ORDINARY);
    test_wait_screen(app, "form");
    return app;
}

static void test_signing_clearing_and_signing_again(void **state)
{
    (void)state;
    const char *data_dir = NULL;
    kiosk_app *app = at_the_form(&data_dir);
    assert_string_equal(test_text_of(app, "form.field.9"), "申请人签名");
    assert_string_equal(test_text_of(app, "form.value.9"), "请点此签名");
    app_perform(app, UI_ACTION_EDIT_FIELD, SIGNATURE_FIELD); /* maybe scrolled away */
    assert_string_equal(app_screen_name(app), "sign");
    assert_string_equal(test_text_of(app, "sign.label"), "申请人签名");
    assert_string_equal(test_text_of(app, "sign.pad"), "请在此处签名");
    assert_string_equal(test_text_of(app, "step.back"), "返回");
    /* Nothing drawn: nothing to clear, and not done. */
    assert_false(shown(app, "step.next"));
    assert_false(shown(app, "sign.clear"));
    snapshot(app, "1-empty");

    /* A dot is not a signature. */
    test_tap(app, "sign.pad");
    assert_string_equal(app_screen_name(app), "sign");
    assert_int_equal(app_sign_ink(app, SIGNATURE_FIELD)->point_count, 1);
    assert_false(shown(app, "step.next"));
    assert_true(shown(app, "sign.clear"));
    assert_string_equal(test_text_of(app, "sign.clear"), "清除");

    /* 清除 empties the pad. */
    test_tap(app, "sign.clear");
    assert_true(ui_ink_empty(app_sign_ink(app, SIGNATURE_FIELD)));
    assert_true(all_zero(app_sign_ink(app, SIGNATURE_FIELD), sizeof(ui_ink)));
    assert_false(shown(app, "sign.clear"));

    /* A short dash is not enough either; a name is. */
    static const int dash[][2] = {{480, 560}, {540, 560}};
    stroke(app, dash, 2);
    assert_int_equal(app_sign_ink(app, SIGNATURE_FIELD)->stroke_count, 1);
    assert_false(shown(app, "step.next"));
    test_tap(app, "sign.clear");
    stroke(app, stroke_middle, 2);
    stroke(app, stroke_top, 3);
    stroke(app, stroke_down, 3);
    stroke(app, stroke_bottom, 3);
    assert_true(shown(app, "step.next"));
    assert_string_equal(test_text_of(app, "step.next"), "完成");
    const ui_ink *ink = app_sign_ink(app, SIGNATURE_FIELD);
    assert_int_equal(ink->stroke_count, 4);
    /* The ink is on the glass where the finger went: the middle of the
     * down stroke, and of the stroke across the middle. */
    ui_widget *pad = ui_widget_find(app_root(app), "sign.pad");
    assert_true(dark_at(app, pad->bounds.x + pad->bounds.w / 2,
                        pad->bounds.y + pad->bounds.h * 560 / 1000));
    assert_true(dark_at(app, pad->bounds.x + pad->bounds.w * 400 / 1000,
                        pad->bounds.y + pad->bounds.h * 420 / 1000));
    assert_false(dark_at(app, pad->bounds.x + pad->bounds.w * 150 / 1000,
                         pad->bounds.y + pad->bounds.h * 420 / 1000));
    snapshot(app, "2-drawn");

    /* 完成: the form says it is signed; the image is the ink, cropped. */
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "form");
    assert_string_equal(test_text_of(app, "form.value.9"), "已签名");
    /* ... with a small picture of it at the line's end. */
    ui_widget *picture = ui_widget_find(app_root(app), "form.signature.9");
    assert_non_null(picture);
    assert_ptr_equal(picture->data, app_sign_ink(app, SIGNATURE_FIELD));
    assert_string_equal(app_session_flow(app)->values[SIGNATURE_FIELD], FLOW_SIGNED);
    snapshot(app, "3-form-signed");
    const uint8_t *png = NULL;
    size_t length = 0;
    int width = 0, height = 0;
    assert_true(app_sign_image(app, SIGNATURE_FIELD, &png, &length, &width, &height));
    assert_int_equal(height, UI_INK_PNG_HEIGHT);
    SDL_Surface *image = decode(png, length, "image");
    assert_int_equal(image->w, width);
    assert_int_equal(image->h, height);
    assert_true(dark_pixels(image) > 500);
    SDL_FreeSurface(image);

    /* Back on the pad: the signature shown, not drawn on; 重签 wipes it. */
    app_perform(app, UI_ACTION_EDIT_FIELD, SIGNATURE_FIELD); /* maybe scrolled away */
    assert_string_equal(test_text_of(app, "sign.clear"), "重签");
    assert_non_null(strstr(test_text_of(app, "sign.hint"), "已签名"));
    size_t points = app_sign_ink(app, SIGNATURE_FIELD)->point_count;
    stroke(app, stroke_middle, 2);
    assert_int_equal(app_sign_ink(app, SIGNATURE_FIELD)->point_count, points);
    snapshot(app, "4-accepted");
    test_tap(app, "sign.clear");
    assert_false(app_sign_image(app, SIGNATURE_FIELD, &png, &length, &width, &height));
    assert_true(ui_ink_empty(app_sign_ink(app, SIGNATURE_FIELD)));
    assert_string_equal(app_session_flow(app)->values[SIGNATURE_FIELD], "");
    sign_wang(app);
    test_tap(app, "step.next");
    assert_string_equal(test_text_of(app, "form.value.9"), "已签名");

    /* Leaving the service wipes it. */
    test_tap(app, "step.cancel");
    assert_string_equal(app_screen_name(app), "home");
    assert_null(app_sign_ink(app, SIGNATURE_FIELD));
    assert_false(app_sign_image(app, SIGNATURE_FIELD, &png, &length, &width, &height));
    app_destroy(app);
}

/* 返回 before 完成 leaves nothing: no strokes, and the field unsigned. */
static void test_back_leaves_nothing(void **state)
{
    (void)state;
    const char *data_dir = NULL;
    kiosk_app *app = at_the_form(&data_dir);
    app_perform(app, UI_ACTION_EDIT_FIELD, SIGNATURE_FIELD); /* maybe scrolled away */
    sign_wang(app);
    assert_true(shown(app, "step.next"));
    test_tap(app, "step.back");
    assert_string_equal(app_screen_name(app), "form");
    assert_null(app_sign_ink(app, SIGNATURE_FIELD));
    assert_string_equal(test_text_of(app, "form.value.9"), "请点此签名");
    assert_null(ui_widget_find(app_root(app), "form.signature.9"));
    /* Required: going on without it says so beside the field. */
    test_tap(app, "step.next");
    assert_string_equal(test_text_of(app, "form.problem.9"), "请填写此项");
    app_destroy(app);
}

/* A scribble storm: the ink never holds more than its ceiling, and still
 * makes an image. */
static void test_the_point_ceiling_holds_in_the_app(void **state)
{
    (void)state;
    const char *data_dir = NULL;
    kiosk_app *app = at_the_form(&data_dir);
    app_perform(app, UI_ACTION_EDIT_FIELD, SIGNATURE_FIELD); /* maybe scrolled away */
    ui_widget *pad = ui_widget_find(app_root(app), "sign.pad");
    SDL_Rect b = pad->bounds;
    for (int s = 0; s < 200; s++) {
        test_monotonic_now_ms += 400;
        finger(app, SDL_FINGERDOWN, b.x + 10, b.y + 10 + s);
        for (int k = 0; k < 60; k++)
            finger(app, SDL_FINGERMOTION, b.x + 10 + (k % 2) * (b.w - 20), b.y + 10 + s + k);
        finger(app, SDL_FINGERUP, b.x + b.w / 2, b.y + b.h / 2);
        app_process_pending(app);
    }
    const ui_ink *ink = app_sign_ink(app, SIGNATURE_FIELD);
    assert_true(ink->point_count <= UI_INK_POINTS_MAX);
    assert_true(ink->stroke_count <= UI_INK_STROKES_MAX);
    assert_true(ink->full);
    assert_non_null(strstr(test_text_of(app, "sign.hint"), "写满"));
    snapshot(app, "5-full");
    test_tap(app, "step.next");
    assert_string_equal(test_text_of(app, "form.value.9"), "已签名");
    app_destroy(app);
}

/* The outbox's first record, opened as the sync thread would. */
static char *kept_record(const char *data_dir)
{
    char db[1200], key_file[1200];
    snprintf(db, sizeof db, "%s/kiosk.db", data_dir);
    snprintf(key_file, sizeof key_file, "%s/seal.key", data_dir);
    seal_key key;
    assert_int_equal(seal_key_file_load(key_file, &key, NULL), KIOSK_OK);
    cache_options options = {.path = db, .cipher = SEAL_AES_256_GCM, .key = &key};
    cache_store *store = NULL;
    assert_int_equal(cache_open(&options, &store, NULL, NULL), KIOSK_OK);
    cache_record records[2];
    size_t count = 0;
    assert_int_equal(test_claim_citizen_records(store, 2, records, &count), KIOSK_OK);
    assert_int_equal(count, 1);
    char *text = malloc(records[0].payload_length + 1);
    assert_non_null(text);
    memcpy(text, records[0].payload, records[0].payload_length);
    text[records[0].payload_length] = '\0';
    cache_records_free(records, count);
    cache_close(store);
    seal_key_wipe(&key);
    return text;
}

static size_t base64_decode(const char *text, uint8_t *out, size_t size)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t used = 0;
    uint32_t bits = 0;
    int count = 0;
    for (const char *c = text; *c && *c != '='; c++) {
        const char *at = strchr(digits, *c);
        assert_non_null(at);
        bits = bits << 6 | (uint32_t)(at - digits);
        count += 6;
        if (count >= 8) {
            count -= 8;
            assert_true(used < size);
            out[used++] = (uint8_t)(bits >> count);
        }
    }
    return used;
}

/* Submitted with the link down: the signature is sealed in the outbox with
 * the rest, as a PNG under the field's id, and gone from the app. */
static void test_the_signature_is_sealed_with_the_submission(void **state)
{
    (void)state;
    const char *data_dir = NULL;
    kiosk_app *app = at_the_form(&data_dir);
    const char *choices[] = {"form.field.2", "form.field.3", "form.field.6"};
    for (size_t c = 0; c < 3; c++) {
        test_tap(app, choices[c]);
        test_tap(app, "edit.choice.0");
    }
    const char *typed[][2] = {{"form.field.4", "20261101"},
                              {"form.field.5", "123456789"},
                              {"form.field.7", "13912345678"}};
    (void)test_type_baby_name(app);
    for (size_t t = 0; t < 3; t++) {
        test_tap(app, typed[t][0]);
        test_type(app, typed[t][1]);
        test_tap(app, "step.next");
    }
    app_perform(app, UI_ACTION_EDIT_FIELD, SIGNATURE_FIELD); /* maybe scrolled away */
    sign_wang(app);
    test_tap(app, "step.next");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "materials");
    test_tap(app, "materials.item.2");
    test_tap(app, "materials.item.3");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "confirm");
    /* Said on the confirmation, not shown. */
    bool said = false;
    for (size_t i = 0; i < 20 && !said; i++) {
        char id[32];
        snprintf(id, sizeof id, "confirm.line.%zu.label", i);
        ui_widget *label = ui_widget_find(app_root(app), id);
        snprintf(id, sizeof id, "confirm.line.%zu", i);
        said = label && strcmp(label->text, "申请人签名") == 0 &&
               strcmp(test_text_of(app, id), "已签名") == 0;
    }
    assert_true(said);
    snapshot(app, "6-confirm");
    const uint8_t *png = NULL;
    size_t length = 0;
    int width = 0, height = 0;
    assert_true(app_sign_image(app, SIGNATURE_FIELD, &png, &length, &width, &height));
    uint8_t *kept_png = malloc(length);
    memcpy(kept_png, png, length);
    size_t kept_length = length;

    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "result");
    /* Kept: the strokes and the image are gone from the app. */
    assert_null(app_sign_ink(app, SIGNATURE_FIELD));
    assert_false(app_sign_image(app, SIGNATURE_FIELD, &png, &length, &width, &height));
    app_destroy(app);

    char *record = kept_record(data_dir);
    cJSON *body = cJSON_Parse(record);
    assert_non_null(body);
    cJSON *signature = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(body, "payload"), "fields"), "applicant-signature");
    assert_true(cJSON_IsObject(signature));
    assert_int_equal(cJSON_GetObjectItem(signature, "width")->valueint, width);
    assert_int_equal(cJSON_GetObjectItem(signature, "height")->valueint, UI_INK_PNG_HEIGHT);
    const char *text = cJSON_GetStringValue(cJSON_GetObjectItem(signature, "png"));
    assert_non_null(text);
    uint8_t *decoded = malloc(strlen(text));
    size_t decoded_length = base64_decode(text, decoded, strlen(text));
    assert_int_equal(decoded_length, kept_length);
    assert_memory_equal(decoded, kept_png, kept_length);
    printf("the signature: %dx%d, %zu bytes of PNG, %zu of base64; the record %zu bytes\n", width,
           height, kept_length, strlen(text), strlen(record));
    free(decoded);
    free(kept_png);
    cJSON_Delete(body);
    free(record);
}

static bool presses_taken(kiosk_app *app, const void *context)
{
    (void)app;
    return keypad_presses_delivered() >= *(const unsigned long *)context &&
           keypad_presses_in_flight() == 0;
}

/* A key pressed on the simulated keypad, through its driver. */
static void press(kiosk_app *app, keypad_key key)
{
    unsigned long want = keypad_presses_delivered() + 1;
    test_monotonic_now_ms += 400;
    assert_true(keypad_sim_press(app_sim_keypad(app), key));
    assert_true(test_run_until(app, presses_taken, &want));
}

/* From the keypad the pad offers 按确认键代替签名: its enter key confirms the
 * field instead of a signature (a tap on it does not), the form and the
 * confirmation say so, and the submission carries {"confirmed_by":
 * "keypad"} under the field's id, with no image. */
static void test_the_keypad_confirms_instead_of_a_signature(void **state)
{
    (void)state;
    const char *data_dir = NULL;
    kiosk_app *app = at_the_form(&data_dir);
    app_perform(app, UI_ACTION_EDIT_FIELD, SIGNATURE_FIELD);
    assert_false(shown(app, "sign.by_key")); /* a finger can sign */
    test_tap(app, "step.back");
    press(app, KEYPAD_KEY_DOWN); /* keypad mode: the focus shows */
    assert_true(app_keypad_mode(app));
    const char *choices[] = {"form.field.2", "form.field.3", "form.field.6"};
    for (size_t c = 0; c < 3; c++) {
        test_tap(app, choices[c]);
        test_tap(app, "edit.choice.0");
    }
    const char *typed[][2] = {{"form.field.4", "20261101"},
                              {"form.field.5", "123456789"},
                              {"form.field.7", "13912345678"}};
    (void)test_type_baby_name(app);
    for (size_t t = 0; t < 3; t++) {
        test_tap(app, typed[t][0]);
        test_type(app, typed[t][1]);
        test_tap(app, "step.next");
    }
    app_perform(app, UI_ACTION_EDIT_FIELD, SIGNATURE_FIELD);
    assert_string_equal(app_screen_name(app), "sign");
    assert_true(shown(app, "sign.by_key"));
    assert_string_equal(test_text_of(app, "sign.by_key"), "按确认键代替签名");
    /* A finger on it is no keypad confirmation. */
    test_tap(app, "sign.by_key");
    assert_string_equal(app_screen_name(app), "sign");
    assert_false(app_sign_by_key(app, SIGNATURE_FIELD));
    for (int i = 0; i < 20 && strcmp(app_keypad_focused(app)->id, "sign.by_key") != 0; i++)
        press(app, KEYPAD_KEY_RIGHT);
    assert_string_equal(app_keypad_focused(app)->id, "sign.by_key");
    press(app, KEYPAD_KEY_ENTER);
    assert_string_equal(app_screen_name(app), "form");
    assert_true(app_sign_by_key(app, SIGNATURE_FIELD));
    const uint8_t *png = NULL;
    size_t length = 0;
    int width = 0, height = 0;
    assert_false(app_sign_image(app, SIGNATURE_FIELD, &png, &length, &width, &height));
    assert_string_equal(test_text_of(app, "form.value.9"), "已按确认键确认（代替签名）");
    test_tap(app, "step.next");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "materials");
    test_tap(app, "materials.item.2");
    test_tap(app, "materials.item.3");
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "confirm");
    bool said = false;
    for (size_t i = 0; i < 20 && !said; i++) {
        char id[32];
        snprintf(id, sizeof id, "confirm.line.%zu", i);
        ui_widget *line = ui_widget_find(app_root(app), id);
        said = line && line->text && strcmp(line->text, "已按确认键确认（代替签名）") == 0;
    }
    assert_true(said);
    test_tap(app, "step.next");
    assert_string_equal(app_screen_name(app), "result");
    /* Kept: nothing of it is left but the fact, which the receipt says. */
    assert_null(app_sign_ink(app, SIGNATURE_FIELD));
    test_print_and_wait(app);
    char receipt_text[8192] = "";
    const receipt *r = app_print_shown(app);
    for (size_t i = 0; i < r->count; i++) {
        if (r->items[i].kind == RECEIPT_TEXT)
            snprintf(receipt_text + strlen(receipt_text),
                     sizeof receipt_text - strlen(receipt_text), "%s\n", r->items[i].text);
    }
    assert_non_null(strstr(receipt_text, "申请人签名：已按确认键确认（代替签名）"));
    assert_null(strstr(receipt_text, "已签名"));
    app_destroy(app);

    char *record = kept_record(data_dir);
    cJSON *body = cJSON_Parse(record);
    assert_non_null(body);
    cJSON *field = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(body, "payload"), "fields"), "applicant-signature");
    assert_true(cJSON_IsObject(field));
    assert_int_equal(cJSON_GetArraySize(field), 1);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(field, "confirmed_by")), "keypad");
    assert_null(cJSON_GetObjectItem(field, "png"));
    cJSON_Delete(body);
    free(record);
}

/* Ink is drawn as the finger moves, not when it lifts: every move that adds
 * a point draws a frame, of only the part that changed. How long a move
 * takes, from the event to the frame drawn, is printed. */
static void test_ink_is_drawn_as_the_finger_moves(void **state)
{
    (void)state;
    const char *data_dir = NULL;
    kiosk_app *app = at_the_form(&data_dir);
    app_perform(app, UI_ACTION_EDIT_FIELD, SIGNATURE_FIELD); /* maybe scrolled away */
    ui_widget *pad = ui_widget_find(app_root(app), "sign.pad");
    SDL_Rect b = pad->bounds;
    test_monotonic_now_ms += 400;
    finger(app, SDL_FINGERDOWN, b.x + 100, b.y + 200);
    app_process_pending(app);
    double total = 0, worst = 0;
    int moves = 120;
    for (int i = 1; i <= moves; i++) {
        unsigned long frames = app_frames_drawn(app);
        finger(app, SDL_FINGERMOTION, b.x + 100 + 6 * i, b.y + 200 + (i % 20) * 3);
        Uint64 before = SDL_GetPerformanceCounter();
        app_process_pending(app);
        double ms = (double)(SDL_GetPerformanceCounter() - before) * 1000.0 /
                    (double)SDL_GetPerformanceFrequency();
        total += ms;
        worst = ms > worst ? ms : worst;
        assert_int_equal(app_frames_drawn(app), frames + 1);
        assert_int_equal(app_sign_ink(app, SIGNATURE_FIELD)->point_count, (size_t)i + 1);
    }
    finger(app, SDL_FINGERUP, b.x + 100 + 6 * moves, b.y + 200);
    app_process_pending(app);
    printf("a finger's move to the ink on the glass: %.2f ms on average, %.2f ms at worst "
           "(%d moves, this build)\n",
           total / moves, worst, moves);
    app_destroy(app);
}

/* The pad in every theme, on each board, signed: to look at. */
static void test_the_pad_in_every_theme(void **state)
{
    (void)state;
    const char *boards[] = {"portrait-1080", "landscape-1080", "portrait-800"};
    for (size_t b = 0; b < 3; b++) {
        for (int t = 0; t < UI_THEME_COUNT; t++) {
            kiosk_app *app =
                test_app_create_with(test_board_unkept(boards[b]), LANG_ZH_CN, true, t);
            test_tap_tile(app, "tile.newborn-bundle");
            test_wait_reader(app, "ready");
            idcard_sim_lay_card(app_sim_reader(app), IDCARD_SIM_ORDINARY);
            test_wait_screen(app, "form");
            /* The field may be scrolled out of sight: asked for as its tap does. */
            app_perform(app, UI_ACTION_EDIT_FIELD, SIGNATURE_FIELD);
            assert_string_equal(app_screen_name(app), "sign");
            sign_wang(app);
            assert_true(shown(app, "step.next"));
            char name[96];
            snprintf(name, sizeof name, "theme-%s-%s", boards[b], app_theme_name(app));
            snapshot(app, name);
            app_destroy(app);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signing_clearing_and_signing_again),
        cmocka_unit_test(test_back_leaves_nothing),
        cmocka_unit_test(test_the_point_ceiling_holds_in_the_app),
        cmocka_unit_test(test_the_signature_is_sealed_with_the_submission),
        cmocka_unit_test(test_the_keypad_confirms_instead_of_a_signature),
        cmocka_unit_test(test_ink_is_drawn_as_the_finger_moves),
        cmocka_unit_test(test_the_pad_in_every_theme),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
