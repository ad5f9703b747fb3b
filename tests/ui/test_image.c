#include "../support/test_support.h"

#include "ui/image.h"

#include <string.h>

static void test_png_round_trip(void **state)
{
    (void)state;
    SDL_Surface *picture = SDL_CreateRGBSurfaceWithFormat(0, 64, 32, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_FillRect(picture, NULL, 0xFF0B4F9Cu);
    SDL_Rect corner = {0, 0, 8, 8};
    SDL_FillRect(picture, &corner, 0xFFFFFFFFu);
    const char *dir = test_make_temp_dir("image");
    char path[1200];
    snprintf(path, sizeof path, "%s/p.png", dir);
    kiosk_diag diag;
    assert_int_equal(ui_image_save_png(picture, path, &diag), KIOSK_OK);
    SDL_Surface *loaded = NULL;
    assert_int_equal(ui_image_load_png(path, &loaded, &diag), KIOSK_OK);
    assert_int_equal(loaded->format->format, SDL_PIXELFORMAT_ARGB8888);
    assert_int_equal(test_compare_images(picture, loaded, 0, NULL), 0);
    SDL_FreeSurface(loaded);
    SDL_FreeSurface(picture);
}

static void test_bad_files_are_named(void **state)
{
    (void)state;
    const char *dir = test_make_temp_dir("image-bad");
    const char *path = test_write_file(dir, "fake.png", "not a png at all");
    SDL_Surface *loaded = NULL;
    kiosk_diag diag = {{0}};
    assert_int_equal(ui_image_load_png(path, &loaded, &diag), KIOSK_ERR_MALFORMED);
    assert_non_null(strstr(diag.message, "fake.png: not a PNG image"));
    assert_int_equal(ui_image_load_png("/nonexistent.png", &loaded, &diag), KIOSK_ERR_NOT_FOUND);
    assert_null(loaded);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_round_trip),
        cmocka_unit_test(test_bad_files_are_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
