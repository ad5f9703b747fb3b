/* The home screen's layout on every board and in every language: a citizen
 * must be able to see and hit every tile. */
#include "../support/test_support.h"

#include "ui/screens.h"

#include <string.h>

typedef struct collected {
    ui_widget *tappable[64];
    int count;
} collected;

static void collect(ui_widget *widget, void *user)
{
    collected *c = user;
    if ((widget->flags & UI_FLAG_TAPPABLE) && c->count < 64)
        c->tappable[c->count++] = widget;
}

static bool overlaps(SDL_Rect a, SDL_Rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static void check_layout(const char *board, lang language)
{
    kiosk_app *app = test_app_create(board, language);
    const board_profile *profile = app_board(app);
    ui_metrics metrics =
        ui_metrics_for_screen(profile->width_px, profile->height_px, profile->width_mm,
                              profile->height_mm, profile->viewing_distance_mm);
    collected c = {0};
    ui_widget_walk(app_root(app), collect, &c);
    /* 13 services, help, elder mode, three languages */
    assert_int_equal(c.count, 13 + 2 + LANG_COUNT);

    SDL_Rect screen = {0, 0, profile->width_px, profile->height_px};
    for (int i = 0; i < c.count; i++) {
        SDL_Rect r = c.tappable[i]->bounds;
        if (!(r.x >= 0 && r.y >= 0 && r.x + r.w <= screen.w && r.y + r.h <= screen.h))
            fail_msg("%s %s: %s is off the screen", board, lang_code(language), c.tappable[i]->id);
        /* Large enough for any finger: 60 dp each way. */
        if (ui_px_to_dp(&metrics, r.h) < 60 || ui_px_to_dp(&metrics, r.w) < 60)
            fail_msg("%s %s: %s is %dx%d px, under 60 dp", board, lang_code(language),
                     c.tappable[i]->id, r.w, r.h);
        for (int j = i + 1; j < c.count; j++) {
            if (overlaps(r, c.tappable[j]->bounds))
                fail_msg("%s: %s overlaps %s", board, c.tappable[i]->id, c.tappable[j]->id);
        }
    }
    /* The bundle spans the grid's width, after the single services. */
    ui_widget *bundle = ui_widget_find(app_root(app), "tile.newborn-bundle");
    ui_widget *single = ui_widget_find(app_root(app), "tile.e-licenses");
    assert_true(bundle->bounds.y > single->bounds.y);
    assert_true(bundle->bounds.w > single->bounds.w);
    app_destroy(app);
}

static void test_every_board_and_language_fits(void **state)
{
    (void)state;
    const char *boards[] = {"portrait-1080", "landscape-1080", "portrait-800"};
    for (size_t b = 0; b < 3; b++) {
        for (int l = 0; l < LANG_COUNT; l++)
            check_layout(boards[b], (lang)l);
    }
}

static void test_columns_follow_the_width(void **state)
{
    (void)state;
    const char *boards[] = {"portrait-1080", "landscape-1080", "portrait-800"};
    const int columns[] = {3, 4, 2};
    for (size_t b = 0; b < 3; b++) {
        kiosk_app *app = test_app_create(boards[b], LANG_ZH_CN);
        int first_row_y = ui_widget_find(app_root(app), "tile.social-insurance-query")->bounds.y;
        const char *ids[] = {"social-insurance-query", "housing-fund-query",
                             "real-estate-query",      "certificate-print",
                             "business-license-print", "appointment-ticket",
                             "case-progress"};
        int in_first_row = 0;
        for (size_t i = 0; i < 7; i++) {
            char id[64];
            snprintf(id, sizeof id, "tile.%s", ids[i]);
            in_first_row += ui_widget_find(app_root(app), id)->bounds.y == first_row_y;
        }
        if (in_first_row != columns[b])
            fail_msg("%s: %d tiles in the first row, expected %d", boards[b], in_first_row,
                     columns[b]);
        app_destroy(app);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_board_and_language_fits),
        cmocka_unit_test(test_columns_follow_the_width),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
