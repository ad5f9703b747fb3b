/* The signature pad and its ink: drags make ink (drawn on the pad where the
 * finger went, and only there), 清除 empties it to the last byte, a dot is
 * not a signature, the point and stroke ceilings hold under a scribble
 * storm, and the image is a cropped grayscale PNG of fixed height that a
 * decoder of its own here (zlib's inflate) reads back with dark ink where
 * the strokes went and paper elsewhere. */
#include "../support/test_support.h"

#include "ui/signature_pad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define W 1080
#define H 900

static bool all_zero(const void *memory, size_t size)
{
    const unsigned char *bytes = memory;
    for (size_t i = 0; i < size; i++) {
        if (bytes[i])
            return false;
    }
    return true;
}

static void test_drags_make_ink_and_clear_empties_it(void **state)
{
    (void)state;
    ui_ink *ink = ui_ink_create();
    assert_non_null(ink);
    assert_true(ui_ink_empty(ink));
    SDL_Rect changed = ui_ink_down(ink, 1000, 600, 8, 100, 300);
    assert_false(SDL_RectEmpty(&changed));
    assert_true(changed.x <= 100 && changed.x + changed.w >= 100);
    /* Moves a pixel apart add nothing a line would show. */
    changed = ui_ink_move(ink, 101, 300);
    assert_true(SDL_RectEmpty(&changed));
    for (int x = 110; x <= 500; x += 10) {
        changed = ui_ink_move(ink, x, 300);
        assert_false(SDL_RectEmpty(&changed));
        /* What changed covers the new point. */
        assert_true(changed.x <= x && changed.x + changed.w >= x);
    }
    ui_ink_up(ink);
    assert_int_equal(ink->stroke_count, 1);
    assert_int_equal(ink->point_count, 1 + 40);
    assert_true(ink->length >= 399.0f && ink->length <= 401.0f);
    assert_true(ui_ink_enough(ink, 300));
    assert_false(ui_ink_enough(ink, 500));
    /* Lifted: moves draw nothing until the next stroke. */
    changed = ui_ink_move(ink, 600, 300);
    assert_true(SDL_RectEmpty(&changed));
    assert_int_equal(ink->point_count, 41);
    /* A point off the pad is kept at its edge. */
    ui_ink_down(ink, 1000, 600, 8, 50, 50);
    ui_ink_move(ink, 5000, -40);
    assert_int_equal(ink->points[ink->point_count - 1].x, 999);
    assert_int_equal(ink->points[ink->point_count - 1].y, 0);
    ui_ink_up(ink);

    ui_ink_clear(ink);
    assert_true(ui_ink_empty(ink));
    assert_true(all_zero(ink, sizeof *ink));
    ui_ink_destroy(ink);
}

static void test_a_dot_is_not_a_signature(void **state)
{
    (void)state;
    ui_ink *ink = ui_ink_create();
    ui_ink_down(ink, 1000, 600, 8, 500, 300);
    ui_ink_up(ink);
    assert_false(ui_ink_empty(ink));
    assert_false(ui_ink_enough(ink, 100));
    /* Nor many dots. */
    for (int i = 0; i < 50; i++) {
        ui_ink_down(ink, 1000, 600, 8, 20 * i, 300);
        ui_ink_up(ink);
    }
    assert_float_equal(ink->length, 0.0f, 0.001f);
    assert_false(ui_ink_enough(ink, 100));
    /* A dot still makes an image (the app offers 完成 only when enough). */
    uint8_t *png = NULL;
    size_t length = 0;
    int w = 0, h = 0;
    assert_int_equal(ui_ink_png(ink, &png, &length, &w, &h), KIOSK_OK);
    free(png);
    ui_ink_clear(ink);
    assert_int_equal(ui_ink_png(ink, &png, &length, &w, &h), KIOSK_ERR_INVALID_ARGUMENT);
    assert_null(png);
    ui_ink_destroy(ink);
}

static void test_the_ceilings_hold(void **state)
{
    (void)state;
    ui_ink *ink = ui_ink_create();
    /* One endless scribble: the points stop at the ceiling. */
    ui_ink_down(ink, 1000, 600, 8, 0, 0);
    for (int i = 0; i < 3 * UI_INK_POINTS_MAX; i++)
        ui_ink_move(ink, (i % 2) ? 990 : 10, i % 600);
    ui_ink_up(ink);
    assert_int_equal(ink->point_count, UI_INK_POINTS_MAX);
    assert_true(ink->full);
    /* The worst image: a full pad of scribble, within the outbox's room. */
    uint8_t *png = NULL;
    size_t length = 0;
    int w = 0, h = 0;
    Uint64 before = SDL_GetPerformanceCounter();
    assert_int_equal(ui_ink_png(ink, &png, &length, &w, &h), KIOSK_OK);
    double ms = (double)(SDL_GetPerformanceCounter() - before) * 1000.0 /
                (double)SDL_GetPerformanceFrequency();
    assert_true(length < 256 * 1024);
    printf("a full pad of scribble (%d points): %dx%d, %zu bytes of PNG in %.1f ms\n",
           UI_INK_POINTS_MAX, w, h, length, ms);
    free(png);
    SDL_Rect changed = ui_ink_down(ink, 1000, 600, 8, 5, 5);
    assert_true(SDL_RectEmpty(&changed));
    assert_int_equal(ink->stroke_count, 1);
    /* Endless taps: the strokes stop at theirs. */
    ui_ink_clear(ink);
    for (int i = 0; i < 3 * UI_INK_STROKES_MAX; i++) {
        ui_ink_down(ink, 1000, 600, 8, i % 1000, 100);
        ui_ink_up(ink);
    }
    assert_int_equal(ink->stroke_count, UI_INK_STROKES_MAX);
    assert_int_equal(ink->point_count, UI_INK_STROKES_MAX);
    assert_true(ink->full);
    /* The block is all there is: its size is fixed. */
    assert_true(sizeof(ui_ink) < 24 * 1024);
    ui_ink_destroy(ink);
}

/* A PNG read by hand: chunks, IHDR, the IDAT's zlib stream inflated, each
 * row unfiltered (the kiosk's writer uses no filter; anything else fails).
 * 8-bit gray pixels into a new buffer. */
static uint8_t *read_gray_png(const uint8_t *png, size_t length, int *w, int *h)
{
    assert_true(length > 8 + 25);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    uint8_t *idat = malloc(length);
    size_t idat_length = 0;
    for (size_t at = 8; at + 12 <= length;) {
        uint32_t n = (uint32_t)png[at] << 24 | (uint32_t)png[at + 1] << 16 |
                     (uint32_t)png[at + 2] << 8 | png[at + 3];
        const uint8_t *type = png + at + 4, *data = png + at + 8;
        assert_true(at + 12 + n <= length);
        uint32_t crc = (uint32_t)data[n] << 24 | (uint32_t)data[n + 1] << 16 |
                       (uint32_t)data[n + 2] << 8 | data[n + 3];
        assert_int_equal(crc, (uint32_t)crc32(0, type, 4 + n));
        if (memcmp(type, "IHDR", 4) == 0) {
            *w = (int)((uint32_t)data[0] << 24 | data[1] << 16 | data[2] << 8 | data[3]);
            *h = (int)((uint32_t)data[4] << 24 | data[5] << 16 | data[6] << 8 | data[7]);
            assert_int_equal(data[8], 8); /* bits */
            assert_int_equal(data[9], 0); /* grayscale */
        } else if (memcmp(type, "IDAT", 4) == 0) {
            memcpy(idat + idat_length, data, n);
            idat_length += n;
        }
        at += 12 + n;
    }
    size_t stride = (size_t)*w + 1;
    uLongf raw_length = (uLongf)(stride * (size_t)*h);
    uint8_t *raw = malloc(raw_length);
    assert_int_equal(uncompress(raw, &raw_length, idat, idat_length), Z_OK);
    assert_int_equal(raw_length, stride * (size_t)*h);
    free(idat);
    uint8_t *gray = malloc((size_t)*w * (size_t)*h);
    for (int y = 0; y < *h; y++) {
        assert_int_equal(raw[(size_t)y * stride], 0);
        memcpy(gray + (size_t)y * (size_t)*w, raw + (size_t)y * stride + 1, (size_t)*w);
    }
    free(raw);
    return gray;
}

static void test_the_image_is_the_ink_cropped(void **state)
{
    (void)state;
    /* A square 200 px a side, drawn with a pen 8 px wide, far from the
     * pad's corner: the image is cropped to it. */
    ui_ink *ink = ui_ink_create();
    const int corners[][2] = {{300, 200}, {500, 200}, {500, 400}, {300, 400}, {300, 200}};
    ui_ink_down(ink, 1000, 600, 8, corners[0][0], corners[0][1]);
    for (size_t c = 1; c < 5; c++) {
        for (int k = 1; k <= 20; k++)
            ui_ink_move(ink, corners[c - 1][0] + (corners[c][0] - corners[c - 1][0]) * k / 20,
                        corners[c - 1][1] + (corners[c][1] - corners[c - 1][1]) * k / 20);
    }
    ui_ink_up(ink);
    uint8_t *png = NULL;
    size_t length = 0;
    int w = 0, h = 0;
    assert_int_equal(ui_ink_png(ink, &png, &length, &w, &h), KIOSK_OK);
    assert_int_equal(h, UI_INK_PNG_HEIGHT);
    assert_int_equal(w, UI_INK_PNG_HEIGHT); /* square ink, square image */
    char path[1200];
    snprintf(path, sizeof path, "%s/build/test-output", test_source_dir());
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/build/test-output/signature-pad-square.png", test_source_dir());
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    assert_int_equal(fwrite(png, 1, length, file), length);
    fclose(file);

    int dw = 0, dh = 0;
    uint8_t *gray = read_gray_png(png, length, &dw, &dh);
    assert_int_equal(dw, w);
    assert_int_equal(dh, h);
    /* The square's sides are ink, its middle and the corners outside it
     * paper: the margin is a pen's width, scaled (160 / 216). */
    float scale = 160.0f / 216.0f;
    int edge = (int)(8 * scale);
    assert_true(gray[(size_t)edge * (size_t)w + (size_t)w / 2] < 64);             /* top */
    assert_true(gray[(size_t)(h - 1 - edge) * (size_t)w + (size_t)w / 2] < 64);   /* bottom */
    assert_true(gray[(size_t)(h / 2) * (size_t)w + (size_t)edge] < 64);           /* left */
    assert_true(gray[(size_t)(h / 2) * (size_t)w + (size_t)(w - 1 - edge)] < 64); /* right */
    assert_int_equal(gray[(size_t)(h / 2) * (size_t)w + (size_t)w / 2], 255);     /* middle */
    assert_int_equal(gray[0], 255);
    assert_int_equal(gray[(size_t)h * (size_t)w - 1], 255);
    printf("a 200 px square: %dx%d, %zu bytes of PNG\n", w, h, length);
    free(gray);
    free(png);

    /* A long flat line: the width stops at its widest, the height stays. */
    ui_ink_clear(ink);
    ui_ink_down(ink, 1000, 600, 8, 10, 300);
    for (int x = 20; x <= 990; x += 10)
        ui_ink_move(ink, x, 300 + (x / 10) % 3);
    ui_ink_up(ink);
    assert_int_equal(ui_ink_png(ink, &png, &length, &w, &h), KIOSK_OK);
    assert_int_equal(w, UI_INK_PNG_MAX_W);
    assert_int_equal(h, UI_INK_PNG_HEIGHT);
    gray = read_gray_png(png, length, &dw, &dh);
    size_t dark = 0;
    for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
        dark += gray[i] < 64;
    assert_true(dark > (size_t)w * 3);
    free(gray);
    free(png);
    ui_ink_destroy(ink);
}

/* The widget: a drag through its class's follow is drawn where the finger
 * went, and a locked pad (a signature accepted) takes none. */
static void test_the_pad_draws_what_the_finger_does(void **state)
{
    (void)state;
    SDL_Surface *surface = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *renderer = SDL_CreateSoftwareRenderer(surface);
    assert_non_null(renderer);
    ui_context context = {.renderer = renderer,
                          .theme = ui_theme_get(UI_THEME_STANDARD),
                          .metrics = ui_metrics_for_screen(1080, 1920, 268, 476, 500),
                          .language = LANG_ZH_CN};
    ui_ink *ink = ui_ink_create();
    SDL_Rect bounds = {40, 100, 1000, 700};
    ui_widget *pad = ui_signature_pad_create(NULL, "sign.pad", "请在此处签名", bounds, ink, 10,
                                             UI_ACTION_DRAWN, false);
    assert_non_null(pad);
    assert_string_equal(pad->text, "请在此处签名");
    assert_true(pad->flags & UI_FLAG_TAPPABLE);
    assert_int_equal(pad->action, UI_ACTION_DRAWN);
    assert_false(ui_widget_is_focusable(pad));

    SDL_Rect changed = pad->class_->follow(pad, UI_FOLLOW_DOWN, 240, 300);
    assert_true(SDL_PointInRect(&(SDL_Point){240, 300}, &changed));
    for (int x = 250; x <= 840; x += 10) {
        changed = pad->class_->follow(pad, UI_FOLLOW_MOVE, x, 300);
        assert_true(SDL_PointInRect(&(SDL_Point){x, 300}, &changed));
        assert_true(changed.x >= bounds.x && changed.x + changed.w <= bounds.x + bounds.w);
    }
    pad->class_->follow(pad, UI_FOLLOW_UP, 840, 300);
    /* In the pad's own space: from its corner. */
    assert_int_equal(ink->points[0].x, 200);
    assert_int_equal(ink->points[0].y, 200);

    SDL_SetRenderDrawColor(renderer, 255, 255, 255, 255);
    SDL_RenderClear(renderer);
    pad->class_->draw(pad, &context);
    SDL_RenderPresent(renderer);
    const uint32_t *pixels = surface->pixels;
    int pitch = surface->pitch / 4;
    SDL_Color ink_colour = context.theme->tones[UI_TONE_FOOTER].text;
    uint32_t inked =
        0xFF000000u | (uint32_t)ink_colour.r << 16 | (uint32_t)ink_colour.g << 8 | ink_colour.b;
    assert_int_equal(pixels[300 * pitch + 540], inked);
    assert_int_equal(pixels[304 * pitch + 540], inked); /* thick: 10 px across */
    assert_true(pixels[330 * pitch + 540] != inked);
    assert_true(pixels[300 * pitch + 900] != inked); /* past the stroke's end */

    /* Locked: the finger changes nothing. */
    ui_widget_destroy(pad);
    size_t points = ink->point_count;
    pad = ui_signature_pad_create(NULL, "sign.pad", "请在此处签名", bounds, ink, 10,
                                  UI_ACTION_DRAWN, true);
    changed = pad->class_->follow(pad, UI_FOLLOW_DOWN, 240, 500);
    assert_true(SDL_RectEmpty(&changed));
    pad->class_->follow(pad, UI_FOLLOW_MOVE, 600, 500);
    pad->class_->follow(pad, UI_FOLLOW_UP, 600, 500);
    assert_int_equal(ink->point_count, points);
    ui_widget_destroy(pad);
    ui_ink_destroy(ink);
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(surface);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drags_make_ink_and_clear_empties_it),
        cmocka_unit_test(test_a_dot_is_not_a_signature),
        cmocka_unit_test(test_the_ceilings_hold),
        cmocka_unit_test(test_the_image_is_the_ink_cropped),
        cmocka_unit_test(test_the_pad_draws_what_the_finger_does),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
