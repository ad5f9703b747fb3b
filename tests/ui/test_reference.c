/* The home screen compared, pixel by pixel within a small tolerance, with
 * reference images a person has looked at (tests/ui/reference/). On a
 * difference the actual image and a diff (differing pixels red) are written to
 * build/test-output/. KIOSK_UPDATE_REFERENCES=1 rewrites the references
 * instead: look at them before committing. */
#include "../support/test_support.h"

#include "ui/image.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* A channel may differ by this much (anti-aliasing across CPUs) ... */
#define CHANNEL_TOLERANCE 24
/* ... and this share of pixels may differ beyond it. */
#define PIXEL_TOLERANCE_PER_MILLE 1

static void check_reference(const char *board, lang language)
{
    char name[128], reference[1024], actual_path[1400], diff_path[1400];
    snprintf(name, sizeof name, "home-%s-%s", board, lang_code(language));
    snprintf(reference, sizeof reference, "%s/tests/ui/reference/%s.png", test_source_dir(), name);

    kiosk_app *app = test_app_create(board, language);
    SDL_Surface *actual = NULL;
    assert_int_equal(app_capture(app, &actual), KIOSK_OK);
    app_destroy(app);

    kiosk_diag diag = {{0}};
    const char *update = getenv("KIOSK_UPDATE_REFERENCES");
    if (update && update[0] == '1') {
        assert_int_equal(ui_image_save_png(actual, reference, &diag), KIOSK_OK);
        SDL_FreeSurface(actual);
        printf("wrote %s\n", reference);
        return;
    }

    SDL_Surface *expected = NULL;
    if (ui_image_load_png(reference, &expected, &diag) != KIOSK_OK)
        fail_msg("%s (run `make update-references` and look at the images)", diag.message);
    SDL_Surface *diff = NULL;
    long differing = test_compare_images(expected, actual, CHANNEL_TOLERANCE, &diff);
    long allowed = (long)actual->w * actual->h * PIXEL_TOLERANCE_PER_MILLE / 1000;
    if (differing < 0 || differing > allowed) {
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/build/test-output", test_source_dir());
        mkdir(dir, 0755);
        snprintf(actual_path, sizeof actual_path, "%s/%s.actual.png", dir, name);
        snprintf(diff_path, sizeof diff_path, "%s/%s.diff.png", dir, name);
        if (ui_image_save_png(actual, actual_path, &diag) != KIOSK_OK ||
            (diff && ui_image_save_png(diff, diff_path, &diag) != KIOSK_OK))
            printf("cannot write the images: %s\n", diag.message);
        fail_msg("%s: %ld pixels differ (%ld allowed); see %s and %s", name, differing, allowed,
                 actual_path, diff_path);
    }
    SDL_FreeSurface(diff);
    SDL_FreeSurface(expected);
    SDL_FreeSurface(actual);
}

static void test_home_simplified_chinese(void **state)
{
    (void)state;
    check_reference("portrait-1080", LANG_ZH_CN);
}

static void test_home_traditional_chinese(void **state)
{
    (void)state;
    check_reference("portrait-1080", LANG_ZH_TW);
}

static void test_home_english(void **state)
{
    (void)state;
    check_reference("portrait-1080", LANG_EN);
}

static void test_home_landscape(void **state)
{
    (void)state;
    check_reference("landscape-1080", LANG_ZH_CN);
}

static void test_home_small_portrait(void **state)
{
    (void)state;
    check_reference("portrait-800", LANG_ZH_CN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_home_simplified_chinese),
        cmocka_unit_test(test_home_traditional_chinese),
        cmocka_unit_test(test_home_english),
        cmocka_unit_test(test_home_landscape),
        cmocka_unit_test(test_home_small_portrait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
