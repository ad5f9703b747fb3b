/* The terminal's state where the citizen decides: on the tiles it touches
 * and at the foot of the attract screen, in a citizen's words, before they
 * start; staff's facts are not on the public screen. */
#include "../support/ipp_printer.h"
#include "../support/test_support.h"

#include "drivers/sim/printer_sim.h"
#include "ui/image.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static void save(kiosk_app *app, const char *name)
{
    SDL_Surface *shot = NULL;
    assert_int_equal(app_capture(app, &shot), KIOSK_OK);
    char path[1200];
    snprintf(path, sizeof path, "%s/build/test-output", test_source_dir());
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/build/test-output/%s.png", test_source_dir(), name);
    assert_int_equal(ui_image_save_png(shot, path, NULL), KIOSK_OK);
    SDL_FreeSurface(shot);
}

static bool widget_says(kiosk_app *app, const void *context)
{
    const char *const *want = context;
    const ui_widget *w = ui_widget_find(app_root(app), want[0]);
    return want[1] ? w && w->text && strcmp(w->text, want[1]) == 0 : w == NULL;
}

static void wait_for(kiosk_app *app, const char *id, const char *text)
{
    const char *want[2] = {id, text};
    if (!test_run_until(app, widget_says, want))
        fail_msg("%s never said \"%s\"", id, text ? text : "(nothing: gone)");
}

/* Every text on screen, for what must not be there. */
static void gather(ui_widget *widget, void *user)
{
    char *all = user;
    size_t used = strlen(all);
    if (widget->text && used + strlen(widget->text) + 2 < 8192)
        snprintf(all + used, 8192 - used, "%s\n", widget->text);
}

static void test_paper_out_is_said_on_the_tiles_that_print(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create("portrait-1080", LANG_ZH_CN);
    assert_null(ui_widget_find(app_root(app), "tile.social-insurance-certificate.state"));
    printer_sim_set_paper_out(app_sim_printer(app), true);
    wait_for(app, "tile.certificate-print.state", "打印机缺纸，可办理不打印");
    /* Every service that prints a slip says it; one that prints nothing,
     * or prints its certificate on the A4 printer, does not. */
    assert_string_equal(test_text_of(app, "tile.appointment-ticket.state"),
                        "打印机缺纸，可办理不打印");
    assert_null(ui_widget_find(app_root(app), "tile.housing-fund-query.state"));
    assert_null(ui_widget_find(app_root(app), "tile.social-insurance-certificate.state"));
    /* The tile is still one target: a tap on the line opens the service. */
    ui_widget *line = ui_widget_find(app_root(app), "tile.certificate-print.state");
    ui_widget *hit = ui_widget_hit(app_root(app), line->bounds.x + line->bounds.w / 2,
                                   line->bounds.y + line->bounds.h / 2);
    assert_non_null(hit);
    assert_string_equal(hit->id, "tile.certificate-print");
    save(app, "home-paper-out");
    /* Refilled: the tiles say nothing more. */
    printer_sim_set_paper_out(app_sim_printer(app), false);
    wait_for(app, "tile.certificate-print.state", NULL);
    app_destroy(app);
}

/* A certificate is the A4 printer's page: with that printer out of paper
 * the certificate services say, on the tile, that they cannot be done now;
 * the others, and the attract screen's line, carry on. */
static void test_the_a4_printer_s_paper_is_said_on_the_certificate_tiles(void **state)
{
    (void)state;
    ipp_printer *printer = ipp_printer_start("app-start-a4");
    kiosk_app *app =
        test_app_create_with(ipp_printer_board(printer, "portrait-1080"), LANG_ZH_CN, true, 0);
    assert_int_equal(app_go(app, APP_SCREEN_HOME), KIOSK_OK);
    assert_null(ui_widget_find(app_root(app), "tile.tax-certificate.state"));
    ipp_printer_set_paper(printer, 0);
    wait_for(app, "tile.tax-certificate.state", "证明打印机缺纸，暂不能办理");
    assert_string_equal(test_text_of(app, "tile.social-insurance-certificate.state"),
                        "证明打印机缺纸，暂不能办理");
    assert_null(ui_widget_find(app_root(app), "tile.certificate-print.state"));
    save(app, "home-a4-paper-out");
    ipp_printer_set_paper(printer, 100);
    wait_for(app, "tile.tax-certificate.state", NULL);
    app_destroy(app);
    ipp_printer_stop(printer);
}

/* On the small board in large type the bundle, alone on the last page, has
 * room for its name and the line. */
static void test_the_line_fits_on_a_small_board_in_large_type(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create_with("portrait-800", LANG_ZH_CN, true, UI_THEME_ELDER);
    printer_sim_set_paper_out(app_sim_printer(app), true);
    for (int page = 0; page < 10 && !ui_widget_find(app_root(app), "tile.newborn-bundle"); page++)
        test_tap(app, "home.next");
    wait_for(app, "tile.newborn-bundle.state", "没纸了，能办不能打印");
    ui_widget *tile = ui_widget_find(app_root(app), "tile.newborn-bundle");
    ui_widget *line = ui_widget_find(app_root(app), "tile.newborn-bundle.state");
    assert_non_null(tile);
    assert_non_null(line);
    SDL_Rect both;
    assert_true(SDL_IntersectRect(&tile->bounds, &line->bounds, &both));
    assert_true(both.w == line->bounds.w && both.h == line->bounds.h);
    save(app, "home-paper-out-portrait-800-elder-last-page");
    printer_sim_set_paper_out(app_sim_printer(app), false);
    app_destroy(app);
}

static void test_link_down_is_said_on_the_tiles_that_need_it(void **state)
{
    (void)state;
    for (int l = 0; l < LANG_COUNT; l++) {
        kiosk_app *app = test_app_create("portrait-1080", (lang)l);
        sync_progress down = {.link = SYNC_LINK_OFFLINE};
        app_probe_link(app, true, &down);
        assert_int_equal(app_go(app, APP_SCREEN_HOME), KIOSK_OK);
        static const char *const words[LANG_COUNT] = {
            "网络中断，暂不能办理", "網路中斷，暫不能辦理", "Network down: not available now"};
        assert_string_equal(test_text_of(app, "tile.social-insurance-certificate.state"), words[l]);
        assert_string_equal(test_text_of(app, "tile.real-estate-query.state"), words[l]);
        /* A service kept and sent later works without the link. */
        if (ui_widget_find(app_root(app), "tile.certificate-print.state"))
            fail_msg("certificate-print says %s",
                     test_text_of(app, "tile.certificate-print.state"));
        char name[64];
        snprintf(name, sizeof name, "home-link-down-%s", lang_code((lang)l));
        save(app, name);
        /* The link's state is the platform layer's, kept past this app. */
        app_probe_link(app, false, &(sync_progress){0});
        app_destroy(app);
    }
}

/* The attract screen tells citizens what the state means for them, and
 * holds none of staff's words (待上传, 待核查). */
static void test_the_attract_screen_speaks_to_citizens(void **state)
{
    (void)state;
    kiosk_app *app = test_app_create_attract("portrait-1080", LANG_ZH_CN);
    sync_progress down = {.link = SYNC_LINK_OFFLINE, .queued = 3, .quarantined = 1};
    app_probe_link(app, true, &down);
    assert_int_equal(app_go(app, APP_SCREEN_ATTRACT), KIOSK_OK);
    assert_string_equal(test_text_of(app, "attract.state"),
                        "网络中断：部分业务暂不能办理，其他业务照常");
    static char all[8192];
    all[0] = '\0';
    ui_widget_walk(app_root(app), gather, all);
    assert_null(strstr(all, "待核查"));
    assert_null(strstr(all, "待上传"));
    assert_null(ui_widget_find(app_root(app), "attract.staff"));
    save(app, "attract-link-down");
    app_probe_link(app, false, &(sync_progress){0});
    app_destroy(app);

    app = test_app_create_attract("portrait-1080", LANG_ZH_CN);
    assert_null(ui_widget_find(app_root(app), "attract.state"));
    printer_sim_set_paper_out(app_sim_printer(app), true);
    wait_for(app, "attract.state", "打印机缺纸：业务可以办理，暂不能打印凭条");
    save(app, "attract-paper-out");
    app_destroy(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paper_out_is_said_on_the_tiles_that_print),
        cmocka_unit_test(test_the_a4_printer_s_paper_is_said_on_the_certificate_tiles),
        cmocka_unit_test(test_the_line_fits_on_a_small_board_in_large_type),
        cmocka_unit_test(test_link_down_is_said_on_the_tiles_that_need_it),
        cmocka_unit_test(test_the_attract_screen_speaks_to_citizens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
