/* Every screen in every theme and language at 1080x1920, and home in each
 * other layout, compared pixel by pixel within a small tolerance with
 * reference images a person has looked at (tests/ui/reference/). On a
 * difference the actual image and a diff (differing pixels red) are written
 * to build/test-output/. KIOSK_UPDATE_REFERENCES=1 rewrites the references
 * instead: look at them before committing. */
#include "../support/test_support.h"

#include "drivers/sim/idcard_sim.h"
#include "drivers/sim/scanner_sim.h"
#include "ui/image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A channel may differ by this much (anti-aliasing across CPUs) ... */
#define CHANNEL_TOLERANCE 24
/* ... and this share of pixels may differ beyond it. */
#define PIXEL_TOLERANCE_PER_MILLE 1

static int failures;

static void check_reference(kiosk_app *app, const char *name)
{
    char reference[1024], actual_path[1400], diff_path[1400];
    snprintf(reference, sizeof reference, "%s/tests/ui/reference/%s.png", test_source_dir(), name);
    SDL_Surface *actual = NULL;
    assert_int_equal(app_capture(app, &actual), KIOSK_OK);

    kiosk_diag diag = {{0}};
    const char *update = getenv("KIOSK_UPDATE_REFERENCES");
    if (update && update[0] == '1') {
        assert_int_equal(ui_image_save_png(actual, reference, &diag), KIOSK_OK);
        SDL_FreeSurface(actual);
        return;
    }
    SDL_Surface *expected = NULL;
    if (ui_image_load_png(reference, &expected, &diag) != KIOSK_OK) {
        printf("%s (run `make update-references` and look at the images)\n", diag.message);
        failures++;
        SDL_FreeSurface(actual);
        return;
    }
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
        printf("%s: %ld pixels differ (%ld allowed); see %s and %s\n", name, differing, allowed,
               actual_path, diff_path);
        failures++;
    }
    SDL_FreeSurface(diff);
    SDL_FreeSurface(expected);
    SDL_FreeSurface(actual);
}

static void check_screens(lang language, int theme)
{
    char prefix[64], name[128];
    snprintf(prefix, sizeof prefix, "%s-%s", ui_theme_name((ui_theme_id)theme),
             lang_code(language));
    kiosk_app *app =
        test_app_create_with(test_board_unkept("portrait-1080"), language, false, theme);
    snprintf(name, sizeof name, "attract-%s", prefix);
    check_reference(app, name);
    test_tap(app, "attract.start");
    snprintf(name, sizeof name, "home-%s", prefix);
    check_reference(app, name);
    test_tap_tile(app, "tile.certificate-print");
    test_wait_reader(app, "ready");
    snprintf(name, sizeof name, "card-%s", prefix);
    check_reference(app, name);
    test_tap(app, "step.next");
    test_type(app, "4403");
    test_tap(app, "step.next");
    snprintf(name, sizeof name, "identify-%s", prefix);
    check_reference(app, name);
    test_tap(app, "keypad.clear");
    test_type(app, "440304199001011233");
    test_tap(app, "step.next");
    snprintf(name, sizeof name, "confirm-%s", prefix);
    check_reference(app, name);
    test_tap(app, "step.next");
    snprintf(name, sizeof name, "error-%s", prefix);
    check_reference(app, name);
    test_tap(app, "footer.help");
    snprintf(name, sizeof name, "help-%s", prefix);
    check_reference(app, name);
    test_show_result(app, UI_RESULT_QUEUED);
    snprintf(name, sizeof name, "result-%s", prefix);
    check_reference(app, name);
    test_print_and_wait(app);
    snprintf(name, sizeof name, "print-%s", prefix);
    check_reference(app, name);
    test_tap(app, "print.done");
    snprintf(name, sizeof name, "rate-%s", prefix);
    check_reference(app, name);
    test_tap(app, "rate.choice.3");
    snprintf(name, sizeof name, "rate-reasons-%s", prefix);
    check_reference(app, name);
    test_monotonic_now_ms += theme == UI_THEME_ELDER ? 120 * 1000 : 60 * 1000;
    app_process_pending(app);
    snprintf(name, sizeof name, "timeout-%s", prefix);
    check_reference(app, name);
    app_destroy(app);
}

/* The lookup's scan step, and its answer when the platform cannot be asked. */
static void check_lookup_screens(lang language, int theme)
{
    char prefix[64], name[128];
    snprintf(prefix, sizeof prefix, "%s-%s", ui_theme_name((ui_theme_id)theme),
             lang_code(language));
    kiosk_app *app = test_app_create_with("portrait-1080", language, true, theme);
    test_tap_tile(app, "tile.case-progress");
    test_wait_scanner(app, "ready");
    snprintf(name, sizeof name, "scan-%s", prefix);
    check_reference(app, name);
    const char *number = "GD20261122000042";
    assert_int_equal(
        scanner_sim_scan(app_sim_scanner(app), "]Q1", (const uint8_t *)number, strlen(number)),
        KIOSK_OK);
    test_wait_screen(app, "lookup");
    snprintf(name, sizeof name, "lookup-%s", prefix);
    check_reference(app, name);
    app_destroy(app);
}

/* Signing: 新生儿出生一件事's applicant's signature, drawn, before 完成. */
static void check_sign_screen(lang language, int theme)
{
    char name[128];
    snprintf(name, sizeof name, "sign-%s-%s", ui_theme_name((ui_theme_id)theme),
             lang_code(language));
    kiosk_app *app = test_app_create_with("portrait-1080", language, true, theme);
    test_tap_tile(app, "tile.newborn-bundle");
    test_wait_reader(app, "ready");
    idcard_sim_lay_card(app_sim_reader(app), IDCARD_SIM_ORDINARY);
    test_wait_screen(app, "form");
    app_perform(app, UI_ACTION_EDIT_FIELD, 9); /* the last field, maybe scrolled away */
    static const int across[][2] = {{250, 200}, {500, 190}, {750, 200}};
    static const int down[][2] = {{500, 200}, {500, 450}, {505, 680}};
    test_draw(app, "sign.pad", across, 3);
    test_draw(app, "sign.pad", down, 3);
    check_reference(app, name);
    app_destroy(app);
}

static void test_every_screen_theme_and_language(void **state)
{
    (void)state;
    failures = 0;
    /* Under emulation the standard theme only: the native run covers all. */
    int themes = getenv("KIOSK_TEST_QUICK") ? 1 : UI_THEME_COUNT;
    for (int theme = 0; theme < themes; theme++) {
        for (int l = 0; l < LANG_COUNT; l++) {
            check_screens((lang)l, theme);
            check_lookup_screens((lang)l, theme);
            check_sign_screen((lang)l, theme);
        }
    }
    assert_int_equal(failures, 0);
}

static void test_home_in_the_other_layouts(void **state)
{
    (void)state;
    failures = 0;
    const char *boards[] = {"landscape-1080", "portrait-800"};
    for (size_t b = 0; b < 2; b++) {
        kiosk_app *app = test_app_create(boards[b], LANG_ZH_CN);
        char name[64];
        snprintf(name, sizeof name, "layout-%s-home", boards[b]);
        check_reference(app, name);
        test_show_result(app, UI_RESULT_ACCEPTED);
        snprintf(name, sizeof name, "layout-%s-result", boards[b]);
        check_reference(app, name);
        app_destroy(app);
    }
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_screen_theme_and_language),
        cmocka_unit_test(test_home_in_the_other_layouts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
